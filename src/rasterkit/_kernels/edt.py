"""Exact Euclidean distance transform, evaluated only where it is asked for.

Meijster, Roerdink and Hesselink, "A general algorithm for computing distance transforms in
linear time" (2000): a column pass gives every pixel the vertical distance ``g`` to the
nearest feature of its column, then each row's squared distances are the lower envelope of
the parabolas ``(x - i)^2 + g(i)^2``, built with integer arithmetic (so the result is exact).

Here the column pass (:func:`column_gaps`) sweeps the rows down and up keeping, per column,
the last feature row seen, and stores ``g`` only for the rows that hold query points; the row
pass (:func:`row_distances`) runs only on those rows. Both release the GIL and work on a range
(of columns, of points), so two threads share the work.
"""

from __future__ import annotations

import numpy as np
from numba import njit

_JIT = {"cache": True, "nogil": True, "boundscheck": False}


@njit(inline="always")
def _sweep(features, slot_of_row, gaps, x0, x1, start, stop, step, last, far):
    """Walk rows ``start:stop:step`` keeping in ``last`` the last feature row met in each
    column ``x0:x1`` (branch-free, so it vectorises); on rows with a slot, lower ``gaps`` to
    the distance to it."""
    n = x1 - x0
    for y in range(start, stop, step):
        row = features[y, x0:x1]
        here = np.int32(y)
        for x in range(n):
            last[x] = here if row[x] else last[x]
        s = slot_of_row[y]
        if s >= 0:
            out = gaps[s, x0:x1]
            for x in range(n):
                out[x] = min(out[x], abs(here - last[x]), far)


@njit(**_JIT)
def column_gaps(features, slot_of_row, gaps, x0, x1):
    """Fill ``gaps[slot_of_row[y], x]`` (int32, pre-set to ``height + width``) for the rows
    with a slot and the columns ``x0:x1``: the distance to the nearest nonzero pixel of
    ``features`` in the column, above or below."""
    height = features.shape[0]
    far = np.int32(gaps.shape[1] + height)
    last = np.full(x1 - x0, -far, np.int32)  # the nearest feature at or above ...
    _sweep(features, slot_of_row, gaps, x0, x1, 0, height, 1, last, far)
    last[:] = np.int32(height) + far  # ... and at or below
    _sweep(features, slot_of_row, gaps, x0, x1, height - 1, -1, -1, last, far)


@njit(**_JIT)
def row_distances(gaps, slot_of_row, width, points, out, k0, k1):
    """Squared distances of ``points[k0:k1]`` (flat indices, ascending, rows with slots in
    ``gaps``) into ``out[k0:k1]``: the lower envelope of each row's parabolas
    ``(x - i)^2 + g(i)^2``, walked once for the row's points (which are sorted by column).

    A point at column ``x`` is at most ``g(x)`` away, so no column farther than that can be
    its nearest: the envelope is built only over the columns within reach of the row's
    points.
    """
    g2 = np.empty(width, np.int64)
    stack = np.empty(width, np.int64)
    starts = np.empty(width, np.int64)
    k = k0
    while k < k1:
        y = points[k] // width
        g = gaps[slot_of_row[y]]
        lo, hi, end = width, 0, k
        while end < k1 and points[end] // width == y:
            x = points[end] % width
            lo = min(lo, max(0, x - g[x]))
            hi = max(hi, min(width, x + g[x] + 1))
            end += 1
        for i in range(lo, hi):
            g2[i] = np.int64(g[i]) * g[i]
        q = 0
        stack[0] = lo
        starts[0] = lo
        for u in range(lo + 1, hi):
            gu = g2[u]
            while q >= 0:
                t, i = starts[q], stack[q]
                if (t - i) * (t - i) + g2[i] <= (t - u) * (t - u) + gu:
                    break
                q -= 1
            if q < 0:
                q = 0
                stack[0] = u
                starts[0] = lo
            else:
                i = stack[q]
                w = 1 + (u * u - i * i + gu - g2[i]) // (2 * (u - i))
                if w < hi:
                    q += 1
                    stack[q] = u
                    starts[q] = w
        segment = 0  # the envelope's segments, left to right, against the sorted points
        for j in range(k, end):
            x = points[j] % width
            while segment < q and starts[segment + 1] <= x:
                segment += 1
            i = stack[segment]
            out[j] = (x - i) * (x - i) + g2[i]
        k = end
