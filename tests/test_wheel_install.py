"""The built wheel, installed alone with its runtime dependencies into a fresh venv, runs every
command on the bundled examples (no test extra, no source tree on the path).

What a plain ``pip install rasterkit`` gives a user: a missing runtime dependency (``distributed``
for ``diff-dir``'s worker processes was one) shows here and nowhere else, because the
development venv holds the test extra too.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import numpy as np
import pytest

from rasterkit.io import save_image
from tests.conftest import ROOT

pytestmark = pytest.mark.slow

EXAMPLES = ROOT / "examples"
#: Imported by tests and benchmarks only; a plain install must not pull them in.
TEST_ONLY = ("scikit-image", "diplib", "opencv-python-headless", "rasterio", "playwright",
             "pytest", "hypothesis", "spectral", "numba", "llvmlite")


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv holding the wheel built from this tree and its runtime dependencies."""
    root = tmp_path_factory.mktemp("wheel")
    dist = root / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", dist,
                    ROOT], check=True, capture_output=True, timeout=1200)
    wheels = list(dist.glob("rasterkit-*.whl"))
    assert len(wheels) == 1, wheels
    env = root / "venv"
    venv.EnvBuilder(with_pip=True).create(env)
    python = env / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "--quiet", wheels[0]], check=True,
                   capture_output=True, timeout=1200)
    return env


def run(env: Path, *args: object, cwd: Path, ok: tuple[int, ...] = (0,)
        ) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([env / "bin" / "rasterkit", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode in ok, f"rasterkit {args[0]}: {done.stderr}"
    assert "Traceback" not in done.stderr
    return done


def test_only_runtime_dependencies_are_installed(installed):
    done = subprocess.run([installed / "bin" / "python", "-m", "pip", "list", "--format",
                           "json"], capture_output=True, text=True, check=True)
    names = {p["name"].lower() for p in json.loads(done.stdout)}
    assert "rasterkit" in names
    assert not names & set(TEST_ONLY)


def test_the_wheel_is_typed_and_runs_as_a_module(installed, tmp_path):
    """PEP 561's marker ships (type checkers read the annotations), and ``python -m
    rasterkit`` is the command line."""
    python = installed / "bin" / "python"
    where = subprocess.run([python, "-c", "import rasterkit, pathlib; print(pathlib.Path("
                            "rasterkit.__file__).parent)"], capture_output=True, text=True,
                           check=True, cwd=tmp_path).stdout.strip()
    assert (Path(where) / "py.typed").is_file()
    done = subprocess.run([python, "-m", "rasterkit", "--version"], capture_output=True,
                          text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("rasterkit ")


def test_every_command_runs_from_the_wheel(installed, tmp_path):
    work = tmp_path
    for name in ("before.png", "after.png", "scene.hdr", "scene.img"):
        shutil.copy(EXAMPLES / name, work / name)
    shutil.copytree(EXAMPLES / "mosaic", work / "mosaic")
    rng = np.random.default_rng(3)
    mask = np.repeat(np.repeat(rng.random((40, 50)) < 0.4, 4, 0), 4, 1)
    save_image(mask, work / "mask.png")
    save_image(np.roll(mask, 2, axis=1), work / "mask2.png")
    save_image((rng.random((120, 90)) * 255).astype(np.uint8), work / "grey.png")

    assert "3 hunks" in run(installed, "diff", "before.png", "after.png", cwd=work,
                            ok=(1,)).stdout
    data = json.loads(run(installed, "diff", "before.png", "after.png", "--json",
                          "-o", "sbs.png", "-o", "report.html", cwd=work, ok=(1,)).stdout)
    assert [h["kind"] for h in data["hunks"]] == ["removed", "added", "changed"]
    assert (work / "sbs.png").stat().st_size > 0
    assert (work / "report_files").is_dir()

    for side, source in (("a", "before.png"), ("b", "after.png")):
        (work / side).mkdir()
        for k in range(5):  # more than three pairs: a cluster of worker processes starts
            shutil.copy(work / source, work / side / f"page{k}.png")
    done = run(installed, "diff-dir", "a", "b", "-o", "review", "--json", cwd=work, ok=(1,))
    review = json.loads(done.stdout)
    assert review["complete"] is True
    assert [p["status"] for p in review["pairs"]] == ["changed"] * 5
    assert (work / "review" / "index.html").exists()

    run(installed, "remove-small", "mask.png", "clean.png", "--min-area", "40", "--holes",
        cwd=work)
    run(installed, "area-open", "grey.png", "open.png", "--min-area", "9", cwd=work)
    run(installed, "area-close", "grey.png", "close.png", "--min-area", "9", cwd=work)
    run(installed, "skeletonize", "mask.png", "skeleton.png", cwd=work)
    run(installed, "compare", "mask.png", "mask2.png", "-o", "delta.png", cwd=work, ok=(1,))
    run(installed, "compare-lines", "skeleton.png", "mask2.png", "--skeletonize", "-o",
        "lines.png", cwd=work, ok=(1,))
    run(installed, "mosaic", "mosaic/tiles", "mosaic/cat.png", "cat.jpg", "--tile-size", "8",
        "-q", cwd=work)
    run(installed, "mosaic", "mosaic/heart.png", "heart.png", "--palette",
        "mosaic/palette.toml", "-q", cwd=work)
    assert "24 bands" in run(installed, "raster", "info", "scene.hdr", cwd=work).stdout
    run(installed, "raster", "split", "scene.hdr", "bands", "--bands", "0:3", cwd=work)
    run(installed, "raster", "convert", "scene.hdr", "bsq.hdr", "--interleave", "bsq",
        cwd=work)
    for made in ("clean.png", "open.png", "close.png", "skeleton.png", "delta.png",
                 "lines.png", "cat.jpg", "heart.png", "bsq.hdr", "bands/scene_b00.png"):
        assert (work / made).stat().st_size > 0, made


def test_kernels_in_the_wheel_are_compiled_extensions(installed, tmp_path):
    code = ("import importlib, importlib.machinery as m, pathlib, rasterkit._kernels as k; "
            "names = sorted(p.name.split('.')[0] for p in pathlib.Path(k.__path__[0])"
            ".iterdir() if p.name.startswith('_') and p.suffix == '.so'); "
            "print(len(names), all(isinstance(importlib.import_module('rasterkit._kernels.' + n)"
            ".__loader__, m.ExtensionFileLoader) for n in names))")
    done = subprocess.run([installed / "bin" / "python", "-c", code], cwd=tmp_path,
                          capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["10", "True"]
