# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False
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

import numpy as np

from libc.stdint cimport int32_t, int64_t, uint8_t, uint64_t
from libc.string cimport memcpy, memset

from ._runs cimport find_root32, first_touching, scan_polarity

cdef enum:
    _CHANGE = -1
    _KEEP = -2
    _N_PREV = 0
    _N_OPEN = 1
    _NEXT_LABEL = 2
    _CHANGED = 3
    _UNCHANGED = 4
    _PIXELS = 5
    _ROW = 6
    _COUNTERS = 7

#: Decisions stored in ``link`` once a component is closed.
CHANGE = _CHANGE
KEEP = _KEEP

# Slots of the ``counters`` array shared by the strip calls of one pass.
N_PREV, N_OPEN, NEXT_LABEL, CHANGED, UNCHANGED, PIXELS, ROW = range(7)
COUNTERS = _COUNTERS


def new_frontier(width: int) -> dict[str, np.ndarray]:
    """The state pass 1 carries from row to row (and strip to strip)."""
    per_row = width // 2 + 2
    return {"counters": np.zeros(COUNTERS, np.int64),
            "prev_starts": np.empty(per_row, np.int32), "prev_ends": np.empty(per_row, np.int32),
            "prev_comp": np.empty(per_row, np.int32),
            "open_label": np.empty(per_row, np.int64), "open_area": np.empty(per_row, np.int64),
            "open_border": np.empty(per_row, np.uint8),
            "link": np.empty(max(1024, 4 * per_row), np.int64)}


cdef inline void _close(int64_t* link, int64_t label, int64_t area, bint border, bint holes,
                        int64_t min_area, int64_t max_area, int64_t* counters) noexcept nogil:
    """Decide a finished component; holes touching a border are left alone, uncounted."""
    if holes and border:
        link[label] = _KEEP
        return
    if area < min_area or (max_area >= 0 and area > max_area):
        link[label] = _CHANGE
        counters[_CHANGED] += 1
        counters[_PIXELS] += area
    else:
        link[label] = _KEEP
        counters[_UNCHANGED] += 1


def label_strip(const uint8_t[::1] flat, const uint64_t[::1] words, Py_ssize_t width,
                Py_ssize_t nrows, fg, int reach, bint background, bint last_strip,
                int64_t min_area, int64_t max_area, int64_t[::1] counters,
                int32_t[::1] prev_starts, int32_t[::1] prev_ends, int32_t[::1] prev_comp,
                int64_t[::1] open_label, int64_t[::1] open_area, uint8_t[::1] open_border,
                link):
    """Pass 1 over one strip of ``nrows`` rows (row-major ``flat``); see the module doc.

    ``last_strip``: the strip ends the image (its open components touch the bottom border).
    ``background``: label the zero runs (holes) instead of the nonzero ones; holes touching
    a border are never changed. Returns ``(link, fg, bad)``; ``link`` may have been
    reallocated to make room for new labels.
    """
    cdef Py_ssize_t per_row = width // 2 + 2
    buffers = np.empty(5 * per_row, np.int32)
    pairs = np.empty(2 * per_row, np.int32)
    labels = np.empty((2, 2 * per_row), np.int64)
    u_border_a = np.empty(2 * per_row, np.uint8)
    renumber_a = np.empty(2 * per_row, np.int32)
    cdef int32_t[::1] buf = buffers
    cdef int32_t* cur_starts = &buf[0]
    cdef int32_t* cur_ends = &buf[per_row]
    cdef int32_t* scratch_s = &buf[2 * per_row]
    cdef int32_t* scratch_e = &buf[3 * per_row]
    cdef int32_t* cur_comp = &buf[4 * per_row]
    cdef int32_t[::1] up = pairs
    cdef int64_t[:, ::1] lab = labels
    cdef int64_t* u_label = &lab[0, 0]
    cdef int64_t* u_area = &lab[1, 0]
    cdef uint8_t[::1] u_border = u_border_a
    cdef int32_t[::1] renumber = renumber_a
    cdef int64_t[::1] lk = link
    cdef const uint64_t* word_ptr = &words[0] if words.shape[0] else NULL
    cdef Py_ssize_t nwords = words.shape[0]
    cdef Py_ssize_t n_prev = counters[_N_PREV]
    cdef Py_ssize_t n_open = counters[_N_OPEN]
    cdef int64_t next_label = counters[_NEXT_LABEL]
    cdef bint holes = background
    cdef uint8_t found = fg
    cdef bint bad = False
    cdef Py_ssize_t r, c, i, j, k, m, n_cur, n_next
    cdef int64_t y
    cdef int32_t comp, root, keep, drop
    with nogil:
        for r in range(nrows):
            y = counters[_ROW]
            n_cur = scan_polarity(&flat[0], word_ptr, nwords, r * width, width, &found,
                                  cur_starts, cur_ends, 0, scratch_s, scratch_e, background,
                                  &bad)
            if bad:
                break
            if next_label + n_cur > lk.shape[0]:
                with gil:
                    bigger = np.empty(2 * lk.shape[0] + n_cur, np.int64)
                    bigger[:lk.shape[0]] = link
                    link = bigger
                    lk = link
            for c in range(n_open):
                up[c] = <int32_t>c
                u_label[c] = open_label[c]
                u_area[c] = open_area[c]
                u_border[c] = open_border[c]
            m = n_open
            j = 0
            for i in range(n_cur):
                j = first_touching(&prev_starts[0], &prev_ends[0], j, n_prev, cur_starts[i],
                                   reach)
                comp = -1
                k = j
                while k < n_prev and prev_starts[k] < cur_ends[i] + reach:
                    root = find_root32(&up[0], prev_comp[k])
                    if comp < 0:
                        comp = root
                    elif root != comp:
                        if u_label[comp] < u_label[root]:
                            keep, drop = comp, root
                        else:
                            keep, drop = root, comp
                        up[drop] = keep
                        u_area[keep] += u_area[drop]
                        u_border[keep] |= u_border[drop]
                        lk[u_label[drop]] = u_label[keep]
                        comp = keep
                    k += 1
                if comp < 0:
                    comp = <int32_t>m
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
                root = find_root32(&up[0], cur_comp[i])
                if renumber[root] < 0:
                    renumber[root] = <int32_t>n_next
                    open_label[n_next] = u_label[root]
                    open_area[n_next] = u_area[root]
                    open_border[n_next] = u_border[root]
                    n_next += 1
                cur_comp[i] = renumber[root]
            for c in range(n_open):
                if up[c] == c and renumber[c] < 0:
                    _close(&lk[0], u_label[c], u_area[c], u_border[c], holes, min_area,
                           max_area, &counters[0])
            if last_strip and r == nrows - 1:
                for c in range(n_next):
                    _close(&lk[0], open_label[c], open_area[c], 1, holes, min_area, max_area,
                           &counters[0])
                n_next = 0
                n_cur = 0
            for i in range(n_cur):
                prev_starts[i] = cur_starts[i]
                prev_ends[i] = cur_ends[i]
                prev_comp[i] = cur_comp[i]
            n_prev = n_cur
            n_open = n_next
            counters[_ROW] = y + 1
    if bad:
        return link, found, True
    counters[_N_PREV] = n_prev
    counters[_N_OPEN] = n_open
    counters[_NEXT_LABEL] = next_label
    return link, found, False


