"""rasterkit: image chores done properly, from Python and from the command line.

The public API is flat and imported lazily, so ``import rasterkit`` costs almost nothing::

    import rasterkit
    d = rasterkit.diff("before.png", "after.png")     # line-oriented image diff
    print(d.summary_line())                           # the line `rasterkit diff` ends with
    d.to_dict()                                       # what --json prints, less "config"

Every command's result has these methods (:class:`rasterkit.results.ResultProtocol`):
``to_dict()``, ``summary_line()`` and ``to_text()``, what the command prints.

Subpackages: :mod:`rasterkit.diff`, :mod:`rasterkit.morphology`, :mod:`rasterkit.compare`,
:mod:`rasterkit.mosaic`, :mod:`rasterkit.raster`; :mod:`rasterkit.io` loads and saves images;
:mod:`rasterkit.errors` holds the exceptions.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# attribute -> (module, attribute in it or None for the module itself)
_LAZY: dict[str, tuple[str, str | None]] = {
    "diff": ("rasterkit.diff", None),  # a callable package: rasterkit.diff(a, b)
    "render": ("rasterkit.diff.render", "render"),
    "morphology": ("rasterkit.morphology", None),
    "compare": ("rasterkit.compare", None),
    "mosaic": ("rasterkit.mosaic", None),  # a callable package: rasterkit.mosaic(...)
    "raster": ("rasterkit.raster", None),
    "DiffResult": ("rasterkit.diff.result", "DiffResult"),
    "Hunk": ("rasterkit.diff.result", "Hunk"),
    "io": ("rasterkit.io", None),
    "errors": ("rasterkit.errors", None),
    "RasterkitError": ("rasterkit.errors", "RasterkitError"),
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    try:
        module_name, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'rasterkit' has no attribute {name!r}") from None
    module = importlib.import_module(module_name)
    value = module if attribute is None else getattr(module, attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
