"""The strip path (bounded memory, objects crossing strip borders) against the in-memory one."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from rasterkit.errors import BadInputError
from rasterkit.morphology import fill_small_holes, remove_small_file, remove_small_objects
from rasterkit.morphology.strips import array_source, filter_in_strips

from .images import blobs, load, random_mask, save


def in_memory(mask, min_area, max_area, connectivity, holes):
    objects = remove_small_objects(mask, min_area, max_area=max_area, connectivity=connectivity)
    steps, image = [objects], objects.image
    if holes:
        filled = fill_small_holes(image, min_area, connectivity=connectivity)
        steps.append(filled)
        image = filled.image
    return image, [(s.kind, s.removed, s.kept, s.changed_pixels) for s in steps]


def in_strips(mask, strip_rows, min_area, max_area, connectivity, holes):
    run = filter_in_strips(array_source(mask, strip_rows), min_area, max_area=max_area,
                           connectivity=connectivity, holes=holes)
    counts = [(s.kind, s.removed, s.kept, s.changed_pixels) for s in run.steps]
    return np.concatenate(list(run.output_strips())), counts


def assert_same(mask, strip_rows, min_area, max_area=None, connectivity=8, holes=False):
    expected, expected_counts = in_memory(mask, min_area, max_area, connectivity, holes)
    image, counts = in_strips(mask, strip_rows, min_area, max_area, connectivity, holes)
    np.testing.assert_array_equal(image, expected)
    assert counts == expected_counts


@settings(max_examples=200, deadline=None)
@given(mask=arrays(bool, st.tuples(st.integers(1, 30), st.integers(1, 30))),
       strip_rows=st.integers(1, 8), min_area=st.integers(1, 15),
       extra=st.one_of(st.none(), st.integers(0, 30)), connectivity=st.sampled_from([4, 8]),
       holes=st.booleans())
def test_property_strips_equal_in_memory(mask, strip_rows, min_area, extra, connectivity,
                                         holes):
    max_area = None if extra is None else min_area + extra
    assert_same(mask, strip_rows, min_area, max_area, connectivity, holes)


@pytest.mark.parametrize("connectivity", [4, 8])
def test_random_and_blob_images(connectivity):
    rng = np.random.default_rng(connectivity)
    for _ in range(10):
        mask = random_mask(rng, *rng.integers(20, 90, 2))
        assert_same(mask, int(rng.integers(1, 12)), int(rng.integers(1, 20)),
                    connectivity=connectivity, holes=True)
    mask = blobs(rng, 400, 300)
    for strip_rows in (1, 7, 64):
        assert_same(mask, strip_rows, 150, connectivity=connectivity, holes=True)


def snake(height: int, width: int) -> np.ndarray:
    """A one-pixel path zig-zagging down through every other row: one object, many strips."""
    mask = np.zeros((height, width), bool)
    for y in range(0, height, 2):
        mask[y, 1:width - 1] = True
        if y + 1 < height:
            mask[y + 1, width - 2 if (y // 2) % 2 == 0 else 1] = True
    return mask


@pytest.mark.parametrize("strip_rows", [1, 2, 3, 10])
def test_snake_across_many_strips_is_one_object(strip_rows):
    mask = snake(61, 12)
    area = int(mask.sum())
    run = filter_in_strips(array_source(mask, strip_rows), area)
    assert (run.steps[0].removed, run.steps[0].kept) == (0, 1)
    np.testing.assert_array_equal(np.concatenate(list(run.output_strips())), mask)
    run = filter_in_strips(array_source(mask, strip_rows), area + 1)
    assert (run.steps[0].removed, run.steps[0].kept, run.steps[0].changed_pixels) == (1, 0,
                                                                                      area)
    assert not np.concatenate(list(run.output_strips())).any()


def comb(height: int, teeth: int) -> np.ndarray:
    """Teeth that start in separate strips at the top and only join at the bottom row:
    every tooth starts its own label, and all must learn the decision made at the bottom."""
    mask = np.zeros((height, 2 * teeth + 1), bool)
    for k in range(teeth):
        mask[k:, 2 * k + 1] = True  # tooth k starts at row k
    mask[-1, :] = True
    return mask


@pytest.mark.parametrize("connectivity", [4, 8])
@pytest.mark.parametrize("strip_rows", [1, 4, 9])
def test_u_shapes_that_join_below(connectivity, strip_rows):
    mask = comb(40, 9)
    area = int(mask.sum())
    for min_area, removed in ((area, 0), (area + 1, 1)):
        run = filter_in_strips(array_source(mask, strip_rows), min_area,
                               connectivity=connectivity)
        assert run.steps[0].removed == removed
        assert run.steps[0].kept == 1 - removed
        out = np.concatenate(list(run.output_strips()))
        np.testing.assert_array_equal(out, mask if removed == 0 else np.zeros_like(mask))
    # two combs side by side, joined below only for 8-connectivity (a diagonal step)
    pair = np.zeros((40, 40), bool)
    pair[:, :19] = comb(40, 9)
    pair[:, 20:39] = comb(40, 9)
    pair[-1, 19] = False
    pair[-2, 19] = True
    assert_same(pair, strip_rows, area + 5, connectivity=connectivity)


def test_hole_spanning_many_strips():
    ring = np.zeros((60, 40), bool)
    ring[1:59, 1:39] = True  # 1,588 px once holed: large enough to stay
    ring[3:47, 3:17] = False  # a 44 x 14 hole
    for strip_rows in (1, 5, 60):
        run = filter_in_strips(array_source(ring, strip_rows), 44 * 14 + 1, holes=True)
        holes = run.steps[1]
        assert (holes.removed, holes.kept, holes.changed_pixels) == (1, 0, 44 * 14)
        assert np.concatenate(list(run.output_strips()))[1:59, 1:39].all()
        run = filter_in_strips(array_source(ring, strip_rows), 44 * 14, holes=True)
        assert (run.steps[1].removed, run.steps[1].kept) == (0, 1)


@pytest.mark.parametrize(("dtype", "value", "suffix"), [
    (np.uint8, 255, ".png"), (np.uint8, 1, ".png"), (np.uint16, 65535, ".png"),
    (np.float32, 1.0, ".tif")])
def test_files_in_strips_equal_files_in_memory(tmp_path, dtype, value, suffix):
    rng = np.random.default_rng(7)
    mask = blobs(rng, 230, 170)
    path = save(np.where(mask, value, 0).astype(dtype), tmp_path / f"in{suffix}")
    memory = remove_small_file(path, tmp_path / f"memory{suffix}", 60, holes=True)
    strips = remove_small_file(path, tmp_path / f"strips{suffix}", 60, holes=True,
                               strip_rows=9)
    assert memory.strips == 1
    assert strips.strips == 26
    assert [s.to_dict() for s in strips.steps] == [s.to_dict() for s in memory.steps]
    a, b = load(tmp_path / f"memory{suffix}"), load(tmp_path / f"strips{suffix}")
    assert a.dtype == b.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(a, b)
    expected, _ = in_memory(mask, 60, None, 8, True)
    np.testing.assert_array_equal(b != 0, expected)
    assert set(np.unique(b).tolist()) <= {0, value}


def test_threshold_and_colour_file_in_strips(tmp_path):
    rng = np.random.default_rng(3)
    grey = (blobs(rng, 120, 140, specks=0) * 180 + rng.integers(0, 60, (120, 140))).astype(
        np.uint8)
    path = save(np.dstack([grey, grey, grey]), tmp_path / "grey.png")
    memory = remove_small_file(path, tmp_path / "m.png", 25, threshold=100)
    strips = remove_small_file(path, tmp_path / "s.png", 25, threshold=100, strip_rows=4)
    np.testing.assert_array_equal(load(tmp_path / "m.png"), load(tmp_path / "s.png"))
    assert memory.to_dict()["steps"] == strips.to_dict()["steps"]
    expected = remove_small_objects(grey > 100, 25).image
    np.testing.assert_array_equal(load(tmp_path / "s.png"), expected.astype(np.uint8) * 255)


def test_memory_budget_chooses_strips(tmp_path):
    mask = blobs(np.random.default_rng(1), 200, 100)
    path = save(mask, tmp_path / "in.png")
    small = remove_small_file(path, tmp_path / "a.png", 20, max_memory=20_000)
    assert small.strips > 1
    big = remove_small_file(path, tmp_path / "b.png", 20)
    assert big.strips == 1
    np.testing.assert_array_equal(load(tmp_path / "a.png"), load(tmp_path / "b.png"))


def test_non_binary_in_a_later_strip_is_refused_without_output(tmp_path):
    image = np.zeros((60, 30), np.uint8)
    image[5:10, 5:10] = 255
    image[50, 3] = 77  # only strip 5 (rows 50:60) sees it
    path = save(image, tmp_path / "in.png")
    with pytest.raises(BadInputError,
                       match=r"in.png: not a binary image: values 0, 77, 255 .*rows 50:60"):
        remove_small_file(path, tmp_path / "out.png", 3, strip_rows=10)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.png"]
    floats = np.zeros((60, 30), np.float32)
    floats[2, 2] = 1.0
    floats[40, 2] = 0.5
    path = save(floats, tmp_path / "f.tif")
    with pytest.raises(BadInputError, match=r"values 0.0, 0.5, 1.0 .*rows 40:50"):
        remove_small_file(path, tmp_path / "out.tif", 3, strip_rows=10)
    assert not (tmp_path / "out.tif").exists()


def test_arrays_go_through_the_strip_path_too(tmp_path):
    mask = random_mask(np.random.default_rng(0), 50, 40)
    report = remove_small_file(mask, tmp_path / "o.png", 4, strip_rows=3)
    assert report.strips == 17
    assert report.input == "<array>"
    expected = remove_small_objects(mask, 4).image.astype(np.uint8) * 255
    np.testing.assert_array_equal(load(tmp_path / "o.png"), expected)
