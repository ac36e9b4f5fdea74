"""Multi-column UI pages for the layout-aware diff: a repository page (content + sidebar), a
three-column dashboard, a grid of cards, a one-column page with two panels side by side.

A page is a frame (the page's HTML with ``{name}`` slots) and, for each slot, a list of
:class:`Item` (an element with an id). Edits are list operations on a copy of the page
(insert after an item, remove an item, change an item's text, grow a card by a paragraph), so
the element that changed is known by id and the browser reports where it is
(:class:`tests.support.screenshots.Shot`). A :class:`Case` is the page before (A), after (B),
the edits, and the page's columns (each column: the ids of the elements that make it up, for
the tests to find its ink).

Every page is 1400 px wide, deterministic (fixed seeds for the text of
:func:`tests.support.screenshots.sentence`), under 3,000 px tall, and drawn without rounded
corners, shadows or gradients (their anti-aliasing depends on where they fall on the page).

    with Renderer(browser=browser) as r:
        case = repo_case("insert-content")
        a, b = shoot(r, case, folder)
        a.rects["content"]  # (x, y, width, height) of the content column in A
"""

from __future__ import annotations

import copy
import dataclasses
import random
from pathlib import Path

from .screenshots import WORDS, Renderer, Shot, make_section, sentence

WIDTH = 1400

#: What the pages here and in :mod:`.realistic_pages` share: the type, the top bar and the
#: settings rows (label left, control right).
BASE_CSS = """
* { box-sizing: border-box; }
body { margin: 0; font: 15px/22px 'DejaVu Sans', 'Liberation Sans', sans-serif; color: #1f2328;
       background: #ffffff; }
p { margin: 0 0 12px; }
h3 { font-size: 16px; line-height: 24px; margin: 0 0 8px; }
.topbar { height: 56px; background: #24292f; color: #fff; display: flex; align-items: center;
          padding: 0 32px; gap: 28px; font-weight: bold; }
.topbar span { font-weight: normal; color: #d0d7de; }
.row { display: flex; justify-content: space-between; align-items: center; padding: 12px 0;
       border-bottom: 1px solid #eaeef2; }
.row .label { font-weight: bold; }
.row .desc { color: #57606a; font-size: 13px; line-height: 18px; }
"""

