"""The comparison options of a diff, declared once.

Each field of :class:`DiffOptions` is, under one name:

- a keyword argument of :func:`rasterkit.diff` (same name, same default; a test holds the
  signature to this declaration), also taken by :func:`rasterkit.batch.diff_dir` and the
  pytest helper :func:`rasterkit.testing.assert_image_matches`, which check them here;
- a command-line flag of ``rasterkit diff`` and ``rasterkit diff-dir`` (``--merge-gap``; its
  help, group and value kind come from the field, see :mod:`rasterkit.cli.diff_options`);
- a key of the configuration's ``[diff]`` table and rules (``merge-gap``; see
  :mod:`rasterkit.config`, which checks values by the field's kind);
- an entry of the JSON ``options`` (:meth:`DiffOptions.describe`).

Units: rows and pixels are image rows and pixels; ``threshold`` is pixelmatch's YIQ colour
distance scaled to 0..1; rectangles are ``(x, y, width, height)`` in each image's own pixels.

>>> DiffOptions(merge_gap=0).describe(compared_width=80)["merge_gap"]
0
>>> DiffOptions(threshold=2)
Traceback (most recent call last):
...
rasterkit.errors.BadInputError: threshold must be between 0 and 1, not 2
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import field
from typing import TYPE_CHECKING, Any, Literal

from ..errors import BadInputError
from .defaults import DEFAULT_MERGE_GAP, DEFAULT_THRESHOLD

if TYPE_CHECKING:
    from .ignore import Ignore, Rect
    from .tolerance import Policy

#: Keyword arguments of :func:`rasterkit.diff` that are not comparison options: how it runs.
RUN_KEYWORDS = ("max_pixels", "threads")
#: How a value is written on the command line and in the configuration: ``rows`` (an int
#: >= 0), ``switch`` (true/false; ``--x`` / ``--no-x``), ``unit`` (a number in 0..1),
#: ``rects`` (repeatable ``x,y,w,h``), ``colour`` (``#rrggbb``), ``path`` (an image file).
Kind = Literal["rows", "switch", "unit", "rects", "colour", "path"]
#: Command-line help groups, in the order ``--help`` shows them ("" = the command's own).
GROUPS = {
    "": "",
    "tolerance": "tolerance (pixelmatch's semantics)",
    "ignore": "ignore (x,y,w,h in pixels, each image's own coordinates)",
}


def _about(kind: Kind, help: str, *, group: str = "", metavar: str | None = None
           ) -> dict[str, Any]:
    """A field's metadata: its kind, its ``--help`` text, group and metavar."""
    return {"kind": kind, "help": help, "group": group, "metavar": metavar}


