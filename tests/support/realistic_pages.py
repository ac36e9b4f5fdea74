"""Realistic multi-column UI pages for the layout-aware diff: the CSS the pages of
:mod:`tests.support.column_pages` avoid (rounded corners, box shadows, 1px borders, a grey
sidebar panel, a 1px rule between sidebar and content, stretched grid cards, long tables,
settings rows with a toggle at the far right, a tab bar whose active tab is underlined).

The machinery is column_pages' (:class:`Item`, :class:`Case`, :class:`Edit`, the edits
``insert_after``/``remove``/``change_text``/``grow``); a page here carries its own CSS.
Every page is 1400 px wide and deterministic.
"""

from __future__ import annotations

import copy
import dataclasses
import random

from .column_pages import (
    BASE_CSS,
    TOPBAR,
    Case,
    Edit,
    Item,
    Page,
    change_text,
    grow,
    insert_after,
    remove,
)
from .screenshots import WORDS, sentence

WIDTH = 1400

CSS = BASE_CSS + """
h1 { font-size: 26px; line-height: 36px; margin: 0 0 16px; font-weight: normal; }
h2 { font-size: 20px; line-height: 30px; margin: 28px 0 10px; padding-bottom: 6px;
     border-bottom: 1px solid #d0d7de; }
/* a settings shell: sidebar beside content, stretched to the same height */
.shell { width: 1280px; margin: 0 auto; display: flex; align-items: stretch; }
.shell.spaced { margin-top: 24px; }
.side { width: 264px; flex: none; padding: 20px 16px 40px; }
.side.grey { background: #f6f8fa; border-radius: 0 0 0 8px; }
.side.ruled { border-right: 1px solid #d0d7de; padding-right: 24px; }
.side .group { font-size: 12px; line-height: 18px; color: #57606a; font-weight: bold;
               text-transform: uppercase; margin: 18px 0 6px 10px; }
.side a { display: block; padding: 6px 10px; color: #1f2328; text-decoration: none;
          font-size: 14px; line-height: 20px; border-radius: 6px; }
.side a.on { background: #ffffff; font-weight: bold;
             box-shadow: 0 1px 3px rgba(31,35,40,0.15); }
.side.ruled a.on { background: #ddf4ff; box-shadow: none; }
.body { flex: 1; padding: 24px 0 48px 40px; min-width: 0; }
/* settings rows: label left, toggle far right */
.toggle { width: 40px; height: 22px; border-radius: 11px; background: #2da44e;
          position: relative; flex: none; }
.toggle.off { background: #d0d7de; }
.toggle::after { content: ''; position: absolute; top: 3px; left: 21px; width: 16px;
                 height: 16px; border-radius: 50%; background: #fff;
                 box-shadow: 0 1px 2px rgba(0,0,0,0.2); }
.toggle.off::after { left: 3px; }
/* cards */
.card { border: 1px solid #d0d7de; border-radius: 8px; padding: 16px 20px; margin: 0 0 16px;
        background: #fff; box-shadow: 0 1px 3px rgba(31,35,40,0.12); }
.card p:last-child { margin-bottom: 0; }
.pill { display: inline-block; margin-left: 8px; padding: 0 8px; font-size: 12px;
        line-height: 20px; border: 1px solid #8250df; color: #8250df; border-radius: 10px; }
/* tables */
.tablebox { border: 1px solid #d0d7de; border-radius: 8px; overflow: hidden; margin: 8px 0 16px; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
td, th { border-bottom: 1px solid #eaeef2; padding: 8px 14px; text-align: left;
         font-size: 14px; line-height: 20px; }
th { background: #f6f8fa; }
tr:last-child td { border-bottom: none; }
table.bare td, table.bare th { border: none; background: none; padding: 4px 14px; }
/* a grid of stretched cards */
.gridwrap { width: 1248px; margin: 0 auto; padding: 24px 0 48px; }
.grid { display: grid; grid-template-columns: repeat(3, 400px); column-gap: 24px;
        row-gap: 24px; align-items: stretch; margin: 16px 0 24px; }
.grid .card { margin: 0; }
/* a one-column page */
.one { width: 1100px; margin: 0 auto; padding: 0 0 48px; }
/* a tab bar: items widely spaced, the active one underlined on the bar's bottom rule */
.tabs { display: flex; gap: 40px; padding: 0 16px; border-bottom: 1px solid #d0d7de;
        margin: 0 0 24px; }
.tabs a { display: block; padding: 14px 0 12px; color: #57606a; text-decoration: none;
          font-size: 14px; line-height: 20px; border-bottom: 2px solid transparent;
          margin-bottom: -1px; }
.tabs a.on { color: #1f2328; font-weight: bold; border-bottom-color: #fd8c73; }
.count { display: inline-block; margin-left: 6px; padding: 0 7px; font-size: 12px;
         line-height: 18px; background: #eaeef2; border-radius: 9px; color: #1f2328; }
"""


