"""Removed + added hunks with the same content -> one ``moved`` hunk.

A card dragged from position 3 to position 10 of a list aligns as a removal at 3 and an
addition at 10 (an alignment keeps one order). When the content rows (rows that are not a
single colour) of a removed hunk and of an added hunk share at least :data:`MOVE_SIMILARITY`
of the larger one's content rows, and at least :data:`MIN_MOVE_ROWS` of them, the two become
one ``moved`` hunk: rows ``a`` in A, rows ``b`` in B. Its two parts are compared row by row
like a changed hunk (aligned on their own keys, noise absorbed under the same policy), so a
section that moved and also changed a little is ``moved`` with its own changed-pixel count
and boxes; an exact move has ``changed_pixels == 0``.

Pairs are taken greedily, most similar first; each hunk joins at most one move.
"""

from __future__ import annotations

import collections
from collections.abc import Callable, Sequence

from .align import Match, align
from .result import Hunk
from .tolerance import Comparer

#: Share of content rows two hunks must have in common to be one move.
MOVE_SIMILARITY = 0.6
#: Fewest content rows in common for a move (a lone rule line moving is not news).
MIN_MOVE_ROWS = 4


def _content(keys: Sequence[int], start: int, stop: int, background: Callable[[int], int]
             ) -> collections.Counter[int]:
    return collections.Counter(keys[y] for y in range(start, stop) if not background(y))


def find_moves(hunks: list[Hunk], ka: Sequence[int], kb: Sequence[int], comparer: Comparer,
               background: tuple[Callable[[int], int], Callable[[int], int]]) -> list[Hunk]:
    """``hunks`` with matching removed/added pairs replaced by ``moved`` hunks (in the place
    of the earlier of the two)."""

    removed = [(i, h, _content(ka, *h.a, background[0])) for i, h in enumerate(hunks)
               if h.kind == "removed"]
    added = [(i, h, _content(kb, *h.b, background[1])) for i, h in enumerate(hunks)
             if h.kind == "added"]
    candidates = []
    for i, _, rows_r in removed:
        for j, _, rows_d in added:
            common = sum((rows_r & rows_d).values())
            larger = max(sum(rows_r.values()), sum(rows_d.values()))
            if common >= MIN_MOVE_ROWS and common >= MOVE_SIMILARITY * larger:
                candidates.append((common / larger, i, j))
    taken: set[int] = set()
    moved: dict[int, Hunk] = {}
    for _, i, j in sorted(candidates, reverse=True):
        if i in taken or j in taken:
            continue
        taken |= {i, j}
        source, target = hunks[i], hunks[j]
        count, boxes = compare_parts(source.a, target.b, ka, kb, comparer)
        moved[min(i, j)] = Hunk("moved", source.a, target.b, count, boxes,
                                (*source.runs, *target.runs))
    return [moved.get(k, h) for k, h in enumerate(hunks) if k not in taken or k in moved]


def compare_parts(rows_a: tuple[int, int], rows_b: tuple[int, int], ka: Sequence[int],
                  kb: Sequence[int], comparer: Comparer) -> tuple[int, tuple]:
    """Changed pixels and boxes between rows ``rows_a`` of A and ``rows_b`` of B, aligned on
    their own keys with noise absorbed (see :func:`rasterkit.diff.hunks.measure`)."""
    from .hunks import absorb, group_runs, measure, raw_gaps, unchanged_runs

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
