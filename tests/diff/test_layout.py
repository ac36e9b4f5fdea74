"""XY-cut of a page into blocks and columns (rasterkit.linediff.layout), on synthetic pages
whose structure is known: random stacks of blocks, each of random columns."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from rasterkit.io import array_to_vips
from rasterkit.linediff.layout import Region, content_mask, layout

GUTTER, GAP = 16, 6


@st.composite
def pages(draw):
    """A white RGB page and the regions drawn on it: blocks separated by >= GAP blank rows,
    each of 1-4 columns separated by >= GUTTER blank columns; every column's first and last
    rows are filled across its width (so its box is exact), its inner blank runs shorter than
    GAP."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    blocks, y = [], draw(st.integers(0, 10))
    for _ in range(draw(st.integers(1, 4))):
        columns, x = [], draw(st.integers(0, 12))
        for _ in range(draw(st.integers(1, 4))):
            width, height = draw(st.integers(4, 60)), draw(st.integers(2, 40))
            columns.append((x, x + width, y, y + height))
            x += width + draw(st.integers(GUTTER, GUTTER + 30))
        blocks.append(columns)
        y = max(c[3] for c in columns) + draw(st.integers(GAP, GAP + 20))
    width = max(c[1] for b in blocks for c in b) + draw(st.integers(0, 12))
    page = np.full((y, width, 3), 255, np.uint8)
    for block in blocks:
        for x0, x1, y0, y1 in block:
            ink = rng.integers(0, 200, (y1 - y0, x1 - x0, 3), dtype=np.uint8)
            blank_rows = rng.random(y1 - y0) < 0.3
            blank_rows[[0, -1]] = False
            ink[blank_rows] = 255
            page[y0:y1, x0:x1] = np.where(ink.sum(axis=2, keepdims=True) == 0, 1, ink)
            _shorten_blank_runs(page, x0, x1, y0, y1)
    return page, blocks


def _shorten_blank_runs(page, x0, x1, y0, y1):
    """Ink one pixel in every GAP-th row of the column, so no blank run inside it reaches GAP
    rows."""
    page[y0:y1:GAP - 1, x0] = 0


def _boxes(region: Region):
    return (region.x0, region.x1, region.y0, region.y1)


@settings(max_examples=80, deadline=None)
@given(pages())
def test_xy_cut_recovers_blocks_and_columns(case):
    page, blocks = case
    found = layout(content_mask(array_to_vips(page), (255, 255, 255)), min_gutter=GUTTER,
                   min_gap=GAP)
    found_blocks = found.blocks or (found,)
    assert len(found_blocks) == len(blocks)
    for region, columns in zip(found_blocks, blocks, strict=True):
        assert _boxes(region) == (min(c[0] for c in columns), max(c[1] for c in columns),
                                  min(c[2] for c in columns), max(c[3] for c in columns))
        if len(columns) == 1:
            assert region.columns == ()
        else:
            assert [_boxes(c) for c in region.columns] == columns
            assert all(c.columns == () and c.blocks == () for c in region.columns)


def test_a_blank_page_and_a_single_column():
    assert layout(content_mask(array_to_vips(np.full((30, 40), 255, np.uint8)), (255,))) \
        == Region(0, 0, 0, 0)
    page = np.full((30, 40), 255, np.uint8)
    page[5:20, 3:30] = 0
    assert layout(content_mask(array_to_vips(page), (255,))) == Region(3, 30, 5, 20)


def test_columns_inside_a_column_are_found():
    # a sidebar beside content whose middle block holds two cards
    page = np.full((120, 200), 255, np.uint8)
    page[0:120, 0:30] = 0            # sidebar
    page[0:20, 60:200] = 0           # heading
    page[30:60, 60:110] = 0          # card 1
    page[30:60, 140:200] = 0         # card 2
    page[70:120, 60:200] = 0         # text
    found = layout(content_mask(array_to_vips(page), (255,)), min_gutter=16, min_gap=5)
    sidebar, content = found.columns
    assert _boxes(sidebar) == (0, 30, 0, 120)
    heading, cards, text = content.blocks
    assert [_boxes(c) for c in cards.columns] == [(60, 110, 30, 60), (140, 200, 30, 60)]
    assert _boxes(heading) == (60, 200, 0, 20)
    assert _boxes(text) == (60, 200, 70, 120)
