"""Alignment -> the hunks a person would draw.

1. **Gaps**: the rows between two matched runs form a raw difference.
2. **Slide**: a pure insertion or deletion that could sit at several places (its first row
   equals the row after it, or its last row the row before it) is moved to the place whose
   two boundaries fall best on *background rows* (rows of one colour); among equally good
   places the middle one is taken. An inserted card in a list of similar cards therefore
   shows as the whole card with the white space around it split evenly.
3. **Merge**: two differences separated by at most ``merge_gap`` unchanged rows (default
   :data:`DEFAULT_MERGE_GAP`: blank space, or a line or two of 15 px text) become one hunk,
   so a paragraph that grew by a line is one ``changed`` hunk, not a changed, an added and a
   few slivers. ``merge_gap=0`` merges only differences that touch.
4. **Classify**: rows only in A -> ``removed``; only in B -> ``added``; both -> ``changed``.
5. **Measure** (changed hunks only): pixels that differ where the hunk's rows face each other
   (rows matched inside the hunk face their match; the others face top-aligned), plus the
   non-background pixels of rows that face a gap; boxes around clusters of those pixels.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence

import pyvips

from .align import Match
from .pixels import Decoded
from .result import Box, Hunk, Run

#: Default largest run of unchanged rows between two differences that still merges them.
DEFAULT_MERGE_GAP = 40
#: Differing pixels closer than this (rows or columns) fall into the same box.
BOX_GAP = 12
#: At most this many boxes per hunk; past it, the hunk gets one box around everything.
MAX_BOXES = 32


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


def raw_gaps(matches: Sequence[Match], height_a: int, height_b: int) -> list[_Gap]:
    """The unmatched stretches between consecutive matches (and at both ends)."""
    gaps = []
    a = b = 0
    for match in [*matches, Match(height_a, height_b, 0)]:
        if match.a > a or match.b > b:
            gaps.append(_Gap(a, match.a, b, match.b))
        a, b = match.a + match.length, match.b + match.length
    return gaps


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


def group_runs(group: list[_Gap]) -> list[Run]:
    """Lay out one hunk's rows: facing pairs top-aligned per gap, equal rows between gaps."""
    runs: list[Run] = []
    for i, gap in enumerate(group):
        if i:
            prev = group[i - 1]
            if gap.a0 > prev.a1:
                runs.append(Run("equal", prev.a1, prev.b1, gap.a0 - prev.a1))
        la, lb = gap.a1 - gap.a0, gap.b1 - gap.b0
        paired = min(la, lb)
        if paired:
            runs.append(Run("pair", gap.a0, gap.b0, paired))
        if la > paired:
            runs.append(Run("only_a", gap.a0 + paired, gap.b0 + paired, la - paired))
        if lb > paired:
            runs.append(Run("only_b", gap.a0 + paired, gap.b0 + paired, lb - paired))
    return runs


def difference_mask(run: Run, a: Decoded, b: Decoded, width: int) -> pyvips.Image:
    """One-band uchar mask ``(width x run.length)``: 255 where the pixels along ``run`` differ.

    ``pair`` rows compare A with B; a row facing a gap differs where it is not its image's
    background colour; ``equal`` rows never differ. Computed by libvips (no numpy).
    """
    if run.kind == "equal":
        return pyvips.Image.black(width, run.length)
    if run.kind == "pair":
        rows_a = a.view(width).crop(0, run.a, width, run.length)
        rows_b = b.view(width).crop(0, run.b, width, run.length)
        differs = rows_a != rows_b
    else:
        image, start = (a, run.a) if run.kind == "only_a" else (b, run.b)
        differs = image.view(width).crop(0, start, width, run.length) != list(image.background)
    return differs.bandor() if differs.bands > 1 else differs


