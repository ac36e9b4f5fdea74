"""Match the files of two folders by relative path.

Every file below either folder becomes one :class:`PairSpec`: ``pair`` when both folders have
it, ``deleted`` when only ``before`` has it, ``new`` when only ``after`` does, ``skipped`` when
its name does not end like an image (:data:`rasterkit.suffixes.SCREENSHOT_SUFFIXES`; a note
says so; it is never opened). Hidden files and folders (names starting with ``.``) are left
out, as version-control folders are.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any, Literal

from ..errors import BadInputError
from ..suffixes import SCREENSHOT_SUFFIXES

Status = Literal["pair", "new", "deleted", "skipped"]


@dataclasses.dataclass(frozen=True)
class PairSpec:
    """One relative path and where it is: ``before`` / ``after`` are None where missing;
    ``options``: this pair's :func:`rasterkit.diff` options where they differ from the
    batch's (a configuration's per-path rules)."""

    path: str  # relative, with "/" separators
    status: Status
    before: str | None
    after: str | None
    options: dict[str, Any] | None = None


def _files(root: Path) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in names:
            if not name.startswith("."):
                path = Path(folder) / name
                found[path.relative_to(root).as_posix()] = path
    return found


def check_folder(path: str | os.PathLike[str]) -> Path:
    """The folder at ``path``, or a :class:`BadInputError` saying why it is unusable."""
    folder = Path(path)
    if not folder.exists():
        raise BadInputError(f"{folder}: no such folder")
    if not folder.is_dir():
        raise BadInputError(f"{folder}: not a folder")
    try:
        next(os.scandir(folder), None)
    except OSError as error:
        raise BadInputError(f"{folder}: cannot read ({error.strerror})") from None
    return folder


def find_pairs(before: str | os.PathLike[str], after: str | os.PathLike[str]) -> list[PairSpec]:
    """Every relative path under ``before`` and ``after``, sorted, with its status."""
    old, new = _files(check_folder(before)), _files(check_folder(after))
    specs = []
    for path in sorted(set(old) | set(new)):
        a, b = old.get(path), new.get(path)
        if Path(path).suffix.lower() not in SCREENSHOT_SUFFIXES:
            status: Status = "skipped"
        elif a is not None and b is not None:
            status = "pair"
        else:
            status = "deleted" if b is None else "new"
        specs.append(PairSpec(path, status, None if a is None else str(a),
                              None if b is None else str(b)))
    return specs


def shown_options(options: dict[str, Any]) -> dict[str, Any]:
    """Diff options as the JSON shows them (``max_pixels`` and ``threads`` left out:
    how a comparison runs, not what it finds)."""
    import json

    return json.loads(json.dumps({k: v for k, v in options.items()
                                  if k not in ("max_pixels", "threads")}, default=str))
