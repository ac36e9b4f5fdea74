"""The thinning methods of :func:`rasterkit.morphology.skeletonize` and what the thinning
kernel (:mod:`rasterkit._kernels._thinning`) takes to run them: each method's deletion tables
and the framed image layout. Plain Python (no numpy), so that the command line lists the
methods, and the small-file path thins, without loading numpy."""

from __future__ import annotations

import functools
from typing import Literal

Method = Literal["guo-hall", "zhang-suen"]
#: Every method, the default first.
METHODS: tuple[str, ...] = ("guo-hall", "zhang-suen")
#: The method used when none is named: the one that keeps every stroke.
DEFAULT_METHOD: Method = "guo-hall"


def framed_width(width: int) -> int:
    """Row length of the image the thinning kernel takes for ``width`` columns: a zero frame
    of at least one pixel on every side, rows of whole 64-bit words."""
    return (width + 2 + 7) // 8 * 8


def _neighbours(code: int) -> list[int]:
    """``x[1..8]`` of a neighbourhood byte: E, NE, N, NW, W, SW, S, SE (``x[0]`` unused),
    the numbering of Guo and Hall; bit k of ``code`` is ``x[k + 1]``."""
    return [0] + [(code >> k) & 1 for k in range(8)]


def _zhang_suen(code: int, second: bool) -> bool:
    x = _neighbours(code)
    # The paper's P2..P9 run clockwise from north: N, NE, E, SE, S, SW, W, NW.
    p2, p3, p4, p5, p6, p7, p8, p9 = x[3], x[2], x[1], x[8], x[7], x[6], x[5], x[4]
    ring = [p2, p3, p4, p5, p6, p7, p8, p9]
    b = sum(ring)  # B(P1): foreground neighbours
    a = sum(ring[i] == 0 and ring[(i + 1) % 8] == 1 for i in range(8))  # A(P1): 01 patterns
    if not (2 <= b <= 6 and a == 1):
        return False
    if second:
        return p2 * p4 * p8 == 0 and p2 * p6 * p8 == 0
    return p2 * p4 * p6 == 0 and p4 * p6 * p8 == 0


def _guo_hall(code: int, second: bool) -> bool:
    x = _neighbours(code)
    x.append(x[1])  # x[9] = x[1], closing the circle
    crossing = sum(x[2 * i - 1] == 0 and (x[2 * i] or x[2 * i + 1]) for i in range(1, 5))
    n1 = sum(bool(x[2 * k - 1] or x[2 * k]) for k in range(1, 5))
    n2 = sum(bool(x[2 * k] or x[2 * k + 1]) for k in range(1, 5))
    if crossing != 1 or not 2 <= min(n1, n2) <= 3:  # conditions G1 and G2
        return False
    if second:  # G3': (x6 or x7 or not x4) and x5 == 0
        return not ((x[6] or x[7] or not x[4]) and x[5])
    return not ((x[2] or x[3] or not x[8]) and x[1])  # G3


@functools.cache
def deletion_rules(method: str) -> bytes:
    """The kernel's two 256-entry tables of ``method``, first sub-iteration then second: byte
    ``256 * s + code`` is 1 where a pixel with neighbourhood byte ``code`` (bit k: neighbour k
    of E, NE, N, NW, W, SW, S, SE) is deleted in sub-iteration ``s``."""
    rule = {"zhang-suen": _zhang_suen, "guo-hall": _guo_hall}[method]
    return bytes(rule(code, second) for second in (False, True) for code in range(256))
