"""Property-based: B made from A by random section edits -> diff recovers exactly those edits.

Hunks must match the edits in number, kind and rows, where rows are compared up to sliding
within background: the content (non-background) rows of each found range equal those of the
edited section, and a pure removal or insertion keeps its exact length.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import rasterkit

from .synthetic import compose, content_rows, offsets, random_section

OPS = ("remove", "insert", "replace")


@st.composite
def edit_plans(draw):
    n = draw(st.integers(4, 18))
    # Edited sections are at least two untouched sections apart, so edits stay separate.
    positions = draw(st.lists(st.integers(1, n - 1), min_size=1, max_size=5, unique=True))
    positions = sorted(positions)
    kept = [positions[0]]
    for p in positions[1:]:
        if p - kept[-1] >= 3:
            kept.append(p)
    ops = [draw(st.sampled_from(OPS)) for _ in kept]
    return n, dict(zip(kept, ops, strict=True))


def build(seed: int, n: int, plan: dict[int, str], width: int, bands: int):
    rng = np.random.default_rng(seed)
    a_sections = [random_section(rng, width, bands) for _ in range(n)]
    b_sections, expected = [], []
    for index, section in enumerate(a_sections):
        op = plan.get(index)
        if op == "insert":
            new = random_section(rng, width, bands)
            expected.append(("added", index, len(b_sections), new))
            b_sections.append(new)
            b_sections.append(section)
        elif op == "remove":
            expected.append(("removed", index, None, section))
        elif op == "replace":
            new = random_section(rng, width, bands)
            expected.append(("changed", index, len(b_sections), new))
            b_sections.append(new)
        else:
            b_sections.append(section)
    a = compose(a_sections, width, bands)
    b = compose(b_sections, width, bands)
    off_a, off_b = offsets(a_sections), offsets(b_sections)
    edits = []
    for kind, ia, ib, section in expected:
        if kind == "added":
            edits.append((kind, None, (off_b[ib], off_b[ib] + section.height)))
        elif kind == "removed":
            edits.append((kind, (off_a[ia], off_a[ia] + a_sections[ia].height), None))
        else:
            edits.append((kind, (off_a[ia], off_a[ia] + a_sections[ia].height),
                          (off_b[ib], off_b[ib] + section.height)))
    return a, b, edits


def check(result, a, b, edits):
    assert len(result.hunks) == len(edits), (result.hunks, edits)
    for hunk, (kind, range_a, range_b) in zip(result.hunks, edits, strict=True):
        assert hunk.kind == kind
        if range_a is not None:
            assert content_rows(a, *hunk.a) == content_rows(a, *range_a)
        if range_b is not None:
            assert content_rows(b, *hunk.b) == content_rows(b, *range_b)
        if kind == "removed":
            assert hunk.a_rows == range_a[1] - range_a[0]
            assert hunk.b_rows == 0
        if kind == "added":
            assert hunk.b_rows == range_b[1] - range_b[0]
            assert hunk.a_rows == 0
        if kind == "changed":
            assert hunk.changed_pixels > 0
            assert hunk.boxes


@settings(max_examples=80, deadline=None)
@given(plan=edit_plans(), seed=st.integers(0, 2**32 - 1), bands=st.sampled_from([1, 3, 4]),
       width=st.integers(16, 120))
def test_random_section_edits_are_recovered(plan, seed, bands, width):
    # Exact rows: random pixels are not a screenshot, and pixelmatch's anti-aliasing test can
    # take a pair of random rows for noise (test_noise.py covers the tolerant default).
    n, ops = plan
    a, b, edits = build(seed, n, ops, width, bands)
    result = rasterkit.diff(a, b, merge_gap=0, exact=True)
    check(result, a, b, edits)
    assert not result.identical
    # Unchanged rows between hunks are really equal: walk the common row axis.
    for run in result.runs:
        if run.kind == "equal":
            assert np.array_equal(a[run.a:run.a + run.length], b[run.b:run.b + run.length])


@settings(max_examples=25, deadline=None)
@given(plan=edit_plans(), seed=st.integers(0, 2**32 - 1))
def test_sixteen_bit_edits_are_recovered(plan, seed):
    n, ops = plan
    a, b, edits = build(seed, n, ops, 48, 3)
    result = rasterkit.diff(a.astype(np.uint16) * 257, b.astype(np.uint16) * 257, merge_gap=0)
    check(result, a, b, edits)
    assert result.a.bits == 16


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 30))
def test_identical_images_have_no_hunks(seed, n):
    rng = np.random.default_rng(seed)
    a = compose([random_section(rng, 40) for _ in range(n)], 40)
    result = rasterkit.diff(a, a.copy())
    assert result.identical
    assert result.hunks == ()
    assert result.runs[0].kind == "equal"
    assert result.axis_height == len(a)
