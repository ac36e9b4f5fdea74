"""Photomosaics: every pixel of a main image becomes a small image (a tile), streamed to any size.

    >>> import rasterkit
    >>> r = rasterkit.mosaic("tiles/", "main.jpg", "out.jpg", tile_size=16)   # doctest: +SKIP
    >>> r = rasterkit.mosaic(None, "main.png", "out.tif", palette="palette.toml")  # doctest: +SKIP
    >>> print(r.summary_line())                                                # doctest: +SKIP

Two modes:

* **auto**: each tile's average colour is measured and each pixel gets the tile whose average is
  nearest in OKLab (or CIELAB), exactly (:mod:`.match`), optionally under a use cap and a
  minimum distance between repeats, optionally colour-corrected toward the pixel's colour.
* **palette**: a TOML file says which tile replaces which colour (:mod:`.palette`); no
  approximation.

Pipeline: :func:`tiles.load_tiles` -> :func:`match.match` or :func:`palette.palette_indices` ->
:func:`compose.mosaic_image` (a lazy libvips image) -> a streaming libvips saver (JPEG, PNG,
TIFF/BigTIFF, WebP, DeepZoom ...): memory stays bounded by the output's width times a few tile
rows, whatever its height. :mod:`.manifest` writes which tile went where.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._lazy import attach
from ..errors import BadInputError, OutputError
from ..io import DEFAULT_MAX_PIXELS, is_inside

#: Largest mosaic made unless told otherwise, in pixels (16 Gpx).
DEFAULT_MAX_OUTPUT_PIXELS = 16_000_000_000

if TYPE_CHECKING:
    import numpy as np

    from .palette import Palette
    from .result import MosaicResult
    from .tiles import TileSet

__getattr__, __dir__ = attach(__name__, {
    "MosaicResult": ".result", "TileSet": ".tiles", "load_tiles": ".tiles",
    "find_tile_files": ".tiles", "Palette": ".palette", "read_palette": ".palette",
    "match": ".match", "MatchResult": ".match", "mosaic_image": ".compose",
    "write_manifest": ".manifest"})

__all__ = ["MatchResult", "MosaicResult", "Palette", "TileSet", "find_tile_files", "load_tiles",
           "match", "mosaic", "mosaic_image", "read_palette", "write_manifest"]


Progress = Callable[[int], None]


def mosaic(tiles: Any, main: Any, output: str | os.PathLike[str] | None = None, *,
           tile_size: int | None = None, fit: str = "crop",
           palette: str | os.PathLike[str] | Palette | None = None, fallback: str = "error",
           space: str = "oklab", columns: int | None = None, max_uses: int | None = None,
           min_distance: int = 0, blend: float = 0.0, seed: int = 0,
           background: str = "#ffffff", manifest: str | os.PathLike[str] | None = None,
           quality: int | None = None, compression: str | None = None,
           skip_unreadable: bool = False, tile_cache: bool | str | os.PathLike[str] = True,
           max_pixels: int | None = DEFAULT_MAX_PIXELS,
           max_output_pixels: int | None = DEFAULT_MAX_OUTPUT_PIXELS,
           progress: Progress | None = None,
           on_total: Callable[[int, str], None] | None = None) -> MosaicResult:
    """Make a photomosaic of ``main``: each of its pixels is replaced by a tile.

    Parameters
    ----------
    tiles : folder, list of image paths, :class:`TileSet`, or None
        Auto mode: the tile images (a folder is searched recursively). Palette mode: not
        needed (None); a folder given is only protected (the output may not go inside it).
    main : path, numpy array ``(H, W[, bands])`` or pyvips.Image
        The picture to rebuild. Alpha is flattened onto ``background``; any colour format is
        brought to 8-bit sRGB.
    output : path or None
        Where to write: ``.jpg`` (up to 65,535 px per side), ``.png``, ``.tif`` (tiled, BigTIFF
        when over 3 GiB uncompressed), ``.webp``, ``.dz`` (a DeepZoom pyramid: ``.dzi`` +
        ``_files/``), ``.szi``, ``.v``... None: nothing is written; ``result.image`` holds the
        lazy mosaic.
    tile_size : int or None, pixels
        Side of each (square) tile in the output. None: the tiles' own side when all are the
        same square size, else 16.
    fit : "crop" or "force"
        How a non-square tile image becomes square: centre crop (default) or squeeze.
    palette : path to a TOML palette, a :class:`Palette`, or None
        Palette mode: ``"#rrggbb" = "tile.png"`` lines, paths relative to the palette file.
    fallback : "error" or "nearest"
        Palette mode: a pixel colour not in the palette is an error (default) or drawn with
        the tile of the nearest palette colour.
    space : "oklab" or "lab"
        Colour space whose Euclidean distance picks the nearest tile.
    columns : int or None
        Resize the main image to this many columns (rows keep the aspect ratio) before
        matching; palette mode resizes by nearest neighbour so no new colour appears.
    max_uses : int or None
        Auto mode: use no tile more than this many times.
    min_distance : int, cells
        Auto mode: do not repeat a tile within this Chebyshev distance (1 = not next to itself).
    blend : float in [0, 1]
        Auto mode colour correction: shift each tile's pixels by ``blend`` times the difference
        between the cell's colour and the tile's mean colour (1: the block's mean equals the
        pixel's colour, up to clipping; texture is kept).
    seed : int
        Order of the greedy pass under ``max_uses``/``min_distance``.
    background : "#rrggbb"
        Colour transparent pixels (of tiles and main image) are flattened onto.
    manifest : path or None
        Also write which tile went where: ``.json`` or ``.csv`` (see :mod:`.manifest`).
    quality : int or None
        JPEG/WebP/HEIF quality (libvips default 75).
    compression : str or None
        TIFF compression: none (default), lzw, deflate, zstd, jpeg, webp.
    skip_unreadable : bool
        Skip tile files that cannot be decoded instead of failing.
    tile_cache : bool or folder
        Keep prepared tiles in a cache (default ``~/.cache/rasterkit``; see
        :mod:`.tiles`) so the next run with the same tile files skips decoding them.
    max_pixels : int or None
        Refuse a main image or tile file larger than this, and a ``columns`` that would make
        the main image larger.
    max_output_pixels : int or None
        Refuse a mosaic larger than this many pixels (default 16 Gpx, e.g. 128k x 128k: the
        output is streamed, but a mistyped ``columns`` should not run for hours); None: no
        limit.
    progress, on_total : callables or None
        ``on_total(units, label)`` announces a phase ("tiles": files, "mosaic": output rows);
        ``progress(units)`` reports units done in it.

    Returns
    -------
    MosaicResult
        Sizes, tile use, colour error, the index grid and the lazy image; ``to_dict()`` is the
        JSON of ``rasterkit mosaic --json``.

    Raises
    ------
    rasterkit.errors.BadInputError
        Empty or missing tile folder, unreadable tile, unknown palette colour, bad options.
    rasterkit.errors.OutputError
        Output inside the tile folder, over an input, unknown format, too large for the format.

    Example
    -------
    >>> import numpy as np
    >>> from rasterkit.photomosaic import TileSet
    >>> tiles = TileSet.from_arrays(np.stack([np.zeros((4, 4, 3), np.uint8),
    ...                                       np.full((4, 4, 3), 255, np.uint8)]))
    >>> main = np.array([[[20, 20, 20], [240, 240, 240]]], np.uint8)
    >>> r = mosaic(tiles, main)
    >>> r.indices.tolist(), (r.width, r.height)
    ([[0, 1]], (8, 4))
    """
    import numpy as np

    from .colour import parse_hex
    from .compose import check_side, mosaic_image, save_options, write_image
    from .manifest import write_manifest
    from .palette import Palette as PaletteType
    from .palette import read_palette
    from .result import MosaicResult
    from .tiles import TileSet as TileSetType

    start = time.perf_counter()
    _check_options(blend=blend, columns=columns, palette=palette, max_uses=max_uses,
                   min_distance=min_distance, tiles=tiles)
    back = parse_hex(background)
    pal = palette if isinstance(palette, PaletteType) or palette is None else \
        read_palette(palette)
    tile_paths = [] if isinstance(tiles, TileSetType) or pal is not None else \
        _tile_inputs(tiles)
    out, manifest_path = _check_outputs(output, manifest, main, tiles, tile_paths, pal,
                                        quality, compression)
    rgb = _read_main(main, back, columns, nearest=pal is not None, max_pixels=max_pixels)
    if tile_size is not None:  # else known once the tiles are read
        check_output_size(rgb.shape[1], rgb.shape[0], tile_size, max_output_pixels)

    def phase(units: int, label: str) -> None:
        if on_total is not None:
            on_total(units, label)

    load = {"fit": fit, "background": back, "max_pixels": max_pixels, "cache": tile_cache,
            "progress": progress}
    if pal is not None:
        cells = _palette_cells(rgb, pal, tile_size, load, fallback, space, main, phase)
    else:
        if isinstance(tiles, TileSetType):
            tileset = tiles
        else:
            phase(len(tile_paths), "tiles")
            from .tiles import load_tiles

            tileset = load_tiles(tile_paths, tile_size, skip_unreadable=skip_unreadable,
                                 **load)
        cells = _auto_cells(rgb, tileset, space, max_uses, min_distance, seed)
    tileset, indices = cells.tiles, cells.indices
    rows, cols = indices.shape
    size = tileset.size
    check_output_size(cols, rows, size, max_output_pixels)
    width, height = cols * size, rows * size
    offsets = None
    if blend > 0:
        offsets = np.rint(blend * (rgb - tileset.mean_rgb[indices])).astype(np.int16)
    written = None
    if out is not None:
        check_side(out, width, height)
        options = save_options(out, width, height, quality, compression)
        phase(height, "mosaic")
        streamed = mosaic_image(indices, tileset.pixels, offsets, for_saver=True)
        written = write_image(streamed, out, options=options, progress=progress)
    if manifest_path is not None:
        write_manifest(manifest_path, indices, tileset.paths, cells.colours, size)
    uses = np.bincount(indices.ravel(), minlength=len(tileset))
    return MosaicResult(
        output=None if written is None else os.fspath(written),
        mode="auto" if pal is None else "palette", width=width, height=height, columns=cols,
        rows=rows, tile_size=size, tiles=len(tileset), tiles_used=int(np.count_nonzero(uses)),
        most_uses=int(uses.max()), space=cells.space, mean_distance=cells.mean_distance,
        max_distance=cells.max_distance, repeat_conflicts=cells.repeat_conflicts,
        fallback_pixels=cells.fallback_pixels, skipped_tiles=list(tileset.skipped),
        manifest=None if manifest_path is None else os.fspath(manifest_path),
        seconds=time.perf_counter() - start, indices=indices, tile_paths=list(tileset.paths),
        image=mosaic_image(indices, tileset.pixels, offsets))


@dataclasses.dataclass(frozen=True)
class _Cells:
    """Which tile each cell gets, and how well it fits."""

    tiles: TileSet
    indices: np.ndarray
    colours: list[str]  # per tile, for the manifest
    space: str | None
    mean_distance: float | None = None
    max_distance: float | None = None
    repeat_conflicts: int = 0
    fallback_pixels: int = 0


def _auto_cells(rgb: np.ndarray, tileset: TileSet, space: str, max_uses: int | None,
                min_distance: int, seed: int) -> _Cells:
    from .colour import to_hex
    from .match import match as match_cells

    matched = match_cells(rgb, tileset.colours(space), space, max_uses=max_uses,
                          min_distance=min_distance, seed=seed)
    return _Cells(tileset, matched.indices, [to_hex(c) for c in tileset.mean_rgb.round()],
                  space, float(matched.distances.mean()), float(matched.distances.max()),
                  matched.repeat_conflicts)


def _palette_cells(rgb: np.ndarray, pal: Palette, tile_size: int | None, load: dict[str, Any],
                   fallback: str, space: str, main: Any,
                   phase: Callable[[int, str], None]) -> _Cells:
    import numpy as np

    from ..io import source_name
    from .palette import palette_indices
    from .tiles import load_tiles

    unique = list(dict.fromkeys(pal.tiles))  # a tile may serve several colours
    phase(len(unique), "tiles")
    tileset = load_tiles(unique, tile_size, **load)
    entry_tile = np.array([unique.index(p) for p in pal.tiles], np.int32)
    entries, fallback_pixels = palette_indices(rgb, pal, fallback=fallback, space=space,
                                               image_name=source_name(main))
    colours = [""] * len(tileset)
    for entry, tile in enumerate(entry_tile):
        colours[tile] = colours[tile] or pal.hex(entry)
    return _Cells(tileset, entry_tile[entries], colours, space if fallback_pixels else None,
                  fallback_pixels=fallback_pixels)


def _check_outputs(output: Any, manifest: Any, main: Any, tiles: Any, tile_paths: list[Path],
                   pal: Palette | None, quality: int | None,
                   compression: str | None) -> tuple[Path | None, Path | None]:
    """Validate the output and manifest paths and the saver options before any work."""
    from ..errors import OutputError
    from ..io import is_inside
    from .compose import check_mosaic_output, deepzoom_paths, save_options
    from .manifest import check_manifest_path

    out = None
    if output is not None:
        # Tiles of a folder cannot be the output: it may not be inside the folder at all.
        listed = [tiles] if isinstance(tiles, str | os.PathLike) else tile_paths
        out = check_mosaic_output(output, [main, *(pal.tiles if pal else listed)])
        _refuse_inside_tile_folder(out, tiles)
        save_options(out, 0, 0, quality, compression)
    manifest_path = None
    if manifest is not None:
        outputs = [] if out is None else [out, *_deepzoom_files(out)]
        manifest_path = check_manifest_path(
            manifest, [main, *outputs, *(pal.tiles if pal else tile_paths)])
        if out is not None and out.suffix.lower() == ".dz" and \
                is_inside(manifest_path, deepzoom_paths(out)[1]):
            raise OutputError(f"{manifest_path}: the manifest cannot go inside the DeepZoom "
                              f"tile folder {deepzoom_paths(out)[1]}")
    return out, manifest_path


def _deepzoom_files(out: Path) -> list[Path]:
    """The descriptor a ``.dz`` output becomes (the manifest must not take its name)."""
    from .compose import deepzoom_paths

    return [deepzoom_paths(out)[0]] if out.suffix.lower() == ".dz" else []


def check_output_size(columns: int, rows: int, tile_size: int, limit: int | None) -> None:
    """Refuse a mosaic of more than ``limit`` pixels (``columns x rows`` cells of
    ``tile_size`` px) before any tile is placed (None: no limit)."""
    from ..errors import LimitError

    width, height = columns * tile_size, rows * tile_size
    if limit is not None and width * height > limit:
        raise LimitError(f"the mosaic would be {width:,} x {height:,} = "
                         f"{width * height / 1e9:.1f} Gpx, over the output limit of "
                         f"{limit / 1e9:.1f} Gpx (fewer --columns, a smaller --tile-size, or "
                         "raise --max-output-pixels / max_output_pixels=)")


def _read_main(main: Any, background: tuple[int, int, int], columns: int | None, *,
               nearest: bool, max_pixels: int | None) -> np.ndarray:
    """The main image as ``(rows, cols, 3)`` uint8 sRGB, resized to ``columns`` (nearest
    neighbour when ``nearest``, so no new colour appears)."""
    from ..io import check_pixel_limit, open_image, source_name, vips_to_array
    from .tiles import to_srgb8

    image = to_srgb8(open_image(main, max_pixels=max_pixels), background)
    if columns is not None and columns != image.width:
        rows = max(1, round(image.height * columns / image.width))
        check_pixel_limit(f"{source_name(main)} at {columns:,} columns", columns, rows,
                          max_pixels)
        image = image.resize(columns / image.width, kernel="nearest" if nearest else "lanczos3")
    return vips_to_array(image, source_name(main))


def _check_options(*, blend: float, columns: int | None, palette: Any, max_uses: int | None,
                   min_distance: int, tiles: Any) -> None:
    if not 0 <= blend <= 1:
        raise BadInputError(f"blend must be between 0 and 1, not {blend}")
    if columns is not None and columns < 1:
        raise BadInputError(f"columns must be at least 1, not {columns}")
    if palette is not None and (max_uses is not None or min_distance or blend):
        raise BadInputError("max_uses, min_distance and blend apply to automatic matching, "
                            "not to a palette")
    if palette is None and tiles is None:
        raise BadInputError("give a tile folder (automatic mode) or a palette")


def _tile_inputs(tiles: Any) -> list[Path]:
    """The tile files of a folder or a list (the folder is searched once, here)."""
    from .tiles import find_tile_files

    if isinstance(tiles, str | os.PathLike):
        return find_tile_files(tiles)
    return [Path(p) for p in tiles]


def _refuse_inside_tile_folder(out: Path, tiles: Any) -> None:
    if not isinstance(tiles, str | os.PathLike):
        return
    if is_inside(out, tiles):
        raise OutputError(f"{out}: output is inside the tile folder {os.fspath(tiles)} (it "
                          "would become a tile of the next run); write it elsewhere")

