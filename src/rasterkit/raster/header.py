"""ENVI ``.hdr`` headers: parse, query, edit and write them without losing anything.

An ENVI header is a text file that starts with the line ``ENVI`` followed by ``key = value``
lines. A value that starts with ``{`` runs to the matching ``}``, possibly over several lines
(lists such as ``wavelength = { 400.5, 410.2, ... }``). Lines starting with ``;`` are comments.
Keys are case-insensitive (``Data Type`` is ``data type``).

:class:`EnviHeader` keeps every entry *as written*, in order, including unknown keys and
comments, so ``parse_header(h.to_text()) == h``: a round trip is lossless. Typed accessors
(:attr:`EnviHeader.samples`, :attr:`EnviHeader.wavelength`, ...) read the common keys and
:meth:`EnviHeader.set` edits a value in place (or appends a new key at the end).

ENVI data type codes: 1 uint8, 2 int16, 3 int32, 4 float32, 5 float64, 6 complex64,
9 complex128, 12 uint16, 13 uint32, 14 int64, 15 uint64. ``byte order`` 0 is little-endian,
1 big-endian.
"""

from __future__ import annotations

import dataclasses
import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import BadInputError

if TYPE_CHECKING:
    import numpy as np

#: ENVI ``data type`` code -> numpy's name of the sample type. Names, not dtypes: reading a
#: header imports no numpy (the small-cube path of ``raster split`` runs without it);
#: :data:`ENVI_DTYPES` has the numpy dtypes, made on first use.
ENVI_TYPES: dict[int, str] = {
    1: "uint8",
    2: "int16",
    3: "int32",
    4: "float32",
    5: "float64",
    6: "complex64",
    9: "complex128",
    12: "uint16",
    13: "uint32",
    14: "int64",
    15: "uint64",
}
#: numpy dtype name -> ENVI ``data type`` code
ENVI_CODES: dict[str, int] = {name: code for code, name in ENVI_TYPES.items()}


def type_size(name: str) -> int:
    """Bytes per sample of the type named ``name`` (``"uint16"`` -> 2, ``"complex64"`` -> 8)."""
    return int(name.lstrip("abcdefghijklmnopqrstuvwxyz")) // 8


def __getattr__(name: str) -> Any:
    if name == "ENVI_DTYPES":  # ENVI ``data type`` code -> numpy dtype (native byte order)
        import numpy as np

        value = {code: np.dtype(type_name) for code, type_name in ENVI_TYPES.items()}
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

INTERLEAVES = ("bsq", "bil", "bip")

#: keys without which a cube cannot be located in its file
REQUIRED_KEYS = ("samples", "lines", "bands", "data type")


def normalize_key(key: str) -> str:
    """``"  Data   Type "`` -> ``"data type"``: the form keys are compared in."""
    return " ".join(key.split()).lower()


@dataclasses.dataclass
class Entry:
    """One line (or braced block) of a header: ``key = value``, or a comment (``key`` None).

    ``key`` and ``value`` are kept as written (stripped of surrounding blanks); a braced
    value keeps its braces and inner line breaks; a comment's ``value`` is the whole line.
    """

    key: str | None
    value: str


