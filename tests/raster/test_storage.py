"""ENVI files as other tools write them: GDAL (through rasterio) and Spectral Python write
them in these tests; gzip-compressed data (``file compression = 1``), bytes after the last
sample, and embedded frame bytes (``major/minor frame offsets``)."""

from __future__ import annotations

import gc
import gzip
import json
import warnings

import numpy as np
import pytest

import rasterkit
from rasterkit.errors import BadInputError
from rasterkit.raster.storage import Storage, frames, strides
from tests.support.cli import one_line_error

from .synthetic import random_cube, to_file_order, write_envi

INTERLEAVES = ("bsq", "bil", "bip")
GDAL_INTERLEAVE = {"bsq": "BSQ", "bil": "BIL", "bip": "BIP"}


def gdal_read(path) -> np.ndarray:
    import rasterio

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with rasterio.open(path) as dataset:
            return dataset.read()


# ------------------------------------------------------------------------ written by GDAL


@pytest.mark.parametrize("interleave", INTERLEAVES)
@pytest.mark.parametrize(("shape", "dtype"), [((1, 1, 1), "uint8"), ((3, 7, 5), "int16"),
                                              ((4, 9, 11), "float32"), ((2, 5, 3), "uint16")])
def test_files_written_by_gdal(tmp_path, interleave, shape, dtype):
    import rasterio

    cube = random_cube(np.random.default_rng(hash(shape) % 1000), shape, dtype)
    path = tmp_path / "gdal.img"
    bands, rows, cols = shape
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with rasterio.open(path, "w", driver="ENVI", width=cols, height=rows, count=bands,
                           dtype=dtype, interleave=GDAL_INTERLEAVE[interleave]) as out:
            out.write(cube)
    opened = rasterkit.raster.open(path)
    assert opened.interleave == interleave
    np.testing.assert_array_equal(opened.read(), cube)
    np.testing.assert_array_equal(opened.read(), gdal_read(path))
    info = opened.info()
    assert info.trailing_bytes == path.stat().st_size - cube.nbytes


