"""Accept a batch's changes into the baseline: ``diff-dir BEFORE AFTER --accept [PATH ...]``.

``BEFORE`` is the baseline. Accepting a ``changed`` or ``new`` pair copies ``AFTER/path`` over
``BEFORE/path`` (through a temporary file in the same folder, renamed into place, so an
interruption leaves the old file or the new one, never a part); accepting a ``deleted`` pair
removes ``BEFORE/path``. Identical, skipped and failed pairs are never touched.

Nothing is written outside the baseline: every target is checked before the first file is
touched (no ``..``, no absolute path, no symbolic link on the way or at the target that leads
out of the baseline), and a path that is not a changed, new or deleted pair of this batch is
refused with the others.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import BadInputError
from ..io import atomic_output, is_inside, write_failure

#: Statuses that can be accepted, and what accepting does.
ACCEPTABLE = {"changed": "copy", "new": "copy", "deleted": "remove"}


@dataclasses.dataclass(frozen=True)
class Acceptance:
    """One accepted pair: ``action`` is ``"copy"`` (AFTER over BEFORE) or ``"remove"``."""

    path: str
    status: str
    action: str

    def line(self, dry_run: bool) -> str:
        """``accepted changed settings/page.png`` (``would accept`` when ``dry_run``)."""
        verb = "would accept" if dry_run else "accepted"
        return f"{verb} {self.status:<7} {self.path}"


def read_path_list(path: str | os.PathLike[str]) -> list[str]:
    """The relative paths listed in a file, one per line (blank lines and ``#`` comments
    ignored), as the index page's "copy the accept command" writes them."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise BadInputError(f"{path}: cannot read the list of paths to accept ({error})") \
            from None
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def plan(records: Iterable[dict[str, Any]], before: Path, after: Path,
         paths: Sequence[str] | None = None) -> list[Acceptance]:
    """What accepting ``paths`` (all changed, new and deleted pairs when None) would do,
    checked in full before anything is touched (see the module notes)."""
    acceptable = {r["path"]: r["status"] for r in records if r["status"] in ACCEPTABLE}
    if paths is None:
        wanted = sorted(acceptable)
    else:
        wanted = list(dict.fromkeys(PurePosixPath(p).as_posix() for p in paths))
        for path in wanted:
            _check_target(before, path)
        unknown = [p for p in wanted if p not in acceptable]
        if unknown:
            raise BadInputError(f"{unknown[0]}: not a changed, new or deleted image of this "
                                f"batch; nothing accepted"
                                + (f" ({len(unknown) - 1} more)" if len(unknown) > 1 else ""))
    for path in wanted:
        _check_target(before, path)
        if ACCEPTABLE[acceptable[path]] == "copy" and not is_inside(after / path, after):
            raise BadInputError(f"{after / path}: leads outside {after}; nothing accepted")
    return [Acceptance(p, acceptable[p], ACCEPTABLE[acceptable[p]]) for p in wanted]


def _check_target(baseline: Path, path: str) -> None:
    """Refuse a relative path that could write or remove outside ``baseline``."""
    parts = PurePosixPath(path).parts
    if PurePosixPath(path).is_absolute() or ".." in parts or not parts:
        raise BadInputError(f"{path}: not a path inside the baseline; nothing accepted")
    target = baseline.joinpath(*parts)
    if not is_inside(target.parent, baseline) or \
            (target.is_symlink() and not is_inside(target, baseline)):
        raise BadInputError(f"{target}: a symbolic link leads outside the baseline "
                            f"{baseline}; nothing accepted")
    if target.is_symlink():
        raise BadInputError(f"{target}: is a symbolic link; not replaced (nothing accepted)")


def apply(acceptances: Sequence[Acceptance], before: Path, after: Path) -> None:
    """Carry out :func:`plan`'s result, one file at a time, each atomically."""
    for item in acceptances:
        parts = PurePosixPath(item.path).parts
        target = before.joinpath(*parts)
        if item.action == "remove":
            try:
                target.unlink(missing_ok=True)
            except OSError as error:
                raise write_failure(target, error) from None
            continue
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise write_failure(target.parent, error) from None
        with atomic_output(target) as tmp:
            shutil.copyfile(after.joinpath(*parts), tmp)
