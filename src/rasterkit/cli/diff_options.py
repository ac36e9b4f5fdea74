"""The comparison options shared by ``rasterkit diff`` and ``rasterkit diff-dir``, and the
configuration file under them (:mod:`rasterkit.config`; the command line wins)."""

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
    """Alignment, tolerance and ignore options (see :func:`rasterkit.diff`) and the
    configuration file. Every default is None: what is not given comes from the file."""
    parser.add_argument("--merge-gap", type=int, default=None, metavar="ROWS",
                        help="report differences separated by at most ROWS unchanged rows as "
                             "one hunk (default 40; 0 merges only touching ones)")
    parser.add_argument("--pad-compare", action=argparse.BooleanOptionalAction, default=None,
                        help="when widths differ, also compare the padding columns")
    tolerance = parser.add_argument_group("tolerance (pixelmatch's semantics)")
    tolerance.add_argument("--exact", action=argparse.BooleanOptionalAction, default=None,
                           help="rows are equal only when byte-identical (no noise tolerance)")
    tolerance.add_argument("--threshold", type=_threshold, default=None, metavar="T",
                           help="colour distance 0..1 (YIQ) below which pixels are the same "
                                "(default 0.1, as pixelmatch)")
    tolerance.add_argument("--antialiasing", action=argparse.BooleanOptionalAction,
                           default=None,
                           help="forgive differences in anti-aliased pixels (default: yes)")
    tolerance.add_argument("--moves", action=argparse.BooleanOptionalAction, default=None,
                           help="report a moved section as moved (default), or as removed + "
                                "added")
    ignore = parser.add_argument_group("ignore (x,y,w,h in pixels, each image's own coordinates)")
    ignore.add_argument("--ignore", action="append", default=None, metavar="X,Y,W,H",
                        help="leave this rectangle out in both images (repeatable)")
    ignore.add_argument("--ignore-a", action="append", default=None, metavar="X,Y,W,H",
                        help="leave this rectangle of A out (repeatable)")
    ignore.add_argument("--ignore-b", action="append", default=None, metavar="X,Y,W,H",
                        help="leave this rectangle of B out (repeatable)")
    ignore.add_argument("--mask-color", metavar="#RRGGBB",
                        help="leave out pixels of this colour (in either image)")
    ignore.add_argument("--mask", metavar="FILE", help="leave out the non-zero pixels of this "
                        "image, in both images")
    ignore.add_argument("--mask-a", metavar="FILE", help="the same, in A only")
    ignore.add_argument("--mask-b", metavar="FILE", help="the same, in B only")
    config = parser.add_argument_group(
        "configuration ([tool.rasterkit] in pyproject.toml, or rasterkit.toml: defaults and "
        "per-path rules; the options above win)")
    chosen = config.add_mutually_exclusive_group()
    chosen.add_argument("--config", metavar="FILE",
                        help="read this file (default: the nearest rasterkit.toml or "
                             "pyproject.toml with [tool.rasterkit], from here upwards)")
    chosen.add_argument("--no-config", action="store_true",
                        help="read no configuration file")


def load_config(args: argparse.Namespace) -> Any:
    """The :class:`rasterkit.config.Config` the options ask for."""
    from .. import config

    return config.NONE if args.no_config else config.load(args.config)


def diff_options(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of :func:`rasterkit.diff` given on the command line (checked);
    the rest comes from the configuration or the defaults."""
    from ..diff.ignore import parse_rect
    from ..errors import BadInputError

    if args.merge_gap is not None and args.merge_gap < 0:
        raise BadInputError(f"--merge-gap must be >= 0, not {args.merge_gap}")
    if args.exact and (args.threshold is not None or args.antialiasing is not None):
        raise BadInputError("--exact compares bytes: it takes no --threshold or "
                            "--[no-]antialiasing")
    options: dict[str, Any] = {"max_pixels": args.max_pixels}
    for key in ("merge_gap", "pad_compare", "exact", "threshold", "antialiasing", "moves",
                "mask_color", "mask", "mask_a", "mask_b"):
        if getattr(args, key) is not None:
            options[key] = getattr(args, key)
    for key in ("ignore", "ignore_a", "ignore_b"):
        if getattr(args, key) is not None:
            options[key] = [parse_rect(r) for r in getattr(args, key)]
    return options


def resolve(config: Any, given: dict[str, Any], files: tuple[Any, ...] = (),
            inside: tuple[str, ...] = ()) -> dict[str, Any]:
    """The options of one comparison: the configuration's for these paths, then ``given``
    (the command line) over them (see :mod:`rasterkit.config` for the precedence)."""
    from ..config import layer

    return layer(config.diff_options(files, inside), given)


def add_gate(parser: argparse.ArgumentParser) -> None:
    """``--fail-on`` and ``--allow``: which hunks make the exit status 1 (see
    :mod:`rasterkit.diff.gate`)."""
    gate = parser.add_argument_group("what fails (exit status 1)")
    gate.add_argument("--fail-on", metavar="KINDS",
                      help="only hunks of these kinds fail, e.g. changed,removed (default: "
                           "every kind)")
    gate.add_argument("--allow", action="append", default=None, metavar="KIND<=N",
                      help="hunks of KIND within N rows (or Npx) pass, e.g. added<=200rows "
                           "or changed<=500px (repeatable)")


def gate_from(args: argparse.Namespace, config: Any) -> Any:
    """The :class:`rasterkit.diff.gate.Gate` of ``--fail-on`` / ``--allow``, each in place
    of the configuration's ``fail-on`` / ``allow`` when given."""
    from ..diff.gate import Gate

    fail_on = args.fail_on if args.fail_on is not None else config.fail_on
    allow = args.allow if args.allow is not None else list(config.allow)
    return Gate.parse(fail_on, allow)
