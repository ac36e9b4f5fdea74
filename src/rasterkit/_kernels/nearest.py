"""Exact nearest-colour search for 8-bit sRGB pixels among a set of reference colours (numba).

The reference colours (tile averages) live in a perceptual space of the form
``Q = M2 @ f(M1 @ linear(rgb)) + offset`` with ``M1 >= 0`` and ``f`` increasing (OKLab and
CIELAB both are; see :mod:`rasterkit.mosaic.colour`). Because ``linear`` and ``f`` are
increasing and ``M1`` has no negative coefficient, the image of an sRGB *cell* (a box of
``step^3`` sRGB values) lies inside a box of the perceptual space computed from the cell's two
extreme corners by interval arithmetic. For every occupied cell we keep as *candidates* the
references whose smallest possible distance to that box is at most the smallest *largest*
distance of any reference to the box: the true nearest reference of every colour in the cell is
among them. A pixel then only compares itself with its cell's few candidates. The result is
exact (ties go to the lowest reference index), with no per-pixel search over all references.

Cells are ``2^bits`` values per channel; the caller picks ``bits`` (more references: finer
cells, fewer candidates each).
"""

from __future__ import annotations

import numba
import numpy as np

_JIT = {"nogil": True, "cache": True, "boundscheck": False}
#: Relative slack on box bounds and thresholds, so floating-point rounding can only add
#: candidates, never drop the true nearest one.
_SLACK = 1e-9


@numba.njit(**_JIT)
def _f(p: float, kind: int) -> float:  # pragma: no cover - compiled
    if kind == 0:
        return np.cbrt(p)
    if p > 0.008856451679035631:  # (6/29)^3
        return np.cbrt(p)
    return p * 7.787037037037037 + 0.13793103448275862  # p / (3 (6/29)^2) + 4/29


@numba.njit(**_JIT)
def to_space(r: int, g: int, b: int, lut: np.ndarray, m1: np.ndarray, m2: np.ndarray,
             off: np.ndarray, kind: int, out: np.ndarray) -> None:  # pragma: no cover
    """Coordinates of sRGB (r, g, b) in the space, written to ``out[0:3]``."""
    lr, lg, lb = lut[r], lut[g], lut[b]
    q0 = _f(m1[0, 0] * lr + m1[0, 1] * lg + m1[0, 2] * lb, kind)
    q1 = _f(m1[1, 0] * lr + m1[1, 1] * lg + m1[1, 2] * lb, kind)
    q2 = _f(m1[2, 0] * lr + m1[2, 1] * lg + m1[2, 2] * lb, kind)
    for i in range(3):
        out[i] = m2[i, 0] * q0 + m2[i, 1] * q1 + m2[i, 2] * q2 + off[i]


@numba.njit(**_JIT)
def pixels_to_space(rgb: np.ndarray, lut: np.ndarray, m1: np.ndarray, m2: np.ndarray,
                    off: np.ndarray, kind: int) -> np.ndarray:  # pragma: no cover - compiled
    """``(N, 3)`` uint8 sRGB -> ``(N, 3)`` float64 coordinates."""
    n = rgb.shape[0]
    out = np.empty((n, 3))
    for i in range(n):
        to_space(rgb[i, 0], rgb[i, 1], rgb[i, 2], lut, m1, m2, off, kind, out[i])
    return out


@numba.njit(**_JIT)
def _cell_box(cell: int, bits: int, lut: np.ndarray, m1: np.ndarray, m2: np.ndarray,
              off: np.ndarray, kind: int, lo: np.ndarray,
              hi: np.ndarray) -> None:  # pragma: no cover - compiled
    step = 256 >> bits
    mask = (1 << bits) - 1
    c = np.empty(3, np.int64)
    c[0] = (cell >> (2 * bits)) & mask
    c[1] = (cell >> bits) & mask
    c[2] = cell & mask
    plo = np.zeros(3)
    phi = np.zeros(3)
    for i in range(3):
        for j in range(3):  # m1 >= 0: the box corners bound each row's sum
            plo[i] += m1[i, j] * lut[c[j] * step]
            phi[i] += m1[i, j] * lut[c[j] * step + step - 1]
    for i in range(3):
        plo[i] = _f(plo[i], kind)
        phi[i] = _f(phi[i], kind)
    for i in range(3):
        a = off[i]
        b = off[i]
        for j in range(3):
            x = m2[i, j] * plo[j]
            y = m2[i, j] * phi[j]
            a += min(x, y)
            b += max(x, y)
        pad = _SLACK * (abs(a) + abs(b) + 1.0)
        lo[i] = a - pad
        hi[i] = b + pad


