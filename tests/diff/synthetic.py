"""Synthetic screenshot-like images made of sections, and edits with known answers.

A section is ``content`` rows of random pixels (every row unique, as text rows nearly are)
followed by ``gap`` rows of white background. Edits replace, remove or insert whole sections,
so the expected hunks are known exactly, up to sliding within background rows.
"""

from __future__ import annotations

import dataclasses

import numpy as np

WHITE = 255


@dataclasses.dataclass
class Section:
    content: np.ndarray  # (rows, width, bands)
    gap: int

    @property
    def height(self) -> int:
        return len(self.content) + self.gap


def random_section(rng: np.random.Generator, width: int, bands: int = 3,
                   content: tuple[int, int] = (4, 60), gap: tuple[int, int] = (3, 25)) -> Section:
    rows = int(rng.integers(*content))
    pixels = np.full((rows, width, bands), WHITE, np.uint8)
    left = int(rng.integers(0, width // 4))
    right = int(rng.integers(left + width // 2, width + 1))
    pixels[:, left:right] = rng.integers(0, 256, (rows, right - left, bands), dtype=np.uint8)
    return Section(pixels, int(rng.integers(*gap)))


def compose(sections: list[Section], width: int, bands: int = 3, top: int = 10) -> np.ndarray:
    blocks = [np.full((top, width, bands), WHITE, np.uint8)]
    for section in sections:
        blocks.append(section.content)
        blocks.append(np.full((section.gap, width, bands), WHITE, np.uint8))
    return np.concatenate(blocks)


def offsets(sections: list[Section], top: int = 10) -> list[int]:
    out, y = [], top
    for section in sections:
        out.append(y)
        y += section.height
    return out


def content_rows(image: np.ndarray, start: int, stop: int) -> set[int]:
    """Rows of ``image`` in ``[start, stop)`` that are not all background."""
    rows = image[start:stop].reshape(stop - start, -1)
    return {start + i for i in np.flatnonzero((rows != WHITE).any(axis=1)).tolist()}
