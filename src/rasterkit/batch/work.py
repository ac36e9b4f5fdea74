"""The work on one pair, as it runs on a Dask worker: compare, and write its report.

:func:`compare_pair` takes plain data and returns plain data (a JSON-ready record), so it
travels to any worker and back cheaply; pixels never leave the worker. A pair whose files are
byte-identical is ``identical`` without decoding. A pair that fails (truncated, a bomb, not an
image) is an ``error`` record, never an exception: one bad file must not stop a batch.
"""

from __future__ import annotations

import filecmp
import time
import traceback
from pathlib import Path
from typing import Any

from ..errors import RasterkitError
from ..io import corrupt_pixels, encode_file, interpretation_for, load_file, source_name
from ..linediff.result import HUNK_KINDS
from .pairs import PairSpec, shown_options

#: Size of the thumbnails in the index, in pixels: the whole page, squeezed into this box
#: (tall pages get shorter, not cut), so hunk marks can sit beside it at their height.
#: Thumbnails: the top of the page at this width, at most this tall (pixels).
THUMB_WIDTH = 160
THUMB_HEIGHT = 240
#: Previews of new and deleted images: wider images are scaled down to this width (pixels).
PREVIEW_WIDTH = 2000



def _size(path: str | None, max_pixels: int | None) -> dict[str, int] | None:
    """Width and height from the file's header (no decoding)."""
    if path is None:
        return None
    from ..io import open_image

    image = open_image(path, max_pixels=max_pixels)
    return {"width": image.width, "height": image.height}


def report_name(path: str) -> str:
    """Where a pair's report goes, relative to the output folder (file name kept whole, so
    ``a.png`` and ``a.jpg`` never collide)."""
    return f"pairs/{path}.html"


def thumbnail_name(path: str) -> str:
    return f"thumbs/{path}.png"


def preview_name(path: str) -> str:
    return f"previews/{path}.png"


def _eight_bit(image: Any) -> Any:
    """A decoded image as 8-bit RGB / grey, alpha flattened on white."""
    if image.format != "uchar":
        image = (image >> 8 if image.format == "ushort" else image).cast("uchar")
        image = image.copy(interpretation=interpretation_for(image.bands, "uchar"))
    if image.bands in (2, 4):
        image = image.flatten(background=[255])
    return image


def _save_png(image: Any, out: Path, source: Any) -> None:
    """Write ``image`` as PNG straight to ``out``, in the review folder (rasterkit's own: one
    of :mod:`rasterkit.io`'s sanctioned exceptions). Decoding is lazy, so a libvips error
    here is the input's, and names ``source``."""
    import pyvips

    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        encode_file(image, out, out, compression=6, strip=True)
    except pyvips.Error:
        raise corrupt_pixels(source_name(source)) from None


def _thumbnail(image: Any, out: Path, source: Any) -> None:
    """The top of ``image`` (8-bit, see :func:`_eight_bit`), ``THUMB_WIDTH`` pixels wide and
    at most ``THUMB_HEIGHT`` tall: the header a reviewer recognises a page by (the index marks
    where the hunks are beside it, over the whole height). ``source`` names it in errors."""
    small = image.resize(THUMB_WIDTH / image.width)
    _save_png(small.crop(0, 0, small.width, min(small.height, THUMB_HEIGHT)), out, source)


def _preview(image: Any, out: Path, source: Any) -> None:
    """The whole of ``image`` (8-bit), scaled down to ``PREVIEW_WIDTH`` when wider, for the
    index's viewer of new and deleted images (the review folder is viewable without BEFORE
    and AFTER)."""
    if image.width > PREVIEW_WIDTH:
        image = image.resize(PREVIEW_WIDTH / image.width)
    _save_png(image, out, source)


def _mark(hunk: Any, height: int) -> list[Any]:
    """Where a hunk sits in B as fractions of its height, ``[start, stop, kind]``: at least
    one row tall (a removal marks where the rows would be) and never past the end."""
    top = min(hunk.b[0], max(height - 1, 0))
    stop = max(hunk.b[1], top + 1)
    scale = max(height, 1)
    return [round(top / scale, 4), round(min(stop / scale, 1.0), 4), hunk.kind]


