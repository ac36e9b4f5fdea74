"""``rasterkit diff`` beside its anchors on tall Chromium screenshots (1400 px wide).

Cases (each a pair rendered by Debian's chromium, then edited in the DOM: a section removed, a
section inserted, a heading changed):

* ``library``: ``rasterkit.diff(a, b)`` (tolerant, the default) in a warm process, against
  the floors: ``exact=True`` (what tolerance costs: target at most 1.15x), and decoding both
  PNGs with libvips, in two threads (the best these two cores allow) and in one.
* ``cli``: the whole command, process start included, against the quick recipe (pyvips
  scanline checksums + GNU diff, :mod:`bench.recipe_scanline_diff`) and odiff (npm package
  ``odiff-bin``; its native binary, so node's start-up is not counted against it).
* ``cli -o png``: the command writing the aligned side-by-side picture, against odiff writing its
  diff picture.
* ``report``: writing the HTML report of a finished diff (tiles and page), with its size.
* ``columns``: a repository page of about 1400 x 9,000 (content column beside a sidebar,
  tests/support/column_pages.py) with a note inserted near the top of the content column and
  two lines in the sidebar further down, so the column stage diffs nearly the whole page
  column by column (its worst case): ``rasterkit.diff`` against ``columns=False`` (the
  whole-row diff of the same pair) and the decode floor; the target is within 2x of a
  single-column page of the same size (``library 9k`` against its own floor). The single-page
  cases carry ``columns=False`` too: the column stage may cost them at most 1.15x.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pyvips

from .harness import ROOT, Context, best_of, time_command

ODIFF = ROOT / "bench" / "node_modules" / "@odiff" / "linux-x64" / "odiff"
#: name -> (page seed, sections, plain CSS): about 1400 x 9,000 (flat CSS), 1400 x 10,000
#: with rounded corners, shadows, gradients and rotated text (real rendering noise), and
#: 1400 x 30,000 rows.
PAIRS = {"9k": (3, 21, True), "noisy-10k": (6, 24, False), "30k": (8, 72, True)}


def screenshot_pair(ctx: Context, name: str) -> tuple[Path, Path]:
    """Render (once, cached) the pair ``name`` of :data:`PAIRS`."""
    a, b = ctx.cache / f"page-{name}-a.png", ctx.cache / f"page-{name}-b.png"
    if not (a.exists() and b.exists()):
        sys.path.insert(0, str(ROOT))
        from tests.support.screenshots import Renderer, edited_pair

        seed, sections, plain = PAIRS[name]
        with Renderer() as renderer:
            edited_pair(renderer, ctx.cache, seed=seed, n_sections=sections, plain=plain,
                        name=f"page-{name}")
    return a, b


def decode(path: Path) -> None:
    pyvips.Image.new_from_file(str(path), access="sequential").write_to_memory()


def decode_in_two_threads(a: Path, b: Path) -> None:
    worker = threading.Thread(target=decode, args=(b,))
    worker.start()
    decode(a)
    worker.join()


def size_label(path: Path) -> str:
    image = pyvips.Image.new_from_file(str(path))
    return f"{image.width}x{image.height}"


def column_pair(ctx: Context) -> tuple[Path, Path]:
    """Render (once, cached) the multi-column pair of the ``columns`` case."""
    a, b = ctx.cache / "columns-9k-a.png", ctx.cache / "columns-9k-b.png"
    if not (a.exists() and b.exists()):
        sys.path.insert(0, str(ROOT))
        from tests.support.column_pages import tall_repo_case
        from tests.support.screenshots import Renderer

        case = tall_repo_case(copies=4)
        with Renderer() as renderer:
            renderer.shoot(case.a.html(), a)
            renderer.shoot(case.b.html(), b)
    return a, b


def columns(ctx: Context, repeat: int) -> None:
    """The column stage at its worst: nearly the whole page diffed column by column."""
    import rasterkit

    a, b = column_pair(ctx)
    case = "library columns-9k"
    found = rasterkit.diff(a, b)
    ctx.record("diff", case, "rasterkit.diff", "ours",
               best_of(lambda: rasterkit.diff(a, b), repeat),
               pair=f"{size_label(a)} / {size_label(b)}", hunks=len(found.hunks),
               column_hunks=sum(found.in_column(h) for h in found.hunks))
    whole = rasterkit.diff(a, b, columns=False)
    ctx.record("diff", case, "rasterkit.diff(columns=False)", "floor",
               best_of(lambda: rasterkit.diff(a, b, columns=False), repeat),
               hunks=len(whole.hunks))
    ctx.record("diff", case, "decode both PNGs, 2 threads", "floor",
               best_of(lambda: decode_in_two_threads(a, b), repeat))
    python = sys.executable
    ctx.record("diff", "cli columns-9k", "rasterkit diff A B", "ours",
               time_command([python, "-m", "rasterkit.cli.main", "diff", a, b], repeat))
    ctx.record("diff", "cli columns-9k", "rasterkit diff A B --no-columns", "floor",
               time_command([python, "-m", "rasterkit.cli.main", "diff", a, b,
                             "--no-columns"], repeat))
    if ODIFF.exists():
        ctx.record("diff", "cli columns-9k", "odiff A B (native binary)", "anchor",
                   time_command([ODIFF, a, b], repeat, ok=(0, 21, 22)))


def run(ctx: Context) -> None:
    names = ["9k"] if ctx.quick else ["9k", "noisy-10k", "30k"]
    repeat = 3 if ctx.quick else 7
    for name in names:
        a, b = screenshot_pair(ctx, name)
        library(ctx, name, a, b, repeat)
        command_line(ctx, name, a, b, repeat)
        if name != "noisy-10k":
            pictures(ctx, name, a, b)
    columns(ctx, repeat)


def library(ctx: Context, name: str, a: Path, b: Path, repeat: int) -> None:
    """``rasterkit.diff`` in a warm process against decoding both PNGs."""
    import rasterkit

    case = f"library {name}"
    size = f"{size_label(a)} / {size_label(b)}"
    found = rasterkit.diff(a, b)
    ctx.record("diff", case, "rasterkit.diff", "ours",
               best_of(lambda: rasterkit.diff(a, b), repeat), pair=size,
               hunks=len(found.hunks), noise_rows=found.noise_rows)
    ctx.record("diff", case, "rasterkit.diff(columns=False)", "floor",
               best_of(lambda: rasterkit.diff(a, b, columns=False), repeat))
    ctx.record("diff", case, "rasterkit.diff(exact=True)", "floor",
               best_of(lambda: rasterkit.diff(a, b, exact=True), repeat),
               hunks=len(rasterkit.diff(a, b, exact=True).hunks))
    ctx.record("diff", case, "decode both PNGs, 2 threads", "floor",
               best_of(lambda: decode_in_two_threads(a, b), repeat))
    ctx.record("diff", case, "decode both PNGs, 1 thread", "floor",
               best_of(lambda: (decode(a), decode(b)), repeat))


def command_line(ctx: Context, name: str, a: Path, b: Path, repeat: int) -> None:
    """Whole processes: ours, the recipe, odiff."""
    python = sys.executable
    case = f"cli {name}"
    ctx.record("diff", case, "rasterkit diff A B", "ours",
               time_command([python, "-m", "rasterkit.cli.main", "diff", a, b], repeat))
    ctx.record("diff", case, "recipe: pyvips checksums + GNU diff", "anchor",
               time_command([python, "-m", "bench.recipe_scanline_diff", a, b], repeat,
                            ok=(0, 1, 2)))
    if ODIFF.exists():
        ctx.record("diff", case, "odiff A B (native binary)", "anchor",
                   time_command([ODIFF, a, b], repeat, ok=(0, 21, 22)))


def pictures(ctx: Context, name: str, a: Path, b: Path) -> None:
    """Whole processes writing a picture: our side-by-side PNG against odiff's diff PNG."""
    out = ctx.cache / "diff-out"
    out.mkdir(exist_ok=True)
    case = f"cli -o png {name}"
    ctx.record("diff", case, "rasterkit diff A B -o sbs.png", "ours",
               time_command([sys.executable, "-m", "rasterkit.cli.main", "diff", a, b,
                             "-o", out / "sbs.png"], 3))
    if ODIFF.exists():
        ctx.record("diff", case, "odiff A B diff.png", "anchor",
                   time_command([ODIFF, a, b, out / "odiff.png"], 3, ok=(0, 21, 22)))
    report(ctx, name, a, b)


def report(ctx: Context, name: str, a: Path, b: Path) -> None:
    """The HTML report: time to write it (after the diff) and its size on disk."""
    import rasterkit
    from rasterkit.linediff.report import write_report

    result = rasterkit.diff(a, b)
    page = ctx.cache / "diff-out" / f"report-{name}.html"
    infos = []
    seconds = best_of(lambda: infos.append(write_report(result, page)), 3)
    info = infos[-1]
    case = f"report {name}"
    ctx.record("diff", case, "write_report (tiles + page)", "ours", seconds,
               size=f"{info.bytes / 1e6:.1f} MB", tiles=info.tiles)
    ctx.record("diff", case, "decode both PNGs, 2 threads", "floor",
               best_of(lambda: decode_in_two_threads(a, b), 3))
