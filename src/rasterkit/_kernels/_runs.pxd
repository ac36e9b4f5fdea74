# cython: language_level=3
# Run-length primitives shared by the in-memory and the strip-wise component labellers.
#
# A *run* is a maximal horizontal stretch ``[start, end)`` of one row in which every pixel is
# foreground (nonzero), or, for the background polarity, zero. Connected components are found
# on runs instead of pixels: two runs of adjacent rows touch when their column ranges overlap
# (4-connectivity) or overlap once widened by one pixel (8-connectivity).
#
# The row scanner reads 8 pixels at a time (a 64-bit word of :func:`rasterkit._kernels.runs.
# word_view`), skipping words that are all background or all foreground; it also checks, at no
# extra cost, that the image holds at most one nonzero value (a binary image).

from libc.stdint cimport int32_t, int64_t, uint8_t, uint64_t


cdef inline uint64_t byte_word(uint8_t value) noexcept nogil:
    """``value`` replicated into the 8 bytes of a word."""
    return <uint64_t>value * <uint64_t>0x0101010101010101ULL


cdef inline Py_ssize_t scan_row(const uint8_t* flat, const uint64_t* words, Py_ssize_t nwords,
                                Py_ssize_t base, Py_ssize_t width, uint8_t* fg,
                                int32_t* starts, int32_t* ends, Py_ssize_t n,
                                bint* bad) noexcept nogil:
    """Append the runs of nonzero pixels of ``flat[base:base + width]`` at ``starts/ends[n:]``.

    ``fg`` is the foreground value seen so far (0: none yet), updated. Returns the new run
    count; when a second nonzero value turns up, ``bad`` is set and the scan stops there.
    ``words`` are the ``nwords`` 64-bit words over ``flat`` (``nwords`` 0: byte by byte).
    """
    cdef bint use_words = nwords > 0
    cdef uint64_t fg_word = byte_word(fg[0]) if use_words else 0
    cdef Py_ssize_t x = 0
    cdef Py_ssize_t start = -1
    cdef Py_ssize_t p
    cdef uint64_t w
    cdef uint8_t v
    bad[0] = False
    while x < width:
        p = base + x
        if use_words and (p & 7) == 0 and x + 8 <= width and (p >> 3) < nwords:
            w = words[p >> 3]
            if start < 0:
                if w == 0:
                    x += 8
                    continue
            elif w == fg_word:
                x += 8
                continue
        v = flat[p]
        if v != 0:
            if fg[0] == 0:
                fg[0] = v
                if use_words:
                    fg_word = byte_word(v)
            elif v != fg[0]:
                bad[0] = True
                return n
            if start < 0:
                start = x
        elif start >= 0:
            starts[n] = <int32_t>start
            ends[n] = <int32_t>x
            n += 1
            start = -1
        x += 1
    if start >= 0:
        starts[n] = <int32_t>start
        ends[n] = <int32_t>width
        n += 1
    return n


cdef inline Py_ssize_t complement_runs(const int32_t* starts, const int32_t* ends,
                                       Py_ssize_t n0, Py_ssize_t n1, Py_ssize_t width,
                                       int32_t* out_starts, int32_t* out_ends,
                                       Py_ssize_t m) noexcept nogil:
    """Append the gaps between runs ``n0:n1`` of one row (the zero runs) at ``out_*[m:]``."""
    cdef Py_ssize_t x = 0
    cdef Py_ssize_t i
    for i in range(n0, n1):
        if starts[i] > x:
            out_starts[m] = <int32_t>x
            out_ends[m] = starts[i]
            m += 1
        x = ends[i]
    if x < width:
        out_starts[m] = <int32_t>x
        out_ends[m] = <int32_t>width
        m += 1
    return m


cdef inline Py_ssize_t scan_polarity(const uint8_t* flat, const uint64_t* words,
                                     Py_ssize_t nwords, Py_ssize_t base, Py_ssize_t width,
                                     uint8_t* fg, int32_t* starts, int32_t* ends, Py_ssize_t n,
                                     int32_t* scratch_s, int32_t* scratch_e, bint background,
                                     bint* bad) noexcept nogil:
    """:func:`scan_row`, or with ``background`` the zero runs of the row (the gaps between
    its nonzero runs, scanned into ``scratch_*``), appended at ``starts/ends[n:]``."""
    cdef Py_ssize_t k
    if not background:
        return scan_row(flat, words, nwords, base, width, fg, starts, ends, n, bad)
    k = scan_row(flat, words, nwords, base, width, fg, scratch_s, scratch_e, 0, bad)
    if bad[0]:
        return n
    return complement_runs(scratch_s, scratch_e, 0, k, width, starts, ends, n)


cdef inline int64_t find_root64(int64_t* parent, int64_t i) noexcept nogil:
    """Root of ``i`` in the union-find forest ``parent``, halving the path on the way."""
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


cdef inline int32_t find_root32(int32_t* parent, int32_t i) noexcept nogil:
    """:func:`find_root64` on an int32 forest."""
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


cdef inline Py_ssize_t first_touching(const int32_t* prev_starts, const int32_t* prev_ends,
                                      Py_ssize_t j, Py_ssize_t j_end, int64_t start,
                                      int reach) noexcept nogil:
    """Advance ``j`` past the runs of the row above that end before ``start`` can touch them.

    ``reach`` is 1 for 8-connectivity (diagonal neighbours touch), 0 for 4-connectivity.
    """
    while j < j_end and prev_ends[j] + reach <= start:
        j += 1
    return j
