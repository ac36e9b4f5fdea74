"""File to file, as the command line does it: check the output first, load (or stream in
strips), filter, write atomically, report.

Outputs keep the input's pixel type and values, in a lossless format that holds it (see
:mod:`.formats`, checked before any work). The command line first tries the small-file path
(:mod:`.small_files`, the same results without numpy), which hands back to these functions
whatever it does not take.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any

import numpy as np

from ..io import DEFAULT_MAX_PIXELS, atomic_output, check_output, save_image, source_name
from ..thresholds import check_threshold
from .arguments import (
    DEFAULT_MAX_MEMORY,
    check_areas,
    check_connectivity,
    check_strip_rows,
    fits_in_memory,
)
from .formats import (  # noqa: F401  (OUTPUT_FORMATS, InputShape: re-exported, first defined here)
    OUTPUT_FORMATS,
    InputShape,
    check_format,
    input_shape,
)
from .result import AreaFilterResult, FileReport
from .strips import (
    StripFilter,
    StripSource,
    array_source,
    file_source,
    filter_in_strips,
)


def remove_small_file(source: Any, output: str | os.PathLike[str], min_area: int, *,
                      max_area: int | None = None, connectivity: int = 8, holes: bool = False,
                      threshold: float | None = None,
                      max_pixels: int | None = DEFAULT_MAX_PIXELS,
                      max_memory: int = DEFAULT_MAX_MEMORY, strip_rows: int | None = None,
                      progress: bool = False) -> FileReport:
    """Remove small objects of a binary image file (and fill small holes) into ``output``.

    What ``rasterkit remove-small`` does. Parameters as for
    :func:`~rasterkit.morphology.remove_small_objects` and
    :func:`~rasterkit.morphology.fill_small_holes`; with ``holes=True`` the holes are filled
    after the small objects are removed, with the same ``min_area``.

    Parameters
    ----------
    source : path, numpy array or pyvips.Image
        The binary image (see :mod:`rasterkit.binary_inputs`).
    output : path
        Where to write the result (table above for the formats). It is written to a
        temporary file renamed into place, and never over the input.
    max_memory : int, bytes
        When holding the image in memory would take more than this (about 3 bytes per input
        byte), it is streamed in horizontal strips: read 2 times (3 with ``holes``),
        sequentially, in bounded memory. The result is the same.
    strip_rows : int or None
        Force strips of this many rows (tests, or to bound memory exactly).
    progress : bool
        Show a progress bar on stderr (only if it is a terminal).

    Returns
    -------
    FileReport
        The files, size, dtype, number of strips (1: in memory) and each filter's counts;
        ``to_dict()`` is the JSON of ``rasterkit remove-small --json``.
    """
    min_area, max_area = check_areas(min_area, max_area)
    connectivity = check_connectivity(connectivity)
    threshold = check_threshold(threshold)
    strip_rows = check_strip_rows(strip_rows)
    out = check_output(output, [source])
    shape = input_shape(source, max_pixels)
    options = check_format(out, shape.dtype)
    name = source_name(source)
    if fits_in_memory(shape.nbytes, max_memory, strip_rows):
        steps = _in_memory(source, out, options, min_area, max_area, connectivity, holes,
                           threshold, max_pixels)
        strips = 1
    else:
        if isinstance(source, np.ndarray):
            rows = strip_rows or max(1, max_memory // (8 * shape.nbytes // shape.height))
            strip_source = array_source(source, min(rows, shape.height), name)
        else:
            strip_source = file_source(source, strip_rows, max_memory, max_pixels)
        run = _streamed(strip_source, out, options, min_area, max_area, connectivity, holes,
                        threshold, progress)
        steps, strips = run.steps, strip_source.strips
    return FileReport("remove-small", name, os.fspath(output), shape.width, shape.height,
                      shape.dtype, threshold, strips, steps)


def area_filter_file(source: Any, output: str | os.PathLike[str], min_area: int, *,
                     closing: bool = False, connectivity: int = 8,
                     max_pixels: int | None = DEFAULT_MAX_PIXELS) -> FileReport:
    """Greyscale area opening (or ``closing``) of an image file into ``output``.

    What ``rasterkit area-open`` / ``area-close`` do; parameters as for
    :func:`~rasterkit.morphology.area_opening`.
    """
    from .area import area_closing, area_opening

    min_area, _ = check_areas(min_area, None)
    connectivity = check_connectivity(connectivity)
    out = check_output(output, [source])
    shape = input_shape(source, max_pixels)
    options = check_format(out, shape.dtype)
    filter_ = area_closing if closing else area_opening
    result = filter_(source, min_area, connectivity=connectivity, max_pixels=max_pixels)
    save_exact(result.image, out, source, options)
    return FileReport("area-close" if closing else "area-open", source_name(source),
                      os.fspath(output), shape.width, shape.height, shape.dtype, None, 1,
                      (without_image(result),))


def save_exact(image: np.ndarray, out: Path, source: Any, options: dict[str, Any]) -> None:
    """Save a single-band array keeping its pixel type (16-bit stays 16-bit in a PNG)."""
    save_image(image, out, inputs=[source], **options)


def without_image(result: AreaFilterResult) -> AreaFilterResult:
    """The counts of ``result`` without its image (what a file report keeps)."""
    return dataclasses.replace(result, image=None)


def _in_memory(source: Any, out: Path, options: dict[str, Any], min_area: int,
               max_area: int | None, connectivity: int, holes: bool, threshold: float | None,
               max_pixels: int | None) -> tuple[AreaFilterResult, ...]:
    from .small_objects import fill_small_holes, remove_small_objects

    objects = remove_small_objects(source, min_area, max_area=max_area,
                                   connectivity=connectivity, threshold=threshold,
                                   max_pixels=max_pixels)
    steps = [without_image(objects)]
    image = objects.image
    if holes:
        filled = fill_small_holes(image, min_area, connectivity=connectivity, max_pixels=None)
        steps.append(without_image(filled))
        image = filled.image
    save_exact(image, out, source, options)
    return tuple(steps)


def _streamed(source: StripSource, out: Path, options: dict[str, Any], min_area: int,
              max_area: int | None, connectivity: int, holes: bool, threshold: float | None,
              progress: bool) -> StripFilter:
    from ..progress import Progress

    passes = 2 + bool(holes)
    with Progress(source.strips * passes, label="remove-small", enabled=progress) as bar:
        run = filter_in_strips(source, min_area, max_area=max_area, connectivity=connectivity,
                               holes=holes, threshold=threshold, on_strip=bar.advance)
        stream, image = _output_image(run)
        with atomic_output(out) as tmp:
            stream.write_to_file(image, tmp, name=os.fspath(out), **options)
    return run


def _output_image(run: StripFilter) -> tuple[Any, Any]:
    """The streamed output as ``(StreamedImage, pyvips.Image in the input's pixel format)``.

    8- and 16-bit strips go to libvips as they are; bool as 0/255; any other type (two
    values only) as a 0/255 mask that libvips maps back to (0, foreground).
    """
    from pyvips.vimage import TYPESTR_TO_FORMAT

    from .png_stream import StreamedImage

    source = run.source
    dtype = source.dtype
    if dtype in (np.uint8, np.uint16):
        stream = StreamedImage(source.width, source.height, dtype, run.output_strips())
        return stream, stream.image
    masks = ((strip != 0).view(np.uint8) * np.uint8(255) for strip in run.output_strips())
    stream = StreamedImage(source.width, source.height, np.uint8, masks)
    if dtype.kind == "b":
        return stream, stream.image
    white = float(run.foreground)
    return stream, stream.image.ifthenelse(white, 0).cast(TYPESTR_TO_FORMAT[dtype.str])
