"""Distances from pixels to the nearest pixel of a set: boundaries, surface distance.

Distances are Euclidean, between pixel centres, in pixels.

:func:`nearest_squared` answers "how far is each of these pixels from the nearest feature
pixel" exactly, in two steps:

1. **Offsets, nearest first** (up to :data:`RING_RADIUS` px), in numpy, vectorised over the
   pixels still unanswered: a pixel is answered by the first offset that lands on a
   feature, since every nearer offset was tried before. Most pixels of a comparison have a
   counterpart this near, and this step reads nothing else.
2. The **far** pixels left get one of three exact methods, whichever the cost model below
   says is cheapest: comparing them with every feature pixel (:func:`brute_force`, for a
   handful), a numpy **row scan** (:func:`row_scan`; its work follows how many pixels are
   far and how far), or the compiled **distance transform** of
   :mod:`rasterkit._kernels._edt` (work proportional to the image). The offset search also
   stops early when the transform is estimated cheaper than trying the remaining offsets. Few far
   pixels, as when a small object is missing, stay in numpy; many, as when large regions
   differ, go to the transform.

The cost model's constants were measured on the 2-core reference machine; they only choose
between exact methods, so a poor estimate costs time, never accuracy.
"""

from __future__ import annotations

import functools
import itertools

import numpy as np

from .. import threads

#: Offsets up to this distance (pixels) are searched directly.
RING_RADIUS = 8
#: Cost model (seconds): one offset tried for one pixel; one (pixel, feature) pair compared;
#: the row scan per image pixel (its sweeps), per pixel of the rows holding far pixels and
#: per far pixel; the transform per image pixel (column pass) and per pixel of the rows
#: holding far pixels (row pass).
OFFSET_SECONDS = 2e-8
PAIR_SECONDS = 3e-9
SCAN_PIXEL_SECONDS = 1.2e-9
SCAN_ROW_PIXEL_SECONDS = 7e-9
SCAN_POINT_SECONDS = 4e-6
TRANSFORM_PIXEL_SECONDS = 1.5e-9
TRANSFORM_ROW_PIXEL_SECONDS = 1e-8


