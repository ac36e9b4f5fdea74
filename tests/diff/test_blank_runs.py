"""The compiled kernel behind a block's gutters (rasterkit._kernels._blank_runs) against a
numpy oracle, on random pixel layouts: any pixel size, rows with padding between them, runs
touching both edges, and the rows of a block taken from the middle of a buffer."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rasterkit._kernels._blank_runs import blank_runs


def oracle(rows: np.ndarray, background: np.ndarray, min_run: int) -> list[tuple[int, int]]:
    """Runs of >= min_run columns whose every pixel of ``rows`` (h, w, bytes) is background."""
    blank = (rows == background).all(axis=(0, 2)) if len(rows) else np.ones(rows.shape[1], bool)
    runs, start = [], None
    for x, flag in enumerate([*blank, False]):
        if flag and start is None:
            start = x
        elif not flag and start is not None:
            if x - start >= min_run:
                runs.append((start, x))
            start = None
    return runs


@st.composite
def layouts(draw):
    """A buffer of rows of ``width`` pixels of ``size`` bytes, ``pad`` bytes after each row,
    mostly background with random content rectangles and stray pixels, and a row range."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    size, width = draw(st.integers(1, 8)), draw(st.integers(1, 90))
    height, pad = draw(st.integers(1, 30)), draw(st.integers(0, 5))
    background = rng.integers(0, 256, size, dtype=np.uint8)
    pixels = np.broadcast_to(background, (height, width, size)).copy()
    for _ in range(draw(st.integers(0, 6))):
        x0, y0 = rng.integers(0, width), rng.integers(0, height)
        x1, y1 = rng.integers(x0, width + 1), rng.integers(y0, height + 1)
        pixels[y0:y1, x0:x1] = rng.integers(0, 256, size, dtype=np.uint8)
    stray = rng.random((height, width)) < draw(st.sampled_from([0.0, 0.002, 0.05]))
    pixels[stray, rng.integers(0, size)] ^= 1  # one byte of a pixel differs
    buffer = np.concatenate([pixels.reshape(height, -1),
                             rng.integers(0, 256, (height, pad), dtype=np.uint8)], axis=1)
    y0 = draw(st.integers(0, height))
    y1 = draw(st.integers(y0, height))
    return buffer, pixels, background, (y0, y1), draw(st.integers(1, 24))


@settings(max_examples=400, deadline=None)
@given(layouts())
def test_blank_runs_match_numpy(case):
    buffer, pixels, background, (y0, y1), min_run = case
    _, width, size = pixels.shape
    found = blank_runs(buffer.tobytes(), buffer.shape[1], y0, y1,
                       np.tile(background, width).tobytes(), size, min_run)
    assert found == oracle(pixels[y0:y1], background, min_run)


def test_a_gutter_and_margins_are_found_and_a_narrow_space_is_not():
    row = bytearray(b"\0" * 40)
    row[5:15] = b"\1" * 10   # a column of text, 5:15
    row[18:19] = b"\1"       # a word three blank pixels further (a narrow space)
    row[30:35] = b"\1" * 5   # a second column after an 11-pixel gutter
    found = blank_runs(bytes(row) * 3, 40, 0, 3, bytes(40), 1, 4)
    assert found == [(0, 5), (19, 30), (35, 40)]


@pytest.mark.parametrize(("y0", "y1"), [(-1, 2), (2, 1), (0, 4)])
def test_rows_outside_the_buffer_are_refused(y0, y1):
    with pytest.raises(ValueError, match="outside the buffer"):
        blank_runs(bytes(30), 10, y0, y1, bytes(10), 1, 2)
