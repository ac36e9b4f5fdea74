"""Project configuration: ``[tool.rasterkit]`` in ``pyproject.toml``, or ``rasterkit.toml``.

Read by ``rasterkit diff``, ``rasterkit diff-dir`` and the pytest helper
(:mod:`rasterkit.testing`); the library functions never read it (they take every option as an
argument). Example ``pyproject.toml``::

    [tool.rasterkit.diff]              # defaults for every comparison
    threshold = 0.15
    ignore = ["0,0,1400,56"]           # x,y,w,h in pixels: the sticky header
    fail-on = ["changed", "removed"]   # what makes the exit status 1 (diff, diff-dir)
    allow = ["added<=200rows"]

    [[tool.rasterkit.diff.rules]]      # for some paths only; in file order, later ones win
    paths = ["checkout/**", "*-clock.png"]
    mask = "masks/checkout.png"        # relative to this file's folder
    mask-color = "#ff00ff"

A ``rasterkit.toml`` holds the same tables without the ``tool.rasterkit`` prefix (``[diff]``,
``[[diff.rules]]``).

Keys (the command-line flags' names): ``threshold`` (0..1), ``exact``, ``antialiasing``,
``moves``, ``pad-compare`` (true/false), ``merge-gap`` (rows), ``ignore``, ``ignore-a``,
``ignore-b`` (rectangles ``"x,y,w,h"`` or ``[x, y, w, h]``, pixels), ``mask-color``
(``"#rrggbb"``), ``mask``, ``mask-a``, ``mask-b`` (image paths); in ``[diff]`` only:
``fail-on`` (hunk kinds) and ``allow`` (``KIND<=N[rows|px]`` rules). Unknown keys and bad
values are errors that name the file and the key.

Finding the file: the nearest folder, from the current one upwards, holding a
``rasterkit.toml`` (first) or a ``pyproject.toml`` with a ``[tool.rasterkit]`` table;
``--config FILE`` names one and ``--no-config`` uses none.

Precedence: built-in defaults < ``[diff]`` < the matching rules, in file order < the command
line (or the pytest helper's keyword arguments). A matching rule's ignore rectangles add to
those before it; any other key replaces. Setting ``threshold`` or ``antialiasing`` on one
level turns off an ``exact`` from a lower one, and ``exact = true`` drops the lower levels'
``threshold`` and ``antialiasing`` (they do not apply to byte-exact rows).

Path patterns: ``*`` any characters but ``/``, ``**`` any number of folders, ``?`` one
character, ``[abc]`` / ``[!abc]`` a set. A pattern without ``/`` matches a file name in any
folder; one with ``/`` matches the path relative to the configuration file's folder or, in
``diff-dir``, the path inside the BEFORE / AFTER folders.

Example
-------
>>> rule = Rule(("checkout/**",), {"threshold": 0.3})
>>> rule.matches(["checkout/pay/card.png"]), rule.matches(["home.png"])
(True, False)
>>> layer({"exact": True}, {"threshold": 0.2})
{'exact': False, 'threshold': 0.2}
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from .errors import BadInputError
from .linediff.options import FIELDS

#: File names looked for, in this order, in each folder from the current one upwards.
FILE_NAMES = ("rasterkit.toml", "pyproject.toml")
#: Option keys whose lists of matching rules add to those of the levels below.
ADDITIVE = frozenset({"ignore", "ignore_a", "ignore_b"})
#: Keys that only ``[diff]`` takes (they decide the exit status of a whole run).
GATE_KEYS = ("fail-on", "allow")
#: A pyproject.toml that can hold ``[tool.rasterkit]``: such a table header, a bare ``[tool]``
#: table (dotted keys), or a root-level ``tool.rasterkit`` key; others are not parsed.
_MAY_HAVE_TABLE = re.compile(r"^\s*(\[\[?\s*tool\s*\.\s*rasterkit\b|\[\s*tool\s*\]"
                             r"|tool\s*\.\s*rasterkit\b)", re.MULTILINE)


class ConfigError(BadInputError):
    """A configuration file that cannot be used (its path and the key are in the message)."""


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"must be true or false, not {value!r}")
    return value


def _unit(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ValueError(f"must be a number between 0 and 1, not {value!r}")
    return float(value)


def _rows(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"must be a whole number of rows >= 0, not {value!r}")
    return value


def _rects(value: Any) -> list[tuple[int, int, int, int]]:
    from .linediff.ignore import parse_rect

    if not isinstance(value, list):
        raise ValueError(f'must be a list of rectangles like ["x,y,w,h"], not {value!r}')
    rects = []
    for item in value:
        if isinstance(item, list) and all(isinstance(v, int) and not isinstance(v, bool)
                                          for v in item):
            item = ",".join(map(str, item))
        if not isinstance(item, str):
            raise ValueError(f'rectangle {item!r}: write "x,y,w,h" or [x, y, w, h]')
        try:
            rects.append(parse_rect(item))
        except BadInputError as error:
            raise ValueError(str(error)) from None
    return rects


def _colour(value: Any) -> str:
    from .linediff.ignore import parse_colour

    if not isinstance(value, str):
        raise ValueError(f'must be a colour "#rrggbb", not {value!r}')
    try:
        parse_colour(value)
    except BadInputError as error:
        raise ValueError(str(error)) from None
    return value


def _path(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"must be a file path, not {value!r}")
    return value


def _text_list(value: Any) -> list[str]:
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
        raise ValueError(f"must be a list of strings, not {value!r}")
    return [v.strip() for v in items]


#: How the configuration checks a value of each kind of option
#: (:data:`rasterkit.linediff.options.Kind`).
_CHECKS: dict[str, Callable[[Any], Any]] = {
    "unit": _unit, "switch": _bool, "rows": _rows, "rects": _rects, "colour": _colour,
    "path": _path}
#: ``[diff]`` / rule key -> (keyword argument of :func:`rasterkit.diff`, check): one per field
#: of :class:`rasterkit.linediff.options.DiffOptions`.
DIFF_KEYS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    name.replace("_", "-"): (name, _CHECKS[field.metadata["kind"]])
    for name, field in FIELDS.items()}
#: Options that name a file, relative to the configuration file's folder.
_FILES = tuple(name for name, field in FIELDS.items() if field.metadata["kind"] == "path")


@functools.cache  # a rule is matched against every pair of a batch
def _pattern_regex(pattern: str) -> re.Pattern[str]:
    """A glob (``*``, ``**``, ``?``, ``[...]``) as a regular expression over ``/`` paths."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and "]" in pattern[i + 2:]:
            stop = pattern.index("]", i + 2)
            body = pattern[i + 1:stop]
            negate = body.startswith("!")
            out.append("[" + ("^" if negate else "") + re.escape(body[negate:]) + "]")
            i = stop + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out))


