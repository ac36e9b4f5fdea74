"""Shared fixtures: a temporary folder of real image files, the CLI runner."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture
def run_cli():
    """Run ``rasterkit ARGS...`` in a subprocess; returns CompletedProcess (text mode)."""

    def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "rasterkit.cli.main", *map(str, args)],
                              capture_output=True, text=True, cwd=cwd, timeout=600)

    return run


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium, headless, driven by playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    from tests.support.screenshots import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def renderer(browser):
    """A page renderer at 1400 px on the shared browser (tests/support/screenshots.py), one per
    test module."""
    from tests.support.screenshots import Renderer

    with Renderer(browser=browser) as shared:
        yield shared


@pytest.fixture
def open_page(browser):
    """Open a local file in a fresh page; returns (page, events) where events records every
    dialog, page error and non-file request."""

    pages = []

    def open_(path: Path, *, width: int = 1600, height: int = 1000, fragment: str = ""):
        page = browser.new_page(viewport={"width": width, "height": height})
        events: dict[str, list] = {"dialogs": [], "errors": [], "requests": [], "files": []}
        page.on("dialog", lambda d: (events["dialogs"].append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: events["errors"].append(str(e)))
        page.on("request", lambda r: events["files" if r.url.startswith("file:")
                                            else "requests"].append(r.url))
        pages.append(page)
        page.goto(Path(path).resolve().as_uri() + fragment)
        page.wait_for_selector("body[data-ready]")
        return page, events

    yield open_
    for page in pages:
        page.close()


#: Where browser tests keep screenshots of what they looked at (git-ignored), for a person.
SCREENSHOTS = Path(__file__).resolve().parent.parent / "out" / "screenshots"


@pytest.fixture
def keep_screenshot():
    """``keep(page, name)``: save a PNG of the page as out/screenshots/NAME.png."""

    def keep(page, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path))
        return path

    return keep
