"""The morphology commands on small images, without numpy (the small-file path).

On a small image a command's whole run is start-up, and importing numpy alone takes longer
than everything else (about 130 ms of 200 ms on a 2-core machine). These functions decode the
image with libvips (``write_to_memory``), run the same compiled kernels on its bytes through
typed memoryviews, and write the result with libvips: numpy is never imported. The output
files, the reports and the errors are those of the numpy path (:mod:`.files`,
:mod:`.skeleton`): the same checks in the same order, the same kernels, the same writer.

Each function returns ``None`` when the input is not one it takes, and the caller then runs
the numpy path, which redoes the (cheap) checks and does the work, or raises the error about
the pixels (a non-binary image, a transparent pixel, a colour image). What is taken:

=========================  ============================================================
input                      small-file path
=========================  ============================================================
source                     a path (or a :class:`~rasterkit.io.Page` of one, ``--page``);
                           arrays and ``pyvips.Image``: numpy path
size                       at most :data:`SMALL_PIXELS` pixels; larger: numpy path
pixel type                 8-bit unsigned (area-open / area-close: 8- and 16-bit
                           unsigned); others (signed, 32-bit, float): numpy path
bands                      one, or grey saved with colour bands and an opaque alpha (the
                           rules of :mod:`rasterkit.binary_inputs`); a colour or
                           transparent image: numpy path (which refuses it)
=========================  ============================================================

Options of the commands (every one works on the small-file path except those named):

* ``remove-small``: ``--min-area``, ``--max-area``, ``--connectivity``, ``--holes``,
  ``--threshold``, ``--json``, ``--max-pixels``, ``--page`` work; ``--strip-rows`` and a
  ``--max-memory`` too small to hold the image go to the numpy path (strips).
* ``area-open`` / ``area-close``: every option works.
* ``skeletonize``: ``--method``, ``--threshold T``, ``--max-iterations``, ``--json``,
  ``--max-pixels``, ``--page`` work; ``--threshold otsu`` goes to the numpy path.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, NamedTuple

from ..io import (
    DEFAULT_MAX_PIXELS,
    check_output,
    interpretation_for,
    materialize,
    save_image,
    source_name,
    wrap_memory,
)
from ..thresholds import check_threshold
from .arguments import (
    DEFAULT_MAX_MEMORY,
    check_areas,
    check_connectivity,
    check_max_iterations,
    check_method,
    check_strip_rows,
    fits_in_memory,
)
from .formats import InputShape, check_format, input_shape
from .methods import DEFAULT_METHOD, deletion_rules, framed_width
from .result import AreaFilterResult, FileReport, SkeletonFileReport, SkeletonResult

#: Largest image (pixels) taken. Below the numpy path's threading threshold
#: (:data:`rasterkit.threads.PARALLEL_MIN_PIXELS`, also 1 Mpx) both paths run the kernels in
#: one thread, so this path does the same work minus numpy's import. Measured whole processes
#: (2 cores):
#: at 1 Mpx each command is about 120 ms faster here; at 4 Mpx remove-small and skeletonize
#: still gain 70 ms, but area-open loses 160 ms (the numpy path floods in two threads).
SMALL_PIXELS = 1 << 20
#: numpy's names of the sample types taken -> their memoryview format.
_TYPECODES = {"uint8": "B", "uint16": "H"}
#: memoryview format -> the kernels' specialisation for it. Calling a fused kernel without
#: naming one makes Cython's dispatcher import numpy (to test for its arrays).
_KEY_TYPES = {"B": "uint8_t", "H": "uint16_t"}
#: Byte tables for ``bytes.translate``: every bit flipped (``~x`` of 8- and 16-bit samples),
#: and nonzero -> 255 (a 0/1 mask back to a thresholded image's 0 / maximum).
_COMPLEMENT = bytes(255 - v for v in range(256))
_WHITE = bytes([0] + [255] * 255)
#: Nonzero -> 1 (the 0/1 mask the thinning kernel takes).
_ONES = bytes([0] + [1] * 255)


class SmallImage(NamedTuple):
    """A decoded single-band image: ``samples`` row-major (``typecode`` ``B`` or ``H``,
    machine byte order), its size, numpy's name of its type and libvips' format."""

    name: str
    samples: bytes
    height: int
    width: int
    dtype: str
    fmt: str

    @property
    def typecode(self) -> str:
        return _TYPECODES[self.dtype]

    @property
    def itemsize(self) -> int:
        return 1 if self.typecode == "B" else 2


def remove_small_file(source: Any, output: str | os.PathLike[str], min_area: int, *,
                      max_area: int | None = None, connectivity: int = 8, holes: bool = False,
                      threshold: float | None = None,
                      max_pixels: int | None = DEFAULT_MAX_PIXELS,
                      max_memory: int | None = None,
                      strip_rows: int | None = None) -> FileReport | None:
    """:func:`rasterkit.morphology.files.remove_small_file` on a small 8-bit image file, or
    ``None`` (nothing written) when the numpy path must do it (module notes).
    ``max_memory=None`` is :data:`~.arguments.DEFAULT_MAX_MEMORY`."""
    if not _is_path(source):
        return None
    min_area, max_area = check_areas(min_area, max_area)
    connectivity = check_connectivity(connectivity)
    threshold = check_threshold(threshold)
    strip_rows = check_strip_rows(strip_rows)
    prepared = _prepare(source, output, max_pixels, ("uint8",))
    if prepared is None:
        return None
    out, shape, options = prepared
    if not fits_in_memory(shape.nbytes, max_memory or DEFAULT_MAX_MEMORY, strip_rows):
        return None
    image = _decode(source, shape)
    if image is None:
        return None
    pixels = image.samples if threshold is None else image.samples.translate(_above(threshold))
    objects = _filter_components(pixels, image, connectivity, min_area, max_area, holes=False)
    if objects is None:  # two nonzero values: the numpy path says which
        return None
    pixels, (removed, kept, changed) = objects
    steps = [AreaFilterResult(None, "objects", min_area, max_area, connectivity, removed, kept,
                              changed)]
    if threshold is not None:
        pixels = pixels.translate(_WHITE)
    if holes:  # on the filtered image, as fill_small_holes(objects.image) does
        hole_connectivity = 12 - connectivity
        filled = _filter_components(pixels, image, hole_connectivity, min_area, None,
                                    holes=True)
        assert filled is not None  # the image is binary now
        pixels, (filled_holes, kept, changed) = filled
        steps.append(AreaFilterResult(None, "holes", min_area, None, hole_connectivity,
                                      filled_holes, kept, changed))
    _save(pixels, image, out, source, options)
    return FileReport("remove-small", image.name, os.fspath(output), image.width, image.height,
                      image.dtype, threshold, 1, tuple(steps))


def area_filter_file(source: Any, output: str | os.PathLike[str], min_area: int, *,
                     closing: bool = False, connectivity: int = 8,
                     max_pixels: int | None = DEFAULT_MAX_PIXELS) -> FileReport | None:
    """:func:`rasterkit.morphology.files.area_filter_file` on a small 8- or 16-bit image file,
    or ``None`` (nothing written) when the numpy path must do it (module notes)."""
    if not _is_path(source):
        return None
    min_area, _ = check_areas(min_area, None)
    connectivity = check_connectivity(connectivity)
    prepared = _prepare(source, output, max_pixels, ("uint8", "uint16"))
    if prepared is None:
        return None
    out, shape, options = prepared
    image = _decode(source, shape)
    if image is None:
        return None
    # the closing is the opening of the inverted image, inverted back (area.area_closing)
    keys = image.samples.translate(_COMPLEMENT) if closing else image.samples
    pixels, removed, kept, changed = _area_open(keys, image, min_area, connectivity)
    if closing:
        pixels = pixels.translate(_COMPLEMENT)
    result = AreaFilterResult(None, "pits" if closing else "peaks", min_area, None,
                              connectivity, removed, kept, changed)
    _save(pixels, image, out, source, options)
    return FileReport("area-close" if closing else "area-open", image.name, os.fspath(output),
                      image.width, image.height, image.dtype, None, 1, (result,))


def skeletonize_file(source: Any, output: str | os.PathLike[str], *,
                     method: str = DEFAULT_METHOD, threshold: float | str | None = None,
                     max_iterations: int | None = None,
                     max_pixels: int | None = DEFAULT_MAX_PIXELS) -> SkeletonFileReport | None:
    """:func:`rasterkit.morphology.skeleton.skeletonize_file` on a small 8-bit image file, or
    ``None`` (nothing written) when the numpy path must do it (module notes)."""
    from .._kernels._thinning import thin

    if not _is_path(source) or isinstance(threshold, str):  # "otsu": numpy path
        return None
    method = check_method(method)
    prepared = _prepare(source, output, max_pixels, ("uint8",))
    if prepared is None:
        return None
    out, shape, options = prepared
    max_iterations = check_max_iterations(max_iterations)
    image = _decode(source, shape)
    if image is None:
        return None
    threshold = check_threshold(threshold)
    if threshold is None:
        foreground = image.samples.translate(None, b"\0")  # the nonzero samples
        value = foreground[0] if foreground else 0
        if foreground.count(value) != len(foreground):  # not binary: the numpy path says so
            return None
        mask = image.samples.translate(_ONES)
    else:
        mask = image.samples.translate(_above(threshold))
        value = 255
    width, height = image.width, image.height
    row = framed_width(width)
    framed = _framed(mask, width, height, row, 1)
    tables = memoryview(deletion_rules(method)).cast("B", (2, 256))
    limit = -1 if max_iterations is None else int(max_iterations)
    iterations, _ = thin(framed, row, tables, limit)
    skeleton = _unframed(framed, width, height, row)
    result = SkeletonResult(None, method, threshold, int(iterations),
                            len(mask) - mask.count(0), len(skeleton) - skeleton.count(0))
    _save(skeleton.translate(_ones_to(value)), image, out, source, options)
    return SkeletonFileReport(image.name, os.fspath(output), width, height, image.dtype, result)


def _ones_to(value: int) -> bytes:
    """The table mapping 1 to ``value`` (and 0 to 0)."""
    return bytes([0, value]) + bytes(254)


def _above(threshold: float) -> bytes:
    """The table of 8-bit samples to the 0/1 mask ``value > threshold``."""
    return bytes(int(v > threshold) for v in range(256))


def _is_path(source: Any) -> bool:
    return isinstance(source, str | os.PathLike)


def _prepare(source: Any, output: str | os.PathLike[str], max_pixels: int | None,
             dtypes: tuple[str, ...]) -> tuple[Path, InputShape, dict[str, Any]] | None:
    """The numpy path's checks, in its order (output, header, format); then ``None`` unless
    the image is small and of one of ``dtypes``."""
    out = check_output(output, [source])
    shape = input_shape(source, max_pixels)
    options = check_format(out, shape.dtype)
    if shape.pixels > SMALL_PIXELS or shape.dtype not in dtypes:
        return None
    return out, shape, options


def _decode(source: Any, shape: InputShape) -> SmallImage | None:
    """Decode the opened image into a :class:`SmallImage` (one band, as
    :func:`rasterkit.binary_inputs.single_band` makes it), or ``None`` when the bands break
    its rules."""
    name = source_name(source)
    assert shape.image is not None
    samples = _single_band(materialize(shape.image, name), shape.bands,
                           _TYPECODES[shape.dtype])  # bytes, or None
    if samples is None:
        return None
    return SmallImage(name, samples, shape.height, shape.width, shape.dtype, shape.image.format)


def _single_band(data: Any, bands: int, typecode: str) -> bytes | None:
    """The grey band of the buffer ``data`` (``bands`` interleaved) as bytes: a 2- or 4-band
    image's last band is alpha and must be opaque (every bit set), and the colour bands must
    be equal."""
    if bands == 1:
        return bytes(data)
    samples = memoryview(data).cast("B").cast(typecode)
    colours = bands - 1 if bands in (2, 4) else bands
    if colours < bands and samples[bands - 1::bands].tobytes().strip(b"\xff"):
        return None
    grey = samples[0::bands].tobytes()
    if any(samples[band::bands].tobytes() != grey for band in range(1, colours)):
        return None
    return grey


def _filter_components(pixels: bytes, image: SmallImage, connectivity: int, min_area: int,
                       max_area: int | None, *, holes: bool
                       ) -> tuple[bytes, tuple[int, int, int]] | None:
    """Remove the small objects (or, with ``holes``, fill the small holes) of the 8-bit
    kernel ``pixels``, as :func:`.small_objects.filter_runs` does in one band; returns the
    new pixels and (changed, unchanged, changed pixels), or ``None`` when the pixels hold two
    nonzero values."""
    from .._kernels._components import apply_rows, decide, label_block
    from .._kernels.runs import word_view

    width, height = image.width, image.height
    reach = 1 if connectivity == 8 else 0
    row_ptr, starts, ends, parent, fg, bad = label_block(pixels, word_view(pixels), width, 0,
                                                         height, 0, reach, holes)
    if bad:
        return None
    change, counts = decide(parent, starts, ends, row_ptr, width, min_area,
                            -1 if max_area is None else max_area, holes)
    out = bytearray(len(pixels))
    apply_rows(pixels, out, width, 0, height, row_ptr, starts, ends, change, fg if holes else 0)
    return bytes(out), (int(counts[0]), int(counts[1]), int(counts[2]))


def _area_open(keys: bytes, image: SmallImage, min_area: int,
               connectivity: int) -> tuple[bytes, int, int, int]:
    """Area opening of 8- or 16-bit ``keys``, as :func:`.area.open_array` does in one band:
    ``(opened, peaks removed, peaks kept, pixels changed)``."""
    from .._kernels._max_tree import area_open_nodes, gather, max_tree_flood

    width, height, typecode = image.width, image.height, image.typecode
    key_type = _KEY_TYPES[typecode]
    framed = memoryview(_framed(keys, width, height, width + 2, image.itemsize)).cast(typecode)
    state, level, area, parent, count = max_tree_flood[key_type](
        framed, width + 2, 1 << (8 * image.itemsize), connectivity == 8)
    value, removed, kept = area_open_nodes(level, parent, area, count, min_area)
    out = bytearray(len(keys))
    changed = gather[key_type](framed, state, width + 2, value, 0,
                               memoryview(out).cast(typecode, (height, width)), 0)
    return bytes(out), int(removed), int(kept), int(changed)


def _framed(samples: bytes, width: int, height: int, row: int, itemsize: int) -> bytearray:
    """``samples`` (``height`` rows of ``width``) inside a zero frame: rows of ``row`` samples,
    the image from row 1 and column 1."""
    framed = bytearray((height + 2) * row * itemsize)
    line = width * itemsize
    source = memoryview(samples)
    for y in range(height):
        start = ((y + 1) * row + 1) * itemsize
        framed[start:start + line] = source[y * line:(y + 1) * line]
    return framed


def _unframed(framed: bytearray, width: int, height: int, row: int) -> bytes:
    """The inverse of :func:`_framed` for one-byte samples."""
    view = memoryview(framed)
    return b"".join(view[(y + 1) * row + 1:(y + 1) * row + 1 + width] for y in range(height))


def _save(pixels: bytes, image: SmallImage, out: Path, source: Any,
          options: dict[str, Any]) -> None:
    """Write single-band ``pixels`` of ``image``'s type as the numpy path does
    (:func:`rasterkit.io.array_to_vips` then :func:`rasterkit.io.save_image`)."""
    vimage = wrap_memory(pixels, image.width, image.height, 1, image.fmt,
                         interpretation_for(1, image.fmt))
    save_image(vimage, out, inputs=[source], **options)
