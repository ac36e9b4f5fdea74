"""Compare two line drawings (skeletons) with a tolerance.

Pixel-exact comparison fails on thin lines: a line shifted by one pixel never overlaps
itself. Here every line pixel of one drawing is measured against the nearest line pixel of
the other (Euclidean distance between pixel centres, in pixels):

* **matching** (the boundary F-measure convention): a pixel of A *matches* when B has a line
  pixel within ``tolerance`` px (distance <= tolerance), and vice versa. ``recall`` is the
  share of A's pixels that match (A is the reference), ``precision`` the share of B's,
  ``f1`` their harmonic mean.
* **chamfer distances**: the mean distance from A's pixels to B (``chamfer_ab``) and from
  B's to A (``chamfer_ba``).
* **Hausdorff**: the largest of all those distances, with the pair of pixels where it
  occurs; **HD95** is the larger of the two directions' 95th percentiles (linear
  interpolation, as ``numpy.percentile``), which a few stray pixels (a spur) do not move.
* **correlation**: Pearson's correlation of the two drawings blurred with a Gaussian of
  ``sigma`` px, on the image extended by the blur's reach with background (so lines at the
  edge count in full).
* **end points and junctions** (:mod:`rasterkit.compare.points`): counted in each drawing,
  and paired one to one within the tolerance.

Conventions for empty drawings: with no line pixels in A, recall is 1.0; none in B,
precision is 1.0 (nothing to find / nothing found wrongly); F1 is 0.0 when both precision
and recall are 0. Distances and the correlation are 0.0 / 1.0 when both are empty and
``None`` (undefined) when only one is.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np

from ..errors import BadInputError
from ..io import DEFAULT_MAX_PIXELS
from .distance import nearest_pixel, nearest_squared
from .inputs import Mask, load_pair
from .points import PointMatch, line_points, match_points

#: JSON schema version of :meth:`LineComparison.to_dict` (fields are only ever added).
SCHEMA_VERSION = 1
#: The Gaussian of the correlation is cut at this many sigmas.
TRUNCATE = 4.0


@dataclasses.dataclass(frozen=True)
class LineComparison:
    """How two line drawings differ, within a tolerance. A is the reference.

    Attributes
    ----------
    a, b : str
        The images' names.
    width, height : int
        Size compared.
    tolerance : float
        Pixels at most this far (px) from the other drawing match.
    sigma : float
        Standard deviation (px) of the Gaussian blur of the correlation.
    skeletonized : str or None
        The thinning applied to both images first (a skeleton method), or ``None``.
    pixels_a, pixels_b : int
        Line pixels of each drawing.
    matched_a, matched_b : int
        Line pixels of A with B within the tolerance, and of B with A.
    precision, recall, f1 : float
        ``matched_b / pixels_b``, ``matched_a / pixels_a``, their harmonic mean.
    chamfer_ab, chamfer_ba : float or None
        Mean distance (px) from A's line pixels to B's, and from B's to A's.
    hd95 : float or None
        ``max(95th percentile of A->B distances, 95th percentile of B->A)``, px.
    hausdorff : float or None
        Largest distance from a line pixel of one drawing to the other, px.
    hausdorff_at : dict or None
        Where it occurs: ``{"a": [row, col], "b": [row, col]}``, the line pixel of each
        drawing at the two ends of that distance.
    correlation : float or None
        Pearson correlation of the two blurred drawings (-1 to 1).
    endpoints, junctions : PointMatch
        Counts in A and B and pairs matched within the tolerance.
    """

    a: str
    b: str
    width: int
    height: int
    tolerance: float
    sigma: float
    skeletonized: str | None
    pixels_a: int
    pixels_b: int
    matched_a: int
    matched_b: int
    precision: float
    recall: float
    f1: float
    chamfer_ab: float | None
    chamfer_ba: float | None
    hd95: float | None
    hausdorff: float | None
    hausdorff_at: dict[str, list[int]] | None
    correlation: float | None
    endpoints: PointMatch
    junctions: PointMatch
    lines: tuple[np.ndarray, np.ndarray] | None = dataclasses.field(default=None, repr=False,
                                                                    compare=False)
    matches: tuple[np.ndarray, np.ndarray] | None = dataclasses.field(default=None, repr=False,
                                                                      compare=False)

    @property
    def same(self) -> bool:
        """True when every line pixel of each drawing is within the tolerance of the other
        (two empty drawings are the same)."""
        return self.hausdorff is not None and self.hausdorff <= self.tolerance

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (``rasterkit compare-lines --json``)."""
        return {"schema_version": SCHEMA_VERSION, "a": self.a, "b": self.b,
                "width": self.width, "height": self.height, "tolerance": self.tolerance,
                "sigma": self.sigma, "skeletonized": self.skeletonized, "same": self.same,
                "pixels_a": self.pixels_a, "pixels_b": self.pixels_b,
                "matched_a": self.matched_a, "matched_b": self.matched_b,
                "precision": self.precision, "recall": self.recall, "f1": self.f1,
                "chamfer_ab": self.chamfer_ab, "chamfer_ba": self.chamfer_ba,
                "hd95": self.hd95, "hausdorff": self.hausdorff,
                "hausdorff_at": self.hausdorff_at, "correlation": self.correlation,
                "endpoints": self.endpoints.to_dict(), "junctions": self.junctions.to_dict()}

    def summary_line(self) -> str:
        """The first line ``rasterkit compare-lines`` prints: the drawings, their size, the
        verdict."""
        verdict = (f"same within {self.tolerance:g} px" if self.same else
                   f"differ (tolerance {self.tolerance:g} px)")
        return f"{self.a} vs {self.b} ({self.width} x {self.height}): {verdict}"

    def summary(self) -> str:
        """A few lines a person reads: :meth:`summary_line`, then the measures."""
        where = ""
        if self.hausdorff_at is not None:
            (ya, xa), (yb, xb) = self.hausdorff_at["a"], self.hausdorff_at["b"]
            where = f" between A ({ya}, {xa}) and B ({yb}, {xb}) (row, col)"
        return (
            f"{self.summary_line()}\n"
            f"  line pixels A {self.pixels_a:,}, B {self.pixels_b:,}; within tolerance: "
            f"recall {self.recall:.4f} (A {self.matched_a:,}), precision {self.precision:.4f} "
            f"(B {self.matched_b:,}), F1 {self.f1:.4f}\n"
            f"  chamfer A->B {_px(self.chamfer_ab)}, B->A {_px(self.chamfer_ba)}; "
            f"HD95 {_px(self.hd95)}; Hausdorff {_px(self.hausdorff)}{where}\n"
            f"  correlation (sigma {self.sigma:g} px) {_num(self.correlation)}\n"
            f"  end points A {self.endpoints.a}, B {self.endpoints.b}, matched "
            f"{self.endpoints.matched}; junctions A {self.junctions.a}, B {self.junctions.b}, "
            f"matched {self.junctions.matched}")

    def to_text(self) -> str:
        """What ``rasterkit compare-lines`` prints: :meth:`summary` and a newline."""
        return self.summary() + "\n"


