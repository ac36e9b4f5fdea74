"""What a morphology command reads and writes, known before any pixel is decoded: the input's
size and pixel type (:func:`input_shape`, from a file's header), and the output formats that
hold that type exactly (:func:`check_format`). No numpy here, so that the numpy path
(:mod:`.files`, :mod:`.skeleton`) and the small-file path (:mod:`.small_files`) share them.

Outputs keep the input's pixel type and values, so only lossless formats that can hold that
type are accepted (checked before any work):

=================  ==============================================
suffix             pixel types
=================  ==============================================
.png               8- and 16-bit unsigned
.webp              8-bit unsigned (written lossless)
.tif .tiff .v      any
=================  ==============================================
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, NamedTuple

import pyvips
from pyvips.vimage import FORMAT_TO_TYPESTR

from ..errors import BadInputError, OutputError
from ..io import open_image, source_name

#: Output suffix -> pixel types (numpy's names) it holds exactly (None: all).
OUTPUT_FORMATS: dict[str, tuple[str, ...] | None] = {
    ".png": ("bool", "uint8", "uint16"), ".webp": ("bool", "uint8"), ".tif": None,
    ".tiff": None, ".v": None, ".vips": None}
#: Saver options that make a format lossless.
_LOSSLESS = {".webp": {"lossless": True}}
#: Kind letter of an array-interface type string -> the start of numpy's type name.
_KINDS = {"u": "uint", "i": "int", "f": "float", "c": "complex"}


class InputShape(NamedTuple):
    """Size and pixel type of an input, known without decoding it.

    ``dtype`` is numpy's name of the pixel type (``"uint8"``, ``"float32"``, ...) and
    ``itemsize`` its bytes per sample; ``image`` is the opened (not decoded) libvips image
    of a file or ``pyvips.Image`` source, None for an array.
    """

    height: int
    width: int
    bands: int
    dtype: str
    itemsize: int
    image: pyvips.Image | None = None

    @property
    def nbytes(self) -> int:
        return self.height * self.width * self.bands * self.itemsize

    @property
    def pixels(self) -> int:
        return self.height * self.width


def input_shape(source: Any, max_pixels: int | None) -> InputShape:
    """Read ``source``'s size and pixel type (a file's header only; an array's attributes).

    Raises :class:`BadInputError` for an unreadable file or complex pixels, and
    :class:`~rasterkit.errors.LimitError` beyond ``max_pixels``.
    """
    numpy = sys.modules.get("numpy")  # an array exists only once numpy is loaded
    if numpy is not None and isinstance(source, numpy.ndarray):
        bands = source.shape[2] if source.ndim == 3 else 1
        return InputShape(source.shape[0], source.shape[1], bands, source.dtype.name,
                          source.dtype.itemsize)
    header = open_image(source, max_pixels=max_pixels)
    if "complex" in header.format:
        raise BadInputError(f"{source_name(source)}: complex pixels are not supported")
    typestr = FORMAT_TO_TYPESTR[header.format]  # e.g. "|u1", "<f4"
    itemsize = int(typestr[2:])
    return InputShape(header.height, header.width, header.bands,
                      f"{_KINDS[typestr[1]]}{8 * itemsize}", itemsize, header)


def check_format(output: str | os.PathLike[str], dtype: str) -> dict[str, Any]:
    """Refuse an output format that would not hold pixels of type ``dtype`` (numpy's name)
    exactly; return the saver's options (lossless WebP)."""
    output = Path(output)
    suffix = output.suffix.lower()
    if suffix not in OUTPUT_FORMATS:
        known = ", ".join(OUTPUT_FORMATS)
        raise OutputError(f"{output}: {suffix or 'no suffix'} is not a lossless format for a "
                          f"filtered image (use one of {known})")
    allowed = OUTPUT_FORMATS[suffix]
    if allowed is not None and dtype not in allowed:
        raise OutputError(f"{output}: {suffix} cannot hold {dtype} pixels exactly "
                          "(use .tif)")
    return _LOSSLESS.get(suffix, {})
