"""``make demo`` from a clean clone, as a newcomer runs it (issue 16): the Makefile installs the
runtime only (the kernels compiled on the way) and every command of the demo runs.

Slow (a few minutes: a venv, the runtime dependencies from pip's cache, the compilation of the
kernels, the demo), and part of ``make test``, which CI runs on a clean clone.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow

#: The test stack: ``make demo`` must not install it.
TEST_ONLY = ("scikit-image", "diplib", "opencv-python-headless", "rasterio", "playwright",
             "pytest", "hypothesis", "numba", "llvmlite")


@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(),
                    reason="needs the git checkout")
def test_make_demo_from_a_clean_clone(tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, timeout=300)
    done = subprocess.run(["make", "demo"], cwd=clone, capture_output=True, text=True,
                          timeout=1500)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "Outputs are in" in done.stdout
    for made in ("report.html", "mask-clean.png", "skeleton.png", "mosaic.jpg", "quicklook.jpg"):
        assert (clone / "out" / "demo" / made).stat().st_size > 0, made
    _demo_pictures_show_their_command(clone / "out" / "demo")
    listed = subprocess.run([clone / ".venv" / "bin" / "python", "-m", "pip", "list",
                             "--format", "json"], capture_output=True, text=True, check=True)
    names = {p["name"].lower() for p in json.loads(listed.stdout)}
    assert "rasterkit" in names
    assert not names & set(TEST_ONLY)


def _demo_pictures_show_their_command(out):
    """Each picture shows what its command does: the area opening flattens hundreds of
    specks and keeps the lettering; the line overlay has lines missing from B (vermillion) and
    lines only B has (blue) beside the matched ones (dark grey)."""
    from rasterkit.io import load_array

    grey, opened = load_array(out / "grey.png"), load_array(out / "grey-open.png")
    lowered = opened < grey
    assert not (opened > grey).any()
    assert lowered.sum() > 1000
    assert (grey >= 150).sum() - ((grey >= 150) & lowered).sum() > 10000  # the letters stay
    overlay = load_array(out / "lines-overlay.png")[:, :, :3].reshape(-1, 3)
    counts = {name: int((overlay == rgb).all(axis=1).sum()) for name, rgb in
              {"vermillion": (213, 94, 0), "blue": (0, 114, 178),
               "matched": (60, 60, 60)}.items()}
    assert counts["vermillion"] > 500, counts
    assert counts["blue"] > 200, counts
    assert counts["matched"] > 5 * (counts["vermillion"] + counts["blue"]), counts
