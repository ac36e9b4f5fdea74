"""The side-by-side picture keeps each image's own pixels legible (issue 19, item 1): inside
every cluster of differing pixels each pane shows its own image, and anywhere else a pane
differs from its image only on the edge bar of a hunk's rows and on the outlines."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import pyvips

import rasterkit
from rasterkit.linediff.render import EDGE, GUTTER, HEADER, RING, RING_GAP

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "diff"
PAIRS = [(EXAMPLES / "before.png", EXAMPLES / "after.png"),
         (FIXTURES / "dashboard-a.png", FIXTURES / "dashboard-b.png"),
         (FIXTURES / "settings-a.png", FIXTURES / "settings-b.png")]


def _axis_rows(result, side: str) -> dict[int, int]:
    """Image row of ``side`` -> its row on the common axis."""
    rows, y = {}, 0
    for run in result.runs:
        present = run.kind != ("only_b" if side == "a" else "only_a")
        start = run.a if side == "a" else run.b
        if present:
            rows.update((start + k, y + k) for k in range(run.length))
        y += run.length
    return rows


def _hunk_rows(result, side: str) -> set[int]:
    rows = set()
    for hunk in result.hunks:
        lo, hi = hunk.a if side == "a" else hunk.b
        rows.update(range(lo, hi))
    return rows


@pytest.mark.parametrize(("a", "b"), PAIRS, ids=[a.stem for a, _ in PAIRS])
def test_each_pane_is_its_own_image_but_for_bars_and_outlines(tmp_path, a, b):
    out = tmp_path / "sbs.png"
    done = subprocess.run([sys.executable, "-m", "rasterkit.cli.main", "diff", str(a), str(b),
                           "-o", str(out), "-q"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr
    picture = pyvips.Image.new_from_file(str(out)).numpy()[HEADER:]
    result = rasterkit.diff(a, b)
    assert any(box.a and box.b for hunk in result.hunks for box in hunk.boxes)
    for side, path in (("a", a), ("b", b)):
        own = pyvips.Image.new_from_file(str(path)).numpy()[:, :, :3]
        height, width = own.shape[:2]
        x = 0 if side == "a" else max(result.a.width, result.b.width) + GUTTER
        to_axis = _axis_rows(result, side)
        pane = picture[[to_axis[y] for y in range(height)], x:x + width]
        allowed = np.zeros((height, width), bool)
        bar = slice(0, EDGE) if side == "a" else slice(width - EDGE, width)
        allowed[sorted(_hunk_rows(result, side)), bar] = True
        reach = RING + RING_GAP
        inside = np.zeros((height, width), bool)
        for hunk in result.hunks:
            for box in hunk.boxes:
                extent = getattr(box, side)
                if extent is None:
                    continue
                x0, y0, x1, y1 = extent
                allowed[max(y0 - reach, 0):y1 + reach, max(x0 - reach, 0):x1 + reach] = True
                inside[y0:y1, x0:x1] = True
        differs = (pane != own).any(axis=2)
        assert not (differs & inside).any(), side  # the changed text: its own pixels, exactly
        assert not (differs & ~allowed).any(), side
        assert differs.any()  # and the bars and outlines are drawn
