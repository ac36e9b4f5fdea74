"""Pictures of a diff, drawn on the common row axis of :attr:`DiffResult.runs`.

Colours (the same in the HTML report):

* removed (rows only in A): red ``#d1242f``; added (rows only in B): green ``#1a7f37``;
  changed: amber ``#bf8700``; moved: purple ``#8250df`` — as gutter bands, and as a bar of
  :data:`EDGE` pixels at each pane's outer edge along the hunk's rows; the two places of a
  move are joined by a purple line in the gutter;
* clusters of differing pixels (the hunks' boxes): a magenta ``#e000e0`` outline
  :data:`RING` pixels thick, :data:`RING_GAP` pixels outside the cluster. Nothing is painted
  inside a cluster, so each pane shows its own image's pixels there, legible (never the other
  image's letters over its own);
* a hunk inside one column of the page (a sidebar, a grid of cards; see
  :mod:`.columns`): a frame of its kind's colour, :data:`FRAME` pixels thick, around the
  column's rows in the pane that has them, and a bar of that colour across the column where
  the rows would be in the pane that lacks them; the other columns are shown as they are;
* a gap (the rows the other image has and this one lacks): grey diagonal hatching;
* ignored pixels (not compared): the image washed 60 % toward that hatching;
* columns beyond an image's own width (width padding): the same hatching.

Everything is drawn strip by strip (:func:`aligned_rows` takes any range of axis rows), so the
HTML report can cut tiles without drawing the whole picture. Nothing here re-aligns or
re-decodes: everything comes from the :class:`DiffResult`.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from typing import Any, Literal

import numpy as np

from ..errors import BadInputError
from ..io import save_image
from .axis import AxisMap
from .pixels import Decoded
from .result import DiffResult, Hunk, Run

REMOVED = (0xD1, 0x24, 0x2F)
ADDED = (0x1A, 0x7F, 0x37)
CHANGED = (0xBF, 0x87, 0x00)
DIFFERING = (0xE0, 0x00, 0xE0)
MOVED = (0x82, 0x50, 0xDF)
KIND_COLOURS = {"removed": REMOVED, "added": ADDED, "changed": CHANGED, "moved": MOVED}
GUTTER = 28
HEADER = 30
#: Width (pixels) of the bar marking a hunk's rows at a pane's outer edge.
EDGE = 6
#: Thickness of the outline around a cluster of differing pixels, and its distance outside it.
RING = 2
RING_GAP = 2
#: Thickness of the frame around a column hunk's rows, and of the bar marking where they
#: would be (pixels).
FRAME = 3
IGNORED_WASH = 0.6
OVERLAY_STRIP = 12
OVERLAY_TINT = 0.35

View = Literal["side-by-side", "overlay"]
Side = Literal["a", "b"]


@dataclasses.dataclass(frozen=True)
class Piece:
    """Part of a run that falls in a range of axis rows: ``run`` (already sliced) drawn at
    axis row ``y``, belonging to ``hunk`` (None for unchanged rows)."""

    y: int
    run: Run
    hunk: Hunk | None


def pieces(result: DiffResult, y0: int = 0, y1: int | None = None) -> Iterator[Piece]:
    """The runs of the axis that overlap rows ``y0:y1``, cut to that range, in order."""
    y1 = result.axis_height if y1 is None else y1
    owner = {run: hunk for hunk in result.hunks for run in hunk.runs}
    y = 0
    for run in result.runs:
        start, stop = max(y, y0), min(y + run.length, y1)
        if start < stop:
            yield Piece(start, run.cut(start - y, stop - start), owner.get(run))
        y += run.length
        if y >= y1:
            break


def _images(result: DiffResult) -> tuple[Decoded, Decoded]:
    if result.images is None or result.comparer is None:
        raise BadInputError("this DiffResult holds no pixels (made without images); "
                            "re-run rasterkit.diff to render it")
    return result.images


def display_rgb(pixels: np.ndarray, y0: int = 0) -> np.ndarray:
    """8-bit RGB for display: 16-bit scaled down, grey repeated, alpha over a light checker.

    ``y0`` is the image row of ``pixels[0]``, so the checker stays continuous across strips.
    """
    if pixels.dtype == np.uint16:
        pixels = (pixels >> 8).astype(np.uint8)
    bands = pixels.shape[2]
    colour = pixels[:, :, :3] if bands >= 3 else np.repeat(pixels[:, :, :1], 3, axis=2)
    if bands in (2, 4):
        alpha = pixels[:, :, -1:].astype(np.float32) / 255.0
        ys, xs = np.indices(pixels.shape[:2])
        checker = np.where((((ys + y0) // 8 + xs // 8) % 2)[:, :, None] == 0, 255, 230)
        colour = (colour * alpha + checker * (1 - alpha)).astype(np.uint8)
    # A fresh array: callers tint and mark it, and it may be a view of the decoded pixels.
    return np.array(colour, order="C")


def hatch(height: int, width: int, offset: int = 0) -> np.ndarray:
    """Grey diagonal hatching ``(height, width, 3)``, continuous down the axis (``offset`` =
    first axis row)."""
    ys, xs = np.ogrid[offset:offset + height, 0:width]
    stripes = ((xs + ys) % 10) < 2
    tile = np.where(stripes, np.uint8(205), np.uint8(240))
    return np.repeat(tile[:, :, None], 3, axis=2)


def _tint(rows: np.ndarray, colour: tuple[int, int, int], amount: float) -> None:
    rows[...] = (rows * (1 - amount) + np.asarray(colour) * amount).astype(np.uint8)


def side_boxes(result: DiffResult, side: Side) -> np.ndarray:
    """Every hunk's boxes of differing pixels on ``side``, ``(n, 4)`` int64 ``x0, y0, x1, y1``
    (half-open, that image's own coordinates)."""
    found = [getattr(box, side) for hunk in result.hunks for box in hunk.boxes]
    return np.array([b for b in found if b is not None], np.int64).reshape(-1, 4)


def _outline(rows: np.ndarray, boxes: np.ndarray, start: int) -> None:
    """Draw the outline of each box (image coordinates) on ``rows`` (image rows from
    ``start``); no pixel inside any box is touched."""
    length, width = rows.shape[:2]
    reach = RING_GAP + RING
    near = boxes[(boxes[:, 1] - reach < start + length) & (boxes[:, 3] + reach > start)]
    if not len(near):
        return
    ring = np.zeros((length, width), bool)
    inside = np.zeros((length, width), bool)
    for x0, y0, x1, y1 in near.tolist():
        y0, y1 = y0 - start, y1 - start
        ring[max(y0 - reach, 0):max(y1 + reach, 0), max(x0 - reach, 0):x1 + reach] = True
        ring[max(y0 - RING_GAP, 0):max(y1 + RING_GAP, 0),
             max(x0 - RING_GAP, 0):x1 + RING_GAP] = False
        inside[max(y0, 0):max(y1, 0), x0:x1] = True
    rows[ring & ~inside] = DIFFERING


def column_marks(result: DiffResult, side: Side) -> list[tuple[str, int, int, int, int]]:
    """Each column hunk on ``side``: ``(kind, x0, x1, y0, y1)``, its column range and its
    rows in that image (``y0 == y1`` where the rows would be)."""
    return [(h.kind, *h.x, *(h.a if side == "a" else h.b))
            for h in result.hunks if h.x is not None and result.in_column(h)]


def _frame(rows: np.ndarray, marks: list[tuple[str, int, int, int, int]], start: int,
           side: Side) -> None:
    """Draw the column hunks' frames and bars (image coordinates) on ``rows`` (image rows
    from ``start``), and their rows' bar at the pane's outer edge."""
    length, width = rows.shape[:2]
    for kind, x0, x1, y0, y1 in marks:
        colour = KIND_COLOURS[kind]
        top, bottom = y0 - start, y1 - start
        if bottom + FRAME < 0 or top - FRAME > length:
            continue
        x0, x1 = max(x0 + 1, 0), min(x1 - 1, width)
        if y0 == y1:
            rows[max(top - 2, 0):max(top + FRAME - 1, 0), x0:x1] = colour
            continue
        outer = rows[max(top - FRAME, 0):max(bottom + FRAME, 0)]
        outer[:, x0:x0 + FRAME] = colour
        outer[:, x1 - FRAME:x1] = colour
        rows[max(top - FRAME, 0):max(top, 0), x0:x1] = colour
        rows[max(bottom, 0):max(bottom + FRAME, 0), x0:x1] = colour
        edge = slice(0, EDGE) if side == "a" else slice(max(width - EDGE, 0), width)
        rows[max(top, 0):max(bottom, 0), edge] = colour


def _dim_ignored(rows: np.ndarray, image: Decoded, start: int, axis_row: int) -> None:
    """Wash the ignored pixels of ``rows`` (image rows from ``start``) toward the hatching."""
    if image.ignored is None:
        return
    length = rows.shape[0]
    mask = np.frombuffer(image.ignored.crop(0, start, image.width, length).write_to_memory(),
                         np.uint8).reshape(length, image.width) > 0
    if mask.any():
        shade = hatch(length, image.width, axis_row)[mask].astype(np.float32)
        rows[mask] = (rows[mask] * (1 - IGNORED_WASH) + shade * IGNORED_WASH).astype(np.uint8)


def _present(run: Run, side: Side) -> bool:
    return run.kind != ("only_b" if side == "a" else "only_a")


def aligned_rows(result: DiffResult, side: Side, y0: int = 0, y1: int | None = None, *,
                 tint: bool = True, highlight: bool = True, gaps: str = "hatch",
                 out: np.ndarray | None = None) -> np.ndarray:
    """What one side shows on axis rows ``y0:y1``: ``(rows, width, 3)`` uint8 RGB.

    ``width`` is the wider image's width; columns beyond this side's own width and rows it
    lacks (gaps) are hatched, or with ``gaps="transparent"`` the result is RGBA with alpha 0
    there. ``tint`` marks hunk rows with a bar of their kind's colour at the pane's outer edge
    (the left one for A, the right one for B); ``highlight`` outlines the clusters of
    differing pixels. Inside a cluster, and anywhere off the edge bar and the outlines, the
    pixels are the image's own. ``out`` (a zeroed array of that shape, e.g. a view of a larger
    picture) is drawn into and returned instead of a new array.
    """
    a, b = _images(result)
    image = a if side == "a" else b
    width = max(a.width, b.width)
    y1 = result.axis_height if y1 is None else y1
    transparent = gaps == "transparent"
    if out is None:
        out = np.zeros((y1 - y0, width, 4 if transparent else 3), np.uint8)
    boxes = side_boxes(result, side) if highlight else None
    marks = column_marks(result, side) if tint else []
    for piece in pieces(result, y0, y1):
        run, top = piece.run, piece.y - y0
        block = out[top:top + run.length]
        if not _present(run, side):
            if not transparent:
                block[...] = hatch(run.length, width, piece.y)
            continue
        start = run.a if side == "a" else run.b
        rows = display_rgb(image.pixels[start:start + run.length], start)
        _dim_ignored(rows, image, start, piece.y)
        if boxes is not None:
            _outline(rows, boxes, start)
        if piece.hunk is not None and tint:
            edge = rows[:, :EDGE] if side == "a" else rows[:, max(image.width - EDGE, 0):]
            edge[...] = KIND_COLOURS[piece.hunk.kind]
        if marks:
            _frame(rows, marks, start, side)
        block[:, :image.width, :3] = rows
        if transparent:
            block[:, :image.width, 3] = 255
        elif image.width < width:
            block[:, image.width:] = hatch(run.length, width - image.width, piece.y)
    return out


def gutter_rows(result: DiffResult, width: int, y0: int = 0, y1: int | None = None,
                margin: int = 6) -> np.ndarray:
    """A white ``(rows, width, 3)`` gutter with a band of each hunk's colour on its rows, and
    a line joining the two places of each move."""
    y1 = result.axis_height if y1 is None else y1
    out = np.full((y1 - y0, width, 3), 255, np.uint8)
    for hunk, spans in zip(result.hunks, result.axis_spans(), strict=True):
        if hunk.kind == "moved" and len(spans) > 1:
            top, bottom = max(spans[0][0], y0), min(spans[-1][1], y1)
            middle = width // 2
            out[max(top - y0, 0):max(bottom - y0, 0), middle - 1:middle + 1] = MOVED
    for piece in pieces(result, y0, y1):
        if piece.hunk is not None:
            top = piece.y - y0
            out[top:top + piece.run.length, margin:width - margin] = \
                KIND_COLOURS[piece.hunk.kind]
    for hunk, spans in zip(result.hunks, result.axis_spans(), strict=True):
        if not hunk.runs:  # a column hunk: its rows of A and of B, side by side
            for start, stop in spans:
                out[max(start - y0, 0):max(stop - y0, 0), margin:width - margin] = \
                    KIND_COLOURS[hunk.kind]
    return out


def side_by_side(result: DiffResult, *, highlight: bool = True, header: bool = True
                 ) -> np.ndarray:
    """A and B side by side on the common row axis; returns an ``(H, W, 3)`` uint8 array.

    Layout: ``[A | gutter | B]``, optionally under a header naming both images. Gaps are
    hatched; the gutter carries one colour band per hunk, and each pane a bar of that colour
    at its outer edge; with ``highlight``, clusters of differing pixels are outlined in
    magenta (each pane keeps its own pixels inside them).
    """
    a, b = _images(result)
    width = max(a.width, b.width)
    top = HEADER if header else 0
    picture = np.zeros((top + result.axis_height, 2 * width + GUTTER, 3), np.uint8)
    body = picture[top:]
    aligned_rows(result, "a", highlight=highlight, out=body[:, :width])
    body[:, width:width + GUTTER] = gutter_rows(result, GUTTER)
    aligned_rows(result, "b", highlight=highlight, out=body[:, width + GUTTER:])
    if header:
        _draw_header(picture[:top], result, (8, width + GUTTER + 8))
    return picture


#: Axis rows shown above and below a column hunk in its column's own picture.
COLUMN_CONTEXT = 120


def column_picture(hunk: Hunk, context: int = COLUMN_CONTEXT) -> np.ndarray | None:
    """The column of a column hunk aligned on its own, around the hunk: ``[A | gutter | B]``
    as :func:`side_by_side` draws a page (gaps hatched inside the column, the hunk banded and
    framed), ``context`` axis rows above and below; None for a hunk with no column (a
    whole-row hunk, or hunks of several columns joined)."""
    column = hunk.column
    if column is None:
        return None
    _, oa, ob = hunk.column_origin
    rows = ((hunk.a[0] - oa, hunk.a[1] - oa), (hunk.b[0] - ob, hunk.b[1] - ob))
    own = next((i for i, h in enumerate(column.hunks) if (h.a, h.b) == rows), None)
    if own is None:
        return None
    spans = column.axis_spans()[own]
    y0 = max(spans[0][0] - context, 0)
    y1 = min(spans[-1][1] + context, column.axis_height)
    _images(column)
    return np.concatenate([aligned_rows(column, "a", y0, y1), gutter_rows(column, GUTTER, y0, y1),
                           aligned_rows(column, "b", y0, y1)], axis=1)


def overlay(result: DiffResult, *, header: bool = True) -> np.ndarray:
    """The aligned pair blended 50/50, rows that differ tinted red; ``(H, W + 12, 3)`` uint8.

    Rows only one image has are shown from that image, tinted red (A) or green (B); a
    narrow gutter on the left carries the hunk colours. A column hunk is framed where its
    rows of A and of B are on the axis (a band's rows are laid side by side as they are).
    """
    plain = {"tint": False, "highlight": False, "gaps": "transparent"}
    rows_a = aligned_rows(result, "a", **plain).astype(np.uint16)
    rows_b = aligned_rows(result, "b", **plain).astype(np.uint16)
    both = (rows_a[:, :, 3:] > 0) & (rows_b[:, :, 3:] > 0)
    blend = np.where(both, (rows_a + rows_b) // 2, rows_a + rows_b)[:, :, :3].astype(np.uint8)
    blend[(rows_a[:, :, 3] == 0) & (rows_b[:, :, 3] == 0)] = 255
    for piece in pieces(result):
        kind = piece.run.kind
        if piece.hunk is None or kind == "equal":
            continue
        if kind == "similar":
            continue
        rows = blend[piece.y:piece.y + piece.run.length]
        colour = MOVED if piece.hunk.kind == "moved" else ADDED if kind == "only_b" else REMOVED
        _tint(rows, colour, OVERLAY_TINT)
    axis = AxisMap(result.runs)
    for side in ("a", "b"):
        marks = [(kind, x0, x1, axis.position(side, y0),
                  axis.end(side, y1) if y1 > y0 else axis.position(side, y0))
                 for kind, x0, x1, y0, y1 in column_marks(result, side)]
        _frame(blend, marks, 0, side)
    body = np.concatenate([gutter_rows(result, OVERLAY_STRIP, margin=2), blend], axis=1)
    if not header:
        return body
    top = np.zeros((HEADER, body.shape[1], 3), np.uint8)
    _draw_header(top, result, (8, body.shape[1] // 2))
    return np.concatenate([top, body])


def _label(text: str) -> np.ndarray | None:
    """Render one line of text (black on white) with libvips/pango; None if unavailable."""
    import pyvips

    try:
        mask = pyvips.Image.text(text, font="DejaVu Sans 10", dpi=96)
    except pyvips.Error:
        return None
    ink = np.frombuffer(mask.write_to_memory(), dtype=np.uint8).reshape(mask.height, mask.width)
    return 255 - np.repeat(ink[:, :, None], 3, axis=2)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _draw_header(top: np.ndarray, result: DiffResult, columns: tuple[int, int]) -> None:
    """Fill ``top`` (the header rows of a picture) with a strip naming A and B at x =
    ``columns`` (pango markup escaped)."""
    top[...] = 246
    top[-1] = 208
    for index, info in enumerate((result.a, result.b)):
        name = os.path.basename(info.path) if info.path else "AB"[index]
        label = _label(f"<b>{'AB'[index]}</b>  {_escape(name)}  {info.width}×{info.height}")
        if label is None:
            continue
        x = columns[index]
        h, w = min(label.shape[0], HEADER - 8), min(label.shape[1], top.shape[1] - x)
        if w <= 0:  # an image narrower than the margin: no room for its name
            continue
        region = top[6:6 + h, x:x + w]
        np.minimum(region, label[:h, :w], out=region)


def render(result: DiffResult, path: str | os.PathLike[str], *, view: View = "side-by-side",
           highlight: bool = True, inputs: tuple[Any, ...] = ()) -> None:
    """Draw ``view`` of ``result`` and write it to ``path`` (format from the suffix).

    ``inputs`` are paths the output must not overwrite (the result's own inputs are always
    protected). PNG is written with light compression: these pictures are large.
    """
    protected = (*inputs, *(p for p in (result.a.path, result.b.path) if p))
    picture = side_by_side(result, highlight=highlight) if view == "side-by-side" \
        else overlay(result)
    options = {"compression": 3} if str(path).lower().endswith(".png") else {}
    save_image(picture, path, inputs=protected, **options)
