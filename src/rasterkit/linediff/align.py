"""Sequence alignment of two row-key sequences, in the spirit of git's histogram diff.

1. Strip the common prefix and suffix.
2. Patience pass: rows that occur exactly once in each image and whose order agrees in both
   (longest increasing subsequence) become anchors at once; each is grown into the run of
   equal rows around it. On screenshots most text rows are unique, so this leaves only small
   regions for the next step, in O(n log n).
3. In each region left, anchor on the row that is *rare in both* images (lowest occurrence count,
   ties broken by the longest run of equal rows through it). Counts are taken over the whole
   images, not the region (git counts per region): blank rows, repeated borders and the
   alternating rows of a dithered gradient stay frequent however small the region, so they
   never drive the alignment. Split at the anchor's run and repeat on both sides (an explicit
   stack, no recursion limit).
4. Where no row occurs at most :data:`MAX_CHAIN` times on each side, fall back to Myers'
   minimal diff (linear space, middle-snake divide and conquer) with a cost cap: beyond
   :data:`MYERS_MAX_COST` edits the region is left unmatched, as one changed block.

Memory is linear in the number of rows; no height x height table is ever built.
Everything works on Python ints: alignment costs a few milliseconds, decoding dominates.
"""

from __future__ import annotations

import bisect
import collections
import dataclasses
import itertools
from collections.abc import Sequence

#: Rows occurring more often than this in a region are never used as anchors.
MAX_CHAIN = 64
#: Largest edit distance Myers' algorithm searches before leaving a region unmatched.
MYERS_MAX_COST = 400


@dataclasses.dataclass(frozen=True, order=True)
class Match:
    """Rows ``a:a+length`` of image A equal rows ``b:b+length`` of image B."""

    a: int
    b: int
    length: int


def align(ka: Sequence[int], kb: Sequence[int], *, coarse: bool = False) -> list[Match]:
    """Align key sequences ``ka`` (image A) and ``kb`` (image B).

    ``coarse`` stops before Myers' step: regions with no rare row stay unmatched. It is what
    the column stage needs to find where the differences are (a few milliseconds where Myers
    may take a tenth of a second on a page whose columns all shifted).

    Returns
    -------
    list of Match
        Non-overlapping, increasing in both ``a`` and ``b``, adjacent runs merged. Rows not
        covered by a match are differences.

    Example
    -------
    >>> align([1, 2, 3, 4], [1, 3, 4, 5])
    [Match(a=0, b=0, length=1), Match(a=2, b=1, length=2)]
    """
    found: list[Match] = []
    if list(ka) == list(kb):
        return [Match(0, 0, len(ka))] if len(ka) else []
    a0, a1, b0, b1 = _strip_common(ka, kb, 0, len(ka), 0, len(kb), found)
    rarity, unique_pairs = _row_stats(ka, kb)
    stack = _patience(ka, kb, a0, a1, b0, b1, unique_pairs, found)
    while stack:
        a0, a1, b0, b1 = stack.pop()
        a0, a1, b0, b1 = _strip_common(ka, kb, a0, a1, b0, b1, found)
        if a0 == a1 or b0 == b1:
            continue
        anchor = _rarest_run(ka, kb, a0, a1, b0, b1, rarity)
        if anchor is None:
            if not coarse:
                found.extend(_myers(ka, kb, a0, a1, b0, b1))
            continue
        found.append(anchor)
        stack.append((anchor.a + anchor.length, a1, anchor.b + anchor.length, b1))
        stack.append((a0, anchor.a, b0, anchor.b))
    return coalesce(found)


def finish(ka: Sequence[int], kb: Sequence[int], coarse: Sequence[Match]) -> list[Match]:
    """:func:`align` from its ``coarse`` result: Myers' step on the regions it left, so that
    ``finish(ka, kb, align(ka, kb, coarse=True)) == align(ka, kb)`` (a diff that needed the
    coarse alignment first does not align twice).

    >>> finish([1, 2, 3, 4], [1, 3, 4, 5], align([1, 2, 3, 4], [1, 3, 4, 5], coarse=True))
    [Match(a=0, b=0, length=1), Match(a=2, b=1, length=2)]
    """
    found = list(coarse)
    a = b = 0
    for match in [*coarse, Match(len(ka), len(kb), 0)]:
        if match.a > a and match.b > b:
            found.extend(_myers(ka, kb, a, match.a, b, match.b))
        a, b = match.a + match.length, match.b + match.length
    return coalesce(found)