def resolve_links(int64_t[::1] link, Py_ssize_t count) -> None:
    """Turn ``link[:count]`` into the decision of each label's component (after pass 1)."""
    cdef Py_ssize_t label
    with nogil:
        for label in range(count):
            if link[label] >= 0:
                link[label] = link[link[label]]


def apply_strip(const uint8_t[::1] flat, const uint64_t[::1] words, uint8_t[::1] out,
                Py_ssize_t width, Py_ssize_t nrows, fg, int reach, bint background,
                uint8_t value, const int64_t[::1] link, int64_t[::1] counters,
                int32_t[::1] prev_starts, int32_t[::1] prev_ends, uint8_t[::1] prev_change):
    """Pass 2 over one strip: copy ``flat`` to ``out`` with the changing runs set to ``value``.

    ``counters[N_PREV]`` / ``counters[NEXT_LABEL]`` and the ``prev_*`` arrays carry the state
    from strip to strip (start them at zero). Returns ``(fg, bad)``.
    """
    cdef Py_ssize_t per_row = width // 2 + 2
    buffers = np.empty(4 * per_row, np.int32)
    change_a = np.empty(per_row, np.uint8)
    cdef int32_t[::1] buf = buffers
    cdef int32_t* cur_starts = &buf[0]
    cdef int32_t* cur_ends = &buf[per_row]
    cdef int32_t* scratch_s = &buf[2 * per_row]
    cdef int32_t* scratch_e = &buf[3 * per_row]
    cdef uint8_t[::1] cur_change = change_a
    cdef const uint64_t* word_ptr = &words[0] if words.shape[0] else NULL
    cdef Py_ssize_t nwords = words.shape[0]
    cdef Py_ssize_t n_prev = counters[_N_PREV]
    cdef int64_t next_label = counters[_NEXT_LABEL]
    cdef uint8_t found = fg
    cdef bint bad = False
    cdef Py_ssize_t r, i, j, n_cur, base
    cdef uint8_t change
    with nogil:
        for r in range(nrows):
            base = r * width
            n_cur = scan_polarity(&flat[0], word_ptr, nwords, base, width, &found, cur_starts,
                                  cur_ends, 0, scratch_s, scratch_e, background, &bad)
            if bad:
                break
            memcpy(&out[base], &flat[base], width)
            j = 0
            for i in range(n_cur):
                j = first_touching(&prev_starts[0], &prev_ends[0], j, n_prev, cur_starts[i],
                                   reach)
                if j < n_prev and prev_starts[j] < cur_ends[i] + reach:
                    change = prev_change[j]
                else:
                    change = 1 if link[next_label] == _CHANGE else 0
                    next_label += 1
                if change:
                    memset(&out[base + cur_starts[i]], value, cur_ends[i] - cur_starts[i])
                cur_change[i] = change
            for i in range(n_cur):
                prev_starts[i] = cur_starts[i]
                prev_ends[i] = cur_ends[i]
                prev_change[i] = cur_change[i]
            n_prev = n_cur
    if bad:
        return found, True
    counters[_N_PREV] = n_prev
    counters[_NEXT_LABEL] = next_label
    return found, False
