"""Render the corpus with Debian's chromium and derive each pair's ground truth.

The rows of an edit come from the bounding box of its element (``getBoundingClientRect``,
device pixel rows: floor of the top, ceiling of the bottom). The pixels then say which rows of
that box a tool must flag (:class:`bench.corpus.truth.Side`): every row with content for a
removed, added or moved element; for a changed or grown one, the rows that really differ from
the other image's box (at the same offset from its top and from its bottom). Where an inserted
or removed block could equally sit a few rows higher or lower (identical neighbours, e.g. one
of several identical cards), every such place is accepted.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pyvips
from tests.support.screenshots import CHROMIUM, CHROMIUM_ARGS

from .families import Spec
from .truth import Edit, Range, Side, Truth, runs

#: Two rows are "the same up to noise" when at most this share of their pixels differ by
#: more than :data:`NOISE_LEVEL` in a channel (anti-aliasing, dithering).
NOISE_SHARE = 0.02
NOISE_LEVEL = 24
#: Bumped when the way truth is derived changes, so cached pairs are re-rendered.
TRUTH_VERSION = 2

#: element id -> [top, bottom, footprint top, footprint bottom] in CSS pixels of the page; the
#: footprint adds the gap to the next sibling (or from the previous one, for a last child):
#: the rows that appear or vanish with the element.
BOXES_JS = """() => Object.fromEntries([...document.querySelectorAll('[id]')].map(e => {
    const r = e.getBoundingClientRect();
    const next = e.nextElementSibling, prev = e.previousElementSibling;
    let f0 = r.top, f1 = r.bottom;
    if (next) f1 = Math.max(f1, next.getBoundingClientRect().top);
    else if (prev) f0 = Math.min(f0, prev.getBoundingClientRect().bottom);
    return [e.id, [r.top + scrollY, r.bottom + scrollY, f0 + scrollY, f1 + scrollY]];
}))"""


def load(path: Path) -> np.ndarray:
    """A PNG as a ``(height, width, bands)`` uint8 array."""
    image = pyvips.Image.new_from_file(str(path))
    return image.numpy().reshape(image.height, image.width, image.bands)


def similar(x: np.ndarray, y: np.ndarray) -> bool:
    """Whether two rows (``(width, bands)``) are equal up to rendering noise, over their
    common width."""
    width = min(x.shape[0], y.shape[0])
    far = np.abs(x[:width].astype(np.int16) - y[:width]).max(axis=-1) > NOISE_LEVEL
    return int(far.sum()) <= NOISE_SHARE * width


def ink(image: np.ndarray, box: Range) -> np.ndarray:
    """For each row of ``box``: whether it has content (is not one flat colour)."""
    rows = image[box[0]:box[1]].reshape(box[1] - box[0], -1, image.shape[2])
    return (rows != rows[:, :1]).any(axis=(1, 2))


def slide(image: np.ndarray, box: Range) -> tuple[int, int]:
    """Offsets ``(lo, hi)`` by which a block inserted or removed at ``box`` could move and
    leave the same image (the row above it equals its last row, and so on)."""
    start, stop = box
    lo = 0
    while start + lo - 1 >= 0 and similar(image[start + lo - 1], image[stop + lo - 1]):
        lo -= 1
    hi = 0
    while stop + hi < image.shape[0] and similar(image[start + hi], image[stop + hi]):
        hi += 1
    return lo, hi


def block_side(image: np.ndarray, box: Range, footprint: Range) -> Side:
    """The side of a removed, added or moved element: its rows with content; it may be
    reported anywhere its footprint (box and gap to its sibling) can slide to."""
    lo, hi = slide(image, footprint)
    core = tuple((box[0] + s, box[0] + e) for s, e in runs(ink(image, box)))
    allowed = (min(box[0], footprint[0]) + lo, max(box[1], footprint[1]) + hi)
    return Side(box, core, allowed, (lo, hi))


def changed_side(image: np.ndarray, box: Range, other: np.ndarray, other_box: Range) -> Side:
    """The side of a changed or grown element: the rows of its box that differ from the other
    image's box at the same offset from the top and from the bottom."""

    def differs(row: int, facing: int) -> bool:
        inside = other_box[0] <= facing < other_box[1]
        return not inside or not similar(image[row], other[facing])

    flags = [differs(r, r - box[0] + other_box[0]) and differs(r, r - box[1] + other_box[1])
             for r in range(*box)]
    core = tuple((box[0] + s, box[0] + e) for s, e in runs(flags))
    return Side(box, core, box)


