"""Visual review at scale: diff every pair of two folders of screenshots.

``rasterkit.batch.diff_dir("before/", "after/", "review/")`` pairs files by relative path,
compares each pair with :func:`rasterkit.diff` on Dask workers (:mod:`.runner`), writes each
changed pair's HTML report and one index page for all (:mod:`.index`), and returns the
records. Files only in ``before/`` are ``deleted``, only in ``after/`` ``new``; files that are
not images by name are ``skipped``; a pair that cannot be read is an ``error`` and the batch
goes on.

Statuses: ``identical``, ``changed``, ``new``, ``deleted``, ``error``, ``skipped``.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from ..errors import OutputError
from ..io import is_inside, write_failure
from ..linediff.options import DiffOptions
from ..progress import Progress
from ..suffixes import SCREENSHOT_SUFFIXES as IMAGE_SUFFIXES  # its public name here
from .index import STATUSES, Journal
from .pairs import PairSpec, check_folder, find_pairs, shown_options
from .runner import run_pairs

#: Marks an output folder as a review made by rasterkit (so it may be refreshed).
MARKER = ".rasterkit-review"
#: Batches of at most this many files run in this process (no cluster to start).
SMALL_BATCH = 3

__all__ = ["IMAGE_SUFFIXES", "BatchResult", "PairSpec", "diff_dir", "find_pairs"]


@dataclasses.dataclass(frozen=True)
class BatchResult:
    """What :func:`diff_dir` found: the JSON document (``data``) and where it wrote.

    It follows :class:`rasterkit.results.ResultProtocol`: :meth:`to_dict` is ``data``,
    :meth:`to_text` what ``rasterkit diff-dir`` prints (a line per pair that is not
    identical, then :meth:`summary_line`).
    """

    data: dict[str, Any]
    out: Path | None

    @property
    def records(self) -> list[dict[str, Any]]:
        return self.data["pairs"]

    def to_dict(self) -> dict[str, Any]:
        """The JSON document (as in ``results.json``; ``--json`` adds ``config`` and what the
        options made)."""
        return dict(self.data)

    def summary_line(self) -> str:
        """``before vs after: 7 files (2 changed, 1 new, ...); index: review/index.html``."""
        summary = self.data["summary"]
        counts = ", ".join(f"{summary[s]:,} {s}" for s in STATUSES if summary[s])
        where = f"; index: {self.out / 'index.html'}" if self.out is not None else ""
        return (f"{self.data['before']} vs {self.data['after']}: {summary['pairs']:,} files "
                f"({counts or 'none'}){where}")

    def to_text(self, passing: Collection[str] = ()) -> str:
        """A line per pair that is not identical, then :meth:`summary_line`; the changed
        pairs whose paths are in ``passing`` (every hunk allowed by a gate or reviewed) say
        so."""
        lines = [record_line(r) + ("  (passes: --fail-on/--allow, reviewed hunks)"
                                   if r["path"] in passing else "")
                 for r in self.records if r["status"] != "identical"]
        return "".join(f"{line}\n" for line in [*lines, self.summary_line()])

    @property
    def exit_status(self) -> int:
        """0 all identical (or skipped), 1 any difference, 2 any pair failed."""
        summary = self.data["summary"]
        if summary["error"]:
            return 2
        return 1 if summary["changed"] or summary["new"] or summary["deleted"] else 0


def record_line(record: dict[str, Any]) -> str:
    """A pair in one line: ``changed  page.png  2 hunks (...)``, ``new      page.png``,
    ``error    page.png: why``."""
    from .ci import found

    status, path = record["status"], record["path"]
    if status == "changed":
        return f"changed  {path}  {found(record)}"
    if status in ("error", "skipped"):
        return f"{status:<8} {path}: {record['note']}"
    return f"{status:<8} {path}"


def prepare_output(out: str | os.PathLike[str], before: Path, after: Path) -> Path:
    """Check the output folder before any work; clear what an earlier review left in it."""
    folder = Path(out)
    for source in (before, after):
        if is_inside(folder, source) or is_inside(source, folder):
            raise OutputError(f"{folder}: the output folder must not be inside the input "
                              f"{source}, nor hold it")
    if folder.exists():
        if not folder.is_dir():
            raise OutputError(f"{folder}: exists and is not a folder")
        if any(folder.iterdir()) and not (folder / MARKER).exists():
            raise OutputError(f"{folder}: exists, is not empty and was not made by rasterkit; "
                              "choose an empty or new folder")
        for old in ("pairs", "thumbs", "previews"):
            shutil.rmtree(folder / old, ignore_errors=True)
    elif not folder.parent.is_dir():
        raise OutputError(f"{folder}: its parent folder {folder.parent} does not exist")
    try:
        folder.mkdir(exist_ok=True)
        (folder / MARKER).touch()
    except OSError as error:
        raise write_failure(folder, error) from None
    return folder


def _without_limit(options: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in options.items() if k != "max_pixels"}


def _with_options(spec: PairSpec, wanted: dict[str, Any], common: dict[str, Any]) -> PairSpec:
    """``spec`` carrying ``wanted`` when these differ from the batch's options ``common``
    (both without ``max_pixels``, which stays the batch's)."""
    own = _without_limit(wanted)
    return spec if own == common or spec.status != "pair" else \
        dataclasses.replace(spec, options=own)


def diff_dir(before: str | os.PathLike[str], after: str | os.PathLike[str],
             out: str | os.PathLike[str] | None = None, *, workers: int | None = None,
             processes: bool = True, scheduler: str | None = None, progress: bool = False,
             inline: bool | None = None,
             pair_options: Callable[[PairSpec], dict[str, Any]] | None = None,
             **options: Any) -> BatchResult:
    """Diff every pair of images of ``before`` and ``after`` (matched by relative path).

    Parameters
    ----------
    before, after : folders.
    out : folder for ``index.html``, ``results.json``, each changed pair's report
        (``pairs/<path>.html``) and thumbnails; None writes nothing.
    workers : parallel workers (default: one per core); 1 runs in this process, as do
        batches of at most :data:`SMALL_BATCH` files.
    processes : local workers are processes (default) or threads of one process.
    scheduler : address of an existing ``dask.distributed`` scheduler, e.g.
        ``"tcp://host:8786"``; its workers need rasterkit and the same paths.
    progress : a progress bar on a terminal.
    inline : run in this process (True) or on Dask (False); default: in this process for one
        worker or a small batch, else on Dask.
    pair_options : the keyword arguments of :func:`rasterkit.diff` for one pair, where they
        may differ from ``options`` (e.g. a configuration's per-path rules); a pair whose
        options differ is compared with them and its record shows them (``options``).
    options : keyword arguments of :func:`rasterkit.diff` (``threshold``, ``exact``,
        ``ignore``, ...), used for every pair.

    Returns
    -------
    BatchResult
        ``data`` is the JSON document (schema in the README); ``exit_status`` 0/1/2.
    """
    DiffOptions.check(options)
    first, second = check_folder(before), check_folder(after)
    folder = prepare_output(out, first, second) if out is not None else None
    specs = find_pairs(first, second)
    if pair_options is not None:
        common = _without_limit(options)
        specs = [_with_options(spec, pair_options(spec), common) for spec in specs]
    if inline is None:
        # Starting a cluster would cost more than it saves on a small batch.
        inline = scheduler is None and (workers == 1 or len(specs) <= SMALL_BATCH)
    journal = Journal(folder, os.fspath(before), os.fspath(after), shown_options(options))
    finished = False
    try:
        try:
            with Progress(len(specs), "pairs", enabled=progress) as bar:
                for record in run_pairs(specs, options, None if folder is None else str(folder),
                                        workers=workers, processes=processes,
                                        scheduler=scheduler, inline=inline):
                    journal.add(record)
                    bar.advance()
            finished = True
        finally:
            data = journal.close(done=finished)
    except OSError as error:  # the review cannot be written (a full disk): none is left
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        raise write_failure(folder or Path("."), error) from None
    return BatchResult(data, folder)
