"""The streaming pass: raw file rows -> ``(bands, rows, cols)`` arrays, on every core.

:func:`read_rows` fills an output array with some bands of a range of rows. The rows are cut
into *work units* of about :data:`BLOCK_BYTES` of file data (small enough to stay in the L2
cache). Each worker thread owns a file handle and a unit buffer and loops: read a unit with
``readinto`` (no copy through Python, GIL released), fix the byte order in place if the file's
differs from the machine's, then de-interleave it into the output:

* **BIP** ``(rows, cols, bands)``: a ``(pixels, bands) -> (bands, pixels)`` transpose by the
  word-level kernels of :mod:`rasterkit._kernels._transpose` when every band is wanted and the
  pixel size is a multiple of 8 bytes, else an element gather of the wanted bands.
* **BIL** ``(rows, bands, cols)``: each band's line is contiguous: one strided numpy copy.
* **BSQ** ``(bands, rows, cols)``: the file already is in output order: each unit is read
  straight into its place in the output, no copy at all.

With two workers one reads while the other transposes, so the pass costs about what reading
the file costs. Memory use is the output plus one unit buffer per worker, whatever the file
size, which is what lets :meth:`Cube.iter_chunks` stream a cube of any size.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import BadInputError
from .layout import Layout

#: Bytes of file data per work unit of a BIP/BIL read (a few rows; fits in L2 with its output).
BLOCK_BYTES = 1 << 19
#: Bytes per work unit of a BSQ read (read straight into the output, so bigger is cheaper).
BSQ_BLOCK_BYTES = 8 << 20


def default_threads() -> int:
    """Worker threads for the pass: the machine's cores, at most 4 (memory-bound beyond)."""
    return max(1, min(os.cpu_count() or 1, 4))


def bits_type(itemsize: int) -> np.dtype:
    """A type of the same size whose moves copy bits exactly (no float canonicalisation)."""
    return np.dtype({1: "u1", 2: "u2", 4: "u4", 8: "u8", 16: "c16"}[itemsize])


def _swap_unit(dtype: np.dtype) -> int:
    """Bytes reversed per value when fixing byte order (complex: each part on its own)."""
    return dtype.itemsize // 2 if dtype.kind == "c" else dtype.itemsize


def byteswap_inplace(array: np.ndarray, unit: int) -> None:
    """Reverse the byte order of every ``unit``-byte value of C-contiguous ``array`` in place."""
    if unit == 1 or array.size == 0:
        return
    words = array.reshape(-1).view(np.uint8).view({2: np.uint16, 4: np.uint32, 8: np.uint64}[unit])
    words.byteswap(inplace=True)  # vectorised by numpy, in place


