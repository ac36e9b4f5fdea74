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


def test_a_corrupt_image_names_the_same_reason_on_every_thread(tmp_path):
    # libvips keeps one error text per process; when several truncated images decode at
    # once, each thread read what another left (or nothing), so diff-dir --threads gave a
    # pair a different note than a run on one thread.
    from concurrent.futures import ThreadPoolExecutor

    from rasterkit.errors import BadInputError
    from rasterkit.io import materialize, open_image

    rng = np.random.default_rng(5)
    whole = tmp_path / "whole.png"
    save_image(rng.integers(0, 255, (600, 400, 3), dtype=np.uint8), whole)
    names = []
    for i in range(16):
        names.append(tmp_path / f"cut{i}.png")
        names[-1].write_bytes(whole.read_bytes()[:2000 + 500 * i])

    def message(path):
        try:
            materialize(open_image(path, access="sequential"), path.name)
        except BadInputError as error:
            return str(error)
        return "decoded"

    for _ in range(3):
        with ThreadPoolExecutor(8) as pool:
            got = list(pool.map(message, names))
        assert got == [f"{p.name}: truncated or corrupt image (its pixels do not decode)"
                       for p in names]
