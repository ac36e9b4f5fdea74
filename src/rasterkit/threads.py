"""Running the compiled kernels (which release the GIL) on horizontal bands, in threads.

Shared by morphology, compare and mosaic. Rows are 0-based and half-open: :func:`bands`
returns ``(start, stop)`` pairs covering ``0:height``. Tests force two bands by setting
:data:`THREADS` here (``rasterkit.morphology.threads`` is this very module, kept for them).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

#: Threads for the kernels: the machine's cores, at most 2 (the work is memory-bound).
THREADS = max(1, min(2, os.cpu_count() or 1))
#: Below this many pixels one thread does everything (threads cost more than they save).
PARALLEL_MIN_PIXELS = 1 << 20


def bands(height: int, width: int, align: int = 1) -> list[tuple[int, int]]:
    """Split rows ``0:height`` into one band per thread (boundaries multiples of ``align``)."""
    count = THREADS if height * width >= PARALLEL_MIN_PIXELS and height >= 2 * align else 1
    edges = [min(height, round(height * k / count / align) * align) for k in range(count)]
    edges.append(height)
    edges = sorted(set(edges))
    return list(itertools.pairwise(edges))


def in_threads(calls: list[tuple[Callable[..., Any], tuple[Any, ...]]]) -> list[Any]:
    """Run ``fn(*args)`` for each call, the first in this thread, the others in a pool."""
    if len(calls) == 1:
        fn, args = calls[0]
        return [fn(*args)]
    with ThreadPoolExecutor(len(calls) - 1) as pool:
        futures = [pool.submit(fn, *args) for fn, args in calls[1:]]
        first = calls[0][0](*calls[0][1])
        return [first, *(f.result() for f in futures)]
