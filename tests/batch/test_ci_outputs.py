"""diff-dir's CI outputs (issue 20, item 3): JUnit XML read by a real consumer (junitparser),
Markdown rendered (markdown-it-py) and checked cell by cell, both compared with the batch's
JSON, links that resolve, and refusals before any work."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest

from rasterkit.batch.ci import found, junit_xml, markdown_summary
from tests.support.cli import one_line_error

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ODD = "odd | *name* [x].png"  # a file name full of Markdown syntax


@pytest.fixture
def folders(tmp_path):
    before, after = tmp_path / "before", tmp_path / "after"
    before.mkdir()
    after.mkdir()
    shutil.copy(EXAMPLES / "before.png", before / "page.png")
    shutil.copy(EXAMPLES / "after.png", after / "page.png")
    shutil.copy(EXAMPLES / "before.png", before / "same.png")
    shutil.copy(EXAMPLES / "before.png", after / "same.png")
    shutil.copy(EXAMPLES / "before.png", before / ODD)
    shutil.copy(EXAMPLES / "after.png", after / ODD)
    shutil.copy(EXAMPLES / "before.png", after / "new.png")
    shutil.copy(EXAMPLES / "before.png", before / "old.png")
    (before / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    (after / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    (before / "notes.txt").write_text("not an image")
    (after / "notes.txt").write_text("not an image")
    return tmp_path


def _batch(run_cli, folders, *extra):
    done = run_cli("diff-dir", "before", "after", "-o", "review", "--json", *extra,
                   cwd=folders)
    assert done.returncode == 2, done.stderr  # broken.png is an error pair
    assert done.stdout, done.stderr
    return json.loads(done.stdout)


#: Fetched by ``make test`` from pytest's source distribution (tests/support/fetch_junit_xsd.py).
JUNIT_XSD = Path(sys.prefix) / "share" / "junit-10.xsd"


def test_junit_is_valid_against_the_junit_schema(run_cli, folders):
    """The schema pytest checks its own --junitxml against (Jenkins' xunit plugin's)."""
    import xmlschema

    assert JUNIT_XSD.is_file(), f"{JUNIT_XSD} is missing: `make test` fetches it"
    schema = xmlschema.XMLSchema(str(JUNIT_XSD))
    (folders / "ci").mkdir()
    _batch(run_cli, folders, "--junit", "ci/results.xml")
    written = folders / "ci" / "results.xml"
    schema.validate(str(written))
    # the check is not vacuous: a test case without its name is refused
    broken = re.sub(r'(<testcase classname="[^"]*") name=', r"\1 label=", written.read_text(),
                    count=1)
    assert broken != written.read_text()
    assert not schema.is_valid(broken)


def test_junit_is_read_by_a_real_consumer(run_cli, folders):
    from junitparser import Error, Failure, JUnitXml, Skipped

    (folders / "ci").mkdir()
    data = _batch(run_cli, folders, "--junit", "ci/results.xml")
    written = (folders / "ci" / "results.xml").read_text()
    assert written == junit_xml(data, folders / "review", folders / "ci")  # the library's
    suite = next(iter(JUnitXml.fromfile(str(folders / "ci" / "results.xml"))))
    records = {r["path"]: r for r in data["pairs"]}
    assert suite.tests == len(records)
    assert suite.failures == 4  # 2 changed, 1 new, 1 deleted
    assert suite.errors == 1
    assert suite.skipped == 1
    cases = {case.name: case for case in suite}
    assert set(cases) == set(records)
    for name, case in cases.items():
        status = records[name]["status"]
        kinds = [type(r) for r in case.result]
        expected = {"changed": [Failure], "new": [Failure], "deleted": [Failure],
                    "error": [Error], "skipped": [Skipped], "identical": []}[status]
        assert kinds == expected, (name, status)
        if status in ("changed", "new", "deleted"):
            assert case.result[0].type == status
            assert case.result[0].message == found(records[name])
        if status == "changed":
            hunks = records[name]["hunk_list"]
            assert case.result[0].text.count("@@ -") == len(hunks)
            attachment = case.system_out.removeprefix("[[ATTACHMENT|").removesuffix("]]")
            assert (folders / "ci" / attachment).resolve() == \
                (folders / "review" / records[name]["report"]).resolve()
            assert (folders / "ci" / attachment).is_file()


def _table(html: str) -> list[list[str]]:
    from html.parser import HTMLParser

    rows: list[list[str]] = []

    class Cells(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "tr":
                rows.append([])
            elif tag in ("td", "th"):
                rows[-1].append("")
            elif tag == "a":
                rows[-1][-1] += f"<{dict(attrs)['href']}>"

        def handle_data(self, text):
            if rows and rows[-1]:
                rows[-1][-1] += text

    Cells().feed(html)
    return [[cell.strip() for cell in row] for row in rows]


def test_markdown_renders_to_the_table_of_what_changed(run_cli, folders):
    from markdown_it import MarkdownIt

    data = _batch(run_cli, folders, "--markdown", "summary.md")
    text = (folders / "summary.md").read_text()
    assert text == markdown_summary(data, folders / "review", folders)
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert "<h3>rasterkit diff-dir: 7 files (2 changed, 1 new, 1 deleted, 1 error, 1 identical, " \
           "1 skipped)</h3>" in html
    header, *rows = _table(html)
    assert header == ["status", "image", "what changed", "report"]
    shown = [r for r in data["pairs"] if r["status"] != "identical"]
    assert [row[:3] for row in rows] == [[r["status"], r["path"], found(r)] for r in shown]
    for row, record in zip(rows, shown, strict=True):
        if record["report"]:
            href = row[3].split("<")[1].split(">")[0]
            target = folders / unquote(href)
            assert target.resolve() == (folders / "review" / record["report"]).resolve()
            assert target.is_file()
        else:
            assert row[3] == ""


def test_markdown_to_standard_output(run_cli, folders):
    done = run_cli("diff-dir", "before", "after", "--markdown", "-", cwd=folders)
    assert done.returncode == 2
    assert done.stdout.startswith("### rasterkit diff-dir: 7 files")
    assert "changed  page.png" not in done.stdout  # the Markdown replaces the text listing
    assert "| changed | page.png |" in done.stdout


@pytest.mark.parametrize(("option", "target", "needle"), [
    ("--junit", "before/r.xml", "must not be inside"),
    ("--junit", "review/r.xml", "must not be inside"),
    ("--markdown", ".", "is a folder"),
    ("--markdown", "nowhere/s.md", "does not exist"),
])
def test_bad_ci_outputs_are_refused_before_work(run_cli, folders, option, target, needle):
    done = run_cli("diff-dir", "before", "after", "-o", "review", option, target, cwd=folders)
    one_line_error(done, needle)
    assert not (folders / "review").exists()
    assert sorted(p.name for p in (folders / "before").iterdir()) == sorted(
        ["page.png", "same.png", ODD, "old.png", "broken.png", "notes.txt"])


def test_markdown_dash_and_json_together_are_refused(run_cli, folders):
    done = run_cli("diff-dir", "before", "after", "--json", "--markdown", "-", cwd=folders)
    one_line_error(done, "--markdown -", "--json")
