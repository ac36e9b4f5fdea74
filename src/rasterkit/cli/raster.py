"""Raw multiband rasters (ENVI BSQ/BIL/BIP): describe, split into images, convert.

INPUT is an ENVI header (scene.hdr), its data file (scene.img, found via scene.hdr), or a
header-less raw file described with --shape ROWSxCOLSxBANDS --dtype TYPE --interleave bip.

Bands are numbered from 0, as in Python and Spectral Python: ENVI's and GDAL's "Band 1" is
band 0 here. Row ranges are 0-based and half-open.

examples:
  rasterkit raster info scene.hdr
  rasterkit raster split scene.hdr out/ --format png
  rasterkit raster split scene.hdr out/ --bands 29,19,9 --rgb quicklook.jpg
  rasterkit raster convert scene.hdr out.hdr --interleave bsq
  rasterkit raster split scene.raw out/ --shape 8000x8000x5 --dtype uint8 --interleave bip
"""

from __future__ import annotations

import argparse
from typing import Any

from .common import add_json, add_quiet, print_report

BANDS_HELP = ("0-based band numbers, e.g. 29,19,9, or half-open ranges like 0:10 "
              "(band 0 is ENVI/GDAL 'Band 1')")


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True,
                                parser_class=type(parser))
    raw = argparse.RawDescriptionHelpFormatter

    info = sub.add_parser("info", help="size, bands, type, interleave, wavelengths",
                          formatter_class=raw,
                          description="Describe a raw cube: size, sample type, byte order, "
                                      "interleave, wavelengths and the header's keys.")
    _add_input(info, interleave_flag=True)
    add_json(info)

    split = sub.add_parser("split", help="one image per band (PNG stretched / TIFF as stored)",
                           formatter_class=raw,
                           description="Write one image per band into OUTDIR (made if "
                                       "missing) as <stem>_b<band>.png|tif|npy, and/or an RGB "
                                       "quick-look.\n"
                                       "PNG: 8-bit, stretched between two percentiles of each "
                                       "band.\nTIFF: values and type as stored (16-bit kept; "
                                       "not 64-bit or complex, which libvips cannot read "
                                       "back).\nNPY: numpy arrays, any type exactly.\n"
                                       "Either every file is written or none.")
    _add_input(split, interleave_flag=True)
    split.add_argument("outdir", nargs="?", metavar="OUTDIR",
                       help="folder for the band images, made if missing (optional with "
                            "--rgb)")
    split.add_argument("--format", choices=("png", "tif", "npy"), default="png",
                       help="png (8-bit, stretched; default), tif (values as stored; not "
                            "64-bit or complex) or npy (numpy, any type exactly)")
    split.add_argument("--bands", metavar="LIST", help=f"bands to write (default all): "
                                                       f"{BANDS_HELP}")
    split.add_argument("--stretch", metavar="LOW,HIGH",
                       help="percentiles mapped to 0 and 255 (default 2,98 for png and the "
                            "quick-look; tif keeps values unless given); 'none' writes 8/16-bit "
                            "values as stored")
    split.add_argument("--rgb", metavar="FILE",
                       help="also write an RGB quick-look (.jpg, .png, .tif, .webp) of 3 bands: "
                            "--rgb-bands, else --bands when it lists 3, else the header's "
                            "'default bands', else those nearest 640/550/460 nm, else 0,1,2")
    split.add_argument("--rgb-bands", metavar="R,G,B", help="the quick-look's bands (0-based)")
    split.add_argument("--prefix", help="file name prefix (default: the data file's stem)")
    add_quiet(split)
    add_json(split)

    convert = sub.add_parser("convert", help="re-write with another interleave (.hdr + data)",
                             formatter_class=raw,
                             description="Re-write a cube with another interleave and/or byte "
                                         "order, streaming (bounded memory). OUTPUT.hdr writes "
                                         "OUTPUT.hdr + OUTPUT.img; OUTPUT.bsq (.img, .dat, ...) "
                                         "writes it + OUTPUT.hdr. Header keys are kept.")
    _add_input(convert, interleave_flag=False)
    convert.add_argument("output", metavar="OUTPUT", help="output header or data file name")
    convert.add_argument("--interleave", dest="out_interleave", choices=("bsq", "bil", "bip"),
                         required=True, help="interleave to write")
    convert.add_argument("--byte-order", dest="out_byte_order", choices=("little", "big"),
                         help="byte order to write (default: the input's)")
    add_quiet(convert)
    add_json(convert)


