"""Thin the objects of a binary image to lines one pixel wide (8-connected).

Methods: guo-hall (default; Guo and Hall's A1, equal to scikit-image's thin: keeps every
stroke, and thins a 2 x 2 square to one pixel) and zhang-suen (the 1984 algorithm as
published, which erases 2 x 2 squares and wears 2-pixel-wide diagonal strokes down to a dot).
Both keep the objects' connectivity and treat pixels outside the image as background.

The input must be binary (0 and one other value), unless --threshold T makes value > T the
foreground ('otsu': Otsu's threshold). The output keeps the input's pixel type and values
(with --threshold: 0 and the type's maximum) in a lossless format.

examples:
  rasterkit skeletonize in.png out.png
  rasterkit skeletonize in.png out.png --method zhang-suen --json
  rasterkit skeletonize scan.png lines.png --threshold otsu
"""

from __future__ import annotations

import argparse

from ..morphology.methods import DEFAULT_METHOD, METHODS
from .area_args import add_io
from .common import print_report
from .compare_args import add_threshold


def _iterations(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, not {value}")
    return value


def configure(parser: argparse.ArgumentParser) -> None:
    from .common import add_json, add_max_pixels, add_page

    add_io(parser, "binary image")
    parser.add_argument("--method", choices=METHODS, default=DEFAULT_METHOD,
                        help=f"thinning algorithm (default {DEFAULT_METHOD})")
    add_threshold(parser)
    parser.add_argument("--max-iterations", type=_iterations, metavar="N",
                        help="stop after N full iterations (default: until nothing changes)")
    add_json(parser)
    add_max_pixels(parser)
    add_page(parser, "input")


def run(args: argparse.Namespace) -> int:
    from ..morphology import small_files

    options = {"method": args.method, "threshold": args.threshold,
               "max_iterations": args.max_iterations, "max_pixels": args.max_pixels}
    # a small 8-bit image without numpy; anything else (or nothing done) on the numpy path
    result = small_files.skeletonize_file(args.input, args.output, **options)
    if result is None:
        from ..morphology.skeleton import skeletonize_file

        result = skeletonize_file(args.input, args.output, **options)
    print_report(result, args.json)
    return 0
