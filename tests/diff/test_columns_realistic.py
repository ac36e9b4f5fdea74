"""The layout-aware diff on realistic pages (tests/support/realistic_pages.py) rendered by
Debian's chromium at 1400 px: rounded corners, box shadows, 1px borders, a grey sidebar
panel or a white sidebar with a 1px rule on its right, both stretched to the content's height,
cards stretched in a grid row, long tables, settings rows with a toggle at the far right, a
tab bar whose active tab is underlined on the bar's bottom rule.

What a demanding reviewer expects of each edit (checked from the elements' rectangles):

- exactly one hunk, of the edit's kind, and no hunk where nothing changed (the space or the
  stretched panel a column gains because another column grew is not an edit);
- where the page has columns, in the edit's column: ``x`` holds the column's ink and the
  element and none of the other column's ink;
- on the element's rows: an insertion (removal) has no rows of A (B) and as many rows with
  ink as the element, starting within a few rows of it (a row of a list may slide by its
  border, an equivalent place); a change lies inside the element's rows in both;
- on one-column pages the same kinds and rows as ``columns=False`` (``x`` may be narrower:
  it must still hold the element).

Each test is the spec a reviewer holds (some once failed and were marked ``xfail``; all
pass now), or pins what the code does and why it reads right.
"""

from __future__ import annotations

import pytest

import rasterkit
from rasterkit.io import load_array
from tests.support.realistic_pages import (
    ONE_EDITS,
    WIDTH,
    grid_case,
    one_column_case,
    shell_case,
)
from tests.support.screenshots import Shot, edited_pair

pytestmark = pytest.mark.browser

#: The sidebar's ink: its link groups (the ruled sidebar's 1px rule is found as a column of
#: its own, so the sidebar's hunks may stop before it).
SIDE = tuple(f"nav{g}" for g in range(5))
#: The content column's ink.
BODY = ("page-title", "tablebox")


@pytest.fixture(scope="module")
def render(renderer, tmp_path_factory):
    """``render(page, name) -> Shot``, each distinct HTML rendered once per module."""
    folder = tmp_path_factory.mktemp("realistic")
    done: dict[str, Shot] = {}

    def render_(page, name: str) -> Shot:
        html = page.html()
        if html not in done:
            done[html] = renderer.shoot(html, folder / f"{name}.png")
        return done[html]

    return render_


def shots(render, case) -> tuple[Shot, Shot]:
    return render(case.a, f"{case.name}-a"), render(case.b, f"{case.name}-b")


# ------------------------------------------------------------------------- measuring


def ink_extent(image, rect) -> tuple[int, int]:
    """``(x0, x1)`` of the non-white pixels inside ``rect`` (x, y, width, height)."""
    x, y, w, h = rect
    cols = (image[y:y + h, x:x + w] != 255).any(axis=2).any(axis=0).nonzero()[0]
    assert len(cols), f"no ink in {rect}"
    return x + int(cols[0]), x + int(cols[-1]) + 1


def column_ink(image, shot: Shot, ids) -> tuple[int, int]:
    spans = [ink_extent(image, shot.rects[i]) for i in ids]
    return min(s[0] for s in spans), max(s[1] for s in spans)


def ink_rows(image, rows: tuple[int, int], xs: tuple[int, int]) -> int:
    """How many rows in ``rows`` are not one uniform colour over columns ``xs``."""
    part = image[rows[0]:rows[1], xs[0]:xs[1]]
    return int((~(part == part[:, :1]).all(axis=(1, 2))).sum())


def describe(result) -> str:
    return "\n".join(f"{h.kind} a={h.a} b={h.b} x={h.x}" for h in result.hunks) or "identical"


#: Rows a box shadow reaches outside its element's rectangle (0 1px 3px: 3 of blur, 1 down).
SHADOW = 4


