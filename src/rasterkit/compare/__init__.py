"""Compare binary images and line drawings: counts, overlap metrics, distances, pictures.

    >>> from rasterkit import compare
    >>> r = compare.binary("a.png", "b.png")                  # doctest: +SKIP
    >>> r.differing, r.iou, r.mean_surface_distance           # doctest: +SKIP
    (1234, 0.981, 0.42)
    >>> t = compare.lines("a.png", "b.png", tolerance=2)      # doctest: +SKIP
    >>> t.f1, t.hd95, t.hausdorff, t.hausdorff_at             # doctest: +SKIP
    (0.97, 2.0, 131.0, {'a': [10, 400], 'b': [141, 400]})

A is the reference, B the image compared with it, in both.

Modules: :mod:`.binary` (confusion counts and the metrics made from them), :mod:`.lines`
(tolerance matching, chamfer, Hausdorff, correlation), :mod:`.points` (end points and
junctions), :mod:`.distance` (nearest-pixel distances, surfaces), :mod:`.pictures` (the delta
and overlay pictures and their colours), :mod:`.inputs` (reading and sizing the two images).
"""

from __future__ import annotations

from .binary import BinaryComparison, binary
from .lines import LineComparison, lines
from .pictures import delta_image, overlay_image, save_picture

__all__ = ["BinaryComparison", "LineComparison", "binary", "delta_image", "lines",
           "overlay_image", "save_picture"]
