"""remove_small_objects against scikit-image and DIPlib, and what it accepts."""

from __future__ import annotations

import doctest

import diplib as dip
import numpy as np
import pytest
import skimage.measure
import skimage.morphology as skm
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from rasterkit.errors import BadInputError
from rasterkit.morphology import remove_small_objects, small_objects, threads

from .images import blobs, random_mask


def skimage_remove(mask: np.ndarray, min_area: int, connectivity: int) -> np.ndarray:
    """scikit-image 0.26: ``max_size`` removes objects of max_size pixels *or fewer*."""
    return skm.remove_small_objects(mask, max_size=min_area - 1,
                                    connectivity=1 if connectivity == 4 else 2)


def areas(mask: np.ndarray, connectivity: int) -> np.ndarray:
    labels = skimage.measure.label(mask, connectivity=1 if connectivity == 4 else 2)
    return np.bincount(labels.ravel())[1:]


@pytest.mark.parametrize("connectivity", [4, 8])
def test_equals_skimage_on_random_masks(connectivity):
    rng = np.random.default_rng(connectivity)
    for _ in range(60):
        mask = random_mask(rng, *rng.integers(1, 50, 2))
        for min_area in (1, 2, 3, 6, 20):
            result = remove_small_objects(mask, min_area, connectivity=connectivity)
            expected = skimage_remove(mask, min_area, connectivity)
            np.testing.assert_array_equal(result.image, expected)
            sizes = areas(mask, connectivity)
            assert result.removed == int((sizes < min_area).sum())
            assert result.kept == int((sizes >= min_area).sum())
            assert result.changed_pixels == int(mask.sum() - expected.sum())


@pytest.mark.parametrize("connectivity", [4, 8])
def test_equals_dip_on_blobs(connectivity):
    rng = np.random.default_rng(10 + connectivity)
    mask = blobs(rng, 300, 420)
    for min_area in (2, 30, 150, 1000):
        result = remove_small_objects(mask, min_area, connectivity=connectivity)
        # DIPlib keeps objects of `threshold` pixels or more: the same rule as min_area.
        expected = np.asarray(dip.SmallObjectsRemove(mask, min_area, 1 if connectivity == 4
                                                     else 2))
        np.testing.assert_array_equal(result.image, expected)


@settings(max_examples=150, deadline=None)
@given(mask=arrays(bool, st.tuples(st.integers(1, 24), st.integers(1, 24))),
       min_area=st.integers(1, 12), connectivity=st.sampled_from([4, 8]))
def test_property_equals_skimage(mask, min_area, connectivity):
    result = remove_small_objects(mask, min_area, connectivity=connectivity)
    np.testing.assert_array_equal(result.image, skimage_remove(mask, min_area, connectivity))
    assert result.removed + result.kept == len(areas(mask, connectivity))


@pytest.mark.parametrize("connectivity", [4, 8])
def test_two_threads_join_objects_across_the_seam(connectivity, monkeypatch):
    """Images of 1 Mpx or more are scanned in two blocks; objects crossing the seam join."""
    monkeypatch.setattr(threads, "THREADS", 2)
    rng = np.random.default_rng(3)
    mask = blobs(rng, 1100, 1000, scale=16)
    mask[:, 500] = True  # one object spanning every row, across the seam
    mask[548:552, 100:110] = False
    mask[549, 100] = mask[550, 101] = True  # diagonal contact exactly at the seam (row 550)
    for min_area in (5, 150):
        result = remove_small_objects(mask, min_area, connectivity=connectivity)
        np.testing.assert_array_equal(result.image, skimage_remove(mask, min_area,
                                                                   connectivity))
        sizes = areas(mask, connectivity)
        assert (result.removed, result.kept) == ((sizes < min_area).sum(),
                                                 (sizes >= min_area).sum())


