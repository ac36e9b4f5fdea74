"""Hunk shaping: sliding to background rows, merging fragments, measuring changed pixels."""

from __future__ import annotations

import numpy as np

import rasterkit
from rasterkit.linediff.hunks import DEFAULT_MERGE_GAP

from .synthetic import WHITE, Section, compose, content_rows


def is_background(image: np.ndarray, y: int) -> bool:
    return y < 0 or y >= len(image) or bool((image[y] == WHITE).all())


def test_inserted_card_among_identical_cards_is_the_whole_card():
    rng = np.random.default_rng(1)
    card = Section(rng.integers(0, 256, (30, 50, 3), dtype=np.uint8), 12)
    a = compose([card] * 5, 50)
    b = compose([card] * 6, 50)
    result = rasterkit.diff(a, b)
    (hunk,) = result.hunks
    assert hunk.kind == "added"
    assert hunk.b_rows == card.height
    start, stop = hunk.b
    # Both boundaries fall inside white space, and the hunk holds exactly one whole card.
    for y in (start - 1, start, stop - 1, stop):
        assert is_background(b, y), (hunk, y)
    assert len(content_rows(b, start, stop)) == 30


def test_deleted_card_boundaries_fall_on_background():
    rng = np.random.default_rng(2)
    card = Section(rng.integers(0, 256, (25, 40, 3), dtype=np.uint8), 9)
    a = compose([card] * 4, 40)
    b = compose([card] * 3, 40)
    (hunk,) = rasterkit.diff(a, b).hunks
    assert hunk.kind == "removed"
    assert hunk.a_rows == card.height
    for y in (hunk.a[0] - 1, hunk.a[0], hunk.a[1] - 1, hunk.a[1]):
        assert is_background(a, y)


def paragraph(lines: list[np.ndarray], gap: int = 6) -> np.ndarray:
    white = np.full((gap, lines[0].shape[1], 3), WHITE, np.uint8)
    return np.concatenate([np.concatenate([line, white]) for line in lines])


def test_paragraph_that_grew_by_a_line_is_one_changed_hunk():
    rng = np.random.default_rng(3)
    line = [rng.integers(0, 256, (12, 60, 3), dtype=np.uint8) for _ in range(12)]
    top = np.full((20, 60, 3), WHITE, np.uint8)
    before = np.concatenate([top, paragraph(line[:5]), top, paragraph(line[8:12])])
    # Line 1 re-wrapped, line 2 unchanged, lines 3-4 re-wrapped and one more line.
    after = np.concatenate([top, paragraph([line[0], line[5], line[2], line[6], line[7],
                                            line[5][::-1]]), top, paragraph(line[8:12])])
    merged = rasterkit.diff(before, after)
    assert [h.kind for h in merged.hunks] == ["changed"]
    (hunk,) = merged.hunks
    assert hunk.b_rows - hunk.a_rows == 18  # one more line of 12 + 6 rows
    fragments = rasterkit.diff(before, after, merge_gap=0)
    assert len(fragments.hunks) > 1
    assert DEFAULT_MERGE_GAP >= 18


def test_far_apart_edits_stay_separate():
    rng = np.random.default_rng(4)
    lines = [rng.integers(0, 256, (12, 30, 3), dtype=np.uint8) for _ in range(20)]
    before = paragraph(lines)
    edited = list(lines)
    edited[2] = edited[2][::-1]
    edited[15] = edited[15][:, ::-1]
    result = rasterkit.diff(before, paragraph(edited))
    assert [h.kind for h in result.hunks] == ["changed", "changed"]


def test_changed_pixels_and_boxes_are_exact():
    a = np.full((100, 80, 3), WHITE, np.uint8)
    a[10:90, 5:75] = np.arange(80 * 70 * 3, dtype=np.uint32).reshape(80, 70, 3) % 251
    b = a.copy()
    b[40:43, 10:14] = 0          # 12 pixels
    b[41, 60:65, 1] ^= 0xFF      # 5 pixels, one band only
    result = rasterkit.diff(a, b, exact=True)
    (hunk,) = result.hunks
    assert hunk.kind == "changed"
    assert hunk.a == hunk.b
    assert hunk.changed_pixels == 17
    boxes = sorted(box.a for box in hunk.boxes)
    assert boxes == [(10, 40, 14, 43), (60, 41, 65, 42)]
    assert all(box.a == box.b for box in hunk.boxes)


def test_rows_facing_a_gap_count_their_non_background_pixels():
    a = np.full((60, 20, 1), WHITE, np.uint8)
    a[10:20] = np.arange(200, dtype=np.uint8).reshape(10, 20, 1)
    b = np.full((64, 20, 1), WHITE, np.uint8)
    b[10:20] = 254 - a[10:20]  # no row of A reappears in B
    b[20:24, :7] = 0  # 4 extra rows in B, 7 dark pixels each
    (hunk,) = rasterkit.diff(a, b, exact=True).hunks
    assert hunk.kind == "changed"
    assert hunk.a_rows == 10
    assert hunk.b_rows == 14
    differing_pairs = int((a[10:20] != b[10:20]).any(axis=2).sum())
    assert hunk.changed_pixels == differing_pairs + 4 * 7
    # One cluster: it spans the facing rows and the rows B alone has.
    assert [(box.a, box.b) for box in hunk.boxes] == [((0, 10, 20, 20), (0, 10, 20, 24))]


def test_runs_cover_both_images_in_order():
    rng = np.random.default_rng(5)
    a = rng.integers(0, 4, (300, 3, 1), dtype=np.uint8)
    b = np.concatenate([a[:100], rng.integers(0, 4, (37, 3, 1), dtype=np.uint8), a[150:]])
    result = rasterkit.diff(a, b)
    rows_a = [y for r in result.runs if r.kind != "only_b" for y in range(r.a, r.a + r.length)]
    rows_b = [y for r in result.runs if r.kind != "only_a" for y in range(r.b, r.b + r.length)]
    assert rows_a == list(range(300))
    assert rows_b == list(range(len(b)))
    for run in result.runs:
        if run.kind == "equal":
            assert np.array_equal(a[run.a:run.a + run.length], b[run.b:run.b + run.length])
