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
  rasterkit diff-dir before/ after/ -o review/ --junit review.xml --markdown - \
      >> "$GITHUB_STEP_SUMMARY"                                  # CI: tests and a summary
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .common import add_json, add_max_pixels, add_quiet, print_report
from .diff_options import (
    add_diff_options,
    add_gate,
    diff_options,
    gate_from,
    load_config,
    resolve,
)


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
    ci = parser.add_argument_group("CI outputs")
    ci.add_argument("--junit", metavar="FILE",
                    help="also write a JUnit XML file: one test case per pair; changed, new "
                         "and deleted pairs fail, with their hunks and report attached")
    ci.add_argument("--markdown", metavar="FILE",
                    help="also write a Markdown summary (counts, every pair that is not "
                         "identical, links to reports); '-' prints it instead of the text "
                         "listing, e.g. >> $GITHUB_STEP_SUMMARY")
    review = parser.add_argument_group("accepting changes into the baseline (BEFORE)")
    review.add_argument("--accept", nargs="*", metavar="PATH",
                        help="copy the changed and new images of AFTER over BEFORE and remove "
                             "the deleted ones: all of them, or only the relative PATHs given")
    review.add_argument("--accept-from", metavar="FILE",
                        help="accept the relative paths listed in FILE, one per line (the "
                             "index page copies such a list)")
    review.add_argument("--accept-hunk", nargs="+", metavar="FINGERPRINT",
                        help="accept single hunks (fingerprints from --json or the reports): "
                             "kept in BEFORE/.rasterkit-reviewed.json, they no longer fail in "
                             "this or later runs while the other hunks of their pair still do")
    review.add_argument("--dry-run", action="store_true",
                        help="with --accept or --accept-hunk: say what would be accepted, "
                             "change nothing")
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
    add_gate(parser)
    add_max_pixels(parser)
    add_quiet(parser)


def _ci_outputs(args: argparse.Namespace) -> dict[str, Path]:
    """The CI files asked for, checked before any work: ``{"junit": path, ...}``."""
    from ..batch.ci import check_ci_output
    from ..errors import BadInputError

    if args.markdown == "-" and args.json:
        raise BadInputError("--markdown - and --json both print to standard output; "
                            "write one of them to a file")
    inputs = (Path(args.before), Path(args.after))
    review = Path(args.output) if args.output else None
    return {kind: check_ci_output(getattr(args, kind), inputs, review)
            for kind in ("junit", "markdown")
            if getattr(args, kind) not in (None, "-")}


def _write_ci_outputs(result: Any, files: dict[str, Path]) -> None:
    from ..batch.ci import junit_xml, markdown_summary, write_text_file

    make = {"junit": junit_xml, "markdown": markdown_summary}
    for kind, path in files.items():
        write_text_file(make[kind](result.data, result.out, path.parent), path)


def _accept_paths(args: argparse.Namespace) -> list[str] | bool | None:
    """The paths to accept: a list, None for all, False when nothing is to be accepted."""
    from ..batch.accept import read_path_list
    from ..errors import BadInputError

    if args.accept is None and args.accept_from is None:
        if args.dry_run and not args.accept_hunk:
            raise BadInputError("--dry-run goes with --accept, --accept-from or --accept-hunk")
        return False
    listed = read_path_list(args.accept_from) if args.accept_from else []
    given = list(args.accept or []) + listed
    return given if given else (None if args.accept_from is None else [])


def _accept(result: Any, args: argparse.Namespace, paths: list[str] | None) -> list[Any]:
    """Accept into BEFORE (or only plan it with --dry-run); returns the acceptances."""
    from ..batch.accept import apply, plan

    before, after = Path(args.before), Path(args.after)
    done = plan(result.records, before, after, paths)
    if not args.dry_run:
        apply(done, before, after)
    return done


