"""Real screenshots: pages rendered by Debian's chromium at 1400 px, edited in the DOM.

The committed fixtures (tests/fixtures/diff, made by tests/support/make_fixtures.py) are
checked without a browser; the browser test renders fresh pages, so what Chromium does today
is checked too. Each pair has three edits: a section removed, a section inserted, a heading's
text changed; the hunks must match the elements' positions as the browser reported them.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import rasterkit
from rasterkit.io import load_array

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "diff"


def content_rows(image: np.ndarray, start: int, stop: int) -> set[int]:
    """Rows in [start, stop) that are not one uniform colour."""
    rows = image[start:stop]
    uniform = (rows == rows[:, :1]).all(axis=(1, 2))
    return {start + i for i in np.flatnonzero(~uniform).tolist()}


def check_edits(path_a: Path, path_b: Path, boxes_a: dict, boxes_b: dict, edits: list) -> None:
    a, b = load_array(path_a), load_array(path_b)
    result = rasterkit.diff(path_a, path_b)
    assert [h.kind for h in result.hunks] == [kind for kind, _ in edits], result.hunks
    for hunk, (kind, element) in zip(result.hunks, edits, strict=True):
        if kind == "removed":
            top, bottom = boxes_a[element]
            assert hunk.a_rows == bottom - top
            assert content_rows(a, *hunk.a) == content_rows(a, top, bottom)
        elif kind == "added":
            top, bottom = boxes_b[element]
            assert hunk.b_rows == bottom - top
            assert content_rows(b, *hunk.b) == content_rows(b, top, bottom)
        else:
            (top_a, bottom_a), (top_b, bottom_b) = boxes_a[element], boxes_b[element]
            assert top_a <= hunk.a[0] < hunk.a[1] <= bottom_a
            assert top_b <= hunk.b[0] < hunk.b[1] <= bottom_b
            assert hunk.changed_pixels > 100
            assert hunk.boxes
            for box in hunk.boxes:
                assert 150 <= box.b[0] < box.b[2] <= 1250  # inside the page's main column
    assert result.a.height - result.b.height == (
        sum(h.a_rows - h.b_rows for h in result.hunks))


@pytest.mark.parametrize("name", ["settings", "dashboard"])
def test_committed_chromium_pairs(name):
    info = json.loads((FIXTURES / f"{name}.json").read_text())
    check_edits(FIXTURES / info["a"]["path"], FIXTURES / info["b"]["path"],
                info["a"]["boxes"], info["b"]["boxes"], info["edits"])


@pytest.mark.browser
@pytest.mark.parametrize("seed", [2, 13])
def test_fresh_chromium_screenshots(tmp_path, seed, browser):
    from tests.support.screenshots import Renderer, edited_pair

    with Renderer(browser=browser) as renderer:
        pair = edited_pair(renderer, tmp_path, seed=seed, n_sections=12)
    assert pair.a.width == pair.b.width == 1400
    check_edits(pair.a.path, pair.b.path, pair.a.boxes, pair.b.boxes, pair.edits)
