"""The tools under test: how each is run (one whole process per pair) and how its answer is
read into an :class:`bench.corpus.truth.Output`.

Every tool runs with its defaults, as a user would start it, writing its usual artefact
(JSON or text for tools that report hunks, the diff picture for the others) into a scratch
folder; peak memory and wall time are those of the whole process.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyvips

from .measure import Run
from .truth import Hunk, Output, from_hunks, from_picture_rows, runs

BENCH = Path(__file__).resolve().parent.parent
ROOT = BENCH.parent
HERE = Path(__file__).resolve().parent
ODIFF = BENCH / "node_modules" / "@odiff" / "linux-x64" / "odiff"
NODE_MODULES = BENCH / "node_modules"
PIXELHOG_PYTHON = BENCH / ".venv-pixelhog" / "bin" / "python"


@dataclasses.dataclass(frozen=True)
class Pair:
    """Inputs of one run: the two PNGs, their heights (rows), a scratch folder for outputs."""

    a: Path
    b: Path
    height_a: int
    height_b: int
    scratch: Path


@dataclasses.dataclass(frozen=True)
class Tool:
    """A tool: its command for a pair, the exit codes that mean success (same or
    different), how to read its answer, and why it cannot run here (``None`` if it can)."""

    name: str
    command: Callable[[Pair], list[str | Path]]
    read: Callable[[Run, Pair], Output]
    ok: tuple[int, ...]
    missing: Callable[[], str | None] = lambda: None


def read_rasterkit(run: Run, pair: Pair) -> Output:
    """``rasterkit diff --json``: its hunks (moved hunks have rows in A and in B)."""
    hunks = [Hunk(tuple(h["a"]), tuple(h["b"])) for h in json.loads(run.stdout)["hunks"]]
    return from_hunks(hunks)


_GNU = re.compile(r"^(\d+)(?:,(\d+))?([acd])(\d+)(?:,(\d+))?$")


def parse_gnu_diff(text: str) -> list[Hunk]:
    """Hunks of GNU diff's normal output (``5,7c5,6``, ``3a4,9``, ``8,9d7``; lines 1-based)
    as 0-based half-open row ranges."""
    hunks = []
    for line in text.splitlines():
        match = _GNU.match(line)
        if not match:
            continue
        a0, a1, op, b0, b1 = match.groups()
        rows_a = (int(a0) - 1, int(a1 or a0))
        rows_b = (int(b0) - 1, int(b1 or b0))
        hunks.append(Hunk(None if op == "a" else rows_a, None if op == "d" else rows_b))
    return hunks


def read_recipe(run: Run, pair: Pair) -> Output:
    """The scanline-checksum recipe: GNU diff over one checksum line per row."""
    return from_hunks(parse_gnu_diff(run.stdout))


def rows_to_runs(rows: list[int]) -> tuple[tuple[int, int], ...]:
    """Runs of consecutive row numbers (sorted or not, duplicates allowed)."""
    if not rows:
        return ()
    flags = np.zeros(max(rows) + 1, dtype=bool)
    flags[rows] = True
    return runs(flags)


def read_odiff(run: Run, pair: Pair) -> Output:
    """odiff ``--parsable-stdout --output-diff-lines``: ``pixels;percent;row,row,...`` (the
    rows its diff picture marks, 0-based); nothing printed when the images match."""
    text = run.stdout.strip()
    rows = [int(r) for r in text.split(";")[2].split(",") if r] if text.count(";") >= 2 else []
    return from_picture_rows(rows_to_runs(rows), pair.height_a, pair.height_b)


def read_pixelmatch(run: Run, pair: Pair) -> Output:
    """``pixelmatch.mjs``: the runs of diff-picture rows holding a red pixel."""
    rows = tuple(tuple(r) for r in json.loads(run.stdout)["rows"])
    return from_picture_rows(rows, pair.height_a, pair.height_b)


def read_json_hunks(run: Run, pair: Pair) -> Output:
    """``lcs.mjs`` and ``pixelhog_tool.py``: ``{"hunks": [[a | null, b | null], ...]}``."""
    hunks = [Hunk(tuple(a) if a else None, tuple(b) if b else None)
             for a, b in json.loads(run.stdout)["hunks"]]
    return from_hunks(hunks)


def red_rows(path: Path) -> tuple[tuple[int, int], ...]:
    """Runs of rows of a picture that hold a pure red pixel (ImageMagick's highlight)."""
    image = pyvips.Image.new_from_file(str(path))
    pixels = image.numpy().reshape(image.height, image.width, image.bands)[..., :3]
    red = (pixels[..., 0] == 255) & (pixels[..., 1] == 0) & (pixels[..., 2] == 0)
    return runs(red.any(axis=1))


def read_imagemagick(run: Run, pair: Pair) -> Output:
    """ImageMagick ``compare``: the rows its difference picture highlights."""
    return from_picture_rows(red_rows(pair.scratch / "compare.png"), pair.height_a,
                             pair.height_b)


def _needs(path: Path, how: str) -> Callable[[], str | None]:
    return lambda: None if path.exists() else f"{path.relative_to(ROOT)} missing ({how})"


def _needs_command(name: str) -> Callable[[], str | None]:
    return lambda: None if shutil.which(name) else f"{name} not installed (make corpus-tools)"


def _node(script: str) -> Callable[[Pair], list[str | Path]]:
    return lambda p: ["node", HERE / script, p.a, p.b, p.scratch / f"{script}.png"]


_RASTERKIT = [sys.executable, "-m", "rasterkit.cli.main", "diff"]
TOOLS = [
    Tool("rasterkit", lambda p: [*_RASTERKIT, p.a, p.b, "--json"], read_rasterkit, (0, 1)),
    Tool("rasterkit --exact", lambda p: [*_RASTERKIT, p.a, p.b, "--json", "--exact"],
         read_rasterkit, (0, 1)),
    Tool("recipe (checksums + GNU diff)",
         lambda p: [sys.executable, "-m", "bench.recipe_scanline_diff", p.a, p.b],
         read_recipe, (0, 1)),
    Tool("odiff", lambda p: [ODIFF, p.a, p.b, p.scratch / "odiff.png", "--parsable-stdout",
                             "--output-diff-lines"],
         read_odiff, (0, 21, 22), _needs(ODIFF, "make corpus-tools")),
    Tool("pixelmatch", _node("pixelmatch.mjs"), read_pixelmatch, (0,),
         _needs(NODE_MODULES / "pixelmatch", "make corpus-tools")),
    Tool("lcs-image-diff", _node("lcs.mjs"), read_json_hunks, (0,),
         _needs(NODE_MODULES / "lcs-image-diff", "make corpus-tools")),
    Tool("ImageMagick compare",
         lambda p: ["compare", "-metric", "AE", "-highlight-color", "red", "-lowlight-color",
                    "white", "-compose", "src", p.a, p.b, p.scratch / "compare.png"],
         read_imagemagick, (0, 1), _needs_command("compare")),
    Tool("pixelhog", lambda p: [PIXELHOG_PYTHON, HERE / "pixelhog_tool.py", p.a, p.b],
         read_json_hunks, (0,),
         _needs(PIXELHOG_PYTHON, "needs Python >= 3.12: make corpus-tools")),
]
