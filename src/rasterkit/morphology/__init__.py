"""Binary and greyscale morphology by area: remove small objects, fill small holes, area
opening and closing.

Every area filter takes a path, a numpy array or a ``pyvips.Image`` and returns an
:class:`AreaFilterResult`: the filtered ``image`` (same dtype and value range as the input)
and the counts ``removed`` / ``kept`` / ``changed_pixels`` (``skeletonize`` returns a
:class:`~rasterkit.morphology.result.SkeletonResult`). Sizes are areas in pixels, and
the rule is the same everywhere: a component with **fewer than** ``min_area`` pixels is
removed, one with ``min_area`` pixels or more is kept.

    >>> from rasterkit import morphology
    >>> r = morphology.remove_small_objects("mask.png", min_area=150)   # doctest: +SKIP
    >>> r.removed, r.kept                                                # doctest: +SKIP
    (1234, 56)

Modules: :mod:`.small_objects` (binary, in memory), :mod:`.area` (greyscale),
:mod:`.strips` (binary images larger than memory, streamed in strips), :mod:`.files`
(file to file, as the command line does it), :mod:`.small_files` (the same for small files
without numpy: the commands' start-up), :mod:`.arguments` (the argument checks),
:mod:`.formats` (input header, lossless outputs), :mod:`.result` (the result types and their
JSON), :mod:`.png_stream` (the streaming writer), :mod:`.skeleton` (thinning:
``skeletonize``) and :mod:`.methods` (the thinning algorithms by name, their tables).
:mod:`.small_files` and the modules it uses (arguments, formats, methods, result,
:mod:`rasterkit.thresholds`) import no numpy. What is accepted, and the bands in threads,
are shared with compare and mosaic: :mod:`rasterkit.binary_inputs`, :mod:`rasterkit.threads`
(:mod:`.inputs` and :mod:`.threads` are kept for old imports).
"""

from __future__ import annotations

from .._lazy import attach

# name -> the module that defines it; imported on first use, so that a command loads only
# the modules it runs (start-up)
__getattr__, __dir__ = attach(__name__, {
    "SCHEMA_VERSION": ".result", "AreaFilterResult": ".result", "FileReport": ".result",
    "area_closing": ".area", "area_opening": ".area", "area_filter_file": ".files",
    "remove_small_file": ".files", "skeletonize": ".skeleton",
    "fill_small_holes": ".small_objects", "remove_small_objects": ".small_objects",
})

__all__ = [
    "SCHEMA_VERSION",
    "AreaFilterResult",
    "FileReport",
    "area_closing",
    "area_filter_file",
    "area_opening",
    "fill_small_holes",
    "remove_small_file",
    "remove_small_objects",
    "skeletonize",
]