@dataclasses.dataclass
class StyledPage(Page):
    """A :class:`column_pages.Page` with this module's CSS."""

    css: str = CSS

    def html(self) -> str:
        body = self.frame.format(**{name: "".join(item.html for item in items)
                                    for name, items in self.slots.items()})
        return (f"<!doctype html><html><head><meta charset='utf-8'><style>{self.css}</style>"
                f"</head><body>{body}</body></html>")


def title(rng: random.Random, low: int = 1, high: int = 3) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high))).capitalize()


def toggle_row(rng: random.Random, rid: str, on: bool | None = None) -> Item:
    on = rng.random() < 0.6 if on is None else on
    return Item(rid, f'<div class="row" id="{rid}"><div><div class="label" id="{rid}l">'
                     f'{title(rng)}</div><div class="desc">{sentence(rng, 5, 10)}</div></div>'
                     f'<div class="toggle{"" if on else " off"}" id="{rid}t"></div></div>')


def settings_card(rng: random.Random, cid: str) -> Item:
    return Item(cid, f'<div class="card" id="{cid}"><h3>{title(rng, 2, 3)}'
                     f'<span class="pill">beta</span></h3><p>{sentence(rng, 14, 26)}</p></div>')


def table_row(rng: random.Random, rid: str, cells: int = 5) -> Item:
    tds = "".join(f'<td id="{rid}c{k}">{rng.choice(WORDS)} {rng.randint(10, 9999)}</td>'
                  for k in range(cells))
    return Item(rid, f'<tr id="{rid}">{tds}</tr>')


# ----------------------------------------------------------- (1, 2) settings shells


SHELL_FRAME = (TOPBAR + '<div class="shell {shell_class}" id="shell">'
               '<div class="side {side_class}" id="side">{side}</div>'
               '<div class="body" id="body"><h1 id="page-title">Repository settings</h1>'
               '{rows}<h2 id="cards-h">Features</h2>{cards}<h2 id="table-h">Access log</h2>'
               '<div class="tablebox" id="tablebox"><table id="table"><tr id="thead">'
               '<th>Who</th><th>Action</th><th>Where</th><th>When</th><th>Result</th></tr>'
               '{table}</table></div></div></div>')

SIDE_GROUPS = ("General", "Access", "Code and automation", "Security", "Integrations")


def _side(rng: random.Random) -> list[Item]:
    items = []
    for g, group in enumerate(SIDE_GROUPS):
        links = "".join(f'<a id="nav{g}l{m}"{" class=on" if (g, m) == (0, 0) else ""}>'
                        f'{title(rng, 1, 2)}</a>' for m in range(rng.randint(3, 5)))
        items.append(Item(f"nav{g}", f'<div id="nav{g}"><div class="group">{group}</div>'
                                     f'{links}</div>'))
    return items


def shell_page(side_class: str, seed: int = 23, spaced: bool = False) -> StyledPage:
    """A settings page: a sidebar of navigation links (264 px; ``grey``: a #f6f8fa panel
    with a rounded corner, the active link a white pill with a shadow; ``ruled``: white, a
    1px rule on its right edge, 24 px from its text) stretched to the height of the content
    (settings rows with rounded toggles at the far right, cards with rounded corners and
    shadows, a rounded table box of 24 rows)."""
    rng = random.Random(seed)
    frame = SHELL_FRAME.replace("{side_class}", side_class)
    frame = frame.replace("{shell_class}", "spaced" if spaced else "")
    return StyledPage(frame, {
        "side": _side(rng),
        "rows": [toggle_row(rng, f"set{i}") for i in range(8)],
        "cards": [settings_card(rng, f"card{i}") for i in range(4)],
        "table": [table_row(rng, f"tr{i}") for i in range(24)]})


SHELL_COLUMNS = {"side": ("side",), "body": ("body",)}

#: The edits of the settings shells (see :func:`shell_case`).
SHELL_EDITS = ("insert-row", "remove-row", "flip-toggle", "change-label", "insert-card",
               "insert-table-row", "change-cell", "remove-link", "change-link")


