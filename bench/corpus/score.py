"""Scoring one tool's output on one pair against the ground truth (pure, no I/O).

Rows: every row a tool flags in A or in B is one prediction. *Precision* is the share of
flagged rows that lie in an edit's allowed rows; *recall* is the share of the edits' core rows
that are flagged (an edit whose place is ambiguous, e.g. one of several identical cards, is
credited at its best-matching slide); F1 is their harmonic mean. A pair with edits where the
tool flags nothing has precision 0.

Hunks: each edit is ``exact`` (on each of its sides one hunk, touching no other edit and lying
mostly inside the edit), ``split`` (some side overlapped by several hunks), ``merged`` (a hunk
also covers another edit, or more unchanged rows than edited ones) or ``missed`` (no hunk).
A hunk that overlaps no edit is a *false hunk*. On a pair without edits (rendering noise
only), any flagged row is a *false alarm*.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from .truth import Edit, Hunk, Output, Range, Side, Truth

EXACT, SPLIT, MERGED, MISSED = "exact", "split", "merged", "missed"


@dataclasses.dataclass(frozen=True)
class PairScore:
    """Scores of one tool on one pair. ``precision``/``recall``/``f1`` are ``None`` on a pair
    without edits; ``false_alarm`` is ``None`` on a pair with edits."""

    flagged_rows: int
    allowed_hits: int
    core_rows: int
    core_hits: int
    precision: float | None
    recall: float | None
    f1: float | None
    hunk_classes: tuple[str, ...]  # one per edit, in the truth's order
    false_hunks: int
    false_alarm: bool | None

    def to_dict(self) -> dict[str, object]:
        return dataclasses.asdict(self)


def mask(ranges: tuple[Range, ...] | list[Range], height: int) -> np.ndarray:
    """Boolean mask of ``height`` rows, true on the given ranges (clipped to the image)."""
    out = np.zeros(height, dtype=bool)
    for start, stop in ranges:
        out[max(start, 0):max(min(stop, height), 0)] = True
    return out


def best_slide_hits(flagged: np.ndarray, side: Side) -> int:
    """Core rows of ``side`` that are flagged, at the slide offset that flags most of them."""
    core = np.concatenate([np.arange(s, e) for s, e in side.core] or [np.zeros(0, int)])
    if core.size == 0:
        return 0
    best = 0
    for offset in range(side.slide[0], side.slide[1] + 1):
        rows = core + offset
        rows = rows[(rows >= 0) & (rows < flagged.size)]
        best = max(best, int(flagged[rows].sum()))
    return best


def row_counts(truth: Truth, output: Output) -> tuple[int, int, int, int]:
    """``(flagged, flagged inside allowed rows, core rows, core rows flagged)`` over A and B."""
    flagged = allowed_hits = core_rows = core_hits = 0
    for name, height, ranges in (("a", truth.height_a, output.rows_a),
                                 ("b", truth.height_b, output.rows_b)):
        marked = mask(ranges, height)
        sides = [getattr(e, name) for e in truth.edits if getattr(e, name) is not None]
        allowed = mask([s.allowed for s in sides], height)
        flagged += int(marked.sum())
        allowed_hits += int((marked & allowed).sum())
        core_rows += sum(s.core_rows() for s in sides)
        core_hits += sum(best_slide_hits(marked, s) for s in sides)
    return flagged, allowed_hits, core_rows, core_hits


def overlaps(r: Range | None, s: Range | None) -> bool:
    """Whether two half-open row ranges share a row."""
    return r is not None and s is not None and max(r[0], s[0]) < min(r[1], s[1])


def _touches(hunk: Hunk, edit: Edit) -> bool:
    return (overlaps(hunk.a, edit.a.allowed if edit.a else None)
            or overlaps(hunk.b, edit.b.allowed if edit.b else None))


def _inside_share(hunk: Hunk, edit: Edit) -> float:
    """Share of the hunk's rows (both sides) that lie in the edit's allowed rows."""
    total = inside = 0
    for rows, side in ((hunk.a, edit.a), (hunk.b, edit.b)):
        if rows is None or rows[1] <= rows[0]:
            continue
        total += rows[1] - rows[0]
        if side is not None:
            inside += max(0, min(rows[1], side.allowed[1]) - max(rows[0], side.allowed[0]))
    return inside / total if total else 1.0


def classify(edit: Edit, others: list[Edit], hunks: tuple[Hunk, ...]) -> str:
    """``exact``, ``split``, ``merged`` or ``missed`` for one edit (see the module doc)."""
    touching = [h for h in hunks if _touches(h, edit)]
    if not touching:
        return MISSED
    if any(_touches(h, o) for h in touching for o in others) or any(
            _inside_share(h, edit) < 0.5 for h in touching):
        return MERGED
    for name in ("a", "b"):
        side = getattr(edit, name)
        if side is not None and sum(overlaps(getattr(h, name), side.allowed)
                                    for h in touching) > 1:
            return SPLIT
    return EXACT


def f1_score(precision: float, recall: float) -> float:
    """Harmonic mean of precision and recall (0 when both are 0)."""
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def score_pair(truth: Truth, output: Output) -> PairScore:
    """Score one tool's output on one pair (see the module doc for the definitions)."""
    flagged, allowed_hits, core_rows, core_hits = row_counts(truth, output)
    edits = list(truth.edits)
    classes = tuple(classify(e, [o for o in edits if o is not e], output.hunks) for e in edits)
    false_hunks = sum(not any(_touches(h, e) for e in edits) for h in output.hunks
                      if (h.a and h.a[1] > h.a[0]) or (h.b and h.b[1] > h.b[0]))
    if not edits:
        return PairScore(flagged, 0, 0, 0, None, None, None, (), false_hunks, flagged > 0)
    precision = allowed_hits / flagged if flagged else 0.0
    recall = core_hits / core_rows if core_rows else 1.0
    return PairScore(flagged, allowed_hits, core_rows, core_hits, precision, recall,
                     f1_score(precision, recall), classes, false_hunks, None)


def failed_pair(truth: Truth) -> PairScore:
    """The score of a run that failed (no output): nothing found on a pair with edits; on a
    noise pair neither a false alarm nor a pass (failures are counted apart)."""
    if not truth.edits:
        return PairScore(0, 0, 0, 0, None, None, None, (), 0, None)
    core = sum(s.core_rows() for e in truth.edits for s in (e.a, e.b) if s is not None)
    return PairScore(0, 0, core, 0, 0.0, 0.0, 0.0, tuple(MISSED for _ in truth.edits), 0, None)
