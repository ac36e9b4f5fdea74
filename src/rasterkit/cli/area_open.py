"""Greyscale area opening: flatten bright peaks smaller than an area.

Every connected region brighter than its surroundings with fewer than --min-area pixels is
lowered to the level of its surroundings; larger regions keep their values. On a binary
image this removes the objects smaller than --min-area. The output keeps the input's pixel
type (8/16-bit, float: use .tif for float).

examples:
  rasterkit area-open gray.png out.png --min-area 150
  rasterkit area-open gray.png out.png --min-area 150 --connectivity 4 --json
"""

from __future__ import annotations

import argparse

from .area_args import add_io, add_min_area, print_report
from .common import add_json, add_max_pixels


def configure(parser: argparse.ArgumentParser) -> None:
    add_io(parser, "greyscale image")
    add_min_area(parser, "bright peaks")
    add_json(parser)
    add_max_pixels(parser)


def run(args: argparse.Namespace) -> int:
    from ..morphology.files import area_filter_file

    report = area_filter_file(args.input, args.output, args.min_area,
                              connectivity=args.connectivity, max_pixels=args.max_pixels)
    print_report(report, args.json)
    return 0
