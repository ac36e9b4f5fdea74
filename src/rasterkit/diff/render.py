"""Pictures of a diff, drawn on the common row axis of :attr:`DiffResult.runs`.

Colours (the same in the HTML report):

* removed (rows only in A): red ``#d1242f``; added (rows only in B): green ``#1a7f37``;
  changed: amber ``#bf8700`` — as gutter bands, and as a light tint over the hunk's rows;
* pixels that differ inside a changed hunk: magenta ``#e000e0``, drawn over both sides;
* a gap (the rows the other image has and this one lacks): grey diagonal hatching;
* columns beyond an image's own width (width padding): the same hatching.

Nothing here re-aligns or re-decodes: everything comes from the :class:`DiffResult`.
"""

from __future__ import annotations

import os
from typing import Any, Literal

import numpy as np

from ..errors import BadInputError
from ..io import save_image
from .hunks import difference_mask
from .pixels import Decoded
from .result import DiffResult, Hunk, Run

REMOVED = (0xD1, 0x24, 0x2F)
ADDED = (0x1A, 0x7F, 0x37)
CHANGED = (0xBF, 0x87, 0x00)
DIFFERING = (0xE0, 0x00, 0xE0)
KIND_COLOURS = {"removed": REMOVED, "added": ADDED, "changed": CHANGED}
GUTTER = 28
HEADER = 30
TINT = 0.16

View = Literal["side-by-side", "overlay"]


