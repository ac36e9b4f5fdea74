"""Run a tool as a whole process and measure it: wall time and peak memory.

Peak memory is the largest resident set of the process or of any descendant it waited for
(Linux ``wait4`` rusage, as ``/usr/bin/time -v`` reports it), so node's or a shell's children
are counted.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path


@dataclasses.dataclass(frozen=True)
class Run:
    """One process run: exit status, stdout/stderr text, wall seconds, peak RSS in MB
    (10^6 bytes); ``timed_out`` when it was killed at the time limit."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float
    timed_out: bool = False


def run_measured(argv: Sequence[str | Path], timeout: float = 600.0,
                 cwd: Path | None = None) -> Run:
    """Run ``argv`` to completion (stdout and stderr captured in files, so a large output
    cannot block it), killing it after ``timeout`` seconds."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen([str(a) for a in argv], stdout=out, stderr=err, cwd=cwd)
        timed_out = False
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - start > timeout:
                process.kill()
                timed_out = True
                _, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.002)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(process.returncode, out.read().decode(errors="replace"),
                   err.read().decode(errors="replace"), seconds,
                   usage.ru_maxrss * 1024 / 1e6, timed_out)
