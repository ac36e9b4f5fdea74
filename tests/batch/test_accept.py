"""diff-dir --accept (issue 20, item 1): the baseline takes the accepted images, nothing else
is touched, nothing is written outside it, and a failure leaves whole files only."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from rasterkit.batch import accept as accepting
from tests.faults.conftest import snapshot
from tests.support.cli import one_line_error

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def review(tmp_path):
    """A baseline (BEFORE) and new screenshots (AFTER): two changed, one new, one deleted,
    one identical, one file that is not an image."""
    before, after = tmp_path / "before", tmp_path / "after"
    (before / "sub").mkdir(parents=True)
    (after / "sub").mkdir(parents=True)
    for name in ("page.png", "sub/page.png"):
        shutil.copy(EXAMPLES / "before.png", before / name)
        shutil.copy(EXAMPLES / "after.png", after / name)
    shutil.copy(EXAMPLES / "before.png", before / "same.png")
    shutil.copy(EXAMPLES / "before.png", after / "same.png")
    shutil.copy(EXAMPLES / "after.png", after / "sub" / "new.png")
    shutil.copy(EXAMPLES / "before.png", before / "old.png")
    (before / "notes.txt").write_text("baseline notes")
    (after / "notes.txt").write_text("other notes")
    return tmp_path


def _same(a: Path, b: Path) -> bool:
    return a.read_bytes() == b.read_bytes()


def test_accept_all_makes_the_baseline_the_new_screenshots(run_cli, review):
    before, after = review / "before", review / "after"
    same = (before / "same.png").stat().st_mtime_ns
    done = run_cli("diff-dir", "before", "after", "--accept", "--json", cwd=review)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["accepted"] == [
        {"path": "old.png", "status": "deleted", "action": "remove"},
        {"path": "page.png", "status": "changed", "action": "copy"},
        {"path": "sub/new.png", "status": "new", "action": "copy"},
        {"path": "sub/page.png", "status": "changed", "action": "copy"}]
    for name in ("page.png", "sub/page.png", "sub/new.png"):
        assert _same(before / name, after / name)
    assert not (before / "old.png").exists()
    assert (before / "same.png").stat().st_mtime_ns == same  # identical: untouched
    assert (before / "notes.txt").read_text() == "baseline notes"  # not an image: untouched
    assert not list(before.rglob("*.part*"))
    again = run_cli("diff-dir", "before", "after", cwd=review)
    assert again.returncode == 0, again.stdout  # nothing left to review


def test_accept_some_paths_and_a_list_from_a_file(run_cli, review):
    before, after = review / "before", review / "after"
    done = run_cli("diff-dir", "before", "after", "--accept", "sub/page.png", cwd=review)
    assert done.returncode == 1  # page.png, sub/new.png and old.png still differ
    assert "accepted changed sub/page.png" in done.stdout
    assert "accepted 1 of 4 differences into before" in done.stdout
    assert _same(before / "sub" / "page.png", after / "sub" / "page.png")
    assert not _same(before / "page.png", after / "page.png")
    (review / "list.txt").write_text("# from the index page\n\nold.png\nsub/new.png\n")
    done = run_cli("diff-dir", "before", "after", "--accept-from", "list.txt", cwd=review)
    assert done.returncode == 1
    assert not (before / "old.png").exists()
    assert _same(before / "sub" / "new.png", after / "sub" / "new.png")
    assert not _same(before / "page.png", after / "page.png")


def test_a_dry_run_changes_nothing(run_cli, review):
    was = snapshot(review)
    done = run_cli("diff-dir", "before", "after", "--accept", "--dry-run", cwd=review)
    assert done.returncode == 1
    assert "would accept deleted old.png" in done.stdout
    assert "would accept 4 of 4 differences into before" in done.stdout
    assert snapshot(review) == was


@pytest.mark.parametrize(("paths", "needle"), [
    (["../after/page.png"], "not a path inside the baseline"),
    (["/etc/passwd"], "not a path inside the baseline"),
    (["page.png", "same.png"], "same.png: not a changed, new or deleted image"),
    (["nowhere.png"], "not a changed, new or deleted image"),
])
def test_paths_outside_or_unknown_are_refused_and_nothing_is_accepted(run_cli, review, paths,
                                                                      needle):
    was = snapshot(review)
    done = run_cli("diff-dir", "before", "after", "--accept", *paths, cwd=review)
    one_line_error(done, needle, "nothing accepted")
    assert snapshot(review) == was


def test_symbolic_links_out_of_the_baseline_are_refused(run_cli, review, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    (outside / "victim.png").write_bytes(b"not to be replaced")
    before = review / "before"
    (before / "page.png").unlink()
    (before / "page.png").symlink_to(outside / "victim.png")
    was = snapshot(outside)
    done = run_cli("diff-dir", "before", "after", "--accept", "page.png", cwd=review)
    one_line_error(done, "page.png", "symbolic link", "nothing accepted")
    (before / "page.png").unlink()
    shutil.copy(EXAMPLES / "before.png", before / "page.png")
    shutil.rmtree(before / "sub")
    (before / "sub").symlink_to(outside, target_is_directory=True)  # new files would land there
    done = run_cli("diff-dir", "before", "after", "--accept", cwd=review)
    assert done.returncode == 2
    assert "symbolic link leads outside the baseline" in done.stderr
    assert snapshot(outside) == was


def test_a_failure_half_way_leaves_whole_files(review, monkeypatch):
    before, after = review / "before", review / "after"
    from rasterkit.batch import diff_dir

    result = diff_dir(before, after, workers=1)
    items = accepting.plan(result.records, before, after)
    copies = []
    real = shutil.copyfile

    def full_after_one(source, target):
        if copies:
            raise OSError(28, "No space left on device")
        copies.append(target)
        return real(source, target)

    monkeypatch.setattr(accepting.shutil, "copyfile", full_after_one)
    old_page = (before / "sub" / "page.png").read_bytes()
    with pytest.raises(Exception, match="disk full"):
        accepting.apply(items, before, after)
    assert _same(before / "page.png", after / "page.png")  # the one copied is whole
    assert (before / "sub" / "page.png").read_bytes() == old_page  # the next is untouched
    assert not (before / "sub" / "new.png").exists()
    assert not [p for p in before.rglob("*") if ".part" in p.name]


def test_dry_run_alone_is_refused(run_cli, review):
    done = run_cli("diff-dir", "before", "after", "--dry-run", cwd=review)
    one_line_error(done, "--dry-run goes with --accept")


@pytest.mark.browser
def test_the_index_page_copies_the_command_that_accepts_the_ticked_pairs(run_cli, review,
                                                                        open_page):
    import subprocess

    quoted = "it's a page.png"  # a name the shell must be given quoted
    shutil.copy(EXAMPLES / "before.png", review / "before" / quoted)
    shutil.copy(EXAMPLES / "after.png", review / "after" / quoted)
    done = run_cli("diff-dir", "before", "after", "-o", "review", cwd=review)
    assert done.returncode == 1, done.stderr
    page, events = open_page(review / "review" / "index.html")
    assert page.locator("#accept").is_hidden()
    assert page.locator("td.pick input").count() == 5  # changed, new and deleted rows only
    for path in (quoted, "old.png"):
        page.check(f'tr[data-path="{path}"] td.pick input')
    assert page.inner_text("#picked") == "2 selected to accept"
    command = page.input_value("#accept-command")
    assert command == "rasterkit diff-dir before after --accept 'it'\\''s a page.png' old.png"
    page.screenshot(path=str(review / "index-accept.png"), full_page=True)
    page.click("#copy")
    assert events["errors"] == []
    # what a reviewer does with it: paste it into a shell where diff-dir ran
    ran = subprocess.run(["bash", "-c", command.replace(
        "rasterkit", f"{sys.executable} -m rasterkit", 1)], cwd=review, capture_output=True,
        text=True, timeout=300)
    assert ran.returncode == 1, ran.stderr  # the other changes remain
    assert _same(review / "before" / quoted, review / "after" / quoted)
    assert not (review / "before" / "old.png").exists()
    assert not _same(review / "before" / "page.png", review / "after" / "page.png")
    page.uncheck('tr[data-path="old.png"] td.pick input')
    page.check("#pick-all")
    assert page.inner_text("#picked") == "5 selected to accept"
    page.uncheck("#pick-all")
    assert page.locator("#accept").is_hidden()


def _fingerprints(run_cli, folder) -> dict[str, list[tuple[str, str]]]:
    done = run_cli("diff-dir", "before", "after", "--json", cwd=folder)
    return {r["path"]: [(h["kind"], h["fingerprint"]) for h in r["hunk_list"]]
            for r in json.loads(done.stdout)["pairs"] if r["status"] == "changed"}


def test_an_accepted_hunk_stops_failing_while_the_others_still_fail(run_cli, tmp_path):
    for side, source in (("before", "before.png"), ("after", "after.png")):
        (tmp_path / side).mkdir()
        shutil.copy(EXAMPLES / source, tmp_path / side / "page.png")
    (removed, one), (added, two), (changed, three) = _fingerprints(run_cli, tmp_path)["page.png"]
    assert (removed, added, changed) == ("removed", "added", "changed")
    was = snapshot(tmp_path / "before")
    dry = run_cli("diff-dir", "before", "after", "--accept-hunk", one, "--dry-run", cwd=tmp_path)
    assert dry.returncode == 1
    assert f"would accept hunk {one} (removed) of page.png" in dry.stdout
    assert snapshot(tmp_path / "before") == was  # nothing stored
    done = run_cli("diff-dir", "before", "after", "--accept-hunk", one, two, cwd=tmp_path)
    assert done.returncode == 1  # the changed hunk still fails
    stored = json.loads((tmp_path / "before" / ".rasterkit-reviewed.json").read_text())
    assert stored["hunks"] == {one: {"kind": "removed", "path": "page.png"},
                               two: {"kind": "added", "path": "page.png"}}
    assert (tmp_path / "before" / "page.png").read_bytes() == \
        (EXAMPLES / "before.png").read_bytes()  # the baseline image is not replaced
    assert run_cli("diff-dir", "before", "after", cwd=tmp_path).returncode == 1
    # the changed hunk alone fails: allow it by size and the pair passes, in a later run too
    assert run_cli("diff-dir", "before", "after", "--allow", "changed<=2788px",
                   cwd=tmp_path).returncode == 0
    assert run_cli("diff-dir", "before", "after", "--accept-hunk", three,
                   cwd=tmp_path).returncode == 0
    later = run_cli("diff-dir", "before", "after", "--json", cwd=tmp_path)
    assert later.returncode == 0
    assert json.loads(later.stdout)["gate"]["allowed"] == ["page.png"]
    # the same pair under another name (another height of the batch): still reviewed
    shutil.copy(EXAMPLES / "before.png", tmp_path / "before" / "copy.png")
    shutil.copy(EXAMPLES / "after.png", tmp_path / "after" / "copy.png")
    assert run_cli("diff-dir", "before", "after", cwd=tmp_path).returncode == 0
    # another edit gets another fingerprint and fails
    shutil.copy(EXAMPLES / "before.png", tmp_path / "after" / "copy.png")
    from rasterkit.io import load_array, save_image

    edited = load_array(EXAMPLES / "before.png").copy()
    edited[100:110, 100:300] = 0
    save_image(edited, tmp_path / "after" / "copy.png")
    assert run_cli("diff-dir", "before", "after", cwd=tmp_path).returncode == 1


def test_an_unknown_fingerprint_stores_nothing(run_cli, tmp_path):
    for side, source in (("before", "before.png"), ("after", "after.png")):
        (tmp_path / side).mkdir()
        shutil.copy(EXAMPLES / source, tmp_path / side / "page.png")
    ((_, real), *_) = _fingerprints(run_cli, tmp_path)["page.png"]
    done = run_cli("diff-dir", "before", "after", "--accept-hunk", real, "0123456789abcdef",
                   cwd=tmp_path)
    one_line_error(done, "0123456789abcdef", "nothing accepted")
    assert not (tmp_path / "before" / ".rasterkit-reviewed.json").exists()
