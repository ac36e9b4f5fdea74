"""Line-oriented image diff: the rows of an image are its lines.

``rasterkit.diff(a, b)`` finds the sections that image A has and B lacks (``removed``), that B
has and A lacks (``added``), and that both have with different contents (``changed``), and
re-synchronises the two images after each, like ``diff`` on text::

    >>> import rasterkit
    >>> d = rasterkit.diff("before.png", "after.png")       # doctest: +SKIP
    >>> d.identical, [(h.kind, h.a, h.b) for h in d.hunks]  # doctest: +SKIP
    (False, [('added', (812, 812), (812, 1004))])

The pipeline reads like git's xdiff, one module per stage, each a plain function that
:func:`diff` calls in this order:

1. **prepare**: :func:`pixels.start_pair` decodes both images on threads, one pixel format,
   ignored pixels blanked (:mod:`.ignore`), one key per row (:func:`keys.row_keys`);
2. **columns** (:func:`columns.diff_pair`; ``columns=False`` skips it): a coarse alignment
   says where the differences are, :func:`layout.bands` finds the bands of columns near
   them, and each band's columns, cut out of both pages, are diffed on their own (stages 3
   to 7, and this stage again inside a column); a band is kept where its column hunks mark
   fewer pixels than whole rows would. The rows between kept bands, and a page with none
   (every one-column page), go through stages 3 to 7 whole;
3. **align** (stages 3 to 7 in :func:`pipeline.diff_rows`): :func:`align.align` matches
   rows (prefix/suffix, patience anchors, Myers; :func:`align.finish` completes the coarse
   alignment of stage 2 instead of aligning twice);
4. **sync**: :func:`sync.synchronise` absorbs rendering noise (:mod:`.tolerance`) and
   re-aligns once, so the hunks re-synchronise after it;
5. **shape**: :func:`shape.slide` puts insertions where their edges are background,
   :func:`shape.merge` joins differences a few rows apart;
6. **classify**: :func:`hunks.classify` makes removed / added / changed hunks and the row
   axis; :func:`moves.find_moves` pairs removed and added content into moved hunks;
7. **measure**: :func:`measure.measure_hunks` counts differing pixels and boxes them;
   :func:`fingerprint.fingerprint` names each hunk by its content.

The :class:`DiffResult` feeds text (:mod:`.text`), JSON, pictures (:mod:`.render`) and the
report (:mod:`.report`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .._lazy import attach
from ..io import DEFAULT_MAX_PIXELS
from .defaults import DEFAULT_MERGE_GAP, DEFAULT_THRESHOLD

if TYPE_CHECKING:
    from .ignore import Rect
    from .result import DiffResult

#: Names served lazily, so that ``rasterkit diff`` can start decoding before the rest of the
#: diff is imported.
__getattr__, __dir__ = attach(__name__, {
    "SCHEMA_VERSION": ".result", "Box": ".result", "DiffResult": ".result", "Hunk": ".result",
    "ImageInfo": ".result", "Run": ".result", "Ignore": ".ignore", "Policy": ".tolerance",
    "DiffOptions": ".options"})

__all__ = [
    "DEFAULT_MERGE_GAP",
    "DEFAULT_THRESHOLD",
    "SCHEMA_VERSION",
    "Box",
    "DiffOptions",
    "DiffResult",
    "Hunk",
    "Ignore",
    "ImageInfo",
    "Policy",
    "Run",
    "diff",
]


def diff(a: Any, b: Any, *, merge_gap: int = DEFAULT_MERGE_GAP, pad_compare: bool = False,
         exact: bool = False, threshold: float = DEFAULT_THRESHOLD, antialiasing: bool = True,
         moves: bool = True, columns: bool = True, ignore: Sequence[Rect] = (),
         ignore_a: Sequence[Rect] = (), ignore_b: Sequence[Rect] = (),
         mask_color: str | tuple[int, int, int] | None = None,
         mask: Any = None, mask_a: Any = None, mask_b: Any = None,
         max_pixels: int | None = DEFAULT_MAX_PIXELS, threads: int = 2) -> DiffResult:
    """Diff image ``a`` (before) against image ``b`` (after), row by row.

    Parameters
    ----------
    a, b : path, numpy array ``(H, W[, bands])`` or pyvips.Image
        Any format libvips reads; 8- or 16-bit; grey, grey + alpha, RGB or RGBA. Both are
        brought to one pixel format (see :mod:`rasterkit.linediff.pixels`).
    merge_gap : int, rows
        Differences separated by at most this many unchanged rows are reported as one hunk
        (default 40: blank space or a line or two of text). 0 merges only touching ones.
    pad_compare : bool
        When widths differ, the narrower image is padded on the right with its background
        colour. By default the padded columns are not compared (a scrollbar must not make
        every row differ); ``True`` compares them too.
    exact : bool
        Rows are equal only when byte-identical (``threshold`` and ``antialiasing`` unused).
    threshold : float in [0, 1]
        Colour distance (YIQ, pixelmatch's scale and default 0.1) below which two pixels are
        the same. Rows that differ only below it are rendering noise: aligned as equal, not
        reported, counted in ``summary()["noise_rows"]``.
    antialiasing : bool
        Forgive differing pixels that are anti-aliased in either image (pixelmatch's test).
    moves : report a removed and an added section of the same content as one ``moved`` hunk.
    columns : bool
        Where the page holds columns (a sidebar beside the content, a grid of cards), align
        each column's rows on its own (:mod:`.columns`), so a card inserted in one column is
        one ``added`` hunk with that column's ``x`` range. ``False``: whole rows only.
    ignore, ignore_a, ignore_b : rectangles ``(x, y, width, height)`` in pixels, left out in
        both images / in A / in B (each in its own coordinates; see :mod:`.ignore`).
    mask_color : ``"#rrggbb"`` or an RGB triple; pixels of this colour are left out.
    mask, mask_a, mask_b : images whose non-zero pixels are left out (both / A / B).
    max_pixels : int or None
        Refuse inputs with more pixels than this (decompression-bomb guard).
    threads : 1 or 2
        Decode the two images on two threads (default) or one after the other (when other
        processes already use every core, e.g. the workers of ``diff-dir``).

    Returns
    -------
    DiffResult
        ``identical``, ``hunks`` (kind, rows in A, rows in B, changed pixels, boxes), the
        common row axis ``runs`` for pictures, and ``to_dict()`` for JSON. Row ranges are
        0-based and half-open.

    Raises
    ------
    rasterkit.errors.BadInputError, rasterkit.errors.LimitError
        Missing, unreadable, truncated, empty or too large inputs; bad options.

    Example
    -------
    >>> import numpy as np
    >>> a = np.zeros((6, 4), np.uint8); a[2] = 255
    >>> d = diff(a, np.delete(a, 2, axis=0))
    >>> [(h.kind, h.a, h.b) for h in d.hunks]
    [('removed', (2, 3), (2, 2))]
    """
    from .options import DiffOptions
    from .pixels import start_pair

    options = DiffOptions.pick(locals())  # the option parameters above, checked
    excluded = options.excluded()
    pending = start_pair(a, b, max_pixels=max_pixels, pad_compare=pad_compare, ignore=excluded,
                         threads=threads)
    # Imported while both images decode on their threads.
    from .columns import MAX_DEPTH, Settings, diff_pair
    from .result import DiffResult, ImageInfo

    policy = options.policy()
    image_a, image_b = pending.result()
    compare_width = pending.compared_width
    refined = diff_pair(image_a, image_b, compare_width, Settings(policy, merge_gap, moves),
                        MAX_DEPTH if columns else 0)
    bits = 8 * image_a.sample_bytes
    return DiffResult(
        a=ImageInfo(image_a.path, image_a.width, image_a.height, image_a.bands, bits),
        b=ImageInfo(image_b.path, image_b.width, image_b.height, image_b.bands, bits),
        hunks=tuple(refined.hunks),
        runs=tuple(refined.axis),
        options=options.describe(compare_width, policy, excluded),
        images=(image_a, image_b),
        comparer=refined.comparer,
        noise_rows=refined.noise_rows,
        noise_pixels=refined.noise_pixels,
    )

