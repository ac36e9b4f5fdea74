"""Parts of the images a diff must not compare: rectangles, a mask colour, mask images.

Ignored pixels take no part in the row keys (they are blanked before hashing) nor in
changed-pixel counts, and a pixel ignored in either image of a facing pair is ignored in both.
The pictures and the report show them dimmed and hatched, so a reviewer sees what was not
compared.

Coordinates are each image's own: ``both`` rectangles and ``mask`` apply to A and to B alike
(e.g. a clock in a fixed header), ``a`` / ``b`` to one image only (e.g. an ad slot that moved).
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import pyvips

from ..errors import BadInputError
from ..io import open_image, render_to_memory, source_name

Rect = tuple[int, int, int, int]


def parse_rect(text: str) -> Rect:
    """``"x,y,w,h"`` (pixels) -> a rectangle; width and height must be positive."""
    parts = text.replace(" ", "").split(",")
    try:
        x, y, w, h = (int(p) for p in parts)
    except ValueError:
        raise BadInputError(f"not a rectangle x,y,w,h: {text!r}") from None
    if w <= 0 or h <= 0 or x < 0 or y < 0:
        raise BadInputError(f"rectangle {text!r}: x and y must be >= 0, w and h > 0")
    return x, y, w, h


def parse_colour(text: str) -> tuple[int, int, int]:
    """``"#rrggbb"`` or ``"#rgb"`` -> an 8-bit RGB triple."""
    match = re.fullmatch(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})", text.strip())
    if not match:
        raise BadInputError(f"not a colour #rrggbb: {text!r}")
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


@dataclasses.dataclass(frozen=True)
class Ignore:
    """What to leave out of the comparison.

    Parameters
    ----------
    both, a, b : rectangles ``(x, y, width, height)`` in pixels, in each image's own
        coordinates: in both images, in A only, in B only.
    colour : 8-bit RGB; pixels of exactly this colour are ignored (in whichever image has it).
    mask, mask_a, mask_b : images (paths, arrays, vips images) whose non-zero pixels are
        ignored, in both images / in A / in B. A mask smaller than its image covers its top
        left corner.
    """

    both: tuple[Rect, ...] = ()
    a: tuple[Rect, ...] = ()
    b: tuple[Rect, ...] = ()
    colour: tuple[int, int, int] | None = None
    mask: Any = None
    mask_a: Any = None
    mask_b: Any = None

    def __bool__(self) -> bool:
        return bool(self.both or self.a or self.b or self.colour is not None
                    or self.mask is not None or self.mask_a is not None
                    or self.mask_b is not None)

    def describe(self) -> dict[str, Any]:
        """JSON options (only what is set)."""
        out: dict[str, Any] = {}
        for key in ("both", "a", "b"):
            if getattr(self, key):
                out[f"ignore_{key}"] = [list(r) for r in getattr(self, key)]
        if self.colour is not None:
            out["mask_color"] = "#{:02x}{:02x}{:02x}".format(*self.colour)
        for key in ("mask", "mask_a", "mask_b"):
            if getattr(self, key) is not None:
                out[key] = source_name(getattr(self, key))
        return out

    def mask_for(self, side: str, image: pyvips.Image, deep: bool) -> pyvips.Image | None:
        """One-band uchar, 255 where ``image`` (side ``"a"`` or ``"b"``, normalised) is
        ignored; None when nothing is."""
        rects = [*self.both, *(self.a if side == "a" else self.b)]
        masks = [m for m in (self.mask, self.mask_a if side == "a" else self.mask_b)
                 if m is not None]
        if not rects and not masks and self.colour is None:
            return None
        width, height = image.width, image.height
        out = render_to_memory(pyvips.Image.black(width, height).cast("uchar"))
        for x, y, w, h in rects:
            if x < width and y < height:  # clipped: libvips takes 32-bit coordinates
                out = out.draw_rect(255, x, y, min(w, width - x), min(h, height - y),
                                    fill=True)
        for source in masks:
            out = out | _mask_image(source, width, height)
        if self.colour is not None:
            out = out | _colour_mask(image, self.colour, deep)
        return render_to_memory(out)


def _mask_image(source: Any, width: int, height: int) -> pyvips.Image:
    name = source_name(source)
    try:
        mask = open_image(source, access="random")
        bands = mask.extract_band(0, n=min(mask.bands, 3))
        inked = (bands != 0)
        inked = inked.bandor() if inked.bands > 1 else inked
        return render_to_memory(inked.embed(0, 0, width, height))
    except pyvips.Error as error:
        raise BadInputError(f"{name}: cannot read the mask ({error.message.strip()})") from None


def _colour_mask(image: pyvips.Image, colour: tuple[int, int, int], deep: bool) -> pyvips.Image:
    scale = 257 if deep else 1
    if image.bands >= 3:
        same = image.extract_band(0, n=3) == [c * scale for c in colour]
        return same.bandand()
    if len(set(colour)) == 1:
        return image.extract_band(0) == colour[0] * scale
    return pyvips.Image.black(image.width, image.height).cast("uchar")
