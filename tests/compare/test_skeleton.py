"""skeletonize: Guo–Hall equals scikit-image's thin, Zhang–Suen equals the 1984 paper,
topology is kept, and the input's type and values come back."""

from __future__ import annotations

import doctest

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import ndimage as ndi
from skimage.filters import threshold_otsu
from skimage.morphology import thin

from rasterkit.errors import BadInputError
from rasterkit.morphology import inputs, skeleton, skeletonize
from rasterkit.morphology.skeleton import thin_pixels

from .images import blobs, drawing

EIGHT = np.ones((3, 3), bool)


def zhang_suen_paper(image: np.ndarray) -> np.ndarray:
    """Zhang and Suen (1984) written out from the paper: whole-image parallel passes."""
    s = np.pad(image.astype(np.int32), 1)
    while True:
        changed = False
        for step in (1, 2):
            p1 = s[1:-1, 1:-1]
            p2, p3, p4, p5 = s[:-2, 1:-1], s[:-2, 2:], s[1:-1, 2:], s[2:, 2:]
            p6, p7, p8, p9 = s[2:, 1:-1], s[2:, :-2], s[1:-1, :-2], s[:-2, :-2]
            ring = [p2, p3, p4, p5, p6, p7, p8, p9, p2]
            b = sum(ring[:8])
            a = sum(((ring[i] == 0) & (ring[i + 1] == 1)).astype(np.int32) for i in range(8))
            delete = (p1 == 1) & (b >= 2) & (b <= 6) & (a == 1)
            if step == 1:
                delete &= (p2 * p4 * p6 == 0) & (p4 * p6 * p8 == 0)
            else:
                delete &= (p2 * p4 * p8 == 0) & (p2 * p6 * p8 == 0)
            if delete.any():
                changed = True
                s[1:-1, 1:-1][delete] = 0
        if not changed:
            return s[1:-1, 1:-1].astype(bool)


def random_shapes(seed: int, height: int, width: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if seed % 3 == 0:
        return rng.random((height, width)) < 0.55  # pixel noise: every odd configuration
    return blobs(rng, height, width, sigma=rng.uniform(1, 4), level=rng.uniform(0.45, 0.55))


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), height=st.integers(1, 60), width=st.integers(1, 60))
def test_guo_hall_equals_scikit_image_thin(seed, height, width):
    image = random_shapes(seed, height, width)
    ours = skeletonize(image, method="guo-hall").image
    np.testing.assert_array_equal(ours, thin(image))


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), height=st.integers(1, 60), width=st.integers(1, 60))
def test_zhang_suen_equals_the_paper(seed, height, width):
    image = random_shapes(seed, height, width)
    np.testing.assert_array_equal(skeletonize(image, method="zhang-suen").image,
                                  zhang_suen_paper(image))


@pytest.mark.parametrize("method", skeleton.METHODS)
def test_drawing_keeps_topology_and_is_thin_and_stable(method):
    image = drawing(np.random.default_rng(2), 400, strokes=25) > 0
    result = skeletonize(image, method=method)
    lines = result.image
    assert not (lines & ~image).any()  # only deletes
    assert ndi.label(lines, EIGHT)[1] == ndi.label(image, EIGHT)[1]
    # the holes stay: background components (4-connected; outside the image is background)
    framed = np.pad(~lines, 1, constant_values=True)
    assert ndi.label(framed)[1] == ndi.label(np.pad(~image, 1, constant_values=True))[1]
    assert skeletonize(lines, method=method).skeleton_pixels == result.skeleton_pixels
    assert result.skeleton_pixels == lines.sum() < 0.25 * image.sum()
    assert result.foreground_pixels == image.sum()


def test_the_papers_own_difference_on_a_square():
    square = np.zeros((6, 6), bool)
    square[2:4, 2:4] = True
    # Zhang–Suen erases it (as published)
    assert skeletonize(square, method="zhang-suen").skeleton_pixels == 0
    kept = skeletonize(square, method="guo-hall").image  # Guo–Hall keeps one pixel
    assert kept.sum() == 1
    assert kept[2:4, 2:4].any()


def test_values_and_types_come_back():
    bar = np.zeros((9, 20), np.uint8)
    bar[3:6, 2:18] = 200
    result = skeletonize(bar)
    assert result.image.dtype == np.uint8
    assert set(np.unique(result.image)) == {0, 200}
    as_bool = skeletonize(bar > 0).image
    np.testing.assert_array_equal(result.image > 0, as_bool)
    for kind, scaled in (("uint16", bar.astype(np.uint16) * 300),
                         ("float32", (bar > 0).astype(np.float32))):
        out = skeletonize(scaled).image
        assert out.dtype == np.dtype(kind)
        np.testing.assert_array_equal(out > 0, as_bool)


