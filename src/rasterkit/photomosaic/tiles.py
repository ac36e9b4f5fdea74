"""Tiles: find them, bring each to ``size x size`` 8-bit sRGB, and measure its average colour.

* **Finding**: every file under the folder, recursively, whose name ends with an image suffix
  (:data:`rasterkit.suffixes.TILE_SUFFIXES`); hidden files and folders (name starting with
  ``.``) are skipped. Files are sorted by path, so tile numbers are stable.
* **Fitting** (``fit``): ``"crop"`` scales the image so its shorter side is ``size`` and keeps
  the centre square (nothing is distorted); ``"force"`` squeezes the whole image into the square
  (nothing is cut off). Both use libvips' ``thumbnail`` (shrink-on-load for JPEG/WebP, then a
  Lanczos-3 resize in sRGB).
* **Pixels**: converted to 8-bit sRGB (grey, 16-bit and CMYK images too); an alpha channel is
  flattened onto ``background`` (white by default).
* **Average colour**: the mean in *linear light* of the tile's pixels (what the eye sees from
  afar), converted to the matching space (OKLab or CIELAB), plus the plain mean of the 8-bit
  values (used by colour correction).
* **Cache**: decoding costs libvips about 2-3 ms per file whatever its size, so 1,000 tiles
  take seconds. Prepared tiles are therefore kept in a cache folder (``$RASTERKIT_CACHE``, else
  ``$XDG_CACHE_HOME/rasterkit``, else ``~/.cache/rasterkit``), one ``.npz`` per tile set, keyed
  by the tile size, fit, background and every file's path, size and modification time: any
  change to the folder makes a new entry. ``cache=False`` turns it off.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import BadInputError, LimitError
from ..io import (
    DEFAULT_MAX_PIXELS,
    check_pixel_limit,
    libvips_reason,
    load_file,
    page_count,
    thumbnail_file,
)
from ..suffixes import TILE_SUFFIXES
from .colour import Space, get_space, linear_to_space, srgb_to_linear_table

FITS = ("crop", "force")
#: Tile size used when tiles differ in size and none is given.
DEFAULT_TILE_SIZE = 16


@dataclasses.dataclass(frozen=True)
class TileSet:
    """Tiles ready to compose and match.

    Attributes
    ----------
    pixels : ``(K, size, size, 3)`` uint8
        The tiles, 8-bit sRGB.
    paths : list of str
        Where each tile came from (as found; ``"<array>"`` for arrays).
    mean_rgb : ``(K, 3)`` float64
        Mean 8-bit sRGB value of each tile (0..255).
    mean_linear : ``(K, 3)`` float64
        Mean linear-light RGB of each tile (0..1).
    skipped : list of str
        Files left out because they could not be read (only with ``skip_unreadable``).
    """

    pixels: np.ndarray
    paths: list[str]
    mean_rgb: np.ndarray
    mean_linear: np.ndarray
    skipped: list[str] = dataclasses.field(default_factory=list)

    @property
    def size(self) -> int:
        """Tile side in pixels."""
        return int(self.pixels.shape[1])

    def __len__(self) -> int:
        return int(self.pixels.shape[0])

    def colours(self, space: Space | str = "oklab") -> np.ndarray:
        """Average colours ``(K, 3)`` in ``space`` (from the linear-light means)."""
        space = get_space(space) if isinstance(space, str) else space
        return linear_to_space(self.mean_linear, space)

    @classmethod
    def from_arrays(cls, pixels: np.ndarray, paths: Sequence[str] | None = None) -> TileSet:
        """A tile set from ``(K, size, size, 3)`` uint8 sRGB arrays."""
        pixels = np.ascontiguousarray(pixels, dtype=np.uint8)
        if pixels.ndim != 4 or pixels.shape[3] != 3 or pixels.shape[1] != pixels.shape[2] \
                or 0 in pixels.shape:
            raise BadInputError(f"tiles must be a (K, size, size, 3) array, not {pixels.shape}")
        names = list(paths) if paths is not None else ["<array>"] * len(pixels)
        flat = pixels.reshape(len(pixels), -1, 3)
        mean_rgb = flat.mean(axis=1)
        lut = srgb_to_linear_table()
        mean_linear = np.empty((len(pixels), 3))
        for start in range(0, len(pixels), 256):  # bounded float64 temporaries
            mean_linear[start:start + 256] = lut[flat[start:start + 256]].mean(axis=1)
        return cls(pixels, names, mean_rgb, mean_linear)


def find_tile_files(folder: str | os.PathLike[str]) -> list[Path]:
    """Image files under ``folder`` (recursive, sorted, hidden entries skipped)."""
    root = Path(folder)
    if not root.exists():
        raise BadInputError(f"{root}: no such tile folder")
    if not root.is_dir():
        raise BadInputError(f"{root}: not a folder (give the folder of tile images)")
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            if not name.startswith(".") and Path(name).suffix.lower() in TILE_SUFFIXES:
                found.append(Path(dirpath) / name)
    if not found:
        raise BadInputError(f"{root}: no tile images in this folder (looked for "
                            f"{', '.join(sorted(TILE_SUFFIXES))}, recursively)")
    return sorted(found)


def to_srgb8(image: Any, background: tuple[int, int, int]) -> Any:
    """A libvips image as 3-band 8-bit sRGB, alpha flattened onto ``background``."""
    if image.format == "uchar" and image.bands in (1, 2, 3, 4) and \
            image.interpretation in ("srgb", "b-w", "multiband", "rgb"):
        pass  # already 8-bit grey or RGB (arrays come in as "multiband")
    else:
        image = image.colourspace("srgb")
    if image.bands in (2, 4):
        image = image.flatten(background=list(background))
    if image.format != "uchar":
        image = image.cast("uchar")
    if image.bands == 1:
        image = image.bandjoin([image, image])
    elif image.bands > 3:
        image = image.extract_band(0, n=3)
    return image.copy(interpretation="srgb")


def _load_one(path: Path, size: int, fit: str, background: tuple[int, int, int],
              max_pixels: int | None) -> np.ndarray:
    import pyvips

    name = os.fspath(path)
    try:
        header = load_file(name, fail_on="error")
        check_pixel_limit(name, header.width, header.height, max_pixels)
        if page_count(header) > 1:
            raise BadInputError(f"{name}: an animation or multi-page file ({page_count(header)} "
                                "frames) is not a tile; save the frame you want as an image, "
                                "or leave such files out with --skip-unreadable")
        options = {"crop": "centre"} if fit == "crop" else {"size": "force"}
        thumb = thumbnail_file(name, size, height=size, fail_on="error", **options)
        thumb = to_srgb8(thumb, background)
        data = thumb.write_to_memory()
    except pyvips.Error as error:
        raise BadInputError(f"{name}: unreadable tile (libvips: {libvips_reason(error)})") \
            from None
    if thumb.width != size or thumb.height != size:  # pragma: no cover - libvips rounding
        raise BadInputError(f"{name}: tile came out {thumb.width} x {thumb.height}, not {size}")
    return np.frombuffer(data, np.uint8).reshape(size, size, 3)


def common_size(paths: Sequence[Path]) -> int | None:
    """The side shared by all ``paths`` when every one is the same square size, else None
    (headers only; unreadable files are reported later, by the loader)."""
    import pyvips

    sizes = set()
    for path in paths:
        try:
            image = load_file(path)
        except pyvips.Error:
            return None
        sizes.add((image.width, image.height))
        if len(sizes) > 1:
            return None
    (width, height), = sizes
    return width if width == height else None


def load_tiles(source: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
               size: int | None = None, *, fit: str = "crop",
               background: tuple[int, int, int] = (255, 255, 255),
               skip_unreadable: bool = False, max_pixels: int | None = DEFAULT_MAX_PIXELS,
               threads: int | None = None, cache: bool | str | os.PathLike[str] = True,
               progress: Callable[[int], None] | None = None) -> TileSet:
    """Load tiles from a folder (recursively) or a list of files.

    Parameters
    ----------
    source : folder or list of image paths
    size : int or None, pixels
        Tile side. None: the files' own side when they are all the same square size, else
        :data:`DEFAULT_TILE_SIZE` (16).
    fit : "crop" or "force"
        Centre crop to a square (default) or squeeze the whole image (see the module notes).
    background : RGB triple
        Colour that transparent pixels are flattened onto.
    skip_unreadable : bool
        Leave out files that cannot be decoded (listed in ``TileSet.skipped``) instead of
        failing.
    max_pixels : int or None
        Refuse tile files with more pixels than this.
    threads : int or None
        Decoding threads (default: the number of CPUs).
    cache : bool or folder
        Reuse tiles prepared by an earlier call with the same files and options (see the
        module notes); a folder path puts the cache there; False decodes every time.
    progress : callable or None
        Called with 1 after each file (all at once when the tiles come from the cache).

    Returns
    -------
    TileSet

    Raises
    ------
    BadInputError
        No such folder, no images in it, an unreadable tile (unless skipped), bad size/fit.
    """
    if fit not in FITS:
        raise BadInputError(f"fit must be one of {', '.join(FITS)}, not {fit!r}")
    if isinstance(source, str | os.PathLike):
        paths = find_tile_files(source)
    else:
        paths = [Path(p) for p in source]
        if not paths:
            raise BadInputError("no tile images given")
        for path in paths:
            if not path.is_file():
                raise BadInputError(f"{path}: no such tile file")
    if size is None:
        size = common_size(paths) or DEFAULT_TILE_SIZE
    if not isinstance(size, int | np.integer) or size < 1:
        raise BadInputError(f"tile size must be a positive number of pixels, not {size!r}")
    size = int(size)
    cache_file = _cache_file(cache, paths, size, fit, background, skip_unreadable)
    cached = _read_cache(cache_file)
    if cached is not None:
        if progress is not None:
            progress(len(paths))
        return cached
    tiles = _decode_all(paths, size, fit, background, skip_unreadable, max_pixels, threads,
                        progress, source)
    _write_cache(cache_file, tiles)
    return tiles


def _decode_all(paths: list[Path], size: int, fit: str, background: tuple[int, int, int],
                skip_unreadable: bool, max_pixels: int | None, threads: int | None,
                progress: Callable[[int], None] | None, source: Any) -> TileSet:
    k = len(paths)
    pixels = np.empty((k, size, size, 3), np.uint8)
    failed: list[tuple[int, str]] = []

    def one(i: int) -> None:
        try:
            pixels[i] = _load_one(paths[i], size, fit, background, max_pixels)
        except (BadInputError, LimitError) as error:
            if not skip_unreadable or isinstance(error, LimitError):
                raise
            failed.append((i, str(error)))
        if progress is not None:
            progress(1)

    workers = threads or os.cpu_count() or 1
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for future in [pool.submit(one, i) for i in range(k)]:
            future.result()
    keep = np.ones(k, bool)
    keep[[i for i, _ in failed]] = False
    if not keep.any():
        raise BadInputError(f"{source}: none of the {k} tile files could be read "
                            f"(first: {failed[0][1]})")
    tiles = TileSet.from_arrays(pixels[keep], [os.fspath(p) for p, ok in zip(paths, keep,
                                                                            strict=True) if ok])
    return dataclasses.replace(tiles, skipped=[os.fspath(paths[i]) for i, _ in sorted(failed)])


# --------------------------------------------------------------------------------- the cache

_CACHE_VERSION = 1


def cache_folder() -> Path:
    """Where prepared tile sets are kept (see the module notes)."""
    if os.environ.get("RASTERKIT_CACHE"):
        return Path(os.environ["RASTERKIT_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "rasterkit"


def _cache_file(cache: bool | str | os.PathLike[str], paths: Sequence[Path], size: int,
                fit: str, background: tuple[int, int, int], skip: bool) -> Path | None:
    if cache is False:
        return None
    files = []
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            return None  # reported by the loader
        files.append([os.path.abspath(path), stat.st_size, stat.st_mtime_ns])
    key = json.dumps([_CACHE_VERSION, size, fit, list(background), skip, files])
    folder = cache_folder() if cache is True else Path(cache)
    return folder / "tiles" / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.npz"


def _read_cache(file: Path | None) -> TileSet | None:
    if file is None or not file.is_file():
        return None
    try:
        with np.load(file, allow_pickle=False) as data:
            tiles = TileSet(data["pixels"], [str(p) for p in data["paths"]],
                            data["mean_rgb"], data["mean_linear"],
                            [str(p) for p in data["skipped"]])
    except (OSError, KeyError, ValueError):
        return None  # damaged or from another version: decode again
    return tiles


def _write_cache(file: Path | None, tiles: TileSet) -> None:
    if file is None:
        return
    with contextlib.suppress(OSError):  # a cache that cannot be written is no error
        file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tiles.", suffix=".npz", dir=file.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                np.savez(f, pixels=tiles.pixels, paths=np.array(tiles.paths, dtype=str),
                         mean_rgb=tiles.mean_rgb, mean_linear=tiles.mean_linear,
                         skipped=np.array(tiles.skipped, dtype=str))
            os.replace(tmp, file)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
