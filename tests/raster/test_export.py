"""Band pictures: percentiles, stretched PNGs, TIFFs that keep values, RGB quick-looks."""

from __future__ import annotations

import numpy as np
import pytest
import pyvips

import rasterkit
from rasterkit.errors import BadInputError, OutputError
from rasterkit.raster.export import default_rgb_bands, parse_band_list, quicklook, split
from rasterkit.raster.stretch import parse_percentiles, percentile_range, stretch_array

from .synthetic import random_cube, scene, write_envi


def load(path) -> np.ndarray:
    """Read a written picture back: tifffile for TIFF (an independent reader), libvips
    otherwise."""
    if str(path).endswith(".tif"):
        import tifffile

        return tifffile.imread(path)
    return pyvips.Image.new_from_file(str(path)).numpy()


# ----------------------------------------------------------------------- percentiles


@pytest.mark.parametrize("dtype", ["uint8", "uint16", "int16", "float32", "int32", "float64"])
@pytest.mark.parametrize(("low", "high"), [(2, 98), (0, 100), (0.5, 99.5), (25, 75)])
def test_percentiles_match_numpy_inverted_cdf(dtype, low, high):
    rng = np.random.default_rng(7)
    band = random_cube(rng, (1, 137, 91), dtype)[0]
    expected = np.percentile(band.astype(np.float64), [low, high], method="inverted_cdf")
    assert percentile_range(band, low, high) == (float(expected[0]), float(expected[1]))


@pytest.mark.parametrize("dtype", ["uint16", "int16", "float32"])
def test_percentiles_skip_ignore_value_and_nan(dtype):
    rng = np.random.default_rng(8)
    band = rng.integers(100, 200, size=(60, 50)).astype(dtype)
    band[:20] = 0  # no-data rows
    if dtype == "float32":
        band[20:25] = np.nan
    valid = band[~np.isnan(band.astype(np.float64)) & (band != 0)].astype(np.float64)
    expected = np.percentile(valid, [2, 98], method="inverted_cdf")
    assert percentile_range(band, 2, 98, ignore=0) == tuple(float(v) for v in expected)


def test_percentiles_of_a_big_float_band_use_a_grid_sample(monkeypatch):
    import rasterkit.raster.stretch as stretch

    monkeypatch.setattr(stretch, "MAX_SAMPLES", 1000)
    band = np.arange(200 * 100, dtype=np.float32).reshape(200, 100)
    lo, hi = percentile_range(band, 0, 100)
    assert (lo, hi) == (0.0, float(band[::5, ::5].max()))


def test_percentiles_of_an_empty_band():
    band = np.zeros((4, 4), np.uint16)
    assert percentile_range(band, 2, 98, ignore=0) == (0.0, 0.0)


@pytest.mark.parametrize(("text", "expected"), [("2,98", (2.0, 98.0)), ("0:100", (0.0, 100.0)),
                                                ("none", None), (None, None)])
def test_parse_percentiles(text, expected):
    assert parse_percentiles(text) == expected


@pytest.mark.parametrize("text", ["98,2", "2", "a,b", "-1,50", "5,101"])
def test_bad_percentiles(text):
    with pytest.raises(BadInputError, match="--stretch"):
        parse_percentiles(text)


def test_parse_band_list():
    assert parse_band_list("29,19,9") == [29, 19, 9]
    assert parse_band_list("0:3, 7") == [0, 1, 2, 7]
    for bad in ("", "a", "-1", "3:1", "1,,x"):
        with pytest.raises(BadInputError, match="--bands"):
            parse_band_list(bad)


# ----------------------------------------------------------------------- split


@pytest.fixture
def bip_scene(tmp_path):
    cube, w = scene(60, 90, 24, seed=3)
    extra = ("wavelength units = Nanometers\nwavelength = {"
             + ", ".join(f"{v:.3f}" for v in w) + "}\n")
    header = write_envi(tmp_path / "scene.img", cube, interleave="bip", extra=extra)
    return header, cube, w


