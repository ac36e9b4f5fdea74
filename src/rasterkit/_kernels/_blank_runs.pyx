# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False
"""The wide runs of columns that are background in every row of a stack of rows.

For the layout-aware diff (:mod:`rasterkit.linediff.layout`): a block's gutters and margins
are its runs of at least ``min_run`` pixel columns that hold background in each of its rows.

The runs still alive are kept as intervals. Each row compares an interval's bytes with the
background's in one ``memcmp``; only an interval that differs is read pixel by pixel, split
at its content, and its pieces shorter than ``min_run`` dropped at once (they can never be a
gutter). A row costs a few ``memcmp`` calls over the margins and gutters, whatever the width.
"""

from libc.stdlib cimport free, malloc
from libc.string cimport memcmp, memcpy


def blank_runs(const unsigned char[::1] buffer, Py_ssize_t stride, Py_ssize_t y0,
               Py_ssize_t y1, const unsigned char[::1] background_row,
               Py_ssize_t pixel_bytes, Py_ssize_t min_run):
    """The runs ``(x0, x1)`` (pixels, half-open, left to right) of at least ``min_run``
    columns whose pixels equal ``background_row``'s in every row ``y0:y1`` of ``buffer``
    (rows ``stride`` bytes apart; ``len(background_row)`` bytes of each row are read, a whole
    number of ``pixel_bytes``-byte pixels). ``min_run`` >= 1."""
    cdef Py_ssize_t width = background_row.shape[0] // pixel_bytes
    if pixel_bytes < 1 or min_run < 1 or y0 < 0 or y1 < y0 or \
            (y1 > y0 and (y1 - 1) * stride + width * pixel_bytes > buffer.shape[0]):
        raise ValueError("blank_runs: rows outside the buffer")
    if width < min_run:
        return []
    cdef Py_ssize_t capacity = width // min_run + 1
    cdef Py_ssize_t *runs = <Py_ssize_t *> malloc(4 * capacity * sizeof(Py_ssize_t))
    if runs == NULL:
        raise MemoryError()
    cdef Py_ssize_t *fresh = runs + 2 * capacity
    cdef Py_ssize_t *swap
    cdef Py_ssize_t count = 1, kept, k, x, start, y
    cdef const unsigned char *row
    cdef const unsigned char *plain = &background_row[0]
    runs[0], runs[1] = 0, width
    try:
        with nogil:
            for y in range(y0, y1):
                if count == 0:
                    break
                row = &buffer[0] + y * stride
                kept = 0
                for k in range(count):
                    start, x = runs[2 * k], runs[2 * k + 1]
                    if memcmp(row + start * pixel_bytes, plain + start * pixel_bytes,
                              (x - start) * pixel_bytes) == 0:
                        fresh[2 * kept], fresh[2 * kept + 1] = start, x
                        kept += 1
                        continue
                    kept = _split(row, plain, pixel_bytes, start, x, min_run, fresh, kept)
                swap = runs
                runs, fresh = fresh, swap
                count = kept
        return [(runs[2 * k], runs[2 * k + 1]) for k in range(count)]
    finally:
        free(runs if runs < fresh else fresh)


cdef inline Py_ssize_t _split(const unsigned char *row, const unsigned char *plain,
                              Py_ssize_t size, Py_ssize_t x0, Py_ssize_t x1,
                              Py_ssize_t min_run, Py_ssize_t *out, Py_ssize_t kept) noexcept nogil:
    """Append to ``out`` the pieces of ``x0:x1`` of ``row`` that equal ``plain``, at least
    ``min_run`` long; returns the new count.

    Background is crossed eight bytes at a time (:func:`_content_from`). Content is crossed
    by probes: a piece starting at or after ``x`` and long enough holds pixel
    ``x + min_run - 1``, so content there skips ``min_run`` pixels at once."""
    cdef Py_ssize_t x = x0, stop, probe
    while x + min_run <= x1:
        stop = _content_from(row, plain, size, x, x1)
        if stop - x >= min_run:
            out[2 * kept], out[2 * kept + 1] = x, stop
            kept += 1
        x = stop + 1  # pixel x - 1 is content from here on
        while x + min_run <= x1:
            probe = x + min_run - 1
            if not _same(row + probe * size, plain + probe * size, size):
                x = probe + 1
                continue
            while probe > x and _same(row + (probe - 1) * size, plain + (probe - 1) * size,
                                      size):
                probe -= 1
            x = probe
            break
    return kept


cdef inline Py_ssize_t _content_from(const unsigned char *row, const unsigned char *plain,
                                     Py_ssize_t size, Py_ssize_t x0, Py_ssize_t x1
                                     ) noexcept nogil:
    """The first pixel of ``x0:x1`` that differs from ``plain``, or ``x1``."""
    cdef Py_ssize_t at = x0 * size, end = x1 * size
    cdef unsigned long long word_a, word_b
    while at + 8 <= end:
        memcpy(&word_a, row + at, 8)
        memcpy(&word_b, plain + at, 8)
        if word_a != word_b:
            break
        at += 8
    while at < end and row[at] == plain[at]:
        at += 1
    return at // size


cdef inline bint _same(const unsigned char *a, const unsigned char *b, Py_ssize_t size
                       ) noexcept nogil:
    """One pixel's bytes compared in line (``memcmp`` is a call per pixel)."""
    cdef Py_ssize_t i
    for i in range(size):
        if a[i] != b[i]:
            return False
    return True
