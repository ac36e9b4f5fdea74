"""The whole-row diff of one pair of decoded images: stages 2 to 6, in order.

:func:`diff_rows` is what :func:`rasterkit.diff` runs on the two pages, and what the column
stage (:mod:`.columns`) runs again on each column of a band, the column's pixels cut out as a
pair of images of their own.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from .align import Match, align, finish
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
              merge_gap: int, moves: bool, slack: bool = False,
              coarse: Sequence[Match] | None = None, comparer: Comparer | None = None
              ) -> RowDiff:
    """Align, synchronise, shape, classify and measure the rows of ``image_a`` and
    ``image_b`` over their first ``width`` columns (pixels).

    With ``slack``, a difference that is only empty rows (:func:`empty_rows`) on one side
    and nothing on the other is not a hunk: inside a column, that is the space the column
    gains or loses because another column grew. Its rows stay on the axis, owned by no hunk,
    and noise absorption never weighs them against an edit elsewhere in the column.
    ``coarse``: the keys' coarse alignment when already made (:func:`.align.finish`);
    ``comparer``: the pair's comparer when already made (it remembers what it compared).
    """
    comparer = comparer or Comparer(image_a, image_b, width, policy)
    backgrounds = (Background(image_a, width), Background(image_b, width))
    ka, kb = image_a.keys, image_b.keys
    matches = align(ka, kb) if coarse is None else finish(ka, kb, coarse)
    empty = (empty_rows(image_a, width), empty_rows(image_b, width))
    synced = synchronise(matches, ka, kb, comparer,
                         (lambda g: _blank_only(g, empty)) if slack else None)
    slide(synced.gaps, synced.ka, synced.kb, *backgrounds, image_a.height, image_b.height)
    gaps = [g for g in synced.gaps if g.a1 > g.a0 or g.b1 > g.b0]
    quiet: list[Gap] = []
    if slack:
        quiet = [g for g in gaps if _blank_only(g, empty)]
        gaps = [g for g in gaps if g not in quiet]
    groups = merge(gaps, merge_gap)
    if slack:
        groups, given_up = _one_sided(groups, empty)
        quiet += given_up
    found, axis = classify(groups, synced.noise, image_a.height, quiet)
    if moves:
        found = find_moves(found, synced.ka, synced.kb, backgrounds)
    found = measure_hunks(found, synced.ka, synced.kb, comparer)
    found = [dataclasses.replace(h, fingerprint=fingerprint(h, image_a.keys, image_b.keys))
             for h in found]
    return RowDiff(found, axis, synced.noise, comparer)


def empty_rows(image: Decoded, width: int) -> Callable[[int], bool]:
    """``empty(y)``: is row ``y`` of ``image`` (over ``width`` columns) empty space: one
    colour, or the image's most common row (a column's empty row is often not one colour: a
    grey panel between white margins, a white column beside a 1px rule)?"""
    one_colour = Background(image, width)
    counts = image.key_counts
    common = counts.most_common(1)[0][0] if counts else None
    keys = image.keys
    return lambda y: bool(one_colour(y)) or keys[y] == common


def _one_sided(groups: list[list[Gap]], empty: Sequence[Callable[[int], bool]]
               ) -> tuple[list[list[Gap]], list[Gap]]:
    """Groups whose rows on one side are all blank become the other side's rows added (or
    removed), the blank rows given up as slack: a paragraph appended to a column faces, in
    the other image, the blank rows below that column's end (its own blank lines may even
    match some of them)."""
    out: list[list[Gap]] = []
    given_up: list[Gap] = []
    for group in groups:
        a0, a1, b0, b1 = group[0].a0, group[-1].a1, group[0].b0, group[-1].b1
        if a1 > a0 and b1 > b0 and _all_blank(empty[0], a0, a1):
            out.append([Gap(a0, a0, b0, b1)])
            given_up.append(Gap(a0, a1, b1, b1))
        elif a1 > a0 and b1 > b0 and _all_blank(empty[1], b0, b1):
            out.append([Gap(a0, a1, b0, b0)])
            given_up.append(Gap(a1, a1, b0, b1))
        else:
            out.append(group)
    return out, given_up


def _all_blank(empty: Callable[[int], bool], y0: int, y1: int) -> bool:
    return all(empty(y) for y in range(y0, y1))


def _blank_only(gap: Gap, empty: Sequence[Callable[[int], bool]]) -> bool:
    """True when ``gap`` is rows of one side only, each empty."""
    if (gap.a1 > gap.a0) == (gap.b1 > gap.b0):
        return False
    if gap.a1 > gap.a0:
        return _all_blank(empty[0], gap.a0, gap.a1)
    return _all_blank(empty[1], gap.b0, gap.b1)
