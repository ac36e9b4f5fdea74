"""Reading and writing images: every call to libvips' loaders and savers is made here.

Conventions
-----------
* Inputs are paths (``str`` / ``os.PathLike``), numpy arrays of shape ``(H, W)`` or
  ``(H, W, bands)``, or ``pyvips.Image``.
* File names are never read as libvips options (``x.png[page=1]`` is a file name):
  :func:`load_file`, :func:`thumbnail_file`, :func:`encode_file`.

What :func:`open_image` and :func:`load_array` guarantee (every input a user gives):

* Images larger than ``max_pixels`` (width x height) are refused before decoding, so a
  decompression bomb costs nothing. The default is :data:`DEFAULT_MAX_PIXELS`.
* Decoding of files is strict: a truncated or corrupt file is an error, never a partial
  image.
* One image per file: an animation or multi-page file is refused unless a :class:`Page`
  chooses a frame.

What :func:`save_image`, :func:`atomic_output` and :func:`atomic_outputs` guarantee (every
output file): it goes to a temporary file in the target folder that is renamed into place on
success, so a failed run leaves nothing behind; an output that resolves to one of the inputs
is refused before any work is done; a failed write names the operating system's cause.

Sanctioned exceptions, which use the lower-level helpers here on purpose:

* **Mosaic tiles** (:mod:`rasterkit.photomosaic.tiles`) are read with :func:`load_file` and
  :func:`thumbnail_file`, not :func:`open_image`: a thumbnail shrinks on load (JPEG, WebP)
  instead of decoding each photo whole. The tile loader decodes strictly and applies the
  pixel limit and the one-page rule itself, with messages that name the tile.
* **Streamed outputs** (:mod:`rasterkit.morphology.png_stream`): strips computed on demand are
  handed to libvips as a PNG stream rasterkit makes itself (:func:`load_source`), so no
  input checks apply; the result is saved with :func:`write_vips` into an
  :func:`atomic_output`.
* **Files inside a folder published whole** are encoded straight into that folder
  (:func:`write_vips`, :func:`encode_file`), without a temporary file each: the report's
  tiles (:mod:`rasterkit.linediff.report.tiles`, a staging folder renamed into place), a
  DeepZoom pyramid (:mod:`rasterkit.photomosaic.compose`: libvips writes a folder of tiles,
  staged likewise), and diff-dir's thumbnails and previews (:mod:`rasterkit.batch.work`:
  the review folder is rasterkit's own, cleared by the next review; as decoding is lazy, a
  libvips error there is reported as the input's, in the pair's error record).
* **Files that are not images** are read and written where they are made: ENVI raw samples
  (:mod:`rasterkit.raster`, memory-mapped, written through :func:`atomic_output`), ``.npy``
  bands (staged in an :class:`OutputSet`), the mosaic's tile cache (``.npz``; a cache that
  cannot be written is no error), and the HTML pages.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyvips

from .errors import BadInputError, LimitError, OutputError

if TYPE_CHECKING:
    import numpy as np

#: Default largest image accepted, in pixels (width x height): 250 Mpx, e.g. 1,400 x 178,000.
DEFAULT_MAX_PIXELS = 250_000_000

_NUMPY_FORMATS = {
    "uint8": "uchar",
    "int8": "char",
    "uint16": "ushort",
    "int16": "short",
    "uint32": "uint",
    "int32": "int",
    "float32": "float",
    "float64": "double",
}
_VIPS_DTYPES = {v: k for k, v in _NUMPY_FORMATS.items()}


def source_name(source: Any) -> str:
    """A short name for ``source`` to put in messages: the path as given, or ``<array>``."""
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    if isinstance(source, pyvips.Image):
        return source.get("filename") if source.get_typeof("filename") else "<vips image>"
    return "<array>"


def corrupt_pixels(name: str) -> BadInputError:
    """The error for an image whose header reads but whose pixels do not decode.

    It names no libvips detail: libvips keeps one error text for the whole process, so when
    images decode on several threads (the two sides of a diff, the pairs of ``diff-dir
    --threads``) another thread may take or clear it first, and the message would change
    from run to run.
    """
    return BadInputError(f"{name}: truncated or corrupt image (its pixels do not decode)")


def libvips_reason(error: pyvips.Error) -> str:
    """The first informative line of a libvips error, for a one-line message."""
    text = f"{error.detail or ''}\n{error.message or ''}"
    lines = [line.strip().rstrip(".") for line in text.splitlines() if line.strip()]
    if not lines or lines[0].startswith("unable to call"):
        return "truncated or corrupt file"
    return lines[0]


def check_pixel_limit(name: str, width: int, height: int, max_pixels: int | None) -> None:
    """Raise :class:`LimitError` when ``width * height`` exceeds ``max_pixels`` (None: no limit)."""
    if width <= 0 or height <= 0:
        raise BadInputError(f"{name}: image is empty ({width} x {height} px)")
    if max_pixels is not None and width * height > max_pixels:
        raise LimitError(
            f"{name}: {width} x {height} = {width * height / 1e6:.0f} Mpx exceeds the pixel limit "
            f"of {max_pixels / 1e6:.0f} Mpx (raise it with --max-pixels / max_pixels=)"
        )


def load_file(path: str | os.PathLike[str], **options: Any) -> pyvips.Image:
    """``pyvips.Image.new_from_file`` for a file name as it is: libvips reads ``x.png[page=1]``
    as ``x.png`` with options, so such names are opened as a stream (by content)."""
    filename = os.fspath(path)
    if "[" not in filename:
        return pyvips.Image.new_from_file(filename, **options)
    return load_source(pyvips.Source.new_from_file(filename), **options)


def load_source(source: pyvips.Source, **options: Any) -> pyvips.Image:
    """``pyvips.Image.new_from_source``: the image in ``source``'s bytes, format found by
    content, ``options`` to the loader. No checks: for streams rasterkit makes itself (and
    :func:`load_file`); a user's input goes through :func:`open_image`."""
    return pyvips.Image.new_from_source(source, "", **options)