def _px(value: float | None) -> str:
    return "undefined" if value is None else f"{value:.3f} px"


def _num(value: float | None) -> str:
    return "undefined" if value is None else f"{value:.4f}"


def lines(a: Any, b: Any, *, tolerance: float = 2.0, sigma: float | None = None,
          skeletonize: bool | str = False, threshold: float | str | None = None,
          pad: bool = False, max_pixels: int | None = DEFAULT_MAX_PIXELS) -> LineComparison:
    """Compare two line drawings with a tolerance (module docstring for each metric).

    Parameters
    ----------
    a, b : path, numpy array ``(H, W[, bands])`` or pyvips.Image
        The reference drawing and the one compared with it: binary images whose foreground
        (nonzero) pixels are the lines, ideally one pixel wide.
    tolerance : float, pixels
        A line pixel matches when the other drawing has a line pixel at most this far.
    sigma : float or None, pixels
        Gaussian blur of the correlation; default ``max(tolerance, 1)``, at most the images'
        larger side (a wider ``sigma`` is refused).
    skeletonize : bool or str
        Thin both drawings first: ``True`` with Zhang–Suen, or a method name of
        :func:`~rasterkit.morphology.skeletonize` (``True``: its default, ``"guo-hall"``;
        or ``"zhang-suen"``).
    threshold : float, "otsu" or None
        Binarise greyscale images first (``value > threshold`` is line).
    pad : bool
        Pad the smaller image with background to the larger size (else sizes must match).
    max_pixels : int or None
        Refuse images larger than this.

    Returns
    -------
    LineComparison
        The metrics; ``to_dict()`` is the JSON schema.

    Example
    -------
    >>> import numpy as np
    >>> a = np.zeros((20, 40), bool); a[8, 5:35] = True
    >>> b = np.roll(a, 2, axis=0)                        # the line moved down 2 px
    >>> lines(a, b, tolerance=2).recall, lines(a, b, tolerance=1).recall
    (1.0, 0.0)
    """
    tolerance = _non_negative(tolerance, "tolerance")
    given = sigma is not None
    sigma = max(tolerance, 1.0) if sigma is None else _non_negative(sigma, "sigma")
    if sigma == 0:
        raise BadInputError("sigma must be greater than 0 px")
    method = _skeleton_method(skeletonize)
    first, second = load_pair(a, b, threshold=threshold, pad=pad, max_pixels=max_pixels)
    line_a, line_b = (_line_mask(mask, method) for mask in (first, second))
    height, width = line_a.shape
    if not given:
        sigma = min(sigma, float(max(width, height)))
    if sigma > max(width, height):
        raise BadInputError(f"sigma {sigma:g} px is wider than the images ({width} x {height} "
                            f"px): at most {max(width, height)}")
    reach = min(tolerance, math.hypot(width, height))  # no two pixels are farther apart
    points_a, points_b = np.flatnonzero(line_a), np.flatnonzero(line_b)
    ends_a, ends_b = line_points(line_a), line_points(line_b)
    endpoints = PointMatch(len(ends_a.endpoints), len(ends_b.endpoints),
                           match_points(ends_a.endpoints, ends_b.endpoints, reach))
    junctions = PointMatch(len(ends_a.junctions), len(ends_b.junctions),
                           match_points(ends_a.junctions, ends_b.junctions, reach))
    correlation = blurred_correlation(line_a, line_b, sigma)
    common = (first.name, second.name, width, height, tolerance, sigma, method,
              int(points_a.size), int(points_b.size))
    if points_a.size == 0 or points_b.size == 0:
        # nothing to measure against: the empty-drawing conventions (module docstring)
        empty = 0.0 if points_a.size == points_b.size else None
        precision, recall = (0.0 if points_b.size else 1.0), (0.0 if points_a.size else 1.0)
        return LineComparison(*common, 0, 0, precision, recall,
                              1.0 if points_a.size == points_b.size else 0.0, empty, empty,
                              empty, empty, None, correlation, endpoints, junctions,
                              (line_a, line_b), (np.zeros(points_a.size, bool),
                                                 np.zeros(points_b.size, bool)))
    dist_a = np.sqrt(nearest_squared(points_a, line_b))
    dist_b = np.sqrt(nearest_squared(points_b, line_a))
    match_a, match_b = dist_a <= tolerance, dist_b <= tolerance
    recall = float(np.count_nonzero(match_a)) / points_a.size
    precision = float(np.count_nonzero(match_b)) / points_b.size
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    hd95 = float(max(np.percentile(dist_a, 95), np.percentile(dist_b, 95)))
    hausdorff, at = _hausdorff(points_a, dist_a, line_b, points_b, dist_b, line_a)
    return LineComparison(*common, int(np.count_nonzero(match_a)),
                          int(np.count_nonzero(match_b)), precision, recall, f1,
                          float(dist_a.mean()), float(dist_b.mean()), hd95, hausdorff, at,
                          correlation, endpoints, junctions, (line_a, line_b),
                          (match_a, match_b))


