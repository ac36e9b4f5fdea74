"""Bounded resources (issue 15): dense inputs do not take memory without bound."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasterkit.compare import points
from rasterkit.io import save_image


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 300), m=st.integers(0, 300),
       tolerance=st.floats(0, 6), block=st.integers(1, 50))
def test_near_pairs_block_by_block_are_every_near_pair(seed, n, m, tolerance, block):
    rng = np.random.default_rng(seed)
    a, b = rng.integers(0, 30, (n, 2)), rng.integers(0, 30, (m, 2))
    saved = points.CANDIDATES_PER_BLOCK
    points.CANDIDATES_PER_BLOCK = block
    try:
        ia, ib, d2 = points._near_pairs(a, b, tolerance) if n and m else ([], [], [])
    finally:
        points.CANDIDATES_PER_BLOCK = saved
    brute = {(i, j, int(((a[i] - b[j]) ** 2).sum())) for i in range(n) for j in range(m)
             if ((a[i] - b[j]) ** 2).sum() <= tolerance ** 2}
    found = list(zip(np.asarray(ia).tolist(), np.asarray(ib).tolist(),
                     np.asarray(d2).tolist(), strict=True))
    assert len(found) == len(set(found))
    assert set(found) == brute


def test_compare_lines_of_dense_random_drawings_stays_under_1_gb(tmp_path, run_cli):
    # Two 1,400 x 1,400 random binary images: about 100,000 junctions each. Matching them
    # held every candidate pair at once (4.5 GB at 2,000 x 2,000).
    rng = np.random.default_rng(7)
    for name in ("a.png", "b.png"):
        save_image((rng.random((1400, 1400)) > 0.5).astype(np.uint8) * 255, tmp_path / name)
    # VmHWM is this process's own peak; ru_maxrss would carry the forking pytest's size
    # across exec.
    script = ("import sys; from rasterkit.cli.main import main; status = main("
              "['compare-lines', 'a.png', 'b.png', '--json']); "
              "print([line.split()[1] for line in open('/proc/self/status') "
              "if line.startswith('VmHWM')][0], file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True,
                          text=True, timeout=600)
    assert '"junctions"' in done.stdout, done.stderr
    peak_kib = int(done.stderr.strip().splitlines()[-1])
    assert peak_kib < 1_000_000, f"peak {peak_kib / 1024:.0f} MiB"


@pytest.mark.slow
def test_skeletonize_of_a_240_megapixel_one_bit_png(tmp_path, run_cli):
    """The size that crashed (SIGSEGV) under the pixel limit: 16000 x 15000, 40 % ink in
    50 px blocks. The written skeleton is read back: binary, inside the ink, and as many
    pixels as the command reported."""
    import json

    import pyvips

    rng = np.random.default_rng(1)
    blocks = (rng.random((300, 320)) < 0.4).astype(np.uint8) * 255
    ink = pyvips.Image.new_from_array(blocks).resize(50, kernel="nearest")
    ink = (ink > 128).ifthenelse(255, 0).cast("uchar")
    ink.pngsave(str(tmp_path / "big.png"), bitdepth=1, compression=1)
    done = run_cli("skeletonize", "big.png", "skel.png", "--method", "guo-hall", "--json",
                   cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["width"], report["height"]) == (16000, 15000)
    skel = pyvips.Image.new_from_file(str(tmp_path / "skel.png"))
    assert (skel.width, skel.height, skel.bands) == (16000, 15000, 1)
    big = pyvips.Image.new_from_file(str(tmp_path / "big.png"))
    assert ((skel > 0) & (skel < 255)).max() == 0  # binary
    assert ((skel > 0) & (big == 0)).max() == 0  # never outside the ink
    kept = round((skel > 0).avg() / 255 * 16000 * 15000)
    assert kept == report["skeleton_pixels"] > 0
    assert round((big > 0).avg() / 255 * 16000 * 15000) == report["foreground_pixels"]
