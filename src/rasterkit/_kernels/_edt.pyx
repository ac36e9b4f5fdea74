# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False
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

import numpy as np

from libc.stdint cimport int32_t, int64_t, uint8_t
from libc.stdlib cimport abs as c_abs


cdef inline int64_t _floor_div(int64_t a, int64_t b) noexcept nogil:
    """``a // b`` rounded towards minus infinity, as Python's (``b > 0``)."""
    cdef int64_t q = a / b
    if (a % b) != 0 and a < 0:
        q -= 1
    return q


cdef void _sweep(const uint8_t[:, ::1] features, const int64_t[::1] slot_of_row,
                 int32_t[:, ::1] gaps, Py_ssize_t x0, Py_ssize_t x1, Py_ssize_t start,
                 Py_ssize_t stop, Py_ssize_t step, int32_t* last, int32_t far) noexcept nogil:
    """Walk rows ``start:stop:step`` keeping in ``last`` the last feature row met in each
    column ``x0:x1`` (branch-free, so it vectorises); on rows with a slot, lower ``gaps`` to
    the distance to it."""
    cdef Py_ssize_t n = x1 - x0
    cdef Py_ssize_t y = start, x
    cdef int64_t s
    cdef int32_t here, d
    cdef const uint8_t* row
    cdef int32_t* out
    while y != stop:
        row = &features[y, x0]
        here = <int32_t>y
        for x in range(n):
            last[x] = here if row[x] else last[x]
        s = slot_of_row[y]
        if s >= 0:
            out = &gaps[s, x0]
            for x in range(n):
                d = c_abs(here - last[x])
                d = d if d < far else far
                out[x] = out[x] if out[x] < d else d
        y += step


def column_gaps(const uint8_t[:, ::1] features, const int64_t[::1] slot_of_row,
                int32_t[:, ::1] gaps, Py_ssize_t x0, Py_ssize_t x1) -> None:
    """Fill ``gaps[slot_of_row[y], x]`` (int32, pre-set to ``height + width``) for the rows
    with a slot and the columns ``x0:x1``: the distance to the nearest nonzero pixel of
    ``features`` in the column, above or below."""
    cdef Py_ssize_t height = features.shape[0]
    cdef int32_t far = <int32_t>(gaps.shape[1] + height)
    last_a = np.full(x1 - x0, -far, np.int32)  # the nearest feature at or above ...
    cdef int32_t[::1] last = last_a
    cdef Py_ssize_t x
    with nogil:
        _sweep(features, slot_of_row, gaps, x0, x1, 0, height, 1, &last[0], far)
        for x in range(x1 - x0):
            last[x] = <int32_t>height + far  # ... and at or below
        _sweep(features, slot_of_row, gaps, x0, x1, height - 1, -1, -1, &last[0], far)


def row_distances(const int32_t[:, ::1] gaps, const int64_t[::1] slot_of_row,
                  Py_ssize_t width, const int64_t[::1] points, int64_t[::1] out,
                  Py_ssize_t k0, Py_ssize_t k1) -> None:
    """Squared distances of ``points[k0:k1]`` (flat indices, ascending, rows with slots in
    ``gaps``) into ``out[k0:k1]``: the lower envelope of each row's parabolas
    ``(x - i)^2 + g(i)^2``, walked once for the row's points (which are sorted by column).

    A point at column ``x`` is at most ``g(x)`` away, so no column farther than that can be
    its nearest: the envelope is built only over the columns within reach of the row's
    points.
    """
    buffers = np.empty((3, max(width, 1)), np.int64)
    cdef int64_t[:, ::1] buf = buffers
    cdef int64_t* g2 = &buf[0, 0]
    cdef int64_t* stack = &buf[1, 0]
    cdef int64_t* starts = &buf[2, 0]
    cdef const int32_t* g
    cdef Py_ssize_t k = k0, end, j, q, segment
    cdef int64_t y, x, lo, hi, u, i, t, gu, w
    with nogil:
        while k < k1:
            y = points[k] // width
            g = &gaps[slot_of_row[y], 0]
            lo = width
            hi = 0
            end = k
            while end < k1 and points[end] // width == y:
                x = points[end] % width
                lo = min(lo, max(0, x - g[x]))
                hi = max(hi, min(width, x + g[x] + 1))
                end += 1
            for i in range(lo, hi):
                g2[i] = <int64_t>g[i] * g[i]
            q = 0
            stack[0] = lo
            starts[0] = lo
            for u in range(lo + 1, hi):
                gu = g2[u]
                while q >= 0:
                    t = starts[q]
                    i = stack[q]
                    if (t - i) * (t - i) + g2[i] <= (t - u) * (t - u) + gu:
                        break
                    q -= 1
                if q < 0:
                    q = 0
                    stack[0] = u
                    starts[0] = lo
                else:
                    i = stack[q]
                    w = 1 + _floor_div(u * u - i * i + gu - g2[i], 2 * (u - i))
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
