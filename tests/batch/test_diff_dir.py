"""``rasterkit diff-dir``: pairing, statuses, index, JSON, exit codes, Dask, the browser."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import unquote

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
    drop = ("seconds", "report", "thumbnail", "preview")  # where files went, how long it took
    strip = [{k: v for k, v in r.items() if k not in drop} for r in local.records]
    assert strip == [{k: v for k, v in r.items() if k not in drop} for r in remote.records]
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
    drop = ("seconds", "report", "thumbnail", "preview")
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
            "noise_rows": 0, "report": None,
            "thumbnail": None if status == "error" else "thumbs/shared.png",
            "preview": "thumbs/shared.png" if status == "new" else None,
            "marks": [[0.1, 0.2, "changed"]] if status == "changed" else [],
            "note": "boom" if status == "error" else None, "seconds": 0.1})
    (tmp_path / "thumbs").mkdir()
    shutil.copy(FIXTURES / "dashboard-a.png", tmp_path / "thumbs" / "shared.png")
    write_index(tmp_path, document("b", "a", records, {}, True))
    page, events = open_page(tmp_path / "index.html")
    assert page.locator("#rows tr").count() == 5000
    page.click('th[data-sort="changed_rows"]')
    largest = max(r["changed_rows"] for r in records)
    assert page.eval_on_selector("#rows tr td:nth-child(6)", "c => c.textContent") == \
        f"{largest:,}"
    assert page.locator("#rows a.thumblink").count() == 4000  # every picture is a link
    page.fill("#search", "shot0042")
    assert page.locator("#rows tr").count() == 1
    page.fill("#search", "shot0043")  # a new image: its thumbnail opens the viewer
    page.click("#rows a.thumblink")
    assert page.eval_on_selector("#viewer", "d => d.open")
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


@pytest.mark.browser
def test_index_thumbnails_viewer_and_pair_navigation(folders, tmp_path, open_page,
                                                     keep_screenshot):
    """Every thumbnail is a link (a changed pair's to its report, the others' to the viewer);
    the viewer shows new and deleted images whole; each report links back to the index and to
    the previous / next changed pair in path order, by link and by key."""
    import numpy as np
    import pyvips

    before, after = folders
    review = tmp_path / "review"
    records = {r["path"]: r for r in diff_dir(before, after, review, workers=1).records}
    page, events = open_page(review / "index.html", width=1400, height=900)
    keep_screenshot(page, "diff-dir-index")
    links = page.eval_on_selector_all(
        "#rows tr", "rows => rows.map(r => [r.dataset.path, "
        "r.querySelector('a.thumblink') && r.querySelector('a.thumblink').getAttribute('href')])")
    for path, link in links:
        record = records[path]
        if record["thumbnail"] is None:
            assert link is None, path  # error and skipped pairs have no picture
        elif record["report"]:
            assert (review / unquote(link)).resolve() == (review / record["report"]).resolve()
        else:
            assert link.startswith("#"), path
    assert sum(link is not None for _, link in links) == 5

    for path, source in (("fresh.png", after / "fresh.png"), ("gone.png", before / "gone.png")):
        page.click(f'tr[data-path="{path}"] a.thumblink')
        page.wait_for_function("() => document.getElementById('viewer-image').complete && "
                               "document.getElementById('viewer-image').naturalWidth > 0")
        assert page.eval_on_selector("#viewer", "d => d.open")
        assert page.inner_text("#viewer-path") == path
        assert page.inner_text("#viewer-status") == records[path]["status"]
        shown = page.eval_on_selector("#viewer-image", "i => [i.naturalWidth, i.naturalHeight]")
        image = pyvips.Image.new_from_file(str(source))
        assert shown == [image.width, image.height]
        # the preview the viewer shows holds the image's own pixels (read back)
        kept = pyvips.Image.new_from_file(str(review / records[path]["preview"]))
        assert np.array_equal(kept.numpy(), image.numpy()[..., :3])
        keep_screenshot(page, f"diff-dir-viewer-{records[path]['status']}")
        page.keyboard.press("Escape")
        assert not page.eval_on_selector("#viewer", "d => d.open")

    # The viewer steps through what is shown, in the table's order.
    page.click('tr[data-path="fresh.png"] a.thumblink')
    order = [p for p, link in links if link and link.startswith("#")]
    page.keyboard.press("ArrowRight")
    assert page.inner_text("#viewer-path") == order[order.index("fresh.png") + 1]
    page.keyboard.press("Escape")

    # Reports: changed pairs in path order, linked both ways and back to the index.
    changed = sorted(p for p, r in records.items() if r["report"])
    with page.expect_navigation():
        page.click(f'tr[data-path="{changed[0]}"] a.thumblink')
    page.wait_for_selector("body[data-ready]")
    keep_screenshot(page, "diff-dir-pair-report")
    assert page.inner_text("#pair-position") == f"pair 1 of {len(changed)}"
    assert page.get_attribute("#pair-prev", "aria-disabled") == "true"
    for number, path in enumerate(changed[1:], 2):
        with page.expect_navigation():
            page.keyboard.press("]")
        page.wait_for_selector("body[data-ready]")
        assert page.inner_text("#pair-position") == f"pair {number} of {len(changed)}"
        assert path in page.inner_text("header")
        assert unquote(page.url).endswith("/review/" + records[path]["report"])
    assert page.get_attribute("#pair-next", "aria-disabled") == "true"
    with page.expect_navigation():
        page.click("#pair-prev")
    page.wait_for_selector("body[data-ready]")
    assert page.inner_text("#pair-position") == f"pair {len(changed) - 1} of {len(changed)}"
    with page.expect_navigation():
        page.keyboard.press("i")
    page.wait_for_selector("body[data-ready]")
    assert page.url == (review / "index.html").resolve().as_uri()
    assert events["errors"] == []
    assert events["requests"] == []


@pytest.mark.browser
def test_index_link_to_a_new_image_opens_the_viewer(folders, tmp_path, open_page):
    before, after = folders
    diff_dir(before, after, tmp_path / "review", workers=1)
    page, _ = open_page(tmp_path / "review" / "index.html", fragment="#fresh.png")
    assert page.eval_on_selector("#viewer", "d => d.open")
    assert page.inner_text("#viewer-path") == "fresh.png"


def test_pair_links_are_relative_encoded_and_in_path_order():
    from rasterkit.batch.navigation import pair_links

    records = [{"path": p, "report": f"pairs/{p}.html"} for p in
               ("z.png", "a b/c#d.png", "a b/e?.png")] + [{"path": "n.png", "report": None}]
    links = pair_links(records)
    assert list(links) == ["pairs/a b/c#d.png.html", "pairs/a b/e?.png.html", "pairs/z.png.html"]
    first = links["pairs/a b/c#d.png.html"]
    assert first == {"index": "../../index.html", "position": 1, "total": 3, "prev": None,
                     "next": {"path": "a b/e?.png", "href": "e%3F.png.html"}}
    last = links["pairs/z.png.html"]
    assert last["prev"] == {"path": "a b/e?.png", "href": "a%20b/e%3F.png.html"}
    assert last["index"] == "../index.html"
    assert last["next"] is None


def test_marks_stay_inside_the_page_when_the_end_is_removed(tmp_path):
    """Rows removed at the very end of B: the mark sits on B's last row, not below it."""
    import numpy as np
    import pyvips

    rng = np.random.default_rng(4)
    page = rng.integers(0, 256, (40, 30, 3), dtype=np.uint8)
    for folder, rows in (("before", page), ("after", page[:36])):
        (tmp_path / folder).mkdir()
        pyvips.Image.new_from_array(rows).write_to_file(str(tmp_path / folder / "p.png"))
    (record,) = diff_dir(tmp_path / "before", tmp_path / "after", workers=1).records
    assert record["status"] == "changed"
    assert record["marks"] == [[round(35 / 36, 4), 1.0, "removed"]]
