# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False
"""The percentile stretch of an 8- or 16-bit unsigned band, compiled and without numpy.

The small-cube path of ``raster split`` (:mod:`rasterkit.raster.small_split`) stretches
bands without importing numpy; libvips could do it too, but at about 0.3 ms per operation
(histogram, cumulative sum, five arithmetic steps) it would cost more than numpy's import
saves. These two loops are the numpy path's, value for value:

* :func:`values_at_ranks` counts a band's values in one bin per value and finds the value at
  given ranks, as :func:`rasterkit.raster.stretch.percentile_range` does for 8- and 16-bit
  bands (the *inverted CDF* percentile: the smallest value with at least ``rank`` samples at
  or below it);
* :func:`stretch` maps values to 8 bits as :func:`rasterkit.raster.stretch.stretch_array`
  does: ``floor((v - lo) * (255 / (hi - lo)) + 0.5)`` clipped to 0..255 in double precision,
  one rounding per step (the extension is built without fused multiply-add), ``v > lo`` to
  255 for a flat band, and 0 for the ignored value.

The fused functions are called by specialisation (``stretch["uint16_t"]``): Cython's
dispatcher would import numpy to look for its arrays.
"""

from cpython cimport array
from libc.math cimport floor
from libc.stdint cimport int64_t, uint8_t, uint16_t

from ._arrays cimport new_array

ctypedef fused sample_t:
    uint8_t
    uint16_t


def values_at_ranks(const sample_t[::1] band, Py_ssize_t skip, rank_of):
    """Count the values of ``band`` (leaving out the value ``skip``; -1: none), call
    ``rank_of(total)`` with the number counted, and return, for each 1-based rank it gives,
    the smallest value ``v`` such that at least ``rank`` counted values are ``<= v``; ``None``
    when nothing is counted."""
    cdef array.array counts_a = new_array("q", 256 if sample_t is uint8_t else 65536, True)
    cdef int64_t[::1] counts = counts_a
    cdef Py_ssize_t i, v, n = band.shape[0]
    cdef Py_ssize_t bins = 1  # up to the largest value: the sums below stop there
    cdef int64_t total, cum, rank
    with nogil:
        for i in range(n):
            counts[band[i]] += 1
            if band[i] >= bins:
                bins = band[i] + 1
    if 0 <= skip < bins:
        counts[skip] = 0
    total = 0
    for v in range(bins):
        total += counts[v]
    if total == 0:
        return None
    found = []
    for wanted in rank_of(total):
        rank = wanted
        cum = 0
        v = 0
        with nogil:
            while v < bins - 1:
                cum += counts[v]
                if cum >= rank:
                    break
                v += 1
        found.append(v)
    return found


def stretch(const sample_t[::1] band, double lo, double hi, ignore, uint8_t[::1] out) -> None:
    """Write ``band`` mapped to 8 bits into ``out`` (same length): ``lo`` -> 0, ``hi`` -> 255
    (see the module notes); samples equal to ``ignore`` (a number, or None) become 0."""
    cdef Py_ssize_t i, n = band.shape[0]
    cdef double x, scale
    cdef bint skip = ignore is not None
    cdef double ignored = ignore if skip else 0.0
    if out.shape[0] != n:
        raise ValueError(f"out holds {out.shape[0]} samples, the band {n}")
    with nogil:
        if hi > lo:
            scale = 255.0 / (hi - lo)
            for i in range(n):
                x = floor((<double>band[i] - lo) * scale + 0.5)
                out[i] = 0 if x < 0.0 else (255 if x > 255.0 else <uint8_t>x)
        else:
            for i in range(n):
                out[i] = 255 if <double>band[i] > lo else 0
        if skip:
            for i in range(n):
                if <double>band[i] == ignored:
                    out[i] = 0
