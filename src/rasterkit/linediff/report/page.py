"""The report's HTML: the template with CSS, JS and the diff's data inlined.

The page needs nothing from the network: CSS and JS are inlined, the tiles are relative
links into the tile folder, and a Content-Security-Policy forbids any other source. Every
piece of text from the inputs (file names above all) is escaped: ``html.escape`` in the
markup, and the JSON block has ``<``, ``>`` and ``&`` written as ``\\uXXXX`` so no file name
can close the ``<script>`` element; the script inserts text with ``textContent`` only.
"""

from __future__ import annotations

import html
import os
from typing import Any
from urllib.parse import quote

from ... import __version__
from ..._html import fill, options_text, script_json, static
from ..axis import AxisMap
from ..result import Box, DiffResult, Hunk
from ..text import detail, found
from .tiles import Tiles


def _static(name: str) -> str:
    return static(__package__, name)


def _axis_boxes(box: Box, axis: AxisMap, apart: bool) -> list[list[int | str]]:
    """A box on the axis: ``[x0, y0, x1, y1, side]``, columns as they are, rows from whichever
    sides it has (``side`` "ab"); a box of a move gives one box at each of its two places,
    each drawn on its own side only (``apart``)."""
    boxes = []
    for side, extent in zip("ab", (box.a, box.b), strict=True):
        if extent is not None:
            x0, y0, x1, y1 = extent
            boxes.append([x0, axis.position(side, y0), x1, axis.end(side, y1), side])
    if apart:
        return boxes
    if len(boxes) < 2:
        return [[*boxes[0][:4], "ab"]]
    (x0, top_a, x1, bottom_a, _), (_, top_b, _, bottom_b, _) = boxes
    return [[x0, min(top_a, top_b), x1, max(bottom_a, bottom_b), "ab"]]


def _frames(hunk: Hunk, axis: AxisMap) -> dict[str, list[int]]:
    """A column hunk's rows on the axis, per side: ``[y0, y1]`` (``y0 == y1`` where the rows
    would be, on the side that lacks them)."""
    frames = {}
    for side, (r0, r1) in (("a", hunk.a), ("b", hunk.b)):
        top = axis.position(side, r0)
        frames[side] = [top, axis.end(side, r1) if r1 > r0 else top]
    return frames


def _hunk_data(result: DiffResult, index: int, spans: list[tuple[int, int]], axis: AxisMap,
               tiles: Tiles) -> dict[str, Any]:
    hunk = result.hunks[index]
    apart = hunk.kind == "moved"
    data = {**hunk.to_dict(), "spans": [list(span) for span in spans], "detail": detail(hunk),
            "axis_boxes": [b for box in hunk.boxes for b in _axis_boxes(box, axis, apart)],
            "frames": _frames(hunk, axis) if result.in_column(hunk) else None,
            "column_view": None}
    picture = tiles.columns.get(index)
    if picture is not None:
        name, width, height = picture
        data["column_view"] = {"src": name, "width": width, "height": height}
    return data


def page_data(result: DiffResult, tiles: Tiles, folder_url: str, view: str) -> dict[str, Any]:
    """Everything the page's script draws from (the hunks as in ``--json``, plus layout)."""
    axis = AxisMap(result.runs)
    document = result.to_dict()
    for side in ("a", "b"):
        info = document[side]
        info["name"] = os.path.basename(info["path"]) if info["path"] else side.upper()
    return {
        **document,
        "version": __version__,
        "width": max(result.a.width, result.b.width),
        "height": result.axis_height,
        "hunks": [_hunk_data(result, i, spans, axis, tiles)
                  for i, spans in enumerate(result.axis_spans())],
        "gaps": {side: [list(span) for span in result.gap_spans(side)] for side in ("a", "b")},
        "tiles": {"folder": folder_url, "rows": tiles.rows, "a": tiles.a, "b": tiles.b},
        "minimap": {"src": tiles.minimap, "width": tiles.minimap_size[0],
                    "height": tiles.minimap_size[1]},
        "initial_view": view,
    }


def build_page(result: DiffResult, tiles: Tiles, folder_name: str, view: str = "aligned") -> str:
    """The whole HTML document of the report (tiles live in ``folder_name`` beside it)."""
    data = page_data(result, tiles, quote(folder_name) + "/", view)
    names = [data["a"]["name"], data["b"]["name"]]
    size = [f"{info.width} × {info.height}" for info in (result.a, result.b)]
    fields = {
        "VERSION": html.escape(__version__),
        "TITLE": html.escape(f"diff {names[0]} {names[1]}"),
        "NAME_A": html.escape(names[0]),
        "NAME_B": html.escape(names[1]),
        "SIZE_A": size[0],
        "SIZE_B": size[1],
        "SUMMARY": "<strong>" + html.escape(found(result)) + "</strong>",
        "META": html.escape(f"{options_text(result.options)} · rasterkit {__version__}"),
        "CSS": _static("report.css"),
        "JS": _static("report.js"),
        "DATA": script_json(data),
    }
    return fill(_static("template.html"), fields)
