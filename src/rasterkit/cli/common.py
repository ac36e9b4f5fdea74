"""Options and output helpers shared by the command modules."""

from __future__ import annotations

import argparse
import math
import os
import sys
from typing import TYPE_CHECKING, Any

from ..io import DEFAULT_MAX_PIXELS

if TYPE_CHECKING:
    from ..results import ResultProtocol


def pixel_count(text: str) -> int:
    """Parse ``--max-pixels``: a plain integer or one with a k/M/G suffix (``500M``)."""
    scale = {"k": 1e3, "m": 1e6, "g": 1e9}
    try:
        if text and text[-1].lower() in scale:
            value = int(float(text[:-1]) * scale[text[-1].lower()])
        else:
            value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a pixel count: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("must be positive")
    return value


def add_max_pixels(parser: argparse.ArgumentParser) -> None:
    """``--max-pixels N``: the decompression-bomb guard, overridable."""
    parser.add_argument(
        "--max-pixels", type=pixel_count, default=DEFAULT_MAX_PIXELS, metavar="N",
        help=f"refuse images larger than N pixels, e.g. 500M (default {DEFAULT_MAX_PIXELS:,})")


def add_page(parser: argparse.ArgumentParser, *inputs: str) -> None:
    """``--page N``: read page (frame) N of the multi-page or animated ``inputs`` (argument
    names); without it such files are refused. :func:`rasterkit.cli.main.run_command` wraps
    the named arguments in :class:`rasterkit.io.Page`."""
    parser.add_argument("--page", type=int, metavar="N",
                        help="read page N (0-based) of multi-page or animated inputs (GIF, "
                             "TIFF, WebP, PDF; a single image beside one is read as it is); "
                             "such files are refused without it")
    parser.set_defaults(_paged=inputs)


def add_json(parser: argparse.ArgumentParser) -> None:
    """``--json``: print the machine-readable result on stdout instead of text."""
    parser.add_argument("--json", action="store_true",
                        help="print the result as JSON on stdout (schema in the README)")


def add_colour(parser: argparse.ArgumentParser) -> None:
    """``--color WHEN``: colour the text output on a terminal (``auto``), always or never."""
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                        metavar="WHEN",
                        help="colour the text output: auto (default: on a terminal, unless "
                             "NO_COLOR is set or TERM=dumb), always or never")


def colour_wanted(when: str, stream: Any) -> bool:
    """Whether to colour text written to ``stream`` for ``--color WHEN`` (see
    https://no-color.org: NO_COLOR turns off the default, not an explicit ``always``)."""
    if when != "auto":
        return when == "always"
    isatty = getattr(stream, "isatty", None)
    return (bool(isatty and isatty()) and not os.environ.get("NO_COLOR")
            and os.environ.get("TERM") != "dumb")


def add_quiet(parser: argparse.ArgumentParser) -> None:
    """``-q/--quiet``: no progress bar and no notes on stderr."""
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="no progress bar or notes on stderr")


def _finite(data: Any) -> Any:
    """``data`` with NaN and infinities written as the strings ``"NaN"``, ``"Infinity"``,
    ``"-Infinity"`` (as GDAL's JSON does): JSON has no such numbers."""
    if isinstance(data, float) and not math.isfinite(data):
        return "NaN" if math.isnan(data) else ("Infinity" if data > 0 else "-Infinity")
    if isinstance(data, dict):
        return {key: _finite(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [_finite(value) for value in data]
    return data


def print_json(data: Any) -> None:
    """Write ``data`` as indented JSON (UTF-8, keys in the order given) to stdout; NaN and
    infinities as strings (see :func:`_finite`), so any JSON parser reads it."""
    import json  # here: only --json needs it (start-up)

    json.dump(_finite(data), sys.stdout, indent=2, ensure_ascii=False, allow_nan=False)
    sys.stdout.write("\n")


def print_report(result: ResultProtocol, as_json: bool,
                 printed: dict[str, Any] | None = None) -> None:
    """Print a command's result (:class:`rasterkit.results.ResultProtocol`): its JSON
    document (``--json``), followed by ``printed``, the keys only the command knows (the
    configuration file it read, its gate, ...), or else its text."""
    if as_json:
        print_json({**result.to_dict(), **printed} if printed else result.to_dict())
    else:
        sys.stdout.write(result.to_text())
