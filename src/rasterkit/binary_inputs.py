"""Single-band and binary images as the morphology and compare functions accept them, and
the one-line errors for what they do not.

* **Sources**: a path to any image libvips reads, a numpy array ``(H, W)`` or
  ``(H, W, bands)``, or a ``pyvips.Image``.
* **Bands**: one band is the image. With 2 or 4 bands the last is alpha: it must be fully
  opaque and is then ignored. The remaining (colour) bands must be identical, as in a grey
  image saved as RGB; a colour image is an error.
* **Binary**: foreground is every nonzero pixel, and a binary image holds at most one nonzero
  value (bool, 0/1, 0/255, 0/65535, 0.0/1.0 all qualify). Anything else is an error unless a
  ``threshold`` is given; then foreground is ``value > threshold``. Where a function accepts
  ``threshold="otsu"``, the threshold is Otsu's (:func:`otsu_threshold`) of each image.
  Thresholds are in the image's own pixel values (checked by :mod:`rasterkit.thresholds`,
  which needs no numpy).
* **Kernel pixels**: :class:`Binariser` turns an image into the uint8 pixels the compiled
  kernels scan (nonzero is foreground) and back.

The morphology-only argument checks (areas, connectivity) are in
:mod:`rasterkit.morphology.arguments`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .errors import BadInputError
from .io import DEFAULT_MAX_PIXELS, load_array, source_name
from .thresholds import check_threshold


def opaque_value(dtype: np.dtype) -> float:
    """The value of a fully opaque alpha / the white of a binary image of this pixel type."""
    if dtype.kind == "f":
        return 1.0
    if dtype.kind == "b":
        return True
    return np.iinfo(dtype).max


def single_band(array: np.ndarray, name: str) -> np.ndarray:
    """``(H, W)`` or ``(H, W, bands)`` -> ``(H, W)`` following the band rules above."""
    if array.ndim == 2:
        return array
    bands = array.shape[2]
    if bands == 1:
        return array[:, :, 0]
    colours = bands - 1 if bands in (2, 4) else bands
    if colours < bands:
        alpha = array[:, :, bands - 1]
        if not (alpha == opaque_value(array.dtype)).all():
            raise BadInputError(f"{name}: has transparent pixels (alpha band); flatten it or "
                                "give a grey image")
    grey = array[:, :, 0]
    for band in range(1, colours):
        if not np.array_equal(array[:, :, band], grey):
            raise BadInputError(f"{name}: colour image ({colours} colour bands that differ); "
                                "give a grey or binary image")
    return grey


def load_single_band(source: Any, max_pixels: int | None = DEFAULT_MAX_PIXELS) -> np.ndarray:
    """Load ``source`` (path, array or image) as one ``(H, W)`` band, as stored."""
    name = source_name(source)
    if isinstance(source, np.ndarray) and source.dtype == np.float16:
        source = source.astype(np.float32)
    return single_band(load_array(source, max_pixels=max_pixels), name)


def describe_values(image: np.ndarray, most: int = 6) -> str:
    """A short list of the distinct values of ``image``, e.g. ``'0, 17, 255 (3 values)'``."""
    values = np.unique(image)
    shown = ", ".join(_fmt(v) for v in values[:most])
    more = ", ..." if values.size > most else ""
    return f"{shown}{more} ({values.size} distinct values)"


def _fmt(value: Any) -> str:
    return repr(float(value)) if isinstance(value, np.floating) else str(value)


class Binariser:
    """Turns images (or strips) of one pixel type into the uint8 pixels the kernels scan.

    Nonzero kernel pixels are foreground. bool and uint8 images are scanned as they are (the
    kernels check they hold one nonzero value); other types become a 0/1 mask, checked here;
    with a ``threshold`` the mask is ``value > threshold``. :meth:`restore` maps filtered
    kernel pixels back to the input's type and values. One instance serves all the strips
    of an image, so the foreground value is checked across strips.
    """

    def __init__(self, name: str, dtype: np.dtype, threshold: float | None) -> None:
        self.name = name
        self.dtype = np.dtype(dtype)
        self.threshold = threshold
        self.scanned_as_is = threshold is None and self.dtype in (np.uint8, np.bool_)
        self.foreground: Any = None  # the input's foreground value, once seen (mask types)

    def pixels(self, image: np.ndarray, rows: str = "") -> np.ndarray:
        """The kernel pixels of ``image`` (2-D); ``rows`` names a strip in messages."""
        if self.threshold is not None:
            return (image > self.threshold).view(np.uint8)
        if self.scanned_as_is:
            return np.ascontiguousarray(image).view(np.uint8)
        mask = image != 0
        values = image[mask]
        if values.size:
            first = values[0] if self.foreground is None else self.foreground
            if (values != first).any():
                raise self.not_binary(image, rows)
            self.foreground = first
        return mask.view(np.uint8)

    def not_binary(self, image: np.ndarray, rows: str = "", seen: Any = None) -> BadInputError:
        """The error for a non-binary image, listing its values (and ``seen`` before)."""
        known = self.foreground if seen is None else seen
        values = image if known is None or known == 0 else np.append(image.reshape(-1), known)
        where = f" (in rows {rows})" if rows else ""
        return BadInputError(
            f"{self.name}: not a binary image: values {describe_values(values)}{where}; a "
            "binary image holds 0 and one other value (give a threshold, --threshold T, to "
            "take value > T as foreground)")

    def restore(self, pixels: np.ndarray) -> np.ndarray:
        """Filtered kernel pixels back in the input's type and values."""
        if self.threshold is not None:
            return np.where(pixels != 0, opaque_value(self.dtype), 0).astype(self.dtype)
        if self.scanned_as_is:
            return pixels.view(self.dtype)
        white = 0 if self.foreground is None else self.foreground
        return np.where(pixels != 0, white, 0).astype(self.dtype)

    def output_foreground(self, kernel_foreground: Any) -> Any:
        """The output's foreground value, given the one the kernels found (0: none)."""
        if self.threshold is not None:
            return opaque_value(self.dtype)
        if self.scanned_as_is:
            return kernel_foreground
        return 0 if self.foreground is None else self.foreground