CSS = BASE_CSS + """
h1 { font-size: 28px; line-height: 38px; margin: 0 0 12px; font-weight: normal; }
h2 { font-size: 21px; line-height: 30px; margin: 28px 0 10px; padding-bottom: 6px;
     border-bottom: 1px solid #d0d7de; }
pre { background: #f6f8fa; padding: 12px 16px; font: 13px/19px 'DejaVu Sans Mono', monospace;
      margin: 0 0 12px; }
ul { margin: 0 0 12px; padding-left: 28px; }
.wrap { width: 1240px; margin: 0 auto; padding: 24px 0 48px; }
.repohead { border-bottom: 1px solid #d0d7de; margin-bottom: 24px; }
.tabs { display: flex; gap: 28px; padding-bottom: 10px; color: #57606a; }
.tabs .on { color: #1f2328; font-weight: bold; }
.banner { background: #fff8c5; border: 1px solid #d4a72c; padding: 14px 18px;
          margin: 0 0 24px; }
.layout { display: flex; gap: 40px; align-items: flex-start; }
.content { width: 900px; flex: none; }
.sidebar { width: 300px; flex: none; }
.files { border: 1px solid #d0d7de; margin-bottom: 8px; }
.file { display: flex; gap: 16px; padding: 7px 16px; border-top: 1px solid #eaeef2;
        font-size: 14px; line-height: 21px; }
.file.head { border-top: none; background: #f6f8fa; }
.file .name { width: 200px; flex: none; }
.file .msg { flex: 1; color: #57606a; }
.file .when { width: 110px; flex: none; color: #57606a; text-align: right; }
.note { border: 1px solid #d0d7de; background: #f6f8fa; padding: 14px 18px; margin: 0 0 12px; }
.note p { margin: 0; }
.sidebar section { border-top: 1px solid #d0d7de; padding: 16px 0 12px; }
.sidebar section.first { border-top: none; padding-top: 0; }
.line { font-size: 14px; line-height: 21px; color: #57606a; margin: 0 0 4px; }
.line b { color: #1f2328; }
.topic { display: inline-block; background: #ddf4ff; color: #0969da; font-size: 12px;
         line-height: 20px; padding: 0 8px; margin: 0 4px 6px 0; }
.avatars { display: flex; flex-wrap: wrap; gap: 6px; margin-bottom: 8px; }
.avatar { width: 32px; height: 32px; color: #fff; font-size: 12px; line-height: 32px;
          text-align: center; font-weight: bold; }
.langbar { display: flex; height: 8px; margin: 4px 0 10px; }
footer { border-top: 1px solid #d0d7de; margin-top: 40px; padding-top: 24px; display: flex;
         gap: 24px; font-size: 13px; color: #57606a; }
.dash { width: 1284px; margin: 0 auto; padding: 24px 0 48px; display: flex; gap: 32px;
        align-items: flex-start; }
.nav { width: 220px; flex: none; }
.nav .group { font-size: 12px; line-height: 18px; color: #57606a; font-weight: bold;
              text-transform: uppercase; margin: 18px 0 6px 12px; }
.nav a { display: block; padding: 6px 12px; color: #1f2328; text-decoration: none;
         font-size: 14px; line-height: 20px; }
.nav a.on { background: #ddf4ff; color: #0969da; font-weight: bold; }
.main { width: 700px; flex: none; }
.aside { width: 300px; flex: none; }
.card { border: 1px solid #d0d7de; padding: 16px 20px; margin: 0 0 16px; }
.card p:last-child { margin-bottom: 0; }
.meter { height: 10px; background: #eaeef2; margin: 6px 0 12px; }
.meter span { display: block; height: 10px; background: #2da44e; }
.panel { border: 1px solid #d0d7de; padding: 14px 16px; margin: 0 0 16px; }
.grid { display: grid; grid-template-columns: repeat(3, 400px); column-gap: 24px;
        row-gap: 20px; align-items: start; margin: 16px 0 0; }
.gridwrap { width: 1248px; margin: 0 auto; padding: 24px 0 48px; }
.one { width: 1100px; margin: 0 auto; padding: 24px 0 48px; }
.pair { display: flex; gap: 32px; align-items: flex-start; margin: 8px 0; }
.pair .panel2 { width: 534px; flex: none; }
.toggle { width: 40px; height: 22px; background: #2da44e; position: relative; }
.toggle.off { background: #d0d7de; }
.toggle::after { content: ''; position: absolute; top: 3px; left: 21px; width: 16px;
                 height: 16px; background: #fff; }
.toggle.off::after { left: 3px; }
input.text { width: 320px; height: 32px; border: 1px solid #d0d7de; padding: 0 10px;
             font: inherit; }
.cards { display: flex; flex-direction: column; gap: 16px; }
.cards .card { margin: 0; }
.cards .card .tag { display: inline-block; margin-left: 10px; padding: 0 6px; font-size: 12px;
                    border: 1px solid #8250df; color: #8250df; }
.cards .avatar { display: inline-block; width: 36px; height: 36px; background: #8250df;
                 line-height: 36px; margin-right: 10px; vertical-align: middle; }
table { border-collapse: collapse; width: 100%; }
td, th { border-bottom: 1px solid #eaeef2; padding: 8px 10px; text-align: left; }
th { background: #f6f8fa; }
.alert { padding: 14px 18px; background: #fff8c5; border: 1px solid #d4a72c;
         margin: 8px 0 12px; }
.chart { height: 160px; background: #54aeff; margin: 8px 0 12px; }
"""

TOPBAR = ('<div class="topbar" id="top">rasterkit <span>Pull requests</span><span>Issues'
          '</span><span>Marketplace</span><span>Explore</span></div>')


@dataclasses.dataclass
class Item:
    """One element of a slot: ``html`` is an element whose id is ``id``."""

    id: str
    html: str


@dataclasses.dataclass
class Page:
    """``frame`` is the body's HTML with a ``{slot}`` per list of ``slots``."""

    frame: str
    slots: dict[str, list[Item]]

    def html(self) -> str:
        body = self.frame.format(**{name: "".join(item.html for item in items)
                                    for name, items in self.slots.items()})
        return (f"<!doctype html><html><head><meta charset='utf-8'><style>{CSS}</style>"
                f"</head><body>{body}</body></html>")

    def find(self, element: str) -> tuple[list[Item], int]:
        """The slot holding the item ``element`` and its index there."""
        for items in self.slots.values():
            for index, item in enumerate(items):
                if item.id == element:
                    return items, index
        raise KeyError(element)