def load_buffer(data: bytes, **options: Any) -> pyvips.Image:
    """``pyvips.Image.new_from_buffer``: the image encoded in ``data`` (a PNG a browser
    returned, say), format found by content, ``options`` to the loader. libvips' errors are
    raised as they are (``pyvips.Error``), for the caller to name the source."""
    return pyvips.Image.new_from_buffer(data, "", **options)


def thumbnail_file(path: str | os.PathLike[str], width: int, **options: Any) -> pyvips.Image:
    """``pyvips.Image.thumbnail`` for a file name as it is (see :func:`load_file`)."""
    filename = os.fspath(path)
    if "[" not in filename:
        return pyvips.Image.thumbnail(filename, width, **options)
    return pyvips.Image.thumbnail_source(pyvips.Source.new_from_file(filename), width,
                                         **options)


class Page(os.PathLike):  # type: ignore[type-arg]
    """Page (frame) ``number`` (0-based) of a multi-page file or animation, as an image
    source: ``open_image(Page("anim.gif", 2))``. It is a path everywhere else (messages,
    "never overwrite an input"). A single image has only page 0; with ``strict=False`` it is
    read as it is whatever ``number`` (to compare frame N of an animation with one image).
    """

    def __init__(self, path: str | os.PathLike[str], number: int, strict: bool = True) -> None:
        if number < 0:
            raise BadInputError(f"--page must be 0 or more, not {number}")
        self.path, self.number, self.strict = os.fspath(path), number, strict

    def __fspath__(self) -> str:
        return self.path

    def __repr__(self) -> str:
        return f"Page({self.path!r}, {self.number})"


def page_count(image: pyvips.Image) -> int:
    """Pages (frames) of the file ``image`` was opened from: 1 for a single image."""
    return image.get("n-pages") if image.get_typeof("n-pages") else 1


def _load_page(path: Path, name: str, page: Page, **options: Any) -> pyvips.Image:
    """Page ``page.number`` of the file at ``path`` (its only image when it has one page and
    the page is not strict)."""
    image = load_file(path, **options)
    pages, number = page_count(image), page.number
    if pages == 1 and not page.strict:
        return image
    if number >= pages:
        raise BadInputError(f"{name}: has {pages} page{'s' if pages > 1 else ''}; --page must "
                            f"be 0 to {pages - 1}, not {number}")
    return image if pages == 1 else load_file(path, page=number, **options)


def check_single_page(name: str, image: pyvips.Image) -> None:
    """Refuse an animation or a multi-page file: which frame is meant is not ours to guess."""
    pages = page_count(image)
    if pages > 1:
        raise BadInputError(f"{name}: has {pages} pages or frames, and rasterkit reads one "
                            f"image; choose one with --page N (0 to {pages - 1})")


