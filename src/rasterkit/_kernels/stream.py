"""Connected components of a binary image read in horizontal strips, in bounded memory.

Two passes over the rows, top to bottom, each holding only the runs of the previous row.

**Pass 1** (:func:`label_strip`) labels every run that touches no run of the row above with a
new *label* (0, 1, 2, ... in raster order; a label starts a component piece). The pieces that
reach the current row are the *open* components: a small union-find, rebuilt every row, joins
them when a run touches several, keeping the smallest label as the component's name and
recording ``link[other] = name``. A component that no run of the new row continues is closed:
its area is final, so it is decided at once and ``link[name]`` holds the decision
(:data:`CHANGE` or :data:`KEEP`). After the last row :func:`resolve_links` turns every
label's link into its component's decision (links always point to smaller labels).

**Pass 2** (:func:`apply_strip`) scans the rows again with the same rule for new labels, so
the n-th new label is the same run as in pass 1: a run touching the row above takes the
decision of a run it touches (the same component), any other run reads ``link[label]``.

Memory: the runs of two rows and 8 bytes per label (components starts), however tall the
image; the U-shape that joins far below and the object snaking across many strips are exact.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .runs import complement_runs, find_root, first_touching, grow, row_buffers, scan_row

#: Decisions stored in ``link`` once a component is closed.
CHANGE = -1
KEEP = -2

# Slots of the ``counters`` array shared by the strip calls of one pass.
N_PREV, N_OPEN, NEXT_LABEL, CHANGED, UNCHANGED, PIXELS, ROW = range(7)
COUNTERS = 7


def new_frontier(width: int) -> dict[str, np.ndarray]:
    """The state pass 1 carries from row to row (and strip to strip)."""
    per_row = width // 2 + 2
    return {"counters": np.zeros(COUNTERS, np.int64),
            "prev_starts": np.empty(per_row, np.int32), "prev_ends": np.empty(per_row, np.int32),
            "prev_comp": np.empty(per_row, np.int32),
            "open_label": np.empty(per_row, np.int64), "open_area": np.empty(per_row, np.int64),
            "open_border": np.empty(per_row, np.uint8),
            "link": np.empty(max(1024, 4 * per_row), np.int64)}


@njit(inline="always")
def _scan(flat, words, base, width, fg, starts, ends, scratch_s, scratch_e, background):
    if background:
        k, fg, bad = scan_row(flat, words, base, width, fg, scratch_s, scratch_e, 0)
        if bad:
            return 0, fg, True
        return complement_runs(scratch_s, scratch_e, 0, k, width, starts, ends, 0), fg, False
    return scan_row(flat, words, base, width, fg, starts, ends, 0)


@njit(inline="always")
def _close(link, label, area, border, holes, min_area, max_area, counters):
    """Decide a finished component; holes touching a border are left alone, uncounted."""
    if holes and border:
        link[label] = KEEP
        return
    if area < min_area or (max_area >= 0 and area > max_area):
        link[label] = CHANGE
        counters[CHANGED] += 1
        counters[PIXELS] += area
    else:
        link[label] = KEEP
        counters[UNCHANGED] += 1


@njit(cache=True, nogil=True)
def label_strip(flat, words, width, nrows, fg, reach, background, last_strip, min_area,
                max_area, counters, prev_starts, prev_ends, prev_comp, open_label, open_area,
                open_border, link):
    """Pass 1 over one strip of ``nrows`` rows (row-major ``flat``); see the module doc.

    ``last_strip``: the strip ends the image (its open components touch the bottom border).
    ``background``: label the zero runs (holes) instead of the nonzero ones; holes touching
    a border are never changed. Returns ``(link, fg, bad)``; ``link`` may have been
    reallocated to make room for new labels.
    """
    cur_starts, cur_ends, scratch_s, scratch_e = row_buffers(width)
    per_row = cur_starts.size
    cur_comp = np.empty(per_row, np.int32)
    up = np.empty(2 * per_row, np.int32)
    u_label = np.empty(2 * per_row, np.int64)
    u_area = np.empty(2 * per_row, np.int64)
    u_border = np.empty(2 * per_row, np.uint8)
    renumber = np.empty(2 * per_row, np.int32)
    n_prev = counters[N_PREV]
    n_open = counters[N_OPEN]
    next_label = counters[NEXT_LABEL]
    holes = background
    for r in range(nrows):
        y = counters[ROW]
        n_cur, fg, bad = _scan(flat, words, r * width, width, fg, cur_starts, cur_ends,
                               scratch_s, scratch_e, background)
        if bad:
            return link, fg, True
        if next_label + n_cur > link.size:
            link = grow(link, 2 * link.size + n_cur)
        for c in range(n_open):
            up[c] = c
            u_label[c] = open_label[c]
            u_area[c] = open_area[c]
            u_border[c] = open_border[c]
        m = n_open
        j = 0
        for i in range(n_cur):
            j = first_touching(prev_starts, prev_ends, j, n_prev, cur_starts[i], reach)
            comp = -1
            k = j
            while k < n_prev and prev_starts[k] < cur_ends[i] + reach:
                root = find_root(up, prev_comp[k])
                if comp < 0:
                    comp = root
                elif root != comp:
                    keep, drop = (comp, root) if u_label[comp] < u_label[root] else (root, comp)
                    up[drop] = keep
                    u_area[keep] += u_area[drop]
                    u_border[keep] |= u_border[drop]
                    link[u_label[drop]] = u_label[keep]
                    comp = keep
                k += 1
            if comp < 0:
                comp = m
                m += 1
                up[comp] = comp
                u_label[comp] = next_label
                next_label += 1
                u_area[comp] = 0
                u_border[comp] = 1 if y == 0 else 0
            u_area[comp] += cur_ends[i] - cur_starts[i]
            if cur_starts[i] == 0 or cur_ends[i] == width:
                u_border[comp] = 1
            cur_comp[i] = comp
        # Renumber the components the new row continues; close the others.
        for c in range(m):
            renumber[c] = -1
        n_next = 0
        for i in range(n_cur):
            root = find_root(up, cur_comp[i])
            if renumber[root] < 0:
                renumber[root] = n_next
                open_label[n_next] = u_label[root]
                open_area[n_next] = u_area[root]
                open_border[n_next] = u_border[root]
                n_next += 1
            cur_comp[i] = renumber[root]
        for c in range(n_open):
            if up[c] == c and renumber[c] < 0:
                _close(link, u_label[c], u_area[c], u_border[c], holes, min_area, max_area,
                       counters)
        if last_strip and r == nrows - 1:
            for c in range(n_next):
                _close(link, open_label[c], open_area[c], 1, holes, min_area, max_area,
                       counters)
            n_next = 0
            n_cur = 0
        for i in range(n_cur):
            prev_starts[i] = cur_starts[i]
            prev_ends[i] = cur_ends[i]
            prev_comp[i] = cur_comp[i]
        n_prev = n_cur
        n_open = n_next
        counters[ROW] = y + 1
    counters[N_PREV] = n_prev
    counters[N_OPEN] = n_open
    counters[NEXT_LABEL] = next_label
    return link, fg, False


@njit(cache=True, nogil=True)
def resolve_links(link, count):
    """Turn ``link[:count]`` into the decision of each label's component (after pass 1)."""
    for label in range(count):
        if link[label] >= 0:
            link[label] = link[link[label]]


