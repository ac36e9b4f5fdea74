"""``rasterkit remove-small`` / ``area-open`` / ``area-close`` end to end, and bad inputs."""

from __future__ import annotations

import json

import diplib as dip
import numpy as np
import pytest

from rasterkit.morphology import fill_small_holes, remove_small_objects

from .images import blobs, grey, load, save


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    rng = np.random.default_rng(42)
    mask = blobs(rng, 180, 240)
    grey_image = grey(rng, 150, 170)
    paths = {
        "mask": save(mask, folder / "mask.png"),
        "grey": save(grey_image, folder / "grey.png"),
        "grey16": save(grey(rng, 90, 80, levels=4000), folder / "grey16.png"),
        "rgb": save(np.dstack([grey_image] * 3), folder / "rgb.png"),
        "colour": save(np.dstack([grey_image, grey_image[::-1], grey_image]),
                       folder / "colour.png"),
        "alpha": save(np.dstack([mask.astype(np.uint8) * 255,
                                 np.where(mask, 255, 0).astype(np.uint8)]),
                      folder / "alpha.png"),
        "float": save(mask.astype(np.float32), folder / "float.tif"),
    }
    text = folder / "notes.png"
    text.write_text("this is not an image\n")
    paths["text"] = str(text)
    data = (folder / "mask.png").read_bytes()
    (folder / "truncated.png").write_bytes(data[: len(data) // 2])
    paths["truncated"] = str(folder / "truncated.png")
    (folder / "empty.png").write_bytes(b"")
    paths["empty"] = str(folder / "empty.png")
    return folder, paths, mask, grey_image


def test_remove_small_prints_one_line_and_writes_the_output(run_cli, files, tmp_path):
    _, paths, mask, _ = files
    out = tmp_path / "out.png"
    done = run_cli("remove-small", paths["mask"], out, "--min-area", "150")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    expected = remove_small_objects(mask, 150)
    assert done.stdout == (
        f"{paths['mask']} -> {out}: removed {expected.removed:,} of "
        f"{expected.removed + expected.kept:,} objects (area < 150 px, 8-connected), "
        f"{expected.changed_pixels:,} pixels cleared\n")
    written = load(out)
    assert written.dtype == np.uint8
    np.testing.assert_array_equal(written, expected.image.astype(np.uint8) * 255)


def test_remove_small_json_with_holes_and_options(run_cli, files, tmp_path):
    _, paths, mask, _ = files
    out = tmp_path / "out.tif"
    done = run_cli("remove-small", paths["mask"], out, "--min-area", "40", "--max-area", "3000",
                   "--connectivity", "4", "--holes", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert set(data) == {"schema_version", "command", "input", "output", "width", "height",
                         "dtype", "threshold", "strips", "steps"}
    assert (data["command"], data["width"], data["height"], data["dtype"], data["strips"]) == (
        "remove-small", 240, 180, "uint8", 1)
    objects = remove_small_objects(mask, 40, max_area=3000, connectivity=4)
    holes = fill_small_holes(objects.image, 40, connectivity=4)
    assert data["steps"] == [
        {"kind": "objects", "min_area": 40, "max_area": 3000, "connectivity": 4,
         "removed": objects.removed, "kept": objects.kept,
         "changed_pixels": objects.changed_pixels},
        {"kind": "holes", "min_area": 40, "max_area": None, "connectivity": 8,
         "removed": holes.removed, "kept": holes.kept, "changed_pixels": holes.changed_pixels}]
    np.testing.assert_array_equal(load(out), holes.image.astype(np.uint8) * 255)


def test_remove_small_in_strips_writes_the_same_file(run_cli, files, tmp_path):
    _, paths, _, _ = files
    run_cli("remove-small", paths["mask"], tmp_path / "a.png", "--min-area", "90", "--holes")
    done = run_cli("remove-small", paths["mask"], tmp_path / "b.png", "--min-area", "90",
                   "--holes", "--strip-rows", "7", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["strips"] == 26
    np.testing.assert_array_equal(load(tmp_path / "a.png"), load(tmp_path / "b.png"))
    done = run_cli("remove-small", paths["mask"], tmp_path / "c.png", "--min-area", "90",
                   "--holes", "--max-memory", "20k", "--json")
    assert json.loads(done.stdout)["strips"] > 1
    np.testing.assert_array_equal(load(tmp_path / "a.png"), load(tmp_path / "c.png"))


def test_threshold_and_grey_as_rgb(run_cli, files, tmp_path):
    _, paths, _, grey_image = files
    out = tmp_path / "t.png"
    done = run_cli("remove-small", paths["rgb"], out, "--min-area", "30", "--threshold", "128",
                   "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["threshold"] == 128.0
    expected = remove_small_objects(grey_image > 128, 30).image
    np.testing.assert_array_equal(load(out), expected.astype(np.uint8) * 255)


def test_float_tif_keeps_its_type(run_cli, files, tmp_path):
    _, paths, mask, _ = files
    out = tmp_path / "f.tif"
    assert run_cli("remove-small", paths["float"], out, "--min-area", "60").returncode == 0
    written = load(out)
    assert written.dtype == np.float32
    np.testing.assert_array_equal(written, remove_small_objects(mask, 60).image.astype(
        np.float32))


@pytest.mark.parametrize(("command", "polarity", "key"), [("area-open", "opening", "grey"),
                                                          ("area-close", "closing", "grey16")])
def test_area_open_and_close_equal_dip(run_cli, files, tmp_path, command, polarity, key):
    _, paths, _, _ = files
    out = tmp_path / "o.png"
    done = run_cli(command, paths[key], out, "--min-area", "70", "--connectivity", "4",
                   "--json")
    assert done.returncode == 0, done.stderr
    source = load(paths[key])
    expected = np.asarray(dip.AreaOpening(source, filterSize=70, connectivity=1,
                                          polarity=polarity))
    written = load(out)
    assert written.dtype == source.dtype
    np.testing.assert_array_equal(written, expected)
    data = json.loads(done.stdout)
    step = data["steps"][0]
    assert data["command"] == command
    assert step["kind"] == ("peaks" if polarity == "opening" else "pits")
    assert step["changed_pixels"] == int((written != source).sum())
    text = run_cli(command, paths[key], tmp_path / "t.png", "--min-area", "70").stdout
    verb = "flattened" if polarity == "opening" else "filled"
    assert text.startswith(f"{paths[key]} -> {tmp_path / 't.png'}: {verb} ")


def bad_cases(paths, folder):
    mask, out = paths["mask"], str(folder / "out.png")
    return {
        "missing file": (["remove-small", str(folder / "nope.png"), out, "--min-area", "5"],
                         "nope.png: no such file"),
        "not an image": (["remove-small", paths["text"], out, "--min-area", "5"],
                         "notes.png: not an image"),
        "empty file": (["remove-small", paths["empty"], out, "--min-area", "5"],
                       "empty.png: empty file"),
        "a folder": (["area-open", str(folder), out, "--min-area", "5"], "is a folder"),
        "truncated": (["remove-small", paths["truncated"], out, "--min-area", "5"],
                      "truncated.png: "),
        "truncated grey": (["area-open", paths["truncated"], out, "--min-area", "5"],
                           "truncated.png: "),
        "truncated in strips": (["remove-small", paths["truncated"], out, "--min-area", "5",
                                 "--strip-rows", "10"], "truncated.png: "),
        "not binary": (["remove-small", paths["grey"], out, "--min-area", "5"],
                       "grey.png: not a binary image: values 0, 1, 2, "),
        "colour": (["remove-small", paths["colour"], out, "--min-area", "5", "--threshold", "9"],
                   "colour.png: colour image"),
        "transparent": (["remove-small", paths["alpha"], out, "--min-area", "5"],
                        "alpha.png: has transparent pixels"),
        "min-area 0": (["remove-small", mask, out, "--min-area", "0"], "at least 1 pixel"),
        "min-area negative": (["area-open", mask, out, "--min-area", "-4"], "at least 1 pixel"),
        "min-area fraction": (["remove-small", mask, out, "--min-area", "1.5"],
                              "whole number of pixels"),
        "min-area word": (["area-close", mask, out, "--min-area", "big"],
                          "whole number of pixels"),
        "min-area missing": (["remove-small", mask, out], "--min-area"),
        "max below min": (["remove-small", mask, out, "--min-area", "9", "--max-area", "3"],
                          "max_area (3) must be >= min_area (9)"),
        "connectivity 6": (["remove-small", mask, out, "--min-area", "5", "--connectivity", "6"],
                           "invalid choice: 6"),
        "output is input": (["remove-small", mask, mask, "--min-area", "5"],
                            "output would overwrite the input"),
        "output folder missing": (["remove-small", mask, str(folder / "no" / "o.png"),
                                   "--min-area", "5"], "does not exist"),
        "unknown suffix": (["remove-small", mask, str(folder / "o.xyz"), "--min-area", "5"],
                           "unknown output format '.xyz'"),
        "lossy suffix": (["remove-small", mask, str(folder / "o.jpg"), "--min-area", "5"],
                         "o.jpg: .jpg is not a lossless format"),
        "float to png": (["remove-small", paths["float"], out, "--min-area", "5"],
                         "out.png: .png cannot hold float32 pixels exactly (use .tif)"),
        "too many pixels": (["area-open", mask, out, "--min-area", "5", "--max-pixels", "1000"],
                            "exceeds the pixel limit"),
        "bad memory size": (["remove-small", mask, out, "--min-area", "5", "--max-memory", "lots"],
                            "not a memory size"),
        "strip rows 0": (["remove-small", mask, out, "--min-area", "5", "--strip-rows", "0"],
                         "at least 1 pixel"),
    }


CASES = list(bad_cases({"mask": "", "text": "", "empty": "", "truncated": "", "grey": "",
                        "colour": "", "alpha": "", "float": ""}, __import__("pathlib").Path()))


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_one_line_exit_2_and_no_output(run_cli, files, case):
    folder, paths, _, _ = files
    argv, message = bad_cases(paths, folder)[case]
    before = sorted(p.name for p in folder.iterdir())
    done = run_cli(*argv)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("rasterkit: error: ")
    assert message in lines[0]
    assert "Traceback" not in done.stderr
    assert "bug" not in done.stderr
    assert sorted(p.name for p in folder.iterdir()) == before  # nothing written, no temp left
