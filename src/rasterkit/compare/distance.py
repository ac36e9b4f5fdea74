"""Distances from pixels to the nearest pixel of a set: boundaries, surface distance.

Distances are Euclidean, between pixel centres, in pixels.

:func:`nearest_squared` answers "how far is each of these pixels from the nearest feature
pixel" by looking at the offsets around all query pixels at once, nearest offsets first
(numpy, vectorised over the pixels still unanswered): a pixel is answered by the first offset
that lands on a feature, which is exact because every nearer offset was tried before. Pixels
with no feature within :data:`RING_RADIUS` pixels (rare in comparisons, where most pixels have
a counterpart nearby) are compared with every feature pixel when they are few, else get an
exact Euclidean distance transform (:mod:`rasterkit._kernels.edt`). The cost follows the
number of query pixels and how far they are from the features, not the image area.
"""

from __future__ import annotations

import functools

import numpy as np

#: Offsets up to this distance (pixels) are searched directly.
RING_RADIUS = 12
#: Farther pixels are compared with every feature pixel when that makes at most this many
#: pairs, and otherwise get the exact distance transform (compiled, so it loads numba).
BRUTE_FORCE_PAIRS = 20_000_000


@functools.cache
def _offsets(radius: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(dy, dx, squared distance)`` of every offset within ``radius``, nearest first."""
    span = np.arange(-radius, radius + 1)
    dy, dx = (a.reshape(-1) for a in np.meshgrid(span, span, indexing="ij"))
    d2 = dy * dy + dx * dx
    keep = d2 <= radius * radius
    order = np.lexsort((dx[keep], dy[keep], d2[keep]))
    return dy[keep][order], dx[keep][order], d2[keep][order]


def nearest_squared(points: np.ndarray, features: np.ndarray,
                    radius: int = RING_RADIUS) -> np.ndarray:
    """Squared distance (int64) from each point to the nearest nonzero pixel of ``features``.

    Parameters
    ----------
    points : int array
        Flat (row-major) indices into ``features``, ascending.
    features : 2-D bool array
        The feature pixels; at least one must be set.
    radius : int
        Search radius of the direct offset search; farther points use the exact transform.
    """
    points = np.asarray(points, np.int64)
    out = np.empty(points.size, np.int64)
    if points.size == 0:
        return out
    height, width = features.shape
    framed = np.zeros((height + 2 * radius, width + 2 * radius), bool)
    framed[radius:radius + height, radius:radius + width] = features
    flat = framed.reshape(-1)
    stride = framed.shape[1]
    rows, cols = np.divmod(points, width)
    where = (rows + radius) * stride + (cols + radius)
    todo = np.arange(points.size)
    dys, dxs, d2s = _offsets(radius)
    for dy, dx, d2 in zip(dys.tolist(), dxs.tolist(), d2s.tolist(), strict=True):
        hit = flat[where + (dy * stride + dx)]
        if hit.any():
            out[todo[hit]] = d2
            miss = ~hit
            todo, where = todo[miss], where[miss]
            if todo.size == 0:
                return out
    out[todo] = _far_squared(points[todo], features)
    return out


def _far_squared(points: np.ndarray, features: np.ndarray) -> np.ndarray:
    """Exact squared distances for points far from every feature (the ring search failed)."""
    found = np.flatnonzero(features)
    if points.size * found.size > BRUTE_FORCE_PAIRS:
        from .._kernels.edt import squared_distances_at

        return squared_distances_at(np.ascontiguousarray(features).view(np.uint8), points)
    width = features.shape[1]
    rows, cols = np.divmod(found, width)
    out = np.empty(points.size, np.int64)
    step = max(1, 4_000_000 // found.size)
    for start in range(0, points.size, step):
        y, x = np.divmod(points[start:start + step, None], width)
        out[start:start + step] = ((rows - y) ** 2 + (cols - x) ** 2).min(axis=1)
    return out


def nearest_pixel(point: int, features: np.ndarray) -> int:
    """Flat index of the feature pixel nearest to the pixel at flat index ``point`` (the
    first in raster order among equally near ones)."""
    width = features.shape[1]
    candidates = np.flatnonzero(features)
    rows, cols = np.divmod(candidates, width)
    y, x = divmod(int(point), width)
    d2 = (rows - y) ** 2 + (cols - x) ** 2
    return int(candidates[int(np.argmin(d2))])


def boundary(foreground: np.ndarray) -> np.ndarray:
    """The inner boundary of a bool mask: foreground pixels with a background 4-neighbour,
    pixels outside the image counting as background."""
    interior = foreground.copy()
    interior[1:] &= foreground[:-1]
    interior[:-1] &= foreground[1:]
    interior[:, 1:] &= foreground[:, :-1]
    interior[:, :-1] &= foreground[:, 1:]
    interior[0] = interior[-1] = False
    interior[:, 0] = interior[:, -1] = False
    return foreground & ~interior


def mean_surface_distance(a: np.ndarray, b: np.ndarray) -> float | None:
    """Average symmetric surface distance of two bool masks, in pixels.

    With the surfaces ``S(A)``, ``S(B)`` (the :func:`boundary` pixels) and ``d(p, S)`` the
    distance from ``p`` to the nearest pixel of ``S``::

        (sum over p in S(A) of d(p, S(B)) + sum over q in S(B) of d(q, S(A)))
        / (|S(A)| + |S(B)|)

    (Heimann et al., 2009). 0.0 when both masks are empty; ``None`` (undefined) when only one
    is.
    """
    surface_a, surface_b = boundary(a), boundary(b)
    count_a, count_b = int(np.count_nonzero(surface_a)), int(np.count_nonzero(surface_b))
    if count_a == 0 or count_b == 0:
        return 0.0 if count_a == count_b else None
    total = 0.0
    for mine, other in ((surface_a, surface_b), (surface_b, surface_a)):
        # pixels on both surfaces are at distance 0: only the others are looked up
        alone = np.flatnonzero(mine & ~other)
        total += float(np.sqrt(nearest_squared(alone, other)).sum())
    return total / (count_a + count_b)
