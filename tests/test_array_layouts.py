"""Every public function that takes an array gives, for every array layout (strided and
negative-stride views, Fortran order, transposed, read-only, bool, memmap), the result it gives
for a plain C-contiguous copy, run after run.

Each case runs in a fresh process (:mod:`tests.support.layouts`), once as it is and once with
``MALLOC_PERTURB_=165``, which makes glibc fill freed memory with garbage: a buffer handed to
libvips or a kernel and freed too early then shows as wrong pixels or a crash every time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tests.support.layouts import CASES, LAYOUTS, same

ENVIRONMENTS = {"plain": {}, "MALLOC_PERTURB_=165": {"MALLOC_PERTURB_": "165"}}


@pytest.mark.parametrize("environment", ENVIRONMENTS)
@pytest.mark.parametrize("case", CASES)
def test_every_layout_gives_the_contiguous_result(case: str, environment: str) -> None:
    env = {**os.environ, **ENVIRONMENTS[environment]}
    done = subprocess.run([sys.executable, "-m", "tests.support.layouts", case], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"crashed ({done.returncode}): {done.stderr[-2000:]}"
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report == {"case": case, "failures": []}


def test_the_layouts_are_what_they_say() -> None:
    """The harness really makes the layouts it names, each with the base's values."""
    import numpy as np

    base = np.arange(24, dtype=np.uint8).reshape(4, 6)
    made = {name: make(base, ROOT / "tests") for name, make in LAYOUTS.items()
            if name != "memmap"}
    assert not made["strided view"].flags.c_contiguous
    assert made["negative strides"].strides[0] < 0
    assert made["fortran order"].flags.f_contiguous
    assert not made["fortran order"].flags.c_contiguous
    assert not made["transposed"].flags.c_contiguous
    assert not made["read-only"].flags.writeable
    assert made["bool strided view"].dtype == bool
    for name, array in made.items():
        assert same(array, base != 0 if name.startswith("bool") else base), name


def test_same_compares_deeply() -> None:
    import numpy as np

    assert same({"a": [1, np.zeros(2)]}, {"a": [1, np.zeros(2)]})
    assert not same({"a": [1, np.zeros(2)]}, {"a": [1, np.ones(2)]})
    assert not same(np.zeros(2, np.uint8), np.zeros(2, np.uint16))


def test_only_io_hands_memory_to_libvips() -> None:
    """``new_from_memory`` and ``copy_memory`` appear only in :mod:`rasterkit.io`, whose
    helpers keep the buffer alive (a ``copy_memory`` elsewhere would drop that reference)."""
    offenders = []
    for path in (ROOT / "src" / "rasterkit").rglob("*.py"):
        if path.name == "io.py" and path.parent.name == "rasterkit":
            continue
        text = path.read_text()
        offenders += [f"{path.relative_to(ROOT)}: {call}" for call in
                      ("new_from_memory(", ".copy_memory(") if call in text]
    assert offenders == []
