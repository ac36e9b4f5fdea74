# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False
"""Two-sub-iteration parallel thinning (Zhang–Suen, Guo–Hall) that visits only the pixels
whose fate can change.

A parallel thinning algorithm alternates two sub-iterations; in each, every foreground pixel
whose 8-neighbourhood (one byte, see :func:`_code`) is marked deletable in that
sub-iteration's look-up table is deleted, all decisions being taken on the image as it was
when the sub-iteration started. It stops when a full iteration deletes nothing.

The textbook loop scans the whole image in every sub-iteration. Here a sub-iteration only
examines *candidates*: a pixel can newly become deletable in sub-iteration ``t`` only if a
neighbour was deleted in ``t - 1`` or ``t - 2`` (otherwise its neighbourhood is the one it had
when the same table was last applied, which kept it). So the candidates of ``t`` are the
foreground 8-neighbours of the pixels deleted in the two previous sub-iterations, and the
first two sub-iterations examine the foreground pixels that touch the background. The result
is identical to the full scan; the work is proportional to the pixels deleted, not to the
image area times the number of iterations.

Layout: a ``uint8`` image with a zero frame (at least one pixel on every side, so neighbours
never leave it) whose row length is a multiple of 8, so that rows are whole 64-bit words;
value 1 is foreground, 0 background. While a candidate list is built, bit 1 marks the pixels
already in it (value 3), so no second array is needed.
"""

from libc.stdint cimport int64_t, uint8_t, uint64_t
from libc.stdlib cimport free, malloc, realloc
from libc.string cimport memcpy

cdef extern from *:
    int __builtin_ctzll(unsigned long long) nogil


cdef uint64_t _LOW = 0x0101010101010101ULL


cdef struct Buffer:
    int64_t* data
    Py_ssize_t size  # items held
    Py_ssize_t capacity


cdef int _reserve(Buffer* buf, Py_ssize_t capacity) noexcept nogil:
    """Room for ``capacity`` items (contents kept); 0, or -1 when memory runs out."""
    cdef int64_t* bigger
    if buf.capacity >= capacity:
        return 0
    bigger = <int64_t*>realloc(buf.data, capacity * sizeof(int64_t))
    if bigger == NULL:
        return -1
    buf.data = bigger
    buf.capacity = capacity
    return 0


cdef inline uint64_t _word(const uint8_t* flat, Py_ssize_t i) noexcept nogil:
    cdef uint64_t w
    memcpy(&w, flat + 8 * i, 8)
    return w


cdef inline int _code(const uint8_t* flat, Py_ssize_t p, Py_ssize_t width) noexcept nogil:
    """Neighbourhood byte of pixel ``p``: bit k set when neighbour k is foreground, k in
    the order E, NE, N, NW, W, SW, S, SE (counter-clockwise from east)."""
    return ((flat[p + 1] & 1) | ((flat[p - width + 1] & 1) << 1)
            | ((flat[p - width] & 1) << 2) | ((flat[p - width - 1] & 1) << 3)
            | ((flat[p - 1] & 1) << 4) | ((flat[p + width - 1] & 1) << 5)
            | ((flat[p + width] & 1) << 6) | ((flat[p + width + 1] & 1) << 7))


cdef inline Py_ssize_t _collect(uint8_t* flat, const int64_t* pixels, Py_ssize_t count,
                                int64_t* out, Py_ssize_t n) noexcept nogil:
    """Append to ``out[n:]`` the foreground pixels of ``pixels[:count]`` not yet marked,
    marking them; returns the new length."""
    cdef Py_ssize_t i
    cdef int64_t q
    for i in range(count):
        q = pixels[i]
        if flat[q] == 1:
            flat[q] = 3
            out[n] = q
            n += 1
    return n


