"""Greyscale area closing: fill dark pits smaller than an area.

Every connected region darker than its surroundings with fewer than --min-area pixels is
raised to the level of its surroundings; larger regions keep their values. On a binary image
this fills the zero regions (holes, or pieces of background at the border) smaller than
--min-area. The output keeps the input's pixel type (8/16-bit, float: use .tif for float).

examples:
  rasterkit area-close gray.png out.png --min-area 150
  rasterkit area-close gray.png out.png --min-area 150 --connectivity 4 --json
"""

from __future__ import annotations

import argparse

from .area_args import configure_area_filter, run_area_filter


def configure(parser: argparse.ArgumentParser) -> None:
    configure_area_filter(parser, "dark pits are filled")


def run(args: argparse.Namespace) -> int:
    return run_area_filter(args, closing=True)
