"""The small-file path of the morphology commands (:mod:`rasterkit.morphology.small_files`):
it imports no numpy, and its output files, reports and errors are the numpy path's."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import pyvips
import skimage.morphology as skm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from rasterkit.errors import BadInputError, OutputError, RasterkitError
from rasterkit.io import Page
from rasterkit.morphology import files, skeleton, small_files
from rasterkit.morphology.area import area_closing, area_opening
from rasterkit.morphology.small_objects import fill_small_holes, remove_small_objects
from tests.support.cli import run_noting_numpy

from .images import blobs, grey
from .test_area import dip_filter
from .test_remove_small import skimage_remove


def pixels_of(path: Path | str) -> np.ndarray:
    """An image file read back as stored: (H, W) for one band, (H, W, bands) else."""
    return pyvips.Image.new_from_file(str(path)).numpy()


def write(array: np.ndarray, path: Path) -> str:
    """Write ``array`` (H, W[, bands]) exactly as it is (grey or colour, 16-bit kept)."""
    image = pyvips.Image.new_from_array(array)
    colour = image.bands > 2
    if image.format == "ushort":
        image = image.copy(interpretation="rgb16" if colour else "grey16")
    elif image.format == "uchar":
        image = image.copy(interpretation="srgb" if colour else "b-w")
    image.write_to_file(str(path))
    return str(path)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """Small inputs of every kind the small-file path takes (and a few it does not)."""
    work = tmp_path_factory.mktemp("small")
    rng = np.random.default_rng(16)
    mask = blobs(rng, 90, 70, scale=6, specks=0.02).astype(np.uint8) * 255
    write(mask, work / "mask.png")
    write(np.dstack([mask] * 3), work / "rgb.png")
    write(np.dstack([mask, np.full_like(mask, 255)]), work / "grey_alpha.png")
    write(np.dstack([mask] * 3 + [np.full_like(mask, 255)]), work / "rgba.png")
    write(grey(rng, 80, 60), work / "grey.png")
    write(grey(rng, 80, 60, levels=4000), work / "grey16.png")
    pages = [pyvips.Image.new_from_array(page) for page in (mask, 255 - mask)]
    pages[0].pagejoin(pages[1:]).write_to_file(str(work / "pages.tif"))
    return work


#: Every option of the commands the small-file path takes (see its module notes).
SMALL = [
    ("remove-small", "mask.png", "--min-area", "20"),
    ("remove-small", "mask.png", "--min-area", "20", "--holes", "--connectivity", "4"),
    ("remove-small", "grey.png", "--min-area", "9", "--max-area", "400", "--threshold", "99.5",
     "--holes", "--json"),
    ("remove-small", "rgb.png", "--min-area", "7", "--max-memory", "1M"),
    ("remove-small", "grey_alpha.png", "--min-area", "7", "--max-pixels", "10k"),
    ("remove-small", "rgba.png", "--min-area", "7", "-q"),
    ("remove-small", "pages.tif", "--min-area", "7", "--page", "1"),
    ("area-open", "grey.png", "--min-area", "5"),
    ("area-open", "grey16.png", "--min-area", "12", "--connectivity", "4", "--json"),
    ("area-close", "grey.png", "--min-area", "5", "--connectivity", "4"),
    ("area-close", "grey16.png", "--min-area", "30"),
    ("area-open", "rgb.png", "--min-area", "30"),
    ("skeletonize", "mask.png"),
    ("skeletonize", "mask.png", "--method", "zhang-suen", "--max-iterations", "2", "--json"),
    ("skeletonize", "grey.png", "--threshold", "120"),
    ("skeletonize", "pages.tif", "--page", "0"),
]


#: Inputs and options the small-file path hands to the numpy path (which loads numpy).
NUMPY_PATH = [
    ("skeletonize", "mask.png", "--threshold", "otsu"),
    ("remove-small", "grey16.png", "--min-area", "5", "--threshold", "2000"),
    ("remove-small", "mask.png", "--min-area", "5", "--strip-rows", "16"),
    ("remove-small", "mask.png", "--min-area", "5", "--max-memory", "10k"),
]


@pytest.mark.parametrize(("args", "on_numpy"),
                         [(args, False) for args in SMALL] + [(a, True) for a in NUMPY_PATH],
                         ids=lambda value: " ".join(value) if isinstance(value, tuple) else "")
def test_small_inputs_import_no_numpy(folder, tmp_path, args, on_numpy):
    """The commands on small inputs never import numpy; what the small-file path does not
    take runs on numpy (which also shows that the check sees numpy when it is loaded)."""
    command, name, *options = args
    out = tmp_path / "out.png"
    done, numpy_loaded = run_noting_numpy([command, folder / name, out, *options], tmp_path)
    assert done.returncode == 0, done.stderr
    assert out.exists()
    assert numpy_loaded == on_numpy, f"rasterkit {' '.join(args)}: numpy loaded {numpy_loaded}"


def test_cli_output_is_the_numpy_paths(folder, tmp_path, run_cli):
    """Text and JSON reports of a small-path run equal those of the library's numpy path."""
    source = folder / "mask.png"
    out = tmp_path / "a.png"
    text = run_cli("remove-small", source, out, "--min-area", "20", "--holes")
    as_json = run_cli("remove-small", source, out, "--min-area", "20", "--holes", "--json")
    report = files.remove_small_file(str(source), out, 20, holes=True)
    assert text.stdout == report.summary() + "\n"
    assert json.loads(as_json.stdout) == report.to_dict()
    text = run_cli("skeletonize", source, out, "--json")
    assert json.loads(text.stdout) == skeleton.skeletonize_file(str(source), out).to_dict()


