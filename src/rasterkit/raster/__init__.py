"""Raw multiband rasters (ENVI BSQ/BIL/BIP): open lazily, read bands fast, export, convert.

    import rasterkit
    cube = rasterkit.raster.open("scene.hdr")      # header + file size only
    cube.band(29)                                  # (rows, cols) view of the memory map
    cube.bands([29, 19, 9])                        # (3, rows, cols) new array
    cube.read()                                    # (bands, rows, cols), one pass, all cores
    for start, stop, block in cube:                # row chunks, bounded memory
        ...
    rasterkit.raster.convert("scene.hdr", "scene_bsq.hdr", interleave="bsq")

Bands are numbered from 0 everywhere (Python, CLI, JSON); rows are 0-based, half-open.
"""

from __future__ import annotations

from .cube import Chunk, Cube
from .cube import open_cube as open
from .header import EnviHeader, parse_header, read_header
from .info import RasterInfo
from .layout import Layout

__all__ = ["Chunk", "Cube", "EnviHeader", "Layout", "RasterInfo", "open", "parse_header",
           "read_header"]