def open_image(
    source: Any, *, max_pixels: int | None = DEFAULT_MAX_PIXELS, access: str = "sequential"
) -> pyvips.Image:
    """Open ``source`` as a lazy ``pyvips.Image`` without decoding its pixels.

    Parameters
    ----------
    source : path, numpy array or pyvips.Image
        A path to any format libvips reads (PNG, JPEG, WebP, TIFF, GIF, HEIF, ...), an array
        of shape ``(H, W)`` or ``(H, W, bands)``, or an image.
    max_pixels : int or None
        Refuse images with more pixels than this (``None``: no limit).
    access : {"sequential", "random"}
        libvips access hint; "sequential" streams top to bottom and uses least memory.

    Returns
    -------
    pyvips.Image
        Decoding happens when pixels are first requested; errors then are raised by
        :func:`materialize` as :class:`BadInputError`.

    Raises
    ------
    BadInputError
        Missing file, a folder, not an image, empty array.
    LimitError
        More than ``max_pixels`` pixels.
    """
    name = source_name(source)
    if isinstance(source, pyvips.Image):
        image = source
    elif isinstance(source, str | os.PathLike):
        path = Path(source)
        if not path.exists():
            raise BadInputError(f"{name}: no such file")
        if path.is_dir():
            raise BadInputError(f"{name}: is a folder, not an image")
        if path.stat().st_size == 0:
            raise BadInputError(f"{name}: empty file, not an image")
        try:
            if isinstance(source, Page):
                image = _load_page(path, name, source, access=access, fail_on="error")
            else:
                image = load_file(path, access=access, fail_on="error")
                check_single_page(name, image)
        except pyvips.Error as error:
            reason = libvips_reason(error)
            raise BadInputError(f"{name}: not an image (libvips: {reason})") from None
    else:
        image = array_to_vips(source, name=name)
    check_pixel_limit(name, image.width, image.height, max_pixels)
    return image


def array_to_vips(array: Any, *, name: str = "<array>") -> pyvips.Image:
    """Wrap a numpy array of shape ``(H, W)`` or ``(H, W, bands)`` as a ``pyvips.Image``.

    Any layout is taken (views, negative strides, Fortran order, read-only, memmaps): a
    C-contiguous array is shared without a copy, any other is copied once into a C-contiguous
    array. Boolean arrays become 0/255 ``uchar``. Either way the returned image, and every
    image libvips derives from it, keeps that memory alive (see :func:`wrap_memory`); do not
    modify a shared array while such an image is in use.
    """
    import numpy as np

    array = np.asarray(array)
    if array.dtype == bool:
        array = array.view(np.uint8) * np.uint8(255)
    if array.ndim == 2:
        array = array[:, :, None]
    if array.ndim != 3 or 0 in array.shape:
        raise BadInputError(
            f"{name}: expected an (H, W) or (H, W, bands) array, got shape {array.shape}")
    fmt = _NUMPY_FORMATS.get(array.dtype.name)
    if fmt is None:
        raise BadInputError(f"{name}: arrays of dtype {array.dtype} are not supported")
    if not array.dtype.isnative:
        array = array.astype(array.dtype.newbyteorder("="))
    height, width, bands = array.shape
    return wrap_memory(array, width, height, bands, fmt, interpretation_for(bands, fmt))


def wrap_memory(data: Any, width: int, height: int, bands: int, fmt: str,
                interpretation: str | None = None) -> pyvips.Image:
    """A ``pyvips.Image`` over ``data`` (no copy), which it keeps alive: the one place where
    memory is handed to libvips.

    ``data`` is any object exposing a buffer of ``width * height * bands`` samples of libvips
    format ``fmt`` (``"uchar"``, ``"ushort"``, ``"float"``, ...), row-major, bands last:
    ``bytes``, a ``memoryview``, a numpy array (made C-contiguous here if it is not;
    read-only memory is fine, libvips never writes to it).

    pyvips keeps a reference to ``data`` on the returned image and passes it on to every
    image an operation derives from it, so the buffer lives as long as any of them. Two
    things drop that reference and must not be used on such images: ``copy_memory()``
    (libvips returns the *same* image when it is already in memory, in a new wrapper without
    the reference; use :func:`render_to_memory`) and taking the pointer to C directly.
    """
    if hasattr(data, "__array_interface__"):
        import numpy as np

        data = np.ascontiguousarray(data)
    image = pyvips.Image.new_from_memory(data, width, height, bands, fmt)
    if interpretation is None or image.interpretation == interpretation:
        return image  # a copy to set what is already set costs a libvips operation
    return image.copy(interpretation=interpretation)


