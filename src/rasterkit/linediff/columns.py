"""Columns: where a page holds columns, each column's rows are aligned on their own.

The last stage of the diff, after the whole-row diff (:mod:`.pipeline`). A page with a sidebar
beside its content has no whole row left equal below a card inserted in the content column, so
the whole-row diff reports the rest of the page as changed. This stage:

1. finds each page's **bands** (:func:`.layout.bands`): stretches of rows whose content lies
   in columns separated by gutters of background (XY-cut);
2. **pairs** a band of A with a band of B when the whole-row alignment maps one onto the
   other and their gutters overlap; the column boundaries are the middles of the gutters'
   common parts, so both images are cut at columns blank in both;
3. takes the **window** of the axis that covers both bands and the whole-row hunks that touch
   them, and diffs each column of it as a pair of images of its own (the same pipeline, with
   the blank rows a column gains or loses because another column grew not reported as
   hunks, and this stage again inside the column, for a grid in the content column);
4. joins hunks of several columns that are one edit across them (same kind, starting on the
   same rows: a table row inserted across the columns stays one hunk), and **keeps** the
   column answer when it marks fewer pixels as different (rows times width) than the
   whole-row answer, which it replaces on the axis by a ``split`` run: the window's rows of
   A and B side by side as they are.

A single-column page has no band and a band without whole-row hunks is left alone, so both
cost nothing here and come out exactly as the whole-row diff made them.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence

from .axis import AxisMap
from .fingerprint import fingerprint
from .hunks import group_runs
from .keys import row_keys
from .layout import DEFAULT_MIN_GUTTER, Band, Page, bands
from .measure import measure
from .pipeline import RowDiff, diff_rows
from .pixels import Decoded
from .result import Box, DiffResult, Hunk, ImageInfo, Run
from .sync import Gap
from .tolerance import Policy

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
    """What the stage leaves: the hunks and the axis, and the rows and pixels of rendering
    noise forgiven (the whole-row diff's outside the replaced windows, the columns' inside)."""

    hunks: list[Hunk]
    axis: list[Run]
    noise_rows: int
    noise_pixels: int


@dataclasses.dataclass(frozen=True)
class Window:
    """Axis positions ``p0:p1``, holding rows ``a0:a1`` of A and ``b0:b1`` of B, cut into
    columns at ``cuts`` (x, from 0 to the compared width)."""

    p0: int
    p1: int
    a0: int
    a1: int
    b0: int
    b1: int
    cuts: tuple[int, ...]


def refine(whole: RowDiff, image_a: Decoded, image_b: Decoded, width: int,
           settings: Settings, depth: int = MAX_DEPTH) -> Refined:
    """The hunks and axis of the whole-row diff ``whole`` of ``image_a`` and ``image_b``
    (``width`` columns compared), with each band that holds a hunk diffed column by column
    where that answers better (see the module notes). Every hunk gets its ``x`` range."""
    hunks = [dataclasses.replace(h, x=(0, width)) for h in whole.hunks]
    axis = list(whole.axis)
    found = [bands(_page(image, width), [(r[0] - 1, r[1] + 1) for r in
                                         (h.a if side == "a" else h.b for h in hunks)],
                   min_gutter=settings.min_gutter)
             for side, image in (("a", image_a), ("b", image_b))] \
        if hunks and depth > 0 else [[], []]
    replaced: list[tuple[Window, list[Hunk]]] = []
    noise = (0, 0)  # the replaced windows' noise, found by their columns
    if found[0] and found[1]:
        axis_map = AxisMap(axis)
        owners = [(axis_map.spans(h.runs), h) for h in hunks]
        for window in _windows(_pairs(*found, axis_map), owners, axis_map, width):
            inside = [h for spans, h in owners if spans and window.p0 <= spans[0][0] < window.p1]
            columns, rows, pixels = _diff_window(window, image_a, image_b, whole, settings,
                                                 depth)
            if columns and _area(columns) < _area(inside):
                replaced.append((window, columns))
                noise = (noise[0] + rows, noise[1] + pixels)
        hunks, axis = _splice(hunks, axis, axis_map, owners, replaced)
    kept = [(m.a + k, m.b + k) for m in whole.noise for k in range(m.length)
            if not any(w.a0 <= m.a + k < w.a1 for w, _ in replaced)]
    return Refined(hunks, axis, len(kept) + noise[0],
                   sum(whole.comparer.noise_pixels(a, b) for a, b in kept) + noise[1])


def _page(image: Decoded, width: int) -> Page:
    """``image`` as the band search reads it: its first ``width`` columns, blank rows known
    from the row keys (a row of background has the key of one)."""
    pixel = image.background_bytes
    blank_key = row_keys(memoryview(pixel * width), 1)[0]
    return Page(image.buffer, image.stride, min(width, image.width) * image.pixel_bytes,
                image.pixel_bytes, pixel, [key == blank_key for key in image.keys])


def _pairs(bands_a: Sequence[Band], bands_b: Sequence[Band], axis_map: AxisMap
           ) -> list[tuple[Band, Band, tuple[int, ...]]]:
    """Bands of A and B that the whole-row alignment lays over each other (in order, each
    used once), with the x of the boundaries between their common columns."""
    pairs = []
    start = 0
    for band in bands_a:
        lo = axis_map.rows_before(axis_map.position("a", band.y0))[1]
        hi = axis_map.rows_before(axis_map.end("a", band.y1))[1]
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
             owners: Sequence[tuple[list[tuple[int, int]], Hunk]], axis_map: AxisMap,
             width: int) -> list[Window]:
    """For each pair of bands that holds a hunk, the axis window covering both bands, widened
    to whole hunks; windows that would cut a move in two or overlap an earlier one are left
    out (those rows keep their whole-row hunks)."""
    windows: list[Window] = []
    for band_a, band_b, boundaries in pairs:
        p0 = min(axis_map.position("a", band_a.y0), axis_map.position("b", band_b.y0))
        p1 = max(axis_map.end("a", band_a.y1), axis_map.end("b", band_b.y1))
        for spans, hunk in owners:
            if hunk.kind == "moved" or not spans:
                continue
            start, stop = spans[0][0], spans[-1][1]
            if start < p0 < stop:
                p0 = start
            if start < p1 < stop:
                p1 = stop
        touched = [h for spans, h in owners
                   if any(s < p1 and p0 < e for s, e in spans)]
        if not touched or any(h.kind == "moved" for h in touched):
            continue
        if windows and p0 < windows[-1].p1:
            continue
        (a0, b0), (a1, b1) = axis_map.rows_before(p0), axis_map.rows_before(p1)
        windows.append(Window(p0, p1, a0, a1, b0, b1, (0, *boundaries, width)))
    return windows


def _diff_window(window: Window, image_a: Decoded, image_b: Decoded, whole: RowDiff,
                 settings: Settings, depth: int) -> tuple[list[Hunk], int, int]:
    """The hunks of each column of ``window``, in page coordinates (hunks of several
    columns on the same rows joined into one), and the rows and pixels of noise the columns
    forgave."""
    found: list[tuple[int, Hunk]] = []
    rows = pixels = 0
    for index, (x0, x1) in enumerate(itertools.pairwise(window.cuts)):
        cut_a = image_a.cut(x0, x1, window.a0, window.a1)
        cut_b = image_b.cut(x0, x1, window.b0, window.b1)
        column = diff_column(cut_a, cut_b, settings, depth - 1)
        origin = (x0, window.a0, window.b0)
        found += [(index, _placed(h, origin, column)) for h in column.hunks]
        rows, pixels = rows + column.noise_rows, pixels + column.noise_pixels
    return [_joined(group, window, whole) for group in _same_rows(found)], rows, pixels


def diff_column(cut_a: Decoded, cut_b: Decoded, settings: Settings, depth: int) -> DiffResult:
    """The diff of one column cut out of both pages (its own coordinates): the whole-row
    pipeline with slack left out, then, while ``depth`` lasts, this stage inside it."""
    width = cut_a.width
    rows = diff_rows(cut_a, cut_b, width, settings.policy, merge_gap=settings.merge_gap,
                     moves=settings.moves, slack=True)
    refined = refine(rows, cut_a, cut_b, width, settings, depth)
    bits = 8 * cut_a.sample_bytes
    return DiffResult(
        a=ImageInfo(cut_a.path, width, cut_a.height, cut_a.bands, bits),
        b=ImageInfo(cut_b.path, width, cut_b.height, cut_b.bands, bits),
        hunks=tuple(refined.hunks), runs=tuple(refined.axis),
        options={"compared_width": width}, images=(cut_a, cut_b), comparer=rows.comparer,
        noise_rows=refined.noise_rows, noise_pixels=refined.noise_pixels)


def _placed(hunk: Hunk, origin: tuple[int, int, int], column: DiffResult) -> Hunk:
    """``hunk`` of a column cut at ``origin`` (x, row of A, row of B) in page coordinates."""
    x, ya, yb = origin
    hx = hunk.x or (0, column.compared_width)
    boxes = tuple(Box(None if box.a is None else _shift(box.a, x, ya),
                      None if box.b is None else _shift(box.b, x, yb)) for box in hunk.boxes)
    inner = hunk.column_origin if hunk.column is not None else (0, 0, 0)
    return dataclasses.replace(
        hunk, a=(hunk.a[0] + ya, hunk.a[1] + ya), b=(hunk.b[0] + yb, hunk.b[1] + yb),
        x=(hx[0] + x, hx[1] + x), boxes=boxes, runs=(),
        column=hunk.column if hunk.column is not None else column,
        column_origin=(inner[0] + x, inner[1] + ya, inner[2] + yb))


def _shift(box: tuple[int, int, int, int], x: int, y: int) -> tuple[int, int, int, int]:
    return box[0] + x, box[1] + y, box[2] + x, box[3] + y


def _same_edit(h: Hunk, k: Hunk) -> bool:
    """True when two hunks of different columns are one edit across them: the same kind,
    starting on (nearly) the same rows of A and of B, as a table row or a row of cards
    inserted across the columns does (each column's part slides on its own blank rows)."""
    return (h.kind == k.kind and abs(h.a[0] - k.a[0]) <= JOIN_ROWS
            and abs(h.b[0] - k.b[0]) <= JOIN_ROWS)


def _same_rows(found: list[tuple[int, Hunk]]) -> list[list[tuple[int, Hunk]]]:
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


def _joined(group: list[tuple[int, Hunk]], window: Window, whole: RowDiff) -> Hunk:
    """One hunk for column hunks on the same rows: the rows and columns they span together
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
        count, boxes = measure(group_runs([Gap(a[0], a[1], b[0], b[1])]), whole.comparer)
        joined = dataclasses.replace(joined, changed_pixels=count, boxes=boxes)
    keys = (whole.comparer.a.keys, whole.comparer.b.keys)
    return dataclasses.replace(joined, fingerprint=fingerprint(joined, *keys))


def _area(hunks: Sequence[Hunk]) -> int:
    """Pixels the hunks mark as different: rows of A and B times their columns."""
    return sum((h.a_rows + h.b_rows) * ((h.x[1] - h.x[0]) if h.x else 1) for h in hunks)


def _splice(hunks: list[Hunk], axis: list[Run], axis_map: AxisMap,
            owners: Sequence[tuple[list[tuple[int, int]], Hunk]],
            replaced: Sequence[tuple[Window, list[Hunk]]]) -> tuple[list[Hunk], list[Run]]:
    """The axis with each replaced window's runs swapped for a ``split`` run (and the rest of
    the taller side facing a gap), and its whole-row hunks for its column hunks."""
    if not replaced:
        return hunks, axis
    placed: list[tuple[int, int, Hunk]] = []
    for spans, hunk in owners:
        start = spans[0][0] if spans else 0
        if not any(w.p0 <= start < w.p1 for w, _ in replaced):
            placed.append((start, 0, hunk))
    for window, columns in replaced:
        for order, hunk in enumerate(columns):
            offset = min(hunk.a[0] - window.a0, hunk.b[0] - window.b0)
            placed.append((window.p0 + offset, order + 1, hunk))
    new_axis: list[Run] = []
    cursor = 0
    for window, _ in replaced:
        new_axis += _runs_between(axis_map, cursor, window.p0)
        la, lb = window.a1 - window.a0, window.b1 - window.b0
        common = min(la, lb)
        if common:
            new_axis.append(Run("split", window.a0, window.b0, common))
        if la > lb:
            new_axis.append(Run("only_a", window.a0 + common, window.b1, la - common))
        elif lb > la:
            new_axis.append(Run("only_b", window.a1, window.b0 + common, lb - common))
        cursor = window.p1
    new_axis += _runs_between(axis_map, cursor, axis_map.length)
    return [h for _, _, h in sorted(placed, key=lambda item: item[:2])], new_axis


def _runs_between(axis_map: AxisMap, p0: int, p1: int) -> list[Run]:
    """The runs of the axis on positions ``p0:p1``, the first and last cut to fit."""
    out = []
    for run, start in zip(axis_map.runs, axis_map.starts, strict=True):
        lo, hi = max(start, p0), min(start + run.length, p1)
        if lo < hi:
            out.append(run if (lo, hi) == (start, start + run.length)
                       else run.cut(lo - start, hi - lo))
    return out
