"""--fail-on / --allow (issue 20, item 2): which hunks fail, at the boundaries, in diff and
diff-dir, in text and JSON."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from rasterkit.errors import BadInputError
from rasterkit.linediff.gate import Gate
from rasterkit.linediff.result import Hunk
from tests.support.cli import one_line_error

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PAIR = (str(EXAMPLES / "before.png"), str(EXAMPLES / "after.png"))
# The example pair: removed 287 rows, added 199 rows, changed 20 rows with 2,788 px.


def test_rules_at_their_boundaries():
    added = Hunk("added", (5, 5), (5, 205))
    changed = Hunk("changed", (0, 20), (0, 30), changed_pixels=500)
    assert Gate.parse().fails(added, 100)
    assert not Gate.parse().active
    assert not Gate.parse(allow=["added<=200rows"]).fails(added, 100)
    assert Gate.parse(allow=["added<=199rows"]).fails(added, 100)
    assert not Gate.parse(allow=["added<=20000px"]).fails(added, 100)  # 200 rows x 100 px
    assert Gate.parse(allow=["added<=19999px"]).fails(added, 100)
    assert not Gate.parse(allow=["changed<=500px"]).fails(changed, 100)
    assert Gate.parse(allow=["changed<=500px", "changed<=29rows"]).fails(changed, 100)
    assert not Gate.parse(fail_on="changed").fails(added, 100)
    assert Gate.parse(fail_on="changed,added").fails(added, 100)


@pytest.mark.parametrize(("fail_on", "allow"), [
    ("chnged", []), ("", []), (None, ["added<200"]), (None, ["grown<=3rows"]),
    (None, ["added<=3lines"]), (None, ["added<=-3"])])
def test_bad_rules_are_refused(fail_on, allow):
    with pytest.raises(BadInputError, match=r"--fail-on|--allow"):
        Gate.parse(fail_on, allow)


@pytest.mark.parametrize(("args", "status", "failing"), [
    ([], 1, None),
    (["--allow", "added<=200rows", "--allow", "removed<=300"], 1, 1),
    (["--allow", "added<=200rows", "--allow", "removed<=300", "--allow", "changed<=2788px"],
     0, 0),
    (["--allow", "added<=198rows", "--allow", "removed<=300", "--allow", "changed<=2788px"],
     1, 1),
    (["--fail-on", "changed", "--allow", "changed<=2787px"], 1, 1),
    (["--fail-on", "changed", "--allow", "changed<=2788px"], 0, 0),
    (["--fail-on", "moved"], 0, 0),
])
def test_diff_exit_status_follows_the_gate(run_cli, args, status, failing):
    done = run_cli("diff", *PAIR, "--json", *args)
    assert done.returncode == status, done.stderr
    data = json.loads(done.stdout)
    assert len(data["hunks"]) == 3  # the gate never changes what is found
    if failing is None:
        assert "gate" not in data
    else:
        assert data["gate"]["failing"] == failing
    text = run_cli("diff", *PAIR, *args)
    assert text.returncode == status
    if failing is not None:
        assert text.stdout.splitlines()[-1].startswith(f"gate: {failing} of 3 hunks fail")


def test_a_bad_rule_on_the_command_line(run_cli):
    one_line_error(run_cli("diff", *PAIR, "--allow", "added<200"), "--allow", "added<200")
    one_line_error(run_cli("diff-dir", "a", "b", "--fail-on", "grown"), "--fail-on")


def test_diff_dir_passes_allowed_changes_but_not_new_images(run_cli, tmp_path):
    for side, source in (("before", "before.png"), ("after", "after.png")):
        (tmp_path / side).mkdir()
        shutil.copy(EXAMPLES / source, tmp_path / side / "page.png")
    allow = ["--fail-on", "changed", "--allow", "changed<=2788px"]
    done = run_cli("diff-dir", "before", "after", *allow, "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["gate"]["allowed"] == ["page.png"]
    text = run_cli("diff-dir", "before", "after", *allow, cwd=tmp_path)
    assert "(passes: --fail-on/--allow, reviewed hunks)" in text.stdout
    assert run_cli("diff-dir", "before", "after", "--fail-on", "changed",
                   cwd=tmp_path).returncode == 1
    shutil.copy(EXAMPLES / "after.png", tmp_path / "after" / "new.png")
    assert run_cli("diff-dir", "before", "after", *allow, cwd=tmp_path).returncode == 1
