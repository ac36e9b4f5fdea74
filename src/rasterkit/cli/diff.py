"""Line-oriented diff of two images: the pixel rows are the lines.

Finds the sections only A has (removed), only B has (added), that both have with different
contents (changed) and that moved (moved), re-synchronising after each, and prints one line per
hunk with 0-based, half-open row ranges:  @@ -A_START:A_STOP +B_START:B_STOP @@ KIND ...
Where the page holds columns (a sidebar beside the content, a grid of cards), each column's
rows are aligned on their own, and a hunk inside one column ends "in x X0:X1" (its columns);
--no-columns aligns whole rows only.

Rendering noise (anti-aliasing, dithering: colour differences below --threshold, or in
anti-aliased pixels) is forgiven by default and counted in the summary; --exact compares bytes.

exit status: 0 identical, 1 different, 2 trouble (as diff and cmp)

examples:
  rasterkit diff before.png after.png
  rasterkit diff before.png after.png --json
  rasterkit diff before.png after.png -o sbs.png                  # aligned side-by-side
  rasterkit diff before.png after.png -o ov.png --view overlay    # 50/50 blend, red rows
  rasterkit diff before.png after.png -o report.html              # interactive HTML report
  rasterkit diff before.png after.png -o sbs.png -o report.html   # several outputs, one diff
  rasterkit diff before.png after.png --exact                     # byte-exact rows
  rasterkit diff a.png b.png --ignore 0,0,1400,56 --ignore-b 1200,300,180,40
  rasterkit diff a.png b.png --mask-color '#ff00ff'  # pixels of this colour are not compared
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .common import (
    add_colour,
    add_json,
    add_max_pixels,
    add_page,
    add_quiet,
    colour_wanted,
    print_report,
)
from .diff_options import (
    add_diff_options,
    add_gate,
    diff_options,
    gate_from,
    load_config,
    resolve,
)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("a", metavar="A", help="the image before (any format libvips reads)")
    parser.add_argument("b", metavar="B", help="the image after")
    add_json(parser)
    parser.add_argument("-o", "--output", metavar="FILE", action="append", default=[],
                        help="also write FILE: a picture (.png, .jpg, .webp, .tif) or the "
                             "interactive report (.html, with its tiles in FILE_files/); "
                             "repeat for several")
    parser.add_argument("--view", choices=("side-by-side", "overlay"), default="side-by-side",
                        help="picture for -o: aligned side-by-side (default) or 50/50 overlay; "
                             "for a report, the view it opens with")
    parser.add_argument("--no-highlight", action="store_true",
                        help="side-by-side: do not outline the clusters of differing pixels")
    add_diff_options(parser)
    add_max_pixels(parser)
    add_page(parser, "a", "b")
    add_gate(parser)
    add_quiet(parser)
    add_colour(parser)


def _inputs(args: argparse.Namespace, options: dict[str, Any]) -> tuple[str, ...]:
    """Every file the command reads: the images and any mask, from the command line or the
    configuration (outputs must not replace them)."""
    masks = (options.get(key) for key in ("mask", "mask_a", "mask_b"))
    return (args.a, args.b, *(m for m in masks if m is not None))


def _check_outputs(args: argparse.Namespace, inputs: tuple[str, ...]) -> None:
    """Refuse bad output paths before any decoding."""
    if not args.output:
        return  # nothing to check: the report's modules stay unimported
    from pathlib import Path

    from ..errors import OutputError
    from ..io import check_output
    from ..linediff.report import REPORT_SUFFIXES, check_report_output
    from ..suffixes import PICTURE_SUFFIXES

    seen: set[Path] = set()
    for output in args.output:
        path = Path(output).resolve()
        if path in seen:
            raise OutputError(f"{output}: given twice with -o")
        seen.add(path)
        if Path(output).suffix.lower() in REPORT_SUFFIXES:
            check_report_output(output, inputs)
        else:
            check_output(output, inputs, PICTURE_SUFFIXES | REPORT_SUFFIXES)


def _write_outputs(result: object, args: argparse.Namespace, inputs: tuple[str, ...]) -> None:
    from pathlib import Path

    for output in args.output:
        from ..linediff.report import REPORT_SUFFIXES

        if Path(output).suffix.lower() in REPORT_SUFFIXES:
            from ..linediff.report import write_report

            view = "aligned" if args.view == "side-by-side" else "overlay"
            info = write_report(result, output, view=view, inputs=inputs,
                                progress=not args.quiet)
            if not args.quiet:
                print(f"rasterkit: wrote {info.path} and {info.folder}/ "
                      f"({info.tiles} tiles, {info.bytes / 1e6:.1f} MB)", file=sys.stderr)
        else:
            from ..linediff.render import render

            render(result, output, view=args.view, highlight=not args.no_highlight,
                   inputs=inputs)


def run(args: argparse.Namespace) -> int:
    from ..linediff import diff

    config = load_config(args)
    options = resolve(config, diff_options(args), files=(args.a, args.b))
    inputs = _inputs(args, options)
    _check_outputs(args, inputs)
    if args.output:
        # Pictures need numpy: import it on a thread while the images decode.
        import importlib
        import threading

        threading.Thread(target=importlib.import_module, args=("rasterkit.linediff.render",),
                         daemon=True).start()
    gate = gate_from(args, config)
    result = diff(args.a, args.b, **options)
    _write_outputs(result, args, inputs)
    failing = gate.failing(result.hunks, max(result.a.width, result.b.width))
    if args.json:
        printed: dict[str, Any] = {
            "config": None if config.source is None else str(config.source)}
        if gate.active:
            printed["gate"] = {**gate.describe(), "failing": len(failing)}
        print_report(result, True, printed)
    else:
        sys.stdout.write(result.to_text(colour_wanted(args.color, sys.stdout)))
        if gate.active and result.hunks:
            rule = gate.describe()
            print(f"gate: {len(failing)} of {len(result.hunks)} hunks fail (fail on "
                  f"{','.join(rule['fail_on'])}; allow {', '.join(rule['allow']) or 'nothing'})")
    if result.identical:
        return 0
    return 1 if failing or not result.hunks else 0
