"""Test images for the comparisons: masks and drawings (files: ``save`` / ``load`` of the
morphology tests, re-exported)."""

from __future__ import annotations

import cv2
import numpy as np
from scipy import ndimage as ndi

from tests.morphology.images import load, save

__all__ = ["blobs", "drawing", "load", "save"]


def blobs(rng: np.random.Generator, height: int, width: int, sigma: float = 2.0,
          level: float = 0.5) -> np.ndarray:
    """Smooth random blobs (objects of many sizes and shapes, with holes) as a bool mask."""
    return ndi.gaussian_filter(rng.random((height, width)), sigma) > level


def drawing(rng: np.random.Generator, size: int, strokes: int = 12,
            widths: tuple[int, int] = (2, 7)) -> np.ndarray:
    """A line drawing: polylines, circles and arcs of random widths, 0/255 uint8."""
    image = np.zeros((size, size), np.uint8)
    for _ in range(strokes):
        width = int(rng.integers(*widths))
        kind = int(rng.integers(3))
        if kind == 0:
            points = rng.integers(0, size, (int(rng.integers(2, 5)), 2)).astype(np.int32)
            cv2.polylines(image, [points], False, 255, width)
        elif kind == 1:
            centre = tuple(int(v) for v in rng.integers(0, size, 2))
            cv2.circle(image, centre, int(rng.integers(5, size // 3)), 255, width)
        else:
            centre = tuple(int(v) for v in rng.integers(0, size, 2))
            axes = (int(rng.integers(5, size // 3)), int(rng.integers(5, size // 3)))
            cv2.ellipse(image, centre, axes, float(rng.uniform(0, 180)), 0,
                        float(rng.uniform(60, 360)), 255, width)
    return image
