"""Remove small objects and fill small holes of a binary image held in memory.

Components are found on runs (horizontal stretches of one row), not pixels: the image is
scanned in horizontal blocks, one thread each, into runs joined by a union-find over run
indices; the blocks are then joined along their seams, each component's area is summed over
its runs, and the output is a copy of the input in which only the runs of the components
that change are overwritten. See :mod:`rasterkit._kernels._components`.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from .. import threads
from ..binary_inputs import Binariser, load_single_band
from ..io import DEFAULT_MAX_PIXELS, source_name
from ..thresholds import check_threshold
from .arguments import check_areas, check_connectivity
from .result import AreaFilterResult


@dataclasses.dataclass(frozen=True)
class BinaryImage:
    """A single-band image, the uint8 ``pixels`` the kernels scan, and the way back."""

    image: np.ndarray
    pixels: np.ndarray
    binariser: Binariser

    @property
    def name(self) -> str:
        return self.binariser.name


def binary_image(mask: Any, threshold: float | None = None,
                 max_pixels: int | None = DEFAULT_MAX_PIXELS) -> BinaryImage:
    """Load ``mask`` as a :class:`BinaryImage` (see :class:`~rasterkit.binary_inputs.Binariser`)."""
    image = load_single_band(mask, max_pixels)
    binariser = Binariser(source_name(mask), image.dtype, threshold)
    return BinaryImage(image, binariser.pixels(image), binariser)


@dataclasses.dataclass(frozen=True)
class Runs:
    """The runs of one polarity of a binary image, joined into components.

    Run ``i`` covers columns ``starts[i]:ends[i]`` of the row ``y`` with
    ``row_ptr[y] <= i < row_ptr[y + 1]``; ``parent`` is the union-find forest over runs.
    ``fg`` is the image's foreground value (0 if it has none).
    """

    row_ptr: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    parent: np.ndarray
    fg: Any


def label_runs(binary: BinaryImage, connectivity: int, background: bool) -> Runs:
    """Scan ``binary.pixels`` into runs of foreground (or zero) pixels joined into components.

    Raises the not-binary :class:`BadInputError` when the pixels hold two nonzero values.
    """
    from .._kernels._components import label_block, link_rows
    from .._kernels.runs import word_view

    pixels = binary.pixels
    height, width = pixels.shape
    flat = pixels.reshape(-1)
    words = word_view(flat)
    reach = 1 if connectivity == 8 else 0
    zero = flat.dtype.type(0)
    blocks = threads.bands(height, width)
    labelled = threads.in_threads([(label_block, (flat, words, width, y0, y1, zero, reach,
                                                  background)) for y0, y1 in blocks])
    found = {part[4] for part in labelled} - {zero}
    if any(part[5] for part in labelled) or len(found) > 1:
        raise binary.binariser.not_binary(binary.image)
    fg = found.pop() if found else zero
    parts = [[np.asarray(array) for array in part[:4]] for part in labelled]  # no copy
    if len(parts) == 1:
        row_ptr, starts, ends, parent = parts[0][:4]
        return Runs(row_ptr, starts, ends, parent, fg)
    offsets = np.cumsum([0] + [part[1].size for part in parts])
    row_ptr = np.concatenate([part[0][:-1] + off for part, off in zip(parts, offsets, strict=False)]
                             + [offsets[-1:]])
    starts = np.concatenate([part[1] for part in parts])
    ends = np.concatenate([part[2] for part in parts])
    parent = np.concatenate([part[3] + off for part, off in zip(parts, offsets, strict=False)])
    for _, seam in blocks[:-1]:  # the first row of the next block meets the row above it
        link_rows(parent, starts, ends, row_ptr[seam - 1], row_ptr[seam], row_ptr[seam],
                  row_ptr[seam + 1], reach)
    return Runs(row_ptr, starts, ends, parent, fg)


def filter_runs(binary: BinaryImage, runs: Runs, min_area: int, max_area: int | None,
                holes: bool, value: Any) -> tuple[np.ndarray, tuple[int, int, int]]:
    """Decide which components of ``runs`` change and write the output pixels.

    Returns the new pixels (same dtype as ``binary.pixels``) and (changed components,
    unchanged components, changed pixels).
    """
    from .._kernels._components import apply_rows, decide

    pixels = binary.pixels
    height, width = pixels.shape
    change, counts = decide(runs.parent, runs.starts, runs.ends, runs.row_ptr, width, min_area,
                            -1 if max_area is None else max_area, holes)
    flat = pixels.reshape(-1)
    out = np.empty_like(flat)
    fill = flat.dtype.type(value)
    threads.in_threads([(apply_rows, (flat, out, width, y0, y1, runs.row_ptr, runs.starts,
                                      runs.ends, change, fill))
                        for y0, y1 in threads.bands(height, width)])
    return out.reshape(pixels.shape), tuple(int(c) for c in counts)


def remove_small_objects(mask: Any, min_area: int, *, max_area: int | None = None,
                         connectivity: int = 8, threshold: float | None = None,
                         max_pixels: int | None = DEFAULT_MAX_PIXELS) -> AreaFilterResult:
    """Remove the connected objects of a binary image with fewer than ``min_area`` pixels.

    Parameters
    ----------
    mask : path, numpy array ``(H, W[, bands])`` or pyvips.Image
        A binary image: foreground is every nonzero pixel, and at most one nonzero value may
        occur (bool, 0/1, 0/255, 0/65535, 0.0/1.0). See :mod:`rasterkit.binary_inputs`
        for multi-band images.
    min_area : int, pixels
        Objects whose area (pixel count) is **less than** ``min_area`` are removed; objects
        of exactly ``min_area`` pixels are kept. ``min_area=1`` keeps everything.
    max_area : int or None, pixels
        If given, objects with **more than** ``max_area`` pixels are removed too, so only
        objects with ``min_area <= area <= max_area`` remain.
    connectivity : {4, 8}
        8: pixels touching by a corner belong to one object; 4: only by an edge.
    threshold : float or None
        Binarise a greyscale image first: foreground is ``value > threshold``; the output is
        then 0 / the format's maximum (255, 65535, 1.0).
    max_pixels : int or None
        Refuse larger images (decompression-bomb guard; ``None``: no limit).

    Returns
    -------
    AreaFilterResult
        ``image``: the input (single band) with the removed objects set to 0, same dtype and
        values; ``removed`` / ``kept``: object counts; ``changed_pixels``: pixels cleared.

    Raises
    ------
    rasterkit.errors.BadInputError
        Unreadable input, a non-binary image without ``threshold``, bad arguments.

    Example
    -------
    >>> import numpy as np
    >>> mask = np.zeros((5, 6), np.uint8)
    >>> mask[0, 0] = mask[2:5, 2:5] = 255
    >>> result = remove_small_objects(mask, min_area=2)
    >>> result.removed, result.kept, int(result.image[0, 0]), int(result.image[3, 3])
    (1, 1, 0, 255)
    """
    min_area, max_area = check_areas(min_area, max_area)
    connectivity = check_connectivity(connectivity)
    binary = binary_image(mask, check_threshold(threshold), max_pixels)
    runs = label_runs(binary, connectivity, background=False)
    pixels, (removed, kept, changed) = filter_runs(binary, runs, min_area, max_area, False, 0)
    return AreaFilterResult(binary.binariser.restore(pixels), "objects", min_area, max_area,
                            connectivity, removed, kept, changed)


def fill_small_holes(mask: Any, min_area: int, *, connectivity: int = 8,
                     threshold: float | None = None,
                     max_pixels: int | None = DEFAULT_MAX_PIXELS) -> AreaFilterResult:
    """Fill the holes of a binary image with fewer than ``min_area`` pixels.

    A *hole* is a connected component of zero pixels that touches no image border. Holes are
    connected with the complement of the objects' ``connectivity`` (8-connected objects have
    4-connected holes and vice versa), so that a hole never leaks through a diagonal gap of an
    object's outline.

    Parameters
    ----------
    mask : path, numpy array ``(H, W[, bands])`` or pyvips.Image
        A binary image, as for :func:`remove_small_objects`.
    min_area : int, pixels
        Holes whose area is **less than** ``min_area`` are filled with the foreground value;
        holes of ``min_area`` pixels or more are kept.
    connectivity : {4, 8}
        Connectivity of the **objects**; holes use the other one.
    threshold, max_pixels
        As for :func:`remove_small_objects`.

    Returns
    -------
    AreaFilterResult
        ``kind="holes"``, ``connectivity`` the holes' (4 for 8-connected objects);
        ``removed``: holes filled, ``kept``: holes left; ``changed_pixels``: pixels set.
        Zero regions touching a border are not holes and are not counted.

    Example
    -------
    >>> import numpy as np
    >>> ring = np.ones((5, 5), bool)
    >>> ring[2, 2] = False
    >>> result = fill_small_holes(ring, min_area=2)
    >>> result.removed, bool(result.image.all())
    (1, True)
    """
    min_area, _ = check_areas(min_area, None)
    connectivity = check_connectivity(connectivity)
    binary = binary_image(mask, check_threshold(threshold), max_pixels)
    hole_connectivity = 12 - connectivity
    runs = label_runs(binary, hole_connectivity, background=True)
    pixels, (filled, kept, changed) = filter_runs(binary, runs, min_area, None, True, runs.fg)
    return AreaFilterResult(binary.binariser.restore(pixels), "holes", min_area, None,
                            hole_connectivity, filled, kept, changed)
