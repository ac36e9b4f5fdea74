"""One declaration of the diff options (rasterkit.linediff.options.DiffOptions): the library's
signature, the command-line flags, the configuration keys, diff-dir, the pytest helper and
the JSON options all follow it."""

from __future__ import annotations

import dataclasses
import inspect

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rasterkit
from rasterkit import config
from rasterkit.batch import diff_dir
from rasterkit.cli.diff_options import diff_options
from rasterkit.cli.main import build_parser
from rasterkit.errors import BadInputError
from rasterkit.linediff.options import FIELDS, NAMES, RUN_KEYWORDS, DiffOptions
from rasterkit.testing import assert_image_matches


def test_the_signature_is_the_declaration():
    parameters = list(inspect.signature(rasterkit.diff).parameters.values())[2:]
    options = [p for p in parameters if p.name not in RUN_KEYWORDS]
    assert [p.name for p in options] == list(NAMES)
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters)
    for parameter in options:
        assert parameter.default == FIELDS[parameter.name].default, parameter.name
    assert {p.name for p in parameters} - set(NAMES) == set(RUN_KEYWORDS)


def test_every_option_is_a_flag_and_a_configuration_key():
    for command in ("diff", "diff-dir"):
        flags = {a.dest: a for a in build_parser(command)._actions}
        for name, field in FIELDS.items():
            assert flags[name].help == field.metadata["help"], (command, name)
            assert flags[name].option_strings[0] == "--" + name.replace("_", "-")
    assert {name for name, _ in config.DIFF_KEYS.values()} == set(NAMES)
    assert list(config.DIFF_KEYS) == [n.replace("_", "-") for n in NAMES]


rects = st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50), st.integers(1, 50),
                           st.integers(1, 50)), max_size=2)
values = {
    "merge_gap": st.integers(0, 200), "pad_compare": st.booleans(),
    "threshold": st.floats(0, 1), "antialiasing": st.booleans(), "moves": st.booleans(),
    "ignore": rects, "ignore_a": rects, "ignore_b": rects,
    "mask_color": st.sampled_from(["#ff0000", "#00ff7f"]),
    "mask": st.just("m.png"), "mask_a": st.just("ma.png"), "mask_b": st.just("mb.png"),
}


def _argv(options: dict) -> list[str]:
    argv = []
    for name, value in options.items():
        flag = "--" + name.replace("_", "-")
        if FIELDS[name].metadata["kind"] == "switch":
            argv.append(flag if value else "--no-" + flag[2:])
        elif FIELDS[name].metadata["kind"] == "rects":
            argv += [item for rect in value for item in (flag, ",".join(map(str, rect)))]
        else:
            argv += [flag, repr(value) if isinstance(value, float) else str(value)]
    return argv


@settings(max_examples=60, deadline=None)
@given(st.fixed_dictionaries({}, optional=values))
def test_the_command_line_gives_the_library_what_was_written(options):
    args = build_parser("diff").parse_args(["a.png", "b.png", *_argv(options)])
    got = diff_options(args)
    assert got.pop("max_pixels") == args.max_pixels
    expected = {k: (list(v) if FIELDS[k].metadata["kind"] == "rects" else v)
                for k, v in options.items() if not (k.startswith("ignore") and not v)}
    assert got == expected
    DiffOptions.check(got)


def test_the_json_options_come_from_the_declaration():
    a = np.zeros((6, 4), np.uint8)
    a[2] = 255
    chosen = {"merge_gap": 3, "threshold": 0.25, "ignore_a": [(0, 0, 2, 2)],
              "mask_color": "#0a0b0c", "moves": False}
    result = rasterkit.diff(a, np.delete(a, 2, axis=0), **chosen)
    assert result.options == DiffOptions(**chosen).describe(compared_width=4)
    assert result.options["merge_gap"] == 3
    assert result.options["moves"] is False
    assert result.options["ignore_a"] == [[0, 0, 2, 2]]
    assert result.options["mask_color"] == "#0a0b0c"
    exact = rasterkit.diff(a, a, exact=True).options
    assert exact["exact"] is True
    assert "threshold" not in exact


@pytest.mark.parametrize(("options", "message"), [
    ({"merge_gap": -1}, "merge_gap must be >= 0, not -1"),
    ({"threshold": 1.5}, "threshold must be between 0 and 1, not 1.5"),
    ({"treshold": 0.2}, "unknown diff option 'treshold'"),
])
def test_bad_options_are_refused_the_same_everywhere(tmp_path, options, message):
    a = np.zeros((4, 4), np.uint8)
    with pytest.raises(BadInputError, match=message):
        DiffOptions.check(options)
    for folder in ("before", "after"):
        (tmp_path / folder).mkdir()
    with pytest.raises(BadInputError, match=message):
        diff_dir(tmp_path / "before", tmp_path / "after", **options)
    with pytest.raises(BadInputError, match=message):
        assert_image_matches(a, tmp_path / "snapshot.png", **options)
    if "treshold" not in options:
        with pytest.raises(BadInputError, match=message):
            rasterkit.diff(a, a, **options)


def test_options_are_frozen_data():
    options = DiffOptions()
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.threshold = 0.5  # type: ignore[misc]
    assert DiffOptions.pick({"threshold": 0.3, "a": 1, "threads": 2}) == DiffOptions(
        threshold=0.3)
