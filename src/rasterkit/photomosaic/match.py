"""Nearest-tile matching: every pixel of the main image gets the tile whose average colour is
nearest in a perceptual space (OKLab by default, or CIELAB), exactly.

Search (see :mod:`rasterkit._kernels._nearest`): pixels are grouped by sRGB cell (``8^3`` values
per cell, 32 cells per channel; 64 with more than 2048 tiles); each occupied cell gets the short
list of tiles that can be nearest to any colour in it (found through coarser levels of cells
first); each pixel compares itself with that list only, nearest-first with an early stop. Cost:
a fraction of ``occupied cells x tiles`` once plus a few distance computations per pixel, all
compiled, the pixel pass on every core.

Optional rules, applied by a greedy pass over the cells in a seeded random order (so that no
part of the picture is favoured): ``max_uses`` caps how often one tile is used, and
``min_distance`` forbids the same tile within that many cells (Chebyshev distance: 1 = the 8
neighbours). Each cell takes its nearest tile that satisfies both; when none does, the distance
rule gives way for that cell (counted in ``MatchResult.repeat_conflicts``).
"""

from __future__ import annotations

import dataclasses
import os

import numpy as np

from ..errors import BadInputError
from ..threads import bands, in_threads
from .colour import Space, get_space, srgb_to_linear_table


@dataclasses.dataclass(frozen=True)
class MatchResult:
    """``indices`` ``(rows, cols)`` int32: the reference chosen for each pixel; ``distances``
    ``(rows, cols)`` float64: its distance to the pixel in the space's units;
    ``repeat_conflicts``: cells where ``min_distance`` could not be kept."""

    indices: np.ndarray
    distances: np.ndarray
    repeat_conflicts: int = 0


def _space_args(space: Space) -> tuple[np.ndarray, ...]:
    return (srgb_to_linear_table(), np.ascontiguousarray(space.m1),
            np.ascontiguousarray(space.m2), np.ascontiguousarray(space.offset))


#: New candidate-list entries allowed per level (12 bytes each): past it, cells share their
#: parent's list (slower search, same answer), so memory stays bounded.
LIST_BUDGET = 2_000_000


def levels(references: int) -> tuple[int, ...]:
    """Cell sizes of the candidate hierarchy, coarse to fine, in bits per channel: each level
    only examines the candidates of the level before, so the work per cell stays small; many
    references get a finer last level (shorter lists per pixel)."""
    return (3, 4, 5) if references <= 2048 else (3, 4, 5, 6)


def _cell_ids(rgb: np.ndarray, bits: int) -> np.ndarray:
    q = rgb >> (8 - bits)
    return ((q[..., 0].astype(np.int64) << (2 * bits)) | (q[..., 1].astype(np.int64) << bits)
            | q[..., 2])


