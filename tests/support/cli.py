"""Assertions about command-line runs shared by the CLI tests."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

#: Runs the command line in-process and prints, on the last line of stderr, whether numpy
#: was imported (whatever the exit status).
_NUMPY_WRAPPER = """
import json, sys
from rasterkit.cli.main import main
try:
    status = main(sys.argv[1:])
finally:
    print(json.dumps("numpy" in sys.modules), file=sys.stderr)
sys.exit(status)
"""


def run_noting_numpy(args, cwd: Path) -> tuple[subprocess.CompletedProcess[str], bool]:
    """Run ``rasterkit ARGS`` in a fresh process: (the process, whether it imported numpy)."""
    done = subprocess.run([sys.executable, "-c", _NUMPY_WRAPPER, *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=600)
    return done, json.loads(done.stderr.strip().splitlines()[-1])


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
