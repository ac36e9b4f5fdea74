"""Photomosaic: every pixel of MAIN becomes a tile, streamed to any size.

Automatic mode: each tile's average colour is measured and each pixel gets the tile whose
average is nearest (OKLab, exact). Palette mode (--palette): a TOML file says which tile
replaces which colour ("#000000" = "black.png", paths relative to the file); TILES may then be
left out.

The output is written by a streaming libvips saver: memory stays bounded by the output width
times a few tile rows, whatever the size (JPEG stops at 65,535 px per side; .tif (BigTIFF),
.png and .dz do not).

examples:
  rasterkit mosaic tiles/ main.jpg out.jpg --tile-size 16
  rasterkit mosaic main.png out.tif --palette palette.toml
  rasterkit mosaic tiles/ main.jpg out.dz --tile-size 32          # DeepZoom pyramid
  rasterkit mosaic tiles/ main.jpg out.jpg --columns 120 --max-uses 3 --min-distance 2
"""

from __future__ import annotations

import argparse
import sys

from .common import add_json, add_max_pixels, add_page, add_quiet, pixel_count, print_report


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="[TILES] MAIN OUTPUT",
                        help="tile folder (searched recursively; optional with --palette), the "
                             "main image, and the output (.jpg .png .tif .webp .dz .szi .v)")
    parser.add_argument("--tile-size", type=int, metavar="PX",
                        help="tile side in the output (default: the tiles' own size when all "
                             "are the same square size, else 16)")
    parser.add_argument("--fit", choices=("crop", "force"), default="crop",
                        help="make tiles square by centre crop (default) or by squeezing")
    parser.add_argument("--palette", metavar="FILE",
                        help="TOML palette: \"#rrggbb\" = \"tile.png\" (paths relative to it)")
    parser.add_argument("--fallback", choices=("error", "nearest"), default="error",
                        help="palette mode: a colour not in the palette is an error (default) "
                             "or drawn with the nearest palette colour's tile")
    parser.add_argument("--space", choices=("oklab", "lab"), default="oklab",
                        help="colour space for nearest-colour matching (default oklab)")
    parser.add_argument("--columns", type=int, metavar="N",
                        help="resize the main image to N columns first (one tile per pixel)")
    parser.add_argument("--max-uses", type=int, metavar="N",
                        help="use no tile more than N times")
    parser.add_argument("--min-distance", type=int, default=0, metavar="CELLS",
                        help="do not repeat a tile within CELLS cells (1: not next to itself)")
    parser.add_argument("--blend", type=float, default=0.0, metavar="0..1",
                        help="colour-correct each tile toward its pixel's colour (0: off, "
                             "1: the block's mean equals the pixel)")
    parser.add_argument("--seed", type=int, default=0,
                        help="order of the greedy pass under --max-uses/--min-distance")
    parser.add_argument("--background", default="#ffffff", metavar="#RRGGBB",
                        help="colour transparent pixels are flattened onto (default white)")
    parser.add_argument("--manifest", metavar="FILE",
                        help="also write which tile went where (.json or .csv)")
    parser.add_argument("--quality", type=int, metavar="Q", help="JPEG/WebP quality (1-100)")
    parser.add_argument("--compression",
                        choices=("none", "lzw", "deflate", "zstd", "jpeg", "webp"),
                        help="TIFF compression (default none)")
    parser.add_argument("--skip-unreadable", action="store_true",
                        help="skip tile files that cannot be read as one image (undecodable, "
                             "animated or multi-page) instead of failing")
    parser.add_argument("--no-tile-cache", action="store_true",
                        help="decode every tile file again instead of reusing the prepared "
                             "tiles kept in $RASTERKIT_CACHE or ~/.cache/rasterkit")
    add_max_pixels(parser)
    add_page(parser)  # the main image; it is wrapped in run(), being one of 'paths'
    from ..photomosaic import DEFAULT_MAX_OUTPUT_PIXELS

    parser.add_argument("--max-output-pixels", type=pixel_count, metavar="N",
                        default=DEFAULT_MAX_OUTPUT_PIXELS,
                        help="refuse a mosaic larger than N pixels, e.g. 40G (default 16G)")
    add_quiet(parser)
    add_json(parser)


def run(args: argparse.Namespace) -> int:
    from ..errors import BadInputError
    from ..photomosaic import mosaic
    from ..progress import PhasedProgress

    paths = args.paths
    if len(paths) == 3:
        tiles, main, output = paths
    elif len(paths) == 2 and args.palette:
        tiles, (main, output) = None, paths
    else:
        need = "[TILES] MAIN OUTPUT with --palette" if args.palette else "TILES MAIN OUTPUT"
        raise BadInputError(f"expected {need}, got {len(paths)} path"
                            f"{'s' if len(paths) != 1 else ''}")
    if args.page is not None:
        from ..io import Page

        main = Page(main, args.page)
    bar = PhasedProgress(enabled=not args.quiet and not args.json)
    try:
        result = mosaic(tiles, main, output, tile_size=args.tile_size, fit=args.fit,
                        palette=args.palette, fallback=args.fallback, space=args.space,
                        columns=args.columns, max_uses=args.max_uses,
                        min_distance=args.min_distance, blend=args.blend, seed=args.seed,
                        background=args.background, manifest=args.manifest,
                        quality=args.quality, compression=args.compression,
                        skip_unreadable=args.skip_unreadable,
                        tile_cache=not args.no_tile_cache, max_pixels=args.max_pixels,
                        max_output_pixels=args.max_output_pixels,
                        progress=bar.advance, on_total=bar.start)
    finally:
        bar.close()
    print_report(result, args.json)
    if not args.json and result.skipped_tiles and not args.quiet:
        print(f"skipped {len(result.skipped_tiles)} unreadable tile file(s), first: "
              f"{result.skipped_tiles[0]}", file=sys.stderr)
    return 0
