"""Exact Euclidean distance transform, evaluated only where it is asked for.

Meijster, Roerdink and Hesselink, "A general algorithm for computing distance transforms in
linear time" (2000): a column pass gives every pixel the vertical distance ``g`` to the
nearest feature of its column, then each row's squared distances are the lower envelope of
the parabolas ``(x - i)^2 + g(i)^2``, built with integer arithmetic (so the result is exact).

Here the column pass sweeps the rows down and up keeping, per column, the last feature row
seen, and stores ``g`` only for the rows that hold query points; the row pass runs only on
those rows.
"""

from __future__ import annotations

import numpy as np
from numba import njit

_JIT = {"cache": True, "nogil": True, "boundscheck": False}


@njit(inline="always")
def _f(x, i, g):
    return (x - i) * (x - i) + g[i] * g[i]


@njit(inline="always")
def _sep(i, u, g):
    return (u * u - i * i + g[u] * g[u] - g[i] * g[i]) // (2 * (u - i))


@njit(**_JIT)
def squared_distances_at(features, points):
    """Squared distance from each query pixel to the nearest nonzero pixel of ``features``.

    ``features`` is a 2-D uint8/bool array with at least one nonzero pixel; ``points`` are
    flat (row-major) indices into it, sorted ascending. Returns int64 squared distances.
    """
    height, width = features.shape
    inf = height + width
    # rows holding points, and each point's row slot
    rows = np.empty(points.size, np.int64)
    slot_of_row = np.full(height, -1, np.int64)
    n_rows = 0
    for k in range(points.size):
        y = points[k] // width
        if slot_of_row[y] < 0:
            slot_of_row[y] = n_rows
            rows[n_rows] = y
            n_rows += 1
    g = np.full((n_rows, width), inf, np.int64)
    last = np.full(width, -inf, np.int64)
    for y in range(height):  # distance to the nearest feature above (or on) the row
        for x in range(width):
            if features[y, x]:
                last[x] = y
        s = slot_of_row[y]
        if s >= 0:
            for x in range(width):
                g[s, x] = min(y - last[x], inf)
    last[:] = height + inf
    for y in range(height - 1, -1, -1):  # ... and below
        for x in range(width):
            if features[y, x]:
                last[x] = y
        s = slot_of_row[y]
        if s >= 0:
            for x in range(width):
                g[s, x] = min(g[s, x], last[x] - y)
    out = np.empty(points.size, np.int64)
    stack = np.empty(width, np.int64)
    starts = np.empty(width, np.int64)
    row_dt = np.empty(width, np.int64)
    k = 0
    while k < points.size:
        y = points[k] // width
        gy = g[slot_of_row[y]]
        q = 0
        stack[0] = 0
        starts[0] = 0
        for u in range(1, width):
            while q >= 0 and _f(starts[q], stack[q], gy) > _f(starts[q], u, gy):
                q -= 1
            if q < 0:
                q = 0
                stack[0] = u
            else:
                w = 1 + _sep(stack[q], u, gy)
                if w < width:
                    q += 1
                    stack[q] = u
                    starts[q] = w
        for u in range(width - 1, -1, -1):
            row_dt[u] = _f(u, stack[q], gy)
            if u == starts[q]:
                q -= 1
        while k < points.size and points[k] // width == y:
            out[k] = row_dt[points[k] % width]
            k += 1
    return out
