"""The report as a reviewer uses it (issue 19), in Debian's chromium at 1400 x 900: each pane
shows its own image's pixels inside a changed heading, text stays legible at "Fit", 1:1 shows
both A and B, zoom to the hunk and +/- work, moved hunks are visited at both places.
Screenshots of each state go to out/screenshots/ for a person to look at."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import pyvips

from .synthetic import compose, random_section
from .test_diff_inputs import save
from .test_report import rect, wait_until

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
pytestmark = pytest.mark.browser
#: 14 px text must be at least this tall on screen.
LEGIBLE = 10 / 14


def _report(tmp_path: Path, a: Path, b: Path) -> Path:
    out = tmp_path / "report.html"
    done = subprocess.run([sys.executable, "-m", "rasterkit.cli.main", "diff", str(a), str(b),
                           "-o", str(out), "-q"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr
    return out


@pytest.fixture(scope="module")
def examples_report(tmp_path_factory):
    """The bundled pair: a removed, an added and a changed section (a heading rewritten)."""
    return _report(tmp_path_factory.mktemp("review"), EXAMPLES / "before.png",
                   EXAMPLES / "after.png")


def _state(page) -> dict:
    """The panes on screen: scale, the scroller, and A's and B's visible pane rectangles."""
    scale = page.eval_on_selector(".col img.tile", "e => e.getBoundingClientRect().width") / \
        page.evaluate("JSON.parse(document.getElementById('diff-data').textContent).width")
    view, gutter = rect(page, "#scroller"), rect(page, "#gutter")
    return {"scale": scale, "view": view,
            "a": (max(view["left"], rect(page, "#col-a")["left"]), gutter["left"]),
            "b": (gutter["right"], min(view["right"], rect(page, "#col-b")["right"]))}


def _both_panes_visible(state: dict, least: float = 300) -> bool:
    view = state["view"]
    a0, a1 = state["a"]
    b0, b1 = state["b"]
    return (view["left"] <= a0 and a1 - a0 >= least and b1 <= view["right"] + 1
            and b1 - b0 >= least)


def _hunk(page, kind: str) -> int:
    kinds = page.eval_on_selector_all("#hunk-list li", "els => els.map(e => e.dataset.kind)")
    return kinds.index(kind)


def _go_to(page, index: int) -> None:
    for _ in range(index + 1):
        page.keyboard.press("n")


def _inside(box: dict, left: float, right: float, view: dict) -> bool:
    return (left - 0.5 <= box["left"] and box["right"] <= right + 0.5
            and view["top"] - 0.5 <= box["top"] and box["bottom"] <= view["bottom"] + 0.5)


def test_fit_keeps_text_legible_with_both_panes_on_screen(open_page, examples_report,
                                                          keep_screenshot):
    page, events = open_page(examples_report, width=1400, height=900)
    state = _state(page)
    assert state["scale"] >= LEGIBLE
    assert _both_panes_visible(state)
    keep_screenshot(page, "report-fit")
    # The panes scroll sideways together: A and B move by the same amount, the gutter stays.
    where = ("els => els.map(e => e.getBoundingClientRect().left)")
    before = page.eval_on_selector_all(".col img.tile[data-tile='0']", where)
    gutter = rect(page, "#gutter")
    shift = page.eval_on_selector("#scroller", "e => e.scrollWidth - e.clientWidth")
    assert shift > 50  # 1400 px pages do not fit whole at a legible scale: there is more
    page.eval_on_selector("#scroller", "e => { e.scrollLeft = e.scrollWidth; }")
    wait_until(page, "document.getElementById('scroller').scrollLeft > 0")
    after = page.eval_on_selector_all(".col img.tile[data-tile='0']", where)
    assert after[0] - before[0] == pytest.approx(-shift, abs=1)
    assert after[1] - before[1] == pytest.approx(-shift, abs=1)
    assert rect(page, "#gutter")["left"] == pytest.approx(gutter["left"], abs=0.5)
    assert events["errors"] == []


def test_one_to_one_shows_both_a_and_b(open_page, examples_report, keep_screenshot):
    page, _ = open_page(examples_report, width=1400, height=900)
    page.keyboard.press("o")
    state = _state(page)
    assert state["scale"] == pytest.approx(1)
    assert _both_panes_visible(state)
    assert page.inner_text("#zoom-level") == "100%"
    keep_screenshot(page, "report-one-to-one")


def test_plus_and_minus_zoom(open_page, examples_report):
    page, _ = open_page(examples_report, width=1400, height=900)
    page.keyboard.press("o")
    page.keyboard.press("+")
    assert _state(page)["scale"] == pytest.approx(1.25)
    page.keyboard.press("-")
    page.keyboard.press("-")
    assert _state(page)["scale"] == pytest.approx(0.8)
    assert page.inner_text("#zoom-level") == "80%"
    assert _both_panes_visible(_state(page))


def test_zoom_to_the_hunk_shows_it_in_both_panes(open_page, examples_report, keep_screenshot):
    page, _ = open_page(examples_report, width=1400, height=900)
    index = _hunk(page, "changed")
    _go_to(page, index)
    page.keyboard.press("z")
    state = _state(page)
    assert state["scale"] > LEGIBLE
    boxes = {side: rect(page, f"#col-{side} .box") for side in "ab"}
    assert _inside(boxes["a"], *state["a"], state["view"])
    assert _inside(boxes["b"], *state["b"], state["view"])
    keep_screenshot(page, "report-zoom-to-hunk")


def test_each_pane_shows_its_own_pixels_inside_the_changed_heading(open_page, examples_report,
                                                                   keep_screenshot):
    """At 1:1, the screen inside the changed heading's box is A's own pixels in A's pane and
    B's in B's pane: nothing of the other image, no tint, no highlight drawn over the text."""
    page, _ = open_page(examples_report, width=1400, height=900)
    data = page.evaluate("JSON.parse(document.getElementById('diff-data').textContent)")
    index = _hunk(page, "changed")
    _go_to(page, index)
    page.keyboard.press("o")
    page.keyboard.press("z")
    page.keyboard.press("o")  # back to 1:1, the hunk still in view
    wait_until(page, "[...document.querySelectorAll('img.tile')].filter(i => i.src)"
                     ".every(i => i.complete)")
    keep_screenshot(page, "report-changed-heading-one-to-one")
    shot = pyvips.Image.new_from_buffer(page.screenshot(), "").numpy()[:, :, :3]
    hunk = data["hunks"][index]
    (box,) = hunk["boxes"]
    state = _state(page)
    for side, path in (("a", EXAMPLES / "before.png"), ("b", EXAMPLES / "after.png")):
        x0, y0, x1, y1 = box[side]
        own = pyvips.Image.new_from_file(str(path)).numpy()[y0:y1, x0:x1, :3]
        # where image pixel (x0, y0) is on screen: the tile holding row y0 of this side
        axis_y0 = hunk["spans"][0][0] + (y0 - hunk[side][0])
        tile = axis_y0 // data["tiles"]["rows"]
        origin = page.eval_on_selector(f"#col-{side} img.tile[data-tile='{tile}']",
                                       "e => e.getBoundingClientRect().toJSON()")
        left = origin["left"] + x0
        top = origin["top"] + axis_y0 - tile * data["tiles"]["rows"]
        assert (left, top) == (int(left), int(top))  # whole pixels at 1:1
        assert state[side][0] <= left
        assert left + (x1 - x0) <= state[side][1]
        seen = shot[int(top):int(top) + (y1 - y0), int(left):int(left) + (x1 - x0)]
        assert seen.shape == own.shape
        assert np.array_equal(seen, own), (side, int(np.abs(seen.astype(int) - own).max()))


def test_a_moved_hunk_is_visited_at_both_places(open_page, tmp_path, keep_screenshot):
    rng = np.random.default_rng(5)
    sections = [random_section(rng, 300, content=(40, 60), gap=(20, 30)) for _ in range(30)]
    moved = [*sections[:3], *sections[4:25], sections[3], *sections[25:]]
    a = save(compose(sections, 300), tmp_path / "a.png")
    b = save(compose(moved, 300), tmp_path / "b.png")
    page, _ = open_page(_report(tmp_path, a, b), width=1400, height=900)
    index = _hunk(page, "moved")
    _go_to(page, index)
    spans = page.evaluate("JSON.parse(document.getElementById('diff-data').textContent)"
                          f".hunks[{index}].spans")
    assert len(spans) == 2
    view = rect(page, "#scroller")
    for place, word in enumerate(("from", "to")):
        if place:
            page.keyboard.press("n")
        assert f"moved: {word}" in page.inner_text("#position")
        tints = page.eval_on_selector_all(
            f'#col-a .tint[data-hunk="{index}"]', "els => els.map(e => e.getBoundingClientRect()"
            ".toJSON())")
        tint = sorted(tints, key=lambda t: t["top"])[place]
        assert view["top"] <= tint["top"] < view["bottom"], (place, tint, view)
        keep_screenshot(page, f"report-moved-{word}")
    # the link joining the two places spans from the first to the second
    link = rect(page, f'#gutter .link[data-hunk="{index}"]')
    bands = sorted(page.eval_on_selector_all(
        f'#gutter .band[data-hunk="{index}"]', "els => els.map(e => e.getBoundingClientRect()"
        ".toJSON())"), key=lambda r: r["top"])
    assert link["top"] <= bands[0]["top"] + 0.5
    assert link["bottom"] >= bands[1]["top"]
    page.keyboard.press("p")
    assert "moved: from" in page.inner_text("#position")
