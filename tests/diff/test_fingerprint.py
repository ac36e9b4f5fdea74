"""Hunk fingerprints: the same edit at another height (or in another run) keeps its
fingerprint; another edit does not (issue 20: reviewed hunks and gating rely on it)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import rasterkit

from .synthetic import compose, random_section

WIDTH = 120


def _page(seed: int, count: int):
    rng = np.random.default_rng(seed)
    return rng, [random_section(rng, WIDTH, gap=(10, 11)) for _ in range(count)]


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), count=st.integers(4, 9), data=st.data())
def test_the_same_insertion_anywhere_has_one_fingerprint(seed, count, data):
    rng, sections = _page(seed, count)
    inserted, other = random_section(rng, WIDTH, gap=(10, 11)), \
        random_section(rng, WIDTH, gap=(10, 11))
    first = data.draw(st.integers(1, count - 1))
    second = data.draw(st.integers(1, count - 1).filter(lambda k: abs(k - first) > 1))
    a = compose(sections, WIDTH)

    def added(where, section):
        b = compose([*sections[:where], section, *sections[where:]], WIDTH)
        (hunk,) = rasterkit.diff(a, b).hunks
        assert hunk.kind == "added"
        return hunk

    one, two = added(first, inserted), added(second, inserted)
    assert one.b != two.b  # another height ...
    assert one.fingerprint == two.fingerprint  # ... the same edit
    assert added(first, other).fingerprint != one.fingerprint


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), count=st.integers(5, 9), data=st.data())
def test_a_removal_keeps_its_fingerprint_across_pages(seed, count, data):
    """The same section removed from two different pages: one fingerprint."""
    _, sections = _page(seed, count)
    k = data.draw(st.integers(1, count - 2))
    shuffled = [*sections[k + 1:], sections[k], *sections[:k]]  # another page holding it
    page_one, page_two = compose(sections, WIDTH), compose(shuffled, WIDTH)
    gone_one = compose([*sections[:k], *sections[k + 1:]], WIDTH)
    gone_two = compose([*sections[k + 1:], *sections[:k]], WIDTH)
    (one,) = rasterkit.diff(page_one, gone_one).hunks
    (two,) = rasterkit.diff(page_two, gone_two).hunks
    assert one.kind == two.kind == "removed"
    assert one.fingerprint == two.fingerprint