# ---------------------------------------------------------------------------------------------
# The same files as the numpy path, on random images


def binary_images(max_side: int = 24):
    """Random 0/v images (v random) of random sizes, 1 x N and N x 1 included; all-zero and
    all-v ones come up too."""
    shape = st.tuples(st.integers(1, max_side), st.integers(1, max_side))
    return st.tuples(arrays(bool, shape), st.integers(1, 255)).map(
        lambda mv: mv[0].astype(np.uint8) * np.uint8(mv[1]))


def with_bands(image: np.ndarray, bands: int) -> np.ndarray:
    """``image`` as 1 to 4 bands: grey copied to the colour bands, an opaque alpha."""
    if bands == 1:
        return image
    opaque = np.full_like(image, np.iinfo(image.dtype).max)
    colours = {2: 1, 3: 3, 4: 3}[bands]
    return np.dstack([image] * colours + [opaque] * (bands - colours))


def same_run(small, numpy_path, folder: Path) -> None:
    """Run the small path into ``s.png`` and the numpy path into ``n.png`` (``*(out)``): the
    files must be byte for byte the same and the reports equal but for the output name."""
    small_report = small(folder / "s.png")
    assert small_report is not None, "the small-file path did not take this input"
    numpy_report = numpy_path(folder / "n.png")
    assert (folder / "s.png").read_bytes() == (folder / "n.png").read_bytes()
    assert {**small_report.to_dict(), "output": None} == {**numpy_report.to_dict(),
                                                           "output": None}


def check_remove_small(folder: Path, source: str, image: np.ndarray, min_area: int,
                       **options) -> None:
    """:func:`same_run` of remove-small on ``source`` (``image`` saved), and the file holds
    the library's numpy result."""
    same_run(lambda out: small_files.remove_small_file(source, out, min_area, **options),
             lambda out: files.remove_small_file(source, out, min_area, **options), folder)
    holes = options.pop("holes")
    expected = remove_small_objects(image, min_area, **options).image
    if holes:
        expected = fill_small_holes(expected, min_area,
                                    connectivity=options["connectivity"]).image
    np.testing.assert_array_equal(pixels_of(folder / "s.png"), expected)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(image=binary_images(), bands=st.sampled_from([1, 2, 3, 4]),
       min_area=st.integers(1, 30), extra=st.none() | st.integers(0, 60),
       connectivity=st.sampled_from([4, 8]), holes=st.booleans())
