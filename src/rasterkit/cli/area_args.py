"""Arguments shared by the area filters: remove-small, area-open, area-close."""

from __future__ import annotations

import argparse
import re


def whole_pixels(text: str) -> int:
    """Parse an area: a whole number of pixels >= 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a whole number of pixels, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1 pixel, not {value}")
    return value


#: A memory size: a number and an optional unit (compiled where used: start-up).
_SIZE = r"(\d+(?:\.\d*)?)\s*([kmg]?)(?:i?b)?"


def byte_size(text: str) -> int:
    """Parse a memory size in bytes: ``1000000``, ``512M``, ``2G``, ``64KiB`` (powers of 1024)."""
    match = re.fullmatch(_SIZE, text.strip(), re.IGNORECASE)
    if match is None:
        raise argparse.ArgumentTypeError(f"not a memory size: {text!r} (e.g. 512M, 2G)")
    number, unit = match.groups()
    value = int(float(number) * 1024 ** " kmg".index(unit.lower() or " "))
    if value <= 0:
        raise argparse.ArgumentTypeError("must be positive")
    return value


def add_io(parser: argparse.ArgumentParser, what: str) -> None:
    """The input and output positionals."""
    parser.add_argument("input", metavar="IN", help=f"{what} (any format libvips reads)")
    parser.add_argument("output", metavar="OUT",
                        help="where to write the result: .png, .tif, .webp (lossless) or .v; "
                             "never the input")


def add_min_area(parser: argparse.ArgumentParser, what: str) -> None:
    """``--min-area N`` (required) and ``--connectivity {4,8}``; ``what`` says what goes,
    e.g. ``"objects ... are removed"``."""
    parser.add_argument("--min-area", type=whole_pixels, required=True, metavar="N",
                        help=f"{what} when they have fewer than N pixels; N pixels or more "
                             "are kept")
    parser.add_argument("--connectivity", type=int, choices=(4, 8), default=8,
                        help="8 (default): pixels touching by a corner are connected; "
                             "4: only by an edge")


def configure_area_filter(parser: argparse.ArgumentParser, what: str) -> None:
    """The options of area-open / area-close."""
    from .common import add_json, add_max_pixels, add_page

    add_io(parser, "greyscale image")
    add_min_area(parser, what)
    add_json(parser)
    add_max_pixels(parser)
    add_page(parser, "input")


def run_area_filter(args: argparse.Namespace, closing: bool) -> int:
    """area-open / area-close: filter the file (a small 8- or 16-bit one without numpy, see
    :mod:`rasterkit.morphology.small_files`), print the report."""
    from ..morphology import small_files
    from .common import print_report

    options = {"closing": closing, "connectivity": args.connectivity,
               "max_pixels": args.max_pixels}
    report = small_files.area_filter_file(args.input, args.output, args.min_area, **options)
    if report is None:
        from ..morphology.files import area_filter_file

        report = area_filter_file(args.input, args.output, args.min_area, **options)
    print_report(report, args.json)
    return 0
