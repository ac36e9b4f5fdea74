"""Explicit palettes: which tile replaces which colour, exactly.

A palette file is TOML whose keys are hex colours and whose values are tile paths, relative to
the palette file's folder (absolute paths work too)::

    "#000000" = "black.png"
    "#ffffff" = "tiles/white.jpg"
    "#f80"    = "orange.png"       # short form of #ff8800

Each main-image pixel whose colour is a key is drawn with that tile, no approximation. A pixel
whose colour is not a key is an error naming the colour and where it is, unless a fallback is
chosen:

* ``"error"`` (default): refuse, naming the first such pixel (x = column, y = row, from the top
  left, 0-based) and how many pixels and colours are unknown.
* ``"nearest"``: draw it with the tile of the nearest palette colour (OKLab distance, or the
  space asked for).
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from pathlib import Path

import numpy as np

from ..errors import BadInputError
from ..io import os_reason
from .colour import Space, get_space, pack_rgb, parse_hex, srgb_to_space, to_hex

FALLBACKS = ("error", "nearest")


@dataclasses.dataclass(frozen=True)
class Palette:
    """A parsed palette: ``colours`` ``(n, 3)`` uint8 sRGB and the tile file of each."""

    path: str
    colours: np.ndarray
    tiles: list[Path]

    def __len__(self) -> int:
        return len(self.tiles)

    def hex(self, index: int) -> str:
        """Colour ``index`` as ``#rrggbb``."""
        return to_hex(self.colours[index])


def read_palette(path: str | os.PathLike[str]) -> Palette:
    """Read and check a palette file (see the module notes).

    Raises
    ------
    BadInputError
        Missing or unreadable file, TOML syntax error, a key that is not a colour, a colour
        given twice, a value that is not a path, a tile file that does not exist, no entries.
    """
    file = Path(path)
    name = os.fspath(path)
    if not file.is_file():
        raise BadInputError(f"{name}: no such palette file")
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise BadInputError(f"{name}: not a valid TOML palette ({error})") from None
    if not data:
        raise BadInputError(f'{name}: empty palette (write lines like "#000000" = "black.png")')
    colours: list[tuple[int, int, int]] = []
    tiles: list[Path] = []
    seen: dict[tuple[int, int, int], str] = {}
    for key, value in data.items():
        try:
            colour = parse_hex(key)
        except BadInputError:
            raise BadInputError(f"{name}: key {key!r} is not a colour (use \"#rrggbb\" = "
                                f"\"tile.png\")") from None
        if colour in seen:
            raise BadInputError(f"{name}: colour {to_hex(colour)} is given twice ({seen[colour]!r}"
                                f" and {key!r})")
        seen[colour] = key
        if not isinstance(value, str) or not value:
            raise BadInputError(f"{name}: the value of {key!r} must be a tile file path in "
                                f"quotes, not {value!r}")
        tile = Path(value) if Path(value).is_absolute() else file.parent / value
        try:
            found = tile.is_file()
        except OSError as error:  # a name too long for the file system, ...
            raise BadInputError(f"{name}: tile for {key}: {os_reason(error)}: "
                                f"{os.fspath(tile)[:80]}...") from None
        if not found:
            raise BadInputError(f"{name}: tile for {key} not found: {tile}")
        colours.append(colour)
        tiles.append(tile)
    return Palette(name, np.array(colours, dtype=np.uint8).reshape(-1, 3), tiles)


def palette_indices(rgb: np.ndarray, palette: Palette, *, fallback: str = "error",
                    space: Space | str = "oklab", image_name: str = "main image"
                    ) -> tuple[np.ndarray, int]:
    """Palette entry of every pixel of ``rgb`` ``(rows, cols, 3)`` uint8.

    Returns ``(indices (rows, cols) int32, fallback_pixels)``, the second being the number of
    pixels whose colour is not in the palette and were drawn by the fallback.
    """
    if fallback not in FALLBACKS:
        raise BadInputError(f"fallback must be one of {', '.join(FALLBACKS)}, not {fallback!r}")
    keys = pack_rgb(palette.colours)
    order = np.argsort(keys)
    sorted_keys = keys[order]
    packed = pack_rgb(rgb)
    where = np.minimum(np.searchsorted(sorted_keys, packed), len(keys) - 1)
    known = sorted_keys[where] == packed
    indices = order[where].astype(np.int32)
    unknown = int(known.size - np.count_nonzero(known))
    if unknown == 0:
        return indices, 0
    if fallback == "error":
        y, x = np.unravel_index(int(np.argmin(known)), known.shape)
        colours = len(np.unique(packed[~known]))
        raise BadInputError(
            f"{image_name}: colour {to_hex(rgb[y, x])} at x={x}, y={y} is not in the palette "
            f"{palette.path} ({unknown:,} pixel{'s' if unknown > 1 else ''} in {colours:,} "
            f"colour{'s' if colours > 1 else ''} are not; add them or use --fallback nearest)")
    from .match import nearest_references

    space = get_space(space) if isinstance(space, str) else space
    missing = rgb[~known].reshape(1, -1, 3)
    refs = srgb_to_space(palette.colours, space)
    indices[~known] = nearest_references(missing, refs, space).indices.ravel()
    return indices, unknown
