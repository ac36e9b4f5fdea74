"""One picture per family for the README: ``python -m bench.corpus.pictures [OUT_FOLDER]``.

From the rendered corpus (``make bench-corpus`` first): the first pair of each family, A left
and B right, cropped around its first edit (and to the columns with content), the edited
element's rows tinted (red in A, green in B), at half size. Noise pairs show the spot where A
and B differ most, 4x enlarged, with the difference amplified on the right; the tall family
shows both pages down to below the last edit.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pyvips

from .render import load
from .run import OUT
from .tools import ROOT
from .truth import Truth

RED, GREEN = np.array([230, 60, 60]), np.array([40, 170, 70])
DOCS = ROOT / "docs" / "images" / "corpus"


def tint(image: np.ndarray, rows: tuple[int, int] | None, colour: np.ndarray) -> np.ndarray:
    """A copy of ``image`` (RGB) with ``rows`` blended 30 % towards ``colour``."""
    out = image[..., :3].astype(np.float32)
    if rows:
        out[rows[0]:rows[1]] = out[rows[0]:rows[1]] * 0.7 + colour * 0.3
    return out.astype(np.uint8)


def window(image: np.ndarray, centre: int, height: int) -> np.ndarray:
    """``height`` rows of ``image`` around row ``centre``, padded white past the ends."""
    top = max(0, min(centre - height // 2, image.shape[0] - height))
    part = image[top:top + height]
    pad = np.full((height - part.shape[0], *part.shape[1:]), 255, np.uint8)
    return np.concatenate([part, pad])


def side_by_side(left: np.ndarray, right: np.ndarray, scale: float) -> pyvips.Image:
    """``left | grey gutter | right`` (RGB arrays of one height), resized by ``scale``."""
    width = max(left.shape[1], right.shape[1])

    def widen(part: np.ndarray) -> np.ndarray:
        pad = np.full((part.shape[0], width - part.shape[1], 3), 255, np.uint8)
        return np.concatenate([part, pad], axis=1)

    gutter = np.full((left.shape[0], 24, 3), 160, np.uint8)
    row = np.ascontiguousarray(np.concatenate([widen(left), gutter, widen(right)], axis=1))
    image = pyvips.Image.new_from_array(row, interpretation="srgb")
    return image.resize(scale, kernel="nearest" if scale > 1 else "lanczos3")


def content_columns(*images: np.ndarray) -> slice:
    """The columns where any of the images is not white, with a 16 px margin."""
    used = [np.flatnonzero((image[..., :3] != 255).any(axis=(0, 2))) for image in images]
    used = [u for u in used if u.size]
    if not used:
        return slice(None)
    return slice(max(0, min(u.min() for u in used) - 16), max(u.max() for u in used) + 16)


def edit_picture(a: np.ndarray, b: np.ndarray, truth: Truth, rows: int = 560) -> pyvips.Image:
    """A and B around the first edit, its element's rows tinted, content columns only."""
    edit = truth.edits[0]
    box_a = edit.a.box if edit.a else None
    box_b = edit.b.box if edit.b else None
    centre_a = sum(box_a) // 2 if box_a else sum(box_b) // 2
    centre_b = sum(box_b) // 2 if box_b else centre_a
    columns = content_columns(window(a, centre_a, rows), window(b, centre_b, rows))
    left = window(tint(a, box_a, RED), centre_a, rows)[:, columns]
    right = window(tint(b, box_b, GREEN), centre_b, rows)[:, columns]
    return side_by_side(left, right, 0.5)


def noise_picture(a: np.ndarray, b: np.ndarray) -> pyvips.Image:
    """The 100 x 50 px spot where A and B differ most: A, B and 8x their difference, 4x."""
    diff = np.abs(a[..., :3].astype(int) - b[..., :3]).max(axis=-1)
    y, x = np.unravel_index(int(np.argmax(diff)), diff.shape)
    y0, x0 = max(0, y - 25), max(0, x - 50)
    crop = (slice(y0, y0 + 50), slice(x0, x0 + 100))
    amplified = 255 - np.minimum(diff[crop] * 8, 255).astype(np.uint8)
    third = np.repeat(amplified[..., None], 3, axis=2)
    left = side_by_side(a[crop][..., :3], b[crop][..., :3], 1).numpy()
    return side_by_side(left, third, 4)


def whole_pages(a: np.ndarray, b: np.ndarray, truth: Truth, height: int = 700) -> pyvips.Image:
    """Both pages from the top to below the last edit, every edit tinted, scaled to about
    ``height`` rows."""
    for edit in truth.edits:
        a = tint(a, edit.a.box if edit.a else None, RED)
        b = tint(b, edit.b.box if edit.b else None, GREEN)
    last = max(s.box[1] for e in truth.edits for s in (e.a, e.b) if s is not None) + 300
    a, b = a[:last], b[:last]
    rows = max(a.shape[0], b.shape[0])
    left, right = (np.concatenate([p[..., :3], np.full((rows - p.shape[0], p.shape[1], 3), 255,
                                                       np.uint8)]) for p in (a, b))
    return side_by_side(left, right, height / rows)


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else DOCS
    out.mkdir(parents=True, exist_ok=True)
    pairs = OUT / "pairs"
    for truth_path in sorted(pairs.glob("*-00.json")):
        truth = Truth.from_dict(json.loads(truth_path.read_text())["truth"])
        a = load(pairs / f"{truth.pair}-a.png")
        b = load(pairs / f"{truth.pair}-b.png")
        if truth.family == "noise":
            picture = noise_picture(a, b)
        elif truth.family == "tall":
            picture = whole_pages(a, b, truth)
        else:
            picture = edit_picture(a, b, truth)
        target = out / f"{truth.family}.png"
        picture.write_to_file(str(target), compression=9, palette=True)
        print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
