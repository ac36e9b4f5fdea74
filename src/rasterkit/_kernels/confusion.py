"""Confusion counts of two binary byte images in one pass, 8 pixels per 64-bit word.

The images are byte arrays in which 0 is background and one nonzero value (per image) is
foreground. For each pair of words the kernel forms, without branches, the *nonzero mask*
of each word (the high bit of every nonzero byte: ``((w & 0x7f..) + 0x7f..) | w) & 0x80..``)
and counts the foreground of A, of B and of both with one multiply each; in the same pass
it checks that every nonzero byte equals the image's foreground value (a binary image).
The loop is memory-bound: it reads each input once.
"""

from __future__ import annotations

import numpy as np
from numba import njit

_JIT = {"cache": True, "nogil": True, "boundscheck": False}
_LOW7 = np.uint64(0x7F7F7F7F7F7F7F7F)
_HIGH = np.uint64(0x8080808080808080)
_BYTES = np.uint64(0x0101010101010101)
_S7 = np.uint64(7)
_S56 = np.uint64(56)


@njit(inline="always")
def _nonzero_bytes(w):
    """The high bit of every nonzero byte of ``w``."""
    return (((w & _LOW7) + _LOW7) | w) & _HIGH


@njit(inline="always")
def _count(mask):
    """Number of high bits set in a nonzero-byte mask (at most 8)."""
    return ((mask >> _S7) * _BYTES) >> _S56


@njit(**_JIT)
def confusion_words(a, b, fg_a, fg_b):
    """Count ``(|A|, |B|, |A and B|, bad_a, bad_b)`` over the uint64 words ``a`` and ``b``.

    ``fg_a`` / ``fg_b`` are the foreground byte values; ``bad_*`` is true when a nonzero
    byte of that image differs from its foreground value (not a binary image).
    """
    word_a = np.uint64(fg_a) * _BYTES
    word_b = np.uint64(fg_b) * _BYTES
    count_a = np.uint64(0)
    count_b = np.uint64(0)
    count_ab = np.uint64(0)
    bad_a = np.uint64(0)
    bad_b = np.uint64(0)
    for i in range(a.size):
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


@njit(**_JIT)
def first_nonzero(a):
    """The first nonzero value of the byte array ``a`` (0 if none), skipping zero words."""
    n = a.size - a.size % 8
    words = a[:n].view(np.uint64)
    for i in range(words.size):
        if words[i] != 0:
            for j in range(8 * i, 8 * i + 8):
                if a[j] != 0:
                    return a[j]
    for j in range(n, a.size):
        if a[j] != 0:
            return a[j]
    return a[0]
