"""Shared fixtures: a temporary folder of real image files, the CLI runner."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture
def run_cli():
    """Run ``rasterkit ARGS...`` in a subprocess; returns CompletedProcess (text mode)."""

    def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "rasterkit.cli.main", *map(str, args)],
                              capture_output=True, text=True, cwd=cwd, timeout=600)

    return run
