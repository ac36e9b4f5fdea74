"""End points and junctions of one-pixel-wide lines, and matching them between drawings.

For a line pixel, walk its 8 neighbours in a circle and count the *branches* leaving it (the
crossing number: 0-to-1 steps around the circle) and its line neighbours:

* **end point**: one branch made of one or two line neighbours (a line ends here);
* **junction**: three or more branches (lines meet); junction pixels that touch (8-connected)
  make one junction, located at their centroid.

An isolated pixel (no neighbour) is neither. These definitions assume thin lines, as
:func:`~rasterkit.morphology.skeletonize` makes them.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

import numpy as np

#: Neighbour offsets (dy, dx) in circular order: E, NE, N, NW, W, SW, S, SE.
_RING = ((0, 1), (-1, 1), (-1, 0), (-1, -1), (0, -1), (1, -1), (1, 0), (1, 1))


@functools.cache
def _kinds() -> np.ndarray:
    """256-entry table: neighbourhood byte -> 0 line, 1 end point, 2 junction."""
    table = np.zeros(256, np.uint8)
    for code in range(256):
        bits = [(code >> k) & 1 for k in range(8)]
        branches = sum(bits[k] == 0 and bits[(k + 1) % 8] == 1 for k in range(8))
        if branches == 1 and sum(bits) <= 2:
            table[code] = 1
        elif branches >= 3:
            table[code] = 2
    return table


@dataclasses.dataclass(frozen=True)
class LinePoints:
    """End points and junctions of a line drawing, as ``(n, 2)`` float arrays of
    (row, column); junctions are centroids of touching junction pixels."""

    endpoints: np.ndarray
    junctions: np.ndarray


def line_points(lines: np.ndarray) -> LinePoints:
    """Find the end points and junctions of the lines of a bool mask (module docstring)."""
    height, width = lines.shape
    framed = np.zeros((height + 2, width + 2), np.uint8)
    framed[1:-1, 1:-1] = lines
    stride = width + 2
    rows, cols = np.divmod(np.flatnonzero(lines), width)
    where = (rows + 1) * stride + (cols + 1)
    flat = framed.reshape(-1)
    code = np.zeros(where.size, np.uint8)
    for k, (dy, dx) in enumerate(_RING):
        code |= flat[where + (dy * stride + dx)] << np.uint8(k)
    kind = _kinds()[code]
    ends = np.stack([rows[kind == 1], cols[kind == 1]], axis=1).astype(np.float64)
    return LinePoints(ends, _clusters(rows[kind == 2], cols[kind == 2], width))


def _clusters(rows: np.ndarray, cols: np.ndarray, width: int) -> np.ndarray:
    """Centroids of the 8-connected groups of the pixels ``(rows, cols)`` (raster order)."""
    if rows.size == 0:
        return np.zeros((0, 2))
    stride = width + 2  # a frame column keeps row ends apart
    key = rows * stride + cols
    label = np.arange(key.size)
    pairs_a, pairs_b = [], []
    for dy, dx in ((0, 1), (1, -1), (1, 0), (1, 1)):
        target = key + dy * stride + dx
        at = np.minimum(np.searchsorted(key, target), key.size - 1)
        found = key[at] == target
        pairs_a.append(np.flatnonzero(found))
        pairs_b.append(at[found])
    first, second = np.concatenate(pairs_a), np.concatenate(pairs_b)
    while first.size:  # propagate the smallest label along touching pairs until stable
        low = np.minimum(label[first], label[second])
        if np.array_equal(low, label[first]) and np.array_equal(low, label[second]):
            break
        np.minimum.at(label, first, low)
        np.minimum.at(label, second, low)
        label = label[label]
    _, group = np.unique(label, return_inverse=True)
    count = np.bincount(group)
    return np.stack([np.bincount(group, rows) / count, np.bincount(group, cols) / count],
                    axis=1)


#: Candidate pairs examined at once by :func:`_near_pairs` (bounds its memory, ~100 MB).
CANDIDATES_PER_BLOCK = 4_000_000


def _near_pairs(a: np.ndarray, b: np.ndarray, tolerance: float
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every pair ``(i of a, j of b, squared distance)`` at most ``tolerance`` apart. The
    candidates (``b``'s points in the rows around each point of ``a``) are examined a block
    of ``a`` at a time, so dense drawings do not hold every candidate at once."""
    order = np.argsort(b[:, 0], kind="stable")
    b_rows = b[order, 0]
    low = np.searchsorted(b_rows, a[:, 0] - tolerance, "left")
    high = np.searchsorted(b_rows, a[:, 0] + tolerance, "right")
    counts = high - low
    ends = np.cumsum(counts)
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    start = 0
    while start < a.shape[0]:
        done = int(ends[start - 1]) if start else 0
        stop = max(start + 1, int(np.searchsorted(ends, done + CANDIDATES_PER_BLOCK, "right")))
        part = counts[start:stop]
        ia = np.repeat(np.arange(start, stop), part)
        ib = order[np.repeat(low[start:stop] - np.cumsum(part) + part, part)
                   + np.arange(part.sum())]
        d2 = ((a[ia] - b[ib]) ** 2).sum(axis=1)
        near = d2 <= tolerance * tolerance
        found.append((ia[near], ib[near], d2[near]))
        start = stop
    return tuple(np.concatenate(column) for column in zip(*found, strict=True))  # type: ignore[return-value]


