"""Alignment -> the hunks a person would draw.

1. **Gaps**: the rows between two matched runs form a raw difference.
2. **Absorb noise** (unless the policy is exact and nothing is ignored): a row of a small
   one-sided gap that is similar to the row beside the gap in the other image takes that
   row's key, and the keys are aligned again (:func:`rekey`); then, inside a gap of equal
   length on both sides, row pairs that are similar under the comparison policy (see
   :mod:`.tolerance`) become matches (``similar`` runs, counted as noise), splitting the gap;
   a gap of unequal lengths is trimmed of similar rows at both ends. This is where rendering
   noise disappears and where the hunks re-synchronise after it.
3. **Slide**: a pure insertion or deletion that could sit at several places (its first row
   equals the row after it, or its last row the row before it) is moved to the place whose
   two boundaries fall best on *background rows* (rows of one colour); among equally good
   places the middle one is taken. An inserted card in a list of similar cards therefore
   shows as the whole card with the white space around it split evenly.
4. **Merge**: two differences separated by at most ``merge_gap`` unchanged rows (default
   :data:`DEFAULT_MERGE_GAP`: blank space, or a line or two of 15 px text) become one hunk,
   so a paragraph that grew by a line is one ``changed`` hunk, not a changed, an added and a
   few slivers. ``merge_gap=0`` merges only differences that touch.
5. **Classify**: rows only in A -> ``removed``; only in B -> ``added``; both -> ``changed``;
   a removed and an added hunk with (nearly) the same content -> one ``moved`` hunk
   (:mod:`.moves`).
6. **Measure** (changed and moved hunks): pixels that differ under the policy where the
   hunk's rows face each other (rows matched inside the hunk face their match; the others face
   top-aligned), plus the non-background pixels of rows that face a gap; boxes around
   clusters of those pixels.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Sequence

from .align import Match, align, coalesce
from .defaults import DEFAULT_MERGE_GAP
from .pixels import Decoded
from .result import Box, Hunk, Run
from .tolerance import Comparer, Policy

#: Differing pixels closer than this (rows or columns) fall into the same box.
BOX_GAP = 12
#: At most this many boxes per hunk; past it, the hunk gets one box around everything.
MAX_BOXES = 32
#: Longest window (rows of A) of gaps re-aligned on one diagonal by :func:`absorb`.
MAX_WINDOW = 600
#: One-sided gaps up to this many rows are checked by :func:`rekey`.
REKEY_ROWS = 8


@dataclasses.dataclass
class _Gap:
    a0: int
    a1: int
    b0: int
    b1: int


class _Background:
    """Lazily answers "is row y of this image a single colour?" (cached per row key)."""

    def __init__(self, image: Decoded, width: int) -> None:
        self.image = image
        self.width = width
        self.cache: dict[int, bool] = {}

    def __call__(self, y: int) -> int:
        if y < 0 or y >= self.image.height:
            return 1  # beyond the image edge counts as background
        key = self.image.keys[y]
        known = self.cache.get(key)
        if known is None:
            known = self.cache[key] = self.image.is_background_row(y, self.width)
        return int(known)


def raw_gaps(matches: Sequence[Match], height_a: int, height_b: int, start_a: int = 0,
             start_b: int = 0) -> list[_Gap]:
    """The unmatched stretches between consecutive matches (and at both ends) of rows
    ``start_a:height_a`` of A and ``start_b:height_b`` of B."""
    gaps = []
    a, b = start_a, start_b
    for match in [*matches, Match(height_a, height_b, 0)]:
        if match.a > a or match.b > b:
            gaps.append(_Gap(a, match.a, b, match.b))
        a, b = match.a + match.length, match.b + match.length
    return gaps


def absorb(gaps: list[_Gap], comparer: Comparer) -> tuple[list[_Gap], list[Match]]:
    """Turn similar row pairs inside gaps into matches (see the module docstring).

    Besides each gap alone, a run of gaps whose extra rows cancel out (an added gap, then a
    removed one of the same size) is tried as one window compared row by row on a single
    diagonal: exact keys can lock onto the wrong offset in a repeating pattern (a dithered
    gradient repeats every few rows), and the diagonal is kept when it leaves fewer differing
    rows. Returns the gaps left (in order) and the absorbed pairs as matches (sorted).
    """
    left: list[_Gap] = []
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
        if j is not None:
            window = _Gap(gap.a0, gaps[j].a1, gap.b0, gaps[j].b1)
            same = comparer.similar(window.a0, window.b0, window.a1 - window.a0)
            if same.count(False) < sum(max(g.a1 - g.a0, g.b1 - g.b0) for g in gaps[i:j + 1]):
                _split_diagonal(window, same, left, noise)
                i = j + 1
                continue
        head = _similar_run(comparer, gap.a0, gap.b0, min(la, lb), 1)
        tail = _similar_run(comparer, gap.a1 - 1, gap.b1 - 1, min(la, lb) - head, -1)
        noise += [Match(gap.a0 + k, gap.b0 + k, 1) for k in range(head)]
        noise += [Match(gap.a1 - 1 - k, gap.b1 - 1 - k, 1) for k in range(tail)]
        left.append(_Gap(gap.a0 + head, gap.a1 - tail, gap.b0 + head, gap.b1 - tail))
        i += 1
    return left, coalesce(noise)


def rekey(gaps: Sequence[_Gap], ka: Sequence[int], kb: Sequence[int], comparer: Comparer
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


def _balancing_gap(gaps: list[_Gap], i: int) -> int | None:
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


def _split_diagonal(window: _Gap, same: list[bool], left: list[_Gap], noise: list[Match]
                    ) -> None:
    """Rows of a balanced ``window`` facing 1:1: similar ones become noise, runs of the
    others stay gaps."""
    start = 0
    for k in range(len(same) + 1):
        if k == len(same) or same[k]:
            if k > start:
                left.append(_Gap(window.a0 + start, window.a0 + k, window.b0 + start,
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


def slide(gaps: list[_Gap], ka: Sequence[int], kb: Sequence[int],
          bg_a: _Background, bg_b: _Background, height_a: int, height_b: int) -> None:
    """Move each one-sided gap, in place, to the best-scoring of its equivalent positions."""
    for i, gap in enumerate(gaps):
        if (gap.a0 == gap.a1) == (gap.b0 == gap.b1):
            continue  # changed (or empty): nothing to slide
        lo_a = gaps[i - 1].a1 if i else 0
        lo_b = gaps[i - 1].b1 if i else 0
        hi_a = gaps[i + 1].a0 if i + 1 < len(gaps) else height_a
        hi_b = gaps[i + 1].b0 if i + 1 < len(gaps) else height_b
        if gap.a0 == gap.a1:  # added: rows of B move, the A position follows
            keys, start, end, lo, hi, bg = kb, gap.b0, gap.b1, lo_b, hi_b, bg_b
        else:
            keys, start, end, lo, hi, bg = ka, gap.a0, gap.a1, lo_a, hi_a, bg_a
        up = 0
        while start - up - 1 >= lo and keys[start - up - 1] == keys[end - up - 1]:
            up += 1
        down = 0
        while end + down < hi and keys[start + down] == keys[end + down]:
            down += 1
        if not up and not down:
            continue
        n = end - start
        scores = [(bg(p - 1) + bg(p) + bg(p + n - 1) + bg(p + n), p)
                  for p in range(start - up, start + down + 1)]
        best = max(score for score, _ in scores)
        candidates = [p for score, p in scores if score == best]
        shift = candidates[len(candidates) // 2] - start
        gap.a0 += shift
        gap.a1 += shift
        gap.b0 += shift
        gap.b1 += shift


def merge(gaps: list[_Gap], merge_gap: int) -> list[list[_Gap]]:
    """Group consecutive gaps separated by at most ``merge_gap`` unchanged rows."""
    groups: list[list[_Gap]] = []
    for gap in gaps:
        if groups and gap.a0 - groups[-1][-1].a1 <= merge_gap:
            groups[-1].append(gap)
        else:
            groups.append([gap])
    return groups


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


def group_runs(group: list[_Gap], noise: Sequence[Match] = ()) -> list[Run]:
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


def build(matches: Sequence[Match], ka: Sequence[int], kb: Sequence[int], a: Decoded,
          b: Decoded, *, merge_gap: int = DEFAULT_MERGE_GAP, compare_width: int | None = None,
          policy: Policy | None = None, moves: bool = True) -> Layout:
    """Turn an alignment into hunks and the full run layout of the common row axis.

    Parameters
    ----------
    matches : the alignment from :func:`rasterkit.diff.align.align`.
    ka, kb : the row keys of A and B.
    a, b : the decoded images.
    merge_gap : rows; see the module docstring.
    compare_width : columns compared (default: the wider width, padded).
    policy : how pixels compare (default: tolerant, see :mod:`.tolerance`).
    moves : pair removed and added hunks of the same content into ``moved`` hunks.
    """
    from .moves import find_moves

    width = max(a.width, b.width) if compare_width is None else compare_width
    comparer = Comparer(a, b, width, policy or Policy())
    bg_a, bg_b = _Background(a, width), _Background(b, width)
    gaps = raw_gaps(matches, a.height, b.height)
    noise: list[Match] = []
    if not comparer.policy.exact or a.ignored is not None or b.ignored is not None:
        gaps, noise = absorb(gaps, comparer)
        rekeyed = rekey(gaps, ka, kb, comparer)
        if noise or rekeyed is not None:
            # Align again with every row found similar carrying its partner's key: a noisy
            # row is a unique anchor again, so runs of repeated rows (blank space) around
            # it align as if there were no noise.
            original = (ka, kb)
            ka, kb = rekeyed if rekeyed is not None else (list(ka), list(kb))
            for match in noise:
                kb[match.b:match.b + match.length] = ka[match.a:match.a + match.length]
            matches = align(ka, kb)
            gaps, absorbed = absorb(raw_gaps(matches, a.height, b.height), comparer)
            noise = coalesce(_disguised(matches, *original) + absorbed)
    slide(gaps, ka, kb, bg_a, bg_b, a.height, b.height)
    hunks: list[Hunk] = []
    axis: list[Run] = []
    a_pos = b_pos = 0
    for group in merge([g for g in gaps if g.a1 > g.a0 or g.b1 > g.b0], merge_gap):
        first, last = group[0], group[-1]
        axis += unchanged_runs(a_pos, b_pos, first.a0 - a_pos, noise)
        runs = group_runs(group, noise)
        axis.extend(runs)
        span_a, span_b = (first.a0, last.a1), (first.b0, last.b1)
        if span_a[0] == span_a[1]:
            hunks.append(Hunk("added", span_a, span_b, runs=tuple(runs)))
        elif span_b[0] == span_b[1]:
            hunks.append(Hunk("removed", span_a, span_b, runs=tuple(runs)))
        else:
            count, boxes = measure(runs, comparer)
            hunks.append(Hunk("changed", span_a, span_b, count, boxes, tuple(runs)))
        a_pos, b_pos = last.a1, last.b1
    axis += unchanged_runs(a_pos, b_pos, a.height - a_pos, noise)
    if moves:
        hunks = find_moves(hunks, ka, kb, comparer, (bg_a, bg_b))
    noise_rows = sum(m.length for m in noise)
    return Layout(tuple(hunks), tuple(axis), noise_rows, _noise_pixels(noise, comparer), comparer)


def _noise_pixels(noise: Sequence[Match], comparer: Comparer) -> int:
    """Pixels that are not byte-identical in the absorbed row pairs (ignored ones left out)."""
    return sum(comparer.noise_pixels(m.a + k, m.b + k) for m in noise for k in range(m.length))


@dataclasses.dataclass(frozen=True)
class Layout:
    """What :func:`build` found: hunks, the common row axis, the noise it absorbed, and the
    comparer it used."""

    hunks: tuple[Hunk, ...]
    axis: tuple[Run, ...]
    noise_rows: int
    noise_pixels: int
    comparer: Comparer