@numba.njit(**_JIT)
def _cell_candidates(cell: int, bits: int, pool: np.ndarray, refs: np.ndarray, lut: np.ndarray,
                     m1: np.ndarray, m2: np.ndarray, off: np.ndarray, kind: int,
                     keep: np.ndarray) -> int:  # pragma: no cover - compiled
    """Mark which references of ``pool`` are candidates of ``cell`` (``keep[j]`` for
    ``pool[j]``); returns their count."""
    lo = np.empty(3)
    hi = np.empty(3)
    _cell_box(cell, bits, lut, m1, m2, off, kind, lo, hi)
    k = pool.shape[0]
    mins = np.empty(k)
    bound = np.inf
    for j in range(k):
        t = pool[j]
        dmin = 0.0
        dmax = 0.0
        for i in range(3):
            v = refs[t, i]
            gap = max(lo[i] - v, v - hi[i], 0.0)
            dmin += gap * gap
            far = max(abs(v - lo[i]), abs(v - hi[i]))
            dmax += far * far
        mins[j] = dmin
        bound = min(bound, dmax)
    bound = bound * (1.0 + _SLACK) + 1e-300
    count = 0
    for j in range(k):
        keep[j] = mins[j] <= bound
        count += keep[j]
    return count


@numba.njit(**_JIT)
def candidate_lists(cells: np.ndarray, bits: int, parent_bits: int, parent_slot: np.ndarray,
                    parent_begin: np.ndarray, parent_end: np.ndarray,
                    parent_radius: np.ndarray, flat: np.ndarray, budget: int,
                    refs: np.ndarray, lut: np.ndarray, m1: np.ndarray, m2: np.ndarray,
                    off: np.ndarray, kind: int) -> tuple[np.ndarray, ...]:  # pragma: no cover
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
    n = cells.shape[0]
    begin = np.empty(n, np.int64)
    end = np.empty(n, np.int64)
    radius = np.empty(n)
    keep = np.empty(refs.shape[0], np.bool_)
    lo = np.empty(3)
    hi = np.empty(3)
    down = bits - parent_bits
    mask = (1 << bits) - 1
    out = np.empty(max(16, min(budget, 8 * n)), np.int32)
    out_keys = np.empty(out.shape[0])
    used = 0
    for i in range(n):
        cell = cells[i]
        parent = (((cell >> (2 * bits)) >> down) << (2 * parent_bits)) \
            | ((((cell >> bits) & mask) >> down) << parent_bits) | ((cell & mask) >> down)
        s = parent_slot[parent]
        pool = flat[parent_begin[s]:parent_end[s]]
        count = _cell_candidates(cell, bits, pool, refs, lut, m1, m2, off, kind, keep)
        if 2 * count > pool.shape[0] or used + count > budget:
            begin[i] = parent_begin[s]
            end[i] = parent_end[s]
            radius[i] = parent_radius[s]
            continue
        if used + count > out.shape[0]:
            size = max(2 * out.shape[0], used + count)
            grown = np.empty(size, np.int32)
            grown[:used] = out[:used]
            out = grown
            grown_keys = np.empty(size)
            grown_keys[:used] = out_keys[:used]
            out_keys = grown_keys
        _cell_box(cell, bits, lut, m1, m2, off, kind, lo, hi)
        r2 = 0.0
        for d in range(3):
            r2 += (0.5 * (hi[d] - lo[d])) ** 2
        radius[i] = np.sqrt(r2) * (1.0 + _SLACK)
        first = used
        for j in range(pool.shape[0]):
            if keep[j]:
                t = pool[j]
                c2 = 0.0
                for d in range(3):
                    c2 += (refs[t, d] - 0.5 * (lo[d] + hi[d])) ** 2
                out[used] = t
                out_keys[used] = np.sqrt(c2)
                used += 1
        order = np.argsort(out_keys[first:used], kind="mergesort")
        out[first:used] = out[first:used][order]
        out_keys[first:used] = out_keys[first:used][order]
        begin[i] = -first - 1
        end[i] = -used - 1
    return begin, end, radius, out, out_keys, used


