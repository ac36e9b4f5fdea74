"""Decode two images in parallel and bring them to one pixel format.

The common format is the smallest that loses nothing from either input:

* grey if both are grey, else RGB;
* with alpha if either has alpha (a missing alpha is opaque), and every fully transparent
  pixel has its colour zeroed, so colours hidden under alpha = 0 never count as a difference;
* 8-bit if both are 8-bit, else 16-bit (8-bit values scaled by 257, so 255 -> 65535).

Different widths are the normal case for screenshots with and without a scrollbar: the
narrower image is padded on the right with its background colour (the most common colour of
its right-most column) where a picture or ``pad_compare`` needs it, and the result reports both
widths.

The diff itself needs no numpy: pixels stay in the decoded byte buffers and the few
per-pixel operations run in libvips. :attr:`Decoded.pixels` gives a numpy view on demand (for
pictures and for callers).
"""

from __future__ import annotations

import collections
import dataclasses
import functools
import os
import sys
import threading
from typing import Any

import pyvips

from ..io import (
    DEFAULT_MAX_PIXELS,
    materialize,
    open_image,
    render_to_memory,
    source_name,
    wrap_memory,
)
from .ignore import Ignore
from .keys import row_keys

_GREY = {"b-w", "grey16"}
_STANDARD = {"b-w", "grey16", "srgb", "rgb16", "multiband"}


