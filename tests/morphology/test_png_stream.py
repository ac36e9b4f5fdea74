"""The streaming writer: strips pulled by libvips through an uncompressed PNG byte stream."""

from __future__ import annotations

import numpy as np
import pytest

from rasterkit.errors import BadInputError
from rasterkit.io import atomic_output
from rasterkit.morphology.png_stream import StreamedImage

from .images import load


def strips_of(image: np.ndarray, heights: list[int]):
    y = 0
    for h in heights:
        yield image[y:y + h]
        y += h


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16])
@pytest.mark.parametrize("suffix", [".png", ".tif"])
def test_round_trip(tmp_path, dtype, suffix):
    rng = np.random.default_rng(0)
    high = 256 if dtype == np.uint8 else 65536
    image = rng.integers(0, high, (157, 333)).astype(dtype)  # odd sizes, uneven strips
    heights = [1, 20, 64, 3, 69]
    stream = StreamedImage(333, 157, dtype, strips_of(image, heights))
    out = tmp_path / f"out{suffix}"
    stream.write_to_file(stream.image, out)
    back = load(out)
    assert back.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(back, image)


def test_large_strips_span_many_deflate_blocks(tmp_path):
    image = (np.arange(300 * 1000) % 251).astype(np.uint8).reshape(300, 1000)
    stream = StreamedImage(1000, 300, np.uint8, strips_of(image, [300]))
    stream.write_to_file(stream.image, tmp_path / "big.png")
    np.testing.assert_array_equal(load(tmp_path / "big.png"), image)


def test_an_error_in_the_strips_is_raised_and_leaves_no_file(tmp_path):
    def failing():
        yield np.zeros((10, 50), np.uint8)
        raise BadInputError("in.png: truncated or corrupt image")

    stream = StreamedImage(50, 40, np.uint8, failing())
    out = tmp_path / "out.png"
    with pytest.raises(BadInputError, match="truncated"), atomic_output(out) as tmp:
        stream.write_to_file(stream.image, tmp)
    assert list(tmp_path.iterdir()) == []


def test_too_few_rows_is_an_error(tmp_path):
    stream = StreamedImage(8, 10, np.uint8, iter([np.zeros((4, 8), np.uint8)]))
    with pytest.raises(RuntimeError, match="streamed 4 rows, expected 10"):
        stream.write_to_file(stream.image, tmp_path / "x.png")
