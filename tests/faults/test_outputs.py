"""Outputs never replace an input or an unrelated file, never land outside the output folder,
and a write that fails leaves nothing behind (issue 15, first group)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from rasterkit.io import load_array, save_image
from tests.support.cli import one_line_error

from .conftest import snapshot

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def pair(tmp_path):
    a = np.full((60, 40, 3), 255, np.uint8)
    b = a.copy()
    b[20:30] = 0
    mask = np.zeros((60, 40), np.uint8)
    mask[:5] = 255
    for name, array in (("a.png", a), ("b.png", b), ("m.png", mask)):
        save_image(array, tmp_path / name)
    return tmp_path


@pytest.mark.parametrize("flag", ["--mask", "--mask-a", "--mask-b"])
@pytest.mark.parametrize("output", ["m.png", "./m.png"])
def test_diff_never_writes_over_its_mask(run_cli, pair, flag, output):
    before = snapshot(pair)
    done = run_cli("diff", "a.png", "b.png", flag, "m.png", "-o", output, cwd=pair)
    one_line_error(done, "m.png", "overwrite the input")
    assert snapshot(pair) == before


def test_diff_report_never_writes_over_its_mask(run_cli, pair):
    (pair / "r_files").mkdir()
    shutil.copy(pair / "m.png", pair / "r_files" / "m.png")
    before = snapshot(pair)
    done = run_cli("diff", "a.png", "b.png", "--mask", "r_files/m.png", "-o", "r.html",
                   cwd=pair)
    one_line_error(done, "r_files")
    assert snapshot(pair) == before


@pytest.fixture
def tiles(tmp_path):
    folder = tmp_path / "tiles"
    folder.mkdir()
    for k, colour in enumerate([(0, 0, 0), (255, 255, 255), (200, 30, 30)]):
        save_image(np.full((8, 8, 3), colour, np.uint8), folder / f"t{k}.png")
    main = np.zeros((6, 5, 3), np.uint8)
    main[::2] = 255
    save_image(main, tmp_path / "main.png")
    return tmp_path


def test_deepzoom_never_replaces_a_users_folder(run_cli, tiles):
    (tiles / "out_files").mkdir()
    (tiles / "out_files" / "notes.txt").write_text("mine")
    before = snapshot(tiles)
    done = run_cli("mosaic", "tiles", "main.png", "out.dz", "--tile-size", "8", cwd=tiles)
    one_line_error(done, "out_files", "not made by rasterkit")
    assert snapshot(tiles) == before


def test_deepzoom_replaces_its_own_pyramid(run_cli, tiles):
    for _ in range(2):
        done = run_cli("mosaic", "tiles", "main.png", "out.dz", "--tile-size", "8", cwd=tiles)
        assert done.returncode == 0, done.stderr
    levels = sorted(p.name for p in (tiles / "out_files").iterdir())
    assert levels[0] == ".rasterkit-deepzoom"
    assert all(name.isdigit() or name == "vips-properties.xml" for name in levels[1:])
    top = max((name for name in levels if name.isdigit()), key=int)
    assert load_array(tiles / "out_files" / top / "0_0.jpeg").shape[:2] == (48, 40)


def test_deepzoom_descriptor_never_replaces_the_main_image(run_cli, tiles):
    shutil.copy(tiles / "main.png", tiles / "out.dzi")
    before = snapshot(tiles)
    done = run_cli("mosaic", "tiles", "out.dzi", "out.dz", "--tile-size", "8", cwd=tiles)
    one_line_error(done, "out.dzi", "overwrite the input")
    assert snapshot(tiles) == before


@pytest.mark.parametrize("where", ["main", "tiles", "palette"])
def test_deepzoom_tile_folder_never_holds_an_input(run_cli, tiles, where):
    done = run_cli("mosaic", "tiles", "main.png", "out.dz", "--tile-size", "8", cwd=tiles)
    assert done.returncode == 0, done.stderr
    inside = tiles / "out_files"
    shutil.copy(tiles / "main.png", inside / "main.png")
    shutil.copytree(tiles / "tiles", inside / "tiles")
    (tiles / "p.toml").write_text('"#000000" = "out_files/tiles/t0.png"\n'
                                  '"#ffffff" = "out_files/tiles/t1.png"\n')
    args = {"main": ["tiles", "out_files/main.png", "out.dz"],
            "tiles": ["out_files/tiles", "main.png", "out.dz"],
            "palette": ["main.png", "out.dz", "--palette", "p.toml"]}[where]
    before = snapshot(tiles)
    done = run_cli("mosaic", *args, "--tile-size", "8", cwd=tiles)
    one_line_error(done, "out_files")
    assert snapshot(tiles) == before


@pytest.mark.parametrize("manifest", ["o.dzi", "o_files/m.json"])
def test_the_manifest_never_takes_a_deepzoom_name(run_cli, tiles, manifest):
    done = run_cli("mosaic", "tiles", "main.png", "o.dz", "--tile-size", "8", cwd=tiles)
    assert done.returncode == 0, done.stderr
    before = snapshot(tiles)
    done = run_cli("mosaic", "tiles", "main.png", "o.dz", "--tile-size", "8", "--manifest",
                   manifest, cwd=tiles)
    one_line_error(done, manifest.split("/")[0])
    assert snapshot(tiles) == before


def test_the_manifest_never_replaces_a_palette_tile(run_cli, tiles):
    # libvips reads a CSV matrix as an image: a palette tile may be a .csv file.
    np.savetxt(tiles / "grey.csv", np.full((8, 8), 128), fmt="%d")
    (tiles / "p.toml").write_text('"#808080" = "grey.csv"\n"#000000" = "tiles/t0.png"\n')
    before = snapshot(tiles)
    done = run_cli("mosaic", "main.png", "o.png", "--palette", "p.toml", "--tile-size", "8",
                   "--manifest", "grey.csv", cwd=tiles)
    one_line_error(done, "grey.csv", "overwrite the input")
    assert snapshot(tiles) == before


@pytest.mark.parametrize("prefix", ["../escape", "/tmp/rasterkit-escape", "..", "a/b", ""])
def test_split_prefix_is_a_name_not_a_path(run_cli, tmp_path, prefix):
    before = snapshot(tmp_path)
    done = run_cli("raster", "split", EXAMPLES / "scene.hdr", "out", "--prefix", prefix,
                   "--bands", "0", cwd=tmp_path)
    one_line_error(done, "--prefix")
    assert snapshot(tmp_path) == before
    assert not Path("/tmp/rasterkit-escape_b00.png").exists()


def test_split_prefix_too_long_for_a_file_name(run_cli, tmp_path):
    done = run_cli("raster", "split", EXAMPLES / "scene.hdr", "out", "--prefix", "x" * 250,
                   cwd=tmp_path)
    one_line_error(done, "too long")
    assert snapshot(tmp_path) == {}


@pytest.mark.parametrize(("name", "free"), [("ql.jpg", 4), ("ql.png", 4), ("ql.tif", 4),
                                            ("ql.webp", 0)])
def test_quick_look_on_a_full_disk_fails_and_leaves_nothing(run_cli, small_disk, name, free):
    # The quick-look (160 x 120 RGB) does not fit in ``free`` KiB: the write fails part way
    # (or at once), and must not leave a truncated file with exit status 0.
    disk = small_disk(16)
    (disk / "filler").write_bytes(bytes((16 - free) * 1024))
    before = snapshot(disk)
    done = run_cli("raster", "split", EXAMPLES / "scene.hdr", "--rgb", disk / name)
    one_line_error(done, name, "disk full")
    assert snapshot(disk) == before


def test_bands_on_a_full_disk_leave_nothing(run_cli, small_disk):
    disk = small_disk(64)
    done = run_cli("raster", "split", EXAMPLES / "scene.hdr", disk / "bands", "--format",
                   "tif")
    one_line_error(done, "disk full")
    assert snapshot(disk) == {}
