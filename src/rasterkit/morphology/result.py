"""Results of the morphology functions: frozen dataclasses whose ``to_dict()`` is the JSON
schema. No numpy is imported here: the small-file path of the commands
(:mod:`rasterkit.morphology.small_files`) reports with these very classes.

Every area filter removes the connected components smaller than ``min_area`` pixels of one
kind and keeps the others; the result carries the filtered image and the counts:

========  ==========================================  ==========================
kind      components                                   ``removed`` means
========  ==========================================  ==========================
objects   foreground components (nonzero pixels)       cleared to 0
holes     zero components touching no image border     filled with the foreground
peaks     regional maxima of a greyscale image         flattened (area opening)
pits      regional minima of a greyscale image         filled (area closing)
========  ==========================================  ==========================

Each result follows :class:`rasterkit.results.ResultProtocol`: ``to_dict()``,
``summary_line()`` (the line the command prints) and ``to_text()``; ``summary()`` is the
summary line's older name.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import numpy as np

#: Version of the JSON schema of :meth:`FileReport.to_dict`; fields are only ever added.
SCHEMA_VERSION = 1
#: Version of the JSON schema of :meth:`SkeletonFileReport.to_dict` (fields are only ever
#: added).
SKELETON_SCHEMA_VERSION = 1

Kind = Literal["objects", "holes", "peaks", "pits"]

_VERBS = {"objects": ("removed", "cleared"), "holes": ("filled", "set"),
          "peaks": ("flattened", "lowered"), "pits": ("filled", "raised")}


class _OneLine:
    """The text of a result that is one line: :meth:`to_text`, and :meth:`summary`, the
    older name of ``summary_line()``."""

    def summary_line(self) -> str:
        raise NotImplementedError

    def summary(self) -> str:
        """The same as ``summary_line()`` (its older name)."""
        return self.summary_line()

    def to_text(self) -> str:
        """What the command prints: ``summary_line()`` and a newline."""
        return self.summary_line() + "\n"


@dataclasses.dataclass(frozen=True)
class AreaFilterResult(_OneLine):
    """What one area filter did.

    Attributes
    ----------
    image : numpy.ndarray or None
        The filtered image, same shape and dtype as the (single-band) input; ``None`` when
        the result was streamed to a file in strips.
    kind : {"objects", "holes", "peaks", "pits"}
        Which components were filtered (table above).
    min_area, max_area : int, int or None
        Components with fewer than ``min_area`` pixels were removed; objects with more than
        ``max_area`` too (``None``: no upper bound).
    connectivity : {4, 8}
        Connectivity of the components counted (for holes: of the zero pixels, the complement
        of the objects' connectivity).
    removed, kept : int
        Number of components removed (cleared, filled, flattened) and kept.
    changed_pixels : int
        Number of pixels whose value changed.
    """

    image: np.ndarray | None = dataclasses.field(repr=False, compare=False)
    kind: Kind
    min_area: int
    max_area: int | None
    connectivity: int
    removed: int
    kept: int
    changed_pixels: int

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (the image is not included)."""
        return {"kind": self.kind, "min_area": self.min_area, "max_area": self.max_area,
                "connectivity": self.connectivity, "removed": self.removed, "kept": self.kept,
                "changed_pixels": self.changed_pixels}

    def summary_line(self) -> str:
        """One line, e.g. ``removed 12 of 40 objects (area < 150 px, 8-connected), ...``."""
        verb, pixel_verb = _VERBS[self.kind]
        bounds = f"area < {self.min_area} px"
        if self.max_area is not None:
            bounds += f" or > {self.max_area} px"
        return (f"{verb} {self.removed:,} of {self.removed + self.kept:,} {self.kind} ({bounds}, "
                f"{self.connectivity}-connected), {self.changed_pixels:,} pixels {pixel_verb}")


@dataclasses.dataclass(frozen=True)
class FileReport(_OneLine):
    """What a file-to-file run did: the files, the image size, how it ran, each filter's counts.

    ``strips`` is the number of horizontal strips the image was streamed in (1: in memory).
    """

    command: str
    input: str
    output: str
    width: int
    height: int
    dtype: str
    threshold: float | None
    strips: int
    steps: tuple[AreaFilterResult, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"schema_version": SCHEMA_VERSION, "command": self.command, "input": self.input,
                "output": self.output, "width": self.width, "height": self.height,
                "dtype": self.dtype, "threshold": self.threshold, "strips": self.strips,
                "steps": [step.to_dict() for step in self.steps]}

    def summary_line(self) -> str:
        """One line: ``in.png -> out.png: removed ...; filled ...``."""
        steps = "; ".join(step.summary_line() for step in self.steps)
        return f"{self.input} -> {self.output}: {steps}"


@dataclasses.dataclass(frozen=True)
class SkeletonResult(_OneLine):
    """What :func:`~rasterkit.morphology.skeleton.skeletonize` did.

    Attributes
    ----------
    image : numpy.ndarray or None
        The skeleton, same shape, dtype and values as the (single-band) input: its
        foreground value on the skeleton, 0 elsewhere (with a ``threshold``: the type's
        maximum, 255 / 65535 / 1.0, on the skeleton); ``None`` when the small-file path
        wrote it straight to a file.
    method : {"zhang-suen", "guo-hall"}
        The thinning algorithm.
    threshold : float or None
        The threshold used (``value > threshold`` was foreground), Otsu's if asked for.
    iterations : int
        Full iterations (pairs of sub-iterations) that deleted pixels.
    foreground_pixels, skeleton_pixels : int
        Foreground pixels before and after thinning.
    """

    image: np.ndarray | None = dataclasses.field(repr=False, compare=False)
    method: str
    threshold: float | None
    iterations: int
    foreground_pixels: int
    skeleton_pixels: int

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (the image is not included)."""
        return {"method": self.method, "threshold": self.threshold,
                "iterations": self.iterations, "foreground_pixels": self.foreground_pixels,
                "skeleton_pixels": self.skeleton_pixels}

    def summary_line(self) -> str:
        """One line, e.g. ``kept 5,120 of 81,920 foreground pixels (guo-hall, 7 iterations)``."""
        return (f"kept {self.skeleton_pixels:,} of {self.foreground_pixels:,} foreground "
                f"pixels ({self.method}, {self.iterations} iterations)")


@dataclasses.dataclass(frozen=True)
class SkeletonFileReport(_OneLine):
    """What :func:`~rasterkit.morphology.skeleton.skeletonize_file` did: the files, the
    image, and the skeleton's counts."""

    input: str
    output: str
    width: int
    height: int
    dtype: str
    result: SkeletonResult

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``rasterkit skeletonize --json``."""
        return {"schema_version": SKELETON_SCHEMA_VERSION, "command": "skeletonize",
                "input": self.input, "output": self.output, "width": self.width,
                "height": self.height, "dtype": self.dtype, **self.result.to_dict()}

    def summary_line(self) -> str:
        """One line: ``in.png -> out.png: kept ... pixels (guo-hall, 7 iterations)``."""
        return f"{self.input} -> {self.output}: {self.result.summary_line()}"
