"""The word view the run scanner of :mod:`rasterkit._kernels._runs` reads.

The compiled run-length primitives (scan a row into runs, complement them, union-find) live in
``_runs.pxd``, inlined into the labellers :mod:`._components` and :mod:`._stream`.
"""

from __future__ import annotations

import numpy as np


def word_view(flat: np.ndarray) -> np.ndarray:
    """The 64-bit words over a contiguous 1-D array of a one-byte type (empty otherwise).

    The last ``len(flat) % 8`` pixels are not covered; the scanner reads those one by one.
    """
    if flat.dtype.itemsize != 1 or flat.size < 8:
        return np.empty(0, np.uint64)
    return flat[: flat.size - flat.size % 8].view(np.uint64)
