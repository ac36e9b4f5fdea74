"""Line-oriented image diff: the rows of an image are its lines.

``rasterkit.diff(a, b)`` finds the sections that image A has and B lacks (``removed``), that B
has and A lacks (``added``), and that both have with different contents (``changed``), and
re-synchronises the two images after each, like ``diff`` on text::

    >>> import rasterkit
    >>> d = rasterkit.diff("before.png", "after.png")       # doctest: +SKIP
    >>> d.identical, [(h.kind, h.a, h.b) for h in d.hunks]  # doctest: +SKIP
    (False, [('added', (812, 812), (812, 1004))])

Pipeline (each step a plain function, testable alone): :func:`pixels.load_pair` ->
:func:`keys.row_keys` -> :func:`align.align` -> :func:`hunks.build` -> :class:`DiffResult`;
pictures come from :mod:`rasterkit.diff.render`.
"""

from __future__ import annotations

from typing import Any

from .._callable import make_callable
from ..io import DEFAULT_MAX_PIXELS
from .hunks import DEFAULT_MERGE_GAP
from .result import SCHEMA_VERSION, Box, DiffResult, Hunk, ImageInfo, Run

__all__ = ["DEFAULT_MERGE_GAP", "SCHEMA_VERSION", "Box", "DiffResult", "Hunk", "ImageInfo", "Run",
           "diff"]


def diff(a: Any, b: Any, *, merge_gap: int = DEFAULT_MERGE_GAP, pad_compare: bool = False,
         max_pixels: int | None = DEFAULT_MAX_PIXELS) -> DiffResult:
    """Diff image ``a`` (before) against image ``b`` (after), row by row.

    Parameters
    ----------
    a, b : path, numpy array ``(H, W[, bands])`` or pyvips.Image
        Any format libvips reads; 8- or 16-bit; grey, grey + alpha, RGB or RGBA. Both are
        brought to one pixel format (see :mod:`rasterkit.diff.pixels`).
    merge_gap : int, rows
        Differences separated by at most this many unchanged rows are reported as one hunk
        (default 40: blank space or a line or two of text). 0 merges only touching ones.
    pad_compare : bool
        When widths differ, the narrower image is padded on the right with its background
        colour. By default the padded columns are not compared (a scrollbar must not make
        every row differ); ``True`` compares them too.
    max_pixels : int or None
        Refuse inputs with more pixels than this (decompression-bomb guard).

    Returns
    -------
    DiffResult
        ``identical``, ``hunks`` (kind, rows in A, rows in B, changed pixels, boxes), the
        common row axis ``runs`` for pictures, and ``to_dict()`` for JSON. Row ranges are
        0-based and half-open.

    Raises
    ------
    rasterkit.errors.BadInputError, rasterkit.errors.LimitError
        Missing, unreadable, truncated, empty or too large inputs.

    Example
    -------
    >>> import numpy as np
    >>> a = np.zeros((6, 4), np.uint8); a[2] = 255
    >>> d = diff(a, np.delete(a, 2, axis=0))
    >>> [(h.kind, h.a, h.b) for h in d.hunks]
    [('removed', (2, 3), (2, 2))]
    """
    from . import hunks
    from .align import align
    from .pixels import load_pair

    if merge_gap < 0:
        raise ValueError("merge_gap must be >= 0")
    image_a, image_b = load_pair(a, b, max_pixels=max_pixels, pad_compare=pad_compare)
    widths = (image_a.width, image_b.width)
    compare_width = max(widths) if pad_compare else min(widths)
    ka, kb = image_a.keys, image_b.keys
    matches = align(ka, kb)
    found, runs = hunks.build(matches, ka, kb, image_a, image_b, merge_gap=merge_gap,
                              compare_width=compare_width)
    bits = 8 * image_a.sample_bytes
    return DiffResult(
        a=ImageInfo(image_a.path, image_a.width, image_a.height, image_a.bands, bits),
        b=ImageInfo(image_b.path, image_b.width, image_b.height, image_b.bands, bits),
        hunks=found,
        runs=runs,
        options={"merge_gap": merge_gap, "pad_compare": pad_compare,
                 "compared_width": compare_width},
        images=(image_a, image_b),
    )


make_callable(__name__, diff)
