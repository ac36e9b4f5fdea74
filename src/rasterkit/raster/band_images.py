"""The pictures ``raster split`` writes, without numpy: which formats, their file names, how
one is saved, and the results that describe them (:class:`SplitResult` is the JSON of
``raster split --json``). Shared by :mod:`.export` (the numpy path) and :mod:`.small_split`
(small cubes, without numpy).

Output names: ``<prefix>_b<index>.<png|tif|npy>``, the index 0-based and zero-padded to the
width of the last band number (``scene_b07.png`` for band 7 of 100), prefix = the data file's
stem.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import BadInputError
from ..io import OutputSet, save_image
from .stretch import DEFAULT_PERCENTILES, parse_percentiles

if TYPE_CHECKING:
    import pyvips

    from .header import EnviHeader

FORMATS = ("png", "tif", "npy")


@dataclasses.dataclass(frozen=True)
class BandImage:
    """One written band image; ``stretch`` is the (low, high) value range mapped to 0..255,
    or None when values were written as stored."""

    index: int
    path: Path
    wavelength: float | None
    name: str | None
    stretch: tuple[float, float] | None

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "path": os.fspath(self.path),
                "wavelength": self.wavelength, "name": self.name,
                "stretch": None if self.stretch is None else list(self.stretch)}


@dataclasses.dataclass(frozen=True)
class RgbImage:
    """A written quick-look: ``bands`` are the 0-based (red, green, blue) band indices."""

    path: Path
    bands: tuple[int, int, int]
    stretch: tuple[tuple[float, float], ...]

    def to_dict(self) -> dict[str, Any]:
        return {"path": os.fspath(self.path), "bands": list(self.bands),
                "stretch": [list(s) for s in self.stretch]}


@dataclasses.dataclass(frozen=True)
class SplitResult:
    """What :func:`~rasterkit.raster.export.split` wrote. :meth:`to_dict` is the JSON of
    ``raster split --json``, :meth:`to_text` its text (:class:`rasterkit.results.ResultProtocol`).

    ``folder`` is the output folder as it was given (None: only a quick-look was written).
    """

    source: str
    images: list[BandImage]
    rgb: RgbImage | None
    folder: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "images": [i.to_dict() for i in self.images],
                "rgb": None if self.rgb is None else self.rgb.to_dict()}

    def _lines(self) -> list[str]:
        lines = []
        if self.images:
            count = len(self.images)
            how = ("values as stored" if self.images[0].stretch is None
                   else "8-bit, stretched per band")
            lines.append(f"wrote {count} band image{'s' if count > 1 else ''} to {self.folder} "
                         f"({self.images[0].path.suffix[1:]}, {how}; bands numbered from 0)")
        if self.rgb is not None:
            r, g, b = self.rgb.bands
            lines.append(f"wrote {self.rgb.path} (red = band {r}, green = band {g}, blue = "
                         f"band {b})")
        return lines

    def summary_line(self) -> str:
        """The first line ``raster split`` prints: the band images written (``wrote 5 band
        images to out/ (png, ...)``), else the quick-look."""
        return next(iter(self._lines()), "wrote no images")

    def to_text(self) -> str:
        """What ``raster split`` prints: a line for the band images, one for the quick-look."""
        return "".join(f"{line}\n" for line in self._lines())


def parse_band_list(text: str) -> list[int]:
    """``"29,19,9"`` -> ``[29, 19, 9]``; ``"0:4,9"`` -> ``[0, 1, 2, 3, 9]`` (0-based,
    ``START:STOP`` half-open as in Python)."""
    out: list[int] = []
    try:
        for part in str(text).split(","):
            part = part.strip()
            if ":" in part:
                a, b = part.split(":")
                out.extend(range(int(a), int(b)))
            elif part:
                out.append(int(part))
    except ValueError:
        out = []
    if not out or min(out) < 0:
        raise BadInputError(f"--bands must be 0-based band numbers like 29,19,9 or ranges "
                            f"like 0:10 (half-open), not {text!r}")
    return out


def resolve_stretch(stretch: Any, fmt: str) -> tuple[float, float] | None:
    """The percentiles to stretch between for ``--stretch``/``stretch=`` and the format: "auto" is
    2-98 for PNG and none (values as stored) for TIFF and NPY."""
    if isinstance(stretch, str) and stretch == "auto":
        return DEFAULT_PERCENTILES if fmt == "png" else None
    percentiles = parse_percentiles(stretch)
    if fmt == "npy" and percentiles is not None:
        raise BadInputError("--format npy keeps values as stored; a stretch is for pictures "
                            "(png or tif)")
    return percentiles


#: Longest file name most file systems take (ext4, XFS, tmpfs), in bytes.
MAX_NAME_BYTES = 255


def band_file_names(data_path: Path, nbands: int, bands: Sequence[int], out_dir: Path,
                    fmt: str, prefix: str | None = None) -> list[Path]:
    """``out_dir/<prefix>_b<index>.<fmt>`` for each of ``bands`` of a cube of ``nbands``
    bands (module notes); the prefix defaults to the data file's stem.

    Raises :class:`BadInputError` when ``prefix`` is not a plain name part (a separator, a
    NUL, ``..``) or makes a name longer than file systems take (255 bytes).
    """
    if prefix is not None and (prefix in ("", ".", "..") or "\0" in prefix
                               or any(sep and sep in prefix for sep in (os.sep, os.altsep))):
        raise BadInputError(f"--prefix must be a plain file name part, not {prefix!r}")
    stem = prefix or data_path.name.split(".")[0] or "band"
    width = len(str(nbands - 1))
    names = [f"{stem}_b{b:0{width}d}.{fmt}" for b in bands]
    longest = max(names, key=lambda name: len(os.fsencode(name)), default="")
    if len(os.fsencode(longest)) > MAX_NAME_BYTES:
        raise BadInputError(f"--prefix makes file names too long ({len(os.fsencode(longest))} "
                            f"bytes; at most {MAX_NAME_BYTES})")
    return [out_dir / name for name in names]


def save_picture(image: pyvips.Image, path: Path, inputs: list[Path],
                 outputs: OutputSet) -> None:
    """Save a band image or a quick-look into ``outputs`` (JPEG at quality 90, PNG at
    compression 3)."""
    suffix = path.suffix.lower()
    options: dict[str, Any] = {}
    if suffix in (".jpg", ".jpeg"):
        options["Q"] = 90
    elif suffix == ".png":
        options["compression"] = 3
    save_image(image, path, inputs=inputs, outputs=outputs, **options)


def band_wavelength(header: EnviHeader, b: int) -> float | None:
    """Band ``b``'s wavelength in the header's units, or None."""
    waves = header.wavelength
    return waves[b] if waves and b < len(waves) else None


def band_name(header: EnviHeader, b: int) -> str | None:
    """Band ``b``'s name in the header (``band names``), or None."""
    names = header.band_names
    return names[b] if names and b < len(names) else None