cdef int _border(const uint8_t* flat, Py_ssize_t size, Py_ssize_t width,
                 Buffer* out) noexcept nogil:
    """Fill ``out`` with the foreground pixels having a background 4-neighbour (see
    :func:`border_pixels`); 0, or -1 when memory runs out."""
    cdef Py_ssize_t row = width // 8
    cdef Py_ssize_t nwords = size // 8
    cdef Py_ssize_t i, j
    cdef uint64_t w, left, right, edge
    out.size = 0
    if _reserve(out, max(64, size // 16)):
        return -1
    for i in range(row, nwords - row):
        w = _word(flat, i)
        if w == 0:
            continue
        left = (w << 8) | (_word(flat, i - 1) >> 56)
        right = (w >> 8) | (_word(flat, i + 1) << 56)
        edge = w & ~(left & right & _word(flat, i - row) & _word(flat, i + row)) & _LOW
        while edge:
            j = __builtin_ctzll(edge) >> 3  # the lowest byte set
            edge &= edge - 1
            if out.size == out.capacity and _reserve(out, 2 * out.capacity):
                return -1
            out.data[out.size] = 8 * i + j
            out.size += 1
    return 0


def border_pixels(const uint8_t[::1] flat, Py_ssize_t width):
    """Flat indices, in raster order, of the foreground pixels with a background
    4-neighbour (``width`` a multiple of 8; the first and last rows are frame)."""
    cdef Buffer out = Buffer(NULL, 0, 0)
    cdef int failed
    cdef int64_t[::1] view
    import numpy as np  # here only: thin() runs without numpy (the small-file path)

    try:
        with nogil:
            failed = _border(&flat[0], flat.shape[0], width, &out)
        if failed:
            raise MemoryError
        found = np.empty(out.size, np.int64)
        view = found
        if out.size:
            memcpy(&view[0], out.data, out.size * sizeof(int64_t))
        return found
    finally:
        free(out.data)


cdef int _thin(uint8_t* flat, Py_ssize_t size, Py_ssize_t width, const uint8_t* tables,
               int64_t max_iterations, int64_t* iterations, int64_t* deleted) noexcept nogil:
    """See :func:`thin`; the buffers are freed here. 0, or -1 when memory runs out."""
    # the foreground neighbours of the deletions one sub-iteration ago (recent), two ago
    # (older: both the border, to begin with); the fresh list reuses the older buffer
    cdef Buffer recent = Buffer(NULL, 0, 0)
    cdef Buffer older = Buffer(NULL, 0, 0)
    cdef Buffer cand = Buffer(NULL, 0, 0)
    cdef Buffer doomed = Buffer(NULL, 0, 0)
    cdef Buffer fresh
    cdef const uint8_t* table
    cdef int64_t t = 0, last_active = -1, p, q
    cdef Py_ssize_t n, k, m, i, d
    cdef int status = -1
    cdef Py_ssize_t offsets[8]
    offsets[0] = 1
    offsets[1] = -width + 1
    offsets[2] = -width
    offsets[3] = -width - 1
    offsets[4] = -1
    offsets[5] = width - 1
    offsets[6] = width
    offsets[7] = width + 1
    deleted[0] = 0
    if _border(flat, size, width, &recent) or _reserve(&older, max(recent.size, 1)):
        return _free_all(&recent, &older, &cand, &doomed, -1)
    memcpy(older.data, recent.data, recent.size * sizeof(int64_t))
    older.size = recent.size
    if _reserve(&cand, max(64, 2 * recent.size)) or _reserve(&doomed, max(64, recent.size)):
        return _free_all(&recent, &older, &cand, &doomed, -1)
    while recent.size + older.size > 0:
        if max_iterations >= 0 and t >= 2 * max_iterations:
            break
        if _reserve(&cand, 2 * (recent.size + older.size)):
            return _free_all(&recent, &older, &cand, &doomed, -1)
        n = _collect(flat, recent.data, recent.size, cand.data, 0)
        n = _collect(flat, older.data, older.size, cand.data, n)
        for i in range(n):
            flat[cand.data[i]] = 1
        # decide on the image as it is now, then delete
        table = tables + 256 * (t & 1)
        if _reserve(&doomed, 2 * n):
            return _free_all(&recent, &older, &cand, &doomed, -1)
        k = 0
        for i in range(n):
            q = cand.data[i]
            if table[_code(flat, q, width)]:
                doomed.data[k] = q
                k += 1
        for i in range(k):
            flat[doomed.data[i]] = 0
        deleted[0] += k
        if k:
            last_active = t
        # the foreground neighbours of this sub-iteration's deletions, each once
        fresh = older
        if _reserve(&fresh, max(64, 8 * k)):
            older = fresh
            return _free_all(&recent, &older, &cand, &doomed, -1)
        m = 0
        for i in range(k):
            p = doomed.data[i]
            for d in range(8):
                q = p + offsets[d]
                if flat[q] == 1:
                    flat[q] = 3
                    fresh.data[m] = q
                    m += 1
        for i in range(m):
            flat[fresh.data[i]] = 1
        fresh.size = m
        older = recent
        recent = fresh
        t += 1
    iterations[0] = last_active // 2 + 1 if last_active >= 0 else 0
    return _free_all(&recent, &older, &cand, &doomed, 0)


cdef int _free_all(Buffer* a, Buffer* b, Buffer* c, Buffer* d, int status) noexcept nogil:
    free(a.data)
    free(b.data)
    free(c.data)
    free(d.data)
    return status


def thin(uint8_t[::1] flat, Py_ssize_t width, const uint8_t[:, ::1] tables,
         int64_t max_iterations):
    """Thin the framed 0/1 image ``flat`` (row-major, ``width`` wide) in place.

    ``tables`` is a ``(2, 256)`` uint8 array: ``tables[s, code]`` is 1 when a pixel with
    neighbourhood ``code`` is deleted in sub-iteration ``s`` (0 first, 1 second).
    ``max_iterations`` bounds the full iterations (-1: until nothing changes).

    Returns ``(iterations, deleted)``: full iterations that deleted something, and pixels
    deleted.
    """
    cdef int64_t iterations = 0, deleted = 0
    cdef int failed
    if tables.shape[0] != 2 or tables.shape[1] != 256:
        raise ValueError(f"tables must be (2, 256), not {(tables.shape[0], tables.shape[1])}")
    with nogil:
        failed = _thin(&flat[0], flat.shape[0], width, &tables[0, 0], max_iterations,
                       &iterations, &deleted)
    if failed:
        raise MemoryError
    return iterations, deleted
