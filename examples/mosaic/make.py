"""Regenerate the bundled mosaic examples from scikit-image's sample photographs.

    .venv/bin/python -m examples.mosaic.make

* ``tiles/``: 144 small JPEG crops (48 px, quality 85) of scikit-image's colour sample photos
  (astronaut, chelsea, coffee, rocket, motorcycle, hubble deep field, retina; public domain or
  CC0, see scikit-image's data README), in sub-folders per source photo.
* ``cat.png``: the "chelsea" photo reduced to 96 x 64 px: the main image of the automatic mode.
* ``heart.png`` + ``palette.toml``: a 24 x 20 pixel-art picture in 4 exact colours and the
  palette that says which tile replaces each colour.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pyvips

FOLDER = Path(__file__).resolve().parent
SOURCES = ["astronaut.png", "chelsea.png", "coffee.png", "rocket.jpg", "motorcycle_left.png",
           "hubble_deep_field.jpg", "retina.jpg"]
HEART = """\
........................
....RRRR........RRRR....
..RRRRRRRR....RRRRRRRR..
.RRRRRWWRRR..RRRRRRRRRR.
.RRRRWWRRRRRRRRRRRRRRRR.
RRRRRWRRRRRRRRRRRRRRRRRR
RRRRRRRRRRRRRRRRRRRRRRRR
RRRRRRRRRRRRRRRRRRRRRRDR
.RRRRRRRRRRRRRRRRRRRRDR.
.RRRRRRRRRRRRRRRRRRRDDR.
..RRRRRRRRRRRRRRRRRDDR..
...RRRRRRRRRRRRRRRDDR...
....RRRRRRRRRRRRRDDR....
.....RRRRRRRRRRRDDR.....
......RRRRRRRRRDDR......
.......RRRRRRRDDR.......
........RRRRRDDR........
.........RRRDRR.........
..........RRRR..........
...........RR...........
"""
COLOURS = {".": (255, 255, 255), "R": (200, 20, 40), "W": (255, 190, 200), "D": (110, 0, 20)}


def sample_folder() -> Path:
    import skimage

    return Path(skimage.__file__).parent / "data"


def make_tiles(rng: np.random.Generator) -> None:
    shutil.rmtree(FOLDER / "tiles", ignore_errors=True)
    for name in SOURCES:
        photo = pyvips.Image.new_from_file(str(sample_folder() / name)).colourspace("srgb")
        photo = photo.flatten() if photo.hasalpha() else photo
        folder = FOLDER / "tiles" / Path(name).stem
        folder.mkdir(parents=True)
        for i in range(144 // len(SOURCES) + (1 if name == SOURCES[0] else 0)):
            side = int(rng.integers(40, min(photo.width, photo.height) // 3))
            x = int(rng.integers(0, photo.width - side))
            y = int(rng.integers(0, photo.height - side))
            crop = photo.crop(x, y, side, side).thumbnail_image(48)
            crop.write_to_file(str(folder / f"{i:02d}.jpg"), Q=85, strip=True)


def make_main() -> None:
    cat = pyvips.Image.new_from_file(str(sample_folder() / "chelsea.png"))
    cat.thumbnail_image(96).write_to_file(str(FOLDER / "cat.png"))


def make_palette_example() -> None:
    """heart.png, and a palette giving each of its colours the tile whose average is nearest."""
    import rasterkit
    from rasterkit.photomosaic.colour import to_hex

    rows = HEART.splitlines()
    art = np.array([[COLOURS[c] for c in row] for row in rows], np.uint8)
    h, w, _ = art.shape
    pyvips.Image.new_from_memory(art.data, w, h, 3, "uchar").copy(
        interpretation="srgb").write_to_file(str(FOLDER / "heart.png"))
    tiles = rasterkit.photomosaic.load_tiles(FOLDER / "tiles", 16, cache=False)
    colours = np.array([list(COLOURS.values())], np.uint8)
    picks = rasterkit.photomosaic.match(colours, tiles.colours(), max_uses=1).indices[0]  # distinct
    lines = [f'"{to_hex(c)}" = "{Path(tiles.paths[t]).relative_to(FOLDER).as_posix()}"\n'
             for c, t in zip(COLOURS.values(), picks, strict=True)]
    (FOLDER / "palette.toml").write_text(
        "# Which tile replaces which colour of heart.png (paths relative to this file).\n"
        + "".join(lines))


def main() -> None:
    rng = np.random.default_rng(7)
    make_tiles(rng)
    make_main()
    make_palette_example()
    size = sum(p.stat().st_size for p in FOLDER.rglob("*") if p.is_file())
    print(f"examples/mosaic: {size / 1e3:.0f} kB")


if __name__ == "__main__":
    main()
