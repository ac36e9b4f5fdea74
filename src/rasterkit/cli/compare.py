"""Compare two binary images: how many pixels differ, and how far apart they are.

Counts the pixels in the foreground of both images, of A only, of B only and of neither,
and reports IoU, Dice, precision (share of B's foreground that is A's), recall (share of A's
foreground that B has), the Hamming fraction, log1p(differing pixels) and the mean symmetric
surface distance in pixels. A is the reference.

The picture (-o) shows pixels in both images grey, in A only vermillion (213,94,0), in B
only blue (0,114,178), in neither white, or with --over-a A's own image faded.

exit status: 0 identical, 1 different, 2 trouble

examples:
  rasterkit compare a.png b.png
  rasterkit compare a.png b.png --json
  rasterkit compare a.png b.png -o delta.png
  rasterkit compare scan_a.png scan_b.png --threshold otsu -o delta.png --over-a
  rasterkit compare small.png large.png --pad
"""

from __future__ import annotations

import argparse

from .common import print_report
from .compare_args import add_pair, add_picture


def configure(parser: argparse.ArgumentParser) -> None:
    add_pair(parser, "binary image")
    add_picture(parser, "the signed delta picture")
    parser.add_argument("--over-a", action="store_true",
                        help="picture: show A's own image, faded, where neither image has "
                             "foreground (instead of white)")
    parser.add_argument("--no-surface-distance", action="store_true",
                        help="skip the mean surface distance (reported as null)")


def run(args: argparse.Namespace) -> int:
    from ..compare import binary, delta_image, save_picture
    from ..compare.pictures import check_picture

    if args.output:
        check_picture(args.output, (args.a, args.b))
    result = binary(args.a, args.b, threshold=args.threshold, pad=args.pad,
                    surface_distance=not args.no_surface_distance, max_pixels=args.max_pixels)
    if args.output:
        save_picture(delta_image(result, backdrop=args.over_a), args.output, (args.a, args.b))
    print_report(result, args.json)
    return 0 if result.identical else 1