def device_rows(top: float, bottom: float, height: int, scale: float = 1.0) -> Range:
    """Device pixel rows covered by CSS pixels ``[top, bottom)``, clipped to the image."""
    return (max(0, math.floor(top * scale)), min(height, math.ceil(bottom * scale)))


def truth_of(spec: Spec, a: np.ndarray, b: np.ndarray, boxes_a: dict, boxes_b: dict) -> Truth:
    """Ground truth of a rendered pair from its element boxes and pixels."""
    def rows(boxes: dict, eid: str | None, image: np.ndarray) -> tuple[Range, Range] | None:
        if eid is None:
            return None
        top, bottom, foot_top, foot_bottom = boxes[eid]
        return (device_rows(top, bottom, image.shape[0]),
                device_rows(foot_top, foot_bottom, image.shape[0]))

    edits = []
    for kind, id_a, id_b in spec.edits:
        rows_a, rows_b = rows(boxes_a, id_a, a), rows(boxes_b, id_b, b)
        if kind in ("changed", "grown"):
            side_a = changed_side(a, rows_a[0], b, rows_b[0])
            side_b = changed_side(b, rows_b[0], a, rows_a[0])
        else:
            side_a = block_side(a, *rows_a) if rows_a else None
            side_b = block_side(b, *rows_b) if rows_b else None
        edits.append(Edit(kind, id_a or id_b or "", side_a, side_b))
    return Truth(spec.name, spec.family, a.shape[0], b.shape[0], a.shape[1], b.shape[1],
                 tuple(edits))


@contextmanager
def browser() -> Iterator[object]:
    """Headless Debian chromium through playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def shoot(chromium: object, html: str, width: int, path: Path) -> dict[str, tuple[float, ...]]:
    """Render ``html`` at viewport ``width`` (CSS px, scale 1) full-page into ``path``; returns
    element id -> (top, bottom, footprint top, footprint bottom) in CSS pixels of the page
    (see :data:`BOXES_JS`)."""
    page = chromium.new_page(viewport={"width": width, "height": 900}, device_scale_factor=1)
    try:
        page.set_content(html, wait_until="load")
        boxes = page.evaluate(BOXES_JS)
        page.screenshot(path=str(path), full_page=True)
    finally:
        page.close()
    return {k: tuple(v) for k, v in boxes.items()}


def spec_hash(spec: Spec) -> str:
    """A digest of everything that decides the pair's pixels and truth."""
    text = json.dumps([TRUTH_VERSION, spec.a.html(), spec.a.width, spec.b.html(), spec.b.width,
                       spec.edits])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def render_pair(chromium: object, spec: Spec, folder: Path) -> tuple[Path, Path, Truth]:
    """Render one pair into ``folder`` (kept when its spec did not change) with its truth."""
    path_a, path_b = folder / f"{spec.name}-a.png", folder / f"{spec.name}-b.png"
    truth_path = folder / f"{spec.name}.json"
    digest = spec_hash(spec)
    if truth_path.exists() and path_a.exists() and path_b.exists():
        stored = json.loads(truth_path.read_text())
        if stored.get("spec_hash") == digest:
            return path_a, path_b, Truth.from_dict(stored["truth"])
    boxes_a = shoot(chromium, spec.a.html(), spec.a.width, path_a)
    boxes_b = shoot(chromium, spec.b.html(), spec.b.width, path_b)
    truth = truth_of(spec, load(path_a), load(path_b), boxes_a, boxes_b)
    truth_path.write_text(json.dumps({"spec_hash": digest, "truth": truth.to_dict()}))
    return path_a, path_b, truth


def render_corpus(specs: list[Spec], folder: Path) -> list[tuple[Path, Path, Truth]]:
    """Render every pair of ``specs`` into ``folder`` with one browser."""
    folder.mkdir(parents=True, exist_ok=True)
    with browser() as chromium:
        return [render_pair(chromium, spec, folder) for spec in specs]
