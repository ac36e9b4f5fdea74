"""Ground truth and tool output as plain data: what was edited, what a tool reported.

Row ranges are ``(start, stop)``, 0-based and half-open, in device pixel rows of image A or B,
as everywhere in rasterkit.
"""

from __future__ import annotations

import dataclasses
from typing import Any

Range = tuple[int, int]


@dataclasses.dataclass(frozen=True)
class Side:
    """One image's part of an edit.

    ``box``: rows of the edited element (its bounding box, device pixels). ``core``: rows of the
    box a tool must flag (they really differ: rows with content for removed/added/moved
    sections, rows whose pixels changed for changed/grown ones), as runs. ``allowed``: rows a
    tool may flag without a false positive (the box, widened to every place an ambiguous
    insertion could slide to). ``slide``: ``(lo, hi)``, the row offsets by which the core may
    be shifted and still be a correct answer (``(0, 0)`` when the place is unambiguous).
    """

    box: Range
    core: tuple[Range, ...]
    allowed: Range
    slide: tuple[int, int] = (0, 0)

    def core_rows(self) -> int:
        """Number of rows in :attr:`core`."""
        return sum(stop - start for start, stop in self.core)

    def to_dict(self) -> dict[str, Any]:
        return {"box": list(self.box), "core": [list(r) for r in self.core],
                "allowed": list(self.allowed), "slide": list(self.slide)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Side:
        return cls(tuple(data["box"]), tuple(tuple(r) for r in data["core"]),
                   tuple(data["allowed"]), tuple(data["slide"]))


@dataclasses.dataclass(frozen=True)
class Edit:
    """One edit of a pair: ``kind`` is removed, added, changed, grown or moved; ``a``/``b`` are
    ``None`` for the side the edit has no rows in (A for added, B for removed)."""

    kind: str
    element: str
    a: Side | None
    b: Side | None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "element": self.element,
                "a": self.a.to_dict() if self.a else None,
                "b": self.b.to_dict() if self.b else None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Edit:
        return cls(data["kind"], data["element"],
                   Side.from_dict(data["a"]) if data["a"] else None,
                   Side.from_dict(data["b"]) if data["b"] else None)


@dataclasses.dataclass(frozen=True)
class Truth:
    """A pair of the corpus: its images' heights (rows) and widths (pixels) and its edits
    (none for a pair that differs only by rendering noise)."""

    pair: str
    family: str
    height_a: int
    height_b: int
    width_a: int
    width_b: int
    edits: tuple[Edit, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"pair": self.pair, "family": self.family, "height_a": self.height_a,
                "height_b": self.height_b, "width_a": self.width_a, "width_b": self.width_b,
                "edits": [e.to_dict() for e in self.edits]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Truth:
        return cls(data["pair"], data["family"], data["height_a"], data["height_b"],
                   data["width_a"], data["width_b"],
                   tuple(Edit.from_dict(e) for e in data["edits"]))


@dataclasses.dataclass(frozen=True)
class Hunk:
    """A difference a tool reported: rows in A and in B (``None``: the tool gave no rows on
    that side, e.g. a pure insertion)."""

    a: Range | None
    b: Range | None


@dataclasses.dataclass(frozen=True)
class Output:
    """What a tool said about a pair: the rows it flagged in A and in B (runs) and its hunks.
    A tool that only draws a picture is read from the rows the picture marks; each run of
    marked rows is one hunk."""

    rows_a: tuple[Range, ...]
    rows_b: tuple[Range, ...]
    hunks: tuple[Hunk, ...]


def runs(flags: Any) -> tuple[Range, ...]:
    """Runs ``(start, stop)`` of true values in a 1-D boolean sequence (e.g. a numpy mask)."""
    out: list[Range] = []
    start = None
    for i, flag in enumerate(flags):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            out.append((start, i))
            start = None
    if start is not None:
        out.append((start, len(flags)))
    return tuple(out)


def from_picture_rows(marked: tuple[Range, ...], height_a: int, height_b: int) -> Output:
    """Tool output of a picture-only tool: row ``y`` of its picture stands for row ``y`` of A
    and of B (pixel diffs compare rows at the same height); each marked run is one hunk."""

    def clip(run: Range, height: int) -> Range | None:
        start, stop = run[0], min(run[1], height)
        return (start, stop) if start < stop else None

    hunks = tuple(Hunk(clip(r, height_a), clip(r, height_b)) for r in marked)
    rows_a = tuple(h.a for h in hunks if h.a)
    rows_b = tuple(h.b for h in hunks if h.b)
    return Output(rows_a, rows_b, hunks)


def from_hunks(hunks: list[Hunk]) -> Output:
    """Tool output of a tool that reports hunks: the flagged rows are the rows of its hunks."""
    rows_a = tuple(h.a for h in hunks if h.a and h.a[1] > h.a[0])
    rows_b = tuple(h.b for h in hunks if h.b and h.b[1] > h.b[0])
    return Output(rows_a, rows_b, tuple(hunks))
