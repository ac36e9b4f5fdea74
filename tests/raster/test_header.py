"""ENVI headers: parsing details, lossless round trips, malformed headers, finding files."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rasterkit
from rasterkit.errors import BadInputError
from rasterkit.raster.header import (
    ENVI_DTYPES,
    EnviHeader,
    data_candidates,
    new_header,
    parse_header,
    read_header,
)

from .synthetic import write_envi

FULL = """ENVI
description = {
  Synthetic scene, two lines
  of description}
samples = 4
Lines   = 3
BANDS = 3
header offset = 0
file type = ENVI Standard
; a comment line
data type = 12
interleave = BIP
sensor type = Unknown
byte order = 1
wavelength units = Nanometers
wavelength = { 450.5, 550.25,
 ; comment inside braces
  650 }
fwhm = {10, 10, 12.5}
band names = {Blue band, Green band,
  Red band}
data ignore value = -9999
map info = {UTM, 1.000, 1.000, 500000.0, 4000000.0, 3.0, 3.0, 33, North, WGS-84}
default bands = {3, 2, 1}
custom key = {keep me, exactly}
"""


def test_typed_values_of_a_full_header():
    h = parse_header(FULL, "full.hdr")
    h.validate()
    assert (h.samples, h.lines, h.bands) == (4, 3, 3)
    assert h.data_type == 12
    assert h.dtype == np.dtype(">u2")
    assert h.interleave == "bip"  # case-insensitive value
    assert h.byte_order == "big"
    assert h.header_offset == 0
    assert h.wavelength == [450.5, 550.25, 650.0]
    assert h.fwhm == [10.0, 10.0, 12.5]
    assert h.band_names == ["Blue band", "Green band", "Red band"]
    assert h.wavelength_units == "Nanometers"
    assert h.data_ignore_value == -9999.0
    assert h.map_info[:2] == ["UTM", "1.000"]
    assert len(h.map_info) == 10
    assert h.default_bands == [2, 1, 0]  # ENVI numbers bands from 1
    assert h.description == "Synthetic scene, two lines of description"
    assert h.get("CUSTOM   KEY") == "{keep me, exactly}"
    assert "Data Type" in h
    assert h["lines"] == "3"


def test_round_trip_is_lossless_and_keeps_order_unknown_keys_and_comments():
    h = parse_header(FULL)
    text = h.to_text()
    again = parse_header(text)
    assert again == h
    assert again.to_text() == text
    assert again.keys() == ["description", "samples", "Lines", "BANDS", "header offset",
                            "file type", "data type", "interleave", "sensor type",
                            "byte order", "wavelength units", "wavelength", "fwhm",
                            "band names", "data ignore value", "map info", "default bands",
                            "custom key"]
    assert "; a comment line" in text
    assert again.wavelength == h.wavelength


def test_set_keeps_position_and_appends_new_keys():
    h = parse_header(FULL)
    h.set("INTERLEAVE", "bsq")
    h.set("wavelength", [1.5, 2.5, 3.5])
    h.set("new key", 7)
    keys = h.keys()
    assert keys.index("interleave") == 7
    assert keys[-1] == "new key"
    again = parse_header(h.to_text())
    assert again.interleave == "bsq"
    assert again.wavelength == [1.5, 2.5, 3.5]
    assert again["new key"] == "7"


@settings(max_examples=40, deadline=None)
@given(values=st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=30),
       names=st.lists(st.text("abcdefgh XYZ_-0123456789", min_size=1, max_size=12)
                      .map(str.strip).filter(bool), min_size=1, max_size=10))
def test_round_trip_property(values, names):
    h = new_header(samples=3, lines=2, bands=len(values), dtype="float32", interleave="bil")
    h.set("wavelength", values)
    h.set("band names", names)
    again = parse_header(h.to_text())
    assert again == h
    assert again.wavelength == [float(repr(v)) for v in values]
    assert again.band_names == names


def minimal(**changes: str | None) -> str:
    keys = {"samples": "4", "lines": "3", "bands": "2", "header offset": "0",
            "data type": "12", "interleave": "bsq", "byte order": "0"}
    keys.update(changes)
    return "ENVI\n" + "".join(f"{k} = {v}\n" for k, v in keys.items() if v is not None)


@pytest.mark.parametrize(("text", "message"), [
    ("samples = 4\n", "not an ENVI header"),
    ("ENVI\nsamples = 4\nwavelength = {1, 2,\n 3\n", "never closed"),
    ("ENVI\nsamples = 4\njust some words\n", "line 3: expected 'key = value'"),
])
def test_malformed_text(text, message):
    with pytest.raises(BadInputError, match=message):
        parse_header(text, "bad.hdr")


@pytest.mark.parametrize(("changes", "message"), [
    ({"samples": None}, "missing required key 'samples'"),
    ({"lines": None}, "missing required key 'lines'"),
    ({"bands": None}, "missing required key 'bands'"),
    ({"data type": None}, "missing required key 'data type'"),
    ({"byte order": None}, "missing required key 'byte order'"),
    ({"interleave": None}, "missing required key 'interleave'"),
    ({"data type": "7"}, "unknown ENVI data type 7"),
    ({"data type": "0"}, "unknown ENVI data type 0"),
    ({"data type": "16"}, "unknown ENVI data type 16"),
    ({"data type": "twelve"}, "'data type' must be an integer"),
    ({"byte order": "2"}, "'byte order' must be 0"),
    ({"interleave": "bsx"}, "'interleave' must be bsq, bil or bip"),
    ({"samples": "0"}, "'samples' must be >= 1"),
    ({"lines": "-4"}, "'lines' must be >= 1"),
    ({"header offset": "-1"}, "'header offset' must be >= 0"),
])
def test_invalid_keys_are_one_line_errors_naming_the_file(tmp_path, changes, message):
    path = tmp_path / "bad.hdr"
    path.write_text(minimal(**changes))
    with pytest.raises(BadInputError, match=message) as info:
        read_header(path)
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)


def test_optional_keys_have_sound_defaults():
    h = parse_header(minimal(**{"header offset": None}) )
    assert h.header_offset == 0
    one_byte = parse_header(minimal(**{"data type": "1", "byte order": None}))
    assert one_byte.byte_order == "little"
    one_band = parse_header(minimal(bands="1", interleave=None))
    assert one_band.interleave == "bsq"


def test_binary_file_is_not_a_header(tmp_path):
    path = tmp_path / "x.hdr"
    path.write_bytes(b"ENVI\0\1\2")
    with pytest.raises(BadInputError, match="binary data"):
        read_header(path)


def test_every_data_type_code_maps_to_its_numpy_type():
    assert {c: d.name for c, d in ENVI_DTYPES.items()} == {
        1: "uint8", 2: "int16", 3: "int32", 4: "float32", 5: "float64", 6: "complex64",
        9: "complex128", 12: "uint16", 13: "uint32", 14: "int64", 15: "uint64"}


# ----------------------------------------------------------------------- finding files


def small_cube() -> np.ndarray:
    return np.arange(2 * 3 * 4, dtype=np.uint16).reshape(2, 3, 4)


@pytest.mark.parametrize("data_name", ["scene", "scene.img", "scene.dat", "scene.raw",
                                       "scene.bsq", "scene.IMG"])
def test_header_finds_its_data_file(tmp_path, data_name):
    cube = small_cube()
    header = write_envi(tmp_path / data_name, cube, header_path=tmp_path / "scene.hdr")
    opened = rasterkit.raster.open(header)
    assert opened.path.name == data_name
    np.testing.assert_array_equal(opened.read(), cube)


@pytest.mark.parametrize(("data_name", "header_name"), [
    ("scene.img", "scene.hdr"),        # suffix replaced
    ("scene.img", "scene.img.hdr"),    # .hdr appended
    ("scene", "scene.hdr"),
])
def test_data_file_finds_its_header_both_ways(tmp_path, data_name, header_name):
    cube = small_cube()
    write_envi(tmp_path / data_name, cube, header_path=tmp_path / header_name)
    for source in (tmp_path / data_name, tmp_path / header_name):
        opened = rasterkit.raster.open(source)
        assert opened.header_path.name == header_name
        assert opened.path.name == data_name
        np.testing.assert_array_equal(opened.read(), cube)


def test_the_data_file_of_the_right_size_wins(tmp_path):
    cube = small_cube()
    header = write_envi(tmp_path / "scene.dat", cube, header_path=tmp_path / "scene.hdr")
    (tmp_path / "scene.img").write_bytes(b"not this one")  # tried first, wrong size
    assert rasterkit.raster.open(header).path.name == "scene.dat"


def test_header_without_data_file(tmp_path):
    path = tmp_path / "lonely.hdr"
    path.write_text(minimal())
    with pytest.raises(BadInputError, match="header without its data file"):
        rasterkit.raster.open(path)


def test_data_file_without_header_asks_for_shape(tmp_path):
    path = tmp_path / "scene.raw"
    path.write_bytes(bytes(24))
    with pytest.raises(BadInputError, match=r"no ENVI header found.*--shape"):
        rasterkit.raster.open(path)


def test_candidates_order():
    names = [p.name for p in data_candidates(__import__("pathlib").Path("/x/scene.hdr"))]
    assert names[:4] == ["scene", "scene.img", "scene.IMG", "scene.dat"]


def test_header_keeps_name_for_messages():
    assert repr(EnviHeader(name="a.hdr")) == "EnviHeader('a.hdr', 0 entries)"
