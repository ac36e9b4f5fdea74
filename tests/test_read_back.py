"""Every command's output files, read back and compared with what the library computes.

A right summary over a wrong file is the worst bug we can ship: each test runs the real
command line in a subprocess under ``MALLOC_PERTURB_=165`` (glibc fills freed memory with
garbage, so a buffer freed before libvips wrote it shows every time), decodes what it wrote,
and compares it pixel for pixel with the library's own result for the same inputs (or an
oracle computed here).
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import rasterkit
from rasterkit.io import load_array
from tests.conftest import ROOT

EXAMPLES = ROOT / "examples"
PERTURBED = {**os.environ, "MALLOC_PERTURB_": "165"}


def cli(*args: object, ok: tuple[int, ...] = (0,)) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "rasterkit.cli.main", *map(str, args)],
                          capture_output=True, text=True, env=PERTURBED, timeout=600)
    assert done.returncode in ok, done.stderr
    return done


def pixels(path: Path) -> np.ndarray:
    """A written file decoded as stored, ``(H, W, bands)``."""
    return np.asarray(load_array(path))


def assert_same_pixels(path: Path, expected: np.ndarray) -> None:
    got = pixels(path)
    expected = np.asarray(expected)
    if expected.ndim == 2:
        expected = expected[:, :, None]
    assert got.shape == expected.shape, (path, got.shape, expected.shape)
    wrong = int(np.count_nonzero((got != expected).any(axis=2)))
    assert wrong == 0, f"{path.name}: {wrong} pixels differ from the library's result"


def blobs(height: int, width: int, seed: int, density: float = 0.45) -> np.ndarray:
    """A binary image of blobs of many sizes, with holes and thin parts."""
    rng = np.random.default_rng(seed)
    coarse = rng.random((height // 4 + 1, width // 4 + 1)) < density
    out = np.repeat(np.repeat(coarse, 4, 0), 4, 1)[:height, :width]
    return out ^ (rng.random((height, width)) < 0.03)


def save(array: np.ndarray, path: Path) -> Path:
    rasterkit.io.save_image(array, path)
    return path


# ------------------------------------------------------------------------------ diff


@pytest.fixture(scope="module")
def diff_result():
    return rasterkit.diff(EXAMPLES / "before.png", EXAMPLES / "after.png")


@pytest.mark.parametrize(("args", "view", "highlight"), [
    ((), "side-by-side", True),
    (("--no-highlight",), "side-by-side", False),
    (("--view", "overlay"), "overlay", True),
])
def test_diff_pictures(tmp_path, diff_result, args, view, highlight):
    from rasterkit.linediff.render import overlay, side_by_side

    out = tmp_path / "picture.png"
    cli("diff", EXAMPLES / "before.png", EXAMPLES / "after.png", "-o", out, *args, ok=(1,))
    expected = (side_by_side(diff_result, highlight=highlight) if view == "side-by-side"
                else overlay(diff_result))
    assert_same_pixels(out, expected)


def test_diff_report_tiles(tmp_path, diff_result):
    from rasterkit.linediff.render import aligned_rows
    from rasterkit.linediff.report import TILE_ROWS

    out = tmp_path / "report.html"
    cli("diff", EXAMPLES / "before.png", EXAMPLES / "after.png", "-o", out, ok=(1,))
    tiles = tmp_path / "report_files"
    height = diff_result.axis_height
    starts = range(0, height, TILE_ROWS)
    for index, y0 in enumerate(starts):
        y1 = min(y0 + TILE_ROWS, height)
        for side in "ab":
            expected = aligned_rows(diff_result, side, y0, y1, tint=False, highlight=False,
                                    gaps="transparent")
            assert_same_pixels(tiles / f"{side}-{index:04d}.png", expected)
    assert not (tiles / f"a-{len(starts):04d}.png").exists()


# ------------------------------------------------------------------------------ morphology


@pytest.fixture(scope="module")
def binary_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("binary")
    images = {"small": blobs(37, 53, 1), "medium": blobs(240, 310, 2),
              "large": blobs(900, 700, 3)}
    files = {name: save(image, folder / f"{name}.png") for name, image in images.items()}
    files["16-bit"] = save(images["medium"].astype(np.uint16) * 40000, folder / "deep.png")
    images["16-bit"] = images["medium"]
    return files, images


@pytest.mark.parametrize("size", ["small", "medium", "large", "16-bit"])
@pytest.mark.parametrize("method", ["zhang-suen", "guo-hall"])
def test_skeletonize(tmp_path, binary_files, size, method):
    files, images = binary_files
    out = tmp_path / "skeleton.png"
    cli("skeletonize", files[size], out, "--method", method)
    expected = rasterkit.morphology.skeletonize(images[size], method=method).image
    scale = 40000 if size == "16-bit" else 255
    assert_same_pixels(out, expected.astype(np.uint16 if size == "16-bit" else np.uint8)
                       * scale)


@pytest.mark.parametrize("size", ["small", "large"])
def test_remove_small_with_holes(tmp_path, binary_files, size):
    from rasterkit.morphology import fill_small_holes, remove_small_objects

    files, images = binary_files
    out = tmp_path / "clean.png"
    cli("remove-small", files[size], out, "--min-area", "30", "--holes")
    removed = remove_small_objects(images[size], 30).image
    expected = fill_small_holes(removed, 30).image
    assert_same_pixels(out, expected.astype(np.uint8) * 255)


def test_remove_small_in_strips(tmp_path, binary_files):
    from rasterkit.morphology import remove_small_objects

    files, images = binary_files
    out = tmp_path / "clean.png"
    cli("remove-small", files["large"], out, "--min-area", "30", "--strip-rows", "64")
    expected = remove_small_objects(images["large"], 30).image
    assert_same_pixels(out, expected.astype(np.uint8) * 255)


@pytest.mark.parametrize("command", ["area-open", "area-close"])
def test_area_filters(tmp_path, command):
    from rasterkit.morphology import area_closing, area_opening

    rng = np.random.default_rng(5)
    grey = (rng.random((300, 260)) * 255).astype(np.uint8)
    source = save(grey, tmp_path / "grey.png")
    out = tmp_path / "filtered.png"
    cli(command, source, out, "--min-area", "25")
    function = area_opening if command == "area-open" else area_closing
    assert_same_pixels(out, function(grey, 25).image)


# ------------------------------------------------------------------------------ compare


@pytest.fixture(scope="module")
def pair_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pair")
    a = blobs(260, 330, 7)
    b = np.roll(a, (2, -3), (0, 1))
    return save(a, folder / "a.png"), save(b, folder / "b.png"), a, b


@pytest.mark.parametrize("over_a", [False, True])
def test_compare_picture(tmp_path, pair_files, over_a):
    from rasterkit.compare import binary, delta_image

    path_a, path_b, a, b = pair_files
    out = tmp_path / "delta.png"
    cli("compare", path_a, path_b, "-o", out, *(["--over-a"] if over_a else []), ok=(1,))
    assert_same_pixels(out, delta_image(binary(a, b), backdrop=over_a))


def test_compare_lines_picture(tmp_path, pair_files):
    from rasterkit.compare import lines, overlay_image

    path_a, path_b, a, b = pair_files
    out = tmp_path / "lines.png"
    cli("compare-lines", path_a, path_b, "--skeletonize", "-o", out, ok=(1,))
    assert_same_pixels(out, overlay_image(lines(a, b, skeletonize=True)))


# ------------------------------------------------------------------------------ mosaic


def test_mosaic_palette_against_an_oracle(tmp_path):
    """Each pixel of the heart becomes the tile its colour names, cropped and resized as
    the library loads tiles; checked cell by cell."""
    import tomllib

    from rasterkit.photomosaic import load_tiles

    folder = EXAMPLES / "mosaic"
    out = tmp_path / "heart.png"
    cli("mosaic", folder / "heart.png", out, "--palette", folder / "palette.toml",
        "--tile-size", "8", "-q")
    palette = tomllib.loads((folder / "palette.toml").read_text())
    colours = list(palette)
    tiles = load_tiles([folder / palette[c] for c in colours], 8, cache=False).pixels
    heart = pixels(folder / "heart.png")
    lookup = {tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)): k for k, c in enumerate(colours)}
    expected = np.zeros((heart.shape[0] * 8, heart.shape[1] * 8, 3), np.uint8)
    for r in range(heart.shape[0]):
        for c in range(heart.shape[1]):
            expected[r * 8:(r + 1) * 8, c * 8:(c + 1) * 8] = tiles[lookup[tuple(heart[r, c])]]
    assert_same_pixels(out, expected)


def test_mosaic_cells_are_the_tiles_of_the_manifest(tmp_path):
    from rasterkit.photomosaic import load_tiles

    folder = EXAMPLES / "mosaic"
    out, manifest = tmp_path / "cat.png", tmp_path / "cat.csv"
    cli("mosaic", folder / "tiles", folder / "cat.png", out, "--tile-size", "6",
        "--manifest", manifest, "-q")
    with open(manifest, newline="") as f:
        cells = list(csv.DictReader(f))
    paths = sorted({cell["path"] for cell in cells})
    tiles = dict(zip(paths, load_tiles(paths, 6, cache=False).pixels, strict=True))
    written = pixels(out)
    assert written.shape == (64 * 6, 96 * 6, 3)
    assert len(cells) == 64 * 96
    for cell in cells:
        x, y = int(cell["x"]), int(cell["y"])
        np.testing.assert_array_equal(written[y:y + 6, x:x + 6], tiles[cell["path"]])


# ------------------------------------------------------------------------------ raster


def test_raster_split_tif_png_and_rgb(tmp_path):
    from rasterkit.raster.stretch import percentile_range, stretch_array

    cube = rasterkit.raster.open(EXAMPLES / "scene.hdr")
    tif, png = tmp_path / "tif", tmp_path / "png"
    cli("raster", "split", EXAMPLES / "scene.hdr", tif, "--format", "tif", "--bands", "0,5,23")
    cli("raster", "split", EXAMPLES / "scene.hdr", png, "--bands", "0,5,23",
        "--rgb", tmp_path / "rgb.png")
    for b in (0, 5, 23):
        band = cube.band(b, copy=True)
        assert_same_pixels(tif / f"scene_b{b:02d}.tif", band)
        lo, hi = percentile_range(band)
        assert_same_pixels(png / f"scene_b{b:02d}.png", stretch_array(band, lo, hi))
    rgb = [stretch_array(cube.band(b, copy=True), *percentile_range(cube.band(b, copy=True)))
           for b in (0, 5, 23)]
    assert_same_pixels(tmp_path / "rgb.png", np.dstack(rgb))


@pytest.mark.parametrize("interleave", ["bsq", "bil", "bip"])
def test_raster_convert(tmp_path, interleave):
    import rasterio

    out = tmp_path / f"scene-{interleave}.hdr"
    cli("raster", "convert", EXAMPLES / "scene.hdr", out, "--interleave", interleave)
    original = rasterkit.raster.open(EXAMPLES / "scene.hdr").read()
    data = out.with_suffix(".img") if out.with_suffix(".img").exists() else out.with_suffix("")
    with rasterio.open(data) as gdal:
        np.testing.assert_array_equal(gdal.read(), original)
    np.testing.assert_array_equal(rasterkit.raster.open(out).read(), original)


# ------------------------------------------------------------------------------ diff-dir


def test_diff_dir_thumbnails_and_report(tmp_path):
    import pyvips

    before, after = tmp_path / "before", tmp_path / "after"
    before.mkdir()
    after.mkdir()
    for name in ("page.png", "other.png"):
        (before / name).write_bytes((EXAMPLES / "before.png").read_bytes())
    (after / "page.png").write_bytes((EXAMPLES / "after.png").read_bytes())
    (after / "other.png").write_bytes((EXAMPLES / "after.png").read_bytes())
    review = tmp_path / "review"
    cli("diff-dir", before, after, "-o", review, "--workers", "1", "-q", ok=(1,))
    records = [json.loads(line) for line in (review / "results.jsonl").read_text().splitlines()]
    assert {r["path"] for r in records} == {"page.png", "other.png"}
    from rasterkit.batch.work import THUMB_HEIGHT, THUMB_WIDTH

    for record in records:
        thumb = review / record["thumbnail"]
        source = pyvips.Image.new_from_file(str(after / record["path"]))
        got = pixels(thumb)
        expected = source.resize(THUMB_WIDTH / source.width)  # the top of the page
        expected = expected.crop(0, 0, expected.width, min(expected.height, THUMB_HEIGHT))
        assert got.shape == (THUMB_HEIGHT, THUMB_WIDTH, 3)
        assert_same_pixels(thumb, np.asarray(expected.numpy()))
    from rasterkit.linediff.render import aligned_rows
    from rasterkit.linediff.report import folder_for

    record = next(r for r in records if r["path"] == "page.png")
    result = rasterkit.diff(before / "page.png", after / "page.png")
    first = aligned_rows(result, "a", 0, 512, tint=False, highlight=False, gaps="transparent")
    assert_same_pixels(folder_for(review / record["report"]) / "a-0000.png", first)


def test_diff_dir_previews_of_new_and_deleted_images(tmp_path):
    """The viewer's previews hold the images' own pixels: 16-bit as its top byte, and an
    image wider than PREVIEW_WIDTH scaled to it."""
    import pyvips

    from rasterkit.batch.work import PREVIEW_WIDTH

    before, after = tmp_path / "before", tmp_path / "after"
    before.mkdir()
    after.mkdir()
    rng = np.random.default_rng(19)
    deep = rng.integers(0, 65536, (50, 70, 3), dtype=np.uint16)
    pyvips.Image.new_from_array(deep).copy(interpretation="rgb16").write_to_file(
        str(after / "deep.png"))
    wide = rng.integers(0, 256, (30, PREVIEW_WIDTH + 600), dtype=np.uint8)
    pyvips.Image.new_from_array(wide).write_to_file(str(before / "wide.png"))
    review = tmp_path / "review"
    cli("diff-dir", before, after, "-o", review, "--workers", "1", "-q", ok=(1,))
    records = {r["path"]: r for r in json.loads((review / "results.json").read_text())["pairs"]}
    assert records["deep.png"]["status"] == "new"
    assert_same_pixels(review / records["deep.png"]["preview"], (deep >> 8).astype(np.uint8))
    assert records["wide.png"]["status"] == "deleted"
    expected = pyvips.Image.new_from_array(wide).resize(PREVIEW_WIDTH / wide.shape[1])
    assert expected.width == PREVIEW_WIDTH
    assert_same_pixels(review / records["wide.png"]["preview"], expected.numpy())
