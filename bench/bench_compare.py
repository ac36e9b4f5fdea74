"""Comparisons beside their anchors: binary metrics, skeletonize, line-drawing metrics.

Cases (``--quick`` uses the smaller sizes in brackets):

* ``binary counts 8192² [2048²]``: two 0/255 uint8 segmentation masks (64 Mpx; thresholded
  smooth noise, B a slightly different threshold of a shifted field plus and minus blobs),
  all counting metrics (``surface_distance=False``). Floor: the fastest honest count of
  differing pixels over the same bytes, a compiled xor + popcount of 64-bit words (one read
  of both inputs); numpy's ``count_nonzero(a != b)`` and OpenCV's ``bitwise_xor`` +
  ``countNonZero`` are recorded as anchors. Ours with the compiled kernel (what the library and
  the CLI run) and, as its own case, the numpy engine (the reference it is tested against).
* ``binary + surface distance``: the full call, beside the usual recipe on scipy's exact
  distance transform (medpy / DeepMind style: erode for the surface, EDT of each surface) and
  the same on DIPlib's ``EuclideanDistanceTransform``.
* ``skeletonize 2048² [1024²]``: a line drawing (strokes 2-8 px wide, 18 % ink): ours
  (Zhang–Suen) beside DIPlib ``EuclideanSkeleton`` and scikit-image ``skeletonize``; ours
  Guo–Hall beside scikit-image ``thin`` (same output, checked; timed once: seconds).
* ``compare-lines 2048² [1024²]``: two skeletons of that drawing (B shifted a pixel, with
  strokes removed and added), tolerance 2: ours beside the same metrics from scipy's EDT,
  ``gaussian_filter`` + ``corrcoef`` and ``ndimage`` neighbour counts.
* ``compare CLI``: ``rasterkit compare`` on the mask pair as PNG files, start-up included,
  beside decoding both PNGs with libvips in a Python process.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from .harness import Context, best_of, time_command

CAPABILITY = "compare"
TOLERANCE = 2.0


def _smooth(rng: np.random.Generator, size: int, scale: int) -> np.ndarray:
    import pyvips

    low = rng.random((size // scale + 2, size // scale + 2)).astype(np.float32)
    field = pyvips.Image.new_from_array(low).resize(scale, kernel="cubic")
    return np.ndarray(buffer=field.write_to_memory(), dtype=np.float32,
                      shape=(field.height, field.width))[:size, :size]


def mask_pair(ctx: Context, size: int) -> tuple[np.ndarray, np.ndarray, Path, Path]:
    """Two similar 0/255 masks (a segmentation and a slightly different one) and PNGs."""
    import pyvips

    names = [ctx.cache / f"compare_mask_{k}_{size}.{ext}" for k in "ab" for ext in ("npy",
                                                                                    "png")]
    if not all(path.exists() for path in names):
        rng = np.random.default_rng(21)
        field = _smooth(rng, size + 8, 64)
        extra = _smooth(rng, size, 8)
        a = field[:size, :size] > 0.6
        b = (field[2:size + 2, 3:size + 3] > 0.595) | (extra > 0.93)
        b &= ~(extra < 0.04)
        for (npy, png), mask in zip((names[:2], names[2:]), (a, b), strict=True):
            image = mask.astype(np.uint8) * 255
            np.save(npy, image)
            pyvips.Image.new_from_array(image).write_to_file(str(png))
    return np.load(names[0]), np.load(names[2]), names[1], names[3]


def drawing(ctx: Context, size: int) -> np.ndarray:
    """A line drawing (polylines, circles, arcs; strokes 2-8 px), 0/255 uint8."""
    import cv2

    path = ctx.cache / f"compare_drawing_{size}.npy"
    if not path.exists():
        rng = np.random.default_rng(1)
        image = np.zeros((size, size), np.uint8)
        for _ in range(size // 24):
            width = int(rng.integers(2, 9))
            kind = int(rng.integers(3))
            centre = tuple(int(v) for v in rng.integers(0, size, 2))
            if kind == 0:
                points = rng.integers(0, size, (int(rng.integers(2, 6)), 2)).astype(np.int32)
                cv2.polylines(image, [points], False, 255, width)
            elif kind == 1:
                cv2.circle(image, centre, int(rng.integers(10, size // 6)), 255, width)
            else:
                axes = (int(rng.integers(10, size // 5)), int(rng.integers(10, size // 5)))
                cv2.ellipse(image, centre, axes, float(rng.uniform(0, 180)), 0,
                            float(rng.uniform(90, 360)), 255, width)
        np.save(path, image)
    return np.load(path)


def run(ctx: Context) -> None:
    repeat = 2 if ctx.quick else 5
    size = 2048 if ctx.quick else 8192
    a, b, png_a, png_b = mask_pair(ctx, size)
    _counts(ctx, a, b, f"binary counts {size}²", repeat)
    _surface(ctx, a, b, f"binary + surface distance {size}²", max(1, repeat - 2))
    _cli(ctx, png_a, png_b, f"compare CLI {size}² PNGs", max(1, repeat - 2))
    side = 1024 if ctx.quick else 2048
    image = drawing(ctx, side)
    _skeleton(ctx, image, f"skeletonize {side}²", repeat)
    _lines(ctx, image, f"compare-lines {side}²", repeat)


def _xor_popcount():
    """The floor: differing pixels of two byte masks, one pass over 64-bit words."""
    from numba import njit

    low7, high, ones = (np.uint64(v) for v in (0x7F7F7F7F7F7F7F7F, 0x8080808080808080,
                                               0x0101010101010101))

    @njit(nogil=True, boundscheck=False)
    def count(x, y):
        total = np.uint64(0)
        for i in range(x.size):
            w = x[i] ^ y[i]
            m = (((w & low7) + low7) | w) & high
            total += ((m >> np.uint64(7)) * ones) >> np.uint64(56)
        return total

    return count


def _counts(ctx: Context, a: np.ndarray, b: np.ndarray, case: str, repeat: int) -> None:
    import cv2

    from rasterkit.compare import binary

    ours = binary(a, b, surface_distance=False, engine="kernel")
    ctx.record(CAPABILITY, case, "rasterkit compare.binary (kernel)", "ours",
               best_of(lambda: binary(a, b, surface_distance=False, engine="kernel"), repeat),
               pixels=f"{a.size / 1e6:.0f} Mpx", differing=ours.differing)
    words_a, words_b = a.reshape(-1).view(np.uint64), b.reshape(-1).view(np.uint64)
    floor = _xor_popcount()
    assert int(floor(words_a, words_b)) == ours.differing
    ctx.record(CAPABILITY, case, "compiled xor + popcount (differing only)", "floor",
               best_of(lambda: floor(words_a, words_b), repeat))
    ctx.record(CAPABILITY, case, "numpy count_nonzero(a != b) (differing only)", "anchor",
               best_of(lambda: np.count_nonzero(a != b), repeat))

    def opencv() -> tuple[int, int, int]:
        return (cv2.countNonZero(cv2.bitwise_and(a, b)), cv2.countNonZero(a),
                cv2.countNonZero(b))

    assert opencv()[0] == ours.both
    ctx.record(CAPABILITY, case, "OpenCV and + 3 countNonZero", "anchor",
               best_of(opencv, repeat), note="counts only, no binary check")

    def numpy_recipe() -> tuple[int, int, int]:
        x, y = a > 0, b > 0
        return int((x & y).sum()), int(x.sum()), int(y.sum())

    ctx.record(CAPABILITY, case, "numpy recipe (bool masks, 3 sums)", "anchor",
               best_of(numpy_recipe, repeat))
    numpy_case = case + " (numpy engine)"
    ctx.record(CAPABILITY, numpy_case, "rasterkit compare.binary (numpy)", "ours",
               best_of(lambda: binary(a, b, surface_distance=False, engine="numpy"), repeat))
    ctx.record(CAPABILITY, numpy_case, "compiled xor + popcount (differing only)", "floor",
               best_of(lambda: floor(words_a, words_b), repeat))


def _surface(ctx: Context, a: np.ndarray, b: np.ndarray, case: str, repeat: int) -> None:
    import diplib as dip
    from scipy import ndimage as ndi

    from rasterkit.compare import binary

    ours = binary(a, b)
    ctx.record(CAPABILITY, case, "rasterkit compare.binary", "ours",
               best_of(lambda: binary(a, b), repeat),
               mean_surface_distance=round(ours.mean_surface_distance, 4))
    cross = ndi.generate_binary_structure(2, 1)

    def surfaces() -> tuple[np.ndarray, np.ndarray]:
        x, y = a > 0, b > 0
        return (x & ~ndi.binary_erosion(x, cross, border_value=0),
                y & ~ndi.binary_erosion(y, cross, border_value=0))

    def scipy_assd() -> float:
        sa, sb = surfaces()
        total = (ndi.distance_transform_edt(~sb)[sa].sum()
                 + ndi.distance_transform_edt(~sa)[sb].sum())
        return float(total / (sa.sum() + sb.sum()))

    def dip_assd() -> float:
        sa, sb = surfaces()
        to_b = np.asarray(dip.EuclideanDistanceTransform(dip.Image(~sb), border="object"))
        to_a = np.asarray(dip.EuclideanDistanceTransform(dip.Image(~sa), border="object"))
        return float((to_b[sa].sum() + to_a[sb].sum()) / (sa.sum() + sb.sum()))

    values: list[float] = []
    seconds = best_of(lambda: values.append(scipy_assd()), repeat=1, warmup=0)
    ctx.record(CAPABILITY, case, "scipy erosion + distance_transform_edt", "anchor", seconds,
               same_value=bool(np.isclose(values[-1], ours.mean_surface_distance)),
               note="timed once")
    seconds = best_of(lambda: values.append(dip_assd()), repeat=1, warmup=0)
    ctx.record(CAPABILITY, case, "scipy erosion + DIPlib EuclideanDistanceTransform", "anchor",
               seconds, same_value=bool(np.isclose(values[-1], ours.mean_surface_distance,
                                                   rtol=1e-5)), note="timed once")


def _cli(ctx: Context, png_a: Path, png_b: Path, case: str, repeat: int) -> None:
    cli = [sys.executable, "-m", "rasterkit.cli.main", "compare", str(png_a), str(png_b)]
    decode = [sys.executable, "-c", "import pyvips, sys; [pyvips.Image.new_from_file(p, access="
              "'sequential').avg() for p in sys.argv[1:]]", str(png_a), str(png_b)]
    ctx.record(CAPABILITY, case, "rasterkit compare", "ours", time_command(cli, repeat),
               note="start-up included")
    ctx.record(CAPABILITY, case, "python -c 'pyvips decode both'", "floor",
               time_command(decode, repeat))


def _skeleton(ctx: Context, image: np.ndarray, case: str, repeat: int) -> None:
    import diplib as dip
    import skimage.morphology as skm

    from rasterkit.morphology import skeletonize

    mask = image > 0
    ours = skeletonize(image)
    ctx.record(CAPABILITY, case, "rasterkit skeletonize (zhang-suen)", "ours",
               best_of(lambda: skeletonize(image), repeat),
               ink=f"{mask.mean():.0%}", iterations=ours.iterations)
    dip_image = dip.Image(mask)
    ctx.record(CAPABILITY, case, "DIPlib EuclideanSkeleton", "anchor",
               best_of(lambda: dip.EuclideanSkeleton(dip_image), repeat))
    ctx.record(CAPABILITY, case, "scikit-image skeletonize (zhang variant)", "anchor",
               best_of(lambda: skm.skeletonize(mask), max(1, repeat - 2)))
    guo = skeletonize(image, method="guo-hall")
    guo_case = case + " guo-hall"
    ctx.record(CAPABILITY, guo_case, "rasterkit skeletonize (guo-hall)", "ours",
               best_of(lambda: skeletonize(image, method="guo-hall"), repeat))
    result: list[np.ndarray] = []
    seconds = best_of(lambda: result.append(skm.thin(mask)), repeat=1, warmup=0)
    ctx.record(CAPABILITY, guo_case, "scikit-image thin", "anchor", seconds,
               same_output=bool(np.array_equal(result[0], guo.image > 0)), note="timed once")


def line_pair(image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Skeletons of the drawing and of a changed copy (shifted, strokes cut and added)."""
    import cv2

    from rasterkit.morphology import skeletonize

    changed = np.roll(image, (1, 1), (0, 1)).copy()
    size = image.shape[0]
    rng = np.random.default_rng(4)
    for _ in range(6):
        y, x = rng.integers(0, size - 120, 2)
        changed[y:y + 100, x:x + 100] = 0
        start = tuple(int(v) for v in rng.integers(0, size, 2))
        end = tuple(int(v) for v in rng.integers(0, size, 2))
        cv2.line(changed, start, end, 255, 4)
    return skeletonize(image).image > 0, skeletonize(changed).image > 0


