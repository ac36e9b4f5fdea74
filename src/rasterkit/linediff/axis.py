"""Positions on the common row axis of a diff, and the image rows they hold.

The axis is the list of runs of a :class:`~rasterkit.linediff.result.DiffResult` (or of the
whole-row diff before the column stage): each run lays ``length`` rows of A and/or B side by
side, in order, so each image's rows climb monotonically along the axis.
:class:`AxisMap` answers, for one axis, "where on the axis is row y of A (or B)?" and "which
rows of A and B lie before axis position p?", by bisection.

>>> from rasterkit.linediff.result import Run
>>> m = AxisMap([Run("equal", 0, 0, 5), Run("only_b", 5, 5, 3), Run("equal", 5, 8, 4)])
>>> m.position("a", 6), m.position("b", 6), m.rows_before(7), m.length
(9, 6, (5, 7), 12)
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from .result import Run


class AxisMap:
    """Bisection tables of one axis (pixels rows; axis positions are rows of the axis)."""

    def __init__(self, runs: Sequence[Run]) -> None:
        self.runs = list(runs)
        self.starts: list[int] = []
        y = 0
        for run in self.runs:
            self.starts.append(y)
            y += run.length
        self.length = y
        self._sides = {side: [(getattr(run, side), start, run) for run, start
                              in zip(self.runs, self.starts, strict=True)
                              if (run.a_rows if side == "a" else run.b_rows)]
                       for side in ("a", "b")}
        self._keys = {side: [row for row, _, _ in table] for side, table in self._sides.items()}

    def position(self, side: str, y: int) -> int:
        """The axis position of row ``y`` of image ``side`` ("a" or "b"); a row past the
        last gives the axis length."""
        table = self._sides[side]
        i = bisect.bisect_right(self._keys[side], y) - 1
        if i < 0:
            return 0
        row, start, run = table[i]
        if y - row >= run.length:
            return start + run.length if i + 1 == len(table) else table[i + 1][1]
        return start + y - row

    def end(self, side: str, y1: int) -> int:
        """The axis position just after row ``y1 - 1`` of image ``side``."""
        return self.position(side, y1 - 1) + 1 if y1 > 0 else 0

    def rows_before(self, p: int) -> tuple[int, int]:
        """How many rows of A and of B lie before axis position ``p``."""
        if p >= self.length:
            last = self.runs[-1] if self.runs else Run("equal", 0, 0, 0)
            return last.a + last.a_rows, last.b + last.b_rows
        i = bisect.bisect_right(self.starts, p) - 1
        run, offset = self.runs[i], p - self.starts[i]
        return run.a + min(offset, run.a_rows), run.b + min(offset, run.b_rows)

    def spans(self, runs: Sequence[Run]) -> list[tuple[int, int]]:
        """The axis rows ``[start, stop)`` that ``runs`` (runs of this axis) cover, joined
        where they touch."""
        where = dict(zip(self.runs, self.starts, strict=True))
        spans: list[tuple[int, int]] = []
        for run in runs:
            start = where[run]
            if spans and spans[-1][1] == start:
                spans[-1] = (spans[-1][0], start + run.length)
            else:
                spans.append((start, start + run.length))
        return sorted(spans)
