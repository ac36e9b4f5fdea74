"""Run-length primitives shared by the in-memory and the strip-wise component labellers.

A *run* is a maximal horizontal stretch ``[start, end)`` of one row in which every pixel is
foreground (nonzero), or, for the background polarity, zero. Connected components are found
on runs instead of pixels: two runs of adjacent rows touch when their column ranges overlap
(4-connectivity) or overlap once widened by one pixel (8-connectivity).

The row scanner reads 8 pixels at a time where the pixel type is one byte wide, skipping
words that are all background or all foreground; it also checks, at no extra cost, that the
image holds at most one nonzero value (a binary image), reporting the first offending value.
"""

from __future__ import annotations

import numpy as np
from numba import njit

#: Replicates a byte into all 8 bytes of a 64-bit word.
_BYTES = np.uint64(0x0101010101010101)


def word_view(flat: np.ndarray) -> np.ndarray:
    """The 64-bit words over a contiguous 1-D array of a one-byte type (empty otherwise).

    The last ``len(flat) % 8`` pixels are not covered; the scanner reads those one by one.
    """
    if flat.dtype.itemsize != 1 or flat.size < 8:
        return np.empty(0, np.uint64)
    return flat[: flat.size - flat.size % 8].view(np.uint64)


@njit(inline="always")
def scan_row(flat, words, base, width, fg, starts, ends, n):
    """Append the runs of nonzero pixels of ``flat[base:base + width]`` at ``starts/ends[n:]``.

    ``fg`` is the foreground value seen so far (0: none yet). Returns ``(n, fg, bad)``: the new
    run count, the foreground value and, when a second nonzero value turns up, ``bad = True``
    (the scan stops there). ``words`` is :func:`word_view` of ``flat`` or empty.
    """
    use_words = words.size > 0
    fg_word = np.uint64(fg) * _BYTES if use_words else np.uint64(0)
    x = 0
    start = -1
    while x < width:
        p = base + x
        if use_words and (p & 7) == 0 and x + 8 <= width and (p >> 3) < words.size:
            w = words[p >> 3]
            if start < 0:
                if w == 0:
                    x += 8
                    continue
            elif w == fg_word:
                x += 8
                continue
        v = flat[p]
        if v != 0:
            if fg == 0:
                fg = v
                if use_words:
                    fg_word = np.uint64(fg) * _BYTES
            elif v != fg:
                return n, fg, True
            if start < 0:
                start = x
        elif start >= 0:
            starts[n] = start
            ends[n] = x
            n += 1
            start = -1
        x += 1
    if start >= 0:
        starts[n] = start
        ends[n] = width
        n += 1
    return n, fg, False


@njit(inline="always")
def complement_runs(starts, ends, n0, n1, width, out_starts, out_ends, m):
    """Append the gaps between runs ``n0:n1`` of one row (the zero runs) at ``out_*[m:]``."""
    x = 0
    for i in range(n0, n1):
        if starts[i] > x:
            out_starts[m] = x
            out_ends[m] = starts[i]
            m += 1
        x = ends[i]
    if x < width:
        out_starts[m] = x
        out_ends[m] = width
        m += 1
    return m


@njit(inline="always")
def find_root(parent, i):
    """Root of ``i`` in the union-find forest ``parent``, halving the path on the way."""
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


@njit(inline="always")
def first_touching(prev_starts, prev_ends, j, j_end, start, reach):
    """Advance ``j`` past the runs of the row above that end before ``start`` can touch them.

    ``reach`` is 1 for 8-connectivity (diagonal neighbours touch), 0 for 4-connectivity.
    """
    while j < j_end and prev_ends[j] + reach <= start:
        j += 1
    return j


@njit(inline="always")
def grow(array, capacity):
    """A copy of ``array`` with room for ``capacity`` items (append-only buffers)."""
    bigger = np.empty(capacity, array.dtype)
    bigger[: array.size] = array
    return bigger


@njit(inline="always")
def row_buffers(width):
    """Buffers for the runs of one row: ``(starts, ends, scratch_starts, scratch_ends)``."""
    per_row = width // 2 + 2
    return (np.empty(per_row, np.int32), np.empty(per_row, np.int32),
            np.empty(per_row, np.int32), np.empty(per_row, np.int32))
