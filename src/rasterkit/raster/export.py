"""Bands as pictures: one image per band (:func:`split`) and RGB quick-looks (:func:`quicklook`).

* **PNG** images are 8-bit, stretched for viewing (percentiles, see
  :mod:`rasterkit.raster.stretch`) unless ``stretch=None``, which writes 8- and 16-bit
  integer bands with their values as stored.
* **TIFF** images keep the values and the type as stored (16-bit stays 16-bit, float stays
  float) unless a stretch is asked for. 64-bit float, 64-bit integer and complex bands are
  refused: libvips (so rasterkit itself) cannot read such TIFFs back.
* **NPY** files (numpy's format) keep any type exactly, in the machine's byte order: the way
  out for the types TIFF cannot carry here.
* A **quick-look** joins three stretched bands as red, green, blue (each band stretched on its
  own percentiles) and is written as JPEG (quality 90) or PNG after its suffix.

Bands are read lazily from the cube's memory map through libvips, which streams them: memory
stays bounded whatever the cube's size. For a BIP cube, where every band is spread over the
whole file, several wanted bands are first de-interleaved in one streaming pass into a BSQ
*staging* array: in memory up to ``memory_limit`` bytes, else in a temporary file in the output
folder that is deleted at the end.

Output names, formats and results: :mod:`.band_images` (no numpy; small cubes are split without
numpy by :mod:`.small_split`).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import BadInputError, OutputError
from ..io import OutputSet, atomic_outputs, check_output, wrap_memory
from ..suffixes import PICTURE_SUFFIXES as QUICKLOOK_SUFFIXES  # its old name here
from .band_images import (  # noqa: F401  (re-exported: first defined here)
    FORMATS,
    MAX_NAME_BYTES,
    BandImage,
    RgbImage,
    SplitResult,
    band_file_names,
    band_name,
    band_wavelength,
    parse_band_list,
    resolve_stretch,
    save_picture,
)
from .cube import MAX_VIPS_WIDTH, Cube, open_cube
from .deinterleave import default_threads
from .stretch import DEFAULT_PERCENTILES, percentile_range, stretch_array, stretch_vips

if TYPE_CHECKING:
    import pyvips

#: Wavelengths (nm) picked for red, green, blue when the header has no ``default bands``.
RGB_NANOMETRES = (640.0, 550.0, 460.0)


def default_rgb_bands(cube: Cube) -> tuple[int, int, int]:
    """Bands for a quick-look: the header's ``default bands``, else those nearest 640, 550 and
    460 nm, else 0, 1, 2 (a grey picture of band 0 for a one- or two-band cube)."""
    default = cube.header.default_bands
    if default and len(default) == 3 and all(0 <= b < cube.nbands for b in default):
        return default[0], default[1], default[2]
    waves = cube.wavelengths
    if waves and len(waves) == cube.nbands:
        units = (cube.header.wavelength_units or "").lower()
        scale = 1000.0 if units.startswith(("micro", "um", "µm")) or max(waves) < 100 else 1.0
        nm = np.asarray(waves) * scale
        picks = [int(np.argmin(np.abs(nm - target))) for target in RGB_NANOMETRES]
        return picks[0], picks[1], picks[2]
    if cube.nbands >= 3:
        return 0, 1, 2
    return 0, 0, 0


class BandSource:
    """Each wanted band as a 2-D array and a lazy libvips image, without reading twice.

    BSQ and BIL bands, and a single BIP band, come straight from the memory map; several BIP
    bands are de-interleaved once into a BSQ staging array (RAM up to ``memory_limit`` bytes,
    else a self-deleting temporary file in ``staging_dir``).
    """

    def __init__(self, cube: Cube, wanted: Sequence[int], *, memory_limit: int | None = None,
                 staging_dir: Path | None = None, threads: int | None = None,
                 progress: Callable[[int], None] | None = None) -> None:
        self.cube = cube
        self.order = sorted({int(b) for b in wanted})
        self.slot = {b: j for j, b in enumerate(self.order)}
        self.staged: np.ndarray | None = None
        if cube.interleave == "bip" and len(self.order) > 1:
            self.staged = self._stage(memory_limit, staging_dir, threads, progress)

    @staticmethod
    def staging_units(cube: Cube, wanted: Sequence[int]) -> int:
        """Progress units :class:`BandSource` reports (rows staged), 0 when nothing is staged."""
        return cube.nrows if cube.interleave == "bip" and len(set(wanted)) > 1 else 0

    def _stage(self, memory_limit: int | None, staging_dir: Path | None, threads: int | None,
               progress: Callable[[int], None] | None) -> np.ndarray:
        cube = self.cube
        shape = (len(self.order), cube.nrows, cube.ncols)
        nbytes = int(np.prod(shape)) * cube.dtype.itemsize
        limit = default_memory_limit() if memory_limit is None else memory_limit
        if nbytes <= limit:
            staged = np.empty(shape, cube.dtype)
        else:
            import tempfile

            folder = staging_dir or Path(tempfile.gettempdir())
            fd, name = tempfile.mkstemp(prefix=".rasterkit-staging-", suffix=".bsq",
                                        dir=folder)
            os.close(fd)
            try:
                staged = np.memmap(name, dtype=cube.dtype, mode="w+", shape=shape)
            finally:
                with contextlib.suppress(OSError):
                    os.unlink(name)  # POSIX: the mapping lives on until it is dropped
        for start, stop, block in cube.iter_chunks(bands=self.order, threads=threads):
            staged[:, start:stop] = block
            if progress is not None:
                progress(stop - start)
        return staged

    def array(self, index: int) -> np.ndarray:
        """Band ``index`` as a 2-D array (a view; file byte order when read from the map)."""
        if self.staged is not None:
            return self.staged[self.slot[index]]
        where: list[Any] = [slice(None)] * 3
        where[self.cube.layout.band_axis] = index
        return self.cube.memmap[tuple(where)]

    def vips(self, index: int) -> pyvips.Image:
        """Band ``index`` as a lazy one-band libvips image (64-bit integers as double)."""
        from .cube import VIPS_FORMATS, vips_interpretation

        if self.cube.dtype.name not in VIPS_FORMATS:
            band = np.ascontiguousarray(self.array(index), dtype=np.float64)
            return wrap_memory(band, band.shape[1], band.shape[0], 1, "double")
        if self.staged is not None:
            plane = self.staged[self.slot[index]]
            fmt = VIPS_FORMATS[self.cube.dtype.name]
            return wrap_memory(plane, plane.shape[1], plane.shape[0], 1, fmt,
                               vips_interpretation(fmt, 1))
        return self.cube.band_vips(index)

    def stretched(self, index: int, lo: float, hi: float, *,
                  ignore: float | None = None) -> pyvips.Image:
        """Band ``index`` mapped to 8 bits, ``lo`` -> 0 and ``hi`` -> 255 (see
        :func:`.stretch.stretch_vips`). Bands up to :data:`NUMPY_STRETCH_PIXELS` are
        stretched in numpy (:func:`.stretch.stretch_array`, the same values): each libvips
        operation costs a fixed fraction of a millisecond, more than the pixel work there."""
        band = self.array(index)
        if band.size > NUMPY_STRETCH_PIXELS:
            return stretch_vips(self.vips(index), lo, hi, ignore=ignore)
        pixels = stretch_array(band, lo, hi, ignore=ignore)
        return wrap_memory(pixels, pixels.shape[1], pixels.shape[0], 1, "uchar", "b-w")

    def close(self) -> None:
        self.staged = None


#: Bands of at most this many pixels are stretched in numpy (float64 scratch: 8 MiB).
NUMPY_STRETCH_PIXELS = 1 << 20


def default_memory_limit() -> int:
    """Staging in RAM up to a quarter of physical memory, at most 2 GiB."""
    try:
        physical = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        physical = 8 << 30
    return int(min(2 << 30, physical // 4))


def _check_raw_format(cube: Cube, fmt: str) -> None:
    name = cube.dtype.name
    if fmt == "png" and name not in ("uint8", "uint16"):
        raise BadInputError(f"{cube.name}: PNG holds 8- or 16-bit unsigned values, not {name}; "
                            "use --format tif or a --stretch")
    if fmt == "tif" and name in ("int64", "uint64", "float64", "complex64", "complex128"):
        raise BadInputError(f"{cube.name}: libvips cannot read back a TIFF of {name} samples; "
                            "use --format npy (exact, any type), --stretch for 8-bit pictures, "
                            "or 'raster convert'")


def split(source: str | os.PathLike[str] | Cube, out_dir: str | os.PathLike[str] | None,
          *, bands: Sequence[int] | None = None, fmt: str = "png", stretch: Any = "auto",
          rgb: str | os.PathLike[str] | None = None, rgb_bands: Sequence[int] | None = None,
          prefix: str | None = None, threads: int | None = None,
          memory_limit: int | None = None, progress: Callable[[int], None] | None = None,
          on_total: Callable[[int], None] | None = None,
          **open_options: Any) -> SplitResult:
    """Write one image per band (and optionally an RGB quick-look).

    Parameters
    ----------
    source : path or Cube
        Anything :func:`rasterkit.raster.open` takes (``open_options`` go to it).
    out_dir : path or None
        An existing folder for the band images (None: only the quick-look).
    bands : sequence of int, optional
        0-based band indices (default: all).
    fmt : {"png", "tif"}
    stretch : "auto", (low, high) percentiles, "LOW,HIGH", or None
        "auto": 2-98 % for PNG, values as stored for TIFF. None: values as stored.
    rgb : path, optional
        Also write a quick-look (``.jpg``, ``.png``, ``.tif``, ``.webp``).
    rgb_bands : (red, green, blue), optional
        Its bands; default: ``bands`` when exactly three are given, else
        :func:`default_rgb_bands`.
    prefix : str, optional
        File name prefix (default: the data file's stem).
    threads : int, optional
        Images written at once (libvips encodes outside the GIL).
    memory_limit : int, optional
        Largest BIP staging array kept in RAM, in bytes (see the module notes).
    progress, on_total : callable, optional
        ``on_total(units)`` is called once with the amount of work, then ``progress(n)``
        as it is done.

    Returns
    -------
    SplitResult
    """
    if fmt not in FORMATS:
        raise BadInputError(f"--format must be png or tif, not {fmt!r}")
    cube = source if isinstance(source, Cube) else open_cube(source, **open_options)
    inputs = [p for p in (cube.path, cube.header_path) if p is not None]
    percentiles = resolve_stretch(stretch, fmt)
    if max(cube.nrows, cube.ncols) > MAX_VIPS_WIDTH and (fmt != "npy" or rgb is not None):
        raise BadInputError(f"{cube.name}: bands of {cube.ncols:,} x {cube.nrows:,} pixels are "
                            f"larger than pictures can be (at most {MAX_VIPS_WIDTH:,} a side); "
                            "use 'raster convert'")
    images: list[Path] = []
    sel: list[int] = []
    if out_dir is not None:
        folder = Path(out_dir)
        if folder.exists() and not folder.is_dir():
            raise OutputError(f"{folder}: exists and is not a folder")
        if not folder.exists() and not (folder.parent if str(folder.parent) else Path(".")
                                        ).is_dir():
            raise OutputError(f"{folder}: output folder does not exist (nor its parent)")
        sel = list(dict.fromkeys(int(b) for b in cube.check_bands(bands)))  # once each
        if percentiles is None:
            _check_raw_format(cube, fmt)
        images = band_file_names(cube.path, cube.nbands, sel, folder, fmt, prefix)
        if folder.is_dir():  # else it is made, empty, when writing starts
            for path in images:
                check_output(path, inputs, {f".{fmt}"})
    elif rgb is None:
        raise BadInputError("nothing to write: give an output folder and/or --rgb FILE")
    rgb_sel: tuple[int, int, int] | None = None
    if rgb is not None:
        check_output(rgb, inputs, QUICKLOOK_SUFFIXES)
        if any(Path(rgb).resolve() == p.resolve() for p in images):
            raise OutputError(f"{rgb}: the quick-look would overwrite a band image")
        if rgb_bands is not None:
            picked = [int(b) for b in cube.check_bands(rgb_bands)]
            if len(picked) != 3:
                raise BadInputError(f"--rgb-bands needs 3 bands (red, green, blue), got "
                                    f"{len(picked)}")
            rgb_sel = (picked[0], picked[1], picked[2])
        elif bands is not None and len(bands) == 3:
            picked = [int(b) for b in cube.check_bands(bands)]
            rgb_sel = (picked[0], picked[1], picked[2])
        else:
            rgb_sel = default_rgb_bands(cube)
    wanted = sel + list(rgb_sel or ())
    if on_total is not None:
        on_total(BandSource.staging_units(cube, wanted) + len(sel) + (rgb is not None))
    with atomic_outputs(out_dir) as outputs:
        staging_dir = Path(out_dir) if out_dir is not None else Path(rgb).parent  # type: ignore[arg-type]
        source_bands = BandSource(cube, wanted, memory_limit=memory_limit,
                                  staging_dir=staging_dir, threads=threads, progress=progress)
        try:
            written, rgb_image = _write_all(cube, source_bands, sel, images, percentiles,
                                            rgb, rgb_sel, inputs, outputs, threads, progress)
        finally:
            source_bands.close()
    return SplitResult(cube.name, written, rgb_image,
                       None if out_dir is None else os.fspath(out_dir))


def _write_all(cube: Cube, source_bands: BandSource, sel: list[int], images: list[Path],
               percentiles: tuple[float, float] | None, rgb: Any,
               rgb_sel: tuple[int, int, int] | None, inputs: list[Path], outputs: OutputSet,
               threads: int | None, progress: Callable[[int], None] | None
               ) -> tuple[list[BandImage], RgbImage | None]:
    """Write the band images and the quick-look of :func:`split` into ``outputs``."""
    ignore = cube.header.data_ignore_value
    ranges: dict[int, tuple[float, float]] = {}

    def stretch_of(b: int, pct: tuple[float, float]) -> tuple[float, float]:
        if b not in ranges:
            ranges[b] = percentile_range(source_bands.array(b), *pct, ignore=ignore)
        return ranges[b]

    def write_band(k: int) -> BandImage:
        b, path = sel[k], images[k]
        if path.suffix == ".npy":
            with open(outputs.stage(path), "wb") as f:
                np.save(f, np.ascontiguousarray(source_bands.array(b), dtype=cube.dtype))
            if progress is not None:
                progress(1)
            return BandImage(b, path, band_wavelength(cube.header, b),
                             band_name(cube.header, b), None)
        span = None
        if percentiles is not None:
            span = stretch_of(b, percentiles)
            image = source_bands.stretched(b, *span, ignore=ignore)
        else:
            image = source_bands.vips(b)
        save_picture(image, path, inputs, outputs)
        if progress is not None:
            progress(1)
        return BandImage(b, path, band_wavelength(cube.header, b), band_name(cube.header, b), span)

    workers = default_threads() if threads is None else max(1, threads)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        written = list(pool.map(write_band, range(len(sel))))
    rgb_image = None
    if rgb is not None and rgb_sel is not None:
        # A quick-look is always stretched (the cache holds ranges of the same percentiles).
        pct = percentiles or DEFAULT_PERCENTILES
        spans = tuple(stretch_of(b, pct) for b in rgb_sel)
        rgb_image = _write_rgb(source_bands, rgb_sel, spans, Path(rgb), inputs, ignore,
                               outputs)
        if progress is not None:
            progress(1)
    return written, rgb_image


def quicklook(source: str | os.PathLike[str] | Cube, path: str | os.PathLike[str],
              bands: Sequence[int] | None = None, *,
              stretch: tuple[float, float] = DEFAULT_PERCENTILES,
              **open_options: Any) -> RgbImage:
    """Write an RGB quick-look of three bands (default :func:`default_rgb_bands`).

    Each band is stretched on its own ``stretch`` percentiles; ``.jpg`` is written at
    quality 90.
    """
    result = split(source, None, stretch=stretch, rgb=path, rgb_bands=bands, **open_options)
    assert result.rgb is not None
    return result.rgb


def _write_rgb(source: BandSource, bands: tuple[int, int, int],
               spans: tuple[tuple[float, float], ...], path: Path, inputs: list[Path],
               ignore: float | None, outputs: OutputSet) -> RgbImage:
    channels = [source.stretched(b, *span, ignore=ignore)
                for b, span in zip(bands, spans, strict=True)]
    image = channels[0].bandjoin(channels[1:]).copy(interpretation="srgb")
    save_picture(image, path, inputs, outputs)
    return RgbImage(path, bands, spans)
