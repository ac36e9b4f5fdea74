"""``rasterkit mosaic`` end to end: outputs, --json, --manifest, palette mode, bad inputs."""

from __future__ import annotations

import json

import numpy as np
import pytest

from rasterkit.io import load_array
from tests.support.cli import one_line_error

from .synthetic import solid, textured_tiles, write_image, write_tiles


@pytest.fixture
def files(tmp_path):
    rng = np.random.default_rng(21)
    write_tiles(tmp_path / "tiles", textured_tiles(rng, 12, 20), suffix=".jpg")
    main = write_image(tmp_path / "main.png", rng.integers(0, 256, (15, 20, 3)))
    return tmp_path, main


def test_cli_writes_and_reports_json(run_cli, files):
    folder, main = files
    done = run_cli("mosaic", folder / "tiles", main, folder / "out.jpg", "--tile-size", "8",
                   "--json", "--manifest", folder / "m.json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert list(report) == ["output", "mode", "width", "height", "columns", "rows",
                            "tile_size", "tiles", "tiles_used", "most_uses", "space",
                            "mean_distance", "max_distance", "repeat_conflicts",
                            "fallback_pixels", "skipped_tiles", "manifest", "seconds"]
    assert report["output"] == str(folder / "out.jpg")
    assert (report["width"], report["height"], report["tiles"]) == (160, 120, 12)
    assert report["mode"] == "auto"
    assert load_array(folder / "out.jpg").shape == (120, 160, 3)
    manifest = json.loads((folder / "m.json").read_text())
    assert len(manifest["grid"]) == 15
    assert len(manifest["grid"][0]) == 20
    assert sum(t["uses"] for t in manifest["tiles"]) == 300
    assert report["tiles_used"] == sum(1 for t in manifest["tiles"] if t["uses"])


def test_cli_text_and_columns(run_cli, files):
    folder, main = files
    done = run_cli("mosaic", folder / "tiles", main, folder / "out.png", "--columns", "10",
                   "--tile-size", "4", "-q")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{folder / 'out.png'}: 40 x 32 px, 10 x 8 cells of 4 px")
    assert done.stderr == ""


def test_cli_palette_without_tile_folder(run_cli, tmp_path):
    write_image(tmp_path / "red.png", solid((200, 0, 0), 5))
    write_image(tmp_path / "blue.png", solid((0, 0, 200), 5))
    (tmp_path / "p.toml").write_text('"#ff0000" = "red.png"\n"#0000ff" = "blue.png"\n')
    main = np.zeros((2, 3, 3), np.uint8)
    main[0, :, 0] = 255
    main[1, :, 2] = 255
    write_image(tmp_path / "main.png", main)
    done = run_cli("mosaic", tmp_path / "main.png", tmp_path / "out.png", "--palette",
                   tmp_path / "p.toml", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["mode"] == "palette"
    out = load_array(tmp_path / "out.png")
    assert (out[:5] == (200, 0, 0)).all()
    assert (out[5:] == (0, 0, 200)).all()
    main[1, 1] = (0, 255, 0)
    write_image(tmp_path / "main.png", main)
    one_line_error(run_cli("mosaic", tmp_path / "main.png", tmp_path / "new.png", "--palette",
                           tmp_path / "p.toml"), "#00ff00 at x=1, y=1", "--fallback nearest")
    assert not (tmp_path / "new.png").exists()


def test_cli_bad_inputs(run_cli, files, tmp_path):
    folder, main = files
    (folder / "empty").mkdir()
    (folder / "tiles" / "bad.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    out = folder / "out.jpg"
    one_line_error(run_cli("mosaic", folder / "empty", main, out), "no tile images")
    one_line_error(run_cli("mosaic", folder / "tiles", main, out), "bad.png: unreadable tile")
    one_line_error(run_cli("mosaic", folder / "tiles", main, folder / "tiles" / "o.jpg"),
                   "inside the tile folder")
    one_line_error(run_cli("mosaic", folder / "tiles", main, main), "overwrite the input")
    one_line_error(run_cli("mosaic", folder / "tiles", folder / "nope.png", out), "no such file")
    one_line_error(run_cli("mosaic", main, out), "expected TILES MAIN OUTPUT")
    one_line_error(run_cli("mosaic", folder / "tiles", main, out, "--skip-unreadable",
                           "--max-uses", "1"), "cannot cover")
    one_line_error(run_cli("mosaic", folder / "tiles", main, folder / "o.png", "--quality",
                           "80"), "--quality applies to")
    one_line_error(run_cli("mosaic", folder / "tiles", main, out, "--skip-unreadable",
                           "--quality", "500"), "between 1 and 100")
    assert not out.exists()
    done = run_cli("mosaic", folder / "tiles", main, out, "--skip-unreadable")
    assert done.returncode == 0, done.stderr
    assert "skipped 1 unreadable tile file(s)" in done.stderr
