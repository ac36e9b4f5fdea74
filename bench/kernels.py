"""In-process speed of the compiled kernels against their former numba versions (issue 16).

    python -m bench.kernels            # needs numba (the bench extra) and the git history

The numba kernels are taken from the last commit that had them (:data:`NUMBA_COMMIT`), written
to a temporary package and swapped in for ``rasterkit._kernels._*`` (the callers import the
kernels when they run, so the library code timed is the same). Each case is timed with the
compiled kernels, then with numba's (after one untimed call that compiles them), case by case:
median of 5.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from .harness import ROOT, best_of, machine

#: The last commit with the numba kernels (``src/rasterkit/_kernels/*.py``).
NUMBA_COMMIT = "2bd57a0"
#: compiled module -> its numba predecessor
MODULES = {"_components": "components", "_stream": "stream", "_max_tree": "max_tree",
           "_thinning": "thinning", "_confusion": "confusion", "_edt": "edt",
           "_nearest": "nearest", "_transpose": "transpose"}


def numba_package(folder: Path) -> str:
    """Write the numba kernels as the package ``numba_kernels`` in ``folder``."""
    package = folder / "numba_kernels"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name in [*MODULES.values(), "runs"]:
        source = subprocess.run(["git", "show", f"{NUMBA_COMMIT}:src/rasterkit/_kernels/"
                                 f"{name}.py"], cwd=ROOT, capture_output=True, text=True,
                                check=True).stdout
        (package / f"{name}.py").write_text(source)
    return "numba_kernels"


@contextlib.contextmanager
def numba_kernels(folder: Path) -> Iterator[None]:
    """Within the block, ``rasterkit._kernels._*`` are the numba kernels."""
    import importlib

    sys.path.insert(0, str(folder))
    saved = {name: sys.modules.get(f"rasterkit._kernels.{name}") for name in MODULES}
    try:
        for compiled, old in MODULES.items():
            sys.modules[f"rasterkit._kernels.{compiled}"] = importlib.import_module(
                f"numba_kernels.{old}")
        yield
    finally:
        for name, module in saved.items():
            if module is not None:
                sys.modules[f"rasterkit._kernels.{name}"] = module
        sys.path.remove(str(folder))


def cases() -> list[tuple[str, Callable[[], object]]]:
    """``(name, call)`` of the library calls that run each kernel, on large inputs."""
    from rasterkit.compare.binary import binary
    from rasterkit.compare.distance import transform_squared
    from rasterkit.morphology import (
        area_opening,
        fill_small_holes,
        remove_small_objects,
        skeletonize,
    )
    from rasterkit.morphology.strips import array_source, filter_in_strips
    from rasterkit.photomosaic.colour import get_space, srgb_to_space
    from rasterkit.photomosaic.match import match, nearest_references
    from rasterkit.raster.deinterleave import transpose_into

    rng = np.random.default_rng(16)
    side = 6000  # 36 Mpx, the size
    noise = rng.random((side // 4, side // 4)) < 0.3
    mask = np.repeat(np.repeat(noise, 4, 0), 4, 1).view(np.uint8) * np.uint8(255)
    grey = (rng.random((2000, 2000)) * 255).astype(np.uint8)
    shapes = np.zeros((2000, 2000), np.uint8)
    shapes[200:1800, 300:1700] = 1
    shapes[600:1400, 700:1300] = 0
    other = np.roll(mask, 3, axis=1)
    features = rng.random((3000, 3000)) < 0.001
    points = np.flatnonzero(rng.random((3000, 3000)) < 0.05)
    refs = srgb_to_space(rng.integers(0, 256, (500, 3)), get_space("oklab"))
    rgb = rng.integers(0, 256, (1000, 1000, 3), dtype=np.uint8)
    small_rgb = rgb[:100, :100]
    cube = rng.integers(0, 65535, (2_000_000, 16), dtype=np.uint16)
    planes = np.empty((16, 2_000_000), np.uint16)
    strips = array_source(mask, 500)
    return [
        ("remove_small_objects 36 Mpx (components)", lambda: remove_small_objects(mask, 5)),
        ("fill_small_holes 36 Mpx (components)", lambda: fill_small_holes(mask, 5)),
        ("filter_in_strips 36 Mpx (stream)",
         lambda: list(filter_in_strips(strips, 5).output_strips())),
        ("area_opening 4 Mpx uint8 (max_tree)", lambda: area_opening(grey, 5)),
        ("skeletonize 4 Mpx (thinning)", lambda: skeletonize(shapes)),
        ("compare counts 36 Mpx (confusion)",
         lambda: binary(mask, other, surface_distance=False, engine="kernel")),
        ("distance transform 9 Mpx (edt)", lambda: transform_squared(points, features)),
        ("nearest colours 1 Mpx, 500 refs (nearest)", lambda: nearest_references(rgb, refs)),
        ("match with rules 10 kpx (nearest)",
         lambda: match(small_rgb, refs, max_uses=40, min_distance=2)),
        ("BIP transpose 2 M px x 16 bands uint16 (transpose)",
         lambda: transpose_into(cube, planes)),
    ]


def main() -> None:
    repeat = 5
    compiled: dict[str, float] = {}
    jit: dict[str, float] = {}
    timed = cases()
    with tempfile.TemporaryDirectory() as folder:
        numba_package(Path(folder))
        for name, call in timed:  # each case both ways in turn, so load changes hit both
            compiled[name] = best_of(call, repeat)
            with numba_kernels(Path(folder)):
                jit[name] = best_of(call, repeat)
    print(f"\n{machine()}, median of {repeat}\n")
    print("| kernel (library call) | numba | compiled | compiled / numba |")
    print("|---|---:|---:|---:|")
    for name, _ in timed:
        print(f"| {name} | {jit[name] * 1000:.1f} ms | {compiled[name] * 1000:.1f} ms | "
              f"{compiled[name] / jit[name]:.2f} |")


if __name__ == "__main__":
    main()