def render_to_memory(image: pyvips.Image) -> pyvips.Image:
    """``image`` computed into memory that libvips owns, for random access and reuse.

    Unlike ``image.copy_memory()`` this never loses the reference that keeps a wrapped buffer
    alive: when ``image`` already lives in memory (libvips then returns the same image), the
    image itself is returned.
    """
    out = image.copy_memory()
    return image if out.pointer == image.pointer else out


def interpretation_for(bands: int, fmt: str) -> str:
    """How libvips should read a new image: 16-bit stays 16-bit when saved (libvips writes a
    ``b-w`` / ``srgb`` image as 8-bit PNG)."""
    colour = bands >= 3
    if fmt in ("ushort", "short"):
        return "rgb16" if colour else "grey16"
    return "srgb" if colour else "b-w"


def materialize(image: pyvips.Image, name: str) -> bytes:
    """Decode ``image`` fully and return its pixels as packed bytes (row-major, bands last).

    libvips releases the GIL while it decodes, so several calls can run in threads at once.
    """
    try:
        return image.write_to_memory()
    except pyvips.Error:
        raise corrupt_pixels(name) from None


def vips_to_array(image: pyvips.Image, name: str = "<image>") -> np.ndarray:
    """Decode ``image`` into a numpy array of shape ``(H, W, bands)``."""
    import numpy as np

    dtype = _VIPS_DTYPES.get(image.format)
    if dtype is None:
        raise BadInputError(f"{name}: pixel format {image.format} is not supported")
    data = materialize(image, name)
    return np.frombuffer(data, dtype=dtype).reshape(image.height, image.width, image.bands)


def load_array(source: Any, *, max_pixels: int | None = DEFAULT_MAX_PIXELS) -> np.ndarray:
    """Load ``source`` (path, array or image) as a numpy array ``(H, W, bands)``, as stored."""
    import numpy as np

    if isinstance(source, np.ndarray):
        if source.ndim not in (2, 3) or 0 in source.shape:
            raise BadInputError(f"<array>: expected a non-empty (H, W) or (H, W, bands) array, "
                                f"got shape {source.shape}")
        check_pixel_limit("<array>", source.shape[1], source.shape[0], max_pixels)
        return source if source.ndim == 3 else source[:, :, None]
    name = source_name(source)
    return vips_to_array(open_image(source, max_pixels=max_pixels), name)


# --------------------------------------------------------------------------------------------
# Output


@functools.cache
def save_suffixes() -> frozenset[str]:
    """File name endings libvips can write (``.png``, ``.jpg``, ``.tif``, ``.dz``, ...); asked
    once per process (libvips lists every saver each time: half a millisecond a call)."""
    return frozenset(s.lower() for s in pyvips.base.get_suffixes())


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """True when ``a`` and ``b`` name the same file (links resolved; either may not exist)."""
    a, b = Path(a), Path(b)
    try:
        a_exists, b_exists = a.exists(), b.exists()
        if a_exists and b_exists:
            return a.samefile(b)  # links, hard links, ".." and case-folding alike
        if a_exists != b_exists:  # an existing file is never a missing one
            return False
        return a.resolve() == b.resolve()  # two names of one file yet to be written
    except OSError:
        return False


def is_inside(path: str | os.PathLike[str], folder: str | os.PathLike[str]) -> bool:
    """True when ``path`` is ``folder`` or lies below it, links resolved."""
    try:
        return Path(path).resolve().is_relative_to(Path(folder).resolve())
    except OSError:
        return False


def check_output(path: str | os.PathLike[str], inputs: Iterable[Any] = (),
                 suffixes: Iterable[str] | None = None) -> Path:
    """Validate an output path before any work: folder exists, suffix known, not an input.

    ``inputs`` may hold any image sources; only paths are compared. ``suffixes`` lists the
    accepted endings (default: every format libvips can write).
    """
    out = Path(path)
    for source in inputs:
        if isinstance(source, str | os.PathLike) and same_file(out, source):
            raise OutputError(f"{out}: output would overwrite the input {os.fspath(source)}")
    if out.is_dir():
        raise OutputError(f"{out}: is a folder; give a file name")
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"{out}: folder {parent} does not exist")
    allowed = set(suffixes) if suffixes is not None else save_suffixes()
    if out.suffix.lower() not in allowed:
        known = ", ".join(sorted(allowed))
        raise OutputError(f"{out}: unknown output format {out.suffix or '(no suffix)'!r} "
                          f"(use one of {known})")
    return out


