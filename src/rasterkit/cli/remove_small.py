"""Remove small objects (and fill small holes) of a binary image.

An object is a group of connected foreground (nonzero) pixels; objects with fewer than
--min-area pixels are set to 0, objects of --min-area pixels or more are kept. With --holes,
holes (groups of zero pixels that touch no image border, connected the other way: 4 for
8-connected objects) with fewer than --min-area pixels are then filled.

The input must be binary (0 and one other value: 0/1, 0/255, ...), unless --threshold T
makes value > T the foreground. The output keeps the input's pixel type and values (with
--threshold: 0 and the type's maximum). Images too large for --max-memory are processed in
strips read sequentially, with the same result.

examples:
  rasterkit remove-small in.png out.png --min-area 150
  rasterkit remove-small in.png out.png --min-area 150 --holes --connectivity 4
  rasterkit remove-small scan.tif mask.png --min-area 50 --threshold 127 --json
"""

from __future__ import annotations

import argparse

from .area_args import add_io, add_min_area, byte_size, whole_pixels
from .common import add_json, add_max_pixels, add_page, add_quiet, print_report


def configure(parser: argparse.ArgumentParser) -> None:
    add_io(parser, "binary image")
    add_min_area(parser, "objects are removed (with --holes, holes are filled)")
    parser.add_argument("--max-area", type=whole_pixels, metavar="N",
                        help="also remove objects with more than N pixels (keep only "
                             "min-area <= area <= N)")
    parser.add_argument("--holes", action="store_true",
                        help="then fill holes with fewer than --min-area pixels")
    parser.add_argument("--threshold", type=float, metavar="T",
                        help="binarise a greyscale image first: foreground is value > T")
    add_json(parser)
    add_max_pixels(parser)
    add_page(parser, "input")
    parser.add_argument("--max-memory", type=byte_size, metavar="SIZE", default=None,
                        help="work in strips when the image needs more memory than this "
                             "(default 2G)")
    parser.add_argument("--strip-rows", type=whole_pixels, metavar="ROWS",
                        help="work in strips of ROWS rows, whatever the size")
    add_quiet(parser)


def run(args: argparse.Namespace) -> int:
    from ..morphology import small_files
    from ..morphology.arguments import DEFAULT_MAX_MEMORY

    options = {"max_area": args.max_area, "connectivity": args.connectivity,
               "holes": args.holes, "threshold": args.threshold, "max_pixels": args.max_pixels,
               "max_memory": args.max_memory or DEFAULT_MAX_MEMORY,
               "strip_rows": args.strip_rows}
    # a small 8-bit image without numpy; anything else (or nothing done) on the numpy path
    report = small_files.remove_small_file(args.input, args.output, args.min_area, **options)
    if report is None:
        from ..morphology.files import remove_small_file

        report = remove_small_file(args.input, args.output, args.min_area, **options,
                                   progress=not args.quiet)
    print_report(report, args.json)
    return 0
