"""Where each sample of a raw cube lives in its file: shape, type, interleave, offset.

Axis names follow ENVI: *lines* are image rows, *samples* are columns. In Python every cube
is handled in ``(bands, rows, cols)`` order; on disk the order depends on the interleave:

=========== =========================== ===========================================
interleave  file order (slowest first)  sample (band b, row r, col c) at element
=========== =========================== ===========================================
``bsq``     bands, rows, cols           ``(b * rows + r) * cols + c``
``bil``     rows, bands, cols           ``(r * bands + b) * cols + c``
``bip``     rows, cols, bands           ``(r * cols + c) * bands + b``
=========== =========================== ===========================================

(add ``offset`` bytes, multiply by the sample size).
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import numpy as np

from ..errors import BadInputError
from .header import ENVI_CODES, INTERLEAVES


@dataclasses.dataclass(frozen=True)
class Layout:
    """The geometry of a raw cube in its file.

    Parameters
    ----------
    rows, cols, bands : int
        Image rows (ENVI ``lines``), columns (``samples``) and bands, all >= 1.
    dtype : numpy.dtype
        Sample type *as stored*, byte order included (``>u2`` is big-endian uint16).
    interleave : {"bsq", "bil", "bip"}
    offset : int
        Bytes before the first sample (ENVI ``header offset``).
    """

    rows: int
    cols: int
    bands: int
    dtype: np.dtype
    interleave: str
    offset: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "dtype", np.dtype(self.dtype))
        if self.interleave not in INTERLEAVES:
            raise BadInputError(f"interleave must be bsq, bil or bip, not {self.interleave!r}")
        if min(self.rows, self.cols, self.bands) < 1:
            raise BadInputError(f"a cube needs at least one row, column and band, got "
                                f"{self.rows} x {self.cols} x {self.bands}")
        if self.offset < 0:
            raise BadInputError(f"offset must be >= 0, not {self.offset}")

    @property
    def itemsize(self) -> int:
        return self.dtype.itemsize

    @property
    def native_dtype(self) -> np.dtype:
        """The same type in this machine's byte order (what reads return)."""
        return self.dtype.newbyteorder("=")

    @property
    def swapped(self) -> bool:
        """True when the file's byte order is not this machine's."""
        return not self.dtype.isnative

    @property
    def byte_order(self) -> str:
        """``"little"`` or ``"big"``: the file's byte order (1-byte types report little)."""
        if self.dtype.byteorder == "|":
            return "little"
        little = self.dtype.byteorder == "<" or (self.dtype.byteorder == "="
                                                 and np.little_endian)
        return "little" if little else "big"

    @property
    def shape(self) -> tuple[int, int, int]:
        """``(bands, rows, cols)``: the shape of a full read."""
        return self.bands, self.rows, self.cols

    @property
    def file_shape(self) -> tuple[int, int, int]:
        """The array shape of the data in file order (see the module table)."""
        return {"bsq": (self.bands, self.rows, self.cols),
                "bil": (self.rows, self.bands, self.cols),
                "bip": (self.rows, self.cols, self.bands)}[self.interleave]

    @property
    def band_axis(self) -> int:
        """The axis of :attr:`file_shape` that indexes bands."""
        return {"bsq": 0, "bil": 1, "bip": 2}[self.interleave]

    @property
    def data_bytes(self) -> int:
        """Bytes of samples (without the offset)."""
        return self.rows * self.cols * self.bands * self.itemsize

    @property
    def file_bytes(self) -> int:
        """The size the data file must have: offset + samples."""
        return self.offset + self.data_bytes

    @property
    def row_bytes(self) -> int:
        """Bytes of one image row of every band (a BIL/BIP row; a BSQ row is a band's)."""
        return self.cols * self.bands * self.itemsize

    def with_(self, **changes: Any) -> Layout:
        return dataclasses.replace(self, **changes)

    def describe(self) -> str:
        """``"2000 lines x 2000 samples x 100 bands x 2 bytes + 0 header offset"``."""
        return (f"{self.rows} lines x {self.cols} samples x {self.bands} bands x "
                f"{self.itemsize} bytes + {self.offset} header offset")


_DTYPE_NAMES = ("uint8", "int8", "uint16", "int16", "uint32", "int32", "uint64", "int64",
                "float32", "float64", "complex64", "complex128")


def parse_shape(text: str | tuple[int, ...] | list[int]) -> tuple[int, int, int]:
    """``"ROWSxCOLSxBANDS"`` (or ``"ROWSxCOLS"`` for one band) -> ``(rows, cols, bands)``.

    Rows are image lines, columns are samples, whatever the interleave.
    """
    if isinstance(text, tuple | list):
        parts = [str(v) for v in text]
    else:
        parts = re.split(r"\s*[x,×]\s*", str(text).strip().lower())
    try:
        values = [int(p) for p in parts]
    except ValueError:
        values = []
    if len(values) == 2:
        values.append(1)
    if len(values) != 3 or min(values) < 1:
        raise BadInputError(f"--shape must be ROWSxCOLSxBANDS with positive integers "
                            f"(e.g. 2000x2000x100), not {text!r}")
    return values[0], values[1], values[2]


def parse_dtype(value: Any) -> np.dtype:
    """A sample type by numpy name (``uint16``) or ENVI code (``12``); byte order dropped."""
    from .header import ENVI_TYPES

    if isinstance(value, np.dtype | type):
        dtype = np.dtype(value)
    else:
        text = str(value).strip().lower()
        if text.isdigit() and int(text) in ENVI_TYPES:
            dtype = np.dtype(ENVI_TYPES[int(text)])
        elif text in _DTYPE_NAMES:
            dtype = np.dtype(text)
        else:
            raise BadInputError(f"--dtype must be one of {', '.join(_DTYPE_NAMES)} "
                                f"(or an ENVI data type code), not {value!r}")
    dtype = dtype.newbyteorder("=")
    if dtype.name not in _DTYPE_NAMES:
        raise BadInputError(f"unsupported sample type {dtype.name} "
                            f"(use one of {', '.join(_DTYPE_NAMES)})")
    return dtype


def parse_byte_order(value: str | None) -> str:
    """``little``/``big`` (also ``0``/``1``, ``le``/``be``, ``native``) -> little | big."""
    text = "native" if value is None else str(value).strip().lower()
    table = {"little": "little", "le": "little", "0": "little", "<": "little",
             "big": "big", "be": "big", "1": "big", ">": "big",
             "native": "little" if np.little_endian else "big"}
    if text not in table:
        raise BadInputError(f"byte order must be little or big, not {value!r}")
    return table[text]


def parse_interleave(value: str) -> str:
    text = str(value).strip().lower()
    if text not in INTERLEAVES:
        raise BadInputError(f"interleave must be bsq, bil or bip, not {value!r}")
    return text


def with_byte_order(dtype: Any, byte_order: str) -> np.dtype:
    """``dtype`` stored in ``byte_order`` (``little``/``big``)."""
    return np.dtype(dtype).newbyteorder("<" if byte_order == "little" else ">")


def envi_dtype_supported(dtype: np.dtype) -> bool:
    """True when ENVI has a data type code for ``dtype``."""
    return dtype.newbyteorder("=").name in ENVI_CODES