def test_threshold_otsu_and_max_iterations():
    rng = np.random.default_rng(6)
    grey = (ndi.gaussian_filter(rng.random((60, 70)), 3) * 255 * 4 % 255).astype(np.uint8)
    with pytest.raises(BadInputError, match="not a binary image"):
        skeletonize(grey)
    otsu = skeletonize(grey, threshold="otsu")
    assert otsu.threshold == threshold_otsu(grey)
    np.testing.assert_array_equal(otsu.image > 0, skeletonize(grey > otsu.threshold).image)
    assert set(np.unique(otsu.image)) <= {0, 255}
    one = skeletonize(grey > 128, max_iterations=1)
    assert one.iterations == 1
    assert one.skeleton_pixels > skeletonize(grey > 128).skeleton_pixels
    with pytest.raises(BadInputError, match="method must be one of guo-hall, zhang-suen"):
        skeletonize(grey > 128, method="lee")
    with pytest.raises(BadInputError, match="max_iterations"):
        skeletonize(grey > 128, max_iterations=-1)


def test_large_image_matches_full_scan_reference():
    image = drawing(np.random.default_rng(8), 700, strokes=40) > 0
    np.testing.assert_array_equal(thin_pixels(image, "guo-hall")[0].view(bool), thin(image))


@pytest.mark.parametrize("image", [
    np.array([[0, 10, 12], [200, 198, 201]], np.uint8),
    (np.arange(3000).reshape(50, 60) * 7 % 4001).astype(np.uint16),
    np.random.default_rng(1).normal(size=(40, 40)).astype(np.float32),
    np.linspace(-3, 9, 1000).reshape(25, 40),
])
def test_otsu_threshold_equals_scikit_image(image):
    assert inputs.otsu_threshold(image) == pytest.approx(threshold_otsu(image), rel=1e-12)


def test_otsu_of_flat_or_bool_images():
    assert inputs.otsu_threshold(np.full((4, 4), 7, np.uint8)) == 7.0
    assert inputs.otsu_threshold(np.eye(4, dtype=bool)) == 0.0
    with pytest.raises(BadInputError, match="finite"):
        inputs.otsu_threshold(np.array([[0.0, np.nan]]))


def test_docstring_examples():
    assert doctest.testmod(skeleton, raise_on_error=False).failed == 0
    assert doctest.testmod(inputs, raise_on_error=False).failed == 0


def lut_fix_stroke(length: int) -> np.ndarray:
    """scikit-image's ``test_lut_fix`` stroke, ``length`` steps long: a staircase two pixels
    wide going down and to the right."""
    image = np.zeros((length + 2, length + 3), np.uint8)
    for k in range(length):
        image[1 + k, 1 + k] = image[1 + k, 2 + k] = 1
    image[1, 1] = 0
    return image


def test_the_default_keeps_scikit_images_lut_fix_stroke():
    """scikit-image's own case: Zhang–Suen as published wears the 7-pixel diagonal stroke
    down to one pixel; the default keeps it from end to end, as scikit-image expects."""
    image = lut_fix_stroke(4)
    assert int(image.sum()) == 7
    assert skeletonize(image, method="zhang-suen").skeleton_pixels == 1
    kept = np.argwhere(skeletonize(image).image)
    assert kept.min(axis=0).tolist() == [1, 2]
    assert kept.max(axis=0).tolist() == [4, 5]


@pytest.mark.parametrize("length", [3, 5, 9, 17, 40])
def test_the_default_keeps_every_two_pixel_diagonal_stroke(length):
    """The skeleton of a 2-pixel-wide diagonal stroke reaches within one pixel of both ends
    and stays one 8-connected line."""
    from scipy import ndimage

    image = lut_fix_stroke(length)
    skeleton = skeletonize(image).image > 0
    ys, xs = np.nonzero(skeleton)
    assert ys.min() <= 2
    assert xs.min() <= 3
    assert ys.max() >= length - 1
    assert xs.max() >= length
    assert ndimage.label(skeleton, structure=np.ones((3, 3)))[1] == 1


def test_compare_lines_skeletonizes_with_the_default():
    from rasterkit.compare import lines

    image = lut_fix_stroke(12).astype(bool)
    result = lines(image, image, skeletonize=True)
    assert result.skeletonized == "guo-hall"
    assert result.pixels_a == skeletonize(image).skeleton_pixels > 10
