# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False
"""Confusion counts of two binary byte images in one pass, 8 pixels per 64-bit word.

The images are byte arrays in which 0 is background and one nonzero value (per image) is
foreground. For each pair of words the kernel forms, without branches, the *nonzero mask*
of each word (the high bit of every nonzero byte: ``((w & 0x7f..) + 0x7f..) | w) & 0x80..``)
and counts the foreground of A, of B and of both with one multiply each; in the same pass
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


cdef inline uint64_t _count(uint64_t mask) noexcept nogil:
    """Number of high bits set in a nonzero-byte mask (at most 8)."""
    return ((mask >> 7) * _BYTES) >> 56


def confusion_words(const uint64_t[::1] a, const uint64_t[::1] b, uint8_t fg_a, uint8_t fg_b):
    """Count ``(|A|, |B|, |A and B|, bad_a, bad_b)`` over the uint64 words ``a`` and ``b``.

    ``fg_a`` / ``fg_b`` are the foreground byte values; ``bad_*`` is true when a nonzero
    byte of that image differs from its foreground value (not a binary image).
    """
    cdef uint64_t word_a = fg_a * _BYTES
    cdef uint64_t word_b = fg_b * _BYTES
    cdef uint64_t count_a = 0, count_b = 0, count_ab = 0, bad_a = 0, bad_b = 0
    cdef uint64_t u, v, mu, mv
    cdef Py_ssize_t i
    with nogil:
        for i in range(a.shape[0]):
            u = a[i]
            v = b[i]
            mu = _nonzero_bytes(u)
            mv = _nonzero_bytes(v)
            bad_a |= mu & _nonzero_bytes(u ^ word_a)
            bad_b |= mv & _nonzero_bytes(v ^ word_b)
            count_a += _count(mu)
            count_b += _count(mv)
            count_ab += _count(mu & mv)
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
