"""A streaming image writer: output strips computed on demand while libvips saves them.

libvips pulls the pixels of the image it saves; :class:`StreamedImage` presents a generator
of numpy strips to it as an uncompressed PNG byte stream (stored deflate blocks, so making
it costs a copy and two checksums), read through a ``pyvips.SourceCustom`` in sequential
mode. The image can then be written to any format libvips saves (PNG, TIFF, JPEG, WebP, ...)
while only a strip or two is ever in memory.
"""

from __future__ import annotations

import os
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pyvips

from ..errors import OutputError
from ..io import load_source, write_vips

_STORED_BLOCK = 65535  # largest stored deflate block
_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(tag: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(data, zlib.crc32(tag))
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", crc)


def png_bytes(width: int, height: int, dtype: np.dtype,
              strips: Iterator[np.ndarray]) -> Iterator[bytes]:
    """The bytes of an uncompressed grey PNG (8-bit for uint8, 16-bit for uint16) of strips."""
    depth = {np.dtype(np.uint8): 8, np.dtype(np.uint16): 16}[np.dtype(dtype)]
    yield _SIGNATURE
    yield _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, 0, 0, 0, 0))
    yield _chunk(b"IDAT", b"\x78\x01")  # zlib header: deflate, no preset dictionary
    adler = 1
    rows_done = 0
    for strip in strips:
        rows = np.zeros((strip.shape[0], 1 + width * depth // 8), np.uint8)  # filter byte 0
        rows[:, 1:] = (strip.astype(">u2") if depth == 16 else strip).view(np.uint8).reshape(
            strip.shape[0], -1)
        data = rows.tobytes()
        adler = zlib.adler32(data, adler)
        rows_done += strip.shape[0]
        parts = []
        for start in range(0, len(data), _STORED_BLOCK):
            block = data[start:start + _STORED_BLOCK]
            parts.append(struct.pack("<BHH", 0, len(block), 0xFFFF ^ len(block)))
            parts.append(block)
        yield _chunk(b"IDAT", b"".join(parts))
    if rows_done != height:
        raise RuntimeError(f"streamed {rows_done} rows, expected {height}")
    yield _chunk(b"IDAT", struct.pack("<BHH", 1, 0, 0xFFFF) + struct.pack(">I", adler))
    yield _chunk(b"IEND", b"")


class StreamedImage:
    """A sequential ``pyvips.Image`` whose rows come from ``strips`` as libvips reads them.

    ``strips`` yields ``(rows, width)`` uint8 or uint16 arrays, top to bottom, ``height``
    rows in all. An exception raised by the generator is re-raised by :meth:`write_to_file`.
    """

    def __init__(self, width: int, height: int, dtype: Any,
                 strips: Iterator[np.ndarray]) -> None:
        self._bytes = png_bytes(width, height, np.dtype(dtype), strips)
        self._buffer = bytearray()
        self._error: BaseException | None = None
        source = pyvips.SourceCustom()
        source.on_read(self._read)
        self.image = load_source(source, access="sequential")

    def _read(self, size: int) -> bytes:
        try:
            while len(self._buffer) < size:
                piece = next(self._bytes, None)
                if piece is None:
                    break
                self._buffer.extend(piece)
        except BaseException as error:  # handed back in write_to_file
            self._error = error
            return b""
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    def write_to_file(self, image: pyvips.Image, path: str | os.PathLike[str], *,
                      name: str | None = None, **options: Any) -> None:
        """Save ``image`` (this one, or a pipeline built on :attr:`image`) to ``path``.

        ``name`` is the output as the user knows it, for messages (``path`` may be a
        temporary file).
        """
        try:
            write_vips(image, Path(path), Path(name or path), **options)
        except OutputError:
            if self._error is not None:
                raise self._error from None
            raise
        if self._error is not None:
            raise self._error
