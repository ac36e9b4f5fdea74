"""The package-level helpers of issue 18: the old module names still reach them, and the
image-suffix sets are those each command shipped with."""

from __future__ import annotations

import rasterkit.binary_inputs
import rasterkit.threads
import rasterkit.thresholds
from rasterkit import suffixes


def test_old_threads_name_is_the_module_itself():
    """Setting THREADS through the old name must reach bands() (tests force two bands so)."""
    from rasterkit.morphology import threads

    assert threads is rasterkit.threads
    saved = threads.THREADS
    try:
        threads.THREADS = 2
        assert rasterkit.threads.bands(1100, 1000) == [(0, 550), (550, 1100)]
    finally:
        threads.THREADS = saved


def test_old_inputs_name_re_exports_the_same_objects():
    from rasterkit.morphology import arguments, inputs

    for name in ("Binariser", "describe_values", "foreground_of", "load_single_band",
                 "opaque_value", "otsu_threshold", "resolve_threshold", "single_band"):
        assert getattr(inputs, name) is getattr(rasterkit.binary_inputs, name)
    assert inputs.check_threshold is rasterkit.thresholds.check_threshold
    for name in ("CONNECTIVITIES", "check_area", "check_areas", "check_connectivity"):
        assert getattr(inputs, name) is getattr(arguments, name)


def test_suffix_sets_are_those_the_commands_shipped_with():
    pictures = frozenset({".png", ".jpg", ".jpeg", ".webp", ".tif", ".tiff"})
    screenshots = pictures | {".gif", ".bmp", ".avif", ".heic", ".heif", ".jxl", ".ppm",
                              ".pgm"}
    tiles = pictures | {".jpe", ".jfif", ".gif", ".heic", ".heif", ".avif", ".jxl", ".v",
                        ".vips", ".svg"}
    found = (suffixes.PICTURE_SUFFIXES, suffixes.SCREENSHOT_SUFFIXES, suffixes.TILE_SUFFIXES)
    assert found == (pictures, screenshots, tiles)


def test_every_user_reads_the_one_list():
    from rasterkit import batch
    from rasterkit.compare import pictures
    from rasterkit.raster import export

    assert batch.IMAGE_SUFFIXES is suffixes.SCREENSHOT_SUFFIXES
    assert pictures.PICTURE_SUFFIXES is suffixes.PICTURE_SUFFIXES
    assert export.QUICKLOOK_SUFFIXES is suffixes.PICTURE_SUFFIXES
