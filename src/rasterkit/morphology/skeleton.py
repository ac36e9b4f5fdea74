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

import dataclasses
import functools
import os
from typing import Any

import numpy as np

from ..errors import BadInputError
from ..io import DEFAULT_MAX_PIXELS, check_output, source_name
from .inputs import Binariser, foreground_of, load_single_band, resolve_threshold
from .methods import DEFAULT_METHOD, METHODS, Method

#: JSON schema version of :meth:`SkeletonResult.to_dict` (fields are only ever added).
SCHEMA_VERSION = 1


def _neighbours(code: int) -> list[int]:
    """``x[1..8]`` of a neighbourhood byte: E, NE, N, NW, W, SW, S, SE (``x[0]`` unused),
    the numbering of Guo and Hall; bit k of ``code`` is ``x[k + 1]``."""
    return [0] + [(code >> k) & 1 for k in range(8)]


def _zhang_suen(code: int, second: bool) -> bool:
    x = _neighbours(code)
    # The paper's P2..P9 run clockwise from north: N, NE, E, SE, S, SW, W, NW.
    p2, p3, p4, p5, p6, p7, p8, p9 = x[3], x[2], x[1], x[8], x[7], x[6], x[5], x[4]
    ring = [p2, p3, p4, p5, p6, p7, p8, p9]
    b = sum(ring)  # B(P1): foreground neighbours
    a = sum(ring[i] == 0 and ring[(i + 1) % 8] == 1 for i in range(8))  # A(P1): 01 patterns
    if not (2 <= b <= 6 and a == 1):
        return False
    if second:
        return p2 * p4 * p8 == 0 and p2 * p6 * p8 == 0
    return p2 * p4 * p6 == 0 and p4 * p6 * p8 == 0


def _guo_hall(code: int, second: bool) -> bool:
    x = _neighbours(code)
    x.append(x[1])  # x[9] = x[1], closing the circle
    crossing = sum(x[2 * i - 1] == 0 and (x[2 * i] or x[2 * i + 1]) for i in range(1, 5))
    n1 = sum(bool(x[2 * k - 1] or x[2 * k]) for k in range(1, 5))
    n2 = sum(bool(x[2 * k] or x[2 * k + 1]) for k in range(1, 5))
    if crossing != 1 or not 2 <= min(n1, n2) <= 3:  # conditions G1 and G2
        return False
    if second:  # G3': (x6 or x7 or not x4) and x5 == 0
        return not ((x[6] or x[7] or not x[4]) and x[5])
    return not ((x[2] or x[3] or not x[8]) and x[1])  # G3


@functools.cache
def deletion_tables(method: str) -> np.ndarray:
    """``(2, 256)`` uint8: 1 where ``method`` deletes a pixel with that neighbourhood byte in
    the first / second sub-iteration (bit k: neighbour k of E, NE, N, NW, W, SW, S, SE)."""
    rule = {"zhang-suen": _zhang_suen, "guo-hall": _guo_hall}[method]
    return np.array([[rule(code, second) for code in range(256)] for second in (False, True)],
                    np.uint8)


def check_method(method: Any) -> str:
    """``method`` if it is one of :data:`METHODS`, else a :class:`BadInputError`."""
    if method not in METHODS:
        raise BadInputError(f"skeleton method must be one of {', '.join(METHODS)}, "
                            f"not {method!r}")
    return method


