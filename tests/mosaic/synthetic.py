"""Test inputs for mosaics: tile images written as real PNG/JPEG files with pyvips."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyvips


def write_image(path: Path, array: np.ndarray, **options: object) -> Path:
    """Write an ``(H, W[, bands])`` uint8 array with pyvips (format from the suffix)."""
    array = np.ascontiguousarray(array, dtype=np.uint8)
    if array.ndim == 2:
        array = array[:, :, None]
    height, width, bands = array.shape
    image = pyvips.Image.new_from_memory(array.data, width, height, bands, "uchar")
    image = image.copy(interpretation="srgb" if bands >= 3 else "b-w")
    image.write_to_file(str(path), **options)
    return path


def solid(colour: tuple[int, int, int], size: int) -> np.ndarray:
    return np.broadcast_to(np.array(colour, np.uint8), (size, size, 3)).copy()


def textured_tiles(rng: np.random.Generator, count: int, size: int) -> np.ndarray:
    """``(count, size, size, 3)`` tiles: a random base colour with a gradient and noise."""
    base = rng.integers(30, 226, (count, 1, 1, 3))
    ramp = np.linspace(-25, 25, size)[None, :, None, None]
    noise = rng.normal(0, 8, (count, size, size, 3))
    return np.clip(base + ramp + noise, 0, 255).astype(np.uint8)


def write_tiles(folder: Path, tiles: np.ndarray, suffix: str = ".png") -> list[Path]:
    """Write each tile as ``folder/tile_NNN<suffix>``; returns the paths in order."""
    folder.mkdir(parents=True, exist_ok=True)
    return [write_image(folder / f"tile_{i:03d}{suffix}", t) for i, t in enumerate(tiles)]
