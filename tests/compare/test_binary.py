"""compare.binary: counts and metrics against numpy and scipy, both engines, conventions,
input handling."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial import distance as spd
from skimage.filters import threshold_otsu

from rasterkit.compare import binary
from rasterkit.errors import BadInputError

from .images import blobs
from .oracles import assd
from .test_distance import force

ENGINES = ("numpy", "kernel")
ENCODINGS = {
    "bool": lambda m: m,
    "0/1": lambda m: m.astype(np.uint8),
    "0/255": lambda m: m.astype(np.uint8) * 255,
    "0/7": lambda m: m.astype(np.uint8) * 7,
    "0/65535": lambda m: m.astype(np.uint16) * 65535,
    "0/1.0": lambda m: m.astype(np.float32),
}
REQUIRED = {"both", "only_a", "only_b", "neither", "differing", "iou", "dice", "precision",
            "recall", "hamming", "log_distance", "mean_surface_distance"}


def expected(a: np.ndarray, b: np.ndarray) -> dict[str, float]:
    """The metrics from boolean numpy and scipy.spatial.distance (non-empty inputs)."""
    u, v = a.ravel(), b.ravel()
    return {"both": int((a & b).sum()), "only_a": int((a & ~b).sum()),
            "only_b": int((~a & b).sum()), "neither": int((~a & ~b).sum()),
            "differing": int((a ^ b).sum()), "iou": 1 - spd.jaccard(u, v),
            "dice": 1 - spd.dice(u, v), "hamming": spd.hamming(u, v),
            "precision": (a & b).sum() / b.sum(), "recall": (a & b).sum() / a.sum(),
            "log_distance": math.log1p(int((a ^ b).sum()))}


@pytest.mark.parametrize("engine", ENGINES)
@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), height=st.integers(1, 40), width=st.integers(1, 45),
       enc_a=st.sampled_from(sorted(ENCODINGS)), enc_b=st.sampled_from(sorted(ENCODINGS)))
def test_counts_and_metrics_equal_numpy_and_scipy(engine, seed, height, width, enc_a, enc_b):
    rng = np.random.default_rng(seed)
    a = rng.random((height, width)) < rng.uniform(0.05, 0.95)
    b = rng.random((height, width)) < rng.uniform(0.05, 0.95)
    a.flat[0] = b.flat[-1] = True  # neither is empty (the conventions are tested apart)
    result = binary(ENCODINGS[enc_a](a), ENCODINGS[enc_b](b), engine=engine,
                    surface_distance=False)
    for key, value in expected(a, b).items():
        assert getattr(result, key) == pytest.approx(value, rel=1e-12), key
    assert result.both + result.only_a + result.only_b + result.neither == height * width
    assert result.mean_surface_distance is None
    assert result.identical == (not (a ^ b).any())


@pytest.mark.parametrize("engine", ENGINES)
def test_large_images_counted_in_two_threads_agree(engine):
    """More than a million pixels: the work is split between threads, plus a tail."""
    rng = np.random.default_rng(3)
    a = blobs(rng, 1031, 1037)
    b = blobs(rng, 1031, 1037)
    result = binary(a.astype(np.uint8) * 255, b.astype(np.uint8) * 255, engine=engine,
                    surface_distance=False)
    for key, value in expected(a, b).items():
        assert getattr(result, key) == pytest.approx(value, rel=1e-12), key


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("where", ["start", "second thread", "tail"])
def test_two_nonzero_values_are_not_binary(engine, where):
    a = np.zeros((1030, 1030), np.uint8)
    a[5:50, 5:50] = 255
    b = a.copy()
    spot = {"start": (0, 3), "second thread": (900, 100), "tail": (1029, 1029)}[where]
    b[spot] = 17
    with pytest.raises(BadInputError, match=r"<array>: not a binary image: values 0, 17, "
                                            r"255 \(3 distinct values\)"):
        binary(a, b, engine=engine)


def test_auto_engine_counts_like_the_others():
    rng = np.random.default_rng(5)
    a, b = blobs(rng, 70, 90), blobs(rng, 70, 90)
    results = {engine: binary(a, b, engine=engine) for engine in ("auto", *ENGINES)}
    assert results["auto"] == results["numpy"] == results["kernel"]
    with pytest.raises(BadInputError, match="engine must be one of"):
        binary(a, b, engine="gpu")


@pytest.mark.parametrize("seed", range(6))
def test_mean_surface_distance_equals_scipy_edt(seed):
    rng = np.random.default_rng(seed)
    a = blobs(rng, 90, 120, sigma=3, level=0.52)
    b = blobs(rng, 90, 120, sigma=3, level=0.52) if seed % 2 else np.roll(a, (2, -3), (0, 1))
    assert binary(a, b).mean_surface_distance == pytest.approx(assd(a, b), rel=1e-12)


@pytest.mark.parametrize("path", ["offsets", "brute force", "row scan", "distance transform"])
def test_far_differences_are_exact_on_every_search_path(path):
    """A blob only B has, far from everything else: found by the offset search (large
    radius), by comparing with every surface pixel, the row scan or the distance transform."""
    a = np.zeros((160, 220), bool)
    a[20:60, 30:90] = True
    b = a.copy()
    b[120:140, 170:200] = True  # ~100 px from A's surface
    b[40:45, 88:95] = True  # and a bump near it
    with pytest.MonkeyPatch.context() as patch:
        force(patch, path)
        result = binary(a, b)
    assert result.mean_surface_distance == pytest.approx(assd(a, b), rel=1e-12)
    assert result.mean_surface_distance > 5


def test_two_single_pixels_are_their_distance_apart():
    a = np.zeros((12, 14), bool)
    b = a.copy()
    a[5, 5] = b[5, 9] = True
    assert binary(a, b).mean_surface_distance == 4.0


@pytest.mark.parametrize(("a_empty", "b_empty"), [(True, True), (True, False), (False, True)])
def test_empty_image_conventions(a_empty, b_empty):
    mask = np.zeros((20, 30), np.uint8)
    mask[4:9, 6:20] = 255
    empty = np.zeros_like(mask)
    result = binary(empty if a_empty else mask, empty if b_empty else mask)
    if a_empty and b_empty:
        assert (result.iou, result.dice, result.precision, result.recall) == (1.0,) * 4
        assert result.mean_surface_distance == 0.0
        assert result.identical
        assert result.log_distance == 0.0
        return
    assert (result.iou, result.dice) == (0.0, 0.0)
    assert result.precision == (1.0 if b_empty else 0.0)  # an empty B finds nothing wrongly
    assert result.recall == (1.0 if a_empty else 0.0)  # an empty A has nothing to find
    assert result.mean_surface_distance is None
    assert "mean surface distance undefined (one image is empty)" in result.summary()
    assert result.differing == 70
    assert result.hamming == 70 / 600
    assert result.log_distance == pytest.approx(math.log(71))


def test_identical_images_cost_no_distance_and_say_so():
    rng = np.random.default_rng(1)
    a = blobs(rng, 50, 60)
    result = binary(a, a.astype(np.uint8) * 255)
    assert result.identical
    assert result.differing == 0
    assert result.mean_surface_distance == 0.0
    assert (result.iou, result.dice, result.precision, result.recall) == (1.0,) * 4


def test_json_fields_are_the_documented_ones():
    a = np.zeros((5, 5), bool)
    a[1:3, 1:3] = True
    data = binary(a, a.T.copy()).to_dict()
    assert set(data) >= REQUIRED
    assert set(data) - REQUIRED == {"schema_version", "a", "b", "width", "height",
                                    "threshold", "identical"}
    assert data["threshold"] == {"a": None, "b": None}


def test_threshold_and_otsu_binarise_greyscale():
    rng = np.random.default_rng(9)
    grey_a = (rng.random((40, 50)) * 255).astype(np.uint8)
    grey_b = np.clip(grey_a.astype(int) + rng.integers(-40, 40, grey_a.shape), 0, 255).astype(
        np.uint8)
    with pytest.raises(BadInputError, match=r"not a binary image.*--threshold T"):
        binary(grey_a, grey_b)
    fixed = binary(grey_a, grey_b, threshold=100)
    assert fixed.both == int(((grey_a > 100) & (grey_b > 100)).sum())
    assert (fixed.threshold_a, fixed.threshold_b) == (100.0, 100.0)
    otsu = binary(grey_a, grey_b, threshold="otsu")
    ta, tb = threshold_otsu(grey_a), threshold_otsu(grey_b)
    assert (otsu.threshold_a, otsu.threshold_b) == (ta, tb)
    assert otsu.differing == int(((grey_a > ta) ^ (grey_b > tb)).sum())
    with pytest.raises(BadInputError, match="threshold must be a number or 'otsu'"):
        binary(grey_a, grey_b, threshold="mean")


def test_different_sizes_need_pad():
    a = np.zeros((10, 12), bool)
    a[2:5, 2:9] = True
    b = np.zeros((14, 9), bool)
    b[2:5, 2:9] = True
    with pytest.raises(BadInputError, match=r"<array> is 12 x 10 px but <array> is 9 x 14 px"):
        binary(a, b)
    padded = binary(a, b, pad=True)
    assert (padded.width, padded.height) == (12, 14)
    assert padded.identical
    assert padded.neither == 12 * 14 - 21


def test_strided_and_multiband_arrays():
    rng = np.random.default_rng(4)
    big = blobs(rng, 60, 80)
    a, b = big[::2, ::2], big[1::2, 1::2]  # not contiguous
    result = binary(a, np.dstack([b.astype(np.uint8) * 255] * 3))  # grey saved as RGB
    assert result.differing == int((a ^ b).sum())
    colour = np.dstack([b, ~b, b]).astype(np.uint8) * 255
    with pytest.raises(BadInputError, match="colour image"):
        binary(a, colour)
