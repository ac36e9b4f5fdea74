"""``rasterkit raster info|split|convert`` end to end, including every bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest
import pyvips

import rasterkit
from tests.support.cli import one_line_error

from .synthetic import random_cube, scene, to_file_order, write_envi


@pytest.fixture
def scene_files(tmp_path):
    cube, w = scene(40, 64, 12, seed=5)
    extra = ("wavelength units = Nanometers\nwavelength = {"
             + ", ".join(f"{v:.1f}" for v in w) + "}\nband names = {"
             + ", ".join(f"B{i}" for i in range(12)) + "}\nmystery = {kept}\n")
    header = write_envi(tmp_path / "scene.img", cube, interleave="bip", extra=extra)
    return header, cube, w


def test_info_text(run_cli, scene_files):
    header, _, _ = scene_files
    done = run_cli("raster", "info", header)
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert "40 rows x 64 columns x 12 bands" in text
    assert "uint16 (ENVI data type 12), little-endian" in text
    assert "interleave   bip" in text
    assert "wavelengths  12: 400 to 2500 Nanometers" in text
    assert "(numbered from 0)" in text
    assert "   0  B0  400 Nanometers" in text


def test_info_json_schema(run_cli, scene_files):
    header, _, w = scene_files
    done = run_cli("raster", "info", header, "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert set(data) == {"header", "data", "data_bytes", "rows", "cols", "bands", "dtype",
                         "envi_data_type", "byte_order", "interleave", "header_offset",
                         "wavelength_units", "wavelengths", "fwhm", "band_names",
                         "data_ignore_value", "map_info", "description", "default_bands",
                         "fields", "storage", "trailing_bytes"}
    assert (data["rows"], data["cols"], data["bands"]) == (40, 64, 12)
    assert data["dtype"] == "uint16"
    assert data["envi_data_type"] == 12
    assert data["data_bytes"] == 40 * 64 * 12 * 2
    assert data["wavelengths"] == pytest.approx([round(v, 1) for v in w])
    assert data["band_names"][3] == "B3"
    assert data["fields"]["mystery"] == "{kept}"
    assert data["fwhm"] is None


def test_split_png_and_quicklook(run_cli, scene_files, tmp_path):
    header, _cube, _ = scene_files
    out = tmp_path / "out"
    out.mkdir()
    done = run_cli("raster", "split", header, out, "--bands", "7,4,2", "--rgb",
                   tmp_path / "ql.jpg")
    assert done.returncode == 0, done.stderr
    assert "wrote 3 band images" in done.stdout
    assert "bands numbered from 0" in done.stdout
    assert "red = band 7, green = band 4, blue = band 2" in done.stdout
    assert done.stderr == ""  # no progress bar when not on a terminal
    assert sorted(p.name for p in out.iterdir()) == ["scene_b02.png", "scene_b04.png",
                                                     "scene_b07.png"]
    ql = pyvips.Image.new_from_file(str(tmp_path / "ql.jpg"))
    assert (ql.width, ql.height, ql.bands) == (64, 40, 3)


def test_split_tif_json(run_cli, scene_files, tmp_path):
    header, cube, _ = scene_files
    done = run_cli("raster", "split", header, tmp_path, "--format", "tif", "--bands", "0:3",
                   "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert [i["index"] for i in data["images"]] == [0, 1, 2]
    assert data["rgb"] is None
    for item in data["images"]:
        assert item["stretch"] is None
        assert item["name"] == f"B{item['index']}"
        got = pyvips.Image.new_from_file(item["path"]).numpy()
        np.testing.assert_array_equal(got, cube[item["index"]])


def test_split_header_less_raw(run_cli, tmp_path):
    cube = random_cube(np.random.default_rng(1), (5, 16, 12), "uint8")
    raw = tmp_path / "scene.raw"
    raw.write_bytes(to_file_order(cube, "bip").tobytes())
    out = tmp_path / "out"
    out.mkdir()
    done = run_cli("raster", "split", raw, out, "--shape", "16x12x5", "--dtype", "uint8",
                   "--interleave", "bip", "--stretch", "none", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert len(data["images"]) == 5
    for item in data["images"]:
        np.testing.assert_array_equal(pyvips.Image.new_from_file(item["path"]).numpy(),
                                      cube[item["index"]])


def test_convert(run_cli, scene_files, tmp_path):
    header, cube, _ = scene_files
    done = run_cli("raster", "convert", header, tmp_path / "bsq.hdr", "--interleave", "bsq",
                   "--byte-order", "big", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["interleave"] == "bsq"
    assert data["byte_order"] == "big"
    assert data["data"].endswith("bsq.img")
    back = rasterkit.raster.open(tmp_path / "bsq.hdr")
    np.testing.assert_array_equal(back.read(), cube)
    assert back.header["mystery"] == "{kept}"
    done = run_cli("raster", "convert", tmp_path / "bsq.hdr", tmp_path / "bil.dat",
                   "--interleave", "bil")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"wrote {tmp_path / 'bil.hdr'} + {tmp_path / 'bil.dat'} (bil")


def test_convert_header_less_input(run_cli, tmp_path):
    cube = random_cube(np.random.default_rng(2), (3, 6, 5), "int16")
    raw = tmp_path / "x.raw"
    raw.write_bytes(b"\0" * 8 + to_file_order(cube, "bil").astype(">i2").tobytes())
    done = run_cli("raster", "convert", raw, tmp_path / "y.hdr", "--interleave", "bip",
                   "--shape", "6x5x3", "--dtype", "int16", "--in-interleave", "bil",
                   "--in-byte-order", "big", "--offset", "8")
    assert done.returncode == 0, done.stderr
    np.testing.assert_array_equal(rasterkit.raster.open(tmp_path / "y.hdr").read(), cube)


@pytest.fixture
def small(tmp_path):
    cube = random_cube(np.random.default_rng(3), (3, 10, 8), "uint16")
    return write_envi(tmp_path / "c.img", cube, interleave="bip")


def test_error_size_mismatch(run_cli, small, tmp_path):
    data = (tmp_path / "c.img").read_bytes()
    (tmp_path / "c.img").write_bytes(data[:-2])
    one_line_error(run_cli("raster", "info", small), "file is 478 bytes",
                   "describes 480 bytes")


@pytest.mark.parametrize(("args", "needles"), [
    (["info", "{dir}/nope.hdr"], ["no such file"]),
    (["info", "{dir}/c.img", "--shape", "10x8"], ["file is 480 bytes", "--shape 10x8x1"]),
    (["info", "{dir}/c.img", "--shape", "10by8"], ["--shape must be ROWSxCOLSxBANDS"]),
    (["info", "{dir}/c.img", "--shape", "10x8x3", "--dtype", "uint7"], ["--dtype must be"]),
    (["info", "{dir}/c.hdr", "--shape", "10x8x3"], ["is an ENVI header"]),
    (["split", "{dir}/c.hdr", "{dir}/missing/deeper"], ["output folder does not exist"]),
    (["split", "{dir}/c.hdr", "{dir}/c.img"], ["is not a folder"]),
    (["info", "{dir}/c.hdr", "--offset", "-3"], ["--offset must be >= 0"]),
    (["split", "{dir}/c.hdr", "{dir}", "--bands", "1,3"], ["band 3 is out of range",
                                                           "numbered from 0"]),
    (["split", "{dir}/c.hdr", "{dir}", "--bands", "x"], ["--bands must be"]),
    (["split", "{dir}/c.hdr", "{dir}", "--stretch", "98,2"], ["--stretch must be"]),
    (["split", "{dir}/c.hdr"], ["nothing to write"]),
    (["convert", "{dir}/c.hdr", "{dir}/c.hdr", "--interleave", "bsq"],
     ["would overwrite the input"]),
    (["convert", "{dir}/c.hdr", "{dir}/c.img", "--interleave", "bsq"],
     ["would overwrite the input"]),
    (["convert", "{dir}/c.hdr", "{dir}/nodir/o.hdr", "--interleave", "bsq"],
     ["does not exist"]),
    (["convert", "{dir}/c.hdr", "{dir}/o.png", "--interleave", "bsq"],
     ["unknown raw data suffix"]),
    (["convert", "{dir}/c.hdr", "{dir}/o.hdr"], ["--interleave"]),
    (["info", "{dir}/c.hdr", "--interleave", "bpi"], ["invalid choice"]),
    (["frobnicate", "{dir}/c.hdr"], ["invalid choice"]),
    ([], ["required: ACTION"]),
    (["info"], ["required: INPUT"]),
])
def test_bad_inputs_are_one_line_errors(run_cli, small, tmp_path, args, needles):
    argv = [a.format(dir=tmp_path) for a in args]
    one_line_error(run_cli("raster", *argv), *needles)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.hdr", "c.img"]


def test_header_without_data_and_data_without_header(run_cli, tmp_path):
    (tmp_path / "lonely.hdr").write_text("ENVI\nsamples = 2\nlines = 2\nbands = 1\n"
                                         "data type = 1\n")
    one_line_error(run_cli("raster", "info", tmp_path / "lonely.hdr"),
                   "header without its data file")
    (tmp_path / "orphan.raw").write_bytes(bytes(4))
    one_line_error(run_cli("raster", "info", tmp_path / "orphan.raw"),
                   "no ENVI header found", "--shape")


@pytest.mark.parametrize(("text", "needle"), [
    ("ENVI\nsamples = 2\nlines = 2\nbands = 1\ndata type = 7\n", "unknown ENVI data type 7"),
    ("ENVI\nsamples = 2\nbands = 1\ndata type = 1\n", "missing required key 'lines'"),
    ("ENVI\nsamples = 2\nlines = 2\nbands = 1\ndata type = 1\nwavelength = {1,\n",
     "never closed"),
    ("NOT ENVI\n", "not an ENVI header"),
])
def test_malformed_headers_on_the_command_line(run_cli, tmp_path, text, needle):
    (tmp_path / "m.hdr").write_text(text)
    (tmp_path / "m.img").write_bytes(bytes(4))
    one_line_error(run_cli("raster", "info", tmp_path / "m.hdr"), needle)


def test_debug_shows_the_traceback(run_cli, tmp_path):
    done = run_cli("raster", "info", tmp_path / "nope.hdr", "--debug")
    assert done.returncode != 0
    assert "Traceback" in done.stderr


def test_progress_bar_on_a_terminal_only(tmp_path, scene_files):
    """A pseudo-terminal as stderr shows the bar; -q silences it (pipes never show it)."""
    import os
    import pty
    import subprocess
    import sys

    header, _, _ = scene_files
    runs = {}
    for quiet in (False, True):
        leader, follower = pty.openpty()
        argv = [sys.executable, "-m", "rasterkit.cli.main", "raster", "convert", str(header),
                str(tmp_path / f"o{int(quiet)}.hdr"), "--interleave", "bsq"]
        done = subprocess.run(argv + (["-q"] if quiet else []), stdout=subprocess.PIPE,
                              stderr=follower, timeout=120)
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(leader)
        assert done.returncode == 0
        runs[quiet] = b"".join(chunks).decode()
    assert "convert [" in runs[False]
    assert "40/40" in runs[False]
    assert runs[True] == ""