@pytest.mark.parametrize("interleave", ["bsq", "bil", "bip"])
def test_png_bands_are_stretched_per_band(tmp_path, interleave):
    cube = random_cube(np.random.default_rng(9), (4, 30, 20), "uint16") // 7
    header = write_envi(tmp_path / "c.img", cube, interleave=interleave)
    out = tmp_path / "out"
    out.mkdir()
    result = split(header, out, bands=[3, 1])
    assert [i.path.name for i in result.images] == ["c_b3.png", "c_b1.png"]
    for image in result.images:
        band = cube[image.index]
        lo, hi = np.percentile(band, [2, 98], method="inverted_cdf")
        assert image.stretch == (float(lo), float(hi))
        got = load(image.path)
        assert got.dtype == np.uint8
        assert got.shape == band.shape
        np.testing.assert_array_equal(got, stretch_array(band, lo, hi))
        assert got.min() == 0
        assert got.max() == 255


@pytest.mark.parametrize("dtype", ["uint8", "uint16", "int16", "uint32", "int32", "float32"])
def test_tif_keeps_values_and_type(tmp_path, dtype):
    cube = random_cube(np.random.default_rng(10), (3, 12, 17), dtype)
    header = write_envi(tmp_path / "c.img", cube, interleave="bip", byte_order="big")
    result = split(header, tmp_path, fmt="tif")
    assert len(result.images) == 3
    for image in result.images:
        assert image.stretch is None
        got = load(image.path)
        assert got.dtype == np.dtype(dtype)
        np.testing.assert_array_equal(got, cube[image.index])
        np.testing.assert_array_equal(rasterkit.io.load_array(image.path)[:, :, 0],
                                      cube[image.index])


def test_png_without_stretch_keeps_16_bit(tmp_path):
    cube = random_cube(np.random.default_rng(11), (2, 9, 8), "uint16")
    header = write_envi(tmp_path / "c.img", cube, interleave="bil")
    result = split(header, tmp_path, stretch=None)
    for image in result.images:
        got = load(image.path)
        assert got.dtype == np.uint16
        np.testing.assert_array_equal(got, cube[image.index])


def test_stretched_tif_is_8_bit(tmp_path):
    cube = random_cube(np.random.default_rng(12), (2, 9, 8), "float32")
    header = write_envi(tmp_path / "c.img", cube)
    result = split(header, tmp_path, fmt="tif", stretch=(5, 95))
    for image in result.images:
        lo, hi = image.stretch
        np.testing.assert_array_equal(load(image.path),
                                      stretch_array(cube[image.index], lo, hi))


def test_int64_png_is_stretched_and_tif_refused(tmp_path):
    cube = random_cube(np.random.default_rng(13), (2, 9, 8), "int64") // 3
    header = write_envi(tmp_path / "c.img", cube, interleave="bip")
    result = split(header, tmp_path)
    lo, hi = result.images[0].stretch
    np.testing.assert_array_equal(load(result.images[0].path), stretch_array(cube[0], lo, hi))
    with pytest.raises(BadInputError, match="cannot read back a TIFF of int64"):
        split(header, tmp_path, fmt="tif", prefix="t")


def test_complex_bands_are_stretched_by_magnitude(tmp_path):
    cube = random_cube(np.random.default_rng(14), (2, 9, 8), "complex64")
    header = write_envi(tmp_path / "c.img", cube, interleave="bil")
    image = split(header, tmp_path, bands=[1]).images[0]
    lo, hi = image.stretch
    np.testing.assert_array_equal(load(image.path), stretch_array(cube[1], lo, hi))