def _record(spec: PairSpec, status: str, **fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "path": spec.path, "status": status, "a": None, "b": None,
        "hunks": dict.fromkeys(HUNK_KINDS, 0), "changed_rows": 0, "changed_pixels": 0,
        "noise_rows": 0, "report": None, "thumbnail": None, "preview": None, "marks": [],
        "note": None,
    }
    record.update(fields)
    if spec.options is not None:
        record["options"] = shown_options(spec.options)
    return record


def compare_pair(spec: PairSpec, options: dict[str, Any], out: str | None) -> dict[str, Any]:
    """Compare one pair (or describe a lone file) and return its record.

    ``options`` are keyword arguments of :func:`rasterkit.diff`; with ``out`` (the output
    folder) a changed pair gets its HTML report and every image a thumbnail.
    """
    start = time.perf_counter()
    try:
        record = _compare(spec, options, Path(out) if out else None)
    except RasterkitError as error:
        record = _record(spec, "error", note=str(error))
    except MemoryError:
        record = _record(spec, "error", note="out of memory")
    except Exception as error:  # a bug: recorded, the batch goes on
        where = traceback.extract_tb(error.__traceback__)[-1]
        record = _record(spec, "error", note=f"{type(error).__name__}: {error} "
                         f"(this is a bug, at {Path(where.filename).name}:{where.lineno})")
    record["seconds"] = round(time.perf_counter() - start, 4)
    return record


def compare_pairs(specs: list[PairSpec], options: dict[str, Any], out: str | None
                  ) -> list[dict[str, Any]]:
    """:func:`compare_pair` for a few pairs: one task for several pairs costs the scheduler's
    round trip once."""
    return [compare_pair(spec, options, out) for spec in specs]


def _compare(spec: PairSpec, options: dict[str, Any], out: Path | None) -> dict[str, Any]:
    max_pixels = options.get("max_pixels")
    if spec.status == "skipped":
        return _record(spec, "skipped", note="not an image (by its name); not compared")
    if spec.status in ("new", "deleted"):
        source = spec.after if spec.status == "new" else spec.before
        size = _size(source, max_pixels)
        record = _record(spec, spec.status, **{"b" if spec.status == "new" else "a": size})
        if out is not None:
            image = _eight_bit(load_file(source, access="random"))  # decoded once for both
            _thumbnail(image, out / thumbnail_name(spec.path), source)
            _preview(image, out / preview_name(spec.path), source)
            record["thumbnail"] = thumbnail_name(spec.path)
            record["preview"] = preview_name(spec.path)
        return record
    if spec.before is None or spec.after is None:
        raise ValueError(f"{spec.path}: a pair needs both files")
    if filecmp.cmp(spec.before, spec.after, shallow=False):
        size = _size(spec.before, max_pixels)
        record = _record(spec, "identical", a=size, b=size, note="byte-identical files")
        if out is not None:
            image = _eight_bit(load_file(spec.before, access="sequential"))
            _thumbnail(image, out / thumbnail_name(spec.path), spec.before)
            record["thumbnail"] = thumbnail_name(spec.path)
        return record
    from .. import diff

    result = diff(spec.before, spec.after, **{**options, **(spec.options or {})})
    summary = result.summary()
    record = _record(
        spec, "identical" if result.identical else "changed",
        a={"width": result.a.width, "height": result.a.height},
        b={"width": result.b.width, "height": result.b.height},
        hunks={kind: summary[kind] for kind in HUNK_KINDS},
        changed_rows=sum(max(h.a_rows, h.b_rows) for h in result.hunks),
        changed_pixels=summary["changed_pixels"], noise_rows=summary["noise_rows"],
        marks=[_mark(h, result.b.height) for h in result.hunks],
        hunk_list=[h.to_dict() for h in result.hunks])
    if out is not None:
        _thumbnail(_eight_bit(result.images[1].vips), out / thumbnail_name(spec.path),
                   spec.after)
        record["thumbnail"] = thumbnail_name(spec.path)
        if not result.identical:
            from ..linediff.report import write_report

            page = out / report_name(spec.path)
            page.parent.mkdir(parents=True, exist_ok=True)
            write_report(result, page)
            record["report"] = report_name(spec.path)
    return record