@dataclasses.dataclass(frozen=True)
class Edit:
    """What an edit did: ``kind`` is the hunk kind it should give; ``element`` is the id of
    the element inserted (in B), removed (in A) or changed (in both); ``column`` names the
    column of :attr:`Case.columns` that holds it, or None for a full-width element."""

    kind: str
    element: str
    column: str | None


@dataclasses.dataclass
class Case:
    """A page before and after its edits. ``columns`` maps each column's name, left to right,
    to the ids of the elements that make it up (a container, or the cards of a grid track)."""

    name: str
    a: Page
    b: Page
    edits: list[Edit]
    columns: dict[str, tuple[str, ...]]


# ---------------------------------------------------------------------------------- edits


def insert_after(page: Page, anchor: str, item: Item, column: str | None
                 ) -> tuple[Page, Edit]:
    """A copy of ``page`` with ``item`` inserted after the item ``anchor``."""
    page = copy.deepcopy(page)
    items, index = page.find(anchor)
    items.insert(index + 1, item)
    return page, Edit("added", item.id, column)


def remove(page: Page, element: str, column: str | None) -> tuple[Page, Edit]:
    """A copy of ``page`` without the item ``element``."""
    page = copy.deepcopy(page)
    items, index = page.find(element)
    del items[index]
    return page, Edit("removed", element, column)


def change_text(page: Page, item: str, old: str, new: str, column: str | None,
                element: str | None = None) -> tuple[Page, Edit]:
    """A copy of ``page`` where the item ``item``'s text ``old`` reads ``new`` (the same
    number of lines: the element keeps its height); ``element`` is the id of the element
    inside the item whose text changed (default: the item)."""
    page = copy.deepcopy(page)
    items, index = page.find(item)
    assert old in items[index].html, (old, items[index].html)
    items[index] = Item(item, items[index].html.replace(old, new, 1))
    return page, Edit("changed", element or item, column)


def grow(page: Page, card: str, paragraph: Item, column: str | None) -> tuple[Page, Edit]:
    """A copy of ``page`` where the card ``card`` (a ``<div>``) ends with one more paragraph
    (the edit is the paragraph, inserted)."""
    page = copy.deepcopy(page)
    items, index = page.find(card)
    html = items[index].html
    assert html.endswith("</div>")
    items[index] = Item(card, html[:-len("</div>")] + paragraph.html + "</div>")
    return page, Edit("added", paragraph.id, column)


def shoot(renderer: Renderer, case: Case, folder: str | Path) -> tuple[Shot, Shot]:
    """Render A and B into ``folder``/NAME-a.png and -b.png."""
    folder = Path(folder)
    return (renderer.shoot(case.a.html(), folder / f"{case.name}-a.png"),
            renderer.shoot(case.b.html(), folder / f"{case.name}-b.png"))


# ------------------------------------------------------------------------------ text bits


def title(rng: random.Random, low: int = 1, high: int = 3) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high))).capitalize()


def paragraph(rng: random.Random, pid: str, sentences: tuple[int, int] = (2, 4)) -> Item:
    text = " ".join(sentence(rng) for _ in range(rng.randint(*sentences)))
    return Item(pid, f'<p id="{pid}">{text}</p>')


def _word(rng: random.Random) -> str:
    return rng.choice(WORDS)


# ------------------------------------------------------------------ (a) repository page


def _file_rows(rng: random.Random) -> str:
    rows = ['<div class="file head"><span class="name"><b>maintainer</b></span>'
            f'<span class="msg">{sentence(rng, 4, 8)}</span><span class="when">2 days ago'
            '</span></div>']
    for i in range(9):
        name = f"{_word(rng)}{rng.choice(['/', '.py', '.md', '.toml', '/'])}"
        rows.append(f'<div class="file" id="file{i}"><span class="name">{name}</span>'
                    f'<span class="msg">{sentence(rng, 3, 7)}</span>'
                    f'<span class="when">{rng.randint(2, 11)} months ago</span></div>')
    return f'<div class="files" id="files">{"".join(rows)}</div>'


