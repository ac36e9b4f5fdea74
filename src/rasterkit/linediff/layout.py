"""The block and column structure of a page (XY-cut), for the layout-aware diff.

A page of a linear UI is a stack of horizontal blocks; a block may hold columns (a sidebar
beside the content, a grid of cards) separated by vertical gutters of background. The
recursive XY-cut of document layout analysis (Nagy and Seth, "Hierarchical representation of
optically scanned documents", 1984) finds them from projection profiles: rows with no content
separate blocks, columns with no content over a block's rows separate its columns, and each
column is cut again into blocks.

Coordinates are pixels, half-open (``x0 <= x < x1``, ``y0 <= y < y1``), in the image's own
frame. Content is every pixel that differs from the background colour in any band (see
:func:`content_mask`). The full cut (:func:`layout`) reads profiles from libvips
(``project``); the diff's band search (:class:`Page`) reads a block's blank column runs with
a compiled kernel (:mod:`rasterkit._kernels._blank_runs`). No numpy.

:func:`bands` is what the diff uses (:mod:`.columns`): the stretches of a page's rows whose
content falls into columns, with the gutters between them, found once at the top level; a
column's own inner structure is found when that column is diffed. :func:`layout` is the full
recursive cut, for callers who want the tree.

>>> import pyvips
>>> page = pyvips.Image.black(60, 20).draw_rect(255, 2, 2, 20, 16, fill=True)
>>> page = page.draw_rect(255, 36, 4, 20, 12, fill=True)
>>> [(c.x0, c.x1, c.y0, c.y1) for c in layout(page, min_gutter=8).columns]
[(2, 22, 2, 18), (36, 56, 4, 16)]
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Sequence

import pyvips

from .._kernels._blank_runs import blank_runs

#: Fewest background columns that separate two columns (pixels): wider than the space
#: between words or table cells, narrower than the gutter of a sidebar or a card grid.
DEFAULT_MIN_GUTTER = 16
#: Fewest background rows that separate two blocks (pixels).
DEFAULT_MIN_GAP = 1
#: How far (rows) above and below a difference whose rows hold one column the nearest
#: block of several columns is looked for.
REACH = 800
#: A run of rows that are not blank (zero bytes of the blank flags).
_FILLED = re.compile(rb"\x00+")
#: Deepest nesting of blocks in columns in blocks that is looked for.
MAX_DEPTH = 4


@dataclasses.dataclass(frozen=True)
class Region:
    """A rectangle of content (pixels, half-open) and how it divides.

    ``blocks`` are its horizontal blocks, top to bottom, when blank rows divide it; a block's
    ``columns`` are its columns, left to right, when gutters divide it. A region that divides
    neither way has neither (a leaf).
    """

    x0: int
    x1: int
    y0: int
    y1: int
    blocks: tuple[Region, ...] = ()
    columns: tuple[Region, ...] = ()


@dataclasses.dataclass(frozen=True)
class Band:
    """Rows ``y0:y1`` of a page whose content lies in columns: ``gutters`` are the runs of
    columns ``(g0, g1)`` (half-open, left to right) blank over every row of the band, each at
    least ``min_gutter`` wide, with content on both sides."""

    y0: int
    y1: int
    gutters: tuple[tuple[int, int], ...]


def content_mask(image: pyvips.Image, background: Sequence[float]) -> pyvips.Image:
    """One-band ``uchar``: 255 where ``image`` differs from ``background`` (one value per
    band) in any band, else 0."""
    differs = image != list(background)
    return differs.bandor() if differs.bands > 1 else differs


def layout(content: pyvips.Image, *, min_gutter: int = DEFAULT_MIN_GUTTER,
           min_gap: int = DEFAULT_MIN_GAP, max_depth: int = MAX_DEPTH) -> Region:
    """The XY-cut of a one-band ``content`` mask (non-zero = content).

    Returns the region of the whole content (its tight box; an empty page gives an empty
    region at 0, 0), divided into blocks by runs of at least ``min_gap`` blank rows, each
    block into columns by runs of at least ``min_gutter`` blank columns, and each column
    again, to ``max_depth`` levels of columns.
    """
    mask = content.cast("uchar") if content.format != "uchar" else content
    cutter = _Cutter((mask > 0).ifthenelse(1, 0).cast("uchar"), min_gutter, min_gap)
    found = cutter.region(0, mask.width, 0, mask.height, max_depth)
    return Region(0, 0, 0, 0) if found is None else found


class Page:
    """The rows of an image as the band search reads them.

    ``height`` rows of ``stride`` bytes in ``buffer``, of which the first ``row_bytes`` are
    looked at, ``pixel_bytes`` per pixel; a pixel is content when its bytes differ from
    ``background`` (one pixel's bytes). ``blank`` says which rows hold no content (the diff
    reads it off the row keys: a blank row's key is the key of a row of background), so
    blocks cost nothing to find. A block's wide blank runs are computed when a band search
    first reaches it, by a compiled kernel (:mod:`rasterkit._kernels._blank_runs`: a few
    ``memcmp`` per row; a libvips call per block costs about a millisecond).
    """

    def __init__(self, buffer: bytes, stride: int, row_bytes: int, pixel_bytes: int,
                 background: bytes, blank: Sequence[bool], *,
                 min_gutter: int = DEFAULT_MIN_GUTTER, min_gap: int = DEFAULT_MIN_GAP) -> None:
        self.buffer, self.stride, self.row_bytes = buffer, stride, row_bytes
        self.pixel_bytes, self.min_gutter = pixel_bytes, min_gutter
        self._background_row = background * (row_bytes // pixel_bytes)
        flags = bytes(map(bool, blank))  # 1 for a blank row
        runs = [m.span() for m in _FILLED.finditer(flags)]
        self.blocks = runs if min_gap <= 1 else _merge_close(runs, min_gap)
        self.starts = [y0 for y0, _ in self.blocks]
        self._blanks: dict[int, tuple[tuple[int, int], ...]] = {}
        #: The bands grown so far, by (first block, first free block): see :func:`bands`.
        self.grown: dict[tuple[int, int], tuple[int, int, tuple[tuple[int, int], ...]]] = {}

    def all_blank(self, y0: int, y1: int) -> bool:
        """True when rows ``y0:y1`` hold no content."""
        return not self.blocks_in(y0, y1)

    def blocks_in(self, y0: int, y1: int) -> range:
        """The indices of the blocks holding a row of ``y0:y1``."""
        first = max(bisect.bisect_right(self.starts, y0) - 1, 0)
        if first < len(self.blocks) and self.blocks[first][1] <= y0:
            first += 1
        return range(first, bisect.bisect_left(self.starts, y1))

    def block_at(self, y: int) -> int | None:
        """The index of the block holding row ``y``, or None (a blank row)."""
        i = bisect.bisect_right(self.starts, y) - 1
        return i if i >= 0 and y < self.blocks[i][1] else None

    def blanks(self, i: int) -> tuple[tuple[int, int], ...]:
        """The runs of at least ``min_gutter`` blank columns ``(x0, x1)`` (pixels,
        half-open) of block ``i``, its margins included."""
        known = self._blanks.get(i)
        if known is None:
            y0, y1 = self.blocks[i]
            known = self._blanks[i] = tuple(blank_runs(
                self.buffer, self.stride, y0, y1, self._background_row, self.pixel_bytes,
                self.min_gutter))
        return known

    def structure(self, i: int) -> _Columns:
        """Block ``i``'s column structure on its own (its wide blank runs and extent)."""
        return _Columns(self.blanks(i), self.extent(i))

    def extent(self, i: int) -> tuple[int, int]:
        """The columns ``(x0, x1)`` from block ``i``'s first content column to its last."""
        width = self.row_bytes // self.pixel_bytes
        blanks = self.blanks(i)
        left = blanks[0][1] if blanks and blanks[0][0] == 0 else 0
        right = blanks[-1][0] if blanks and blanks[-1][1] == width else width
        return left, right


def bands(page: Page, near: Sequence[tuple[int, int]],
          lone: Sequence[tuple[int, int]] = ()) -> list[Band]:
    """The column bands of ``page`` that hold a row of a range in ``near`` (rows
    ``(y0, y1)``, half-open), top to bottom. For the ranges of ``lone`` (edits that may hold
    one column only), bands are also looked for from the nearest blocks of several
    columns (:func:`_nearest_columns`).

    The page's blocks are its runs of non-blank rows. A block whose content leaves gutters
    (runs of at least ``page.min_gutter`` blank columns between content) starts a band; the
    blocks below it and then above it join the band while their content leaves a part of
    every gutter at least that wide blank (the band's gutters shrink to those parts). So a
    sidebar beside a content column is one band however the two columns' blank rows
    interleave, a heading over the content column alone joins it, and a full-width block
    ends it. Only blocks in ``near`` start bands (the rest of the page is not read).

    >>> def page(rows):
    ...     return Page(b"".join(rows), 60, 60, 1, b"\\0", [not r.strip(b"\\0") for r in rows],
    ...                 min_gutter=8)
    >>> rows = [bytes(30) + b"\\1" * 20 + bytes(10)] * 4 + [bytes(60), b"\\1" * 60]
    >>> bands(page(rows), [(0, 6)])
    []
    >>> rows[1] = b"\\1" * 12 + bytes(48)  # now a block of two columns, 0:12 and 30:50
    >>> bands(page(rows), [(2, 3)])
    [Band(y0=0, y1=4, gutters=((12, 30),))]
    """
    inside = {i for y0, y1 in near for i in page.blocks_in(y0, y1)}
    seeds = sorted(inside | _nearest_columns(page, lone, inside))
    found: list[Band] = []
    taken = 0  # blocks before this index belong to a band already
    for i in seeds:
        if i < taken or not page.structure(i).gutters():
            continue
        first, last, gutters = _grown(page, i, taken)
        if i not in inside and not inside & set(range(first, last + 1)):
            continue  # a band reached from a nearest seed that holds no row near
        found.append(Band(page.blocks[first][0], page.blocks[last][1], gutters))
        taken = last + 1
    return found


def _grown(page: Page, i: int, taken: int
            ) -> tuple[int, int, tuple[tuple[int, int], ...]]:
    """The band started by block ``i`` (which has gutters): its first and last blocks
    (none before ``taken``) and its gutters. Kept on the page: a second band search (the
    rows facing the other image's bands) grows the same bands again."""
    known = page.grown.get((i, taken))
    if known is None:
        band, last = page.structure(i), i
        for j in range(i + 1, len(page.blocks)):
            grown = band.join(page.blanks(j), page.extent(j), page.min_gutter)
            if grown is None:
                break
            band, last = grown, j
        first = i
        for j in range(i - 1, taken - 1, -1):
            grown = band.join(page.blanks(j), page.extent(j), page.min_gutter)
            if grown is None:
                break
            band, first = grown, j
        known = page.grown[(i, taken)] = (first, last, band.gutters())
    return known


def _nearest_columns(page: Page, lone: Sequence[tuple[int, int]], inside: set[int]
                     ) -> set[int]:
    """For each range of ``lone`` whose blocks (among ``inside``) hold no gutter, the nearest
    block above and below (within :data:`REACH` rows) that does: where an edit's rows hold
    one column only (a paragraph appended to a column, facing blank rows in the other
    image), its band starts at rows where the columns sit side by side."""
    seeds: set[int] = set()
    for y0, y1 in lone:
        mine = [i for i in inside if page.blocks[i][1] > y0 and page.blocks[i][0] < y1]
        if any(page.structure(i).gutters() for i in mine):
            continue
        below = bisect.bisect_left(page.starts, y1)
        above = below - 1
        while above >= 0 and y0 - page.blocks[above][1] <= REACH:
            if above not in mine and page.structure(above).gutters():
                seeds.add(above)
                break
            above -= 1
        while below < len(page.blocks) and page.blocks[below][0] - y1 <= REACH:
            if page.structure(below).gutters():
                seeds.add(below)
                break
            below += 1
    return seeds


@dataclasses.dataclass(frozen=True)
class _Columns:
    """The column structure of a stack of blocks: ``free``, the runs of columns blank in
    every block (at least the minimum gutter wide, margins included), and ``extent``, from
    the first content column of any block to the last."""

    free: tuple[tuple[int, int], ...]
    extent: tuple[int, int]

    def gutters(self) -> tuple[tuple[int, int], ...]:
        """The free runs with content on both sides: the gutters between columns."""
        lo, hi = self.extent
        return tuple(r for r in self.free if lo < r[0] and r[1] < hi)

    def join(self, blanks: tuple[tuple[int, int], ...], extent: tuple[int, int],
             min_gutter: int) -> _Columns | None:
        """The structure with one more block (its wide blank runs ``blanks`` and its content
        ``extent``), or None when the block crosses a gutter (leaves no part of it at least
        ``min_gutter`` wide blank). A gutter may split (a short middle column found lower
        down), and a margin may become a gutter (a column that starts lower down)."""
        free = tuple(part for f0, f1 in self.free for b0, b1 in blanks
                     if (part := (max(f0, b0), min(f1, b1)))[1] - part[0] >= min_gutter)
        if any(not any(g0 <= p0 and p1 <= g1 for p0, p1 in free) for g0, g1 in self.gutters()):
            return None
        joined = _Columns(free, (min(self.extent[0], extent[0]), max(self.extent[1], extent[1])))
        return joined if joined.gutters() else None


@dataclasses.dataclass(frozen=True)
class _Cutter:
    """The cut of one 0/1 ``mask``; one libvips projection per region and per block."""

    mask: pyvips.Image
    min_gutter: int
    min_gap: int

    def region(self, x0: int, x1: int, y0: int, y1: int, depth: int) -> Region | None:
        """The content of ``x0:x1, y0:y1``, tightened and (while ``depth`` lasts) cut into
        blocks, or into columns when it is one block; None when it has no content."""
        columns, rows = self._profiles(x0, x1, y0, y1)
        xs, ys = _runs(columns, 1, x0), _runs(rows, 1, y0)
        if not ys:
            return None
        box = Region(xs[0][0], xs[-1][1], ys[0][0], ys[-1][1])
        if depth == 0:
            return box
        blocks = _merge_close(ys, self.min_gap)
        if len(blocks) == 1:  # the region's column profile is its one block's
            return dataclasses.replace(box, columns=self._columns(xs, box.y0, box.y1, depth))
        return dataclasses.replace(box, blocks=tuple(
            self._block(box.x0, box.x1, b0, b1, depth) for b0, b1 in blocks))

    def _block(self, x0: int, x1: int, y0: int, y1: int, depth: int) -> Region:
        """The block ``y0:y1`` (rows tight already) of columns ``x0:x1``, with its columns."""
        xs = _runs(self._profiles(x0, x1, y0, y1)[0], 1, x0)
        return Region(xs[0][0], xs[-1][1], y0, y1, columns=self._columns(xs, y0, y1, depth))

    def _columns(self, spans: list[tuple[int, int]], y0: int, y1: int, depth: int
                 ) -> tuple[Region, ...]:
        """The columns the content ``spans`` (runs of non-blank columns over ``y0:y1``)
        form across gutters; none when they form one."""
        parts = _merge_close(spans, self.min_gutter)
        if len(parts) < 2:
            return ()
        found = (self.region(c0, c1, y0, y1, depth - 1) for c0, c1 in parts)
        return tuple(column for column in found if column is not None)

    def _profiles(self, x0: int, x1: int, y0: int, y1: int) -> tuple[memoryview, memoryview]:
        """Content pixels per column and per row of ``x0:x1, y0:y1`` (unsigned ints)."""
        columns, rows = self.mask.crop(x0, y0, x1 - x0, y1 - y0).project()
        return _counts(columns), _counts(rows)


def _counts(profile: pyvips.Image) -> memoryview:
    return memoryview(profile.cast("uint").write_to_memory()).cast("I")


def _runs(profile: memoryview, min_gap: int, offset: int = 0) -> list[tuple[int, int]]:
    """Runs of non-zero entries, joining those separated by fewer than ``min_gap`` zeros;
    half-open, shifted by ``offset``."""
    runs: list[tuple[int, int]] = []
    start = None
    for i, count in enumerate(profile):
        if count and start is None:
            start = i
        elif not count and start is not None:
            runs.append((start, i))
            start = None
    if start is not None:
        runs.append((start, len(profile)))
    return [(a + offset, b + offset) for a, b in _merge_close(runs, min_gap)]


def _merge_close(runs: list[tuple[int, int]], gap: int) -> list[tuple[int, int]]:
    """Join runs whose gap (blank entries between them) is smaller than ``gap``."""
    merged: list[tuple[int, int]] = []
    for a, b in runs:
        if merged and a - merged[-1][1] < gap:
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged
