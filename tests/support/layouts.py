"""Every public function that takes an array, called with every array layout.

Run as ``python -m tests.support.layouts CASE`` (a fresh process per case, so that memory
freed too early shows as wrong pixels or a crash; with ``MALLOC_PERTURB_=165`` freed memory
reads as garbage every time). For each layout the case runs :data:`REPEATS` times, with
garbage collection and fresh allocations in between, and its result must equal the result of
the same call on a plain C-contiguous copy. Prints one JSON line: ``{"case": ..., "failures":
[...]}``; exits 0 either way (a crash is the test's signal).

A case returns a comparable value: plain data (dicts, numbers) or numpy arrays (pixels read
back from files included).
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

REPEATS = 3

Case = Callable[[list[np.ndarray], Path], Any]


# ------------------------------------------------------------------------------- layouts


def _strided(base: np.ndarray) -> np.ndarray:
    big = np.zeros((base.shape[0], base.shape[1] * 2, *base.shape[2:]), base.dtype)
    big[:, ::2] = base
    return big[:, ::2]


def _negative(base: np.ndarray) -> np.ndarray:
    return base[::-1, ::-1].copy()[::-1, ::-1]


def _transposed(base: np.ndarray) -> np.ndarray:
    axes = (1, 0, *range(2, base.ndim))
    return np.ascontiguousarray(base.transpose(axes)).transpose(axes)


def _read_only(base: np.ndarray) -> np.ndarray:
    out = base.copy()
    out.flags.writeable = False
    return out


def _memmap(base: np.ndarray, folder: Path) -> np.ndarray:
    path = folder / f"map-{id(base)}-{base.dtype}.raw"
    base.tofile(path)
    return np.memmap(path, dtype=base.dtype, mode="r", shape=base.shape)


#: Layout name -> how to make it from a C-contiguous array (same values, another layout).
LAYOUTS: dict[str, Callable[[np.ndarray, Path], np.ndarray]] = {
    "contiguous": lambda base, _: base.copy(),
    "strided view": lambda base, _: _strided(base),
    "negative strides": lambda base, _: _negative(base),
    "fortran order": lambda base, _: np.asfortranarray(base),
    "transposed": lambda base, _: _transposed(base),
    "read-only": lambda base, _: _read_only(base),
    "memmap": _memmap,
    "bool strided view": lambda base, _: _strided(base != 0),
}


def reference_of(layout: str, base: np.ndarray) -> np.ndarray:
    """The plain C-contiguous array a layout's result is compared against."""
    return np.ascontiguousarray(base != 0) if layout.startswith("bool") else base.copy()


# ------------------------------------------------------------------------------- inputs


def page(height: int, width: int, seed: int) -> np.ndarray:
    """A screenshot-like RGB page: blank rows and bands of random 'text'."""
    rng = np.random.default_rng(seed)
    out = np.full((height, width, 3), 250, np.uint8)
    y = 3
    while y < height - 12:
        h = int(rng.integers(4, 10))
        out[y:y + h, 5:width - 5] = rng.integers(0, 256, (h, width - 10, 3), np.uint8)
        y += h + int(rng.integers(2, 6))
    return out