def otsu_threshold(image: np.ndarray) -> float:
    """Otsu's threshold of a single-band image: foreground is then ``value > threshold``.

    The threshold maximises the between-class variance of the two classes ``value <= t`` and
    ``value > t``. Integer (and bool) images are histogrammed one bin per value from their
    minimum to their maximum, so ``t`` is one of their values; float images in 256 equal
    bins over ``[min, max]`` (edges in the image's float type), ``t`` being a bin centre.
    Equal to scikit-image's ``threshold_otsu``. A flat image returns its value (so nothing
    is foreground).

    Example
    -------
    >>> import numpy as np
    >>> otsu_threshold(np.array([[10, 12, 200], [11, 198, 201]], np.uint8))
    12.0
    """
    image = image.view(np.uint8) if image.dtype == bool else image
    if image.dtype.kind == "f" and not np.isfinite(image).all():
        raise BadInputError("Otsu's threshold needs finite pixel values (this image has NaN "
                            "or infinity)")
    low, high = image.min(), image.max()
    if low == high:
        return float(low)
    if image.dtype.kind in "ui":
        counts = _integer_histogram(image, int(low), int(high))
        centres = np.arange(int(low), int(high) + 1, dtype=np.float64)
    else:
        edges = np.linspace(low, high, 257, dtype=np.result_type(low, high, image))
        counts = np.histogram(image, bins=edges)[0]
        centres = ((edges[:-1] + edges[1:]) / 2).astype(np.float64)
    counts = counts.astype(np.float64)
    weight1 = np.cumsum(counts)
    weight2 = np.cumsum(counts[::-1])[::-1]
    mean1 = np.cumsum(counts * centres) / np.maximum(weight1, 1)
    mean2 = (np.cumsum((counts * centres)[::-1]) / np.maximum(weight2[::-1], 1))[::-1]
    between = weight1[:-1] * weight2[1:] * (mean1[:-1] - mean2[1:]) ** 2
    return float(centres[int(np.argmax(between))])


def _integer_histogram(image: np.ndarray, low: int, high: int,
                       chunk: int = 1 << 20) -> np.ndarray:
    """Counts of each value ``low..high`` of an integer image (in chunks: bincount widens)."""
    flat = image.reshape(-1)
    counts = np.zeros(high - low + 1, np.int64)
    for start in range(0, flat.size, chunk):
        part = flat[start:start + chunk].astype(np.int64) - low
        counts += np.bincount(part, minlength=counts.size)
    return counts


def resolve_threshold(image: np.ndarray, threshold: Any) -> float | None:
    """``threshold`` for ``image``: ``None``, a finite number, or ``"otsu"`` (computed)."""
    if isinstance(threshold, str):
        if threshold.strip().lower() != "otsu":
            raise BadInputError(f"threshold must be a number or 'otsu', not {threshold!r}")
        return otsu_threshold(image)
    return check_threshold(threshold)


def foreground_of(pixels: np.ndarray, binariser: Binariser, image: np.ndarray) -> Any:
    """The one nonzero value of the kernel ``pixels`` of ``image`` (0 when there is none).

    Raises the not-binary :class:`BadInputError` when they hold two nonzero values (possible
    only for 8-bit and bool images, which :class:`Binariser` scans as they are).
    """
    value = pixels.max() if pixels.size else 0
    if binariser.scanned_as_is and value and (
            np.count_nonzero(pixels) != np.count_nonzero(pixels == value)):
        raise binariser.not_binary(image)
    return value
