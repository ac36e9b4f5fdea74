"""The layout-aware diff on real multi-column pages rendered by Debian's chromium at 1400 px.

Each page (tests/support/column_pages.py) is rendered before (A) and after (B) an edit made in
the HTML; the browser reports where every element is, so the expected hunks follow from the
edited element's rectangle and the columns' ink:

- exactly one hunk per edit, and no other hunk (the blank rows a column gains or loses only
  because another column grew are not reported);
- of the edit's kind;
- in the edit's column: the hunk's ``x`` range holds the column's ink and the edited
  element, holds none of the other columns' ink, starts at 0 for the leftmost column and
  ends at the page width for the rightmost; a full-width edit has ``x == (0, W)``;
- on the element's rows: for an insertion, the rows of B inside ``hunk.b`` that are not one
  uniform colour (over the element's x extent inside the hunk's range) are exactly those of
  the inserted element's box, and the hunk has no rows of A; a removal likewise in A; a
  change lies inside the element's rows in both.

The whole-row diff (``columns=False``) fails every column case here: below an insertion in
one column no whole row is equal any more, so it reports one big ``changed`` hunk.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

import rasterkit
from rasterkit.io import load_array
from tests.support.column_pages import (
    REPO_CASES,
    WIDTH,
    Case,
    Edit,
    dashboard_case,
    grid_case,
    panels_case,
    repo_case,
)
from tests.support.screenshots import Shot

pytestmark = pytest.mark.browser

#: Where the pictures of every case are kept for a person to look at (git-ignored).
KEEP = Path(__file__).resolve().parent.parent.parent / "out" / "columns"


@pytest.fixture(scope="module")
def render(renderer, tmp_path_factory):
    """``render(case) -> (Shot A, Shot B)``; a page's HTML is rendered once per module (the
    repository page is the A of eight cases). Copies of the PNGs go to out/columns/."""
    folder = tmp_path_factory.mktemp("columns")
    by_html: dict[str, Shot] = {}
    KEEP.mkdir(parents=True, exist_ok=True)

    def shot(html: str, name: str) -> Shot:
        if html not in by_html:
            by_html[html] = renderer.shoot(html, folder / f"{name}.png")
        shutil.copyfile(by_html[html].path, KEEP / f"{name}.png")
        return by_html[html]

    def render_(case: Case) -> tuple[Shot, Shot]:
        return shot(case.a.html(), f"{case.name}-a"), shot(case.b.html(), f"{case.name}-b")

    return render_


# ------------------------------------------------------------------------- measuring


def ink_extent(image: np.ndarray, rect: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """``(x0, x1, y0, y1)`` of the non-white pixels inside ``rect`` (x, y, width, height)."""
    x, y, w, h = rect
    ink = (image[y:y + h, x:x + w] != 255).any(axis=2)
    cols, rows = np.flatnonzero(ink.any(axis=0)), np.flatnonzero(ink.any(axis=1))
    assert len(cols), f"no ink in {rect}"
    return x + int(cols[0]), x + int(cols[-1]) + 1, y + int(rows[0]), y + int(rows[-1]) + 1


def column_ink(image: np.ndarray, shot: Shot, ids: tuple[str, ...]) -> tuple[int, int, int, int]:
    """The ink extent of a column made of the elements ``ids``."""
    boxes = [ink_extent(image, shot.rects[i]) for i in ids]
    return (min(b[0] for b in boxes), max(b[1] for b in boxes),
            min(b[2] for b in boxes), max(b[3] for b in boxes))


def content_rows(image: np.ndarray, rows: tuple[int, int], xs: tuple[int, int]) -> set[int]:
    """Rows in ``rows`` (half-open) that are not one uniform colour over columns ``xs``."""
    part = image[rows[0]:rows[1], xs[0]:xs[1]]
    uniform = (part == part[:, :1]).all(axis=(1, 2))
    return {rows[0] + i for i in np.flatnonzero(~uniform).tolist()}


def element_rows(shot: Shot, element: str) -> tuple[int, int]:
    _, y, _, h = shot.rects[element]
    return y, y + h


def element_xs(shot: Shot, element: str) -> tuple[int, int]:
    x, _, w, _ = shot.rects[element]
    return x, x + w


def describe(result) -> str:
    return "\n".join(f"{h.kind} a={h.a} b={h.b} x={h.x}" for h in result.hunks)


# -------------------------------------------------------------------------- checking


def edit_side(edit: Edit, a: Shot, b: Shot) -> Shot:
    """The picture that holds the edited element (B for an insertion, else A)."""
    return b if edit.kind == "added" else a


def hunk_of(result, edit: Edit, a: Shot, b: Shot):
    """The hunk whose rows overlap the edited element's rows most."""
    shot = edit_side(edit, a, b)
    top, bottom = element_rows(shot, edit.element)

    def overlap(hunk) -> int:
        y0, y1 = hunk.b if shot is b else hunk.a
        return min(y1, bottom) - max(y0, top)

    best = max(result.hunks, key=overlap)
    assert overlap(best) > 0, f"no hunk on the rows of {edit}:\n{describe(result)}"
    return best