def _readme(rng: random.Random) -> list[Item]:
    """README sections: a heading, paragraphs, now and then a code block or a list; every
    element has an id (rNh heading, rNpM paragraph, rNc code, rNl list)."""
    items: list[Item] = [Item("readme-title", '<h2 id="readme-title">README.md</h2>')]
    for n in range(7):
        items.append(Item(f"r{n}h", f'<h2 id="r{n}h">{title(rng, 2, 4)}</h2>'))
        for m in range(rng.randint(1, 3)):
            items.append(paragraph(rng, f"r{n}p{m}"))
        if n % 3 == 1:
            code = "\n".join(f"$ rasterkit {_word(rng)} --{_word(rng)} {rng.randint(1, 99)}"
                             for _ in range(rng.randint(3, 5)))
            items.append(Item(f"r{n}c", f'<pre id="r{n}c">{code}</pre>'))
        elif n % 3 == 2:
            lis = "".join(f"<li>{sentence(rng, 4, 9)}</li>" for _ in range(rng.randint(3, 5)))
            items.append(Item(f"r{n}l", f'<ul id="r{n}l">{lis}</ul>'))
    return items


def _line(lid: str, html: str) -> Item:
    return Item(lid, f'<div class="line" id="{lid}">{html}</div>')


def _sidebar(rng: random.Random) -> list[Item]:
    """GitHub's sidebar: About, stats, releases, packages, contributors, languages,
    deployments, environments, each a section of short lines (ids sbN, lines sbNlM)."""
    colours = ["#3572A5", "#f1e05a", "#e34c26", "#563d7c", "#89e051", "#8250df"]
    topics = "".join(f'<span class="topic">{_word(rng)}</span>' for _ in range(9))
    about = ('<section class="first" id="about"><h3>About</h3>'
             f'<p id="about-text">{sentence(rng, 10, 16)}</p>'
             f'<div class="line" id="about-link"><b>rasterkit.example/{_word(rng)}</b></div>'
             f'<div id="topics" style="margin-top: 10px">{topics}</div></section>')
    items = [Item("about", about)]
    spec = [("Stats", 5), ("Releases", 5), ("Packages", 3), ("Contributors", 4),
            ("Languages", 6), ("Deployments", 6), ("Environments", 5), ("Used by", 5),
            ("Security", 4)]
    for n, (heading, lines) in enumerate(spec):
        parts = [f'<h3 id="sb{n}h">{heading}</h3>']
        if heading == "Contributors":
            avatars = "".join(
                f'<div class="avatar" style="background: {rng.choice(colours)}">'
                f'{rng.choice("ABCDEKLMNPRST")}{rng.choice("ABCDEKLMNPRST")}</div>'
                for _ in range(16))
            parts.append(f'<div class="avatars" id="sb{n}a">{avatars}</div>')
        if heading == "Languages":
            bar = "".join(f'<span style="width: {w}%; background: {c}"></span>'
                          for w, c in zip((52, 21, 12, 8, 5, 2), colours, strict=True))
            parts.append(f'<div class="langbar" id="sb{n}bar">{bar}</div>')
        for m in range(lines):
            parts.append(_line(f"sb{n}l{m}", f"<b>{title(rng, 1, 2)}</b> "
                                             f"{_word(rng)} {rng.randint(1, 999)}").html)
        items.append(Item(f"sb{n}", f'<section id="sb{n}">{"".join(parts)}</section>'))
    return items


REPO_FRAME = (
    TOPBAR + '<div class="wrap" id="wrap">'
    '<div class="repohead" id="repohead"><h1 id="repo">rasterkit / <b>linediff</b></h1>'
    '<div class="tabs"><span class="on">Code</span><span>Issues 17</span>'
    '<span>Pull requests 4</span><span>Actions</span><span>Projects</span><span>Wiki</span>'
    '<span>Security</span><span>Insights</span></div></div>{banner}'
    '<div class="layout" id="layout"><div class="content" id="content">{content}</div>'
    '<div class="sidebar" id="sidebar">{sidebar}</div></div>'
    '<footer id="footer"><span>© 2026 rasterkit</span><span>Terms</span><span>Privacy</span>'
    '<span>Security</span><span>Status</span><span>Docs</span><span>Contact</span></footer>'
    '</div>')

REPO_COLUMNS = {"content": ("content",), "sidebar": ("sidebar",)}