@numba.njit(parallel=True, **_JIT)
def nearest(rgb: np.ndarray, bits: int, slot: np.ndarray, begin: np.ndarray, end: np.ndarray,
            flat: np.ndarray, keys: np.ndarray, radius: np.ndarray, refs: np.ndarray,
            lut: np.ndarray, m1: np.ndarray, m2: np.ndarray, off: np.ndarray, kind: int,
            best: np.ndarray, dist2: np.ndarray) -> None:  # pragma: no cover - compiled
    """Nearest reference of each pixel of ``rgb`` ``(rows, cols, 3)`` uint8 into ``best``
    ``(rows, cols)`` int32 and its squared distance into ``dist2`` (float64); ties go to the
    lowest reference index.

    ``slot[cell]`` is the index of the cell in the candidate lists of :func:`candidate_lists`.
    """
    rows, cols = rgb.shape[0], rgb.shape[1]
    shift = 8 - bits
    for y in numba.prange(rows):
        q = np.empty(3)
        last = -1
        last_best = 0
        last_d = 0.0
        for x in range(cols):
            r, g, b = rgb[y, x, 0], rgb[y, x, 1], rgb[y, x, 2]
            packed = (np.int64(r) << 16) | (np.int64(g) << 8) | np.int64(b)
            if packed != last:
                last = packed
                to_space(r, g, b, lut, m1, m2, off, kind, q)
                cell = ((np.int64(r) >> shift) << (2 * bits)) | ((np.int64(g) >> shift) << bits) \
                    | (np.int64(b) >> shift)
                s = slot[cell]
                rad = radius[s]
                last_d = np.inf
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


@numba.njit(**_JIT)
def assign_constrained(coords: np.ndarray, first: np.ndarray, refs: np.ndarray, cols: int,
                       order: np.ndarray, max_uses: int, min_distance: int,
                       out: np.ndarray, dist2: np.ndarray) -> int:  # pragma: no cover
    """Greedy assignment with a use cap and a minimum distance between repeats.

    Cells are visited in ``order`` (flat indices); each takes the nearest reference that has
    been used fewer than ``max_uses`` times (0: no cap) and is not already used by a cell within
    Chebyshev distance ``min_distance`` (0: no rule). ``first`` holds each cell's unconstrained
    nearest reference (tried first, as it usually is allowed); ``coords`` ``(N, 3)`` the cells'
    colours. When no reference satisfies both rules, the distance rule is dropped for that cell
    (the cap is kept; the caller checks ``max_uses * K >= N``). Writes ``out`` (N,) and
    ``dist2``; returns the number of cells that broke the distance rule.
    """
    n = coords.shape[0]
    k = refs.shape[0]
    rows = n // cols
    uses = np.zeros(k, np.int64)
    stamp = np.full(k, -1, np.int64)
    out[:] = -1
    conflicts = 0
    for p in order:
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
            chosen_d = np.inf
            relaxed = -1
            relaxed_d = np.inf
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
                        chosen = j
                elif d < relaxed_d:
                    relaxed_d = d
                    relaxed = j
            if chosen < 0:
                chosen = relaxed
                chosen_d = relaxed_d
                conflicts += 1
        out[p] = chosen
        dist2[p] = chosen_d
        uses[chosen] += 1
    return conflicts
