"""Matching: exact nearest colour (against brute force), colour spaces, reuse rules."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from skimage.color import rgb2lab

from rasterkit.errors import BadInputError
from rasterkit.photomosaic.colour import get_space, parse_hex, srgb_to_space, to_hex
from rasterkit.photomosaic.match import match, nearest_references


def brute_force(rgb: np.ndarray, refs: np.ndarray, space: str) -> np.ndarray:
    q = srgb_to_space(rgb.reshape(-1, 3), get_space(space))
    d = ((q[:, None, :] - refs[None, :, :]) ** 2).sum(-1)
    return d.argmin(axis=1).reshape(rgb.shape[:2])


def test_cielab_matches_scikit_image():
    rng = np.random.default_rng(3)
    rgb = rng.integers(0, 256, (50, 3), dtype=np.uint8)
    ours = srgb_to_space(rgb, get_space("lab"))
    theirs = rgb2lab(rgb[None].astype(np.float64) / 255.0)[0]
    np.testing.assert_allclose(ours, theirs, atol=0.02)


def test_oklab_reference_values():
    # Published OKLab coordinates of sRGB white, red, green and blue.
    ours = srgb_to_space(np.array([[255, 255, 255], [255, 0, 0], [0, 255, 0], [0, 0, 255]]),
                         get_space("oklab"))
    expected = [[1.0, 0.0, 0.0], [0.627955, 0.224863, 0.125846],
                [0.866440, -0.233888, 0.179498], [0.452014, -0.032457, -0.311528]]
    np.testing.assert_allclose(ours, expected, atol=2e-5)


@pytest.mark.parametrize("space", ["oklab", "lab"])
@pytest.mark.parametrize("k", [1, 3, 64, 700, 3000])
def test_nearest_equals_brute_force(space, k):
    rng = np.random.default_rng(k)
    refs = srgb_to_space(rng.integers(0, 256, (k, 3)), get_space(space))
    rgb = rng.integers(0, 256, (60, 70, 3), dtype=np.uint8)
    result = nearest_references(rgb, refs, space)
    np.testing.assert_array_equal(result.indices, brute_force(rgb, refs, space))
    q = srgb_to_space(rgb.reshape(-1, 3), get_space(space))
    expected = np.linalg.norm(q - refs[result.indices.ravel()], axis=1)
    np.testing.assert_allclose(result.distances.ravel(), expected, rtol=1e-9, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 40), st.booleans())
def test_nearest_property(seed, k, clustered):
    """Clustered references (many near-ties) and duplicates: still the brute-force answer,
    ties to the lowest index."""
    rng = np.random.default_rng(seed)
    centre = rng.integers(0, 256, 3)
    colours = centre + rng.integers(-6, 7, (k, 3)) if clustered else rng.integers(0, 256, (k, 3))
    colours = np.clip(colours, 0, 255)
    colours[rng.integers(0, k, k // 3)] = colours[0]  # duplicates
    refs = srgb_to_space(colours, get_space("oklab"))
    rgb = np.clip(centre + rng.integers(-20, 21, (12, 13, 3)), 0, 255).astype(np.uint8)
    np.testing.assert_array_equal(nearest_references(rgb, refs).indices,
                                  brute_force(rgb, refs, "oklab"))


def test_crafted_colours_pick_known_tiles():
    names = ["#000000", "#ffffff", "#ff0000", "#00ff00", "#0000ff", "#808080", "#ffa500"]
    refs = srgb_to_space(np.array([parse_hex(n) for n in names]), get_space("oklab"))
    pixels = {"#101010": 0, "#f0f0f0": 1, "#e01010": 2, "#20e020": 3, "#1010d0": 4,
              "#777777": 5, "#ff9f10": 6, "#8a8a8a": 5}
    rgb = np.array([[parse_hex(p) for p in pixels]], np.uint8)
    assert nearest_references(rgb, refs).indices.ravel().tolist() == list(pixels.values())


def test_hex_round_trip_and_errors():
    assert parse_hex("#F80") == (255, 136, 0)
    assert to_hex(parse_hex("1a2b3c")) == "#1a2b3c"
    with pytest.raises(BadInputError, match="not a colour"):
        parse_hex("#12345")


def test_max_uses_is_honoured_and_matches_plain_when_loose():
    rng = np.random.default_rng(5)
    refs = srgb_to_space(rng.integers(0, 256, (40, 3)), get_space("oklab"))
    rgb = np.full((10, 12, 3), 90, np.uint8)  # every pixel wants the same tile
    capped = match(rgb, refs, max_uses=6)
    assert np.bincount(capped.indices.ravel(), minlength=40).max() <= 6
    assert len(np.unique(capped.indices)) == 20  # 120 cells / 6 uses
    loose = match(rgb, refs, max_uses=120)
    np.testing.assert_array_equal(loose.indices, nearest_references(rgb, refs).indices)
    # Each cell took the nearest tile with uses left: the 20 tiles nearest to the grey.
    order = np.argsort(np.linalg.norm(refs - srgb_to_space(np.array([90, 90, 90]),
                                                           get_space("oklab")), axis=1))
    assert set(capped.indices.ravel().tolist()) == set(order[:20].tolist())


def test_min_distance_is_honoured():
    rng = np.random.default_rng(6)
    refs = srgb_to_space(rng.integers(0, 256, (30, 3)), get_space("oklab"))
    rgb = rng.integers(100, 140, (25, 25, 3), dtype=np.uint8)
    for d in (1, 2):
        result = match(rgb, refs, min_distance=d)
        assert result.repeat_conflicts == 0
        idx = result.indices
        for y in range(25):
            for x in range(25):
                window = idx[max(0, y - d):y + d + 1, max(0, x - d):x + d + 1]
                assert np.count_nonzero(window == idx[y, x]) == 1


def test_min_distance_gives_way_when_impossible():
    refs = srgb_to_space(np.array([[0, 0, 0], [255, 255, 255]]), get_space("oklab"))
    result = match(np.zeros((4, 4, 3), np.uint8), refs, min_distance=1)
    assert result.repeat_conflicts > 0


def test_cap_too_small_is_refused():
    refs = srgb_to_space(np.array([[0, 0, 0], [255, 255, 255]]), get_space("oklab"))
    with pytest.raises(BadInputError, match="cannot cover"):
        match(np.zeros((4, 4, 3), np.uint8), refs, max_uses=3)