def check_edit(case, a: Shot, b: Shot, columns: dict[str, tuple[str, ...]] | None,
               **options):
    """One hunk for the case's one edit, of its kind, in its column, on its rows."""
    [edit] = case.edits
    images = {"a": load_array(a.path), "b": load_array(b.path)}
    by_side = {"a": a, "b": b}
    result = rasterkit.diff(a.path, b.path, **options)
    assert not result.identical
    assert len(result.hunks) == 1, f"{edit}\n{describe(result)}"
    [hunk] = result.hunks
    assert hunk.kind == edit.kind, f"{edit}\n{describe(result)}"
    side = "b" if edit.kind == "added" else "a"
    x, y, w, h = by_side[side].rects[edit.element]
    # the column: holds the element's ink, none of the other columns' ink (a hunk may be
    # narrower than its column: a toggle's or a label's own column inside it)
    ink = ink_extent(images[side], (x, y, w, h))
    assert hunk.x[0] <= ink[0], (edit, hunk.x, ink)
    assert ink[1] <= hunk.x[1], (edit, hunk.x, ink)
    if columns and edit.column is not None:
        for name, ids in columns.items():
            if name != edit.column:
                for s in "ab":
                    o0, o1 = column_ink(images[s], by_side[s], ids)
                    assert hunk.x[1] <= o0 or o1 <= hunk.x[0], (edit, hunk.x, name, (o0, o1))
    # the rows
    if edit.kind in ("added", "removed"):
        rows, other = (hunk.b, hunk.a) if side == "b" else (hunk.a, hunk.b)
        assert other[0] == other[1], hunk
        xs = (max(x, hunk.x[0]), min(x + w, hunk.x[1]))
        assert abs(rows[0] - y) <= 8, (edit, hunk, (y, y + h))
        # A card's box shadow (0 1px 3px) inks a few rows outside its rectangle.
        around = (y - SHADOW, y + h + SHADOW)
        assert ink_rows(images[side], rows, xs) == ink_rows(images[side], around, xs), (
            edit, hunk, (y, y + h))
    else:
        for s, (h0, h1) in (("a", hunk.a), ("b", hunk.b)):
            _, top, _, height = by_side[s].rects[edit.element]
            assert top <= h0 < h1 <= top + height, (edit, hunk, (top, top + height))
        assert (hunk.changed_pixels or 0) > 0
    return result


# ------------------------------------------------------ settings shell, header touching


@pytest.mark.parametrize(("side", "edit"), [("grey", "insert-row"), ("ruled", "insert-row"),
                                       ("grey", "remove-link")])
def test_sidebar_touching_the_header(render, side, edit):
    """A settings page whose sidebar (a grey panel, or white with a 1px rule on its right)
    starts right under the top bar, as GitHub's does: a settings row inserted in the content
    column beside the sidebar's links, or a link removed from the sidebar, is one hunk of its
    kind in its column. There is no blank row between the top bar and the panel (or rule):
    the top bar's own rows of one colour under its text separate the blocks."""
    case = shell_case(side, edit)
    check_edit(case, *shots(render, case), {"side": SIDE, "body": BODY})


# ----------------------------------------------------- settings shell, a gap under the header

SPACED = [
    *((side, edit) for side in ("grey", "ruled")
      for edit in ("insert-row", "remove-row", "insert-card", "insert-table-row",
                   "flip-toggle", "change-label", "change-cell", "change-link")),
    ("grey", "remove-link"), ("ruled", "remove-link"),
]


@pytest.mark.parametrize(("side", "edit"), SPACED)
def test_sidebar_below_a_gap(render, side, edit):
    """The same page with 24 px between the top bar and the shell, so the sidebar is a
    column: every edit is one hunk of its kind in its column on its rows. A change that keeps
    the heights (a toggle flipped, a label, a table cell or a link renamed) is that already;
    a toggle's hunk is the toggle's own column (x from the gutter after the row's text to the
    page's edge) and a label's the label's: narrower than the content column, which reads
    right (the rest of the row did not change)."""
    case = shell_case(side, edit, spaced=True)
    check_edit(case, *shots(render, case), {"side": SIDE, "body": BODY})


def test_rerendered_pages_are_identical(render, renderer, tmp_path):
    """Rendering the same page again (grey shell, stretched grid) gives no hunk at all."""
    for page, name in ((shell_case("grey", "insert-row", spaced=True).a, "shell"),
                       (grid_case("change-title").a, "grid")):
        first = render(page, f"{name}-again-a")
        again = renderer.shoot(page.html(), tmp_path / f"{name}-again.png")
        result = rasterkit.diff(first.path, again.path)
        assert result.identical, describe(result)