def binary(height: int, width: int, seed: int, density: float = 0.35) -> np.ndarray:
    """A 0/255 uint8 image of random blobs (several sizes of objects and holes)."""
    rng = np.random.default_rng(seed)
    coarse = rng.random((height // 3 + 1, width // 3 + 1)) < density
    fine = rng.random((height, width)) < 0.08
    blobs = np.repeat(np.repeat(coarse, 3, 0), 3, 1)[:height, :width]
    return ((blobs ^ fine) * 255).astype(np.uint8)


def grey(height: int, width: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, (height, width), np.uint8)


def _inserted(a: np.ndarray, at: int, rows: np.ndarray) -> np.ndarray:
    return np.concatenate([a[:at], rows, a[at:]])


# ------------------------------------------------------------------------------- cases


def _diff_dict(result: Any) -> dict[str, Any]:
    data = result.to_dict()
    return {"hunks": data["hunks"], "summary": data["summary"]}


def case_diff(arrays: list[np.ndarray], folder: Path) -> Any:
    import rasterkit

    return _diff_dict(rasterkit.diff(arrays[0], arrays[1]))


def case_diff_mask(arrays: list[np.ndarray], folder: Path) -> Any:
    import rasterkit

    return _diff_dict(rasterkit.diff(arrays[0], arrays[1], mask=arrays[2]))


def case_render(arrays: list[np.ndarray], folder: Path) -> Any:
    import rasterkit
    from rasterkit.linediff.render import side_by_side

    return side_by_side(rasterkit.diff(arrays[0], arrays[1]))


def case_save_image(arrays: list[np.ndarray], folder: Path) -> Any:
    from rasterkit.io import load_array, save_image

    out = save_image(arrays[0], folder / "saved.png")
    return load_array(out).copy()


def case_open_image(arrays: list[np.ndarray], folder: Path) -> Any:
    from rasterkit.io import open_image, vips_to_array

    image = open_image(arrays[0])
    gc.collect()
    return vips_to_array(image.flip("horizontal")).copy()


def _filtered(result: Any) -> dict[str, Any]:
    data = {k: v for k, v in result.to_dict().items() if k != "image"}
    return {"counts": data, "image": np.asarray(result.image).copy()}


def case_remove_small(arrays: list[np.ndarray], folder: Path) -> Any:
    from rasterkit import morphology

    return _filtered(morphology.remove_small_objects(arrays[0], 20))


def case_fill_holes(arrays: list[np.ndarray], folder: Path) -> Any:
    from rasterkit import morphology

    return _filtered(morphology.fill_small_holes(arrays[0], 20))


def case_area_opening(arrays: list[np.ndarray], folder: Path) -> Any:
    from rasterkit import morphology

    return _filtered(morphology.area_opening(arrays[0], 12))


def case_area_closing(arrays: list[np.ndarray], folder: Path) -> Any:
    from rasterkit import morphology

    return _filtered(morphology.area_closing(arrays[0], 12))


def case_skeletonize(arrays: list[np.ndarray], folder: Path) -> Any:
    from rasterkit import morphology

    return _filtered(morphology.skeletonize(arrays[0]))


def case_remove_small_file(arrays: list[np.ndarray], folder: Path) -> Any:
    from rasterkit import morphology
    from rasterkit.io import load_array

    out = folder / "small.png"
    report = morphology.remove_small_file(arrays[0], out, 20, holes=True)
    return {"report": report.to_dict()["steps"], "pixels": load_array(out).copy()}


def case_area_filter_file(arrays: list[np.ndarray], folder: Path) -> Any:
    from rasterkit import morphology
    from rasterkit.io import load_array

    out = folder / "area.png"
    morphology.area_filter_file(arrays[0], out, 12)
    return load_array(out).copy()


def case_compare_binary(arrays: list[np.ndarray], folder: Path) -> Any:
    from rasterkit import compare

    result = compare.binary(arrays[0], arrays[1])
    return {"data": result.to_dict(), "delta": compare.delta_image(result)}


def case_compare_lines(arrays: list[np.ndarray], folder: Path) -> Any:
    from rasterkit import compare

    result = compare.lines(arrays[0], arrays[1], skeletonize=True)
    return {"data": result.to_dict(), "overlay": compare.overlay_image(result)}


def case_save_picture(arrays: list[np.ndarray], folder: Path) -> Any:
    from rasterkit import compare
    from rasterkit.io import load_array

    out = folder / "picture.png"
    compare.save_picture(arrays[0], out)
    return load_array(out).copy()


def case_mosaic(arrays: list[np.ndarray], folder: Path) -> Any:
    import rasterkit
    from rasterkit.io import load_array

    out = folder / "mosaic.png"
    rasterkit.mosaic(TILES, arrays[0], out, tile_cache=False)
    return load_array(out).copy()


def case_mosaic_image(arrays: list[np.ndarray], folder: Path) -> Any:
    from rasterkit.io import vips_to_array
    from rasterkit.photomosaic import mosaic_image

    indices = (arrays[0][:, :, 0] % 4).astype(np.int64)
    image = mosaic_image(indices, TILE_PIXELS)
    gc.collect()
    return vips_to_array(image).copy()


def case_raster_write(arrays: list[np.ndarray], folder: Path) -> Any:
    from rasterkit import raster

    out = folder / "cube.img"
    raster.write(out, arrays[0], interleave="bil")
    cube = raster.open(out)
    return {"read": cube.read().copy(), "bytes": out.read_bytes()}


def case_assert_image_matches(arrays: list[np.ndarray], folder: Path) -> Any:
    from rasterkit.io import load_array
    from rasterkit.testing import assert_image_matches

    snapshot = folder / "snap.png"
    if snapshot.exists():
        snapshot.unlink()
    with contextlib.suppress(AssertionError):  # missing snapshot: fails, writes nothing
        assert_image_matches(arrays[0], snapshot)
    os.environ["RASTERKIT_UPDATE"] = "1"
    try:
        assert_image_matches(arrays[0], snapshot)
    finally:
        del os.environ["RASTERKIT_UPDATE"]
    assert_image_matches(arrays[0], snapshot)
    return load_array(snapshot).copy()


TILE_PIXELS = np.stack([np.full((4, 4, 3), c, np.uint8) for c in (0, 80, 160, 240)])


TILES: Any = None


def _a_b_mask() -> list[np.ndarray]:
    a = page(300, 120, 1)
    b = _inserted(a, 140, page(30, 120, 2))
    b[40:44, 20:60] = 0
    mask = np.zeros(b.shape[:2], np.uint8)
    mask[100:110, :] = 255
    return [a, b, mask]


def _binary_pair() -> list[np.ndarray]:
    a = binary(90, 110, 3)
    b = a.copy()
    b[30:50, 40:70] = 255 - b[30:50, 40:70]
    return [a, b]


#: Case name -> (function, inputs made from C-contiguous arrays, layouts that apply).
CASES: dict[str, tuple[Case, Callable[[], list[np.ndarray]], tuple[str, ...]]] = {
    "diff": (case_diff, lambda: _a_b_mask()[:2], ()),
    "diff with a mask array": (case_diff_mask, _a_b_mask, ()),
    "diff picture": (case_render, lambda: _a_b_mask()[:2], ()),
    "io.save_image": (case_save_image, lambda: [page(40, 50, 4)], ()),
    "io.open_image": (case_open_image, lambda: [page(40, 50, 5)], ()),
    "remove_small_objects": (case_remove_small, lambda: [binary(90, 110, 6)], ()),
    "fill_small_holes": (case_fill_holes, lambda: [binary(90, 110, 7, 0.6)], ()),
    "area_opening": (case_area_opening, lambda: [grey(70, 80, 8)], ()),
    "area_closing": (case_area_closing, lambda: [grey(70, 80, 9)], ()),
    "skeletonize": (case_skeletonize, lambda: [binary(90, 110, 10, 0.5)], ()),
    "remove_small_file": (case_remove_small_file, lambda: [binary(90, 110, 11)], ()),
    "area_filter_file": (case_area_filter_file, lambda: [grey(70, 80, 12)], ()),
    "compare.binary": (case_compare_binary, _binary_pair, ()),
    "compare.lines": (case_compare_lines, _binary_pair, ()),
    "compare.save_picture": (case_save_picture, lambda: [page(40, 50, 13)], ()),
    "mosaic": (case_mosaic, lambda: [page(12, 10, 14)], ("bool strided view",)),
    "mosaic_image": (case_mosaic_image, lambda: [page(12, 10, 15)], ("bool strided view",)),
    "raster.write": (case_raster_write, lambda: [grey(30, 40, 16)[None].repeat(3, 0)],
                     ("bool strided view",)),
    "assert_image_matches": (case_assert_image_matches, lambda: [page(40, 50, 17)], ()),
}


# ------------------------------------------------------------------------------- running


def same(x: Any, y: Any) -> bool:
    """Deep equality of plain data and numpy arrays (shape, dtype and values)."""
    if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
        x, y = np.asarray(x), np.asarray(y)
        return x.shape == y.shape and x.dtype == y.dtype and bool(np.array_equal(x, y))
    if isinstance(x, dict) and isinstance(y, dict):
        return x.keys() == y.keys() and all(same(x[k], y[k]) for k in x)
    if isinstance(x, list | tuple) and isinstance(y, list | tuple):
        return len(x) == len(y) and all(same(p, q) for p, q in zip(x, y, strict=True))
    return bool(x == y)


def _churn() -> None:
    """Collect garbage and reuse freed memory, so a freed buffer still read shows."""
    gc.collect()
    junk = [bytearray(1 << 16) for _ in range(64)]
    del junk


def run_case(name: str) -> list[str]:
    """Run case ``name`` with every layout; the failures, as messages."""
    global TILES
    function, make_inputs, skipped = CASES[name]
    if name == "mosaic":
        from rasterkit.photomosaic.tiles import TileSet

        mean = TILE_PIXELS.reshape(4, -1, 3).mean(axis=1)
        TILES = TileSet(TILE_PIXELS.copy(), [f"tile{i}" for i in range(4)], mean,
                        (mean / 255.0) ** 2.2)
    failures: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bases = make_inputs()
        for layout, make in LAYOUTS.items():
            if layout in skipped:
                continue
            expected = function([reference_of(layout, base) for base in bases], folder)
            for attempt in range(REPEATS):
                arrays = [make(base, folder) for base in bases]
                _churn()
                try:
                    got = function(arrays, folder)
                except Exception as error:  # reported, not raised: the other layouts go on
                    failures.append(f"{layout} (run {attempt + 1}): {type(error).__name__}: "
                                    f"{error}")
                    break
                del arrays
                _churn()
                if not same(got, expected):
                    failures.append(f"{layout} (run {attempt + 1}): differs from the "
                                    "contiguous copy's result")
                    break
    return failures


def main(argv: list[str]) -> None:
    name = argv[0]
    print(json.dumps({"case": name, "failures": run_case(name)}))


if __name__ == "__main__":
    main(sys.argv[1:])
