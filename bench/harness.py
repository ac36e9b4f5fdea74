"""Shared benchmark plumbing: timing, result rows, the table.

Each capability has a module ``bench/bench_<name>.py`` with ``run(ctx: Context) -> None``
that times our code beside its anchors on realistic inputs and records rows with
``ctx.record(...)``. Roles: ``ours`` (the rasterkit call), ``anchor`` (a peer tool),
``floor`` (the least any tool must spend, e.g. decoding the inputs). The table shows for every
anchor and floor row the ratio *ours / that* (below 1: we are faster).
"""

from __future__ import annotations

import dataclasses
import gc
import json
import platform
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"


@dataclasses.dataclass
class Row:
    capability: str
    case: str
    tool: str
    role: str  # "ours" | "anchor" | "floor"
    seconds: float
    extra: dict[str, Any] = dataclasses.field(default_factory=dict)


def best_of(fn: Callable[[], Any], repeat: int = 5, warmup: int = 1) -> float:
    """Median wall time of ``repeat`` calls of ``fn`` after ``warmup`` untimed calls."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def time_command(argv: Sequence[str], repeat: int = 5, warmup: int = 1,
                 ok: Sequence[int] = (0, 1)) -> float:
    """Median wall time of running ``argv`` as a process (start-up included)."""
    def once() -> None:
        done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if done.returncode not in ok:
            raise RuntimeError(f"{argv[0]} failed ({done.returncode}): {done.stderr[-300:]!r}")
    return best_of(once, repeat, warmup)


class Context:
    """What a benchmark module gets: a cache folder for inputs and a place to record rows."""

    def __init__(self, quick: bool = False) -> None:
        self.quick = quick
        self.rows: list[Row] = []
        CACHE.mkdir(parents=True, exist_ok=True)
        self.cache = CACHE

    def record(self, capability: str, case: str, tool: str, role: str, seconds: float,
               **extra: Any) -> None:
        row = Row(capability, case, tool, role, seconds, extra)
        self.rows.append(row)
        print(f"  {capability:10} {case:28} {tool:34} {seconds * 1000:10.1f} ms", flush=True)


def table(rows: list[Row]) -> str:
    """Markdown table; each anchor/floor row carries the ratio ours / it."""
    lines = ["| capability | case | tool | role | time | ours / this | notes |",
             "|---|---|---|---|---:|---:|---|"]
    for row in rows:
        ours = [r for r in rows if (r.capability, r.case, r.role) == (row.capability, row.case,
                                                                        "ours")]
        ratio = ""
        if row.role != "ours" and ours and row.seconds > 0:
            ratio = f"{ours[0].seconds / row.seconds:.2f}"
        notes = ", ".join(f"{k} {v}" for k, v in row.extra.items())
        lines.append(f"| {row.capability} | {row.case} | {row.tool} | {row.role} | "
                     f"{_fmt(row.seconds)} | {ratio} | {notes} |")
    return "\n".join(lines)


def _fmt(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def machine() -> str:
    import os

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def write_results(rows: list[Row], path: Path) -> None:
    data = {"date": time.strftime("%Y-%m-%d"), "machine": machine(),
            "rows": [dataclasses.asdict(r) for r in rows]}
    path.write_text(json.dumps(data, indent=2))
