"""Options shared by compare, compare-lines and skeletonize."""

from __future__ import annotations

import argparse


def threshold_value(text: str) -> float | str:
    """Parse ``--threshold``: a number, or ``otsu``."""
    if text.strip().lower() == "otsu":
        return "otsu"
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a number or 'otsu': {text!r}") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise argparse.ArgumentTypeError(f"must be a finite number, not {text!r}")
    return value


def pixels(text: str) -> float:
    """Parse a distance in pixels: a finite number >= 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of pixels: {text!r}") from None
    if not 0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a finite number of pixels >= 0, not {text}")
    return value


def add_threshold(parser: argparse.ArgumentParser) -> None:
    """``--threshold T|otsu``."""
    parser.add_argument(
        "--threshold", type=threshold_value, metavar="T|otsu",
        help="binarise greyscale input first: foreground is value > T; 'otsu' picks each "
             "image's Otsu threshold (without it, input must be binary: 0 and one value)")


def add_pair(parser: argparse.ArgumentParser, what: str) -> None:
    """The two inputs, ``--threshold``, ``--pad``, ``--json``, ``--max-pixels``."""
    from .common import add_json, add_max_pixels, add_page

    parser.add_argument("a", metavar="A", help=f"the reference {what} (any format libvips "
                                               "reads)")
    parser.add_argument("b", metavar="B", help=f"the {what} compared with it")
    add_threshold(parser)
    parser.add_argument("--pad", action="store_true",
                        help="pad the smaller image with background (bottom and right) to "
                             "the larger size; without it, sizes must match")
    add_json(parser)
    add_max_pixels(parser)
    add_page(parser, "a", "b")


def add_picture(parser: argparse.ArgumentParser, what: str) -> None:
    """``-o/--output FILE`` for a picture."""
    parser.add_argument("-o", "--output", metavar="FILE",
                        help=f"also write {what} (.png, .webp, .tif, .jpg); never an input")
