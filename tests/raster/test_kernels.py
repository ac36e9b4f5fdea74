"""The compiled transposes against numpy's ``.T``, on every element size and awkward shapes."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasterkit.raster.deinterleave import bits_type, byteswap_inplace, transpose_into

SIZES = (1, 2, 4, 8, 16)


def random_bits(rng: np.random.Generator, shape: tuple[int, ...], size: int) -> np.ndarray:
    raw = rng.integers(0, 256, size=int(np.prod(shape)) * size, dtype=np.uint8)
    return raw.view(bits_type(size)).reshape(shape)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("m", "n"), [(1, 8), (8, 8), (64, 16), (67, 24), (5, 3), (130, 100),
                                      (16, 1), (9, 40)])
def test_transpose_into_matches_numpy(size, m, n):
    rng = np.random.default_rng(m * 1000 + n + size)
    src = random_bits(rng, (m, n), size)
    dst = np.zeros((n, m), src.dtype)
    transpose_into(src, dst)
    np.testing.assert_array_equal(dst, src.T)


@pytest.mark.parametrize("size", [1, 2, 4])
def test_transpose_into_unaligned_destination_rows(size):
    """Destination rows that are not whole 64-bit words go through the scratch buffer."""
    rng = np.random.default_rng(size)
    src = random_bits(rng, (64, 8 // size * 3), size)
    big = np.zeros((src.shape[1], 64 + 3), src.dtype)
    dst = big[:, 3:]  # rows start 3 elements past a word boundary
    transpose_into(src, dst)
    np.testing.assert_array_equal(dst, src.T)
    assert not big[:, :3].any()


@settings(max_examples=60, deadline=None)
@given(size=st.sampled_from(SIZES), m=st.integers(1, 70), n=st.integers(1, 40),
       seed=st.integers(0, 2**31))
def test_transpose_into_any_shape(size, m, n, seed):
    src = random_bits(np.random.default_rng(seed), (m, n), size)
    dst = np.empty((n, m), src.dtype)
    transpose_into(src, dst)
    np.testing.assert_array_equal(dst, src.T)


@pytest.mark.parametrize("dtype", ["uint16", "int32", "float32", "float64", "complex64",
                                   "complex128", "uint64"])
def test_byteswap_inplace_matches_numpy(dtype):
    rng = np.random.default_rng(3)
    a = random_bits(rng, (1001,), np.dtype(dtype).itemsize).view(dtype)
    expected = a.byteswap()
    unit = a.dtype.itemsize // 2 if a.dtype.kind == "c" else a.dtype.itemsize
    byteswap_inplace(a, unit)
    np.testing.assert_array_equal(a.view(np.uint8), expected.view(np.uint8))
