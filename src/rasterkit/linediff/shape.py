"""The shape of the hunks (a pass of its own, as in git's xdiff): slide, then merge.

The fourth stage of the diff (prepare -> align -> sync -> **shape** -> classify -> measure):

1. **Slide**: a pure insertion or deletion that could sit at several places (its first row
   equals the row after it, or its last row the row before it) is moved to the place whose
   two boundaries fall best on *background rows* (rows of one colour); among equally good
   places the middle one is taken. An inserted card in a list of similar cards therefore
   shows as the whole card with the white space around it split evenly.
2. **Merge**: two differences separated by at most ``merge_gap`` unchanged rows (default
   :data:`DEFAULT_MERGE_GAP`: blank space, or a line or two of 15 px text) become one hunk,
   so a paragraph that grew by a line is one ``changed`` hunk, not a changed, an added and a
   few slivers. ``merge_gap=0`` merges only differences that touch.
"""

from __future__ import annotations

from collections.abc import Sequence

from .defaults import DEFAULT_MERGE_GAP
from .pixels import Decoded
from .sync import Gap

__all__ = ["DEFAULT_MERGE_GAP", "Background", "merge", "slide"]


class Background:
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


def slide(gaps: list[Gap], ka: Sequence[int], kb: Sequence[int],
          bg_a: Background, bg_b: Background, height_a: int, height_b: int) -> None:
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


def merge(gaps: list[Gap], merge_gap: int = DEFAULT_MERGE_GAP) -> list[list[Gap]]:
    """Group consecutive gaps separated by at most ``merge_gap`` unchanged rows."""
    groups: list[list[Gap]] = []
    for gap in gaps:
        if groups and gap.a0 - groups[-1][-1].a1 <= merge_gap:
            groups[-1].append(gap)
        else:
            groups.append([gap])
    return groups
