"""Classify: the shaped groups of gaps -> hunks, and the common row axis.

The fifth stage of the diff (prepare -> align -> sync -> shape -> **classify** -> measure):
rows only in A -> ``removed``; only in B -> ``added``; both -> ``changed``; then a removed
and an added hunk with (nearly) the same content become one ``moved`` hunk (:mod:`.moves`).
Every row of A and B lands on one axis of runs (``equal``, ``similar``, ``pair``,
``only_a``, ``only_b``), which the pictures and the report draw.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from .align import Match
from .defaults import DEFAULT_MERGE_GAP
from .result import Hunk, Run
from .sync import Gap

__all__ = ["DEFAULT_MERGE_GAP", "classify", "group_runs", "unchanged_runs"]


def classify(groups: Sequence[list[Gap]], noise: Sequence[Match], height_a: int,
             quiet: Sequence[Gap] = ()) -> tuple[list[Hunk], list[Run]]:
    """One hunk per group (changed ones not yet measured: see :mod:`.measure`) and the runs
    of the whole axis, in order. The ``quiet`` gaps (slack, see
    :func:`.pipeline.diff_rows`) are laid on the axis but make no hunk."""
    hunks: list[Hunk] = []
    axis: list[Run] = []
    a_pos = b_pos = 0
    silent = [[gap] for gap in quiet]
    silent_ids = {id(group) for group in silent}
    for group in sorted([*groups, *silent], key=lambda g: (g[0].a0, g[0].b0)):
        first, last = group[0], group[-1]
        axis += unchanged_runs(a_pos, b_pos, first.a0 - a_pos, noise)
        runs = group_runs(group, noise)
        axis.extend(runs)
        a_pos, b_pos = last.a1, last.b1
        if id(group) in silent_ids:
            continue
        span_a, span_b = (first.a0, last.a1), (first.b0, last.b1)
        kind = ("added" if span_a[0] == span_a[1] else
                "removed" if span_b[0] == span_b[1] else "changed")
        hunks.append(Hunk(kind, span_a, span_b, runs=tuple(runs)))
    axis += unchanged_runs(a_pos, b_pos, height_a - a_pos, noise)
    return hunks, axis


def unchanged_runs(a0: int, b0: int, length: int, noise: Sequence[Match]) -> list[Run]:
    """An unchanged stretch of ``length`` rows from ``(a0, b0)``: ``equal`` runs, and
    ``similar`` runs where it holds absorbed noise (``noise`` sorted by row)."""
    runs: list[Run] = []
    a, b, end = a0, b0, a0 + length
    for match in noise[bisect.bisect_left(noise, Match(a0, -1, 0)):]:
        if match.a >= end:
            break
        if match.a > a:
            runs.append(Run("equal", a, b, match.a - a))
        runs.append(Run("similar", match.a, match.b, match.length))
        a, b = match.a + match.length, match.b + match.length
    if end > a:
        runs.append(Run("equal", a, b, end - a))
    return runs


def group_runs(group: list[Gap], noise: Sequence[Match] = ()) -> list[Run]:
    """Lay out one hunk's rows: facing pairs top-aligned per gap, unchanged rows between gaps."""
    runs: list[Run] = []
    for i, gap in enumerate(group):
        if i:
            prev = group[i - 1]
            if gap.a0 > prev.a1:
                runs += unchanged_runs(prev.a1, prev.b1, gap.a0 - prev.a1, noise)
        la, lb = gap.a1 - gap.a0, gap.b1 - gap.b0
        paired = min(la, lb)
        if paired:
            runs.append(Run("pair", gap.a0, gap.b0, paired))
        if la > paired:
            runs.append(Run("only_a", gap.a0 + paired, gap.b0 + paired, la - paired))
        if lb > paired:
            runs.append(Run("only_b", gap.a0 + paired, gap.b0 + paired, lb - paired))
    return runs