def default_mode(directory: bool = False) -> int:
    """The permissions a new file (or folder) gets from the process's umask, e.g. 0o644."""
    umask = os.umask(0)
    os.umask(umask)
    return (0o777 if directory else 0o666) & ~umask


def publish(tmp: Path, out: Path) -> None:
    """Rename the finished temporary ``tmp`` to ``out``, first giving it the permissions a
    newly created file or folder would have (temporary files are made private)."""
    os.chmod(tmp, default_mode(tmp.is_dir()))
    os.replace(tmp, out)


def os_reason(error: OSError) -> str:
    """A short phrase for an operating-system error a user can act on ("disk full", ...)."""
    return _OS_REASONS.get(error.errno or 0, error.strerror or str(error))


_OS_REASONS = {
    errno.ENOSPC: "disk full",
    errno.EDQUOT: "disk quota exceeded",
    errno.EROFS: "read-only file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENAMETOOLONG: "file name too long",
    errno.ELOOP: "too many levels of symbolic links",
    errno.ENOENT: "no such file or folder",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.EISDIR: "is a folder",
    errno.EFBIG: "file too large for the file system",
}


def write_failure(out: Path, error: BaseException) -> OutputError:
    """The :class:`OutputError` for a failed write of ``out``: the operating system's reason
    when there is one (a full disk, a read-only folder), else libvips' own."""
    return OutputError(f"{out}: cannot write ({(reason := _failure_reason(out, error))})",
                       reason)


def _failure_reason(out: Path, error: BaseException) -> str:
    if isinstance(error, OSError):
        return os_reason(error)
    if isinstance(error, OutputError) and error.reason:
        return error.reason
    folder = out.parent if str(out.parent) else Path(".")
    try:
        if os.statvfs(folder).f_bavail == 0:
            return "disk full"
    except OSError:
        pass
    if not os.access(folder, os.W_OK):
        return f"folder {folder} is not writable"
    reason = libvips_reason(error) if isinstance(error, pyvips.Error) else str(error)
    if reason == "truncated or corrupt file":  # libvips' generic "unable to call" on a saver
        reason = "the saver failed"
    return f"libvips: {reason}"


def temporary_folder_beside(out: Path, suffix: str = ".part") -> Path:
    """A new, empty, private folder in ``out``'s folder, named after it (hidden); failures
    (a read-only or full disk) become an :class:`OutputError` naming ``out``."""
    import tempfile  # here: only folders of outputs need it (start-up)

    folder = out.parent if str(out.parent) else Path(".")
    try:
        return Path(tempfile.mkdtemp(prefix=f".{out.stem[:80]}.", suffix=suffix, dir=folder))
    except OSError as error:
        raise write_failure(out, error) from None


#: How a temporary file is created: exclusively (never an existing file or link), private.
_EXCLUSIVE = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(
    os, "O_CLOEXEC", 0)


