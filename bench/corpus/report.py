"""Summaries of the per-pair records: one row per tool overall, F1 by family, in Markdown.

A record is a dict: ``pair``, ``family``, ``tool``, ``status`` (``ok`` or ``failed``),
``seconds``, ``peak_mb``, ``note`` and ``score`` (:meth:`bench.corpus.score.PairScore.to_dict`).
Averages are over pairs (each pair weighs the same, whatever its height); a failed run scores
0 on a pair with edits and is counted under *failed*.
"""

from __future__ import annotations

import statistics
from collections import Counter
from typing import Any

from .score import EXACT, MERGED, MISSED, SPLIT

Record = dict[str, Any]


def _mean(values: list[float]) -> float | None:
    return statistics.fmean(values) if values else None


def summarize(records: list[Record]) -> dict[str, Any]:
    """Per tool: mean precision, recall and F1 over pairs with edits, hunk classes, false
    hunks, false alarms on noise-only pairs, failures, median seconds and largest peak MB."""
    out: dict[str, Any] = {}
    for tool in dict.fromkeys(r["tool"] for r in records):
        mine = [r for r in records if r["tool"] == tool]
        edited = [r["score"] for r in mine if r["score"]["f1"] is not None]
        noise = [r["score"] for r in mine if r["family"] == "noise" and r["status"] == "ok"]
        classes = Counter(c for s in edited for c in s["hunk_classes"])
        out[tool] = {
            "pairs": len(mine),
            "precision": _mean([s["precision"] for s in edited]),
            "recall": _mean([s["recall"] for s in edited]),
            "f1": _mean([s["f1"] for s in edited]),
            "hunks": {k: classes.get(k, 0) for k in (EXACT, SPLIT, MERGED, MISSED)},
            "false_hunks": sum(r["score"]["false_hunks"] for r in mine),
            "false_alarms": sum(bool(s["false_alarm"]) for s in noise),
            "noise_pairs": len(noise),
            "failed": sum(r["status"] != "ok" for r in mine),
            "median_seconds": statistics.median(r["seconds"] for r in mine),
            "peak_mb": max(r["peak_mb"] for r in mine),
            "by_family": by_family(mine),
        }
    return out


def by_family(records: list[Record]) -> dict[str, float | None]:
    """Mean F1 per family (for the noise family: the share of pairs *not* flagged)."""
    result: dict[str, float | None] = {}
    for family in dict.fromkeys(r["family"] for r in records):
        scores = [r["score"] for r in records if r["family"] == family]
        if family == "noise":
            judged = [s for s in scores if s["false_alarm"] is not None]
            result[family] = _mean([0.0 if s["false_alarm"] else 1.0 for s in judged])
        else:
            result[family] = _mean([s["f1"] for s in scores])
    return result


def _num(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def markdown(summary: dict[str, Any]) -> str:
    """Two Markdown tables: the overall one and F1 by family."""
    lines = ["| tool | precision | recall | F1 | hunks exact / split / merged / missed "
             "| false hunks | false alarms (noise pairs) | failed | median s / pair "
             "| peak MB |",
             "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|"]
    for tool, s in summary.items():
        h = s["hunks"]
        lines.append(
            f"| {tool} | {_num(s['precision'])} | {_num(s['recall'])} | **{_num(s['f1'])}** "
            f"| {h[EXACT]} / {h[SPLIT]} / {h[MERGED]} / {h[MISSED]} | {s['false_hunks']} "
            f"| {s['false_alarms']} / {s['noise_pairs']} | {s['failed']} / {s['pairs']} "
            f"| {s['median_seconds']:.2f} | {s['peak_mb']:.0f} |")
    families = list(dict.fromkeys(f for s in summary.values() for f in s["by_family"]))
    names = [f"{f} (share not flagged)" if f == "noise" else f for f in families]
    lines += ["", "| F1 by family | " + " | ".join(names) + " |",
              "|---|" + "---:|" * len(families)]
    for tool, s in summary.items():
        lines.append(f"| {tool} | "
                     + " | ".join(_num(s["by_family"].get(f)) for f in families) + " |")
    return "\n".join(lines) + "\n"
