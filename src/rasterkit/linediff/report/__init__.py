"""The interactive HTML report of a diff: ``report.html`` plus a ``report_files/`` folder.

Open ``report.html`` in any browser, offline: A and B aligned side by side with gaps where
one side lacks rows (the default view), overlay, swipe, onion skin, difference and blink views
of the same aligned pair, zoom to fit or 1:1, a hunk list, a minimap, and keys ``n``/``p``
(also ``j``/``k``) for the next/previous hunk, remembered in the URL (``#hunk-3``).

The images are not inlined: the aligned pair is cut into tiles of :data:`TILE_ROWS` axis rows
(:mod:`.tiles`), written as PNG into the folder and loaded as they scroll into view, so a
30,000-row pair opens at once. The folder and the page are written under temporary names and
renamed into place; a failed run leaves nothing behind, and an existing folder is replaced only
if an earlier report made it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from ...errors import OutputError
from ...io import check_output, is_inside, publish, temporary_folder_beside, write_failure
from ...progress import Progress
from ..result import DiffResult

#: Axis rows per tile (see :mod:`.tiles`).
TILE_ROWS = 512

#: Name of the empty file that marks a folder as a report's tile folder.
MARKER = ".rasterkit-report"
REPORT_SUFFIXES = {".html", ".htm"}

__all__ = ["TILE_ROWS", "ReportInfo", "folder_for", "write_report"]


@dataclasses.dataclass(frozen=True)
class ReportInfo:
    """What :func:`write_report` wrote: the page, its tile folder, their size in bytes, the
    number of tiles and the seconds it took."""

    path: Path
    folder: Path
    bytes: int
    tiles: int
    seconds: float


def folder_for(path: str | os.PathLike[str]) -> Path:
    """The tile folder of the report at ``path``: ``report.html`` -> ``report_files``."""
    out = Path(path)
    return out.with_name(f"{out.stem}_files")


def check_report_output(path: str | os.PathLike[str], inputs: tuple[Any, ...] = ()) -> Path:
    """Validate a report path before any work (suffix, folder, never over or around an input)."""
    out = check_output(path, inputs, REPORT_SUFFIXES)
    folder = folder_for(out)
    for source in inputs:
        if isinstance(source, str | os.PathLike) and is_inside(source, folder):
            raise OutputError(f"{out}: its folder {folder} holds the input {os.fspath(source)}")
    if folder.exists() and not (folder / MARKER).exists():
        raise OutputError(f"{out}: {folder} exists and was not made by rasterkit; "
                          "move it away or choose another report name")
    return out


def write_report(result: DiffResult, path: str | os.PathLike[str], *, view: str = "aligned",
                 inputs: tuple[Any, ...] = (), tile_rows: int = TILE_ROWS,
                 workers: int | None = None, progress: bool = False) -> ReportInfo:
    """Write the HTML report of ``result`` to ``path`` and its tiles beside it.

    Parameters
    ----------
    result : DiffResult
        A diff made by :func:`rasterkit.diff` (it holds the decoded images).
    path : path ending in ``.html``
        The page; the tiles go to :func:`folder_for` ``(path)``.
    view : {"aligned", "overlay", "swipe", "onion", "difference", "blink"}
        The view the page opens with.
    inputs : paths the report must not overwrite (the result's own inputs always count).
    tile_rows : axis rows per tile.
    workers : threads that encode tiles (default: one per core).
    progress : show a progress bar on a terminal.

    Returns
    -------
    ReportInfo

    Example
    -------
    >>> import rasterkit                                      # doctest: +SKIP
    >>> from rasterkit.linediff.report import write_report        # doctest: +SKIP
    >>> write_report(rasterkit.diff("a.png", "b.png"), "report.html").folder  # doctest: +SKIP
    PosixPath('report_files')
    """
    from .page import build_page
    from .tiles import write_tiles

    start = time.perf_counter()
    protected = (*inputs, *(p for p in (result.a.path, result.b.path) if p))
    out = check_report_output(path, protected)
    folder = folder_for(out)
    parent = out.parent if str(out.parent) else Path(".")
    staging = temporary_folder_beside(folder, suffix="")
    page_tmp: Path | None = None
    try:
        (staging / MARKER).touch()
        count = -(-result.axis_height // tile_rows)
        with Progress(count, "report", enabled=progress) as bar:
            tiles = write_tiles(result, staging, tile_rows=tile_rows, workers=workers,
                                advance=bar.advance)
        page = build_page(result, tiles, folder.name, view)
        fd, name = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=".part.html", dir=parent)
        page_tmp = Path(name)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(page)
        _swap_folder(staging, folder)
        publish(page_tmp, out)
    except BaseException as error:
        shutil.rmtree(staging, ignore_errors=True)
        if page_tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                page_tmp.unlink()
        if isinstance(error, OSError) or (isinstance(error, OutputError) and error.reason):
            raise write_failure(out, error) from None
        raise
    size = out.stat().st_size + tiles.bytes
    return ReportInfo(out, folder, size, 2 * len(tiles.a),
                      time.perf_counter() - start)


def _swap_folder(staging: Path, folder: Path) -> None:
    """Move ``staging`` to ``folder``, replacing an earlier report's folder."""
    if folder.exists():
        trash = Path(tempfile.mkdtemp(prefix=f".{folder.name}.old.", dir=folder.parent))
        os.replace(folder, trash / folder.name)
        publish(staging, folder)
        shutil.rmtree(trash, ignore_errors=True)
    else:
        publish(staging, folder)
