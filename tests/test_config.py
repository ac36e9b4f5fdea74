"""The configuration file ([tool.rasterkit] / rasterkit.toml): finding, checking, precedence
(file < command line) for every key, per-path rules in diff and diff-dir, the pytest helper."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import pyvips
from hypothesis import given, settings
from hypothesis import strategies as st

from rasterkit import config
from rasterkit.config import Rule, layer
from tests.support.cli import one_line_error

WIDTH, HEIGHT = 80, 60
#: Where the edit of the "after" image sits (x, y, w, h).
EDIT = (10, 20, 20, 10)


def _cli(*args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "rasterkit.cli.main", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, timeout=300)


def _save(array: np.ndarray, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    pyvips.Image.new_from_array(array).write_to_file(str(path))
    return path


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    """A random RGB image and a copy with one block painted over (see :data:`EDIT`)."""
    rng = np.random.default_rng(20)
    a = rng.integers(0, 256, (HEIGHT, WIDTH, 3), dtype=np.uint8)
    b = a.copy()
    x, y, w, h = EDIT
    b[y:y + h, x:x + w] = 255 - b[y:y + h, x:x + w]
    return _save(a, tmp_path / "a.png"), _save(b, tmp_path / "b.png")


def _diff_json(tmp_path: Path, *args: object) -> dict:
    done = _cli("diff", "a.png", "b.png", "--json", *args, cwd=tmp_path)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


# --- patterns and layering -------------------------------------------------------------------

@pytest.mark.parametrize(("pattern", "path", "expected"), [
    ("*.png", "a/b/c.png", True),          # no "/": the file name, at any depth
    ("c.png", "a/b/c.png", True),
    ("a/*.png", "a/c.png", True),
    ("a/*.png", "a/b/c.png", False),       # "*" stays inside one folder
    ("a/**", "a/b/c.png", True),
    ("**/c.png", "c.png", True),           # "**/" also matches no folder
    ("**/c.png", "x/y/c.png", True),
    ("a/**/c.png", "a/c.png", True),
    ("a/**/c.png", "a/x/y/c.png", True),
    ("a/?.png", "a/c.png", True),
    ("a/?.png", "a/cc.png", False),
    ("a/[bc].png", "a/c.png", True),
    ("a/[!bc].png", "a/c.png", False),
    ("/a/*.png", "a/c.png", True),         # a leading "/" anchors at the root, as without
    ("a.png", "xa.png", False),
    ("a+b.png", "a+b.png", True),          # regex characters are literal
])
def test_patterns(pattern: str, path: str, expected: bool) -> None:
    assert Rule((pattern,), {}).matches([path]) is expected


segment = st.text("abcXYZ09_-.", min_size=1, max_size=6).filter(lambda s: s not in (".", ".."))


@given(st.lists(segment, min_size=1, max_size=5), st.integers(0, 4))
@settings(max_examples=200, deadline=None)
def test_double_star_matches_any_depth_and_single_star_one(parts: list[str], cut: int) -> None:
    path = "/".join(parts)
    cut = min(cut, len(parts) - 1)
    prefix = "/".join(parts[:cut])
    deep = (prefix + "/**" if prefix else "**") + "/" + parts[-1]
    assert Rule((deep,), {}).matches([path])
    shallow = (prefix + "/" if prefix else "") + "*"
    # "prefix/*" matches only when one segment is left; a bare "*" matches any file name
    assert Rule((shallow,), {}).matches([path]) is (cut == len(parts) - 1 or not prefix)


def test_layering_rules() -> None:
    assert layer({"threshold": 0.3, "antialiasing": False}, {"exact": True}) == {"exact": True}
    assert layer({"exact": True}, {"antialiasing": False}) == {"exact": False,
                                                               "antialiasing": False}
    rect, other = (1, 2, 3, 4), (5, 6, 7, 8)
    assert layer({"ignore": [rect]}, {"ignore": [other]}) == {"ignore": [other]}
    assert layer({"ignore": [rect]}, {"ignore": [other]}, add=True) == {"ignore": [rect, other]}
    assert layer({"merge_gap": 3}, {"merge_gap": 9}, add=True) == {"merge_gap": 9}


# --- finding the file ------------------------------------------------------------------------

def test_found_from_a_subfolder_rasterkit_toml_first(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", "[tool.rasterkit.diff]\nthreshold = 0.3\n")
    deep = tmp_path / "x" / "y"
    deep.mkdir(parents=True)
    assert config.find(deep) == tmp_path / "pyproject.toml"
    assert config.load(start=deep).defaults == {"threshold": 0.3}
    _write(tmp_path / "rasterkit.toml", "[diff]\nthreshold = 0.4\n")
    assert config.find(deep) == tmp_path / "rasterkit.toml"
    # a nearer pyproject.toml without [tool.rasterkit] is passed over
    _write(deep / "pyproject.toml", "[project]\nname = 'x'\n")
    assert config.find(deep) == tmp_path / "rasterkit.toml"
    _write(deep / "pyproject.toml", "[tool.rasterkit.diff]\nmerge-gap = 2\n")
    assert config.load(start=deep).defaults == {"merge_gap": 2}


def test_no_file_no_options(tmp_path: Path) -> None:
    assert config.load(start=tmp_path) is config.NONE
    assert config.NONE.diff_options(["a.png"]) == {}


# --- precedence: file < command line, key by key ----------------------------------------------

# (config key = TOML value, what the JSON options show, a command-line value, what it shows)
PRECEDENCE = [
    ("threshold = 0.3", {"threshold": 0.3}, ["--threshold", "0.05"], {"threshold": 0.05}),
    ("exact = true", {"exact": True}, ["--no-exact"], {"exact": False}),
    ("antialiasing = false", {"antialiasing": False}, ["--antialiasing"],
     {"antialiasing": True}),
    ("moves = false", {"moves": False}, ["--moves"], {"moves": True}),
    ("merge-gap = 3", {"merge_gap": 3}, ["--merge-gap", "7"], {"merge_gap": 7}),
    ("pad-compare = true", {"pad_compare": True}, ["--no-pad-compare"],
     {"pad_compare": False}),
    ('ignore = ["1,2,3,4", [5, 6, 7, 8]]', {"ignore_both": [[1, 2, 3, 4], [5, 6, 7, 8]]},
     ["--ignore", "9,9,2,2"], {"ignore_both": [[9, 9, 2, 2]]}),
    ('ignore-a = ["1,2,3,4"]', {"ignore_a": [[1, 2, 3, 4]]}, ["--ignore-a", "0,0,1,1"],
     {"ignore_a": [[0, 0, 1, 1]]}),
    ('ignore-b = ["1,2,3,4"]', {"ignore_b": [[1, 2, 3, 4]]}, ["--ignore-b", "0,0,1,1"],
     {"ignore_b": [[0, 0, 1, 1]]}),
    ('mask-color = "#FF00ff"', {"mask_color": "#ff00ff"}, ["--mask-color", "#010203"],
     {"mask_color": "#010203"}),
    ('mask = "masks/m1.png"', {"mask": "masks/m1.png"}, ["--mask", "m2.png"],
     {"mask": "m2.png"}),
    ('mask-a = "masks/m1.png"', {"mask_a": "masks/m1.png"}, ["--mask-a", "m2.png"],
     {"mask_a": "m2.png"}),
    ('mask-b = "masks/m1.png"', {"mask_b": "masks/m1.png"}, ["--mask-b", "m2.png"],
     {"mask_b": "m2.png"}),
]


@pytest.mark.parametrize(("line", "from_file", "cli", "from_cli"), PRECEDENCE,
                         ids=[p[0].split(" =")[0] for p in PRECEDENCE])
def test_each_diff_option_file_then_command_line(tmp_path, pair, line, from_file, cli,
                                                 from_cli) -> None:
    blank = np.zeros((HEIGHT, WIDTH), np.uint8)
    _save(blank, tmp_path / "masks" / "m1.png")
    _save(blank, tmp_path / "m2.png")
    before = _diff_json(tmp_path)["options"]
    _write(tmp_path / "pyproject.toml", f"[tool.rasterkit.diff]\n{line}\n")
    data = _diff_json(tmp_path)
    assert data["config"] == str(tmp_path / "pyproject.toml")
    shown = data["options"]
    for key, value in from_file.items():
        assert key not in before or before[key] != value  # the file changed something
        assert shown[key] == value or str(shown[key]).endswith(str(value)), (key, shown)
    shown = _diff_json(tmp_path, *cli)["options"]
    for key, value in from_cli.items():
        assert shown[key] == value or str(shown[key]).endswith(str(value)), (key, shown)
    assert _diff_json(tmp_path, "--no-config")["options"] == before


@pytest.mark.parametrize(("line", "cli", "file_status", "cli_status"), [
    ('fail-on = ["removed"]', ["--fail-on", "changed"], 0, 1),
    ('allow = ["changed<=50rows"]', ["--allow", "changed<=2rows"], 0, 1),
    ('fail-on = "added,removed"', ["--fail-on", "changed,added"], 0, 1),
])
def test_gate_file_then_command_line(tmp_path, pair, line, cli, file_status, cli_status):
    _write(tmp_path / "rasterkit.toml", f"[diff]\n{line}\n")
    assert _cli("diff", "a.png", "b.png", cwd=tmp_path).returncode == file_status
    assert _cli("diff", "a.png", "b.png", *cli, cwd=tmp_path).returncode == cli_status
    assert _cli("diff", "a.png", "b.png", "--no-config", cwd=tmp_path).returncode == 1


def test_ignore_from_the_file_changes_what_is_found(tmp_path, pair) -> None:
    x, y, w, h = EDIT
    assert _diff_json(tmp_path)["identical"] is False
    _write(tmp_path / "rasterkit.toml", f'[diff]\nignore = ["{x},{y},{w},{h}"]\n')
    data = _diff_json(tmp_path)
    assert data["identical"] is True
    assert data["hunks"] == []
    # the command line wins: another rectangle replaces the file's
    assert _diff_json(tmp_path, "--ignore", "0,0,1,1")["identical"] is False


def test_exact_in_the_file_threshold_on_the_command_line(tmp_path, pair) -> None:
    _write(tmp_path / "rasterkit.toml", "[diff]\nexact = true\n")
    assert _diff_json(tmp_path)["options"]["exact"] is True
    shown = _diff_json(tmp_path, "--threshold", "0.3")["options"]
    assert shown["exact"] is False
    assert shown["threshold"] == 0.3


def test_mask_path_relative_to_the_file_from_a_subfolder(tmp_path, pair) -> None:
    x, y, w, h = EDIT
    mask = np.zeros((HEIGHT, WIDTH), np.uint8)
    mask[y:y + h, x:x + w] = 255
    _save(mask, tmp_path / "masks" / "edit.png")
    _write(tmp_path / "rasterkit.toml", '[diff]\nmask = "masks/edit.png"\n')
    sub = tmp_path / "sub"
    sub.mkdir()
    done = _cli("diff", "../a.png", "../b.png", "--json", cwd=sub)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["options"]["mask"] == str(tmp_path / "masks" / "edit.png")


def test_a_rule_applies_to_matching_paths_only(tmp_path, pair) -> None:
    x, y, w, h = EDIT
    _write(tmp_path / "rasterkit.toml",
           f'[diff]\nmerge-gap = 5\n\n[[diff.rules]]\npaths = ["shots/*.png"]\n'
           f'ignore = ["{x},{y},{w},{h}"]\nmerge-gap = 9\n')
    a, b = pair
    shots = tmp_path / "shots"
    shots.mkdir()
    for image in (a, b):
        (shots / image.name).write_bytes(image.read_bytes())
    inside = _cli("diff", "shots/a.png", "shots/b.png", "--json", cwd=tmp_path)
    outside = _cli("diff", "a.png", "b.png", "--json", cwd=tmp_path)
    assert (inside.returncode, outside.returncode) == (0, 1)
    assert json.loads(inside.stdout)["options"]["merge_gap"] == 9
    assert json.loads(outside.stdout)["options"]["merge_gap"] == 5
    # the command line wins over the rule too
    assert _cli("diff", "shots/a.png", "shots/b.png", "--ignore", "0,0,1,1",
                cwd=tmp_path).returncode == 1


def test_diff_dir_per_path_rules(tmp_path, pair) -> None:
    """A rule for sub/ hides the edit there; the same edit elsewhere is still changed; the
    record and results.json say which options a pair was compared with."""
    x, y, w, h = EDIT
    a, b = pair
    for folder, image in (("before", a), ("after", b)):
        for name in ("top.png", "sub/inner.png", "sub/deeper/leaf.png"):
            target = tmp_path / folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(image.read_bytes())
    _write(tmp_path / "rasterkit.toml",
           f'[diff]\nthreshold = 0.2\n\n[[diff.rules]]\npaths = ["sub/*.png"]\n'
           f'ignore = ["{x},{y},{w},{h}"]\n')
    done = _cli("diff-dir", "before", "after", "-o", "review", "--json", "--workers", "1",
                cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    data = json.loads(done.stdout)
    assert data["config"] == str(tmp_path / "rasterkit.toml")
    assert data["options"]["threshold"] == 0.2
    status = {r["path"]: r["status"] for r in data["pairs"]}
    assert status == {"top.png": "changed", "sub/inner.png": "identical",
                      "sub/deeper/leaf.png": "changed"}
    records = {r["path"]: r for r in data["pairs"]}
    assert records["sub/inner.png"]["options"]["ignore"] == [[x, y, w, h]]
    assert records["sub/inner.png"]["options"]["threshold"] == 0.2
    assert "options" not in records["top.png"]
    written = json.loads((tmp_path / "review" / "results.json").read_text())
    assert {r["path"]: r["status"] for r in written["pairs"]} == status
    assert {r["path"]: r.get("options") for r in written["pairs"]} == \
        {r["path"]: r.get("options") for r in data["pairs"]}
    # the command line wins over the rule
    again = _cli("diff-dir", "before", "after", "--json", "--workers", "1", "--ignore",
                 "0,0,1,1", cwd=tmp_path)
    assert {r["path"]: r["status"] for r in json.loads(again.stdout)["pairs"]} == \
        dict.fromkeys(status, "changed")


# --- bad configuration: one line, exit 2, nothing written ------------------------------------

@pytest.mark.parametrize(("text", "message"), [
    ("[diff]\ntreshold = 0.2\n", r"unknown key 'treshold' \(did you mean 'threshold'\?\)"),
    ("[diff]\nthreshold = 2\n", r"threshold must be a number between 0 and 1, not 2"),
    ("[diff]\nthreshold = true\n", r"threshold must be a number"),
    ("[diff]\nmerge-gap = -1\n", r"merge-gap must be a whole number"),
    ("[diff]\nexact = 'yes'\n", r"exact must be true or false"),
    ("[diff]\nignore = \"1,2,3,4\"\n", r"ignore must be a list of rectangles"),
    ("[diff]\nignore = [\"1,2,0,4\"]\n", r"w and h > 0"),
    ("[diff]\nmask-color = \"pink\"\n", r"not a colour"),
    ("[diff]\nmask = 3\n", r"mask must be a file path"),
    ("[diff]\nexact = true\nthreshold = 0.1\n", r"exact = true compares bytes"),
    ("[diff]\nallow = [\"added<=lots\"]\n", r"KIND<=N"),
    ("[diff]\nfail-on = [\"everything\"]\n", r"everything"),
    ("[[diff.rules]]\nthreshold = 0.3\n", r"rules\]\] number 1: needs paths"),
    ("[[diff.rules]]\npaths = [\"*\"]\nfail-on = [\"added\"]\n", r"unknown key 'fail-on'"),
    ("[dif]\n", r"unknown key 'dif' \(did you mean 'diff'\?\)"),
    ("[diff\n", r"not valid TOML"),
    ("diff = 3\n", r"\[diff\] must be a table"),
])
def test_bad_configuration_is_one_line(tmp_path, pair, text, message) -> None:
    _write(tmp_path / "rasterkit.toml", text)
    for command in (["diff", "a.png", "b.png", "-o", "out.png"],
                    ["diff-dir", ".", str(tmp_path.parent / "nowhere")]):
        line = one_line_error(_cli(*command, cwd=tmp_path))
        assert line.startswith(f"rasterkit: error: {tmp_path / 'rasterkit.toml'}: ")
        assert re.search(message, line), line
    assert not (tmp_path / "out.png").exists()


def test_config_options_named_files(tmp_path, pair) -> None:
    done = _cli("diff", "a.png", "b.png", "--config", "missing.toml", cwd=tmp_path)
    assert (done.returncode, done.stderr.strip()) == \
        (2, "rasterkit: error: missing.toml: no such configuration file")
    _write(tmp_path / "other" / "pyproject.toml", "[project]\nname = 'x'\n")
    done = _cli("diff", "a.png", "b.png", "--config", "other/pyproject.toml", cwd=tmp_path)
    assert done.returncode == 2
    assert "has no [tool.rasterkit] table" in done.stderr
    _write(tmp_path / "other" / "strict.toml", "[diff]\nexact = true\n")
    data = _diff_json(tmp_path, "--config", "other/strict.toml")
    assert data["options"]["exact"] is True
    assert data["config"] == "other/strict.toml"
    done = _cli("diff", "a.png", "b.png", "--config", "x.toml", "--no-config", cwd=tmp_path)
    assert done.returncode == 2
    assert "not allowed with" in done.stderr


# --- the pytest helper ------------------------------------------------------------------------

def test_the_pytest_helper_uses_the_file_and_its_arguments_win(tmp_path, pair) -> None:
    x, y, w, h = EDIT
    _write(tmp_path / "pyproject.toml",
           f'[[tool.rasterkit.diff.rules]]\npaths = ["snap/page.png"]\n'
           f'ignore = ["{x},{y},{w},{h}"]\n')
    a, _ = pair
    for name in ("page.png", "other.png"):
        _write(tmp_path / "snap" / name, "")
        (tmp_path / "snap" / name).write_bytes(a.read_bytes())
    _write(tmp_path / "test_shots.py", (
        "from rasterkit.testing import assert_image_matches\n\n"
        "def test_rule_hides_the_edit():\n"
        "    assert_image_matches('b.png', 'snap/page.png')\n\n"
        "def test_no_rule_for_this_snapshot():\n"
        "    assert_image_matches('b.png', 'snap/other.png')\n\n"
        "def test_arguments_win():\n"
        "    assert_image_matches('b.png', 'snap/page.png', ignore=[(0, 0, 1, 1)])\n"))
    done = subprocess.run([sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider",
                           "--rasterkit-artifacts", str(tmp_path / "art"), "test_shots.py"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=300)
    outcome = dict(re.findall(r"test_shots.py::(\w+) (PASSED|FAILED)", done.stdout))
    assert outcome == {"test_rule_hides_the_edit": "PASSED",
                       "test_no_rule_for_this_snapshot": "FAILED",
                       "test_arguments_win": "FAILED"}, done.stdout


@pytest.mark.parametrize("text", [
    "[tool]\nrasterkit.diff.threshold = 0.3\n",
    "[ tool . rasterkit . diff ]\nthreshold = 0.3\n",
    "tool.rasterkit.diff.threshold = 0.3\n",
])
def test_every_toml_spelling_of_the_table_is_found(tmp_path, text) -> None:
    """pyproject.toml files that cannot hold the table are not parsed (start-up); every way of
    writing it still is."""
    _write(tmp_path / "pyproject.toml", text + "\n[project]\nname = 'rasterkit-user'\n")
    assert config.load(start=tmp_path).defaults == {"threshold": 0.3}
