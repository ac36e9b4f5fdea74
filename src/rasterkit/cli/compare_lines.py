"""Compare two line drawings (skeletons) with a tolerance.

Each line pixel of one drawing is measured against the nearest line pixel of the other; a
pixel matches when that distance is at most --tolerance px. Reports recall (share of A's
line pixels matched), precision (share of B's), F1, chamfer distances both ways, HD95, the
Hausdorff distance and where it occurs (row, col in A and in B), the correlation of the
drawings blurred with a Gaussian of --sigma px, and end points and junctions matched within
the tolerance. A is the reference. With --skeletonize, thick drawings are thinned first.

The picture (-o) shows matched line pixels dark grey (60,60,60), A's unmatched ones
vermillion (213,94,0) and B's blue (0,114,178), each with a one-pixel halo so that single
pixels stand out, on white.

exit status: 0 same (every line pixel within the tolerance of the other drawing),
1 different, 2 trouble

examples:
  rasterkit compare-lines a.png b.png --tolerance 2
  rasterkit compare-lines a.png b.png --tolerance 2 --json
  rasterkit compare-lines a.png b.png -o overlay.png
  rasterkit compare-lines scan_a.png scan_b.png --threshold otsu --skeletonize
"""

from __future__ import annotations

import argparse

from ..morphology.methods import DEFAULT_METHOD, METHODS
from .common import print_report
from .compare_args import add_pair, add_picture, pixels


def configure(parser: argparse.ArgumentParser) -> None:
    add_pair(parser, "line drawing")
    parser.add_argument("-t", "--tolerance", type=pixels, default=2.0, metavar="PX",
                        help="a line pixel matches when the other drawing has one at most PX "
                             "away (default 2)")
    parser.add_argument("--sigma", type=pixels, metavar="PX",
                        help="Gaussian blur of the correlation (default: the tolerance, at "
                             "least 1)")
    parser.add_argument("--skeletonize", nargs="?", const=DEFAULT_METHOD, metavar="METHOD",
                        choices=METHODS,
                        help=f"thin both drawings first ({DEFAULT_METHOD}, the default, or "
                             f"{METHODS[1]})")
    add_picture(parser, "the overlay picture")


def run(args: argparse.Namespace) -> int:
    from ..compare import lines, overlay_image, save_picture
    from ..compare.pictures import check_picture

    if args.output:
        check_picture(args.output, (args.a, args.b))
    result = lines(args.a, args.b, tolerance=args.tolerance, sigma=args.sigma,
                   skeletonize=args.skeletonize or False, threshold=args.threshold,
                   pad=args.pad, max_pixels=args.max_pixels)
    if args.output:
        save_picture(overlay_image(result), args.output, (args.a, args.b))
    print_report(result, args.json)
    return 0 if result.same else 1
