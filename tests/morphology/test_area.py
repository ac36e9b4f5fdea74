"""Greyscale area opening and closing against scikit-image and DIPlib."""

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
from rasterkit.morphology import area, area_closing, area_opening, remove_small_objects

from .images import blobs, grey

DTYPES = [np.uint8, np.uint16, np.int16, np.float32]


def random_levels(rng, dtype, shape, levels):
    values = rng.integers(0, levels, shape)
    if dtype == np.int16:
        values = values * 300 - 4000
    elif dtype == np.uint16:
        values = values * 1000
    elif dtype == np.float32:
        values = values * 0.37 - 1.0
    return values.astype(dtype)


def dip_filter(image, min_area, connectivity, closing=False):
    return np.asarray(dip.AreaOpening(image, filterSize=min_area,
                                      connectivity=1 if connectivity == 4 else 2,
                                      polarity="closing" if closing else "opening"))


def sk_filter(image, min_area, connectivity, closing=False):
    fn = skm.area_closing if closing else skm.area_opening
    return fn(image, area_threshold=min_area, connectivity=1 if connectivity == 4 else 2)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("connectivity", [4, 8])
def test_opening_and_closing_equal_skimage_and_dip(dtype, connectivity):
    rng = np.random.default_rng(hash((np.dtype(dtype).name, connectivity)) % 2**32)
    for _ in range(25):
        # scikit-image's max-tree fails on images narrower than 3 pixels
        shape = tuple(rng.integers(3, 30, 2))
        image = random_levels(rng, dtype, shape, int(rng.integers(2, 12)))
        for min_area in (1, 2, 3, 8, 30):
            for closing, fn in ((False, area_opening), (True, area_closing)):
                result = fn(image, min_area, connectivity=connectivity)
                assert result.image.dtype == image.dtype
                np.testing.assert_array_equal(result.image,
                                              dip_filter(image, min_area, connectivity, closing))
                assert np.isin(result.image, image).all()  # values are input values, exactly
                if min_area > image.size:  # skimage's closing then gives the dtype's maximum
                    continue
                expected = sk_filter(image, min_area, connectivity, closing)
                if closing and image.dtype.kind == "f":
                    # skimage closes floats as max - opening(max - x): off by rounding
                    np.testing.assert_allclose(result.image, expected, rtol=1e-6)
                else:
                    np.testing.assert_array_equal(result.image, expected)


@pytest.mark.parametrize("shape", [(1, 1), (1, 9), (9, 1), (2, 2), (2, 7)])
def test_thin_images_equal_dip(shape):
    rng = np.random.default_rng(shape[0] * 10 + shape[1])
    for _ in range(20):
        image = rng.integers(0, 5, shape).astype(np.uint8)
        for connectivity in (4, 8):
            for min_area in (1, 2, 3, 20):
                for closing, fn in ((False, area_opening), (True, area_closing)):
                    np.testing.assert_array_equal(
                        fn(image, min_area, connectivity=connectivity).image,
                        dip_filter(image, min_area, connectivity, closing))


@settings(max_examples=120, deadline=None)
@given(image=arrays(np.uint8, st.tuples(st.integers(3, 16), st.integers(3, 16)),
                    elements=st.integers(0, 6)),
       min_area=st.integers(1, 40), connectivity=st.sampled_from([4, 8]))
def test_property_opening_equals_dip_and_is_an_opening(image, min_area, connectivity):
    opened = area_opening(image, min_area, connectivity=connectivity).image
    np.testing.assert_array_equal(opened, dip_filter(image, min_area, connectivity))
    assert (opened <= image).all()  # anti-extensive
    again = area_opening(opened, min_area, connectivity=connectivity)
    np.testing.assert_array_equal(again.image, opened)  # idempotent
    assert again.changed_pixels == 0


def test_smooth_image_equals_dip_at_realistic_size():
    rng = np.random.default_rng(12)
    image = grey(rng, 400, 520)
    for connectivity in (4, 8):
        np.testing.assert_array_equal(area_opening(image, 150, connectivity=connectivity).image,
                                      dip_filter(image, 150, connectivity))
    image16 = grey(rng, 300, 200, levels=4096)
    np.testing.assert_array_equal(area_closing(image16, 40).image,
                                  dip_filter(image16, 40, 8, closing=True))


