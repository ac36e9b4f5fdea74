"""Serve a package's public names lazily: each is imported on first use.

A command imports only the modules it runs (its start-up time); ``import rasterkit`` costs
almost nothing. Every package ``__init__`` that does this calls :func:`attach` (the pattern of
scientific-python's ``lazy_loader``, without its dependency).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def attach(package: str, names: Mapping[str, str]
           ) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package`` that import ``names`` on first use.

    ``names`` maps each public name to where it lives: a module (``".result"``, relative to
    ``package``, or absolute) holding an attribute of the same name; ``".cube:open_cube"``
    for another attribute name; ``".io:"`` (empty attribute) for the module itself. A name
    once served is kept in the package's namespace.

    >>> import types
    >>> sys.modules["demo"] = package = types.ModuleType("demo")
    >>> package.__getattr__, _ = attach("demo", {"join": "os.path", "sep": "os.path:sep"})
    >>> package.join("a", "b")
    'a/b'
    """
    namespace = sys.modules[package].__dict__

    def get(name: str) -> Any:
        try:
            where = names[name]
        except KeyError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        module_name, colon, attribute = where.partition(":")
        module = importlib.import_module(module_name, package)
        value = module if colon and not attribute else getattr(module, attribute or name)
        namespace[name] = value
        return value

    def listing() -> list[str]:
        return sorted({*namespace, *names})

    return get, listing
