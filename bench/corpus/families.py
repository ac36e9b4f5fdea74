"""The corpus: families of screenshot pairs, each pair a seeded (page A, page B, edits) spec.

Every builder takes a seeded ``random.Random`` and returns a :class:`Spec`; the edits name
element ids, and :mod:`bench.corpus.render` turns them into row ranges from the boxes the
browser reports.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable

from tests.support.screenshots import (
    Section,
    card,
    edited_sections,
    make_page,
    make_section,
    sentence,
)

from . import pages
from .pages import Page

#: (kind, element id in A or None, element id in B or None)
EditSpec = tuple[str, "str | None", "str | None"]


@dataclasses.dataclass
class Spec:
    """One pair to render: pages A and B and the edits between them."""

    name: str
    family: str
    a: Page
    b: Page
    edits: list[EditSpec]


def _page(rng: random.Random, low: int = 8, high: int = 12) -> list[Section]:
    return pages.base_page(rng, rng.randint(low, high))


def _pair_around(sections: list[Section], at: int, block_a: Section, block_b: Section,
                 **page: object) -> tuple[Page, Page]:
    """Pages A and B: ``sections`` with ``block_a`` (in A) or ``block_b`` (in B) at ``at``."""
    return (Page([*sections[:at], block_a, *sections[at:]], **page),
            Page([*sections[:at], block_b, *sections[at:]], **page))


def removed(rng: random.Random, index: int) -> tuple[Page, Page, list[EditSpec]]:
    """One section removed."""
    sections = _page(rng)
    victim = sections[rng.choice(pages.body_indices(sections)[1:])]
    plain = index % 2 == 0
    return (Page(sections, plain=plain), Page([s for s in sections if s is not victim],
                                              plain=plain), [("removed", victim.id, None)])


def added(rng: random.Random, index: int) -> tuple[Page, Page, list[EditSpec]]:
    """One new section inserted."""
    sections = _page(rng)
    at = rng.choice(pages.body_indices(sections)[1:])
    new = make_section(rng, "new")
    plain = index % 2 == 1
    return (Page(sections, plain=plain), Page([*sections[:at], new, *sections[at:]], plain=plain),
            [("added", None, "new")])


def _flip_toggle(section: Section, tid: str) -> tuple[Section, Section]:
    a = pages.replace_in(section, '<div class="toggle', f'<div id="{tid}" class="toggle')
    on, off = f'id="{tid}" class="toggle"', f'id="{tid}" class="toggle off"'
    b = (pages.replace_in(a, off, on) if off in a.html else pages.replace_in(a, on, off))
    return a, b


def _prefix_heading(section: Section, prefix: str) -> tuple[Section, str]:
    """The section with ``prefix`` put before its heading's text, and the heading's id."""
    hid = f"{section.id}h"
    return pages.replace_in(section, f'<h2 id="{hid}">', f'<h2 id="{hid}">{prefix} '), hid


def _with_heading(sections: list[Section]) -> list[int]:
    return [i for i in pages.body_indices(sections)
            if f'id="{sections[i].id}h"' in sections[i].html]


def changed(rng: random.Random, index: int) -> tuple[Page, Page, list[EditSpec]]:
    """Two same-size changes far apart: a heading's text, and a toggle flipped (or a second
    heading where no section has a toggle)."""
    sections = _page(rng, 10, 13)
    body = pages.body_indices(sections)
    with_heading = _with_heading(sections)
    first = rng.choice(with_heading[: len(with_heading) // 2])
    toggles = [i for i in body if i > first + 2 and 'class="toggle' in sections[i].html]
    after = [i for i in with_heading if i > first + 2] or with_heading[-1:]
    second = rng.choice(toggles or after)
    a, b = list(sections), list(sections)
    b[first], hid = _prefix_heading(sections[first], "Edited")
    edits: list[EditSpec] = [("changed", hid, hid)]
    if toggles:
        tid = f"{sections[second].id}t"
        a[second], b[second] = _flip_toggle(sections[second], tid)
        edits.append(("changed", tid, tid))
    else:
        b[second], hid2 = _prefix_heading(sections[second], "New")
        edits.append(("changed", hid2, hid2))
    return Page(a, plain=index % 2 == 0), Page(b, plain=index % 2 == 0), edits


def grown(rng: random.Random, index: int) -> tuple[Page, Page, list[EditSpec]]:
    """A card whose text became longer (taller card) or, every third pair, shorter."""
    sections = _page(rng, 6, 9)
    cards = [card(rng, f"g{i}") for i in range(rng.randint(4, 6))]
    k = rng.randrange(1, len(cards) - 1)
    long_text = " ".join(sentence(rng, 14, 24) for _ in range(4))
    a_cards, b_cards = list(cards), list(cards)
    if index % 3 == 2:
        a_cards[k] = pages.retext_card(cards[k], long_text)
    else:
        b_cards[k] = pages.retext_card(cards[k], long_text)
    at = rng.choice(pages.body_indices(sections))
    plain = index % 2 == 0
    return (*_pair_around(sections, at, pages.cards_section("g", a_cards),
                          pages.cards_section("g", b_cards), plain=plain),
            [("grown", f"g{k}", f"g{k}")])


def moved(rng: random.Random, index: int) -> tuple[Page, Page, list[EditSpec]]:
    """A short section (an alert) moved three to six sections down or up."""
    sections = _page(rng, 10, 13)
    mover = pages.alert_section(rng, "mv")
    body = pages.body_indices(sections)
    i = rng.choice(body[1:-7])
    j = i + rng.randint(3, 6)
    a = [*sections[:i], mover, *sections[i:]]
    b = [*sections[:j], mover, *sections[j:]]
    if index % 2:
        a, b = b, a
    return Page(a, plain=index % 3 == 0), Page(b, plain=index % 3 == 0), [("moved", "mv", "mv")]


def noise(rng: random.Random, index: int) -> tuple[Page, Page, list[EditSpec]]:
    """The same page twice, B with invisible rendering noise (no edits): one source of noise
    per pair, then all of them (:func:`bench.corpus.pages.noise_css`)."""
    sections = _page(rng, 8, 11)
    at = rng.choice(pages.body_indices(sections))
    sections.insert(at, pages.cards_section("n", [card(rng, f"n{i}") for i in range(3)]))
    css = " ".join(pages.noise_css(index))
    return Page(sections), Page(sections, css=css), []


def widths(rng: random.Random, index: int) -> tuple[Page, Page, list[EditSpec]]:
    """B rendered at another viewport width (a scrollbar, a window border), plus one removed
    section or one changed heading; the layout is left-aligned, so content keeps its place."""
    if index % 2:
        page_a, page_b, edits = removed(rng, index)
    else:
        sections = _page(rng)
        heading = rng.choice(_with_heading(sections))
        b = list(sections)
        b[heading], hid = _prefix_heading(sections[heading], "Edited")
        page_a, page_b, edits = Page(sections), Page(b), [("changed", hid, hid)]
    delta = rng.choice([-40, -17, -15, 15, 17, 64])
    css = pages.LEFT_ALIGNED_CSS
    return (dataclasses.replace(page_a, css=css),
            dataclasses.replace(page_b, css=css, width=1400 + delta), edits)


def repeated(rng: random.Random, index: int) -> tuple[Page, Page, list[EditSpec]]:
    """A list of 8 to 12 identical cards: one removed, one more inserted, or one retitled."""
    sections = _page(rng, 4, 6)
    cards = pages.identical_cards(rng, "r", rng.randint(8, 12))
    k = rng.randrange(1, len(cards) - 1)
    b_cards = list(cards)
    kind = ("removed", "added", "changed")[index % 3]
    if kind == "removed":
        del b_cards[k]
        edit: EditSpec = ("removed", f"rc{k}", None)
    elif kind == "added":
        b_cards.insert(k, cards[0].replace('id="rc0"', 'id="rnew"'))
        edit = ("added", None, "rnew")
    else:
        b_cards[k] = pages.retitle_card(cards[k], "Renamed card title")
        edit = ("changed", f"rc{k}", f"rc{k}")
    at = rng.choice(pages.body_indices(sections))
    plain = index % 2 == 0
    return (*_pair_around(sections, at, pages.cards_section("r", cards),
                          pages.cards_section("r", b_cards), plain=plain),
            [edit])


def columns(rng: random.Random, index: int) -> tuple[Page, Page, list[EditSpec]]:
    """Two or three columns of cards; one or two edits, each in its own column (a card
    removed, inserted or retitled), so the other columns keep their rows."""
    sections = _page(rng, 3, 5)
    n_columns = 2 + index % 2
    cols = [[card(rng, f"mk{k}c{i}") for i in range(rng.randint(4, 6))] for k in range(n_columns)]
    b_cols = [list(c) for c in cols]
    edits: list[EditSpec] = []
    for k in rng.sample(range(n_columns), 1 + index % 2):
        i = rng.randrange(1, len(cols[k]) - 1)
        kind = rng.choice(["removed", "added", "changed"])
        if kind == "removed":
            del b_cols[k][i]
            edits.append(("removed", f"mk{k}c{i}", None))
        elif kind == "added":
            b_cols[k].insert(i, card(rng, f"mk{k}new"))
            edits.append(("added", None, f"mk{k}new"))
        else:
            b_cols[k][i] = pages.retitle_card(cols[k][i], "Renamed in this column")
            edits.append(("changed", f"mk{k}c{i}", f"mk{k}c{i}"))
    at = rng.choice(pages.body_indices(sections))
    css = pages.COLUMNS_CSS
    return (*_pair_around(sections, at, pages.columns_section("mk", cols),
                          pages.columns_section("mk", b_cols), css=css), edits)


def tall(rng: random.Random, index: int) -> tuple[Page, Page, list[EditSpec]]:
    """About 30,000 rows: a section removed, one inserted, a heading changed (the edits of
    the diff benchmark's pages)."""
    seed = rng.randrange(1 << 20)
    sections = make_page(seed, 72)
    edited, edits = edited_sections(sections, seed)
    plain = index % 2 == 0
    specs: list[EditSpec] = [(kind, None if kind == "added" else eid,
                              None if kind == "removed" else eid) for kind, eid in edits]
    return Page(sections, plain=plain), Page(edited, plain=plain), specs


Builder = Callable[[random.Random, int], tuple[Page, Page, list[EditSpec]]]
#: family -> (builder, pairs in the full corpus, pairs with --quick)
FAMILIES: dict[str, tuple[Builder, int, int]] = {
    "removed": (removed, 7, 2), "added": (added, 7, 2), "changed": (changed, 7, 2),
    "grown": (grown, 7, 2), "moved": (moved, 7, 2), "noise": (noise, 7, 2),
    "widths": (widths, 6, 2), "repeated": (repeated, 7, 3), "columns": (columns, 7, 2),
    "tall": (tall, 5, 1),
}


def corpus(seed: int = 21, quick: bool = False, families: list[str] | None = None) -> list[Spec]:
    """Every pair of the corpus, deterministic for a ``seed``; ``quick``: a few per family."""
    specs = []
    for family, (builder, full, few) in FAMILIES.items():
        if families and family not in families:
            continue
        for index in range(few if quick else full):
            rng = random.Random(f"{seed}-{family}-{index}")
            a, b, edits = builder(rng, index)
            specs.append(Spec(f"{family}-{index:02d}", family, a, b, edits))
    return specs
