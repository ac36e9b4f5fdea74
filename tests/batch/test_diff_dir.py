"""``rasterkit diff-dir``: pairing, statuses, index, JSON, exit codes, Dask, the browser."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from rasterkit.batch import diff_dir

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "diff"
HOSTILE = "<img src=x onerror=alert(1)>.png"


@pytest.fixture
def folders(tmp_path):
    """before/ and after/ holding every kind of entry a review meets."""
    before, after = tmp_path / "before", tmp_path / "after"
    (before / "sub").mkdir(parents=True)
    (after / "sub").mkdir(parents=True)
    shutil.copy(FIXTURES / "settings-a.png", before / "settings.png")
    shutil.copy(FIXTURES / "settings-b.png", after / "settings.png")          # changed
    shutil.copy(FIXTURES / "dashboard-a.png", before / "sub" / "same.png")
    shutil.copy(FIXTURES / "dashboard-a.png", after / "sub" / "same.png")     # identical
    shutil.copy(FIXTURES / "dashboard-a.png", before / "gone.png")            # deleted
    shutil.copy(FIXTURES / "dashboard-b.png", after / "fresh.png")            # new
    (after / "notes.txt").write_text("not an image")                          # skipped
    (before / "broken.png").write_bytes((FIXTURES / "dashboard-a.png").read_bytes()[:3000])
    shutil.copy(FIXTURES / "dashboard-a.png", after / "broken.png")           # error
    shutil.copy(FIXTURES / "dashboard-a.png", before / HOSTILE)
    shutil.copy(FIXTURES / "dashboard-b.png", after / HOSTILE)                # changed
    (before / ".git").mkdir()
    (before / ".git" / "x.png").write_bytes(b"hidden")                        # left out
    return before, after


EXPECTED = {"settings.png": "changed", "sub/same.png": "identical", "gone.png": "deleted",
            "fresh.png": "new", "notes.txt": "skipped", "broken.png": "error",
            HOSTILE: "changed"}


def test_statuses_json_and_exit_code(folders, tmp_path, run_cli):
    before, after = folders
    done = run_cli("diff-dir", before, after, "-o", tmp_path / "review", "--json",
                   "--workers", "1")
    assert done.returncode == 2, done.stderr  # a pair failed
    data = json.loads(done.stdout)
    assert {p["path"]: p["status"] for p in data["pairs"]} == EXPECTED
    assert data["summary"]["pairs"] == 7
    assert data["summary"]["changed"] == 2
    assert data["summary"]["error"] == 1
    assert data["complete"] is True
    by_path = {p["path"]: p for p in data["pairs"]}
    changed = by_path["settings.png"]
    assert changed["hunks"] == {"removed": 1, "added": 1, "changed": 1, "moved": 0}
    assert changed["report"] == "pairs/settings.png.html"
    assert (tmp_path / "review" / changed["report"]).exists()
    single = json.loads(run_cli("diff", before / "settings.png", after / "settings.png",
                                "--json").stdout)
    assert changed["hunk_list"] == single["hunks"]
    assert changed["changed_pixels"] == single["summary"]["changed_pixels"]
    assert "truncated or corrupt" in by_path["broken.png"]["note"]
    assert by_path["sub/same.png"]["report"] is None
    assert by_path["fresh.png"]["b"] == {"width": 1400, "height": 2719}
    saved = json.loads((tmp_path / "review" / "results.json").read_text())
    assert saved["pairs"] == data["pairs"]
    lines = (tmp_path / "review" / "results.jsonl").read_text().splitlines()
    assert sorted(json.loads(line)["path"] for line in lines) == sorted(EXPECTED)


def test_text_output_lists_what_differs(folders, run_cli):
    before, after = folders
    done = run_cli("diff-dir", before, after, "--workers", "1")
    lines = done.stdout.splitlines()
    assert lines[-1].startswith(f"{before} vs {after}: 7 files (2 changed, 1 new, 1 deleted, "
                                "1 error, 1 identical, 1 skipped)")
    assert any(line.startswith("changed  settings.png  3 hunks") for line in lines)
    assert "deleted  gone.png" in lines
    assert "new      fresh.png" in lines
    assert not any("same.png" in line for line in lines)
    assert done.stderr.count("\n") == 1  # one note that a pair failed


def test_exit_codes_identical_and_different(tmp_path, run_cli):
    before, after = tmp_path / "b", tmp_path / "a"
    before.mkdir()
    after.mkdir()
    for name in ("x.png", "y.png"):
        shutil.copy(FIXTURES / "dashboard-a.png", before / name)
        shutil.copy(FIXTURES / "dashboard-a.png", after / name)
    assert run_cli("diff-dir", before, after).returncode == 0
    (after / "y.png").unlink()
    assert run_cli("diff-dir", before, after).returncode == 1


@pytest.mark.parametrize("case", ["missing", "file", "output-inside", "output-not-ours"])
def test_unusable_folders_exit_2(folders, tmp_path, run_cli, case):
    before, after = folders
    out = tmp_path / "review"
    if case == "missing":
        before = tmp_path / "nope"
    elif case == "file":
        before = before / "settings.png"
    elif case == "output-inside":
        out = after / "review"
    else:
        out.mkdir()
        (out / "mine.txt").write_text("keep")
    done = run_cli("diff-dir", before, after, "-o", out)
    assert done.returncode == 2
    assert done.stderr.startswith("rasterkit: error: ")
    assert done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr
    if case == "output-not-ours":
        assert sorted(p.name for p in out.iterdir()) == ["mine.txt"]
    if case == "output-inside":
        assert not out.exists()


def test_a_local_dask_cluster_gives_the_same_results(folders, tmp_path):
    from distributed import Client, LocalCluster

    before, after = folders
    local = diff_dir(before, after, workers=1)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster):
        remote = diff_dir(before, after, tmp_path / "review", scheduler=cluster.scheduler_address)
    strip = [{k: v for k, v in r.items() if k not in ("seconds", "report", "thumbnail")}
             for r in local.records]
    assert strip == [{k: v for k, v in r.items() if k not in ("seconds", "report", "thumbnail")}
                     for r in remote.records]
    assert remote.exit_status == local.exit_status == 2
    assert (tmp_path / "review" / "index.html").exists()


@pytest.mark.parametrize("pool", [["--threads", "--workers", "2"], ["--workers", "2"], []])
def test_worker_pools_of_the_command_give_the_same_records(folders, tmp_path, run_cli, pool):
    """Threads in one process, local worker processes, and the default (one per core): each
    ends with every pair's record, equal to a plain in-process run."""
    before, after = folders
    local = diff_dir(before, after, workers=1)
    out = tmp_path / "review"
    done = run_cli("diff-dir", before, after, "-o", out, "--json", *pool)
    assert done.returncode == 2, done.stderr  # the folders hold a broken pair on purpose
    assert "Traceback" not in done.stderr
    data = json.loads(done.stdout)
    assert data["complete"] is True
    drop = ("seconds", "report", "thumbnail")
    got = sorted(({k: v for k, v in r.items() if k not in drop} for r in data["pairs"]),
                 key=lambda r: r["path"])
    assert got == sorted(({k: v for k, v in r.items() if k not in drop}
                          for r in local.records), key=lambda r: r["path"])
    assert (out / "index.html").exists()


