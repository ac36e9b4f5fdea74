"""``rasterkit compare`` / ``compare-lines`` / ``skeletonize`` end to end, and bad inputs."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from skimage.filters import threshold_otsu

from rasterkit.compare import binary, lines
from rasterkit.compare.pictures import BACKDROP_CONTRAST, BOTH, MATCHED, NEITHER, ONLY_A, ONLY_B
from rasterkit.morphology import skeletonize

from .images import blobs, drawing, load, save


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    rng = np.random.default_rng(11)
    a = blobs(rng, 120, 160, sigma=4, level=0.52)
    b = np.roll(a, (1, 2), (0, 1))
    grey = (np.clip(a * 180 + rng.normal(40, 25, a.shape), 0, 255)).astype(np.uint8)
    line_a = np.zeros((60, 200), bool)
    line_a[20, 10:190] = True
    thick = drawing(rng, 150, strokes=8)
    paths = {
        "a": save(a, folder / "a.png"), "b": save(b, folder / "b.png"),
        "a_copy": save(a, folder / "a_copy.png"),
        "grey_a": save(grey, folder / "grey_a.png"),
        "grey_b": save(np.roll(grey, 3, axis=1), folder / "grey_b.png"),
        "small": save(a[:100, :150], folder / "small.png"),
        "colour": save(np.dstack([grey, grey[::-1], grey]), folder / "colour.png"),
        "alpha": save(np.dstack([a.astype(np.uint8) * 255, np.where(a, 255, 90).astype(
            np.uint8)]), folder / "alpha.png"),
        "line_a": save(line_a, folder / "line_a.png"),
        "line_b1": save(np.roll(line_a, 1, axis=0), folder / "line_b1.png"),
        "line_b3": save(np.roll(line_a, 3, axis=0), folder / "line_b3.png"),
        "thick": save(thick, folder / "thick.png"),
        "thick16": save(thick.astype(np.uint16) * 257, folder / "thick16.png"),
    }
    text = folder / "notes.png"
    text.write_text("this is not an image\n")
    paths["text"] = str(text)
    data = (folder / "a.png").read_bytes()
    (folder / "truncated.png").write_bytes(data[: len(data) // 2])
    paths["truncated"] = str(folder / "truncated.png")
    (folder / "empty.png").write_bytes(b"")
    paths["empty"] = str(folder / "empty.png")
    paths["folder"] = str(folder)
    return paths, a, b, grey, thick


def test_compare_exit_status_and_text(run_cli, files):
    paths, a, b, _, _ = files
    same = run_cli("compare", paths["a"], paths["a_copy"])
    assert same.returncode == 0, same.stderr
    assert "identical" in same.stdout
    assert same.stderr == ""
    differ = run_cli("compare", paths["a"], paths["b"])
    assert differ.returncode == 1, differ.stderr
    expected = binary(a, b)
    assert f"differ in {expected.differing:,} of {a.size:,} pixels" in differ.stdout
    assert f"IoU {expected.iou:.4f}" in differ.stdout
    assert f"mean surface distance {expected.mean_surface_distance:.3f} px" in differ.stdout


def test_compare_json_equals_the_library(run_cli, files):
    paths, a, b, _, _ = files
    done = run_cli("compare", paths["a"], paths["b"], "--json")
    assert done.returncode == 1, done.stderr
    data = json.loads(done.stdout)
    expected = binary(a, b).to_dict()
    expected.update(a=paths["a"], b=paths["b"])
    assert data == expected  # floats survive JSON exactly
    done = run_cli("compare", paths["a"], paths["b"], "--json", "--no-surface-distance")
    assert json.loads(done.stdout)["mean_surface_distance"] is None
    done = run_cli("compare", paths["a"], paths["b"], "--no-surface-distance")
    assert "mean surface distance not computed" in done.stdout


def test_compare_picture(run_cli, files, tmp_path):
    paths, a, b, _, _ = files
    out = tmp_path / "delta.png"
    done = run_cli("compare", paths["a"], paths["b"], "-o", out)
    assert done.returncode == 1, done.stderr
    picture = load(out)
    for mask, colour in ((a & b, BOTH), (a & ~b, ONLY_A), (~a & b, ONLY_B),
                         (~a & ~b, NEITHER)):
        assert (picture[mask] == colour).all()


def test_compare_threshold_otsu_and_over_a(run_cli, files, tmp_path):
    paths, _, _, grey, _ = files
    out = tmp_path / "delta.webp"
    done = run_cli("compare", paths["grey_a"], paths["grey_b"], "--threshold", "otsu", "--json",
                   "-o", out, "--over-a")
    assert done.returncode == 1, done.stderr
    data = json.loads(done.stdout)
    t = threshold_otsu(grey)
    assert data["threshold"] == {"a": t, "b": t}
    assert data["differing"] == int(((grey > t) ^ (np.roll(grey, 3, axis=1) > t)).sum())
    picture = load(out)
    neither = (grey <= t) & (np.roll(grey, 3, axis=1) <= t)
    faded = np.round(255 - (255 - grey[neither].astype(float)) * BACKDROP_CONTRAST)
    np.testing.assert_array_equal(picture[neither][:, 0], faded)


def test_compare_sizes_and_pad(run_cli, files):
    paths, a, _, _, _ = files
    done = run_cli("compare", paths["a"], paths["small"])
    assert done.returncode == 2
    assert done.stderr == (f"rasterkit: error: {paths['a']} is 160 x 120 px but "
                           f"{paths['small']} is 150 x 100 px; compare images of one size, or "
                           "pad the smaller with background (--pad, pad=True)\n")
    done = run_cli("compare", paths["a"], paths["small"], "--pad", "--json")
    assert done.returncode == 1
    data = json.loads(done.stdout)
    assert (data["width"], data["height"]) == (160, 120)
    assert data["only_a"] == int(a[100:].sum() + a[:100, 150:].sum())


def test_compare_cli_does_not_load_the_compiler(files):
    """Counting and near surface distances are numpy: no numba start-up for the CLI."""
    paths, _, _, _, _ = files
    code = ("import sys; from rasterkit.cli.main import main; "
            f"status = main(['compare', {paths['a']!r}, {paths['b']!r}, '--json']); "
            "print('numba' in sys.modules, status, file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.stderr.strip() == "False 1"


def test_compare_lines_exit_status_json_and_picture(run_cli, files, tmp_path):
    paths, _, _, _, _ = files
    same = run_cli("compare-lines", paths["line_a"], paths["line_b1"], "--tolerance", "1")
    assert same.returncode == 0, same.stderr
    assert "same within 1 px" in same.stdout
    out = tmp_path / "overlay.png"
    differ = run_cli("compare-lines", paths["line_a"], paths["line_b3"], "-t", "2", "--json",
                     "-o", out)
    assert differ.returncode == 1, differ.stderr
    data = json.loads(differ.stdout)
    expected = lines(load(paths["line_a"]), load(paths["line_b3"]), tolerance=2).to_dict()
    expected.update(a=paths["line_a"], b=paths["line_b3"])
    assert data == expected  # floats survive JSON exactly
    assert (data["recall"], data["precision"], data["hausdorff"]) == (0.0, 0.0, 3.0)
    picture = load(out)
    assert tuple(picture[20, 50]) == ONLY_A
    assert tuple(picture[23, 50]) == ONLY_B
    assert tuple(picture[40, 50]) == NEITHER


def test_compare_lines_skeletonize(run_cli, files):
    paths, _, _, _, thick = files
    done = run_cli("compare-lines", paths["thick"], paths["thick16"], "--skeletonize",
                   "guo-hall", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["skeletonized"] == "guo-hall"
    assert data["hausdorff"] == 0.0
    assert data["pixels_a"] == skeletonize(thick, method="guo-hall").skeleton_pixels
    done = run_cli("compare-lines", paths["thick"], paths["thick"], "--skeletonize")
    assert done.returncode == 0
    assert "same within 2 px" in done.stdout
    assert tuple(MATCHED) == (60, 60, 60)


@pytest.mark.parametrize("suffix", [".png", ".tif"])
def test_skeletonize_writes_the_input_type(run_cli, files, tmp_path, suffix):
    paths, _, _, _, thick = files
    out = tmp_path / f"skel{suffix}"
    done = run_cli("skeletonize", paths["thick16"], out, "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    expected = skeletonize(thick)
    assert data == {"schema_version": 1, "command": "skeletonize", "input": paths["thick16"],
                    "output": str(out), "width": 150, "height": 150, "dtype": "uint16",
                    "method": "guo-hall", "threshold": None,
                    "iterations": expected.iterations,
                    "foreground_pixels": expected.foreground_pixels,
                    "skeleton_pixels": expected.skeleton_pixels}
    written = load(out)
    assert written.dtype == np.uint16
    np.testing.assert_array_equal(written, expected.image.astype(np.uint16) * 257)


def test_skeletonize_text_method_and_threshold(run_cli, files, tmp_path):
    paths, _, _, grey, _ = files
    out = tmp_path / "s.png"
    done = run_cli("skeletonize", paths["grey_a"], out, "--threshold", "otsu", "--method",
                   "guo-hall")
    assert done.returncode == 0, done.stderr
    expected = skeletonize(grey, threshold="otsu", method="guo-hall")
    assert done.stdout == f"{paths['grey_a']} -> {out}: {expected.summary()}\n"
    np.testing.assert_array_equal(load(out), expected.image)


BAD_COMPARE = [
    (["{missing}", "{a}"], "{missing}: no such file"),
    (["{a}", "{folder}"], "{folder}: is a folder, not an image"),
    (["{empty}", "{a}"], "{empty}: empty file, not an image"),
    (["{a}", "{text}"], "{text}: not an image (libvips:"),
    (["{truncated}", "{a}"], "{truncated}: truncated or corrupt image"),
    (["{a}", "{colour}"], "{colour}: colour image (3 colour bands that differ)"),
    (["{alpha}", "{a}"], "{alpha}: has transparent pixels (alpha band)"),
    (["{grey_a}", "{a}"], "{grey_a}: not a binary image: values"),
    (["{a}", "{b}", "--threshold", "half"], "argument --threshold: not a number or 'otsu'"),
    (["{a}", "{b}", "-o", "{a}"], "{a}: output would overwrite the input {a}"),
    (["{a}", "{b}", "-o", "{folder}/d.txt"], "{folder}/d.txt: unknown output format '.txt'"),
    (["{a}", "{b}", "-o", "{folder}/no/d.png"], "{folder}/no/d.png: folder {folder}/no does "
                                                "not exist"),
    (["{a}", "{b}", "--max-pixels", "1000"], "{a}: 160 x 120 = 0 Mpx exceeds the pixel limit"),
]


@pytest.mark.parametrize("command", ["compare", "compare-lines"])
@pytest.mark.parametrize(("argv", "message"), BAD_COMPARE)
def test_bad_inputs_fail_with_one_line(run_cli, files, tmp_path, command, argv, message):
    paths, _, _, _, _ = files
    names = {**paths, "missing": str(tmp_path / "missing.png")}
    before = set(tmp_path.parent.iterdir())
    done = run_cli(command, *(arg.format(**names) for arg in argv))
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("rasterkit: error: ")
    assert message.format(**names) in done.stderr
    assert done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr
    assert set(tmp_path.parent.iterdir()) == before


@pytest.mark.parametrize(("argv", "message"), [
    (["--tolerance", "-1"], "argument -t/--tolerance: must be a finite number of pixels >= 0"),
    (["--sigma", "x"], "argument --sigma: not a number of pixels: 'x'"),
    (["--skeletonize", "lee"], "argument --skeletonize: invalid choice: 'lee'"),
])
def test_bad_compare_lines_options(run_cli, files, argv, message):
    paths, _, _, _, _ = files
    done = run_cli("compare-lines", paths["line_a"], paths["line_b1"], *argv)
    assert done.returncode == 2
    assert message in done.stderr
    done = run_cli("compare-lines", paths["line_a"], paths["line_b1"], "--sigma", "0")
    assert done.returncode == 2
    assert "sigma must be greater than 0 px" in done.stderr


@pytest.mark.parametrize(("argv", "message"), [
    (["{a}", "{folder}/s.jpg"], "{folder}/s.jpg: .jpg is not a lossless format"),
    (["{a}", "{a}"], "{a}: output would overwrite the input {a}"),
    (["{grey_a}", "{folder}/s.png"], "{grey_a}: not a binary image"),
    (["{missing}", "{folder}/s.png"], "{missing}: no such file"),
    (["{a}", "{folder}/s.png", "--max-iterations", "-2"], "must be >= 0"),
    (["{a}", "{folder}/s.png", "--method", "lee"], "invalid choice: 'lee'"),
])
def test_bad_skeletonize(run_cli, files, tmp_path, argv, message):
    paths, _, _, _, _ = files
    names = {**paths, "missing": str(tmp_path / "missing.png")}
    done = run_cli("skeletonize", *(arg.format(**names) for arg in argv))
    assert done.returncode == 2
    assert message.format(**names) in done.stderr
    assert done.stderr.count("\n") == 1
    assert not (tmp_path.parent / "s.png").exists()