def display_rgb(pixels: np.ndarray) -> np.ndarray:
    """8-bit RGB for display: 16-bit scaled down, grey repeated, alpha over a light checker."""
    if pixels.dtype == np.uint16:
        pixels = (pixels >> 8).astype(np.uint8)
    bands = pixels.shape[2]
    colour = pixels[:, :, :3] if bands >= 3 else np.repeat(pixels[:, :, :1], 3, axis=2)
    if bands in (2, 4):
        alpha = pixels[:, :, -1:].astype(np.float32) / 255.0
        ys, xs = np.indices(pixels.shape[:2])
        checker = np.where(((ys // 8 + xs // 8) % 2)[:, :, None] == 0, 255, 230)
        colour = (colour * alpha + checker * (1 - alpha)).astype(np.uint8)
    return np.ascontiguousarray(colour)


def _hatch(height: int, width: int, offset: int = 0) -> np.ndarray:
    """Grey diagonal hatching, continuous down the axis (``offset`` = first axis row)."""
    ys, xs = np.ogrid[offset:offset + height, 0:width]
    stripes = ((xs + ys) % 10) < 2
    tile = np.where(stripes, np.uint8(205), np.uint8(240))
    return np.repeat(tile[:, :, None], 3, axis=2)


def _tint(rows: np.ndarray, colour: tuple[int, int, int], amount: float) -> None:
    rows[...] = (rows * (1 - amount) + np.asarray(colour) * amount).astype(np.uint8)


def _hunk_of_run(result: DiffResult) -> list[Hunk | None]:
    """For each run of the axis, the hunk it belongs to (None for unchanged rows)."""
    owner = {run: hunk for hunk in result.hunks for run in hunk.runs}
    return [owner.get(run) for run in result.runs]


def _decoded(result: DiffResult) -> tuple[Decoded, Decoded]:
    if result.pixels_a is None or result.pixels_b is None:
        raise BadInputError("this DiffResult holds no pixels (made without images); "
                            "re-run rasterkit.diff to render it")
    return (Decoded(result.a.path or "A", result.a.path, result.pixels_a, result.a.width, []),
            Decoded(result.b.path or "B", result.b.path, result.pixels_b, result.b.width, []))


def _side_rows(run: Run, side: str, rgb: np.ndarray, width: int, own_width: int,
               axis_row: int) -> np.ndarray:
    """The ``run.length`` display rows one side shows for ``run`` (pixels or hatching)."""
    present = run.kind != ("only_b" if side == "a" else "only_a")
    if not present:
        return _hatch(run.length, width, axis_row)
    start = run.a if side == "a" else run.b
    rows = rgb[start:start + run.length].copy()
    if own_width < width:
        rows[:, own_width:] = _hatch(run.length, width - own_width, axis_row)
    return rows


def side_by_side(result: DiffResult, *, highlight: bool = True, header: bool = True
                 ) -> np.ndarray:
    """A and B side by side on the common row axis; returns an ``(H, W, 3)`` uint8 array.

    Layout: ``[A | gutter | B]``, optionally under a header naming both images. Gaps are
    hatched; the gutter carries one colour band per hunk; hunk rows get a light tint of
    their kind's colour; with ``highlight``, differing pixels of changed hunks are magenta.
    """
    a, b = _decoded(result)
    width = a.width
    compared = result.options.get("compared_width", width)
    rgb_a, rgb_b = display_rgb(a.pixels), display_rgb(b.pixels)
    top = HEADER if header else 0
    out = np.full((top + result.axis_height, 2 * width + GUTTER, 3), 255, dtype=np.uint8)
    y = top
    for run, hunk in zip(result.runs, _hunk_of_run(result), strict=True):
        block_a = _side_rows(run, "a", rgb_a, width, a.original_width, y - top)
        block_b = _side_rows(run, "b", rgb_b, width, b.original_width, y - top)
        if hunk is not None:
            colour = KIND_COLOURS[hunk.kind]
            out[y:y + run.length, width + 6:width + GUTTER - 6] = colour
            for block, present in ((block_a, run.kind != "only_b"),
                                   (block_b, run.kind != "only_a")):
                if present:
                    _tint(block, colour, TINT)
            if highlight and hunk.kind == "changed" and run.kind != "equal":
                mask = difference_mask(run, a, b, compared)
                for block, present in ((block_a, run.kind != "only_b"),
                                       (block_b, run.kind != "only_a")):
                    if present:
                        block[:, :compared][mask] = DIFFERING
        out[y:y + run.length, :width] = block_a
        out[y:y + run.length, width + GUTTER:] = block_b
        y += run.length
    if header:
        _draw_header(out, result, width)
    return out


def overlay(result: DiffResult, *, header: bool = True) -> np.ndarray:
    """The aligned pair blended 50/50, rows that differ tinted red; ``(H, W + 12, 3)`` uint8.

    Rows only one image has are shown from that image (tinted red in A, green in B); a
    narrow gutter on the left carries the hunk colours.
    """
    a, b = _decoded(result)
    width = a.width
    rgb_a, rgb_b = display_rgb(a.pixels), display_rgb(b.pixels)
    strip = 12
    top = HEADER if header else 0
    out = np.full((top + result.axis_height, width + strip, 3), 255, dtype=np.uint8)
    y = top
    for run, hunk in zip(result.runs, _hunk_of_run(result), strict=True):
        if run.kind == "only_a":
            rows = rgb_a[run.a:run.a + run.length].copy()
            _tint(rows, REMOVED, 0.35)
        elif run.kind == "only_b":
            rows = rgb_b[run.b:run.b + run.length].copy()
            _tint(rows, ADDED, 0.35)
        else:
            rows = ((rgb_a[run.a:run.a + run.length].astype(np.uint16)
                     + rgb_b[run.b:run.b + run.length]) // 2).astype(np.uint8)
            if run.kind == "pair":
                _tint(rows, REMOVED, 0.35)
        out[y:y + run.length, strip:] = rows
        if hunk is not None:
            out[y:y + run.length, 2:strip - 2] = KIND_COLOURS[hunk.kind]
        y += run.length
    if header:
        _draw_header(out, result, width)
    return out


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


def _draw_header(out: np.ndarray, result: DiffResult, width: int) -> None:
    """Names and sizes of A and B above their columns (pango markup escaped)."""
    out[:HEADER] = 246
    out[HEADER - 1] = 208
    for index, info in enumerate((result.a, result.b)):
        name = os.path.basename(info.path) if info.path else ("A", "B")[index]
        text = f"<b>{'AB'[index]}</b>  {_escape(name)}  {info.width}×{info.height}"
        label = _label(text)
        if label is None:
            continue
        x = 8 + index * (width + GUTTER) if out.shape[1] > 2 * width else 8 + index * width // 2
        h, w = label.shape[:2]
        h, w = min(h, HEADER - 8), min(w, out.shape[1] - x)
        region = out[6:6 + h, x:x + w]
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
