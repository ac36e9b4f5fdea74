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


#: How each kind of option is read on the command line
#: (:data:`rasterkit.linediff.options.Kind`).
_ARGUMENT: dict[str, dict[str, Any]] = {
    "rows": {"type": int}, "unit": {"type": _threshold},
    "switch": {"action": argparse.BooleanOptionalAction},
    "rects": {"action": "append"}, "colour": {}, "path": {},
}


def add_diff_options(parser: argparse.ArgumentParser) -> None:
    """Alignment, tolerance and ignore options (one flag per field of
    :class:`rasterkit.linediff.options.DiffOptions`) and the configuration file. Every default
    is None: what is not given comes from the file."""
    from ..linediff.options import FIELDS, GROUPS

    groups = {key: parser.add_argument_group(title) if title else parser
              for key, title in GROUPS.items()}
    for name, field in FIELDS.items():
        meta = field.metadata
        extra = {"metavar": meta["metavar"]} if meta["metavar"] else {}
        groups[meta["group"]].add_argument(
            "--" + name.replace("_", "-"), default=None, help=meta["help"],
            **_ARGUMENT[meta["kind"]], **extra)
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
    from ..errors import BadInputError
    from ..linediff.ignore import parse_rect
    from ..linediff.options import FIELDS

    if args.merge_gap is not None and args.merge_gap < 0:
        raise BadInputError(f"--merge-gap must be >= 0, not {args.merge_gap}")
    if args.exact and (args.threshold is not None or args.antialiasing is not None):
        raise BadInputError("--exact compares bytes: it takes no --threshold or "
                            "--[no-]antialiasing")
    options: dict[str, Any] = {"max_pixels": args.max_pixels}
    for name, field in FIELDS.items():
        value = getattr(args, name)
        if value is not None:
            options[name] = [parse_rect(r) for r in value] if field.metadata["kind"] == "rects" \
                else value
    return options


def resolve(config: Any, given: dict[str, Any], files: tuple[Any, ...] = (),
            inside: tuple[str, ...] = ()) -> dict[str, Any]:
    """The options of one comparison: the configuration's for these paths, then ``given``
    (the command line) over them (see :mod:`rasterkit.config` for the precedence)."""
    from ..config import layer

    return layer(config.diff_options(files, inside), given)


def add_gate(parser: argparse.ArgumentParser) -> None:
    """``--fail-on`` and ``--allow``: which hunks make the exit status 1 (see
    :mod:`rasterkit.linediff.gate`)."""
    gate = parser.add_argument_group("what fails (exit status 1)")
    gate.add_argument("--fail-on", metavar="KINDS",
                      help="only hunks of these kinds fail, e.g. changed,removed (default: "
                           "every kind)")
    gate.add_argument("--allow", action="append", default=None, metavar="KIND<=N",
                      help="hunks of KIND within N rows (or Npx) pass, e.g. added<=200rows "
                           "or changed<=500px (repeatable)")


def gate_from(args: argparse.Namespace, config: Any) -> Any:
    """The :class:`rasterkit.linediff.gate.Gate` of ``--fail-on`` / ``--allow``, each in place
    of the configuration's ``fail-on`` / ``allow`` when given."""
    from ..linediff.gate import Gate

    fail_on = args.fail_on if args.fail_on is not None else config.fail_on
    allow = args.allow if args.allow is not None else list(config.allow)
    return Gate.parse(fail_on, allow)
