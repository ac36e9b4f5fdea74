"""Writing raw cubes: :func:`write` (an array or a cube) and :func:`convert` (re-interleave).

Both stream in row chunks (bounded memory, any cube size) and write a data file plus its ENVI
header atomically: each goes to a temporary file beside the target that is renamed into place
only when everything succeeded, and no output may be one of the inputs.

Output names: ``out.hdr`` writes ``out.hdr`` + ``out.img``; any other name (``out.bsq``,
``out.dat``, ``out``) is the data file and its header is the same name with ``.hdr`` in place
of the suffix (``out.bsq`` -> ``out.hdr``; ``out`` -> ``out.hdr``). GDAL, Spectral Python and
ENVI find those pairs.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import BadInputError, OutputError
from ..io import atomic_output, check_output
from .cube import CHUNK_BYTES, Cube, open_cube
from .deinterleave import bits_type, transpose_into
from .header import EnviHeader, envi_code, new_header
from .layout import Layout, parse_byte_order, parse_interleave, with_byte_order

DATA_SUFFIXES_OUT = {"", ".img", ".dat", ".raw", ".bin", ".bsq", ".bil", ".bip"}


@dataclasses.dataclass(frozen=True)
class WrittenCube:
    """The files a write produced. :meth:`to_dict` is the JSON of ``raster convert --json``,
    :meth:`summary_line` its text (:class:`rasterkit.results.ResultProtocol`)."""

    header: Path
    data: Path
    layout: Layout

    def to_dict(self) -> dict[str, Any]:
        lay = self.layout
        return {"header": os.fspath(self.header), "data": os.fspath(self.data),
                "rows": lay.rows, "cols": lay.cols, "bands": lay.bands,
                "dtype": lay.dtype.name, "interleave": lay.interleave,
                "byte_order": lay.byte_order, "data_bytes": lay.data_bytes}

    def summary_line(self) -> str:
        """What ``raster convert`` prints: ``wrote out.hdr + out.img (bsq, uint16, ...)``."""
        lay = self.layout
        return (f"wrote {self.header} + {self.data} ({lay.interleave}, {lay.dtype.name}, "
                f"{lay.byte_order}-endian, {lay.data_bytes:,} bytes)")

    def to_text(self) -> str:
        """:meth:`summary_line` and a newline."""
        return self.summary_line() + "\n"


def output_paths(path: str | os.PathLike[str]) -> tuple[Path, Path]:
    """``(header, data)`` paths for an output named ``path`` (see the module notes)."""
    p = Path(path)
    if not p.name or p.is_dir() or os.fspath(path).endswith(os.sep):  # ".", "..", "dir/"
        raise OutputError(f"{os.fspath(path) or repr('')}: is a folder; give a file name "
                          "such as out.hdr")
    if p.suffix.lower() == ".hdr":
        return p, p.with_suffix(".img")
    if p.suffix.lower() not in DATA_SUFFIXES_OUT:
        known = ", ".join(sorted(s for s in DATA_SUFFIXES_OUT if s))
        raise OutputError(f"{p}: unknown raw data suffix {p.suffix!r} (use .hdr, {known} or "
                          "no suffix)")
    return (p.with_suffix(".hdr") if p.suffix else p.with_name(p.name + ".hdr")), p


def write(path: str | os.PathLike[str], data: np.ndarray | Cube, *, interleave: str = "bsq",
          byte_order: str | None = None, header: EnviHeader | None = None,
          metadata: dict[str, Any] | None = None, chunk_rows: int | None = None,
          progress: Callable[[int], None] | None = None) -> WrittenCube:
    """Write a cube as raw data plus an ENVI header.

    Parameters
    ----------
    path : path
        Output name (see the module notes for the pair of files written).
    data : numpy.ndarray or Cube
        ``(bands, rows, cols)`` (or ``(rows, cols)`` for one band) in any ENVI type, or an
        open :class:`Cube` (streamed chunk by chunk).
    interleave : {"bsq", "bil", "bip"}
    byte_order : {"little", "big"}, optional
        Default: the cube's own byte order, or the machine's for arrays.
    header : EnviHeader, optional
        Keys to carry over (wavelengths, map info, unknown keys... in their order); the
        geometry keys (samples, lines, bands, data type, interleave, byte order, header
        offset) are set to match what is written. Default: the cube's header.
    metadata : dict, optional
        Extra keys to set, e.g. ``{"wavelength": [...], "band names": [...]}``.
    chunk_rows : int, optional
        Rows per streamed chunk (default about 64 MiB).
    progress : callable, optional
        Called with the number of rows just written.

    Returns
    -------
    WrittenCube
    """
    inputs: list[Any] = []
    if isinstance(data, Cube):
        cube: Cube | None = data
        rows, cols, nbands, dtype = data.nrows, data.ncols, data.nbands, data.dtype
        inputs = [p for p in (data.path, data.header_path) if p is not None]
        order = data.layout.byte_order if byte_order is None else parse_byte_order(byte_order)
        base_header = data.header if header is None else header
    else:
        cube = None
        array = np.asarray(data)
        if array.ndim == 2:
            array = array[None]
        if array.ndim != 3 or 0 in array.shape:
            raise BadInputError(f"expected a (bands, rows, cols) array, got shape {array.shape}")
        nbands, rows, cols = array.shape
        dtype = array.dtype.newbyteorder("=")
        order = parse_byte_order(byte_order)
        base_header = header
    envi_code(dtype)  # an ENVI type, or a clear error before any work
    layout = Layout(rows, cols, nbands, with_byte_order(dtype, order), parse_interleave(interleave))
    header_path, data_path = output_paths(path)
    for out in (header_path, data_path):
        check_output(out, inputs, DATA_SUFFIXES_OUT | {".hdr", ".HDR"})
    out_header = _header_for(layout, base_header, metadata, header_path)

    height = chunk_rows or max(1, CHUNK_BYTES // max(1, nbands * cols * layout.itemsize))
    if cube is not None:
        chunks: Iterator[tuple[int, int, np.ndarray]] = iter(cube.iter_chunks(height))
    else:
        chunks = ((a, min(a + height, rows), array[:, a:a + height])
                  for a in range(0, rows, height))
    # The header is renamed into place last, so a reader never finds a header whose data
    # is still being written.
    with atomic_output(header_path) as tmp_header:
        out_header.write(tmp_header)
        with atomic_output(data_path) as tmp_data, open(tmp_data, "r+b") as f:
            f.truncate(layout.data_bytes)
            for start, stop, block in chunks:
                _write_block(f, layout, start, block)
                if progress is not None:
                    progress(stop - start)
    return WrittenCube(header_path, data_path, layout)


def convert(source: str | os.PathLike[str] | Cube, path: str | os.PathLike[str], *,
            interleave: str = "bsq", byte_order: str | None = None,
            chunk_rows: int | None = None,
            progress: Callable[[int], None] | None = None, **open_options: Any) -> WrittenCube:
    """Re-write ``source`` with another interleave (and/or byte order), streaming.

    ``source`` is anything :func:`rasterkit.raster.open` takes (``open_options`` go to it:
    ``shape=``, ``dtype=``... for a header-less file) or an open :class:`Cube`. The header's
    keys are carried over in their order. See :func:`write` for the rest.

    Example
    -------
    >>> convert("scene.hdr", "scene_bsq.hdr", interleave="bsq")   # doctest: +SKIP
    """
    cube = source if isinstance(source, Cube) else open_cube(source, **open_options)
    return write(path, cube, interleave=interleave, byte_order=byte_order,
                 chunk_rows=chunk_rows, progress=progress)


#: Header keys of a stored form (:mod:`.storage`) that a plain written file must not carry.
STORAGE_KEYS = ("file compression", "major frame offsets", "minor frame offsets")


def _header_for(layout: Layout, base: EnviHeader | None, metadata: dict[str, Any] | None,
                header_path: Path) -> EnviHeader:
    fresh = new_header(samples=layout.cols, lines=layout.rows, bands=layout.bands,
                       dtype=layout.dtype, interleave=layout.interleave,
                       byte_order=layout.byte_order, name=os.fspath(header_path))
    if base is None:
        out = fresh
    else:
        out = base.copy()
        out.name = os.fspath(header_path)
        for key, value in fresh.items():
            if key == "file type" and key in out:
                continue
            out.set(key, value)
        for key in STORAGE_KEYS:  # what is written is plain, whatever was read
            out.remove(key)
    for key, value in (metadata or {}).items():
        out.set(key, value)
    return out


def _write_block(f: Any, layout: Layout, start: int, block: np.ndarray) -> None:
    """Write ``block`` = rows ``start:`` of every band, ``(bands, n, cols)``, into ``f``."""
    target = layout.dtype
    block = np.ascontiguousarray(block, dtype=target)
    nb, n, cols = block.shape
    size = layout.itemsize
    if layout.interleave == "bsq":
        plane = layout.rows * cols * size
        for j in range(nb):
            f.seek(j * plane + start * cols * size)
            f.write(memoryview(block[j]).cast("B"))
        return
    f.seek(start * layout.row_bytes)
    if layout.interleave == "bil":
        f.write(memoryview(np.ascontiguousarray(block.transpose(1, 0, 2))).cast("B"))
        return
    bits = bits_type(size)
    pixels = np.empty((n * cols, nb), bits)
    transpose_into(block.view(bits).reshape(nb, n * cols), pixels)
    f.write(memoryview(pixels).cast("B"))
