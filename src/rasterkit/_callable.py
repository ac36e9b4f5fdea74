"""Let a package be called like its main function (``rasterkit.diff(a, b)``).

``rasterkit.diff`` must be both a package (``rasterkit.diff.render``) and a function
(``rasterkit.diff(a, b)``); importing a submodule rebinds the package name on ``rasterkit``,
so a plain function of the same name cannot survive. Making the module object callable keeps
one name for both, with ``help()`` showing the package docs.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from typing import Any


def make_callable(module_name: str, function: Callable[..., Any]) -> None:
    """Make ``sys.modules[module_name](...)`` call ``function(...)``."""

    class CallableModule(types.ModuleType):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            return function(*args, **kwargs)

    sys.modules[module_name].__class__ = CallableModule