def repo_page(seed: int = 3) -> Page:
    """(a) A repository page: a full-width top bar and repository header, then the content
    column (900 px: a file list and a README) beside the sidebar (300 px, 40 px gutter, many
    short lines down to about two thirds of the content), then a full-width footer."""
    rng = random.Random(seed)
    content = [Item("files", _file_rows(rng)), *_readme(rng)]
    return Page(REPO_FRAME, {"banner": [], "content": content, "sidebar": _sidebar(rng)})


def _note(rng: random.Random, nid: str) -> Item:
    return Item(nid, f'<div class="note" id="{nid}"><h3>Note: {title(rng, 2, 3)}</h3>'
                     f'<p>{sentence(rng, 14, 24)}</p></div>')


#: The cases of page (a), by name (see :func:`repo_case`).
REPO_CASES = ("insert-content", "remove-content", "change-content", "insert-sidebar",
              "remove-sidebar", "change-sidebar", "content-and-sidebar", "banner",
              "insert-sidebar-low", "remove-sidebar-low", "append-sidebar")


def repo_case(name: str, seed: int = 3) -> Case:
    """Page (a) and one edit (or two, for ``content-and-sidebar``):

    - ``insert-content``: a note card inserted in the README, beside the sidebar's lines;
    - ``remove-content``: a README paragraph removed;
    - ``change-content``: a README heading's text changed (same height);
    - ``insert-sidebar``: a sidebar section of three lines inserted;
    - ``remove-sidebar``: a sidebar section removed;
    - ``change-sidebar``: a sidebar line's text changed;
    - ``content-and-sidebar``: the note card in the content column, and two lines inserted
      in the sidebar much further down (two edits);
    - ``banner``: (e) a full-width banner inserted above the columns (a whole-row edit);
    - ``insert-sidebar-low``, ``remove-sidebar-low``: a sidebar section inserted or removed
      a few sections above the sidebar's end (the content column goes on far below);
    - ``append-sidebar``: a sidebar section added after the last one, beside the content.
    """
    rng = random.Random(seed + 100)
    a = repo_page(seed)
    if name == "insert-content":
        b, edit = insert_after(a, "r1p0", _note(rng, "inserted"), "content")
        edits = [edit]
    elif name == "remove-content":
        b, edit = remove(a, "r2p0", "content")
        edits = [edit]
    elif name == "change-content":
        b, edit = change_text(a, "r3h", 'id="r3h">', 'id="r3h">Edited: ', "content")
        edits = [edit]
    elif name == "insert-sidebar":
        lines = "".join(_line(f"new-l{m}", f"<b>{title(rng, 1, 2)}</b> {_word(rng)}").html
                        for m in range(3))
        section = Item("new-section",
                       f'<section id="new-section"><h3>Sponsors</h3>{lines}</section>')
        b, edit = insert_after(a, "sb2", section, "sidebar")
        edits = [edit]
    elif name in ("insert-sidebar-low", "append-sidebar"):
        lines = "".join(_line(f"new-l{m}", f"<b>{title(rng, 1, 2)}</b> {_word(rng)}").html
                        for m in range(3))
        section = Item("new-section",
                       f'<section id="new-section"><h3>Sponsors</h3>{lines}</section>')
        b, edit = insert_after(a, "sb6" if name == "insert-sidebar-low" else "sb8", section,
                               "sidebar")
        edits = [edit]
    elif name == "remove-sidebar":
        b, edit = remove(a, "sb3", "sidebar")
        edits = [edit]
    elif name == "remove-sidebar-low":
        b, edit = remove(a, "sb6", "sidebar")
        edits = [edit]
    elif name == "change-sidebar":
        b, edit = change_text(a, "sb5", 'id="sb5l2"><b>', 'id="sb5l2"><b>Edited ', "sidebar",
                              "sb5l2")
        edits = [edit]
    elif name == "content-and-sidebar":
        b, first = insert_after(a, "r1p0", _note(rng, "inserted"), "content")
        lines = [_line(f"new-l{m}", f"<b>{title(rng, 1, 2)}</b> {_word(rng)} "
                                    f"{rng.randint(1, 99)}") for m in range(2)]
        # two lines, one edit: a wrapper with the id whose box is both lines
        wrapper = Item("new-lines", '<div id="new-lines">'
                                    + "".join(line.html for line in lines) + "</div>")
        b, second = insert_after(b, "sb7", wrapper, "sidebar")
        edits = [first, second]
    elif name == "banner":
        banner = Item("banner", f'<div class="banner" id="banner"><b>Heads up:</b> '
                                f'{sentence(rng, 12, 20)}</div>')
        b = copy.deepcopy(a)
        b.slots["banner"].append(banner)
        edits = [Edit("added", "banner", None)]
    else:
        raise ValueError(name)
    return Case(f"repo-{name}", a, b, edits, REPO_COLUMNS)