def _temporary_beside(out: Path) -> Path:
    """A new, empty, private (0600) file in ``out``'s folder, named after it with ``.part``:
    what ``tempfile.mkstemp`` makes, without importing tempfile (several milliseconds of
    every command's start-up)."""
    folder = out.parent if str(out.parent) else Path(".")
    for _ in range(100):  # a clash of 48 random bits: another name
        path = folder / f".{out.stem[:80]}.{os.urandom(6).hex()}.part{out.suffix}"
        try:
            os.close(os.open(path, _EXCLUSIVE, 0o600))
        except FileExistsError:
            continue
        except OSError as error:
            raise write_failure(out, error) from None
        return path
    raise write_failure(out, FileExistsError(errno.EEXIST, "no free temporary name"))


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` (same suffix); rename it into place on success.

    On any exception the temporary file is removed and ``path`` is left as it was; an
    ``OSError`` (a full disk, a read-only folder) becomes an :class:`OutputError` naming
    ``path``.
    """
    out = Path(path)
    tmp = _temporary_beside(out)
    try:
        yield tmp
        publish(tmp, out)
    except BaseException as error:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(error, OSError):
            raise write_failure(out, error) from None
        raise


class OutputSet:
    """Files published together or not at all (band sets, a report and its tiles).

    :meth:`stage` gives a temporary path beside each final path; leaving the ``with`` block
    normally renames every staged file into place, leaving it by an exception removes them
    all, and the folder too when this set created it (see :func:`atomic_outputs`).
    Thread-safe: several threads may stage and write at once.
    """

    def __init__(self, folder: Path | None, created: bool) -> None:
        self.folder, self._created = folder, created
        self._staged: list[tuple[Path, Path]] = []
        self._lock = threading.Lock()

    def stage(self, path: str | os.PathLike[str]) -> Path:
        """A temporary path to write ``path``'s content to (same suffix)."""
        out = Path(path)
        tmp = _temporary_beside(out)
        with self._lock:
            self._staged.append((tmp, out))
        return tmp

    def _commit(self) -> None:
        for tmp, out in self._staged:
            try:
                publish(tmp, out)
            except OSError as error:
                raise write_failure(out, error) from None

    def _discard(self) -> None:
        for tmp, _ in self._staged:
            with contextlib.suppress(OSError):
                tmp.unlink()
        if self._created and self.folder is not None:
            with contextlib.suppress(OSError):
                self.folder.rmdir()  # only if empty: never anything it did not write


@contextlib.contextmanager
def atomic_outputs(folder: str | os.PathLike[str] | None = None, *,
                   create: bool = True) -> Iterator[OutputSet]:
    """An :class:`OutputSet` for files in ``folder``, made (with usual permissions) when it
    does not exist and ``create`` is true; its parent must exist.

    Raises :class:`OutputError` when ``folder`` is a file or its parent does not exist.
    """
    where = None if folder is None else Path(folder)
    created = False
    if where is not None:
        if where.exists() and not where.is_dir():
            raise OutputError(f"{where}: exists and is not a folder")
        if not where.exists():
            parent = where.parent if str(where.parent) else Path(".")
            if not create or not parent.is_dir():
                raise OutputError(f"{where}: output folder does not exist"
                                  + ("" if parent.is_dir() else f" (nor {parent})"))
            try:
                where.mkdir()
            except OSError as error:
                raise write_failure(where, error) from None
            created = True
    outputs = OutputSet(where, created)
    try:
        yield outputs
        outputs._commit()
    except BaseException as error:
        outputs._discard()
        if isinstance(error, OSError):
            raise write_failure(where or Path("."), error) from None
        raise


def encode_file(image: pyvips.Image, tmp: Path, out: Path, **options: Any) -> None:
    """Encode ``image`` into the file ``tmp`` with libvips' saver for ``out``'s suffix
    (``options`` to the saver). The file name is never parsed for libvips options (a name may
    contain ``[``). libvips' errors are raised as they are (``pyvips.Error``): a lazy
    image's decoding fails here too, and the caller knows whose fault it is (see
    :func:`write_vips`)."""
    saver = pyvips.vips_lib.vips_foreign_find_save(out.suffix.encode())
    if saver == pyvips.ffi.NULL:
        raise OutputError(f"{out}: no saver for {out.suffix!r}")
    pyvips.Operation.call(pyvips.ffi.string(saver).decode(), image, os.fspath(tmp), **options)


def write_vips(image: pyvips.Image, tmp: Path, out: Path, **options: Any) -> None:
    """Encode ``image`` into the temporary file ``tmp`` (format from ``out``'s suffix,
    ``options`` to the saver; see :func:`encode_file`); failures name ``out`` and their
    cause (a full disk, a read-only folder)."""
    try:
        encode_file(image, tmp, out, **options)
    except pyvips.Error as error:
        raise write_failure(out, error) from None


def save_image(image: Any, path: str | os.PathLike[str], *, inputs: Iterable[Any] = (),
               outputs: OutputSet | None = None, **options: Any) -> Path:
    """Write ``image`` (pyvips.Image or numpy array) to ``path`` atomically.

    The format follows the suffix; ``options`` go to the libvips saver (e.g. ``Q=90`` for
    JPEG, ``compression=6`` for PNG). With ``outputs`` the file is staged in that set and
    published with the rest of it. Returns the written path.
    """
    out = check_output(path, inputs)
    vimage = image if isinstance(image, pyvips.Image) else array_to_vips(image)
    if outputs is not None:
        write_vips(vimage, outputs.stage(out), out, **options)
        return out
    with atomic_output(out) as tmp:
        write_vips(vimage, tmp, out, **options)
    return out
