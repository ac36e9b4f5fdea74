"""Image rows -> 64-bit row keys.

Each row's bytes are hashed with XXH3-64 (a per-row C call over a memoryview, no copy): about
10 ms for 23,000 rows of 1,400 RGB pixels here, faster than any vectorised numpy mix we
measured (0.6 s for the same rows), and collision-resistant, unlike a sum of pixel values in
which byte-aligned differences cancel. Two rows with equal keys are treated as equal; the
chance that two different rows of a 30,000-row pair collide is below 1e-10.
"""

from __future__ import annotations

from xxhash import xxh3_64_intdigest


def row_keys(buffer: memoryview, height: int, row_bytes: int | None = None,
             stride: int | None = None, offset: int = 0) -> list[int]:
    """Return one key per row of a C-ordered ``height``-row pixel ``buffer``.

    Parameters
    ----------
    buffer : memoryview
        The pixels as a flat byte buffer, rows back to back (e.g. ``Decoded.row_bytes()``).
    height : int
        Number of rows; the row length in bytes (stride) is ``len(buffer) // height``.
    row_bytes : int, optional
        Hash only the first ``row_bytes`` bytes of each row (default: the whole row), e.g. to
        leave out padding columns.
    stride : int, optional
        Bytes from a row to the next (default ``len(buffer) // height``: rows back to back).
    offset : int
        Where the first row starts in ``buffer`` (bytes): rows of a part of a wider image.

    Returns
    -------
    list of int
        ``keys[y]`` is the XXH3-64 hash of row ``y``, in ``[0, 2**64)``.

    Example
    -------
    >>> keys = row_keys(memoryview(bytes(12)), 3)
    >>> keys[0] == keys[1] == keys[2]
    True
    """
    if stride is None:
        stride = len(buffer) // height if height else 0
    length = stride if row_bytes is None else row_bytes
    end = offset + height * stride
    return [xxh3_64_intdigest(buffer[at:at + length]) for at in range(offset, end, stride)]
