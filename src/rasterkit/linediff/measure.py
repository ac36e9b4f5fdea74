"""Measure: how many pixels differ in each changed or moved hunk, and boxes around them.

The last stage of the diff (prepare -> align -> sync -> shape -> classify -> **measure**):
pixels that differ under the policy where the hunk's rows face each other (rows matched
inside the hunk face their match; the others face top-aligned), plus the non-background
pixels of rows that face a gap; boxes around clusters of those pixels. The two parts of a
``moved`` hunk are first aligned on their own keys with noise absorbed, so a section that
moved and changed a little gets its own count and boxes (an exact move counts 0).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from .align import Match, align
from .hunks import group_runs, unchanged_runs
from .result import Box, Hunk, Run
from .sync import absorb, raw_gaps
from .tolerance import Comparer

#: Differing pixels closer than this (rows or columns) fall into the same box.
BOX_GAP = 12
#: At most this many boxes per hunk; past it, the hunk gets one box around everything.
MAX_BOXES = 32


def measure_hunks(hunks: Sequence[Hunk], ka: Sequence[int], kb: Sequence[int],
                  comparer: Comparer) -> list[Hunk]:
    """``hunks`` with the changed pixels and boxes of every changed and moved hunk."""
    out = []
    for hunk in hunks:
        if hunk.kind == "changed":
            count, boxes = measure(hunk.runs, comparer)
        elif hunk.kind == "moved":
            count, boxes = compare_parts(hunk.a, hunk.b, ka, kb, comparer)
        else:
            out.append(hunk)
            continue
        out.append(dataclasses.replace(hunk, changed_pixels=count, boxes=boxes))
    return out


def compare_parts(rows_a: tuple[int, int], rows_b: tuple[int, int], ka: Sequence[int],
                  kb: Sequence[int], comparer: Comparer) -> tuple[int, tuple[Box, ...]]:
    """Changed pixels and boxes between rows ``rows_a`` of A and ``rows_b`` of B, aligned on
    their own keys with noise absorbed (see :func:`measure`)."""
    (a0, a1), (b0, b1) = rows_a, rows_b
    matches = [Match(m.a + a0, m.b + b0, m.length) for m in align(ka[a0:a1], kb[b0:b1])]
    gaps, noise = absorb(raw_gaps(matches, a1, b1, a0, b0), comparer)
    gaps = [g for g in gaps if g.a1 > g.a0 or g.b1 > g.b0]
    if not gaps:
        return 0, ()
    first, last = gaps[0], gaps[-1]
    runs = [*unchanged_runs(a0, b0, first.a0 - a0, noise), *group_runs(gaps, noise),
            *unchanged_runs(last.a1, last.b1, a1 - last.a1, noise)]
    return measure(runs, comparer)


class _Mask:
    """A one-band mask as bytes (255: differs), row after row, with the profiles boxes need."""

    def __init__(self, data: bytes, width: int) -> None:
        self.data, self.width = data, width

    @property
    def height(self) -> int:
        return len(self.data) // self.width

    def rows(self, r0: int, r1: int, c0: int = 0, c1: int | None = None) -> list[bool]:
        """For rows ``r0:r1``: any set pixel in columns ``c0:c1``?"""
        w, c1 = self.width, self.width if c1 is None else c1
        return [self.data.find(255, r * w + c0, r * w + c1) >= 0 for r in range(r0, r1)]

    def columns(self, r0: int, r1: int) -> list[bool]:
        """For each column: any set pixel in rows ``r0:r1``? (rows OR-ed as big integers)"""
        w, merged = self.width, 0
        for r in range(r0, r1):
            merged |= int.from_bytes(self.data[r * w:(r + 1) * w], "little")
        return [byte != 0 for byte in merged.to_bytes(w, "little")]


def _clusters(flags: Sequence[bool], gap: int) -> list[tuple[int, int]]:
    """Half-open index ranges of True runs in ``flags``, joining runs closer than ``gap``."""
    out: list[tuple[int, int]] = []
    for index, flag in enumerate(flags):
        if not flag:
            continue
        if out and index - out[-1][1] < gap:
            out[-1] = (out[-1][0], index + 1)
        else:
            out.append((index, index + 1))
    return out


def _row_map(runs: Sequence[Run], side: str) -> list[int]:
    """For each row of the hunk's axis, the row of image ``side`` it shows (-1: a gap)."""
    gap_kind = "only_b" if side == "a" else "only_a"
    rows: list[int] = []
    for run in runs:
        start = run.a if side == "a" else run.b
        rows.extend([-1] * run.length if run.kind == gap_kind
                    else range(start, start + run.length))
    return rows


def _box(c0: int, c1: int, axis_rows: Sequence[int], ya: list[int], yb: list[int]) -> Box:
    """The box over columns ``c0:c1`` and the given axis rows, in A's and in B's rows."""
    sides = []
    for rows in (ya, yb):
        present = [rows[r] for r in axis_rows if rows[r] >= 0]
        sides.append((c0, min(present), c1, max(present) + 1) if present else None)
    return Box(sides[0], sides[1])


def measure(runs: Sequence[Run], comparer: Comparer) -> tuple[int, tuple[Box, ...]]:
    """Count differing pixels along a hunk's runs and box their clusters.

    Boxes: rows with differences closer than :data:`BOX_GAP` form a band; inside a band,
    columns closer than :data:`BOX_GAP` form a box, trimmed to the rows it really covers.
    More than :data:`MAX_BOXES` boxes become one box around everything.
    """
    mask = _Mask(b"".join(comparer.differing_bytes(run) for run in runs), comparer.width)
    count = mask.data.count(255)
    if not count:
        return 0, ()
    ya, yb = _row_map(runs, "a"), _row_map(runs, "b")
    boxes: list[Box] = []
    for r0, r1 in _clusters(mask.rows(0, mask.height), BOX_GAP):
        for c0, c1 in _clusters(mask.columns(r0, r1), BOX_GAP):
            inked = mask.rows(r0, r1, c0, c1)
            boxes.append(_box(c0, c1, [r0 + i for i, f in enumerate(inked) if f], ya, yb))
        if len(boxes) > MAX_BOXES:
            break
    if len(boxes) > MAX_BOXES:
        columns = [i for i, f in enumerate(mask.columns(0, mask.height)) if f]
        rows = [i for i, f in enumerate(mask.rows(0, mask.height)) if f]
        boxes = [_box(columns[0], columns[-1] + 1, rows, ya, yb)]
    return count, tuple(boxes)
