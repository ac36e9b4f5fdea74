"""Sequence alignment of two row-key sequences, in the spirit of git's histogram diff.

1. Strip the common prefix and suffix.
2. In what remains, anchor on the row that is *rare in both* images (lowest occurrence count,
   ties broken by the longest run of equal rows through it). Counts are taken over the whole
   images, not the region (git counts per region): blank rows, repeated borders and the
   alternating rows of a dithered gradient stay frequent however small the region, so they
   never drive the alignment. Split at the anchor's run and repeat on both sides (an explicit
   stack, no recursion limit).
3. Where no row occurs at most :data:`MAX_CHAIN` times on each side, fall back to Myers'
   minimal diff (linear space, middle-snake divide and conquer) with a cost cap: beyond
   :data:`MYERS_MAX_COST` edits the region is left unmatched, as one changed block.

Memory is linear in the number of rows; no height x height table is ever built.
Everything works on Python ints: alignment costs a few milliseconds, decoding dominates.
"""

from __future__ import annotations

import dataclasses
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


def align(ka: Sequence[int], kb: Sequence[int]) -> list[Match]:
    """Align key sequences ``ka`` (image A) and ``kb`` (image B).

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
    rarity = _rarity(ka, kb)
    stack = [(0, len(ka), 0, len(kb))]
    while stack:
        a0, a1, b0, b1 = stack.pop()
        a0, a1, b0, b1 = _strip_common(ka, kb, a0, a1, b0, b1, found)
        if a0 == a1 or b0 == b1:
            continue
        anchor = _rarest_run(ka, kb, a0, a1, b0, b1, rarity)
        if anchor is None:
            found.extend(_myers(ka, kb, a0, a1, b0, b1))
            continue
        found.append(anchor)
        stack.append((anchor.a + anchor.length, a1, anchor.b + anchor.length, b1))
        stack.append((a0, anchor.a, b0, anchor.b))
    return _coalesce(found)


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


def _counts(keys: Sequence[int]) -> dict[int, int]:
    counts: dict[int, int] = {}
    get = counts.get
    for key in keys:
        counts[key] = get(key, 0) + 1
    return counts


def _rarity(ka: Sequence[int], kb: Sequence[int]) -> dict[int, int]:
    """For each row key present in both images and at most MAX_CHAIN times in each: the
    larger of its two occurrence counts."""
    count_a, count_b = _counts(ka), _counts(kb)
    return {key: max(n, count_b[key]) for key, n in count_a.items()
            if key in count_b and n <= MAX_CHAIN and count_b[key] <= MAX_CHAIN}


def _rarest_run(ka: Sequence[int], kb: Sequence[int], a0: int, a1: int, b0: int, b1: int,
                rarity: dict[int, int]) -> Match | None:
    """The run of equal rows through the rarest row common to the region (None if no row
    of the region is rare enough, see :func:`_rarity`)."""
    positions: dict[int, list[int]] = {}
    for i in range(a0, a1):
        key = ka[i]
        if key in rarity:
            positions.setdefault(key, []).append(i)
    if not positions:
        return None
    best: Match | None = None
    best_rarity = MAX_CHAIN + 1
    j = b0
    while j < b1:
        key = kb[j]
        r = rarity.get(key)
        if r is None or r > best_rarity or key not in positions:
            j += 1
            continue
        next_j = j + 1
        for i in positions[key]:
            s_a, s_b = i, j
            while s_a > a0 and s_b > b0 and ka[s_a - 1] == kb[s_b - 1]:
                s_a -= 1
                s_b -= 1
            e_a, e_b = i + 1, j + 1
            while e_a < a1 and e_b < b1 and ka[e_a] == kb[e_b]:
                e_a += 1
                e_b += 1
            run_rarity = min(rarity.get(k, MAX_CHAIN + 1) for k in set(ka[s_a:e_a]))
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


def _coalesce(matches: list[Match]) -> list[Match]:
    """Sort matches and join runs that touch in both sequences."""
    out: list[Match] = []
    for match in sorted(m for m in matches if m.length > 0):
        if out and out[-1].a + out[-1].length == match.a and out[-1].b + out[-1].length == match.b:
            last = out.pop()
            match = Match(last.a, last.b, last.length + match.length)
        out.append(match)
    return out