def _row_stats(ka: Sequence[int], kb: Sequence[int]
               ) -> tuple[dict[int, int], list[tuple[int, int]]]:
    """Rarity of the row keys, and the rows unique in both images.

    A key's rarity is the larger of its occurrence counts in A and in B; keys missing from one
    image or occurring more than ``MAX_CHAIN`` times are left out (never anchors). Unique pairs
    are ``(i, j)`` with ``ka[i] == kb[j]`` occurring once in each image, sorted by ``i``.
    A few milliseconds for 10,000 rows.
    """
    count_b = collections.Counter(kb)
    rarity: dict[int, int] = {}
    for key, n in collections.Counter(ka).items():
        m = count_b.get(key)
        if m is not None and (r := n if n > m else m) <= MAX_CHAIN:
            rarity[key] = r
    unique = {key for key, r in rarity.items() if r == 1}
    where_b = {key: j for j, key in enumerate(kb) if key in unique}
    pairs = [(i, where_b[key]) for i, key in enumerate(ka) if key in unique]
    return rarity, pairs


def _patience(ka: Sequence[int], kb: Sequence[int], a0: int, a1: int, b0: int, b1: int,
              unique_pairs: list[tuple[int, int]], found: list[Match]
              ) -> list[tuple[int, int, int, int]]:
    """Anchor on rows unique in both images, in agreeing order; grow each into its run of
    equal rows. Records the runs in ``found``; returns the regions left between them."""
    pairs = [(i, j) for i, j in unique_pairs if a0 <= i < a1 and b0 <= j < b1]
    in_order = all(p[1] < q[1] for p, q in itertools.pairwise(pairs))
    anchors = pairs if in_order else _increasing(pairs)
    regions = []
    end_a, end_b = a0, b0
    following = 0  # index of the first anchor not yet inside a run
    for i, j in anchors:
        if i < end_a or j < end_b:
            continue  # inside the previous run
        s_a, s_b = i, j
        while s_a > end_a and s_b > end_b and ka[s_a - 1] == kb[s_b - 1]:
            s_a -= 1
            s_b -= 1
        # Grow forward, never past an anchor on another diagonal (it would cross it).
        e_a, e_b = i + 1, j + 1
        while following < len(anchors) and anchors[following][0] < e_a:
            following += 1
        while e_a < a1 and e_b < b1 and ka[e_a] == kb[e_b]:
            if following < len(anchors):
                limit_a, limit_b = anchors[following]
                if (e_a, e_b) == (limit_a, limit_b):
                    following += 1  # on our diagonal: grow through it
                elif e_a >= limit_a or e_b >= limit_b:
                    break
            e_a += 1
            e_b += 1
        regions.append((end_a, s_a, end_b, s_b))
        found.append(Match(s_a, s_b, e_a - s_a))
        end_a, end_b = e_a, e_b
    regions.append((end_a, a1, end_b, b1))
    return [r for r in regions if r[0] < r[1] or r[2] < r[3]]


