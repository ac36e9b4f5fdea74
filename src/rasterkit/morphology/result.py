"""Results of the area filters: frozen dataclasses whose ``to_dict()`` is the JSON schema.

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
"""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

import numpy as np

#: Version of the JSON schema of :meth:`FileReport.to_dict`; fields are only ever added.
SCHEMA_VERSION = 1

Kind = Literal["objects", "holes", "peaks", "pits"]

_VERBS = {"objects": ("removed", "cleared"), "holes": ("filled", "set"),
          "peaks": ("flattened", "lowered"), "pits": ("filled", "raised")}


@dataclasses.dataclass(frozen=True)
class AreaFilterResult:
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

    def summary(self) -> str:
        """One line, e.g. ``removed 12 of 40 objects (area < 150 px, 8-connected), ...``."""
        verb, pixel_verb = _VERBS[self.kind]
        bounds = f"area < {self.min_area} px"
        if self.max_area is not None:
            bounds += f" or > {self.max_area} px"
        return (f"{verb} {self.removed:,} of {self.removed + self.kept:,} {self.kind} ({bounds}, "
                f"{self.connectivity}-connected), {self.changed_pixels:,} pixels {pixel_verb}")


@dataclasses.dataclass(frozen=True)
class FileReport:
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

    def summary(self) -> str:
        """One line: ``in.png -> out.png: removed ...; filled ...``."""
        steps = "; ".join(step.summary() for step in self.steps)
        return f"{self.input} -> {self.output}: {steps}"
