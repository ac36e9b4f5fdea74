"""Screenshot assertions for tests, and the pytest plugin that goes with them.

::

    from rasterkit.testing import assert_image_matches

    def test_home(page):                                   # e.g. a Playwright page
        assert_image_matches(page.screenshot(full_page=True), "snapshots/home.png")

On a difference the assertion fails with one line per hunk, the path of an HTML report (the
aligned diff of the snapshot and the new image) and the command that accepts the change. A
missing snapshot fails the same way. ``pytest --rasterkit-update`` (or the environment
variable ``RASTERKIT_UPDATE=1``) writes the new image as the snapshot instead, and passes.

The plugin is registered through the ``pytest11`` entry point, so installing rasterkit is
enough; it only adds the ``--rasterkit-update`` option.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path
from typing import Any

#: Environment variable that, set to 1 / true / yes, accepts new snapshots.
UPDATE_VARIABLE = "RASTERKIT_UPDATE"
#: Reports of failed assertions go to this folder beside the snapshot.
REPORT_FOLDER = ".rasterkit-reports"

_update_flag = False


def update_requested() -> bool:
    """True when snapshots should be (re)written: ``--rasterkit-update`` or the variable."""
    value = os.environ.get(UPDATE_VARIABLE, "").strip().lower()
    return _update_flag or value in ("1", "true", "yes", "on")


def _as_image(actual: Any) -> Any:
    """A path, numpy array, pyvips image, or encoded image bytes (a PNG from a browser)."""
    if isinstance(actual, bytes | bytearray | memoryview):
        import pyvips

        from .errors import BadInputError

        try:
            return pyvips.Image.new_from_buffer(bytes(actual), "")
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


def assert_image_matches(actual: Any, snapshot: str | os.PathLike[str], *,
                         report: str | os.PathLike[str] | None = None, **options: Any) -> None:
    """Fail unless ``actual`` matches the snapshot image at ``snapshot`` (a line-oriented
    :func:`rasterkit.diff`, tolerant of rendering noise unless ``exact=True``).

    Parameters
    ----------
    actual : path, numpy array, pyvips image, or encoded image bytes (PNG, JPEG, ...).
    snapshot : path of the expected image; written when missing and updates are requested.
    report : where to write the HTML report on failure (default
        ``<snapshot folder>/.rasterkit-reports/<snapshot name>.html``).
    options : keyword arguments of :func:`rasterkit.diff` (``threshold``, ``ignore``, ...).

    Raises
    ------
    AssertionError
        With the hunks, the report's path and the command to accept the change.
    """
    from . import diff
    from .diff.report import write_report
    from .diff.text import found, hunk_line

    image = _as_image(actual)
    snapshot = Path(snapshot)
    if update_requested():
        if not snapshot.exists() or not diff(snapshot, image, **options).identical:
            _write_snapshot(image, snapshot)
        return
    if not snapshot.exists():
        raise AssertionError(f"no snapshot {snapshot}; to create it run: {_accept_command()} "
                             f"(or set {UPDATE_VARIABLE}=1)")
    result = diff(snapshot, image, **options)
    if result.identical:
        return
    page = Path(report) if report is not None else \
        snapshot.parent / REPORT_FOLDER / f"{snapshot.name}.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    write_report(result, page)
    lines = [f"image differs from snapshot {snapshot}: {found(result)}",
             *(f"  {hunk_line(h)}" for h in result.hunks),
             f"  report: {page}",
             f"  to accept the new image: {_accept_command()} (or {UPDATE_VARIABLE}=1)"]
    raise AssertionError("\n".join(lines))


def pytest_addoption(parser: Any) -> None:
    group = parser.getgroup("rasterkit")
    group.addoption("--rasterkit-update", action="store_true", default=False,
                    help="write new images as snapshots in assert_image_matches "
                         f"(same as {UPDATE_VARIABLE}=1)")


def pytest_configure(config: Any) -> None:
    global _update_flag
    _update_flag = bool(config.getoption("--rasterkit-update", default=False))
