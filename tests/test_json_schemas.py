"""Every JSON document rasterkit prints or writes validates against the JSON Schema shipped for
it (``src/rasterkit/schemas``, issue 20 item 4), and the schemas are not vacuous.

The commands run for real in subprocesses on small inputs (and the bundled examples); what they
print and the files they write are parsed strictly (NaN and Infinity are not JSON, though
Python writes them) and validated. Negative tests take real outputs, break them (a key
removed or added, a wrong type, a kind out of its enum, a count below 0) and check that the
schema refuses them.
"""

from __future__ import annotations

import copy
import functools
import json
import subprocess
import sys
import tomllib
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from rasterkit import schemas
from rasterkit.io import save_image
from tests.conftest import ROOT

EXAMPLES = ROOT / "examples"

#: Schema name -> the tests that validate real outputs against it (see :func:`covers`).
COVERED: dict[str, list[str]] = {}


def covers(*names: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Record that the decorated test validates real outputs against the schemas ``names``."""

    def mark(test: Callable[..., None]) -> Callable[..., None]:
        for name in names:
            COVERED.setdefault(name, []).append(test.__name__)
        return test

    return mark


def _not_json(constant: str) -> None:
    raise ValueError(f"{constant} is not JSON (Python's json writes it, other parsers refuse it)")


def loads(text: str) -> Any:
    """Parse JSON strictly: NaN, Infinity and -Infinity are refused."""
    return json.loads(text, parse_constant=_not_json)


def rasterkit(*args: object, cwd: Any, ok: tuple[int, ...] = (0,)) -> str:
    """Run ``rasterkit ARGS`` in ``cwd``; its standard output."""
    done = subprocess.run([sys.executable, "-m", "rasterkit.cli.main", *map(str, args)],
                          cwd=cwd, capture_output=True, text=True, timeout=300)
    assert done.returncode in ok, (f"rasterkit {' '.join(map(str, args))} exited "
                                   f"{done.returncode}: {done.stderr}")
    assert "Traceback" not in done.stderr, done.stderr
    return done.stdout


def printed(*args: object, cwd: Any, ok: tuple[int, ...] = (0,)) -> Any:
    """What ``rasterkit ARGS --json`` prints, parsed strictly."""
    return loads(rasterkit(*args, "--json", cwd=cwd, ok=ok))


@functools.cache
def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(schemas.schema(name))


def validate(name: str, document: Any) -> None:
    validator(name).validate(document)


def save(path: Any, pixels: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    save_image(pixels, path)


# ---------------------------------------------------------------------------- inputs


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """Small images for every command (all 8-bit, PNG)."""
    folder = tmp_path_factory.mktemp("inputs")
    rng = np.random.default_rng(20)
    # binary masks (compare)
    mask_a = np.zeros((24, 32), np.uint8)
    mask_a[4:12, 4:14] = 255
    mask_a[16:20, 20:28] = 255
    mask_b = np.zeros_like(mask_a)
    mask_b[4:12, 5:15] = 255
    mask_b[16:20, 20:28] = 255
    save(folder / "mask_a.png", mask_a)
    save(folder / "mask_b.png", mask_b)
    save(folder / "mask_small.png", mask_b[:20, :30])
    save(folder / "empty.png", np.zeros_like(mask_a))
    grey = (rng.integers(0, 60, mask_a.shape) + (mask_a // 255) * 150).astype(np.uint8)
    save(folder / "grey_a.png", grey)
    save(folder / "grey_b.png", np.roll(grey, 1, axis=1))
    # line drawings (compare-lines)
    line = np.zeros((30, 40), np.uint8)
    line[10, 5:35] = 255
    line[10:25, 20] = 255
    save(folder / "line_a.png", line)
    save(folder / "line_b.png", np.roll(line, 1, axis=0))
    save(folder / "line_far.png", np.roll(line, 8, axis=0))
    thick = np.zeros((30, 40), np.uint8)
    thick[9:12, 5:35] = 255
    save(folder / "thick.png", thick)
    save(folder / "line_empty.png", np.zeros_like(line))
    # objects, holes, peaks and pits (morphology)
    objects = np.zeros((40, 40), np.uint8)
    objects[5:25, 5:25] = 255
    objects[10:12, 10:12] = 0  # a hole of 4 pixels
    objects[30, 30] = 255
    objects[32:34, 35:37] = 255
    save(folder / "objects.png", objects)
    save(folder / "objects_grey.png", (objects // 255 * 180 + rng.integers(0, 40, objects.shape)
                                       ).astype(np.uint8))
    relief = np.full((40, 40), 100, np.uint8)
    relief[5:7, 5:7] = 200
    relief[20:35, 20:35] = 180
    relief[10, 30] = 20
    save(folder / "relief.png", relief)
    bar = np.zeros((20, 40), np.uint8)
    bar[5:12, 3:37] = 255
    save(folder / "bar.png", bar)
    save(folder / "bar_grey.png", (bar // 255 * 170 + 40).astype(np.uint8))
    # pages (diff)
    page = np.full((60, 30, 3), 255, np.uint8)
    page[5:15, 3:27] = rng.integers(0, 256, (10, 24, 3))
    page[30:40, 3:27] = rng.integers(0, 256, (10, 24, 3))
    save(folder / "page.png", page)
    save(folder / "page_copy.png", page)
    wider = np.full((60, 34, 3), 255, np.uint8)
    wider[:, :30] = page
    wider[32:36, 6:12] = (255, 0, 255)
    wider[50:52, 4:20] = 0
    save(folder / "page_wider.png", wider)
    ignored = np.zeros((60, 30), np.uint8)
    ignored[0:3, 0:3] = 255
    save(folder / "mask_of_page.png", ignored)
    # a section moved down the page
    white = np.full((45, 24, 3), 255, np.uint8)

    def section(rows: int) -> np.ndarray:
        block = np.full((rows, 24, 3), 255, np.uint8)
        block[:, 2:22] = rng.integers(0, 256, (rows, 20, 3))
        return block

    s1, s2, s3 = section(12), section(80), section(80)
    save(folder / "moved_a.png", np.vstack([white[:10], s1, white, s2, white, s3, white]))
    save(folder / "moved_b.png", np.vstack([white[:10], s2, white, s3, white, s1, white]))
    return folder


# ---------------------------------------------------------------------------- diff

STRICT_TOML = '[diff]\nfail-on = ["changed", "removed"]\nallow = ["removed<=300rows"]\n'
DIFF_VARIANTS = ("identical", "different", "moved", "gate_from_config", "gate_from_flags",
                 "options")


@pytest.fixture(scope="module")
def diff_docs(inputs):
    before, after = EXAMPLES / "before.png", EXAMPLES / "after.png"
    (inputs / "strict.toml").write_text(STRICT_TOML)
    run = functools.partial(printed, "diff", cwd=inputs)
    return {
        "identical": run("page.png", "page_copy.png"),
        "different": run(before, after, ok=(1,)),
        "moved": run("moved_a.png", "moved_b.png", ok=(1,)),
        "gate_from_config": run(before, after, "--config", "strict.toml", ok=(1,)),
        "gate_from_flags": run(before, after, "--fail-on", "added", "--allow", "added<=10rows",
                               "--allow", "changed<=5000px", ok=(1,)),
        "options": run("page.png", "page_wider.png", "--exact", "--ignore", "0,0,2,2",
                       "--ignore-a", "1,1,2,2", "--ignore-b", "1,1,3,3", "--mask-color",
                       "#FF00FF", "--mask", "mask_of_page.png", "--mask-a", "mask_of_page.png",
                       "--mask-b", "mask_of_page.png", "--pad-compare", "--no-moves",
                       "--merge-gap", "0", "--no-config", ok=(1,)),
    }


@covers("diff")
@pytest.mark.parametrize("variant", DIFF_VARIANTS)
def test_diff_json_matches_its_schema(diff_docs, variant):
    document = diff_docs[variant]
    validate("diff", document)
    kinds = {hunk["kind"] for hunk in document["hunks"]}
    if variant == "identical":
        assert document["identical"]
        assert not document["hunks"]
    if variant == "different":
        assert kinds == {"removed", "added", "changed"}
    if variant == "moved":
        assert kinds == {"moved"}
    if variant.startswith("gate"):
        assert document["gate"]["failing"] >= 1
    else:
        assert "gate" not in document
    assert (document["config"] is not None) == (variant == "gate_from_config")
    if variant == "options":
        assert document["options"]["exact"]
        assert "threshold" not in document["options"]
        assert {"ignore_both", "ignore_a", "ignore_b", "mask_color", "mask", "mask_a",
                "mask_b"} <= document["options"].keys()
        assert document["summary"]["width_changed"]


# ---------------------------------------------------------------------------- diff-dir

BATCH_TOML = '[diff]\nthreshold = 0.2\n\n[[diff.rules]]\npaths = ["sub/*.png"]\nmerge-gap = 3\n'
PRINTED_VARIANTS = ("review", "accept_dry_run", "accept_hunk", "accept_hunk_dry_run")


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """One batch of every status, run four ways; every document it printed or wrote."""
    root = tmp_path_factory.mktemp("batch")
    (root / "rasterkit.toml").write_text(BATCH_TOML)  # found from cwd: per-path options
    rng = np.random.default_rng(4)
    page = np.full((40, 16), 255, np.uint8)
    page[5:8, 2:10] = 0
    page[20:30, 3:12] = rng.integers(0, 120, (10, 9))
    edited = page.copy()
    edited[22:25, 4:8] = 250
    tail = page.copy()
    tail[36:40, 2:10] = 0
    for side, pixels in (("before", page), ("after", edited)):
        save(root / side / "changed.png", pixels)
        save(root / side / "sub" / "ruled.png", pixels)
    save(root / "before" / "tail.png", tail)
    save(root / "after" / "tail.png", tail[:36])  # a removal at the very end
    save(root / "before" / "same.png", page)
    save(root / "after" / "same.png", page)  # byte-identical: not decoded
    save_image(page, root / "before" / "recoded.png", compression=0)
    save_image(page, root / "after" / "recoded.png", compression=9)  # same pixels, other bytes
    save(root / "before" / "gone.png", page)
    save(root / "after" / "new.png", page)
    for side in ("before", "after"):
        (root / side / "notes.txt").write_text(f"not an image ({side})")
        (root / side / "broken.png").write_bytes(f"not a PNG ({side})".encode())
    run = functools.partial(printed, "diff-dir", "before", "after", "--workers", "1", "-q",
                            cwd=root, ok=(2,))  # broken.png: an error pair
    out: dict[str, Any] = {"review": run("-o", "review")}
    review = root / "review"
    out["results"] = loads((review / "results.json").read_text(encoding="utf-8"))
    out["lines"] = [loads(line) for line in
                    (review / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    out["record"] = next(r for r in out["lines"] if r["path"] == "sub/ruled.png")
    out["accept_dry_run"] = run("--accept", "--dry-run", "--fail-on", "changed,removed",
                                "--allow", "removed<=10rows")
    prints = [h["fingerprint"] for r in out["review"]["pairs"] for h in r.get("hunk_list", [])
              if r["path"] in ("changed.png", "tail.png")]
    out["accept_hunk"] = run("--accept-hunk", prints[0])
    out["accept_hunk_dry_run"] = run("--accept-hunk", prints[1], "--dry-run")
    out["reviewed"] = loads((root / "before" / ".rasterkit-reviewed.json").read_text(
        encoding="utf-8"))
    return out


@covers("diff-dir")
@pytest.mark.parametrize("variant", PRINTED_VARIANTS)
def test_diff_dir_json_matches_its_schema(batch, variant):
    document = batch[variant]
    validate("diff-dir", document)
    assert document["config"] is not None
    assert {r["status"] for r in document["pairs"]} == {"changed", "new", "deleted", "error",
                                                          "identical", "skipped"}
    ruled = next(r for r in document["pairs"] if r["path"] == "sub/ruled.png")
    assert ruled["options"]["merge_gap"] == 3  # a configuration rule for this path
    recoded = next(r for r in document["pairs"] if r["path"] == "recoded.png")
    assert recoded["status"] == "identical"
    assert recoded["hunk_list"] == []
    if variant == "review":
        assert all(r["thumbnail"] for r in document["pairs"]
                   if r["status"] not in ("error", "skipped"))
    if variant == "accept_dry_run":
        assert document["dry_run"]
        assert {a["action"] for a in document["accepted"]} == {"copy", "remove"}
        assert document["gate"]["allowed"] == ["tail.png"]
    if variant.startswith("accept_hunk"):
        assert len(document["accepted_hunks"]) == 1
        assert document["dry_run"] == variant.endswith("dry_run")
        assert document["gate"]  # reviewed hunks make a gate
    else:
        assert "accepted_hunks" not in document


@covers("diff-dir-results")
def test_results_json_matches_its_schema(batch):
    validate("diff-dir-results", batch["results"])
    printed_keys = batch["review"].keys() - batch["results"].keys()
    assert printed_keys == {"config"}


@covers("diff-dir-record")
def test_each_line_of_results_jsonl_matches_its_schema(batch):
    for record in batch["lines"]:
        validate("diff-dir-record", record)
    assert sorted(batch["lines"], key=lambda r: r["path"]) == batch["results"]["pairs"]
    assert "options" in batch["record"]


@covers("reviewed")
def test_the_reviewed_hunks_file_matches_its_schema(batch):
    validate("reviewed", batch["reviewed"])
    accepted = batch["accept_hunk"]["accepted_hunks"][0]
    assert batch["reviewed"]["hunks"] == {accepted["fingerprint"]: {
        "kind": accepted["kind"], "path": accepted["path"]}}  # the dry run stored nothing


# ---------------------------------------------------------------------------- compare

COMPARE_VARIANTS = ("identical", "different", "otsu", "one_empty", "padded")
LINES_VARIANTS = ("same", "different", "one_empty", "both_empty", "skeletonized")


@pytest.fixture(scope="module")
def compare_docs(inputs):
    run = functools.partial(printed, "compare", cwd=inputs, ok=(0, 1))
    return {"identical": run("mask_a.png", "mask_a.png"),
            "different": run("mask_a.png", "mask_b.png"),
            "otsu": run("grey_a.png", "grey_b.png", "--threshold", "otsu",
                        "--no-surface-distance"),
            "one_empty": run("mask_a.png", "empty.png"),
            "padded": run("mask_small.png", "mask_a.png", "--pad")}


@covers("compare")
@pytest.mark.parametrize("variant", COMPARE_VARIANTS)
def test_compare_json_matches_its_schema(compare_docs, variant):
    document = compare_docs[variant]
    validate("compare", document)
    assert document["identical"] == (variant == "identical")
    if variant in ("otsu", "one_empty"):
        assert document["mean_surface_distance"] is None
    if variant == "otsu":
        assert None not in document["threshold"].values()


@pytest.fixture(scope="module")
def lines_docs(inputs):
    run = functools.partial(printed, "compare-lines", cwd=inputs, ok=(0, 1))
    return {"same": run("line_a.png", "line_b.png", "--tolerance", "2"),
            "different": run("line_a.png", "line_far.png", "--tolerance", "2"),
            "one_empty": run("line_a.png", "line_empty.png"),
            "both_empty": run("line_empty.png", "line_empty.png"),
            "skeletonized": run("thick.png", "line_a.png", "--skeletonize", "zhang-suen",
                                "--sigma", "3")}


@covers("compare-lines")
@pytest.mark.parametrize("variant", LINES_VARIANTS)
def test_compare_lines_json_matches_its_schema(lines_docs, variant):
    document = lines_docs[variant]
    validate("compare-lines", document)
    assert document["same"] == (variant in ("same", "both_empty"))
    if variant == "one_empty":
        assert document["hausdorff"] is None
        assert document["correlation"] is None
    if variant == "skeletonized":
        assert document["skeletonized"] == "zhang-suen"


# ---------------------------------------------------------------------------- morphology

MORPHOLOGY_VARIANTS = ("remove_small", "holes", "threshold", "strips", "area_open",
                       "area_close")
SKELETON_VARIANTS = ("default", "zhang_suen_otsu")


@pytest.fixture(scope="module")
def morphology_docs(inputs):
    def run(command: str, source: str, out: str, *extra: object) -> Any:
        return printed(command, source, out, *extra, cwd=inputs)

    return {
        "remove_small": run("remove-small", "objects.png", "rs.png", "--min-area", "10"),
        "holes": run("remove-small", "objects.png", "rs_holes.png", "--min-area", "10",
                     "--holes", "--max-area", "1000", "--connectivity", "4"),
        "threshold": run("remove-small", "objects_grey.png", "rs_grey.png", "--min-area", "10",
                         "--threshold", "100"),
        "strips": run("remove-small", "objects.png", "rs_strips.tif", "--min-area", "10",
                      "--holes", "--strip-rows", "8", "-q"),
        "area_open": run("area-open", "relief.png", "open.png", "--min-area", "10"),
        "area_close": run("area-close", "relief.png", "close.png", "--min-area", "10",
                          "--connectivity", "4"),
        "default": run("skeletonize", "bar.png", "skeleton.png"),
        "zhang_suen_otsu": run("skeletonize", "bar_grey.png", "skeleton_zs.png", "--method",
                               "zhang-suen", "--threshold", "otsu"),
    }


@covers("morphology")
@pytest.mark.parametrize("variant", MORPHOLOGY_VARIANTS)
def test_area_filter_json_matches_its_schema(morphology_docs, variant):
    document = morphology_docs[variant]
    validate("morphology", document)
    kinds = [step["kind"] for step in document["steps"]]
    expected = {"holes": ["objects", "holes"], "strips": ["objects", "holes"],
                "area_open": ["peaks"], "area_close": ["pits"]}
    assert kinds == expected.get(variant, ["objects"])
    assert (document["strips"] > 1) == (variant == "strips")
    assert (document["threshold"] is not None) == (variant == "threshold")


@covers("skeletonize")
@pytest.mark.parametrize("variant", SKELETON_VARIANTS)
def test_skeletonize_json_matches_its_schema(morphology_docs, variant):
    document = morphology_docs[variant]
    validate("skeletonize", document)
    assert (document["threshold"] is not None) == (variant == "zhang_suen_otsu")


# ---------------------------------------------------------------------------- mosaic


@pytest.fixture(scope="module")
def mosaic_docs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mosaic")
    tiles, cat = EXAMPLES / "mosaic" / "tiles", EXAMPLES / "mosaic" / "cat.png"
    run = functools.partial(printed, "mosaic", "--tile-size", "8", "--no-tile-cache", "-q",
                            cwd=folder)
    out = {"auto": run(tiles, cat, "auto.png"),
           "auto_manifest": run(tiles, cat, "auto_m.png", "--manifest", "auto.json",
                                "--max-uses", "200", "--space", "lab"),
           "palette": run(EXAMPLES / "mosaic" / "heart.png", "palette.png", "--palette",
                          EXAMPLES / "mosaic" / "palette.toml", "--manifest", "palette.json")}
    for name in ("auto", "palette"):
        out[f"manifest_{name}"] = loads((folder / f"{name}.json").read_text(encoding="utf-8"))
    return out


@covers("mosaic")
@pytest.mark.parametrize("variant", ["auto", "auto_manifest", "palette"])
def test_mosaic_json_matches_its_schema(mosaic_docs, variant):
    document = mosaic_docs[variant]
    validate("mosaic", document)
    assert (document["manifest"] is None) == (variant == "auto")
    assert document["mode"] == ("palette" if variant == "palette" else "auto")


@covers("mosaic-manifest")
@pytest.mark.parametrize("variant", ["manifest_auto", "manifest_palette"])
def test_mosaic_manifest_matches_its_schema(mosaic_docs, variant):
    manifest = mosaic_docs[variant]
    validate("mosaic-manifest", manifest)
    assert len(manifest["grid"]) == manifest["rows"]
    assert {len(row) for row in manifest["grid"]} == {manifest["columns"]}


# ---------------------------------------------------------------------------- raster

SCENE = EXAMPLES / "scene.hdr"


@pytest.fixture(scope="module")
def raster_docs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("raster")
    np.arange(24, dtype=np.float32).tofile(folder / "raw.bin")
    run = functools.partial(printed, cwd=folder)
    return {
        "info": run("raster", "info", SCENE),
        "info_headerless": run("raster", "info", "raw.bin", "--shape", "2x3x4", "--dtype",
                               "float32", "--byte-order", "big"),
        # int8: a type ENVI lacks (the header's type overridden)
        "info_int8": run("raster", "info", SCENE, "--dtype", "int8"),
        "split_rgb": run("raster", "split", SCENE, "bands", "--bands", "0,5", "--rgb",
                         "quick.jpg", "-q"),
        "split_rgb_only": run("raster", "split", SCENE, "--rgb", "quick.png", "--rgb-bands",
                              "1,2,3", "-q"),
        "split_tif": run("raster", "split", SCENE, "tifs", "--format", "tif", "--bands", "0:3",
                         "-q"),
        "convert": run("raster", "convert", SCENE, "converted.hdr", "--interleave", "bil",
                       "--byte-order", "big", "-q"),
    }


@covers("raster-info")
@pytest.mark.parametrize("variant", ["info", "info_headerless", "info_int8"])
def test_raster_info_json_matches_its_schema(raster_docs, variant):
    document = raster_docs[variant]
    validate("raster-info", document)
    assert (document["header"] is None) == (variant == "info_headerless")
    assert (document["envi_data_type"] is None) == (variant == "info_int8")


@covers("raster-split")
@pytest.mark.parametrize("variant", ["split_rgb", "split_rgb_only", "split_tif"])
def test_raster_split_json_matches_its_schema(raster_docs, variant):
    document = raster_docs[variant]
    validate("raster-split", document)
    assert (document["rgb"] is None) == (variant == "split_tif")
    assert bool(document["images"]) == (variant != "split_rgb_only")


@covers("raster-convert")
def test_raster_convert_json_matches_its_schema(raster_docs):
    validate("raster-convert", raster_docs["convert"])
    assert raster_docs["convert"]["byte_order"] == "big"


# ---------------------------------------------------------------------------- negative tests

#: A real output of each schema's document: (fixture, key).
SAMPLES = {
    "diff": ("diff_docs", "gate_from_flags"),
    "diff-dir": ("batch", "accept_hunk"),
    "diff-dir-results": ("batch", "results"),
    "diff-dir-record": ("batch", "record"),
    "reviewed": ("batch", "reviewed"),
    "compare": ("compare_docs", "different"),
    "compare-lines": ("lines_docs", "different"),
    "morphology": ("morphology_docs", "holes"),
    "skeletonize": ("morphology_docs", "default"),
    "mosaic": ("mosaic_docs", "auto_manifest"),
    "mosaic-manifest": ("mosaic_docs", "manifest_auto"),
    "raster-info": ("raster_docs", "info"),
    "raster-split": ("raster_docs", "split_rgb"),
    "raster-convert": ("raster_docs", "convert"),
}


def sample(request: pytest.FixtureRequest, name: str, key: str | None = None) -> Any:
    """A deep copy of a real output (the sample of schema ``name``, or ``key`` of its
    fixture)."""
    fixture, default = SAMPLES[name]
    return copy.deepcopy(request.getfixturevalue(fixture)[key or default])


def refused(name: str, document: Any) -> bool:
    try:
        validate(name, document)
    except ValidationError:
        return True
    return False


def required_keys(name: str) -> list[str]:
    schema = schemas.schema(name)
    if "required" not in schema:  # the record schema: a $ref to its pair definition
        schema = schema["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema["required"]


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_the_sample_is_valid(request, name):
    validate(name, sample(request, name))


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_a_missing_required_key_is_refused(request, name):
    document = sample(request, name)
    keys = required_keys(name)
    assert keys
    for key in keys:
        broken = copy.deepcopy(document)
        del broken[key]
        assert refused(name, broken), f"{name} without {key!r} passed"


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_an_unknown_key_is_refused(request, name):
    document = sample(request, name)
    document["unexpected"] = 1
    assert refused(name, document)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_key_refuses_a_wrong_type(request, name):
    document = sample(request, name)
    for key, value in document.items():
        broken = copy.deepcopy(document)
        broken[key] = ["a list"] if isinstance(value, dict) else {"an": "object"}
        assert refused(name, broken), f"{name} with {key!r} = {broken[key]!r} passed"


def _hunk(document: dict, kind: str) -> dict:
    return next(h for h in document["hunks"] if h["kind"] == kind)


def _pair(document: dict, status: str) -> dict:
    return next(p for p in document["pairs"] if p["status"] == status)


def _set(path: str, value: Any) -> Callable[[Any], None]:
    """Set the value at ``path`` (keys and list indices joined by dots)."""

    def change(document: Any) -> None:
        *parents, last = path.split(".")
        for part in parents:
            document = document[int(part) if part.isdigit() else part]
        document[int(last) if last.isdigit() else last] = value

    return change


def _delete(path: str) -> Callable[[Any], None]:
    def change(document: Any) -> None:
        *parents, last = path.split(".")
        for part in parents:
            document = document[int(part) if part.isdigit() else part]
        del document[int(last) if last.isdigit() else last]

    return change


def _first_reviewed(change: Callable[[dict], None]) -> Callable[[Any], None]:
    return lambda document: change(next(iter(document["hunks"].values())))


BREAKAGES: list[tuple[str, str | None, str, Callable[[Any], None]]] = [
    # (schema, sample key or None for the default sample, what, change)
    ("diff", None, "kind out of the enum", _set("hunks.0.kind", "deleted")),
    ("diff", None, "a row range of one number", _set("hunks.0.a", [3])),
    ("diff", None, "a negative row", _set("hunks.0.b", [-1, 4])),
    ("diff", None, "a hunk without its columns", _delete("hunks.0.x")),
    ("diff", None, "a negative column", _set("hunks.0.x", [-3, 40])),
    ("diff", None, "a misspelt columns option", _set("options.colums", False)),
    ("diff", None, "a fingerprint that is not 16 hex digits", _set("hunks.0.fingerprint",
                                                                   "FD196640AF840CC6")),
    ("diff", None, "a null fingerprint", _set("hunks.0.fingerprint", None)),
    ("diff", None, "a removed hunk with changed pixels",
     lambda d: _hunk(d, "removed").update(changed_pixels=5)),
    ("diff", None, "an added hunk with a box",
     lambda d: _hunk(d, "added").update(boxes=[{"a": None, "b": [0, 0, 1, 1]}])),
    ("diff", None, "a changed hunk without its count",
     lambda d: _hunk(d, "changed").update(changed_pixels=None)),
    ("diff", None, "a box of three numbers",
     lambda d: _hunk(d, "changed")["boxes"][0].update(a=[1, 2, 3])),
    ("diff", None, "a negative summary count", _set("summary.noise_rows", -1)),
    ("diff", None, "a summary key missing", _delete("summary.rows_moved")),
    ("diff", None, "a threshold above 1", _set("options.threshold", 1.5)),
    ("diff", None, "exact with a threshold", _set("options.exact", True)),
    ("diff", None, "a misspelt option", _set("options.treshold", 0.1)),
    ("diff", None, "12 bits", _set("a.bits", 12)),
    ("diff", None, "5 bands", _set("b.bands", 5)),
    ("diff", None, "another schema version", _set("schema_version", 2)),
    ("diff", None, "a malformed allow rule", _set("gate.allow", ["added<200"])),
    ("diff", None, "fail_on an unknown kind", _set("gate.fail_on", ["changed", "deleted"])),
    ("diff", None, "a negative failing count", _set("gate.failing", -1)),
    ("diff", None, "a gate without its count", _delete("gate.failing")),
    ("diff", "options", "an ignore rectangle of width 0",
     _set("options.ignore_both", [[0, 0, 0, 2]])),
    ("diff", "options", "a mask colour in capitals", _set("options.mask_color", "#FF00FF")),
    ("diff", "options", "exact without compared_width", _delete("options.compared_width")),
    ("diff", "identical", "not exact and no threshold", _delete("options.threshold")),
    ("diff-dir", None, "a status out of the enum", lambda d: _pair(d, "new").update(
        status="gone")),
    ("diff-dir", None, "a changed pair without its hunks",
     lambda d: _pair(d, "changed").pop("hunk_list")),
    ("diff-dir", None, "a new pair with a BEFORE size",
     lambda d: _pair(d, "new").update(a={"width": 16, "height": 40})),
    ("diff-dir", None, "a deleted pair with hunks",
     lambda d: _pair(d, "deleted").update(hunk_list=[])),
    ("diff-dir", None, "an error pair without a note",
     lambda d: _pair(d, "error").update(note=None)),
    ("diff-dir", None, "a skipped pair with a thumbnail",
     lambda d: _pair(d, "skipped").update(thumbnail="thumbs/notes.txt.png")),
    ("diff-dir", None, "an identical pair with a mark",
     lambda d: _pair(d, "identical").update(marks=[[0.1, 0.2, "changed"]])),
    ("diff-dir", None, "an identical pair counting a hunk",
     lambda d: _pair(d, "identical")["hunks"].update(changed=1)),
    ("diff-dir", None, "a mark of an unknown kind",
     lambda d: _pair(d, "changed")["marks"][0].__setitem__(2, "edited")),
    ("diff-dir", None, "a mark starting below the page",
     lambda d: _pair(d, "changed")["marks"][0].__setitem__(0, 1.5)),
    ("diff-dir", None, "a mark of two items",
     lambda d: _pair(d, "changed")["marks"][0].pop()),
    ("diff-dir", None, "a size of width 0",
     lambda d: _pair(d, "changed")["a"].update(width=0)),
    ("diff-dir", None, "a summary without skipped", _delete("summary.skipped")),
    ("diff-dir", None, "a misspelt batch option", _set("options.treshold", 0.2)),
    ("diff-dir", None, "a pair option of negative rows",
     lambda d: next(p for p in d["pairs"] if "options" in p)["options"].update(merge_gap=-1)),
    ("diff-dir", None, "incomplete when printed", _set("complete", False)),
    ("diff-dir", None, "accepted hunks without dry_run", _delete("dry_run")),
    ("diff-dir", None, "an accepted hunk of another kind",
     _set("accepted_hunks.0.kind", "edited")),
    ("diff-dir", None, "a gate listing a path twice",
     lambda d: d["gate"].update(allowed=["tail.png", "tail.png"])),
    ("diff-dir", "accept_dry_run", "dry_run without accepted", _delete("accepted")),
    ("diff-dir", "accept_dry_run", "a deleted pair copied",
     lambda d: next(a for a in d["accepted"] if a["status"] == "deleted").update(
         action="copy")),
    ("diff-dir", "accept_dry_run", "a new pair removed",
     lambda d: next(a for a in d["accepted"] if a["status"] == "new").update(
         action="remove")),
    ("diff-dir", "accept_dry_run", "an identical pair accepted",
     _set("accepted.0.status", "identical")),
    ("diff-dir-results", None, "the printed-only config", _set("config", None)),
    ("diff-dir-results", None, "the printed-only gate",
     _set("gate", {"fail_on": ["changed"], "allow": [], "allowed": []})),
    ("diff-dir-results", None, "another schema version", _set("schema_version", 3)),
    ("diff-dir-record", None, "negative seconds", _set("seconds", -0.1)),
    ("diff-dir-record", None, "a preview of a changed pair", _set("preview", "previews/x.png")),
    ("diff-dir-record", None, "hunks without moved", _delete("hunks.moved")),
    ("diff-dir-record", None, "a hunk without a fingerprint", _delete("hunk_list.0.fingerprint")),
    ("diff-dir-record", None, "a hunk without its columns", _delete("hunk_list.0.x")),
    ("diff-dir-record", None, "a column range of three", _set("hunk_list.0.x", [0, 1, 2])),
    ("reviewed", None, "a key that is not a fingerprint",
     lambda d: d["hunks"].update({"abc": {"kind": "changed", "path": "a.png"}})),
    ("reviewed", None, "a kind out of the enum", _first_reviewed(lambda e: e.update(kind="x"))),
    ("reviewed", None, "an entry without its path", _first_reviewed(lambda e: e.pop("path"))),
    ("reviewed", None, "an entry with more", _first_reviewed(lambda e: e.update(seen=1))),
    ("reviewed", None, "another schema version", _set("schema_version", 2)),
    ("compare", None, "an IoU above 1", _set("iou", 1.5)),
    ("compare", None, "a negative count", _set("only_a", -1)),
    ("compare", None, "a fractional count", _set("both", 2.5)),
    ("compare", None, "a threshold of A only", _delete("threshold.b")),
    ("compare", None, "a negative distance", _set("mean_surface_distance", -0.5)),
    ("compare", None, "a width of 0", _set("width", 0)),
    ("compare-lines", None, "an unknown thinning", _set("skeletonized", "zhang")),
    ("compare-lines", None, "a correlation above 1", _set("correlation", 1.5)),
    ("compare-lines", None, "a pixel of one coordinate", _set("hausdorff_at.a", [1])),
    ("compare-lines", None, "points without matched", _delete("endpoints.matched")),
    ("compare-lines", None, "a sigma of 0", _set("sigma", 0)),
    ("compare-lines", None, "a negative tolerance", _set("tolerance", -1)),
    ("morphology", None, "an unknown command", _set("command", "remove-big")),
    ("morphology", None, "holes before objects", _set("steps.0.kind", "holes")),
    ("morphology", None, "connectivity 6", _set("steps.0.connectivity", 6)),
    ("morphology", None, "no steps", _set("steps", [])),
    ("morphology", None, "three steps", lambda d: d["steps"].append(d["steps"][1])),
    ("morphology", None, "holes with a max area", _set("steps.1.max_area", 5)),
    ("morphology", None, "0 strips", _set("strips", 0)),
    ("morphology", None, "a float16 input", _set("dtype", "float16")),
    ("morphology", "area_open", "area-open with a threshold", _set("threshold", 3.0)),
    ("morphology", "area_open", "area-open filtering objects", _set("steps.0.kind", "objects")),
    ("morphology", "area_close", "area-close filtering peaks", _set("steps.0.kind", "peaks")),
    ("skeletonize", None, "an unknown method", _set("method", "lee")),
    ("skeletonize", None, "another command", _set("command", "remove-small")),
    ("skeletonize", None, "negative iterations", _set("iterations", -1)),
    ("mosaic", None, "an unknown mode", _set("mode", "manual")),
    ("mosaic", None, "auto without a distance", _set("mean_distance", None)),
    ("mosaic", None, "an unknown colour space", _set("space", "rgb")),
    ("mosaic", None, "no tile used", _set("tiles_used", 0)),
    ("mosaic", None, "a skipped tile that is not a path", _set("skipped_tiles", [3])),
    ("mosaic", "palette", "palette with a distance", _set("mean_distance", 0.1)),
    ("mosaic", "palette", "palette with repeat conflicts", _set("repeat_conflicts", 2)),
    ("mosaic-manifest", None, "a colour by name", _set("tiles.0.colour", "red")),
    ("mosaic-manifest", None, "a colour in capitals", _set("tiles.0.colour", "#ABCDEF")),
    ("mosaic-manifest", None, "a negative tile index", _set("grid.0.0", -1)),
    ("mosaic-manifest", None, "a tile without uses", _delete("tiles.0.uses")),
    ("mosaic-manifest", None, "a row that is not a list", _set("grid.0", 3)),
    ("raster-info", None, "an unknown interleave", _set("interleave", "bsp")),
    ("raster-info", None, "an unknown byte order", _set("byte_order", "middle")),
    ("raster-info", None, "an unknown sample type", _set("dtype", "float16")),
    ("raster-info", None, "an unknown ENVI code", _set("envi_data_type", 7)),
    ("raster-info", None, "no ENVI code for uint16", _set("envi_data_type", None)),
    ("raster-info", "info_int8", "an ENVI code for int8", _set("envi_data_type", 1)),
    ("raster-info", None, "a header value that is a number", _set("fields.samples", 160)),
    ("raster-info", None, "0 rows", _set("rows", 0)),
    ("raster-info", None, "a wavelength that is text", _set("wavelengths.0", "400 nm")),
    ("raster-split", None, "a quick-look of two bands", _set("rgb.bands", [1, 2])),
    ("raster-split", None, "a stretch of one value", _set("images.0.stretch", [1.0])),
    ("raster-split", None, "a negative band", _set("images.0.index", -1)),
    ("raster-split", None, "a quick-look without stretch", _delete("rgb.stretch")),
    ("raster-convert", None, "an unknown interleave", _set("interleave", "bsp")),
    ("raster-convert", None, "no data", _set("data_bytes", 0)),
    ("raster-convert", None, "0 bands", _set("bands", 0)),
]


@pytest.mark.parametrize(("name", "key", "change"),
                         [pytest.param(name, key, change, id=f"{name}: {what}")
                          for name, key, what, change in BREAKAGES])
def test_a_broken_output_is_refused(request, name, key, change):
    document = sample(request, name, key)
    validate(name, document)  # valid before the change
    change(document)
    assert refused(name, document)


def test_every_schema_is_broken_at_least_once():
    assert {name for name, *_ in BREAKAGES} == set(schemas.names())


# ---------------------------------------------------------------------------- the schemas


def test_every_schema_is_validated_against_real_outputs():
    """A new schema must come with a test that runs the command (see :func:`covers`)."""
    assert set(COVERED) == set(schemas.names()), (
        f"schemas without a positive test: {sorted(set(schemas.names()) - set(COVERED))}; "
        f"covered but unknown: {sorted(set(COVERED) - set(schemas.names()))}")
    assert set(SAMPLES) == set(schemas.names())


def _subschemas(node: Any):
    """Every schema inside ``node`` that describes a value (not the conditions of
    allOf / if / then / else / not / dependentSchemas, which only restrict)."""
    if not isinstance(node, dict):
        return
    yield node
    for key in ("properties", "$defs"):
        for child in node.get(key, {}).values():
            yield from _subschemas(child)
    for key in ("items", "additionalProperties", "propertyNames"):
        yield from _subschemas(node.get(key))
    for key in ("prefixItems", "anyOf"):
        for child in node.get(key, []):
            yield from _subschemas(child)


def _described(schema: dict, node: dict) -> bool:
    if "description" in node:
        return True
    target = node.get("$ref", "")
    return target.startswith("#/$defs/") and "description" in schema["$defs"][target[8:]]


@pytest.mark.parametrize("name", schemas.names())
def test_each_schema_is_valid_and_documented(name):
    schema = schemas.schema(name)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"https://rasterkit.dev/schemas/{name}.schema.json"
    assert schema["title"]
    assert schema["description"]
    for node in _subschemas(schema):
        for key, child in node.get("properties", {}).items():
            assert _described(schema, child), f"{name}: property {key!r} has no description"
        if node.get("type") == "object" and "properties" in node:
            assert "additionalProperties" in node, f"{name}: open object {node.get('description')}"
            assert set(node.get("required", [])) <= node["properties"].keys()


def test_the_batch_schemas_share_their_definitions():
    """diff-dir, diff-dir-results and diff-dir-record describe the same pairs; their hunks
    and kinds are those of diff."""
    batch = [schemas.schema(name)["$defs"] for name in ("diff-dir", "diff-dir-results",
                                                        "diff-dir-record")]
    assert batch[0] == batch[1] == batch[2]
    diff = schemas.schema("diff")["$defs"]
    for key in ("kind", "fingerprint", "row_range", "box", "box_pair", "hunk", "rect"):
        assert diff[key] == batch[0][key], key
    reviewed = schemas.schema("reviewed")["$defs"]
    assert reviewed == {key: diff[key] for key in ("kind", "fingerprint")}


def test_the_schemas_are_package_data():
    """pyproject.toml ships them in wheels, and the package lists exactly the files."""
    with open(ROOT / "pyproject.toml", "rb") as f:
        data = tomllib.load(f)["tool"]["setuptools"]["package-data"]["rasterkit"]
    assert "schemas/*.json" in data
    folder = ROOT / "src" / "rasterkit" / "schemas"
    on_disk = sorted(p.name for p in folder.glob("*.json"))
    assert on_disk == sorted(f"{name}.schema.json" for name in schemas.names())
    with pytest.raises(ValueError, match="no JSON schema named"):
        schemas.schema("diff.schema")