def _increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest subsequence of ``pairs`` (sorted by first item) increasing in the second."""
    tails: list[int] = []  # tails[k]: smallest last b of an increasing run of length k + 1
    tail_index: list[int] = []
    previous = [-1] * len(pairs)
    for index, (_, j) in enumerate(pairs):
        k = bisect.bisect_left(tails, j)
        if k == len(tails):
            tails.append(j)
            tail_index.append(index)
        else:
            tails[k] = j
            tail_index[k] = index
        previous[index] = tail_index[k - 1] if k else -1
    out = []
    index = tail_index[-1] if tail_index else -1
    while index >= 0:
        out.append(pairs[index])
        index = previous[index]
    return out[::-1]


def _strip_common(ka: Sequence[int], kb: Sequence[int], a0: int, a1: int, b0: int, b1: int,
                  found: list[Match]) -> tuple[int, int, int, int]:
    """Record the common prefix and suffix of the region as matches; return what is left."""
    start_a, start_b = a0, b0
    while a0 < a1 and b0 < b1 and ka[a0] == kb[b0]:
        a0 += 1
        b0 += 1
    if a0 > start_a:
        found.append(Match(start_a, start_b, a0 - start_a))
    end_a = a1
    while a1 > a0 and b1 > b0 and ka[a1 - 1] == kb[b1 - 1]:
        a1 -= 1
        b1 -= 1
    if a1 < end_a:
        found.append(Match(a1, b1, end_a - a1))
    return a0, a1, b0, b1


def _rarest_run(ka: Sequence[int], kb: Sequence[int], a0: int, a1: int, b0: int, b1: int,
                rarity: dict[int, int]) -> Match | None:
    """The run of equal rows through the rarest row common to the region (None if no row
    of the region is rare enough, see :func:`_row_stats`)."""
    positions: dict[int, list[int]] = {}
    for i in range(a0, a1):
        if ka[i] in rarity:
            positions.setdefault(ka[i], []).append(i)
    if not positions:
        return None
    never = MAX_CHAIN + 1
    best: Match | None = None
    best_rarity = never
    j = b0
    while j < b1:
        if rarity.get(kb[j], never) > best_rarity or kb[j] not in positions:
            j += 1
            continue
        next_j = j + 1
        for i in positions[kb[j]]:
            s_a, s_b = i, j
            while s_a > a0 and s_b > b0 and ka[s_a - 1] == kb[s_b - 1]:
                s_a -= 1
                s_b -= 1
            e_a, e_b = i + 1, j + 1
            while e_a < a1 and e_b < b1 and ka[e_a] == kb[e_b]:
                e_a += 1
                e_b += 1
            run_rarity = min(rarity.get(key, never) for key in ka[s_a:e_a])
            length = e_a - s_a
            if run_rarity < best_rarity or (
                    run_rarity == best_rarity and best is not None and length > best.length):
                best, best_rarity = Match(s_a, s_b, length), run_rarity
            next_j = max(next_j, e_b)
        j = next_j
    return best


def _myers(ka: Sequence[int], kb: Sequence[int], a0: int, a1: int, b0: int, b1: int
           ) -> list[Match]:
    """Minimal alignment of a region (Myers 1986, linear space), or none past the cost cap."""
    out: list[Match] = []
    stack = [(a0, a1, b0, b1)]
    while stack:
        a0, a1, b0, b1 = stack.pop()
        a0, a1, b0, b1 = _strip_common(ka, kb, a0, a1, b0, b1, out)
        if a0 == a1 or b0 == b1:
            continue
        snake = _middle_snake(ka, kb, a0, a1, b0, b1)
        if snake is None:
            continue  # too different: leave the region unmatched
        x, y, u, v = snake
        if u > x:
            out.append(Match(x, y, u - x))
        if u == x and (x, y) in ((a0, b0), (a1, b1)):
            continue  # no progress possible (cannot happen on a stripped region; be safe)
        stack.append((u, a1, v, b1))
        stack.append((a0, x, b0, y))
    return out


def _middle_snake(ka: Sequence[int], kb: Sequence[int], a0: int, a1: int, b0: int, b1: int
                  ) -> tuple[int, int, int, int] | None:
    """Myers' middle snake of the region: (x, y, u, v) with rows x:u of A equal to y:v of B
    on an optimal path. Returns None when the edit distance exceeds MYERS_MAX_COST."""
    n, m = a1 - a0, b1 - b0
    delta = n - m
    odd = delta % 2 != 0
    size = n + m + 2
    offset = size
    vf = [0] * (2 * size + 1)
    vb = [0] * (2 * size + 1)
    vf[offset + 1] = 0
    vb[offset + 1] = 0
    for d in range((n + m + 1) // 2 + 1):
        if d > MYERS_MAX_COST:
            return None
        for k in range(-d, d + 1, 2):
            if k == -d or (k != d and vf[offset + k - 1] < vf[offset + k + 1]):
                x = vf[offset + k + 1]
            else:
                x = vf[offset + k - 1] + 1
            y = x - k
            sx = x
            while x < n and y < m and ka[a0 + x] == kb[b0 + y]:
                x += 1
                y += 1
            vf[offset + k] = x
            if odd and delta - (d - 1) <= k <= delta + (d - 1) and x + vb[offset + delta - k] >= n:
                return a0 + sx, b0 + sx - k, a0 + x, b0 + y
        for k in range(-d, d + 1, 2):
            if k == -d or (k != d and vb[offset + k - 1] < vb[offset + k + 1]):
                x = vb[offset + k + 1]
            else:
                x = vb[offset + k - 1] + 1
            y = x - k
            sx = x
            while x < n and y < m and ka[a1 - 1 - x] == kb[b1 - 1 - y]:
                x += 1
                y += 1
            vb[offset + k] = x
            if not odd and -d <= delta - k <= d and x + vf[offset + delta - k] >= n:
                return a1 - x, b1 - y, a1 - sx, b1 - sx + k
    return None


def coalesce(matches: list[Match]) -> list[Match]:
    """Sort matches and join runs that touch in both sequences."""
    out: list[Match] = []
    for match in sorted(m for m in matches if m.length > 0):
        if out and out[-1].a + out[-1].length == match.a and out[-1].b + out[-1].length == match.b:
            last = out.pop()
            match = Match(last.a, last.b, last.length + match.length)
        out.append(match)
    return out
