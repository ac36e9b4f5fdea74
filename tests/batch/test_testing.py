"""``rasterkit.testing``: the assertion and the pytest plugin, run in a real pytest subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "diff"

TEST_FILE = '''
from pathlib import Path
from rasterkit.testing import assert_image_matches

HERE = Path(__file__).parent

def test_page():
    assert_image_matches((HERE / "current.png").read_bytes(), HERE / "snapshots" / "page.png")
'''


def run_pytest(folder: Path, *args: str, env: dict[str, str] | None = None
               ) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "RASTERKIT_UPDATE"}
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           str(folder / "test_shot.py"), *args],
                          capture_output=True, text=True, cwd=folder, env=environment,
                          timeout=300)


def project(tmp_path: Path, current: str, snapshot: str | None) -> Path:
    (tmp_path / "test_shot.py").write_text(TEST_FILE)
    shutil.copy(FIXTURES / current, tmp_path / "current.png")
    if snapshot:
        (tmp_path / "snapshots").mkdir()
        shutil.copy(FIXTURES / snapshot, tmp_path / "snapshots" / "page.png")
    return tmp_path


def test_matching_snapshot_passes(tmp_path):
    folder = project(tmp_path, "dashboard-a.png", "dashboard-a.png")
    done = run_pytest(folder)
    assert done.returncode == 0, done.stdout
    assert "1 passed" in done.stdout


def test_failure_names_the_hunks_the_report_and_the_fix(tmp_path):
    folder = project(tmp_path, "dashboard-b.png", "dashboard-a.png")
    done = run_pytest(folder)
    assert done.returncode == 1
    out = done.stdout
    assert "image differs from snapshot" in out
    assert "3 hunks (1 removed, 1 added, 1 changed)" in out
    assert "@@ -486:768 +486:486 @@ removed 282 rows" in out
    report = folder / "snapshots" / ".rasterkit-reports" / "page.png.html"
    assert f"report: {report}" in out
    assert report.exists()
    assert "--rasterkit-update" in out


def test_update_flag_and_variable_write_the_snapshot(tmp_path):
    folder = project(tmp_path, "dashboard-b.png", "dashboard-a.png")
    snapshot = folder / "snapshots" / "page.png"
    done = run_pytest(folder, "--rasterkit-update")
    assert done.returncode == 0, done.stdout
    from rasterkit import diff

    assert diff(snapshot, FIXTURES / "dashboard-b.png", exact=True).identical
    assert run_pytest(folder).returncode == 0  # now it matches
    shutil.copy(FIXTURES / "dashboard-a.png", folder / "current.png")
    assert run_pytest(folder, env={"RASTERKIT_UPDATE": "1"}).returncode == 0
    assert diff(snapshot, FIXTURES / "dashboard-a.png", exact=True).identical


def test_missing_snapshot_fails_with_the_command(tmp_path):
    folder = project(tmp_path, "dashboard-a.png", None)
    done = run_pytest(folder)
    assert done.returncode == 1
    assert "no snapshot" in done.stdout
    assert "--rasterkit-update" in done.stdout
    assert run_pytest(folder, "--rasterkit-update").returncode == 0
    assert (folder / "snapshots" / "page.png").exists()
