"""Hunks a reviewer accepted one by one: ``diff-dir BEFORE AFTER --accept-hunk FINGERPRINT``.

The fingerprints (:mod:`rasterkit.linediff.fingerprint`) are kept beside the baseline in
``BEFORE/.rasterkit-reviewed.json`` (a hidden file: never paired), with where each hunk was
seen. Every later ``diff-dir`` with that baseline reads the file, and a hunk whose fingerprint
is there does not fail, wherever it now sits, while the other hunks of the same pair still
do. An edit that changes again gets another fingerprint and fails again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..errors import BadInputError

#: The file of reviewed hunks, in the baseline folder.
REVIEWED_FILE = ".rasterkit-reviewed.json"


def load(baseline: Path) -> dict[str, dict[str, Any]]:
    """The reviewed hunks of ``baseline``: fingerprint -> ``{"kind", "path"}`` (empty when
    there is no file)."""
    path = baseline / REVIEWED_FILE
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        hunks = data["hunks"]
        if not isinstance(hunks, dict):
            raise TypeError("hunks is not an object")
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise BadInputError(f"{path}: not a file of reviewed hunks ({error})") from None
    return hunks


def accept_hunks(records: Iterable[dict[str, Any]], baseline: Path,
                 fingerprints: Sequence[str], *, store: bool = True
                 ) -> list[tuple[str, str, str]]:
    """Add ``fingerprints`` (hunks of this batch's changed pairs) to the baseline's reviewed
    hunks (only check them when not ``store``); returns ``(fingerprint, kind, path)`` of each.
    Unknown fingerprints are refused and nothing is stored."""
    from ..io import atomic_output

    seen = {h["fingerprint"]: (h["kind"], r["path"]) for r in records
            if r["status"] == "changed" for h in r.get("hunk_list") or []}
    unknown = [f for f in fingerprints if f not in seen]
    if unknown:
        raise BadInputError(f"{unknown[0]}: not the fingerprint of a hunk of this batch; "
                            "nothing accepted (each hunk's fingerprint is in --json)")
    reviewed = load(baseline)
    added = []
    for fingerprint in dict.fromkeys(fingerprints):
        kind, path = seen[fingerprint]
        reviewed[fingerprint] = {"kind": kind, "path": path}
        added.append((fingerprint, kind, path))
    if not store:
        return added
    with atomic_output(baseline / REVIEWED_FILE) as tmp:
        tmp.write_text(json.dumps({"schema_version": 1, "hunks": reviewed}, indent=1,
                                  sort_keys=True) + "\n", encoding="utf-8")
    return added