@dataclasses.dataclass(frozen=True)
class Rule:
    """Options for the paths matching any of ``patterns`` (see the module notes)."""

    patterns: tuple[str, ...]
    options: Mapping[str, Any]

    def matches(self, paths: Iterable[str]) -> bool:
        """Whether any of ``paths`` (``/``-separated, relative) matches a pattern."""
        paths = list(paths)
        for pattern in self.patterns:
            regex = _pattern_regex(pattern.lstrip("/"))
            anchored = "/" in pattern
            if any(regex.fullmatch(p if anchored else p.rsplit("/", 1)[-1]) for p in paths):
                return True
        return False


def layer(lower: Mapping[str, Any], upper: Mapping[str, Any], *,
          add: bool = False) -> dict[str, Any]:
    """``upper``'s diff options over ``lower``'s (with ``add``, ignore lists add up)."""
    out = dict(lower)
    if upper.get("exact"):
        out.pop("threshold", None)
        out.pop("antialiasing", None)
    elif "threshold" in upper or "antialiasing" in upper:
        out["exact"] = False
    for key, value in upper.items():
        out[key] = [*out[key], *value] if add and key in ADDITIVE and key in out else value
    return out


@dataclasses.dataclass(frozen=True)
class Config:
    """A configuration file's contents, checked; :data:`NONE` when there is none."""

    source: Path | None
    defaults: Mapping[str, Any]
    rules: tuple[Rule, ...] = ()
    fail_on: str | None = None
    allow: tuple[str, ...] = ()

    @property
    def root(self) -> Path:
        """The folder that relative mask paths and ``/`` patterns start from."""
        return self.source.parent if self.source is not None else Path.cwd()

    def relative(self, path: str | os.PathLike[str]) -> str | None:
        """``path`` relative to :attr:`root` with ``/`` separators; None when outside it."""
        try:
            return Path(os.path.abspath(path)).relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return None

    def diff_options(self, files: Iterable[Any] = (), inside: Iterable[str] = ()
                     ) -> dict[str, Any]:
        """Keyword arguments of :func:`rasterkit.diff` for a comparison of ``files`` (paths;
        other images match no pattern); ``inside``: paths already relative (``diff-dir``'s
        path of a pair in its folders)."""
        paths = [*inside]
        for item in files:
            if isinstance(item, str | os.PathLike):
                relative = self.relative(item)
                paths.append(relative if relative is not None else Path(item).name)
        options = dict(self.defaults)
        for rule in self.rules:
            if rule.matches(paths):
                options = layer(options, rule.options, add=True)
        return options