class EnviHeader:
    """An ENVI header: ordered entries with case-insensitive lookup and typed accessors.

    Parameters
    ----------
    entries : iterable of Entry
        The header's lines in order (see :func:`parse_header`).
    name : str
        Where it came from, for error messages (a path, or ``"<header>"``).

    Example
    -------
    >>> h = parse_header("ENVI\\nsamples = 4\\nlines = 2\\nbands = 3\\ndata type = 12\\n"
    ...                  "interleave = bip\\nbyte order = 0\\nwavelength = {400, 500,\\n 600}\\n")
    >>> h.samples, h.lines, h.bands, h.dtype.name, h.interleave, h.wavelength
    (4, 2, 3, 'uint16', 'bip', [400.0, 500.0, 600.0])
    """

    def __init__(self, entries: Iterable[Entry] = (), name: str = "<header>") -> None:
        self.entries: list[Entry] = [Entry(e.key, e.value) for e in entries]
        self.name = name

    # ---------------------------------------------------------------- raw access

    def _index(self, key: str) -> int | None:
        """Position of ``key``'s entry (the last of duplicates wins); one dictionary built per
        version of the entry list, so reading every key of a large header is linear."""
        stamp = (id(self.entries), len(self.entries))
        if getattr(self, "_stamp", None) != stamp:
            self._positions = {normalize_key(e.key): i for i, e in enumerate(self.entries)
                               if e.key is not None}
            self._stamp = stamp
        return self._positions.get(normalize_key(key))

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._index(key) is not None

    def __getitem__(self, key: str) -> str:
        i = self._index(key)
        if i is None:
            raise KeyError(key)
        return self.entries[i].value

    def get(self, key: str, default: str | None = None) -> str | None:
        """The raw text of ``key``'s value (braces included), or ``default``."""
        i = self._index(key)
        return default if i is None else self.entries[i].value

    def keys(self) -> list[str]:
        """Keys in file order, as written (comments skipped; duplicates listed once)."""
        seen: dict[str, str] = {}
        for entry in self.entries:
            if entry.key is not None:
                seen.setdefault(normalize_key(entry.key), entry.key)
        return list(seen.values())

    def items(self) -> Iterator[tuple[str, str]]:
        """``(key, raw value)`` pairs in file order, the value each key resolves to."""
        for key in self.keys():
            yield key, self[key]

    def set(self, key: str, value: Any) -> None:
        """Set ``key`` to ``value`` in place (same position), or append it at the end.

        ``value`` may be text (written as is), a number, or a sequence (written as a braced,
        comma-separated list).
        """
        text = format_value(value)
        i = self._index(key)
        if i is None:
            self.entries.append(Entry(key, text))
        else:
            self.entries[i].value = text

    def remove(self, key: str) -> None:
        """Drop every entry of ``key`` (no error when absent)."""
        wanted = normalize_key(key)
        self.entries = [e for e in self.entries
                        if e.key is None or normalize_key(e.key) != wanted]

    def copy(self) -> EnviHeader:
        return EnviHeader(self.entries, self.name)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, EnviHeader) and self.entries == other.entries

    def __repr__(self) -> str:
        return f"EnviHeader({self.name!r}, {len(self.entries)} entries)"

    # ---------------------------------------------------------------- typed values

    def integer(self, key: str, default: int | None = None, *, minimum: int = 0) -> int:
        """``key`` as an integer >= ``minimum``; ``default`` when absent (error if None)."""
        raw = self.get(key)
        if raw is None:
            if default is None:
                raise BadInputError(f"{self.name}: missing required key '{key}'")
            return default
        try:
            value = int(raw.strip())
        except ValueError:
            raise BadInputError(f"{self.name}: '{key}' must be an integer, not {raw!r}") from None
        if value < minimum:
            raise BadInputError(f"{self.name}: '{key}' must be >= {minimum}, not {value}")
        return value

    def strings(self, key: str) -> list[str] | None:
        """A braced list value split on commas (``{a, b}`` -> ``["a", "b"]``); None if absent."""
        raw = self.get(key)
        return None if raw is None else split_list(raw)

    def floats(self, key: str) -> list[float] | None:
        """A braced list of numbers (``wavelength``, ``fwhm``, ...); None if absent."""
        items = self.strings(key)
        if items is None:
            return None
        try:
            return [float(item) for item in items]
        except ValueError:
            raise BadInputError(f"{self.name}: '{key}' must be a list of numbers") from None

    @property
    def samples(self) -> int:
        """Columns of the image (``samples``)."""
        return self.integer("samples", minimum=1)

    @property
    def lines(self) -> int:
        """Rows of the image (``lines``)."""
        return self.integer("lines", minimum=1)

    @property
    def bands(self) -> int:
        """Number of bands (``bands``)."""
        return self.integer("bands", minimum=1)

    @property
    def data_type(self) -> int:
        """The ENVI ``data type`` code (validated: one of :data:`ENVI_TYPES`)."""
        code = self.integer("data type")
        if code not in ENVI_TYPES:
            known = ", ".join(f"{c} {name}" for c, name in ENVI_TYPES.items())
            raise BadInputError(f"{self.name}: unknown ENVI data type {code} (known: {known})")
        return code

    @property
    def byte_order(self) -> str:
        """``"little"`` (``byte order = 0``) or ``"big"`` (1).

        Required when samples take more than one byte; a 1-byte cube may omit it.
        """
        raw = self.get("byte order")
        if raw is None:
            if type_size(ENVI_TYPES[self.data_type]) == 1:
                return "little"
            raise BadInputError(f"{self.name}: missing required key 'byte order' "
                                "(0 little-endian, 1 big-endian)")
        if raw.strip() not in ("0", "1"):
            raise BadInputError(f"{self.name}: 'byte order' must be 0 (little-endian) or 1 "
                                f"(big-endian), not {raw!r}")
        return "little" if raw.strip() == "0" else "big"

    @property
    def dtype(self) -> np.dtype:
        """The numpy dtype of the samples *as stored* (byte order included)."""
        import numpy as np

        base = np.dtype(ENVI_TYPES[self.data_type])
        return base.newbyteorder("<" if self.byte_order == "little" else ">")

    @property
    def interleave(self) -> str:
        """``"bsq"``, ``"bil"`` or ``"bip"``; required when there is more than one band."""
        raw = self.get("interleave")
        if raw is None:
            if self.bands == 1:
                return "bsq"
            raise BadInputError(f"{self.name}: missing required key 'interleave' "
                                "(bsq, bil or bip)")
        value = raw.strip().lower()
        if value not in INTERLEAVES:
            raise BadInputError(f"{self.name}: 'interleave' must be bsq, bil or bip, "
                                f"not {raw.strip()!r}")
        return value

    @property
    def header_offset(self) -> int:
        """Bytes to skip at the start of the data file (``header offset``, default 0)."""
        return self.integer("header offset", 0)

    @property
    def file_compression(self) -> bool:
        """True when the data file is gzip-compressed (``file compression = 1``)."""
        raw = self.get("file compression")
        if raw is None or raw.strip() == "0":
            return False
        if raw.strip() == "1":
            return True
        raise BadInputError(f"{self.name}: 'file compression' must be 0 or 1 (gzip), "
                            f"not {raw.strip()!r}")

    def frame_offsets(self, kind: str) -> tuple[int, int]:
        """``(before, after)`` bytes embedded around each ``kind`` ("major" or "minor") frame
        (``major frame offsets = {before, after}``; absent: no bytes)."""
        key = f"{kind} frame offsets"
        items = self.strings(key)
        if not items:
            return 0, 0
        try:
            values = [int(item) for item in items]
        except ValueError:
            values = []
        if len(values) == 1:
            values.append(0)
        if len(values) != 2 or min(values) < 0:
            raise BadInputError(f"{self.name}: '{key}' must be {{before, after}} with two "
                                f"byte counts >= 0, not {self.get(key)!r}")
        return values[0], values[1]

    @property
    def wavelength(self) -> list[float] | None:
        return self.floats("wavelength")

    @property
    def fwhm(self) -> list[float] | None:
        return self.floats("fwhm")

    @property
    def band_names(self) -> list[str] | None:
        return self.strings("band names")

    @property
    def wavelength_units(self) -> str | None:
        raw = self.get("wavelength units")
        return None if raw is None else raw.strip()

    @property
    def data_ignore_value(self) -> float | None:
        """The no-data value (``data ignore value``), or None."""
        raw = self.get("data ignore value")
        if raw is None:
            return None
        try:
            return float(raw.strip())
        except ValueError:
            raise BadInputError(f"{self.name}: 'data ignore value' must be a number, "
                                f"not {raw!r}") from None

    @property
    def map_info(self) -> list[str] | None:
        return self.strings("map info")

    @property
    def description(self) -> str | None:
        raw = self.get("description")
        if raw is None:
            return None
        text = raw.strip()
        if text.startswith("{") and text.endswith("}"):
            text = text[1:-1]
        return " ".join(text.split())

    @property
    def default_bands(self) -> list[int] | None:
        """ENVI ``default bands`` converted to 0-based indices (ENVI numbers bands from 1)."""
        items = self.strings("default bands")
        if not items:
            return None
        try:
            numbers = [int(float(item)) for item in items]
        except (ValueError, OverflowError):
            return None
        # Unusable values are ignored, as unparseable ones are: band numbers start at 1.
        return [n - 1 for n in numbers] if min(numbers) >= 1 else None

    def validate(self) -> None:
        """Raise :class:`BadInputError` unless every key needed to read the data is sound."""
        for key in REQUIRED_KEYS:
            if key not in self:
                raise BadInputError(f"{self.name}: missing required key '{key}'")
        _ = (self.samples, self.lines, self.bands, self.data_type, self.byte_order,
             self.interleave, self.header_offset)  # (data type, byte order: self.dtype)

    # ---------------------------------------------------------------- writing

    def to_text(self) -> str:
        """The header as ENVI text (``ENVI`` line first, one entry per line)."""
        lines = ["ENVI"]
        for entry in self.entries:
            lines.append(entry.value if entry.key is None else f"{entry.key} = {entry.value}")
        return "\n".join(lines) + "\n"

    def write(self, path: str | os.PathLike[str]) -> None:
        """Write :meth:`to_text` to ``path`` (plain write; callers handle atomicity)."""
        Path(path).write_text(self.to_text(), encoding="utf-8")


