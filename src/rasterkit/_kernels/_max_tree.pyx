# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False
"""Greyscale area opening on a max-tree built by flooding, in two bands merged in the end.

**Flooding** (Nistér & Stewénius, 2008). :func:`max_tree_flood` floods a band of the image
(padded with a one-pixel frame) from its first pixel, always continuing with the brightest
pixel that borders the flooded part: a hierarchical queue holds the border pixels, one LIFO
stack per grey level (linked through the per-pixel ``state``) plus a bitmap of the non-empty
levels. Whenever the flood steps onto a brighter pixel it opens a new component on a stack of
open components; when it steps down to a lower level, the components above that level are
closed and merged into their parent. Each component is a *node* with a level, an area
(pixels at or above its level) and a parent node; each pixel keeps its node in ``state``.
The flood moves from a pixel to its neighbours, so it touches memory locally.

**Merging** (Wilkinson, Gao, Hesselink, Jonker & Meijster, 2008). The two bands are flooded
in parallel threads; :func:`merge_bands` then joins their trees along the seam: for each pair
of neighbouring pixels across it, :func:`connect` merges the two branches from their nodes
to the roots like two sorted lists, adding areas on the way. Nodes at the same level that
meet become one (the other points to it, :func:`_canonical` follows such links).

**Filtering.** :func:`area_open_nodes` gives each node the level of its nearest
ancestor-or-self with at least ``min_area`` pixels and each pixel its node's value. Leaves
of the tree are the regional maxima, counted as removed (area below ``min_area``) or kept
(the root always counts as kept).

Keys are uint8, uint16 or int32 (ranks); node levels are int32, areas and parents int64.
The arrays returned are ``array.array`` (no numpy: see ``_arrays.pxd``).
"""

from cpython cimport array
from libc.stdint cimport int32_t, int64_t, uint8_t, uint16_t, uint64_t

from ._arrays cimport filled, grown, new_array

ctypedef fused key_t:
    uint8_t
    uint16_t
    int32_t

cdef extern from *:
    int __builtin_clzll(unsigned long long) nogil

cdef enum:
    _NONE = -1
    _UNSEEN = -2


cdef inline void _queue_push(int32_t* head, int32_t* state, uint64_t* bits, int64_t pixel,
                             int64_t level) noexcept nogil:
    cdef int32_t first = head[level]
    state[pixel] = first
    head[level] = <int32_t>pixel
    if first == _NONE:
        bits[level >> 6] |= (<uint64_t>1) << (level & 63)


cdef inline int64_t _queue_highest(const int32_t* head, const uint64_t* bits,
                                   int64_t level) noexcept nogil:
    """The highest non-empty level <= ``level``, or -1 when the queue is empty."""
    if head[level] != _NONE:
        return level
    cdef int64_t word = level >> 6
    cdef uint64_t w = bits[word] & ((<uint64_t>0xFFFFFFFFFFFFFFFFULL) >> (63 - (level & 63)))
    while w == 0:
        word -= 1
        if word < 0:
            return -1
        w = bits[word]
    return (word << 6) + (63 - __builtin_clzll(w))


cdef inline int64_t _queue_pop(int32_t* head, const int32_t* state, uint64_t* bits,
                               int64_t level) noexcept nogil:
    cdef int64_t pixel = head[level]
    head[level] = state[pixel]
    if head[level] < 0:
        bits[level >> 6] &= ~((<uint64_t>1) << (level & 63))
    return pixel


