"""``rasterkit diff-dir`` on 1,000 pairs of 1400 x 3,000 screenshots, one and two workers.

Ten edited pairs are rendered by Chromium once; the folders hold 1,000 pairs made of hard
links to them, every pair different (so every pair costs a full diff: the worst case; byte-
identical pairs are nearly free). Rows:

* ``1 worker`` / ``2 workers``: the whole batch on a local Dask cluster of processes (cluster
  start included), no index written; ``pairs/s`` in the notes;
* floor: the same 1,000 :func:`rasterkit.diff` calls one after another in this process;
  the per-pair time of the 1-worker batch should be within 1.2x of it, and 2 workers should
  run at least 1.7x faster than 1.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

from .harness import ROOT, Context

DISTINCT = 10


def build_folders(ctx: Context, pairs: int) -> tuple[Path, Path, list[tuple[Path, Path]]]:
    source = ctx.cache / "batch-pages"
    if not (source / f"page{DISTINCT - 1}-b.png").exists():
        sys.path.insert(0, str(ROOT))
        from tests.support.screenshots import Renderer, edited_pair

        source.mkdir(exist_ok=True)
        with Renderer() as renderer:
            for k in range(DISTINCT):
                edited_pair(renderer, source, seed=100 + k, n_sections=8, plain=False,
                            name=f"page{k}")
    root = ctx.cache / f"batch-{pairs}"
    before, after = root / "before", root / "after"
    if not (after / f"shot{pairs - 1:04d}.png").exists():
        shutil.rmtree(root, ignore_errors=True)
        before.mkdir(parents=True)
        after.mkdir()
        for i in range(pairs):
            k = i % DISTINCT
            os.link(source / f"page{k}-a.png", before / f"shot{i:04d}.png")
            os.link(source / f"page{k}-b.png", after / f"shot{i:04d}.png")
    sample = [(source / f"page{k}-a.png", source / f"page{k}-b.png") for k in range(DISTINCT)]
    return before, after, sample


def run(ctx: Context) -> None:
    import rasterkit
    from rasterkit.batch import diff_dir

    pairs = 100 if ctx.quick else 1000
    before, after, sample = build_folders(ctx, pairs)
    case = f"{pairs} pairs"
    start = time.perf_counter()
    for i in range(pairs):
        rasterkit.diff(*sample[i % DISTINCT])
    single = time.perf_counter() - start
    ctx.record("batch", case, f"{pairs} x rasterkit.diff, one process", "floor", single,
               per_pair=f"{1000 * single / pairs:.1f} ms")
    for workers in (1, 2):
        start = time.perf_counter()
        result = diff_dir(before, after, workers=workers, processes=True, inline=False)
        seconds = time.perf_counter() - start
        assert result.data["summary"]["changed"] == pairs
        ctx.record("batch", case, f"diff-dir, {workers} worker{'s' * (workers > 1)} "
                   "(Dask processes)", "ours" if workers == 2 else "anchor", seconds,
                   pairs_per_s=f"{pairs / seconds:.1f}",
                   per_pair=f"{1000 * seconds / pairs:.1f} ms")
