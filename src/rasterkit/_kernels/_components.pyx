# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False
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

Pixels are bytes (0 background, one nonzero foreground value); run columns are int32, run
indices int64. The arrays returned are ``array.array`` (no numpy: see ``_arrays.pxd``).
"""

from cpython cimport array
from libc.stdint cimport int32_t, int64_t, uint8_t, uint64_t
from libc.string cimport memcpy, memset

from ._arrays cimport grown, head, new_array
from ._runs cimport find_root64, first_touching, scan_polarity


cdef inline void _union(int64_t* parent, int64_t a, int64_t b) noexcept nogil:
    cdef int64_t ra = find_root64(parent, a)
    cdef int64_t rb = find_root64(parent, b)
    if ra < rb:
        parent[rb] = ra
    elif rb < ra:
        parent[ra] = rb


cdef void _link(int64_t* parent, const int32_t* starts, const int32_t* ends, Py_ssize_t a0,
                Py_ssize_t a1, Py_ssize_t b0, Py_ssize_t b1, int reach) noexcept nogil:
    cdef Py_ssize_t i, k
    cdef Py_ssize_t j = a0
    for i in range(b0, b1):
        j = first_touching(starts, ends, j, a1, starts[i], reach)
        k = j
        while k < a1 and starts[k] < ends[i] + reach:
            _union(parent, i, k)
            k += 1


def link_rows(int64_t[::1] parent, const int32_t[::1] starts, const int32_t[::1] ends,
              Py_ssize_t a0, Py_ssize_t a1, Py_ssize_t b0, Py_ssize_t b1, int reach) -> None:
    """Join every run ``b0:b1`` (a row) to the runs ``a0:a1`` (the row above) it touches."""
    with nogil:
        _link(&parent[0], &starts[0], &ends[0], a0, a1, b0, b1, reach)


def label_block(const uint8_t[::1] flat, const uint64_t[::1] words, Py_ssize_t width,
                Py_ssize_t row0, Py_ssize_t row1, fg, int reach, bint background):
    """Runs of rows ``row0:row1`` of the image ``flat`` (row-major, ``width`` wide), joined.

    ``background`` selects the zero runs instead of the nonzero ones. Returns ``(row_ptr,
    starts, ends, parent, fg, bad)``: the runs of row ``row0 + r`` are
    ``row_ptr[r]:row_ptr[r + 1]``; ``parent`` is the union-find forest over the block's run
    indices; ``fg`` is the foreground value found (0: none) and ``bad`` is true when a second
    nonzero value turned up (the arrays are then incomplete and must not be used).
    """
    cdef Py_ssize_t nrows = row1 - row0
    cdef Py_ssize_t per_row = width // 2 + 2
    cdef Py_ssize_t capacity = max(4 * nrows + per_row, 4096)
    cdef array.array starts_a = new_array("i", capacity, False)
    cdef array.array ends_a = new_array("i", capacity, False)
    cdef array.array parent_a = new_array("q", capacity, False)
    cdef array.array row_ptr_a = new_array("q", nrows + 1, True)
    cdef array.array scratch_a = new_array("i", 2 * per_row, False)
    cdef int32_t[::1] starts = starts_a
    cdef int32_t[::1] ends = ends_a
    cdef int64_t[::1] parent = parent_a
    cdef int64_t[::1] row_ptr = row_ptr_a
    cdef int32_t[::1] scratch = scratch_a
    cdef const uint64_t* word_ptr = &words[0] if words.shape[0] else NULL
    cdef Py_ssize_t nwords = words.shape[0]
    cdef uint8_t found = fg
    cdef bint bad = False
    cdef Py_ssize_t n = 0
    cdef Py_ssize_t r, i
    with nogil:
        for r in range(nrows):
            if n + per_row > capacity:
                with gil:
                    capacity = 2 * capacity + per_row
                    starts_a = grown(starts_a, capacity)
                    ends_a = grown(ends_a, capacity)
                    parent_a = grown(parent_a, capacity)
                    starts = starts_a
                    ends = ends_a
                    parent = parent_a
            row_ptr[r] = n
            n = scan_polarity(&flat[0], word_ptr, nwords, (row0 + r) * width, width, &found,
                              &starts[0], &ends[0], n, &scratch[0], &scratch[per_row],
                              background, &bad)
            if bad:
                break
            for i in range(row_ptr[r], n):
                parent[i] = i
            if r > 0:
                _link(&parent[0], &starts[0], &ends[0], row_ptr[r - 1], row_ptr[r], row_ptr[r],
                      n, reach)
    if bad:
        return row_ptr_a, starts_a, ends_a, parent_a, found, True
    row_ptr[nrows] = n
    return row_ptr_a, head(starts_a, n), head(ends_a, n), head(parent_a, n), found, False


def decide(int64_t[::1] parent, const int32_t[::1] starts, const int32_t[::1] ends,
           const int64_t[::1] row_ptr, Py_ssize_t width, int64_t min_area, int64_t max_area,
           bint holes):
    """Decide, for every component, whether it changes; returns ``(change, counts)``.

    Objects (``holes`` false) change (are removed) when their area is below ``min_area`` or,
    with ``max_area >= 0``, above ``max_area``. Holes (``holes`` true) are zero components
    that touch no image border; they change (are filled) when their area is below
    ``min_area``; components touching a border are never counted. ``change[i]`` is 1 for
    every run ``i`` of a changing component. ``counts`` = (changed components, unchanged
    components, changed pixels). ``parent`` is flattened in place (every entry a root).
    """
    cdef Py_ssize_t n = parent.shape[0]
    area_a = new_array("q", n, True)
    border_a = new_array("B", n, True)
    change_a = new_array("B", n, True)
    cdef int64_t[::1] area = area_a
    cdef uint8_t[::1] border = border_a
    cdef uint8_t[::1] change = change_a
    cdef int64_t changed = 0, unchanged = 0, pixels = 0, root, a
    cdef Py_ssize_t i, last
    with nogil:
        for i in range(n):
            root = parent[parent[i]]  # parent[j] <= j, and entries below i are already roots
            parent[i] = root
            area[root] += ends[i] - starts[i]
            if holes and (starts[i] == 0 or ends[i] == width):
                border[root] = 1
        if holes:
            last = row_ptr.shape[0] - 2
            for i in range(row_ptr[0], row_ptr[1]):
                border[parent[i]] = 1
            for i in range(row_ptr[last], row_ptr[last + 1]):
                border[parent[i]] = 1
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
    return change_a, (changed, unchanged, pixels)


def apply_rows(const uint8_t[::1] flat, uint8_t[::1] out, Py_ssize_t width, Py_ssize_t row0,
               Py_ssize_t row1, const int64_t[::1] row_ptr, const int32_t[::1] starts,
               const int32_t[::1] ends, const uint8_t[::1] change, uint8_t value) -> None:
    """Copy rows ``row0:row1`` of ``flat`` to ``out`` and set the changing runs to ``value``.

    ``row_ptr`` indexes the runs of the whole image (row ``y``: ``row_ptr[y]:row_ptr[y+1]``).
    """
    cdef Py_ssize_t y, i, base
    with nogil:
        for y in range(row0, row1):
            base = y * width
            memcpy(&out[base], &flat[base], width)
            for i in range(row_ptr[y], row_ptr[y + 1]):
                if change[i]:
                    memset(&out[base + starts[i]], value, ends[i] - starts[i])