def test_property_remove_small_equals_numpy_path(tmp_path_factory, image, bands, min_area,
                                                 extra, connectivity, holes):
    folder = tmp_path_factory.mktemp("rs")
    source = write(with_bands(image, bands), folder / "in.png")
    max_area = None if extra is None else min_area + extra
    check_remove_small(folder, source, image, min_area, max_area=max_area,
                       connectivity=connectivity, holes=holes)
    if max_area is None and not holes:  # scikit-image, the oracle
        oracle = skimage_remove(image > 0, min_area, connectivity)
        np.testing.assert_array_equal(pixels_of(folder / "s.png") > 0, oracle)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(image=arrays(np.uint8, st.tuples(st.integers(1, 24), st.integers(1, 24))),
       threshold=st.floats(-1, 256, allow_nan=False), min_area=st.integers(1, 20),
       connectivity=st.sampled_from([4, 8]), holes=st.booleans())
def test_property_thresholded_remove_small_equals_numpy_path(tmp_path_factory, image,
                                                             threshold, min_area,
                                                             connectivity, holes):
    folder = tmp_path_factory.mktemp("rst")
    source = write(image, folder / "in.png")
    check_remove_small(folder, source, image, min_area, threshold=threshold,
                       connectivity=connectivity, holes=holes)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), dtype=st.sampled_from([np.uint8, np.uint16]),
       shape=st.tuples(st.integers(1, 24), st.integers(1, 24)),
       levels=st.sampled_from([2, 5, 256, 65536]), bands=st.sampled_from([1, 3, 4]),
       min_area=st.integers(1, 40), connectivity=st.sampled_from([4, 8]),
       closing=st.booleans())
def test_property_area_filters_equal_numpy_path(tmp_path_factory, data, dtype, shape, levels,
                                                bands, min_area, connectivity, closing):
    top = min(levels, np.iinfo(dtype).max + 1) - 1
    image = data.draw(arrays(dtype, shape, elements=st.integers(0, top)))
    folder = tmp_path_factory.mktemp("area")
    source = write(with_bands(image, bands), folder / "in.png")
    options = {"closing": closing, "connectivity": connectivity}
    same_run(lambda out: small_files.area_filter_file(source, out, min_area, **options),
             lambda out: files.area_filter_file(source, out, min_area, **options), folder)
    filter_ = area_closing if closing else area_opening
    expected = filter_(image, min_area, connectivity=connectivity).image
    np.testing.assert_array_equal(pixels_of(folder / "s.png"), expected)
    oracle = dip_filter(image, min_area, connectivity, closing)  # DIPlib, the oracle
    np.testing.assert_array_equal(pixels_of(folder / "s.png"), oracle)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(image=binary_images(32), bands=st.sampled_from([1, 2, 3]),
       method=st.sampled_from(["guo-hall", "zhang-suen"]),
       max_iterations=st.none() | st.integers(0, 4))
def test_property_skeletonize_equals_numpy_path(tmp_path_factory, image, bands, method,
                                                max_iterations):
    folder = tmp_path_factory.mktemp("skeleton")
    source = write(with_bands(image, bands), folder / "in.png")
    options = {"method": method, "max_iterations": max_iterations}
    same_run(lambda out: small_files.skeletonize_file(source, out, **options),
             lambda out: skeleton.skeletonize_file(source, out, **options), folder)
    expected = skeleton.skeletonize(image, **options).image
    np.testing.assert_array_equal(pixels_of(folder / "s.png"), expected)
    if method == "guo-hall" and max_iterations is None:  # scikit-image's thin, the oracle
        np.testing.assert_array_equal(pixels_of(folder / "s.png") > 0, skm.thin(image > 0))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(image=arrays(np.uint8, st.tuples(st.integers(1, 24), st.integers(1, 24))),
       threshold=st.floats(-1, 256, allow_nan=False))
