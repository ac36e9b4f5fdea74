"""In-memory connected components on runs, with an area decision per component.

Pipeline (see :mod:`rasterkit.morphology.small_objects`):

1. :func:`label_block` scans a block of rows into runs and joins touching runs of adjacent
   rows in a union-find forest over run indices (the root of a component is its first run in
   raster order). Blocks run in separate threads (the kernels release the GIL).
2. :func:`link_rows` joins the last row of a block to the first row of the next.
3. :func:`decide` sums each component's area over its runs and decides which components
   change (removed objects, filled holes), counting them.
4. :func:`apply_rows` copies a range of rows to the output and overwrites the runs of the
   components that change; again one call per thread.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .runs import complement_runs, find_root, first_touching, grow, row_buffers, scan_row


@njit(inline="always")
def _union(parent, a, b):
    ra = find_root(parent, a)
    rb = find_root(parent, b)
    if ra < rb:
        parent[rb] = ra
    elif rb < ra:
        parent[ra] = rb


@njit(cache=True, nogil=True)
def link_rows(parent, starts, ends, a0, a1, b0, b1, reach):
    """Join every run ``b0:b1`` (a row) to the runs ``a0:a1`` (the row above) it touches."""
    j = a0
    for i in range(b0, b1):
        j = first_touching(starts, ends, j, a1, starts[i], reach)
        k = j
        while k < a1 and starts[k] < ends[i] + reach:
            _union(parent, i, k)
            k += 1


@njit(cache=True, nogil=True)
def label_block(flat, words, width, row0, row1, fg, reach, background):
    """Runs of rows ``row0:row1`` of the image ``flat`` (row-major, ``width`` wide), joined.

    ``background`` selects the zero runs instead of the nonzero ones. Returns ``(row_ptr,
    starts, ends, parent, fg, bad)``: the runs of row ``row0 + r`` are
    ``row_ptr[r]:row_ptr[r + 1]``; ``parent`` is the union-find forest over the block's run
    indices; ``fg`` and ``bad`` are as in :func:`rasterkit._kernels.runs.scan_row` (on
    ``bad`` the arrays are incomplete and must not be used).
    """
    nrows = row1 - row0
    per_row = width // 2 + 2
    capacity = max(4 * nrows + per_row, 4096)
    starts = np.empty(capacity, np.int32)
    ends = np.empty(capacity, np.int32)
    parent = np.empty(capacity, np.int64)
    row_ptr = np.zeros(nrows + 1, np.int64)
    _, _, row_s, row_e = row_buffers(width)
    n = 0
    for r in range(nrows):
        if n + per_row > capacity:
            capacity = 2 * capacity + per_row
            starts = grow(starts, capacity)
            ends = grow(ends, capacity)
            parent = grow(parent, capacity)
        row_ptr[r] = n
        base = (row0 + r) * width
        if background:
            k, fg, bad = scan_row(flat, words, base, width, fg, row_s, row_e, 0)
            if bad:
                return row_ptr, starts, ends, parent, fg, True
            n = complement_runs(row_s, row_e, 0, k, width, starts, ends, n)
        else:
            n, fg, bad = scan_row(flat, words, base, width, fg, starts, ends, n)
            if bad:
                return row_ptr, starts, ends, parent, fg, True
        for i in range(row_ptr[r], n):
            parent[i] = i
        if r > 0:
            link_rows(parent, starts, ends, row_ptr[r - 1], row_ptr[r], row_ptr[r], n, reach)
    row_ptr[nrows] = n
    return row_ptr, starts[:n], ends[:n], parent[:n], fg, False


@njit(cache=True, nogil=True)
def decide(parent, starts, ends, row_ptr, width, min_area, max_area, holes):
    """Decide, for every component, whether it changes; returns ``(change, counts)``.

    Objects (``holes`` false) change (are removed) when their area is below ``min_area`` or,
    with ``max_area >= 0``, above ``max_area``. Holes (``holes`` true) are zero components
    that touch no image border; they change (are filled) when their area is below
    ``min_area``; components touching a border are never counted. ``change[i]`` is 1 for
    every run ``i`` of a changing component. ``counts`` = (changed components, unchanged
    components, changed pixels). ``parent`` is flattened in place (every entry a root).
    """
    n = parent.size
    area = np.zeros(n, np.int64)
    border = np.zeros(n, np.uint8)
    for i in range(n):
        root = parent[parent[i]]  # parent[j] <= j, and entries below i are already roots
        parent[i] = root
        area[root] += ends[i] - starts[i]
        if holes and (starts[i] == 0 or ends[i] == width):
            border[root] = 1
    if holes:
        last = row_ptr.size - 2
        for i in range(row_ptr[0], row_ptr[1]):
            border[parent[i]] = 1
        for i in range(row_ptr[last], row_ptr[last + 1]):
            border[parent[i]] = 1
    change = np.zeros(n, np.uint8)
    changed = 0
    unchanged = 0
    pixels = 0
    for i in range(n):
        if parent[i] != i or border[i]:
            continue
        a = area[i]
        if a < min_area or (max_area >= 0 and a > max_area):
            change[i] = 1
            changed += 1
            pixels += a
        else:
            unchanged += 1
    for i in range(n):
        change[i] = change[parent[i]]
    return change, (changed, unchanged, pixels)


@njit(cache=True, nogil=True)
def apply_rows(flat, out, width, row0, row1, row_ptr, starts, ends, change, value):
    """Copy rows ``row0:row1`` of ``flat`` to ``out`` and set the changing runs to ``value``.

    ``row_ptr`` indexes the runs of the whole image (row ``y``: ``row_ptr[y]:row_ptr[y+1]``).
    """
    for y in range(row0, row1):
        base = y * width
        out[base:base + width] = flat[base:base + width]
        for i in range(row_ptr[y], row_ptr[y + 1]):
            if change[i]:
                out[base + starts[i]:base + ends[i]] = value
