"""``rasterkit diff`` end to end: exit codes, text, JSON, pictures, and every bad input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import pyvips

from .synthetic import compose, random_section
from .test_diff_inputs import save


@pytest.fixture
def pair(tmp_path):
    rng = np.random.default_rng(11)
    sections = [random_section(rng, 90) for _ in range(14)]
    a = compose(sections, 90)
    new = random_section(rng, 90)
    b = compose([*sections[:3], new, *sections[3:9], *sections[10:]], 90)
    return save(a, tmp_path / "before.png"), save(b, tmp_path / "after.png"), a, b


def test_identical_exits_0_with_a_summary(run_cli, pair):
    before, _, a, _ = pair
    done = run_cli("diff", before, before)
    assert done.returncode == 0
    assert done.stderr == ""
    assert done.stdout == f"{before} 90x{len(a)} vs {before} 90x{len(a)}: identical\n"


def test_text_output_has_hunk_headers_and_summary(run_cli, pair):
    before, after, _a, _b = pair
    done = run_cli("diff", before, after)
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("@@ -")
    assert " added " in lines[0]
    assert lines[1].startswith("@@ -")
    assert " removed " in lines[1]
    assert lines[2].endswith("2 hunks (1 removed, 1 added)")


def test_json_schema(run_cli, pair):
    before, after, a, b = pair
    done = run_cli("diff", before, after, "--json")
    assert done.returncode == 1
    data = json.loads(done.stdout)
    assert set(data) == {"schema_version", "a", "b", "identical", "hunks", "summary", "options",
                         "config"}
    assert data["config"] is None  # no configuration file above the temporary folder
    assert data["a"] == {"path": before, "width": 90, "height": len(a), "bands": 3, "bits": 8}
    assert data["b"]["height"] == len(b)
    assert data["identical"] is False
    kinds = [h["kind"] for h in data["hunks"]]
    assert kinds == ["added", "removed"]
    for hunk in data["hunks"]:
        assert set(hunk) == {"kind", "a", "b", "changed_pixels", "boxes", "fingerprint", "x"}
        assert hunk["x"] == [0, 90]  # a one-column page: whole-row hunks
        assert len(hunk["fingerprint"]) == 16
        int(hunk["fingerprint"], 16)
        assert hunk["a"][0] <= hunk["a"][1]
        assert hunk["b"][0] <= hunk["b"][1]
    added = data["hunks"][0]
    assert added["a"][0] == added["a"][1]
    assert added["changed_pixels"] is None
    assert data["summary"]["added"] == 1
    assert data["summary"]["removed"] == 1
    assert data["summary"]["rows_added"] == added["b"][1] - added["b"][0]


def test_side_by_side_picture(run_cli, pair, tmp_path):
    before, after, a, _b = pair
    out = tmp_path / "sbs.png"
    done = run_cli("diff", before, after, "-o", out)
    assert done.returncode == 1, done.stderr
    picture = pyvips.Image.new_from_file(str(out))
    data = json.loads(run_cli("diff", before, after, "--json").stdout)
    added = sum(h["b"][1] - h["b"][0] for h in data["hunks"] if h["kind"] == "added")
    assert picture.width == 2 * 90 + 28
    assert picture.height == 30 + len(a) + added  # header + common row axis
    pixels = np.ndarray(buffer=picture.write_to_memory(), dtype=np.uint8,
                        shape=(picture.height, picture.width, picture.bands))
    hunk = data["hunks"][0]
    mid = 30 + hunk["a"][0] + (hunk["b"][1] - hunk["b"][0]) // 2
    assert tuple(pixels[mid, 90 + 14]) == (0x1A, 0x7F, 0x37)  # green gutter band (added)
    left = pixels[mid, :90].astype(int)
    assert (np.abs(left[:, 0] - left[:, 1]) < 60).all()  # A side is hatched grey there


def test_overlay_picture_and_other_formats(run_cli, pair, tmp_path):
    before, after, _a, _b = pair
    for name in ("ov.png", "ov.jpg", "ov.webp"):
        out = tmp_path / name
        done = run_cli("diff", before, after, "-o", out, "--view", "overlay")
        assert done.returncode == 1, done.stderr
        assert pyvips.Image.new_from_file(str(out)).width == 90 + 12


def test_merge_gap_option(run_cli, pair):
    before, after, _, _ = pair
    done = run_cli("diff", before, after, "--merge-gap", "100000", "--json")
    assert [h["kind"] for h in json.loads(done.stdout)["hunks"]] == ["changed"]


@pytest.mark.parametrize("case", ["missing", "not-image", "truncated", "empty", "folder"])
def test_bad_inputs_one_line_exit_2(run_cli, pair, tmp_path, case):
    before, _, _, _ = pair
    bad = tmp_path / f"{case}.png"
    if case == "not-image":
        bad.write_text("hello")
    elif case == "truncated":
        bad.write_bytes(Path(before).read_bytes()[:300])
    elif case == "empty":
        bad.write_bytes(b"")
    elif case == "folder":
        bad.mkdir()
    out = tmp_path / "out.png"
    done = run_cli("diff", before, bad, "-o", out)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith("rasterkit: error: ")
    assert str(bad) in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_output_equal_to_an_input_is_refused(run_cli, pair):
    before, after, _, _ = pair
    original = Path(after).read_bytes()
    done = run_cli("diff", before, after, "-o", after)
    assert done.returncode == 2
    assert "would overwrite the input" in done.stderr
    assert Path(after).read_bytes() == original


def test_bad_output_paths(run_cli, pair, tmp_path):
    before, after, _, _ = pair
    for out, message in [(tmp_path / "nope" / "x.png", "does not exist"),
                         (tmp_path / "x.bmpx", "unknown output format"),
                         (tmp_path, "is a folder")]:
        done = run_cli("diff", before, after, "-o", out)
        assert done.returncode == 2, done.stderr
        assert message in done.stderr, done.stderr


def test_pixel_limit_option(run_cli, pair):
    before, after, _, _ = pair
    done = run_cli("diff", before, after, "--max-pixels", "1k")
    assert done.returncode == 2
    assert "exceeds the pixel limit" in done.stderr
    assert run_cli("diff", before, after, "--max-pixels", "1G").returncode == 1


def test_argument_errors_are_one_line(run_cli, pair):
    before, after, _, _ = pair
    for args in (["diff", before], ["diff", before, after, "--merge-gap", "-3"],
                 ["diff", before, after, "--view", "sideways"], ["frobnicate"]):
        done = run_cli(*args)
        assert done.returncode == 2
        assert done.stderr.count("\n") == 1, args
        assert "rasterkit: error:" in done.stderr, args


def test_version_and_help(run_cli):
    assert run_cli("--version").stdout.startswith("rasterkit ")
    top = run_cli("--help")
    assert top.returncode == 0
    assert "diff" in top.stdout
    done = run_cli("diff", "--help")
    assert done.returncode == 0
    assert "exit status: 0 identical, 1 different" in done.stdout


def test_the_command_line_diff_never_imports_numpy(pair):
    # The diff path keeps pixels in decoded buffers and does per-pixel work in libvips:
    # importing numpy would cost more than the alignment (see the README's architecture).
    import subprocess
    import sys

    before, after, _, _ = pair
    code = ("import sys; from rasterkit.cli.main import main; "
            f"status = main(['diff', {before!r}, {after!r}]); "
            "print('numpy' in sys.modules, status)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.splitlines()[-1] == "False 1", done.stdout + done.stderr


def test_outputs_get_the_usual_permissions(run_cli, pair, tmp_path):
    import os

    before, after, _, _ = pair
    old = os.umask(0o022)
    try:
        picture, page = tmp_path / "sbs.png", tmp_path / "r.html"
        assert run_cli("diff", before, after, "-o", picture, "-o", page).returncode == 1
    finally:
        os.umask(old)
    assert picture.stat().st_mode & 0o777 == 0o644
    assert page.stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "r_files").stat().st_mode & 0o777 == 0o755
