"""rasterkit.mosaic on real files: palette exactness, automatic matching, outputs, bad inputs."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

import rasterkit
from rasterkit.errors import BadInputError, OutputError
from rasterkit.io import load_array
from rasterkit.photomosaic import TileSet

from .synthetic import solid, textured_tiles, write_image, write_tiles


def blocks(image: np.ndarray, size: int) -> np.ndarray:
    """``(rows, cols, size, size, 3)``: the output cut into tile blocks."""
    h, w = image.shape[:2]
    return image.reshape(h // size, size, w // size, size, 3).transpose(0, 2, 1, 3, 4)


@pytest.fixture
def palette_case(tmp_path):
    """A palette of 4 textured tiles (PNG, in a sub-folder) and a main image using its colours."""
    rng = np.random.default_rng(11)
    tiles = textured_tiles(rng, 4, 12)
    paths = write_tiles(tmp_path / "pal" / "tiles", tiles)
    colours = ["#000000", "#ffffff", "#ff8800", "#123456"]
    (tmp_path / "pal" / "palette.toml").write_text(
        "".join(f'"{c}" = "tiles/{p.name}"\n' for c, p in zip(colours, paths, strict=True)))
    rgb = np.array([[int(c[i:i + 2], 16) for i in (1, 3, 5)] for c in colours], np.uint8)
    labels = rng.integers(0, 4, (9, 13))
    main = write_image(tmp_path / "main.png", rgb[labels])
    return tmp_path, tiles, labels, main


def test_palette_mode_every_block_is_its_tile(palette_case):
    folder, tiles, labels, main = palette_case
    result = rasterkit.mosaic(None, main, folder / "out.png", palette=folder / "pal" /
                              "palette.toml")
    out = load_array(folder / "out.png")
    assert out.shape == (9 * 12, 13 * 12, 3)
    np.testing.assert_array_equal(blocks(out, 12), tiles[labels])
    assert result.mode == "palette"
    assert result.tile_size == 12
    assert result.fallback_pixels == 0
    assert result.mean_distance is None


def test_palette_mode_exact_in_tiled_tiff_with_odd_size(palette_case):
    folder, tiles, labels, main = palette_case
    pal = folder / "pal" / "palette.toml"
    rasterkit.mosaic(None, main, folder / "out.tif", palette=pal, tile_size=12)
    np.testing.assert_array_equal(blocks(load_array(folder / "out.tif"), 12), tiles[labels])
    # resized tiles (odd size: byte-wide lookup words) still land on their cells
    r = rasterkit.mosaic(None, main, folder / "odd.png", palette=pal, tile_size=7,
                         fit="force")
    out = blocks(load_array(folder / "odd.png"), 7)
    for k in range(4):
        cells = out[labels == k]
        assert (cells == cells[0]).all()  # every use of a colour is the same tile
    assert r.width == 13 * 7


def test_unknown_palette_colour_names_colour_and_position(palette_case):
    folder, _, labels, _ = palette_case
    rgb = load_array(folder / "main.png").copy()
    rgb[4, 7] = (1, 2, 3)
    rgb[5, 2] = (9, 9, 9)
    main = write_image(folder / "odd_main.png", rgb)
    pal = folder / "pal" / "palette.toml"
    with pytest.raises(BadInputError, match=r"#010203 at x=7, y=4 .*2 pixels in 2 colours"):
        rasterkit.mosaic(None, main, folder / "out.png", palette=pal)
    assert not (folder / "out.png").exists()
    result = rasterkit.mosaic(None, main, folder / "out.png", palette=pal, fallback="nearest",
                              manifest=folder / "m.json")
    assert result.fallback_pixels == 2
    assert result.indices[4, 7] == result.indices[labels == 0][0]  # near black: black's tile
    grid = json.loads((folder / "m.json").read_text())["grid"]
    assert grid[4][7] == result.indices[4, 7]


def test_auto_mode_picks_the_nearest_solid_tile(tmp_path):
    colours = [(0, 0, 0), (255, 255, 255), (200, 30, 30), (30, 160, 40), (40, 60, 210),
               (128, 128, 128)]
    for i, c in enumerate(colours):
        write_image(tmp_path / "tiles" / f"t{i}.png" if i else _mk(tmp_path / "tiles"),
                    solid(c, 20))
    pixels = [(20, 10, 5), (250, 245, 240), (180, 40, 50), (50, 140, 60), (60, 70, 190),
              (120, 135, 128), (230, 230, 230)]
    main = write_image(tmp_path / "main.png", np.array([pixels], np.uint8))
    result = rasterkit.mosaic(tmp_path / "tiles", main, tmp_path / "out.png", tile_size=8)
    assert result.indices.ravel().tolist() == [0, 1, 2, 3, 4, 5, 1]
    out = load_array(tmp_path / "out.png")
    for j, k in enumerate([0, 1, 2, 3, 4, 5, 1]):
        assert (out[:, j * 8:(j + 1) * 8] == colours[k]).all()


def _mk(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "t0.png"


def test_auto_mode_reuse_rules_and_manifest_csv(tmp_path):
    rng = np.random.default_rng(2)
    write_tiles(tmp_path / "tiles", textured_tiles(rng, 30, 10), suffix=".jpg")
    main = write_image(tmp_path / "main.png", np.full((8, 10, 3), 120, np.uint8))
    result = rasterkit.mosaic(tmp_path / "tiles", main, tmp_path / "out.jpg", max_uses=4,
                              min_distance=1, manifest=tmp_path / "m.csv", quality=90)
    assert np.bincount(result.indices.ravel()).max() <= 4
    assert result.repeat_conflicts == 0
    lines = (tmp_path / "m.csv").read_text().splitlines()
    assert lines[0] == "row,col,x,y,tile,path"
    assert len(lines) == 81
    row, col, x, y, tile, path = lines[1 + 13].split(",")  # row 1, col 3
    assert (row, col, x, y) == ("1", "3", "30", "10")
    assert int(tile) == result.indices[1, 3]
    assert path == result.tile_paths[int(tile)]


def test_blend_moves_block_means_to_the_target(tmp_path):
    tiles = TileSet.from_arrays(np.stack([solid((100, 100, 100), 6), solid((200, 40, 40), 6)]))
    main = np.array([[[140, 110, 90], [190, 60, 30]]], np.uint8)
    full = rasterkit.mosaic(tiles, main, tmp_path / "full.png", blend=1.0)
    out = blocks(load_array(tmp_path / "full.png"), 6)
    assert full.indices.tolist() == [[0, 1]]
    np.testing.assert_array_equal(out[0, 0], np.broadcast_to(main[0, 0], (6, 6, 3)))
    np.testing.assert_array_equal(out[0, 1], np.broadcast_to(main[0, 1], (6, 6, 3)))
    rasterkit.mosaic(tiles, main, tmp_path / "half.png", blend=0.5)
    half = blocks(load_array(tmp_path / "half.png"), 6)
    np.testing.assert_array_equal(half[0, 0, 0, 0], [120, 105, 95])


def test_tiles_alpha_grey_and_sizes(tmp_path):
    folder = tmp_path / "tiles" / "nested"
    folder.mkdir(parents=True)
    rgba = np.zeros((30, 50, 4), np.uint8)
    rgba[..., 0] = 255
    rgba[:, 25:, 3] = 255  # right half opaque red, left half transparent
    write_image(folder / "a.png", rgba)
    write_image(tmp_path / "tiles" / "g.png", np.full((40, 40), 77, np.uint8))
    (tmp_path / "tiles" / "notes.txt").write_text("not a tile")
    (tmp_path / "tiles" / ".hidden.png").write_bytes(b"junk")
    tiles = rasterkit.photomosaic.load_tiles(tmp_path / "tiles", 10)
    assert [Path(p).name for p in tiles.paths] == ["g.png", "a.png"]
    assert (tiles.pixels[0] == 77).all()
    # centre crop of a 50x30 image keeps columns 10..40: left 15 white, right 15 red
    assert (tiles.pixels[1][:, :3] == 255).all()
    assert (tiles.pixels[1][:, -2:] == [255, 0, 0]).all()  # (Lanczos rings next to the edge)
    forced = rasterkit.photomosaic.load_tiles(tmp_path / "tiles", 10, fit="force",
                                         background=(0, 0, 0))
    assert (forced.pixels[1][:, :2] == 0).all()  # squeezed: the left half is black now


def test_deepzoom_output(tmp_path):
    rng = np.random.default_rng(4)
    write_tiles(tmp_path / "tiles", textured_tiles(rng, 5, 16))
    main = write_image(tmp_path / "main.png", rng.integers(0, 256, (40, 50, 3)))
    result = rasterkit.mosaic(tmp_path / "tiles", main, tmp_path / "out.dz")
    assert result.output == str(tmp_path / "out.dzi")
    assert 'Width="800"' in (tmp_path / "out.dzi").read_text()
    assert (tmp_path / "out_files" / "0" / "0_0.jpeg").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["main.png", "out.dzi", "out_files",
                                                          "tiles"]
    rasterkit.mosaic(tmp_path / "tiles", main, tmp_path / "out.dz")  # replaces the old one


def test_lazy_image_without_output_matches_written_file(tmp_path):
    rng = np.random.default_rng(8)
    tiles = TileSet.from_arrays(textured_tiles(rng, 9, 11))
    main = rng.integers(0, 256, (7, 9, 3)).astype(np.uint8)
    lazy = rasterkit.mosaic(tiles, main)
    written = rasterkit.mosaic(tiles, main, tmp_path / "o.png")
    assert lazy.output is None
    crop = load_array(lazy.image.crop(5, 3, 40, 30))  # an unaligned region
    np.testing.assert_array_equal(crop, load_array(tmp_path / "o.png")[3:33, 5:45])
    np.testing.assert_array_equal(lazy.indices, written.indices)


# ------------------------------------------------------------------------------- bad inputs


def test_empty_tile_folder(tmp_path):
    (tmp_path / "tiles").mkdir()
    (tmp_path / "tiles" / "readme.txt").write_text("x")
    main = write_image(tmp_path / "main.png", np.zeros((2, 2, 3)))
    with pytest.raises(BadInputError, match="no tile images"):
        rasterkit.mosaic(tmp_path / "tiles", main, tmp_path / "out.png")
    with pytest.raises(BadInputError, match="no such tile folder"):
        rasterkit.mosaic(tmp_path / "nope", main, tmp_path / "out.png")


def test_unreadable_tile(tmp_path):
    rng = np.random.default_rng(0)
    write_tiles(tmp_path / "tiles", textured_tiles(rng, 3, 8))
    good = (tmp_path / "tiles" / "tile_000.png").read_bytes()
    (tmp_path / "tiles" / "broken.png").write_bytes(good[: len(good) // 2])
    (tmp_path / "tiles" / "fake.jpg").write_text("not a jpeg")
    main = write_image(tmp_path / "main.png", np.zeros((2, 2, 3)))
    with pytest.raises(BadInputError, match=r"broken\.png: unreadable tile"):
        rasterkit.mosaic(tmp_path / "tiles", main, tmp_path / "out.png")
    assert not (tmp_path / "out.png").exists()
    result = rasterkit.mosaic(tmp_path / "tiles", main, tmp_path / "out.png",
                              skip_unreadable=True)
    assert result.tiles == 3
    assert [Path(p).name for p in result.skipped_tiles] == ["broken.png", "fake.jpg"]


def test_output_in_tile_folder_or_over_an_input(tmp_path):
    rng = np.random.default_rng(0)
    write_tiles(tmp_path / "tiles", textured_tiles(rng, 3, 8))
    main = write_image(tmp_path / "main.png", np.zeros((2, 2, 3)))
    with pytest.raises(OutputError, match="inside the tile folder"):
        rasterkit.mosaic(tmp_path / "tiles", main, tmp_path / "tiles" / "o.png")
    (tmp_path / "tiles" / "sub").mkdir()
    with pytest.raises(OutputError, match="inside the tile folder"):
        rasterkit.mosaic(str(tmp_path / "tiles") + "/", main, tmp_path / "tiles" / "sub" / "o.png")
    with pytest.raises(OutputError, match="overwrite the input"):
        rasterkit.mosaic(tmp_path / "tiles", main, main)
    with pytest.raises(OutputError, match="unknown output format"):
        rasterkit.mosaic(tmp_path / "tiles", main, tmp_path / "o.csv")
    with pytest.raises(OutputError, match="limited to 65,535 px"):
        rasterkit.mosaic(tmp_path / "tiles", write_image(tmp_path / "wide.png",
                                                         np.zeros((1, 9000, 3))),
                         tmp_path / "o.jpg", tile_size=8)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["main.png", "tiles", "wide.png"]


def test_bad_palettes(tmp_path):
    main = write_image(tmp_path / "main.png", np.zeros((2, 2, 3)))
    write_image(tmp_path / "black.png", solid((0, 0, 0), 4))

    def attempt(text: str) -> None:
        (tmp_path / "p.toml").write_text(text)
        rasterkit.mosaic(None, main, tmp_path / "out.png", palette=tmp_path / "p.toml")

    with pytest.raises(BadInputError, match="not a valid TOML"):
        attempt('"#000000" = black.png')
    with pytest.raises(BadInputError, match="is not a colour"):
        attempt('"black" = "black.png"')
    with pytest.raises(BadInputError, match="given twice"):
        attempt('"#000" = "black.png"\n"#000000" = "black.png"')
    with pytest.raises(BadInputError, match="not found"):
        attempt('"#000000" = "missing.png"')
    with pytest.raises(BadInputError, match="must be a tile file path"):
        attempt('"#000000" = 3')
    with pytest.raises(BadInputError, match="empty palette"):
        attempt("")
    with pytest.raises(BadInputError, match="no such palette"):
        rasterkit.mosaic(None, main, tmp_path / "out.png", palette=tmp_path / "none.toml")
    attempt('"#000" = "black.png"')  # the short form works
    assert (tmp_path / "out.png").exists()


def test_bad_options(tmp_path):
    tiles = TileSet.from_arrays(np.zeros((2, 4, 4, 3), np.uint8))
    main = np.zeros((2, 2, 3), np.uint8)
    for kwargs, message in [({"blend": 2}, "blend"), ({"columns": 0}, "columns"),
                            ({"max_uses": 0}, "max_uses"), ({"min_distance": -1}, "min_dist"),
                            ({"space": "hsv"}, "colour space"), ({"background": "red"},
                                                                 "not a colour")]:
        with pytest.raises(BadInputError, match=message):
            rasterkit.mosaic(tiles, main, **kwargs)
    with pytest.raises(BadInputError, match=r"tile folder .* or a palette"):
        rasterkit.mosaic(None, main)


def test_tile_cache_reuses_and_notices_changes(tmp_path, monkeypatch):
    from rasterkit.photomosaic import tiles as tiles_module

    rng = np.random.default_rng(9)
    paths = write_tiles(tmp_path / "tiles", textured_tiles(rng, 4, 8))
    first = rasterkit.photomosaic.load_tiles(tmp_path / "tiles", 6, cache=tmp_path / "c")
    assert len(list((tmp_path / "c" / "tiles").glob("*.npz"))) == 1

    def no_decoding(*args, **kwargs):
        raise AssertionError("decoded although cached")

    monkeypatch.setattr(tiles_module, "_load_one", no_decoding)
    again = rasterkit.photomosaic.load_tiles(tmp_path / "tiles", 6, cache=tmp_path / "c")
    np.testing.assert_array_equal(again.pixels, first.pixels)
    assert again.paths == first.paths
    np.testing.assert_array_equal(again.mean_linear, first.mean_linear)
    monkeypatch.undo()
    write_image(paths[2], solid((1, 2, 3), 8))  # a changed file is decoded again
    stat = paths[2].stat()
    os.utime(paths[2], ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    changed = rasterkit.photomosaic.load_tiles(tmp_path / "tiles", 6, cache=tmp_path / "c")
    assert (changed.pixels[2] == (1, 2, 3)).all()
    off = rasterkit.photomosaic.load_tiles(tmp_path / "tiles", 6, cache=False)
    np.testing.assert_array_equal(off.pixels, changed.pixels)


def test_main_image_formats_are_brought_to_8_bit_srgb(tmp_path):
    import pyvips

    rng = np.random.default_rng(12)
    tiles = TileSet.from_arrays(textured_tiles(rng, 40, 4))
    rgb = rng.integers(0, 256, (6, 7, 3)).astype(np.uint8)
    expected = rasterkit.mosaic(tiles, rgb).indices
    wide = (rgb.astype(np.uint16) * 257).copy()
    image16 = pyvips.Image.new_from_memory(wide.data, 7, 6, 3, "ushort").copy(
        interpretation="rgb16")
    image16.write_to_file(str(tmp_path / "main16.png"))
    np.testing.assert_array_equal(rasterkit.mosaic(tiles, tmp_path / "main16.png").indices,
                                  expected)
    rgba = np.dstack([rgb, np.full((6, 7), 255, np.uint8)])
    rgba[2, 3, 3] = 0  # one transparent pixel: it takes the background's tile
    write_image(tmp_path / "alpha.png", rgba)
    got = rasterkit.mosaic(tiles, tmp_path / "alpha.png", background="#000000").indices
    black = rasterkit.mosaic(tiles, np.zeros((1, 1, 3), np.uint8)).indices[0, 0]
    assert got[2, 3] == black
    got[2, 3] = expected[2, 3]
    np.testing.assert_array_equal(got, expected)
