"""Command-line manners (issue 20, item 6): ``python -m rasterkit``, "did you mean" for a
mistyped command, choice or option, and colour on a terminal only (``--color``, NO_COLOR)."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT

EXAMPLES = ROOT / "examples"
PAIR = (str(EXAMPLES / "before.png"), str(EXAMPLES / "after.png"))
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_python_dash_m_is_the_command_line(run_cli):
    done = subprocess.run([sys.executable, "-m", "rasterkit", "diff", *PAIR, "--json"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr
    assert done.stdout == run_cli("diff", *PAIR, "--json").stdout


@pytest.mark.parametrize(("args", "suggestion"), [
    (["dif", "a", "b"], "did you mean 'diff'?"),
    (["mosaik"], "did you mean 'mosaic'?"),
    (["diff", "a", "b", "--exat"], "did you mean '--exact'?"),
    (["diff", "a", "b", "--view", "sid-by-side"], "did you mean 'side-by-side'?"),
    (["compare-lines", "a", "b", "--tolerence", "3"], "did you mean '--tolerance'?"),
    (["raster", "splt", "x"], "did you mean 'split'?"),
    (["raster", "split", "x", "y", "--bnds", "1"], "did you mean '--bands'?"),
])
def test_a_typo_gets_a_suggestion(run_cli, args, suggestion):
    done = run_cli(*args)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("rasterkit: error: ")
    assert suggestion in lines[0]


@pytest.mark.parametrize("args", [["zzzzzz"], ["diff", "a", "b", "--qqqqqq"]])
def test_nothing_close_gets_no_suggestion(run_cli, args):
    done = run_cli(*args)
    assert done.returncode == 2
    assert "did you mean" not in done.stderr


def _on_a_terminal(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    """Run ``rasterkit ARGS`` with its standard output on a pseudo-terminal."""
    leader, follower = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")}
    environment.update({"TERM": "xterm"} | (env or {}))
    done = subprocess.run([sys.executable, "-m", "rasterkit", *args], stdout=follower,
                          stderr=subprocess.PIPE, env=environment, timeout=300)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the terminal's other end is closed and drained
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return done.returncode, b"".join(chunks).decode().replace("\r\n", "\n")


def test_colour_on_a_terminal_only(run_cli):
    plain = run_cli("diff", *PAIR).stdout
    assert not ANSI.search(plain)
    status, shown = _on_a_terminal("diff", *PAIR)
    assert status == 1
    assert ANSI.sub("", shown) == plain
    first = shown.splitlines()[0]
    assert first.startswith("\x1b[36m@@ -918:1205 +918:918 @@\x1b[0m \x1b[31mremoved\x1b[0m")
    assert "\x1b[32madded  \x1b[0m" in shown
    assert "\x1b[33mchanged\x1b[0m" in shown


@pytest.mark.parametrize(("args", "env"), [
    ([], {"NO_COLOR": "1"}),
    ([], {"TERM": "dumb"}),
    (["--color", "never"], {}),
])
def test_no_colour_when_asked(run_cli, args, env):
    status, shown = _on_a_terminal("diff", *PAIR, *args, env=env)
    assert status == 1
    assert not ANSI.search(shown)
    assert shown == run_cli("diff", *PAIR).stdout


def test_colour_always_in_a_pipe_even_with_no_color(run_cli):
    plain = run_cli("diff", *PAIR).stdout
    done = subprocess.run([sys.executable, "-m", "rasterkit", "diff", *PAIR, "--color",
                           "always"], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "NO_COLOR": "1"})
    assert ANSI.search(done.stdout)
    assert ANSI.sub("", done.stdout) == plain
