"""Test cubes: ENVI files written independently of rasterkit, and a synthetic scene.

:func:`write_envi` lays samples out with plain numpy (``transpose`` + ``astype`` + ``tofile``)
and writes the header text by hand, so reading tests never trust rasterkit's own writer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

ENVI_CODE = {"uint8": 1, "int16": 2, "int32": 3, "float32": 4, "float64": 5, "complex64": 6,
             "complex128": 9, "uint16": 12, "uint32": 13, "int64": 14, "uint64": 15}
FILE_AXES = {"bsq": (0, 1, 2), "bil": (1, 0, 2), "bip": (1, 2, 0)}


def random_cube(rng: np.random.Generator, shape: tuple[int, int, int], dtype: Any) -> np.ndarray:
    """A ``(bands, rows, cols)`` cube of ``dtype`` using its whole value range (every byte
    position matters, so byte-order mistakes cannot hide)."""
    dtype = np.dtype(dtype)
    if dtype.kind in "ui":
        info = np.iinfo(dtype)
        return rng.integers(info.min, info.max, size=shape, dtype=dtype, endpoint=True)
    if dtype.kind == "f":
        return (rng.standard_normal(shape) * 1e3).astype(dtype)
    real = rng.standard_normal(shape) * 1e3
    imag = rng.standard_normal(shape) * 1e3
    return (real + 1j * imag).astype(dtype)


def to_file_order(cube: np.ndarray, interleave: str) -> np.ndarray:
    """``(bands, rows, cols)`` -> the array whose C order is the file's sample order."""
    return np.ascontiguousarray(cube.transpose(FILE_AXES[interleave]))


def write_envi(data_path: Path, cube: np.ndarray, *, interleave: str = "bsq",
               byte_order: str = "little", offset: int = 0, header_path: Path | None = None,
               extra: str = "", data_type: int | None = None) -> Path:
    """Write ``cube`` (bands, rows, cols) as raw data + ENVI header; returns the header path."""
    bands, rows, cols = cube.shape
    dtype = cube.dtype.newbyteorder("<" if byte_order == "little" else ">")
    with open(data_path, "wb") as f:
        f.write(b"\xab" * offset)
        to_file_order(cube, interleave).astype(dtype).tofile(f)
    header_path = header_path or data_path.with_suffix(".hdr")
    code = ENVI_CODE[cube.dtype.name] if data_type is None else data_type
    header_path.write_text(
        "ENVI\n"
        f"description = {{test cube}}\nsamples = {cols}\nlines = {rows}\nbands = {bands}\n"
        f"header offset = {offset}\nfile type = ENVI Standard\ndata type = {code}\n"
        f"interleave = {interleave}\nbyte order = {0 if byte_order == 'little' else 1}\n"
        + extra)
    return header_path


def wavelengths(bands: int) -> np.ndarray:
    """Band centres from 400 to 2500 nm."""
    return np.linspace(400.0, 2500.0, bands)


def _bump(w: np.ndarray, centre: float, width: float) -> np.ndarray:
    return np.exp(-0.5 * ((w - centre) / width) ** 2)


def material_spectra(w: np.ndarray) -> dict[str, np.ndarray]:
    """Reflectance (0..1) of four materials whose colours a person recognises."""
    red_edge = 1 / (1 + np.exp(-(w - 715) / 12))
    return {
        "water": 0.10 * _bump(w, 450, 60) + 0.01,                             # dark blue
        "vegetation": 0.05 + 0.08 * _bump(w, 550, 30) + 0.45 * red_edge,     # green, bright NIR
        "soil": 0.08 + 0.30 * np.clip((w - 400) / 1500, 0, 1),               # brown
        "roof": 0.05 + 0.55 * (1 / (1 + np.exp(-(w - 600) / 15))),           # red
    }


def scene(rows: int, cols: int, bands: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A (bands, rows, cols) uint16 radiance-like scene and its wavelengths.

    Layout: a lake (left third), fields of vegetation (top right), bare soil (bottom right)
    and a red-roofed block in the middle; values = 10000 x reflectance + noise.
    """
    rng = np.random.default_rng(seed)
    w = wavelengths(bands)
    spectra = material_spectra(w)
    y, x = np.mgrid[0:rows, 0:cols]
    labels = np.full((rows, cols), "soil", dtype=object)
    labels[y < rows // 2] = "vegetation"
    labels[x < cols // 3] = "water"
    block = (abs(y - rows // 2) < rows // 8) & (abs(x - cols // 2) < cols // 8)
    labels[block] = "roof"
    cube = np.zeros((bands, rows, cols), np.float64)
    for name, spectrum in spectra.items():
        mask = labels == name
        cube[:, mask] = spectrum[:, None]
    cube *= 10000
    cube += rng.normal(0, 60, size=cube.shape)
    return np.clip(cube, 0, 65535).astype(np.uint16), w
