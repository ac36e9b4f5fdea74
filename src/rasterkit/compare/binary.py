"""Compare two binary images: confusion counts and the metrics made from them, in one pass.

A is the reference and B the image compared with it (``precision`` is the share of B's
foreground that A has, ``recall`` the share of A's foreground that B has).

Counting reads both images once. Two engines give the same counts: a compiled kernel
(:mod:`rasterkit._kernels._confusion`, 8 pixels per 64-bit word, memory-bound, built ahead of
time so it costs nothing to load) and a numpy one (a few vectorised passes over cache-sized
chunks, about 3x slower on large images), kept as a reference. ``engine="auto"`` is the
kernel.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any, Literal

import numpy as np

from .. import threads
from ..errors import BadInputError
from ..io import DEFAULT_MAX_PIXELS
from .inputs import Mask, load_pair

Engine = Literal["auto", "kernel", "numpy"]
ENGINES = ("auto", "kernel", "numpy")

#: JSON schema version of :meth:`BinaryComparison.to_dict` (fields are only ever added).
SCHEMA_VERSION = 1

#: Pixels per chunk of the numpy engine (two inputs and a scratch chunk stay in L2).
_CHUNK = 1 << 17


@dataclasses.dataclass(frozen=True)
class Counts:
    """Pixels in A and B (``both``), only in A, only in B, in neither."""

    both: int
    only_a: int
    only_b: int
    neither: int


def count(a: Mask, b: Mask, engine: Engine = "auto") -> Counts:
    """The confusion counts of two masks of one size, checking both are binary."""
    if engine not in ENGINES:
        raise BadInputError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    if engine == "auto":
        engine = "kernel"
    flat_a = np.ascontiguousarray(a.pixels).reshape(-1)
    flat_b = np.ascontiguousarray(b.pixels).reshape(-1)
    fg_a, fg_b = _first_nonzero(flat_a, engine), _first_nonzero(flat_b, engine)
    part = _count_kernel if engine == "kernel" else _count_numpy
    calls = [(part, (flat_a[8 * lo:8 * hi], flat_b[8 * lo:8 * hi], fg_a, fg_b))
             for lo, hi in threads.bands(flat_a.size // 8, 8, align=_CHUNK // 8)]
    parts = threads.in_threads(calls) if calls else []
    tail = flat_a.size // 8 * 8
    parts.append(_count_numpy(flat_a[tail:], flat_b[tail:], fg_a, fg_b))
    total_a, total_b, total_ab, bad_a, bad_b = (int(sum(values)) for values in zip(*parts,
                                                                                   strict=True))
    for mask, bad in ((a, bad_a), (b, bad_b)):
        if bad and mask.binariser.scanned_as_is:
            raise mask.not_binary()
    size = flat_a.size
    return Counts(total_ab, total_a - total_ab, total_b - total_ab,
                  size - total_a - total_b + total_ab)


def _first_nonzero(flat: np.ndarray, engine: str) -> int:
    if engine == "kernel":
        from .._kernels._confusion import first_nonzero

        return int(first_nonzero(flat))
    for start in range(0, flat.size, _CHUNK):
        chunk = flat[start:start + _CHUNK]
        where = np.flatnonzero(chunk)
        if where.size:
            return int(chunk[where[0]])
    return 0


def _count_kernel(a: np.ndarray, b: np.ndarray, fg_a: int,
                  fg_b: int) -> tuple[int, int, int, bool, bool]:
    from .._kernels._confusion import confusion_words

    return confusion_words(a.view(np.uint64), b.view(np.uint64), fg_a, fg_b)


def _count_numpy(a: np.ndarray, b: np.ndarray, fg_a: int,
                 fg_b: int) -> tuple[int, int, int, bool, bool]:
    """Counts over one span with numpy, chunk by chunk (same result as the kernel)."""
    scratch = np.empty(min(_CHUNK, a.size), np.uint8)
    count_a = count_b = count_ab = equal_a = equal_b = 0
    for start in range(0, a.size, _CHUNK):
        x, y = a[start:start + _CHUNK], b[start:start + _CHUNK]
        t = scratch[:x.size]
        count_a += np.count_nonzero(x)
        count_b += np.count_nonzero(y)
        np.minimum(x, y, out=t)
        count_ab += np.count_nonzero(t)
        np.subtract(x, np.uint8(fg_a), out=t)
        equal_a += t.size - np.count_nonzero(t)
        np.subtract(y, np.uint8(fg_b), out=t)
        equal_b += t.size - np.count_nonzero(t)
    # a binary image's nonzero pixels all equal its foreground value (fg 0: no nonzero pixel)
    bad_a = fg_a != 0 and equal_a != count_a
    bad_b = fg_b != 0 and equal_b != count_b
    return count_a, count_b, count_ab, bad_a, bad_b


@dataclasses.dataclass(frozen=True)
class BinaryComparison:
    """How two binary images of one size differ. A is the reference.

    Attributes
    ----------
    a, b : str
        The images' names (paths, or ``<array>``).
    width, height : int
        Size compared (after padding, if asked for).
    threshold_a, threshold_b : float or None
        Threshold used on each image (``value > threshold`` is foreground), if any.
    both, only_a, only_b, neither : int
        Pixels in the foreground of both, of A only, of B only, of neither.
    differing : int
        ``only_a + only_b``.
    iou : float
        ``both / (both + differing)`` (intersection over union, Jaccard index).
    dice : float
        ``2 both / (2 both + differing)`` (Dice coefficient, F1 score).
    precision : float
        ``both / |B|``: the share of B's foreground that is A's.
    recall : float
        ``both / |A|``: the share of A's foreground that B has.
    hamming : float
        ``differing / (width * height)``.
    log_distance : float
        ``log1p(differing)``: 0 when identical, growing smoothly with every pixel.
    mean_surface_distance : float or None
        Average symmetric surface distance in pixels
        (:func:`~rasterkit.compare.distance.mean_surface_distance`); ``None`` if not computed
        or undefined (only one image has foreground).

    Conventions: a ratio whose denominator is 0 is 1.0 (nothing to find, nothing found
    wrongly: two empty images are identical, precision of an empty B is 1.0, recall of an
    empty A is 1.0).
    """

    a: str
    b: str
    width: int
    height: int
    threshold_a: float | None
    threshold_b: float | None
    both: int
    only_a: int
    only_b: int
    neither: int
    differing: int
    iou: float
    dice: float
    precision: float
    recall: float
    hamming: float
    log_distance: float
    mean_surface_distance: float | None
    masks: tuple[Mask, Mask] | None = dataclasses.field(default=None, repr=False,
                                                        compare=False)

    @property
    def identical(self) -> bool:
        """True when no pixel differs."""
        return self.differing == 0

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (``rasterkit compare --json``)."""
        return {"schema_version": SCHEMA_VERSION, "a": self.a, "b": self.b,
                "width": self.width, "height": self.height,
                "threshold": {"a": self.threshold_a, "b": self.threshold_b},
                "identical": self.identical, "both": self.both, "only_a": self.only_a,
                "only_b": self.only_b, "neither": self.neither, "differing": self.differing,
                "iou": self.iou, "dice": self.dice, "precision": self.precision,
                "recall": self.recall, "hamming": self.hamming,
                "log_distance": self.log_distance,
                "mean_surface_distance": self.mean_surface_distance}

    def summary_line(self) -> str:
        """The first line ``rasterkit compare`` prints: the images, their size, the verdict."""
        total = self.width * self.height
        verdict = ("identical" if self.identical else
                   f"differ in {self.differing:,} of {total:,} pixels ({self.hamming:.4%})")
        return f"{self.a} vs {self.b} ({self.width} x {self.height}): {verdict}"

    def summary(self) -> str:
        """A few lines a person reads: :meth:`summary_line`, then the counts and metrics."""
        empty = (self.both + self.only_a == 0) != (self.both + self.only_b == 0)
        msd = (f"{self.mean_surface_distance:.3f} px" if self.mean_surface_distance is not None
               else "undefined (one image is empty)" if empty else "not computed")
        return (f"{self.summary_line()}\n"
                f"  both {self.both:,}  only A {self.only_a:,}  only B {self.only_b:,}  "
                f"neither {self.neither:,}\n"
                f"  IoU {self.iou:.4f}  Dice {self.dice:.4f}  precision {self.precision:.4f}  "
                f"recall {self.recall:.4f}\n"
                f"  log distance {self.log_distance:.4f}  mean surface distance {msd}")

    def to_text(self) -> str:
        """What ``rasterkit compare`` prints: :meth:`summary` and a newline."""
        return self.summary() + "\n"


