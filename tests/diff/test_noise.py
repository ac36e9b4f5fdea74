"""Real-screenshot polish: rendering noise, one-glyph changes, ignore regions, moved sections.

Pages are rendered by Debian's chromium with CSS that anti-aliases (rounded corners, circles,
rotated text, shadows, gradients); edits are DOM edits with known element positions.
"""

from __future__ import annotations

import json
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rasterkit
from rasterkit.linediff.text import format_text
from tests.support.screenshots import (
    CSS,
    Section,
    card,
    edited_pair,
    make_page,
    page_html,
    sentence,
)

from .synthetic import WHITE, compose, random_section
from .test_diff_properties import build, check, edit_plans
from .test_screenshots import check_edits

TILE = 256  # Chromium's raster tile height


@pytest.mark.browser
@pytest.mark.parametrize("seed", [2, 6, 10])
def test_noisy_pages_show_only_the_real_edits(renderer, tmp_path, seed):
    pair = edited_pair(renderer, tmp_path, seed=seed, n_sections=14, plain=False)
    removed = pair.a.boxes[pair.edits[0][1]]
    assert (removed[1] - removed[0]) % TILE != 0  # the rest of the page shifts off the tiles
    check_edits(pair.a.path, pair.b.path, pair.a.boxes, pair.b.boxes, pair.edits)
    tolerant = rasterkit.diff(pair.a.path, pair.b.path)
    exact = rasterkit.diff(pair.a.path, pair.b.path, exact=True)
    assert tolerant.noise_rows > 0
    assert tolerant.noise_pixels >= tolerant.noise_rows
    assert len(exact.hunks) > len(tolerant.hunks)  # --exact shows the noise as hunks
    summary = tolerant.to_dict()["summary"]
    assert summary["noise_rows"] == tolerant.noise_rows
    assert tolerant.to_dict()["schema_version"] == 4


def prose_page(text: str) -> str:
    style = ("<style>p { font: 14px/20px 'DejaVu Sans', sans-serif; margin: 0 0 14px; } "
             "td { font: 14px/20px 'DejaVu Sans', sans-serif; }</style>")
    return f"<!doctype html><html><head><meta charset='utf-8'><style>{CSS}</style>{style}" \
           f"</head><body><main>{text}</main></body></html>"


@pytest.mark.browser
def test_one_glyph_and_one_digit_changes_are_found(renderer, tmp_path):
    rng = random.Random(3)
    paragraphs = [sentence(rng, 20, 40) + " " + sentence(rng, 20, 40) for _ in range(6)]
    numbers = [[rng.randint(1000, 9999) for _ in range(4)] for _ in range(8)]

    def page(paras, table):
        body = "".join(f'<p id="p{i}">{p}</p>' for i, p in enumerate(paras))
        rows = "".join("<tr>" + "".join(f'<td id="c{r}{c}">{v}</td>' for c, v in enumerate(row))
                       + "</tr>" for r, row in enumerate(table))
        return prose_page(body + f"<table>{rows}</table>")

    edited = list(paragraphs)
    edited[3] = edited[3].replace(".", ",", 1)  # one glyph: a full stop becomes a comma
    a = renderer.shoot(page(paragraphs, numbers), tmp_path / "a.png")
    b = renderer.shoot(page(edited, numbers), tmp_path / "b.png")
    (hunk,) = rasterkit.diff(a.path, b.path).hunks
    assert hunk.kind == "changed"
    top, bottom = a.boxes["p3"]
    assert top <= hunk.a[0] < hunk.a[1] <= bottom

    table = [list(row) for row in numbers]
    table[5][2] = table[5][2] + (1 if table[5][2] % 10 != 9 else -1)  # one digit changes
    c = renderer.shoot(page(paragraphs, table), tmp_path / "c.png")
    (hunk,) = rasterkit.diff(a.path, c.path).hunks
    assert hunk.kind == "changed"
    x, y, w, h = a.rects["c52"]
    assert y <= hunk.a[0] < hunk.a[1] <= y + h
    (box,) = hunk.boxes
    assert x <= box.a[0] < box.a[2] <= x + w


