"""``rasterkit.testing``: the assertion and the pytest plugin, run in a real pytest subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np

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
    tmp_path.mkdir(parents=True, exist_ok=True)
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


def test_failure_names_the_hunks_and_keeps_the_evidence_outside_the_tree(tmp_path):
    folder = project(tmp_path / "project", "dashboard-b.png", "dashboard-a.png")
    artifacts = tmp_path / "artifacts"
    done = run_pytest(folder, env={"RASTERKIT_ARTIFACTS": str(artifacts)})
    assert done.returncode == 1
    out = done.stdout
    assert "image differs from snapshot" in out
    assert "3 hunks (1 removed, 1 added, 1 changed)" in out
    assert "@@ -486:768 +486:486 @@ removed 282 rows" in out
    assert "--rasterkit-update" in out
    assert "rasterkit/testing.py" not in out  # no frames of the library
    (evidence,) = artifacts.iterdir()
    assert f"expected, actual and report: {evidence}" in out
    assert f"report: {evidence / 'report.html'}" in out
    assert sorted(p.name for p in evidence.iterdir()) == ["actual.png", "expected.png",
                                                          "report.html", "report_files"]
    assert (evidence / "expected.png").read_bytes() == \
        (folder / "snapshots" / "page.png").read_bytes()
    from rasterkit.io import load_array

    assert np.array_equal(load_array(evidence / "actual.png"),
                          load_array(FIXTURES / "dashboard-b.png"))
    assert sorted(p.name for p in (folder / "snapshots").iterdir()) == ["page.png"]
    shutil.copy(FIXTURES / "dashboard-a.png", folder / "current.png")
    assert run_pytest(folder, env={"RASTERKIT_ARTIFACTS": str(artifacts)}).returncode == 0
    assert not evidence.exists()  # a pass removes its evidence


def test_the_artifacts_option_wins(tmp_path):
    folder = project(tmp_path / "project", "dashboard-b.png", "dashboard-a.png")
    done = run_pytest(folder, "--rasterkit-artifacts", str(tmp_path / "chosen"),
                      env={"RASTERKIT_ARTIFACTS": str(tmp_path / "variable")})
    assert done.returncode == 1
    assert (tmp_path / "chosen").is_dir()
    assert not (tmp_path / "variable").exists()


BUDGET_TEST = '''
from pathlib import Path
from rasterkit.testing import assert_image_matches

HERE = Path(__file__).parent

def test_page():
    assert_image_matches(HERE / "current.png", HERE / "snapshots" / "page.png",
                         max_changed_rows={rows}, max_changed_pixels={pixels})
'''


def test_budgets_let_small_changes_pass(tmp_path):
    from rasterkit import diff
    from rasterkit.testing import changed_amount

    result = diff(FIXTURES / "dashboard-a.png", FIXTURES / "dashboard-b.png")
    rows, pixels = changed_amount(result)
    assert rows == sum(max(h.a_rows, h.b_rows) for h in result.hunks) > 0
    folder = project(tmp_path, "dashboard-b.png", "dashboard-a.png")
    for budget, status in (((rows, pixels), 0), ((rows - 1, pixels), 1),
                           ((rows, pixels - 1), 1), ((10**9, 10**12), 0)):
        (folder / "test_shot.py").write_text(BUDGET_TEST.format(rows=budget[0],
                                                                pixels=budget[1]))
        done = run_pytest(folder)
        assert done.returncode == status, (budget, done.stdout)
        if status:
            assert f"changed {rows:,} rows, {pixels:,} px" in done.stdout


FIXTURE_TEST = '''
from pathlib import Path

HERE = Path(__file__).parent

def test_home(rasterkit_snapshot):
    rasterkit_snapshot(HERE / "current.png")
    rasterkit_snapshot(HERE / "current.png")
    rasterkit_snapshot(HERE / "current.png", name="wide view")

def test_other(rasterkit_snapshot):
    rasterkit_snapshot((HERE / "current.png").read_bytes())
'''


def test_the_fixture_names_snapshots_after_the_test(tmp_path):
    folder = project(tmp_path, "dashboard-a.png", None)
    (folder / "test_shot.py").write_text(FIXTURE_TEST)
    done = run_pytest(folder)
    assert done.returncode == 1
    assert "2 failed" in done.stdout
    assert "no snapshot" in done.stdout
    assert run_pytest(folder, "--rasterkit-update").returncode == 0
    made = folder / "__snapshots__" / "test_shot"
    assert sorted(p.name for p in made.iterdir()) == [
        "test_home-2.png", "test_home-wide-view.png", "test_home.png", "test_other.png"]
    assert run_pytest(folder).returncode == 0
    shutil.copy(FIXTURES / "dashboard-b.png", folder / "current.png")
    done = run_pytest(folder, env={"RASTERKIT_ARTIFACTS": str(tmp_path / "art")})
    assert done.returncode == 1
    assert "2 failed" in done.stdout


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


def test_the_assertion_imports_without_pytest(tmp_path):
    """pytest is not a runtime dependency: the assertion works without it (unittest, scripts)."""
    shutil.copy(FIXTURES / "dashboard-a.png", tmp_path / "shot.png")
    code = ("import sys; sys.modules['pytest'] = None\n"
            "from rasterkit.testing import assert_image_matches\n"
            "assert_image_matches('shot.png', 'shot.png')\n"
            "print('matched')")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "matched"
