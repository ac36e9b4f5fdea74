"""How a cube's samples are stored beyond its :class:`~.layout.Layout`: gzip compression and
embedded frame headers, and the one-pass unpacking of such files into a plain one.

ENVI allows two things between the samples and the file:

* ``file compression = 1``: the data file is gzip-compressed (GDAL reads it through
  ``/vsigzip/``). It cannot be memory-mapped or read at an offset.
* ``major frame offsets = {before, after}`` and ``minor frame offsets = {before, after}``:
  bytes embedded before and after each frame (a sensor's line headers, say), which a reader
  skips. The frames are, by interleave (as ENVI Classic defines them):

  =========== ================================ ==============================
  interleave  major frame                      minor frame
  =========== ================================ ==============================
  ``bsq``     a band (rows x cols samples)     a row of one band (cols)
  ``bil``     a row (bands x cols samples)     a row of one band (cols)
  ``bip``     a row (cols x bands samples)     a pixel (bands)
  =========== ================================ ==============================

A cube stored either way is unpacked once, on first access to its samples, into a plain
temporary file (the samples only, in the same interleave and byte order) that every fast path
then reads as usual; the file is removed when the cube is dropped. Bytes after the last
sample (GDAL writes such padding) are ignored, as GDAL and Spectral Python ignore them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gzip
import os
import zlib
from pathlib import Path
from typing import BinaryIO

import numpy as np

from ..errors import BadInputError, OutputError
from ..io import os_reason
from .layout import Layout

#: Bytes read at a time while unpacking.
UNPACK_BYTES = 8 << 20
_GZIP_MAGIC = b"\x1f\x8b"


@dataclasses.dataclass(frozen=True)
class Storage:
    """Compression and frame offsets of a data file (the defaults: a plain file)."""

    compressed: bool = False
    major: tuple[int, int] = (0, 0)
    minor: tuple[int, int] = (0, 0)

    @property
    def framed(self) -> bool:
        return self.major != (0, 0) or self.minor != (0, 0)

    @property
    def plain(self) -> bool:
        return not self.compressed and not self.framed

    def describe(self) -> str:
        """``"gzip, major frame offsets {4, 0}"``; empty for a plain file."""
        parts = ["gzip"] if self.compressed else []
        parts += [f"{kind} frame offsets {{{a}, {b}}}"
                  for kind, (a, b) in (("major", self.major), ("minor", self.minor))
                  if (a, b) != (0, 0)]
        return ", ".join(parts)


def frames(layout: Layout) -> tuple[int, int, int]:
    """``(major frames, minor frames per major frame, samples per minor frame)``."""
    rows, cols, bands = layout.rows, layout.cols, layout.bands
    return {"bsq": (bands, rows, cols), "bil": (rows, bands, cols),
            "bip": (rows, cols, bands)}[layout.interleave]


def strides(layout: Layout, storage: Storage) -> tuple[int, int]:
    """Bytes of one minor frame and of one major frame, embedded bytes included."""
    _, per_major, per_minor = frames(layout)
    minor = sum(storage.minor) + per_minor * layout.itemsize
    return minor, sum(storage.major) + per_major * minor


def stored_bytes(layout: Layout, storage: Storage) -> int:
    """Bytes the (decompressed) data file must hold: header offset, frames and samples."""
    majors = frames(layout)[0]
    return layout.offset + majors * strides(layout, storage)[1]


def check_gzip(path: Path, name: str) -> None:
    """Refuse a file said to be compressed whose first bytes are not gzip's."""
    with open(path, "rb") as f:
        if f.read(2) != _GZIP_MAGIC:
            raise BadInputError(f"{name}: the header says 'file compression = 1' but "
                                f"{path.name} is not gzip data")


def unpack(path: Path, layout: Layout, storage: Storage, name: str) -> Path:
    """Write the samples of ``path`` (stored as ``storage`` says) to a new plain temporary
    file, same interleave and byte order, no offset; returns its path (the caller removes it).
    """
    import tempfile  # here: only compressed or framed files need it (start-up)

    folder = tempfile.gettempdir()
    try:
        fd, tmp = tempfile.mkstemp(prefix=".rasterkit-unpacked-", suffix=".raw", dir=folder)
    except OSError as error:
        raise OutputError(f"{name}: cannot unpack its data into {folder} "
                          f"({os_reason(error)})") from None
    out_path = Path(tmp)
    try:
        with os.fdopen(fd, "wb") as out, _open_data(path, storage) as src:
            _skip(src, layout.offset, name)
            _copy_frames(src, out, layout, storage, name)
    except OSError as error:
        out_path.unlink(missing_ok=True)
        raise OutputError(f"{name}: cannot unpack its data into {folder} "
                          f"({os_reason(error)})") from None
    except BaseException:
        out_path.unlink(missing_ok=True)
        raise
    return out_path


@contextlib.contextmanager
def _open_data(path: Path, storage: Storage):  # type: ignore[no-untyped-def]
    with open(path, "rb") as raw:
        if storage.compressed:
            with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
                yield unzipped
        else:
            yield raw


def _read(src: BinaryIO, size: int, name: str) -> bytes:
    try:
        data = src.read(size)
    except EOFError:
        raise BadInputError(f"{name}: the gzip data is truncated") from None
    except (zlib.error, gzip.BadGzipFile) as error:
        raise BadInputError(f"{name}: corrupt gzip data ({error})") from None
    if len(data) != size:
        raise BadInputError(f"{name}: the data ends early: the header describes more bytes "
                            "than the file holds")
    return data


def _skip(src: BinaryIO, size: int, name: str) -> None:
    while size > 0:
        size -= len(_read(src, min(size, UNPACK_BYTES), name))


def _copy_frames(src: BinaryIO, out: BinaryIO, layout: Layout, storage: Storage,
                 name: str) -> None:
    """Copy the samples of every frame from ``src`` to ``out``, dropping embedded bytes."""
    majors, per_major, per_minor = frames(layout)
    minor_stride, _ = strides(layout, storage)
    sample_bytes = per_minor * layout.itemsize
    batch = max(1, UNPACK_BYTES // minor_stride)
    before = storage.minor[0]
    for _ in range(majors):
        _skip(src, storage.major[0], name)
        left = per_major
        while left:
            count = min(batch, left)
            data = _read(src, count * minor_stride, name)
            if minor_stride == sample_bytes:
                out.write(data)
            else:
                block = np.frombuffer(data, np.uint8).reshape(count, minor_stride)
                out.write(block[:, before:before + sample_bytes].tobytes())
            left -= count
        _skip(src, storage.major[1], name)
