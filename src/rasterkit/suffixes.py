"""File name endings (lower case, with the dot) that rasterkit treats as images, in one place.

The sets differ on purpose; each says which command uses it and why it holds what it holds.
Changing one changes which files a command finds or accepts, so they are kept as the
commands shipped them. No imports here: the command line reads these at start-up.

What libvips itself can write is asked of libvips (:func:`rasterkit.io.save_suffixes`); the
morphology commands' lossless outputs per pixel type are in
:mod:`rasterkit.morphology.formats`.
"""

from __future__ import annotations

#: Pictures rasterkit writes for people to look at: ``diff -o``, the pictures of ``compare``
#: and ``compare-lines``, the quick-look of ``raster split --rgb``. Formats every browser and
#: image viewer shows (lossless but for JPEG, which blurs single pixels); the outputs are
#: checked against it before any work.
PICTURE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".webp", ".tif", ".tiff"})

#: What both folder scans take as images: the pictures above, plus the other formats
#: browsers, phones and cameras save (GIF, AVIF, HEIF, JPEG XL).
SCANNED_SUFFIXES = PICTURE_SUFFIXES | {".gif", ".avif", ".heic", ".heif", ".jxl"}

#: The images ``diff-dir`` pairs (other files are listed as skipped, never opened): the
#: scanned formats plus the bitmaps screenshot and test tools write (BMP, PPM / PGM).
SCREENSHOT_SUFFIXES = SCANNED_SUFFIXES | {".bmp", ".ppm", ".pgm"}

#: The tiles ``mosaic`` finds in a folder (other files are ignored): the scanned formats plus
#: JPEG's other endings (``.jpe``, ``.jfif``) found in photo collections, libvips' own format
#: (``.v``, ``.vips``) and SVG.
TILE_SUFFIXES = SCANNED_SUFFIXES | {".jpe", ".jfif", ".v", ".vips", ".svg"}
