"""Non-finite numbers in a cube or its header: the stretch ignores infinities, the JSON stays
JSON (NaN and infinities as GDAL's strings), and unusable ``default bands`` are ignored; a
sample type ENVI has no code for (int8) is read but not written as ENVI."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pyvips
from jsonschema import Draft202012Validator

from rasterkit import schemas
from rasterkit.raster.stretch import percentile_range
from tests.support.cli import one_line_error

HEADER = ("ENVI\nsamples = 4\nlines = 4\nbands = 1\ndata type = 4\nbyte order = 0\n"
          "interleave = bsq\ndata ignore value = nan\nwavelength = {nan}\n"
          "default bands = {0}\n")


def _strict(text: str):
    def refuse(constant: str):
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


def _run(*args, cwd):
    done = subprocess.run([sys.executable, "-m", "rasterkit.cli.main", *map(str, args)],
                          cwd=cwd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _cube(tmp_path):
    band = np.arange(16, dtype=np.float32).reshape(1, 4, 4)
    band[0, 0, 0], band[0, 1, 1] = np.inf, -np.inf
    band.tofile(tmp_path / "inf.img")
    (tmp_path / "inf.hdr").write_text(HEADER)
    return band[0]


def test_the_stretch_leaves_infinities_out():
    band = np.arange(16, dtype=np.float32).reshape(4, 4)
    band[0, 0], band[1, 1] = np.inf, -np.inf
    finite = band[np.isfinite(band)]
    lo, hi = percentile_range(band, 2, 98)
    assert (lo, hi) == (float(finite.min()), float(finite.max()))


def test_info_and_split_print_json_with_non_finite_values_as_strings(tmp_path):
    band = _cube(tmp_path)
    info = _strict(_run("raster", "info", "inf.hdr", "--json", cwd=tmp_path))
    Draft202012Validator(schemas.schema("raster-info")).validate(info)
    assert info["data_ignore_value"] == "NaN"
    assert info["wavelengths"] == ["NaN"]
    assert info["default_bands"] is None  # band numbers start at 1: {0} is ignored
    split = _strict(_run("raster", "split", "inf.hdr", "out", "--json", "-q", cwd=tmp_path))
    Draft202012Validator(schemas.schema("raster-split")).validate(split)
    (image,) = split["images"]
    assert image["wavelength"] == "NaN"
    finite = band[np.isfinite(band)]
    assert image["stretch"] == [float(finite.min()), float(finite.max())]
    written = pyvips.Image.new_from_file(str(tmp_path / image["path"])).numpy()
    assert written[0, 0] == 255
    assert written[1, 1] == 0


def test_header_less_int8_reads_and_refuses_to_be_written_as_envi(tmp_path):
    """int8 has no ENVI data type: a header-less int8 file is read (info, split), and writing
    it as ENVI is refused with one line, nothing written."""
    cube = np.arange(-12, 12, dtype=np.int8).reshape(4, 2, 3)  # bands, rows, cols (bsq)
    cube.tofile(tmp_path / "raw8.bin")
    shape = ("--shape", "2x3x4", "--dtype", "int8")
    info = _strict(_run("raster", "info", "raw8.bin", *shape, "--json", cwd=tmp_path))
    assert (info["dtype"], info["envi_data_type"]) == ("int8", None)
    split = _strict(_run("raster", "split", "raw8.bin", "out", *shape, "--json", "-q",
                         cwd=tmp_path))
    assert [image["stretch"] for image in split["images"]] == \
        [[float(b.min()), float(b.max())] for b in cube]
    done = subprocess.run([sys.executable, "-m", "rasterkit.cli.main", "raster", "convert",
                           "raw8.bin", "c.hdr", *shape, "--interleave", "bil"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    one_line_error(done, "int8 has no ENVI data type")
    assert not list(tmp_path.glob("c*"))
