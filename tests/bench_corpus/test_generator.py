"""The corpus' ground truth checked against the pixels Chromium renders, and its helpers on
synthetic rows."""

from __future__ import annotations

import numpy as np
import pytest
from bench.corpus.families import FAMILIES, corpus
from bench.corpus.render import changed_side, ink, load, render_pair, similar, slide


def rows(*values: int) -> np.ndarray:
    """An image whose row i is flat grey ``20 * values[i]`` (4 px wide; distinct values are
    far beyond noise), with a black left pixel in rows whose value is odd (content)."""
    grey = np.array(values, np.uint8)[:, None, None] * 20
    image = np.repeat(grey, 4, axis=1).repeat(3, axis=2)
    image[np.array(values) % 2 == 1, 0] = 0
    return image


def test_slide_finds_every_place_an_inserted_block_could_sit():
    # Insert "5 7" into ... 5 7 | 5 7 | 9: the block can sit one period higher.
    image = rows(2, 5, 7, 5, 7, 9)
    assert slide(image, (3, 5)) == (-2, 0)
    assert slide(image, (1, 3)) == (0, 2)
    assert slide(rows(2, 5, 7, 9), (1, 3)) == (0, 0)


def test_ink_marks_rows_with_content():
    assert ink(rows(2, 5, 4, 7), (0, 4)).tolist() == [False, True, False, True]


def test_changed_side_keeps_rows_that_differ_from_both_ends():
    a = rows(2, 5, 7, 9, 2)
    b = rows(2, 5, 11, 13, 9, 2)  # one row changed and one inserted before the last
    side = changed_side(a, (1, 4), b, (1, 5))
    assert side.core == ((2, 3),)  # row 1 equal from the top, row 3 equal from the bottom
    assert changed_side(b, (1, 5), a, (1, 4)).core == ((2, 4),)


def test_similar_forgives_a_few_noisy_pixels_only():
    row = np.full((200, 3), 255, np.uint8)
    noisy = row.copy()
    noisy[:4] = 0
    assert similar(row, noisy)
    noisy[:5] = 0
    assert not similar(row, noisy)
    assert similar(row, row[:150])  # compared over the common width


def test_corpus_is_large_seeded_and_has_all_families():
    specs = corpus()
    assert len(specs) >= 60
    assert len({s.family for s in specs}) == len(FAMILIES) >= 8
    again = corpus()
    assert [s.b.html() for s in specs[:5]] == [s.b.html() for s in again[:5]]
    assert corpus(seed=22)[0].a.html() != specs[0].a.html()


@pytest.fixture(scope="module")
def rendered(browser, tmp_path_factory):
    """A few pairs of the quick corpus, rendered by Debian's chromium."""
    folder = tmp_path_factory.mktemp("corpus")
    wanted = {"removed-00", "changed-00", "repeated-00", "noise-04", "moved-00"}
    specs = [s for s in corpus() if s.name in wanted]
    assert len(specs) == len(wanted)
    out = {}
    for spec in specs:
        path_a, path_b, truth = render_pair(browser, spec, folder)
        out[spec.name] = (load(path_a), load(path_b), truth)
    return out


def all_similar(a: np.ndarray, b: np.ndarray) -> bool:
    return len(a) == len(b) and all(similar(x, y) for x, y in zip(a, b, strict=True))


def test_removed_section_rows_are_gone_and_the_rest_lines_up(rendered):
    a, b, truth = rendered["removed-00"]
    (edit,) = truth.edits
    top, bottom = edit.a.box
    shift = a.shape[0] - b.shape[0]
    assert shift >= bottom - top > 100
    assert all_similar(a[:top], b[:top])
    assert all_similar(a[top + shift:], b[top:])
    assert any(not similar(a[r], b[r]) for r in range(top, bottom))  # a pixel diff sees it
    assert 0 < edit.a.core_rows() <= bottom - top


def test_changed_rows_really_differ_and_the_rest_is_equal(rendered):
    a, b, truth = rendered["changed-00"]
    assert a.shape == b.shape
    assert len(truth.edits) == 2
    inside = np.zeros(a.shape[0], bool)
    for edit in truth.edits:
        assert edit.a.box == edit.b.box
        inside[slice(*edit.a.box)] = True
        for start, stop in edit.a.core:
            assert all(not similar(a[r], b[r]) for r in range(start, stop))
        assert edit.a.core_rows() >= 10
    assert all(similar(a[r], b[r]) for r in np.flatnonzero(~inside))


def test_moved_section_is_at_both_places(rendered):
    a, b, truth = rendered["moved-00"]
    (edit,) = truth.edits
    (a0, a1), (b0, b1) = edit.a.box, edit.b.box
    assert a1 - a0 == b1 - b0 > 40
    assert all_similar(a[a0:a1], b[b0:b1])
    assert not all_similar(a[a0:a1], b[a0:a1])
    assert all_similar(a[:min(a0, b0)], b[:min(a0, b0)])


def test_identical_cards_accept_any_card(rendered):
    a, b, truth = rendered["repeated-00"]
    (edit,) = truth.edits
    lo, hi = edit.a.slide
    assert hi - lo > 2 * (edit.a.box[1] - edit.a.box[0])  # more than two cards' worth
    gone = a.shape[0] - b.shape[0]
    start = edit.a.allowed[0] - lo  # where the removed rows start
    for offset in (lo, (lo + hi) // 2, hi):
        rest = np.delete(a, np.arange(start + offset, start + offset + gone), axis=0)
        assert all_similar(rest, b)  # removing the rows there gives B as well
    rest = np.delete(a, np.arange(start + hi + 1, start + hi + 1 + gone), axis=0)
    assert not all_similar(rest, b)


def test_noise_pair_differs_in_pixels_but_not_beyond_noise(rendered):
    a, b, truth = rendered["noise-04"]
    assert truth.edits == ()
    assert a.shape == b.shape
    assert (a != b).any()
    assert all_similar(a, b)
