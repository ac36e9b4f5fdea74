"""Loading and normalising real image files: formats, depths, bands, alpha, sizes."""

from __future__ import annotations

import numpy as np
import pytest
import pyvips

import rasterkit
from rasterkit.errors import BadInputError, LimitError

from .synthetic import compose, random_section


def page(seed: int = 0, width: int = 64, n: int = 12, bands: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return compose([random_section(rng, width, bands) for _ in range(n)], width, bands)


def save(array: np.ndarray, path, **options) -> str:
    image = pyvips.Image.new_from_array(array) if array.ndim == 2 else \
        pyvips.Image.new_from_memory(np.ascontiguousarray(array).data, array.shape[1],
                                     array.shape[0], array.shape[2],
                                     "ushort" if array.dtype == np.uint16 else "uchar")
    if array.dtype == np.uint16:
        image = image.copy(interpretation="rgb16" if array.shape[2] >= 3 else "grey16")
    elif array.shape[2] in (1, 2):
        image = image.copy(interpretation="b-w")
    else:
        image = image.copy(interpretation="srgb")
    image.write_to_file(str(path), **options)
    return str(path)


@pytest.mark.parametrize("suffix", [".png", ".webp", ".tif", ".gif"])
def test_lossless_formats_round_trip_identical(tmp_path, suffix):
    a = page()
    options = {"lossless": True} if suffix == ".webp" else {}
    path_a = save(a, tmp_path / f"a{suffix}", **options)
    path_b = save(a, tmp_path / f"b{suffix}", **options)
    result = rasterkit.diff(path_a, path_b)
    assert result.identical
    assert result.a.path == path_a


def test_jpeg_decodes_and_compares(tmp_path):
    a = page()
    path = save(a, tmp_path / "a.jpg", Q=90)
    assert rasterkit.diff(path, path).identical
    edited = a.copy()
    edited[30:40] = 0
    other = save(edited, tmp_path / "b.jpg", Q=90)
    assert not rasterkit.diff(path, other).identical


def test_paths_arrays_and_vips_images_are_interchangeable(tmp_path):
    a = page(1)
    path = save(a, tmp_path / "a.png")
    for source in (path, a, pyvips.Image.new_from_file(path)):
        assert rasterkit.diff(source, a).identical


def test_different_heights_bottom_append_is_one_added_hunk():
    a = page(2)
    extra = page(3)[:50]
    result = rasterkit.diff(a, np.concatenate([a, extra]))
    assert [(h.kind, h.a, h.b) for h in result.hunks] == [
        ("added", (len(a), len(a)), (len(a), len(a) + 50))]
    assert not result.identical


def test_different_widths_are_padded_and_reported():
    a = page(4, width=80)
    narrow = np.ascontiguousarray(a[:, :65])  # e.g. no scrollbar / narrower viewport
    narrow = np.concatenate([narrow[:100], np.zeros((20, 65, 3), np.uint8), narrow[100:]])
    result = rasterkit.diff(a, narrow)
    assert result.width_changed
    assert (result.a.width, result.b.width) == (80, 65)
    assert result.options["compared_width"] == 65
    assert [(h.kind, h.b) for h in result.hunks] == [("added", (100, 120))]
    assert result.to_dict()["summary"]["width_changed"] is True


def test_pad_compare_compares_the_padding_columns():
    a = page(5, width=40)
    wide = np.concatenate([a, np.full((len(a), 8, 3), 255, np.uint8)], axis=1)
    wide[50:53, 42] = 0  # a difference only in the extra columns
    assert rasterkit.diff(a, wide).hunks == ()
    hunks = rasterkit.diff(a, wide, pad_compare=True).hunks
    assert [(h.kind, h.a, h.changed_pixels) for h in hunks] == [("changed", (50, 53), 3)]


def test_rgb_and_opaque_rgba_are_identical():
    a = page(6)
    rgba = np.concatenate([a, np.full((*a.shape[:2], 1), 255, np.uint8)], axis=2)
    result = rasterkit.diff(a, rgba)
    assert result.identical
    assert result.a.bands == 4


def test_colour_hidden_under_full_transparency_does_not_count():
    a = np.zeros((10, 10, 4), np.uint8)
    b = a.copy()
    b[..., :3] = 200  # different colour, still alpha 0
    assert rasterkit.diff(a, b).identical
    b[5, 5, 3] = 1
    assert not rasterkit.diff(a, b, exact=True).identical
    assert rasterkit.diff(a, b).identical  # 200 at alpha 1/255 over white: below the threshold


def test_grey_and_equal_rgb_are_identical(tmp_path):
    grey = page(7, bands=1)
    rgb = np.repeat(grey, 3, axis=2)
    assert rasterkit.diff(save(grey, tmp_path / "g.png"), save(rgb, tmp_path / "c.png")).identical


def test_sixteen_bit_file_equals_its_eight_bit_version(tmp_path):
    a = page(8)
    deep = a.astype(np.uint16) * 257
    path16 = save(deep, tmp_path / "a16.png")
    assert pyvips.Image.new_from_file(path16).format == "ushort"
    result = rasterkit.diff(save(a, tmp_path / "a8.png"), path16)
    assert result.identical
    assert result.a.bits == 16
    deep[20, 3, 1] ^= 1  # one level in 65536 is a difference in 16-bit
    (hunk,) = rasterkit.diff(path16, save(deep, tmp_path / "b16.png"), exact=True).hunks
    assert (hunk.kind, hunk.a, hunk.changed_pixels) == ("changed", (20, 21), 1)


def test_errors_name_the_file(tmp_path):
    good = save(page(), tmp_path / "good.png")
    text = tmp_path / "notes.png"
    text.write_text("not an image")
    truncated = tmp_path / "cut.png"
    truncated.write_bytes((tmp_path / "good.png").read_bytes()[:400])
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    for bad, message in [(tmp_path / "missing.png", "no such file"),
                         (text, "not an image"),
                         (truncated, "truncated or corrupt"),
                         (empty, "empty file"),
                         (tmp_path, "is a folder")]:
        with pytest.raises(BadInputError, match=message) as info:
            rasterkit.diff(good, bad)
        assert str(bad) in str(info.value)
        assert "\n" not in str(info.value)
    with pytest.raises(BadInputError, match="shape"):
        rasterkit.diff(np.zeros((0, 5), np.uint8), np.zeros((3, 5), np.uint8))


def test_pixel_limit_refuses_before_decoding(tmp_path):
    good = save(page(), tmp_path / "good.png")
    with pytest.raises(LimitError, match="pixel limit"):
        rasterkit.diff(good, good, max_pixels=100)
    assert rasterkit.diff(good, good, max_pixels=None).identical


def test_a_decompression_bomb_is_refused_cheaply(tmp_path):
    bomb = tmp_path / "bomb.png"
    pyvips.Image.black(20000, 20000).write_to_file(str(bomb), compression=9)
    assert bomb.stat().st_size < 2_000_000
    with pytest.raises(LimitError, match="20000 x 20000"):
        rasterkit.diff(str(bomb), str(bomb))
