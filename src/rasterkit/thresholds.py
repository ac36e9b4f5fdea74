"""The ``threshold`` argument of the binary-image functions, checked in plain Python.

A threshold is ``None`` (the image must be binary) or a finite number: foreground is then
``value > threshold``, in the image's own pixel values. No numpy here, so that the small-file
path of the commands (:mod:`rasterkit.morphology.small_files`) checks it with the very
function the numpy path uses (:func:`rasterkit.binary_inputs.resolve_threshold`, which also
takes ``"otsu"``), and gives the same one-line error.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

from .errors import BadInputError


def check_threshold(threshold: Any) -> float | None:
    """``None`` or a finite number (as a float), else a :class:`BadInputError`."""
    if threshold is None:
        return None
    if (isinstance(threshold, bool) or not isinstance(threshold, numbers.Real)
            or not math.isfinite(threshold)):
        raise BadInputError(f"threshold must be a finite number, not {threshold!r}")
    return float(threshold)