def _add_input(parser: argparse.ArgumentParser, *, interleave_flag: bool) -> None:
    parser.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="show a full traceback on errors (for bug reports)")
    parser.add_argument("input", metavar="INPUT", help="scene.hdr, its data file, or a raw file")
    group = parser.add_argument_group(
        "header-less input", "--shape reads INPUT as raw samples without a header (any .hdr "
        "is then ignored); with a header, the other options override its values")
    group.add_argument("--shape", metavar="ROWSxCOLSxBANDS",
                       help="image rows (lines) x columns (samples) x bands, e.g. 8000x8000x5")
    group.add_argument("--dtype", metavar="TYPE",
                       help="uint8 (default), int8, uint16, int16, uint32, int32, uint64, "
                            "int64, float32, float64, complex64, complex128, or an ENVI code")
    flags = ["--interleave", "--in-interleave"] if interleave_flag else ["--in-interleave"]
    group.add_argument(*flags, dest="in_interleave", choices=("bsq", "bil", "bip"),
                       help="sample order in the file (default bsq)")
    flags = ["--byte-order", "--in-byte-order"] if interleave_flag else ["--in-byte-order"]
    group.add_argument(*flags, dest="in_byte_order", choices=("little", "big"),
                       help="byte order in the file (default little)")
    group.add_argument("--offset", type=int, metavar="BYTES",
                       help="bytes to skip at the start of the file (default 0)")


def _open(args: argparse.Namespace) -> Any:
    from ..errors import BadInputError
    from ..raster import open as open_cube

    if args.offset is not None and args.offset < 0:
        raise BadInputError(f"--offset must be >= 0, not {args.offset}")
    # Without --shape, --dtype/--interleave/--byte-order/--offset override the header's
    # values (to read a file whose header is wrong).
    return open_cube(args.input, shape=args.shape, dtype=args.dtype,
                     interleave=args.in_interleave, byte_order=args.in_byte_order,
                     offset=args.offset)


def run(args: argparse.Namespace) -> int:
    return {"info": _info, "split": _split, "convert": _convert}[args.action](args)


def _info(args: argparse.Namespace) -> int:
    print_report(_open(args).info(), args.json)
    return 0


def _split(args: argparse.Namespace) -> int:
    from ..progress import PhasedProgress
    from ..raster.band_images import parse_band_list
    from ..raster.small_split import split_small

    bands = parse_band_list(args.bands) if args.bands else None
    rgb_bands = parse_band_list(args.rgb_bands) if args.rgb_bands else None
    stretch: Any = "auto" if args.stretch is None else args.stretch
    bar = PhasedProgress("split", enabled=not args.quiet)
    options = {"bands": bands, "fmt": args.format, "stretch": stretch, "rgb": args.rgb,
               "rgb_bands": rgb_bands, "prefix": args.prefix, "progress": bar.advance,
               "on_total": bar.start}
    try:
        # a small cube without numpy; anything else (or nothing done) on the numpy path
        result = split_small(args.input, args.outdir, **options, shape=args.shape,
                             dtype=args.dtype, interleave=args.in_interleave,
                             byte_order=args.in_byte_order, offset=args.offset)
        if result is None:
            from ..raster.export import split

            result = split(_open(args), args.outdir, **options)
    finally:
        bar.close()
    print_report(result, args.json)
    return 0


def _convert(args: argparse.Namespace) -> int:
    from ..progress import PhasedProgress
    from ..raster.writer import convert

    cube = _open(args)
    bar = PhasedProgress("convert", enabled=not args.quiet)
    bar.start(cube.nrows)
    try:
        written = convert(cube, args.output, interleave=args.out_interleave,
                          byte_order=args.out_byte_order, progress=bar.advance)
    finally:
        bar.close()
    print_report(written, args.json)
    return 0
