"""Plain-text form of a diff: one header line per hunk, then a one-line summary.

::

    @@ -4000:4143 +4000:4000 @@ removed 143 rows
    @@ -0:0 +812:1004 @@ added   192 rows
    @@ -4100:4124 +4092:4140 @@ changed 24 -> 48 rows, 1,832 px differ in 2 boxes
    @@ -5025:5025 +5073:5188 @@ added   115 rows in x 0:958
    a.png 1400x9000 vs b.png 1400x9164: 4 hunks (1 removed, 2 added, 1 changed)

Ranges are 0-based and half-open (``-4000:4143`` is rows 4000 to 4142 of A), as in the JSON;
``in x 0:958`` names the columns of a hunk inside one column of the page (see
:mod:`.columns`).
"""

from __future__ import annotations

from .result import HUNK_KINDS, DiffResult, Hunk


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else many or word + 's'}"


def detail(hunk: Hunk) -> str:
    """What a hunk holds: ``143 rows`` or ``24 -> 48 rows, 1,832 px differ in 2 boxes``."""
    if hunk.kind == "removed":
        return _plural(hunk.a_rows, "row")
    if hunk.kind == "added":
        return _plural(hunk.b_rows, "row")
    if hunk.kind == "moved":
        rows = _plural(hunk.a_rows, "row")
        if not hunk.changed_pixels:
            return rows
        return (f"{rows}, {hunk.changed_pixels:,} px differ in "
                f"{_plural(len(hunk.boxes), 'box', 'boxes')}")
    rows = (_plural(hunk.a_rows, "row") if hunk.a_rows == hunk.b_rows
            else f"{hunk.a_rows:,} -> {_plural(hunk.b_rows, 'row')}")
    return (f"{rows}, {hunk.changed_pixels or 0:,} px differ in "
            f"{_plural(len(hunk.boxes), 'box', 'boxes')}")


#: ANSI SGR colours of a terminal, as ``git diff`` uses them: the ``@@`` header cyan, what
#: went away red, what came green, a change yellow, a move magenta.
COLOURS = {"header": "36", "removed": "31", "added": "32", "changed": "33", "moved": "35"}


def _paint(text: str, what: str, colour: bool) -> str:
    return f"\033[{COLOURS[what]}m{text}\033[0m" if colour else text


def hunk_line(hunk: Hunk, colour: bool = False, column: bool = False) -> str:
    """``@@ -a0:a1 +b0:b1 @@ kind  details`` (header and kind in colour when ``colour``),
    then `` in x x0:x1`` when ``column`` (a hunk of a column, not of whole rows)."""
    where = f" in x {hunk.x[0]}:{hunk.x[1]}" if column and hunk.x is not None else ""
    return (f"{_paint(hunk.header(), 'header', colour)} "
            f"{_paint(f'{hunk.kind:<7}', hunk.kind, colour)} {detail(hunk)}{where}")


def found(result: DiffResult) -> str:
    """What was found, in one phrase: ``identical`` or ``3 hunks (1 removed, ...)``."""
    a, b = result.a, result.b
    noise = (f"; {_plural(result.noise_rows, 'row')} of rendering noise ignored"
             if result.noise_rows else "")
    if result.identical:
        return "identical" + noise
    parts = [f"{result.count(kind)} {kind}" for kind in HUNK_KINDS if result.count(kind)]
    text = f"{_plural(len(result.hunks), 'hunk')} ({', '.join(parts)})" if parts else "no hunks"
    if result.width_changed:
        text += f"; width {a.width} -> {b.width} (compared {result.compared_width} columns)"
    elif a.height != b.height and not result.hunks:
        text += f"; height {a.height} -> {b.height}"
    return text + noise


def summary_line(result: DiffResult) -> str:
    """One line: both inputs and sizes, then what was found."""
    a, b = result.a, result.b
    names = f"{a.path or 'A'} {a.width}x{a.height} vs {b.path or 'B'} {b.width}x{b.height}"
    return f"{names}: {found(result)}"


def format_text(result: DiffResult, colour: bool = False) -> str:
    """The whole text report: hunk lines, then the summary line (newline-terminated); with
    ``colour``, ANSI colours for a terminal (see :data:`COLOURS`)."""
    lines = [hunk_line(h, colour, result.in_column(h)) for h in result.hunks]
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"