def _non_negative(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.number) or not (
            math.isfinite(float(value)) and float(value) >= 0):
        raise BadInputError(f"{what} must be a finite number of pixels >= 0, not {value!r}")
    return float(value)


def _skeleton_method(skeletonize: bool | str) -> str | None:
    from ..morphology.skeleton import DEFAULT_METHOD, check_method

    if skeletonize is False or skeletonize is None:
        return None
    return DEFAULT_METHOD if skeletonize is True else check_method(skeletonize)


def _line_mask(mask: Mask, method: str | None) -> np.ndarray:
    """The line pixels of ``mask`` as a bool array (thinned with ``method`` if given)."""
    lines_ = mask.foreground()
    if method is None:
        return lines_
    from ..morphology.skeleton import thin_pixels

    return thin_pixels(lines_, method)[0].view(bool)


def _hausdorff(points_a: np.ndarray, dist_a: np.ndarray, line_b: np.ndarray,
               points_b: np.ndarray, dist_b: np.ndarray,
               line_a: np.ndarray) -> tuple[float, dict[str, list[int]]]:
    """The Hausdorff distance and the pair of pixels where it occurs (first in raster
    order, A's direction first, among equal maxima)."""
    width = line_a.shape[1]
    if dist_a.max() >= dist_b.max():
        here = int(points_a[int(np.argmax(dist_a))])
        there = nearest_pixel(here, line_b)
        pair = {"a": list(divmod(here, width)), "b": list(divmod(there, width))}
    else:
        here = int(points_b[int(np.argmax(dist_b))])
        there = nearest_pixel(here, line_a)
        pair = {"a": list(divmod(there, width)), "b": list(divmod(here, width))}
    return float(max(dist_a.max(), dist_b.max())), pair


