"""JSON Schemas (draft 2020-12) of every JSON document rasterkit prints or writes.

One file per document, ``<name>.schema.json``, shipped in the package (read through
:mod:`importlib.resources`, so they load from a wheel or a zip as well as from a source tree):

=======================  ==========================================================
name                     document
=======================  ==========================================================
``diff``                 ``rasterkit diff A B --json``
``diff-dir``             ``rasterkit diff-dir BEFORE AFTER --json``
``diff-dir-results``     ``FOLDER/results.json`` of ``diff-dir -o FOLDER``
``diff-dir-record``      each line of ``FOLDER/results.jsonl``
``reviewed``             ``BEFORE/.rasterkit-reviewed.json`` (``--accept-hunk``)
``compare``              ``rasterkit compare --json``
``compare-lines``        ``rasterkit compare-lines --json``
``morphology``           ``rasterkit remove-small|area-open|area-close --json``
``skeletonize``          ``rasterkit skeletonize --json``
``mosaic``               ``rasterkit mosaic --json``
``mosaic-manifest``      the ``--manifest FILE.json`` of ``rasterkit mosaic``
``raster-info``          ``rasterkit raster info --json``
``raster-split``         ``rasterkit raster split --json``
``raster-convert``       ``rasterkit raster convert --json``
=======================  ==========================================================

Each schema's ``$id`` is ``https://rasterkit.dev/schemas/<name>.schema.json``; every schema is
self-contained (its ``$ref`` s point inside it), so any draft 2020-12 validator takes it alone,
e.g. ``jsonschema.Draft202012Validator(schema("diff")).validate(document)``. This module only
reads the files: it needs no validator.

Example
-------
>>> from rasterkit import schemas
>>> "diff" in schemas.names()
True
>>> diff = schemas.schema("diff")
>>> diff["$id"], diff["properties"]["schema_version"]["const"]
('https://rasterkit.dev/schemas/diff.schema.json', 4)
"""

from __future__ import annotations

import json
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

__all__ = ["SCHEMAS", "names", "schema"]

#: The folder holding the ``*.schema.json`` files (a :class:`pathlib.Path` for an ordinary
#: install; a :class:`~importlib.resources.abc.Traversable` in general).
SCHEMAS: Traversable = files(__name__)
_SUFFIX = ".schema.json"


def names() -> list[str]:
    """The names of the shipped schemas, sorted.

    Returns
    -------
    list of str
        ``<name>`` of each ``<name>.schema.json`` in :data:`SCHEMAS`.

    Example
    -------
    >>> names()[:3]
    ['compare', 'compare-lines', 'diff']
    """
    return sorted(entry.name[:-len(_SUFFIX)] for entry in SCHEMAS.iterdir()
                  if entry.name.endswith(_SUFFIX))


def schema(name: str) -> dict[str, Any]:
    """The schema ``name`` (see :func:`names`), parsed: a fresh dict on every call.

    Parameters
    ----------
    name : str
        E.g. ``"diff"`` for ``diff.schema.json``.

    Returns
    -------
    dict
        The JSON Schema document (draft 2020-12).

    Raises
    ------
    ValueError
        No schema of that name.

    Example
    -------
    >>> schema("compare")["title"]
    'rasterkit compare --json'
    """
    if name not in names():
        raise ValueError(f"no JSON schema named {name!r} (known: {', '.join(names())})")
    return json.loads((SCHEMAS / f"{name}{_SUFFIX}").read_text(encoding="utf-8"))
