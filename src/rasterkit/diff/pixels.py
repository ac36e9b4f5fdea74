"""Decode two images in parallel and bring them to one pixel format and one width.

The common format is the smallest that loses nothing from either input:

* grey if both are grey, else RGB;
* with alpha if either has alpha (a missing alpha is opaque), and every fully transparent
  pixel has its colour zeroed, so colours hidden under alpha = 0 never count as a difference;
* 8-bit if both are 8-bit, else 16-bit (8-bit values scaled by 257, so 255 -> 65535).

Different widths are the normal case for screenshots with and without a scrollbar: the
narrower image is padded on the right with its background colour (the most common colour of
its right-most column), and the result reports both original widths.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import os
import threading
from typing import Any

import pyvips

from ..io import DEFAULT_MAX_PIXELS, materialize, open_image, source_name
from .keys import row_keys

_GREY = {"b-w", "grey16"}
_STANDARD = {"b-w", "grey16", "srgb", "rgb16", "multiband"}


@dataclasses.dataclass(frozen=True)
class Decoded:
    """One decoded, normalised image and its row keys.

    ``pixels`` has shape ``(height, width, bands)`` where ``width`` is the common (padded)
    width; ``original_width`` is the width of the file itself.
    """

    name: str
    path: str | None
    pixels: Any  # np.ndarray, (H, W, bands), uint8 or uint16
    original_width: int
    keys: list[int]  # one row key per row, over the compared columns (see load_pair)

    @property
    def height(self) -> int:
        return int(self.pixels.shape[0])

    @property
    def width(self) -> int:
        return int(self.pixels.shape[1])

    @property
    def bands(self) -> int:
        return int(self.pixels.shape[2])

    @functools.cached_property
    def background(self) -> tuple[int, ...]:
        """Most common colour of the right-most original column (a page's margin/scrollbar)."""
        return _background(self.pixels[:, self.original_width - 1, :])

    def row_bytes(self) -> memoryview:
        """The pixels as one flat byte buffer (C order), for hashing rows."""
        return memoryview(self.pixels).cast("B")


def _is_grey(image: pyvips.Image) -> bool:
    return image.interpretation in _GREY or image.bands in (1, 2)


def _has_alpha(image: pyvips.Image) -> bool:
    return image.hasalpha() or image.bands in (2, 4)


def _is_deep(image: pyvips.Image) -> bool:
    return image.format != "uchar"


def normalise(image: pyvips.Image, *, colour: bool, alpha: bool, deep: bool) -> pyvips.Image:
    """Convert ``image`` to grey/RGB, with/without alpha, 8/16-bit (a lazy libvips pipeline)."""
    if image.interpretation not in _STANDARD or image.format not in ("uchar", "ushort"):
        target = ("rgb16" if deep else "srgb") if colour else ("grey16" if deep else "b-w")
        image = image.colourspace(target)
        if image.format not in ("uchar", "ushort"):
            image = image.cast("ushort" if deep else "uchar")
    has_alpha = _has_alpha(image)
    colour_bands = image.bands - (1 if has_alpha else 0)
    base = image.extract_band(0, n=colour_bands)
    opacity = image.extract_band(colour_bands) if has_alpha else None
    if colour and colour_bands == 1:
        base = base.bandjoin([base, base])
    elif not colour and colour_bands > 1:
        base = base.colourspace("grey16" if base.format == "ushort" else "b-w")
    if deep and base.format == "uchar":
        base = (base.cast("ushort") * 257).cast("ushort")
        opacity = None if opacity is None else (opacity.cast("ushort") * 257).cast("ushort")
    if alpha:
        top = 65535 if deep else 255
        if opacity is None:
            base = base.bandjoin_const([top])
        else:
            # Colour hidden under alpha = 0 is not part of the picture.
            base = (opacity == 0).ifthenelse(0, base.bandjoin(opacity))
    return base.copy(interpretation=("rgb16" if deep else "srgb") if colour
                     else ("grey16" if deep else "b-w"))


def _background(column: Any) -> tuple[int, ...]:
    import numpy as np

    column = np.ascontiguousarray(column)
    values, counts = np.unique(column, axis=0, return_counts=True)
    return tuple(int(v) for v in values[int(np.argmax(counts))])


def _pad_right(pixels: Any, width: int, colour: tuple[int, ...]) -> Any:
    import numpy as np

    height, old, bands = pixels.shape
    out = np.empty((height, width, bands), dtype=pixels.dtype)
    out[:, :old] = pixels
    out[:, old:] = np.asarray(colour, dtype=pixels.dtype)
    return out


def load_pair(a: Any, b: Any, *, max_pixels: int | None = DEFAULT_MAX_PIXELS,
              pad_compare: bool = False) -> tuple[Decoded, Decoded]:
    """Open, normalise, decode and key ``a`` and ``b`` (paths, arrays or images) in two threads.

    Each thread decodes its image and hashes its rows (:func:`keys.row_keys`) over the
    compared columns: the common width, or the padded width with ``pad_compare``. libvips
    releases the GIL while it decodes, so one image's hashing overlaps the other's decoding,
    and numpy is imported on a third thread meanwhile, off the critical path.
    """
    numpy_import = threading.Thread(target=importlib.import_module, args=("numpy",))
    numpy_import.start()
    images = [open_image(source, max_pixels=max_pixels) for source in (a, b)]
    colour = not all(_is_grey(im) for im in images)
    alpha = any(_has_alpha(im) for im in images)
    deep = any(_is_deep(im) for im in images)
    names = [source_name(a), source_name(b)]
    normalised = [normalise(im, colour=colour, alpha=alpha, deep=deep) for im in images]
    pixel_bytes = normalised[0].bands * (2 if deep else 1)
    widths = [im.width for im in normalised]
    key_now = not pad_compare or widths[0] == widths[1]
    results: list[Any] = [None, None]

    def decode(i: int) -> None:
        try:
            buffer = materialize(normalised[i], names[i])
            keys = (row_keys(memoryview(buffer), normalised[i].height, min(widths) * pixel_bytes)
                    if key_now else None)
            results[i] = (buffer, keys)
        except BaseException as error:  # re-raised on the calling thread
            results[i] = error

    worker = threading.Thread(target=decode, args=(1,))
    worker.start()
    decode(0)
    worker.join()
    for result in results:
        if isinstance(result, BaseException):
            raise result
    numpy_import.join()
    import numpy as np

    dtype = np.uint16 if deep else np.uint8
    width = max(widths)
    decoded = []
    for source, name, im, (buffer, keys) in zip((a, b), names, normalised, results, strict=True):
        path = name if isinstance(source, str | os.PathLike) else None
        pixels = np.frombuffer(buffer, dtype=dtype).reshape(im.height, im.width, im.bands)
        image = Decoded(name, path, pixels, im.width, keys or [])
        if im.width != width:
            pixels = _pad_right(pixels, width, image.background)
            if keys is None:
                keys = row_keys(memoryview(pixels).cast("B"), im.height)
            image = Decoded(name, path, pixels, im.width, keys)
        elif keys is None:
            image = Decoded(name, path, pixels, im.width, row_keys(image.row_bytes(), im.height))
        decoded.append(image)
    return decoded[0], decoded[1]
