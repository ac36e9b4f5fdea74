"""The kernels are compiled ahead of time: each is an extension module, and no command loads a
just-in-time compiler (numba, llvmlite) in its process (issue 16: start-up is part of speed).
"""

from __future__ import annotations

import importlib
import importlib.machinery
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from rasterkit.io import save_image
from tests.conftest import ROOT

KERNELS = ROOT / "src" / "rasterkit" / "_kernels"
MODULES = sorted(f"rasterkit._kernels.{pyx.stem}" for pyx in KERNELS.glob("_*.pyx"))
#: Modules whose presence means a JIT was loaded.
JIT_MODULES = ("numba", "llvmlite")
EXAMPLES = ROOT / "examples"

#: Runs the command line in-process, then prints the top-level modules loaded as JSON on the
#: last line of stderr (whatever the exit status).
WRAPPER = """
import json, sys
from rasterkit.cli.main import main
try:
    status = main(sys.argv[1:])
finally:
    loaded = sorted({name.split('.')[0] for name in sys.modules})
    print(json.dumps(loaded), file=sys.stderr)
sys.exit(status)
"""


def test_every_kernel_source_is_listed():
    assert len(MODULES) == 10, MODULES


@pytest.mark.parametrize("name", MODULES)
def test_kernel_module_is_a_compiled_extension(name):
    module = importlib.import_module(name)
    assert isinstance(module.__loader__, importlib.machinery.ExtensionFileLoader), name
    assert module.__file__.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES))


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    """Small images for every command."""
    work = tmp_path_factory.mktemp("nojit")
    rng = np.random.default_rng(16)
    mask = np.repeat(np.repeat(rng.random((30, 40)) < 0.4, 4, 0), 4, 1)
    save_image(mask, work / "mask.png")
    save_image(np.roll(mask, 2, axis=1), work / "mask2.png")
    save_image((rng.random((60, 50)) * 255).astype(np.uint8), work / "grey.png")
    rgb = (rng.random((80, 60, 3)) * 255).astype(np.uint8)
    save_image(rgb, work / "a.png")
    save_image(np.concatenate([rgb[:30], rgb[40:]]), work / "b.png")
    (work / "bands").mkdir()
    return work


COMMANDS = [
    ("diff", "a.png", "b.png"),
    ("compare", "mask.png", "mask2.png"),
    ("compare-lines", "mask.png", "mask2.png", "--skeletonize"),
    ("remove-small", "mask.png", "clean.png", "--min-area", "20", "--holes"),
    ("area-open", "grey.png", "open.png", "--min-area", "5"),
    ("area-close", "grey.png", "close.png", "--min-area", "5"),
    ("skeletonize", "mask.png", "skeleton.png"),
    ("mosaic", EXAMPLES / "mosaic" / "tiles", EXAMPLES / "mosaic" / "cat.png", "cat.jpg",
     "--tile-size", "8", "--max-uses", "60", "--min-distance", "1", "-q"),
    ("raster", "info", EXAMPLES / "scene.hdr"),
    ("raster", "split", EXAMPLES / "scene.hdr", "bands", "--bands", "0,2,5", "-q"),
    ("raster", "convert", EXAMPLES / "scene.hdr", "bil.hdr", "--interleave", "bsq", "-q"),
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda args: " ".join(map(str, args[:2])))
def test_no_command_loads_a_jit(inputs, args):
    done = subprocess.run([sys.executable, "-c", WRAPPER, *map(str, args)], cwd=inputs,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode in (0, 1), done.stderr
    loaded = json.loads(done.stderr.strip().splitlines()[-1])
    assert not set(loaded) & set(JIT_MODULES), loaded
    assert "rasterkit" in loaded


def test_import_rasterkit_loads_neither_numpy_nor_pyvips():
    done = subprocess.run([sys.executable, "-c", "import sys, rasterkit; "
                           "print(sorted({'numpy', 'pyvips', *JIT} & set(sys.modules)))"
                           .replace("*JIT", ", ".join(map(repr, JIT_MODULES)))],
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