def ratio(numerator: int, denominator: int) -> float:
    """``numerator / denominator``, 1.0 when the denominator is 0 (module conventions)."""
    return numerator / denominator if denominator else 1.0


def binary(a: Any, b: Any, *, threshold: float | str | None = None, pad: bool = False,
           surface_distance: bool = True, engine: Engine = "auto",
           max_pixels: int | None = DEFAULT_MAX_PIXELS) -> BinaryComparison:
    """Compare two binary images: confusion counts, overlap metrics and distances.

    Parameters
    ----------
    a, b : path, numpy array ``(H, W[, bands])`` or pyvips.Image
        The reference and the image compared with it. Binary images: foreground is every
        nonzero pixel, at most one nonzero value per image (0/1, 0/255, bool, ...).
    threshold : float, "otsu" or None
        Binarise greyscale images first: foreground is ``value > threshold``; ``"otsu"``
        takes each image's Otsu threshold.
    pad : bool
        Pad the smaller image with background at the bottom and right to the size of the
        larger; without it, different sizes are an error.
    surface_distance : bool
        Compute ``mean_surface_distance`` (skipped, ``None``, when false; costs nothing
        when the images are identical).
    engine : {"auto", "kernel", "numpy"}
        How the pixels are counted (module docstring); the results are the same.
    max_pixels : int or None
        Refuse images larger than this (``None``: no limit).

    Returns
    -------
    BinaryComparison
        Counts and metrics; ``to_dict()`` is the JSON schema.

    Example
    -------
    >>> import numpy as np
    >>> a = np.zeros((4, 6), np.uint8); a[1:3, 1:4] = 255
    >>> b = np.zeros((4, 6), np.uint8); b[1:3, 2:5] = 255
    >>> r = binary(a, b)
    >>> r.both, r.only_a, r.only_b, r.differing, round(r.iou, 3), round(r.dice, 3)
    (4, 2, 2, 4, 0.5, 0.667)
    """
    first, second = load_pair(a, b, threshold=threshold, pad=pad, max_pixels=max_pixels)
    counts = count(first, second, engine)
    differing = counts.only_a + counts.only_b
    size_a, size_b = counts.both + counts.only_a, counts.both + counts.only_b
    msd: float | None = None
    if surface_distance:
        if differing == 0:
            msd = 0.0
        else:
            from .distance import mean_surface_distance

            msd = mean_surface_distance(first.foreground(), second.foreground())
    height, width = first.shape
    return BinaryComparison(
        first.name, second.name, width, height, first.threshold, second.threshold,
        counts.both, counts.only_a, counts.only_b, counts.neither, differing,
        ratio(counts.both, counts.both + differing),
        ratio(2 * counts.both, 2 * counts.both + differing),
        ratio(counts.both, size_b), ratio(counts.both, size_a),
        differing / (width * height), math.log1p(differing), msd, (first, second))
