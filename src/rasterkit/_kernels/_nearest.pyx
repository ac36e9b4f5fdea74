# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False
"""Exact nearest-colour search for 8-bit sRGB pixels among a set of reference colours.

The reference colours (tile averages) live in a perceptual space of the form
``Q = M2 @ f(M1 @ linear(rgb)) + offset`` with ``M1 >= 0`` and ``f`` increasing (OKLab and
CIELAB both are; see :mod:`rasterkit.photomosaic.colour`). Because ``linear`` and ``f`` are
increasing and ``M1`` has no negative coefficient, the image of an sRGB *cell* (a box of
``step^3`` sRGB values) lies inside a box of the perceptual space computed from the cell's two
extreme corners by interval arithmetic. For every occupied cell we keep as *candidates* the
references whose smallest possible distance to that box is at most the smallest *largest*
distance of any reference to the box: the true nearest reference of every colour in the cell is
among them. A pixel then only compares itself with its cell's few candidates. The result is
exact (ties go to the lowest reference index), with no per-pixel search over all references.

Cells are ``2^bits`` values per channel; the caller picks ``bits`` (more references: finer
cells, fewer candidates each). Every kernel releases the GIL: the caller runs bands of rows
(:func:`nearest`) or parts of a level (:func:`candidate_lists`) on threads.
"""

import numpy as np

from libc.math cimport INFINITY, cbrt, fabs, sqrt
from libc.stdint cimport int32_t, int64_t, uint8_t

#: Relative slack on box bounds and thresholds, so floating-point rounding can only add
#: candidates, never drop the true nearest one.
cdef double _SLACK = 1e-9


cdef struct Space:
    # the colour space's arguments: sRGB -> linear table (256), M1, M2 (3 x 3, row-major),
    # offset (3) and the kind of f (0 cube root, 1 CIE 1976)
    const double* lut
    const double* m1
    const double* m2
    const double* off
    int kind


cdef Space _space(const double[::1] lut, const double[:, ::1] m1, const double[:, ::1] m2,
                  const double[::1] off, int kind) except *:
    if lut.shape[0] != 256 or m1.shape[0] != 3 or m1.shape[1] != 3 or m2.shape[0] != 3 \
            or m2.shape[1] != 3 or off.shape[0] != 3:
        raise ValueError("lut must have 256 entries, m1 and m2 be 3 x 3, off have 3")
    return Space(&lut[0], &m1[0, 0], &m2[0, 0], &off[0], kind)


cdef inline double _f(double p, int kind) noexcept nogil:
    if kind == 0:
        return cbrt(p)
    if p > 0.008856451679035631:  # (6/29)^3
        return cbrt(p)
    return p * 7.787037037037037 + 0.13793103448275862  # p / (3 (6/29)^2) + 4/29


cdef inline void _to_space(int64_t r, int64_t g, int64_t b, const Space* sp,
                           double* out) noexcept nogil:
    """Coordinates of sRGB (r, g, b) in the space, written to ``out[0:3]``."""
    cdef const double* m1 = sp.m1
    cdef const double* m2 = sp.m2
    cdef double lr = sp.lut[r], lg = sp.lut[g], lb = sp.lut[b]
    cdef double q0 = _f(m1[0] * lr + m1[1] * lg + m1[2] * lb, sp.kind)
    cdef double q1 = _f(m1[3] * lr + m1[4] * lg + m1[5] * lb, sp.kind)
    cdef double q2 = _f(m1[6] * lr + m1[7] * lg + m1[8] * lb, sp.kind)
    cdef int i
    for i in range(3):
        out[i] = m2[3 * i] * q0 + m2[3 * i + 1] * q1 + m2[3 * i + 2] * q2 + sp.off[i]


def pixels_to_space(const uint8_t[:, ::1] rgb, const double[::1] lut, const double[:, ::1] m1,
                    const double[:, ::1] m2, const double[::1] off, int kind):
    """``(N, 3)`` uint8 sRGB -> ``(N, 3)`` float64 coordinates."""
    cdef Space sp = _space(lut, m1, m2, off, kind)
    cdef Py_ssize_t n = rgb.shape[0], i
    out_a = np.empty((n, 3))
    cdef double[:, ::1] out = out_a
    with nogil:
        for i in range(n):
            _to_space(rgb[i, 0], rgb[i, 1], rgb[i, 2], &sp, &out[i, 0])
    return out_a


