"""compare.lines: known answers (shifted lines, spurs), scipy/scikit-image oracles, end points
and junctions, empty drawings."""

from __future__ import annotations

import doctest
import importlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from skimage.metrics import hausdorff_distance, hausdorff_pair
from skimage.morphology import skeletonize as skimage_skeletonize

from rasterkit.compare import lines
from rasterkit.compare.points import line_points, match_points
from rasterkit.errors import BadInputError

from .images import drawing
from .oracles import blurred_correlation, directed, greedy_matches

# the package's ``lines`` is the function; the module is reached through importlib
lines_module = importlib.import_module("rasterkit.compare.lines")


def horizontal(shift: int = 0, size: tuple[int, int] = (40, 120)) -> np.ndarray:
    image = np.zeros(size, bool)
    image[15 + shift, 10:110] = True
    return image


@pytest.mark.parametrize("k", [0, 1, 2, 3, 5])
@pytest.mark.parametrize("tolerance", [0, 1, 1.5, 2, 3, 4, 6])
def test_shifted_line_is_found_exactly_when_the_tolerance_reaches_the_shift(k, tolerance):
    result = lines(horizontal(), horizontal(k), tolerance=tolerance)
    found = 1.0 if tolerance >= k else 0.0
    assert (result.recall, result.precision, result.f1) == (found, found, found)
    assert result.same == (tolerance >= k)
    assert result.chamfer_ab == result.chamfer_ba == result.hausdorff == result.hd95 == k
    assert result.endpoints.to_dict() == {"a": 2, "b": 2, "matched": 2 if tolerance >= k else 0}
    assert result.junctions.to_dict() == {"a": 0, "b": 0, "matched": 0}


def test_a_spur_ruins_hausdorff_but_not_hd95():
    a = np.zeros((200, 700), bool)
    a[100, 20:680] = True  # 660 px
    b = np.roll(a, 2, axis=0)
    b[102:102 + 30, 400] = True  # a 30 px spur sticking out of the shifted line
    result = lines(a, b, tolerance=2)
    assert result.hd95 == 2.0
    assert result.hausdorff == 31.0  # the spur's tip, 31 px below A's line
    assert result.hausdorff_at == {"a": [100, 400], "b": [131, 400]}
    assert result.recall == 1.0
    assert result.precision == pytest.approx(660 / 689)
    assert hausdorff_distance(a, b) == pytest.approx(result.hausdorff)


@pytest.mark.parametrize("seed", range(5))
def test_distances_equal_scipy_and_scikit_image(seed):
    rng = np.random.default_rng(seed)
    a = skimage_skeletonize(drawing(rng, 160, strokes=6) > 0)
    b = skimage_skeletonize(drawing(rng, 160, strokes=6) > 0) if seed % 2 else np.roll(
        a, (1, -2), (0, 1))
    result = lines(a, b, tolerance=1.5, sigma=1.7)
    to_b, to_a = directed(a, b), directed(b, a)
    assert result.chamfer_ab == pytest.approx(to_b.mean(), rel=1e-12)
    assert result.chamfer_ba == pytest.approx(to_a.mean(), rel=1e-12)
    assert result.recall == pytest.approx((to_b <= 1.5).mean(), rel=1e-12)
    assert result.precision == pytest.approx((to_a <= 1.5).mean(), rel=1e-12)
    assert result.hd95 == pytest.approx(max(np.percentile(to_b, 95), np.percentile(to_a, 95)))
    assert result.hausdorff == pytest.approx(hausdorff_distance(a, b), rel=1e-12)
    (ya, xa), (yb, xb) = result.hausdorff_at["a"], result.hausdorff_at["b"]
    assert a[ya, xa]
    assert b[yb, xb]
    assert np.hypot(ya - yb, xa - xb) == pytest.approx(result.hausdorff)
    pair = np.array(hausdorff_pair(a, b))
    assert np.hypot(*(pair[0] - pair[1])) == pytest.approx(result.hausdorff)
    assert result.correlation == pytest.approx(blurred_correlation(a, b, 1.7), abs=1e-6)


def test_correlation_of_identical_and_disjoint_drawings():
    a = horizontal()
    assert lines(a, a).correlation == pytest.approx(1.0)
    far = np.zeros_like(a)
    far[35, 10:110] = True  # 20 px away: blurs do not meet
    assert lines(a, far, sigma=1).correlation < 0
    assert lines(a, far, sigma=1).correlation == pytest.approx(
        blurred_correlation(a, far, 1.0), abs=1e-6)