def _level_lists(cells: np.ndarray, bits: int, parent_bits: int, parent: tuple, flat: np.ndarray,
                 keys: np.ndarray, refs: np.ndarray, colour_args: tuple, space: Space,
                 threads: int | None = None) -> tuple[np.ndarray, ...]:
    """Candidate lists of one level, computed on ``threads`` threads (the kernel releases the
    GIL), appended after the lists of the levels before (``flat``, ``keys``)."""
    from concurrent.futures import ThreadPoolExecutor

    from .._kernels import _nearest as kernels

    workers = max(1, min(threads or os.cpu_count() or 1, len(cells) // 256 or 1))
    parts = np.array_split(cells, workers)
    budget = LIST_BUDGET // workers

    def one(part: np.ndarray) -> tuple:
        return kernels.candidate_lists(part, bits, parent_bits, *parent, flat, budget, refs,
                                       *colour_args, space.kind)

    if workers == 1:
        results = [one(parts[0])]
    else:
        with ThreadPoolExecutor(workers) as pool:
            results = list(pool.map(one, parts))
    at = len(flat)
    new_flat, new_keys = [flat], [keys]
    begins, ends, radii = [], [], []
    for begin, end, radius, out, out_keys, used in results:
        own = begin < 0
        begin[own] = at - begin[own] - 1
        end[own] = at - end[own] - 1
        at += used
        begins.append(begin)
        ends.append(end)
        radii.append(radius)
        new_flat.append(out[:used])
        new_keys.append(out_keys[:used])
    return (np.concatenate(begins), np.concatenate(ends), np.concatenate(radii),
            np.concatenate(new_flat), np.concatenate(new_keys))


def nearest_references(rgb: np.ndarray, references: np.ndarray, space: Space | str = "oklab"
                       ) -> MatchResult:
    """For each pixel of ``rgb`` ``(rows, cols, 3)`` uint8 sRGB, the index of the nearest of
    ``references`` ``(K, 3)`` (coordinates in ``space``) and the distance to it.

    Exact: the same answer as comparing every pixel with every reference (ties: lowest index).

    Example
    -------
    >>> from rasterkit.photomosaic.colour import srgb_to_space, get_space
    >>> refs = srgb_to_space(np.array([[0, 0, 0], [255, 255, 255]]), get_space("oklab"))
    >>> nearest_references(np.array([[[30, 30, 30], [200, 210, 220]]], np.uint8), refs).indices
    array([[0, 1]], dtype=int32)
    """
    from .._kernels import _nearest as kernels

    space = get_space(space) if isinstance(space, str) else space
    rgb = np.ascontiguousarray(rgb, dtype=np.uint8)
    refs = np.ascontiguousarray(references, dtype=np.float64)
    if refs.ndim != 2 or refs.shape[1] != 3 or len(refs) == 0:
        raise BadInputError(f"references must be a non-empty (K, 3) array, not {refs.shape}")
    lut, m1, m2, off = _space_args(space)
    k = len(refs)
    parent_bits = 0
    slot = np.zeros(1, np.int64)
    begin, end, radius = np.array([0]), np.array([k]), np.array([np.inf])
    flat = np.arange(k, dtype=np.int32)
    keys = np.zeros(k)  # the root list: unsorted, no early stop (infinite radius)
    for bits in levels(k):
        cell_ids = _cell_ids(rgb, bits)
        occupied = np.flatnonzero(np.bincount(cell_ids.ravel(), minlength=1 << (3 * bits)))
        parent = (slot, begin, end, radius)
        begin, end, radius, flat, keys = _level_lists(occupied, bits, parent_bits, parent, flat,
                                                      keys, refs, (lut, m1, m2, off), space)
        slot = np.full(1 << (3 * bits), -1, np.int64)
        slot[occupied] = np.arange(len(occupied))
        parent_bits = bits
    best = np.empty(rgb.shape[:2], np.int32)
    dist2 = np.empty(rgb.shape[:2], np.float64)
    rows, cols = rgb.shape[:2]
    in_threads([(kernels.nearest, (rgb[y0:y1], bits, slot, begin, end, flat, keys, radius, refs,
                                   lut, m1, m2, off, space.kind, best[y0:y1], dist2[y0:y1]))
                for y0, y1 in bands(rows, cols)])  # the kernel releases the GIL
    return MatchResult(best, np.sqrt(dist2))


def match(rgb: np.ndarray, references: np.ndarray, space: Space | str = "oklab", *,
          max_uses: int | None = None, min_distance: int = 0, seed: int = 0) -> MatchResult:
    """Choose a reference (tile) for every pixel: the nearest, under optional reuse rules.

    Parameters
    ----------
    rgb : ``(rows, cols, 3)`` uint8
        The main image, 8-bit sRGB; one tile per pixel.
    references : ``(K, 3)`` float64
        The tiles' average colours in ``space`` (see :class:`rasterkit.photomosaic.TileSet`).
    space : "oklab" or "lab"
        Where distances are measured (Euclidean).
    max_uses : int or None
        Use no tile more than this many times (None: no cap). ``max_uses * K`` must be at least
        the number of pixels.
    min_distance : int, cells
        The same tile is not used again within this Chebyshev distance (0: no rule; 1: never
        next to itself, diagonals included).
    seed : int
        Seeds the order in which cells choose under the rules (no effect without rules).

    Returns
    -------
    MatchResult
        Indices into ``references``, distances, and the count of cells where the distance rule
        had to give way.
    """
    space = get_space(space) if isinstance(space, str) else space
    rows, cols = rgb.shape[:2]
    k = len(references)
    if max_uses is not None and max_uses < 1:
        raise BadInputError(f"max_uses must be at least 1, not {max_uses}")
    if min_distance < 0:
        raise BadInputError(f"min_distance must be >= 0, not {min_distance}")
    if max_uses is not None and max_uses * k < rows * cols:
        raise BadInputError(
            f"max_uses {max_uses} x {k} tiles = {max_uses * k:,} uses cannot cover "
            f"{rows * cols:,} cells ({cols} x {rows}); raise the cap, add tiles or use fewer "
            f"cells")
    plain = nearest_references(rgb, references, space)
    if max_uses is None and min_distance == 0:
        return plain
    from .._kernels import _nearest as kernels

    lut, m1, m2, off = _space_args(space)
    coords = kernels.pixels_to_space(np.ascontiguousarray(rgb.reshape(-1, 3)), lut, m1, m2, off,
                                     space.kind)
    order = np.random.default_rng(seed).permutation(rows * cols)
    out = np.empty(rows * cols, np.int32)
    dist2 = np.empty(rows * cols, np.float64)
    conflicts = kernels.assign_constrained(
        coords, plain.indices.ravel(), np.ascontiguousarray(references, dtype=np.float64), cols,
        order, int(max_uses or 0), int(min_distance), out, dist2)
    return MatchResult(out.reshape(rows, cols), np.sqrt(dist2).reshape(rows, cols),
                       int(conflicts))
