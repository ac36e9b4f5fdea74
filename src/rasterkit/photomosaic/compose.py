"""Streamed composition: the mosaic as a lazy libvips image, written by a streaming saver.

How the picture is made (all inside libvips, so it runs on every core and in bounded memory):

1. The tiles become one lookup table: entry ``tile * size + dy`` holds row ``dy`` of ``tile``
   (``size * 3`` bytes, read as 32-, 16- or 8-bit samples, the widest that divides a row, so
   libvips copies whole words).
2. The index image (one tile number per cell, ``rows x cols``) is enlarged ``size`` times
   vertically by pixel replication (``zoom``) and the row-in-tile ``dy`` is added, so each of its
   pixels names one tile row.
3. ``maplut`` fetches that row for every pixel: ``cols`` pixels of ``size * 3`` bytes per output
   row, which ``bandunfold`` reinterprets as ``cols * size`` RGB pixels: the output row.

Nothing is per tile: the cost does not grow with the number of tiles (no chain of
``ifthenelse``, no nested ``case``), and a saver pulling strips of output rows makes libvips
compute only those, so memory stays about (output width x a few tile heights x 3) bytes
whatever the height. Optional colour correction adds a per-cell offset (``zoom``-ed) with
clipping.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import BadInputError, OutputError
from ..io import (
    atomic_output,
    check_output,
    is_inside,
    libvips_reason,
    same_file,
    save_suffixes,
    temporary_folder_beside,
    wrap_memory,
    write_failure,
    write_vips,
)

if TYPE_CHECKING:
    import pyvips

#: Output formats a mosaic can be written as (suffix -> largest side the format allows).
MAX_SIDE = {".jpg": 65535, ".jpeg": 65535, ".jpe": 65535, ".jfif": 65535, ".png": 2**31 - 1,
            ".webp": 16383, ".tif": 2**31 - 1, ".tiff": 2**31 - 1, ".dz": 2**31 - 1,
            ".szi": 2**31 - 1, ".v": 2**31 - 1, ".vips": 2**31 - 1, ".gif": 65535,
            ".heic": 16384, ".heif": 16384, ".avif": 16384}
#: Uncompressed size from which TIFF output is written as BigTIFF (classic TIFF stops at 4 GiB).
BIGTIFF_BYTES = 3 << 30
_WORD_FORMATS = ((16, "dpcomplex"), (8, "double"), (4, "uint"), (2, "ushort"), (1, "uchar"))


def mosaic_suffixes() -> set[str]:
    """Output file endings accepted for a mosaic (those libvips can write among MAX_SIDE)."""
    return set(MAX_SIDE) & save_suffixes()


def mosaic_image(indices: np.ndarray, tiles: np.ndarray, offsets: np.ndarray | None = None,
                 *, for_saver: bool = False) -> pyvips.Image:
    """The mosaic as a lazy 8-bit sRGB ``pyvips.Image`` (nothing is computed yet).

    Parameters
    ----------
    indices : ``(rows, cols)`` integer array
        Tile number of each cell, ``0 <= index < K``.
    tiles : ``(K, size, size, 3)`` uint8
        The tiles.
    offsets : ``(rows, cols, 3)`` int16 or None
        Added to every pixel of the cell's tile (then clipped to 0..255): colour correction.
    for_saver : bool
        The image will only be written by a libvips saver (which reads full-width strips):
        leave out the line cache that makes any other access pattern correct (see the code).

    Returns
    -------
    pyvips.Image
        ``cols * size`` wide, ``rows * size`` high, 3 bands; cell ``(r, c)`` is the block of
        rows ``r*size:(r+1)*size`` and columns ``c*size:(c+1)*size``.
    """
    import pyvips

    rows, cols = indices.shape
    k, size = tiles.shape[0], tiles.shape[1]
    if tiles.shape != (k, size, size, 3) or tiles.dtype != np.uint8:
        raise BadInputError(f"tiles must be a (K, size, size, 3) uint8 array, not "
                            f"{tiles.shape} {tiles.dtype}")
    if indices.size and (indices.min() < 0 or indices.max() >= k):
        raise BadInputError(f"tile indices must lie in 0..{k - 1}")
    row_bytes = size * 3
    word, fmt = next((w, f) for w, f in _WORD_FORMATS if row_bytes % w == 0)
    table = np.ascontiguousarray(tiles).reshape(1, k * size, row_bytes)
    lut = wrap_memory(table, k * size, 1, row_bytes // word, fmt)
    first_rows = np.ascontiguousarray(indices, dtype=np.uint32) * np.uint32(size)
    cells = wrap_memory(first_rows, cols, rows, 1, "uint")
    # Row in tile = y % size. (Built with xyz, not replicate: replicate would make libvips
    # compute the pipeline in small tiles, which bandunfold gets wrong; see below.)
    within = pyvips.Image.xyz(cols, rows * size)[1] % size
    row_ids = (cells.zoom(1, size) + within).cast("uint")
    looked_up = row_ids.maplut(lut)
    if word != 1:
        looked_up = looked_up.copy(format="uchar", bands=row_bytes)
    image = looked_up.bandunfold(factor=size)
    if not for_saver:
        # libvips' bandunfold (8.18) returns wrong pixels for a region whose left edge is not
        # a multiple of the factor. This pipeline is strip-shaped, so savers ask for
        # full-width strips (left = 0; tests write odd tile sizes to PNG, JPEG and tiled TIFF);
        # for any other use a line cache turns each request into full-width lines (~15%
        # slower).
        image = image.linecache(tile_height=size, access="random", threaded=True)
    if offsets is not None:
        shift = np.ascontiguousarray(offsets, dtype=np.int16)
        shift_image = wrap_memory(shift, cols, rows, 3, "short")
        image = (image.cast("short") + shift_image.zoom(size, size)).cast("uchar")
    return image.copy(interpretation="srgb")


def save_options(path: Path, width: int, height: int, quality: int | None,
                 compression: str | None) -> dict[str, Any]:
    """libvips saver options for a mosaic written to ``path``."""
    suffix = path.suffix.lower()
    options: dict[str, Any] = {}
    if quality is not None:
        if suffix in (".png", ".dz", ".szi", ".v", ".vips", ".tif", ".tiff") and \
                not (suffix in (".tif", ".tiff") and compression in ("jpeg", "webp")):
            raise BadInputError(f"{path}: --quality applies to JPEG, WebP, HEIF/AVIF, GIF or "
                                f"jpeg/webp-compressed TIFF, not {suffix}")
        if not 1 <= int(quality) <= 100:
            raise BadInputError(f"--quality must be between 1 and 100, not {quality}")
        options["Q"] = int(quality)
    if suffix in (".tif", ".tiff"):
        options.update(tile=True, tile_width=256, tile_height=256)
        options["compression"] = compression or "none"
        if width * height * 3 >= BIGTIFF_BYTES:
            options["bigtiff"] = True
    elif compression is not None:
        raise BadInputError(f"{path}: --compression applies to TIFF output only")
    return options


def check_mosaic_output(path: str | os.PathLike[str], inputs: Iterable[Any] = ()) -> Path:
    """Validate the output path before any work (see :func:`rasterkit.io.check_output`); for
    ``.dz`` also the descriptor and tile folder it becomes (:func:`check_deepzoom_output`)."""
    inputs = list(inputs)
    out = check_output(path, inputs, suffixes=mosaic_suffixes())
    if out.suffix.lower() == ".dz":
        check_deepzoom_output(out, inputs)
    return out


def check_deepzoom_output(out: Path, inputs: Iterable[Any] = ()) -> None:
    """Refuse a DeepZoom output whose ``.dzi`` would replace an input, whose ``_files`` folder
    holds an input, or whose ``_files`` folder exists and was not made by rasterkit (it is
    replaced as a whole)."""
    dzi, files = deepzoom_paths(out)
    if dzi.is_dir():
        raise OutputError(f"{out}: {dzi} is a folder")
    for source in inputs:
        if not isinstance(source, str | os.PathLike):
            continue
        if same_file(dzi, source):
            raise OutputError(f"{out}: its descriptor {dzi} would overwrite the input "
                              f"{os.fspath(source)}")
        if is_inside(source, files):
            raise OutputError(f"{out}: its tile folder {files} holds the input "
                              f"{os.fspath(source)}")
    if files.is_symlink() or (files.exists() and not (files / DEEPZOOM_MARKER).is_file()):
        raise OutputError(f"{out}: {files} exists and was not made by rasterkit; move it away "
                          "or choose another name")


def check_side(path: Path, width: int, height: int) -> None:
    """Refuse a format that cannot hold a ``width x height`` image, naming one that can."""
    limit = MAX_SIDE[path.suffix.lower()]
    if max(width, height) > limit:
        raise OutputError(f"{path}: {path.suffix} images are limited to {limit:,} px per side "
                          f"and this mosaic is {width:,} x {height:,}; write .tif (BigTIFF), "
                          f".png or .dz instead")


def write_image(image: pyvips.Image, path: Path, *, options: dict[str, Any],
                progress: Callable[[int], None] | None = None) -> Path:
    """Stream ``image`` to ``path`` atomically; ``progress`` gets output rows done.

    Returns the main file written (for ``.dz``: the ``.dzi`` beside its ``_files`` folder).
    """
    import pyvips

    if progress is not None:
        done = [0]

        def on_eval(_image: Any, state: Any) -> None:
            rows = int(state.npels) // max(image.width, 1)
            if rows > done[0]:
                progress(rows - done[0])
                done[0] = rows

        image.set_progress(True)
        image.signal_connect("eval", on_eval)
    try:
        if path.suffix.lower() == ".dz":
            return _write_deepzoom(image, path, options)
        with atomic_output(path) as tmp:
            write_vips(image, tmp, path, **options)
        return path
    except pyvips.Error as error:
        raise OutputError(f"{path}: cannot write (libvips: {libvips_reason(error)})") from None


#: File rasterkit leaves in the ``_files`` folder of a DeepZoom pyramid it wrote, so that a
#: later run replaces its own pyramid and never a user's folder.
DEEPZOOM_MARKER = ".rasterkit-deepzoom"


def deepzoom_paths(path: Path) -> tuple[Path, Path]:
    """What ``x.dz`` becomes: ``x.dzi`` (the descriptor) and ``x_files/`` (the tiles)."""
    return path.with_suffix(".dzi"), path.with_name(f"{path.stem}_files")


def _write_deepzoom(image: pyvips.Image, path: Path, options: dict[str, Any]) -> Path:
    """Write a DeepZoom pyramid into a temporary folder beside ``path``, then move the
    descriptor and the tile folder into place (replacing older ones only on success)."""
    dzi, files = deepzoom_paths(path)
    staging = temporary_folder_beside(path)
    try:
        write_vips(image, staging / path.name, path, **options)  # reason read while full
        new_dzi, new_files = deepzoom_paths(staging / path.name)
        (new_files / DEEPZOOM_MARKER).touch()
        if files.exists():
            old = staging / "old_files"
            files.rename(old)
        new_files.rename(files)
        os.replace(new_dzi, dzi)
    except OSError as error:
        raise write_failure(path, error) from None
    finally:
        with contextlib.suppress(OSError):
            shutil.rmtree(staging)
    return dzi
