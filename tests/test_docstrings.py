"""Every docstring example in the package runs and prints what it shows."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import rasterkit

MODULES = sorted(info.name for info in pkgutil.walk_packages(rasterkit.__path__, "rasterkit.")
                 if not info.name.endswith("__main__"))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # examples that write files write here
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in finder.find(module, name, module=module):
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"


def test_the_package_example_names_real_methods():
    import numpy as np

    a = np.zeros((6, 4), np.uint8)
    a[2] = 255
    d = rasterkit.diff(a, np.delete(a, 2, axis=0))
    assert d.summary_line().endswith("1 hunk (1 removed)")
