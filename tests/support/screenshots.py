"""Real screenshots for tests, benchmarks and examples: long UI pages rendered by Chromium.

A page is a list of :class:`Section` (HTML snippets with ids). Edits are list operations
(remove, insert, replace text), so the expected diff is known from the element positions that
the browser reports. Rendering uses Debian's ``/usr/bin/chromium`` through playwright; no
browser is ever downloaded.

    with Renderer() as r:
        shot = r.shoot(page_html(sections), "a.png")
        shot.boxes["s3"]  # (top, bottom) rows of element #s3, half-open
"""

from __future__ import annotations

import dataclasses
import math
import random
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--font-render-hinting=none",
]

WORDS = (
    "account access activity advanced alerts appearance application archive audit backup "
    "billing browser cache calendar channel cluster colour configure connection contacts "
    "content create dashboard data default delete deploy device display domain download "
    "editor email enable endpoint export feature filter folder format general group history "
    "identity import index integration interface invoice keyboard language layout library "
    "limit location login manage member message metrics mobile network notification option "
    "organisation password payment permission personal preview privacy profile project "
    "quota region release report repository request review role schedule search security "
    "server session settings share signature storage subscription sync team template theme "
    "timezone token update upload usage user version visibility webhook workspace"
).split()

CSS = """
* { box-sizing: border-box; }
body { margin: 0; font: 15px/22px 'DejaVu Sans', 'Liberation Sans', sans-serif; color: #1f2328;
       background: #ffffff; }
main { width: 1100px; margin: 0 auto; padding: 24px 0 48px; }
.topbar { height: 56px; background: #24292f; color: #fff; display: flex; align-items: center;
          padding: 0 32px; gap: 28px; font-weight: bold; }
.topbar span { font-weight: normal; color: #d0d7de; }
h1 { font-size: 30px; line-height: 40px; margin: 16px 0 8px; }
h2 { font-size: 21px; line-height: 30px; margin: 28px 0 10px; padding-bottom: 6px;
     border-bottom: 1px solid #d0d7de; }
p { margin: 0 0 12px; }
section { padding: 4px 0 8px; }
.row { display: flex; justify-content: space-between; align-items: center; padding: 12px 0;
       border-bottom: 1px solid #eaeef2; }
.row .label { font-weight: bold; }
.row .desc { color: #57606a; font-size: 13px; line-height: 18px; }
.toggle { width: 40px; height: 22px; border-radius: 11px; background: #2da44e; position: relative; }
.toggle.off { background: #d0d7de; }
.toggle::after { content: ''; position: absolute; top: 3px; left: 21px; width: 16px; height: 16px;
                 border-radius: 50%; background: #fff; }
.toggle.off::after { left: 3px; }
input.text { width: 320px; height: 32px; border: 1px solid #d0d7de; border-radius: 6px;
             padding: 0 10px; font: inherit; }
.cards { display: flex; flex-direction: column; gap: 16px; }
.card { border: 1px solid #d0d7de; border-radius: 8px; padding: 16px 20px;
        box-shadow: 0 1px 3px rgba(31,35,40,0.12); }
.card h3 { margin: 0 0 6px; font-size: 17px; }
.card .tag { display: inline-block; margin-left: 10px; padding: 0 6px; font-size: 12px;
             border: 1px solid #8250df; color: #8250df; border-radius: 10px;
             transform: rotate(-4deg); }
.avatar { display: inline-block; width: 36px; height: 36px; border-radius: 50%;
          background: #8250df; color: #fff; text-align: center; line-height: 36px;
          font-weight: bold; margin-right: 10px; vertical-align: middle; }
table { border-collapse: collapse; width: 100%; }
td, th { border-bottom: 1px solid #eaeef2; padding: 8px 10px; text-align: left; }
th { background: #f6f8fa; }
pre { background: #f6f8fa; padding: 12px 16px; font: 13px/19px 'DejaVu Sans Mono', monospace;
      margin: 0 0 12px; }
.alert { padding: 14px 18px; background: #fff8c5; border: 1px solid #d4a72c; margin: 8px 0 12px; }
.chart { height: 160px; background: linear-gradient(90deg, #ddf4ff, #54aeff); margin: 8px 0 12px; }
"""

PLAIN_CSS = """
.toggle, .toggle::after, input.text, .card, .avatar, .card .tag { border-radius: 0 !important; }
.card .tag { transform: none !important; }
.card { box-shadow: none !important; }
.chart { background: #54aeff !important; }
"""


@dataclasses.dataclass
class Section:
    """One top-level block of a page; ``html`` is the element with ``id``."""

    id: str
    html: str


