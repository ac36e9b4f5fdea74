"""Two-sub-iteration parallel thinning (Zhang–Suen, Guo–Hall) that visits only the pixels
whose fate can change.

A parallel thinning algorithm alternates two sub-iterations; in each, every foreground pixel
whose 8-neighbourhood (one byte, see :func:`_code`) is marked deletable in that
sub-iteration's look-up table is deleted, all decisions being taken on the image as it was
when the sub-iteration started. It stops when a full iteration deletes nothing.

The textbook loop scans the whole image in every sub-iteration. Here a sub-iteration only
examines *candidates*: a pixel can newly become deletable in sub-iteration ``t`` only if a
neighbour was deleted in ``t - 1`` or ``t - 2`` (otherwise its neighbourhood is the one it had
when the same table was last applied, which kept it). So the candidates of ``t`` are the
foreground 8-neighbours of the pixels deleted in the two previous sub-iterations, and the
first two sub-iterations examine the foreground pixels that touch the background. The result
is identical to the full scan; the work is proportional to the pixels deleted, not to the
image area times the number of iterations.

Layout: a ``uint8`` image with a zero frame (at least one pixel on every side, so neighbours
never leave it) whose row length is a multiple of 8, so that rows are whole 64-bit words;
value 1 is foreground, 0 background. While a candidate list is built, bit 1 marks the pixels
already in it (value 3), so no second array is needed.
"""

from __future__ import annotations

import numpy as np
from numba import njit

_JIT = {"cache": True, "nogil": True, "boundscheck": False}
_S8 = np.uint64(8)
_S56 = np.uint64(56)
_LOW = np.uint64(0x0101010101010101)


@njit(inline="always")
def _code(flat, p, width):
    """Neighbourhood byte of pixel ``p``: bit k set when neighbour k is foreground, k in
    the order E, NE, N, NW, W, SW, S, SE (counter-clockwise from east)."""
    return ((flat[p + 1] & 1) | ((flat[p - width + 1] & 1) << 1)
            | ((flat[p - width] & 1) << 2) | ((flat[p - width - 1] & 1) << 3)
            | ((flat[p - 1] & 1) << 4) | ((flat[p + width - 1] & 1) << 5)
            | ((flat[p + width] & 1) << 6) | ((flat[p + width + 1] & 1) << 7))


@njit(inline="always")
def _collect(flat, pixels, count, out, n):
    """Append to ``out[n:]`` the foreground pixels of ``pixels[:count]`` not yet marked,
    marking them; returns the new length."""
    for i in range(count):
        q = pixels[i]
        if flat[q] == 1:
            flat[q] = 3
            out[n] = q
            n += 1
    return n


@njit(**_JIT)
def border_pixels(flat, width):
    """Flat indices, in raster order, of the foreground pixels with a background
    4-neighbour (``width`` a multiple of 8; the first and last rows are frame)."""
    words = flat.view(np.uint64)
    row = width // 8
    out = np.empty(max(64, flat.size // 16), np.int64)
    n = 0
    for i in range(row, words.size - row):
        w = words[i]
        if w == 0:
            continue
        left = (w << _S8) | (words[i - 1] >> _S56)
        right = (w >> _S8) | (words[i + 1] << _S56)
        edge = w & ~(left & right & words[i - row] & words[i + row]) & _LOW
        while edge:
            j = 0
            while not (edge >> np.uint64(8 * j)) & np.uint64(1):
                j += 1
            edge &= ~(np.uint64(1) << np.uint64(8 * j))
            if n == out.size:
                bigger = np.empty(2 * out.size, np.int64)
                bigger[:n] = out
                out = bigger
            out[n] = 8 * i + j
            n += 1
    return out[:n]


@njit(**_JIT)
def thin(flat, width, tables, max_iterations):
    """Thin the framed 0/1 image ``flat`` (row-major, ``width`` wide) in place.

    ``tables`` is a ``(2, 256)`` uint8 array: ``tables[s, code]`` is 1 when a pixel with
    neighbourhood ``code`` is deleted in sub-iteration ``s`` (0 first, 1 second).
    ``max_iterations`` bounds the full iterations (-1: until nothing changes).

    Returns ``(iterations, deleted)``: full iterations that deleted something, and pixels
    deleted.
    """
    start = border_pixels(flat, width)
    recent = start  # foreground neighbours of the deletions one sub-iteration ago ...
    older = start  # ... and two sub-iterations ago (both: the border, to begin with)
    n_recent = start.size
    n_older = start.size
    cand = np.empty(max(64, 2 * start.size), np.int64)
    doomed = np.empty(max(64, start.size), np.int64)
    t = 0
    deleted = 0
    last_active = -1
    while n_recent + n_older > 0:
        if max_iterations >= 0 and t >= 2 * max_iterations:
            break
        if cand.size < n_recent + n_older:
            cand = np.empty(2 * (n_recent + n_older), np.int64)
        n = _collect(flat, recent, n_recent, cand, 0)
        n = _collect(flat, older, n_older, cand, n)
        for i in range(n):
            flat[cand[i]] = 1
        # decide on the image as it is now, then delete
        table = tables[t & 1]
        if doomed.size < n:
            doomed = np.empty(2 * n, np.int64)
        k = 0
        for i in range(n):
            q = cand[i]
            if table[_code(flat, q, width)]:
                doomed[k] = q
                k += 1
        for i in range(k):
            flat[doomed[i]] = 0
        deleted += k
        if k:
            last_active = t
        # the foreground neighbours of this sub-iteration's deletions, each once
        fresh = np.empty(max(64, 8 * k), np.int64)
        m = 0
        for i in range(k):
            p = doomed[i]
            for q in (p + 1, p - width + 1, p - width, p - width - 1, p - 1, p + width - 1,
                      p + width, p + width + 1):
                if flat[q] == 1:
                    flat[q] = 3
                    fresh[m] = q
                    m += 1
        for i in range(m):
            flat[fresh[i]] = 1
        older, n_older = recent, n_recent
        recent, n_recent = fresh, m
        t += 1
    iterations = last_active // 2 + 1 if last_active >= 0 else 0
    return iterations, deleted