# ------------------------------------------------------------------ stretched card grid

GRID = {f"track{t}": tuple(f"g{i}" for i in range(t, 12, 3)) for t in range(3)}


def test_grid_stretched_card_grows(render):
    """Cards with ``align-items: stretch``: a card of the second row grows by a paragraph,
    so the row and its three cards get taller. One hunk for the one edit, holding the
    paragraph's rows in B; its kind may be ``changed`` (in A the card's stretched blank
    interior faced those rows) or ``added``, its x the grown card's track or the whole row
    (the sibling cards did stretch)."""
    case = grid_case("grow-tallest")
    a, b = shots(render, case)
    assert all(b.rects[f"g{i}"][3] > a.rects[f"g{i}"][3] for i in (3, 4, 5))  # all stretched
    result = rasterkit.diff(a.path, b.path)
    assert len(result.hunks) == 1, describe(result)
    [hunk] = result.hunks
    assert hunk.kind in ("changed", "added")
    _, y, _, h = b.rects["grown"]
    assert hunk.b[0] <= y + 8, (hunk, (y, y + h))
    assert y + h - 8 <= hunk.b[1], (hunk, (y, y + h))
    x0, x1 = column_ink(load_array(b.path), b, GRID["track1"])
    assert hunk.x[0] <= x0
    assert x1 <= hunk.x[1]


def test_grid_card_title_changes(render):
    """A card's title text changes (same height): one ``changed`` hunk in its track."""
    case = grid_case("change-title")
    check_edit(case, *shots(render, case), GRID)


# ------------------------------------------------------------------- one-column pages


@pytest.mark.parametrize("edit", ONE_EDITS)
def test_one_column_page(render, edit):
    """A one-column page of realistic parts (a tab bar with count pills and an underlined
    active tab, a rounded table box of 40 rows, a bare table, settings rows with toggles):
    each edit is one hunk of its kind on its rows, with the same kinds and rows as
    ``columns=False``. Its x is the whole width except where the edited part sits in a band
    of columns of its own: a tab's count pill (the tab's column; a wider pill that shifts
    the tabs after it gives one hunk from that tab to the page's edge), a bare table's cell
    (the cell's column), a toggle (its column from the gutter after the row's text to the
    edge). That reads right: nothing else in those rows changed. A cell of the ruled table
    box is whole-width: the box's side borders and row rules make the table one block with
    no gutter, as a reader sees a table. Switching the active tab (bold text and the 2px
    underline on the bar's rule move) is one whole-width hunk."""
    case = one_column_case(edit)
    a, b = shots(render, case)
    result = check_edit(case, a, b, None)
    whole = rasterkit.diff(a.path, b.path, columns=False)
    assert [(h.kind, h.a, h.b) for h in result.hunks] == \
        [(h.kind, h.a, h.b) for h in whole.hunks], f"{describe(result)}\n--\n{describe(whole)}"
    narrow = {"tab-count", "tab-wider", "change-bare-cell", "flip-toggle"}
    assert (result.hunks[0].x != (0, WIDTH)) == (edit in narrow), describe(result)


@pytest.mark.parametrize("seed", [5, 13])
def test_generated_one_column_pages(renderer, tmp_path, seed):
    """screenshots.make_page pages (tables, settings rows, cards; rounded corners and
    shadows kept): a section removed, one inserted, a heading changed give the same hunks
    (kind, rows, and here x = the whole width) with and without columns."""
    pair = edited_pair(renderer, tmp_path, seed=seed, plain=False)
    result = rasterkit.diff(pair.a.path, pair.b.path)
    whole = rasterkit.diff(pair.a.path, pair.b.path, columns=False)
    assert [h.kind for h in result.hunks] == [k for k, _ in pair.edits]
    assert [(h.kind, h.a, h.b, h.x) for h in result.hunks] == \
        [(h.kind, h.a, h.b, h.x) for h in whole.hunks]
    assert all(h.x == (0, pair.a.width) for h in result.hunks)
