"""The colour metric and the anti-aliasing rule against the peers' own test images.

Counts are pixelmatch 7.2.0's (its test suite) and odiff's (its anti-aliasing test), for the
same pairs and thresholds. With anti-aliasing detection off every pixel counts, and rasterkit
must give exactly their number; with it on, rasterkit's rule is stricter than theirs (a pixel
anti-aliased in one image must not face a flat area in the other) and must stay within 2x of
what they keep.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import rasterkit
from rasterkit.linediff.pixels import load_pair
from rasterkit.linediff.tolerance import Comparer, Policy

PEERS = Path(__file__).resolve().parents[1] / "fixtures" / "peers"

# (a, b, threshold, kept with anti-aliasing detected, every pixel counted)
PUBLISHED = [
    ("pixelmatch/1a.png", "pixelmatch/1b.png", 0.05, 143, 251),
    ("pixelmatch/1a.png", "pixelmatch/1b.png", 0.1, 106, 167),
    ("pixelmatch/2a.png", "pixelmatch/2b.png", 0.05, 12437, 13090),
    ("pixelmatch/3a.png", "pixelmatch/3b.png", 0.05, 212, 404),
    ("pixelmatch/4a.png", "pixelmatch/4b.png", 0.05, 36049, 41623),
    ("pixelmatch/4a.png", "pixelmatch/4b.png", 0.1, None, 10002),
    ("pixelmatch/6a.png", "pixelmatch/6b.png", 0.05, 51, 4900),
    ("pixelmatch/7a.png", "pixelmatch/7b.png", 0.1, 2448, 2737),
    ("odiff/antialiasing-on.png", "odiff/antialiasing-off.png", 0.1, 38, 450),
]
IDS = [f"{a.split('.')[0]}-{t}" for a, _, t, _, _ in PUBLISHED]


def count(a: str, b: str, threshold: float, antialiasing: bool) -> int:
    image_a, image_b = load_pair(PEERS / a, PEERS / b)
    assert (image_a.width, image_a.height) == (image_b.width, image_b.height)
    comparer = Comparer(image_a, image_b, image_a.width, Policy(threshold, antialiasing))
    return comparer.differing_pixels([(y, y) for y in range(image_a.height)])


@pytest.mark.parametrize(("a", "b", "threshold", "kept", "every"), PUBLISHED, ids=IDS)
def test_every_pixel_counted_matches_the_peer_exactly(a, b, threshold, kept, every):
    assert count(a, b, threshold, antialiasing=False) == every


@pytest.mark.parametrize(("a", "b", "threshold", "kept", "every"),
                         [p for p in PUBLISHED if p[3] is not None],
                         ids=[i for i, p in zip(IDS, PUBLISHED, strict=True) if p[3] is not None])
def test_anti_aliasing_forgives_what_the_peer_forgives_within_2x(a, b, threshold, kept, every):
    n = count(a, b, threshold, antialiasing=True)
    assert kept <= n <= 2 * kept


def test_most_of_what_the_peers_forgive_is_forgiven():
    pairs = [p for p in PUBLISHED if p[3] is not None]
    theirs = sum(every - kept for _, _, _, kept, every in pairs)
    ours = sum(every - count(a, b, t, antialiasing=True) for a, b, t, _, every in pairs)
    assert 0.9 * theirs <= ours <= theirs


def test_the_count_is_symmetric_in_its_images():
    a, b = "odiff/antialiasing-on.png", "odiff/antialiasing-off.png"
    assert count(a, b, 0.1, True) == count(b, a, 0.1, True)


def test_rows_of_the_anti_aliased_circle_are_mostly_noise():
    # odiff's circle drawn with and without anti-aliasing: a row-level diff sees rendering
    # noise in most rows, not one changed block over the whole circle.
    a, b = PEERS / "odiff/antialiasing-on.png", PEERS / "odiff/antialiasing-off.png"
    tolerant, exact = rasterkit.diff(a, b), rasterkit.diff(a, b, exact=True)
    changed = sum(h.a[1] - h.a[0] for h in tolerant.hunks)
    changed_exact = sum(h.a[1] - h.a[0] for h in exact.hunks)
    assert tolerant.noise_rows > 0
    assert changed < changed_exact


def test_new_ink_on_flat_background_is_a_change_though_pixelmatch_forgives_it():
    # Ink appears on white: the new pixel at (5, 5) has darker new neighbours and brighter
    # white ones that are white in both images, so pixelmatch calls it anti-aliased; in A it
    # sits inside flat white, so it is new ink.
    a = np.full((12, 12), 255, np.uint8)
    b = a.copy()
    b[4, 4:7] = [70, 60, 80]
    b[5, 4:6] = [90, 128]
    b[6, 4] = 110
    image_a, image_b = load_pair(a, b)
    comparer = Comparer(image_a, image_b, 12, Policy())
    pa, pb = comparer._pixels
    assert pb.antialiased(5, 5, pa, 0)  # pixelmatch's test alone would forgive it
    assert not comparer._forgiven(5, 5, 5)
    assert comparer.differing_pixels([(5, 5)]) == 2
    assert not rasterkit.diff(a, b).identical


def test_an_edge_moved_by_a_fraction_of_a_pixel_is_noise():
    # A dark bar whose anti-aliased right edge moves by a fraction of a pixel: the edge pixel
    # is an edge in both images.
    a = np.full((12, 12), 255, np.uint8)
    a[2:10, 3:7] = 0
    b = a.copy()
    a[2:10, 7] = 200
    b[2:10, 7] = 120
    image_a, image_b = load_pair(a, b)
    comparer = Comparer(image_a, image_b, 12, Policy())
    assert comparer.differing_pixels([(y, y) for y in range(12)]) == 0
    assert Comparer(image_a, image_b, 12, Policy(antialiasing=False)).differing_pixels(
        [(y, y) for y in range(12)]) == 8
    result = rasterkit.diff(a, b)
    assert result.identical
    assert result.noise_rows == 8