cdef void _cell_box(int64_t cell, int bits, const Space* sp, double* lo,
                    double* hi) noexcept nogil:
    cdef int64_t step = 256 >> bits
    cdef int64_t mask = (1 << bits) - 1
    cdef int64_t c[3]
    cdef double plo[3]
    cdef double phi[3]
    cdef double a, b, x, y, pad
    cdef int i, j
    c[0] = (cell >> (2 * bits)) & mask
    c[1] = (cell >> bits) & mask
    c[2] = cell & mask
    for i in range(3):
        plo[i] = 0.0
        phi[i] = 0.0
        for j in range(3):  # m1 >= 0: the box corners bound each row's sum
            plo[i] += sp.m1[3 * i + j] * sp.lut[c[j] * step]
            phi[i] += sp.m1[3 * i + j] * sp.lut[c[j] * step + step - 1]
    for i in range(3):
        plo[i] = _f(plo[i], sp.kind)
        phi[i] = _f(phi[i], sp.kind)
    for i in range(3):
        a = sp.off[i]
        b = sp.off[i]
        for j in range(3):
            x = sp.m2[3 * i + j] * plo[j]
            y = sp.m2[3 * i + j] * phi[j]
            a += min(x, y)
            b += max(x, y)
        pad = _SLACK * (fabs(a) + fabs(b) + 1.0)
        lo[i] = a - pad
        hi[i] = b + pad


cdef Py_ssize_t _cell_candidates(int64_t cell, int bits, const int32_t* pool, Py_ssize_t k,
                                 const double[:, ::1] refs, const Space* sp, uint8_t* keep,
                                 double* mins) noexcept nogil:
    """Mark which references of ``pool[:k]`` are candidates of ``cell`` (``keep[j]`` for
    ``pool[j]``); returns their count. ``mins`` is scratch of ``k`` items."""
    cdef double lo[3]
    cdef double hi[3]
    cdef double bound = INFINITY, dmin, dmax, v, gap, far
    cdef Py_ssize_t j, count = 0
    cdef int i
    cdef int32_t t
    _cell_box(cell, bits, sp, lo, hi)
    for j in range(k):
        t = pool[j]
        dmin = 0.0
        dmax = 0.0
        for i in range(3):
            v = refs[t, i]
            gap = max(lo[i] - v, v - hi[i], 0.0)
            dmin += gap * gap
            far = max(fabs(v - lo[i]), fabs(v - hi[i]))
            dmax += far * far
        mins[j] = dmin
        bound = min(bound, dmax)
    bound = bound * (1.0 + _SLACK) + 1e-300
    for j in range(k):
        keep[j] = mins[j] <= bound
        count += keep[j]
    return count


