"""The result of a diff: frozen dataclasses whose ``to_dict()`` is the JSON schema.

Conventions: rows and columns are 0-based, ranges are half-open ``[start, stop)``, boxes are
``[x0, y0, x1, y1]`` (half-open) in the coordinates of the image they belong to.
"""

from __future__ import annotations

import dataclasses
import typing
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from .pixels import Decoded
    from .tolerance import Comparer

#: Version of the JSON schema produced by :meth:`DiffResult.to_dict`. Bumped when fields are
#: added; fields are never renamed or removed. 2 added the ``moved`` kind and the summary's
#: ``moved``, ``rows_moved``, ``noise_rows`` and ``noise_pixels``; 4 added each hunk's ``x``
#: (its column range) and the options' ``columns``.
SCHEMA_VERSION = 4

HunkKind = Literal["removed", "added", "changed", "moved"]
#: The hunk kinds in the order they are listed everywhere (text, JSON counts, the index).
HUNK_KINDS: tuple[HunkKind, ...] = typing.get_args(HunkKind)
RunKind = Literal["equal", "similar", "pair", "only_a", "only_b", "split"]


@dataclasses.dataclass(frozen=True)
class Run:
    """A stretch of the common row axis: how ``length`` rows of A and/or B are laid out.

    ``equal``: rows ``a:a+length`` and ``b:b+length`` are identical. ``similar``: they differ
    only by rendering noise (see :mod:`rasterkit.linediff.tolerance`). ``pair``: they sit side
    by side but differ. ``only_a`` / ``only_b``: rows of one image facing a gap in the other
    (the other's start is where the gap sits). ``split``: rows of a band whose columns were
    aligned each on its own, side by side as they are (what differs is in the column hunks).
    """

    kind: RunKind
    a: int
    b: int
    length: int

    @property
    def a_rows(self) -> int:
        return 0 if self.kind == "only_b" else self.length

    @property
    def b_rows(self) -> int:
        return 0 if self.kind == "only_a" else self.length

    def cut(self, offset: int, length: int) -> Run:
        """Rows ``offset:offset+length`` of this run (a gap side keeps its position)."""
        return Run(self.kind, self.a + (offset if self.kind != "only_b" else 0),
                   self.b + (offset if self.kind != "only_a" else 0), length)


@dataclasses.dataclass(frozen=True)
class Box:
    """Bounding box of a cluster of differing pixels, in A's and in B's coordinates.

    A side is ``None`` when the cluster lies in rows that side does not have.
    """

    a: tuple[int, int, int, int] | None
    b: tuple[int, int, int, int] | None

    def to_dict(self) -> dict[str, Any]:
        return {"a": None if self.a is None else list(self.a),
                "b": None if self.b is None else list(self.b)}


@dataclasses.dataclass(frozen=True)
class Hunk:
    """One difference: rows ``a[0]:a[1]`` of A correspond to rows ``b[0]:b[1]`` of B.

    ``removed`` has an empty B range (it marks where the rows would be in B), ``added`` an
    empty A range. ``moved``: rows ``a`` of A reappear as rows ``b`` of B, elsewhere.
    ``changed_pixels`` and ``boxes`` are given for ``changed`` and ``moved`` hunks only:
    pixels that differ where the hunk's rows face each other (for a move: its two places
    compared), plus every non-background pixel of a row that faces a gap.

    ``x`` is the hunk's column range ``[x0, x1)`` (pixels): ``(0, compared width)`` for a
    whole-row hunk, the column's for a hunk inside a column of a band (see
    :mod:`rasterkit.linediff.columns`); None only for hunks made by hand. A column hunk's
    ``column`` is its column's own diff (a :class:`DiffResult` of the column's pixels cut
    out, rows and columns counted from the cut's corner ``column_origin``), for pictures of
    the column aligned on its own.
    """

    kind: HunkKind
    a: tuple[int, int]
    b: tuple[int, int]
    changed_pixels: int | None = None
    boxes: tuple[Box, ...] = ()
    runs: tuple[Run, ...] = dataclasses.field(default=(), repr=False, compare=False)
    #: What the hunk is, not where (:mod:`rasterkit.linediff.fingerprint`); None when unknown.
    fingerprint: str | None = dataclasses.field(default=None, compare=False)
    x: tuple[int, int] | None = None
    column: DiffResult | None = dataclasses.field(default=None, repr=False, compare=False)
    #: Where the column's cut starts: (x, row of A, row of B) of its first pixel.
    column_origin: tuple[int, int, int] = dataclasses.field(default=(0, 0, 0), repr=False,
                                                            compare=False)

    @property
    def a_rows(self) -> int:
        return self.a[1] - self.a[0]

    @property
    def b_rows(self) -> int:
        return self.b[1] - self.b[0]

    def header(self) -> str:
        """``@@ -a0:a1 +b0:b1 @@``: a unified-diff style header with half-open row ranges."""
        return f"@@ -{self.a[0]}:{self.a[1]} +{self.b[0]}:{self.b[1]} @@"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "a": list(self.a),
            "b": list(self.b),
            "changed_pixels": self.changed_pixels,
            "boxes": [box.to_dict() for box in self.boxes],
            "fingerprint": self.fingerprint,
            "x": None if self.x is None else list(self.x),
        }


