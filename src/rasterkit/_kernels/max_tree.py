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
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .runs import grow

_NONE = -1
_UNSEEN = -2


@njit(inline="always")
def _queue_push(head, state, bits, pixel, level):
    first = head[level]
    state[pixel] = first
    head[level] = pixel
    if first == _NONE:
        bits[level >> 6] |= np.uint64(1) << np.uint64(level & 63)


@njit(inline="always")
def _queue_highest(head, bits, level):
    """The highest non-empty level <= ``level``, or -1 when the queue is empty."""
    if head[level] != _NONE:
        return level
    word = level >> 6
    mask = np.uint64(0xFFFFFFFFFFFFFFFF) >> np.uint64(63 - (level & 63))
    w = bits[word] & mask
    while w == 0:
        word -= 1
        if word < 0:
            return -1
        w = bits[word]
    top = 0
    for shift in (32, 16, 8, 4, 2, 1):
        if w >> np.uint64(shift):
            w >>= np.uint64(shift)
            top += shift
    return (word << 6) + top


@njit(inline="always")
def _queue_pop(head, state, bits, level):
    pixel = head[level]
    head[level] = state[pixel]
    if head[level] < 0:
        bits[level >> 6] &= ~(np.uint64(1) << np.uint64(level & 63))
    return pixel


