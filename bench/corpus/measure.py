"""Run a tool as a whole process and measure it: wall time and peak memory.

Peak memory is what GNU ``/usr/bin/time`` reports (``%M``: the largest resident set of the
process, or of a descendant it waited for). It wraps the tool so that the measurement is not
inflated by this (large) Python process: on Linux a forked child's high-water mark starts at
its parent's size.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

GNU_TIME = "/usr/bin/time"


@dataclasses.dataclass(frozen=True)
class Run:
    """One process run: exit status, stdout/stderr text, wall seconds, peak RSS in MB
    (10^6 bytes; 0 when unknown); ``timed_out`` when it was killed at the time limit."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float
    timed_out: bool = False


def run_measured(argv: Sequence[str | Path], timeout: float = 600.0,
                 cwd: Path | None = None) -> Run:
    """Run ``argv`` under GNU time to completion (outputs captured in files, so a large
    output cannot block it), killing its process group after ``timeout`` seconds."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "rss"
        command = [GNU_TIME, "-f", "%M", "-o", str(report), *map(str, argv)]
        with open(Path(folder) / "out", "w+b") as out, open(Path(folder) / "err", "w+b") as err:
            start = time.perf_counter()
            process = subprocess.Popen(command, stdout=out, stderr=err, cwd=cwd,
                                       start_new_session=True)
            timed_out = False
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                timed_out = True
            seconds = time.perf_counter() - start
            out.seek(0)
            err.seek(0)
            stdout, stderr = (f.read().decode(errors="replace") for f in (out, err))
        words = report.read_text().split() if report.exists() else []
        kilobytes = words[-1] if words else ""
        peak_mb = int(kilobytes) * 1024 / 1e6 if kilobytes.isdigit() else 0.0
        return Run(process.returncode, stdout, stderr, seconds, peak_mb, timed_out)
