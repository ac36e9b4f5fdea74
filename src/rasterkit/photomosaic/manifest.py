"""Manifests: which tile went where, as JSON or CSV (chosen by the file's suffix).

JSON::

    {"tile_size": 16, "columns": 100, "rows": 80, "width": 1600, "height": 1280,
     "tiles": [{"index": 0, "path": "tiles/a.jpg", "colour": "#8a7f70", "uses": 12}, ...],
     "grid": [[3, 3, 17, ...], ...]}

``grid[row][col]`` is the tile index of the cell whose top-left output pixel is
``(x, y) = (col * tile_size, row * tile_size)``; ``colour`` is the tile's mean sRGB colour (auto
mode) or its palette colour (palette mode); ``uses`` counts its cells.

CSV: one line per cell, ``row,col,x,y,tile,path``, in row-major order, with a header line.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..errors import OutputError
from ..io import atomic_output, check_output

SUFFIXES = {".json", ".csv"}


def check_manifest_path(path: str | os.PathLike[str], others: Sequence[object] = ()) -> Path:
    """Validate a manifest path before any work (suffix, folder, not an input or the output)."""
    return check_output(path, others, suffixes=SUFFIXES)


def write_manifest(path: str | os.PathLike[str], indices: np.ndarray, paths: Sequence[str],
                   colours: Sequence[str], tile_size: int) -> Path:
    """Write the manifest of a mosaic (see the module notes); atomically."""
    out = Path(path)
    rows, cols = indices.shape
    uses = np.bincount(indices.ravel(), minlength=len(paths))
    try:
        with atomic_output(out) as tmp, open(tmp, "w", encoding="utf-8", newline="") as f:
            if out.suffix.lower() == ".json":
                head = {"tile_size": tile_size, "columns": cols, "rows": rows,
                        "width": cols * tile_size, "height": rows * tile_size,
                        "tiles": [{"index": i, "path": p, "colour": c, "uses": int(u)}
                                  for i, (p, c, u) in enumerate(zip(paths, colours, uses,
                                                                    strict=True))]}
                text = json.dumps(head, ensure_ascii=False)
                f.write(text[:-1] + ', "grid": [')
                for r in range(rows):
                    f.write(("," if r else "") + "[" + ",".join(map(str, indices[r].tolist()))
                            + "]")
                f.write("]}\n")
            else:
                writer = csv.writer(f)
                writer.writerow(["row", "col", "x", "y", "tile", "path"])
                xs = np.arange(cols) * tile_size
                for r in range(rows):
                    writer.writerows(zip([r] * cols, range(cols), xs.tolist(),
                                         [r * tile_size] * cols, indices[r].tolist(),
                                         [paths[i] for i in indices[r]], strict=True))
    except OSError as error:
        raise OutputError(f"{out}: cannot write the manifest ({error.strerror})") from None
    return out
