"""The thinning methods of :func:`rasterkit.morphology.skeletonize`, in a module that imports
nothing, so that the command line can list them without loading numpy."""

from __future__ import annotations

from typing import Literal

Method = Literal["guo-hall", "zhang-suen"]
#: Every method, the default first.
METHODS: tuple[str, ...] = ("guo-hall", "zhang-suen")
#: The method used when none is named: the one that keeps every stroke.
DEFAULT_METHOD: Method = "guo-hall"
