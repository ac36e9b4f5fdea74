"""Streaming: outputs much larger than the memory the run may use, and 100,000 px sides."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
import pyvips

import rasterkit
from rasterkit.photomosaic import TileSet

CHILD = """
import json, sys
from pathlib import Path
import numpy as np
import rasterkit
from rasterkit.photomosaic import TileSet

rng = np.random.default_rng(0)
tiles = TileSet.from_arrays(rng.integers(0, 256, (256, 32, 32, 3), dtype=np.uint8))
main = rng.integers(0, 256, (375, 375, 3), dtype=np.uint8)

def peak():  # VmHWM: unlike ru_maxrss, not inherited from the parent across fork/exec
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmHWM:")[1].split()[0]) * 1024

rasterkit.mosaic(tiles, main[:8, :8], sys.argv[1] + ".warm.v")  # imports, kernels, libvips
before = peak()
result = rasterkit.mosaic(tiles, main, sys.argv[1])
after = peak()
print(json.dumps({"before": before, "after": after, "indices": result.indices.tolist()}))
"""


@pytest.mark.slow
def test_output_larger_than_the_memory_it_may_use(tmp_path):
    """12,000 x 12,000 RGB = 432 MB of pixels, written while the process grows < 120 MB."""
    out = tmp_path / "big.v"
    done = subprocess.run([sys.executable, "-c", CHILD, str(out)], capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    raw = 12000 * 12000 * 3
    assert out.stat().st_size >= raw
    grown = report["after"] - report["before"]
    assert grown < 120e6 < raw / 3, f"peak memory grew by {grown / 1e6:.0f} MB"
    rng = np.random.default_rng(0)
    tiles = rng.integers(0, 256, (256, 32, 32, 3), dtype=np.uint8)
    indices = np.array(report["indices"])
    image = pyvips.Image.new_from_file(str(out))
    assert (image.width, image.height, image.bands) == (12000, 12000, 3)
    for r, c in [(0, 0), (374, 374), (200, 17), (3, 371), (374, 0)] + \
            [tuple(x) for x in rng.integers(0, 375, (20, 2))]:
        block = np.ndarray(buffer=image.crop(c * 32, r * 32, 32, 32).write_to_memory(),
                           dtype=np.uint8, shape=(32, 32, 3))
        np.testing.assert_array_equal(block, tiles[indices[r, c]])


@pytest.mark.slow
def test_100000_px_side(tmp_path):
    rng = np.random.default_rng(1)
    tiles = TileSet.from_arrays(rng.integers(0, 256, (50, 32, 32, 3), dtype=np.uint8))
    main = rng.integers(0, 256, (2, 3125, 3), dtype=np.uint8)
    result = rasterkit.mosaic(tiles, main, tmp_path / "wide.tif")
    image = pyvips.Image.new_from_file(str(tmp_path / "wide.tif"))
    assert (image.width, image.height) == (100_000, 64)
    for c in (0, 1, 1562, 3124):
        block = np.ndarray(buffer=image.crop(c * 32, 32, 32, 32).write_to_memory(),
                           dtype=np.uint8, shape=(32, 32, 3))
        np.testing.assert_array_equal(block, tiles.pixels[result.indices[1, c]])
    tall = rasterkit.mosaic(tiles, main.transpose(1, 0, 2).copy(), tmp_path / "tall.png")
    assert (tall.width, tall.height) == (64, 100_000)
    image = pyvips.Image.new_from_file(str(tmp_path / "tall.png"))
    block = np.ndarray(buffer=image.crop(32, 99_968, 32, 32).write_to_memory(),
                       dtype=np.uint8, shape=(32, 32, 3))
    np.testing.assert_array_equal(block, tiles.pixels[tall.indices[3124, 1]])
