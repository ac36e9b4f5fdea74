"""Composition: the lazy libvips mosaic equals the obvious numpy one, for every word size."""

from __future__ import annotations

import numpy as np
import pytest

from rasterkit.io import vips_to_array
from rasterkit.photomosaic.compose import mosaic_image


def numpy_mosaic(indices: np.ndarray, tiles: np.ndarray) -> np.ndarray:
    rows, cols = indices.shape
    size = tiles.shape[1]
    return tiles[indices].transpose(0, 2, 1, 3, 4).reshape(rows * size, cols * size, 3)


@pytest.mark.parametrize("size", [1, 3, 6, 8, 13, 32])  # 8-bit, 16-bit and 32-bit table words
def test_mosaic_image_equals_numpy(size):
    rng = np.random.default_rng(size)
    tiles = rng.integers(0, 256, (37, size, size, 3), dtype=np.uint8)
    indices = rng.integers(0, 37, (9, 14))
    out = vips_to_array(mosaic_image(indices, tiles))
    np.testing.assert_array_equal(out, numpy_mosaic(indices, tiles))


def test_offsets_shift_and_clip():
    rng = np.random.default_rng(1)
    tiles = rng.integers(0, 256, (5, 4, 4, 3), dtype=np.uint8)
    indices = rng.integers(0, 5, (3, 4))
    offsets = rng.integers(-300, 300, (3, 4, 3)).astype(np.int16)
    out = vips_to_array(mosaic_image(indices, tiles, offsets))
    shift = np.repeat(np.repeat(offsets, 4, axis=0), 4, axis=1).astype(int)
    expected = np.clip(numpy_mosaic(indices, tiles).astype(int) + shift, 0, 255)
    np.testing.assert_array_equal(out, expected)


@pytest.mark.parametrize("module", ["rasterkit.photomosaic", "rasterkit.photomosaic.match"])
def test_docstring_examples(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0
    assert result.failed == 0