cdef void _sort_by_key(int32_t* items, double* keys, Py_ssize_t n, int32_t* tmp_items,
                       double* tmp_keys) noexcept nogil:
    """Sort ``items`` and ``keys`` together by ``keys``, stably (merge sort, bottom-up;
    ``tmp_*`` hold ``n`` items)."""
    cdef Py_ssize_t width, lo, mid, hi, i, j, o, w
    cdef int32_t* src_i = items
    cdef double* src_k = keys
    cdef int32_t* dst_i = tmp_items
    cdef double* dst_k = tmp_keys
    cdef int32_t* swap_i
    cdef double* swap_k
    cdef int32_t item
    cdef double key
    # insertion sort of runs of 16, then merges
    lo = 0
    while lo < n:
        hi = min(lo + 16, n)
        for i in range(lo + 1, hi):
            item = items[i]
            key = keys[i]
            j = i
            while j > lo and keys[j - 1] > key:
                items[j] = items[j - 1]
                keys[j] = keys[j - 1]
                j -= 1
            items[j] = item
            keys[j] = key
        lo = hi
    width = 16
    while width < n:
        lo = 0
        while lo < n:
            mid = min(lo + width, n)
            hi = min(lo + 2 * width, n)
            i = lo
            j = mid
            o = lo
            while i < mid and j < hi:
                if src_k[j] < src_k[i]:
                    dst_i[o] = src_i[j]
                    dst_k[o] = src_k[j]
                    j += 1
                else:
                    dst_i[o] = src_i[i]
                    dst_k[o] = src_k[i]
                    i += 1
                o += 1
            while i < mid:
                dst_i[o] = src_i[i]
                dst_k[o] = src_k[i]
                i += 1
                o += 1
            while j < hi:
                dst_i[o] = src_i[j]
                dst_k[o] = src_k[j]
                j += 1
                o += 1
            lo = hi
        swap_i = src_i  # the merged runs are the next pass's input
        src_i = dst_i
        dst_i = swap_i
        swap_k = src_k
        src_k = dst_k
        dst_k = swap_k
        width *= 2
    if src_i != items:
        for w in range(n):
            items[w] = src_i[w]
            keys[w] = src_k[w]


def _grown(array, Py_ssize_t used, Py_ssize_t size):
    """A copy of ``array[:used]`` with room for ``size`` items."""
    bigger = np.empty(size, array.dtype)
    bigger[:used] = array[:used]
    return bigger


def candidate_lists(const int64_t[::1] cells, int bits, int parent_bits,
                    const int64_t[::1] parent_slot, const int64_t[::1] parent_begin,
                    const int64_t[::1] parent_end, const double[::1] parent_radius,
                    const int32_t[::1] flat, Py_ssize_t budget, const double[:, ::1] refs,
                    const double[::1] lut, const double[:, ::1] m1, const double[:, ::1] m2,
                    const double[::1] off, int kind):
    """Candidate lists of the cells ``cells`` (``bits`` per channel).

    The lists of the coarser level (``parent_*``, ``parent_bits`` per channel) are slices
    ``flat[begin:end]`` of ``flat``. Each cell only examines the list of the coarser cell
    containing it (the true nearest of every colour of the cell is in it, since the cell lies
    inside its parent). A cell whose own list would not be at most half its parent's, or would
    take this call past ``budget`` new entries, shares its parent's list (and radius), so
    memory stays bounded even when every reference is a candidate everywhere (near-identical
    tiles).

    Returns ``(begin, end, radius, new_flat, new_keys, count)``: a cell with its own list has
    it at ``new_flat[-begin - 1:-end - 1]`` (negative ``begin``/``end``: the caller moves them
    after ``flat`` when it appends ``new_flat[:count]``), sorted by ``new_keys``, the
    candidates' distances to the centre of the cell's box, whose half-diagonal is ``radius``:
    a colour in the cell is at least ``key - radius`` from a candidate, which lets the pixel
    search stop early. Several calls on parts of a level can run on threads at once (no GIL).
    """
    cdef Space sp = _space(lut, m1, m2, off, kind)
    cdef Py_ssize_t n = cells.shape[0], nrefs = refs.shape[0]
    begin_a = np.empty(n, np.int64)
    end_a = np.empty(n, np.int64)
    radius_a = np.empty(n)
    scratch_a = np.empty(nrefs, np.float64)
    keep_a = np.empty(nrefs, np.uint8)
    sort_a = np.empty(nrefs, np.int32)
    sort_keys_a = np.empty(nrefs, np.float64)
    cdef int64_t[::1] begin = begin_a
    cdef int64_t[::1] end = end_a
    cdef double[::1] radius = radius_a
    cdef double[::1] mins = scratch_a
    cdef uint8_t[::1] keep = keep_a
    cdef int32_t[::1] sort_items = sort_a
    cdef double[::1] sort_keys = sort_keys_a
    cdef Py_ssize_t capacity = max(16, min(budget, 8 * n))
    out_a = np.empty(capacity, np.int32)
    out_keys_a = np.empty(capacity)
    cdef int32_t[::1] out = out_a
    cdef double[::1] out_keys = out_keys_a
    cdef int down = bits - parent_bits
    cdef int64_t mask = (1 << bits) - 1
    cdef Py_ssize_t used = 0, i, j, first, count, size, pool_size
    cdef int64_t cell, parent, s
    cdef const int32_t* pool
    cdef double lo[3]
    cdef double hi[3]
    cdef double r2, c2, half
    cdef int d
    cdef int32_t t
    with nogil:
        for i in range(n):
            cell = cells[i]
            parent = (((cell >> (2 * bits)) >> down) << (2 * parent_bits)) \
                | ((((cell >> bits) & mask) >> down) << parent_bits) | ((cell & mask) >> down)
            s = parent_slot[parent]
            pool = &flat[0] + parent_begin[s]
            pool_size = parent_end[s] - parent_begin[s]
            count = _cell_candidates(cell, bits, pool, pool_size, refs, &sp, &keep[0],
                                     &mins[0])
            if 2 * count > pool_size or used + count > budget:
                begin[i] = parent_begin[s]
                end[i] = parent_end[s]
                radius[i] = parent_radius[s]
                continue
            if used + count > out.shape[0]:
                size = max(2 * out.shape[0], used + count)
                with gil:
                    out_a = _grown(out_a, used, size)
                    out_keys_a = _grown(out_keys_a, used, size)
                    out = out_a
                    out_keys = out_keys_a
            _cell_box(cell, bits, &sp, lo, hi)
            r2 = 0.0
            for d in range(3):
                half = 0.5 * (hi[d] - lo[d])
                r2 += half * half
            radius[i] = sqrt(r2) * (1.0 + _SLACK)
            first = used
            for j in range(pool_size):
                if keep[j]:
                    t = pool[j]
                    c2 = 0.0
                    for d in range(3):
                        half = refs[t, d] - 0.5 * (lo[d] + hi[d])
                        c2 += half * half
                    out[used] = t
                    out_keys[used] = sqrt(c2)
                    used += 1
            _sort_by_key(&out[first], &out_keys[first], used - first, &sort_items[0],
                         &sort_keys[0])
            begin[i] = -first - 1
            end[i] = -used - 1
    return begin_a, end_a, radius_a, out_a, out_keys_a, used