def transpose_into(src: np.ndarray, dst: np.ndarray, scratch: np.ndarray | None = None) -> None:
    """``dst[...] = src.T`` for 2-D arrays of the same bit type, fast where layout allows.

    Word-level transposes (:mod:`rasterkit._kernels._transpose`) handle the bulk when both
    arrays' rows are whole 64-bit words; ``scratch`` (a uint64 array of at least
    ``dst.shape[0] * ceil(dst.shape[1] * itemsize / 8)`` words) serves when ``dst``'s rows are
    not word-aligned. The rest (a few bands, odd row sizes, 16-byte complex values) is a
    numpy strided copy, which is the fastest element-wise option measured.
    """
    from .._kernels._transpose import TRANSPOSE_WORDS

    M, N = src.shape
    size = src.dtype.itemsize
    kernel = TRANSPOSE_WORDS.get(size)
    if kernel is None or (N * size) % 8 or not src.flags.c_contiguous \
            or src.ctypes.data % 8 or 8 // size > M:
        np.copyto(dst, src.T)
        return
    per_word = 8 // size
    main = M - M % per_word
    aligned = (dst.strides[1] == size and dst.strides[0] % 8 == 0
               and dst.ctypes.data % 8 == 0)
    words = src[:main].view(np.uint64)
    if aligned:
        kernel(words, dst[:, :main].view(np.uint64), 0)
    else:
        need = N * (main // per_word)
        if scratch is None or scratch.size < need:
            scratch = np.empty(need, np.uint64)
        block = scratch[:need].reshape(N, main // per_word)
        kernel(words, block, 0)
        np.copyto(dst[:, :main], block.view(src.dtype))
    if main < M:
        np.copyto(dst[:, main:], src[main:].T)


def _check_out(layout: Layout, out: np.ndarray, bands: np.ndarray, rows: int) -> None:
    expected = (len(bands), rows, layout.cols)
    if out.shape != expected:
        raise ValueError(f"out has shape {out.shape}, expected {expected}")
    if out.dtype != layout.native_dtype:
        raise ValueError(f"out has dtype {out.dtype}, expected {layout.native_dtype}")
    if not out.flags.c_contiguous or not out.flags.writeable:
        raise ValueError("out must be a writeable C-contiguous array")


def _readinto(f: Any, view: memoryview, offset: int, name: str) -> None:
    """Fill ``view`` from byte ``offset`` of file object ``f`` (loops over short reads)."""
    f.seek(offset)
    done = 0
    total = len(view)
    while done < total:
        got = f.readinto(view[done:])
        if not got:
            raise BadInputError(f"{name}: file ended at byte {offset + done:,} while reading "
                                f"{total:,} bytes from {offset:,} (was it truncated?)")
        done += got


def _units(start: int, stop: int, height: int) -> list[tuple[int, int]]:
    return [(a, min(a + height, stop)) for a in range(start, stop, height)]


def _unit_height(layout: Layout, block_bytes: int) -> int:
    """Rows per BIP/BIL unit; for BIP a multiple that keeps output rows word-aligned."""
    height = max(1, block_bytes // layout.row_bytes)
    if layout.interleave == "bip" and layout.itemsize in (1, 2, 4):
        step = (8 // layout.itemsize) // math.gcd(layout.cols, 8 // layout.itemsize)
        height = max(step, height // step * step)
    return height


def read_rows(path: str | os.PathLike[str], layout: Layout, start: int, stop: int,
              bands: Sequence[int] | np.ndarray, out: np.ndarray, *,
              threads: int | None = None, block_bytes: int | None = None) -> np.ndarray:
    """Fill ``out[j, r - start, c]`` with sample (band ``bands[j]``, row ``r``, col ``c``).

    Parameters
    ----------
    path : path
        The raw data file.
    layout : Layout
        Where samples are in the file.
    start, stop : int
        Rows to read, 0-based, half-open.
    bands : sequence of int
        0-based band indices, any order, repeats allowed.
    out : numpy.ndarray
        C-contiguous, shape ``(len(bands), stop - start, layout.cols)``, dtype
        ``layout.native_dtype``.
    threads : int, optional
        Worker threads (default :func:`default_threads`).
    block_bytes : int, optional
        File bytes per work unit (default :data:`BLOCK_BYTES`; tests make it tiny to
        exercise many units on small files).

    Returns
    -------
    numpy.ndarray
        ``out``, in the machine's byte order.
    """
    bands = np.asarray(bands, dtype=np.intp).reshape(-1)
    if len(bands) and (bands.min() < 0 or bands.max() >= layout.bands):
        raise ValueError(f"band indices must be in 0..{layout.bands - 1}")
    if not 0 <= start <= stop <= layout.rows:
        raise ValueError(f"rows {start}:{stop} outside 0:{layout.rows}")
    _check_out(layout, out, bands, stop - start)
    if stop <= start or len(bands) == 0:
        return out
    threads = default_threads() if threads is None else max(1, int(threads))
    name = os.fspath(path)
    _advise(path, layout, start, stop, bands)
    if layout.interleave == "bsq":
        work = _bsq_units(layout, start, stop, bands, out,
                          BSQ_BLOCK_BYTES if block_bytes is None else block_bytes)
    else:
        work = _interleaved_units(layout, start, stop, bands, out,
                                  BLOCK_BYTES if block_bytes is None else block_bytes)
    _run(Path(path), name, work, threads)
    return out


#: Bytes announced to the kernel ahead of a read (``POSIX_FADV_WILLNEED``), per call.
ADVISE_BYTES = 256 << 20


def _advise(path: str | os.PathLike[str], layout: Layout, start: int, stop: int,
            bands: np.ndarray) -> None:
    """Ask the kernel to start reading the rows' bytes now (helps a cold page cache, where
    workers reading alternate units defeat sequential read-ahead; ~0.1 ms when cached)."""
    if not hasattr(os, "posix_fadvise"):
        return
    if layout.interleave == "bsq":
        plane = layout.rows * layout.cols * layout.itemsize
        line = layout.cols * layout.itemsize
        spans = [(layout.offset + int(b) * plane + start * line, (stop - start) * line)
                 for b in bands]
    else:
        spans = [(layout.offset + start * layout.row_bytes, (stop - start) * layout.row_bytes)]
    budget = ADVISE_BYTES
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        for offset, length in spans:
            if budget <= 0:
                break
            os.posix_fadvise(fd, offset, min(length, budget), os.POSIX_FADV_WILLNEED)
            budget -= length
    except OSError:
        pass
    finally:
        os.close(fd)


# A unit of work: called with (file object, per-worker state dict, file name).
_Unit = Callable[[Any, dict[str, Any], str], None]


def _run(path: Path, name: str, units: list[_Unit], threads: int) -> None:
    threads = min(threads, len(units))

    def worker(share: list[_Unit]) -> None:
        state: dict[str, Any] = {}
        with open(path, "rb", buffering=0) as f:
            for unit in share:
                unit(f, state, name)

    if threads <= 1:
        worker(units)
        return
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="rasterkit-read") as pool:
        futures = [pool.submit(worker, units[w::threads]) for w in range(threads)]
        for future in futures:
            future.result()


def _bsq_units(layout: Layout, start: int, stop: int, bands: np.ndarray, out: np.ndarray,
               block_bytes: int) -> list[_Unit]:
    plane = layout.rows * layout.cols * layout.itemsize
    line = layout.cols * layout.itemsize
    height = max(1, block_bytes // line)
    unit_size = _swap_unit(layout.dtype)
    swapped = layout.swapped

    def make(j: int, a: int, b: int) -> _Unit:
        offset = layout.offset + int(bands[j]) * plane + a * line
        target = out[j, a - start:b - start]

        def unit(f: Any, state: dict[str, Any], name: str) -> None:
            _readinto(f, memoryview(target).cast("B"), offset, name)
            if swapped:
                byteswap_inplace(target, unit_size)

        return unit

    return [make(j, a, b) for j in range(len(bands)) for a, b in _units(start, stop, height)]


def _interleaved_units(layout: Layout, start: int, stop: int, bands: np.ndarray,
                       out: np.ndarray, block_bytes: int) -> list[_Unit]:
    height = min(_unit_height(layout, block_bytes), stop - start)
    bits = bits_type(layout.itemsize)
    unit_size = _swap_unit(layout.dtype)
    swapped = layout.swapped
    cols, nb, size = layout.cols, layout.bands, layout.itemsize
    place = _bip_placer(layout, start, stop, bands, out) if layout.interleave == "bip" \
        else _bil_placer(bands, out.view(bits), start)

    def make(a: int, b: int) -> _Unit:
        count = (b - a) * cols * nb
        offset = layout.offset + a * layout.row_bytes

        def unit(f: Any, state: dict[str, Any], name: str) -> None:
            if "raw" not in state:  # one unit buffer (and scratch) per worker
                state["raw"] = np.empty(height * cols * nb, bits)
                state["view"] = memoryview(state["raw"]).cast("B")
                state["scratch"] = np.empty(height * cols * nb * size // 8 + 8, np.uint64)
            raw = state["raw"][:count]
            _readinto(f, state["view"][: count * size], offset, name)
            if swapped:
                byteswap_inplace(raw, unit_size)
            place(raw, a, b, state["scratch"])

        return unit

    return [make(a, b) for a, b in _units(start, stop, height)]


# A placer moves one unit of raw file rows a:b (in L2, machine byte order) into the output.
_Placer = Callable[[np.ndarray, int, int, np.ndarray], None]


def _bip_placer(layout: Layout, start: int, stop: int, bands: np.ndarray,
                out: np.ndarray) -> _Placer:
    """BIP rows ``(rows, cols, bands)`` -> ``out[:, a - start : b - start, :]``."""
    from .._kernels._transpose import TRANSPOSE_WORDS, gather_columns

    cols, nb, size = layout.cols, layout.bands, layout.itemsize
    flat = out.view(bits_type(size)).reshape(len(bands), (stop - start) * cols)
    all_bands = len(bands) == nb and bool(np.all(bands == np.arange(nb)))
    kernel = TRANSPOSE_WORDS.get(size)
    per_word = 8 // size if kernel is not None else 0
    # Fast path: every band, pixels and band planes in whole 64-bit words, so the word
    # kernel writes straight into the output (unit heights keep unit starts on words).
    if all_bands and kernel is not None and (nb * size) % 8 == 0 and \
            (flat.shape[1] * size) % 8 == 0 and out.ctypes.data % 8 == 0:
        words = flat.view(np.uint64)

        def place_words(raw: np.ndarray, a: int, b: int, scratch: np.ndarray) -> None:
            n = (b - a) * cols
            main = n - n % per_word
            first = (a - start) * cols
            kernel(raw[: main * nb].view(np.uint64).reshape(main, nb // per_word), words,
                   first // per_word)
            if main < n:
                np.copyto(flat[:, first + main:first + n], raw[main * nb:].reshape(-1, nb).T)

        return place_words

    def place(raw: np.ndarray, a: int, b: int, scratch: np.ndarray) -> None:
        n = (b - a) * cols
        pixels = raw.reshape(n, nb)
        dst = flat[:, (a - start) * cols:(b - start) * cols]
        if all_bands:
            transpose_into(pixels, dst, scratch)
        else:
            gather_columns(pixels, bands, dst)

    return place


def _bil_placer(bands: np.ndarray, out_bits: np.ndarray, start: int) -> _Placer:
    """BIL rows ``(rows, bands, cols)`` -> ``out[:, a - start : b - start, :]``."""
    cols = out_bits.shape[2]
    in_order = bool(np.all(bands == np.arange(len(bands))))

    def place(raw: np.ndarray, a: int, b: int, scratch: np.ndarray) -> None:
        lines = raw.reshape(b - a, -1, cols)
        dst = out_bits[:, a - start:b - start, :]
        if in_order and lines.shape[1] == len(bands):
            np.copyto(dst, lines.transpose(1, 0, 2))
        else:
            for j, band in enumerate(bands):
                np.copyto(dst[j], lines[:, band, :])

    return place
