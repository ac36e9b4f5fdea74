"""Writing and converting cubes: round trips, oracles reading our files, headers, safety."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import rasterkit
from rasterkit.errors import BadInputError, OutputError
from rasterkit.raster.writer import convert, output_paths, write

from .synthetic import ENVI_CODE, random_cube, to_file_order, write_envi

INTERLEAVES = ("bsq", "bil", "bip")


@pytest.mark.parametrize("order", ["little", "big"])
@pytest.mark.parametrize("interleave", INTERLEAVES)
@pytest.mark.parametrize("dtype", list(ENVI_CODE))
def test_write_lays_out_bytes_exactly(tmp_path, dtype, interleave, order):
    cube = random_cube(np.random.default_rng(1), (5, 7, 6), dtype)
    written = write(tmp_path / "out.hdr", cube, interleave=interleave, byte_order=order,
                    chunk_rows=2)
    assert written.data == tmp_path / "out.img"
    wanted = to_file_order(cube, interleave).astype(cube.dtype.newbyteorder(
        "<" if order == "little" else ">")).tobytes()
    assert written.data.read_bytes() == wanted
    back = rasterkit.raster.open(written.header)
    assert back.interleave == interleave
    if cube.dtype.itemsize > 1:  # a 1-byte type has no byte order (the header says 0)
        assert back.layout.byte_order == order
    np.testing.assert_array_equal(back.read(), cube)


@pytest.mark.parametrize("target", INTERLEAVES)
@pytest.mark.parametrize("source", INTERLEAVES)
@pytest.mark.parametrize("dtype", ["uint8", "uint16", "float32", "complex128"])
def test_convert_between_every_pair_streaming(tmp_path, source, target, dtype):
    cube = random_cube(np.random.default_rng(2), (9, 11, 5), dtype)
    header = write_envi(tmp_path / "in.img", cube, interleave=source, byte_order="big",
                        extra="wavelength = {1,2,3,4,5,6,7,8,9}\nzeta key = 1\n")
    written = convert(header, tmp_path / "out.bsq", interleave=target, chunk_rows=3)
    assert written.header == tmp_path / "out.hdr"
    back = rasterkit.raster.open(written.header)
    assert back.interleave == target
    assert back.layout.byte_order == ("big" if cube.dtype.itemsize > 1 else "little")
    np.testing.assert_array_equal(back.read(), cube)
    assert back.header.wavelength == list(map(float, range(1, 10)))
    assert back.header.keys()[-1] == "zeta key"  # unknown keys kept, in order
    assert back.header.header_offset == 0


def test_convert_changes_byte_order_and_drops_the_offset(tmp_path):
    cube = random_cube(np.random.default_rng(3), (4, 6, 8), "int32")
    header = write_envi(tmp_path / "in.img", cube, interleave="bip", byte_order="big",
                        offset=77)
    written = convert(header, tmp_path / "out", interleave="bil", byte_order="little")
    assert written.header == tmp_path / "out.hdr"
    assert written.data == tmp_path / "out"
    back = rasterkit.raster.open(written.data)
    assert back.layout.byte_order == "little"
    assert back.layout.offset == 0
    np.testing.assert_array_equal(back.read(), cube)
    assert written.data.stat().st_size == cube.nbytes


@pytest.mark.parametrize("interleave", INTERLEAVES)
@pytest.mark.parametrize("dtype", ["uint16", "int16", "float32", "uint8", "float64"])
def test_gdal_and_spectral_read_what_we_write(tmp_path, interleave, dtype):
    rasterio = pytest.importorskip("rasterio")
    envi = pytest.importorskip("spectral.io.envi")
    cube = random_cube(np.random.default_rng(4), (6, 13, 10), dtype)
    written = write(tmp_path / "w.hdr", cube, interleave=interleave, byte_order="big",
                    metadata={"wavelength": [400 + 10 * i for i in range(6)]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with rasterio.open(written.data) as ds:
            np.testing.assert_array_equal(ds.read(), cube)
    img = envi.open(str(written.header), str(written.data))
    np.testing.assert_array_equal(np.asarray(img.load(dtype=dtype)).transpose(2, 0, 1), cube)
    assert [float(w) for w in img.metadata["wavelength"]] == [400 + 10 * i for i in range(6)]


def test_two_dimensional_array_is_one_band(tmp_path):
    band = np.arange(12, dtype=np.uint16).reshape(3, 4)
    written = write(tmp_path / "one.dat", band)
    back = rasterkit.raster.open(written.header)
    assert back.shape == (1, 3, 4)
    np.testing.assert_array_equal(back.band(0), band)


def test_output_names():
    from pathlib import Path

    assert output_paths("a/out.hdr") == (Path("a/out.hdr"), Path("a/out.img"))
    assert output_paths("a/out.bsq") == (Path("a/out.hdr"), Path("a/out.bsq"))
    assert output_paths("a/out") == (Path("a/out.hdr"), Path("a/out"))
    with pytest.raises(OutputError, match="unknown raw data suffix"):
        output_paths("a/out.png")


def test_output_over_an_input_is_refused_before_any_work(tmp_path):
    cube = random_cube(np.random.default_rng(5), (2, 3, 4), "uint8")
    header = write_envi(tmp_path / "in.img", cube, interleave="bip")
    before = (tmp_path / "in.img").read_bytes()
    with pytest.raises(OutputError, match="would overwrite the input"):
        convert(header, tmp_path / "in.hdr", interleave="bsq")
    with pytest.raises(OutputError, match="would overwrite the input"):
        convert(header, tmp_path / "in.img", interleave="bsq")
    assert (tmp_path / "in.img").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.hdr", "in.img"]


def test_output_folder_missing(tmp_path):
    cube = random_cube(np.random.default_rng(6), (2, 3, 4), "uint8")
    with pytest.raises(OutputError, match="does not exist"):
        write(tmp_path / "no" / "out.hdr", cube)


def test_failure_mid_way_leaves_nothing(tmp_path):
    cube = random_cube(np.random.default_rng(7), (3, 40, 4), "uint16")
    header = write_envi(tmp_path / "in.img", cube, interleave="bip")
    calls = []

    def explode(rows):
        calls.append(rows)
        if len(calls) == 3:
            raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError, match="disk on fire"):
        convert(header, tmp_path / "out.hdr", interleave="bsq", chunk_rows=5, progress=explode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.hdr", "in.img"]


def test_types_without_an_envi_code_are_refused(tmp_path):
    with pytest.raises(BadInputError, match="int8 has no ENVI data type"):
        write(tmp_path / "x.hdr", np.zeros((1, 2, 2), np.int8))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("source", "target"), [("bip", "bsq"), ("bsq", "bip"), ("bil", "bip")])
def test_convert_streams_with_bounded_memory(tmp_path, source, target):
    """Peak numpy allocation stays near a few chunks, far below the cube's size."""
    import tracemalloc

    cube = random_cube(np.random.default_rng(8), (16, 256, 128), "uint16")  # 1 MiB
    header = write_envi(tmp_path / "in.img", cube, interleave=source)
    opened = rasterkit.raster.open(header)
    convert(opened, tmp_path / "warm.hdr", interleave=target)  # load the compiled kernels
    tracemalloc.start()
    try:
        convert(opened, tmp_path / "out.hdr", interleave=target, chunk_rows=8)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    chunk = 16 * 8 * 128 * 2  # 32 KiB
    assert peak < 12 * chunk < cube.nbytes / 2
    np.testing.assert_array_equal(rasterkit.raster.open(tmp_path / "out.hdr").read(), cube)
