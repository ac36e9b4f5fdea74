"""``make bench-corpus``: render the corpus, run every tool on every pair, score, write tables.

    python -m bench.corpus.run [--quick] [--tools NAME,...] [--families NAME,...] [--seed N]

Writes ``bench/out/corpus/results.json`` (every run and the summary) and ``results.md`` (the
tables); rendered pairs and their truth are kept in ``bench/out/corpus/pairs/`` and reused
while their pages do not change. Tools run one at a time, one process per pair.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import sys
import time
from pathlib import Path

from .families import corpus
from .measure import run_measured
from .render import render_corpus
from .report import markdown, summarize
from .score import failed_pair, score_pair
from .tools import ROOT, TOOLS, Pair, Tool
from .truth import Truth

OUT = ROOT / "bench" / "out" / "corpus"


def run_tool(tool: Tool, pair: Pair, truth: Truth, timeout: float) -> dict:
    """One run of ``tool`` on ``pair``, scored: a record for :mod:`bench.corpus.report`."""
    pair.scratch.mkdir(parents=True, exist_ok=True)
    run = run_measured(tool.command(pair), timeout=timeout, cwd=ROOT)
    status, note = "ok", ""
    if run.timed_out or run.returncode not in tool.ok:
        status = "failed"
        lines = (run.stderr or run.stdout).strip().splitlines() or [""]
        note = "timed out" if run.timed_out else f"exit {run.returncode}: {lines[-1][:200]}"
    else:
        try:
            score = score_pair(truth, tool.read(run, pair))
        except (ValueError, KeyError, IndexError, OSError) as error:
            status, note = "failed", f"unreadable output: {error}"
    if status != "ok":
        score = failed_pair(truth)
    return {"pair": truth.pair, "family": truth.family, "tool": tool.name, "status": status,
            "note": note, "seconds": round(run.seconds, 4), "peak_mb": round(run.peak_mb, 1),
            "score": score.to_dict()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a few pairs per family")
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument("--tools", help="comma-separated tool names (default: all)")
    parser.add_argument("--families", help="comma-separated families (default: all)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per run")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    families = args.families.split(",") if args.families else None
    wanted = args.tools.split(",") if args.tools else None
    specs = corpus(args.seed, quick=args.quick, families=families)
    print(f"rendering {len(specs)} pairs with chromium ...", flush=True)
    rendered = render_corpus(specs, args.out / "pairs")
    tools, skipped = [], {}
    for tool in TOOLS:
        if wanted and tool.name not in wanted:
            continue
        reason = tool.missing()
        if reason:
            skipped[tool.name] = reason
            print(f"  skipped {tool.name}: {reason}", flush=True)
        else:
            tools.append(tool)
    records = []
    for path_a, path_b, truth in rendered:
        for tool in tools:
            slug = re.sub(r"[^a-z0-9]+", "-", tool.name.lower()).strip("-")
            pair = Pair(path_a, path_b, truth.height_a, truth.height_b,
                        args.out / "scratch" / slug / truth.pair)  # one file name per pair:
            # libvips caches images by file name
            record = run_tool(tool, pair, truth, args.timeout)
            records.append(record)
            f1 = record["score"]["f1"]
            print(f"  {truth.pair:14} {tool.name:30} {record['status']:6} "
                  f"{record['seconds']:7.2f} s {record['peak_mb']:7.0f} MB  F1 "
                  f"{'-' if f1 is None else f'{f1:.2f}'} {record['note']}", flush=True)
    summary = summarize(records)
    table = markdown(summary)
    document = {"schema_version": 1, "seed": args.seed, "quick": args.quick,
                "pairs": len(rendered), "machine": platform.platform(),
                "python": sys.version.split()[0], "date": time.strftime("%Y-%m-%d"),
                "skipped_tools": skipped, "summary": summary, "records": records}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(document, indent=1))
    (args.out / "results.md").write_text(table)
    print(table)
    print(f"wrote {args.out / 'results.json'} and {args.out / 'results.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