def max_tree_flood(const key_t[::1] keys, Py_ssize_t width, Py_ssize_t levels, bint eight):
    """Build the max-tree of ``keys``: an image padded with a one-pixel frame, row-major,
    ``width`` wide (frame included), integer levels in ``[0, levels)``; the frame's values
    are never read.

    Returns ``(state, node_level, node_area, node_parent, count)``: the node of every pixel
    (in the frame: -1), and for each of the ``count`` nodes its level, area (pixels at or
    above its level in the component) and parent (-1 for the root).
    """
    cdef Py_ssize_t n = keys.shape[0]
    # One int32 per pixel: _UNSEEN, then (once the flood reaches it) its successor in the
    # queue, then (once flooded) its node. The frame is never unseen, so never queued.
    cdef array.array state_a = new_array("i", n, False)
    cdef array.array head_a = filled("i", levels, 0xFF)  # _NONE
    cdef array.array bits_a = new_array("Q", (levels + 63) // 64, True)
    cdef Py_ssize_t capacity = n // 4 + 1024
    cdef array.array level_a = new_array("i", capacity, False)
    cdef array.array area_a = new_array("q", capacity, True)
    cdef array.array parent_a = new_array("q", capacity, False)
    cdef array.array stack_a = new_array("i", 1024, False)
    cdef int32_t[::1] state = state_a
    cdef int32_t[::1] head = head_a
    cdef uint64_t[::1] bits = bits_a
    cdef int32_t[::1] node_level = level_a
    cdef int64_t[::1] node_area = area_a
    cdef int64_t[::1] node_parent = parent_a
    cdef int32_t[::1] stack = stack_a
    cdef Py_ssize_t i
    # N, NE, E, SE, S, SW, W, NW: even indices are the edge neighbours
    cdef int64_t offsets[8]
    offsets[0] = -width
    offsets[1] = -width + 1
    offsets[2] = 1
    offsets[3] = width + 1
    offsets[4] = width
    offsets[5] = width - 1
    offsets[6] = -1
    offsets[7] = -width - 1
    cdef int step = 1 if eight else 2
    cdef Py_ssize_t depth = 0, count = 0
    cdef int64_t cur = width + 1, q, kq, level, next_level
    cdef int32_t top, second
    cdef int t
    with nogil:
        for i in range(n):
            state[i] = _UNSEEN
        for i in range(width):  # the first and last rows of the frame
            state[i] = _NONE
            state[n - width + i] = _NONE
        i = 0
        while i < n:  # its first and last columns
            state[i] = _NONE
            state[i + width - 1] = _NONE
            i += width
        level = keys[cur]
        state[cur] = _NONE
        node_level[0] = <int32_t>level
        count = 1
        stack[0] = 0
        depth = 1
        while True:
            # Explore the neighbours of `cur`: queue the ones not brighter, step onto a
            # brighter one.
            t = 0
            while t < 8:
                q = cur + offsets[t]
                if state[q] != _UNSEEN:
                    t += step
                    continue
                state[q] = _NONE
                kq = keys[q]
                if kq > level:
                    _queue_push(&head[0], &state[0], &bits[0], cur, level)
                    cur = q
                    level = kq
                    if count == node_level.shape[0]:
                        with gil:
                            level_a = grown(level_a, 2 * count)
                            area_a = grown(area_a, 2 * count)
                            parent_a = grown(parent_a, 2 * count)
                            node_level = level_a
                            node_area = area_a
                            node_parent = parent_a
                    node_level[count] = <int32_t>level
                    node_area[count] = 0
                    if depth == stack.shape[0]:
                        with gil:
                            stack_a = grown(stack_a, 2 * depth)
                            stack = stack_a
                    stack[depth] = <int32_t>count
                    depth += 1
                    count += 1
                    t = 0
                    continue
                _queue_push(&head[0], &state[0], &bits[0], q, kq)
                t += step
            top = stack[depth - 1]
            state[cur] = top
            node_area[top] += 1
            next_level = _queue_highest(&head[0], &bits[0], level)
            if next_level < 0:
                break
            cur = _queue_pop(&head[0], &state[0], &bits[0], next_level)
            if next_level == level:
                continue
            # Step down: close the components brighter than the new level.
            level = next_level
            while level < node_level[stack[depth - 1]]:
                top = stack[depth - 1]
                if depth >= 2 and level <= node_level[stack[depth - 2]]:
                    second = stack[depth - 2]
                    node_parent[top] = second
                    node_area[second] += node_area[top]
                    depth -= 1
                else:
                    if count == node_level.shape[0]:
                        with gil:
                            level_a = grown(level_a, 2 * count)
                            area_a = grown(area_a, 2 * count)
                            parent_a = grown(parent_a, 2 * count)
                            node_level = level_a
                            node_area = area_a
                            node_parent = parent_a
                    node_level[count] = <int32_t>level
                    node_area[count] = node_area[top]
                    node_parent[top] = count
                    stack[depth - 1] = <int32_t>count
                    count += 1
                    break
        while depth > 1:
            top = stack[depth - 1]
            second = stack[depth - 2]
            node_parent[top] = second
            node_area[second] += node_area[top]
            depth -= 1
        node_parent[stack[0]] = _NONE
    return state_a, level_a, area_a, parent_a, count


cdef inline int64_t _canonical(const int32_t* level, int64_t* parent, int64_t x) noexcept nogil:
    """The node that stands for ``x``'s component (same-level nodes merged into one)."""
    cdef int64_t r = x, up
    while True:
        up = parent[r]
        if up < 0 or level[up] != level[r]:
            break
        r = up
    while x != r:
        up = parent[x]
        parent[x] = r
        x = up
    return r


cdef inline int64_t _up(const int32_t* level, int64_t* parent, int64_t x) noexcept nogil:
    """The canonical parent of the canonical node ``x``, or -1 at the root."""
    if parent[x] < 0:
        return _NONE
    return _canonical(level, parent, parent[x])


cdef void connect(const int32_t* level, int64_t* parent, int64_t* area, int64_t x,
                  int64_t y) noexcept nogil:
    """Merge the trees of nodes ``x`` and ``y`` of two neighbouring pixels (Wilkinson et al.)."""
    cdef int64_t z, old, carried = 0
    x = _canonical(level, parent, x)
    y = _canonical(level, parent, y)
    if level[y] > level[x]:
        x, y = y, x
    while x != y and y != _NONE:
        z = _up(level, parent, x)
        if z != _NONE and level[z] >= level[y]:
            area[x] += carried
            x = z
        else:
            old = area[x]
            area[x] = old + carried
            carried = old
            parent[x] = y
            x = y
            y = z
    if y == _NONE:
        while x != _NONE:
            area[x] += carried
            x = _up(level, parent, x)


def merge_bands(const int32_t[::1] above, const int32_t[::1] below, Py_ssize_t width,
                int64_t above_offset, int64_t below_offset, const int32_t[::1] level,
                int64_t[::1] parent, int64_t[::1] area, bint eight) -> None:
    """Join the trees of two bands along their seam.

    ``above`` / ``below`` are the framed ``state`` arrays of the two bands (``width`` wide,
    frame included); their nodes are numbered from ``above_offset`` / ``below_offset`` in
    the joined ``level`` / ``parent`` / ``area`` arrays.
    """
    cdef Py_ssize_t last = above.shape[0] - 2 * width  # the band above's last row (framed)
    cdef Py_ssize_t first = width  # first pixel of the band below's first row
    cdef Py_ssize_t x
    cdef int64_t a
    cdef const int32_t* lv = &level[0]
    cdef int64_t* pa = &parent[0]
    cdef int64_t* ar = &area[0]
    with nogil:
        for x in range(1, width - 1):
            a = above[last + x] + above_offset
            connect(lv, pa, ar, a, below[first + x] + below_offset)
            if eight:
                if x > 1:
                    connect(lv, pa, ar, a, below[first + x - 1] + below_offset)
                if x < width - 2:
                    connect(lv, pa, ar, a, below[first + x + 1] + below_offset)


def area_open_nodes(const int32_t[::1] level, int64_t[::1] parent, const int64_t[::1] area,
                    Py_ssize_t count, int64_t min_area):
    """Filtered level of every node, and the regional maxima ``(value, removed, kept)``."""
    cdef array.array value_a = filled("q", count, 0xFF)  # -1: not known yet
    cdef array.array is_parent_a = new_array("B", count, True)
    cdef array.array path_a = new_array("q", 64, False)
    cdef int64_t[::1] value = value_a
    cdef uint8_t[::1] is_parent = is_parent_a
    cdef int64_t[::1] path = path_a
    cdef const int32_t* lv = &level[0] if count else NULL
    cdef int64_t* pa = &parent[0] if count else NULL
    cdef Py_ssize_t node, depth, i
    cdef int64_t c, nd, v
    cdef int64_t removed = 0, kept = 0
    with nogil:
        for node in range(count):
            if value[node] >= 0:
                continue
            c = _canonical(lv, pa, node)
            depth = 0
            nd = c
            while True:
                if value[nd] >= 0:
                    v = value[nd]
                    break
                if parent[nd] < 0 or area[nd] >= min_area:
                    v = level[nd]
                    value[nd] = v
                    break
                if depth == path.shape[0]:
                    with gil:
                        path_a = grown(path_a, 2 * depth)
                        path = path_a
                path[depth] = nd
                depth += 1
                nd = _up(lv, pa, nd)
            for i in range(depth):
                value[path[i]] = v
            value[node] = v
        for node in range(count):
            if _canonical(lv, pa, node) == node and parent[node] >= 0:
                is_parent[_up(lv, pa, node)] = 1
        for node in range(count):
            if is_parent[node] or _canonical(lv, pa, node) != node:
                continue
            if parent[node] >= 0 and area[node] < min_area:
                removed += 1
            else:
                kept += 1
    return value_a, removed, kept


def gather(const key_t[::1] keys, const int32_t[::1] state, Py_ssize_t width,
           const int64_t[::1] value, int64_t offset, key_t[:, ::1] out, Py_ssize_t row0) -> int:
    """Write ``value[state + offset]`` of a framed band's pixels into rows ``row0:`` of ``out``;
    returns the number of pixels whose value changed."""
    cdef Py_ssize_t rows = state.shape[0] // width - 2
    cdef Py_ssize_t y, x, base
    cdef int64_t v
    cdef int64_t changed = 0
    with nogil:
        for y in range(rows):
            base = (y + 1) * width + 1
            for x in range(width - 2):
                v = value[state[base + x] + offset]
                out[row0 + y, x] = <key_t>v
                if v != keys[base + x]:
                    changed += 1
    return changed