def shell_case(side_class: str, edit: str, seed: int = 23, spaced: bool = False) -> Case:
    """A settings shell (``grey`` or ``ruled`` sidebar) and one edit:

    - ``insert-row`` / ``remove-row``: a settings row inserted after / removed at the 3rd;
    - ``flip-toggle``: the 5th row's toggle switched (on to off or back);
    - ``change-label``: the 2nd row's label text changed (same height);
    - ``insert-card``: a card inserted after the 2nd;
    - ``insert-table-row``: a table row inserted after the 10th;
    - ``change-cell``: one table cell's text changed;
    - ``remove-link``: a navigation link of the sidebar removed;
    - ``change-link``: a navigation link's text changed.
    """
    rng = random.Random(seed + 100)
    a = shell_page(side_class, seed, spaced)
    if edit == "insert-row":
        b, e = insert_after(a, "set2", toggle_row(rng, "inserted"), "body")
    elif edit == "remove-row":
        b, e = remove(a, "set3", "body")
    elif edit == "flip-toggle":
        html = a.find("set4")[0][a.find("set4")[1]].html
        old, new = (('class="toggle off"', 'class="toggle"') if "toggle off" in html
                    else ('class="toggle"', 'class="toggle off"'))
        b, e = change_text(a, "set4", old, new, "body", "set4t")
    elif edit == "change-label":
        b, e = change_text(a, "set1", 'id="set1l">', 'id="set1l">Edited ', "body", "set1l")
    elif edit == "insert-card":
        b, e = insert_after(a, "card1", settings_card(rng, "inserted"), "body")
    elif edit == "insert-table-row":
        b, e = insert_after(a, "tr9", table_row(rng, "inserted"), "body")
    elif edit == "change-cell":
        b, e = change_text(a, "tr14", 'id="tr14c2">', 'id="tr14c2">x', "body", "tr14c2")
    elif edit == "remove-link":
        b = copy.deepcopy(a)
        items, index = b.find("nav2")
        html = items[index].html
        start = html.index('<a id="nav2l1"')
        items[index] = Item("nav2", html[:start] + html[html.index("</a>", start) + 4:])
        e = Edit("removed", "nav2l1", "side")
    elif edit == "change-link":
        b = copy.deepcopy(a)
        items, index = b.find("nav3")
        items[index] = Item("nav3", items[index].html.replace('id="nav3l1">',
                                                              'id="nav3l1">New ', 1))
        e = Edit("changed", "nav3l1", "side")
    else:
        raise ValueError(edit)
    name = f"shell-{side_class}{'-spaced' if spaced else ''}-{edit}"
    return Case(name, a, b, [e], SHELL_COLUMNS)


# -------------------------------------------------------------- (3) stretched card grid


def _grid_card(rng: random.Random, cid: str) -> Item:
    body = "".join(f"<p>{sentence(rng, 8, 20)}</p>" for _ in range(rng.randint(1, 3)))
    return Item(cid, f'<div class="card" id="{cid}"><h3 id="{cid}h">{title(rng, 1, 3)}'
                     f'<span class="pill">v{rng.randint(1, 9)}</span></h3>{body}</div>')


GRID_FRAME = (TOPBAR + '<div class="gridwrap" id="gridwrap">{intro}'
              '<div class="grid" id="grid">{grid}</div>{outro}</div>')

GRID_COLUMNS = {f"track{t}": tuple(f"g{i}" for i in range(t, 12, 3)) for t in range(3)}


def grid_page(seed: int = 29) -> StyledPage:
    """Twelve cards, three per row (400 px tracks, 24 px gaps), rounded, with shadows, and
    ``align-items: stretch``: the cards of a row are as tall as its tallest card."""
    rng = random.Random(seed)
    intro = [Item("grid-title", '<h1 id="grid-title">Projects</h1>'),
             Item("intro", f'<p id="intro">{" ".join(sentence(rng) for _ in range(3))}</p>')]
    outro = [Item("outro-h", f'<h2 id="outro-h">{title(rng, 2, 3)}</h2>'),
             Item("outro", f'<p id="outro">{" ".join(sentence(rng) for _ in range(4))}</p>')]
    return StyledPage(GRID_FRAME, {"intro": intro,
                                   "grid": [_grid_card(rng, f"g{i}") for i in range(12)],
                                   "outro": outro})


def grid_case(edit: str, seed: int = 29) -> Case:
    """The stretched grid and one edit: ``grow-tallest`` (the tallest card of the second
    row grows by a paragraph: the whole row gets taller, every card of it stretches);
    ``change-title`` (a card's title text changed, same height)."""
    rng = random.Random(seed + 100)
    a = grid_page(seed)
    if edit == "grow-tallest":
        b, e = grow(a, "g4", Item("grown", f'<p id="grown">{sentence(rng, 20, 30)} '
                                           f'{sentence(rng, 20, 30)}</p>'), "track1")
    elif edit == "change-title":
        b, e = change_text(a, "g7", 'id="g7h">', 'id="g7h">New ', "track1", "g7h")
    else:
        raise ValueError(edit)
    return Case(f"grid-{edit}", a, b, [e], GRID_COLUMNS)


