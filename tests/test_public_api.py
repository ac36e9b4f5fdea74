"""The flat public API: rasterkit.diff and rasterkit.mosaic are plain functions with their
real signatures (their subpackages are rasterkit.linediff and rasterkit.photomosaic), every
lazy name resolves, and import rasterkit imports none of them."""

from __future__ import annotations

import inspect
import subprocess
import sys
import textwrap

import pytest

import rasterkit


def _fresh(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize(("name", "first_options"), [
    ("diff", ["a", "b", "merge_gap", "pad_compare"]),
    ("mosaic", ["tiles", "main", "output", "tile_size"]),
])
def test_the_main_functions_are_functions_with_their_signatures(name, first_options):
    function = getattr(rasterkit, name)
    assert inspect.isfunction(function)
    assert list(inspect.signature(function).parameters)[:4] == first_options
    assert function.__module__ == {"diff": "rasterkit.linediff",
                                   "mosaic": "rasterkit.photomosaic"}[name]


def test_importing_a_submodule_does_not_replace_the_function():
    # A package and a function of one name cannot both live on rasterkit: importing the
    # package's submodules rebinds the name. The packages have their own names now.
    out = _fresh("""
        import inspect
        import rasterkit
        import rasterkit.linediff.render, rasterkit.photomosaic.match
        from rasterkit import diff, mosaic
        print(inspect.isfunction(rasterkit.diff), inspect.isfunction(rasterkit.mosaic),
              diff is rasterkit.diff, mosaic is rasterkit.mosaic)
    """)
    assert out.split() == ["True"] * 4


def test_help_shows_the_parameters():
    out = _fresh("import rasterkit; help(rasterkit.diff)")
    assert "threshold: 'float' = 0.1" in out
    assert "Diff image ``a`` (before) against image ``b`` (after)" in out


def test_every_public_name_resolves_and_import_is_lazy():
    out = _fresh("""
        import sys
        import rasterkit
        print(sorted(m for m in sys.modules if m.startswith("rasterkit.")))
    """)
    assert out.strip() == "['rasterkit._lazy']"
    for name in rasterkit.__all__:
        assert getattr(rasterkit, name) is not None
    assert set(dir(rasterkit)) >= set(rasterkit.__all__)
    with pytest.raises(AttributeError, match="module 'rasterkit' has no attribute 'nope'"):
        rasterkit.nope  # noqa: B018
