"""``raster split`` of a small cube without numpy (the small-cube path).

Splitting a small cube is mostly start-up, and importing numpy is the largest part of it
(about 130 ms of 280 on a 2-core machine, for the bundled 24-band cube). :func:`split_small`
reads the header and the samples (one read), takes each band's bytes out of the interleave,
stretches them with the compiled twins of the numpy path's percentiles and stretch
(:func:`.stretch.percentile_range_samples`, :func:`.stretch.stretch_samples`: libvips'
operations cost more than numpy's import saves) and writes each band as :mod:`.band_images`
saves every picture. The files and the result are byte for byte those of
:func:`.export.split`.

It returns ``None`` when the cube or the options are not ones it takes, having written
nothing; :func:`.export.split` then does the work, or raises the error (a malformed header, a
short data file, a band out of range, an output that is an input...). Taken:

* a cube with an ENVI header (the header or its data file given), read as the header says:
  ``--shape``, ``--dtype``, ``--interleave``, ``--byte-order`` and ``--offset`` go to the numpy
  path, as do compressed data and embedded frames;
* 8- or 16-bit unsigned samples (ENVI data types 1 and 12), any interleave and byte order,
  bands of at most :data:`SMALL_BAND_PIXELS` pixels, :data:`SMALL_CUBE_BYTES` of samples;
* ``--format png`` or ``tif``, stretched or as stored, ``--bands``, ``--prefix``, ``--json``,
  ``-q``; ``--format npy`` and a quick-look (``--rgb``, ``--rgb-bands``) go to the numpy path.
"""

from __future__ import annotations

import array
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from ..errors import RasterkitError
from ..io import atomic_outputs, check_output, interpretation_for, wrap_memory
from .band_images import (
    BandImage,
    SplitResult,
    band_file_names,
    band_name,
    band_wavelength,
    resolve_stretch,
    save_picture,
)
from .header import ENVI_TYPES, EnviHeader, find_data_file, find_header, is_header_path, read_header
from .stretch import percentile_range_samples, stretch_samples

#: Largest band taken, in pixels (the numpy path stretches bands up to this size in numpy).
SMALL_BAND_PIXELS = 1 << 20
#: Most sample bytes taken (they are read into memory at once).
SMALL_CUBE_BYTES = 64 << 20
#: numpy's names of the sample types taken -> (libvips format, memoryview format).
_TYPES = {"uint8": ("uchar", "B"), "uint16": ("ushort", "H")}


class SmallCube(NamedTuple):
    """A small cube's header, layout and samples (``samples``: the file's bytes)."""

    name: str
    header_path: Path
    data_path: Path
    header: EnviHeader
    rows: int
    cols: int
    bands: int
    dtype: str
    interleave: str
    swapped: bool
    samples: bytes

    def band(self, b: int) -> Any:
        """Band ``b``'s samples, row-major, in the machine's byte order (a buffer)."""
        fmt = _TYPES[self.dtype][1]
        size = 1 if fmt == "B" else 2
        plane, row = self.rows * self.cols * size, self.cols * size
        view = memoryview(self.samples)
        if self.interleave == "bsq":
            data: Any = view[b * plane:(b + 1) * plane]
        elif self.interleave == "bip":
            data = view.cast(fmt)[b::self.bands].tobytes()
        else:  # bil: row r of band b is line r * bands + b
            data = b"".join(view[(r * self.bands + b) * row:(r * self.bands + b + 1) * row]
                            for r in range(self.rows))
        if self.swapped:
            swapped = array.array(fmt)
            swapped.frombytes(data)
            swapped.byteswap()
            data = memoryview(swapped).cast("B")  # a buffer of bytes, as libvips counts them
        return data

    def picture(self, b: int, percentiles: tuple[float, float] | None,
                ignore: float | None) -> tuple[Any, tuple[float, float] | None]:
        """Band ``b`` as the numpy path writes it: ``(libvips image, stretch)``, stretched to
        8 bits between its ``percentiles`` (the stretch is the value range), or as stored."""
        fmt, typecode = _TYPES[self.dtype]
        samples = self.band(b)
        if percentiles is None:
            return wrap_memory(samples, self.cols, self.rows, 1, fmt,
                               interpretation_for(1, fmt)), None
        span = percentile_range_samples(samples, typecode, *percentiles, ignore=ignore)
        pixels = stretch_samples(samples, typecode, *span, ignore=ignore)
        return wrap_memory(pixels, self.cols, self.rows, 1, "uchar", "b-w"), span