@njit(cache=True, nogil=True)
def max_tree_flood(keys, width, levels, eight):
    """Build the max-tree of ``keys``: an image padded with a one-pixel frame, row-major,
    ``width`` wide (frame included), integer levels in ``[0, levels)``; the frame's values
    are never read.

    Returns ``(state, node_level, node_area, node_parent, count)``: the node of every pixel
    (in the frame: -1), and for each of the ``count`` nodes its level, area (pixels at or
    above its level in the component) and parent (-1 for the root).
    """
    n = keys.size
    # One int32 per pixel: _UNSEEN, then (once the flood reaches it) its successor in the
    # queue, then (once flooded) its node. The frame is never unseen, so never queued.
    state = np.full(n, _UNSEEN, np.int32)
    state[:width] = _NONE
    state[n - width:] = _NONE
    state[::width] = _NONE
    state[width - 1::width] = _NONE
    # N, NE, E, SE, S, SW, W, NW: even indices are the edge neighbours
    offsets = np.array([-width, -width + 1, 1, width + 1, width, width - 1, -1, -width - 1],
                       np.int64)
    head = np.full(levels, _NONE, np.int32)
    bits = np.zeros((levels + 63) // 64, np.uint64)
    capacity = n // 4 + 1024
    node_level = np.empty(capacity, np.int32)
    node_area = np.zeros(capacity, np.int64)
    node_parent = np.empty(capacity, np.int32)
    stack = np.empty(1024, np.int32)
    depth = 0
    count = 0

    cur = width + 1
    level = np.int64(keys[cur])
    state[cur] = _NONE
    node_level[0] = level
    count = 1
    stack[0] = 0
    depth = 1
    while True:
        # Explore the neighbours of `cur`: queue the ones not brighter, step onto a brighter one.
        step = 1 if eight else 2
        t = 0
        while t < 8:
            q = cur + offsets[t]
            if state[q] != _UNSEEN:
                t += step
                continue
            state[q] = _NONE
            kq = np.int64(keys[q])
            if kq > level:
                _queue_push(head, state, bits, cur, level)
                cur = q
                level = kq
                if count == node_level.size:
                    node_level = grow(node_level, 2 * count)
                    node_area = grow(node_area, 2 * count)
                    node_parent = grow(node_parent, 2 * count)
                node_level[count] = level
                node_area[count] = 0
                if depth == stack.size:
                    stack = grow(stack, 2 * depth)
                stack[depth] = count
                depth += 1
                count += 1
                t = 0
                continue
            _queue_push(head, state, bits, q, kq)
            t += step
        top = stack[depth - 1]
        state[cur] = top
        node_area[top] += 1
        next_level = _queue_highest(head, bits, level)
        if next_level < 0:
            break
        cur = _queue_pop(head, state, bits, next_level)
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
                if count == node_level.size:
                    node_level = grow(node_level, 2 * count)
                    node_area = grow(node_area, 2 * count)
                    node_parent = grow(node_parent, 2 * count)
                node_level[count] = level
                node_area[count] = node_area[top]
                node_parent[top] = count
                stack[depth - 1] = count
                count += 1
                break
    while depth > 1:
        top = stack[depth - 1]
        second = stack[depth - 2]
        node_parent[top] = second
        node_area[second] += node_area[top]
        depth -= 1
    node_parent[stack[0]] = _NONE
    return state, node_level, node_area, node_parent, count


@njit(inline="always")
def _canonical(level, parent, x):
    """The node that stands for ``x``'s component (same-level nodes merged into one)."""
    r = x
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


@njit(inline="always")
def _up(level, parent, x):
    """The canonical parent of the canonical node ``x``, or -1 at the root."""
    if parent[x] < 0:
        return _NONE
    return _canonical(level, parent, parent[x])


@njit(inline="always")
def connect(level, parent, area, x, y):
    """Merge the trees of nodes ``x`` and ``y`` of two neighbouring pixels (Wilkinson et al.)."""
    x = _canonical(level, parent, x)
    y = _canonical(level, parent, y)
    if level[y] > level[x]:
        x, y = y, x
    carried = 0
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


@njit(cache=True, nogil=True)
def merge_bands(above, below, width, above_offset, below_offset, level, parent, area, eight):
    """Join the trees of two bands along their seam.

    ``above`` / ``below`` are the framed ``state`` arrays of the two bands (``width`` wide,
    frame included); their nodes are numbered from ``above_offset`` / ``below_offset`` in
    the joined ``level`` / ``parent`` / ``area`` arrays.
    """
    last = above.size - 2 * width  # first pixel of the band above's last row (in the frame)
    first = width  # first pixel of the band below's first row
    offset = below_offset
    for x in range(1, width - 1):
        a = above[last + x] + above_offset
        connect(level, parent, area, a, below[first + x] + offset)
        if eight:
            if x > 1:
                connect(level, parent, area, a, below[first + x - 1] + offset)
            if x < width - 2:
                connect(level, parent, area, a, below[first + x + 1] + offset)


@njit(cache=True, nogil=True)
def area_open_nodes(level, parent, area, count, min_area):
    """Filtered level of every node, and the regional maxima ``(value, removed, kept)``."""
    value = np.full(count, -1, np.int64)
    path = np.empty(64, np.int64)
    is_parent = np.zeros(count, np.uint8)
    for node in range(count):
        if value[node] >= 0:
            continue
        c = _canonical(level, parent, node)
        depth = 0
        n = c
        while True:
            if value[n] >= 0:
                v = value[n]
                break
            if parent[n] < 0 or area[n] >= min_area:
                v = np.int64(level[n])
                value[n] = v
                break
            if depth == path.size:
                path = grow(path, 2 * depth)
            path[depth] = n
            depth += 1
            n = _up(level, parent, n)
        for i in range(depth):
            value[path[i]] = v
        value[node] = v
    removed = 0
    kept = 0
    for node in range(count):
        if _canonical(level, parent, node) == node and parent[node] >= 0:
            is_parent[_up(level, parent, node)] = 1
    for node in range(count):
        if is_parent[node] or _canonical(level, parent, node) != node:
            continue
        if parent[node] >= 0 and area[node] < min_area:
            removed += 1
        else:
            kept += 1
    return value, removed, kept


@njit(cache=True, nogil=True)
def gather(keys, state, width, value, offset, out, row0):
    """Write ``value[state + offset]`` of a framed band's pixels into rows ``row0:`` of ``out``;
    returns the number of pixels whose value changed."""
    changed = 0
    rows = state.size // width - 2
    for y in range(rows):
        base = (y + 1) * width + 1
        for x in range(width - 2):
            v = value[state[base + x] + offset]
            out[row0 + y, x] = v
            if v != keys[base + x]:
                changed += 1
    return changed