@njit(cache=True, nogil=True)
def apply_strip(flat, words, out, width, nrows, fg, reach, background, value, link, counters,
                prev_starts, prev_ends, prev_change):
    """Pass 2 over one strip: copy ``flat`` to ``out`` with the changing runs set to ``value``.

    ``counters[N_PREV]`` / ``counters[NEXT_LABEL]`` and the ``prev_*`` arrays carry the state
    from strip to strip (start them at zero). Returns ``(fg, bad)``.
    """
    cur_starts, cur_ends, scratch_s, scratch_e = row_buffers(width)
    cur_change = np.empty(cur_starts.size, np.uint8)
    n_prev = counters[N_PREV]
    next_label = counters[NEXT_LABEL]
    for r in range(nrows):
        base = r * width
        n_cur, fg, bad = _scan(flat, words, base, width, fg, cur_starts, cur_ends, scratch_s,
                               scratch_e, background)
        if bad:
            return fg, True
        out[base:base + width] = flat[base:base + width]
        j = 0
        for i in range(n_cur):
            j = first_touching(prev_starts, prev_ends, j, n_prev, cur_starts[i], reach)
            if j < n_prev and prev_starts[j] < cur_ends[i] + reach:
                change = prev_change[j]
            else:
                change = 1 if link[next_label] == CHANGE else 0
                next_label += 1
            if change:
                out[base + cur_starts[i]:base + cur_ends[i]] = value
            cur_change[i] = change
        for i in range(n_cur):
            prev_starts[i] = cur_starts[i]
            prev_ends[i] = cur_ends[i]
            prev_change[i] = cur_change[i]
        n_prev = n_cur
    counters[N_PREV] = n_prev
    counters[NEXT_LABEL] = next_label
    return fg, False

