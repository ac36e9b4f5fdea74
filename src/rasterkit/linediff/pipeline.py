"""The whole-row diff of one pair of decoded images: stages 2 to 6, in order.

:func:`diff_rows` is what :func:`rasterkit.diff` runs on the two pages, and what the column
stage (:mod:`.columns`) runs again on each column of a band, the column's pixels cut out as a
pair of images of their own.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from .align import Match, align
from .fingerprint import fingerprint
from .hunks import classify
from .measure import measure_hunks
from .moves import find_moves
from .pixels import Decoded
from .result import Hunk, Run
from .shape import Background, merge, slide
from .sync import Gap, synchronise
from .tolerance import Comparer, Policy


@dataclasses.dataclass(frozen=True)
class RowDiff:
    """The whole-row diff of one pair: its hunks (measured, fingerprinted), the common row
    axis, the noise absorbed (matches of similar rows) and the comparer that found them."""

    hunks: list[Hunk]
    axis: list[Run]
    noise: list[Match]
    comparer: Comparer


def diff_rows(image_a: Decoded, image_b: Decoded, width: int, policy: Policy, *,
              merge_gap: int, moves: bool, slack: bool = False) -> RowDiff:
    """Align, synchronise, shape, classify and measure the rows of ``image_a`` and
    ``image_b`` over their first ``width`` columns (pixels).

    With ``slack``, a difference that is only blank rows (rows of one colour) on one side
    and nothing on the other is not a hunk: inside a column, that is the space the column
    gains or loses because another column grew. Its rows stay on the axis, owned by no hunk.
    """
    comparer = Comparer(image_a, image_b, width, policy)
    synced = synchronise(align(image_a.keys, image_b.keys), image_a.keys, image_b.keys,
                         comparer)
    backgrounds = (Background(image_a, width), Background(image_b, width))
    slide(synced.gaps, synced.ka, synced.kb, *backgrounds, image_a.height, image_b.height)
    gaps = [g for g in synced.gaps if g.a1 > g.a0 or g.b1 > g.b0]
    quiet = [g for g in gaps if _blank_only(g, backgrounds)] if slack else []
    groups = merge([g for g in gaps if g not in quiet], merge_gap)
    found, axis = classify(groups, synced.noise, image_a.height, quiet)
    if moves:
        found = find_moves(found, synced.ka, synced.kb, backgrounds)
    found = measure_hunks(found, synced.ka, synced.kb, comparer)
    found = [dataclasses.replace(h, fingerprint=fingerprint(h, image_a.keys, image_b.keys))
             for h in found]
    return RowDiff(found, axis, synced.noise, comparer)


def _blank_only(gap: Gap, backgrounds: Sequence[Background]) -> bool:
    """True when ``gap`` is rows of one side only, each of one colour."""
    if (gap.a1 > gap.a0) == (gap.b1 > gap.b0):
        return False
    side, rows = (0, range(gap.a0, gap.a1)) if gap.a1 > gap.a0 else (1, range(gap.b0, gap.b1))
    return all(backgrounds[side](y) for y in rows)
