"""Fetch the JUnit XML schema that pytest checks its own ``--junitxml`` output against.

``python -m tests.support.fetch_junit_xsd DEST`` downloads the source distribution of the
installed pytest version (``pip download --no-binary :all:``) and extracts
``testing/example_scripts/junit-10.xsd`` (the schema of Jenkins' xunit plugin, which pytest's
own tests use) to DEST. ``make test`` runs it once; the schema is not committed.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

MEMBER = "testing/example_scripts/junit-10.xsd"


def fetch(dest: Path) -> None:
    import pytest

    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                        "--no-binary", ":all:", f"pytest=={pytest.__version__}", "-d", folder],
                       check=True)
        archive = next(Path(folder).glob("pytest-*.tar.gz"))
        with tarfile.open(archive) as tar:
            member = next(m for m in tar.getmembers() if m.name.endswith("/" + MEMBER))
            data = tar.extractfile(member).read()
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_suffix(".part")
    partial.write_bytes(data)
    partial.replace(dest)


if __name__ == "__main__":
    fetch(Path(sys.argv[1]))
