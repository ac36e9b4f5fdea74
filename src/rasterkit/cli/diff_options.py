"""The comparison options shared by ``rasterkit diff`` and ``rasterkit diff-dir``."""

from __future__ import annotations

import argparse
from typing import Any


def _threshold(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, not {text}")
    return value


def add_diff_options(parser: argparse.ArgumentParser) -> None:
    """Alignment, tolerance and ignore options (see :func:`rasterkit.diff`)."""
    parser.add_argument("--merge-gap", type=int, default=None, metavar="ROWS",
                        help="report differences separated by at most ROWS unchanged rows as "
                             "one hunk (default 40; 0 merges only touching ones)")
    parser.add_argument("--pad-compare", action="store_true",
                        help="when widths differ, also compare the padding columns")
    tolerance = parser.add_argument_group("tolerance (pixelmatch's semantics)")
    tolerance.add_argument("--exact", action="store_true",
                           help="rows are equal only when byte-identical (no noise tolerance)")
    tolerance.add_argument("--threshold", type=_threshold, default=None, metavar="T",
                           help="colour distance 0..1 (YIQ) below which pixels are the same "
                                "(default 0.1, as pixelmatch)")
    tolerance.add_argument("--no-antialiasing", action="store_true",
                           help="count differences in anti-aliased pixels too")
    tolerance.add_argument("--no-moves", action="store_true",
                           help="report a moved section as removed + added")
    ignore = parser.add_argument_group("ignore (x,y,w,h in pixels, each image's own coordinates)")
    ignore.add_argument("--ignore", action="append", default=[], metavar="X,Y,W,H",
                        help="leave this rectangle out in both images (repeatable)")
    ignore.add_argument("--ignore-a", action="append", default=[], metavar="X,Y,W,H",
                        help="leave this rectangle of A out (repeatable)")
    ignore.add_argument("--ignore-b", action="append", default=[], metavar="X,Y,W,H",
                        help="leave this rectangle of B out (repeatable)")
    ignore.add_argument("--mask-color", metavar="#RRGGBB",
                        help="leave out pixels of this colour (in either image)")
    ignore.add_argument("--mask", metavar="FILE", help="leave out the non-zero pixels of this "
                        "image, in both images")
    ignore.add_argument("--mask-a", metavar="FILE", help="the same, in A only")
    ignore.add_argument("--mask-b", metavar="FILE", help="the same, in B only")


def diff_options(args: argparse.Namespace) -> dict[str, Any]:
    """Keyword arguments of :func:`rasterkit.diff` from the parsed options (checked)."""
    from ..diff.defaults import DEFAULT_MERGE_GAP, DEFAULT_THRESHOLD
    from ..diff.ignore import parse_rect
    from ..errors import BadInputError

    if args.merge_gap is not None and args.merge_gap < 0:
        raise BadInputError(f"--merge-gap must be >= 0, not {args.merge_gap}")
    if args.exact and (args.threshold is not None or args.no_antialiasing):
        raise BadInputError("--exact compares bytes: it takes no --threshold or "
                            "--no-antialiasing")
    options: dict[str, Any] = {
        "max_pixels": args.max_pixels, "pad_compare": args.pad_compare,
        "merge_gap": DEFAULT_MERGE_GAP if args.merge_gap is None else args.merge_gap,
        "exact": args.exact, "antialiasing": not args.no_antialiasing,
        "moves": not args.no_moves,
        "threshold": DEFAULT_THRESHOLD if args.threshold is None else args.threshold,
        "ignore": [parse_rect(r) for r in args.ignore],
        "ignore_a": [parse_rect(r) for r in args.ignore_a],
        "ignore_b": [parse_rect(r) for r in args.ignore_b],
    }
    for key in ("mask_color", "mask", "mask_a", "mask_b"):
        if getattr(args, key) is not None:
            options[key] = getattr(args, key)
    return options


def add_gate(parser: argparse.ArgumentParser) -> None:
    """``--fail-on`` and ``--allow``: which hunks make the exit status 1 (see
    :mod:`rasterkit.diff.gate`)."""
    gate = parser.add_argument_group("what fails (exit status 1)")
    gate.add_argument("--fail-on", metavar="KINDS",
                      help="only hunks of these kinds fail, e.g. changed,removed (default: "
                           "every kind)")
    gate.add_argument("--allow", action="append", default=[], metavar="KIND<=N",
                      help="hunks of KIND within N rows (or Npx) pass, e.g. added<=200rows "
                           "or changed<=500px (repeatable)")


def gate_from(args: argparse.Namespace) -> Any:
    """The :class:`rasterkit.diff.gate.Gate` of ``--fail-on`` / ``--allow``."""
    from ..diff.gate import Gate

    return Gate.parse(args.fail_on, args.allow)
