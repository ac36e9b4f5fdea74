"""The delta and overlay pictures: the documented colour at known pixels, files on disk."""

from __future__ import annotations

import numpy as np
import pytest

from rasterkit.compare import binary, delta_image, lines, overlay_image, save_picture
from rasterkit.compare.pictures import BACKDROP_CONTRAST, BOTH, MATCHED, NEITHER, ONLY_A, ONLY_B
from rasterkit.errors import OutputError

from .images import load


def squares() -> tuple[np.ndarray, np.ndarray]:
    a = np.zeros((20, 30), np.uint8)
    b = np.zeros((20, 30), np.uint8)
    a[2:10, 2:12] = 255
    b[2:10, 8:20] = 255
    return a, b


def test_delta_colours_at_known_pixels():
    a, b = squares()
    picture = delta_image(binary(a, b))
    assert picture.shape == (20, 30, 3)
    assert picture.dtype == np.uint8
    assert tuple(picture[5, 4]) == ONLY_A == (213, 94, 0)
    assert tuple(picture[5, 10]) == BOTH == (150, 150, 150)
    assert tuple(picture[5, 15]) == ONLY_B == (0, 114, 178)
    assert tuple(picture[15, 25]) == NEITHER == (255, 255, 255)
    colours = {tuple(c) for c in picture.reshape(-1, 3)}
    assert colours == {ONLY_A, BOTH, ONLY_B, NEITHER}


def test_delta_over_a_faded_greyscale_a():
    grey_a = np.full((20, 30), 40, np.uint8)  # dark paper ...
    grey_a[2:10, 2:12] = 250  # ... with a bright square
    grey_a[15, 25] = 120
    _, b = squares()
    result = binary(grey_a, b, threshold=200)
    picture = delta_image(result, backdrop=True)
    faded = 255 - (255 - np.array([40, 120])) * BACKDROP_CONTRAST
    assert tuple(picture[15, 20]) == (round(faded[0]),) * 3  # neither: A faded
    assert tuple(picture[15, 25]) == (round(faded[1]),) * 3
    assert tuple(picture[5, 4]) == ONLY_A
    assert tuple(picture[5, 15]) == ONLY_B
    assert tuple(picture[5, 10]) == BOTH


def test_overlay_colours_and_halo():
    a = np.zeros((30, 60), bool)
    a[10, 5:55] = True
    b = a.copy()
    b[10, 30:55] = False
    b[20, 30:55] = True  # half the line moved 10 px down
    result = lines(a, b, tolerance=2)
    picture = overlay_image(result)
    assert tuple(picture[10, 10]) == MATCHED == (60, 60, 60)
    assert tuple(picture[10, 40]) == ONLY_A  # A's pixels with no B within 2 px
    assert tuple(picture[20, 40]) == ONLY_B
    assert tuple(picture[11, 40]) == ONLY_A
    assert tuple(picture[19, 40]) == ONLY_B
    assert tuple(picture[5, 5]) == NEITHER


@pytest.mark.parametrize("suffix", [".png", ".webp", ".tif"])
def test_pictures_are_written_losslessly(tmp_path, suffix):
    a, b = squares()
    picture = delta_image(binary(a, b))
    path = tmp_path / f"delta{suffix}"
    save_picture(picture, path)
    np.testing.assert_array_equal(load(path), picture)


def test_bad_picture_paths(tmp_path):
    a, b = squares()
    picture = delta_image(binary(a, b))
    with pytest.raises(OutputError, match=r"unknown output format '\.txt'"):
        save_picture(picture, tmp_path / "delta.txt")
    with pytest.raises(OutputError, match="does not exist"):
        save_picture(picture, tmp_path / "nowhere" / "delta.png")
    source = tmp_path / "a.png"
    source.write_bytes(b"x")
    with pytest.raises(OutputError, match="would overwrite the input"):
        save_picture(picture, source, inputs=(str(source),))
