"""The quick recipe people use today, reproduced as the anchor of the diff benchmark.

One checksum per scanline with pyvips (a weighted sum of the row's pixel values, computed by
``project``), written to a text file per image, then GNU ``diff`` on the two files::

    python -m bench.recipe_scanline_diff a.png b.png

It aligns rows like we do, but gives no picture, and its float checksum can collide (two rows
whose weighted sums are equal compare equal). Prints diff's output; exits with diff's status.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import pyvips


def scanline_checksums(path: str, out: Path) -> None:
    image = pyvips.Image.new_from_file(path, access="sequential")
    if image.bands >= 3:
        image = image[0] + image[1] * 256 + image[2] * 65536
    _, rows = image.cast("double").project()
    rows.write_to_file(str(out))  # .csv: one checksum per line


def main() -> int:
    a, b = sys.argv[1:3]
    with tempfile.TemporaryDirectory() as folder:
        text_a, text_b = Path(folder) / "a.csv", Path(folder) / "b.csv"
        scanline_checksums(a, text_a)
        scanline_checksums(b, text_b)
        return subprocess.run(["diff", str(text_a), str(text_b)]).returncode


if __name__ == "__main__":
    sys.exit(main())
