"""``raster split`` of small cubes without numpy (:mod:`rasterkit.raster.small_split`): no
numpy in the process, and the very files and result of the numpy path."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from rasterkit.errors import RasterkitError
from rasterkit.raster import export, small_split
from rasterkit.raster.stretch import (
    percentile_range,
    percentile_range_samples,
    stretch_array,
    stretch_samples,
)
from tests.conftest import ROOT
from tests.support.cli import run_noting_numpy

from .synthetic import random_cube, wavelengths, write_envi

SCENE = ROOT / "examples" / "scene.hdr"

@pytest.mark.parametrize(("options", "on_numpy"), [
    ([], False),
    (["--bands", "0,2,5", "--prefix", "x", "--json"], False),
    (["--format", "tif"], False),
    (["--stretch", "5,95", "--format", "tif"], False),
    (["--stretch", "none"], False),
    (["--format", "npy"], True),  # numpy's own format
    (["--rgb", "quick.jpg"], True),  # the quick-look
    (["--offset", "0"], True),  # read otherwise than the header says
], ids=lambda value: " ".join(value) if isinstance(value, list) else str(value))
def test_split_of_a_small_cube_imports_no_numpy(tmp_path, options, on_numpy):
    """The numpy cases also show that the check sees numpy when it is loaded."""
    done, numpy_loaded = run_noting_numpy(["raster", "split", SCENE, tmp_path / "bands", "-q",
                                           *options], tmp_path)
    assert done.returncode == 0, done.stderr
    assert numpy_loaded == on_numpy
    assert len(list((tmp_path / "bands").iterdir())) == (3 if "--bands" in options else 24)


def split_both(header: Path, folder: Path, **options) -> tuple[Path, Path]:
    """Split with the small path into ``folder/s`` and with the numpy path into ``folder/n``;
    the two folders must hold the same files, byte for byte, and the results must agree."""
    small, numpy_path = folder / "s", folder / "n"
    got = small_split.split_small(header, small, **options)
    assert got is not None, "the small-cube path did not take this cube"
    expected = export.split(header, numpy_path, **options)
    names = sorted(p.name for p in numpy_path.iterdir())
    assert sorted(p.name for p in small.iterdir()) == names
    for name in names:
        assert (small / name).read_bytes() == (numpy_path / name).read_bytes(), name
    as_json = got.to_dict()
    for image in as_json["images"]:
        image["path"] = Path(image["path"]).name
    expected_json = expected.to_dict()
    for image in expected_json["images"]:
        image["path"] = Path(image["path"]).name
    assert as_json == expected_json
    return small, numpy_path


def test_the_bundled_scene(tmp_path):
    for k, options in enumerate([{}, {"fmt": "tif"}, {"stretch": "none"},
                                 {"stretch": (1, 99), "fmt": "tif"},
                                 {"bands": [5, 1, 5, 23], "prefix": "p"}]):
        (tmp_path / str(k)).mkdir()
        split_both(SCENE, tmp_path / str(k), **options)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**16), dtype=st.sampled_from(["uint8", "uint16"]),
       shape=st.tuples(st.integers(1, 5), st.integers(1, 13), st.integers(1, 13)),
       interleave=st.sampled_from(["bsq", "bil", "bip"]),
       byte_order=st.sampled_from(["little", "big"]), offset=st.sampled_from([0, 3, 128]),
       ignore=st.sampled_from([None, 0, 7, 2.5]), fmt=st.sampled_from(["png", "tif"]),
       stretch=st.sampled_from(["auto", "none", (0, 100), (10, 60)]),
       narrow=st.booleans(), names=st.booleans())
def test_property_same_files_as_the_numpy_path(tmp_path_factory, seed, dtype, shape,
                                               interleave, byte_order, offset, ignore, fmt,
                                               stretch, narrow, names):
    rng = np.random.default_rng(seed)
    cube = random_cube(rng, shape, dtype)
    if narrow:  # few values, so that ranks fall on ties and the ignored value matters
        cube = (cube % 9).astype(dtype)
    bands = shape[0]
    extra = f"wavelength = {{{', '.join(map(str, wavelengths(bands)))}}}\n"
    if names:
        extra += f"band names = {{{', '.join(f'band {b}' for b in range(bands))}}}\n"
    if ignore is not None:
        extra += f"data ignore value = {ignore}\n"
    folder = tmp_path_factory.mktemp("cube")
    header = write_envi(folder / "c.img", cube, interleave=interleave, byte_order=byte_order,
                        offset=offset, extra=extra)
    split_both(header, folder, fmt=fmt, stretch=stretch)


def test_the_data_file_given_instead_of_the_header(tmp_path):
    header = write_envi(tmp_path / "c.img", random_cube(np.random.default_rng(1), (3, 7, 9),
                                                        "uint16"), interleave="bip")
    split_both(header.with_suffix(".img"), tmp_path)


def test_an_existing_folder_keeps_its_other_files(tmp_path):
    (tmp_path / "s").mkdir()
    (tmp_path / "n").mkdir()
    (tmp_path / "s" / "keep.txt").write_text("x")
    (tmp_path / "n" / "keep.txt").write_text("x")
    split_both(SCENE, tmp_path, bands=[0])


def write_cube(folder: Path, dtype: str = "uint16", extra: str = "", **options) -> Path:
    cube = random_cube(np.random.default_rng(4), (3, 6, 8), dtype)
    return write_envi(folder / "c.img", cube, extra=extra, **options)


@pytest.mark.parametrize(("make", "options"), [
    (lambda f: write_cube(f, "int16"), {}),
    (lambda f: write_cube(f, "float32"), {}),
    (lambda f: write_cube(f, extra="file compression = 1\n"), {}),
    (lambda f: write_cube(f, extra="major frame offsets = {4, 0}\n"), {}),
    (lambda f: write_cube(f, extra="data ignore value = x\n"), {}),
    (lambda f: write_cube(f, extra="wavelength = {a, b, c}\n"), {}),
    (lambda f: write_cube(f), {"fmt": "npy"}),
    (lambda f: write_cube(f), {"rgb": "q.jpg"}),
    (lambda f: write_cube(f), {"dtype": "uint8"}),
    (lambda f: write_cube(f), {"bands": [3]}),
    (lambda f: write_cube(f), {"bands": []}),
    (lambda f: write_cube(f), {"prefix": "a/b"}),
    (lambda f: write_cube(f), {"stretch": "2,200"}),
], ids=["int16", "float32", "gzip", "frames", "bad-ignore", "bad-wavelength", "npy", "rgb",
        "dtype-override", "band-out-of-range", "no-band", "bad-prefix", "bad-stretch"])
def test_what_it_does_not_take_is_left_to_the_numpy_path(tmp_path, make, options):
    header = make(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    assert small_split.split_small(header, tmp_path / "out", **options) is None
    assert sorted(p.name for p in tmp_path.iterdir()) == before


@pytest.mark.parametrize("case", ["short", "missing-data", "no-header", "folder-is-a-file",
                                  "not-a-cube"])
def test_broken_inputs_and_outputs_are_left_to_the_numpy_path(tmp_path, case):
    header = write_cube(tmp_path, interleave="bsq")
    data = tmp_path / "c.img"
    out = tmp_path / "out"
    source: Path = header
    if case == "short":
        data.write_bytes(data.read_bytes()[:-1])
    elif case == "missing-data":
        data.unlink()
    elif case == "no-header":
        header.unlink()
        source = data
    elif case == "folder-is-a-file":
        out.write_text("x")
    elif case == "not-a-cube":
        header.write_text("ENVI\nsamples = 2\n")
    assert small_split.split_small(source, out) is None
    with pytest.raises(RasterkitError):
        export.split(source, out)


def test_an_output_that_is_an_input_is_left_to_the_numpy_path(tmp_path):
    """One band whose picture would be named as the data file (``c_b0.png``)."""
    cube = random_cube(np.random.default_rng(2), (1, 4, 5), "uint8")
    header = write_envi(tmp_path / "c_b0.png", cube, header_path=tmp_path / "c_b0.png.hdr")
    assert small_split.split_small(header, tmp_path, prefix="c") is None
    with pytest.raises(RasterkitError, match="overwrite the input"):
        export.split(header, tmp_path, prefix="c")


# ---------------------------------------------------------------------------------------------
# The compiled twins of the numpy stretch


@settings(max_examples=300, deadline=None)
@given(band=st.one_of(arrays(np.uint8, st.tuples(st.integers(1, 20), st.integers(1, 20))),
                      arrays(np.uint16, st.tuples(st.integers(1, 20), st.integers(1, 20)))),
       low=st.floats(0, 100), high=st.floats(0, 100),
       ignore=st.none() | st.integers(-2, 70000) | st.floats(-2, 300, allow_nan=False))
def test_property_compiled_percentiles_equal_numpys(band, low, high, ignore):
    low, high = min(low, high), max(low, high)
    typecode = "B" if band.dtype == np.uint8 else "H"
    assert percentile_range_samples(band.tobytes(), typecode, low, high, ignore=ignore) == \
        percentile_range(band, low, high, ignore=ignore)


@settings(max_examples=300, deadline=None)
@given(band=st.one_of(arrays(np.uint8, st.tuples(st.integers(1, 20), st.integers(1, 20))),
                      arrays(np.uint16, st.tuples(st.integers(1, 20), st.integers(1, 20)))),
       lo=st.floats(-100, 70000, allow_nan=False), width=st.floats(-5, 70000, allow_nan=False),
       ignore=st.none() | st.integers(-2, 70000) | st.floats(-2, 300, allow_nan=False))
def test_property_compiled_stretch_equals_numpys(band, lo, width, ignore):
    typecode = "B" if band.dtype == np.uint8 else "H"
    got = stretch_samples(band.tobytes(), typecode, lo, lo + width, ignore=ignore)
    assert bytes(got) == stretch_array(band, lo, lo + width, ignore=ignore).tobytes()
