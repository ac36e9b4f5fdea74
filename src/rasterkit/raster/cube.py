"""A raw multiband raster on disk, read lazily: :func:`open_cube` and :class:`Cube`.

Nothing is read when a cube is opened beyond its header and the data file's size; bands come
from a read-only memory map (views, no copy) or from the streaming pass of
:mod:`rasterkit.raster.deinterleave` (all or some bands, every core, bounded memory).
"""

from __future__ import annotations

import math
import os
import threading
import weakref
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from ..errors import BadInputError
from .deinterleave import default_threads, read_rows
from .header import (
    EnviHeader,
    find_data_file,
    find_header,
    header_candidates,
    is_header_path,
    new_header,
    read_header,
)
from .info import RasterInfo
from .layout import (
    Layout,
    parse_byte_order,
    parse_dtype,
    parse_interleave,
    parse_shape,
    with_byte_order,
)
from .storage import Storage, check_gzip, stored_bytes, unpack

if TYPE_CHECKING:
    import pyvips

#: Output bytes per chunk of :meth:`Cube.iter_chunks` (streaming export and conversion).
CHUNK_BYTES = 64 << 20
#: Widest image :meth:`Cube.band_vips` lays a BIL file's lines out in (libvips' limit is
#: higher; beyond this a band is copied out instead).
MAX_VIPS_WIDTH = 10_000_000

VIPS_FORMATS = {
    "uint8": "uchar", "int8": "char", "uint16": "ushort", "int16": "short", "uint32": "uint",
    "int32": "int", "float32": "float", "float64": "double", "complex64": "complex",
    "complex128": "dpcomplex",
}


def vips_interpretation(fmt: str, bands: int) -> str:
    """How libvips should see a cube's bands: grey (16-bit kept) for one, multiband else."""
    if bands > 1:
        return "multiband"
    return "grey16" if fmt == "ushort" else "b-w"


class Chunk(NamedTuple):
    """Rows ``start:stop`` (0-based, half-open) of some bands: ``data[j, r - start, c]``."""

    start: int
    stop: int
    data: np.ndarray


