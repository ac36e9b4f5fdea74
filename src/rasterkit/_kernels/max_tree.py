"""Greyscale area opening on a max-tree built by flooding (Nistér & Stewénius, 2008).

The image is flooded from its first pixel, always continuing with the brightest pixel that
borders the flooded part: a hierarchical queue holds the border pixels, one LIFO stack per
grey level (linked through the per-pixel ``state``) plus a bitmap of the non-empty levels. Whenever
the flood steps onto a brighter pixel it opens a new component on a stack of open components;
when it has to step down to a lower level, the components above that level are closed and
merged into their parent. Every closed component is a node of the max-tree with its level,
area and parent; every pixel remembers the node that was open when it was flooded.

The area opening then gives each node the level of its nearest ancestor-or-self with at least
``min_area`` pixels (walking the nodes from the root down), and each pixel its node's value.
The flood moves from a pixel to its neighbours, so memory is touched locally: much faster on
large images than visiting pixels in sorted order.

Leaves of the tree are the regional maxima; they are counted as removed (area below
``min_area``) or kept.
"""

from __future__ import annotations

import numpy as np
from numba import njit

_NONE = -1
_UNSEEN = -2


@njit(inline="always")
def _queue_push(head, state, bits, pixel, level):
    state[pixel] = head[level]
    head[level] = pixel
    bits[level >> 6] |= np.uint64(1) << np.uint64(level & 63)


@njit(inline="always")
def _queue_highest(bits, level):
    """The highest non-empty level <= ``level``, or -1 when the queue is empty."""
    word = level >> 6
    if bits[word] & (np.uint64(1) << np.uint64(level & 63)):
        return level
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

    Returns ``(node_of, node_level, node_area, node_parent, closing_order, count)``: the node
    of every pixel; for each of the ``count`` nodes its level, area (pixels at or above its
    level in the component) and parent (-1 for the root); and the nodes in the order they
    were closed, so that every node comes before its parent and the root is last.
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
    offsets = (-width, -width + 1, 1, width + 1, width, width - 1, -1, -width - 1)
    head = np.full(levels, _NONE, np.int32)
    bits = np.zeros((levels + 63) // 64, np.uint64)
    capacity = n // 4 + 1024
    node_level = np.empty(capacity, np.int32)
    node_area = np.zeros(capacity, np.int64)
    node_parent = np.empty(capacity, np.int32)
    closing = np.empty(capacity, np.int32)
    closed = 0
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
                    node_level = _grow(node_level, 2 * count)
                    node_area = _grow(node_area, 2 * count)
                    node_parent = _grow(node_parent, 2 * count)
                    closing = _grow(closing, 2 * count)
                node_level[count] = level
                node_area[count] = 0
                if depth == stack.size:
                    stack = _grow(stack, 2 * depth)
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
        next_level = _queue_highest(bits, level)
        if next_level < 0:
            break
        cur = _queue_pop(head, state, bits, next_level)
        if next_level == level:
            continue
        # Step down: close the components brighter than the new level.
        level = next_level
        while level < node_level[stack[depth - 1]]:
            top = stack[depth - 1]
            closing[closed] = top
            closed += 1
            if depth >= 2 and level <= node_level[stack[depth - 2]]:
                second = stack[depth - 2]
                node_parent[top] = second
                node_area[second] += node_area[top]
                depth -= 1
            else:
                if count == node_level.size:
                    node_level = _grow(node_level, 2 * count)
                    node_area = _grow(node_area, 2 * count)
                    node_parent = _grow(node_parent, 2 * count)
                    closing = _grow(closing, 2 * count)
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
        closing[closed] = top
        closed += 1
        depth -= 1
    node_parent[stack[0]] = _NONE
    closing[closed] = stack[0]
    closed += 1
    return state, node_level, node_area, node_parent, closing, count


@njit(inline="always")
def _grow(array, capacity):
    bigger = np.empty(capacity, array.dtype)
    bigger[: array.size] = array
    return bigger


@njit(cache=True, nogil=True)
def area_open_tree(keys, width, node_of, node_level, node_area, node_parent, closing, count,
                   min_area):
    """Area opening from a max-tree of the framed ``keys``: ``(out, removed, kept, changed)``
    with ``out`` the opened image without the frame (module doc)."""
    value = np.empty(count, np.int64)
    is_parent = np.zeros(count, np.uint8)
    for i in range(count - 1, -1, -1):
        node = closing[i]
        up = node_parent[node]
        if up < 0 or node_area[node] >= min_area:
            value[node] = node_level[node]
        else:
            value[node] = value[up]
        if up >= 0:
            is_parent[up] = 1
    removed = 0
    kept = 0
    for node in range(count):
        if not is_parent[node]:
            if node_parent[node] >= 0 and node_area[node] < min_area:
                removed += 1
            else:
                kept += 1
    height = keys.size // width
    out = np.empty((height - 2, width - 2), keys.dtype)
    changed = 0
    for y in range(1, height - 1):
        for x in range(1, width - 1):
            p = y * width + x
            v = value[node_of[p]]
            out[y - 1, x - 1] = v
            if v != keys[p]:
                changed += 1
    return out, removed, kept, changed