def open_small(source: Any) -> SmallCube | None:
    """The cube at ``source`` (header or data file) with its samples read, or ``None`` when it
    is not a small plain cube of 8- or 16-bit unsigned samples, or it cannot be opened (the
    numpy path says why)."""
    if not isinstance(source, str | os.PathLike):
        return None
    path = Path(source)
    try:
        if not path.is_file():
            return None
        header_path = path if is_header_path(path) else find_header(path)
        if header_path is None:
            return None
        header = read_header(header_path)
        rows, cols, bands = header.lines, header.samples, header.bands
        dtype = ENVI_TYPES[header.data_type]
        if (dtype not in _TYPES or header.file_compression or header.frame_offsets("major")
                != (0, 0) or header.frame_offsets("minor") != (0, 0)):
            return None
        size = 1 if dtype == "uint8" else 2
        nbytes = rows * cols * bands * size
        if rows * cols > SMALL_BAND_PIXELS or nbytes > SMALL_CUBE_BYTES:
            return None
        # every key the numpy path reads, so that a bad one sends the cube there
        swapped = header.byte_order != sys.byteorder and size > 1
        interleave, offset = header.interleave, header.header_offset
        data_path = path if header_path != path else find_data_file(header_path,
                                                                    offset + nbytes)
        with open(data_path, "rb") as f:
            f.seek(offset)
            samples = f.read(nbytes)
    except (RasterkitError, OSError):
        return None
    if len(samples) < nbytes:  # a short file: the numpy path says so
        return None
    return SmallCube(os.fspath(header_path), header_path, data_path, header, rows, cols, bands,
                     dtype, interleave, swapped, samples)


def split_small(source: Any, out_dir: str | os.PathLike[str] | None, *,
                bands: Sequence[int] | None = None, fmt: str = "png", stretch: Any = "auto",
                rgb: Any = None, rgb_bands: Sequence[int] | None = None,
                prefix: str | None = None,
                progress: Callable[[int], None] | None = None,
                on_total: Callable[[int], None] | None = None,
                **open_options: Any) -> SplitResult | None:
    """:func:`rasterkit.raster.export.split` (same parameters) of a small cube without numpy,
    or ``None`` (nothing written) when the numpy path must do it (see the module notes)."""
    if (out_dir is None or rgb is not None or rgb_bands is not None or fmt not in ("png", "tif")
            or any(value is not None for value in open_options.values())):
        return None
    cube = open_small(source)
    if cube is None:
        return None
    try:
        plan = _plan(cube, Path(out_dir), bands, fmt, stretch, prefix)
    except RasterkitError:  # the numpy path raises it, in its order
        return None
    if plan is None:
        return None
    sel, paths, percentiles, ignore, described = plan
    if on_total is not None:
        on_total(len(sel))
    inputs = [cube.data_path, cube.header_path]
    written = []
    with atomic_outputs(out_dir) as outputs:
        for b, path, (wavelength, name) in zip(sel, paths, described, strict=True):
            image, span = cube.picture(b, percentiles, ignore)
            save_picture(image, path, inputs, outputs)
            written.append(BandImage(b, path, wavelength, name, span))
            if progress is not None:
                progress(1)
    return SplitResult(cube.name, written, None, os.fspath(out_dir))


def _plan(cube: SmallCube, folder: Path, bands: Sequence[int] | None, fmt: str, stretch: Any,
          prefix: str | None) -> tuple[list[int], list[Path], tuple[float, float] | None,
                                       float | None, list[tuple[Any, Any]]] | None:
    """What :func:`split_small` writes: bands, paths, percentiles, ignored value and each
    band's (wavelength, name); ``None`` (or the numpy path's error) when it would fail."""
    percentiles = resolve_stretch(stretch, fmt)
    if folder.exists() and not folder.is_dir():
        return None
    if not folder.exists() and not (folder.parent if str(folder.parent) else Path(".")).is_dir():
        return None
    if bands is not None and (not bands or any(
            isinstance(b, bool) or not isinstance(b, int) or not 0 <= b < cube.bands
            for b in bands)):
        return None
    sel = list(range(cube.bands)) if bands is None else list(dict.fromkeys(bands))
    paths = band_file_names(cube.data_path, cube.bands, sel, folder, fmt, prefix)
    if folder.is_dir():
        for path in paths:
            check_output(path, [cube.data_path, cube.header_path], {f".{fmt}"})
    described = [(band_wavelength(cube.header, b), band_name(cube.header, b)) for b in sel]
    return sel, paths, percentiles, cube.header.data_ignore_value, described