def split_list(raw: str) -> list[str]:
    """``"{ a, b ,c }"`` -> ``["a", "b", "c"]``; comment lines inside the braces are dropped."""
    text = raw.strip()
    if text.startswith("{"):
        text = text[1:]
    if text.endswith("}"):
        text = text[:-1]
    kept = [line for line in text.splitlines() if not line.lstrip().startswith(";")]
    items = [item.strip() for item in "\n".join(kept).split(",")]
    if items and items[-1] == "":
        items.pop()
    return items


def format_value(value: Any) -> str:
    """A Python value as header text: sequences become ``{a, b, c}``."""
    if isinstance(value, str):
        return value.strip()
    numpy = sys.modules.get("numpy")  # its arrays and floats exist only once it is loaded
    if isinstance(value, Sequence) or (numpy is not None and isinstance(value, numpy.ndarray)):
        return "{" + ", ".join(format_value(v) for v in value) + "}"
    if isinstance(value, float) or (numpy is not None and isinstance(value, numpy.floating)):
        return repr(float(value))
    return str(value)


_KEY = re.compile(r"^\s*([^=;{}][^={}]*?)\s*=(.*)$")


def parse_header(text: str, name: str = "<header>") -> EnviHeader:
    """Parse ENVI header text into an :class:`EnviHeader` (keys not validated here).

    Raises
    ------
    BadInputError
        The text does not start with ``ENVI``, a ``{`` is never closed, or a line is neither
        ``key = value``, a comment, nor blank.
    """
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "ENVI":
        raise BadInputError(f"{name}: not an ENVI header (the first line must be 'ENVI')")
    entries: list[Entry] = []
    i = 1
    while i < len(lines):
        line = lines[i]
        number = i + 1
        i += 1
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith(";"):
            entries.append(Entry(None, stripped))
            continue
        match = _KEY.match(line)
        if match is None:
            raise BadInputError(f"{name}: line {number}: expected 'key = value', got "
                                f"{_clip(stripped)!r}")
        key, value = match.group(1).strip(), match.group(2).strip()
        if value.startswith("{"):
            block = [value]
            while "}" not in block[-1]:
                if i >= len(lines):
                    raise BadInputError(f"{name}: line {number}: '{{' of '{key}' is never "
                                        "closed by '}'")
                block.append(lines[i].strip())
                i += 1
            value = "\n".join(block)
            value = value[: value.index("}") + 1]
        entries.append(Entry(key, value))
    return EnviHeader(entries, name)