def _profile(mask: pyvips.Image, axis: str) -> list[bool]:
    """Per column (``axis="x"``) or per row (``"y"``): does the mask have any set pixel?"""
    columns, rows = mask.project()
    profile = columns if axis == "x" else rows
    sums = memoryview(profile.cast("uint").write_to_memory()).cast("I")
    return [value > 0 for value in sums]


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


def measure(runs: Sequence[Run], a: Decoded, b: Decoded, width: int
            ) -> tuple[int, tuple[Box, ...]]:
    """Count differing pixels along a hunk's runs and box their clusters.

    Boxes: rows with differences closer than :data:`BOX_GAP` form a band; inside a band,
    columns closer than :data:`BOX_GAP` form a box, trimmed to the rows it really covers.
    More than :data:`MAX_BOXES` boxes become one box around everything.
    """
    mask = functools.reduce(lambda top, bottom: top.join(bottom, "vertical"),
                            [difference_mask(run, a, b, width) for run in runs]).copy_memory()
    count = round(mask.avg() * mask.width * mask.height / 255)
    if not count:
        return 0, ()
    ya, yb = _row_map(runs, "a"), _row_map(runs, "b")
    boxes: list[Box] = []
    for r0, r1 in _clusters(_profile(mask, "y"), BOX_GAP):
        band = mask.crop(0, r0, width, r1 - r0)
        for c0, c1 in _clusters(_profile(band, "x"), BOX_GAP):
            inked = _profile(band.crop(c0, 0, c1 - c0, r1 - r0), "y")
            boxes.append(_box(c0, c1, [r0 + i for i, f in enumerate(inked) if f], ya, yb))
        if len(boxes) > MAX_BOXES:
            break
    if len(boxes) > MAX_BOXES:
        columns = [i for i, f in enumerate(_profile(mask, "x")) if f]
        rows = [i for i, f in enumerate(_profile(mask, "y")) if f]
        boxes = [_box(columns[0], columns[-1] + 1, rows, ya, yb)]
    return count, tuple(boxes)


def build(matches: Sequence[Match], ka: Sequence[int], kb: Sequence[int], a: Decoded,
          b: Decoded, *, merge_gap: int = DEFAULT_MERGE_GAP, compare_width: int | None = None
          ) -> tuple[tuple[Hunk, ...], tuple[Run, ...]]:
    """Turn an alignment into hunks and the full run layout of the common row axis.

    Parameters
    ----------
    matches : the alignment from :func:`rasterkit.diff.align.align`.
    ka, kb : the row keys of A and B.
    a, b : the decoded images.
    merge_gap : rows; see the module docstring.
    compare_width : columns compared (default: the full, padded width).
    """
    width = max(a.width, b.width) if compare_width is None else compare_width
    bg_a, bg_b = _Background(a, width), _Background(b, width)
    gaps = raw_gaps(matches, a.height, b.height)
    slide(gaps, ka, kb, bg_a, bg_b, a.height, b.height)
    hunks: list[Hunk] = []
    axis: list[Run] = []
    a_pos = b_pos = 0
    for group in merge([g for g in gaps if g.a1 > g.a0 or g.b1 > g.b0], merge_gap):
        first, last = group[0], group[-1]
        if first.a0 > a_pos:
            axis.append(Run("equal", a_pos, b_pos, first.a0 - a_pos))
        runs = group_runs(group)
        axis.extend(runs)
        span_a, span_b = (first.a0, last.a1), (first.b0, last.b1)
        if span_a[0] == span_a[1]:
            hunks.append(Hunk("added", span_a, span_b, runs=tuple(runs)))
        elif span_b[0] == span_b[1]:
            hunks.append(Hunk("removed", span_a, span_b, runs=tuple(runs)))
        else:
            count, boxes = measure(runs, a, b, width)
            hunks.append(Hunk("changed", span_a, span_b, count, boxes, tuple(runs)))
        a_pos, b_pos = last.a1, last.b1
    if a.height > a_pos:
        axis.append(Run("equal", a_pos, b_pos, a.height - a_pos))
    return tuple(hunks), tuple(axis)