# ------------------------------------------------------- (4) one-column pages: tables, tabs


ONE_FRAME = (TOPBAR + '<div class="one" id="one"><div class="tabs" id="tabs">{tabs}</div>'
             '<h1 id="page-title">Audit log</h1>{above}'
             '<div class="tablebox" id="tablebox"><table id="table">{table}</table></div>'
             '<h2 id="bare-h">Environment</h2><table class="bare" id="bare">{bare}</table>'
             '<h2 id="rows-h">Notifications</h2>{rows}</div>')

TABS = ("Code", "Issues", "Pull requests", "Actions", "Projects", "Wiki", "Security",
        "Insights", "Settings")


def _tabs(active: int = 0, counts: dict[int, int] | None = None) -> list[Item]:
    counts = {1: 17, 2: 4} if counts is None else counts
    return [Item(f"tab{k}", f'<a id="tab{k}"{" class=on" if k == active else ""}>{name}'
                            + (f'<span class="count">{counts[k]}</span>' if k in counts else "")
                            + "</a>")
            for k, name in enumerate(TABS)]


def one_column_page(seed: int = 31, active: int = 0, counts: dict[int, int] | None = None
                    ) -> StyledPage:
    """A one-column page (1100 px): a tab bar (items 40 px apart, the active one underlined
    by 2px on the bar's 1px bottom rule, rounded count pills), a paragraph, a rounded table
    box of 40 rows with 1px rules between rows, a bare table of 12 rows (no rules), and
    settings rows with rounded toggles at the far right."""
    rng = random.Random(seed)
    head = "<tr>" + "".join(f"<th>{t}</th>" for t in ("Actor", "Event", "Target", "Where",
                                                       "When")) + "</tr>"
    return StyledPage(ONE_FRAME, {
        "tabs": _tabs(active, counts),
        "above": [Item("lead", f'<p id="lead">{" ".join(sentence(rng) for _ in range(3))}</p>')],
        "table": [Item("thead", head), *(table_row(rng, f"tr{i}") for i in range(40))],
        "bare": [table_row(rng, f"br{i}", 3) for i in range(12)],
        "rows": [toggle_row(rng, f"set{i}") for i in range(6)]})


ONE_EDITS = ("tab-switch", "tab-count", "tab-wider", "insert-table-row", "remove-table-row",
             "change-cell", "insert-bare-row", "change-bare-cell", "flip-toggle", "insert-row")


def one_column_case(edit: str, seed: int = 31) -> Case:
    """The one-column page and one edit. Every edit spans the page's only column, so its
    column is None (a whole-row hunk) except where noted in the test."""
    rng = random.Random(seed + 100)
    a = one_column_page(seed)
    if edit == "tab-switch":
        b = one_column_page(seed, active=3)
        e = Edit("changed", "tabs", None)
    elif edit == "tab-count":
        b = one_column_page(seed, counts={1: 18, 2: 4})
        e = Edit("changed", "tab1", None)
    elif edit == "tab-wider":
        b = one_column_page(seed, counts={1: 17, 2: 1234})
        e = Edit("changed", "tab2", None)
    elif edit == "insert-table-row":
        b, e = insert_after(a, "tr19", table_row(rng, "inserted"), None)
    elif edit == "remove-table-row":
        b, e = remove(a, "tr25", None)
    elif edit == "change-cell":
        b, e = change_text(a, "tr30", 'id="tr30c3">', 'id="tr30c3">x', None, "tr30c3")
    elif edit == "insert-bare-row":
        b, e = insert_after(a, "br5", table_row(rng, "inserted", 3), None)
    elif edit == "change-bare-cell":
        b, e = change_text(a, "br8", 'id="br8c1">', 'id="br8c1">x', None, "br8c1")
    elif edit == "flip-toggle":
        html = a.find("set2")[0][a.find("set2")[1]].html
        old, new = (('class="toggle off"', 'class="toggle"') if "toggle off" in html
                    else ('class="toggle"', 'class="toggle off"'))
        b, e = change_text(a, "set2", old, new, None, "set2t")
    elif edit == "insert-row":
        b, e = insert_after(a, "set3", toggle_row(rng, "inserted"), None)
    else:
        raise ValueError(edit)
    return Case(f"one-{edit}", a, b, [e], {})
