"""Helpers for the offline HTML pages rasterkit writes (the diff report, the batch index).

Both pages carry their data as JSON in a ``<script type="application/json">`` block and their
CSS and JS inline, so they open from disk with no server and no network.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from importlib import resources
from typing import Any


def script_json(data: Any) -> str:
    """``data`` as JSON safe inside a ``<script>`` element: ``<``, ``>`` and ``&`` escaped, so
    no string (a file name above all) can close the element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def fill(template: str, fields: Mapping[str, str]) -> str:
    """Replace every ``@@NAME@@`` in ``template`` by ``fields[NAME]`` in one pass, so no
    inserted value is ever scanned for markers again."""
    return re.sub(r"@@([A-Z_]+)@@", lambda match: fields[match.group(1)], template)


def static(package: str, name: str) -> str:
    """The text of ``static/<name>`` shipped in ``package``."""
    return resources.files(package).joinpath("static", name).read_text(encoding="utf-8")


def options_text(options: Mapping[str, Any]) -> str:
    """Settings in one line for a page header: ``merge gap 40 · exact no · ...`` (empty
    lists and unset values left out)."""
    def word(value: Any) -> str:
        return ("yes" if value else "no") if isinstance(value, bool) else str(value)

    return " · ".join(f"{key.replace('_', ' ')} {word(value)}" for key, value in options.items()
                      if value is not None and value != [] and value != ())