def match_points(a: np.ndarray, b: np.ndarray, tolerance: float) -> int:
    """Number of one-to-one pairs of points of ``a`` and ``b`` no farther apart than
    ``tolerance``, matched greedily nearest first (ties: lower index of ``a``, then ``b``).

    The pairs are taken in shells of doubling radius (1, 2, 4, ... px, then ``tolerance``)
    among the points still unmatched: once every pair within ``r`` has been settled, none is
    left among the rest, so each shell continues the same greedy order. Drawings that mostly
    agree are settled in the first shells and never enumerate the far pairs a wide tolerance
    allows (every pair of points, at the image's diagonal).
    """
    if a.size == 0 or b.size == 0:
        return 0
    left_a, left_b = np.arange(a.shape[0]), np.arange(b.shape[0])
    matched = 0
    radius = min(1.0, tolerance)
    while left_a.size and left_b.size:
        ia, ib = _greedy(*_near_pairs(a[left_a], b[left_b], radius), left_a.size, left_b.size)
        matched += ia.size
        left_a = np.delete(left_a, ia)
        left_b = np.delete(left_b, ib)
        if radius >= tolerance:
            break
        radius = min(2.0 * radius, tolerance)
    return matched


def _greedy(ia: np.ndarray, ib: np.ndarray, d2: np.ndarray, n_a: int, n_b: int
            ) -> tuple[np.ndarray, np.ndarray]:
    """The pairs greedy nearest-first matching takes from the candidate pairs ``(ia, ib)``
    at squared distances ``d2`` (points numbered ``0..n_a-1`` and ``0..n_b-1``).

    Greedy matching equals repeatedly matching the pairs that are each other's best choice,
    which is how it is computed (vectorised).
    """
    taken_a: list[np.ndarray] = []
    taken_b: list[np.ndarray] = []
    while ia.size:
        rank = np.lexsort((ib, ia, d2))  # the global order of pairs: nearest first
        position = np.empty_like(rank)
        position[rank] = np.arange(rank.size)
        best_of_a = _best(ia, position, n_a)
        best_of_b = _best(ib, position, n_b)
        mutual = (best_of_a[ia] == position) & (best_of_b[ib] == position)
        taken_a.append(ia[mutual])
        taken_b.append(ib[mutual])
        used_a = np.zeros(n_a, bool)
        used_b = np.zeros(n_b, bool)
        used_a[ia[mutual]] = True
        used_b[ib[mutual]] = True
        keep = ~(used_a[ia] | used_b[ib])
        ia, ib, d2 = ia[keep], ib[keep], d2[keep]
    if not taken_a:
        return np.zeros(0, np.intp), np.zeros(0, np.intp)
    return np.concatenate(taken_a), np.concatenate(taken_b)


def _best(owner: np.ndarray, position: np.ndarray, n: int) -> np.ndarray:
    """For each owner 0..n-1, the smallest ``position`` among its pairs (n+big if none)."""
    best = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(best, owner, position)
    return best


@dataclasses.dataclass(frozen=True)
class PointMatch:
    """How many points of one kind A and B have, and how many pair up within the
    tolerance (one to one)."""

    a: int
    b: int
    matched: int

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "matched": self.matched}