def check_column(hunk, edit: Edit, case: Case, images: dict, shots: dict, width: int) -> None:
    """The hunk's x range is the edit's column's: holds its ink and the edited element,
    holds none of the other columns' ink, and reaches the page's edge on the outside."""
    if edit.column is None:
        assert hunk.x == (0, width), (edit, hunk)
        return
    names = list(case.columns)
    side = "b" if edit.kind == "added" else "a"
    x0, x1 = element_xs(shots[side], edit.element)
    cx0, cx1, _, _ = column_ink(images[side], shots[side], case.columns[edit.column])
    assert hunk.x[0] <= min(x0, cx0), (edit, hunk.x, (cx0, cx1))
    assert max(x1, cx1) <= hunk.x[1], (edit, hunk.x, (cx0, cx1))
    for other in names:
        if other == edit.column:
            continue
        for s in "ab":
            ox0, ox1, _, _ = column_ink(images[s], shots[s], case.columns[other])
            assert hunk.x[1] <= ox0 or ox1 <= hunk.x[0], (edit, hunk.x, other, (ox0, ox1))
    if edit.column == names[0]:
        assert hunk.x[0] == 0, hunk.x
    if edit.column == names[-1]:
        assert hunk.x[1] == width, hunk.x


def check_rows(hunk, edit: Edit, images: dict, shots: dict) -> None:
    if edit.kind in ("added", "removed"):
        side = "b" if edit.kind == "added" else "a"
        rows = hunk.b if side == "b" else hunk.a
        other = hunk.a if side == "b" else hunk.b
        assert other[0] == other[1], f"an {edit.kind} hunk has rows on the other side: {hunk}"
        x0, x1 = element_xs(shots[side], edit.element)
        xs = (max(x0, hunk.x[0]), min(x1, hunk.x[1]))
        expected = content_rows(images[side], element_rows(shots[side], edit.element), xs)
        assert expected
        assert content_rows(images[side], rows, xs) == expected, (edit, hunk)
    else:
        assert hunk.kind == "changed"
        (top_a, bottom_a), (top_b, bottom_b) = (element_rows(shots["a"], edit.element),
                                                element_rows(shots["b"], edit.element))
        assert top_a <= hunk.a[0] < hunk.a[1] <= bottom_a, (edit, hunk, (top_a, bottom_a))
        assert top_b <= hunk.b[0] < hunk.b[1] <= bottom_b, (edit, hunk, (top_b, bottom_b))
        assert (hunk.changed_pixels or 0) > 0


def check_inside_columns(case: Case, images: dict, shots: dict) -> None:
    """The case tests what it means to: every column edit lies beside another column's ink
    (which has ink above and below the edited element), so the whole rows there differ."""
    for edit in case.edits:
        if edit.column is None:
            continue
        side = "b" if edit.kind == "added" else "a"
        top, bottom = element_rows(shots[side], edit.element)
        beside = [column_ink(images[side], shots[side], ids)
                  for name, ids in case.columns.items() if name != edit.column]
        assert any(y0 < top and bottom < y1 for _, _, y0, y1 in beside), (case.name, edit)


def check_case(case: Case, shots: tuple[Shot, Shot], **options):
    """Diff the case's pictures and check the hunks against its edits; returns the result."""
    shot_a, shot_b = shots
    assert shot_a.width == shot_b.width == WIDTH
    images = {"a": load_array(shot_a.path), "b": load_array(shot_b.path)}
    by_side = {"a": shot_a, "b": shot_b}
    check_inside_columns(case, images, by_side)
    result = rasterkit.diff(shot_a.path, shot_b.path, **options)
    assert len(result.hunks) == len(case.edits), f"{case.edits}\n{describe(result)}"
    matched = []
    for edit in case.edits:
        hunk = hunk_of(result, edit, shot_a, shot_b)
        matched.append(hunk)
        assert hunk.kind == edit.kind, f"{edit}\n{describe(result)}"
        check_column(hunk, edit, case, images, by_side, WIDTH)
        check_rows(hunk, edit, images, by_side)
    assert len({id(h) for h in matched}) == len(matched), describe(result)
    return result


# ----------------------------------------------------------------------------- tests


@pytest.mark.parametrize("name", REPO_CASES)
def test_repository_page(render, name):
    """Content column beside a sidebar (and the full-width banner above them): an insertion,
    a removal or a text change in either column is one hunk of that kind in that column, on
    the element's rows, wherever it is beside the other column's text (near the sidebar's
    end, or a section appended after its last one, too); a note card in the content column
    plus two sidebar lines far below are two hunks; the banner spanning both columns is one
    whole-row ``added`` hunk."""
    case = repo_case(name)
    check_case(case, render(case))


def test_dashboard_card_grows_in_the_middle_column(render):
    """Three columns: a card of the middle one grows by a paragraph; one ``added`` hunk in the
    middle column (neither the navigation nor the status panels), rows = the paragraph's."""
    case = dashboard_case()
    check_case(case, render(case))


