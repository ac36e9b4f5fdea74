"""What ``rasterkit raster info`` reports: :class:`RasterInfo`, its JSON and its text."""

from __future__ import annotations

import dataclasses
import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .cube import Cube


@dataclasses.dataclass(frozen=True)
class RasterInfo:
    """A cube's description. :meth:`to_dict` is the JSON schema (stable field names).

    Fields: ``header`` (path or None), ``data`` (path), ``data_bytes`` (file size),
    ``rows``, ``cols``, ``bands``, ``dtype`` (numpy name), ``envi_data_type`` (code or None
    for types ENVI lacks, e.g. int8), ``byte_order`` (little/big), ``interleave``,
    ``header_offset`` (bytes), ``wavelength_units``, ``wavelengths``, ``fwhm``,
    ``band_names``, ``data_ignore_value``, ``map_info`` (list of strings),
    ``description``, ``default_bands`` (0-based), ``fields`` (every header key -> its raw
    text, in file order), ``storage`` (``"gzip"``, frame offsets, or ``""`` for a plain
    file), ``trailing_bytes`` (bytes after the last sample, ignored; None when compressed).
    Absent values are None. Band numbers are 0-based.

    It follows :class:`rasterkit.results.ResultProtocol`; ``raster info`` prints
    :meth:`to_text`, a table, and :meth:`summary_line` is the cube in one line, for logs.
    """

    header: str | None
    data: str
    data_bytes: int
    rows: int
    cols: int
    bands: int
    dtype: str
    envi_data_type: int | None
    byte_order: str
    interleave: str
    header_offset: int
    wavelength_units: str | None
    wavelengths: list[float] | None
    fwhm: list[float] | None
    band_names: list[str] | None
    data_ignore_value: float | None
    map_info: list[str] | None
    description: str | None
    default_bands: list[int] | None
    fields: dict[str, str]
    storage: str = ""
    trailing_bytes: int | None = 0

    @classmethod
    def from_cube(cls, cube: Cube) -> RasterInfo:
        from .header import ENVI_CODES
        from .storage import stored_bytes

        h, lay = cube.header, cube.layout
        size = cube.path.stat().st_size
        trailing = None if cube.storage.compressed else size - stored_bytes(lay, cube.storage)
        return cls(
            header=None if cube.header_path is None else os.fspath(cube.header_path),
            data=os.fspath(cube.path), data_bytes=size,
            rows=lay.rows, cols=lay.cols, bands=lay.bands, dtype=lay.dtype.name,
            envi_data_type=ENVI_CODES.get(lay.dtype.name), byte_order=lay.byte_order,
            interleave=lay.interleave, header_offset=lay.offset,
            wavelength_units=h.wavelength_units, wavelengths=h.wavelength, fwhm=h.fwhm,
            band_names=h.band_names, data_ignore_value=h.data_ignore_value,
            map_info=h.map_info, description=h.description, default_bands=h.default_bands,
            fields=dict(h.items()), storage=cube.storage.describe(), trailing_bytes=trailing,
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (``rasterkit raster info --json``)."""
        return dataclasses.asdict(self)

    def summary_line(self) -> str:
        """The cube in one line: ``scene.img: 100 rows x 80 columns x 5 bands, uint16
        little-endian, bsq``."""
        return (f"{self.data}: {self.rows} rows x {self.cols} columns x {self.bands} bands, "
                f"{self.dtype} {self.byte_order}-endian, {self.interleave}")

    def to_text(self) -> str:
        """Human-readable lines: size, type, layout, then spectral metadata if any."""
        def size(n: int) -> str:
            for unit in ("bytes", "KiB", "MiB", "GiB", "TiB"):
                if n < 1024 or unit == "TiB":
                    return f"{n:,} bytes" if unit == "bytes" else f"{n:.1f} {unit}"
                n /= 1024  # type: ignore[assignment]
            return ""  # pragma: no cover

        code = "" if self.envi_data_type is None else f" (ENVI data type {self.envi_data_type})"
        lines = [
            f"header       {self.header or '(none: header-less raw file)'}",
            f"data         {self.data} ({size(self.data_bytes)})",
            f"size         {self.rows} rows x {self.cols} columns x {self.bands} bands",
            f"samples      {self.dtype}{code}, {self.byte_order}-endian",
            f"interleave   {self.interleave}",
            f"offset       {self.header_offset} bytes",
        ]
        if self.storage:
            lines.append(f"stored       {self.storage} (unpacked once on first read)")
        if self.trailing_bytes:
            lines.append(f"trailing     {self.trailing_bytes:,} bytes after the samples "
                         "(ignored)")
        if self.wavelengths:
            unit = f" {self.wavelength_units}" if self.wavelength_units else ""
            lines.append(f"wavelengths  {len(self.wavelengths)}: {_g(self.wavelengths[0])} to "
                         f"{_g(self.wavelengths[-1])}{unit}")
        if self.fwhm:
            lines.append(f"fwhm         {len(self.fwhm)}: {_g(min(self.fwhm))} to "
                         f"{_g(max(self.fwhm))}")
        if self.data_ignore_value is not None:
            lines.append(f"ignore value {_g(self.data_ignore_value)}")
        if self.map_info:
            lines.append(f"map info     {', '.join(self.map_info)}")
        if self.default_bands:
            lines.append(f"default bands {', '.join(map(str, self.default_bands))} (0-based)")
        if self.description:
            lines.append(f"description  {self.description}")
        if self.band_names or self.wavelengths:
            lines.append("bands        (numbered from 0)")
            lines.extend(self._band_lines())
        else:
            lines.append(f"bands        0 to {self.bands - 1} (numbered from 0)")
        return "\n".join(lines) + "\n"

    def _band_lines(self, head: int = 8, tail: int = 4) -> list[str]:
        shown = list(range(self.bands))
        if self.bands > head + tail + 1:
            shown = [*range(head), -1, *range(self.bands - tail, self.bands)]
        width = len(str(self.bands - 1))
        out = []
        for b in shown:
            if b < 0:
                out.append(f"  {'...':>{width}}")
                continue
            parts = [f"  {b:>{width}}"]
            if self.band_names and b < len(self.band_names):
                parts.append(self.band_names[b])
            if self.wavelengths and b < len(self.wavelengths):
                unit = f" {self.wavelength_units}" if self.wavelength_units else ""
                parts.append(f"{_g(self.wavelengths[b])}{unit}")
            out.append("  ".join(parts))
        return out


def _g(value: float) -> str:
    return f"{value:g}"
