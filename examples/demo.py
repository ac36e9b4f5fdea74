"""``make demo``: run rasterkit's commands on the bundled examples and say where the outputs are.

    python -m examples.demo [OUTPUT_FOLDER]      # default out/demo

Each step runs the real command line, shows the command, and keeps what it printed next to
what it wrote, so the folder reads like a walkthrough.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def short(path: Path) -> str:
    """``path`` relative to the project root when inside it (commands read better)."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def rasterkit(*args: object, out: Path, keep: str | None = None, ok: tuple[int, ...] = (0, 1),
              show: bool = True) -> str:
    """Run ``rasterkit ARGS``; print the command and what it said; keep stdout in ``keep``."""
    words = [short(a) if isinstance(a, Path) else str(a) for a in args]
    print(f"$ rasterkit {shlex.join(words)}")
    done = subprocess.run([sys.executable, "-m", "rasterkit.cli.main", *words],
                          capture_output=True, text=True, cwd=ROOT)
    if done.returncode not in ok:
        sys.exit(f"demo: rasterkit {words[0]} failed ({done.returncode}): {done.stderr.strip()}")
    if show:
        shown = done.stdout
    elif keep:
        shown = f"({len(done.stdout):,} characters, kept in {keep})\n"
    else:
        shown = ""
    sys.stdout.write("".join(f"  {line}\n" for line in shown.splitlines()))
    if done.stderr.strip():
        sys.stdout.write("".join(f"  {line}\n" for line in done.stderr.splitlines()))
    if keep:
        (out / keep).write_text(done.stdout)
    return done.stdout


def diff_demo(out: Path) -> list[str]:
    before, after = HERE / "before.png", HERE / "after.png"
    rasterkit("diff", before, after, out=out, keep="diff.txt")
    rasterkit("diff", before, after, "--json", out=out, keep="diff.json", show=False)
    rasterkit("diff", before, after, "-o", out / "side-by-side.png", out=out, show=False)
    rasterkit("diff", before, after, "-o", out / "overlay.png", "--view", "overlay", out=out,
              show=False)
    rasterkit("diff", before, after, "-o", out / "report.html", out=out, show=False)
    return ["diff.txt, diff.json       text and JSON hunks",
            "side-by-side.png          A and B aligned, gaps hatched, hunks in the gutter",
            "overlay.png               the aligned pair blended 50/50, differing rows tinted",
            "report.html               the interactive report: open it in a browser"]


def columns_demo(out: Path) -> list[str]:
    """A page with a sidebar: a note inserted in the content column, two lines in the sidebar."""
    before, after = HERE / "columns-before.png", HERE / "columns-after.png"
    rasterkit("diff", before, after, out=out, keep="columns.txt")
    rasterkit("diff", before, after, "-o", out / "columns.png", "-o", out / "columns.html",
              out=out, show=False)
    return ["columns.txt, columns.png  a page with columns: each hunk in its column (in x ...)",
            "columns.html              its report: 'column ▸' shows the column aligned alone"]


def diff_dir_demo(out: Path) -> list[str]:
    """A small review: the example pair, an identical page, a new one and a deleted one."""
    import shutil

    before, after = out / "batch" / "before", out / "batch" / "after"
    shutil.rmtree(out / "batch", ignore_errors=True)
    (before / "settings").mkdir(parents=True)
    (after / "settings").mkdir(parents=True)
    shutil.copy(HERE / "before.png", before / "settings" / "page.png")
    shutil.copy(HERE / "after.png", after / "settings" / "page.png")
    shutil.copy(HERE / "before.png", before / "home.png")
    shutil.copy(HERE / "before.png", after / "home.png")
    shutil.copy(HERE / "before.png", before / "old-page.png")
    shutil.copy(HERE / "after.png", after / "new-page.png")
    rasterkit("diff-dir", before, after, "-o", out / "review", out=out)
    return ["review/index.html         diff-dir: every pair of two folders, one index page"]