# -------------------------------------------------------------------- (b) dashboard


def _nav(rng: random.Random) -> list[Item]:
    items = []
    for g in range(5):
        links = "".join(f'<a id="nav{g}l{m}"{" class=on" if (g, m) == (0, 1) else ""}>'
                        f'{title(rng, 1, 2)}</a>' for m in range(rng.randint(5, 8)))
        items.append(Item(f"nav{g}", f'<div id="nav{g}"><div class="group">{title(rng, 1, 1)}'
                                     f'</div>{links}</div>'))
    return items


def _dash_card(rng: random.Random, cid: str) -> Item:
    body = "".join(f'<p id="{cid}p{m}">{sentence(rng, 10, 22)}</p>'
                   for m in range(rng.randint(1, 2)))
    meter = (f'<div class="meter"><span style="width: {rng.randint(10, 95)}%"></span></div>'
             if rng.random() < 0.5 else "")
    return Item(cid, f'<div class="card" id="{cid}"><h3>{title(rng, 2, 4)}</h3>{meter}{body}'
                     '</div>')


def _aside(rng: random.Random) -> list[Item]:
    items = []
    for n in range(6):
        lines = "".join(f'<div class="line"><b>{title(rng, 1, 2)}</b> {rng.randint(1, 999)} '
                        f'{_word(rng)}</div>' for _ in range(rng.randint(3, 6)))
        meter = f'<div class="meter"><span style="width: {rng.randint(10, 95)}%"></span></div>'
        items.append(Item(f"panel{n}", f'<div class="panel" id="panel{n}"><h3>'
                                       f'{title(rng, 1, 2)}</h3>{meter}{lines}</div>'))
    return items


DASH_FRAME = (TOPBAR + '<div class="dash" id="dash"><div class="nav" id="nav">{nav}</div>'
              '<div class="main" id="main"><h1 id="dash-title">Dashboard</h1>{main}</div>'
              '<div class="aside" id="aside">{aside}</div></div>')


def dashboard_case(seed: int = 7) -> Case:
    """(b) Three columns: navigation links (220 px), a stack of activity cards (700 px) and
    status panels (300 px), 32 px gutters. Card ``card3`` in the middle column grows by a
    paragraph (one ``added`` edit, the paragraph ``grown``)."""
    rng = random.Random(seed)
    a = Page(DASH_FRAME, {"nav": _nav(rng),
                          "main": [_dash_card(rng, f"card{i}") for i in range(9)],
                          "aside": _aside(rng)})
    new = Item("grown", f'<p id="grown">{" ".join(sentence(rng) for _ in range(3))}</p>')
    b, edit = grow(a, "card3", new, "main")
    return Case("dashboard-grow", a, b, [edit],
                {"nav": ("nav",), "main": ("main",), "aside": ("aside",)})


# ---------------------------------------------------------------------- (c) card grid


def _grid_card(rng: random.Random, cid: str) -> Item:
    body = "".join(f"<p>{sentence(rng, 8, 20)}</p>" for _ in range(rng.randint(1, 3)))
    return Item(cid, f'<div class="card" id="{cid}"><h3>{title(rng, 1, 3)}</h3>{body}</div>')


GRID_FRAME = (TOPBAR + '<div class="gridwrap" id="gridwrap">{intro}'
              '<div class="grid" id="grid">{grid}</div>{outro}</div>')


def grid_case(seed: int = 11) -> Case:
    """(c) A one-column page whose middle is a grid of twelve cards, three per row (400 px
    tracks, 24 px column gap, 20 px row gap, ``align-items: start``). Card ``g4`` (middle
    track, second row) grows by a paragraph long enough to make its row taller, so the cards
    below move down in every track (slack in the other two)."""
    rng = random.Random(seed)
    intro = [Item("grid-title", '<h1 id="grid-title">Projects</h1>'),
             paragraph(rng, "intro", (3, 4))]
    outro = [Item("outro-h", f'<h2 id="outro-h">{title(rng, 2, 3)}</h2>'),
             paragraph(rng, "outro", (3, 5))]
    a = Page(GRID_FRAME, {"intro": intro, "grid": [_grid_card(rng, f"g{i}") for i in range(12)],
                          "outro": outro})
    new = Item("grown", f'<p id="grown">{" ".join(sentence(rng) for _ in range(4))}</p>')
    b, edit = grow(a, "g4", new, "track1")
    return Case("grid-grow", a, b, [edit],
                {f"track{t}": tuple(f"g{i}" for i in range(t, 12, 3)) for t in range(3)})


