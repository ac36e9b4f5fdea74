"""HTML of the corpus pages, built from the UI sections of :mod:`tests.support.screenshots`.

A page is a list of sections (HTML snippets with element ids) plus extra CSS and a viewport
width; edits are list operations, so the element that changed is known by its id.
"""

from __future__ import annotations

import dataclasses
import random

from tests.support.screenshots import Section, card, make_page, page_html, sentence

#: Rendering noise that a reader cannot see: sub-pixel shifts of anti-aliased shapes and
#: text, one-level colour changes of dithered gradients and shadows (what another GPU or
#: rasteriser tile gives).
NOISE_CSS = (
    ".card .tag { transform: rotate(-4deg) translateY(0.35px); }",
    ".avatar { transform: translateY(0.4px); }",
    ".toggle::after { transform: translateX(0.3px); }",
    ".chart { background: linear-gradient(90deg, #dcf4ff, #55aeff) !important; }",
    ".card { box-shadow: 0 1px 3px rgba(31,35,40,0.13) !important; }",
)


def noise_css(index: int) -> tuple[str, ...]:
    """The noise of noise pair ``index``: each source of :data:`NOISE_CSS` alone, then the
    colour changes together, then everything."""
    alone = [(rule,) for rule in NOISE_CSS]
    return (*alone, NOISE_CSS[3:], NOISE_CSS)[index % (len(NOISE_CSS) + 2)]


LEFT_ALIGNED_CSS = "main { margin: 0 0 0 40px; }"
COLUMNS_CSS = """
.columns { display: grid; gap: 24px; align-items: start; }
.columns .card { margin-bottom: 16px; }
"""


@dataclasses.dataclass
class Page:
    """What to render: sections in order, extra CSS, the viewport width (CSS pixels)."""

    sections: list[Section]
    css: str = ""
    width: int = 1400
    plain: bool = False

    def html(self) -> str:
        """The whole HTML document."""
        document = page_html(self.sections, plain=self.plain)
        return document.replace("</style>", self.css + "</style>", 1)


def base_page(rng: random.Random, n_sections: int) -> list[Section]:
    """A settings-like page (top bar, title, ``n_sections`` random sections), seeded."""
    return make_page(rng.randrange(1 << 30), n_sections)


def body_indices(sections: list[Section]) -> list[int]:
    """Indices of the random body sections (ids ``s0``, ``s1``...)."""
    return [i for i, s in enumerate(sections) if s.id.startswith("s")]


def cards_section(sid: str, cards: list[str]) -> Section:
    """A section titled "Cards" holding the given card HTML snippets in a column."""
    return Section(sid, f'<section id="{sid}"><h2 id="{sid}h">Cards</h2>'
                        f'<div class="cards">{"".join(cards)}</div></section>')


def identical_cards(rng: random.Random, sid: str, n_cards: int) -> list[str]:
    """``n_cards`` cards that render identically (ids ``{sid}c0``..., ids do not render)."""
    first = card(rng, f"{sid}c0")
    return [first.replace(f'id="{sid}c0"', f'id="{sid}c{i}"') for i in range(n_cards)]


def alert_section(rng: random.Random, sid: str) -> Section:
    """A short section: one alert box (about 70 rows)."""
    return Section(sid, f'<section id="{sid}"><div class="alert" id="{sid}x">'
                        f'{sentence(rng, 10, 20)}</div></section>')


def columns_section(sid: str, columns: list[list[str]]) -> Section:
    """A grid with one column per list of card snippets (column ids ``{sid}k0``...)."""
    divs = "".join(f'<div id="{sid}k{k}">{"".join(cards)}</div>'
                   for k, cards in enumerate(columns))
    return Section(sid, f'<section id="{sid}"><div class="columns" style="grid-template-columns:'
                        f' repeat({len(columns)}, 1fr)">{divs}</div></section>')


def retitle_card(html: str, title: str) -> str:
    """A card snippet (from :func:`tests.support.screenshots.card`) with another title."""
    start = html.index("</span>", html.index('class="avatar"')) + len("</span>")
    return html[:start] + title + html[html.index('<span class="tag">', start):]


def retext_card(html: str, text: str) -> str:
    """A card snippet with another paragraph text."""
    start = html.index("<p>") + 3
    return html[:start] + text + html[html.index("</p>", start):]


def replace_in(section: Section, old: str, new: str) -> Section:
    """``section`` with the first ``old`` in its HTML replaced (which must be there)."""
    if old not in section.html:
        raise ValueError(f"{old!r} not in section {section.id}")
    return Section(section.id, section.html.replace(old, new, 1))
