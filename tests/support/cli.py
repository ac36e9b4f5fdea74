"""Assertions about command-line runs shared by the CLI tests."""

from __future__ import annotations

import subprocess


def one_line_error(done: subprocess.CompletedProcess[str], *needles: str) -> str:
    """Assert a run failed the rasterkit way: status 2, nothing on stdout, one line
    ``rasterkit: error: ...`` on stderr containing every needle (no traceback, not a bug)."""
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("rasterkit: error: ")
    assert "Traceback" not in done.stderr
    assert "this is a bug" not in done.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]