@functools.cache
def _offsets(radius: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(dy, dx, squared distance)`` of every offset within ``radius``, nearest first."""
    span = np.arange(-radius, radius + 1)
    dy, dx = (a.reshape(-1) for a in np.meshgrid(span, span, indexing="ij"))
    d2 = dy * dy + dx * dx
    keep = d2 <= radius * radius
    order = np.lexsort((dx[keep], dy[keep], d2[keep]))
    return dy[keep][order], dx[keep][order], d2[keep][order]


def nearest_squared(points: np.ndarray, features: np.ndarray) -> np.ndarray:
    """Squared distance (int64) from each point to the nearest nonzero pixel of ``features``.

    Parameters
    ----------
    points : int array
        Flat (row-major) indices into ``features``, ascending.
    features : 2-D bool array
        The feature pixels; at least one must be set.
    """
    points = np.asarray(points, np.int64)
    out = np.empty(points.size, np.int64)
    todo = _offset_search(points, features, out)
    if todo.size:
        far = points[todo]
        costs = {brute_force: brute_force_cost(far, features),
                 row_scan: scan_cost(far, features.shape),
                 transform_squared: transform_cost(far, features.shape)}
        out[todo] = min(costs, key=costs.__getitem__)(far, features)
    return out


def _rows(points: np.ndarray, width: int) -> int:
    """Number of distinct rows of ``points`` (ascending flat indices)."""
    return 1 + int(np.count_nonzero(np.diff(points // width))) if points.size else 0


def brute_force_cost(points: np.ndarray, features: np.ndarray) -> float:
    """Estimated seconds of :func:`brute_force` (counting the features only if it can win)."""
    if points.size > 50_000:
        return float("inf")
    return points.size * int(np.count_nonzero(features)) * PAIR_SECONDS


def scan_cost(points: np.ndarray, shape: tuple[int, int]) -> float:
    """Estimated seconds of :func:`row_scan` for ``points`` (ascending)."""
    return (shape[0] * shape[1] * SCAN_PIXEL_SECONDS
            + _rows(points, shape[1]) * shape[1] * SCAN_ROW_PIXEL_SECONDS
            + points.size * SCAN_POINT_SECONDS)


def transform_cost(points: np.ndarray, shape: tuple[int, int]) -> float:
    """Estimated seconds of :func:`transform_squared` for ``points`` (ascending)."""
    return (shape[0] * shape[1] * TRANSFORM_PIXEL_SECONDS
            + _rows(points, shape[1]) * shape[1] * TRANSFORM_ROW_PIXEL_SECONDS)


def brute_force(points: np.ndarray, features: np.ndarray) -> np.ndarray:
    """Exact squared distances of ``points`` by comparing each with every feature pixel."""
    width = features.shape[1]
    found_rows, found_cols = np.divmod(np.flatnonzero(features), width)
    out = np.empty(points.size, np.int64)
    step = max(1, 2_000_000 // found_rows.size)
    for start in range(0, points.size, step):
        rows, cols = np.divmod(points[start:start + step, None], width)
        out[start:start + step] = ((found_rows - rows) ** 2 + (found_cols - cols) ** 2).min(
            axis=1)
    return out


def _offset_search(points: np.ndarray, features: np.ndarray, out: np.ndarray) -> np.ndarray:
    """Step 1: fill ``out`` for the points with a feature within :data:`RING_RADIUS`;
    returns the indices of the others.

    It gives up early when the offsets still to try are estimated dearer than the distance
    transform of the points left: after each distance, the share of points the last distance
    answered predicts the next ones' (a geometric decay).
    """
    todo = np.arange(points.size)
    if points.size == 0:
        return todo
    radius = RING_RADIUS
    height, width = features.shape
    framed = np.zeros((height + 2 * radius, width + 2 * radius), bool)
    framed[radius:radius + height, radius:radius + width] = features
    flat = framed.reshape(-1)
    stride = framed.shape[1]
    rows, cols = np.divmod(points, width)
    where = (rows + radius) * stride + (cols + radius)
    dys, dxs, d2s = _offsets(radius)
    starts = np.flatnonzero(np.diff(d2s, prepend=-1))  # first offset of each distance
    before = todo.size
    for level, first in enumerate(starts.tolist()):
        if level >= 2 and todo.size:  # a few distances seen: is going on worth it?
            keep = todo.size / max(before, 1)  # the share the last distance left
            left = dys.size - first
            expected = todo.size * min(left, (first - starts[level - 1]) / max(1 - keep, 1e-3))
            if expected * OFFSET_SECONDS > transform_cost(points[todo], features.shape):
                break
        before = todo.size
        stop = starts[level + 1] if level + 1 < starts.size else dys.size
        for dy, dx in zip(dys[first:stop].tolist(), dxs[first:stop].tolist(), strict=True):
            hit = flat[where + (dy * stride + dx)]
            if hit.any():
                out[todo[hit]] = d2s[first]
                miss = ~hit
                todo, where = todo[miss], where[miss]
        if todo.size == 0:
            break
    return todo


def row_scan(points: np.ndarray, features: np.ndarray) -> np.ndarray:
    """Exact squared distances of ``points`` (ascending flat indices) in numpy.

    With ``g`` the distance from each pixel of the points' rows to the nearest feature of
    its column (:func:`vertical_gaps`), ``d^2 = min over dx of dx^2 + g(x + dx)^2``; ``dx``
    grows from 0 until ``dx^2`` reaches the best found, for all points at once.
    """
    height, width = features.shape
    rows, cols = np.divmod(points, width)
    needed, slot = np.unique(rows, return_inverse=True)
    gaps = vertical_gaps(features, needed)
    far = height + width  # no feature in the column
    best = gaps[slot, cols].astype(np.int64) ** 2
    active = np.arange(points.size)
    for dx in range(1, width):
        active = active[dx * dx < best[active]]
        if active.size == 0:
            break
        s, x = slot[active], cols[active]
        left = np.where(x >= dx, gaps[s, np.maximum(x - dx, 0)], far)
        right = np.where(x + dx < width, gaps[s, np.minimum(x + dx, width - 1)], far)
        nearer = np.minimum(left, right).astype(np.int64)
        best[active] = np.minimum(best[active], nearer * nearer + dx * dx)
    return best


def transform_squared(points: np.ndarray, features: np.ndarray) -> np.ndarray:
    """Exact squared distances of ``points`` (ascending flat indices) by the compiled
    distance transform, on the points' rows only, in two threads."""
    from .._kernels._edt import column_gaps, row_distances

    height, width = features.shape
    rows = points // width
    slot_of_row = np.full(height, -1, np.int64)
    needed = np.unique(rows)
    slot_of_row[needed] = np.arange(needed.size)
    gaps = np.full((needed.size, width), height + width, np.int32)
    pixels = np.ascontiguousarray(features).view(np.uint8)
    halves = threads.bands(width, height)
    threads.in_threads([(column_gaps, (pixels, slot_of_row, gaps, x0, x1))
                        for x0, x1 in halves])
    out = np.empty(points.size, np.int64)
    cuts = [0, *np.searchsorted(rows, [needed[len(needed) * k // len(halves)]
                                       for k in range(1, len(halves))]).tolist(), points.size]
    threads.in_threads([(row_distances, (gaps, slot_of_row, width, points, out, k0, k1))
                        for k0, k1 in itertools.pairwise(cuts)])
    return out


def vertical_gaps(features: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """For each of the sorted ``rows``, the distance from each pixel to the nearest feature
    of its column, up or down (``height + width`` when the column has none): int32
    ``(len(rows), width)``. One sweep down and one up, a row at a time."""
    height, width = features.shape
    far = height + width
    gaps = np.empty((rows.size, width), np.int32)
    slot = np.full(height, -1, np.int64)
    slot[rows] = np.arange(rows.size)
    seen = np.full(width, -far, np.int32)  # the last feature row met in each column
    for y in range(int(rows[-1]) + 1):
        np.copyto(seen, y, where=features[y])
        if slot[y] >= 0:
            np.subtract(y, seen, out=gaps[slot[y]])
    seen[:] = height + far
    step = np.empty(width, np.int32)
    for y in range(height - 1, int(rows[0]) - 1, -1):
        np.copyto(seen, y, where=features[y])
        if slot[y] >= 0:
            np.subtract(seen, y, out=step)
            np.minimum(gaps[slot[y]], step, out=gaps[slot[y]])
    np.minimum(gaps, far, out=gaps)
    return gaps


def nearest_pixel(point: int, features: np.ndarray) -> int:
    """Flat index of the feature pixel nearest to the pixel at flat index ``point`` (the
    first in raster order among equally near ones)."""
    width = features.shape[1]
    candidates = np.flatnonzero(features)
    rows, cols = np.divmod(candidates, width)
    y, x = divmod(int(point), width)
    d2 = (rows - y) ** 2 + (cols - x) ** 2
    return int(candidates[int(np.argmin(d2))])


def boundary(foreground: np.ndarray, block: int = 256) -> np.ndarray:
    """The inner boundary of a bool mask: foreground pixels with a background 4-neighbour,
    pixels outside the image counting as background. Computed in blocks of rows that stay
    in the cache."""
    height = foreground.shape[0]
    out = np.empty_like(foreground)
    for start in range(0, height, block):
        stop = min(height, start + block)
        lo, hi = max(0, start - 1), min(height, stop + 1)  # a row of context each side
        rows = foreground[lo:hi]
        inner = rows.copy()
        inner[1:] &= rows[:-1]
        inner[:-1] &= rows[1:]
        inner[:, 1:] &= rows[:, :-1]
        inner[:, :-1] &= rows[:, 1:]
        inner[:, 0] = inner[:, -1] = False
        if lo == 0:
            inner[0] = False
        if hi == height:
            inner[-1] = False
        keep = slice(start - lo, stop - lo)
        np.greater(rows[keep], inner[keep], out=out[start:stop])  # in the mask, not inside
    return out


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
