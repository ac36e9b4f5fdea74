"""pixelhog (PyPI, PostHog) on two PNGs; runs in its own Python >= 3.12 venv (stdlib only).

    bench/.venv-pixelhog/bin/python bench/corpus/pixelhog_tool.py A.png B.png

Uses its row alignment (``Comparison.row_alignment``, default settings): ``delete`` and
``insert`` segments are rows of A only / B only; a ``replace`` segment counts when one of
``aligned_clusters`` (its changed content, default threshold 0.1 and anti-aliasing forgiven)
falls in it. A pair it cannot align (a width change, or too different) falls back to the
top-aligned ``clusters`` (rows ``y`` of A and of B). Prints JSON
``{"aligned": bool, "hunks": [[[a0, a1] | null, [b0, b1] | null], ...]}``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pixelhog


def main() -> None:
    a, b = (Path(path).read_bytes() for path in sys.argv[1:3])
    comparison = pixelhog.Comparison(a, b)
    alignment = comparison.row_alignment()
    hunks = []
    if alignment.aligned:
        changed = [(c.bbox.y, c.bbox.y + c.bbox.height)
                   for c in comparison.aligned_clusters(alignment).clusters]
        for s in alignment.segments:
            rows_a = [s.baseline_start, s.baseline_start + s.len]
            rows_b = [s.current_start, s.current_start + s.len]
            if s.kind == "delete":
                hunks.append([rows_a, None])
            elif s.kind == "insert":
                hunks.append([None, rows_b])
            elif s.kind == "replace" and any(y0 < rows_b[1] and rows_b[0] < y1
                                             for y0, y1 in changed):
                hunks.append([rows_a, rows_b])
    else:
        height_a, height_b = comparison.baseline_size[1], comparison.current_size[1]
        for cluster in comparison.clusters().clusters:
            y0, y1 = cluster.bbox.y, cluster.bbox.y + cluster.bbox.height
            hunks.append([[y0, min(y1, height_a)] if y0 < height_a else None,
                          [y0, min(y1, height_b)] if y0 < height_b else None])
    print(json.dumps({"aligned": alignment.aligned, "hunks": hunks}))


if __name__ == "__main__":
    main()