def thin_pixels(pixels: np.ndarray, method: str = DEFAULT_METHOD,
                max_iterations: int | None = None) -> tuple[np.ndarray, int]:
    """Thin a 2-D mask (nonzero = foreground): ``(skeleton as a 0/1 uint8 view, iterations)``."""
    from .._kernels._thinning import thin

    height, width = pixels.shape
    framed = np.zeros((height + 2, (width + 2 + 7) // 8 * 8), np.uint8)  # rows of whole words
    np.not_equal(pixels, 0, out=framed[1:-1, 1:width + 1].view(bool))
    limit = -1 if max_iterations is None else int(max_iterations)
    iterations, _ = thin(framed.reshape(-1), framed.shape[1], deletion_tables(method), limit)
    return framed[1:-1, 1:width + 1], int(iterations)


@dataclasses.dataclass(frozen=True)
class SkeletonResult:
    """What :func:`skeletonize` did.

    Attributes
    ----------
    image : numpy.ndarray
        The skeleton, same shape, dtype and values as the (single-band) input: its
        foreground value on the skeleton, 0 elsewhere (with a ``threshold``: the type's
        maximum, 255 / 65535 / 1.0, on the skeleton).
    method : {"zhang-suen", "guo-hall"}
        The thinning algorithm.
    threshold : float or None
        The threshold used (``value > threshold`` was foreground), Otsu's if asked for.
    iterations : int
        Full iterations (pairs of sub-iterations) that deleted pixels.
    foreground_pixels, skeleton_pixels : int
        Foreground pixels before and after thinning.
    """

    image: np.ndarray = dataclasses.field(repr=False, compare=False)
    method: str
    threshold: float | None
    iterations: int
    foreground_pixels: int
    skeleton_pixels: int

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (the image is not included)."""
        return {"method": self.method, "threshold": self.threshold,
                "iterations": self.iterations, "foreground_pixels": self.foreground_pixels,
                "skeleton_pixels": self.skeleton_pixels}

    def summary(self) -> str:
        """One line, e.g. ``kept 5,120 of 81,920 foreground pixels (guo-hall, 7 iterations)``."""
        return (f"kept {self.skeleton_pixels:,} of {self.foreground_pixels:,} foreground "
                f"pixels ({self.method}, {self.iterations} iterations)")


def skeletonize(mask: Any, *, method: Method = DEFAULT_METHOD,
                threshold: float | str | None = None, max_iterations: int | None = None,
                max_pixels: int | None = DEFAULT_MAX_PIXELS) -> SkeletonResult:
    """Thin every object of a binary image to 8-connected lines one pixel wide.

    Parameters
    ----------
    mask : path, numpy array ``(H, W[, bands])`` or pyvips.Image
        A binary image: foreground is every nonzero pixel, at most one nonzero value may
        occur (see :mod:`rasterkit.morphology.inputs`).
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
    if max_iterations is not None and (isinstance(max_iterations, bool)
                                       or int(max_iterations) < 0):
        raise BadInputError(f"max_iterations must be a whole number >= 0, not "
                            f"{max_iterations!r}")
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


@dataclasses.dataclass(frozen=True)
class SkeletonFileReport:
    """What :func:`skeletonize_file` did: the files, the image, and the skeleton's counts."""

    input: str
    output: str
    width: int
    height: int
    dtype: str
    result: SkeletonResult

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``rasterkit skeletonize --json``."""
        return {"schema_version": SCHEMA_VERSION, "command": "skeletonize",
                "input": self.input, "output": self.output, "width": self.width,
                "height": self.height, "dtype": self.dtype, **self.result.to_dict()}

    def summary(self) -> str:
        """One line: ``in.png -> out.png: kept ... pixels (guo-hall, 7 iterations)``."""
        return f"{self.input} -> {self.output}: {self.result.summary()}"


def skeletonize_file(source: Any, output: str | os.PathLike[str], *,
                     method: Method = DEFAULT_METHOD, threshold: float | str | None = None,
                     max_iterations: int | None = None,
                     max_pixels: int | None = DEFAULT_MAX_PIXELS) -> SkeletonFileReport:
    """Skeletonize an image file into ``output`` (what ``rasterkit skeletonize`` does).

    The output keeps the input's pixel type and values (see :func:`skeletonize`), so it must
    be a lossless format that holds that type (:mod:`rasterkit.morphology.files`); it is
    checked before any work, written atomically, and never over the input.
    """
    from .files import check_format, input_shape, save_exact

    method = check_method(method)
    out = check_output(output, [source])
    shape = input_shape(source, max_pixels)
    options = check_format(out, shape.dtype)
    result = skeletonize(source, method=method, threshold=threshold,
                         max_iterations=max_iterations, max_pixels=max_pixels)
    save_exact(result.image, out, source, options)
    return SkeletonFileReport(source_name(source), os.fspath(output), shape.width,
                              shape.height, shape.dtype.name, result)