@pytest.mark.browser
@pytest.mark.parametrize("font", ["11px 'DejaVu Sans'", "14px 'DejaVu Serif'",
                                  "bold 12px 'DejaVu Sans Mono'"])
def test_small_glyph_edits_are_changes_not_noise(renderer, tmp_path, font):
    # Pairs whose difference is a few anti-aliased pixels: a tail, two dots, a stroke.
    edits = [(".", ","), ("a", "ä"), ("O", "Q"), ("c", "e"), ("1", "7"), ("i", "!"), (":", ";")]

    def page(glyph):
        return (f"<!doctype html><html><head><meta charset='utf-8'><style>body {{ margin: 4px; "
                f"background: #fff }} p {{ font: {font}; margin: 0 }}</style></head><body>"
                f"<p>Total {glyph} items in the cart</p></body></html>")

    for k, (before, after) in enumerate(edits):
        a = renderer.shoot(page(before), tmp_path / f"{k}a.png")
        b = renderer.shoot(page(after), tmp_path / f"{k}b.png")
        (hunk,) = rasterkit.diff(a.path, b.path).hunks
        assert hunk.kind == "changed", (before, after)


@pytest.mark.browser
def test_a_clock_is_a_hunk_unless_ignored(renderer, tmp_path, run_cli):
    sections = make_page(9, 8)

    def with_clock(time_text: str) -> str:
        html = page_html(sections)
        return html.replace("<span>Members</span>",
                            f'<span>Members</span><span id="clock">{time_text}</span>', 1)

    a = renderer.shoot(with_clock("12:03:45"), tmp_path / "a.png")
    b = renderer.shoot(with_clock("12:04:10"), tmp_path / "b.png")
    (hunk,) = rasterkit.diff(a.path, b.path).hunks
    x, y, w, h = a.rects["clock"]
    assert hunk.kind == "changed"
    assert y <= hunk.a[0] < hunk.a[1] <= y + h
    clock = ",".join(map(str, (x - 2, y - 2, w + 4, h + 4)))
    done = run_cli("diff", a.path, b.path, "--ignore", clock, "--json")
    assert done.returncode == 0, done.stdout
    data = json.loads(done.stdout)
    assert data["identical"] is True
    assert data["options"]["ignore_both"] == [[x - 2, y - 2, w + 4, h + 4]]
    # A pixel ignored in either image is ignored in both: B's rectangle covers A's clock too.
    assert run_cli("diff", a.path, b.path, "--ignore-b", clock).returncode == 0
    # A rectangle elsewhere leaves the clock compared.
    assert run_cli("diff", a.path, b.path, "--ignore", f"{x + w + 10},{y},40,{h}").returncode == 1
    picture = tmp_path / "ignored.png"
    assert run_cli("diff", a.path, b.path, "--ignore", clock, "-o", picture).returncode == 0
    import pyvips

    shown = pyvips.Image.new_from_file(str(picture))
    inside = shown.crop(x, 30 + y, w, h).avg()  # below the 30-row header
    plain = pyvips.Image.new_from_file(str(a.path)).crop(x, y, w, h).avg()
    assert abs(inside - plain) > 10  # drawn washed/hatched, not as the plain pixels


def cards_page(cards: list[str]) -> str:
    top = make_page(4, 0)[0]
    listing = Section("s0", f'<section id="s0"><div class="cards">{"".join(cards)}</div>'
                            '</section>')
    return page_html([top, listing])


