"""Remove small objects / fill small holes of a binary image too large for memory, in strips.

The image is read top to bottom in horizontal strips, several times (libvips decodes it
sequentially each time, holding only the strip): one labelling pass per filter, then a final
pass that applies the decisions and hands the output strips to a writer. Objects crossing
strip borders are handled exactly; see :mod:`rasterkit._kernels._stream` for the algorithm.

========  =====================================================================
pass      work
========  =====================================================================
1         label the objects; their areas are known at the end, decisions made
2         (``holes`` only) remove the small objects, label the holes left
last      remove the small objects, fill the small holes, yield the output strip
========  =====================================================================
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from ..binary_inputs import Binariser, single_band
from ..errors import BadInputError
from ..io import DEFAULT_MAX_PIXELS, corrupt_pixels, open_image, source_name
from .arguments import DEFAULT_MAX_MEMORY  # noqa: F401  (re-exported: first defined here)
from .result import AreaFilterResult

#: Rows and bytes per libvips fetch while reading a strip.
_FETCH_ROWS = 64
_FETCH_BYTES = 4 * 1024**2


@dataclasses.dataclass(frozen=True)
class StripSource:
    """A single-band image that can be read top to bottom in strips, as often as needed.

    ``read()`` starts a new pass and yields ``(rows, width)`` arrays of ``strip_rows`` rows
    (the last may be shorter).
    """

    name: str
    height: int
    width: int
    dtype: np.dtype
    strip_rows: int
    read: Callable[[], Iterator[np.ndarray]]

    @property
    def strips(self) -> int:
        return -(-self.height // self.strip_rows)


def array_source(array: np.ndarray, strip_rows: int, name: str = "<array>") -> StripSource:
    """Strips of an in-memory array (tests, and arrays given to the file functions)."""
    array = np.asarray(array)
    if array.ndim == 3:
        array = single_band(array, name)
    height, width = array.shape

    def read() -> Iterator[np.ndarray]:
        for y in range(0, height, strip_rows):
            yield array[y:y + strip_rows]

    return StripSource(name, height, width, array.dtype, strip_rows, read)


def file_source(source: Any, strip_rows: int | None, max_memory: int,
                max_pixels: int | None = DEFAULT_MAX_PIXELS) -> StripSource:
    """Strips of an image file decoded sequentially by libvips, ``strip_rows`` at a time.

    Without ``strip_rows``, strips are as tall as ``max_memory`` allows (an eighth of it per
    strip, for the copies each pass makes).
    """
    import pyvips
    from pyvips.vimage import FORMAT_TO_TYPESTR

    name = source_name(source)
    header = open_image(source, max_pixels=max_pixels)
    if header.format not in FORMAT_TO_TYPESTR or "complex" in header.format:
        raise BadInputError(f"{name}: pixel format {header.format} is not supported")
    dtype = np.dtype(FORMAT_TO_TYPESTR[header.format])
    row_bytes = header.width * header.bands * dtype.itemsize
    rows = strip_rows or max(1, max_memory // (8 * row_bytes))
    rows = min(rows, header.height)

    # libvips holds far more than the pixels of one large fetch: fetch a few rows at a time.
    chunk = max(1, min(_FETCH_ROWS, _FETCH_BYTES // row_bytes))

    def read() -> Iterator[np.ndarray]:
        image = open_image(source, max_pixels=max_pixels)
        region = pyvips.Region.new(image)
        for y in range(0, image.height, rows):
            height = min(rows, image.height - y)
            strip = np.empty((height, image.width, image.bands), dtype)
            for k in range(0, height, chunk):
                count = min(chunk, height - k)
                try:
                    data = region.fetch(0, y + k, image.width, count)
                except pyvips.Error:
                    raise corrupt_pixels(name) from None
                strip[k:k + count] = np.frombuffer(data, dtype).reshape(strip[k:k + count].shape)
            yield single_band(strip, name)

    return StripSource(name, header.height, header.width, dtype, rows, read)


class _Labeller:
    """Pass 1 of one filter, fed strip by strip."""

    def __init__(self, source: StripSource, binariser: Binariser, connectivity: int,
                 holes: bool, min_area: int, max_area: int | None, fg: Any) -> None:
        from .._kernels._stream import new_frontier

        self.source = source
        self.binariser = binariser
        self.reach = 1 if connectivity == 8 else 0
        self.holes = holes
        self.min_area = min_area
        self.max_area = -1 if max_area is None else max_area
        self.state = new_frontier(source.width)
        self.fg = fg
        self.rows_done = 0

    def feed(self, pixels: np.ndarray, original: np.ndarray) -> None:
        from .._kernels._stream import label_strip
        from .._kernels.runs import word_view

        flat = pixels.reshape(-1)
        last = self.rows_done + pixels.shape[0] == self.source.height
        fg = flat.dtype.type(self.fg)
        state = self.state
        link, fg, bad = label_strip(
            flat, word_view(flat), self.source.width, pixels.shape[0], fg, self.reach,
            self.holes, last, self.min_area, self.max_area, state["counters"],
            state["prev_starts"], state["prev_ends"], state["prev_comp"], state["open_label"],
            state["open_area"], state["open_border"], state["link"])
        state["link"] = link
        if bad:
            raise self.binariser.not_binary(original, self.rows(original), seen=self.fg)
        self.fg = fg
        self.rows_done += pixels.shape[0]

    def rows(self, strip: np.ndarray) -> str:
        """The rows of the next strip, for messages: ``'1024:2048'``."""
        return f"{self.rows_done}:{self.rows_done + strip.shape[0]}"

    def finish(self) -> tuple[np.ndarray, int, int, int]:
        """Resolve the labels: ``(link, changed, unchanged, changed pixels)``."""
        from .._kernels._stream import CHANGED, NEXT_LABEL, PIXELS, UNCHANGED, resolve_links

        counters = self.state["counters"]
        link = self.state["link"]
        resolve_links(link, counters[NEXT_LABEL])
        return link, int(counters[CHANGED]), int(counters[UNCHANGED]), int(counters[PIXELS])


class _Applier:
    """Pass 2 of one filter: copies strips with the changing runs overwritten."""

    def __init__(self, width: int, link: np.ndarray, connectivity: int, holes: bool) -> None:
        from .._kernels._stream import COUNTERS

        self.width = width
        self.link = link
        self.reach = 1 if connectivity == 8 else 0
        self.holes = holes
        per_row = width // 2 + 2
        self.counters = np.zeros(COUNTERS, np.int64)
        self.prev = (np.empty(per_row, np.int32), np.empty(per_row, np.int32),
                     np.empty(per_row, np.uint8))

    def __call__(self, pixels: np.ndarray, value: Any) -> np.ndarray:
        from .._kernels._stream import apply_strip
        from .._kernels.runs import word_view

        flat = pixels.reshape(-1)
        out = np.empty_like(flat)
        zero = flat.dtype.type(0)
        apply_strip(flat, word_view(flat), out, self.width, pixels.shape[0], zero, self.reach,
                    self.holes, flat.dtype.type(value), self.link, self.counters, *self.prev)
        return out.reshape(pixels.shape)


@dataclasses.dataclass
class StripFilter:
    """The outcome of the labelling passes: the counts, and the final pass to run.

    ``foreground`` is the value of the output's foreground pixels (0 if there are none).
    """

    source: StripSource
    steps: tuple[AreaFilterResult, ...]
    foreground: Any
    output_strips: Callable[[], Iterator[np.ndarray]]


def filter_in_strips(source: StripSource, min_area: int, *, max_area: int | None = None,
                     connectivity: int = 8, holes: bool = False, threshold: float | None = None,
                     on_strip: Callable[[], None] | None = None) -> StripFilter:
    """Run the labelling passes over ``source`` and return the counts and the final pass.

    Arguments are validated by the caller (see :func:`rasterkit.morphology.remove_small_file`).
    ``on_strip`` is called after every strip of every pass (progress). The final pass
    (``output_strips()``) yields strips in the input's dtype and value range.
    """
    binariser = Binariser(source.name, source.dtype, threshold)
    tick = on_strip or (lambda: None)
    hole_connectivity = 12 - connectivity

    objects = _Labeller(source, binariser, connectivity, False, min_area, max_area, 0)
    for strip in source.read():
        objects.feed(binariser.pixels(strip, objects.rows(strip)), strip)
        tick()
    link, removed, kept, pixels = objects.finish()
    fg = objects.fg
    steps = [AreaFilterResult(None, "objects", min_area, max_area, connectivity, removed, kept,
                              pixels)]
    hole_link = None
    if holes:
        remove = _Applier(source.width, link, connectivity, False)
        hole_labels = _Labeller(source, binariser, hole_connectivity, True, min_area, None, fg)
        for strip in source.read():
            hole_labels.feed(remove(binariser.pixels(strip), 0), strip)
            tick()
        hole_link, filled, left, set_pixels = hole_labels.finish()
        steps.append(AreaFilterResult(None, "holes", min_area, None, hole_connectivity, filled,
                                      left, set_pixels))

    def output_strips() -> Iterator[np.ndarray]:
        remove = _Applier(source.width, link, connectivity, False)
        fill = (_Applier(source.width, hole_link, hole_connectivity, True)
                if hole_link is not None else None)
        for strip in source.read():
            pixels = remove(binariser.pixels(strip), 0)
            if fill is not None:
                pixels = fill(pixels, fg)
            tick()
            yield binariser.restore(pixels)

    white = binariser.output_foreground(fg)
    return StripFilter(source, tuple(steps), white, output_strips)
