"""Colours: hex notation, sRGB <-> linear light, and the two perceptual spaces used for matching.

Both spaces have the same shape, which the exact matcher relies on (see
:mod:`rasterkit._kernels._nearest`)::

    linear RGB --M1 (all coefficients >= 0)--> P --f per channel (increasing)--> Q
               --M2 (any signs) + offset--> (L, a, b)

* **OKLab** (Björn Ottosson, 2020): P = LMS cone responses, f = cube root. Distances are
  ΔE_OK, about 0.01 for a just noticeable difference (L runs 0..1).
* **CIELAB** (D65 white, ΔE*ab 1976): P = XYZ / white, f = the CIE 1976 function. Distances
  are ΔE*ab, about 1 for a just noticeable difference (L* runs 0..100).

All conversions take 8-bit sRGB values (0..255, IEC 61966-2-1 transfer curve) and work in
float64.
"""

from __future__ import annotations

import dataclasses
import re

import numpy as np

from ..errors import BadInputError


@dataclasses.dataclass(frozen=True)
class Space:
    """A perceptual colour space in the form the matcher needs (see the module notes).

    ``kind`` names the per-channel function f: 0 = cube root (OKLab), 1 = CIE 1976 (CIELAB).
    """

    name: str
    m1: np.ndarray
    kind: int
    m2: np.ndarray
    offset: np.ndarray
    #: A just noticeable difference in this space's units (for messages and docs).
    jnd: float


_OKLAB_M1 = np.array([[0.4122214708, 0.5363325363, 0.0514459929],
                      [0.2119034982, 0.6806995451, 0.1073969566],
                      [0.0883024619, 0.2817188376, 0.6299787005]])
_OKLAB_M2 = np.array([[0.2104542553, 0.7936177850, -0.0040720468],
                      [1.9779984951, -2.4285922050, 0.4505937099],
                      [0.0259040371, 0.7827717662, -0.8086757660]])
# linear sRGB -> XYZ (D65), rows divided by the D65 white point so that white maps to 1, 1, 1.
_XYZ = np.array([[0.4124564, 0.3575761, 0.1804375],
                 [0.2126729, 0.7151522, 0.0721750],
                 [0.0193339, 0.1191920, 0.9503041]])
_LAB_M1 = _XYZ / _XYZ.sum(axis=1, keepdims=True)
_LAB_M2 = np.array([[0.0, 116.0, 0.0], [500.0, -500.0, 0.0], [0.0, 200.0, -200.0]])

SPACES = {
    "oklab": Space("oklab", _OKLAB_M1, 0, _OKLAB_M2, np.zeros(3), 0.01),
    "lab": Space("lab", _LAB_M1, 1, _LAB_M2, np.array([-16.0, 0.0, 0.0]), 1.0),
}


def get_space(name: str) -> Space:
    """The :class:`Space` called ``name`` ("oklab" or "lab")."""
    try:
        return SPACES[name.lower()]
    except (KeyError, AttributeError):
        raise BadInputError(f"unknown colour space {name!r} (use oklab or lab)") from None


def srgb_to_linear_table() -> np.ndarray:
    """Linear-light value (0..1) of each 8-bit sRGB value, a 256-entry float64 table."""
    v = np.arange(256) / 255.0
    return np.where(v <= 0.04045, v / 12.92, ((v + 0.055) / 1.055) ** 2.4)


def linear_to_srgb(linear: np.ndarray) -> np.ndarray:
    """Linear light (0..1) to 8-bit sRGB values, rounded and clipped."""
    v = np.clip(np.asarray(linear, dtype=np.float64), 0.0, 1.0)
    s = np.where(v <= 0.0031308, v * 12.92, 1.055 * v ** (1 / 2.4) - 0.055)
    return np.clip(np.rint(s * 255.0), 0, 255).astype(np.uint8)


def f_curve(p: np.ndarray, kind: int) -> np.ndarray:
    """The per-channel function f of a space (``kind`` as in :class:`Space`)."""
    if kind == 0:
        return np.cbrt(p)
    delta = 6.0 / 29.0
    return np.where(p > delta**3, np.cbrt(p), p / (3 * delta**2) + 4.0 / 29.0)


def linear_to_space(linear: np.ndarray, space: Space) -> np.ndarray:
    """Linear RGB ``(..., 3)`` (0..1) to coordinates of ``space`` ``(..., 3)``."""
    p = np.asarray(linear, dtype=np.float64) @ space.m1.T
    return f_curve(p, space.kind) @ space.m2.T + space.offset


def srgb_to_space(rgb: np.ndarray, space: Space) -> np.ndarray:
    """8-bit sRGB ``(..., 3)`` to coordinates of ``space`` ``(..., 3)``."""
    return linear_to_space(srgb_to_linear_table()[np.asarray(rgb, dtype=np.uint8)], space)


_HEX = re.compile(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")


def parse_hex(text: str) -> tuple[int, int, int]:
    """``"#1a2b3c"`` (or ``"#abc"``, ``#`` optional) -> ``(26, 43, 60)``."""
    match = _HEX.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise BadInputError(f"not a colour: {text!r} (use #rrggbb, e.g. #ff8800)")
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    value = int(digits, 16)
    return value >> 16, (value >> 8) & 255, value & 255


def to_hex(rgb: tuple[int, int, int] | np.ndarray) -> str:
    """``(26, 43, 60)`` -> ``"#1a2b3c"``."""
    r, g, b = (int(c) for c in rgb)
    return f"#{r:02x}{g:02x}{b:02x}"


def pack_rgb(rgb: np.ndarray) -> np.ndarray:
    """``(..., 3)`` uint8 -> ``(...)`` uint32 ``0xRRGGBB``."""
    rgb = np.asarray(rgb, dtype=np.uint32)
    return (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]
