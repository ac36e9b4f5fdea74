"""Morphology beside its anchors: remove small objects (binary) and area opening (greyscale).

Cases (``--quick`` uses the smaller sizes in brackets):

* ``remove-small 6000² [1500²]``: a binary image of thresholded smooth noise plus specks
  (objects of every size), ``min_area=150``, 8-connected, in memory. Ours takes the uint8
  0/255 array a PNG decodes to; each anchor gets its own native input (DIPlib a binary
  image, scikit-image a bool array, OpenCV uint8), converted outside the timing. OpenCV has
  no area filter: its row is the usual ``connectedComponentsWithStats`` + lookup recipe.
  Every anchor's output is checked equal to ours.
* ``remove-small file→file``: the same image as a PNG, decoded, filtered and written as PNG,
  in memory and in strips of 500 rows; the floor is libvips decoding and encoding it.
* ``remove-small CLI``: the command, start-up included, beside ``vips copy`` run as Python.
* ``area-open 2048² [512²]``: greyscale uint8 texture (noise octaves), ``min_area=150``.
* ``area-open 1024² [256²]``: the same texture cropped, beside scikit-image, whose max-tree
  ``area_opening`` takes minutes at 2048² (17 s at 1024²; timed once, no repeat).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from .harness import Context, best_of, time_command

CAPABILITY = "morphology"
MIN_AREA = 150


def _smooth(rng: np.random.Generator, height: int, width: int, scale: int) -> np.ndarray:
    import pyvips

    low = rng.random((height // scale + 2, width // scale + 2)).astype(np.float32)
    field = pyvips.Image.new_from_array(low).resize(scale, kernel="cubic")
    return np.ndarray(buffer=field.write_to_memory(), dtype=np.float32,
                      shape=(field.height, field.width))[:height, :width]


def binary_input(ctx: Context, size: int) -> tuple[np.ndarray, Path]:
    """Blobs of many sizes (two noise scales) plus 0.2 % single-pixel specks, 0/255 uint8."""
    import pyvips

    npy = ctx.cache / f"morphology_binary_{size}.npy"
    png = ctx.cache / f"morphology_binary_{size}.png"
    if not npy.exists() or not png.exists():
        rng = np.random.default_rng(7)
        mask = (_smooth(rng, size, size, 16) > 0.62) | (_smooth(rng, size, size, 3) > 0.97)
        mask |= rng.random((size, size)) < 0.002
        image = mask.astype(np.uint8) * 255
        np.save(npy, image)
        pyvips.Image.new_from_array(image).write_to_file(str(png))
    return np.load(npy), png


def grey_input(ctx: Context, size: int) -> np.ndarray:
    """A natural-looking uint8 texture: four octaves of smooth noise plus fine grain."""
    npy = ctx.cache / f"morphology_grey_{size}.npy"
    if not npy.exists():
        rng = np.random.default_rng(5)
        total = np.zeros((size, size), np.float32)
        for k, scale in enumerate((256, 64, 16, 4)):
            total += _smooth(rng, size, size, scale) / (k + 1)
        total += rng.random((size, size)).astype(np.float32) * 0.15
        total = (total - total.min()) / np.ptp(total)
        np.save(npy, (total * 255).astype(np.uint8))
    return np.load(npy)


def run(ctx: Context) -> None:
    repeat = 2 if ctx.quick else 5
    size = 1500 if ctx.quick else 6000
    image, png = binary_input(ctx, size)
    _binary(ctx, image, f"remove-small {size}²", repeat)
    _files(ctx, png, f"remove-small file→file {size}²", repeat)
    grey = grey_input(ctx, 512 if ctx.quick else 2048)
    _grey_dip(ctx, grey, f"area-open {grey.shape[0]}²", repeat)
    side = 256 if ctx.quick else 1024
    crop = grey[:side, :side]
    _grey_skimage(ctx, np.ascontiguousarray(crop), f"area-open {crop.shape[0]}²", repeat)


def _binary(ctx: Context, image: np.ndarray, case: str, repeat: int) -> None:
    import cv2
    import diplib as dip
    import skimage.morphology as skm

    from rasterkit.morphology import remove_small_objects

    ours = remove_small_objects(image, MIN_AREA)
    notes = {"pixels": f"{image.size / 1e6:.0f} Mpx", "objects": ours.removed + ours.kept,
             "removed": ours.removed}
    ctx.record(CAPABILITY, case, "rasterkit remove_small_objects", "ours",
               best_of(lambda: remove_small_objects(image, MIN_AREA), repeat), **notes)

    as_bool = image > 0
    dip_image = dip.Image(as_bool)
    same = np.array_equal(np.asarray(dip.SmallObjectsRemove(dip_image, MIN_AREA, 2)),
                          as_bool & (ours.image > 0))
    ctx.record(CAPABILITY, case, "DIPlib SmallObjectsRemove", "anchor",
               best_of(lambda: dip.SmallObjectsRemove(dip_image, MIN_AREA, 2), repeat),
               same_output=same)

    def opencv() -> np.ndarray:
        _, labels, stats, _ = cv2.connectedComponentsWithStats(image, connectivity=8)
        keep = stats[:, cv2.CC_STAT_AREA] >= MIN_AREA
        keep[0] = False
        return keep.astype(np.uint8)[labels] * np.uint8(255)

    ctx.record(CAPABILITY, case, "OpenCV components+stats+lookup", "anchor",
               best_of(opencv, repeat), same_output=np.array_equal(opencv(), ours.image))

    def skimage() -> np.ndarray:
        return skm.remove_small_objects(as_bool, max_size=MIN_AREA - 1, connectivity=2)

    ctx.record(CAPABILITY, case, "scikit-image remove_small_objects", "anchor",
               best_of(skimage, repeat),
               same_output=np.array_equal(skimage(), ours.image > 0))


def _files(ctx: Context, png: Path, case: str, repeat: int) -> None:
    import pyvips

    from rasterkit.morphology import remove_small_file

    out = ctx.cache / "morphology_out.png"

    def copy(reads: int) -> None:
        for _ in range(reads - 1):
            pyvips.Image.new_from_file(str(png), access="sequential").avg()
        pyvips.Image.new_from_file(str(png), access="sequential").write_to_file(str(out))

    ctx.record(CAPABILITY, case, "rasterkit remove_small_file", "ours",
               best_of(lambda: remove_small_file(png, out, MIN_AREA), repeat))
    ctx.record(CAPABILITY, case, "libvips decode + encode PNG", "floor",
               best_of(lambda: copy(1), repeat))
    strips = case.replace("file→file", "file→file in strips of 500 rows")
    ctx.record(CAPABILITY, strips, "rasterkit remove_small_file", "ours",
               best_of(lambda: remove_small_file(png, out, MIN_AREA, strip_rows=500), repeat),
               note="bounded memory: reads the PNG twice")
    ctx.record(CAPABILITY, strips, "libvips decode twice + encode PNG", "floor",
               best_of(lambda: copy(2), repeat))
    cli = [sys.executable, "-m", "rasterkit.cli.main", "remove-small", str(png), str(out),
           "--min-area", str(MIN_AREA)]
    vips = [sys.executable, "-c", "import pyvips, sys; pyvips.Image.new_from_file(sys.argv[1], "
            "access='sequential').write_to_file(sys.argv[2])", str(png), str(out)]
    cli_case = case.replace("file→file", "CLI")
    ctx.record(CAPABILITY, cli_case, "rasterkit remove-small", "ours",
               time_command(cli, max(1, repeat - 2)),
               note="process start-up included")
    ctx.record(CAPABILITY, cli_case, "python -c 'pyvips copy'", "floor",
               time_command(vips, max(1, repeat - 2)))


def _grey_dip(ctx: Context, grey: np.ndarray, case: str, repeat: int) -> None:
    import diplib as dip

    from rasterkit.morphology import area_opening

    ours = area_opening(grey, MIN_AREA)
    ctx.record(CAPABILITY, case, "rasterkit area_opening", "ours",
               best_of(lambda: area_opening(grey, MIN_AREA), repeat),
               peaks=ours.removed + ours.kept)
    same = np.array_equal(np.asarray(dip.AreaOpening(grey, filterSize=MIN_AREA, connectivity=2)),
                          ours.image)
    ctx.record(CAPABILITY, case, "DIPlib AreaOpening", "anchor",
               best_of(lambda: dip.AreaOpening(grey, filterSize=MIN_AREA, connectivity=2),
                       repeat), same_output=same)


def _grey_skimage(ctx: Context, crop: np.ndarray, case: str, repeat: int) -> None:
    import skimage.morphology as skm

    from rasterkit.morphology import area_opening

    ours = area_opening(crop, MIN_AREA)
    ctx.record(CAPABILITY, case, "rasterkit area_opening", "ours",
               best_of(lambda: area_opening(crop, MIN_AREA), repeat))
    result: list[np.ndarray] = []
    seconds = best_of(lambda: result.append(skm.area_opening(crop, MIN_AREA, connectivity=2)),
                      repeat=1, warmup=0)
    ctx.record(CAPABILITY, case, "scikit-image area_opening", "anchor", seconds,
               same_output=np.array_equal(result[0], ours.image),
               note="timed once, on a crop: minutes at 2048²")