def test_property_thresholded_skeletonize_equals_numpy_path(tmp_path_factory, image,
                                                            threshold):
    folder = tmp_path_factory.mktemp("skeleton_t")
    source = write(image, folder / "in.png")
    same_run(lambda out: small_files.skeletonize_file(source, out, threshold=threshold),
             lambda out: skeleton.skeletonize_file(source, out, threshold=threshold), folder)


@pytest.mark.parametrize("shape", [(1, 1), (1, 17), (17, 1), (2, 2), (31, 9)])
@pytest.mark.parametrize("value", [0, 1, 255])
def test_flat_images_of_every_thin_shape(tmp_path, shape, value):
    image = np.full(shape, value, np.uint8)
    source = write(image, tmp_path / "in.png")
    for connectivity in (4, 8):
        same_run(lambda out, c=connectivity: small_files.remove_small_file(
                     source, out, 2, connectivity=c, holes=True),
                 lambda out, c=connectivity: files.remove_small_file(
                     source, out, 2, connectivity=c, holes=True), tmp_path)
        for closing in (False, True):
            same_run(lambda out, c=connectivity, k=closing: small_files.area_filter_file(
                         source, out, 3, closing=k, connectivity=c),
                     lambda out, c=connectivity, k=closing: files.area_filter_file(
                         source, out, 3, closing=k, connectivity=c), tmp_path)
    same_run(lambda out: small_files.skeletonize_file(source, out),
             lambda out: skeleton.skeletonize_file(source, out), tmp_path)


def test_a_realistic_image_up_to_the_size_limit(tmp_path, monkeypatch):
    """Blobs with holes and specks, 1 Mpx: the largest image the small path takes."""
    rng = np.random.default_rng(7)
    side = int(small_files.SMALL_PIXELS ** 0.5)
    mask = blobs(rng, side, side, specks=0.01).astype(np.uint8) * 255
    source = write(mask, tmp_path / "in.png")
    same_run(lambda out: small_files.remove_small_file(source, out, 50, holes=True),
             lambda out: files.remove_small_file(source, out, 50, holes=True), tmp_path)
    same_run(lambda out: small_files.skeletonize_file(source, out),
             lambda out: skeleton.skeletonize_file(source, out), tmp_path)
    source = write(grey(rng, side, side), tmp_path / "grey.png")
    same_run(lambda out: small_files.area_filter_file(source, out, 50),
             lambda out: files.area_filter_file(source, out, 50), tmp_path)


# ---------------------------------------------------------------------------------------------
# What it hands to the numpy path, and the errors


def calls(source, out):
    """The three functions of the small-file path on ``source`` into ``out``."""
    return [lambda: small_files.remove_small_file(source, out, 5),
            lambda: small_files.area_filter_file(source, out, 5),
            lambda: small_files.skeletonize_file(source, out)]


@pytest.mark.parametrize("make", [
    lambda rng: (rng.random((20, 30)) < 0.5).astype(np.float32),  # float: a TIFF
    lambda rng: (rng.random((20, 30)) < 0.5).astype(np.int16) * 7,  # signed
    lambda rng: np.dstack([(rng.random((20, 30)) < 0.5).astype(np.uint8) * 255,
                           rng.integers(0, 255, (20, 30), np.uint8),
                           np.zeros((20, 30), np.uint8)]),  # colour
    lambda rng: np.dstack([(rng.random((20, 30)) < 0.5).astype(np.uint8) * 255,
                           np.full((20, 30), 254, np.uint8)]),  # transparent
], ids=["float", "signed", "colour", "transparent"])
def test_inputs_it_does_not_take_write_nothing(tmp_path, make):
    source = write(make(np.random.default_rng(3)), tmp_path / "in.tif")
    out = tmp_path / "out.tif"
    for call in calls(source, out):
        assert call() is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.tif"]


