"""``make bench``: every capability beside its anchors, in one run.

    python -m bench.run                 # all capabilities
    python -m bench.run diff raster     # some of them
    python -m bench.run --quick         # smaller inputs, fewer repeats (a smoke test)

Prints a markdown table (paste it into the README) and writes bench/results.json.
"""

from __future__ import annotations

import argparse
import importlib
import time

from .harness import ROOT, Context, machine, table, write_results

CAPABILITIES = ["diff", "batch", "morphology", "compare", "mosaic", "raster", "startup"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("only", nargs="*", metavar="CAPABILITY",
                        help=f"some of: {', '.join(CAPABILITIES)} (default: all)")
    parser.add_argument("--quick", action="store_true", help="small inputs, few repeats")
    args = parser.parse_args()
    unknown = set(args.only) - set(CAPABILITIES)
    if unknown:
        parser.error(f"unknown capability: {', '.join(sorted(unknown))}")
    ctx = Context(quick=args.quick)
    for name in args.only or CAPABILITIES:
        print(f"== {name}", flush=True)
        start = time.perf_counter()
        importlib.import_module(f"bench.bench_{name}").run(ctx)
        print(f"   ({time.perf_counter() - start:.0f} s)", flush=True)
    print(f"\n{time.strftime('%Y-%m-%d')}, {machine()}\n")
    print(table(ctx.rows))
    write_results(ctx.rows, ROOT / "bench" / "results.json")


if __name__ == "__main__":
    main()