@dataclasses.dataclass(frozen=True)
class DiffOptions:
    """What a diff compares and how it reports; see :func:`rasterkit.diff` for each.

    Construction checks the values (a :class:`~rasterkit.errors.BadInputError` names the
    first bad one). The field order is the order of ``--help``.
    """

    merge_gap: int = field(default=DEFAULT_MERGE_GAP, metadata=_about(
        "rows", "report differences separated by at most ROWS unchanged "
        "rows as one hunk (default 40; 0 merges only touching ones)", metavar="ROWS"))
    pad_compare: bool = field(default=False, metadata=_about(
        "switch", "when widths differ, also compare the padding columns"))
    exact: bool = field(default=False, metadata=_about(
        "switch", "rows are equal only when byte-identical (no noise tolerance)",
        group="tolerance"))
    threshold: float = field(default=DEFAULT_THRESHOLD, metadata=_about(
        "unit", "colour distance 0..1 (YIQ) below which pixels are the "
        "same (default 0.1, as pixelmatch)", group="tolerance", metavar="T"))
    antialiasing: bool = field(default=True, metadata=_about(
        "switch", "forgive differences in anti-aliased pixels (default: yes)",
        group="tolerance"))
    moves: bool = field(default=True, metadata=_about(
        "switch", "report a moved section as moved (default), or as removed + added",
        group="tolerance"))
    columns: bool = field(default=True, metadata=_about(
        "switch", "align each column of a multi-column part of the page on its own "
        "(default), or only whole rows"))
    ignore: tuple[Rect, ...] = field(default=(), metadata=_about(
        "rects", "leave this rectangle out in both images (repeatable)", group="ignore",
        metavar="X,Y,W,H"))
    ignore_a: tuple[Rect, ...] = field(default=(), metadata=_about(
        "rects", "leave this rectangle of A out (repeatable)", group="ignore",
        metavar="X,Y,W,H"))
    ignore_b: tuple[Rect, ...] = field(default=(), metadata=_about(
        "rects", "leave this rectangle of B out (repeatable)", group="ignore",
        metavar="X,Y,W,H"))
    mask_color: str | tuple[int, int, int] | None = field(default=None, metadata=_about(
        "colour", "leave out pixels of this colour (in either image)", group="ignore",
        metavar="#RRGGBB"))
    mask: Any = field(default=None, metadata=_about(
        "path", "leave out the non-zero pixels of this image, in both images",
        group="ignore", metavar="FILE"))
    mask_a: Any = field(default=None, metadata=_about(
        "path", "the same, in A only", group="ignore", metavar="FILE"))
    mask_b: Any = field(default=None, metadata=_about(
        "path", "the same, in B only", group="ignore", metavar="FILE"))

    def __post_init__(self) -> None:
        if self.merge_gap < 0:
            raise BadInputError(f"merge_gap must be >= 0, not {self.merge_gap}")
        if not 0 <= self.threshold <= 1:
            raise BadInputError(f"threshold must be between 0 and 1, not {self.threshold}")

    @classmethod
    def pick(cls, values: Mapping[str, Any]) -> DiffOptions:
        """The options among ``values`` (e.g. a call's ``locals()``), checked."""
        return cls(**{name: values[name] for name in NAMES if name in values})

    @classmethod
    def check(cls, keywords: Mapping[str, Any]) -> None:
        """Raise :class:`~rasterkit.errors.BadInputError` unless ``keywords`` are keyword
        arguments :func:`rasterkit.diff` takes, with values the options accept."""
        unknown = sorted(set(keywords) - set(NAMES) - set(RUN_KEYWORDS))
        if unknown:
            raise BadInputError(f"unknown diff option {unknown[0]!r} (the options: "
                                f"{', '.join((*NAMES, *RUN_KEYWORDS))})")
        cls.pick(keywords)

    def policy(self) -> Policy:
        """When two rows are equal (:class:`~rasterkit.linediff.tolerance.Policy`)."""
        from .tolerance import Policy

        return Policy(self.threshold, self.antialiasing, self.exact)

    def excluded(self) -> Ignore:
        """The pixels left out (:class:`~rasterkit.linediff.ignore.Ignore`)."""
        from .ignore import Ignore, parse_colour

        colour = parse_colour(self.mask_color) if isinstance(self.mask_color, str) \
            else self.mask_color
        return Ignore(tuple(self.ignore), tuple(self.ignore_a), tuple(self.ignore_b), colour,
                      self.mask, self.mask_a, self.mask_b)

    def describe(self, compared_width: int, policy: Policy | None = None,
                 excluded: Ignore | None = None) -> dict[str, Any]:
        """The JSON ``options`` of a result: the tolerance, what is ignored (only what is
        set), then the shape options and the number of columns compared (pixels).
        ``policy`` and ``excluded`` are this object's own, when already made."""
        policy = self.policy() if policy is None else policy
        excluded = self.excluded() if excluded is None else excluded
        return {**policy.describe(), **excluded.describe(), "moves": self.moves,
                "columns": self.columns, "merge_gap": self.merge_gap,
                "pad_compare": self.pad_compare, "compared_width": compared_width}


#: The options' names, in declaration order.
NAMES: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(DiffOptions))
#: Each option's declaration (name -> dataclasses.Field; ``metadata`` holds kind, help,
#: group and metavar).
FIELDS: dict[str, dataclasses.Field[Any]] = {f.name: f for f in dataclasses.fields(DiffOptions)}
