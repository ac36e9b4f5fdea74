"""Removed + added hunks with the same content -> one ``moved`` hunk.

A card dragged from position 3 to position 10 of a list aligns as a removal at 3 and an
addition at 10 (an alignment keeps one order). When the content rows (rows that are not a
single colour) of a removed hunk and of an added hunk share at least :data:`MOVE_SIMILARITY`
of the larger one's content rows, and at least :data:`MIN_MOVE_ROWS` of them, the two become
one ``moved`` hunk: rows ``a`` in A, rows ``b`` in B. Its two parts are compared row by row
like a changed hunk by :mod:`.measure` (aligned on their own keys, noise absorbed under the
same policy), so a section that moved and also changed a little is ``moved`` with its own
changed-pixel count and boxes; an exact move has ``changed_pixels == 0``.

Pairs are taken greedily, most similar first; each hunk joins at most one move.
"""

from __future__ import annotations

import collections
from collections.abc import Callable, Sequence

from .result import Hunk

#: Share of content rows two hunks must have in common to be one move.
MOVE_SIMILARITY = 0.6
#: Fewest content rows in common for a move (a lone rule line moving is not news).
MIN_MOVE_ROWS = 4


def _content(keys: Sequence[int], start: int, stop: int, background: Callable[[int], int]
             ) -> collections.Counter[int]:
    return collections.Counter(keys[y] for y in range(start, stop) if not background(y))


def find_moves(hunks: list[Hunk], ka: Sequence[int], kb: Sequence[int],
               background: tuple[Callable[[int], int], Callable[[int], int]]) -> list[Hunk]:
    """``hunks`` with matching removed/added pairs replaced by ``moved`` hunks (in the place
    of the earlier of the two; measured later, by :mod:`.measure`)."""

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
        moved[min(i, j)] = Hunk("moved", source.a, target.b, runs=(*source.runs, *target.runs))
    return [moved.get(k, h) for k, h in enumerate(hunks) if k not in taken or k in moved]
