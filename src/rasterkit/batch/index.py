"""The batch's outputs: ``index.html`` (one page for every pair), ``results.json``, and
``results.jsonl`` written line by line as pairs finish.

The index is rewritten every :data:`REFRESH_SECONDS` while the batch runs, so it can be
opened before the end; every write goes to a temporary file renamed into place.
"""

from __future__ import annotations

import html
import json
import time
from pathlib import Path
from typing import Any

from .. import __version__
from .._html import fill, options_text, script_json, static
from ..io import atomic_output
from ..linediff.result import HUNK_KINDS
from .navigation import link_reports

#: How often (seconds) the index page is rewritten while pairs are still coming in.
REFRESH_SECONDS = 10.0
STATUSES = ("changed", "new", "deleted", "error", "identical", "skipped")


def summarise(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts by status, hunks by kind, total changed rows and pixels."""
    counts = dict.fromkeys(STATUSES, 0)
    for record in records:
        counts[record["status"]] += 1
    return {
        "pairs": len(records),
        **counts,
        "hunks": {kind: sum(r["hunks"][kind] for r in records) for kind in HUNK_KINDS},
        "changed_rows": sum(r["changed_rows"] for r in records),
        "changed_pixels": sum(r["changed_pixels"] for r in records),
    }


def document(before: str, after: str, records: list[dict[str, Any]], options: dict[str, Any],
             done: bool) -> dict[str, Any]:
    """The JSON document of a batch (``--json``, ``results.json``), pairs sorted by path."""
    return {
        "schema_version": 2,
        "before": before,
        "after": after,
        "complete": done,
        "summary": summarise(records),
        "options": options,
        "pairs": sorted(records, key=lambda r: r["path"]),
    }


def _write_text(path: Path, text: str) -> None:
    with atomic_output(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_index(out: Path, data: dict[str, Any]) -> None:
    """Write ``index.html`` and ``results.json`` into ``out``."""
    summary = data["summary"]
    parts = [f"{summary[s]:,} {s}" for s in STATUSES if summary[s]]
    title = f"{summary['pairs']:,} files: " + (", ".join(parts) or "none")
    state = "" if data["complete"] else " (still running: this page refreshes its data when " \
                                        "you reload it)"
    fields = {
        "TITLE": html.escape(f"rasterkit diff-dir: {title}"),
        "BEFORE": html.escape(data["before"]),
        "AFTER": html.escape(data["after"]),
        "SUMMARY": html.escape(title + state),
        "META": html.escape(f"{options_text(data['options'])} · rasterkit {__version__}"),
        "CSS": static(__package__, "index.css"),
        "JS": static(__package__, "index.js"),
        "DATA": script_json(data),
    }
    _write_text(out / "index.html", fill(static(__package__, "index.html"), fields))
    _write_text(out / "results.json", json.dumps(data, indent=1, ensure_ascii=False) + "\n")


class Journal:
    """Records as they arrive: appended to ``results.jsonl``, the index refreshed now and
    then (both only when there is an output folder)."""

    def __init__(self, out: Path | None, before: str, after: str, options: dict[str, Any]
                 ) -> None:
        self.out, self.before, self.after, self.options = out, before, after, options
        self.records: list[dict[str, Any]] = []
        self._last = time.monotonic()
        self._lines = None
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            self._lines = open(out / "results.jsonl", "w", encoding="utf-8")  # noqa: SIM115

    def add(self, record: dict[str, Any]) -> None:
        self.records.append(record)
        if self._lines is None:
            return
        self._lines.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._lines.flush()
        if time.monotonic() - self._last > REFRESH_SECONDS:
            self._last = time.monotonic()
            write_index(self.out, self.data(done=False))

    def data(self, done: bool) -> dict[str, Any]:
        return document(self.before, self.after, self.records, self.options, done)

    def close(self, done: bool = True) -> dict[str, Any]:
        data = self.data(done)
        if self._lines is not None:
            self._lines.close()
            link_reports(self.out, data["pairs"])
            write_index(self.out, data)
        return data
