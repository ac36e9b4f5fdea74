"""Helpers for the hostile-input tests: folder snapshots and a small full disk."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

import pytest


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (relative name -> SHA-256), folders as ``<dir>``."""
    found = {}
    for path in sorted(folder.rglob("*")):
        key = os.fspath(path.relative_to(folder))
        found[key] = "<dir>" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@pytest.fixture
def small_disk(tmp_path):
    """A folder on a tmpfs of a given size in KiB (root only): ``small_disk(kib) -> Path``."""
    mounts = []

    def make(kib: int) -> Path:
        if os.geteuid() != 0:
            pytest.skip("a full disk needs a tmpfs mount, which needs root")
        where = tmp_path / f"disk{len(mounts)}"
        where.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={kib}k", "tmpfs",
                               os.fspath(where)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
        mounts.append(where)
        return where

    yield make
    for where in mounts:
        subprocess.run(["umount", os.fspath(where)], check=False)


@pytest.fixture
def read_only_folder(small_disk):
    """An empty folder on a read-only file system (root can write into a mode-555 folder, so
    a read-only mount is the only honest test here)."""
    where = small_disk(64)
    done = subprocess.run(["mount", "-o", "remount,ro", os.fspath(where)], capture_output=True,
                          text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot remount read-only: {done.stderr.strip()}")
    return where
