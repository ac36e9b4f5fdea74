"""Test images: random masks, realistic blobs with specks, and real files written by libvips."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyvips


def random_mask(rng: np.random.Generator, height: int, width: int,
                density: float | None = None) -> np.ndarray:
    """Independent random pixels: many tiny objects, holes and diagonal contacts."""
    p = rng.uniform(0.2, 0.8) if density is None else density
    return rng.random((height, width)) < p


def blobs(rng: np.random.Generator, height: int, width: int, scale: int = 8,
          level: float = 0.6, specks: float = 0.003) -> np.ndarray:
    """Thresholded smooth noise (objects of many sizes, with holes) plus single-pixel specks."""
    low = rng.random((height // scale + 2, width // scale + 2)).astype(np.float32)
    field = pyvips.Image.new_from_array(low).resize(scale, kernel="cubic")
    smooth = np.ndarray(buffer=field.write_to_memory(), dtype=np.float32,
                        shape=(field.height, field.width))[:height, :width]
    return (smooth > level) | (rng.random((height, width)) < specks)


def grey(rng: np.random.Generator, height: int, width: int, levels: int = 256,
         scale: int = 4) -> np.ndarray:
    """Smooth greyscale noise quantised to ``levels`` values (uint8 or uint16)."""
    low = rng.random((height // scale + 2, width // scale + 2)).astype(np.float32)
    field = pyvips.Image.new_from_array(low).resize(scale, kernel="cubic")
    smooth = np.ndarray(buffer=field.write_to_memory(), dtype=np.float32,
                        shape=(field.height, field.width))[:height, :width]
    smooth = (smooth - smooth.min()) / max(float(np.ptp(smooth)), 1e-6)
    dtype = np.uint8 if levels <= 256 else np.uint16
    return np.minimum(smooth * levels, levels - 1).astype(dtype)


def save(array: np.ndarray, path: Path) -> str:
    """Write ``array`` (H, W[, bands]) with libvips; returns the path as a string."""
    array = np.asarray(array)
    if array.dtype == bool:
        array = array.astype(np.uint8) * 255
    image = pyvips.Image.new_from_array(array)
    if image.format == "ushort":
        image = image.copy(interpretation="grey16")  # else PNG reduces it to 8 bits
    image.write_to_file(str(path))
    return str(path)


def load(path: str | Path) -> np.ndarray:
    """Read an image file back as an (H, W) or (H, W, bands) array."""
    image = pyvips.Image.new_from_file(str(path))
    return image.numpy()