def test_max_area_keeps_only_objects_between_the_bounds():
    rng = np.random.default_rng(5)
    mask = blobs(rng, 200, 300)
    labels = skimage.measure.label(mask, connectivity=2)
    sizes = np.bincount(labels.ravel())
    expected = (sizes >= 20) & (sizes <= 400)
    expected[0] = False
    result = remove_small_objects(mask, 20, max_area=400)
    np.testing.assert_array_equal(result.image, expected[labels])
    assert result.kept == int(expected.sum())
    assert result.removed == len(sizes) - 1 - result.kept
    # max_area is inclusive: an object of exactly max_area pixels stays
    square = np.zeros((6, 6), bool)
    square[1:4, 1:4] = True
    assert remove_small_objects(square, 9, max_area=9).image.sum() == 9
    assert remove_small_objects(square, 1, max_area=8).image.sum() == 0


def test_min_area_is_a_strict_lower_bound():
    bar = np.zeros((3, 10), np.uint8)
    bar[1, 2:7] = 255  # 5 pixels
    assert remove_small_objects(bar, 5).image.sum() == 5 * 255  # 5 >= 5: kept
    assert remove_small_objects(bar, 6).image.sum() == 0  # 5 < 6: removed
    assert remove_small_objects(bar, 1).kept == 1


def test_objects_touching_borders_and_corners():
    mask = np.zeros((7, 9), bool)
    mask[0, 0] = True  # corner, 1 px
    mask[0, 4:9] = True  # top edge into the corner, 5 px
    mask[6, 0:3] = True  # bottom left, 3 px
    mask[3:7, 8] = True  # right edge to the bottom corner, 4 px
    mask[5, 7] = True  # touches the right-edge object diagonally and by an edge
    result = remove_small_objects(mask, 4, connectivity=8)
    np.testing.assert_array_equal(result.image, skimage_remove(mask, 4, 8))
    assert (result.removed, result.kept) == (2, 2)
    assert not result.image[0, 0]
    assert not result.image[6, 0]
    assert result.image[0, 4:9].all()
    assert result.image[3:7, 8].all()


@pytest.mark.parametrize("shape", [(1, 1), (1, 17), (17, 1), (40, 33)])
def test_empty_and_full_images(shape):
    empty = np.zeros(shape, np.uint8)
    result = remove_small_objects(empty, 3)
    assert (result.removed, result.kept, result.changed_pixels) == (0, 0, 0)
    assert result.image.dtype == np.uint8
    assert not result.image.any()
    full = np.full(shape, 255, np.uint8)
    pixels = shape[0] * shape[1]
    kept = remove_small_objects(full, pixels)
    assert (kept.removed, kept.kept) == (0, 1)
    np.testing.assert_array_equal(kept.image, full)
    gone = remove_small_objects(full, pixels + 1)
    assert (gone.removed, gone.kept, gone.changed_pixels) == (1, 0, pixels)
    assert not gone.image.any()


@pytest.mark.parametrize(("dtype", "value"), [
    (bool, True), (np.uint8, 1), (np.uint8, 255), (np.uint16, 65535), (np.float32, 1.0),
    (np.int32, 7)])
def test_output_keeps_dtype_and_values(dtype, value):
    rng = np.random.default_rng(8)
    mask = random_mask(rng, 40, 50)
    image = np.where(mask, value, 0).astype(dtype)
    result = remove_small_objects(image, 4)
    assert result.image.dtype == np.dtype(dtype)
    assert set(np.unique(result.image).tolist()) <= {0, value}
    np.testing.assert_array_equal(result.image != 0, skimage_remove(mask, 4, 8))
    assert not np.shares_memory(result.image, image)
    np.testing.assert_array_equal(image, np.where(mask, value, 0).astype(dtype))  # untouched


@pytest.mark.parametrize("image", [
    np.array([[0, 255, 17]], np.uint8), np.array([[0, 1, 2]], np.uint16),
    np.array([[0.0, 1.0, 0.5]], np.float32), np.array([[0.0, np.nan]], np.float64),
    np.array([[3, 3], [200, 3]], np.uint8)])
def test_non_binary_is_refused_with_the_values(image):
    with pytest.raises(BadInputError, match=r"<array>: not a binary image: values .*threshold"):
        remove_small_objects(image, 2)