def test_grid_card_grows(render):
    """A grid of cards, three per row: the middle card of the second row grows by a
    paragraph and its row gets taller, so every card below moves down. One ``added`` hunk
    in the middle track; the other tracks' moved cards (blank rows gained) are not hunks."""
    case = grid_case()
    a, b = render(case)
    # the premise: the grid row grew, so the next row of cards moved down in every track
    assert all(b.rects[f"g{i}"][1] > a.rects[f"g{i}"][1] for i in (6, 7, 8))
    check_case(case, (a, b))


def test_two_panels_inside_a_one_column_page(render):
    """A one-column page with two text panels side by side in the middle: a paragraph
    inserted in the left panel is one ``added`` hunk in x 0 to the gutter's middle; the
    one-column sections below, moved down, give nothing."""
    case = panels_case()
    a, b = render(case)
    assert b.rects["t0"][1] > a.rects["t0"][1]  # the page below the panels moved down
    check_case(case, (a, b))


def test_without_columns_the_whole_row_answer(render):
    """``columns=False`` is today's whole-row diff: the note card inserted in the content
    column beside the sidebar is not one ``added`` hunk (the sidebar's rows below it no
    longer face equal rows) and every hunk spans the whole width."""
    case = repo_case("insert-content")
    a, b = render(case)
    whole = rasterkit.diff(a.path, b.path, columns=False)
    assert whole.hunks
    assert all(h.x == (0, WIDTH) for h in whole.hunks), describe(whole)
    assert [h.kind for h in whole.hunks] != ["added"], describe(whole)
    assert "changed" in [h.kind for h in whole.hunks], describe(whole)
    # and the column diff of the same pair does better (checked in full above)
    assert [h.kind for h in rasterkit.diff(a.path, b.path).hunks] == ["added"]


HUNK_LINE = re.compile(r"^@@ -(\d+):(\d+) \+(\d+):(\d+) @@ (removed|added|changed|moved) +"
                       r"(.+?)(?: in x (\d+):(\d+))?$")


def parse_text(stdout: str) -> list[tuple]:
    """The hunk lines of ``rasterkit diff``'s text: (a, b, kind, x or None) each."""
    out = []
    for line in stdout.splitlines()[:-1]:
        match = HUNK_LINE.match(line)
        assert match, line
        a0, a1, b0, b1, kind, _, x0, x1 = match.groups()
        out.append(((int(a0), int(a1)), (int(b0), int(b1)), kind,
                    None if x0 is None else (int(x0), int(x1))))
    return out


def test_cli_text_and_json(render, run_cli):
    """``rasterkit diff A B`` prints one line per hunk, `` in x X0:X1`` on a column hunk only;
    ``--json`` carries each hunk's ``"x"`` and equals the library's ``to_dict()``;
    ``--no-columns`` gives the whole-row answer (no ``in x``, every x the full width)."""
    case = repo_case("content-and-sidebar")
    a, b = render(case)
    result = rasterkit.diff(str(a.path), str(b.path))
    expected = [(h.a, h.b, h.kind, h.x) for h in result.hunks]
    assert all(x != (0, WIDTH) for *_, x in expected)

    done = run_cli("diff", a.path, b.path)
    assert done.returncode == 1, done.stderr
    assert parse_text(done.stdout) == expected
    assert done.stdout.splitlines()[-1].endswith("2 hunks (2 added)")

    done = run_cli("diff", a.path, b.path, "--json")
    assert done.returncode == 1, done.stderr
    data = json.loads(done.stdout)
    assert [h["x"] for h in data["hunks"]] == [list(h.x) for h in result.hunks]
    assert data["hunks"] == result.to_dict()["hunks"]
    assert data["summary"] == result.to_dict()["summary"]

    whole = rasterkit.diff(str(a.path), str(b.path), columns=False)
    done = run_cli("diff", a.path, b.path, "--no-columns")
    assert done.returncode == 1, done.stderr
    assert parse_text(done.stdout) == [(h.a, h.b, h.kind, None) for h in whole.hunks]
    done = run_cli("diff", a.path, b.path, "--no-columns", "--json")
    data = json.loads(done.stdout)
    assert data["hunks"] == whole.to_dict()["hunks"]
    assert all(h["x"] == [0, WIDTH] for h in data["hunks"])


def test_cli_full_width_hunk_has_no_x_suffix(render, run_cli):
    """A whole-row hunk (the banner above the columns) prints no `` in x`` and its JSON
    ``x`` is ``[0, W]``."""
    a, b = render(repo_case("banner"))
    done = run_cli("diff", a.path, b.path)
    assert done.returncode == 1, done.stderr
    [(_, (b0, b1), kind, x)] = parse_text(done.stdout)
    assert (kind, x) == ("added", None)
    assert (b0, b1) == tuple(rasterkit.diff(a.path, b.path).hunks[0].b)
    data = json.loads(run_cli("diff", a.path, b.path, "--json").stdout)
    assert [h["x"] for h in data["hunks"]] == [[0, WIDTH]]
