"""Raw multiband rasters (ENVI BSQ/BIL/BIP): open lazily, read bands fast, export, convert.

    import rasterkit
    cube = rasterkit.raster.open("scene.hdr")      # header + file size only
    cube.band(29)                                  # (rows, cols) view of the memory map
    cube.bands([29, 19, 9])                        # (3, rows, cols) new array
    cube.read()                                    # (bands, rows, cols), one pass, all cores
    for start, stop, block in cube:                # row chunks, bounded memory
        ...
    rasterkit.raster.convert("scene.hdr", "scene_bsq.hdr", interleave="bsq")
    rasterkit.raster.write("new.hdr", array, interleave="bip")       # (bands, rows, cols)
    rasterkit.raster.split("scene.hdr", "out/", bands=[29, 19, 9], rgb="quicklook.jpg")

Bands are numbered from 0 everywhere (Python, CLI, JSON); rows are 0-based, half-open.

Modules: :mod:`.header` (ENVI headers), :mod:`.layout` (where samples live in a file),
:mod:`.cube` (the lazy cube), :mod:`.deinterleave` (the streaming pass), :mod:`.writer`
(writing, conversion), :mod:`.stretch` (percentile stretch), :mod:`.export` (pictures),
:mod:`.info` (what ``raster info`` reports).
"""

from __future__ import annotations

import importlib
from typing import Any

# Imported on first use, so that a module of the package (the header reader, the small-cube
# path of ``raster split``) loads neither numpy nor libvips unless it needs them.
_LAZY = {
    "Chunk": ("rasterkit.raster.cube", "Chunk"),
    "Cube": ("rasterkit.raster.cube", "Cube"),
    "open": ("rasterkit.raster.cube", "open_cube"),
    "EnviHeader": ("rasterkit.raster.header", "EnviHeader"),
    "parse_header": ("rasterkit.raster.header", "parse_header"),
    "read_header": ("rasterkit.raster.header", "read_header"),
    "RasterInfo": ("rasterkit.raster.info", "RasterInfo"),
    "Layout": ("rasterkit.raster.layout", "Layout"),
    "write": ("rasterkit.raster.writer", "write"),
    "convert": ("rasterkit.raster.writer", "convert"),
    "WrittenCube": ("rasterkit.raster.writer", "WrittenCube"),
    "split": ("rasterkit.raster.export", "split"),
    "quicklook": ("rasterkit.raster.export", "quicklook"),
    "SplitResult": ("rasterkit.raster.band_images", "SplitResult"),
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'rasterkit.raster' has no attribute {name!r}")
    module, attribute = _LAZY[name]
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])
