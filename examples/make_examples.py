"""Regenerate the bundled examples (the screenshots need Debian's chromium and playwright).

    .venv/bin/python -m examples.make_examples

``before.png`` / ``after.png``: a 1400 px wide settings page rendered by Chromium, and the same
page after three DOM edits (a section removed, a section inserted, a heading changed). The page
uses rounded corners, shadows and gradients, so the pair also carries real rendering noise.

``columns-before.png`` / ``columns-after.png``: a repository page (a content column beside a
sidebar) and the same page with a note inserted in the content column and two lines in the
sidebar further down: the layout-aware diff's example.

``scene.hdr`` / ``scene.img``: a small hyperspectral cube (24 bands, 400-2500 nm, uint16,
band-interleaved by pixel) of a synthetic scene: a lake, fields, bare soil, a red-roofed block.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.screenshots import Renderer, edited_pair

FOLDER = Path(__file__).resolve().parent


def cube() -> None:
    from tests.raster.synthetic import scene

    import rasterkit

    values, wavelengths = scene(120, 160, 24, seed=7)
    rasterkit.raster.write(FOLDER / "scene.hdr", values, interleave="bip",
                           metadata={"wavelength": [f"{w:.1f}" for w in wavelengths],
                                     "wavelength units": "Nanometers",
                                     "description": "rasterkit example scene"})


def columns(renderer: Renderer) -> None:
    from tests.support.column_pages import repo_case, shoot

    case = repo_case("content-and-sidebar")
    a, b = shoot(renderer, case, FOLDER)
    (FOLDER / f"{case.name}-a.png").replace(FOLDER / "columns-before.png")
    (FOLDER / f"{case.name}-b.png").replace(FOLDER / "columns-after.png")
    print(f"columns-before.png {a.width}x{a.height}, columns-after.png {b.width}x{b.height}")


def main() -> None:
    cube()
    with Renderer() as renderer:
        columns(renderer)
        pair = edited_pair(renderer, FOLDER, seed=4, n_sections=12, plain=False, name="page")
    (FOLDER / "page-a.png").replace(FOLDER / "before.png")
    (FOLDER / "page-b.png").replace(FOLDER / "after.png")
    (FOLDER / "edits.json").write_text(json.dumps(pair.edits, indent=1) + "\n")
    print(f"before.png {pair.a.width}x{pair.a.height}, after.png {pair.b.width}x{pair.b.height}")


if __name__ == "__main__":
    main()
