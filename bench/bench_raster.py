"""Raw cube benchmarks: ``rasterkit.raster`` beside Spectral Python and GDAL (rasterio).

Input: a 2000 x 2000 x 100 uint16 BIP cube (800 MB, a hyperspectral-like scene with noise)
written once into ``bench/.cache``; 400 x 400 x 100 in quick mode. Page cache warm (every
timing is a median after a warm-up run), so the floor is the cost of copying the file out of
the page cache:

* ``all bands``: the whole cube as a ``(bands, rows, cols)`` array. Floors: ``readinto`` of a
  preallocated buffer and ``np.fromfile`` (a fresh array, like ours). Anchors: Spectral's
  ``envi.open(...).load()`` and rasterio's ``read()`` (GDAL's ENVI driver).
* ``all bands, into buffer``: ours filling a preallocated array, against ``readinto`` of one.
* ``one band``: band 37 as a new contiguous array. Anchors: Spectral's memmap ``read_band``
  (on an image opened once, as ours) and rasterio ``read(38)``.
* ``convert bip->bsq``: a new .hdr + data file. Anchor: GDAL ``CreateCopy`` with
  ``INTERLEAVE=BSQ`` (rasterio.shutil.copy). Floor: writing the read bytes back to a file.
* ``quick-look jpg``: three stretched bands as an RGB JPEG. Anchor: ``spectral.save_rgb``.
"""

from __future__ import annotations

import os
import shutil
import warnings
from pathlib import Path

import numpy as np

from .harness import Context, best_of

CAP = "raster"