def scipy_lines(a: np.ndarray, b: np.ndarray, tolerance: float, sigma: float) -> dict:
    """The line metrics the usual way: scipy EDTs, gaussian_filter + corrcoef, convolution
    neighbour counts for end points and labelled junction pixels (no matching)."""
    from scipy import ndimage as ndi

    to_b = ndi.distance_transform_edt(~b)[a]
    to_a = ndi.distance_transform_edt(~a)[b]
    reach = int(4 * sigma + 0.5)
    blurred = [ndi.gaussian_filter(np.pad(m.astype(np.float64), reach), sigma,
                                   mode="constant") for m in (a, b)]
    counts = []
    for m in (a, b):
        neighbours = ndi.convolve(m.astype(np.uint8), np.array([[1, 1, 1], [1, 0, 1],
                                                                [1, 1, 1]]), mode="constant")
        counts.append((int((m & (neighbours == 1)).sum()),
                       ndi.label(m & (neighbours >= 3), np.ones((3, 3)))[1]))
    return {"recall": (to_b <= tolerance).mean(), "precision": (to_a <= tolerance).mean(),
            "chamfer_ab": to_b.mean(), "chamfer_ba": to_a.mean(),
            "hd95": max(np.percentile(to_b, 95), np.percentile(to_a, 95)),
            "hausdorff": max(to_b.max(), to_a.max()),
            "correlation": np.corrcoef(blurred[0].ravel(), blurred[1].ravel())[0, 1],
            "points": counts}


def _lines(ctx: Context, image: np.ndarray, case: str, repeat: int) -> None:
    from rasterkit.compare import lines

    a, b = line_pair(image)
    ours = lines(a, b, tolerance=TOLERANCE)
    ctx.record(CAPABILITY, case, "rasterkit compare.lines", "ours",
               best_of(lambda: lines(a, b, tolerance=TOLERANCE), repeat),
               f1=round(ours.f1, 4), hd95=round(ours.hd95, 3),
               hausdorff=round(ours.hausdorff, 1))
    anchor = scipy_lines(a, b, TOLERANCE, ours.sigma)
    same = all(np.isclose(anchor[key], getattr(ours, key)) for key in
               ("recall", "precision", "chamfer_ab", "chamfer_ba", "hd95", "hausdorff",
                "correlation"))
    ctx.record(CAPABILITY, case, "scipy EDT + gaussian_filter + convolve", "anchor",
               best_of(lambda: scipy_lines(a, b, TOLERANCE, ours.sigma), max(1, repeat - 2)),
               same_values=same)
