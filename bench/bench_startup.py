"""Whole-process start-up: every command on a small input, beside the scripts people use.

Each row is one process, start to exit, median of 5 runs after one untimed run (the page
cache warm, as when a user runs a command twice): ``rasterkit COMMAND`` on a 200 x 200 PNG
(the bundled examples for ``mosaic`` and ``raster``), and as anchors the seed-style scripts
for the same job: the OpenCV ``connectedComponentsWithStats`` script
(:mod:`bench.seed_remove_small`), a DIPlib ``AreaOpening`` script with pyvips I/O
(:mod:`bench.seed_area_open`), the pyvips scanline-checksum diff recipe
(:mod:`bench.recipe_scanline_diff`) and odiff's native binary. The budget (issue 16) is
:data:`BUDGET` seconds per command, and no slower than the OpenCV / DIPlib scripts.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .harness import ROOT, Context, time_command

CAPABILITY = "startup"
#: Whole-process budget per command on a small input, seconds.
BUDGET = 0.25
#: Side of the small inputs, pixels.
SIDE = 200
MIN_AREA = 5
EXAMPLES = ROOT / "examples"
ODIFF = ROOT / "bench" / "node_modules" / "@odiff" / "linux-x64" / "odiff"


def small_inputs(folder: Path) -> dict[str, Path]:
    """The 200 x 200 PNGs: two screenshot crops, a binary mask and a shifted copy, a grey
    image, two line drawings one pixel apart."""
    import pyvips

    folder.mkdir(parents=True, exist_ok=True)
    paths = {name: folder / f"{name}.png" for name in
             ("a", "b", "mask", "mask_b", "grey", "lines_a", "lines_b")}
    before = pyvips.Image.new_from_file(str(EXAMPLES / "before.png"))
    after = pyvips.Image.new_from_file(str(EXAMPLES / "after.png"))
    before.crop(100, 2380, SIDE, SIDE).write_to_file(str(paths["a"]))
    after.crop(100, 2292, SIDE, SIDE).write_to_file(str(paths["b"]))
    rng = np.random.default_rng(16)
    noise = rng.normal(128, 40, (SIDE, SIDE))
    grey = pyvips.Image.new_from_array(noise).gaussblur(2).cast("uchar")
    grey.write_to_file(str(paths["grey"]))
    mask = ((grey.gaussblur(3) > 128) ^ (pyvips.Image.new_from_array(noise) > 215))
    mask.cast("uchar").write_to_file(str(paths["mask"]))
    mask.cast("uchar").embed(1, 0, SIDE, SIDE).write_to_file(str(paths["mask_b"]))
    lines = np.zeros((SIDE, SIDE), np.uint8)
    for k in range(10, SIDE, 23):
        lines[k, 5:-5] = 255
        lines[5:-5, k] = 255
        np.fill_diagonal(lines[k // 2:, :], 255)
    pyvips.Image.new_from_array(lines).write_to_file(str(paths["lines_a"]))
    pyvips.Image.new_from_array(np.roll(lines, 1, axis=1)).write_to_file(str(paths["lines_b"]))
    return paths


def rasterkit_command() -> list[str]:
    """The installed console script beside this interpreter (what a user runs)."""
    script = Path(sys.executable).parent / "rasterkit"
    return [str(script)] if script.exists() else [sys.executable, "-m", "rasterkit.cli.main"]


def commands(inputs: dict[str, Path], out: Path) -> list[tuple[str, list[str]]]:
    """``(case, argv)`` of every command timed, on the small inputs."""
    mosaic = EXAMPLES / "mosaic"
    cube = EXAMPLES / "scene.hdr"
    return [
        ("diff", ["diff", inputs["a"], inputs["b"]]),
        ("compare", ["compare", inputs["mask"], inputs["mask_b"]]),
        ("compare-lines", ["compare-lines", inputs["lines_a"], inputs["lines_b"]]),
        ("remove-small", ["remove-small", inputs["mask"], out / "clean.png", "--min-area",
                          MIN_AREA]),
        ("area-open", ["area-open", inputs["grey"], out / "open.png", "--min-area", MIN_AREA]),
        ("area-close", ["area-close", inputs["grey"], out / "close.png", "--min-area",
                        MIN_AREA]),
        ("skeletonize", ["skeletonize", inputs["mask"], out / "skeleton.png"]),
        ("raster info", ["raster", "info", cube]),
        ("raster split", ["raster", "split", cube, out / "bands", "-q"]),
        ("mosaic", ["mosaic", mosaic / "tiles", mosaic / "cat.png", out / "mosaic.jpg",
                    "--tile-size", "16", "-q"]),
    ]


def anchors(inputs: dict[str, Path], out: Path) -> dict[str, list[tuple[str, list[str]]]]:
    """The seed-style scripts for some cases: case -> ``(tool, argv)``."""
    python = sys.executable
    here = ROOT / "bench"
    found = {
        "diff": [("scanline-checksum recipe (pyvips + diff)",
                  [python, here / "recipe_scanline_diff.py", inputs["a"], inputs["b"]])],
        "remove-small": [("OpenCV connectedComponentsWithStats script",
                          [python, here / "seed_remove_small.py", inputs["mask"],
                           out / "cv.png", MIN_AREA])],
        "area-open": [("DIPlib AreaOpening script (pyvips I/O)",
                       [python, here / "seed_area_open.py", inputs["grey"], out / "dip.png",
                        MIN_AREA])],
    }
    if ODIFF.exists():
        found["diff"].append(("odiff (native binary)",
                              [ODIFF, inputs["a"], inputs["b"], out / "odiff.png"]))
    return found


def _argv(words: Sequence[object]) -> list[str]:
    return [str(word) for word in words]


def compile_bytecode() -> None:
    """Write rasterkit's ``.pyc`` files, as an install does (an editable install, or a shell
    with ``PYTHONDONTWRITEBYTECODE`` set, would otherwise compile every module in every run)."""
    import compileall

    import rasterkit

    compileall.compile_dir(Path(rasterkit.__file__).parent, quiet=1)


def run(ctx: Context) -> None:
    compile_bytecode()
    out = ctx.cache / "startup"
    inputs = small_inputs(out / "inputs")
    (out / "bands").mkdir(parents=True, exist_ok=True)
    repeat = 3 if ctx.quick else 5
    script = rasterkit_command()
    extra = anchors(inputs, out)
    for case, words in commands(inputs, out):
        seconds = time_command(_argv([*script, *words]), repeat)
        ctx.record(CAPABILITY, case, f"rasterkit {case}", "ours", seconds,
                   budget="ok" if seconds <= BUDGET else f"OVER {BUDGET} s")
        for tool, argv in extra.get(case, []):
            ctx.record(CAPABILITY, case, tool, "anchor",
                       time_command(_argv(argv), repeat, ok=(0, 1, 21, 22)))
