# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False
"""Confusion counts of two binary byte images in one pass, 8 pixels per 64-bit word.

The images are byte arrays in which 0 is background and one nonzero value (per image) is
foreground. For each pair of words the kernel forms, without branches, the *nonzero mask*
of each word (the high bit of every nonzero byte: ``((w & 0x7f..) + 0x7f..) | w) & 0x80..``)
and counts the foreground of A, of B and of both in byte lanes; in the same pass
it checks that every nonzero byte equals the image's foreground value (a binary image).
The loop is memory-bound: it reads each input once.
"""

from libc.stdint cimport uint8_t, uint64_t
from libc.string cimport memcpy

cdef uint64_t _LOW7 = 0x7F7F7F7F7F7F7F7FULL
cdef uint64_t _HIGH = 0x8080808080808080ULL
cdef uint64_t _BYTES = 0x0101010101010101ULL


cdef inline uint64_t _nonzero_bytes(uint64_t w) noexcept nogil:
    """The high bit of every nonzero byte of ``w``."""
    return (((w & _LOW7) + _LOW7) | w) & _HIGH


cdef inline uint64_t _byte_sum(uint64_t acc) noexcept nogil:
    """Sum of the 8 bytes of ``acc``."""
    acc = (acc & 0x00FF00FF00FF00FFULL) + ((acc >> 8) & 0x00FF00FF00FF00FFULL)
    return (acc * 0x0001000100010001ULL) >> 48


def confusion_words(const uint64_t[::1] a, const uint64_t[::1] b, uint8_t fg_a, uint8_t fg_b):
    """Count ``(|A|, |B|, |A and B|, bad_a, bad_b)`` over the uint64 words ``a`` and ``b``.

    ``fg_a`` / ``fg_b`` are the foreground byte values; ``bad_*`` is true when a nonzero
    byte of that image differs from its foreground value (not a binary image). Each byte of
    three accumulator words counts the foreground of its lane for up to 255 words (adds,
    shifts and masks only, so the compiler runs the loop on vectors); the lanes are then
    summed.
    """
    cdef uint64_t word_a = fg_a * _BYTES
    cdef uint64_t word_b = fg_b * _BYTES
    cdef uint64_t count_a = 0, count_b = 0, count_ab = 0, bad_a = 0, bad_b = 0
    cdef uint64_t acc_a, acc_b, acc_ab, u, v, mu, mv
    cdef Py_ssize_t i, start, stop, n = a.shape[0]
    if b.shape[0] != n:
        raise ValueError("a and b must have the same number of words")
    with nogil:
        start = 0
        while start < n:
            stop = min(start + 255, n)
            acc_a = 0
            acc_b = 0
            acc_ab = 0
            for i in range(start, stop):
                u = a[i]
                v = b[i]
                mu = _nonzero_bytes(u)
                mv = _nonzero_bytes(v)
                bad_a |= mu & _nonzero_bytes(u ^ word_a)
                bad_b |= mv & _nonzero_bytes(v ^ word_b)
                acc_a += mu >> 7
                acc_b += mv >> 7
                acc_ab += (mu & mv) >> 7
            count_a += _byte_sum(acc_a)
            count_b += _byte_sum(acc_b)
            count_ab += _byte_sum(acc_ab)
            start = stop
    return int(count_a), int(count_b), int(count_ab), bad_a != 0, bad_b != 0


def first_nonzero(const uint8_t[::1] a) -> int:
    """The first nonzero value of the byte array ``a`` (0 if none), skipping zero words."""
    cdef Py_ssize_t size = a.shape[0]
    cdef Py_ssize_t i = 0
    cdef uint64_t w
    cdef uint8_t found = 0
    with nogil:
        while i + 8 <= size:
            memcpy(&w, &a[i], 8)
            if w != 0:
                break
            i += 8
        while i < size:
            if a[i] != 0:
                found = a[i]
                break
            i += 1
    return found