def test_non_binary_in_the_second_block_is_refused(monkeypatch):
    monkeypatch.setattr(threads, "THREADS", 2)
    image = np.zeros((1200, 1000), np.uint8)
    image[:600, :10] = 255
    image[900, 5] = 128  # only the lower block sees this value
    with pytest.raises(BadInputError, match=r"values 0, 128, 255 \(3 distinct values\)"):
        remove_small_objects(image, 2)


def test_threshold_binarises_value_above_t():
    grey = np.array([[0, 100, 101, 200], [0, 0, 0, 0], [250, 250, 0, 90]], np.uint8)
    result = remove_small_objects(grey, 2, threshold=100, connectivity=4)
    # foreground: 101, 200 (an object of 2) and 250, 250 (another of 2); 100 is not > 100
    expected = np.array([[0, 0, 255, 255], [0, 0, 0, 0], [255, 255, 0, 0]], np.uint8)
    np.testing.assert_array_equal(result.image, expected)
    assert (result.removed, result.kept) == (0, 2)
    floats = remove_small_objects(grey.astype(np.float32) / 255, 3, threshold=0.5)
    assert floats.image.dtype == np.float32
    assert not floats.image.any()


def test_bands_equal_colour_is_grey_and_opaque_alpha_is_ignored():
    rng = np.random.default_rng(2)
    mask = random_mask(rng, 30, 30).astype(np.uint8) * 255
    expected = remove_small_objects(mask, 3).image
    rgb = np.dstack([mask, mask, mask])
    np.testing.assert_array_equal(remove_small_objects(rgb, 3).image, expected)
    rgba = np.dstack([mask, mask, mask, np.full_like(mask, 255)])
    np.testing.assert_array_equal(remove_small_objects(rgba, 3).image, expected)
    grey_alpha = np.dstack([mask, np.full_like(mask, 255)])
    np.testing.assert_array_equal(remove_small_objects(grey_alpha, 3).image, expected)


def test_colour_and_transparency_are_refused():
    mask = np.zeros((4, 4, 3), np.uint8)
    mask[1, 1] = (255, 0, 255)
    with pytest.raises(BadInputError, match="colour image"):
        remove_small_objects(mask, 2)
    rgba = np.zeros((4, 4, 4), np.uint8)
    rgba[..., 3] = 255
    rgba[0, 0, 3] = 0
    with pytest.raises(BadInputError, match="transparent"):
        remove_small_objects(rgba, 2)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"min_area": 0}, "min_area must be at least 1"),
    ({"min_area": -3}, "min_area must be at least 1"),
    ({"min_area": 1.5}, "whole number"),
    ({"min_area": "3"}, "whole number"),
    ({"min_area": True}, "whole number"),
    ({"min_area": 5, "max_area": 4}, r"max_area \(4\) must be >= min_area \(5\)"),
    ({"min_area": 5, "connectivity": 6}, "connectivity must be 4 or 8"),
    ({"min_area": 5, "threshold": float("nan")}, "threshold must be a finite number"),
])
def test_bad_arguments(kwargs, message):
    with pytest.raises(BadInputError, match=message):
        remove_small_objects(np.zeros((3, 3), bool), **kwargs)


def test_whole_float_min_area_is_accepted():
    assert remove_small_objects(np.ones((2, 2), bool), 4.0).kept == 1


def test_reads_files(tmp_path):
    from .images import save

    rng = np.random.default_rng(4)
    mask = blobs(rng, 120, 90)
    path = save(mask, tmp_path / "mask.png")
    result = remove_small_objects(path, 30)
    assert result.image.dtype == np.uint8
    np.testing.assert_array_equal(result.image, skimage_remove(mask, 30, 8).astype(np.uint8)
                                  * 255)
    with pytest.raises(BadInputError, match=r"nope\.png: no such file"):
        remove_small_objects(tmp_path / "nope.png", 3)


def test_docstring_examples():
    assert doctest.testmod(small_objects, raise_on_error=False).failed == 0