def make_cube(folder: Path, rows: int, cols: int, bands: int) -> Path:
    """Write the bench cube (BIP uint16 + header) once; returns the header path."""
    folder.mkdir(parents=True, exist_ok=True)
    header = folder / "cube.hdr"
    data = folder / "cube.img"
    if header.exists() and data.exists() and data.stat().st_size == rows * cols * bands * 2:
        return header
    rng = np.random.default_rng(0)
    w = np.linspace(400, 2500, bands)
    spectra = np.stack([0.05 + 0.4 / (1 + np.exp(-(w - 715) / 12)),       # vegetation
                        0.08 + 0.3 * np.clip((w - 400) / 1500, 0, 1),     # soil
                        0.1 * np.exp(-0.5 * ((w - 450) / 60) ** 2) + 0.01])  # water
    y = np.arange(rows)[:, None]
    x = np.arange(cols)[None, :]
    labels = ((x * 3 // cols) + (y * 2 // rows)) % 3
    tmp = data.with_suffix(".part")
    with open(tmp, "wb") as f:
        for r0 in range(0, rows, 100):
            lab = np.broadcast_to(labels[r0:r0 + 100], (min(100, rows - r0), cols))
            block = spectra[lab] * 10000 + rng.normal(0, 80, (lab.shape[0], cols, bands))
            f.write(np.clip(block, 0, 65535).astype("<u2").tobytes())
    os.replace(tmp, data)
    header.write_text(
        "ENVI\n"
        f"samples = {cols}\nlines = {rows}\nbands = {bands}\nheader offset = 0\n"
        "file type = ENVI Standard\ndata type = 12\ninterleave = bip\nbyte order = 0\n"
        "wavelength units = Nanometers\n"
        f"wavelength = {{{', '.join(f'{v:.2f}' for v in w)}}}\n")
    return header


def run(ctx: Context) -> None:
    import rasterio
    import rasterio.shutil
    import spectral
    import spectral.io.envi as envi

    import rasterkit

    rows, cols, bands = (400, 400, 100) if ctx.quick else (2000, 2000, 100)
    repeat = 3 if ctx.quick else 5
    folder = ctx.cache / f"raster-{rows}x{cols}x{bands}"
    header = make_cube(folder, rows, cols, bands)
    data = header.with_suffix(".img")
    size = data.stat().st_size
    mb = f"{size / 1e6:.0f} MB"
    case = f"all bands, BIP {mb}"
    warnings.simplefilter("ignore", rasterio.errors.NotGeoreferencedWarning)

    cube = rasterkit.raster.open(header)
    expected = cube.read()  # also compiles/loads the kernels
    buffer = np.empty(size, np.uint8)

    def readinto() -> None:
        with open(data, "rb", buffering=0) as f:
            f.readinto(buffer)

    ours = best_of(lambda: rasterkit.raster.open(header).read(), repeat)
    ctx.record(CAP, case, "rasterkit raster.open().read()", "ours", ours, size=mb)
    ctx.record(CAP, case, "np.fromfile (fresh array)", "floor",
               best_of(lambda: np.fromfile(data, np.uint8), repeat))
    ctx.record(CAP, case, "readinto (preallocated)", "floor", best_of(readinto, repeat))

    spy = envi.open(str(header), str(data))
    loaded = spy.load(dtype=np.uint16)
    assert np.array_equal(np.asarray(loaded).transpose(2, 0, 1), expected)
    del loaded
    ctx.record(CAP, case, "Spectral envi.open().load()", "anchor",
               best_of(lambda: spy.load(dtype=np.uint16), max(2, repeat - 2)))

    def rio_all() -> np.ndarray:
        with rasterio.open(data) as ds:
            return ds.read()

    assert np.array_equal(rio_all(), expected)
    ctx.record(CAP, case, "rasterio read() (GDAL ENVI)", "anchor",
               best_of(rio_all, max(2, repeat - 2)))

    case2 = f"all bands into buffer, BIP {mb}"
    target = np.empty_like(expected)
    ctx.record(CAP, case2, "rasterkit read(out=buffer)", "ours",
               best_of(lambda: cube.read(out=target), repeat))
    ctx.record(CAP, case2, "readinto (preallocated)", "floor", best_of(readinto, repeat))
    target = None

    case3 = f"one band, BIP {mb}"
    assert np.array_equal(cube.band(37, copy=True), expected[37])
    ctx.record(CAP, case3, "rasterkit band(37, copy=True)", "ours",
               best_of(lambda: cube.band(37, copy=True), repeat * 2))
    assert np.array_equal(spy.read_band(37), expected[37])
    ctx.record(CAP, case3, "Spectral read_band (memmap)", "anchor",
               best_of(lambda: spy.read_band(37), repeat * 2))

    def rio_one() -> np.ndarray:
        with rasterio.open(data) as ds:
            return ds.read(38)

    ctx.record(CAP, case3, "rasterio read(38)", "anchor", best_of(rio_one, max(2, repeat - 2)))
    del expected

    case4 = f"convert bip->bsq, {mb}"
    out_dir = folder / "out"
    out_dir.mkdir(exist_ok=True)

    def ours_convert() -> None:
        for p in out_dir.glob("ours*"):
            p.unlink()
        rasterkit.raster.convert(header, out_dir / "ours.hdr", interleave="bsq")

    def gdal_convert() -> None:
        for p in out_dir.glob("gdal*"):
            p.unlink()
        rasterio.shutil.copy(data, out_dir / "gdal.img", driver="ENVI", INTERLEAVE="BSQ")

    def copy_floor() -> None:
        (out_dir / "floor.bin").unlink(missing_ok=True)  # as ours: a new file each time
        readinto()
        with open(out_dir / "floor.bin", "wb") as f:
            f.write(buffer)

    ctx.record(CAP, case4, "rasterkit raster.convert()", "ours",
               best_of(ours_convert, max(2, repeat - 2)))
    ctx.record(CAP, case4, "GDAL CreateCopy INTERLEAVE=BSQ", "anchor",
               best_of(gdal_convert, max(2, repeat - 2)))
    ctx.record(CAP, case4, "readinto + write (copy)", "floor",
               best_of(copy_floor, max(2, repeat - 2)))
    with rasterio.open(out_dir / "gdal.img") as ds:
        assert np.array_equal(ds.read(6), rasterkit.raster.open(out_dir / "ours.hdr").band(5))

    case5 = f"quick-look jpg, BIP {mb}"
    rgb = (29, 19, 9)

    def ours_ql() -> None:
        rasterkit.raster.quicklook(cube, out_dir / "ql.jpg", rgb)

    def spectral_ql() -> None:
        spectral.save_rgb(str(out_dir / "ql_spectral.jpg"), spy, rgb)

    ctx.record(CAP, case5, "rasterkit quicklook()", "ours", best_of(ours_ql, repeat))
    ctx.record(CAP, case5, "spectral.save_rgb", "anchor",
               best_of(spectral_ql, max(2, repeat - 2)))
    shutil.rmtree(out_dir, ignore_errors=True)
