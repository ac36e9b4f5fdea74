"""Screenshot assertions for tests, and the pytest plugin that goes with them.

::

    from rasterkit.testing import assert_image_matches

    def test_home(page):                                   # e.g. a Playwright page
        assert_image_matches(page.screenshot(full_page=True), "snapshots/home.png")

    def test_settings(page, rasterkit_snapshot):           # the fixture names the snapshot
        rasterkit_snapshot(page.screenshot(full_page=True), max_changed_rows=10)

On a difference beyond the budgets (``max_changed_rows``, ``max_changed_pixels``; 0 by
default) the assertion fails with one line per hunk, the folder holding the snapshot
(``expected.png``), the new image (``actual.png``) and an HTML report of their aligned diff,
and the command that accepts the change. The folder is under the artifacts folder (outside the
source tree: ``--rasterkit-artifacts DIR`` or ``$RASTERKIT_ARTIFACTS``, else
``<temporary folder>/rasterkit-artifacts``; a CI job uploads it) and is removed when the same
assertion passes again. A missing snapshot fails with the command to create it;
``pytest --rasterkit-update`` (or ``RASTERKIT_UPDATE=1``) writes new images as snapshots and
passes. Failures show no frames of rasterkit's own code.

The ``rasterkit_snapshot`` fixture names snapshots after the test, as Playwright does:
``<test folder>/__snapshots__/<test file stem>/<test name>.png`` (``-NAME`` when a name is
given, ``-2``, ``-3``, ... for further unnamed calls in one test).

The plugin is registered through the ``pytest11`` entry point, so installing rasterkit is
enough.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

try:  # the assertion works without pytest; the fixture and the plugin need it
    import pytest
except ImportError:  # pragma: no cover - pytest is in every test environment
    pytest = None  # type: ignore[assignment]

#: Environment variable that, set to 1 / true / yes, accepts new snapshots.
UPDATE_VARIABLE = "RASTERKIT_UPDATE"
#: Environment variable naming the artifacts folder (expected, actual, report of failures).
ARTIFACTS_VARIABLE = "RASTERKIT_ARTIFACTS"

_update_flag = False
_artifacts_option: str | None = None


def artifacts_folder() -> Path:
    """Where failed assertions keep their evidence (see the module notes)."""
    chosen = _artifacts_option or os.environ.get(ARTIFACTS_VARIABLE)
    return Path(chosen) if chosen else Path(tempfile.gettempdir()) / "rasterkit-artifacts"


def _slug(text: str) -> str:
    """A file-name-safe form of a snapshot path or test name."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "image"


def update_requested() -> bool:
    """True when snapshots should be (re)written: ``--rasterkit-update`` or the variable."""
    value = os.environ.get(UPDATE_VARIABLE, "").strip().lower()
    return _update_flag or value in ("1", "true", "yes", "on")


def _as_image(actual: Any) -> Any:
    """A path, numpy array, pyvips image, or encoded image bytes (a PNG from a browser)."""
    if isinstance(actual, bytes | bytearray | memoryview):
        import pyvips

        from .errors import BadInputError
        from .io import load_buffer

        try:
            return load_buffer(bytes(actual))
        except pyvips.Error:
            raise BadInputError("the image given as bytes is not an image") from None
    return actual


def _write_snapshot(image: Any, snapshot: Path) -> None:
    from .io import open_image, save_image

    snapshot.parent.mkdir(parents=True, exist_ok=True)
    save_image(open_image(image, access="random"), snapshot)


def _accept_command() -> str:
    args = [a for a in sys.argv[1:] if a != "--rasterkit-update"]
    return shlex.join(["pytest", *args, "--rasterkit-update"]) if args else \
        "pytest --rasterkit-update"


def changed_amount(result: Any) -> tuple[int, int]:
    """``(rows, pixels)`` a diff changed: each hunk's taller side in rows; for pixels, the
    differing pixels of a changed hunk and every pixel of a removed, added or moved one (in
    its columns, for a hunk inside one column of the page)."""
    rows = pixels = 0
    for hunk in result.hunks:
        rows += max(hunk.a_rows, hunk.b_rows)
        if hunk.kind == "changed":
            pixels += hunk.changed_pixels or 0
        elif result.in_column(hunk):
            pixels += max(hunk.a_rows, hunk.b_rows) * (hunk.x[1] - hunk.x[0])
        else:
            width = result.b.width if hunk.kind == "added" else result.a.width
            pixels += max(hunk.a_rows, hunk.b_rows) * width
    return rows, pixels