def compare_demo(out: Path) -> list[str]:
    """Two versions of a mask, and a line drawing against the same drawing shifted 2 px."""
    import pyvips

    a = pyvips.Image.new_from_file(str(out / "mask-clean.png"))
    b = a.erode(pyvips.Image.new_from_array([[255] * 3] * 3))  # one pixel thinner everywhere
    b.write_to_file(str(out / "mask-eroded.png"))
    rasterkit("compare", out / "mask-clean.png", out / "mask-eroded.png", "-o",
              out / "compare-delta.png", out=out)
    rasterkit("skeletonize", out / "mask-clean.png", out / "skeleton.png", out=out)
    skeleton = pyvips.Image.new_from_file(str(out / "skeleton.png"))
    # B: the drawing 2 px to the right (within the tolerance), with one area's lines gone and
    # two strokes drawn that A does not have.
    shifted = skeleton.embed(2, 0, skeleton.width, skeleton.height)
    width, height = shifted.width, shifted.height
    shifted = shifted.draw_rect(0, width // 2, height // 3, width // 5, height // 4, fill=True)
    shifted = shifted.draw_line(255, width // 8, height * 3 // 4, width // 3, height - 20)
    shifted = shifted.draw_line(255, width * 3 // 4, 20, width - 30, height // 3)
    shifted.write_to_file(str(out / "skeleton-edited.png"))
    rasterkit("compare-lines", out / "skeleton.png", out / "skeleton-edited.png",
              "--tolerance", "2", "-o", out / "lines-overlay.png", out=out)
    return ["compare-delta.png         compare: only A / only B / both in three colours",
            "skeleton.png              skeletonize: one-pixel-wide lines (guo-hall)",
            "lines-overlay.png         compare-lines: B shifted 2 px (matched, dark grey), lines",
            "                          missing from B (vermillion) and added in B (blue)"]


def mosaic_demo(out: Path) -> list[str]:
    """The bundled cat, rebuilt from photo tiles; a pixel-art heart in palette mode."""
    m = HERE / "mosaic"
    rasterkit("mosaic", m / "tiles", m / "cat.png", out / "mosaic.jpg", "--tile-size", "16",
              "--manifest", out / "mosaic.csv", "-q", out=out)
    rasterkit("mosaic", m / "tiles", m / "cat.png", out / "mosaic-varied.jpg", "--tile-size",
              "16", "--max-uses", "60", "--min-distance", "2", "--blend", "0.4", "-q", out=out)
    rasterkit("mosaic", m / "heart.png", out / "heart.png", "--palette", m / "palette.toml",
              "--tile-size", "24", "-q", out=out)
    return ["mosaic.jpg, mosaic.csv    the cat rebuilt from 141 photo tiles; which tile went where",
            "mosaic-varied.jpg         with a reuse cap, no repeats within 2 cells, colour blend",
            "heart.png                 palette mode: each colour of a pixel-art heart is a tile"]


def raster_demo(out: Path) -> list[str]:
    """The bundled hyperspectral cube: its header, its bands as pictures, a quick-look."""
    import shutil

    cube = HERE / "scene.hdr"
    shutil.rmtree(out / "bands", ignore_errors=True)
    (out / "bands").mkdir()
    rasterkit("raster", "info", cube, out=out)
    rasterkit("raster", "split", cube, out / "bands", "--rgb", out / "quicklook.jpg", "-q",
              out=out, show=False)
    rasterkit("raster", "convert", cube, out / "scene-bsq.hdr", "--interleave", "bsq", "-q",
              out=out, show=False)
    return ["bands/, quicklook.jpg     raster split: every band (stretched) and an RGB quick-look",
            "scene-bsq.hdr/.img        raster convert: the cube band-sequential"]


def grey_scene(width: int, height: int) -> Any:
    """A shaded grey picture: large bright letters (kept by an area opening at 150 px) and
    bright dust of 1 to 60 px (flattened to its surroundings)."""
    import pyvips

    shade = pyvips.Image.xyz(width, height)[0] * (60 / width) + 40
    text = pyvips.Image.text("rasterkit", dpi=900, font="sans bold")
    text = text.embed((width - text.width) // 2, (height - text.height) // 2, width, height)
    grains = pyvips.Image.gaussnoise(width, height, sigma=40, mean=128, seed=5)
    # single pixels, and grains grown into specks of about 10 to 100 pixels
    dust = (grains > 252) | ((grains > 250).gaussblur(3.0) > 12)
    scene = shade + text * (130 / 255) + dust.ifthenelse(150, 0)
    return scene.gaussblur(0.8).cast("uchar")


def morphology_demo(out: Path) -> list[str]:
    """Specks and holes on a thresholded blob image, cleaned; a greyscale area opening."""
    import pyvips

    noise = pyvips.Image.gaussnoise(900, 600, sigma=40, mean=128, seed=3)
    blobs = noise.gaussblur(6) > 128
    specks = pyvips.Image.gaussnoise(900, 600, sigma=40, mean=128, seed=4) > 215
    mask = (blobs ^ specks).cast("uchar")
    mask.write_to_file(str(out / "mask.png"))
    grey_scene(900, 600).write_to_file(str(out / "grey.png"))
    rasterkit("remove-small", out / "mask.png", out / "mask-clean.png", "--min-area", "150",
              "--holes", out=out)
    rasterkit("area-open", out / "grey.png", out / "grey-open.png", "--min-area", "150", out=out)
    return ["mask.png -> mask-clean.png  remove-small: specks < 150 px removed, holes filled",
            "grey.png -> grey-open.png   area-open: bright peaks < 150 px flattened"]


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "out/demo").resolve()
    out.mkdir(parents=True, exist_ok=True)
    written = (diff_demo(out) + columns_demo(out) + diff_dir_demo(out) + morphology_demo(out)
               + compare_demo(out) + mosaic_demo(out) + raster_demo(out))
    print(f"\nOutputs are in {out}/:")
    for line in written:
        print(f"  {line}")
    print(f"\nOpen {out / 'report.html'} in a browser to review the diff.")


if __name__ == "__main__":
    main()