@pytest.mark.browser
@pytest.mark.parametrize("edit", [False, True])
def test_a_card_moved_down_the_list_is_one_moved_hunk(renderer, tmp_path, edit, run_cli):
    rng = random.Random(12)
    cards = [card(rng, f"card{i}") for i in range(7)]
    moved = list(cards)
    mover = moved.pop(1)
    if edit:
        mover = mover.replace("<p>", "<p>Edited: ", 1)
    moved.insert(5, mover)
    a = renderer.shoot(cards_page(cards), tmp_path / "a.png")
    b = renderer.shoot(cards_page(moved), tmp_path / "b.png")
    result = rasterkit.diff(a.path, b.path)
    (hunk,) = [h for h in result.hunks if h.kind == "moved"]
    assert [h.kind for h in result.hunks] == ["moved"]
    top_a, bottom_a = a.boxes["card1"]
    top_b, bottom_b = b.boxes["card1"]
    assert hunk.a[0] <= top_a + 2
    assert hunk.a[1] >= bottom_a - 2
    assert hunk.b[0] <= top_b + 2
    assert hunk.b[1] >= bottom_b - 2
    assert hunk.a_rows - (bottom_a - top_a) < 40
    if edit:
        assert hunk.changed_pixels > 50
        assert all(top_b <= box.b[1] < box.b[3] <= bottom_b for box in hunk.boxes)
    else:
        assert hunk.changed_pixels == 0
    done = run_cli("diff", a.path, b.path, "--json")
    assert [h["kind"] for h in json.loads(done.stdout)["hunks"]] == ["moved"]
    assert "moved" in run_cli("diff", a.path, b.path).stdout
    split = rasterkit.diff(a.path, b.path, moves=False)
    assert sorted(h.kind for h in split.hunks) == ["added", "removed"]


def add_noise(image: np.ndarray, rng: np.random.Generator, rows: int) -> np.ndarray:
    """Shift a few pixels of ``rows`` random content rows by up to 8 grey levels (below the
    threshold). Content rows only: rendering noise lives on the edges of what is drawn, not
    in flat background (where it would make runs of blank rows ambiguous to align)."""
    noisy = image.astype(np.int16)
    content = np.flatnonzero((image != WHITE).any(axis=(1, 2)))
    for y in rng.choice(content, size=min(rows, len(content)), replace=False):
        xs = rng.choice(image.shape[1], size=min(3, image.shape[1]), replace=False)
        noisy[y, xs] += rng.integers(-8, 9, size=(len(xs), 1))
    return noisy.clip(0, 255).astype(np.uint8)


@settings(max_examples=40, deadline=None)
@given(plan=edit_plans(), seed=st.integers(0, 2**32 - 1), bands=st.sampled_from([1, 3, 4]),
       noise=st.integers(1, 30), width=st.integers(48, 160))
def test_random_edits_with_sub_threshold_noise_are_recovered(plan, seed, bands, noise, width):
    n, ops = plan
    a, b, edits = build(seed, n, ops, width, bands)
    noisy = add_noise(b, np.random.default_rng(seed), noise)
    result = rasterkit.diff(a, noisy, merge_gap=0)
    check(result, a, noisy, edits)
    edited = {y for _, _, rows in edits if rows for y in range(*rows)}
    noisy_rows = set(np.flatnonzero((noisy != b).any(axis=(1, 2))).tolist()) - edited
    assert result.noise_rows >= (1 if noisy_rows else 0)
    exact = rasterkit.diff(a, noisy, merge_gap=0, exact=True)
    assert len(exact.hunks) >= len(result.hunks)


def test_noise_rows_form_similar_runs_between_hunks():
    rng = np.random.default_rng(4)
    a = compose([random_section(rng, 50) for _ in range(8)], 50)
    y = int(np.flatnonzero((a[:, 10] < 200).all(axis=1))[5])  # a content row, dark at x=10
    b = a.copy()
    b[y, 10] += 5
    result = rasterkit.diff(a, b)
    assert result.identical
    assert result.noise_rows == 1
    assert result.noise_pixels == 1
    assert [run.kind for run in result.runs] == ["equal", "similar", "equal"]
    assert format_text(result).endswith("identical; 1 row of rendering noise ignored\n")
    exact = rasterkit.diff(a, b, exact=True)
    assert [(h.kind, h.a) for h in exact.hunks] == [("changed", (y, y + 1))]
