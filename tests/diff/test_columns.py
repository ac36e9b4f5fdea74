"""The column stage of the diff (rasterkit.linediff.columns): hunks inside one column of a
multi-column page, single-column pages unchanged, and every output that shows column hunks
(text, JSON, pictures, report, diff-dir, the pytest helper) read back and compared with the
library's result. Pages are drawn with numpy: text-like paragraphs in columns, so the
expected hunks are known exactly."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rasterkit
from rasterkit.io import load_array
from rasterkit.linediff.axis import AxisMap
from rasterkit.linediff.render import ADDED, FRAME, column_picture, overlay, side_by_side
from rasterkit.linediff.result import Run
from tests.diff.synthetic import compose, random_section

WIDTH = 600
CONTENT, SIDEBAR = (10, 380), (420, 590)  # the two columns' content (x ranges)
HEADER, FOOTER = 40, 40


def paragraph(rng: np.random.Generator, height: int, width: int) -> np.ndarray:
    """Lines of dark strokes 3 rows tall every 5 rows, random lengths and greys."""
    block = np.full((height, width, 3), 255, np.uint8)
    for y in range(0, height - 2, 5):
        block[y:y + 3, :int(rng.integers(width // 2, width))] = int(rng.integers(0, 120))
    return block


def column(paragraphs: list[np.ndarray], gap: int = 8) -> np.ndarray:
    """Paragraphs one below the other, ``gap`` blank rows after each."""
    width = paragraphs[0].shape[1]
    parts = []
    for block in paragraphs:
        parts += [block, np.full((gap, width, 3), 255, np.uint8)]
    return np.concatenate(parts)


def page(content: np.ndarray, sidebar: np.ndarray) -> np.ndarray:
    """A full-width dark header, the content column beside the sidebar, a grey footer."""
    rows = max(len(content), len(sidebar))
    band = np.full((rows, WIDTH, 3), 255, np.uint8)
    band[:len(content), CONTENT[0]:CONTENT[1]] = content
    band[:len(sidebar), SIDEBAR[0]:SIDEBAR[1]] = sidebar
    head = np.full((HEADER, WIDTH, 3), 255, np.uint8)
    head[5:35] = 40
    foot = np.full((FOOTER, WIDTH, 3), 255, np.uint8)
    foot[10:30, 5:595] = 90
    return np.concatenate([head, band, foot])


@pytest.fixture(scope="module")
def parts():
    rng = np.random.default_rng(7)
    main = [paragraph(rng, int(rng.integers(10, 50)), CONTENT[1] - CONTENT[0]) for _ in range(20)]
    side = [paragraph(rng, int(rng.integers(10, 30)), SIDEBAR[1] - SIDEBAR[0]) for _ in range(25)]
    extra = paragraph(rng, 33, CONTENT[1] - CONTENT[0])
    return main, side, extra


def content_rows(image: np.ndarray, rows: tuple[int, int], x: tuple[int, int]) -> list[int]:
    """Rows in ``rows`` whose pixels in columns ``x`` are not all white."""
    part = image[rows[0]:rows[1], x[0]:x[1]]
    return [rows[0] + i for i in np.flatnonzero((part != 255).any(axis=(1, 2))).tolist()]


def test_a_paragraph_inserted_in_the_content_column_is_one_added_hunk(parts):
    main, side, extra = parts
    a = page(column(main), column(side))
    b = page(column([*main[:7], extra, *main[7:]]), column(side))
    result = rasterkit.diff(a, b)
    [hunk] = result.hunks
    assert hunk.kind == "added"
    x0, x1 = hunk.x
    assert x0 <= CONTENT[0]
    assert CONTENT[1] <= x1 <= SIDEBAR[0]  # the content column only
    assert hunk.b_rows == len(extra) + 8  # the paragraph and the gap after it
    top = HEADER + sum(len(p) + 8 for p in main[:7])
    inked = np.flatnonzero((extra != 255).any(axis=(1, 2))).tolist()
    assert content_rows(b, hunk.b, hunk.x) == [top + i for i in inked]
    assert hunk.a == (hunk.a[0], hunk.a[0])
    # Whole rows only: everything below the insertion differs (the test can fail).
    whole = rasterkit.diff(a, b, columns=False)
    assert [h.kind for h in whole.hunks] == ["changed"]
    assert all(h.x == (0, WIDTH) for h in whole.hunks)


def test_edits_in_both_columns_at_different_heights_are_two_hunks(parts):
    main, side, _ = parts
    a = page(column(main), column(side))
    b = page(column(main[:3] + main[4:]), column([*side[:18], side[0], *side[18:]]))
    result = rasterkit.diff(a, b)
    assert [h.kind for h in result.hunks] == ["removed", "added"]
    removed, added = result.hunks
    assert removed.x[1] <= SIDEBAR[0]
    assert added.x[0] >= CONTENT[1]
    assert removed.a_rows == len(main[3]) + 8
    assert added.b_rows == len(side[0]) + 8


def test_a_change_in_place_in_the_sidebar_is_one_changed_hunk_in_it(parts):
    main, side, _ = parts
    rng = np.random.default_rng(3)
    other = paragraph(rng, len(side[5]), SIDEBAR[1] - SIDEBAR[0])
    a = page(column(main), column(side))
    b = page(column(main), column([*side[:5], other, *side[6:]]))
    [hunk] = rasterkit.diff(a, b).hunks
    assert hunk.kind == "changed"
    assert hunk.x[0] >= CONTENT[1]
    assert hunk.x[1] == WIDTH
    top = HEADER + sum(len(p) + 8 for p in side[:5])
    assert top <= hunk.a[0] < hunk.a[1] <= top + len(other)
    assert all(box.b[0] >= hunk.x[0] for box in hunk.boxes)


def test_a_row_inserted_across_every_column_stays_one_whole_row_hunk(parts):
    """A table row: inserted at the same height in both columns, it is one hunk of whole
    rows, as today, not one per column."""
    main, side, _ = parts
    rng = np.random.default_rng(5)
    row_main = paragraph(rng, 18, CONTENT[1] - CONTENT[0])
    row_side = paragraph(rng, 18, SIDEBAR[1] - SIDEBAR[0])
    rows = [max(len(m), len(s)) for m, s in zip(main, side, strict=False)]
    a_main = column([np.pad(m, ((0, r - len(m)), (0, 0), (0, 0)), constant_values=255)
                     for m, r in zip(main, rows, strict=False)])
    a_side = column([np.pad(s, ((0, r - len(s)), (0, 0), (0, 0)), constant_values=255)
                     for s, r in zip(side, rows, strict=False)])
    cut = sum(r + 8 for r in rows[:6])  # between two rows of the table
    b_main = np.concatenate([a_main[:cut], column([row_main]), a_main[cut:]])
    b_side = np.concatenate([a_side[:cut], column([row_side]), a_side[cut:]])
    result = rasterkit.diff(page(a_main, a_side), page(b_main, b_side))
    [hunk] = result.hunks
    assert (hunk.kind, hunk.x, hunk.b_rows) == ("added", (0, WIDTH), 26)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from(["remove", "insert", "replace"]))
def test_single_column_pages_come_out_exactly_as_whole_rows(seed, edit):
    """A page whose blocks never hold a gutter has no band: the column stage leaves the
    whole-row diff as it is (hunks, axis and the JSON), with every hunk of whole rows."""
    rng = np.random.default_rng(seed)
    width = 160
    sections = [random_section(rng, width) for _ in range(12)]
    edited = list(sections)
    where = int(rng.integers(1, 11))
    if edit == "remove":
        del edited[where]
    elif edit == "insert":
        edited.insert(where, random_section(rng, width))
    else:
        edited[where] = random_section(rng, width)
    a, b = compose(sections, width), compose(edited, width)
    with_columns, whole = rasterkit.diff(a, b), rasterkit.diff(a, b, columns=False)
    assert with_columns.hunks == whole.hunks
    assert with_columns.runs == whole.runs
    assert all(h.x == (0, width) for h in with_columns.hunks)
    assert with_columns.to_dict()["hunks"] == whole.to_dict()["hunks"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["equal", "only_a", "only_b", "pair", "split"]),
                          st.integers(1, 9)), min_size=1, max_size=12))
def test_the_axis_map_finds_every_row_where_the_runs_put_it(spec):
    runs, a, b = [], 0, 0
    for kind, length in spec:
        runs.append(Run(kind, a, b, length))
        a += 0 if kind == "only_b" else length
        b += 0 if kind == "only_a" else length
    axis = AxisMap(runs)
    expected = {"a": {}, "b": {}}
    y = 0
    for run in runs:
        for k in range(run.length):
            if run.kind != "only_b":
                expected["a"][run.a + k] = y + k
            if run.kind != "only_a":
                expected["b"][run.b + k] = y + k
        y += run.length
    for side, rows in expected.items():
        for row, position in rows.items():
            assert axis.position(side, row) == position
            assert axis.end(side, row + 1) == position + 1
    for p in range(y + 1):
        before = (sum(1 for pos in expected["a"].values() if pos < p),
                  sum(1 for pos in expected["b"].values() if pos < p))
        assert axis.rows_before(p) == before


@pytest.fixture(scope="module")
def column_pair(parts, tmp_path_factory):
    main, side, extra = parts
    folder = tmp_path_factory.mktemp("columns")
    a = page(column(main), column(side))
    b = page(column([*main[:7], extra, *main[7:]]), column(side))
    paths = folder / "before.png", folder / "after.png"
    for path, pixels in zip(paths, (a, b), strict=True):
        rasterkit.io.save_image(pixels, path)
    return folder, paths, rasterkit.diff(*paths)


def test_text_and_json_name_the_column(column_pair, run_cli):
    _, (a, b), result = column_pair
    [hunk] = result.hunks
    text = run_cli("diff", str(a), str(b))
    assert text.returncode == 1
    assert text.stdout.splitlines()[0].endswith(f" in x {hunk.x[0]}:{hunk.x[1]}")
    assert text.stdout == result.to_text()
    done = run_cli("diff", str(a), str(b), "--json")
    document = json.loads(done.stdout)
    assert document["hunks"] == result.to_dict()["hunks"]
    assert document["hunks"][0]["x"] == list(hunk.x)
    assert document["options"]["columns"] is True
    whole = json.loads(run_cli("diff", str(a), str(b), "--json", "--no-columns").stdout)
    assert [h["x"] for h in whole["hunks"]] == [[0, WIDTH]]
    assert whole["options"]["columns"] is False


def test_pictures_frame_the_hunk_in_its_column(column_pair, run_cli):
    folder, (a, b), result = column_pair
    [hunk] = result.hunks
    out = folder / "sbs.png"
    assert run_cli("diff", str(a), str(b), "-o", str(out)).returncode == 1
    picture = load_array(out)
    assert np.array_equal(picture, side_by_side(result))  # the file is the library's picture
    body = picture[30:]  # under the header
    axis = AxisMap(result.runs)
    top, bottom = axis.position("b", hunk.b[0]), axis.end("b", hunk.b[1])
    left = WIDTH + 28 + hunk.x[0] + 1  # B's pane starts after A and the gutter
    frame = body[top:bottom, left:left + FRAME]
    assert (frame == ADDED).all()  # the frame's left side, in the added colour
    insertion = axis.position("a", hunk.a[0])
    assert (body[insertion - 2, hunk.x[0] + 2:hunk.x[1] - 2] == ADDED).all()  # A's bar
    assert not (body[top:bottom, WIDTH + 28 + SIDEBAR[0]:WIDTH + 28 + SIDEBAR[1]]
                == ADDED).all(axis=2).any()  # nothing drawn over the sidebar
    over = folder / "overlay.png"
    assert run_cli("diff", str(a), str(b), "-o", str(over), "--view", "overlay").returncode == 1
    assert np.array_equal(load_array(over), overlay(result))


def test_the_report_shows_the_column_aligned_on_its_own(column_pair, open_page,
                                                        keep_screenshot):
    from rasterkit.linediff.report import write_report

    folder, _, result = column_pair
    [hunk] = result.hunks
    info = write_report(result, folder / "report.html")
    picture = load_array(info.folder / "column-0000.png")
    expected = column_picture(hunk)
    assert np.array_equal(picture, expected)
    # In it the column's rows are aligned: A has a hatched gap as tall as the insertion.
    a_pane = picture[:, :hunk.x[1] - hunk.x[0]]
    grey = (a_pane == 205).all(axis=2).any(axis=1)  # hatching stripes on a row
    assert grey.sum() >= hunk.b_rows - 2
    page_, events = open_page(folder / "report.html")
    page_.keyboard.press("n")
    frames = page_.locator("#col-b .frame")
    assert frames.count() == 1
    page_.locator("#hunk-list .column-open").click()
    dialog = page_.locator("#column-view")
    assert dialog.is_visible()
    size = page_.evaluate("[document.getElementById('column-image').naturalWidth, "
                          "document.getElementById('column-image').naturalHeight]")
    assert size == [expected.shape[1], expected.shape[0]]
    keep_screenshot(page_, "report-column-view")
    page_.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert not events["errors"]
    assert not events["requests"]


def test_diff_dir_and_the_pytest_helper_name_the_column(column_pair, tmp_path, run_cli):
    _, (a, b), result = column_pair
    before, after = tmp_path / "before", tmp_path / "after"
    before.mkdir()
    after.mkdir()
    (before / "page.png").write_bytes(a.read_bytes())
    (after / "page.png").write_bytes(b.read_bytes())
    done = run_cli("diff-dir", str(before), str(after), "--json", "--markdown",
                   str(tmp_path / "summary.md"), "--junit", str(tmp_path / "junit.xml"))
    assert done.returncode == 1, done.stderr
    [record] = json.loads(done.stdout)["pairs"]
    assert record["hunk_list"] == result.to_dict()["hunks"]
    [hunk] = result.hunks
    assert f"in x {hunk.x[0]}:{hunk.x[1]}" in (tmp_path / "junit.xml").read_text()
    from rasterkit.testing import assert_image_matches

    with pytest.raises(AssertionError) as failure:
        assert_image_matches(b, a)
    assert f"in x {hunk.x[0]}:{hunk.x[1]}" in str(failure.value)


@pytest.mark.parametrize("pad_compare", [False, True])
def test_a_wider_b_with_a_scrollbar_still_finds_the_column_hunk(parts, pad_compare):
    """B 16 px wider (a scrollbar's worth of blank columns): the columns are cut over the
    compared width, the narrower A padded with its background where pad_compare compares the
    padding."""
    main, side, extra = parts
    a = page(column(main), column(side))
    b = np.pad(page(column([*main[:7], extra, *main[7:]]), column(side)),
               ((0, 0), (0, 16), (0, 0)), constant_values=255)
    result = rasterkit.diff(a, b, pad_compare=pad_compare)
    [hunk] = result.hunks
    assert hunk.kind == "added"
    assert hunk.x[1] <= SIDEBAR[0]
    assert hunk.b_rows == len(extra) + 8
    assert result.compared_width == (WIDTH + 16 if pad_compare else WIDTH)


def test_edits_in_two_columns_that_overlap_in_rows_stay_two_hunks(parts):
    """An insertion in the content column and, lower but overlapping its rows of B, a change
    in the sidebar are two edits (not one edit across the columns): two hunks."""
    main, side, extra = parts
    rng = np.random.default_rng(9)
    a = page(column(main), column(side))
    other = paragraph(rng, len(side[10]), 170)
    b = page(column([*main[:6], extra, *main[6:]]), column([*side[:10], other, *side[11:]]))
    result = rasterkit.diff(a, b)
    assert [(h.kind, h.x[1] <= SIDEBAR[0]) for h in result.hunks] == \
        [("added", True), ("changed", False)]
    added, changed = result.hunks
    assert added.b[0] < changed.b[0] < added.b[1] + 200


def test_a_gate_counts_a_column_hunk_over_its_columns(column_pair, run_cli):
    """--allow added<=Npx: an added hunk in one column counts rows x its column's width, so
    a budget between that and rows x page width lets it pass (it would fail counted over the
    page); the pytest helper's budget counts the same way."""
    _, (a, b), result = column_pair
    [hunk] = result.hunks
    own = hunk.b_rows * (hunk.x[1] - hunk.x[0])
    assert own < hunk.b_rows * WIDTH
    passes = run_cli("diff", str(a), str(b), "--allow", f"added<={own}px")
    assert passes.returncode == 0, passes.stdout
    fails = run_cli("diff", str(a), str(b), "--allow", f"added<={own - 1}px")
    assert fails.returncode == 1
    from rasterkit.testing import assert_image_matches, changed_amount

    assert changed_amount(result) == (hunk.b_rows, own)
    assert_image_matches(b, a, max_changed_rows=hunk.b_rows, max_changed_pixels=own)


def test_ignore_and_moves_work_inside_a_column(parts):
    """The whole machinery runs per column: a change in the sidebar under an ignored
    rectangle is no hunk while the content column's insertion still is one; a paragraph
    moved down the content column is one moved hunk in that column."""
    main, side, extra = parts
    rng = np.random.default_rng(4)
    other = paragraph(rng, len(side[5]), SIDEBAR[1] - SIDEBAR[0])
    a = page(column(main), column(side))
    b = page(column([*main[:7], extra, *main[7:]]), column([*side[:5], other, *side[6:]]))
    top = HEADER + sum(len(p) + 8 for p in side[:5])
    assert sorted(h.kind for h in rasterkit.diff(a, b).hunks) == ["added", "changed"]
    hidden = (SIDEBAR[0], top, SIDEBAR[1] - SIDEBAR[0], len(other))
    [hunk] = rasterkit.diff(a, b, ignore_a=[hidden], ignore_b=[hidden]).hunks
    assert hunk.kind == "added"
    assert hunk.x[1] <= SIDEBAR[0]
    moved = page(column([*main[:3], *main[4:12], main[3], *main[12:]]), column(side))
    [hunk] = rasterkit.diff(a, moved).hunks
    assert hunk.kind == "moved"
    assert hunk.x[1] <= SIDEBAR[0]
    assert hunk.a_rows == hunk.b_rows == len(main[3]) + 8