@dataclasses.dataclass(frozen=True, eq=False)
class Decoded:
    """One decoded, normalised image and its row keys.

    ``buffer`` holds the pixels row after row, ``bands`` samples per pixel of one or two
    bytes (``deep``); ``width`` is the image's own width. ``keys`` has one key per row over
    the compared columns (see :func:`load_pair`), ``ignored`` a one-band mask (255: ignored)
    or None. A part of another image (:meth:`cut`, :meth:`rows`) is a view on that image's
    buffer: its pixel (0, 0) is ``offset`` bytes in and its rows ``pitch`` bytes apart (0:
    rows back to back).
    """

    name: str
    path: str | None
    buffer: bytes
    width: int
    height: int
    bands: int
    deep: bool
    keys: list[int] = dataclasses.field(repr=False)
    ignored: pyvips.Image | None = dataclasses.field(default=None, repr=False)
    offset: int = 0
    pitch: int = 0

    @property
    def sample_bytes(self) -> int:
        return 2 if self.deep else 1

    @property
    def pixel_bytes(self) -> int:
        return self.bands * self.sample_bytes

    @property
    def stride(self) -> int:
        """Bytes from a row to the next."""
        return self.pitch or self.width * self.pixel_bytes

    def row(self, y: int, width: int | None = None) -> bytes:
        """The first ``width`` pixels of row ``y`` (default: all; at most all)."""
        start = self.offset + y * self.stride
        count = self.width if width is None else min(width, self.width)
        return self.buffer[start:start + count * self.pixel_bytes]

    @functools.cached_property
    def vips(self) -> pyvips.Image:
        """The pixels as a libvips image over :attr:`buffer` (no copy; a part of another
        image is a crop of the whole buffer seen as rows of :attr:`stride` bytes)."""
        size = self.pixel_bytes
        across, down = self.stride // size, len(self.buffer) // self.stride
        whole = wrap_memory(self.buffer, across, down, self.bands,
                            "ushort" if self.deep else "uchar",
                            _interpretation(self.bands >= 3, self.deep))
        if (across, down) == (self.width, self.height):
            return whole
        y, x = divmod(self.offset, self.stride)
        return whole.crop(x // size, y, self.width, self.height)

    @functools.cached_property
    def pixels(self) -> Any:
        """The pixels as a read-only numpy array ``(height, width, bands)`` (uint8/uint16)."""
        import numpy as np

        dtype = np.uint16 if self.deep else np.uint8
        view = np.ndarray((self.height, self.width, self.bands), dtype, buffer=self.buffer,
                          offset=self.offset,
                          strides=(self.stride, self.pixel_bytes, self.sample_bytes))
        view.flags.writeable = False  # the keys and every picture are made from these bytes
        return view

    @functools.cached_property
    def key_counts(self) -> collections.Counter[int]:
        """How many rows have each row key (the column stage and the slack rule read it)."""
        return collections.Counter(self.keys)

    @functools.cached_property
    def background(self) -> tuple[int, ...]:
        """Most common colour of the right-most column (a page's margin or scrollbar)."""
        view, size, stride = memoryview(self.buffer), self.pixel_bytes, self.stride
        at, end = self.offset + (self.width - 1) * size, self.offset + self.height * stride
        samples = [bytes(view[at + k:end:stride]) for k in range(size)]  # one per byte
        colour = bytes(collections.Counter(zip(*samples, strict=True)).most_common(1)[0][0])
        return tuple(memoryview(colour).cast("H") if self.deep else colour)

    @property
    def background_bytes(self) -> bytes:
        """:attr:`background` as one pixel's bytes (16-bit samples in native order)."""
        if self.deep:
            return b"".join(v.to_bytes(2, sys.byteorder) for v in self.background)
        return bytes(self.background)

    def cut(self, x0: int, x1: int, y0: int, y1: int) -> Decoded:
        """Columns ``x0:x1`` of rows ``y0:y1`` (pixels, half-open) as an image of their own,
        with its own row keys and ignored pixels, and this image's background: a view on
        this image's buffer, or a copy when it reaches past the image's width (those columns
        are the background, as :meth:`view` pads)."""
        right = max(x1, self.width)
        ignored = None if self.ignored is None else render_to_memory(self.ignored.embed(
            0, 0, right, self.height).crop(x0, y0, x1 - x0, y1 - y0))
        if x1 > self.width:
            pixels = self.view(right).crop(x0, y0, x1 - x0, y1 - y0).write_to_memory()
            return self._part(pixels, x1 - x0, y1 - y0, ignored)
        start = self.offset + y0 * self.stride + x0 * self.pixel_bytes
        return self._part(self.buffer, x1 - x0, y1 - y0, ignored, start=start)

    def rows(self, y0: int, y1: int) -> Decoded:
        """Rows ``y0:y1`` as an image of their own (a view; the row keys are this image's)."""
        ignored = None if self.ignored is None else \
            render_to_memory(self.ignored.crop(0, y0, self.width, y1 - y0))
        return self._part(self.buffer, self.width, y1 - y0, ignored, self.keys[y0:y1],
                          start=self.offset + y0 * self.stride)

    def _part(self, buffer: Any, width: int, height: int, ignored: pyvips.Image | None,
              keys: list[int] | None = None, *, start: int | None = None) -> Decoded:
        """A part of this image: its pixels (a copy in ``buffer``, or with ``start``, the
        rows of this image's buffer from byte ``start`` on), its row keys (made here when
        not given), and this image's background colour (the part's own edge may be
        anything)."""
        view = {} if start is None else {"offset": start, "pitch": self.stride}
        part = Decoded(self.name, self.path, buffer, width, height, self.bands, self.deep,
                       keys or [], ignored, **view)
        if keys is None:
            part = dataclasses.replace(part, keys=_keys(part, width))
        part.__dict__["background"] = self.background  # the cached_property's slot
        return part

    def view(self, width: int) -> pyvips.Image:
        """The image cropped or padded (with :attr:`background`) to ``width`` columns."""
        if width == self.width:
            return self.vips
        if width < self.width:
            return self.vips.crop(0, 0, width, self.height)
        return self.vips.embed(0, 0, width, self.height, extend="background",
                               background=list(self.background))

    def is_background_row(self, y: int, width: int) -> bool:
        """True when row ``y``, over ``width`` columns (padded as :meth:`view`), is one colour."""
        size = self.pixel_bytes
        row = self.row(y, width)
        first = row[:size]
        if row != first * (len(row) // size):
            return False
        return width <= self.width or tuple(memoryview(first).cast("H") if self.deep
                                            else first) == self.background


def _interpretation(colour: bool, deep: bool) -> str:
    if colour:
        return "rgb16" if deep else "srgb"
    return "grey16" if deep else "b-w"


def _is_grey(image: pyvips.Image) -> bool:
    return image.interpretation in _GREY or image.bands in (1, 2)


def _has_alpha(image: pyvips.Image) -> bool:
    return image.hasalpha() or image.bands in (2, 4)


def _is_deep(image: pyvips.Image) -> bool:
    return image.format != "uchar"


def normalise(image: pyvips.Image, *, colour: bool, alpha: bool, deep: bool) -> pyvips.Image:
    """Convert ``image`` to grey/RGB, with/without alpha, 8/16-bit (a lazy libvips pipeline)."""
    if image.interpretation not in _STANDARD or image.format not in ("uchar", "ushort"):
        image = image.colourspace(_interpretation(colour, deep))
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
    return base.copy(interpretation=_interpretation(colour, deep))


def _keys(decoded: Decoded, width: int) -> list[int]:
    """Row keys over ``width`` columns (padded if wider), ignored pixels blanked."""
    if decoded.ignored is None and width <= decoded.width:
        return row_keys(memoryview(decoded.buffer), decoded.height,
                        width * decoded.pixel_bytes, decoded.stride, decoded.offset)
    view = decoded.view(width)
    if decoded.ignored is not None:
        mask = decoded.ignored.embed(0, 0, width, decoded.height)
        view = mask.ifthenelse(0, view)
    return row_keys(memoryview(view.write_to_memory()), decoded.height)


class PendingPair:
    """Two images decoding on their own threads; :meth:`result` waits for both.
    ``compared_width`` is the number of columns their keys cover (pixels)."""

    def __init__(self, threads: list[threading.Thread], results: list[Any],
                 compared_width: int) -> None:
        self._threads, self._results = threads, results
        self.compared_width = compared_width

    def result(self) -> tuple[Decoded, Decoded]:
        for thread in self._threads:
            thread.join()
        for result in self._results:
            if isinstance(result, BaseException):
                raise result
        return self._results[0], self._results[1]


def start_pair(a: Any, b: Any, *, max_pixels: int | None = DEFAULT_MAX_PIXELS,
               pad_compare: bool = False, ignore: Ignore | None = None,
               threads: int = 2) -> PendingPair:
    """Open ``a`` and ``b`` (paths, arrays or images), then decode, normalise and key each on
    a thread of its own; returns at once (errors found in the headers are raised here).
    ``threads=1`` decodes both on one thread instead (when other processes use the cores).

    Each thread hashes its image's rows (:func:`keys.row_keys`) over the compared columns:
    the common width, or with ``pad_compare`` the wider width (the narrower image padded with
    its background colour), with the pixels ``ignore`` names blanked. libvips releases the GIL
    while it decodes, so one image's hashing overlaps the other's decoding, and the caller can
    import or prepare what it needs meanwhile.
    """
    images = [open_image(source, max_pixels=max_pixels) for source in (a, b)]
    colour = not all(_is_grey(im) for im in images)
    alpha = any(_has_alpha(im) for im in images)
    deep = any(_is_deep(im) for im in images)
    names = [source_name(a), source_name(b)]
    normalised = [normalise(im, colour=colour, alpha=alpha, deep=deep) for im in images]
    widths = [im.width for im in normalised]
    compared = max(widths) if pad_compare else min(widths)
    results: list[Any] = [None, None]

    def decode(i: int) -> None:
        try:
            image = normalised[i]
            source = (a, b)[i]
            path = names[i] if isinstance(source, str | os.PathLike) else None
            buffer = materialize(image, names[i])
            decoded = Decoded(names[i], path, buffer, image.width, image.height, image.bands,
                              deep, [])
            if ignore:
                decoded = dataclasses.replace(
                    decoded, ignored=ignore.mask_for("ab"[i], decoded.vips, deep))
            results[i] = dataclasses.replace(decoded, keys=_keys(decoded, compared))
        except BaseException as error:  # re-raised by PendingPair.result
            results[i] = error

    if threads == 1:
        def both() -> None:
            decode(0)
            decode(1)

        workers = [threading.Thread(target=both, daemon=True)]
    else:
        workers = [threading.Thread(target=decode, args=(i,), daemon=True) for i in (0, 1)]
    for worker in workers:
        worker.start()
    return PendingPair(workers, results, compared)


def load_pair(a: Any, b: Any, *, max_pixels: int | None = DEFAULT_MAX_PIXELS,
              pad_compare: bool = False, ignore: Ignore | None = None, threads: int = 2
              ) -> tuple[Decoded, Decoded]:
    """:func:`start_pair`, then wait for both images."""
    return start_pair(a, b, max_pixels=max_pixels, pad_compare=pad_compare, ignore=ignore,
                      threads=threads).result()
