"""The two images of a comparison: loaded, binarised, and brought to one size.

Each side is read as :mod:`rasterkit.binary_inputs` reads a binary image (a path, an
array or a ``pyvips.Image``; one band, or grey saved as RGB, opaque alpha ignored; foreground
is every nonzero pixel of a binary image, or ``value > threshold`` with a ``threshold``;
``threshold="otsu"`` takes each image's own Otsu threshold).

Both must have the same size, or be padded (``pad=True``): the smaller is extended at the
bottom and right with background to the larger width and height.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from ..binary_inputs import Binariser, foreground_of, load_single_band, resolve_threshold
from ..errors import BadInputError
from ..io import DEFAULT_MAX_PIXELS, source_name


@dataclasses.dataclass(frozen=True)
class Mask:
    """One side of a comparison.

    ``pixels`` is what the metrics scan: a 2-D uint8 array in which 0 is background and
    foreground is nonzero (for an 8-bit input, the input itself, whose single nonzero value
    is checked while counting); ``image`` is the single-band input as stored, the backdrop
    of the pictures; ``threshold`` the threshold used, if any.
    """

    name: str
    image: np.ndarray = dataclasses.field(repr=False)
    pixels: np.ndarray = dataclasses.field(repr=False)
    binariser: Binariser = dataclasses.field(repr=False)
    threshold: float | None

    @property
    def shape(self) -> tuple[int, int]:
        return self.pixels.shape  # type: ignore[return-value]

    def not_binary(self) -> BadInputError:
        """The one-line error for a mask holding two nonzero values."""
        return self.binariser.not_binary(self.image)

    def foreground(self) -> np.ndarray:
        """The foreground as a bool array (checking the image is binary)."""
        value = foreground_of(self.pixels, self.binariser, self.image)
        return self.pixels.view(bool) if value <= 1 else self.pixels != 0


def load_mask(source: Any, threshold: float | str | None = None,
              max_pixels: int | None = DEFAULT_MAX_PIXELS) -> Mask:
    """Read ``source`` as a :class:`Mask` (module docstring for what is accepted)."""
    name = source_name(source)
    image = load_single_band(source, max_pixels)
    used = resolve_threshold(image, threshold)
    binariser = Binariser(name, image.dtype, used)
    return Mask(name, image, binariser.pixels(image), binariser, used)


def load_pair(a: Any, b: Any, *, threshold: float | str | None = None, pad: bool = False,
              max_pixels: int | None = DEFAULT_MAX_PIXELS) -> tuple[Mask, Mask]:
    """Read both sides (decoding the two at once) and bring them to one size (or refuse
    different sizes).

    Raises
    ------
    BadInputError
        Unreadable or non-binary input, or sizes that differ without ``pad``.
    """
    from ..threads import in_threads

    # two threads: libvips decodes without the GIL, so two files take the time of one
    first, second = in_threads([(load_mask, (source, threshold, max_pixels))
                                for source in (a, b)])
    if first.shape == second.shape:
        return first, second
    if not pad:
        raise BadInputError(
            f"{first.name} is {_size(first)} but {second.name} is {_size(second)}; compare "
            "images of one size, or pad the smaller with background (--pad, pad=True)")
    height = max(first.shape[0], second.shape[0])
    width = max(first.shape[1], second.shape[1])
    return _padded(first, height, width), _padded(second, height, width)


def _size(mask: Mask) -> str:
    height, width = mask.shape
    return f"{width} x {height} px"


def _padded(mask: Mask, height: int, width: int) -> Mask:
    if mask.shape == (height, width):
        return mask
    rows, cols = height - mask.shape[0], width - mask.shape[1]
    return dataclasses.replace(mask, image=np.pad(mask.image, ((0, rows), (0, cols))),
                               pixels=np.pad(mask.pixels, ((0, rows), (0, cols))))
