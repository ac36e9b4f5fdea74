"""The HTML report, opened in Debian's chromium: hunk list, navigation, views, escaping, scale.

Every test here drives a real browser over a report written by the real command line.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import numpy as np
import pytest

from rasterkit.linediff.report import MARKER, folder_for

from .synthetic import compose, random_section
from .test_diff_inputs import save

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "diff"
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def report(tmp_path_factory, request):
    """The settings pair's report (written by the CLI) and its ``--json`` document."""
    import subprocess
    import sys

    folder = tmp_path_factory.mktemp("report")
    a, b = FIXTURES / "settings-a.png", FIXTURES / "settings-b.png"
    out = folder / "report.html"
    cli = [sys.executable, "-m", "rasterkit.cli.main", "diff", str(a), str(b)]
    done = subprocess.run([*cli, "-o", str(out)], capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    document = json.loads(subprocess.run([*cli, "--json"], capture_output=True,
                                         text=True).stdout)
    return out, document


def wait_until(page, expression: str, timeout: float = 30.0) -> None:
    """Poll ``expression`` until true. (Playwright's wait_for_function polls with eval, which
    the report's Content-Security-Policy forbids; evaluate goes through the debugger.)"""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {timeout} s: {expression}"
        time.sleep(0.05)


def scroller_shot(page) -> np.ndarray:
    import pyvips

    image = pyvips.Image.new_from_buffer(page.locator("#scroller").screenshot(), "")
    return np.ndarray(buffer=image.write_to_memory(), dtype=np.uint8,
                      shape=(image.height, image.width, image.bands))[:, :, :3]


def rect(page, selector: str) -> dict:
    return page.eval_on_selector(selector, "e => e.getBoundingClientRect().toJSON()")


def test_hunk_list_matches_the_json(open_page, report):
    out, document = report
    page, events = open_page(out)
    items = page.eval_on_selector_all(
        "#hunk-list li", "els => els.map(e => [e.dataset.kind, "
                         "e.querySelector('.range').textContent])")
    expected = [[h["kind"], f"-{h['a'][0]}:{h['a'][1]} +{h['b'][0]}:{h['b'][1]}"]
                for h in document["hunks"]]
    assert items == expected
    assert len(expected) == 3
    embedded = json.loads(page.eval_on_selector("#diff-data", "e => e.textContent"))
    assert [{k: h[k] for k in ("kind", "a", "b", "changed_pixels", "boxes", "fingerprint", "x")}
            for h in embedded["hunks"]] == document["hunks"]
    assert events["errors"] == []
    assert events["requests"] == []


def test_next_key_scrolls_both_sides_to_the_hunk_and_keeps_them_aligned(open_page, report):
    out, document = report
    page, _ = open_page(out)
    view = rect(page, "#scroller")
    for index in range(len(document["hunks"])):
        before = page.eval_on_selector("#scroller", "e => e.scrollTop")
        page.keyboard.press("n")
        assert page.evaluate("location.hash") == f"#hunk-{index + 1}"
        assert page.eval_on_selector("#scroller", "e => e.scrollTop") > before
        tint_a = rect(page, f'#col-a .tint[data-hunk="{index}"]')
        tint_b = rect(page, f'#col-b .tint[data-hunk="{index}"]')
        assert abs(tint_a["top"] - tint_b["top"]) < 0.5
        assert abs(tint_a["height"] - tint_b["height"]) < 0.5
        assert view["top"] <= tint_a["top"] < view["top"] + view["height"]  # on screen
        gutter = rect(page, "#gutter")  # A's pane on its left, B's on its right
        assert tint_a["left"] < gutter["left"] < gutter["left"] + gutter["width"] <= \
            tint_b["left"] + tint_b["width"]
        # The same axis rows sit at the same height on both sides: tiles line up.
        tops = page.eval_on_selector_all(
            ".col img.tile", "els => els.map(e => [e.parentNode.id, e.dataset.tile, "
                             "e.getBoundingClientRect().top])")
        by_tile: dict[str, dict[str, float]] = {}
        for column, tile, top in tops:
            by_tile.setdefault(tile, {})[column] = top
        assert all(abs(t["col-a"] - t["col-b"]) < 0.5 for t in by_tile.values())
        current = page.eval_on_selector("#hunk-list li.current", "e => e.dataset.index")
        assert current == str(index)
    page.keyboard.press("k")
    assert page.evaluate("location.hash") == f"#hunk-{len(document['hunks']) - 1}"


def test_fragment_opens_at_its_hunk(open_page, report):
    out, _document = report
    page, _ = open_page(out, fragment="#hunk-2")
    assert page.eval_on_selector("#hunk-list li.current", "e => e.dataset.index") == "1"
    tint = rect(page, '#col-a .tint[data-hunk="1"]')
    view = rect(page, "#scroller")
    assert view["top"] <= tint["top"] < view["top"] + view["height"]


def test_every_view_renders_and_differs(open_page, report, keep_screenshot):
    out, _ = report
    page, events = open_page(out, width=1400, height=900)
    page.keyboard.press("n")  # the removed section: A has rows, B a gap
    shots = {}
    for key, view in enumerate(["aligned", "overlay", "swipe", "onion", "difference", "blink"],
                               start=1):
        page.keyboard.press(str(key))
        assert f"view-{view}" in page.evaluate("document.body.className").split()
        wait_until(page, "[...document.querySelectorAll('img.tile')]"
                         ".filter(i => i.src).every(i => i.complete)")
        shot = scroller_shot(page)
        keep_screenshot(page, f"report-view-{view}")
        assert shot.std() > 20, view  # not blank
        shots[view] = shot
    names = list(shots)
    height = min(shot.shape[0] for shot in shots.values())  # the toolbar may wrap
    shots = {view: shot[:height] for view, shot in shots.items()}
    for i, first in enumerate(names):
        for second in names[i + 1:]:
            assert np.abs(shots[first].astype(int) - shots[second]).mean() > 1, (first, second)
    assert events["errors"] == []


def test_zoom_fit_and_one_to_one(open_page, report):
    out, document = report
    page, _ = open_page(out, width=1300)
    width = document["a"]["width"]
    fit = page.eval_on_selector('.col img.tile', "e => e.getBoundingClientRect().width")
    assert fit < width  # two 1400 px columns fit in 1300 px only scaled down
    page.keyboard.press("o")
    assert page.eval_on_selector('.col img.tile', "e => e.getBoundingClientRect().width") == \
        pytest.approx(width, abs=0.5)
    page.keyboard.press("f")
    assert page.eval_on_selector('.col img.tile', "e => e.getBoundingClientRect().width") == \
        pytest.approx(fit, abs=0.5)


def test_highlight_toggle_hides_the_outlines(open_page, report):
    out, _ = report
    page, _ = open_page(out)
    assert page.locator(".box").count() > 0
    assert page.eval_on_selector(".box", "e => getComputedStyle(e).display") != "none"
    page.keyboard.press("h")
    assert page.eval_on_selector(".box", "e => getComputedStyle(e).display") == "none"
    assert not page.is_checked("#highlight")


def test_hostile_file_name_renders_as_text(open_page, tmp_path, run_cli):
    name = "<img src=x onerror=alert(1)>.png"
    a, b = tmp_path / name, tmp_path / "b&<svg onload=alert(2)>.png"
    shutil.copy(FIXTURES / "dashboard-a.png", a)
    shutil.copy(FIXTURES / "dashboard-b.png", b)
    out = tmp_path / "r.html"
    assert run_cli("diff", a, b, "-o", out).returncode == 1
    page, events = open_page(out)
    page.wait_for_timeout(300)
    assert events["dialogs"] == []
    assert page.locator("img[src=x]").count() == 0
    assert page.locator("svg").count() == 0
    assert page.locator("script").count() == 3  # two data blocks (diff, pair links), the script
    header = page.inner_text("header")
    assert name in header
    assert "b&<svg onload=alert(2)>.png" in header
    assert page.title() == f"diff {name} {b.name}"


def test_thirty_thousand_rows_open_quickly_and_load_lazily(open_page, tmp_path):
    rng = np.random.default_rng(30)
    sections = []
    while sum(s.height for s in sections) < 30_000:
        sections.append(random_section(rng, 1400, content=(20, 120), gap=(10, 60)))
    a = compose(sections, 1400)
    b = compose([*sections[:40], random_section(rng, 1400), *sections[41:]], 1400)
    path_a, path_b = save(a, tmp_path / "a.png"), save(b, tmp_path / "b.png")
    from rasterkit import diff
    from rasterkit.linediff.report import write_report

    info = write_report(diff(path_a, path_b), tmp_path / "big.html")
    tiles = info.tiles
    assert len(a) >= 30_000
    page, events = open_page(info.path)
    loaded = [u for u in events["files"] if "/big_files/" in u and "minimap" not in u]
    assert 0 < len(loaded) < tiles / 3  # only the tiles near the view
    page.keyboard.press("n")
    page.wait_for_timeout(300)
    assert len([u for u in events["files"] if "/big_files/" in u]) > len(loaded)
    assert events["requests"] == []


# ---- writing the report (no browser needed, but kept beside its siblings) ------------------

def test_report_files_and_atomic_replacement(tmp_path, run_cli):
    a, b = FIXTURES / "dashboard-a.png", FIXTURES / "dashboard-b.png"
    out = tmp_path / "r.html"
    assert run_cli("diff", a, b, "-o", out).returncode == 1
    folder = folder_for(out)
    assert (folder / MARKER).exists()
    first = sorted(p.name for p in folder.iterdir())
    assert "minimap.png" in first
    assert "a-0000.png" in first
    assert "b-0000.png" in first
    assert run_cli("diff", a, a, "-o", out).returncode == 0  # replaces the earlier report
    assert not any(p.name.startswith("d-") for p in folder.iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html", "r_files"]


def test_report_refuses_a_folder_it_did_not_make(tmp_path, run_cli):
    out = tmp_path / "r.html"
    folder_for(out).mkdir()
    (folder_for(out) / "precious.txt").write_text("keep me")
    done = run_cli("diff", FIXTURES / "dashboard-a.png", FIXTURES / "dashboard-b.png", "-o", out)
    assert done.returncode == 2
    assert "was not made by rasterkit" in done.stderr
    assert (folder_for(out) / "precious.txt").read_text() == "keep me"
    assert not out.exists()


def test_report_never_swallows_an_input(tmp_path, run_cli):
    folder = tmp_path / "r_files"
    folder.mkdir()
    (folder / MARKER).touch()
    a = folder / "a.png"
    shutil.copy(FIXTURES / "dashboard-a.png", a)
    done = run_cli("diff", a, FIXTURES / "dashboard-b.png", "-o", tmp_path / "r.html")
    assert done.returncode == 2
    assert "holds the input" in done.stderr
    assert a.exists()


def test_a_failing_report_leaves_nothing(tmp_path, monkeypatch):
    import rasterkit
    from rasterkit.linediff import report as report_module

    def broken(*args, **kwargs):
        raise OSError("disk full")

    from rasterkit.linediff.report import page as page_module

    monkeypatch.setattr(page_module, "build_page", broken)
    result = rasterkit.diff(FIXTURES / "dashboard-a.png", FIXTURES / "dashboard-b.png")
    from rasterkit.errors import OutputError

    with pytest.raises(OutputError, match=r"r\.html: cannot write \(disk full\)"):
        report_module.write_report(result, tmp_path / "r.html")
    assert list(tmp_path.iterdir()) == []