@dataclasses.dataclass(frozen=True)
class ImageInfo:
    """What the diff knows of one input: its path (None for arrays), size and pixel format."""

    path: str | None
    width: int
    height: int
    bands: int
    bits: int

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "width": self.width, "height": self.height,
                "bands": self.bands, "bits": self.bits}


@dataclasses.dataclass(frozen=True)
class DiffResult:
    """Everything a diff found: plain data, whose :meth:`to_dict` is the stable JSON form,
    plus the live decoded images kept for rendering.

    The data: ``a`` and ``b`` describe the inputs, ``runs`` lays both images on one common row
    axis (what the pictures and the report draw), ``hunks`` are the differences, ``options``
    the settings used, ``noise_rows`` / ``noise_pixels`` what was forgiven as rendering noise.

    Kept for rendering, so that pictures and reports never decode again, and left out of the
    JSON, of ``repr`` and of ``==``: ``images``, the two decoded, normalised images
    (:class:`rasterkit.linediff.pixels.Decoded`; :attr:`pixels_a` / :attr:`pixels_b` show them as
    numpy arrays ``(H, W, bands)``), and ``comparer``, the
    :class:`rasterkit.linediff.tolerance.Comparer` that found the hunks (pictures ask it which
    pixels differ; it remembers the masks it already computed). Both are None in a result
    made without images, which cannot be rendered.

    It follows :class:`rasterkit.results.ResultProtocol`: :meth:`to_dict`,
    :meth:`summary_line`, :meth:`to_text` (what ``rasterkit diff`` prints).
    """

    a: ImageInfo
    b: ImageInfo
    hunks: tuple[Hunk, ...]
    runs: tuple[Run, ...]
    options: dict[str, Any]
    images: tuple[Decoded, Decoded] | None = dataclasses.field(default=None, repr=False,
                                                              compare=False)
    comparer: Comparer | None = dataclasses.field(default=None, repr=False, compare=False)
    noise_rows: int = 0
    noise_pixels: int = 0

    @property
    def pixels_a(self) -> Any:
        """A's normalised pixels, a numpy array ``(height, width, bands)`` (None: no images)."""
        return None if self.images is None else self.images[0].pixels

    @property
    def pixels_b(self) -> Any:
        """B's normalised pixels, a numpy array ``(height, width, bands)`` (None: no images)."""
        return None if self.images is None else self.images[1].pixels

    @property
    def identical(self) -> bool:
        """True when both images have the same size and no hunk was found: every pixel is
        equal, or differs only by what the comparison policy forgives (noise, ignored
        regions; see ``summary()["noise_rows"]``)."""
        return not self.hunks and self.a.width == self.b.width and self.a.height == self.b.height

    @property
    def width_changed(self) -> bool:
        return self.a.width != self.b.width

    @property
    def axis_height(self) -> int:
        """Height of the common row axis (rows of the side-by-side picture)."""
        return sum(run.length for run in self.runs)

    def axis_spans(self) -> list[list[tuple[int, int]]]:
        """For each hunk, its rows ``[start, stop)`` on the common row axis: one span, or two
        for a ``moved`` hunk (where it was in A, where it is in B). A column hunk's span
        covers its rows in A and in B, which a ``split`` run lays side by side (at least one
        axis row where it has no rows)."""
        from .axis import AxisMap

        axis = AxisMap(self.runs)
        out = []
        for hunk in self.hunks:
            if hunk.runs:
                out.append(axis.spans(hunk.runs))
                continue
            ends = [(axis.position(side, rows[0]), max(axis.end(side, rows[1]),
                                                       axis.position(side, rows[0]) + 1))
                    for side, rows in (("a", hunk.a), ("b", hunk.b))]
            stop = min(max(e for _, e in ends), axis.length)
            out.append([(min(min(s for s, _ in ends), stop - 1), stop)])
        return out

    def gap_spans(self, side: str) -> list[tuple[int, int]]:
        """Axis rows ``[start, stop)`` where image ``side`` ("a" or "b") has no rows (a gap)."""
        missing = "only_b" if side == "a" else "only_a"
        spans: list[tuple[int, int]] = []
        y = 0
        for run in self.runs:
            if run.kind == missing:
                if spans and spans[-1][1] == y:
                    spans[-1] = (spans[-1][0], y + run.length)
                else:
                    spans.append((y, y + run.length))
            y += run.length
        return spans

    @property
    def compared_width(self) -> int:
        """Columns compared (pixels): the narrower width, or the wider with ``pad_compare``."""
        return int(self.options.get("compared_width", min(self.a.width, self.b.width)))

    def in_column(self, hunk: Hunk) -> bool:
        """True when ``hunk`` covers part of the compared width (a column hunk)."""
        return hunk.x is not None and hunk.x != (0, self.compared_width)

    def count(self, kind: str) -> int:
        """Number of hunks of ``kind``."""
        return sum(1 for hunk in self.hunks if hunk.kind == kind)

    def summary(self) -> dict[str, Any]:
        """Totals: hunks by kind, rows only in A / only in B / changed, changed pixels."""
        return {
            "hunks": len(self.hunks),
            "removed": self.count("removed"),
            "added": self.count("added"),
            "changed": self.count("changed"),
            "moved": self.count("moved"),
            "rows_removed": sum(h.a_rows for h in self.hunks if h.kind == "removed"),
            "rows_added": sum(h.b_rows for h in self.hunks if h.kind == "added"),
            "rows_changed_a": sum(h.a_rows for h in self.hunks if h.kind == "changed"),
            "rows_changed_b": sum(h.b_rows for h in self.hunks if h.kind == "changed"),
            "rows_moved": sum(h.a_rows for h in self.hunks if h.kind == "moved"),
            "changed_pixels": sum(h.changed_pixels or 0 for h in self.hunks),
            "width_changed": self.width_changed,
            "noise_rows": self.noise_rows,
            "noise_pixels": self.noise_pixels,
        }

    def summary_line(self) -> str:
        """The one-line text summary ``rasterkit diff`` prints last: both inputs and their
        sizes, then what was found."""
        from .text import summary_line

        return summary_line(self)

    def to_text(self, colour: bool = False) -> str:
        """What ``rasterkit diff`` prints: one line per hunk, then :meth:`summary_line`
        (newline-terminated); with ``colour``, ANSI colours for a terminal."""
        from .text import format_text

        return format_text(self, colour)

    def to_dict(self) -> dict[str, Any]:
        """The JSON document (schema documented in the README, ``schema_version`` inside)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "a": self.a.to_dict(),
            "b": self.b.to_dict(),
            "identical": self.identical,
            "hunks": [hunk.to_dict() for hunk in self.hunks],
            "summary": self.summary(),
            "options": dict(self.options),
        }