def nearest(const uint8_t[:, :, ::1] rgb, int bits, const int64_t[::1] slot,
            const int64_t[::1] begin, const int64_t[::1] end, const int32_t[::1] flat,
            const double[::1] keys, const double[::1] radius, const double[:, ::1] refs,
            const double[::1] lut, const double[:, ::1] m1, const double[:, ::1] m2,
            const double[::1] off, int kind, int32_t[:, ::1] best,
            double[:, ::1] dist2) -> None:
    """Nearest reference of each pixel of ``rgb`` ``(rows, cols, 3)`` uint8 into ``best``
    ``(rows, cols)`` int32 and its squared distance into ``dist2`` (float64); ties go to the
    lowest reference index.

    ``slot[cell]`` is the index of the cell in the candidate lists of :func:`candidate_lists`.
    One thread; callers run bands of rows on threads (the GIL is released).
    """
    if rgb.shape[2] != 3:
        raise ValueError(f"rgb must be (rows, cols, 3), not {tuple(rgb.shape)}")
    cdef Space sp = _space(lut, m1, m2, off, kind)
    cdef Py_ssize_t rows = rgb.shape[0], cols = rgb.shape[1], y, x, j
    cdef int shift = 8 - bits
    cdef double q[3]
    cdef int64_t last, packed, cell, s, r, g, b
    cdef int32_t last_best, t
    cdef double last_d, rad, gap, d0, d1, d2, d
    with nogil:
        for y in range(rows):
            last = -1
            last_best = 0
            last_d = 0.0
            for x in range(cols):
                r = rgb[y, x, 0]
                g = rgb[y, x, 1]
                b = rgb[y, x, 2]
                packed = (r << 16) | (g << 8) | b
                if packed != last:
                    last = packed
                    _to_space(r, g, b, &sp, q)
                    cell = ((r >> shift) << (2 * bits)) | ((g >> shift) << bits) | (b >> shift)
                    s = slot[cell]
                    rad = radius[s]
                    last_d = INFINITY
                    last_best = 0x7FFFFFFF
                    for j in range(begin[s], end[s]):
                        gap = keys[j] - rad
                        if gap > 0.0 and gap * gap > last_d:
                            break  # every later candidate is at least this far
                        t = flat[j]
                        d0 = q[0] - refs[t, 0]
                        d1 = q[1] - refs[t, 1]
                        d2 = q[2] - refs[t, 2]
                        d = d0 * d0 + d1 * d1 + d2 * d2
                        if d < last_d or (d == last_d and t < last_best):
                            last_d = d
                            last_best = t
                best[y, x] = last_best
                dist2[y, x] = last_d