@pytest.mark.parametrize("connectivity", [4, 8])
def test_two_bands_join_along_the_seam(connectivity, monkeypatch):
    """Images of 1 Mpx or more are flooded in two bands whose trees are merged."""
    from rasterkit.morphology import threads

    monkeypatch.setattr(threads, "THREADS", 2)
    rng = np.random.default_rng(30 + connectivity)
    image = grey(rng, 1100, 1000, levels=64, scale=8)
    image[540:560] = rng.integers(0, 64, (20, 1000))  # rough texture across the seam (550)
    for min_area in (3, 150, 5000):
        for closing, fn in ((False, area_opening), (True, area_closing)):
            result = fn(image, min_area, connectivity=connectivity)
            np.testing.assert_array_equal(result.image,
                                          dip_filter(image, min_area, connectivity, closing))
            assert result.changed_pixels == int((result.image != image).sum())
    two = area_opening(image, 40, connectivity=connectivity)
    sizes = regional_extrema_areas(image, connectivity)
    assert (two.removed, two.kept) == ((sizes < 40).sum(), (sizes >= 40).sum())
    monkeypatch.setattr(threads, "THREADS", 1)
    one = area_opening(image, 40, connectivity=connectivity)
    assert (one.removed, one.kept, one.changed_pixels) == (two.removed, two.kept,
                                                           two.changed_pixels)


def regional_extrema_areas(image, connectivity, minima=False):
    """Areas of the regional maxima (minima) by scikit-image: an independent count."""
    sk_connectivity = 1 if connectivity == 4 else 2
    find = skm.local_minima if minima else skm.local_maxima
    mask = find(image, connectivity=sk_connectivity, allow_borders=True)
    labels = skimage.measure.label(mask, connectivity=sk_connectivity)
    return np.bincount(labels.ravel())[1:]


@pytest.mark.parametrize("connectivity", [4, 8])
def test_counts_are_regional_extrema_below_and_above_min_area(connectivity):
    rng = np.random.default_rng(connectivity)
    for _ in range(30):
        image = rng.integers(0, 6, tuple(rng.integers(3, 25, 2))).astype(np.uint8)
        if image.min() == image.max():
            continue
        for min_area in (2, 5):
            opened = area_opening(image, min_area, connectivity=connectivity)
            sizes = regional_extrema_areas(image, connectivity)
            assert (opened.removed, opened.kept) == ((sizes < min_area).sum(),
                                                     (sizes >= min_area).sum())
            assert opened.changed_pixels == int((opened.image != image).sum())
            closed = area_closing(image, min_area, connectivity=connectivity)
            sizes = regional_extrema_areas(image, connectivity, minima=True)
            assert (closed.removed, closed.kept) == ((sizes < min_area).sum(),
                                                     (sizes >= min_area).sum())


def test_opening_a_binary_image_is_remove_small_objects():
    mask = blobs(np.random.default_rng(6), 200, 260)
    image = mask.astype(np.uint8) * 255
    for connectivity in (4, 8):
        opened = area_opening(image, 40, connectivity=connectivity)
        removed = remove_small_objects(image, 40, connectivity=connectivity)
        np.testing.assert_array_equal(opened.image, removed.image)
        assert (opened.removed, opened.kept, opened.changed_pixels) == (
            removed.removed, removed.kept, removed.changed_pixels)
    as_bool = area_opening(mask, 40)
    assert as_bool.image.dtype == bool
    np.testing.assert_array_equal(as_bool.image, remove_small_objects(mask, 40).image)


def test_min_area_one_is_the_identity_and_flat_images_are_one_kept_peak():
    image = np.random.default_rng(1).integers(0, 255, (20, 30)).astype(np.uint8)
    result = area_opening(image, 1)
    np.testing.assert_array_equal(result.image, image)
    assert result.changed_pixels == 0
    assert result.removed == 0
    flat = np.full((5, 7), 9, np.uint16)
    for fn in (area_opening, area_closing):
        out = fn(flat, 1000)
        np.testing.assert_array_equal(out.image, flat)
        assert (out.removed, out.kept, out.changed_pixels) == (0, 1, 0)


def test_many_distinct_float_levels():
    image = np.random.default_rng(2).random((60, 70))  # every value distinct
    np.testing.assert_array_equal(area_opening(image, 25).image, dip_filter(image, 25, 8))
    np.testing.assert_array_equal(area_closing(image, 25).image,
                                  dip_filter(image, 25, 8, closing=True))


def test_nan_and_bad_arguments_are_refused():
    with pytest.raises(BadInputError, match="NaN"):
        area_opening(np.array([[0.0, np.nan]]), 2)
    with pytest.raises(BadInputError, match="min_area must be at least 1"):
        area_closing(np.zeros((3, 3), np.uint8), 0)
    with pytest.raises(BadInputError, match="connectivity must be 4 or 8"):
        area_opening(np.zeros((3, 3), np.uint8), 2, connectivity=1)
    with pytest.raises(BadInputError, match="colour image"):
        area_opening(np.dstack([np.zeros((3, 3), np.uint8), np.ones((3, 3), np.uint8),
                                np.zeros((3, 3), np.uint8)]), 2)


def test_docstring_examples():
    assert doctest.testmod(area, raise_on_error=False).failed == 0