NONE = Config(None, {})


def _check_table(table: Any, where: str, allowed: Iterable[str]) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise ValueError(f"{where} must be a table")
    allowed = list(allowed)
    for key in table:
        if key not in allowed:
            import difflib

            near = difflib.get_close_matches(key, allowed, n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            raise ValueError(f"{where}: unknown key {key!r}{hint}")
    return table


def _diff_options(table: dict[str, Any], where: str, root: Path) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for key, value in table.items():
        if key not in DIFF_KEYS:
            continue
        name, check = DIFF_KEYS[key]
        try:
            options[name] = check(value)
        except (ValueError, TypeError) as error:
            raise ValueError(f"{where} {key} {error}") from None
    if options.get("exact") and ({"threshold", "antialiasing"} & table.keys()):
        raise ValueError(f"{where}: exact = true compares bytes; it takes no threshold or "
                         "antialiasing")
    for name in _FILES:
        if name in options:
            options[name] = os.fspath(root / options[name])
    return options


def parse(data: Mapping[str, Any], source: Path) -> Config:
    """A :class:`Config` from the ``[tool.rasterkit]`` (or ``rasterkit.toml``) table."""
    root = source.parent
    try:
        top = _check_table(data, "the rasterkit table", ("diff",))
        table = _check_table(top.get("diff", {}), "[diff]",
                             (*DIFF_KEYS, *GATE_KEYS, "rules"))
        defaults = _diff_options(table, "[diff]", root)
        gate = {key: _text_list(table[key]) for key in GATE_KEYS if key in table}
        rules = []
        entries = table.get("rules", [])
        if not isinstance(entries, list):
            raise ValueError("[diff] rules must be an array of tables ([[diff.rules]])")
        for number, entry in enumerate(entries, 1):
            where = f"[[diff.rules]] number {number}"
            _check_table(entry, where, ("paths", *DIFF_KEYS))
            if "paths" not in entry:
                raise ValueError(f"{where}: needs paths = [\"pattern\", ...]")
            patterns = _text_list(entry["paths"])
            rules.append(Rule(tuple(patterns), _diff_options(entry, where, root)))
    except ValueError as error:
        raise ConfigError(f"{source}: {error}") from None
    fail_on = ",".join(gate["fail-on"]) if "fail-on" in gate else None
    config = Config(source, defaults, tuple(rules), fail_on, tuple(gate.get("allow", ())))
    _check_gate(config)
    return config


def _check_gate(config: Config) -> None:
    from .linediff.gate import Gate

    try:
        Gate.parse(config.fail_on, list(config.allow))
    except BadInputError as error:
        raise ConfigError(f"{config.source}: [diff] {error}") from None


def _table(path: Path) -> dict[str, Any] | None:
    """The rasterkit table of a configuration file; None when a pyproject.toml has none."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the configuration: "
                          f"{error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    if path.name == "pyproject.toml" and not _MAY_HAVE_TABLE.search(text):
        return None  # most projects' pyproject.toml: no need to parse it (start-up)
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        return tool.get("rasterkit") if isinstance(tool, dict) else None
    return data


def find(start: str | os.PathLike[str] | None = None) -> Path | None:
    """The configuration file that applies in ``start`` (default: the current folder)."""
    folder = Path(os.path.abspath(start if start is not None else os.getcwd()))
    for place in (folder, *folder.parents):
        for name in FILE_NAMES:
            candidate = place / name
            if candidate.is_file() and _table(candidate) is not None:
                return candidate
    return None


def load(path: str | os.PathLike[str] | None = None, *,
         start: str | os.PathLike[str] | None = None) -> Config:
    """The configuration in ``path``, or the one :func:`find` finds from ``start``;
    :data:`NONE` when there is none.

    Raises
    ------
    ConfigError
        A missing ``path``, invalid TOML, an unknown key or a bad value (one line).
    """
    if path is not None:
        source = Path(path)
        if not source.is_file():
            raise ConfigError(f"{source}: no such configuration file")
        table = _table(source)
        if table is None:
            raise ConfigError(f"{source}: has no [tool.rasterkit] table")
    else:
        found = find(start)
        if found is None:
            return NONE
        source, table = found, _table(found)
    return parse(table or {}, source)