def test_ignore_value_is_black_and_left_out_of_the_stretch(tmp_path):
    cube = (random_cube(np.random.default_rng(15), (1, 20, 20), "uint16") // 4 + 100)
    cube[0, :5] = 0
    header = write_envi(tmp_path / "c.img", cube, extra="data ignore value = 0\n")
    image = split(header, tmp_path).images[0]
    valid = cube[0, 5:]
    lo, hi = np.percentile(valid, [2, 98], method="inverted_cdf")
    assert image.stretch == (float(lo), float(hi))
    got = load(image.path)
    assert not got[:5].any()
    np.testing.assert_array_equal(got, stretch_array(cube[0], lo, hi, ignore=0))


def test_bip_staging_on_disk_gives_the_same_pictures(tmp_path, bip_scene):
    header, _cube, _ = bip_scene
    ram, disk = tmp_path / "ram", tmp_path / "disk"
    ram.mkdir()
    disk.mkdir()
    a = split(header, ram, bands=[0, 5, 11, 23])
    b = split(header, disk, bands=[0, 5, 11, 23], memory_limit=0)
    for x, y in zip(a.images, b.images, strict=True):
        np.testing.assert_array_equal(load(x.path), load(y.path))
    assert sorted(p.name for p in disk.iterdir()) == sorted(p.name for p in ram.iterdir())


def test_quicklook_band_order_and_colours(tmp_path, bip_scene):
    header, cube, w = bip_scene
    opened = rasterkit.raster.open(header)
    r, g, b = default_rgb_bands(opened)
    assert [round(w[i]) for i in (r, g, b)] == [
        round(w[np.argmin(abs(w - t))]) for t in (640, 550, 460)]
    out = tmp_path / "ql.png"
    rgb = quicklook(header, out)
    assert rgb.bands == (r, g, b)
    got = load(out)
    assert got.shape == (60, 90, 3)
    for channel, band in enumerate((r, g, b)):
        lo, hi = np.percentile(cube[band], [2, 98], method="inverted_cdf")
        np.testing.assert_array_equal(got[:, :, channel], stretch_array(cube[band], lo, hi))
    lake = got[:, :20].reshape(-1, 3).mean(axis=0)
    field = got[:20, 40:].reshape(-1, 3).mean(axis=0)
    roof = got[27:33, 42:48].reshape(-1, 3).mean(axis=0)
    assert lake[2] > lake[0]
    assert lake[2] > lake[1]
    assert field[1] > field[0]
    assert field[1] > field[2]
    assert roof[0] > roof[1]
    assert roof[0] > roof[2]


def test_rgb_from_three_bands_and_jpeg(tmp_path, bip_scene):
    header, _, _ = bip_scene
    out = tmp_path / "bands"
    out.mkdir()
    result = split(header, out, bands=[7, 4, 2], rgb=tmp_path / "ql.jpg")
    assert result.rgb.bands == (7, 4, 2)
    image = pyvips.Image.new_from_file(str(tmp_path / "ql.jpg"))
    assert (image.width, image.height, image.bands) == (90, 60, 3)
    assert len(list(out.iterdir())) == 3
    data = result.to_dict()
    assert data["rgb"]["bands"] == [7, 4, 2]
    assert [i["index"] for i in data["images"]] == [7, 4, 2]
    assert data["images"][0]["wavelength"] == pytest.approx(
        rasterkit.raster.open(header).wavelengths[7])


def test_default_bands_key_is_one_based(tmp_path):
    cube = random_cube(np.random.default_rng(16), (5, 4, 4), "uint8")
    header = write_envi(tmp_path / "c.img", cube, extra="default bands = {5, 3, 1}\n")
    assert default_rgb_bands(rasterkit.raster.open(header)) == (4, 2, 0)


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"out_dir": "missing/deeper"}, OutputError, "output folder does not exist"),
    ({"bands": [9]}, BadInputError, "band 9 is out of range"),
    ({"fmt": "jpg"}, BadInputError, "--format must be png or tif"),
    ({"stretch": None, "fmt": "png"}, BadInputError, "PNG holds 8- or 16-bit unsigned"),
    ({"rgb": "q.jpg", "rgb_bands": [1, 2]}, BadInputError, "needs 3 bands"),
    ({"rgb": "q.gif"}, OutputError, "unknown output format"),
    ({"out_dir": None}, BadInputError, "nothing to write"),
])
def test_split_errors_before_writing_anything(tmp_path, kwargs, error, message):
    cube = random_cube(np.random.default_rng(17), (3, 4, 5), "float32")
    header = write_envi(tmp_path / "c.img", cube, interleave="bip")
    options = {"out_dir": tmp_path, **kwargs}
    if options["out_dir"] == "missing/deeper":
        options["out_dir"] = tmp_path / "missing" / "deeper"
    if "rgb" in options:
        options["rgb"] = tmp_path / options["rgb"]
    out_dir = options.pop("out_dir")
    with pytest.raises(error, match=message):
        split(header, out_dir, **options)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.hdr", "c.img"]


