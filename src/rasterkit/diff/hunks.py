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
from collections.abc import Sequence
from typing import Any

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

    def __init__(self, image: Decoded, keys: Sequence[int], width: int) -> None:
        self.buffer = image.row_bytes()
        self.stride = len(self.buffer) // max(image.height, 1)
        self.pixel = image.bands * image.pixels.dtype.itemsize
        self.length = width * self.pixel
        self.keys = keys
        self.cache: dict[int, bool] = {}

    def __call__(self, y: int) -> int:
        if y < 0 or y >= len(self.keys):
            return 1  # beyond the image edge counts as background
        key = self.keys[y]
        known = self.cache.get(key)
        if known is None:
            row = self.buffer[y * self.stride:y * self.stride + self.length]
            known = bytes(row) == bytes(row[:self.pixel]) * (self.length // self.pixel)
            self.cache[key] = known
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


def difference_mask(run: Run, a: Decoded, b: Decoded, width: int) -> Any:
    """Boolean ``(run.length, width)`` mask of the pixels that differ along ``run``.

    ``pair`` rows compare A with B; a row facing a gap differs where it is not its image's
    background colour; ``equal`` rows never differ.
    """
    import numpy as np

    if run.kind == "pair":
        rows_a = a.pixels[run.a:run.a + run.length, :width]
        rows_b = b.pixels[run.b:run.b + run.length, :width]
        return (rows_a != rows_b).any(axis=2)
    if run.kind == "only_a":
        rows = a.pixels[run.a:run.a + run.length, :width]
        return (rows != np.asarray(a.background, dtype=rows.dtype)).any(axis=2)
    if run.kind == "only_b":
        rows = b.pixels[run.b:run.b + run.length, :width]
        return (rows != np.asarray(b.background, dtype=rows.dtype)).any(axis=2)
    return np.zeros((run.length, width), dtype=bool)


def _clusters(flags: Any, gap: int) -> list[tuple[int, int]]:
    """Half-open index ranges of True runs in ``flags``, joining runs closer than ``gap``."""
    import numpy as np

    where = np.flatnonzero(flags)
    if not where.size:
        return []
    breaks = np.flatnonzero(np.diff(where) > gap)
    starts = np.concatenate(([where[0]], where[breaks + 1]))
    stops = np.concatenate((where[breaks], [where[-1]])) + 1
    return list(zip(starts.tolist(), stops.tolist(), strict=True))


def _side_extent(rows: Any) -> tuple[int, int] | None:
    """(first, last + 1) of the valid (>= 0) entries of ``rows``, or None."""
    valid = rows[rows >= 0]
    return (int(valid.min()), int(valid.max()) + 1) if valid.size else None


def measure(runs: list[Run], a: Decoded, b: Decoded, width: int) -> tuple[int, tuple[Box, ...]]:
    """Count differing pixels along a hunk's runs and box their clusters."""
    import numpy as np

    masks = [difference_mask(run, a, b, width) for run in runs]
    mask = np.concatenate(masks) if masks else np.zeros((0, width), dtype=bool)
    count = int(mask.sum())
    if not count:
        return 0, ()
    # For each row of the hunk's axis: the A and the B row it shows (-1 where a gap).
    ya = np.concatenate([np.arange(r.a, r.a + r.length) if r.kind != "only_b"
                         else np.full(r.length, -1) for r in runs])
    yb = np.concatenate([np.arange(r.b, r.b + r.length) if r.kind != "only_a"
                         else np.full(r.length, -1) for r in runs])
    boxes = []
    for r0, r1 in _clusters(mask.any(axis=1), BOX_GAP):
        band = mask[r0:r1]
        for c0, c1 in _clusters(band.any(axis=0), BOX_GAP):
            rows = np.flatnonzero(band[:, c0:c1].any(axis=1)) + r0
            ext_a, ext_b = _side_extent(ya[rows]), _side_extent(yb[rows])
            boxes.append(Box(None if ext_a is None else (c0, ext_a[0], c1, ext_a[1]),
                             None if ext_b is None else (c0, ext_b[0], c1, ext_b[1])))
    if len(boxes) > MAX_BOXES:
        rows = np.flatnonzero(mask.any(axis=1))
        cols = np.flatnonzero(mask.any(axis=0))
        c0, c1 = int(cols[0]), int(cols[-1]) + 1
        ext_a, ext_b = _side_extent(ya[rows]), _side_extent(yb[rows])
        boxes = [Box(None if ext_a is None else (c0, ext_a[0], c1, ext_a[1]),
                     None if ext_b is None else (c0, ext_b[0], c1, ext_b[1]))]
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
    width = a.width if compare_width is None else compare_width
    bg_a, bg_b = _Background(a, ka, width), _Background(b, kb, width)
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
