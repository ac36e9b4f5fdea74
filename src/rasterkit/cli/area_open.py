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

from .area_args import configure_area_filter, run_area_filter


def configure(parser: argparse.ArgumentParser) -> None:
    configure_area_filter(parser, "bright peaks are flattened")


def run(args: argparse.Namespace) -> int:
    return run_area_filter(args, closing=False)
