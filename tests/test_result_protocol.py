"""Every command prints its library result through one protocol
(:class:`rasterkit.results.ResultProtocol`): ``--json`` prints ``to_dict()``, the text is
``to_text()``, whose summing-up line is ``summary_line()``. Each command runs in a subprocess
on small real files and its output is checked against the result the library returns for the
same inputs."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import rasterkit
from rasterkit.results import ResultProtocol
from tests.morphology.images import blobs, grey, save
from tests.mosaic.synthetic import textured_tiles, write_image, write_tiles
from tests.raster.synthetic import scene, write_envi

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "diff"


def _plain(data: dict[str, Any]) -> Any:
    """``data`` as a JSON reader sees it (tuples are lists)."""
    return json.loads(json.dumps(data))


def printed(run_cli, *args: Any, ok: tuple[int, ...] = (0,), cwd: Path | None = None
            ) -> tuple[str, Any]:
    """Run the command twice: its text, and its parsed ``--json``."""
    text = run_cli(*args, cwd=cwd)
    assert text.returncode in ok, text.stderr
    document = run_cli(*args, "--json", cwd=cwd)
    assert document.returncode == text.returncode, document.stderr
    return text.stdout, json.loads(document.stdout)


def check(result: Any, text: str, document: Any, line: int | None = 0) -> None:
    """``result`` follows the protocol and is what the command printed; ``line`` is the
    index of the summary line in the text (None: the text has no such line)."""
    assert isinstance(result, ResultProtocol)
    assert text == result.to_text()
    assert document == _plain(result.to_dict())
    summary = result.summary_line()
    assert "\n" not in summary
    if line is not None:
        assert text.splitlines()[line] == summary


@pytest.fixture(scope="module")
def images(tmp_path_factory):
    folder = tmp_path_factory.mktemp("images")
    rng = np.random.default_rng(18)
    mask = blobs(rng, 48, 64)
    return {"mask": save(mask, folder / "mask.png"),
            "moved": save(np.roll(mask, (1, 2), (0, 1)), folder / "moved.png"),
            "grey": save(grey(rng, 40, 56), folder / "grey.png"),
            "folder": folder}


def test_diff(run_cli, tmp_path):
    before, after = (str(FIXTURES / f"settings-{side}.png") for side in "ab")
    text, document = printed(run_cli, "diff", before, after, ok=(1,), cwd=tmp_path)
    result = rasterkit.diff(before, after)
    # what only the command knows: the configuration file it read (none here)
    assert document.pop("config") is None
    check(result, text, document, line=-1)
    assert result.to_text(colour=True) != result.to_text()  # the terminal's colours


def test_diff_dir(run_cli, tmp_path):
    from rasterkit.batch import diff_dir

    before, after = tmp_path / "before", tmp_path / "after"
    for side, folder in (("a", before), ("b", after)):
        folder.mkdir()
        shutil.copy(FIXTURES / f"settings-{side}.png", folder / "settings.png")
        shutil.copy(FIXTURES / "dashboard-a.png", folder / "same.png")
    shutil.copy(FIXTURES / "dashboard-b.png", after / "fresh.png")
    (after / "notes.txt").write_text("not an image")
    text, document = printed(run_cli, "diff-dir", "before", "after", "--workers", "1",
                             ok=(1,), cwd=tmp_path)
    result = diff_dir(before, after, workers=1)
    result = dataclasses.replace(result, data={**result.data, "before": "before",
                                               "after": "after"})  # as typed
    assert document.pop("config") is None
    for record in document["pairs"] + result.records:
        record["seconds"] = 0  # each run's own time
    check(result, text, document, line=-1)
    assert [line.split()[:2] for line in text.splitlines()[:-1]] == [
        ["new", "fresh.png"], ["skipped", "notes.txt:"], ["changed", "settings.png"]]
    review = run_cli("diff-dir", before, after, "--workers", "1", "-o", tmp_path / "review")
    written = dataclasses.replace(result, data={**result.data, "before": str(before),
                                                "after": str(after)},
                                  out=tmp_path / "review")
    assert review.stdout.splitlines()[-1] == written.summary_line()
    assert written.summary_line().endswith(f"; index: {tmp_path / 'review' / 'index.html'}")


@pytest.mark.parametrize("command", ["remove-small", "area-open", "area-close"])
def test_area_filters(run_cli, images, tmp_path, command):
    from rasterkit.morphology import area_filter_file, remove_small_file

    source = images["mask" if command == "remove-small" else "grey"]
    out = str(tmp_path / "out.png")
    extra = ("--holes",) if command == "remove-small" else ()
    text, document = printed(run_cli, command, source, out, "--min-area", "12", *extra)
    if command == "remove-small":
        result = remove_small_file(source, out, 12, holes=True)
    else:
        result = area_filter_file(source, out, 12, closing=command == "area-close")
    check(result, text, document)
    for step in result.steps:
        assert isinstance(step, ResultProtocol)
        assert step.summary_line() in result.summary_line()


def test_skeletonize(run_cli, images, tmp_path):
    from rasterkit.morphology.skeleton import skeletonize_file

    out = str(tmp_path / "lines.png")
    text, document = printed(run_cli, "skeletonize", images["mask"], out)
    result = skeletonize_file(images["mask"], out)
    check(result, text, document)
    assert isinstance(result.result, ResultProtocol)
    assert result.summary_line().endswith(result.result.summary_line())


def test_compare(run_cli, images):
    text, document = printed(run_cli, "compare", images["mask"], images["moved"], ok=(1,))
    check(rasterkit.compare.binary(images["mask"], images["moved"]), text, document)
    assert len(text.splitlines()) == 4  # the summary line, then counts and metrics


def test_compare_lines(run_cli, images, tmp_path):
    from rasterkit.morphology.skeleton import skeletonize_file

    a, b = str(tmp_path / "a.png"), str(tmp_path / "b.png")
    skeletonize_file(images["mask"], a)
    skeletonize_file(images["moved"], b)
    text, document = printed(run_cli, "compare-lines", a, b, "--tolerance", "1", ok=(0, 1))
    check(rasterkit.compare.lines(a, b, tolerance=1), text, document)


def test_mosaic(run_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("RASTERKIT_CACHE", str(tmp_path / "cache"))  # the command's too
    rng = np.random.default_rng(7)
    write_tiles(tmp_path / "tiles", textured_tiles(rng, 6, 8))
    main = write_image(tmp_path / "main.png", rng.integers(0, 256, (6, 9, 3)))
    out = str(tmp_path / "out.png")
    text, document = printed(run_cli, "mosaic", tmp_path / "tiles", main, out)
    result = rasterkit.mosaic(str(tmp_path / "tiles"), str(main), out)
    # each run's own time: the JSON's "seconds" and the text's last words
    result = dataclasses.replace(result, seconds=document["seconds"])
    check(result, text.rsplit(", ", 1)[0] + f", {result.seconds:.2f} s\n", document)


@pytest.fixture
def cube(tmp_path):
    data, wavelengths = scene(12, 20, 5, seed=3)
    extra = ("wavelength units = Nanometers\nwavelength = {"
             + ", ".join(f"{v:.1f}" for v in wavelengths) + "}\n")
    return str(write_envi(tmp_path / "scene.img", data, interleave="bip", extra=extra))


def test_raster_info(run_cli, cube):
    text, document = printed(run_cli, "raster", "info", cube)
    info = rasterkit.raster.open(cube).info()
    check(info, text, document, line=None)  # a table: no line sums it up
    assert info.summary_line().endswith(": 12 rows x 20 columns x 5 bands, uint16 "
                                        "little-endian, bip")


@pytest.mark.parametrize("quicklook", [False, True])
def test_raster_split(run_cli, cube, tmp_path, quicklook):
    out = str(tmp_path / "bands")
    rgb = {"rgb": str(tmp_path / "look.png")} if quicklook else {}
    extra = ("--rgb", rgb["rgb"]) if quicklook else ()
    text, document = printed(run_cli, "raster", "split", cube, out, *extra)
    result = rasterkit.raster.split(cube, out, **rgb)
    check(result, text, document)
    assert len(text.splitlines()) == 1 + quicklook


def test_raster_convert(run_cli, cube, tmp_path):
    out = str(tmp_path / "out.hdr")
    text, document = printed(run_cli, "raster", "convert", cube, out, "--interleave", "bsq")
    check(rasterkit.raster.convert(cube, out, interleave="bsq"), text, document)


def test_morphology_results_in_memory():
    rng = np.random.default_rng(2)
    mask = blobs(rng, 32, 32)
    for result in (rasterkit.morphology.remove_small_objects(mask, min_area=5),
                   rasterkit.morphology.skeletonize(mask)):
        assert isinstance(result, ResultProtocol)
        assert result.to_text() == result.summary_line() + "\n" == result.summary() + "\n"


def test_print_report_is_typed_against_the_protocol():
    import typing

    from rasterkit.cli import common

    hints = typing.get_type_hints(common.print_report,
                                  {"ResultProtocol": ResultProtocol, "Any": Any})
    assert hints["result"] is ResultProtocol