def _review_hunks(result: Any, args: argparse.Namespace, gate: Any
                  ) -> tuple[list[tuple[str, str, str]], Any]:
    """Store ``--accept-hunk`` fingerprints (unless --dry-run); returns them and the gate that
    honours every reviewed hunk of the baseline."""
    import dataclasses

    from ..batch.reviewed import accept_hunks, load

    before = Path(args.before)
    hunks = accept_hunks(result.records, before, args.accept_hunk or [],
                         store=not args.dry_run) if args.accept_hunk else []
    reviewed = frozenset(load(before))  # with the hunks just stored (none on a dry run)
    return hunks, dataclasses.replace(gate, reviewed=reviewed) if reviewed else gate


def _allowed(result: Any, gate: Any) -> list[str]:
    """The changed pairs every hunk of which the gate lets pass."""
    from ..linediff.gate import pair_fails

    return [r["path"] for r in result.records
            if r["status"] == "changed" and not pair_fails(r, gate)]


def _exit_status(result: Any, gate: Any, accepted: set[str]) -> int:
    """2 when a pair failed; 1 when a pair not accepted fails the gate (new, deleted, or a
    changed pair with a failing hunk); else 0."""
    from ..linediff.gate import pair_fails

    if result.data["summary"]["error"]:
        return 2
    return int(any(pair_fails(r, gate) for r in result.records if r["path"] not in accepted))


def run(args: argparse.Namespace) -> int:
    from ..batch import diff_dir

    config = load_config(args)
    given = diff_options(args)
    options = resolve(config, given)
    gate = gate_from(args, config)
    files = _ci_outputs(args)
    to_accept = _accept_paths(args)

    def pair_options(spec: Any) -> dict[str, Any]:
        return resolve(config, given, files=(spec.before, spec.after), inside=(spec.path,))

    result = diff_dir(args.before, args.after, args.output, workers=args.workers,
                      processes=not args.threads, scheduler=args.scheduler,
                      progress=not args.quiet and not args.json,
                      pair_options=pair_options if config.rules else None, **options)
    _write_ci_outputs(result, files)
    accepted: list[Any] = []
    if to_accept is not False:
        accepted = _accept(result, args, to_accept)
    hunks, gate = _review_hunks(result, args, gate)
    status = _exit_status(result, gate, set() if args.dry_run else {a.path for a in accepted})
    if args.json:
        printed: dict[str, Any] = {
            "config": None if config.source is None else str(config.source)}
        if to_accept is not False:
            printed["accepted"] = [{"path": a.path, "status": a.status, "action": a.action}
                                   for a in accepted]
            printed["dry_run"] = args.dry_run
        if gate.active:
            printed["gate"] = {**gate.describe(), "allowed": _allowed(result, gate)}
        if args.accept_hunk:
            printed["accepted_hunks"] = [{"fingerprint": f, "kind": k, "path": p}
                                         for f, k, p in hunks]
            printed["dry_run"] = args.dry_run
        print_report(result, True, printed)
        return status
    if args.markdown == "-":
        from ..batch.ci import markdown_summary

        sys.stdout.write(markdown_summary(result.data, result.out, Path.cwd()))
        return status
    sys.stdout.write(result.to_text(set(_allowed(result, gate)) if gate.active else set()))
    for item in accepted:
        print(item.line(args.dry_run))
    for fingerprint, kind, path in hunks:
        print(f"{'would accept' if args.dry_run else 'accepted'} hunk {fingerprint} "
              f"({kind}) of {path}")
    summary = result.data["summary"]
    if to_accept is not False:
        verb = "would accept" if args.dry_run else "accepted"
        differences = sum(summary[s] for s in ("changed", "new", "deleted"))
        print(f"{verb} {len(accepted):,} of {differences:,} differences into {args.before}")
    if summary["error"] and not args.quiet:
        print(f"rasterkit: error: {summary['error']} pair(s) could not be compared "
              "(listed above)", file=sys.stderr)
    return status
