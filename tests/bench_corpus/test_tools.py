"""Reading the tools' answers."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pyvips
from bench.corpus.measure import Run
from bench.corpus.tools import Pair, parse_gnu_diff, read_odiff, read_rasterkit, red_rows
from bench.corpus.truth import Hunk

PAIR = Pair(Path("a.png"), Path("b.png"), 100, 90, Path("."))


def run(stdout: str) -> Run:
    return Run(1, stdout, "", 0.1, 10.0)


def test_gnu_diff_normal_format_to_half_open_rows():
    hunks = parse_gnu_diff("5,7c5,6\n< 1\n---\n> 2\n3a4,9\n> x\n8,9d7\n12c11\n")
    assert hunks == [Hunk((4, 7), (4, 6)), Hunk(None, (3, 9)), Hunk((7, 9), None),
                     Hunk((11, 12), (10, 11))]


def test_odiff_parsable_lines_are_picture_rows():
    output = read_odiff(run("1234;1.5;3,4,5,9,95"), PAIR)
    assert output.rows_a == ((3, 6), (9, 10), (95, 96))
    assert output.rows_b == ((3, 6), (9, 10))
    assert read_odiff(run(""), PAIR).hunks == ()


def test_rasterkit_json_hunks():
    text = ('{"hunks": [{"kind": "removed", "a": [10, 20], "b": [10, 10]},'
            ' {"kind": "moved", "a": [40, 50], "b": [60, 70]}]}')
    output = read_rasterkit(run(text), PAIR)
    assert output.rows_a == ((10, 20), (40, 50))
    assert output.rows_b == ((60, 70),)  # an empty range flags nothing


def test_red_rows_of_a_difference_picture(tmp_path):
    pixels = np.full((30, 8, 3), 255, np.uint8)
    pixels[3:5, 2] = (255, 0, 0)
    pixels[20, 7] = (255, 0, 0)
    pixels[25, 1] = (250, 0, 0)  # not the highlight colour
    path = tmp_path / "diff.png"
    pyvips.Image.new_from_array(pixels, interpretation="srgb").write_to_file(str(path))
    assert red_rows(path) == ((3, 5), (20, 21))


def test_measured_run_reports_the_tool_s_own_peak_memory_and_time():
    from bench.corpus.measure import run_measured

    small = run_measured([sys.executable, "-c", "pass"])
    big = run_measured([sys.executable, "-c", "x = bytearray(150_000_000); print(len(x))"])
    assert big.returncode == 0
    assert big.stdout.strip() == "150000000"
    assert big.peak_mb >= 150 > small.peak_mb > 1
    assert big.seconds > 0


def test_measured_run_is_killed_at_its_time_limit():
    from bench.corpus.measure import run_measured

    run = run_measured([sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.5)
    assert run.timed_out
    assert run.seconds < 10
