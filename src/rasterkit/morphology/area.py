"""Greyscale area opening and closing on a max-tree (see :mod:`rasterkit._kernels._max_tree`).

The area opening with ``min_area`` flattens every bright peak (a connected region brighter
than its surroundings) with fewer than ``min_area`` pixels down to the level of its
surroundings; the area closing fills dark pits the same way. On a binary image the opening
is :func:`~rasterkit.morphology.remove_small_objects` (and the closing fills small zero
components, touching a border or not).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import threads
from ..binary_inputs import load_single_band
from ..errors import BadInputError
from ..io import DEFAULT_MAX_PIXELS, source_name
from .arguments import check_areas, check_connectivity
from .result import AreaFilterResult

#: Pixel types whose values serve directly as queue levels: type -> number of levels.
_DIRECT_LEVELS = {np.dtype(np.uint8): 256, np.dtype(np.int8): 256, np.dtype(np.uint16): 65536,
                  np.dtype(np.int16): 65536}


def grey_levels(image: np.ndarray) -> tuple[np.ndarray, int, np.ndarray | None]:
    """``(keys, levels, table)``: integer keys in ``[0, levels)`` with the order of ``image``.

    8- and 16-bit images are their own keys (signed ones with the sign bit flipped);
    anything else is ranked (``table[key]`` is the value back).
    """
    levels = _DIRECT_LEVELS.get(image.dtype)
    if levels is None:
        table, keys = np.unique(image, return_inverse=True)
        return keys.reshape(image.shape).astype(np.int32), max(table.size, 1), table
    if image.dtype.kind == "i":  # flipping the sign bit maps signed order onto unsigned
        unsigned = np.uint8 if image.dtype.itemsize == 1 else np.uint16
        return image.view(unsigned) ^ unsigned(levels // 2), levels, None
    return image, levels, None


def _flood_band(keys: np.ndarray, y0: int, y1: int, levels: int,
                eight: bool) -> tuple[np.ndarray, ...]:
    from .._kernels._max_tree import max_tree_flood

    framed = np.pad(keys[y0:y1], 1)
    state, level, area, parent, count = max_tree_flood(framed.reshape(-1), framed.shape[1],
                                                       levels, eight)
    return (framed.reshape(-1), np.asarray(state), np.asarray(level)[:count],
            np.asarray(area)[:count], np.asarray(parent)[:count])


def open_array(image: np.ndarray, min_area: int, connectivity: int) -> tuple[np.ndarray, int,
                                                                                 int, int]:
    """Area opening of a 2-D array: ``(opened, peaks removed, peaks kept, pixels changed)``.

    The image is flooded in one horizontal band per thread; the bands' max-trees are joined
    along the seams (see :mod:`rasterkit._kernels._max_tree`).
    """
    from .._kernels._max_tree import area_open_nodes, gather, merge_bands

    work = image.view(np.uint8) if image.dtype == bool else image
    keys, levels, table = grey_levels(work)
    height, width = keys.shape
    eight = connectivity == 8
    rows = threads.bands(height, width)
    parts = threads.in_threads([(_flood_band, (keys, y0, y1, levels, eight))
                                for y0, y1 in rows])
    offsets = np.cumsum([0] + [part[2].size for part in parts])
    level = np.concatenate([part[2] for part in parts])
    area = np.concatenate([part[3] for part in parts])
    parent = np.concatenate([np.where(part[4] >= 0, part[4] + off, part[4])
                             for part, off in zip(parts, offsets, strict=False)])
    for k in range(len(parts) - 1):
        merge_bands(parts[k][1], parts[k + 1][1], width + 2, offsets[k], offsets[k + 1], level,
                    parent, area, eight)
    value, removed, kept = area_open_nodes(level, parent, area, level.size, min_area)
    out = np.empty((height, width), keys.dtype)
    changed = sum(gather(part[0], part[1], width + 2, value, off, out, y0)
                  for part, off, (y0, _) in zip(parts, offsets, rows, strict=False))
    if table is not None:
        out = table[out]
    elif work.dtype.kind == "i":
        out = out ^ out.dtype.type(levels // 2)
    out = out.view(image.dtype) if out.dtype != image.dtype else out
    return out, int(removed), int(kept), int(changed)


def _invert(image: np.ndarray) -> np.ndarray:
    """An order-reversing, exactly invertible map: ``-x`` for floats, ``~x`` for integers."""
    return -image if image.dtype.kind == "f" else ~image


def _load_grey(image: Any, max_pixels: int | None) -> np.ndarray:
    name = source_name(image)
    grey = load_single_band(image, max_pixels)
    if grey.dtype.kind not in "biuf":
        raise BadInputError(f"{name}: pixel type {grey.dtype} is not a number")
    if grey.dtype.kind == "f" and np.isnan(grey).any():
        raise BadInputError(f"{name}: has NaN pixels, which have no grey order")
    return grey


def area_opening(image: Any, min_area: int, *, connectivity: int = 8,
                 max_pixels: int | None = DEFAULT_MAX_PIXELS) -> AreaFilterResult:
    """Greyscale area opening: flatten bright peaks with fewer than ``min_area`` pixels.

    The result is the largest image below the input in which every regional maximum has at
    least ``min_area`` pixels: each connected set of pixels brighter than a level that has
    fewer than ``min_area`` pixels is lowered to that level. Equal to scikit-image's
    ``area_opening(image, area_threshold=min_area)`` and DIPlib's
    ``AreaOpening(image, filterSize=min_area)``.

    Parameters
    ----------
    image : path, numpy array ``(H, W[, bands])`` or pyvips.Image
        A single-band image (see :mod:`rasterkit.binary_inputs` for bands) of any
        integer, bool or float type (NaN refused).
    min_area : int, pixels
        Peaks of **fewer than** ``min_area`` pixels are flattened; ``min_area=1`` changes
        nothing.
    connectivity : {4, 8}
        Neighbourhood of a pixel: 4 (edges) or 8 (edges and corners).
    max_pixels : int or None
        Refuse larger images (``None``: no limit).

    Returns
    -------
    AreaFilterResult
        ``image``: same shape and dtype; ``kind="peaks"``; ``removed`` / ``kept``: regional
        maxima of the input with fewer / at least ``min_area`` pixels (the whole image counts
        as one kept peak when it is flat); ``changed_pixels``: pixels lowered.

    Example
    -------
    >>> import numpy as np
    >>> img = np.array([[0, 9, 0, 0], [0, 0, 5, 5], [0, 0, 5, 5]], np.uint8)
    >>> r = area_opening(img, min_area=2, connectivity=4)
    >>> r.image.tolist(), r.removed, r.kept
    ([[0, 0, 0, 0], [0, 0, 5, 5], [0, 0, 5, 5]], 1, 1)
    """
    min_area, _ = check_areas(min_area, None)
    connectivity = check_connectivity(connectivity)
    grey = _load_grey(image, max_pixels)
    out, removed, kept, changed = open_array(grey, min_area, connectivity)
    return AreaFilterResult(out, "peaks", min_area, None, connectivity, removed, kept, changed)


def area_closing(image: Any, min_area: int, *, connectivity: int = 8,
                 max_pixels: int | None = DEFAULT_MAX_PIXELS) -> AreaFilterResult:
    """Greyscale area closing: fill dark pits with fewer than ``min_area`` pixels.

    The dual of :func:`area_opening` (the opening of the inverted image, inverted back):
    each connected set of pixels darker than a level with fewer than ``min_area`` pixels is
    raised to that level. Equal to scikit-image's ``area_closing`` and DIPlib's
    ``AreaClosing``. Parameters as for :func:`area_opening`.

    Returns
    -------
    AreaFilterResult
        ``kind="pits"``; ``removed`` / ``kept``: regional minima with fewer / at least
        ``min_area`` pixels; ``changed_pixels``: pixels raised.
    """
    min_area, _ = check_areas(min_area, None)
    connectivity = check_connectivity(connectivity)
    grey = _load_grey(image, max_pixels)
    out, removed, kept, changed = open_array(_invert(grey), min_area, connectivity)
    return AreaFilterResult(_invert(out), "pits", min_area, None, connectivity, removed, kept,
                            changed)
