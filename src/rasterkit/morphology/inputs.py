"""What the morphology functions accept, and the one-line errors for what they do not.

* **Sources**: a path to any image libvips reads, a numpy array ``(H, W)`` or
  ``(H, W, bands)``, or a ``pyvips.Image``.
* **Bands**: one band is the image. With 2 or 4 bands the last is alpha: it must be fully
  opaque and is then ignored. The remaining (colour) bands must be identical, as in a grey
  image saved as RGB; a colour image is an error.
* **Binary**: foreground is every nonzero pixel, and a binary image holds at most one nonzero
  value (bool, 0/1, 0/255, 0/65535, 0.0/1.0 all qualify). Anything else is an error unless a
  ``threshold`` is given; then foreground is ``value > threshold``.
* **Areas**: ``min_area`` is a whole number of pixels >= 1; ``max_area``, if given, >= it.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from ..errors import BadInputError
from ..io import DEFAULT_MAX_PIXELS, load_array, source_name

CONNECTIVITIES = (4, 8)


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


def check_area(value: Any, what: str) -> int:
    """``value`` as a whole number of pixels >= 1, or a :class:`BadInputError`."""
    if isinstance(value, bool | np.bool_):
        raise BadInputError(f"{what} must be a whole number of pixels, not {value!r}")
    if not isinstance(value, numbers.Integral):
        if isinstance(value, numbers.Real) and float(value).is_integer():
            value = int(value)
        else:
            raise BadInputError(f"{what} must be a whole number of pixels, not {value!r}")
    if value < 1:
        raise BadInputError(f"{what} must be at least 1 pixel, not {value}")
    return int(value)


def check_areas(min_area: Any, max_area: Any) -> tuple[int, int | None]:
    """Validate ``min_area`` and the optional ``max_area`` (which must be >= ``min_area``)."""
    low = check_area(min_area, "min_area")
    if max_area is None:
        return low, None
    high = check_area(max_area, "max_area")
    if high < low:
        raise BadInputError(f"max_area ({high}) must be >= min_area ({low})")
    return low, high


def check_connectivity(connectivity: Any) -> int:
    """4 or 8, or a :class:`BadInputError`."""
    if isinstance(connectivity, bool) or connectivity not in CONNECTIVITIES:
        raise BadInputError(f"connectivity must be 4 or 8, not {connectivity!r}")
    return int(connectivity)


def check_threshold(threshold: Any) -> float | None:
    """``None`` or a finite number."""
    if threshold is None:
        return None
    if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real) or not np.isfinite(
            threshold):
        raise BadInputError(f"threshold must be a finite number, not {threshold!r}")
    return float(threshold)