def test_unreachable_scheduler_is_one_line(folders, run_cli):
    before, after = folders
    done = run_cli("diff-dir", before, after, "--scheduler", "tcp://127.0.0.1:9")
    assert done.returncode == 2
    assert "cannot reach the Dask scheduler" in done.stderr
    assert done.stderr.count("\n") == 1


@pytest.mark.browser
def test_index_in_chromium_links_sorting_and_escaping(folders, tmp_path, open_page):
    before, after = folders
    result = diff_dir(before, after, tmp_path / "review", workers=2)
    page, events = open_page(tmp_path / "review" / "index.html")
    paths = page.eval_on_selector_all("#rows tr", "rows => rows.map(r => r.dataset.path)")
    assert sorted(paths) == sorted(EXPECTED)
    assert page.locator("img[src=x]").count() == 0
    assert HOSTILE in page.inner_text("#rows")
    # Sort by changed pixels, largest first.
    page.click('th[data-sort="changed_pixels"]')
    order = page.eval_on_selector_all("#rows tr", "rows => rows.map(r => r.dataset.path)")
    pixels = {r["path"]: r["changed_pixels"] for r in result.records}
    assert [pixels[p] for p in order] == sorted(pixels.values(), reverse=True)
    # Filter: only errors.
    for status in ("changed", "new", "deleted", "identical", "skipped"):
        page.click(f'#filters [data-status="{status}"]')
    assert page.eval_on_selector_all("#rows tr", "r => r.map(x => x.dataset.path)") == \
        ["broken.png"]
    page.click('#filters [data-status="changed"]')
    page.fill("#search", "onerror")
    assert page.eval_on_selector_all("#rows tr", "r => r.map(x => x.dataset.path)") == [HOSTILE]
    # The hostile pair's report link works and its own page escapes the name too.
    with page.expect_navigation():
        page.click("#rows tr a.report")
    page.wait_for_selector("body[data-ready]")
    assert HOSTILE in page.inner_text("header")
    assert page.locator("#hunk-list li").count() == 3
    assert events["dialogs"] == []
    assert events["requests"] == []
    assert events["errors"] == []