def test_gdal_pads_a_tiny_file_and_both_read_it(tmp_path, run_cli):
    """GDAL writes 2 bytes for a 1 x 1 byte image; the extra byte is reported, not refused."""
    import rasterio

    path = tmp_path / "tiny.img"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with rasterio.open(path, "w", driver="ENVI", width=1, height=1, count=1,
                           dtype="uint8") as out:
            out.write(np.array([[[200]]], np.uint8))
    assert path.stat().st_size > 1
    done = run_cli("raster", "info", path.with_suffix(".hdr"), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["trailing_bytes"] == path.stat().st_size - 1
    assert "trailing" in run_cli("raster", "info", path.with_suffix(".hdr")).stdout
    assert rasterkit.raster.open(path).read().tolist() == [[[200]]]


# ------------------------------------------------------------------------ Spectral Python


@pytest.mark.parametrize("interleave", INTERLEAVES)
@pytest.mark.parametrize("byteorder", [0, 1])
def test_files_written_by_spectral(tmp_path, interleave, byteorder):
    from spectral.io import envi

    cube = random_cube(np.random.default_rng(7), (5, 6, 8), "uint16")
    header = tmp_path / "spy.hdr"
    envi.save_image(str(header), cube.transpose(1, 2, 0), dtype=np.uint16,
                    interleave=interleave, byteorder=byteorder, ext=".img", force=True)
    np.testing.assert_array_equal(rasterkit.raster.open(header).read(), cube)
    read_back = envi.open(str(header)).load()
    np.testing.assert_array_equal(np.asarray(read_back).transpose(2, 0, 1), cube)


# ------------------------------------------------------------------------ gzip


def gzipped(tmp_path, interleave, *, dtype="uint16", byte_order="little", offset=0):
    cube = random_cube(np.random.default_rng(3), (4, 10, 6), dtype)
    header = write_envi(tmp_path / "z.img", cube, interleave=interleave,
                        byte_order=byte_order, offset=offset,
                        extra="file compression = 1\n")
    data = tmp_path / "z.img"
    data.write_bytes(gzip.compress(data.read_bytes()))
    return header, cube


@pytest.mark.parametrize("interleave", INTERLEAVES)
@pytest.mark.parametrize("byte_order", ["little", "big"])
def test_gzip_compressed_data_reads_as_gdal_reads_it(tmp_path, interleave, byte_order):
    header, cube = gzipped(tmp_path, interleave, byte_order=byte_order, offset=12)
    opened = rasterkit.raster.open(header)
    np.testing.assert_array_equal(opened.read(), cube)
    np.testing.assert_array_equal(opened.band(2), cube[2])
    np.testing.assert_array_equal(np.concatenate([c.data for c in opened.iter_chunks(rows=3)],
                                                 axis=1), cube)
    np.testing.assert_array_equal(gdal_read(header.with_suffix(".img")), cube)
    assert opened.info().storage == "gzip"
    assert opened.info().trailing_bytes is None


def test_gzip_commands_split_and_convert(tmp_path, run_cli):
    header, cube = gzipped(tmp_path, "bip")
    done = run_cli("raster", "split", header, tmp_path / "bands", "--format", "tif")
    assert done.returncode == 0, done.stderr
    band = rasterkit.io.load_array(tmp_path / "bands" / "z_b1.tif")
    np.testing.assert_array_equal(band[:, :, 0], cube[1])
    done = run_cli("raster", "convert", header, tmp_path / "plain.hdr", "--interleave", "bsq")
    assert done.returncode == 0, done.stderr
    np.testing.assert_array_equal(rasterkit.raster.open(tmp_path / "plain.hdr").read(), cube)
    assert "file compression" not in (tmp_path / "plain.hdr").read_text()


def test_the_unpacked_copy_goes_with_the_cube(tmp_path):
    header, _ = gzipped(tmp_path, "bsq")
    opened = rasterkit.raster.open(header)
    opened.read()
    plain, _ = opened._readable()
    assert plain.exists()
    del opened
    gc.collect()
    assert not plain.exists()


@pytest.mark.parametrize(("damage", "message"), [
    (lambda raw: raw[: len(raw) // 2], "the gzip data is truncated"),
    (lambda raw: raw[:10] + bytes(len(raw) - 10), "corrupt gzip data"),
    (lambda raw: b"plain bytes, not gzip" + raw, "is not gzip data"),
    (lambda raw: gzip.compress(gzip.decompress(raw)[:-40]), "the data ends early"),
])
def test_damaged_gzip_is_one_line(tmp_path, run_cli, damage, message):
    header, _ = gzipped(tmp_path, "bil")
    data = tmp_path / "z.img"
    data.write_bytes(damage(data.read_bytes()))
    one_line_error(run_cli("raster", "split", header, tmp_path / "out"), message)
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------------ frame offsets


def framed_file(tmp_path, cube, interleave, major, minor, offset=0):
    """Write ``cube`` with junk bytes around every frame, as ENVI Classic reads them."""
    rng = np.random.default_rng(5)
    header = write_envi(tmp_path / "f.img", cube, interleave=interleave, offset=offset,
                        extra=f"major frame offsets = {{{major[0]}, {major[1]}}}\n"
                              f"minor frame offsets = {{{minor[0]}, {minor[1]}}}\n")
    ordered = to_file_order(cube, interleave)
    n_major, per_major, _ = ordered.shape
    parts = [rng.integers(0, 256, offset, np.uint8).tobytes()]
    for m in range(n_major):
        parts.append(rng.integers(0, 256, major[0], np.uint8).tobytes())
        for k in range(per_major):
            parts += [rng.integers(0, 256, minor[0], np.uint8).tobytes(),
                      ordered[m, k].tobytes(),
                      rng.integers(0, 256, minor[1], np.uint8).tobytes()]
        parts.append(rng.integers(0, 256, major[1], np.uint8).tobytes())
    (tmp_path / "f.img").write_bytes(b"".join(parts))
    return header


@pytest.mark.parametrize("interleave", INTERLEAVES)
@pytest.mark.parametrize(("major", "minor"), [((16, 0), (0, 0)), ((0, 8), (4, 2)),
                                              ((0, 0), (3, 0)), ((7, 5), (1, 9))])
def test_frame_offsets_are_skipped(tmp_path, interleave, major, minor):
    cube = random_cube(np.random.default_rng(9), (3, 8, 5), "int16")
    header = framed_file(tmp_path, cube, interleave, major, minor, offset=6)
    opened = rasterkit.raster.open(header)
    assert opened.storage == Storage(False, major, minor)
    n_major = frames(opened.layout)[0]
    assert (tmp_path / "f.img").stat().st_size == 6 + n_major * strides(opened.layout,
                                                                        opened.storage)[1]
    np.testing.assert_array_equal(opened.read(), cube)
    np.testing.assert_array_equal(opened.band(1), cube[1])
    assert "frame offsets" in opened.info().storage


def test_a_framed_file_too_short_names_its_frames(tmp_path, run_cli):
    cube = random_cube(np.random.default_rng(4), (2, 4, 3), "uint8")
    header = framed_file(tmp_path, cube, "bil", (4, 0), (0, 0))
    data = tmp_path / "f.img"
    data.write_bytes(data.read_bytes()[:-1])
    one_line_error(run_cli("raster", "info", header), "describes", "major frame offsets {4, 0}")


@pytest.mark.parametrize(("line", "message"), [
    ("file compression = 2", "'file compression' must be 0 or 1"),
    ("major frame offsets = {4, x}", "'major frame offsets' must be {before, after}"),
    ("minor frame offsets = {-1, 0}", "'minor frame offsets' must be {before, after}"),
])
def test_bad_storage_keys_are_one_line(tmp_path, run_cli, line, message):
    cube = random_cube(np.random.default_rng(4), (2, 4, 3), "uint8")
    header = write_envi(tmp_path / "c.img", cube, extra=line + "\n")
    one_line_error(run_cli("raster", "info", header), message)
    with pytest.raises(BadInputError, match=message.replace("{", r"\{").replace("}", r"\}")):
        rasterkit.raster.open(header)


# ------------------------------------------------------------------------ split formats


@pytest.mark.parametrize("dtype", ["float64", "complex64", "complex128", "int64", "uint64"])
def test_tif_of_types_libvips_cannot_read_back_is_refused_npy_is_exact(tmp_path, run_cli,
                                                                       dtype):
    cube = random_cube(np.random.default_rng(2), (3, 6, 4), dtype)
    header = write_envi(tmp_path / "c.img", cube, interleave="bip", byte_order="big")
    one_line_error(run_cli("raster", "split", header, tmp_path / "tif", "--format", "tif"),
                   "libvips cannot read back a TIFF", "--format npy")
    assert not (tmp_path / "tif").exists()
    done = run_cli("raster", "split", header, tmp_path / "npy", "--format", "npy")
    assert done.returncode == 0, done.stderr
    for b in range(3):
        band = np.load(tmp_path / "npy" / f"c_b{b}.npy")
        assert band.dtype == np.dtype(dtype)  # native byte order
        np.testing.assert_array_equal(band, cube[b])
    one_line_error(run_cli("raster", "split", header, tmp_path / "x", "--format", "npy",
                           "--stretch", "2,98"), "--format npy keeps values as stored")


@pytest.mark.parametrize("dtype", ["float32", "int32", "uint16", "int16"])
def test_tif_bands_read_back_through_libvips(tmp_path, dtype):
    cube = random_cube(np.random.default_rng(8), (2, 5, 7), dtype)
    header = write_envi(tmp_path / "c.img", cube, interleave="bil", byte_order="big")
    rasterkit.raster.split(header, tmp_path / "tif", fmt="tif")
    for b in range(2):
        back = rasterkit.io.load_array(tmp_path / "tif" / f"c_b{b}.tif")
        assert back.dtype == np.dtype(dtype)
        np.testing.assert_array_equal(back[:, :, 0], cube[b])
