"""rasterkit: image chores done properly, from Python and from the command line.

The public API is flat and imported lazily, so ``import rasterkit`` costs almost nothing::

    import rasterkit
    d = rasterkit.diff("before.png", "after.png")     # line-oriented image diff
    print(d.summary_line())                           # the line `rasterkit diff` ends with
    d.to_dict()                                       # what --json prints, less "config"

Every command's result has these methods (:class:`rasterkit.results.ResultProtocol`):
``to_dict()``, ``summary_line()`` and ``to_text()``, what the command prints.

``rasterkit.diff`` and ``rasterkit.mosaic`` are plain functions; their subpackages are
:mod:`rasterkit.linediff` (the line-oriented diff) and :mod:`rasterkit.photomosaic`. The others:
:mod:`rasterkit.morphology`, :mod:`rasterkit.compare`, :mod:`rasterkit.raster`;
:mod:`rasterkit.io` loads and saves images; :mod:`rasterkit.errors` holds the exceptions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._lazy import attach

if TYPE_CHECKING:  # what the lazy names are, for type checkers and IDEs
    from . import compare, errors, io, linediff, morphology, photomosaic, raster
    from .errors import RasterkitError
    from .linediff import diff
    from .linediff.options import DiffOptions
    from .linediff.render import render
    from .linediff.result import DiffResult, Hunk
    from .photomosaic import mosaic

__version__ = "0.1.0"

_NAMES = {
    "diff": ".linediff:diff",
    "linediff": ".linediff:",
    "render": ".linediff.render:render",
    "DiffResult": ".linediff.result",
    "Hunk": ".linediff.result",
    "DiffOptions": ".linediff.options",
    "mosaic": ".photomosaic:mosaic",
    "photomosaic": ".photomosaic:",
    "morphology": ".morphology:",
    "compare": ".compare:",
    "raster": ".raster:",
    "io": ".io:",
    "errors": ".errors:",
    "RasterkitError": ".errors",
}
__getattr__, __dir__ = attach(__name__, _NAMES)
__all__ = [
    "DiffOptions", "DiffResult", "Hunk", "RasterkitError", "compare", "diff", "errors",
    "io", "linediff", "morphology", "mosaic", "photomosaic", "raster", "render",
]