def _clip(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


#: Largest header read, in bytes: real ones (a wavelength and a name per band, for a few
#: thousand bands) take well under 1 MiB.
MAX_HEADER_BYTES = 16 * 2**20


def read_header(path: str | os.PathLike[str]) -> EnviHeader:
    """Read and validate the ENVI header at ``path``."""
    name = os.fspath(path)
    p = Path(path)
    if not p.exists():
        raise BadInputError(f"{name}: no such file")
    if p.is_dir():
        raise BadInputError(f"{name}: is a folder, not an ENVI header")
    size = p.stat().st_size
    if size > MAX_HEADER_BYTES:
        raise BadInputError(f"{name}: {size:,} bytes is too large for an ENVI header (headers "
                            f"are text of at most {MAX_HEADER_BYTES // 2**20} MiB)")
    raw = p.read_bytes()
    if b"\0" in raw[:4096]:
        raise BadInputError(f"{name}: not an ENVI header (binary data)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    header = parse_header(text, name)
    header.validate()
    return header


def new_header(*, samples: int, lines: int, bands: int, dtype: Any, interleave: str,
               byte_order: str = "little", header_offset: int = 0,
               name: str = "<header>") -> EnviHeader:
    """A minimal valid header in ENVI's usual key order. A sample type ENVI has no code for
    (``int8``, read from a header-less file) gets no ``data type`` key: such a header
    describes what was read and cannot be written (:mod:`.writer` refuses the type)."""
    import numpy as np

    code = ENVI_CODES.get(np.dtype(dtype).newbyteorder("=").name)
    entries = [
        Entry("samples", str(samples)),
        Entry("lines", str(lines)),
        Entry("bands", str(bands)),
        Entry("header offset", str(header_offset)),
        Entry("file type", "ENVI Standard"),
        Entry("data type", str(code)),
        Entry("interleave", interleave),
        Entry("byte order", "0" if byte_order == "little" else "1"),
    ]
    return EnviHeader([e for e in entries if code is not None or e.key != "data type"], name)


def envi_code(dtype: Any) -> int:
    """The ENVI ``data type`` code of a numpy dtype (byte order ignored)."""
    import numpy as np

    name = np.dtype(dtype).newbyteorder("=").name
    if name not in ENVI_CODES:
        known = ", ".join(ENVI_CODES)
        raise BadInputError(f"dtype {name} has no ENVI data type (use one of {known})")
    return ENVI_CODES[name]


# ------------------------------------------------------------------------ finding files

#: endings tried, in order, for the data file of ``<stem>.hdr`` (after ``<stem>`` itself)
DATA_SUFFIXES = (".img", ".dat", ".raw", ".bin", ".bsq", ".bil", ".bip")


def is_header_path(path: str | os.PathLike[str]) -> bool:
    """True when ``path`` names a header: it ends in ``.hdr`` or its text starts with ENVI."""
    p = Path(path)
    if p.suffix.lower() == ".hdr":
        return True
    try:
        with open(p, "rb") as f:
            return f.read(5).lstrip(b"\xef\xbb\xbf").rstrip() == b"ENVI"
    except OSError:
        return False


def data_candidates(header_path: Path) -> list[Path]:
    """Where the data of ``header_path`` may be, in the order they are tried.

    ``scene.hdr`` -> ``scene``, ``scene.img``, ``scene.dat``, ``scene.raw``, ``scene.bin``,
    ``scene.bsq``, ``scene.bil``, ``scene.bip`` (and upper-case endings). For
    ``scene.img.hdr`` (header name = data name + ``.hdr``) the first candidate is
    ``scene.img``.
    """
    stem = header_path.with_suffix("")
    found = [stem]
    for suffix in DATA_SUFFIXES:
        found += [stem.with_name(stem.name + suffix), stem.with_name(stem.name + suffix.upper())]
    return found


def header_candidates(data_path: Path) -> list[Path]:
    """Where the header of ``data_path`` may be: ``<name>.hdr`` then ``<stem>.hdr``."""
    found = [data_path.with_name(data_path.name + ".hdr"),
             data_path.with_name(data_path.name + ".HDR")]
    if data_path.suffix:
        found += [data_path.with_suffix(".hdr"), data_path.with_suffix(".HDR")]
    return found


def find_data_file(header_path: Path, expected_bytes: int | None = None) -> Path:
    """The data file of ``header_path``; prefers a candidate of ``expected_bytes`` size."""
    existing = [p for p in data_candidates(header_path) if p.is_file() and p != header_path]
    if not existing:
        tried = ", ".join(p.name for p in data_candidates(header_path)[:6])
        raise BadInputError(f"{header_path}: header without its data file (looked for "
                            f"{tried}, ...)")
    if expected_bytes is not None:
        for p in existing:
            if p.stat().st_size == expected_bytes:
                return p
    return existing[0]


def find_header(data_path: Path) -> Path | None:
    """The header of ``data_path`` if one exists beside it, else None."""
    for p in header_candidates(data_path):
        if p.is_file() and p != data_path:
            return p
    return None
