"""Sequence alignment on row keys: validity, optimality of the Myers fallback, anchoring."""

from __future__ import annotations

import random
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasterkit.linediff import align as align_module
from rasterkit.linediff.align import Match, align


def lcs_length(a: list[int], b: list[int]) -> int:
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def assert_valid(a: list[int], b: list[int], matches: list[Match]) -> None:
    end_a = end_b = 0
    for m in matches:
        assert m.length > 0
        assert m.a >= end_a
        assert m.b >= end_b
        assert a[m.a:m.a + m.length] == b[m.b:m.b + m.length]
        end_a, end_b = m.a + m.length, m.b + m.length


keys = st.lists(st.integers(0, 12), max_size=60)


@settings(max_examples=400, deadline=None)
@given(a=keys, b=keys)
def test_matches_are_equal_increasing_and_not_longer_than_the_lcs(a, b):
    matches = align(a, b)
    assert_valid(a, b, matches)
    assert sum(m.length for m in matches) <= lcs_length(a, b)


@settings(max_examples=400, deadline=None)
@given(a=st.lists(st.integers(0, 4), max_size=40), b=st.lists(st.integers(0, 4), max_size=40))
def test_myers_fallback_is_minimal(a, b):
    matches = align_module.coalesce(align_module._myers(a, b, 0, len(a), 0, len(b)))
    assert_valid(a, b, matches)
    assert sum(m.length for m in matches) == lcs_length(a, b)


@settings(max_examples=200, deadline=None)
@given(a=st.lists(st.integers(0, 10**6), max_size=80, unique=True), data=st.data())
def test_distinct_rows_give_a_longest_common_subsequence(a, data):
    # Rows unique in both images: the patience pass (longest increasing subsequence) is optimal.
    b = list(data.draw(st.permutations(a))) if data.draw(st.booleans()) else list(a)
    cut = data.draw(st.integers(0, len(b)))
    b = b[:cut] + [10**7 + i for i in range(data.draw(st.integers(0, 5)))] + b[cut:]
    matches = align(a, b)
    assert_valid(a, b, matches)
    assert sum(m.length for m in matches) == lcs_length(a, b)


def test_identical_and_empty():
    assert align([], []) == []
    assert align([1, 2, 3], [1, 2, 3]) == [Match(0, 0, 3)]
    assert align([1, 2], []) == []
    assert align([], [5]) == []


def test_blank_rows_do_not_drive_the_alignment():
    blank = 0
    a = [11, 12, 13, blank, blank, blank, blank, 14]
    b = [blank, blank, blank, blank, 11, 12, 13, 14]
    # Matching the four blank rows is as long as matching 11, 12, 13; rare rows must win.
    assert align(a, b) == [Match(0, 4, 3), Match(7, 7, 1)]


def test_rare_rows_win_over_frequent_ones_even_in_a_small_region():
    dither = [1, 2] * 40  # a dithered gradient: two rows alternating, frequent in the image
    a = [100, *dither, 101, 102, 3, 4, 5]
    b = [100, 2, *dither, 101, 102, 3, 4, 5]
    matches = align(a, b)
    assert_valid(a, b, matches)
    paired = {(m.a + k, m.b + k) for m in matches for k in range(m.length)}
    n = len(dither)
    assert {(n + 1 + k, n + 2 + k) for k in range(5)} <= paired  # 101, 102, 3, 4, 5


def test_moved_block_keeps_the_longest_consistent_order():
    a = list(range(100))
    b = a[:10] + a[60:70] + a[10:60] + a[70:]
    matches = align(a, b)
    assert_valid(a, b, matches)
    assert sum(m.length for m in matches) == 90


def test_thirty_thousand_rows_use_linear_memory():
    """Peak memory of align on 30,000 rows with scattered edits, in a fresh process (its
    maximum resident size before and after: tracemalloc made this test take 46 s)."""
    code = textwrap.dedent("""
        import random, resource, sys
        from rasterkit.linediff.align import align
        from tests.diff.test_align import assert_valid
        rng = random.Random(7)
        a = [rng.getrandbits(64) if rng.random() < 0.7 else 0 for _ in range(30_000)]
        b = list(a)
        for _ in range(40):  # scattered edits
            at = rng.randrange(len(b))
            new = [rng.getrandbits(64) for _ in range(rng.randrange(300))]
            b[at:at + rng.randrange(1, 200)] = new
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        matches = align(a, b)
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
        assert_valid(a, b, matches)
        print(grown * 1024)
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=600, cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) < 64 * 2**20  # a 30,000 x 30,000 table would be gigabytes


def test_very_different_regions_give_up_gracefully(monkeypatch):
    monkeypatch.setattr(align_module, "MYERS_MAX_COST", 3)
    rng = random.Random(3)
    a = [rng.randrange(3) for _ in range(200)]
    b = [rng.randrange(3) for _ in range(200)]
    matches = align(a, b)
    assert_valid(a, b, matches)


@pytest.mark.parametrize("n", [1, 2, 5000])
def test_all_blank_images_of_different_heights(n):
    assert align([0] * n, [0] * (n + 3)) == [Match(0, 0, n)]


@settings(max_examples=200, deadline=None)
@given(a=st.lists(st.integers(0, 6), max_size=60), b=st.lists(st.integers(0, 6), max_size=60),
       shared=st.lists(st.integers(10, 10**6), max_size=20))
def test_the_coarse_alignment_finished_is_the_alignment(a, b, shared):
    """The column stage aligns coarsely first (no Myers), then finishes: the same matches as
    aligning at once, on sequences mixing rare rows (anchors) and frequent ones (Myers)."""
    from rasterkit.linediff.align import finish

    ka = [*a[:len(a) // 2], *shared, *a[len(a) // 2:]]
    kb = [*b[:len(b) // 3], *shared, *b[len(b) // 3:]]
    coarse = align(ka, kb, coarse=True)
    assert_valid(ka, kb, coarse)
    assert finish(ka, kb, coarse) == align(ka, kb)