def test_split_makes_its_output_folder_and_removes_it_on_failure(tmp_path, monkeypatch):
    cube = random_cube(np.random.default_rng(19), (3, 4, 5), "uint16")
    header = write_envi(tmp_path / "c.img", cube, interleave="bil")
    result = split(header, tmp_path / "bands", fmt="tif")
    assert sorted(p.name for p in (tmp_path / "bands").iterdir()) == [
        "c_b0.tif", "c_b1.tif", "c_b2.tif"]
    assert [i.path for i in result.images] == [tmp_path / "bands" / f"c_b{b}.tif"
                                               for b in range(3)]
    import rasterkit.raster.export as export

    calls = []
    real = export.stretch_array

    def fails_on_the_third(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(export, "stretch_array", fails_on_the_third)
    with pytest.raises(OutputError, match="disk full"):
        split(header, tmp_path / "pngs", threads=1)
    assert not (tmp_path / "pngs").exists()
    (tmp_path / "kept").mkdir()
    (tmp_path / "kept" / "mine.txt").write_text("a user's file")
    calls.clear()
    with pytest.raises(OutputError, match="disk full"):
        split(header, tmp_path / "kept", threads=1)
    assert [p.name for p in (tmp_path / "kept").iterdir()] == ["mine.txt"]


def test_repeated_bands_are_written_once_and_rgb_cannot_clobber_them(tmp_path):
    cube = random_cube(np.random.default_rng(18), (3, 4, 5), "uint8")
    header = write_envi(tmp_path / "c.img", cube, interleave="bip")
    result = split(header, tmp_path, bands=[1, 1, 2])
    assert [i.index for i in result.images] == [1, 2]
    with pytest.raises(OutputError, match="would overwrite a band image"):
        split(header, tmp_path, bands=[1], rgb=tmp_path / "c_b1.png")


@pytest.mark.parametrize("dtype", ["uint8", "uint16", "int16", "float32", "float64",
                                   "complex64"])
@pytest.mark.parametrize("ignore", [None, 0])
@pytest.mark.parametrize("numpy_up_to", [0, 1 << 20])
def test_split_pixels_are_the_same_whichever_way_bands_are_stretched(tmp_path, monkeypatch,
                                                                      dtype, ignore,
                                                                      numpy_up_to):
    """Small bands are stretched in numpy, large ones in libvips: same PNGs either way."""
    import rasterkit.raster.export as export

    monkeypatch.setattr(export, "NUMPY_STRETCH_PIXELS", numpy_up_to)
    rng = np.random.default_rng(23)
    cube = random_cube(rng, (3, 37, 53), dtype)
    if ignore is not None:
        cube[:, ::5] = ignore
    header = write_envi(tmp_path / "c.img", cube, interleave="bip")
    if ignore is not None:
        header.write_text(header.read_text() + f"data ignore value = {ignore}\n")
    result = split(header, tmp_path / "out")
    for image in result.images:
        lo, hi = image.stretch
        np.testing.assert_array_equal(load(image.path),
                                      stretch_array(cube[image.index], lo, hi, ignore=ignore))