@pytest.mark.browser
def test_index_with_five_thousand_pairs_stays_fast(tmp_path, open_page):
    from rasterkit.batch.index import document, write_index
    from rasterkit.batch.work import HUNK_KINDS

    records = []
    for i in range(5000):
        status = ("changed", "identical", "identical", "new", "error")[i % 5]
        records.append({
            "path": f"suite/{i % 50:02d}/shot{i:04d}.png", "status": status,
            "a": {"width": 1400, "height": 3000}, "b": {"width": 1400, "height": 3000},
            "hunks": dict.fromkeys(HUNK_KINDS, i % 3 if status == "changed" else 0),
            "changed_rows": (i * 37) % 900 if status == "changed" else 0,
            "changed_pixels": (i * 7919) % 100000 if status == "changed" else 0,
            "noise_rows": 0, "report": None, "thumbnail": None, "marks": [],
            "note": "boom" if status == "error" else None, "seconds": 0.1})
    write_index(tmp_path, document("b", "a", records, {}, True))
    page, events = open_page(tmp_path / "index.html")
    assert page.locator("#rows tr").count() == 5000
    page.click('th[data-sort="changed_rows"]')
    largest = max(r["changed_rows"] for r in records)
    assert page.eval_on_selector("#rows tr td:nth-child(6)", "c => c.textContent") == \
        f"{largest:,}"
    page.fill("#search", "shot0042")
    assert page.locator("#rows tr").count() == 1
    assert events["errors"] == []


def test_sixteen_bit_pairs_get_thumbnails_and_reports(tmp_path):
    import numpy as np
    import pyvips

    before, after = tmp_path / "before", tmp_path / "after"
    before.mkdir()
    after.mkdir()
    page = pyvips.Image.new_from_file(str(FIXTURES / "dashboard-a.png"))
    deep = (page.cast("ushort") * 257).bandjoin_const([65535]).copy(interpretation="rgb16")
    deep.write_to_file(str(before / "deep.png"))
    edited = np.ndarray(buffer=deep.write_to_memory(), dtype=np.uint16,
                        shape=(deep.height, deep.width, 4)).copy()
    edited[100:140, 200:400, :3] = 0
    pyvips.Image.new_from_memory(edited.data, deep.width, deep.height, 4, "ushort").copy(
        interpretation="rgb16").write_to_file(str(after / "deep.png"))
    (record,) = diff_dir(before, after, tmp_path / "review", workers=1).records
    assert record["status"] == "changed", record["note"]
    thumb = pyvips.Image.new_from_file(str(tmp_path / "review" / record["thumbnail"]))
    assert (thumb.format, thumb.bands) == ("uchar", 3)
    assert thumb.avg() > 128  # a white page, not a dark one (16-bit and alpha handled)
    assert (tmp_path / "review" / record["report"]).exists()