# ------------------------------------------------- (d) two panels inside a one-column page


def _panel(rng: random.Random, pid: str, paragraphs: int) -> list[Item]:
    return [Item(f"{pid}h", f'<h2 id="{pid}h">{title(rng, 2, 3)}</h2>'),
            *(paragraph(rng, f"{pid}p{m}", (2, 3)) for m in range(paragraphs))]


PANELS_FRAME = (TOPBAR + '<div class="one" id="one">{above}'
                '<div class="pair" id="pair"><div class="panel2" id="left">{left}</div>'
                '<div class="panel2" id="right">{right}</div></div>{below}</div>')


def panels_case(seed: int = 19) -> Case:
    """(d) A one-column settings page (sections of :func:`make_section`, 1100 px) with, in
    the middle, two panels of text side by side (534 px each, 32 px gutter). A paragraph is
    inserted in the left panel, beside the right panel's text."""
    rng = random.Random(seed)
    above = [Item("page-title", '<h1 id="page-title">Workspace settings</h1>')]
    above += [Item(s.id, s.html) for s in (make_section(rng, f"s{i}") for i in range(3))]
    below = [Item(s.id, s.html) for s in (make_section(rng, f"t{i}") for i in range(3))]
    a = Page(PANELS_FRAME, {"above": above, "left": _panel(rng, "left", 5),
                            "right": _panel(rng, "right", 6), "below": below})
    b, edit = insert_after(a, "leftp1", paragraph(rng, "inserted", (3, 4)), "left")
    return Case("panels-insert", a, b, [edit], {"left": ("left",), "right": ("right",)})


def _renamed(items: list[Item], prefix: str) -> list[Item]:
    """``items`` with every ``id="..."`` prefixed (copies of a column stay unique)."""
    return [Item(prefix + item.id, item.html.replace('id="', f'id="{prefix}'))
            for item in items]


def tall_repo_case(copies: int = 4, seed: int = 3) -> Case:
    """Page (a) ``copies`` times as tall (about 2,300 rows a copy: more README sections and
    sidebar sections, each copy's ids prefixed ``cN-``), with the note card inserted near the
    top of the content column and two lines inserted in the sidebar's third copy: the
    benchmark's multi-column pair, where the column stage diffs nearly the whole page."""
    rng = random.Random(seed)
    content = [Item("files", _file_rows(rng))]
    sidebar: list[Item] = []
    for k in range(copies):
        content += _renamed(_readme(rng), f"c{k}-")
        sidebar += _renamed(_sidebar(rng), f"c{k}-")
    a = Page(REPO_FRAME, {"banner": [], "content": content, "sidebar": sidebar})
    b, first = insert_after(a, "c0-r1p0", _note(rng, "inserted"), "content")
    lines = "".join(_line(f"new-l{m}", f"<b>{title(rng, 1, 2)}</b> {_word(rng)}").html
                    for m in range(2))
    b, second = insert_after(b, f"c{min(2, copies - 1)}-sb7",
                             Item("new-lines", f'<div id="new-lines">{lines}</div>'), "sidebar")
    return Case(f"repo-tall-{copies}", a, b, [first, second], REPO_COLUMNS)


def all_cases() -> list[Case]:
    """Every case, for a person to look at (``python -m tests.support.column_pages DIR``)."""
    return [*(repo_case(name) for name in REPO_CASES), dashboard_case(), grid_case(),
            panels_case()]


if __name__ == "__main__":
    import sys

    out = Path(sys.argv[1] if len(sys.argv) > 1 else "out/columns")
    out.mkdir(parents=True, exist_ok=True)
    with Renderer(WIDTH) as renderer:
        for case in all_cases():
            a, b = shoot(renderer, case, out)
            print(case.name, a.height, b.height, {e.element: (a.rects.get(e.element),
                                                              b.rects.get(e.element))
                                                  for e in case.edits})
