"""Percentile stretch: map a band's ``low``..``high`` percentile range onto 0..255.

Percentiles use the *inverted CDF* definition (numpy ``method="inverted_cdf"``): the
``p``-th percentile is the smallest sample value ``v`` such that at least ``p`` % of the valid
samples are <= ``v``, so it is always a value that occurs in the band. Valid samples exclude
NaN, infinities and the header's ``data ignore value``.

* 8- and 16-bit integer bands: exact, from a histogram built in row blocks (bounded memory).
* Other types: computed on at most :data:`MAX_SAMPLES` samples on a regular grid (every
  ``s``-th row and column), exact when the band is that small.
* Complex bands are stretched by magnitude.

The mapping is ``round(255 * (v - lo) / (hi - lo))`` clipped to 0..255 (so +infinity is 255
and -infinity 0); NaN and ignored samples become 0; a flat band (``hi == lo``) maps
``v > lo`` to 255 and the rest to 0.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ..errors import BadInputError

if TYPE_CHECKING:
    import numpy as np
    import pyvips

#: Samples used for the percentiles of bands that are not 8/16-bit integers.
MAX_SAMPLES = 4_000_000
#: Samples per block of the histogram pass.
BLOCK_SAMPLES = 1 << 22

DEFAULT_PERCENTILES = (2.0, 98.0)


def parse_percentiles(text: str | tuple[float, float] | None) -> tuple[float, float] | None:
    """``"2,98"`` -> ``(2.0, 98.0)``; ``"none"``/None -> None; validates 0 <= low < high <= 100."""
    if text is None:
        return None
    if isinstance(text, str):
        if text.strip().lower() in ("none", "off", "no"):
            return None
        parts = text.replace(":", ",").split(",")
        try:
            values = tuple(float(p) for p in parts)
        except ValueError:
            values = ()
    else:
        values = tuple(float(v) for v in text)
    if len(values) != 2 or not 0 <= values[0] < values[1] <= 100:
        raise BadInputError(f"--stretch must be LOW,HIGH percentiles with 0 <= LOW < HIGH <= 100 "
                            f"(e.g. 2,98) or 'none', not {text!r}")
    return values[0], values[1]


def _rank(count: int, percent: float) -> int:
    """1-based rank of the ``percent`` percentile among ``count`` sorted values."""
    return min(count, max(1, math.ceil(round(count * percent / 100.0, 9))))


def percentile_range(band: np.ndarray, low: float = 2.0, high: float = 98.0, *,
                     ignore: float | None = None) -> tuple[float, float]:
    """The ``low`` and ``high`` percentiles of a 2-D band (see the module notes).

    Returns ``(0.0, 0.0)`` when the band has no valid sample.
    """
    import numpy as np

    if band.dtype.kind == "c":
        band = np.abs(band)
    kind, size = band.dtype.kind, band.dtype.itemsize
    if kind in "ui" and size <= 2:
        return _histogram_range(band, low, high, ignore)
    step = max(1, math.ceil(math.sqrt(band.size / MAX_SAMPLES)))
    sample = np.asarray(band[::step, ::step], dtype=np.float64).reshape(-1)
    valid = sample[np.isfinite(sample)]
    if ignore is not None:
        valid = valid[valid != ignore]
    if valid.size == 0:
        return 0.0, 0.0
    lo, hi = np.percentile(valid, [low, high], method="inverted_cdf")
    return float(lo), float(hi)


def _histogram_range(band: np.ndarray, low: float, high: float,
                     ignore: float | None) -> tuple[float, float]:
    import numpy as np

    signed = band.dtype.kind == "i"
    shift = (1 << (8 * band.dtype.itemsize - 1)) if signed else 0
    # Bins up to the largest value only: a 16-bit band of small values sums a short
    # histogram, not 65,536 bins (the ranks found are the same).
    hist = np.zeros(1, np.int64)
    rows = max(1, BLOCK_SAMPLES // max(1, band.shape[1]))
    for a in range(0, band.shape[0], rows):
        block = np.asarray(band[a:a + rows], dtype=np.int32 if signed else None).reshape(-1)
        if signed:
            block = block + shift
        counts = np.bincount(block)
        if counts.size > hist.size:
            counts[:hist.size] += hist
            hist = counts
        else:
            hist[:counts.size] += counts
    if ignore is not None and float(ignore).is_integer() and \
            0 <= int(ignore) + shift < hist.size:
        hist[int(ignore) + shift] = 0
    total = int(hist.sum())
    if total == 0:
        return 0.0, 0.0
    cum = np.cumsum(hist)
    lo = int(np.searchsorted(cum, _rank(total, low))) - shift
    hi = int(np.searchsorted(cum, _rank(total, high))) - shift
    return float(lo), float(hi)


#: Typecode of a buffer of 8- or 16-bit unsigned samples -> the compiled kernels' name for it
#: (:mod:`rasterkit._kernels._stretch`).
_SAMPLE_TYPES = {"B": "uint8_t", "H": "uint16_t"}


def percentile_range_samples(samples: Any, typecode: str, low: float = 2.0,
                             high: float = 98.0, *,
                             ignore: float | None = None) -> tuple[float, float]:
    """:func:`percentile_range` of a band given as a buffer of 8- or 16-bit unsigned samples
    (``typecode`` ``"B"`` or ``"H"``, machine byte order): the same values, compiled, without
    numpy (the small-cube path of ``raster split``, :mod:`.small_split`)."""
    from .._kernels._stretch import values_at_ranks

    bins = 256 if typecode == "B" else 65536
    skip = -1
    if ignore is not None and float(ignore).is_integer() and 0 <= int(ignore) < bins:
        skip = int(ignore)
    found = values_at_ranks[_SAMPLE_TYPES[typecode]](
        memoryview(samples).cast("B").cast(typecode), skip,
        lambda total: (_rank(total, low), _rank(total, high)))
    return (0.0, 0.0) if found is None else (float(found[0]), float(found[1]))


def stretch_samples(samples: Any, typecode: str, lo: float, hi: float, *,
                    ignore: float | None = None) -> bytearray:
    """:func:`stretch_array` of a buffer of 8- or 16-bit unsigned samples (``typecode``
    ``"B"`` or ``"H"``): the 8-bit values, compiled, without numpy."""
    from .._kernels._stretch import stretch

    view = memoryview(samples).cast("B").cast(typecode)
    out = bytearray(len(view))
    stretch[_SAMPLE_TYPES[typecode]](view, lo, hi, ignore, out)
    return out


def stretch_vips(image: pyvips.Image, lo: float, hi: float, *,
                 ignore: float | None = None) -> pyvips.Image:
    """A one-band image mapped to 8 bits: ``lo`` -> 0, ``hi`` -> 255 (see module notes)."""
    if image.format in ("complex", "dpcomplex"):
        image = image.abs()
    if hi > lo:
        scale = 255.0 / (hi - lo)
        # (x - lo) * scale + 0.5 in this order, rounded at each step as stretch_array does
        # (x * scale + (0.5 - lo * scale) differs by one level on some pixels).
        out = (image.cast("double") - lo).linear(scale, 0.5).cast("uchar")
    else:
        out = (image > lo).ifthenelse(255, 0).cast("uchar")
    if ignore is not None:
        out = (image == ignore).ifthenelse(0, out)
    return out.copy(interpretation="b-w")  # 8-bit grey, whatever the input was tagged


def stretch_array(band: np.ndarray, lo: float, hi: float, *,
                  ignore: float | None = None) -> np.ndarray:
    """The numpy twin of :func:`stretch_vips` (the reference the tests compare with)."""
    import numpy as np

    values = np.abs(band) if band.dtype.kind == "c" else band
    values = np.asarray(values, dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):  # inf clips to 255
        if hi > lo:
            scaled = np.floor((values - lo) * (255.0 / (hi - lo)) + 0.5)
            out = np.clip(np.nan_to_num(scaled, nan=0.0), 0, 255).astype(np.uint8)
        else:
            out = np.where(values > lo, 255, 0).astype(np.uint8)
    if ignore is not None:
        out[values == ignore] = 0
    return out


def stretch_ranges(arrays: Any, percentiles: tuple[float, float],
                   ignore: float | None) -> list[tuple[float, float]]:
    """:func:`percentile_range` of each band of ``arrays`` (an iterable of 2-D arrays)."""
    return [percentile_range(a, *percentiles, ignore=ignore) for a in arrays]