def gaussian_weights(sigma: float) -> np.ndarray:
    """The sampled, normalised 1-D Gaussian of the correlation, cut at ``TRUNCATE`` sigmas
    (as ``scipy.ndimage.gaussian_filter`` with ``truncate=4``)."""
    radius = int(TRUNCATE * sigma + 0.5)
    x = np.arange(-radius, radius + 1, dtype=np.float64)
    weights = np.exp(-0.5 * (x / sigma) ** 2)
    return weights / weights.sum()


def blurred_correlation(a: np.ndarray, b: np.ndarray, sigma: float) -> float | None:
    """Pearson correlation of two bool masks each blurred with a Gaussian of ``sigma`` px.

    The blurred images are never formed. With ``k`` the 2-D kernel and ``K = k * k`` its
    autocorrelation (separable, twice as wide), ``sum(blur(A) * blur(B)) = sum over pixels
    p of A of (K * B)(p)``: B's pixels spread along their rows by ``K``'s row, read back at
    A's pixels and the rows around them. Sums run over the image extended by the blur's
    reach, where both blurred images are supported, so every line counts in full. The
    spread rows are float32: the correlation is exact to about 1e-7.
    """
    count_a, count_b = int(np.count_nonzero(a)), int(np.count_nonzero(b))
    if count_a == 0 or count_b == 0:
        return 1.0 if count_a == count_b else None
    k = gaussian_weights(sigma)
    auto = np.convolve(k, k)  # the row (and column) of K, 4 * radius + 1 long
    reach = (k.size - 1) // 2
    height, width = a.shape
    cells = (height + 2 * reach) * (width + 2 * reach)
    points_a, points_b = np.flatnonzero(a), np.flatnonzero(b)
    spread_a, spread_b = (_spread(points, auto, a.shape) for points in (points_a, points_b))
    sum_ab = _gather(spread_b, points_a, auto, width)
    sum_aa = _gather(spread_a, points_a, auto, width)
    sum_bb = _gather(spread_b, points_b, auto, width)
    # sum(blur(A)) = |A| (the kernel sums to 1), so the means are |A| / cells, |B| / cells
    cov = sum_ab - count_a * count_b / cells
    var_a, var_b = sum_aa - count_a ** 2 / cells, sum_bb - count_b ** 2 / cells
    if var_a <= 0 or var_b <= 0:
        return None
    return float(np.clip(cov / math.sqrt(var_a * var_b), -1.0, 1.0))


def _spread(points: np.ndarray, auto: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """The pixels ``points`` (flat indices of an image of ``shape``) spread along their rows
    by the weights ``auto`` (centred): a float32 image framed by half the weights' length."""
    half = (auto.size - 1) // 2
    height, width = shape
    stride = width + 2 * half
    spread = np.zeros((height + 2 * half) * stride, np.float32)
    rows, cols = np.divmod(points, width)
    base = (rows + half) * stride + cols + half
    for dx, weight in zip(range(-half, half + 1), auto.astype(np.float32).tolist(),
                          strict=True):
        spread[base + dx] += weight  # unique targets per dx: plain fancy-index add
    return spread


def _gather(spread: np.ndarray, points: np.ndarray, auto: np.ndarray, width: int) -> float:
    """``sum over p in points, dy of auto[dy] * spread[p + dy rows]``: with :func:`_spread`,
    ``sum over p in points, q of auto[dy] * auto[dx]`` for ``q - p = (dy, dx)``."""
    half = (auto.size - 1) // 2
    stride = width + 2 * half
    rows, cols = np.divmod(points, width)
    base = (rows + half) * stride + cols + half
    return sum(weight * float(spread[base + dy * stride].sum(dtype=np.float64))
               for dy, weight in zip(range(-half, half + 1), auto.tolist(), strict=True))
