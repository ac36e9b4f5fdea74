"""The word view the run scanner of :mod:`rasterkit._kernels._runs` reads.

The compiled run-length primitives (scan a row into runs, complement them, union-find) live in
``_runs.pxd``, inlined into the labellers :mod:`._components` and :mod:`._stream`.
"""

from __future__ import annotations

from typing import Any


def word_view(flat: Any) -> memoryview:
    """The 64-bit words (format ``Q``) over a contiguous 1-D buffer of a one-byte type: a
    numpy array, ``bytes``, ``bytearray`` or ``memoryview`` (numpy is not needed). Empty for
    other item sizes and for fewer than 8 pixels.

    The last ``len(flat) % 8`` pixels are not covered; the scanner reads those one by one.
    """
    pixels = memoryview(flat)
    if pixels.itemsize != 1 or pixels.nbytes < 8:
        return memoryview(b"").cast("Q")
    pixels = pixels.cast("B")
    return pixels[: len(pixels) - len(pixels) % 8].cast("Q")
