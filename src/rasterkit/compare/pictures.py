"""Pictures of comparisons: the signed delta of two binary images, the overlay of two line
drawings. Both use one palette (Okabe–Ito colours, distinguishable with colour-blindness):

==========  =============  ===============================  ===================================
colour      RGB            delta (``rasterkit compare``)    overlay (``compare-lines``)
==========  =============  ===============================  ===================================
vermillion  213, 94, 0     in A only                        line pixel of A with no line of B
                                                            within the tolerance (with a halo)
blue        0, 114, 178    in B only                        the same for B (with a halo)
grey        150, 150, 150  in both                          --
dark grey   60, 60, 60     --                               matched line pixel (of A or B)
white       255, 255, 255  in neither (or A's own image,    background
                           faded, with ``backdrop``)
==========  =============  ===============================  ===================================

In the overlay, unmatched line pixels are drawn with a one-pixel halo (3 px wide) so that
single stray pixels stand out; matched lines are drawn as they are.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import numpy as np

from ..errors import OutputError
from ..io import check_output, save_image
from ..suffixes import PICTURE_SUFFIXES

if TYPE_CHECKING:
    from .binary import BinaryComparison
    from .lines import LineComparison

ONLY_A = (213, 94, 0)
ONLY_B = (0, 114, 178)
BOTH = (150, 150, 150)
MATCHED = (60, 60, 60)
NEITHER = (255, 255, 255)
#: How much of A's own contrast a backdrop keeps (the rest fades to white).
BACKDROP_CONTRAST = 0.25
_SAVE_OPTIONS = {".webp": {"lossless": True}}


def delta_image(result: BinaryComparison, *, backdrop: bool = False) -> np.ndarray:
    """The signed delta of a binary comparison as an ``(H, W, 3)`` uint8 RGB array.

    Pixels in both images are grey, in A only vermillion, in B only blue (module table); the
    rest is white, or with ``backdrop`` A's own image (the greyscale before thresholding,
    say) faded to :data:`BACKDROP_CONTRAST` of its contrast.
    """
    first, second = _masks(result)
    code = first.foreground().view(np.uint8) + 2 * second.foreground().view(np.uint8)
    palette = np.array([NEITHER, ONLY_A, ONLY_B, BOTH], np.uint8)
    picture = palette[code]
    if backdrop:
        for start in range(0, code.shape[0], 1024):  # row blocks bound the float scratch
            rows = slice(start, start + 1024)
            faded = 255 - (255 - _grey8(first.image[rows])) * BACKDROP_CONTRAST
            neither = code[rows] == 0
            picture[rows][neither] = np.round(faded[neither]).astype(np.uint8)[:, None]
    return picture


def overlay_image(result: LineComparison) -> np.ndarray:
    """The overlay of two line drawings as an ``(H, W, 3)`` uint8 RGB array: matched line
    pixels dark grey, A's unmatched vermillion and B's blue, each with a one-pixel halo,
    on white (module table)."""
    if result.lines is None or result.matches is None:
        raise OutputError("this comparison holds no lines to draw")
    line_a, line_b = result.lines
    unmatched_a = _unmatched(line_a, result.matches[0])
    unmatched_b = _unmatched(line_b, result.matches[1])
    picture = np.full((*line_a.shape, 3), NEITHER, np.uint8)
    picture[line_a | line_b] = MATCHED
    picture[_halo(unmatched_a)] = ONLY_A
    picture[_halo(unmatched_b)] = ONLY_B
    picture[unmatched_a] = ONLY_A  # A's own pixels stay visible under B's halo
    return picture


def _unmatched(lines: np.ndarray, matched: np.ndarray) -> np.ndarray:
    """The line pixels whose entry in ``matched`` (one per line pixel, raster order) is
    false, as a mask."""
    out = np.zeros(lines.size, bool)
    out[np.flatnonzero(lines)[~matched]] = True
    return out.reshape(lines.shape)


def _halo(mask: np.ndarray) -> np.ndarray:
    """``mask`` grown by one pixel in all 8 directions (a 3 x 3 dilation)."""
    grown = mask.copy()
    grown[1:] |= mask[:-1]
    grown[:-1] |= mask[1:]
    wide = grown.copy()
    wide[:, 1:] |= grown[:, :-1]
    wide[:, :-1] |= grown[:, 1:]
    return wide


def check_picture(path: str | os.PathLike[str], inputs: tuple[object, ...]) -> None:
    """Refuse a bad picture path (folder, format, an input) before any work."""
    check_output(path, inputs, PICTURE_SUFFIXES)


def save_picture(picture: np.ndarray, path: str | os.PathLike[str],
                 inputs: tuple[object, ...] = ()) -> None:
    """Write an RGB picture atomically (WebP lossless)."""
    from pathlib import Path

    check_picture(path, inputs)
    options = _SAVE_OPTIONS.get(Path(path).suffix.lower(), {})
    save_image(picture, path, inputs=inputs, **options)


def _masks(result: BinaryComparison) -> tuple:
    if result.masks is None:
        raise OutputError("this comparison holds no images to draw")
    return result.masks


def _grey8(image: np.ndarray) -> np.ndarray:
    """A single-band image as float grey levels 0..255 (8-bit as is, 16-bit scaled, float and
    bool taken as 0..1)."""
    if image.dtype == bool:
        return image * np.float32(255)
    if image.dtype.kind in "ui":
        return np.clip(image, 0, None) * np.float32(255 / np.iinfo(image.dtype).max)
    return np.clip(np.nan_to_num(image.astype(np.float32)), 0, 1) * np.float32(255)
