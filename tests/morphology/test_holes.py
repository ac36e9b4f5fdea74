"""fill_small_holes: holes are zero components touching no border, connected the other way."""

from __future__ import annotations

import numpy as np
import pytest
import skimage.measure
import skimage.morphology as skm
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from rasterkit.morphology import fill_small_holes

from .images import blobs, random_mask


def skimage_fill(mask: np.ndarray, min_area: int, connectivity: int) -> np.ndarray:
    """scikit-image fills zero regions touching the border too: pad with a zero frame wider
    than ``min_area``, so the regions touching the border join one big region kept as is."""
    pad = min_area + 1
    framed = np.pad(mask, pad)
    hole_connectivity = 2 if connectivity == 4 else 1
    filled = skm.remove_small_holes(framed, max_size=min_area - 1,
                                    connectivity=hole_connectivity)
    return filled[pad:-pad, pad:-pad]


def hole_areas(mask: np.ndarray, connectivity: int) -> np.ndarray:
    labels = skimage.measure.label(~mask, connectivity=2 if connectivity == 4 else 1)
    border = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    sizes = np.bincount(labels.ravel(), minlength=labels.max() + 1)
    inner = np.setdiff1d(np.arange(1, labels.max() + 1), border)
    return sizes[inner]


@pytest.mark.parametrize("connectivity", [4, 8])
def test_equals_skimage_on_random_masks(connectivity):
    rng = np.random.default_rng(20 + connectivity)
    for _ in range(50):
        mask = random_mask(rng, *rng.integers(1, 45, 2))
        for min_area in (1, 2, 4, 15):
            result = fill_small_holes(mask, min_area, connectivity=connectivity)
            expected = skimage_fill(mask, min_area, connectivity)
            np.testing.assert_array_equal(result.image, expected)
            sizes = hole_areas(mask, connectivity)
            assert result.removed == int((sizes < min_area).sum())
            assert result.kept == int((sizes >= min_area).sum())
            assert result.changed_pixels == int(expected.sum() - mask.sum())
            assert result.connectivity == 12 - connectivity


@settings(max_examples=100, deadline=None)
@given(mask=arrays(bool, st.tuples(st.integers(1, 20), st.integers(1, 20))),
       min_area=st.integers(1, 10), connectivity=st.sampled_from([4, 8]))
def test_property_equals_skimage(mask, min_area, connectivity):
    result = fill_small_holes(mask, min_area, connectivity=connectivity)
    np.testing.assert_array_equal(result.image, skimage_fill(mask, min_area, connectivity))


def test_blobs_with_two_threads_equal_skimage(monkeypatch):
    from rasterkit.morphology import threads

    monkeypatch.setattr(threads, "THREADS", 2)
    mask = blobs(np.random.default_rng(9), 1030, 1024, scale=12, level=0.45)
    result = fill_small_holes(mask, 60)
    np.testing.assert_array_equal(result.image, skimage_fill(mask, 60, 8))
    assert result.removed > 0
    assert result.kept > 0


def test_zero_regions_touching_a_border_are_not_holes():
    mask = np.ones((5, 6), np.uint8) * 255
    mask[0, 2] = 0  # a 1-px notch in the top edge
    mask[4, 0] = 0  # a 1-px corner
    mask[2, 2] = 0  # a real 1-px hole
    result = fill_small_holes(mask, 100)
    assert (result.removed, result.kept, result.changed_pixels) == (1, 0, 1)
    assert result.image[2, 2] == 255
    assert result.image[0, 2] == 0
    assert result.image[4, 0] == 0


def test_hole_connectivity_is_the_complement():
    """A ring closed only by a diagonal step: closed for 8-connected objects (its hole,
    4-connected, cannot leak), open for 4-connected ones (the 8-connected zeros leak out)."""
    ring = np.zeros((7, 7), bool)
    ring[1, 1:6] = ring[5, 1:6] = ring[1:6, 1] = ring[1:6, 5] = True
    ring[1, 5] = False  # (1, 4) and (2, 5) still touch by a corner
    filled8 = fill_small_holes(ring, 10, connectivity=8)
    assert filled8.removed == 1
    assert filled8.image[3, 3]
    filled4 = fill_small_holes(ring, 10, connectivity=4)
    assert filled4.removed == 0
    assert not filled4.image[3, 3]


def test_fill_value_is_the_foreground_value():
    ring = np.zeros((5, 5), np.uint16)
    ring[1:4, 1:4] = 7
    ring[2, 2] = 0
    result = fill_small_holes(ring, 2)
    assert result.image.dtype == np.uint16
    assert result.image[2, 2] == 7
    assert fill_small_holes(ring, 1).removed == 0  # 1 px is not < 1


def test_empty_and_full():
    for image in (np.zeros((4, 9), bool), np.ones((4, 9), bool)):
        result = fill_small_holes(image, 50)
        assert (result.removed, result.kept, result.changed_pixels) == (0, 0, 0)
        np.testing.assert_array_equal(result.image, image)
