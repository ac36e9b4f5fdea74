"""Columns: where a page holds columns, each column's rows are aligned on their own.

A page with a sidebar beside its content has no whole row left equal below a card inserted
in the content column, so a whole-row diff reports the rest of the page as changed (and
spends its time absorbing "noise" between rows that were never meant to face each other).
:func:`diff_pair` is the diff of a pair of images with this stage in front:

1. a **coarse alignment** (:func:`.align.align` without Myers' step: milliseconds) says where
   the differences are;
2. each page's **bands** near them (:func:`.layout.bands`): stretches of rows whose content
   lies in columns separated by gutters of background (XY-cut);
3. a band of A and a band of B are **paired** when the coarse alignment lays one over the
   other and their gutters overlap; the column boundaries are the middles of the gutters'
   common parts, so both images are cut at columns blank in both;
4. the **window** of rows covering both bands and the differences touching them is diffed
   column by column, each column cut out of both pages as a pair of images of its own
   (this function again, one level deeper, for a grid in the content column), with the
   blank rows a column gains or loses because another column grew left out (slack);
5. hunks of several columns that are one edit across them (same kind, starting on the same
   rows: a table row inserted across the columns) are **joined** into one;
6. the window is **kept** when its column hunks mark fewer pixels as different (rows times
   width) than whole rows would (the coarse differences there, joined like hunks when a few
   rows apart, times the page width); on the axis it becomes a
   ``split`` run: the window's rows of A and B side by side as they are;
7. the rows between kept windows are diffed as whole rows (:func:`.pipeline.diff_rows`),
   and everything is laid end to end.

A page with no band near a difference (every one-column page) is diffed by
:func:`.pipeline.diff_rows` whole, exactly as without this stage, at the cost of the coarse
alignment and of reading the blocks near the differences.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence

from .align import Match, align
from .axis import AxisMap
from .fingerprint import fingerprint
from .hunks import group_runs, unchanged_runs
from .keys import row_keys
from .layout import DEFAULT_MIN_GUTTER, Band, Page, bands
from .measure import measure
from .pipeline import diff_rows, empty_rows
from .pixels import Decoded
from .result import Box, DiffResult, Hunk, ImageInfo, Run
from .shape import merge
from .sync import Gap, raw_gaps
from .tolerance import Comparer, Policy

#: Columns inside columns are looked for to this depth (a grid of cards in a content column).
MAX_DEPTH = 2
#: Hunks of different columns starting within this many rows of each other (in A and in B)
#: are one edit across the columns: a table row or a row of cards inserted slides, in each
#: column, by up to the blank rows around it.
JOIN_ROWS = 24


@dataclasses.dataclass(frozen=True)
class Settings:
    """What every diff of the stage shares: the policy and shape options of the diff."""

    policy: Policy
    merge_gap: int
    moves: bool
    min_gutter: int = DEFAULT_MIN_GUTTER


@dataclasses.dataclass(frozen=True)
class Refined:
    """A diff of a pair: its hunks (each with its ``x`` range), the common row axis, the
    rows and pixels of rendering noise forgiven, and a comparer over the whole pair."""

    hunks: list[Hunk]
    axis: list[Run]
    noise_rows: int
    noise_pixels: int
    comparer: Comparer


@dataclasses.dataclass(frozen=True)
class Window:
    """Rows ``a0:a1`` of A and ``b0:b1`` of B (positions ``p0:p1`` of the coarse axis), cut
    into columns at ``cuts`` (x, from 0 to the compared width), with the hunks its columns
    found and the noise they forgave."""

    p0: int
    p1: int
    a0: int
    a1: int
    b0: int
    b1: int
    cuts: tuple[int, ...]
    hunks: tuple[Hunk, ...] = ()
    noise_rows: int = 0
    noise_pixels: int = 0


def diff_pair(image_a: Decoded, image_b: Decoded, width: int, settings: Settings,
              depth: int = MAX_DEPTH, slack: bool = False) -> Refined:
    """The diff of ``image_a`` and ``image_b`` over their first ``width`` columns, with the
    bands of columns near the differences diffed column by column where that answers better
    (see the module notes; ``depth`` 0 skips it). ``slack``: blank-only differences are no
    hunks (inside a column, see :func:`.pipeline.diff_rows`)."""
    coarse = align(image_a.keys, image_b.keys, coarse=True) if depth > 0 else None
    comparer = Comparer(image_a, image_b, width, settings.policy)
    windows = _kept_windows(image_a, image_b, coarse, comparer, settings, depth) \
        if coarse else []
    if not windows:
        whole = diff_rows(image_a, image_b, width, settings.policy,
                          merge_gap=settings.merge_gap, moves=settings.moves, slack=slack,
                          coarse=coarse, comparer=comparer)
        noise = [(m.a + k, m.b + k) for m in whole.noise for k in range(m.length)]
        return Refined([dataclasses.replace(h, x=(0, width)) for h in whole.hunks],
                       whole.axis, len(noise),
                       sum(whole.comparer.noise_pixels(a, b) for a, b in noise),
                       whole.comparer)
    return _assemble(image_a, image_b, width, settings, slack, windows)


def _kept_windows(image_a: Decoded, image_b: Decoded, matches: Sequence[Match],
                  comparer: Comparer, settings: Settings, depth: int) -> list[Window]:
    """The windows diffed column by column whose answer is kept, in order (``matches``: the
    coarse alignment of the pair; ``comparer``: the pair's, over the compared width)."""
    width = comparer.width
    gaps = raw_gaps(matches, image_a.height, image_b.height)
    if not gaps:
        return []
    axis = AxisMap(_coarse_axis(matches, gaps, image_a.height))
    found = _bands_near(gaps, axis, (_page(image_a, width, settings.min_gutter),
                                     _page(image_b, width, settings.min_gutter)))
    if not found[0] or not found[1]:
        return []
    starts = [axis.position("a", g.a0) if g.a1 > g.a0 else axis.position("b", g.b0)
              for g in gaps]
    spans = [(start, start + max(g.a1 - g.a0, g.b1 - g.b0))
             for start, g in zip(starts, gaps, strict=True)]
    kept = []
    for window in _windows(_pairs(*found, axis), spans, axis, width):
        inside = [g for g, (start, _) in zip(gaps, spans, strict=True)
                  if window.p0 <= start < window.p1]
        # What whole rows would report there: the differences, a few rows apart joined.
        rows = sum(group[-1].a1 - group[0].a0 + group[-1].b1 - group[0].b0
                   for group in merge(inside, settings.merge_gap))
        window = _diff_window(window, image_a, image_b, settings, depth)
        if window.hunks and _area(window.hunks) < rows * width:
            kept.append(window)
    return kept


def _bands_near(gaps: Sequence[Gap], axis: AxisMap, pages: tuple[Page, Page]
                ) -> tuple[list[Band], list[Band]]:
    """The bands of A and of B near the differences. A band found on one side also seeds
    the search on the other, over the rows the alignment lays it on: where a column ends
    above an edit, the edit's own rows hold one column in the image that lacks the edit."""
    near = ([(g.a0 - 1, g.a1 + 1) for g in gaps], [(g.b0 - 1, g.b1 + 1) for g in gaps])
    # A difference one side of which is blank rows may be a column's edit facing the other
    # image's blank space below that column's end: its band starts higher up.
    lone = [g for g in gaps if g.a1 > g.a0 and g.b1 > g.b0
            and (pages[0].all_blank(g.a0, g.a1) or pages[1].all_blank(g.b0, g.b1))]
    far = ([(g.a0, g.a1) for g in lone], [(g.b0, g.b1) for g in lone])
    found = (bands(pages[0], near[0], far[0]), bands(pages[1], near[1], far[1]))
    # Rows facing a band of the other image that lie in a band of this one already add none.
    facing = ([r for band in found[1] if not _covered(r := _facing(axis, "b", band), found[0])],
              [r for band in found[0] if not _covered(r := _facing(axis, "a", band), found[1])])
    return (bands(pages[0], near[0] + facing[0], far[0]) if facing[0] else found[0],
            bands(pages[1], near[1] + facing[1], far[1]) if facing[1] else found[1])


def _facing(axis: AxisMap, side: str, band: Band) -> tuple[int, int]:
    """The rows of the other image that the alignment lays ``band`` (of ``side``) on."""
    other = 1 if side == "a" else 0
    return (axis.rows_before(axis.position(side, band.y0))[other],
            axis.rows_before(axis.end(side, band.y1))[other])


def _covered(rows: tuple[int, int], found: Sequence[Band]) -> bool:
    """True when ``rows`` (half-open) lie inside one of the bands ``found``."""
    return any(band.y0 <= rows[0] and rows[1] <= band.y1 for band in found)


def _coarse_axis(matches: Sequence[Match], gaps: Sequence[Gap], height_a: int) -> list[Run]:
    """The axis of a coarse alignment: its matches as equal runs, each gap's rows facing
    each other (as a hunk lays them out)."""
    axis: list[Run] = []
    a = b = 0
    for gap in gaps:
        axis += unchanged_runs(a, b, gap.a0 - a, ())
        axis += group_runs([gap])
        a, b = gap.a1, gap.b1
    axis += unchanged_runs(a, b, height_a - a, ())
    return axis


def _page(image: Decoded, width: int, min_gutter: int) -> Page:
    """``image`` as the band search reads it: its first ``width`` columns, blank rows known
    from the row keys. The page's background is the colour of its most common row when
    that row is one colour (a blank row: every blank row has its key), else
    :attr:`Decoded.background`. Rows of one other colour that repeat (a top bar's rows under
    its text, a rule's thickness) separate blocks too: a sidebar panel that starts right
    under a full-width top bar has no blank row above it."""
    counts = image.key_counts
    key, _ = counts.most_common(1)[0]
    # Each key's first row: later rows are written first, so the first row's wins.
    first = dict(zip(reversed(image.keys), range(image.height - 1, -1, -1), strict=True))
    if image.is_background_row(first[key], width):
        pixel = bytes(image.row(first[key], 1))
        blank_key = key
    else:
        pixel = image.background_bytes
        blank_key = row_keys(memoryview(pixel * width), 1)[0]
    flat = {blank_key} | {k for k, n in counts.items()
                          if n > 1 and image.is_background_row(first[k], width)}
    return Page(memoryview(image.buffer)[image.offset:], image.stride,
                min(width, image.width) * image.pixel_bytes, image.pixel_bytes, pixel,
                [row_key in flat for row_key in image.keys], min_gutter=min_gutter)


def _pairs(bands_a: Sequence[Band], bands_b: Sequence[Band], axis: AxisMap
           ) -> list[tuple[Band, Band, tuple[int, ...]]]:
    """Bands of A and B that the alignment lays over each other (in order, each used once),
    with the x of the boundaries between their common columns."""
    pairs = []
    start = 0
    for band in bands_a:
        lo = axis.rows_before(axis.position("a", band.y0))[1]
        hi = axis.rows_before(axis.end("a", band.y1))[1]
        for k in range(start, len(bands_b)):
            other = bands_b[k]
            if other.y1 <= lo:
                continue
            if other.y0 >= max(hi, lo + 1):
                break
            boundaries = _boundaries(band.gutters, other.gutters)
            if boundaries is not None:
                pairs.append((band, other, boundaries))
                start = k + 1
                break
    return pairs


def _boundaries(gutters_a: Sequence[tuple[int, int]], gutters_b: Sequence[tuple[int, int]]
                ) -> tuple[int, ...] | None:
    """The middle of each pair of gutters' common part; None when the bands do not have
    the same number of gutters or a pair does not overlap."""
    if len(gutters_a) != len(gutters_b):
        return None
    out = []
    for (a0, a1), (b0, b1) in zip(gutters_a, gutters_b, strict=True):
        lo, hi = max(a0, b0), min(a1, b1)
        if hi <= lo:
            return None
        out.append((lo + hi) // 2)
    return tuple(out)


def _windows(pairs: Sequence[tuple[Band, Band, tuple[int, ...]]],
             spans: Sequence[tuple[int, int]], axis: AxisMap, width: int) -> list[Window]:
    """For each pair of bands holding a difference (``spans``: each difference's positions
    on the axis), the axis window covering both bands, widened to whole differences;
    a window overlapping an earlier one is left out (its rows are diffed as whole rows)."""
    windows: list[Window] = []
    for band_a, band_b, boundaries in pairs:
        p0 = min(axis.position("a", band_a.y0), axis.position("b", band_b.y0))
        p1 = max(axis.end("a", band_a.y1), axis.end("b", band_b.y1))
        for start, stop in spans:
            if start < p0 < stop:
                p0 = start
            if start < p1 < stop:
                p1 = stop
        if not any(start < p1 and p0 < stop for start, stop in spans):
            continue
        if windows and p0 < windows[-1].p1:
            continue
        (a0, b0), (a1, b1) = axis.rows_before(p0), axis.rows_before(p1)
        windows.append(Window(p0, p1, a0, a1, b0, b1, (0, *boundaries, width)))
    return windows


def _diff_window(window: Window, image_a: Decoded, image_b: Decoded, settings: Settings,
                 depth: int) -> Window:
    """``window`` with the hunks of its columns in page coordinates (hunks of several
    columns that are one edit joined) and the noise its columns forgave."""
    found: list[tuple[int, Hunk]] = []
    rows = pixels = 0
    for index, (x0, x1) in enumerate(itertools.pairwise(window.cuts)):
        cut_a = image_a.cut(x0, x1, window.a0, window.a1)
        cut_b = image_b.cut(x0, x1, window.b0, window.b1)
        column = diff_column(cut_a, cut_b, settings, depth - 1)
        origin = (x0, window.a0, window.b0)
        found += [(index, _placed(h, origin, column)) for h in column.hunks]
        rows, pixels = rows + column.noise_rows, pixels + column.noise_pixels
    comparer = Comparer(image_a, image_b, window.cuts[-1], settings.policy)
    hunks = tuple(_joined(group, window, comparer) for group in _one_edit(found))
    return dataclasses.replace(window, hunks=hunks, noise_rows=rows, noise_pixels=pixels)


def diff_column(cut_a: Decoded, cut_b: Decoded, settings: Settings, depth: int) -> DiffResult:
    """The diff of one column cut out of both pages (its own coordinates), slack left out,
    with this stage inside it while ``depth`` lasts."""
    width = cut_a.width
    refined = diff_pair(cut_a, cut_b, width, settings, depth, slack=True)
    bits = 8 * cut_a.sample_bytes
    return DiffResult(
        a=ImageInfo(cut_a.path, width, cut_a.height, cut_a.bands, bits),
        b=ImageInfo(cut_b.path, width, cut_b.height, cut_b.bands, bits),
        hunks=tuple(refined.hunks), runs=tuple(refined.axis),
        options={"compared_width": width}, images=(cut_a, cut_b), comparer=refined.comparer,
        noise_rows=refined.noise_rows, noise_pixels=refined.noise_pixels)


def _placed(hunk: Hunk, origin: tuple[int, int, int], column: DiffResult) -> Hunk:
    """``hunk`` of a column cut at ``origin`` (x, row of A, row of B) in page coordinates."""
    x, ya, yb = origin
    hx = hunk.x or (0, column.compared_width)
    inner = hunk.column_origin if hunk.column is not None else (0, 0, 0)
    return dataclasses.replace(
        _moved(hunk, ya, yb, x), x=(hx[0] + x, hx[1] + x), runs=(),
        column=hunk.column if hunk.column is not None else column,
        column_origin=(inner[0] + x, inner[1] + ya, inner[2] + yb))


def _moved(hunk: Hunk, ya: int, yb: int, x: int = 0) -> Hunk:
    """``hunk`` with its rows moved down by ``ya`` in A and ``yb`` in B, its boxes (and x
    range) right by ``x``."""
    boxes = tuple(Box(None if box.a is None else _shift(box.a, x, ya),
                      None if box.b is None else _shift(box.b, x, yb)) for box in hunk.boxes)
    hx = None if hunk.x is None else (hunk.x[0] + x, hunk.x[1] + x)
    return dataclasses.replace(hunk, a=(hunk.a[0] + ya, hunk.a[1] + ya),
                               b=(hunk.b[0] + yb, hunk.b[1] + yb), boxes=boxes, x=hx)


def _shift(box: tuple[int, int, int, int], x: int, y: int) -> tuple[int, int, int, int]:
    return box[0] + x, box[1] + y, box[2] + x, box[3] + y


def _same_edit(h: Hunk, k: Hunk) -> bool:
    """True when two hunks of different columns are one edit across them: the same kind,
    starting on (nearly) the same rows of A and of B, as a table row or a row of cards
    inserted across the columns does (each column's part slides on its own blank rows)."""
    return (h.kind == k.kind and abs(h.a[0] - k.a[0]) <= JOIN_ROWS
            and abs(h.b[0] - k.b[0]) <= JOIN_ROWS)


def _one_edit(found: list[tuple[int, Hunk]]) -> list[list[tuple[int, Hunk]]]:
    """Group the column hunks (column index, hunk) of different columns that are one edit
    (:func:`_same_edit`; connected groups), in page order."""
    parent = list(range(len(found)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (ci, hi) in enumerate(found):
        for j in range(i):
            cj, hj = found[j]
            if ci != cj and _same_edit(hi, hj):
                parent[root(i)] = root(j)
    groups: dict[int, list[tuple[int, Hunk]]] = {}
    for i, item in enumerate(found):
        groups.setdefault(root(i), []).append(item)
    return sorted(groups.values(), key=lambda g: min(min(h.a[0], h.b[0]) for _, h in g))


def _joined(group: list[tuple[int, Hunk]], window: Window, comparer: Comparer) -> Hunk:
    """One hunk for column hunks that are one edit: the rows and columns they span together
    (the page's whole width when they cover every column), measured across that width."""
    if len(group) == 1:
        return group[0][1]
    hunks = [h for _, h in group]
    a = (min(h.a[0] for h in hunks), max(h.a[1] for h in hunks))
    b = (min(h.b[0] for h in hunks), max(h.b[1] for h in hunks))
    columns = {index for index, _ in group}
    x = ((0, window.cuts[-1]) if len(columns) == len(window.cuts) - 1
         else (min(h.x[0] for h in hunks if h.x), max(h.x[1] for h in hunks if h.x)))
    kind = "added" if a[0] == a[1] else "removed" if b[0] == b[1] else "changed"
    joined = Hunk(kind, a, b, x=x)
    if kind == "changed":
        count, boxes = measure(group_runs([Gap(a[0], a[1], b[0], b[1])]), comparer)
        joined = dataclasses.replace(joined, changed_pixels=count, boxes=boxes)
    return dataclasses.replace(joined, fingerprint=fingerprint(joined, comparer.a.keys,
                                                               comparer.b.keys))


def _area(hunks: Sequence[Hunk]) -> int:
    """Pixels the hunks mark as different: rows of A and B times their columns."""
    return sum((h.a_rows + h.b_rows) * ((h.x[1] - h.x[0]) if h.x else 1) for h in hunks)


def _assemble(image_a: Decoded, image_b: Decoded, width: int, settings: Settings,
              slack: bool, windows: Sequence[Window]) -> Refined:
    """The kept windows and, between them, the rows diffed whole, laid end to end: each
    window a ``split`` run (and the rest of its taller side facing a gap)."""
    hunks: list[Hunk] = []
    axis: list[Run] = []
    noise_rows = noise_pixels = 0
    a = b = 0
    for window in [*windows, None]:
        a1, b1 = (window.a0, window.b0) if window else (image_a.height, image_b.height)
        if a1 > a or b1 > b:
            part = _segment(image_a, image_b, (a, a1), (b, b1), width, settings, slack)
            hunks += part.hunks
            axis += part.axis
            noise_rows += part.noise_rows
            noise_pixels += part.noise_pixels
        if window is None:
            break
        axis += _split(window)
        hunks += window.hunks
        noise_rows += window.noise_rows
        noise_pixels += window.noise_pixels
        a, b = window.a1, window.b1
    comparer = Comparer(image_a, image_b, width, settings.policy)
    return Refined(hunks, axis, noise_rows, noise_pixels, comparer)


def _segment(image_a: Decoded, image_b: Decoded, rows_a: tuple[int, int],
             rows_b: tuple[int, int], width: int, settings: Settings, slack: bool
             ) -> Refined:
    """Rows ``rows_a`` of A and ``rows_b`` of B diffed whole, in page coordinates."""
    (a0, a1), (b0, b1) = rows_a, rows_b
    if a1 == a0 or b1 == b0:  # one side has no rows here: all of the other is one hunk
        runs = group_runs([Gap(a0, a1, b0, b1)])
        comparer = Comparer(image_a, image_b, width, settings.policy)
        image, (y0, y1) = (image_b, rows_b) if a1 == a0 else (image_a, rows_a)
        empty = empty_rows(image, width)
        if slack and all(empty(y) for y in range(y0, y1)):
            return Refined([], runs, 0, 0, comparer)  # a column's blank slack
        lone = Hunk("added" if a1 == a0 else "removed", rows_a, rows_b, runs=tuple(runs),
                    x=(0, width))
        keys = (image_a.keys, image_b.keys)
        return Refined([dataclasses.replace(lone, fingerprint=fingerprint(lone, *keys))],
                       runs, 0, 0, comparer)
    part = diff_pair(image_a.rows(a0, a1), image_b.rows(b0, b1), width, settings, 0, slack)
    moved = {run: Run(run.kind, run.a + a0, run.b + b0, run.length) for run in part.axis}
    hunks = [dataclasses.replace(_moved(h, a0, b0), runs=tuple(moved[r] for r in h.runs))
             for h in part.hunks]
    return dataclasses.replace(part, hunks=hunks, axis=[moved[r] for r in part.axis])


def _split(window: Window) -> list[Run]:
    """The axis of a kept window: its rows of A and B side by side, top-aligned, the rest of
    the taller side facing a gap."""
    la, lb = window.a1 - window.a0, window.b1 - window.b0
    common = min(la, lb)
    runs = [Run("split", window.a0, window.b0, common)] if common else []
    if la > lb:
        runs.append(Run("only_a", window.a0 + common, window.b1, la - common))
    elif lb > la:
        runs.append(Run("only_b", window.a1, window.b0 + common, lb - common))
    return runs