def sentence(rng: random.Random, low: int = 6, high: int = 16) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def _title(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3))).capitalize()


def _settings(rng: random.Random, sid: str) -> str:
    rows = []
    for _ in range(rng.randint(3, 7)):
        control = (f'<div class="toggle{" off" if rng.random() < 0.4 else ""}"></div>'
                   if rng.random() < 0.6 else
                   f'<input class="text" value="{rng.choice(WORDS)}.{rng.choice(WORDS)}">')
        rows.append(f'<div class="row"><div><div class="label">{_title(rng)}</div>'
                    f'<div class="desc">{sentence(rng)}</div></div>{control}</div>')
    return f'<section id="{sid}"><h2 id="{sid}h">{_title(rng)}</h2>{"".join(rows)}</section>'


def card(rng: random.Random, cid: str) -> str:
    initials = "".join(rng.choice("ABCDEFGHKLMNPRSTW") for _ in range(2))
    return (f'<div class="card" id="{cid}"><h3><span class="avatar">{initials}</span>'
            f'{_title(rng)}<span class="tag">new</span></h3><p>{sentence(rng, 12, 30)}</p></div>')


def _cards(rng: random.Random, sid: str) -> str:
    cards = "".join(card(rng, f"{sid}c{i}") for i in range(rng.randint(3, 6)))
    return (f'<section id="{sid}"><h2 id="{sid}h">{_title(rng)}</h2>'
            f'<div class="cards">{cards}</div></section>')


def _prose(rng: random.Random, sid: str) -> str:
    paras = "".join(f"<p>{' '.join(sentence(rng) for _ in range(rng.randint(2, 6)))}</p>"
                    for _ in range(rng.randint(1, 4)))
    return f'<section id="{sid}"><h2 id="{sid}h">{_title(rng)}</h2>{paras}</section>'


def _table(rng: random.Random, sid: str) -> str:
    head = "".join(f"<th>{_title(rng)}</th>" for _ in range(4))
    body = "".join(
        "<tr>" + "".join(f"<td>{rng.choice(WORDS)} {rng.randint(1, 9999)}</td>" for _ in range(4))
        + "</tr>" for _ in range(rng.randint(3, 8)))
    table = f"<table><tr>{head}</tr>{body}</table>"
    return f'<section id="{sid}"><h2 id="{sid}h">{_title(rng)}</h2>{table}</section>'


def _code(rng: random.Random, sid: str) -> str:
    lines = "\n".join(f"{rng.choice(WORDS)}_{rng.choice(WORDS)} = {rng.randint(0, 65535)}"
                      for _ in range(rng.randint(3, 9)))
    return f'<section id="{sid}"><h2 id="{sid}h">{_title(rng)}</h2><pre>{lines}</pre></section>'


def _alert(rng: random.Random, sid: str) -> str:
    return f'<section id="{sid}"><div class="alert">{sentence(rng, 10, 24)}</div></section>'


def _chart(rng: random.Random, sid: str) -> str:
    return (f'<section id="{sid}"><h2 id="{sid}h">{_title(rng)}</h2><div class="chart"></div>'
            f'<p>{sentence(rng)}</p></section>')


_KINDS = (_settings, _cards, _prose, _table, _code, _alert, _chart)
_WEIGHTS = (4, 3, 4, 2, 2, 1, 1)


def make_section(rng: random.Random, sid: str) -> Section:
    """A random section of any kind with element id ``sid``."""
    kind = rng.choices(_KINDS, weights=_WEIGHTS)[0]
    return Section(sid, kind(rng, sid))


def make_page(seed: int, n_sections: int) -> list[Section]:
    """A deterministic page: a top bar, a title, then ``n_sections`` random sections."""
    rng = random.Random(seed)
    head = Section("top", '<div class="topbar" id="top">rasterkit <span>Overview</span>'
                          '<span>Settings</span><span>Billing</span><span>Members</span></div>')
    title = Section("title", f'<h1 id="title">{_title(rng)} settings</h1>')
    return [head, title, *(make_section(rng, f"s{i}") for i in range(n_sections))]


def page_html(sections: list[Section], *, plain: bool = False) -> str:
    """The whole document; ``plain`` drops rounded corners, shadows and gradients, whose
    anti-aliasing and dithering depend on where they fall on the page (rendering noise)."""
    top = [s.html for s in sections if s.id == "top"]
    body = "".join(s.html for s in sections if s.id != "top")
    css = CSS + (PLAIN_CSS if plain else "")
    return (f"<!doctype html><html><head><meta charset='utf-8'><style>{css}</style></head>"
            f"<body>{''.join(top)}<main>{body}</main></body></html>")