def assign_constrained(const double[:, ::1] coords, const int32_t[::1] first,
                       const double[:, ::1] refs, Py_ssize_t cols, const int64_t[::1] order,
                       int64_t max_uses, Py_ssize_t min_distance, int32_t[::1] out,
                       double[::1] dist2) -> int:
    """Greedy assignment with a use cap and a minimum distance between repeats.

    Cells are visited in ``order`` (flat indices); each takes the nearest reference that has
    been used fewer than ``max_uses`` times (0: no cap) and is not already used by a cell within
    Chebyshev distance ``min_distance`` (0: no rule). ``first`` holds each cell's unconstrained
    nearest reference (tried first, as it usually is allowed); ``coords`` ``(N, 3)`` the cells'
    colours. When no reference satisfies both rules, the distance rule is dropped for that cell
    (the cap is kept; the caller checks ``max_uses * K >= N``). Writes ``out`` (N,) and
    ``dist2``; returns the number of cells that broke the distance rule.
    """
    cdef Py_ssize_t n = coords.shape[0], k = refs.shape[0]
    cdef Py_ssize_t rows = n // cols if cols else 0
    uses_a = np.zeros(k, np.int64)
    stamp_a = np.full(k, -1, np.int64)
    cdef int64_t[::1] uses = uses_a
    cdef int64_t[::1] stamp = stamp_a
    cdef Py_ssize_t i, y, x, yy, xx, j
    cdef int64_t p, conflicts = 0
    cdef int32_t used, t, chosen, relaxed
    cdef double d0, d1, d2, d, chosen_d, relaxed_d
    with nogil:
        for i in range(out.shape[0]):
            out[i] = -1
        for i in range(order.shape[0]):
            p = order[i]
            y = p // cols
            x = p - y * cols
            if min_distance > 0:
                for yy in range(max(0, y - min_distance), min(rows, y + min_distance + 1)):
                    for xx in range(max(0, x - min_distance), min(cols, x + min_distance + 1)):
                        used = out[yy * cols + xx]
                        if used >= 0:
                            stamp[used] = p
            t = first[p]
            if (max_uses == 0 or uses[t] < max_uses) and stamp[t] != p:
                chosen = t
                d0 = coords[p, 0] - refs[t, 0]
                d1 = coords[p, 1] - refs[t, 1]
                d2 = coords[p, 2] - refs[t, 2]
                chosen_d = d0 * d0 + d1 * d1 + d2 * d2
            else:
                chosen = -1
                chosen_d = INFINITY
                relaxed = -1
                relaxed_d = INFINITY
                for j in range(k):
                    if max_uses > 0 and uses[j] >= max_uses:
                        continue
                    d0 = coords[p, 0] - refs[j, 0]
                    d1 = coords[p, 1] - refs[j, 1]
                    d2 = coords[p, 2] - refs[j, 2]
                    d = d0 * d0 + d1 * d1 + d2 * d2
                    if stamp[j] != p:
                        if d < chosen_d:
                            chosen_d = d
                            chosen = <int32_t>j
                    elif d < relaxed_d:
                        relaxed_d = d
                        relaxed = <int32_t>j
                if chosen < 0:
                    chosen = relaxed
                    chosen_d = relaxed_d
                    conflicts += 1
            out[p] = chosen
            dist2[p] = chosen_d
            uses[chosen] += 1
    return conflicts