def test_non_binary_images_go_to_the_numpy_path_which_refuses_them(tmp_path):
    image = np.zeros((10, 10), np.uint8)
    image[2, 2], image[5, 5] = 9, 200
    source = write(image, tmp_path / "in.png")
    assert small_files.remove_small_file(source, tmp_path / "o.png", 2) is None
    assert small_files.skeletonize_file(source, tmp_path / "o.png") is None
    assert not (tmp_path / "o.png").exists()
    with pytest.raises(BadInputError, match="not a binary image: values 0, 9, 200"):
        files.remove_small_file(source, tmp_path / "o.png", 2)


def test_large_images_arrays_and_vips_images_go_to_the_numpy_path(tmp_path, monkeypatch):
    image = np.zeros((40, 40), np.uint8)
    source = write(image, tmp_path / "in.png")
    for other in (image, pyvips.Image.new_from_file(source)):
        for call in calls(other, tmp_path / "o.png"):
            assert call() is None
    monkeypatch.setattr(small_files, "SMALL_PIXELS", 40 * 40 - 1)
    for call in calls(source, tmp_path / "o.png"):
        assert call() is None
    assert small_files.skeletonize_file(source, tmp_path / "o.png", threshold="otsu") is None
    assert small_files.remove_small_file(source, tmp_path / "o.png", 5, strip_rows=8) is None
    assert not (tmp_path / "o.png").exists()


@pytest.mark.parametrize(("output", "kwargs"), [
    ("out.jpg", {}),  # not lossless
    ("in.png", {}),  # the input
    ("missing/out.png", {}),
    ("out.png", {"min_area": 0}),
    ("out.png", {"connectivity": 6}),
    ("out.png", {"min_area": 3, "max_area": 2}),
    ("out.png", {"threshold": float("nan")}),
])
def test_errors_are_the_numpy_paths(tmp_path, output, kwargs):
    source = write(np.zeros((8, 8), np.uint8), tmp_path / "in.png")
    options = {"min_area": 4, **kwargs}
    with pytest.raises(RasterkitError) as small:
        small_files.remove_small_file(source, tmp_path / output, **options)
    with pytest.raises(RasterkitError) as numpy_path:
        files.remove_small_file(source, tmp_path / output, **options)
    assert type(small.value) is type(numpy_path.value)
    assert str(small.value) == str(numpy_path.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.png"]


@pytest.mark.parametrize("name", ["missing.png", "empty.png", "text.png", "cut.png"])
def test_unreadable_inputs_are_refused_as_on_the_numpy_path(folder, tmp_path, name):
    (tmp_path / "empty.png").write_bytes(b"")
    (tmp_path / "text.png").write_text("not an image")
    (tmp_path / "cut.png").write_bytes((folder / "mask.png").read_bytes()[:300])
    source = str(tmp_path / name)
    for small, numpy_path in [
            (lambda: small_files.remove_small_file(source, tmp_path / "o.png", 3),
             lambda: files.remove_small_file(source, tmp_path / "o.png", 3)),
            (lambda: small_files.area_filter_file(source, tmp_path / "o.png", 3),
             lambda: files.area_filter_file(source, tmp_path / "o.png", 3)),
            (lambda: small_files.skeletonize_file(source, tmp_path / "o.png"),
             lambda: skeleton.skeletonize_file(source, tmp_path / "o.png"))]:
        with pytest.raises(BadInputError) as small_error:
            small()
        with pytest.raises(BadInputError) as numpy_error:
            numpy_path()
        assert str(small_error.value) == str(numpy_error.value)
    assert not (tmp_path / "o.png").exists()


def test_pages_are_read_as_on_the_numpy_path(folder, tmp_path):
    source = Page(folder / "pages.tif", 1)
    same_run(lambda out: small_files.remove_small_file(source, out, 7),
             lambda out: files.remove_small_file(source, out, 7), tmp_path)
    with pytest.raises(BadInputError, match="has 2 pages"):
        small_files.area_filter_file(str(folder / "pages.tif"), tmp_path / "o.png", 3)
    with pytest.raises(OutputError, match="would overwrite the input"):
        small_files.skeletonize_file(source, folder / "pages.tif")