def shape(kind: str) -> np.ndarray:
    image = np.zeros((30, 30), bool)
    if kind == "line":
        image[10, 5:20] = True
    elif kind == "diagonal":
        image[np.arange(5, 20), np.arange(5, 20)] = True
    elif kind == "T":
        image[5, 5:25] = True
        image[5:25, 15] = True
    elif kind == "plus":
        image[15, 3:27] = True
        image[3:27, 15] = True
    elif kind == "Y":
        rows = np.arange(10, 25)
        image[rows, 15] = True
        image[10 - np.arange(1, 8), 15 - np.arange(1, 8)] = True
        image[10 - np.arange(1, 8), 15 + np.arange(1, 8)] = True
    elif kind == "ring":
        image[5:25, 5] = image[5:25, 24] = image[5, 5:25] = image[24, 5:25] = True
    return image


@pytest.mark.parametrize(("kind", "ends", "junctions", "centre"), [
    ("line", 2, 0, None), ("diagonal", 2, 0, None), ("T", 3, 1, (5, 15)),
    ("plus", 4, 1, (15, 15)), ("Y", 3, 1, (10, 15)), ("ring", 0, 0, None)])
def test_end_points_and_junctions_of_known_shapes(kind, ends, junctions, centre):
    found = line_points(shape(kind))
    assert len(found.endpoints) == ends
    assert len(found.junctions) == junctions
    if centre is not None:
        np.testing.assert_allclose(found.junctions[0], centre, atol=1.0)


def test_junction_pixels_that_touch_make_one_junction():
    image = np.zeros((20, 20), bool)
    image[10, 2:18] = True
    image[2:10, 9] = True  # a branch up at column 9 ...
    image[11:18, 10] = True  # ... and one down at column 10: two junction pixels side by side
    found = line_points(image)
    np.testing.assert_allclose(found.junctions, [[10, 9.5]])
    assert len(found.endpoints) == 4


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n_a=st.integers(0, 25), n_b=st.integers(0, 25),
       tolerance=st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.5, 7.0, 20.0]),
       halves=st.booleans())
def test_matching_equals_the_greedy_loop(seed, n_a, n_b, tolerance, halves):
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 12, (n_a, 2)).astype(float)
    b = rng.integers(0, 12, (n_b, 2)).astype(float)
    if halves:  # junction centroids fall between pixels
        a = a + rng.integers(0, 2, a.shape) / 2
    assert match_points(a, b, tolerance) == greedy_matches(a, b, tolerance)


@pytest.mark.parametrize(("a_empty", "b_empty"), [(True, True), (True, False), (False, True)])
def test_empty_drawing_conventions(a_empty, b_empty):
    line, empty = horizontal(), np.zeros((40, 120), bool)
    result = lines(empty if a_empty else line, empty if b_empty else line)
    if a_empty and b_empty:
        assert (result.precision, result.recall, result.f1) == (1.0, 1.0, 1.0)
        assert (result.chamfer_ab, result.hd95, result.hausdorff) == (0.0, 0.0, 0.0)
        assert result.correlation == 1.0
        assert result.same
        return
    assert result.recall == (1.0 if a_empty else 0.0)
    assert result.precision == (1.0 if b_empty else 0.0)
    assert result.f1 == 0.0
    assert not result.same
    assert result.chamfer_ab is result.chamfer_ba is result.hd95 is result.hausdorff is None
    assert result.hausdorff_at is None
    assert result.correlation is None


def test_skeletonize_option_thins_both_first():
    thick_a = np.zeros((40, 120), bool)
    thick_a[12:19, 10:110] = True
    thick_b = np.roll(thick_a, 1, axis=0)
    raw = lines(thick_a, thick_b, tolerance=0)
    thin = lines(thick_a, thick_b, tolerance=1, skeletonize=True)
    assert thin.skeletonized == "guo-hall"
    assert raw.skeletonized is None
    assert thin.pixels_a < raw.pixels_a / 5
    assert thin.recall == 1.0
    assert lines(thick_a, thick_b, skeletonize="zhang-suen").skeletonized == "zhang-suen"
    with pytest.raises(BadInputError, match="skeleton method"):
        lines(thick_a, thick_b, skeletonize="medial")


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"tolerance": -1}, "tolerance must be a finite number of pixels >= 0"),
    ({"tolerance": float("nan")}, "tolerance must be"),
    ({"sigma": 0}, "sigma must be greater than 0"),
    ({"tolerance": "2"}, "tolerance must be")])
def test_bad_arguments(kwargs, message):
    with pytest.raises(BadInputError, match=message):
        lines(horizontal(), horizontal(), **kwargs)


def test_json_fields_are_the_documented_ones():
    data = lines(horizontal(), horizontal(1)).to_dict()
    required = {"precision", "recall", "f1", "chamfer_ab", "chamfer_ba", "hd95", "hausdorff",
                "hausdorff_at", "correlation", "endpoints", "junctions"}
    assert required <= set(data)
    assert data["endpoints"] == {"a": 2, "b": 2, "matched": 2}
    assert data["hausdorff_at"] == {"a": [15, 10], "b": [16, 10]}


def test_docstring_examples():
    assert doctest.testmod(lines_module, raise_on_error=False).failed == 0