def assert_image_matches(actual: Any, snapshot: str | os.PathLike[str], *,
                         max_changed_rows: int = 0, max_changed_pixels: int = 0,
                         report: str | os.PathLike[str] | None = None,
                         **options: Any) -> None:
    """Fail unless ``actual`` matches the snapshot image at ``snapshot`` (a line-oriented
    :func:`rasterkit.diff`, tolerant of rendering noise unless ``exact=True``), within the
    budgets.

    Parameters
    ----------
    actual : path, numpy array, pyvips image, or encoded image bytes (PNG, JPEG, ...).
    snapshot : path of the expected image; written when missing and updates are requested.
    max_changed_rows, max_changed_pixels : int
        Pass while the diff changes at most this many rows and pixels (see
        :func:`changed_amount`; both 0 by default: any difference fails).
    report : where to write the HTML report on failure (default: ``report.html`` in the
        assertion's artifacts folder).
    options : keyword arguments of :func:`rasterkit.diff` (``threshold``, ``ignore``, ...),
        over those of the project's configuration for the snapshot's path
        (:mod:`rasterkit.config`, found from the current folder).

    Raises
    ------
    AssertionError
        With the hunks, the artifacts folder and the command to accept the change.
    """
    __tracebackhide__ = True
    from . import config
    from .linediff import diff
    from .linediff.options import DiffOptions

    image = _as_image(actual)
    snapshot = Path(snapshot)
    options = config.layer(config.load().diff_options((snapshot, actual)), options)
    DiffOptions.check(options)
    evidence = artifacts_folder() / _slug(os.fspath(snapshot.resolve()))
    if update_requested():
        if not snapshot.exists() or not diff(snapshot, image, **options).identical:
            _write_snapshot(image, snapshot)
        shutil.rmtree(evidence, ignore_errors=True)
        return
    if not snapshot.exists():
        raise AssertionError(f"no snapshot {snapshot}; to create it run: {_accept_command()} "
                             f"(or set {UPDATE_VARIABLE}=1)")
    result = diff(snapshot, image, **options)
    rows, pixels = changed_amount(result)
    if rows <= max_changed_rows and pixels <= max_changed_pixels:
        shutil.rmtree(evidence, ignore_errors=True)
        return
    page = _keep_evidence(result, snapshot, image, evidence, report)
    budget = (f" (budget: {max_changed_rows:,} rows, {max_changed_pixels:,} px; changed "
              f"{rows:,} rows, {pixels:,} px)" if max_changed_rows or max_changed_pixels
              else "")
    from .linediff.text import found, hunk_line

    lines = [f"image differs from snapshot {snapshot}: {found(result)}{budget}",
             *(f"  {hunk_line(h, column=result.in_column(h))}" for h in result.hunks),
             f"  expected, actual and report: {evidence}",
             f"  report: {page}",
             f"  to accept the new image: {_accept_command()} (or {UPDATE_VARIABLE}=1)"]
    raise AssertionError("\n".join(lines))


def _keep_evidence(result: Any, snapshot: Path, image: Any, evidence: Path,
                   report: str | os.PathLike[str] | None) -> Path:
    """Write ``expected.png``, ``actual.png`` and the report into ``evidence``; returns the
    report's path."""
    from .io import open_image, save_image
    from .linediff.report import write_report

    shutil.rmtree(evidence, ignore_errors=True)
    evidence.mkdir(parents=True)
    shutil.copyfile(snapshot, evidence / f"expected{snapshot.suffix.lower() or '.png'}")
    save_image(open_image(image, access="random"), evidence / "actual.png")
    page = Path(report) if report is not None else evidence / "report.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    write_report(result, page)
    return page


def _snapshot_fixture(request: Any) -> Any:
    """``check(actual, name=None, **options)``: :func:`assert_image_matches` against a
    snapshot named after the test (see the module notes)."""
    node = request.node
    folder = Path(node.path).parent / "__snapshots__" / Path(node.path).stem
    unnamed = 0

    def check(actual: Any, name: str | None = None, **options: Any) -> None:
        __tracebackhide__ = True
        nonlocal unnamed
        if name is None:
            unnamed += 1
            suffix = "" if unnamed == 1 else f"-{unnamed}"
        else:
            suffix = f"-{_slug(name)}"
        assert_image_matches(actual, folder / f"{_slug(node.name)}{suffix}.png", **options)

    return check


if pytest is not None:
    rasterkit_snapshot = pytest.fixture(_snapshot_fixture, name="rasterkit_snapshot")


def pytest_addoption(parser: Any) -> None:
    group = parser.getgroup("rasterkit")
    group.addoption("--rasterkit-update", action="store_true", default=False,
                    help="write new images as snapshots in assert_image_matches "
                         f"(same as {UPDATE_VARIABLE}=1)")
    group.addoption("--rasterkit-artifacts", metavar="DIR", default=None,
                    help="keep expected, actual and report of failed image assertions in DIR "
                         f"(same as {ARTIFACTS_VARIABLE}=DIR; default: a folder in the "
                         "temporary folder)")


def pytest_configure(config: Any) -> None:
    global _update_flag, _artifacts_option
    _update_flag = bool(config.getoption("--rasterkit-update", default=False))
    _artifacts_option = config.getoption("--rasterkit-artifacts", default=None)
