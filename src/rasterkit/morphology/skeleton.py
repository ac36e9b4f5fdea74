"""Skeletonize: thin the objects of a binary image to lines one pixel wide.

Two classic parallel thinning algorithms, each defined by its paper's deletion conditions
(built here into two 256-entry tables, one per sub-iteration, indexed by the pixel's
8-neighbourhood) and run by one kernel that only revisits pixels whose neighbourhood changed
(see :mod:`rasterkit._kernels._thinning`):

``"guo-hall"`` (default)
    Z. Guo and R. W. Hall, "Parallel thinning with two-subiteration algorithms", Comm. ACM
    32(3), 1989, algorithm A1: thins a 2 x 2 square to one pixel and keeps every stroke, a
    two-pixel-wide diagonal one included, end to end. Equal, pixel for pixel, to
    scikit-image's ``thin``.
``"zhang-suen"``
    T. Y. Zhang and C. Y. Suen, "A fast parallel algorithm for thinning digital patterns",
    Comm. ACM 27(3), 1984: the textbook algorithm, exactly as published, for comparison with
    work that used it. Like the paper it erases a 2 x 2 square entirely, and it wears
    two-pixel-wide diagonal strokes down to a dot (scikit-image's ``test_lut_fix`` stroke of
    7 pixels becomes 1). scikit-image's ``skeletonize(method="zhang")`` patches its table
    against this and so gives different lines, see the README.

Both keep the 8-connected topology of the foreground (no object is split or, apart from the
Zhang–Suen 2 x 2 square, erased) and treat pixels outside the image as background.
"""

from __future__ import annotations

import functools
import os
from typing import Any

import numpy as np

from ..binary_inputs import Binariser, foreground_of, load_single_band, resolve_threshold
from ..io import DEFAULT_MAX_PIXELS, check_output, source_name
from .arguments import check_max_iterations, check_method
from .methods import DEFAULT_METHOD, METHODS, Method, deletion_rules, framed_width
from .result import SKELETON_SCHEMA_VERSION as SCHEMA_VERSION
from .result import SkeletonFileReport, SkeletonResult

__all__ = ["DEFAULT_METHOD", "METHODS", "SCHEMA_VERSION", "SkeletonFileReport",
           "SkeletonResult", "check_method", "deletion_tables", "skeletonize",
           "skeletonize_file", "thin_pixels"]


@functools.cache
def deletion_tables(method: str) -> np.ndarray:
    """``(2, 256)`` uint8 (read-only): :func:`~.methods.deletion_rules` of ``method`` as an
    array."""
    return np.frombuffer(deletion_rules(method), np.uint8).reshape(2, 256)


def thin_pixels(pixels: np.ndarray, method: str = DEFAULT_METHOD,
                max_iterations: int | None = None) -> tuple[np.ndarray, int]:
    """Thin a 2-D mask (nonzero = foreground): ``(skeleton as a 0/1 uint8 view, iterations)``."""
    from .._kernels._thinning import thin

    height, width = pixels.shape
    framed = np.zeros((height + 2, framed_width(width)), np.uint8)
    np.not_equal(pixels, 0, out=framed[1:-1, 1:width + 1].view(bool))
    limit = -1 if max_iterations is None else int(max_iterations)
    iterations, _ = thin(framed.reshape(-1), framed.shape[1], deletion_tables(method), limit)
    return framed[1:-1, 1:width + 1], int(iterations)


def skeletonize(mask: Any, *, method: Method = DEFAULT_METHOD,
                threshold: float | str | None = None, max_iterations: int | None = None,
                max_pixels: int | None = DEFAULT_MAX_PIXELS) -> SkeletonResult:
    """Thin every object of a binary image to 8-connected lines one pixel wide.

    Parameters
    ----------
    mask : path, numpy array ``(H, W[, bands])`` or pyvips.Image
        A binary image: foreground is every nonzero pixel, at most one nonzero value may
        occur (see :mod:`rasterkit.binary_inputs`).
    method : {"guo-hall", "zhang-suen"}
        ``"guo-hall"`` (default): Guo and Hall's A1, equal to scikit-image's ``thin``, keeps
        every stroke; ``"zhang-suen"``: the 1984 algorithm as published, which erases 2 x 2
        squares and wears 2-pixel-wide diagonal strokes down (module docstring).
    threshold : float, "otsu" or None
        Binarise a greyscale image first: foreground is ``value > threshold``; ``"otsu"``
        picks Otsu's threshold.
    max_iterations : int or None
        Stop after this many full iterations (``None``: until nothing changes).
    max_pixels : int or None
        Refuse larger images (``None``: no limit).

    Returns
    -------
    SkeletonResult
        ``image`` (the skeleton, in the input's type and values) and the counts.

    Example
    -------
    >>> import numpy as np
    >>> bar = np.zeros((7, 12), np.uint8)
    >>> bar[2:5, 1:11] = 255
    >>> result = skeletonize(bar)                   # a 3 x 10 bar -> its middle row
    >>> (result.image[3] // 255).tolist(), result.skeleton_pixels
    ([0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0], 8)
    >>> (skeletonize(bar, method="zhang-suen").image[3] // 255).tolist()
    [0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0]
    """
    method = check_method(method)
    max_iterations = check_max_iterations(max_iterations)
    image = load_single_band(mask, max_pixels)
    threshold = resolve_threshold(image, threshold)
    binariser = Binariser(source_name(mask), image.dtype, threshold)
    pixels = binariser.pixels(image)
    value = foreground_of(pixels, binariser, image)
    skeleton, iterations = thin_pixels(pixels, method, max_iterations)
    kept = int(np.count_nonzero(skeleton))
    if value > 1:  # the kernel pixels of an 8-bit image keep its foreground value
        skeleton *= np.uint8(value)
    return SkeletonResult(binariser.restore(skeleton), method, threshold, iterations,
                          int(np.count_nonzero(pixels)), kept)


def skeletonize_file(source: Any, output: str | os.PathLike[str], *,
                     method: Method = DEFAULT_METHOD, threshold: float | str | None = None,
                     max_iterations: int | None = None,
                     max_pixels: int | None = DEFAULT_MAX_PIXELS) -> SkeletonFileReport:
    """Skeletonize an image file into ``output`` (what ``rasterkit skeletonize`` does).

    The output keeps the input's pixel type and values (see :func:`skeletonize`), so it must
    be a lossless format that holds that type (:mod:`rasterkit.morphology.files`); it is
    checked before any work, written atomically, and never over the input.
    """
    from .files import save_exact
    from .formats import check_format, input_shape

    method = check_method(method)
    out = check_output(output, [source])
    shape = input_shape(source, max_pixels)
    options = check_format(out, shape.dtype)
    result = skeletonize(source, method=method, threshold=threshold,
                         max_iterations=max_iterations, max_pixels=max_pixels)
    save_exact(result.image, out, source, options)
    return SkeletonFileReport(source_name(source), os.fspath(output), shape.width,
                              shape.height, shape.dtype, result)
