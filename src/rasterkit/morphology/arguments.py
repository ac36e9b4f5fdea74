"""The checks and defaults of the morphology functions' arguments, in plain Python.

No numpy here (nor in what this imports), so that the small-file path of the commands
(:mod:`rasterkit.morphology.small_files`) checks its arguments with the very functions the
numpy path uses, and gives the same one-line errors:

* **Areas**: ``min_area`` is a whole number of pixels >= 1; ``max_area``, if given, >= it.
* **Connectivity**: 4 or 8.
* **Threshold**: ``None`` or a finite number (``value > threshold`` is foreground): checked by
  :func:`rasterkit.thresholds.check_threshold`, shared with compare.
* **Thinning**: a method of :data:`~rasterkit.morphology.methods.METHODS`, and
  ``max_iterations`` ``None`` or a whole number >= 0.
* **Memory**: an image is filtered in memory when about :data:`IN_MEMORY_FACTOR` times its
  pixel bytes fit in ``max_memory`` (default :data:`DEFAULT_MAX_MEMORY`), else in strips.
"""

from __future__ import annotations

import numbers
from typing import Any

from ..errors import BadInputError
from .methods import METHODS

CONNECTIVITIES = (4, 8)
#: Default memory budget for one image's pixel buffers: beyond it, work in strips.
DEFAULT_MAX_MEMORY = 2 * 1024**3
#: In-memory cost, in bytes per byte of input pixels: input, output and runs.
IN_MEMORY_FACTOR = 3


def check_area(value: Any, what: str) -> int:
    """``value`` as a whole number of pixels >= 1, or a :class:`BadInputError`."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise BadInputError(f"{what} must be a whole number of pixels, not {value!r}")
    if not isinstance(value, numbers.Integral):
        if not float(value).is_integer():
            raise BadInputError(f"{what} must be a whole number of pixels, not {value!r}")
        value = int(value)
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


def check_method(method: Any) -> str:
    """``method`` if it is one of :data:`~rasterkit.morphology.methods.METHODS`, else a
    :class:`BadInputError`."""
    if method not in METHODS:
        raise BadInputError(f"skeleton method must be one of {', '.join(METHODS)}, "
                            f"not {method!r}")
    return method


def check_max_iterations(max_iterations: Any) -> int | None:
    """``None`` or a whole number >= 0 (full thinning iterations)."""
    if max_iterations is not None and (isinstance(max_iterations, bool)
                                       or int(max_iterations) < 0):
        raise BadInputError(f"max_iterations must be a whole number >= 0, not "
                            f"{max_iterations!r}")
    return max_iterations


def check_strip_rows(strip_rows: Any) -> int | None:
    """``None`` or a positive number of rows."""
    if strip_rows is not None and (isinstance(strip_rows, bool) or int(strip_rows) < 1):
        raise BadInputError(f"strip_rows must be a positive number of rows, not {strip_rows!r}")
    return strip_rows


def fits_in_memory(nbytes: int, max_memory: int, strip_rows: int | None) -> bool:
    """Whether an image of ``nbytes`` pixel bytes is filtered in memory (else in strips)."""
    return strip_rows is None and nbytes * IN_MEMORY_FACTOR <= max_memory
