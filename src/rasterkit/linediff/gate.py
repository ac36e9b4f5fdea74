"""Which hunks fail a check: ``--fail-on KINDS`` and ``--allow KIND<=N[rows|px]``.

A CI job can let a page grow a section while a changed paragraph fails. A hunk *fails* when
its kind is among ``fail_on`` (default: every kind), its fingerprint is not among the
``reviewed`` ones (hunks a reviewer accepted, :mod:`rasterkit.batch.reviewed`) and no ``allow``
rule of its kind covers it: ``added<=200rows`` allows added hunks of at most 200 rows (a
hunk's rows are its taller side), ``changed<=500px`` changed hunks of at most 500 differing
pixels (removed, added and moved hunks count every pixel of their rows). Rules of one kind add
up: every one must hold.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence

from ..errors import BadInputError
from .result import HUNK_KINDS as KINDS
from .result import Hunk

_RULE = re.compile(rf"^({'|'.join(KINDS)})<=(\d+)(rows|px)?$")


@dataclasses.dataclass(frozen=True)
class Gate:
    """``fail_on`` kinds and ``allow`` rules ``(kind, limit, unit)``; see the module notes."""

    fail_on: frozenset[str] = frozenset(KINDS)
    allow: tuple[tuple[str, int, str], ...] = ()
    #: Fingerprints of hunks a reviewer accepted: they never fail.
    reviewed: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, fail_on: str | None = None, allow: Iterable[str] = ()) -> Gate:
        """From ``--fail-on changed,removed`` and ``--allow added<=200rows`` texts."""
        kinds = frozenset(KINDS)
        if fail_on is not None:
            kinds = frozenset(k.strip() for k in fail_on.split(",") if k.strip())
            unknown = sorted(kinds - set(KINDS))
            if unknown or not kinds:
                raise BadInputError(f"--fail-on takes hunk kinds ({', '.join(KINDS)}), "
                                    f"not {fail_on!r}")
        rules = []
        for text in allow:
            found = _RULE.match(text.replace(" ", ""))
            if found is None:
                raise BadInputError(f"--allow takes KIND<=N with rows or px, e.g. "
                                    f"added<=200rows or changed<=500px, not {text!r}")
            rules.append((found[1], int(found[2]), found[3] or "rows"))
        return cls(kinds, tuple(rules))

    @property
    def active(self) -> bool:
        """False for the default gate (every hunk fails)."""
        return self.fail_on != frozenset(KINDS) or bool(self.allow) or bool(self.reviewed)

    def fails(self, hunk: Hunk, width: int) -> bool:
        """Whether ``hunk`` (of an image ``width`` pixels wide) fails the check."""
        if hunk.kind not in self.fail_on or hunk.fingerprint in self.reviewed:
            return False
        rules = [(limit, unit) for kind, limit, unit in self.allow if kind == hunk.kind]
        return not rules or any(_measure(hunk, unit, width) > limit for limit, unit in rules)

    def failing(self, hunks: Sequence[Hunk], width: int) -> list[Hunk]:
        """The hunks that fail."""
        return [h for h in hunks if self.fails(h, width)]

    def describe(self) -> dict[str, object]:
        """The JSON form: ``{"fail_on": [...], "allow": ["added<=200rows", ...]}``."""
        return {"fail_on": [k for k in KINDS if k in self.fail_on],
                "allow": [f"{kind}<={limit}{unit}" for kind, limit, unit in self.allow]}


def _measure(hunk: Hunk, unit: str, width: int) -> int:
    """The hunk's size in ``unit``: rows (its taller side), or pixels (a changed hunk's
    differing pixels; every pixel of the others' rows, over their columns when they lie in
    one column of the page, else over ``width``)."""
    rows = max(hunk.a_rows, hunk.b_rows)
    if unit == "rows":
        return rows
    if hunk.kind == "changed":
        return hunk.changed_pixels or 0
    return rows * (hunk.x[1] - hunk.x[0] if hunk.x is not None else width)


def hunk_from_record(entry: dict[str, object]) -> Hunk:
    """A :class:`Hunk` from its JSON form (``hunk_list`` of a batch record, ``hunks`` of
    ``diff --json``)."""
    a, b = entry["a"], entry["b"]
    return Hunk(entry["kind"], (int(a[0]), int(a[1])), (int(b[0]), int(b[1])),  # type: ignore[arg-type,index]
                entry.get("changed_pixels"),  # type: ignore[arg-type]
                fingerprint=entry.get("fingerprint"),  # type: ignore[arg-type]
                x=tuple(entry["x"]) if entry.get("x") else None)  # type: ignore[arg-type]


def pair_fails(record: dict[str, object], gate: Gate) -> bool:
    """Whether a batch record fails: a new or deleted image always, a changed pair when one of
    its hunks fails ``gate``."""
    status = record["status"]
    if status in ("new", "deleted"):
        return True
    if status != "changed":
        return False
    sizes = [s for s in (record.get("a"), record.get("b")) if s]
    width = max((int(s["width"]) for s in sizes), default=0)  # type: ignore[index]
    hunks = [hunk_from_record(h) for h in record.get("hunk_list") or []]  # type: ignore[union-attr]
    return not hunks or bool(gate.failing(hunks, width))
