"""Diff every pair of images of two folders (matched by relative path), in parallel on Dask.

Prints one line per pair that is not identical, then a summary; with -o FOLDER also writes
FOLDER/index.html (every pair: thumbnail, hunks, changed rows and pixels; sortable,
filterable), each changed pair's report and results.json.

exit status: 0 all identical, 1 any difference (changed, new or deleted), 2 a pair failed or a
folder is unusable

examples:
  rasterkit diff-dir before/ after/ -o review/
  rasterkit diff-dir before/ after/ -o review/ --json
  rasterkit diff-dir before/ after/ --workers 2                  # local processes (Dask)
  rasterkit diff-dir before/ after/ --scheduler tcp://host:8786  # an existing Dask cluster
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .common import add_json, add_max_pixels, add_quiet, print_json
from .diff_options import add_diff_options, diff_options


def _workers(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("before", metavar="BEFORE", help="folder of the images before")
    parser.add_argument("after", metavar="AFTER", help="folder of the images after")
    parser.add_argument("-o", "--output", metavar="FOLDER",
                        help="write index.html, results.json and each changed pair's report "
                             "into FOLDER (new, empty, or an earlier review)")
    add_json(parser)
    run_group = parser.add_argument_group("execution (Dask)")
    run_group.add_argument("--workers", type=_workers, default=None, metavar="N",
                           help="parallel workers (default: one per core; 1 runs in this "
                                "process)")
    run_group.add_argument("--threads", action="store_true",
                           help="local workers are threads of one process, not processes")
    run_group.add_argument("--scheduler", metavar="ADDRESS",
                           help="use an existing dask.distributed scheduler, e.g. "
                                "tcp://host:8786 (workers need rasterkit and these paths)")
    add_diff_options(parser)
    add_max_pixels(parser)
    add_quiet(parser)


def _line(record: dict[str, Any]) -> str:
    status, path = record["status"], record["path"]
    if status == "changed":
        hunks = record["hunks"]
        kinds = ", ".join(f"{n} {kind}" for kind, n in hunks.items() if n)
        total = sum(hunks.values())
        return (f"changed  {path}  {total} hunk{'s' * (total != 1)} ({kinds}), "
                f"{record['changed_rows']:,} rows, {record['changed_pixels']:,} px")
    if status in ("error", "skipped"):
        return f"{status:<8} {path}: {record['note']}"
    return f"{status:<8} {path}"


def run(args: argparse.Namespace) -> int:
    from ..batch import diff_dir

    options = diff_options(args)
    result = diff_dir(args.before, args.after, args.output, workers=args.workers,
                      processes=not args.threads, scheduler=args.scheduler,
                      progress=not args.quiet and not args.json, **options)
    if args.json:
        print_json(result.data)
        return result.exit_status
    for record in result.records:
        if record["status"] != "identical":
            print(_line(record))
    summary = result.data["summary"]
    counts = ", ".join(f"{summary[s]:,} {s}" for s in
                       ("changed", "new", "deleted", "error", "identical", "skipped")
                       if summary[s])
    where = f"; index: {result.out / 'index.html'}" if result.out is not None else ""
    print(f"{args.before} vs {args.after}: {summary['pairs']:,} files ({counts or 'none'})"
          f"{where}")
    if summary["error"] and not args.quiet:
        print(f"rasterkit: error: {summary['error']} pair(s) could not be compared "
              "(listed above)", file=sys.stderr)
    return result.exit_status
