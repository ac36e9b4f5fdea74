"""A decoded image's parts (rasterkit.linediff.pixels.Decoded): a column cut out of it, its rows,
and its background colour, read back against numpy on random images (8- and 16-bit, grey and
colour, with alpha), cuts reaching past the right edge included (padded with the background)."""

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


@settings(max_examples=150, deadline=None)
@given(images())
def test_a_cut_is_the_padded_pixels_with_their_own_keys(case):
    pixels, (x0, x1, y0, y1) = case
    decoded, _ = load_pair(pixels, pixels)
    full = decoded.pixels
    background = np.asarray(decoded.background, full.dtype)
    padded = np.concatenate(
        [full, np.broadcast_to(background, (full.shape[0], max(0, x1 - full.shape[1]),
                                            full.shape[2]))], axis=1)
    expected = np.ascontiguousarray(padded[y0:y1, x0:x1])
    cut = decoded.cut(x0, x1, y0, y1)
    assert (cut.width, cut.height, cut.bands, cut.deep) == (x1 - x0, y1 - y0, decoded.bands,
                                                            decoded.deep)
    assert bytes(cut.buffer) == expected.tobytes()
    assert cut.keys == row_keys(memoryview(expected.tobytes()), y1 - y0)
    assert cut.background == decoded.background


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
    assert bytes(part.buffer) == decoded.pixels[y0:y1].tobytes()
    assert part.keys == decoded.keys[y0:y1]
