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

from .._lazy import attach

# Imported on first use, so that a module of the package (the header reader, the small-cube
# path of ``raster split``) loads neither numpy nor libvips unless it needs them.
_NAMES = {
    "Chunk": ".cube",
    "Cube": ".cube",
    "open": ".cube:open_cube",
    "EnviHeader": ".header",
    "parse_header": ".header",
    "read_header": ".header",
    "RasterInfo": ".info",
    "Layout": ".layout",
    "write": ".writer",
    "convert": ".writer",
    "WrittenCube": ".writer",
    "split": ".export",
    "quicklook": ".export",
    "SplitResult": ".band_images",
}
__getattr__, __dir__ = attach(__name__, _NAMES)
__all__ = sorted(_NAMES)
