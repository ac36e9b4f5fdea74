"""A decoded image's parts (rasterkit.linediff.pixels.Decoded): a column cut out of it, its rows,
and its background colour, read back against numpy on random images (8- and 16-bit, grey and
colour, with alpha), cuts reaching past the right edge included (padded with the background).
Parts are views on the image's buffer: each is read through numpy, libvips, its rows and its
keys, and parts of parts too."""

from __future__ import annotations

import collections

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from rasterkit.linediff.keys import row_keys
from rasterkit.linediff.pixels import load_pair


@st.composite
def images(draw):
    """A random image whose right-most column has a most common colour, and a cut of it."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    deep = draw(st.booleans())
    bands = draw(st.sampled_from([1, 2, 3, 4]))
    height, width = draw(st.integers(1, 40)), draw(st.integers(1, 30))
    top = 65535 if deep else 255
    dtype = np.uint16 if deep else np.uint8
    pixels = rng.integers(0, top + 1, (height, width, bands), dtype=dtype)
    if bands in (2, 4):
        pixels[..., -1] = rng.choice([0, top], (height, width))  # fully on or off
    colour = rng.integers(1, top + 1, bands, dtype=dtype)
    pixels[rng.random(height) < 0.7, -1] = colour  # the right column's usual colour
    x0 = draw(st.integers(0, width + 5))
    x1 = draw(st.integers(x0 + 1, width + 10))
    y0 = draw(st.integers(0, height - 1))
    y1 = draw(st.integers(y0 + 1, height))
    return pixels, (x0, x1, y0, y1)


def _read_every_way(part, expected: np.ndarray) -> None:
    """``part``'s pixels through each accessor (numpy, libvips, rows, keys) are ``expected``."""
    height, width = expected.shape[:2]
    assert (part.width, part.height) == (width, height)
    assert np.array_equal(part.pixels, expected)
    assert part.vips.write_to_memory() == expected.tobytes()
    assert [part.row(y) for y in range(height)] == [r.tobytes() for r in expected]
    assert part.keys == row_keys(memoryview(expected.tobytes()), height)


def _padded(decoded, x1: int) -> np.ndarray:
    full = decoded.pixels
    background = np.asarray(decoded.background, full.dtype)
    pad = np.broadcast_to(background, (full.shape[0], max(0, x1 - full.shape[1]),
                                       full.shape[2]))
    return np.concatenate([full, pad], axis=1)


@settings(max_examples=150, deadline=None)
@given(images())
def test_a_cut_is_the_padded_pixels_with_their_own_keys(case):
    pixels, (x0, x1, y0, y1) = case
    decoded, _ = load_pair(pixels, pixels)
    cut = decoded.cut(x0, x1, y0, y1)
    assert (cut.bands, cut.deep, cut.background) == (decoded.bands, decoded.deep,
                                                     decoded.background)
    _read_every_way(cut, _padded(decoded, x1)[y0:y1, x0:x1])


@settings(max_examples=100, deadline=None)
@given(images(), st.data())
def test_parts_of_parts_are_views_of_the_right_pixels(case, data):
    """A column's rows (a segment of a column diff) and a column of a column (a grid inside a
    column) read the right pixels, their background colour is the page's."""
    pixels, (x0, x1, y0, y1) = case
    decoded, _ = load_pair(pixels, pixels)
    x1 = min(x1, decoded.width)
    x0 = min(x0, x1 - 1)
    cut = decoded.cut(x0, x1, y0, y1)
    r0 = data.draw(st.integers(0, cut.height - 1))
    r1 = data.draw(st.integers(r0 + 1, cut.height))
    c0 = data.draw(st.integers(0, cut.width - 1))
    c1 = data.draw(st.integers(c0 + 1, cut.width))
    expected = decoded.pixels[y0:y1, x0:x1]
    rows = cut.rows(r0, r1)
    _read_every_way(rows, expected[r0:r1])
    assert rows.keys == cut.keys[r0:r1]
    inner = rows.cut(c0, c1, 0, rows.height)
    _read_every_way(inner, expected[r0:r1, c0:c1])
    assert inner.background == decoded.background


@settings(max_examples=100, deadline=None)
@given(images())
def test_the_background_is_the_right_columns_most_common_colour(case):
    pixels, _ = case
    decoded, _ = load_pair(pixels, pixels)
    column = [tuple(int(v) for v in p) for p in decoded.pixels[:, -1]]
    counts = collections.Counter(column)
    assert counts[decoded.background] == max(counts.values())
    assert decoded.background_bytes == np.asarray(decoded.background,
                                                  decoded.pixels.dtype).tobytes()


@settings(max_examples=60, deadline=None)
@given(images())
def test_rows_keep_the_pixels_and_the_keys_of_the_image(case):
    pixels, (_, _, y0, y1) = case
    decoded, _ = load_pair(pixels, pixels)
    part = decoded.rows(y0, y1)
    assert np.array_equal(part.pixels, decoded.pixels[y0:y1])
    assert part.vips.write_to_memory() == decoded.pixels[y0:y1].tobytes()
    assert part.keys == decoded.keys[y0:y1]
