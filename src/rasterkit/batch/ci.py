"""What a CI job shows of a batch: JUnit XML and a Markdown summary of :func:`diff_dir`'s data.

* **JUnit XML** (``diff-dir --junit FILE``): one ``<testcase>`` per pair, named by its path.
  ``changed``, ``new`` and ``deleted`` pairs fail (``type`` = the status; the message is what
  was found, the text the hunks), an ``error`` pair is an ``<error>``, a ``skipped`` file is
  ``<skipped>``; a pair's report is attached the way Jenkins and GitLab read attachments
  (``[[ATTACHMENT|path]]`` in ``<system-out>``). Times are the pairs' own, in seconds.
* **Markdown** (``diff-dir --markdown FILE``): a heading with the counts, then a table of every
  pair that is not identical (status, path, hunks, rows, pixels, a link to its report),
  for ``$GITHUB_STEP_SUMMARY`` or a pull-request comment.

Paths to reports are written relative to the folder of the file written (``base``), so the
links work where the review folder and that file are uploaded together.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

#: Statuses that fail a pair in CI (the exit status of ``diff-dir`` is 1 for them too).
FAILING = ("changed", "new", "deleted")


def found(record: dict[str, Any]) -> str:
    """One phrase for a pair: ``3 hunks (1 removed, 1 added, 1 changed), 506 rows, 2,788 px``
    for a changed pair; ``only in AFTER`` / ``only in BEFORE``; the note of an error."""
    status = record["status"]
    if status == "changed":
        kinds = ", ".join(f"{n} {kind}" for kind, n in record["hunks"].items() if n)
        total = sum(record["hunks"].values())
        return (f"{total} hunk{'s' * (total != 1)} ({kinds}), {record['changed_rows']:,} rows, "
                f"{record['changed_pixels']:,} px")
    if status == "new":
        return "only in AFTER (new)"
    if status == "deleted":
        return "only in BEFORE (deleted)"
    return record.get("note") or status


def _hunk_lines(record: dict[str, Any]) -> list[str]:
    """One line per hunk, as ``rasterkit diff`` prints it (a column hunk ends ``in x
    x0:x1``)."""
    lines = []
    hunks = record.get("hunk_list") or []
    narrower = min(record["a"]["width"], record["b"]["width"]) if hunks else 0
    for hunk in hunks:
        (a0, a1), (b0, b1) = hunk["a"], hunk["b"]
        pixels = f", {hunk['changed_pixels']:,} px differ" if hunk.get("changed_pixels") else ""
        x = hunk.get("x")
        where = f" in x {x[0]}:{x[1]}" if x and (x[0] > 0 or x[1] < narrower) else ""
        lines.append(f"@@ -{a0}:{a1} +{b0}:{b1} @@ {hunk['kind']}{pixels}{where}")
    return lines


def _report(record: dict[str, Any], review: Path | None, base: Path) -> str | None:
    """The pair's report relative to ``base`` (None without one)."""
    if review is None or not record.get("report"):
        return None
    return Path(os.path.relpath(review / record["report"], base)).as_posix()


def junit_xml(data: dict[str, Any], review: Path | None, base: Path) -> str:
    """The JUnit XML document of a batch (see the module notes).

    ``data`` is :attr:`BatchResult.data`; ``review`` the review folder (None if none was
    written); ``base`` the folder the XML file is written to.
    """
    records = data["pairs"]
    summary = data["summary"]
    failures = sum(summary[s] for s in FAILING)
    seconds = sum(r.get("seconds") or 0.0 for r in records)
    name = quoteattr(f"rasterkit diff-dir {data['before']} {data['after']}")
    head = (f"<testsuite name={name} tests=\"{len(records)}\" failures=\"{failures}\" "
            f"errors=\"{summary['error']}\" skipped=\"{summary['skipped']}\" "
            f"time=\"{seconds:.3f}\">")
    cases = [_testcase(record, review, base) for record in records]
    return "\n".join(['<?xml version="1.0" encoding="UTF-8"?>',
                      f"<testsuites name=\"rasterkit\" tests=\"{len(records)}\" "
                      f"failures=\"{failures}\" errors=\"{summary['error']}\" "
                      f"time=\"{seconds:.3f}\">",  # no skipped: the JUnit schema has none here
                      f"  {head}", *cases, "  </testsuite>", "</testsuites>", ""])


