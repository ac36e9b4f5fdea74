"""Reading cubes: every data type x interleave x byte order, views, streaming, oracles."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rasterkit
from rasterkit.errors import BadInputError

from .synthetic import ENVI_CODE, random_cube, to_file_order, write_envi

DTYPES = list(ENVI_CODE)
INTERLEAVES = ("bsq", "bil", "bip")
ORDERS = ("little", "big")


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("interleave", INTERLEAVES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_round_trip_every_type_interleave_and_byte_order(tmp_path, dtype, interleave, order):
    rng = np.random.default_rng(abs(hash((dtype, interleave, order))) % 2**32)
    cube = random_cube(rng, (5, 7, 9), dtype)
    header = write_envi(tmp_path / "c.img", cube, interleave=interleave, byte_order=order)
    opened = rasterkit.raster.open(header)
    assert opened.shape == (5, 7, 9)
    assert opened.dtype == np.dtype(dtype)
    data = opened.read()
    assert data.dtype == np.dtype(dtype)
    assert data.dtype.isnative
    np.testing.assert_array_equal(data, cube)
    for b in range(5):
        np.testing.assert_array_equal(opened.band(b), cube[b])
        np.testing.assert_array_equal(opened.band(b, copy=True), cube[b])
    np.testing.assert_array_equal(opened.bands([4, 0, 2, 0]), cube[[4, 0, 2, 0]])
    np.testing.assert_array_equal(opened.bands([3]), cube[[3]])
    np.testing.assert_array_equal(opened.read_rows(2, 6, bands=[1, 3]), cube[[1, 3], 2:6])


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("interleave", INTERLEAVES)
@pytest.mark.parametrize("dtype", ["uint8", "uint16", "int16", "float32", "float64",
                                   "complex64", "complex128"])
@pytest.mark.parametrize("shape", [(8, 13, 11), (16, 9, 12), (4, 5, 6), (24, 3, 2)])
def test_streaming_units_smaller_than_the_image(tmp_path, dtype, interleave, order, shape):
    """Tiny work units and chunks: many units per chunk, chunk edges mid-image, word-aligned
    and misaligned cases of the BIP transpose, one and two threads."""
    rng = np.random.default_rng(sum(shape))
    cube = random_cube(rng, shape, dtype)
    header = write_envi(tmp_path / "c.img", cube, interleave=interleave, byte_order=order,
                        offset=13)
    opened = rasterkit.raster.open(header)
    for threads in (1, 2):
        for block in (1, 64, 300):
            np.testing.assert_array_equal(
                opened.read(threads=threads, block_bytes=block), cube)
        chunks = list(opened.iter_chunks(rows=2, threads=threads, block_bytes=50))
        assert [(c.start, c.stop) for c in chunks] == [
            (a, min(a + 2, shape[1])) for a in range(0, shape[1], 2)]
        np.testing.assert_array_equal(np.concatenate([c.data for c in chunks], axis=1), cube)
    picked = [shape[0] - 1, 0, 1]
    streamed = [c.data for c in opened.iter_chunks(rows=3, bands=picked, block_bytes=40,
                                                   prefetch=False)]
    np.testing.assert_array_equal(np.concatenate(streamed, axis=1), cube[picked])


def test_iteration_protocol_and_early_stop(tmp_path):
    cube = random_cube(np.random.default_rng(1), (3, 40, 5), "uint16")
    opened = rasterkit.raster.open(write_envi(tmp_path / "c.img", cube, interleave="bip"))
    starts = []
    for start, stop, block in opened:
        starts.append(start)
        np.testing.assert_array_equal(block, cube[:, start:stop])
    assert starts == [0]
    gen = opened.iter_chunks(rows=4)
    first = next(gen)
    np.testing.assert_array_equal(first.data, cube[:, :4])
    gen.close()  # stops the prefetching thread cleanly


def test_header_offset_is_skipped(tmp_path):
    cube = random_cube(np.random.default_rng(2), (3, 4, 5), "int16")
    header = write_envi(tmp_path / "c.img", cube, interleave="bil", offset=512,
                        byte_order="big")
    opened = rasterkit.raster.open(header)
    assert opened.layout.offset == 512
    np.testing.assert_array_equal(opened.read(), cube)
    np.testing.assert_array_equal(opened.band(2), cube[2])


def test_band_views_do_not_copy_and_say_when_they_do(tmp_path):
    cube = random_cube(np.random.default_rng(3), (4, 6, 8), "uint16")
    for interleave in INTERLEAVES:
        opened = rasterkit.raster.open(write_envi(tmp_path / f"{interleave}.img", cube,
                                                  interleave=interleave))
        view = opened.band(1)
        assert np.shares_memory(view, opened.memmap)
        assert not view.flags.writeable
        assert view.flags.c_contiguous == (interleave == "bsq")
        copy = opened.band(1, copy=True)
        assert not np.shares_memory(copy, opened.memmap)
        assert copy.flags.c_contiguous
    swapped = rasterkit.raster.open(write_envi(tmp_path / "be.img", cube, interleave="bip",
                                               byte_order="big"))
    band = swapped.band(1)
    assert band.dtype.isnative
    assert not np.shares_memory(band, swapped.memmap)
    np.testing.assert_array_equal(band, cube[1])


def test_read_into_a_given_array(tmp_path):
    cube = random_cube(np.random.default_rng(4), (4, 6, 8), "float32")
    opened = rasterkit.raster.open(write_envi(tmp_path / "c.img", cube, interleave="bip"))
    out = np.zeros(cube.shape, np.float32)
    assert opened.read(out=out) is out
    np.testing.assert_array_equal(out, cube)
    with pytest.raises(ValueError, match="shape"):
        opened.read(out=np.zeros((4, 6, 7), np.float32))


@pytest.mark.parametrize("interleave", INTERLEAVES)
@pytest.mark.parametrize("dtype", ["uint8", "int16", "uint16", "float32", "float64",
                                   "complex64"])
@pytest.mark.parametrize("order", ORDERS)
def test_to_vips_matches_read(tmp_path, interleave, dtype, order):
    cube = random_cube(np.random.default_rng(5), (6, 5, 7), dtype)
    opened = rasterkit.raster.open(write_envi(tmp_path / "c.img", cube, interleave=interleave,
                                              byte_order=order))
    image = opened.to_vips()
    assert (image.width, image.height, image.bands) == (7, 5, 6)
    np.testing.assert_array_equal(image.numpy(), cube.transpose(1, 2, 0))
    np.testing.assert_array_equal(opened.to_vips([4, 1]).numpy(), cube[[4, 1]].transpose(1, 2, 0))
    np.testing.assert_array_equal(opened.band_vips(3).numpy(), cube[3])


def test_to_vips_refuses_64_bit_integers(tmp_path):
    cube = random_cube(np.random.default_rng(6), (2, 3, 4), "int64")
    opened = rasterkit.raster.open(write_envi(tmp_path / "c.img", cube))
    with pytest.raises(BadInputError, match="int64 samples have no libvips format"):
        opened.to_vips()


# ----------------------------------------------------------------------- header-less raw


@pytest.mark.parametrize("interleave", INTERLEAVES)
def test_header_less_raw_file(tmp_path, interleave):
    cube = random_cube(np.random.default_rng(7), (5, 8, 6), "uint16")
    path = tmp_path / "scene.raw"
    path.write_bytes(b"\0" * 100 + to_file_order(cube, interleave).astype(">u2").tobytes())
    opened = rasterkit.raster.open(path, shape="8x6x5", dtype="uint16", interleave=interleave,
                                   byte_order="big", offset=100)
    assert opened.header_path is None
    np.testing.assert_array_equal(opened.read(), cube)
    assert opened.header.samples == 6
    assert opened.header.interleave == interleave


def test_shape_ignores_a_stale_header(tmp_path):
    cube = random_cube(np.random.default_rng(8), (1, 4, 6), "uint8")
    path = tmp_path / "scene.img"
    write_envi(path, cube)
    (tmp_path / "scene.hdr").write_text("ENVI\nsamples = 99\n")  # wrong and incomplete
    opened = rasterkit.raster.open(path, shape=(4, 6, 1))
    np.testing.assert_array_equal(opened.read(), cube)


def test_shape_given_with_a_header_path_is_refused(tmp_path):
    header = write_envi(tmp_path / "c.img", random_cube(np.random.default_rng(9), (1, 2, 2),
                                                        "uint8"))
    with pytest.raises(BadInputError, match="is an ENVI header"):
        rasterkit.raster.open(header, shape="2x2x1")


@pytest.mark.parametrize(("options", "message"), [
    ({"shape": "8x6"}, "file is 240 bytes but --shape 8x6x1"),
    ({"shape": "8x6x5x2"}, "--shape must be ROWSxCOLSxBANDS"),
    ({"shape": "8xsix5"}, "--shape must be ROWSxCOLSxBANDS"),
    ({"shape": "0x6x5"}, "--shape must be ROWSxCOLSxBANDS"),
    ({"shape": "8x6x5", "dtype": "uint12"}, "--dtype must be one of"),
    ({"shape": "8x6x5", "dtype": "uint16", "interleave": "bop"}, "interleave must be"),
    ({"shape": "8x6x5", "byte_order": "middle"}, "byte order must be little or big"),
])
def test_bad_raw_descriptions(tmp_path, options, message):
    path = tmp_path / "scene.raw"
    path.write_bytes(bytes(240))
    with pytest.raises(BadInputError, match=message):
        rasterkit.raster.open(path, **options)


# ----------------------------------------------------------------------- errors


@pytest.mark.parametrize("delta", [-1, -1000])
def test_size_mismatch_states_both_sizes(tmp_path, delta):
    cube = random_cube(np.random.default_rng(10), (3, 20, 10), "uint16")
    header = write_envi(tmp_path / "c.img", cube, interleave="bip")
    data = tmp_path / "c.img"
    raw = data.read_bytes()
    data.write_bytes(raw[:delta] if delta < 0 else raw + bytes(delta))
    actual, expected = 1200 + delta, 1200
    with pytest.raises(BadInputError) as info:
        rasterkit.raster.open(header)
    message = str(info.value)
    assert f"file is {actual:,} bytes" in message
    assert f"describes {expected:,} bytes" in message
    assert "20 lines x 10 samples x 3 bands x 2 bytes" in message
    assert "\n" not in message


def test_file_truncated_after_opening(tmp_path):
    cube = random_cube(np.random.default_rng(11), (3, 20, 10), "uint16")
    opened = rasterkit.raster.open(write_envi(tmp_path / "c.img", cube, interleave="bip"))
    with open(tmp_path / "c.img", "r+b") as f:
        f.truncate(600)
    with pytest.raises(BadInputError, match="file ended at byte"):
        opened.read()


@pytest.mark.parametrize("index", [3, -1, 100, 1.5, "x"])
def test_band_index_out_of_range(tmp_path, index):
    opened = rasterkit.raster.open(write_envi(
        tmp_path / "c.img", random_cube(np.random.default_rng(12), (3, 2, 2), "uint8"),
        interleave="bip"))
    with pytest.raises(BadInputError, match=r"band|integer"):
        opened.band(index)
    with pytest.raises(BadInputError):
        opened.bands([0, index])


def test_missing_input(tmp_path):
    with pytest.raises(BadInputError, match="no such file"):
        rasterkit.raster.open(tmp_path / "nope.hdr")
    with pytest.raises(BadInputError, match="is a folder"):
        rasterkit.raster.open(tmp_path)


# ----------------------------------------------------------------------- oracles


@pytest.mark.parametrize("interleave", INTERLEAVES)
@pytest.mark.parametrize(("dtype", "order"), [("uint16", "little"), ("int16", "big"),
                                              ("float32", "little"), ("uint8", "little"),
                                              ("float64", "big"), ("int32", "little")])
def test_agrees_with_gdal_and_spectral(tmp_path, interleave, dtype, order):
    rasterio = pytest.importorskip("rasterio")
    envi = pytest.importorskip("spectral.io.envi")
    cube = random_cube(np.random.default_rng(13), (7, 33, 21), dtype)
    header = write_envi(tmp_path / "c.img", cube, interleave=interleave, byte_order=order)
    ours = rasterkit.raster.open(header).read(block_bytes=256)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # not georeferenced
        with rasterio.open(tmp_path / "c.img") as ds:
            gdal = ds.read()
    spectral = np.asarray(envi.open(str(header), str(tmp_path / "c.img")).load(dtype=dtype))
    np.testing.assert_array_equal(ours, gdal)
    np.testing.assert_array_equal(ours, spectral.transpose(2, 0, 1))
    np.testing.assert_array_equal(ours, cube)


# ----------------------------------------------------------------------- property-based


@settings(max_examples=60, deadline=None)
@given(dtype=st.sampled_from(["uint8", "int16", "uint16", "int32", "float32", "float64",
                              "complex64", "complex128", "uint64"]),
       interleave=st.sampled_from(INTERLEAVES), order=st.sampled_from(ORDERS),
       bands=st.integers(1, 17), rows=st.integers(1, 9), cols=st.integers(1, 11),
       offset=st.integers(0, 9), block=st.integers(1, 400), threads=st.integers(1, 3),
       data=st.data())
def test_read_rows_property(tmp_path_factory, dtype, interleave, order, bands, rows, cols,
                            offset, block, threads, data):
    from rasterkit.raster.deinterleave import read_rows

    folder = tmp_path_factory.mktemp("prop")
    cube = random_cube(np.random.default_rng(bands * rows * cols), (bands, rows, cols), dtype)
    opened = rasterkit.raster.open(write_envi(folder / "c.img", cube, interleave=interleave,
                                              byte_order=order, offset=offset))
    start = data.draw(st.integers(0, rows - 1))
    stop = data.draw(st.integers(start + 1, rows))
    picked = data.draw(st.lists(st.integers(0, bands - 1), min_size=1, max_size=bands + 2))
    if data.draw(st.booleans()):
        picked = list(range(bands))
    out = np.empty((len(picked), stop - start, cols), np.dtype(dtype))
    read_rows(opened.path, opened.layout, start, stop, picked, out, threads=threads,
              block_bytes=block)
    np.testing.assert_array_equal(out, cube[picked, start:stop])


def test_very_wide_bil_band_is_copied_for_libvips(tmp_path, monkeypatch):
    import rasterkit.raster.cube as cube_module

    cube = random_cube(np.random.default_rng(20), (3, 4, 5), "uint16")
    opened = rasterkit.raster.open(write_envi(tmp_path / "c.img", cube, interleave="bil",
                                              byte_order="big"))
    monkeypatch.setattr(cube_module, "MAX_VIPS_WIDTH", 10)
    np.testing.assert_array_equal(opened.band_vips(2).numpy(), cube[2])


def test_read_rows_refuses_bad_indices(tmp_path):
    from rasterkit.raster.deinterleave import read_rows

    cube = random_cube(np.random.default_rng(21), (3, 4, 5), "uint8")
    opened = rasterkit.raster.open(write_envi(tmp_path / "c.img", cube, interleave="bip"))
    out = np.empty((1, 4, 5), np.uint8)
    with pytest.raises(ValueError, match="band indices"):
        read_rows(opened.path, opened.layout, 0, 4, [3], out)
    with pytest.raises(ValueError, match="rows"):
        read_rows(opened.path, opened.layout, 0, 5, [0], np.empty((1, 5, 5), np.uint8))
