"""Synchronise after noise: the gaps of an alignment, with rendering noise absorbed.

The third stage of the diff (prepare -> align -> **sync** -> shape -> classify -> measure):

1. **Gaps**: the rows between two matched runs form a raw difference (:func:`raw_gaps`).
2. **Absorb noise** (unless the policy is exact and nothing is ignored): a row of a small
   one-sided gap that is similar to the row beside the gap in the other image takes that
   row's key (:func:`rekey`), and the keys are aligned again, once; then, inside a gap of
   equal length on both sides, row pairs that are similar under the comparison policy (see
   :mod:`.tolerance`) become matches (``similar`` runs, counted as noise), splitting the gap;
   a gap of unequal lengths is trimmed of similar rows at both ends (:func:`absorb`). This is
   where rendering noise disappears and where the hunks re-synchronise after it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from .align import Match, align, coalesce
from .tolerance import Comparer

#: Longest window (rows of A) of gaps re-aligned on one diagonal by :func:`absorb`.
MAX_WINDOW = 600
#: One-sided gaps up to this many rows are checked by :func:`rekey`.
REKEY_ROWS = 8


@dataclasses.dataclass
class Gap:
    """Rows ``a0:a1`` of A and ``b0:b1`` of B that the alignment left unmatched."""

    a0: int
    a1: int
    b0: int
    b1: int


@dataclasses.dataclass(frozen=True)
class Synced:
    """What :func:`synchronise` leaves: the gaps still differing (in order), the absorbed
    noise (matches, sorted), and the row keys the gaps refer to (re-keyed where noise was)."""

    gaps: list[Gap]
    noise: list[Match]
    ka: Sequence[int]
    kb: Sequence[int]


def synchronise(matches: Sequence[Match], ka: Sequence[int], kb: Sequence[int],
                comparer: Comparer, settled: Callable[[Gap], bool] | None = None) -> Synced:
    """The gaps of the alignment ``matches`` of keys ``ka`` / ``kb`` after noise absorption
    (see the module notes): the one re-alignment of the diff happens here. Gaps for which
    ``settled`` is true are never compared row by row with other gaps (a column's slack:
    its blank rows must not balance an insertion elsewhere in the column)."""
    height_a, height_b = len(ka), len(kb)
    gaps = raw_gaps(matches, height_a, height_b)
    noise: list[Match] = []
    a, b = comparer.a, comparer.b
    if comparer.policy.exact and a.ignored is None and b.ignored is None:
        return Synced(gaps, noise, ka, kb)
    gaps, noise = absorb(gaps, comparer, settled)
    rekeyed = rekey(gaps, ka, kb, comparer)
    if noise or rekeyed is not None:
        # Align again with every row found similar carrying its partner's key: a noisy row
        # is a unique anchor again, so runs of repeated rows (blank space) around it align
        # as if there were no noise.
        original = (ka, kb)
        ka, kb = rekeyed if rekeyed is not None else (list(ka), list(kb))
        for match in noise:
            kb[match.b:match.b + match.length] = ka[match.a:match.a + match.length]
        matches = align(ka, kb)
        gaps, absorbed = absorb(raw_gaps(matches, height_a, height_b), comparer, settled)
        noise = coalesce(_disguised(matches, *original) + absorbed)
    return Synced(gaps, noise, ka, kb)


def raw_gaps(matches: Sequence[Match], height_a: int, height_b: int, start_a: int = 0,
             start_b: int = 0) -> list[Gap]:
    """The unmatched stretches between consecutive matches (and at both ends) of rows
    ``start_a:height_a`` of A and ``start_b:height_b`` of B."""
    gaps = []
    a, b = start_a, start_b
    for match in [*matches, Match(height_a, height_b, 0)]:
        if match.a > a or match.b > b:
            gaps.append(Gap(a, match.a, b, match.b))
        a, b = match.a + match.length, match.b + match.length
    return gaps


def absorb(gaps: list[Gap], comparer: Comparer, settled: Callable[[Gap], bool] | None = None
           ) -> tuple[list[Gap], list[Match]]:
    """Turn similar row pairs inside gaps into matches (see the module docstring).

    Besides each gap alone, a run of gaps whose extra rows cancel out (an added gap, then a
    removed one of the same size) is tried as one window compared row by row on a single
    diagonal: exact keys can lock onto the wrong offset in a repeating pattern (a dithered
    gradient repeats every few rows), and the diagonal is kept when it leaves fewer differing
    rows; no window holds a gap ``settled`` says is settled. Returns the gaps left (in
    order) and the absorbed pairs as matches (sorted).
    """
    left: list[Gap] = []
    noise: list[Match] = []
    square = [g for g in gaps if g.a1 - g.a0 == g.b1 - g.b0]
    flags = iter(comparer.similar_pairs([(g.a0 + k, g.b0 + k) for g in square
                                         for k in range(g.a1 - g.a0)]))
    known = {id(g): [next(flags) for _ in range(g.a1 - g.a0)] for g in square}
    i = 0
    while i < len(gaps):
        gap = gaps[i]
        la, lb = gap.a1 - gap.a0, gap.b1 - gap.b0
        if la == lb:
            _split_diagonal(gap, known[id(gap)], left, noise)
            i += 1
            continue
        j = _balancing_gap(gaps, i)
        if j is not None and settled is not None and any(settled(g) for g in gaps[i:j + 1]):
            j = None
        if j is not None:
            window = Gap(gap.a0, gaps[j].a1, gap.b0, gaps[j].b1)
            same = comparer.similar(window.a0, window.b0, window.a1 - window.a0)
            if same.count(False) < sum(max(g.a1 - g.a0, g.b1 - g.b0) for g in gaps[i:j + 1]):
                _split_diagonal(window, same, left, noise)
                i = j + 1
                continue
        head = _similar_run(comparer, gap.a0, gap.b0, min(la, lb), 1)
        tail = _similar_run(comparer, gap.a1 - 1, gap.b1 - 1, min(la, lb) - head, -1)
        noise += [Match(gap.a0 + k, gap.b0 + k, 1) for k in range(head)]
        noise += [Match(gap.a1 - 1 - k, gap.b1 - 1 - k, 1) for k in range(tail)]
        left.append(Gap(gap.a0 + head, gap.a1 - tail, gap.b0 + head, gap.b1 - tail))
        i += 1
    return left, coalesce(noise)


def rekey(gaps: Sequence[Gap], ka: Sequence[int], kb: Sequence[int], comparer: Comparer
          ) -> tuple[list[int], list[int]] | None:
    """New keys where a row of a small one-sided gap is similar to a row beside the gap in
    the other image: that row takes the neighbour's key. A noisy row inside a run of
    repeated rows (blank space, a shadow) otherwise pushes the alignment one row off the
    diagonal until the next real edit. None when no key changes."""
    candidates: list[tuple[int, int, int]] = []  # (side of the row, row, facing row)
    for gap in gaps:
        la, lb = gap.a1 - gap.a0, gap.b1 - gap.b0
        if (la and lb) or max(la, lb) > REKEY_ROWS:
            continue
        side, where = (1, gap.a0) if lb else (0, gap.b0)
        others = len(ka) if lb else len(kb)
        for y in range(gap.b0, gap.b1) if lb else range(gap.a0, gap.a1):
            candidates += [(side, y, facing) for facing in (where - 1, where)
                           if 0 <= facing < others]
    pairs = [(facing, y) if side else (y, facing) for side, y, facing in candidates]
    keys: list[list[int] | None] = [None, None]
    done: set[tuple[int, int]] = set()
    for (side, y, facing), same in zip(candidates, comparer.similar_pairs(pairs),
                                          strict=True):
        if not same or (side, y) in done:
            continue
        done.add((side, y))
        own, other = (kb, ka) if side else (ka, kb)
        if keys[side] is None:
            keys[side] = list(own)
        keys[side][y] = other[facing]
    if keys == [None, None]:
        return None
    return keys[0] or list(ka), keys[1] or list(kb)


def _disguised(matches: Sequence[Match], ka: Sequence[int], kb: Sequence[int]) -> list[Match]:
    """Matched row pairs whose original keys differ (rows :func:`rekey` made equal)."""
    return [Match(m.a + k, m.b + k, 1) for m in matches for k in range(m.length)
            if ka[m.a + k] != kb[m.b + k]]


def _balancing_gap(gaps: list[Gap], i: int) -> int | None:
    """The first ``j > i`` such that gaps ``i..j`` add as many rows to A as to B, within
    :data:`MAX_WINDOW` rows; None if there is none."""
    imbalance = 0
    for j in range(i, len(gaps)):
        gap = gaps[j]
        if gap.a1 - gaps[i].a0 > MAX_WINDOW:
            return None
        imbalance += (gap.a1 - gap.a0) - (gap.b1 - gap.b0)
        if j > i and imbalance == 0:
            return j
    return None


def _split_diagonal(window: Gap, same: list[bool], left: list[Gap], noise: list[Match]
                    ) -> None:
    """Rows of a balanced ``window`` facing 1:1: similar ones become noise, runs of the
    others stay gaps."""
    start = 0
    for k in range(len(same) + 1):
        if k == len(same) or same[k]:
            if k > start:
                left.append(Gap(window.a0 + start, window.a0 + k, window.b0 + start,
                                 window.b0 + k))
            start = k + 1
            if k < len(same):
                noise.append(Match(window.a0 + k, window.b0 + k, 1))


def _similar_run(comparer: Comparer, ya: int, yb: int, limit: int, step: int) -> int:
    """How many row pairs from ``(ya, yb)`` going ``step`` (+1 down, -1 up) are similar."""
    count, batch = 0, 4
    while count < limit:
        n = min(batch, limit - count)
        if step > 0:
            same = comparer.similar(ya + count, yb + count, n)
        else:
            same = comparer.similar(ya - count - n + 1, yb - count - n + 1, n)[::-1]
        for flag in same:
            if not flag:
                return count
            count += 1
        batch *= 2
    return count
