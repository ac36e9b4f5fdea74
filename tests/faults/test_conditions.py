"""Ordinary conditions are one clear line, never "this is a bug" (issue 15): read-only and
full output folders for every command, standard output on a full device, numbers out of
range, file names that look like libvips options."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import rasterkit
from rasterkit.io import load_array, save_image
from tests.support.cli import one_line_error

from .conftest import snapshot

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SCENE = EXAMPLES / "scene.hdr"
TILES = EXAMPLES / "mosaic" / "tiles"
HEART = EXAMPLES / "mosaic" / "heart.png"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("inputs")
    shutil.copy(EXAMPLES / "before.png", folder / "a.png")
    shutil.copy(EXAMPLES / "after.png", folder / "b.png")
    rng = np.random.default_rng(0)
    save_image((rng.random((300, 400)) > 0.5).astype(np.uint8) * 255, folder / "m.png")
    for side in ("left", "right"):
        (folder / side).mkdir()
        for k in range(5):  # more than a small batch: diff-dir starts its cluster
            shutil.copy(folder / ("a.png" if side == "left" else "b.png"),
                        folder / side / f"p{k}.png")
    return folder


def commands(out: Path) -> dict[str, list[str]]:
    """Every command, writing into ``out``."""
    return {
        "diff-picture": ["diff", "a.png", "b.png", "-o", f"{out}/d.png"],
        "diff-report": ["diff", "a.png", "b.png", "-o", f"{out}/d.html"],
        "remove-small": ["remove-small", "m.png", f"{out}/r.png", "--min-area", "5"],
        "area-open": ["area-open", "m.png", f"{out}/o.png", "--min-area", "5"],
        "area-close": ["area-close", "m.png", f"{out}/c.png", "--min-area", "5"],
        "skeletonize": ["skeletonize", "m.png", f"{out}/s.png"],
        "compare": ["compare", "m.png", "m.png", "-o", f"{out}/c.png"],
        "compare-lines": ["compare-lines", "m.png", "m.png", "-o", f"{out}/l.png"],
        "split": ["raster", "split", str(SCENE), f"{out}/bands"],
        "quick-look": ["raster", "split", str(SCENE), "--rgb", f"{out}/q.jpg"],
        "convert": ["raster", "convert", str(SCENE), f"{out}/c.hdr", "--interleave", "bil"],
        "mosaic": ["mosaic", str(TILES), str(HEART), f"{out}/m.png", "--tile-size", "32"],
        "deepzoom": ["mosaic", str(TILES), str(HEART), f"{out}/m.dz", "--tile-size", "32"],
        "diff-dir": ["diff-dir", "left", "right", "-o", f"{out}/review", "--workers", "2"],
    }


NAMES = list(commands(Path(".")))


@pytest.mark.parametrize("name", NAMES)
def test_read_only_output_folder(run_cli, inputs, read_only_folder, name):
    done = run_cli(*commands(read_only_folder)[name], cwd=inputs)
    one_line_error(done, str(read_only_folder), "read-only file system")


@pytest.mark.parametrize("name", NAMES)
def test_full_disk(run_cli, inputs, small_disk, name):
    disk = small_disk(16)
    (disk / "filler").write_bytes(bytes(12 * 1024))  # 4 KiB left: every output is bigger
    before = snapshot(disk)
    done = run_cli(*commands(disk)[name], cwd=inputs)
    one_line_error(done, str(disk), "disk full")
    assert snapshot(disk) == before


@pytest.mark.parametrize("args", [["diff", "a.png", "b.png"],
                                  ["diff", "a.png", "b.png", "--json"],
                                  ["raster", "info", str(SCENE), "--json"]])
def test_standard_output_on_a_full_device(inputs, args):
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "rasterkit.cli.main", *args], cwd=inputs,
                              stdout=full, stderr=subprocess.PIPE, text=True, timeout=300)
    assert done.returncode == 2
    assert done.stderr.strip() == "rasterkit: error: cannot write to standard output (disk full)"


def test_an_ignore_rectangle_past_32_bits_is_clipped(run_cli, inputs):
    wide = run_cli("diff", "a.png", "b.png", "--ignore", "0,0,5000000000,5", "--json",
                   cwd=inputs)
    plain = run_cli("diff", "a.png", "b.png", "--ignore", "0,0,1400,5", "--json", cwd=inputs)
    assert wide.returncode == plain.returncode == 1, wide.stderr
    assert wide.stdout.replace("5000000000", "1400") == plain.stdout
    far = run_cli("diff", "a.png", "b.png", "--ignore", "9000000000,0,5,5", "--json",
                  cwd=inputs)
    assert far.returncode == 1, far.stderr


def test_compare_lines_tolerance_beyond_the_image_is_the_image_diagonal(inputs):
    huge = rasterkit.compare.lines(inputs / "m.png", inputs / "m.png", tolerance=1e300)
    diagonal = rasterkit.compare.lines(inputs / "m.png", inputs / "m.png", tolerance=500,
                                       sigma=400)
    assert huge.sigma == 400
    assert (huge.recall, huge.precision, huge.endpoints, huge.junctions) == \
        (diagonal.recall, diagonal.precision, diagonal.endpoints, diagonal.junctions)


def test_compare_lines_sigma_wider_than_the_image(run_cli, inputs):
    done = run_cli("compare-lines", "m.png", "m.png", "--sigma", "1e300", cwd=inputs)
    one_line_error(done, "sigma", "wider than the images", "at most 400")


@pytest.mark.parametrize("name", ["x.png[page=1]", "y[0].png", "[z].png"])
def test_file_names_are_not_libvips_options(run_cli, tmp_path, inputs, name):
    shutil.copy(inputs / "m.png", tmp_path / name)
    out = "skeleton[1].png"
    done = run_cli("skeletonize", name, out, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    expected = rasterkit.morphology.skeletonize(load_array(inputs / "m.png")[:, :, 0] > 0).image
    assert np.array_equal(load_array(tmp_path / out)[:, :, 0] > 0, expected)
    done = run_cli("diff", name, inputs / "m.png", cwd=tmp_path)
    assert done.returncode == 0, done.stderr


def test_a_scheduler_that_is_not_an_address(run_cli, inputs):
    done = run_cli("diff-dir", "left", "right", "--scheduler", "not a url", cwd=inputs)
    one_line_error(done, "not a url", "cannot reach the Dask scheduler")


def test_a_palette_tile_name_too_long_for_the_file_system(run_cli, tmp_path, inputs):
    (tmp_path / "p.toml").write_text(f'"#000000" = "{"x" * 300}.png"\n')
    done = run_cli("mosaic", inputs / "m.png", "o.png", "--palette", "p.toml", cwd=tmp_path)
    one_line_error(done, "p.toml", "file name too long")
    assert not (tmp_path / "o.png").exists()


@pytest.mark.parametrize(("args", "needles"), [
    (["--columns", "100000", "--tile-size", "64"], ["100,000 columns", "--max-pixels"]),
    (["--columns", "3000", "--tile-size", "64"], ["30.7 Gpx", "--max-output-pixels"]),
    (["--columns", "3000"], ["17.3 Gpx", "--max-output-pixels"]),
    (["--columns", "200", "--tile-size", "64", "--max-output-pixels", "50M"],
     ["0.1 Gpx", "output limit of 0.1 Gpx"]),
])
def test_a_mosaic_past_its_output_limit_is_refused_before_work(run_cli, tmp_path, args,
                                                                needles):
    done = run_cli("mosaic", TILES, HEART, "o.png", *args, cwd=tmp_path)
    one_line_error(done, *needles)
    assert snapshot(tmp_path) == {}


def test_a_mosaic_at_its_output_limit_is_made(run_cli, tmp_path):
    # heart.png is 24 x 20: at 8 px a tile, 192 x 160 = 30,720 px.
    done = run_cli("mosaic", TILES, HEART, "o.png", "--tile-size", "8",
                   "--max-output-pixels", "30720", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert load_array(tmp_path / "o.png").shape == (160, 192, 3)


def write_pages(path: Path, frames: list[np.ndarray]) -> None:
    import pyvips

    height = frames[0].shape[0]
    joined = pyvips.Image.arrayjoin([pyvips.Image.new_from_array(f) for f in frames],
                                    across=1).copy(interpretation="b-w")
    joined.set_type(pyvips.GValue.gint_type, "page-height", height)
    joined.write_to_file(str(path))


def three_frames() -> list[np.ndarray]:
    rng = np.random.default_rng(3)
    frames = []
    for k in range(3):  # each frame its own blobs
        frame = np.zeros((40, 50), np.uint8)
        for _ in range(4 + 3 * k):
            y, x = rng.integers(0, 34), rng.integers(0, 44)
            frame[y:y + rng.integers(2, 6), x:x + rng.integers(2, 6)] = 255
        frames.append(frame)
    return frames


@pytest.mark.parametrize("name", ["anim.gif", "pages.tif", "pages.webp"])
@pytest.mark.parametrize("command", [["diff", "{0}", "{0}"],
                                     ["remove-small", "{0}", "o.png", "--min-area", "3"],
                                     ["skeletonize", "{0}", "o.png"],
                                     ["compare", "{0}", "{0}"]])
def test_multi_frame_inputs_are_refused_without_a_page(run_cli, tmp_path, name, command):
    write_pages(tmp_path / name, three_frames())
    before = snapshot(tmp_path)
    done = run_cli(*[part.format(name) for part in command], cwd=tmp_path)
    one_line_error(done, name, "3 pages or frames", "--page N (0 to 2)")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("name", ["anim.gif", "pages.tif"])
@pytest.mark.parametrize("page", [0, 1, 2])
def test_page_chooses_the_frame(run_cli, tmp_path, name, page):
    frames = three_frames()
    write_pages(tmp_path / name, frames)
    done = run_cli("remove-small", name, "o.png", "--min-area", "10", "--page", str(page),
                   cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    expected = rasterkit.morphology.remove_small_objects(frames[page] > 0, 10).image
    assert np.array_equal(load_array(tmp_path / "o.png")[:, :, 0] > 0, expected)
    save_image(frames[page], tmp_path / "frame.png")
    done = run_cli("diff", name, "frame.png", "--page", str(page), cwd=tmp_path)
    assert done.returncode == 0, done.stderr  # identical to that frame
    other = (page + 1) % 3
    done = run_cli("diff", name, "frame.png", "--page", str(other), cwd=tmp_path)
    assert done.returncode == 1, done.stderr


@pytest.mark.parametrize(("file", "page", "needles"), [
    ("anim.gif", "3", ["has 3 pages", "0 to 2, not 3"]),
    ("single.png", "1", ["has 1 page", "0 to 0, not 1"]),
    ("single.png", "-1", ["--page must be 0 or more"]),
])
def test_a_page_that_is_not_there(run_cli, tmp_path, file, page, needles):
    write_pages(tmp_path / "anim.gif", three_frames())
    save_image(three_frames()[0], tmp_path / "single.png")
    done = run_cli("skeletonize", file, "o.png", "--page", page, cwd=tmp_path)
    one_line_error(done, *needles)
    assert not (tmp_path / "o.png").exists()


def envi_header(extra: list[str]) -> str:
    return "\n".join(["ENVI", "samples = 2", "lines = 2", "bands = 1", "data type = 1",
                      "interleave = bsq", *extra]) + "\n"


def test_a_header_too_large_to_be_one_is_refused_unread(run_cli, tmp_path):
    (tmp_path / "h.hdr").write_text(envi_header(["description = {" + "x" * (17 << 20) + "}"]))
    (tmp_path / "h.img").write_bytes(bytes(4))
    done = run_cli("raster", "info", "h.hdr", cwd=tmp_path)
    one_line_error(done, "h.hdr", "too large for an ENVI header")


def test_reading_a_header_looks_each_key_up_a_bounded_number_of_times(tmp_path, monkeypatch):
    # Linear, not quadratic: every key of a 20,000-key header is normalised a few times, not
    # once per other key (a million keys took minutes).
    from rasterkit.raster import header as module
    from rasterkit.raster.info import RasterInfo

    n = 20_000
    (tmp_path / "h.hdr").write_text(envi_header([f"key {k} = {k}" for k in range(n)]))
    (tmp_path / "h.img").write_bytes(bytes(4))
    calls = [0]
    normalise = module.normalize_key

    def counted(key: str) -> str:
        calls[0] += 1
        return normalise(key)

    monkeypatch.setattr(module, "normalize_key", counted)
    cube = rasterkit.raster.open(tmp_path / "h.hdr")
    info = RasterInfo.from_cube(cube)
    assert info is not None
    assert cube.header.get("key 19999") == "19999"
    assert calls[0] < 10 * n


@pytest.mark.parametrize("view", ["side-by-side", "overlay"])
@pytest.mark.parametrize("shapes", [((1, 1), (1, 1)), ((3, 2), (1, 1)), ((1, 1), (3, 2))])
def test_pictures_of_tiny_images(run_cli, tmp_path, view, shapes):
    # A 1-pixel-wide image left no room for its name in the picture's header: a crash.
    for name, shape in zip(("a.png", "b.png"), shapes, strict=True):
        save_image(np.zeros(shape, np.uint8), tmp_path / name)
    done = run_cli("diff", "a.png", "b.png", "-o", "d.png", "--view", view, cwd=tmp_path)
    assert done.returncode == (0 if shapes[0] == shapes[1] else 1), done.stderr
    picture = load_array(tmp_path / "d.png")
    assert picture.shape[0] >= max(shapes[0][0], shapes[1][0])


def test_more_workers_than_pairs_start_quietly(run_cli, inputs):
    done = run_cli("diff-dir", "left", "right", "--workers", "64", "--json", cwd=inputs)
    assert done.returncode == 1, done.stderr
    assert done.stderr == ""
    assert len(json.loads(done.stdout)["pairs"]) == 5


@pytest.mark.parametrize("command", [["diff-dir", "{long}", "right"],
                                     ["diff", "{long}/a.png", "a.png"],
                                     ["skeletonize", "{long}/a.png", "o.png"]])
def test_a_path_longer_than_the_system_takes(run_cli, inputs, command):
    long = "/".join(["d" * 200] * 22)  # 4,421 bytes: over PATH_MAX
    done = run_cli(*[part.format(long=long) for part in command], cwd=inputs)
    line = one_line_error(done, "file name too long")
    assert len(line) < 200


def test_a_symbolic_link_loop_in_a_folder_is_walked_once(run_cli, tmp_path, inputs):
    for side in ("left", "right"):
        shutil.copytree(inputs / side, tmp_path / side)
        (tmp_path / side / "loop").mkdir()
        (tmp_path / side / "loop" / "up").symlink_to("..")
    done = run_cli("diff-dir", "left", "right", "--json", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    paths = sorted(p["path"] for p in json.loads(done.stdout)["pairs"])
    assert paths == [f"p{k}.png" for k in range(5)]


@pytest.mark.parametrize(("args", "needle"), [
    (["remove-small", "m.png", "o.png", "--min-area", "1e30"], "--min-area"),
    (["remove-small", "m.png", "o.png", "--min-area", "5", "--max-area", "1e23"], "--max-area"),
    (["area-open", "m.png", "o.png", "--min-area", "1e30"], "--min-area"),
    (["skeletonize", "m.png", "o.png", "--max-iterations", "1e23"], "--max-iterations"),
    (["raster", "split", str(SCENE), "o", "--bands", "0:1e20"], "--bands"),
    (["diff", "a.png", "b.png", "--max-pixels", "inf"], "--max-pixels"),
    (["compare-lines", "m.png", "m.png", "--tolerance", "inf"], "--tolerance"),
    (["diff", "a.png", "b.png", "--threshold", "1e300"], "threshold"),
    (["mosaic", str(TILES), str(HEART), "o.png", "--tile-size", "1e9"], "--tile-size"),
])
def test_numbers_out_of_range_are_one_line(run_cli, inputs, args, needle):
    before = snapshot(inputs)
    done = run_cli(*args, cwd=inputs)
    one_line_error(done, needle)
    assert snapshot(inputs) == before


def test_a_bad_wavelength_list_writes_no_band(run_cli, tmp_path):
    (tmp_path / "w.hdr").write_text("ENVI\nsamples = 4\nlines = 3\nbands = 2\ndata type = 1\n"
                                    "interleave = bsq\nwavelength = {400, abc}\n")
    (tmp_path / "w.img").write_bytes(bytes(range(24)))
    done = run_cli("raster", "split", "w.hdr", "out", cwd=tmp_path)
    one_line_error(done, "w.hdr", "wavelength")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.hdr", "w.img"]


def _gif(screen: int, frame: int) -> bytes:
    """A 35-byte GIF: a ``screen`` x ``screen`` canvas holding one ``frame`` x ``frame`` image
    whose LZW data stops after one pixel (what a decompression bomb declares)."""
    import struct

    head = b"GIF89a" + struct.pack("<HHBBB", screen, screen, 0x80, 0, 0) + b"\0\0\0\xff\xff\xff"
    image = b"," + struct.pack("<HHHHB", 0, 0, frame, frame, 0)
    # minimum code size 2; codes clear (4), 0, end (5), three bits each, LSB first
    return head + image + b"\x02\x02\x04\x0a\x00;"


@pytest.mark.parametrize("side", [20000, 65535])
@pytest.mark.parametrize("command", ["diff", "remove-small", "compare"])
def test_a_gif_bomb_is_refused_before_decoding(run_cli, tmp_path, side, command):
    bomb = tmp_path / "bomb.gif"
    bomb.write_bytes(_gif(side, side))
    before = snapshot(tmp_path)
    out = {"diff": ["-o", "out.html"], "remove-small": ["out.png", "--min-area", "5"],
           "compare": ["-o", "out.png"]}[command]
    second = [] if command == "remove-small" else ["bomb.gif"]
    done = run_cli(command, "bomb.gif", *second, *out, cwd=tmp_path)
    one_line_error(done, "bomb.gif", f"{side} x {side}", "exceeds the pixel limit")
    assert snapshot(tmp_path) == before


def test_a_gif_canvas_larger_than_its_image_is_the_image(run_cli, tmp_path):
    """libvips reads a canvas of 65535 x 65535 around a 1 x 1 image as 1 x 1: nothing to
    refuse, and nothing large is allocated."""
    (tmp_path / "a.gif").write_bytes(_gif(65535, 1))
    done = run_cli("diff", "a.gif", "a.gif", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["a"]["height"] == 1


def test_mosaic_main_image_page(run_cli, tmp_path):
    """mosaic refuses an animated main image without --page; with it, the mosaic is the one of
    that frame saved alone (the tile choice and every output pixel)."""
    write_pages(tmp_path / "anim.gif", three_frames())
    (tmp_path / "tiles").mkdir()
    for name, value in (("black", 0), ("grey", 128), ("white", 255)):
        save_image(np.full((8, 8, 3), value, np.uint8), tmp_path / "tiles" / f"{name}.png")
    before = snapshot(tmp_path)
    done = run_cli("mosaic", "tiles", "anim.gif", "m.png", "--tile-size", "4", cwd=tmp_path)
    one_line_error(done, "anim.gif", "3 pages or frames", "--page N (0 to 2)")
    assert snapshot(tmp_path) == before
    for page, frame in enumerate(three_frames()):
        save_image(frame, tmp_path / f"frame{page}.png")
        for main, out, extra in ((f"frame{page}.png", "alone.png", []),
                                 ("anim.gif", "paged.png", ["--page", str(page)])):
            done = run_cli("mosaic", "tiles", main, out, "--tile-size", "4", *extra,
                           cwd=tmp_path)
            assert done.returncode == 0, done.stderr
        paged = load_array(tmp_path / "paged.png")
        assert paged.shape == (160, 200, 3)
        assert np.array_equal(paged, load_array(tmp_path / "alone.png"))
        assert np.array_equal(paged[::4, ::4, 0], frame)  # black and white tiles, cell by cell


def test_an_animated_tile_is_refused_or_skipped(run_cli, tmp_path):
    (tmp_path / "tiles").mkdir()
    for name, value in (("black", 0), ("white", 255)):
        save_image(np.full((8, 8, 3), value, np.uint8), tmp_path / "tiles" / f"{name}.png")
    save_image(three_frames()[0], tmp_path / "main.png")
    done = run_cli("mosaic", "tiles", "main.png", "plain.png", "--tile-size", "4",
                   "--no-tile-cache", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    write_pages(tmp_path / "tiles" / "anim.gif", three_frames())
    before = snapshot(tmp_path)
    done = run_cli("mosaic", "tiles", "main.png", "m.png", "--tile-size", "4",
                   "--no-tile-cache", cwd=tmp_path)
    one_line_error(done, "anim.gif", "(3 frames) is not a tile", "--skip-unreadable")
    assert snapshot(tmp_path) == before
    done = run_cli("mosaic", "tiles", "main.png", "m.png", "--tile-size", "4",
                   "--no-tile-cache", "--skip-unreadable", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "skipped 1 unreadable tile file(s), first: " in done.stderr
    assert np.array_equal(load_array(tmp_path / "m.png"), load_array(tmp_path / "plain.png"))


@pytest.mark.parametrize("out", [".", "..", "", "sub/", "{tmp}"])
def test_raster_convert_to_a_folder_name(run_cli, tmp_path, out):
    shutil.copy(SCENE, tmp_path / "scene.hdr")
    shutil.copy(SCENE.with_suffix(".img"), tmp_path / "scene.img")
    before = snapshot(tmp_path)
    out = out.format(tmp=tmp_path)
    done = run_cli("raster", "convert", "scene.hdr", out, "--interleave", "bsq", cwd=tmp_path)
    one_line_error(done, "is a folder; give a file name")
    assert snapshot(tmp_path) == before


def test_a_cube_of_a_trillion_samples(run_cli, tmp_path):
    """A header declaring 10^12 samples over a sparse file of that size: info reports it,
    pictures of it are refused before any work."""
    (tmp_path / "big.hdr").write_text("ENVI\nsamples = 1000000000000\nlines = 1\nbands = 1\n"
                                      "data type = 1\ninterleave = bsq\n")
    with open(tmp_path / "big.img", "wb") as data:
        data.truncate(10**12)
    header = (tmp_path / "big.hdr").read_bytes()
    done = run_cli("raster", "info", "big.hdr", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "1 rows x 1000000000000 columns" in done.stdout
    done = run_cli("raster", "split", "big.hdr", "bands", cwd=tmp_path)
    one_line_error(done, "big.hdr", "larger than pictures can be", "raster convert")
    # the sparse data file is not hashed (a terabyte of zeros to read): names, size, header
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.hdr", "big.img"]
    assert (tmp_path / "big.img").stat().st_size == 10**12
    assert (tmp_path / "big.hdr").read_bytes() == header
