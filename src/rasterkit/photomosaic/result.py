"""What a mosaic run made: :class:`MosaicResult`, whose :meth:`~MosaicResult.to_dict` is the JSON
of ``rasterkit mosaic --json`` (field names stable, documented in the README)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pyvips


@dataclasses.dataclass(frozen=True)
class MosaicResult:
    """A composed (and usually written) mosaic.

    Attributes
    ----------
    output : str or None
        The file written (for ``.dz``: the ``.dzi`` descriptor beside its ``_files`` folder);
        None when no output was asked for (use ``image``).
    mode : "auto" or "palette"
    width, height : int, pixels
        Output size: ``columns * tile_size`` by ``rows * tile_size``.
    columns, rows : int
        Cells: the main image's size after the optional resize; one tile per cell.
    tile_size : int, pixels
    tiles : int
        Tiles available (after skipping unreadable ones); ``tile_paths`` lists them.
    tiles_used : int
        Distinct tiles in the picture.
    most_uses : int
        Uses of the most used tile.
    space : str or None
        Colour space of the distances ("oklab" or "lab"); None in palette mode without
        fallback.
    mean_distance, max_distance : float or None
        Distance between a cell's colour and its tile's average colour (auto mode), in
        ``space`` units (OKLab: about 0.01 is just noticeable; CIELAB: about 1).
    repeat_conflicts : int
        Cells where ``min_distance`` had to give way (no allowed tile was left).
    fallback_pixels : int
        Palette mode: pixels whose colour is not in the palette, drawn by the fallback.
    skipped_tiles : list of str
        Tile files that could not be read and were skipped (``skip_unreadable``).
    manifest : str or None
        The manifest file written, if any.
    seconds : float
        Wall time of the whole call.
    indices : ``(rows, cols)`` int32 array
        Tile number of each cell (into ``tile_paths``); not in the JSON (see the manifest).
    image : pyvips.Image
        The mosaic as a lazy image (write it elsewhere, crop a region, ...).
    """

    output: str | None
    mode: str
    width: int
    height: int
    columns: int
    rows: int
    tile_size: int
    tiles: int
    tiles_used: int
    most_uses: int
    space: str | None
    mean_distance: float | None
    max_distance: float | None
    repeat_conflicts: int
    fallback_pixels: int
    skipped_tiles: list[str]
    manifest: str | None
    seconds: float
    indices: np.ndarray = dataclasses.field(repr=False)
    tile_paths: list[str] = dataclasses.field(repr=False)
    image: pyvips.Image | None = dataclasses.field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """The JSON summary (``rasterkit mosaic --json``)."""
        return {"output": self.output, "mode": self.mode, "width": self.width,
                "height": self.height, "columns": self.columns, "rows": self.rows,
                "tile_size": self.tile_size, "tiles": self.tiles, "tiles_used": self.tiles_used,
                "most_uses": self.most_uses, "space": self.space,
                "mean_distance": _round(self.mean_distance),
                "max_distance": _round(self.max_distance),
                "repeat_conflicts": self.repeat_conflicts,
                "fallback_pixels": self.fallback_pixels, "skipped_tiles": self.skipped_tiles,
                "manifest": self.manifest, "seconds": round(self.seconds, 3)}

    def summary_line(self) -> str:
        """One line for people: what was written, how big, how many tiles."""
        where = self.output or "(not written)"
        line = (f"{where}: {self.width:,} x {self.height:,} px, {self.columns} x {self.rows} "
                f"cells of {self.tile_size} px, {self.tiles_used} of {self.tiles} tiles used "
                f"(most used {self.most_uses}x)")
        if self.mean_distance is not None:
            line += f", mean colour error {self.mean_distance:.3g} ({self.space})"
        if self.fallback_pixels:
            line += f", {self.fallback_pixels:,} pixels by fallback"
        if self.repeat_conflicts:
            line += f", {self.repeat_conflicts:,} cells broke the repeat distance"
        return f"{line}, {self.seconds:.2f} s"

    def to_text(self) -> str:
        """What ``rasterkit mosaic`` prints: :meth:`summary_line` and a newline."""
        return self.summary_line() + "\n"


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 6)
