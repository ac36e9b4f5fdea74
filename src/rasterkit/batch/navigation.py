"""Link each changed pair's report to the review's index and to the previous / next changed
pair (in path order, the order the index lists changed pairs in).

Reports are written by the workers, before the order is known; when the batch ends, each one's
``pair-nav-data`` block (``null`` as written) is replaced by its links, one atomic rewrite per
report. Links are relative (the review folder can be moved or uploaded whole) and every path
segment is URL-encoded.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from .._html import script_json
from ..io import atomic_output

_OPEN = '<script type="application/json" id="pair-nav-data">'
#: The block every report carries until a review links it.
PLACEHOLDER = f"{_OPEN}null</script>"


def _href(target: str, page: str) -> str:
    """The relative URL of ``target`` from the page ``page`` (both relative to the review)."""
    relative = os.path.relpath(target, PurePosixPath(page).parent.as_posix() or ".")
    return "/".join(quote(part) for part in PurePosixPath(relative).parts)


def pair_links(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """``{report: links}`` for every record with a report: ``index``, ``position`` (1-based),
    ``total``, and ``prev`` / ``next`` (``{"path", "href"}`` or None)."""
    pages = sorted((r for r in records if r.get("report")), key=lambda r: r["path"])
    links = {}
    for i, record in enumerate(pages):
        page = record["report"]

        def neighbour(j: int, page: str = page) -> dict[str, str] | None:
            if not 0 <= j < len(pages):
                return None
            return {"path": pages[j]["path"], "href": _href(pages[j]["report"], page)}

        links[page] = {"index": _href("index.html", page), "position": i + 1,
                       "total": len(pages), "prev": neighbour(i - 1), "next": neighbour(i + 1)}
    return links


def link_reports(out: Path, records: list[dict[str, Any]]) -> None:
    """Write the links of :func:`pair_links` into the reports below ``out``."""
    for page, links in pair_links(records).items():
        path = out.joinpath(*PurePosixPath(page).parts)
        text = path.read_text(encoding="utf-8")
        with atomic_output(path) as tmp:
            tmp.write_text(text.replace(PLACEHOLDER, f"{_OPEN}{script_json(links)}</script>", 1),
                           encoding="utf-8")
