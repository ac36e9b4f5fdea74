"""Independent implementations of the metrics, from scipy and scikit-image, for the tests."""

from __future__ import annotations

import numpy as np
from scipy import ndimage as ndi

CROSS = ndi.generate_binary_structure(2, 1)


def surface(mask: np.ndarray) -> np.ndarray:
    """Inner boundary, as medpy and the DeepMind surface-distance code extract it."""
    return mask & ~ndi.binary_erosion(mask, structure=CROSS, border_value=0)


def assd(a: np.ndarray, b: np.ndarray) -> float:
    """Average symmetric surface distance (Heimann et al. 2009) with scipy's EDT."""
    sa, sb = surface(a), surface(b)
    to_b = ndi.distance_transform_edt(~sb)[sa]
    to_a = ndi.distance_transform_edt(~sa)[sb]
    return float((to_b.sum() + to_a.sum()) / (sa.sum() + sb.sum()))


def directed(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Distance from every pixel of ``a`` (raster order) to the nearest pixel of ``b``."""
    return ndi.distance_transform_edt(~b)[a]


def blurred_correlation(a: np.ndarray, b: np.ndarray, sigma: float) -> float:
    """Pearson correlation of the Gaussian-blurred masks, on the image padded by the blur's
    reach (scipy's gaussian_filter, zero outside, truncate=4)."""
    reach = int(4 * sigma + 0.5)
    blur = [ndi.gaussian_filter(np.pad(m.astype(np.float64), reach), sigma, mode="constant",
                                truncate=4.0) for m in (a, b)]
    return float(np.corrcoef(blur[0].ravel(), blur[1].ravel())[0, 1])


def greedy_matches(a: np.ndarray, b: np.ndarray, tolerance: float) -> int:
    """One-to-one greedy matching, nearest pair first, written as the plain loop."""
    pairs = sorted((float(((p - q) ** 2).sum()), i, j) for i, p in enumerate(a)
                   for j, q in enumerate(b) if ((p - q) ** 2).sum() <= tolerance ** 2)
    used_a, used_b, count = set(), set(), 0
    for _, i, j in pairs:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            count += 1
    return count
