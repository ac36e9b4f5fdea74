"""Nearest-pixel distances and surfaces against scipy's exact distance transform."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import ndimage as ndi

from rasterkit.compare import distance
from rasterkit.compare.distance import (
    boundary,
    brute_force,
    nearest_pixel,
    nearest_squared,
    row_scan,
    transform_squared,
)

from .oracles import surface


def scipy_squared(features: np.ndarray, points: np.ndarray) -> np.ndarray:
    return np.rint(ndi.distance_transform_edt(~features).ravel()[points] ** 2).astype(np.int64)


def force(patch: pytest.MonkeyPatch, path: str) -> None:
    """Send the far points of :func:`nearest_squared` down one path."""
    if path == "offsets":  # a radius covering the image, never given up
        patch.setattr(distance, "RING_RADIUS", 100)
        patch.setattr(distance, "OFFSET_SECONDS", 0.0)
    else:  # most points are far with a radius of 1; the other methods cost too much
        patch.setattr(distance, "RING_RADIUS", 1)
        for name, cost in PATHS.items():
            if name != path:
                patch.setattr(distance, cost, lambda *_: float("inf"))


PATHS = {"brute force": "brute_force_cost", "row scan": "scan_cost",
         "distance transform": "transform_cost"}


@pytest.mark.parametrize("path", ["offsets", *PATHS])
@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), height=st.integers(1, 70), width=st.integers(1, 70),
       density=st.sampled_from([0.0005, 0.005, 0.05, 0.4]))
def test_nearest_squared_is_exact_on_every_path(path, seed, height, width, density):
    rng = np.random.default_rng(seed)
    features = rng.random((height, width)) < density
    features[rng.integers(height), rng.integers(width)] = True
    points = np.flatnonzero(rng.random((height, width)) < 0.3)
    with pytest.MonkeyPatch.context() as patch:
        force(patch, path)
        ours = nearest_squared(points, features)
    np.testing.assert_array_equal(ours, scipy_squared(features, points))


@pytest.mark.parametrize("method", [brute_force, row_scan, transform_squared])
def test_far_methods_with_empty_columns_and_rows(method):
    features = np.zeros((50, 64), bool)
    features[3, 60] = features[47, 2] = features[20, 30] = True  # most columns have none
    points = np.arange(features.size)
    np.testing.assert_array_equal(method(points, features), scipy_squared(features, points))


def test_transform_in_two_threads_over_a_large_image():
    rng = np.random.default_rng(2)
    features = rng.random((1100, 1000)) < 0.0004
    points = np.flatnonzero(rng.random(features.shape) < 0.05)
    np.testing.assert_array_equal(transform_squared(points, features),
                                  scipy_squared(features, points))


def test_nearest_pixel_is_a_nearest_one_first_in_raster_order():
    features = np.zeros((9, 9), bool)
    features[1, 4] = features[7, 4] = features[4, 8] = True
    assert nearest_pixel(4 * 9 + 4, features) == 1 * 9 + 4  # three at distance 4: the first
    assert nearest_pixel(6 * 9 + 4, features) == 7 * 9 + 4


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), height=st.integers(1, 30), width=st.integers(1, 30))
def test_boundary_equals_the_erosion_definition(seed, height, width):
    mask = np.random.default_rng(seed).random((height, width)) < 0.6
    np.testing.assert_array_equal(boundary(mask), surface(mask))
