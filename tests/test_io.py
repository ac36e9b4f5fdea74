"""rasterkit.io: saving keeps the pixel type, never writes over an input, leaves nothing behind."""

from __future__ import annotations

import numpy as np
import pytest
import pyvips

from rasterkit.errors import OutputError
from rasterkit.io import save_image


@pytest.mark.parametrize(("dtype", "bands"), [(np.uint16, 1), (np.uint16, 3), (np.uint8, 1),
                                              (np.uint8, 4)])
def test_png_keeps_the_array_pixel_type(tmp_path, dtype, bands):
    rng = np.random.default_rng(0)
    array = rng.integers(0, np.iinfo(dtype).max, (20, 30, bands), dtype=dtype, endpoint=True)
    out = save_image(array, tmp_path / "x.png")
    image = pyvips.Image.new_from_file(str(out))
    back = np.ndarray(buffer=image.write_to_memory(), dtype=dtype,
                      shape=(image.height, image.width, image.bands))
    assert np.array_equal(back, array)


def test_save_refuses_an_input_and_leaves_no_temporary_file(tmp_path):
    source = tmp_path / "in.png"
    save_image(np.zeros((4, 4), np.uint8), source)
    before = source.read_bytes()
    with pytest.raises(OutputError, match="would overwrite the input"):
        save_image(np.ones((4, 4), np.uint8), source, inputs=[source])
    assert source.read_bytes() == before
    with pytest.raises(OutputError, match="cannot write"):
        save_image(np.zeros((1, 70_000), np.uint8), tmp_path / "x.jpg")  # JPEG max 65,500
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.png"]