def _testcase(record: dict[str, Any], review: Path | None, base: Path) -> str:
    status = record["status"]
    opening = (f"    <testcase classname=\"rasterkit.diff-dir\" name={quoteattr(record['path'])} "
               f"time=\"{record.get('seconds') or 0.0:.3f}\"")
    report = _report(record, review, base)
    body = []
    if status in FAILING:
        text = "\n".join([*_hunk_lines(record), *([f"report: {report}"] if report else [])])
        body.append(f"      <failure type=\"{status}\" message={quoteattr(found(record))}>"
                    f"{escape(text)}</failure>")
    elif status == "error":
        body.append(f"      <error type=\"error\" message={quoteattr(found(record))}/>")
    elif status == "skipped":
        body.append(f"      <skipped message={quoteattr(found(record))}/>")
    if report:
        body.append(f"      <system-out>{escape(f'[[ATTACHMENT|{report}]]')}</system-out>")
    if not body:
        return opening + "/>"
    return "\n".join([opening + ">", *body, "    </testcase>"])


def _cell(text: str) -> str:
    """Text for a Markdown table cell: pipes, backslashes, brackets and markup escaped."""
    out = text.replace("\\", "\\\\")
    for char in "|`*_[]<>#":
        out = out.replace(char, "\\" + char)
    return out.replace("\n", " ")


def markdown_summary(data: dict[str, Any], review: Path | None, base: Path) -> str:
    """The Markdown summary of a batch (see the module notes; arguments as :func:`junit_xml`)."""
    summary = data["summary"]
    counts = ", ".join(f"{summary[s]:,} {s}" for s in
                       ("changed", "new", "deleted", "error", "identical", "skipped")
                       if summary[s])
    lines = [f"### rasterkit diff-dir: {summary['pairs']:,} files ({counts or 'none'})", ""]
    shown = [r for r in data["pairs"] if r["status"] != "identical"]
    if not shown:
        lines.append("Every image is identical to its baseline.")
        return "\n".join(lines) + "\n"
    lines += ["| status | image | what changed | report |", "|---|---|---|---|"]
    for record in shown:
        report = _report(record, review, base)
        link = f"[report]({quote(report, safe='/')})" if report else ""
        lines.append(f"| {record['status']} | {_cell(record['path'])} | "
                     f"{_cell(found(record))} | {link} |")
    if not data.get("complete", True):
        lines += ["", "**The batch did not finish: this list is partial.**"]
    return "\n".join(lines) + "\n"


def check_ci_output(path: str | os.PathLike[str], inputs: tuple[Path, ...],
                    review: Path | None) -> Path:
    """Validate ``--junit`` / ``--markdown FILE`` before any work: a file name whose folder
    exists, outside the input folders and the review folder (which a later run clears)."""
    from ..errors import OutputError

    out = Path(path)
    if out.is_dir() or not out.name:
        raise OutputError(f"{os.fspath(path)}: is a folder; give a file name")
    from ..io import is_inside

    for folder in (*inputs, *((review,) if review is not None else ())):
        if is_inside(out, folder):
            raise OutputError(f"{out}: must not be inside {folder}")
    if not (out.parent if str(out.parent) else Path(".")).is_dir():
        raise OutputError(f"{out}: folder {out.parent} does not exist")
    return out


def write_text_file(text: str, path: Path) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically (nothing is left on failure)."""
    from ..io import atomic_output

    with atomic_output(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