class Cube:
    """A raw cube: its header, its layout, and lazy access to its samples.

    Everything is indexed ``(band, row, col)``, 0-based; arrays returned are in the machine's
    byte order unless stated. Open one with :func:`rasterkit.raster.open`.

    Attributes
    ----------
    path : Path
        The data file.
    header_path : Path or None
        The ``.hdr`` file (None for a header-less raw file opened with ``shape=``).
    header : EnviHeader
        The header (synthesised for a header-less file).
    layout : Layout
        Shape, sample type, byte order, interleave and offset in the file.
    storage : Storage
        gzip compression and embedded frame bytes, if any (see :mod:`.storage`): such a
        file is unpacked once into a plain temporary file on first access to its samples.
    """

    def __init__(self, path: Path, layout: Layout, header: EnviHeader,
                 header_path: Path | None = None, storage: Storage | None = None) -> None:
        self.path = path
        self.layout = layout
        self.header = header
        self.header_path = header_path
        self.storage = storage or Storage()
        self._memmap: np.memmap | None = None
        self._unpacked: tuple[Path, Layout] | None = None
        self._lock = threading.Lock()

    def _readable(self) -> tuple[Path, Layout]:
        """The file the samples are read from and their layout in it: the data file itself,
        or for a compressed or framed one its plain unpacked copy (made on first call)."""
        if self.storage.plain:
            return self.path, self.layout
        with self._lock:
            if self._unpacked is None:
                plain = unpack(self.path, self.layout, self.storage, self.name)
                weakref.finalize(self, plain.unlink, missing_ok=True)
                self._unpacked = plain, self.layout.with_(offset=0)
            return self._unpacked

    # ------------------------------------------------------------------ shape

    @property
    def name(self) -> str:
        """How messages name this cube: the header path if any, else the data path."""
        return os.fspath(self.header_path or self.path)

    @property
    def shape(self) -> tuple[int, int, int]:
        """``(bands, rows, cols)``."""
        return self.layout.shape

    @property
    def nbands(self) -> int:
        return self.layout.bands

    @property
    def nrows(self) -> int:
        return self.layout.rows

    @property
    def ncols(self) -> int:
        return self.layout.cols

    @property
    def dtype(self) -> np.dtype:
        """The sample type of returned arrays (machine byte order)."""
        return self.layout.native_dtype

    @property
    def interleave(self) -> str:
        return self.layout.interleave

    @property
    def wavelengths(self) -> list[float] | None:
        """Band centre wavelengths from the header (``wavelength units``), or None."""
        return self.header.wavelength

    def __repr__(self) -> str:
        b, r, c = self.shape
        return (f"<Cube {self.name}: {b} bands x {r} rows x {c} cols, {self.dtype.name}, "
                f"{self.interleave}, {self.layout.byte_order}-endian>")

    # ------------------------------------------------------------------ validation

    def check_band(self, index: Any) -> int:
        """``index`` as a valid 0-based band number, or a one-line error."""
        try:
            value = int(index)
        except (TypeError, ValueError):
            raise BadInputError(f"band index must be an integer, not {index!r}") from None
        if value != index or not 0 <= value < self.nbands:
            raise BadInputError(f"band {index} is out of range: {self.name} has {self.nbands} "
                                f"band{'s' if self.nbands > 1 else ''} (0 to {self.nbands - 1}; "
                                "bands are numbered from 0)")
        return value

    def check_bands(self, indices: Sequence[int] | None) -> np.ndarray:
        """Validated 0-based band indices (all bands when None) as an intp array."""
        if indices is None:
            return np.arange(self.nbands, dtype=np.intp)
        values = [self.check_band(i) for i in indices]
        if not values:
            raise BadInputError("no bands selected")
        return np.asarray(values, dtype=np.intp)

    # ------------------------------------------------------------------ memory map

    @property
    def memmap(self) -> np.ndarray:
        """The whole file as a read-only array in *file* order and byte order.

        Shape is :attr:`Layout.file_shape`: ``(bands, rows, cols)`` for BSQ,
        ``(rows, bands, cols)`` for BIL, ``(rows, cols, bands)`` for BIP.
        """
        path, layout = self._readable()
        with self._lock:
            if self._memmap is None:
                self._memmap = np.memmap(path, dtype=layout.dtype, mode="r",
                                         offset=layout.offset, shape=layout.file_shape)
            return self._memmap

    def close(self) -> None:
        """Drop the memory map (views taken from it stay valid until they are freed)."""
        with self._lock:
            self._memmap = None

    def __enter__(self) -> Cube:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ access

    def band(self, index: int, *, copy: bool = False) -> np.ndarray:
        """Band ``index`` as a ``(rows, cols)`` array.

        Without ``copy`` this is a read-only view of the memory map: zero-copy and contiguous
        for BSQ; strided for BIL (each row contiguous) and BIP (a stride of one pixel).
        It is a copy in two cases: ``copy=True`` (a new contiguous array, filled by all
        cores), and a file whose byte order is not the machine's (values are byte-swapped
        into a new array so every consumer sees ordinary numbers).
        """
        index = self.check_band(index)
        where: list[Any] = [slice(None)] * 3
        where[self.layout.band_axis] = index
        view = self.memmap[tuple(where)].view(np.ndarray)
        if not copy and not self.layout.swapped:
            return view
        return self._copy_view(view)

    def _copy_view(self, view: np.ndarray, threads: int | None = None) -> np.ndarray:
        out = np.empty(view.shape, self.dtype)
        threads = default_threads() if threads is None else threads
        rows = view.shape[0]
        step = max(1, math.ceil(rows / threads))
        if threads <= 1 or rows < 2 * threads:
            np.copyto(out, view)
        else:
            with ThreadPoolExecutor(max_workers=threads) as pool:
                list(pool.map(lambda a: np.copyto(out[a:a + step], view[a:a + step]),
                              range(0, rows, step)))
        return out

    def bands(self, indices: Sequence[int], *, threads: int | None = None) -> np.ndarray:
        """Bands ``indices`` (0-based, any order) as a new ``(len(indices), rows, cols)`` array.

        One band of a BIP file, and a few of a BIL file, are copied out of the memory map
        (touching only their bytes); otherwise one streaming pass reads the rows once.
        """
        sel = self.check_bands(indices)
        few = (self.interleave == "bip" and len(sel) == 1) or \
              (self.interleave == "bil" and len(sel) * 4 <= self.nbands)
        if few:
            out = np.empty((len(sel), self.nrows, self.ncols), self.dtype)
            for j, b in enumerate(sel):
                out[j] = self.band(int(b), copy=True)
            return out
        return self.read(bands=sel, threads=threads)

    def read(self, *, bands: Sequence[int] | None = None, out: np.ndarray | None = None,
             threads: int | None = None, block_bytes: int | None = None) -> np.ndarray:
        """All bands (or ``bands``) as one ``(bands, rows, cols)`` array, in one pass.

        Parameters
        ----------
        bands : sequence of int, optional
            0-based band indices (default: all, in order).
        out : numpy.ndarray, optional
            A C-contiguous array of the right shape and :attr:`dtype` to fill (saves the
            allocation when reading many cubes of one size).
        threads, block_bytes
            See :func:`rasterkit.raster.deinterleave.read_rows`.

        Example
        -------
        >>> import numpy as np, rasterkit
        >>> bil = np.arange(24, dtype=np.uint16).reshape(2, 3, 4)   # (bands, rows, cols)
        >>> _ = rasterkit.raster.write("scene.hdr", bil, interleave="bil")
        >>> cube = rasterkit.raster.open("scene.hdr")
        >>> data = cube.read()                          # (bands, rows, cols)
        >>> data.shape, bool((data == bil).all())
        ((2, 3, 4), True)
        """
        sel = self.check_bands(bands)
        if out is None:
            out = np.empty((len(sel), self.nrows, self.ncols), self.dtype)
        return read_rows(*self._readable(), 0, self.nrows, sel, out, threads=threads,
                         block_bytes=block_bytes)

    def read_rows(self, start: int, stop: int, *, bands: Sequence[int] | None = None,
                  threads: int | None = None, block_bytes: int | None = None) -> np.ndarray:
        """Rows ``start:stop`` (0-based, half-open) of ``bands`` as ``(bands, rows, cols)``."""
        if not 0 <= start <= stop <= self.nrows:
            raise BadInputError(f"rows {start}:{stop} are out of range: {self.name} has "
                                f"{self.nrows} rows")
        sel = self.check_bands(bands)
        out = np.empty((len(sel), stop - start, self.ncols), self.dtype)
        return read_rows(*self._readable(), start, stop, sel, out, threads=threads,
                         block_bytes=block_bytes)

    def chunk_rows(self, nbands: int | None = None, chunk_bytes: int = CHUNK_BYTES) -> int:
        """Rows per chunk so that a chunk of ``nbands`` bands holds about ``chunk_bytes``."""
        per_row = (nbands or self.nbands) * self.ncols * self.dtype.itemsize
        return max(1, min(self.nrows, chunk_bytes // per_row))

    def iter_chunks(self, rows: int | None = None, *, bands: Sequence[int] | None = None,
                    prefetch: bool = True, threads: int | None = None,
                    block_bytes: int | None = None) -> Iterator[Chunk]:
        """Stream the cube as :class:`Chunk` s of ``rows`` rows, top to bottom.

        Each chunk is a new ``(bands, n, cols)`` array; memory stays at about two chunks
        whatever the cube's size. With ``prefetch`` the next chunk is read while the caller
        works on the current one. ``rows`` defaults to about 64 MiB per chunk.

        Example
        -------
        >>> for start, stop, block in cube.iter_chunks():   # doctest: +SKIP
        ...     total += block.sum(axis=(1, 2))
        """
        sel = self.check_bands(bands)
        height = self.chunk_rows(len(sel)) if rows is None else max(1, int(rows))
        spans = [(a, min(a + height, self.nrows)) for a in range(0, self.nrows, height)]

        def load(span: tuple[int, int]) -> Chunk:
            a, b = span
            out = np.empty((len(sel), b - a, self.ncols), self.dtype)
            read_rows(*self._readable(), a, b, sel, out, threads=threads,
                      block_bytes=block_bytes)
            return Chunk(a, b, out)

        if not prefetch or len(spans) == 1:
            for span in spans:
                yield load(span)
            return
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rasterkit-prefetch")
        try:
            pending = pool.submit(load, spans[0])
            for k in range(len(spans)):
                chunk = pending.result()
                if k + 1 < len(spans):
                    pending = pool.submit(load, spans[k + 1])
                yield chunk
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def __iter__(self) -> Iterator[Chunk]:
        return self.iter_chunks()

    # ------------------------------------------------------------------ libvips

    def _vips_format(self) -> str:
        fmt = VIPS_FORMATS.get(self.dtype.name)
        if fmt is None:
            raise BadInputError(f"{self.name}: {self.dtype.name} samples have no libvips "
                                "format (use read() or bands() for numpy arrays)")
        return fmt

    def _vips_from(self, array: np.ndarray, width: int, height: int, bands: int, *,
                   swapped: bool | None = None) -> pyvips.Image:
        """Wrap ``array`` (no copy); ``swapped`` (default: the file's) adds a byte swap."""
        from ..io import wrap_memory

        fmt = self._vips_format()
        image = wrap_memory(array, width, height, bands, fmt)
        if self.layout.swapped if swapped is None else swapped:
            image = image.byteswap()
        return image.copy(interpretation=vips_interpretation(fmt, bands))

    def band_vips(self, index: int) -> pyvips.Image:
        """Band ``index`` as a lazy one-band ``pyvips.Image`` over the memory map (no copy)."""
        index = self.check_band(index)
        mm, (b, r, c) = self.memmap, self.shape
        if self.interleave == "bsq":
            return self._vips_from(mm[index], c, r, 1)
        if self.interleave == "bil":
            if b * c > MAX_VIPS_WIDTH:  # too wide to view the lines side by side: copy
                return self._vips_from(self.band(index, copy=True), c, r, 1, swapped=False)
            return self._vips_from(mm.reshape(r, b * c), b * c, r, 1).crop(index * c, 0, c, r)
        whole = self._vips_from(mm, c, r, b)
        return whole if b == 1 else whole.extract_band(index)

    def to_vips(self, bands: Sequence[int] | None = None) -> pyvips.Image:
        """The cube (or ``bands``) as one lazy ``rows x cols x bands`` ``pyvips.Image``.

        Nothing is read until libvips asks for pixels, so this streams cubes of any size.
        One band is tagged ``b-w`` (``grey16`` for 16-bit, so savers keep 16 bits), more
        bands ``multiband`` (they are spectral bands, not colours).
        """
        sel = self.check_bands(bands)
        if self.interleave == "bip" and len(sel) == self.nbands \
                and bool(np.all(sel == np.arange(self.nbands))):
            image = self._vips_from(self.memmap, self.ncols, self.nrows, self.nbands)
        else:
            parts = [self.band_vips(int(b)) for b in sel]
            image = parts[0] if len(parts) == 1 else parts[0].bandjoin(parts[1:])
        return image.copy(interpretation=vips_interpretation(image.format, image.bands))

    # ------------------------------------------------------------------ description

    def info(self) -> RasterInfo:
        """What ``rasterkit raster info`` reports (see :class:`RasterInfo`)."""
        return RasterInfo.from_cube(self)


# ---------------------------------------------------------------------------- opening


def open_cube(source: str | os.PathLike[str], *, shape: Any = None, dtype: Any = None,
              interleave: str | None = None, byte_order: str | None = None,
              offset: int | None = None) -> Cube:
    """Open a raw cube from its ENVI header, its data file, or a header-less raw file.

    Parameters
    ----------
    source : path
        ``scene.hdr`` (its data file is found beside it: ``scene``, ``scene.img``,
        ``scene.dat``, ``scene.raw``, ``scene.bin``, ``scene.bsq/.bil/.bip``), or the data
        file (its header is ``<name>.hdr`` or ``<stem>.hdr``).
    shape : "ROWSxCOLSxBANDS" or (rows, cols, bands), optional
        Read ``source`` as a header-less raw file of this shape; any ``.hdr`` is ignored.
        Then ``dtype`` defaults to uint8, ``interleave`` to bsq, ``byte_order`` to little and
        ``offset`` to 0.
    dtype, interleave, byte_order, offset : optional
        Sample type (numpy name or ENVI code), ``bsq``/``bil``/``bip``, ``little``/``big``,
        bytes to skip. With a header they override its values (to read a file whose header
        is wrong).

    Returns
    -------
    Cube
        Lazy: only the header and the file size have been read.

    Raises
    ------
    BadInputError
        Missing files, malformed header, unknown data type, missing keys, bad ``shape``/
        ``dtype``, or a data file whose size disagrees with the header (both sizes stated).
    """
    path = Path(source)
    name = os.fspath(source)
    if not path.exists():
        raise BadInputError(f"{name}: no such file")
    if path.is_dir():
        raise BadInputError(f"{name}: is a folder, not a raster")
    if shape is not None:
        if is_header_path(path):
            raise BadInputError(f"{name}: is an ENVI header; --shape/shape= is for header-less "
                                "raw data files (give the data file, or drop --shape)")
        rows, cols, nb = parse_shape(shape)
        order = parse_byte_order(byte_order or "little")
        layout = Layout(rows, cols, nb,
                        with_byte_order(parse_dtype(dtype or "uint8"), order),
                        parse_interleave(interleave or "bsq"), int(offset or 0))
        header = new_header(samples=cols, lines=rows, bands=nb, dtype=layout.dtype,
                            interleave=layout.interleave, byte_order=order,
                            header_offset=layout.offset, name=name)
        _check_size(path, layout, f"--shape {rows}x{cols}x{nb} --dtype "
                    f"{layout.dtype.name} --offset {layout.offset}", exact=True)
        return Cube(path, layout, header, None)

    if is_header_path(path):
        header_path = path
        header = read_header(header_path)
        layout = _layout_from(header, dtype, interleave, byte_order, offset)
        storage = _storage_from(header)
        data_path = find_data_file(header_path, stored_bytes(layout, storage))
    else:
        data_path = path
        found = find_header(data_path)
        if found is None:
            tried = ", ".join(p.name for p in header_candidates(data_path)[::2])
            raise BadInputError(f"{name}: no ENVI header found (looked for {tried}); for a "
                                "header-less raw file give --shape ROWSxCOLSxBANDS and --dtype")
        header_path = found
        header = read_header(header_path)
        layout = _layout_from(header, dtype, interleave, byte_order, offset)
        storage = _storage_from(header)
    _check_size(data_path, layout, os.fspath(header_path), storage)
    return Cube(data_path, layout, header, header_path, storage)


def _storage_from(header: EnviHeader) -> Storage:
    return Storage(header.file_compression, header.frame_offsets("major"),
                   header.frame_offsets("minor"))


def _layout_from(header: EnviHeader, dtype: Any, interleave: str | None,
                 byte_order: str | None, offset: int | None) -> Layout:
    order = parse_byte_order(byte_order) if byte_order is not None else header.byte_order
    base = parse_dtype(dtype) if dtype is not None else header.dtype
    return Layout(
        rows=header.lines, cols=header.samples, bands=header.bands,
        dtype=with_byte_order(base, order),
        interleave=parse_interleave(interleave) if interleave else header.interleave,
        offset=header.header_offset if offset is None else int(offset),
    )


def _check_size(path: Path, layout: Layout, described_by: str,
                storage: Storage | None = None, *, exact: bool = False) -> None:
    """Refuse a data file too short for its samples. Longer is fine when a header describes
    it (GDAL pads the files it writes, and GDAL and Spectral Python read them), but not with
    ``exact`` (a shape typed by hand that does not fill the file is more likely a mistake). A
    compressed file's size is checked as it is unpacked."""
    storage = storage or Storage()
    if storage.compressed:
        check_gzip(path, described_by)
        return
    actual, needed = path.stat().st_size, stored_bytes(layout, storage)
    if actual < needed or (exact and actual != needed):
        framing = f", {storage.describe()}" if storage.framed else ""
        raise BadInputError(
            f"{path}: file is {actual:,} bytes but {described_by} describes "
            f"{needed:,} bytes ({layout.describe()}{framing})")