@dataclasses.dataclass
class Shot:
    path: Path
    width: int
    height: int
    boxes: dict[str, tuple[int, int]]  # element id -> (top, bottom) rows, half-open
    rects: dict[str, tuple[int, int, int, int]] = dataclasses.field(default_factory=dict)
    # element id -> (x, y, width, height), whole pixels covering the element


class Renderer:
    """One headless Chromium reused for many screenshots (launching costs about a second)."""

    def __init__(self, width: int = 1400, browser: object = None) -> None:
        self.width = width
        self._shared = browser  # an open playwright browser to use (e.g. a pytest fixture's)

    def __enter__(self) -> Renderer:
        self._pw = None
        self._browser = self._shared
        if self._browser is None:
            from playwright.sync_api import sync_playwright

            self._pw = sync_playwright().start()
            self._browser = self._pw.chromium.launch(executable_path=CHROMIUM,
                                                     args=CHROMIUM_ARGS)
        self._page = self._browser.new_page(viewport={"width": self.width, "height": 900},
                                            device_scale_factor=1)
        return self

    def __exit__(self, *exc: object) -> None:
        self._page.close()
        if self._pw is not None:
            self._browser.close()
            self._pw.stop()

    def shoot(self, html: str, path: str | Path) -> Shot:
        """Render ``html`` full-page into ``path`` (PNG) and return element boxes by id."""
        page = self._page
        page.set_content(html, wait_until="load")
        found = page.evaluate(
            """() => Object.fromEntries([...document.querySelectorAll('[id]')].map(e => {
                   const r = e.getBoundingClientRect();
                   return [e.id, [r.left + scrollX, r.top + scrollY, r.right + scrollX,
                                  r.bottom + scrollY]];
               }))""")
        boxes = {k: (round(t), round(b)) for k, (_, t, _, b) in found.items()}
        rects = {k: (math.floor(x0), math.floor(y0), math.ceil(x1) - math.floor(x0),
                     math.ceil(y1) - math.floor(y0)) for k, (x0, y0, x1, y1) in found.items()}
        path = Path(path)
        page.screenshot(path=str(path), full_page=True)
        import pyvips

        image = pyvips.Image.new_from_file(str(path))
        return Shot(path, image.width, image.height, boxes, rects)


@dataclasses.dataclass
class EditedPair:
    """Two screenshots of a page before/after three DOM edits, with what was edited.

    ``edits`` lists ``(kind, element id)`` in page order: the removed section (its box is in
    ``a.boxes``), the inserted section (in ``b.boxes``), the heading whose text changed (in
    both).
    """

    a: Shot
    b: Shot
    edits: list[tuple[str, str]]

    def to_json(self) -> dict:
        return {"a": {"path": self.a.path.name, "height": self.a.height, "boxes": self.a.boxes},
                "b": {"path": self.b.path.name, "height": self.b.height, "boxes": self.b.boxes},
                "edits": self.edits}


def edited_sections(sections: list[Section], seed: int
                    ) -> tuple[list[Section], list[tuple[str, str]]]:
    """Remove the 3rd section, insert a new one after the 6th, change the next heading."""
    rng = random.Random(seed + 1000)
    body = [s for s in sections if s.id.startswith("s")]
    removed, after = body[2], body[5]
    heading = next(s for s in body[7:] if 'id="' + s.id + 'h"' in s.html)
    edited: list[Section] = []
    for section in sections:
        if section is removed:
            continue
        if section is heading:
            marker = f'<h2 id="{section.id}h">'
            section = Section(section.id, section.html.replace(marker, marker + "Edited: ", 1))
        edited.append(section)
        if section is after:
            edited.append(make_section(rng, "inserted"))
    edits = [("removed", removed.id), ("added", "inserted"), ("changed", heading.id + "h")]
    return edited, edits


def edited_pair(renderer: Renderer, folder: str | Path, *, seed: int = 5, n_sections: int = 10,
                plain: bool = True, name: str = "page") -> EditedPair:
    """Render a page and its edited version into ``folder``/``name``-a.png and -b.png."""
    folder = Path(folder)
    sections = make_page(seed, n_sections)
    edited, edits = edited_sections(sections, seed)
    shot_a = renderer.shoot(page_html(sections, plain=plain), folder / f"{name}-a.png")
    shot_b = renderer.shoot(page_html(edited, plain=plain), folder / f"{name}-b.png")
    return EditedPair(shot_a, shot_b, edits)
