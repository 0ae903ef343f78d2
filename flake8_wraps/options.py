"""Every option, declared once: its name, kind, default, help and who reads it.

flake8's options (the plugin's ``add_options`` and ``parse_options``), the command's
flags, the checking of configuration files and the :class:`Options` the analysis
reads are all built from :data:`OPTIONS`.  Who reads an option:

- ``analysis=True``: the analysis, so flake8 takes it too (as a ``--wraps-*`` flag and
  in ``[flake8]``), and the command (flag, ``[flake8]``, ``[tool.flake8-wraps]``);
- otherwise the command alone (flag, ``[tool.flake8-wraps]``, and ``[flake8]`` unless
  ``flake8_section=False``: flake8's own ``format`` means something else).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

T = TypeVar("T")

# kinds of value
NAMES = "names"  # comma-separated dotted Python names
CODES = "codes"  # comma-separated code prefixes
PATTERNS = "patterns"  # comma-separated glob patterns
PATHS = "paths"  # comma-separated folders
CHOICE = "choice"  # one word of a fixed set
SIZE = "size"  # a number of bytes, or of K, M or G (binary multiples)
SWITCH = "switch"  # on or off: a flag without a value (``--no-NAME`` turns it off)
TIMES = "times"  # a number: a flag given that many times (``-q``, ``-qq``)
FILE_CODES = "file-codes"  # glob patterns, each with code prefixes (per-file-ignores)
PATH = "path"  # one file

_METAVARS = {
    NAMES: "NAMES",
    CODES: "CODES",
    PATTERNS: "PATTERNS",
    PATHS: "PATHS",
    SIZE: "SIZE",
    FILE_CODES: "GLOB:CODES",
}
_MULTIPLES = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}


class OptionError(ValueError):
    """A bad option value; the message is one line naming the option."""


@dataclass(frozen=True)
class Option(Generic[T]):
    """One option: ``name`` as written in configuration files (``--name`` as a flag)."""

    name: str
    kind: str
    default: T
    help: str
    choices: tuple[str, ...] = ()
    metavar: str = ""
    analysis: bool = False
    flake8_section: bool = True
    group: str = "configuration"  # the group of the command's --help that lists it
    short: str = ""  # a one-letter flag as well (``-q``)

    @property
    def flag(self) -> str:
        return f"--{self.name}"

    @property
    def dest(self) -> str:
        """The attribute flake8 and argparse store it under."""
        return self.name.replace("-", "_")

    @property
    def shown_metavar(self) -> str:
        return self.metavar or _METAVARS[self.kind]

    def parse(self, raw: object, shown_as: str) -> T:
        """The checked value of ``raw`` (a string, or a list of strings from TOML).

        Raises :class:`OptionError` naming the option as ``shown_as``.
        """
        if self.kind == SIZE:
            return cast(T, _parse_size(raw, shown_as))
        if self.kind in _PARSERS:
            return cast(T, _PARSERS[self.kind](raw, shown_as))
        if self.kind == CHOICE:
            if not isinstance(raw, str) or raw.strip() not in self.choices:
                allowed = ", ".join(self.choices)
                raise OptionError(f"option {shown_as}: {raw!r} is not one of {allowed}")
            return cast(T, raw.strip())
        if isinstance(raw, str):
            raw = raw.replace("\n", ",")
        elif not (isinstance(raw, list) and all(isinstance(item, str) for item in raw)):
            raise OptionError(f"option {shown_as}: expected a string or a list of strings")
        values = split_names(raw)
        for value in values:
            if self.kind == NAMES and not all(piece.isidentifier() for piece in value.split(".")):
                raise OptionError(f"option {shown_as}: {value!r} is not a dotted Python name")
            if self.kind == CODES and not is_code_prefix(value):
                raise OptionError(f"option {shown_as}: {value!r} is not an error code prefix")
        return cast(T, values)


def is_code_prefix(value: str) -> bool:
    """``WRP``, ``WRP0``, ``E501``: letters, then letters or digits, in capitals."""
    return value[:1].isalpha() and value.isalnum() and value.isupper()


def _parse_size(raw: object, shown_as: str) -> int:
    text = str(raw).strip().upper() if isinstance(raw, (str, int)) else ""
    number, unit = text.rstrip("KMGB"), text[len(text.rstrip("KMGB")) :].rstrip("B")
    if isinstance(raw, bool) or not number.isdigit() or unit not in _MULTIPLES:
        raise OptionError(f"option {shown_as}: {raw!r} is not a size (like 16M or 500K)")
    return int(number) * _MULTIPLES[unit]


_TRUE = ("1", "yes", "true", "on")  # as configparser (and so flake8) reads a boolean
_FALSE = ("0", "no", "false", "off")


def _parse_switch(raw: object, shown_as: str) -> bool:
    if isinstance(raw, bool):
        return raw
    word = raw.strip().lower() if isinstance(raw, str) else ""
    if word not in (*_TRUE, *_FALSE):
        raise OptionError(f"option {shown_as}: {raw!r} is not true or false")
    return word in _TRUE


def _parse_times(raw: object, shown_as: str) -> int:
    text = str(raw).strip() if isinstance(raw, (str, int)) and not isinstance(raw, bool) else ""
    if not text.isdigit():
        raise OptionError(f"option {shown_as}: {raw!r} is not a number of times (like 1 or 2)")
    return int(text)


# per-file-ignores as flake8 writes it: ``GLOB[,GLOB...]:CODE[,CODE...]`` pairs, the
# lists split by commas or whitespace; a code is capitals then digits
_PAIR_TOKEN = re.compile(
    r"(?P<code>[A-Z]+[0-9]*(?=$|\s|,))|(?P<glob>[^\s:,]+)|(?P<colon>\s*:\s*)|(?P<gap>\s*,\s*|\s+)"
)

FileCodes = tuple[tuple[str, tuple[str, ...]], ...]  # (glob pattern, code prefixes) pairs


def _parse_file_codes(raw: object, shown_as: str) -> FileCodes:
    """Pairs of a glob pattern and code prefixes, from flake8's text or a TOML table
    (``{"tests/*" = ["WRP001"]}``, as ruff writes it).  A pattern without codes is
    dropped, as flake8 drops it."""
    if isinstance(raw, str):
        return _file_codes_from_text(raw, shown_as)
    if not isinstance(raw, dict):
        raise OptionError(f"option {shown_as}: expected a table of patterns and codes")
    pairs = []
    for pattern, given in raw.items():
        if not pattern.strip():
            raise OptionError(f"option {shown_as}: a pattern is empty")
        codes = _PATTERN_CODES.parse(given, f"{shown_as} ({pattern!r})")
        if codes:
            pairs.append((pattern.strip(), codes))
    return tuple(pairs)


def _file_codes_from_text(text: str, shown_as: str) -> FileCodes:
    pairs: list[tuple[str, tuple[str, ...]]] = []
    globs: list[str] = []
    codes: list[str] = []
    after_colon, separated = False, True

    def flush() -> None:
        if codes:
            pairs.extend((glob, tuple(codes)) for glob in globs)
        globs.clear()
        codes.clear()

    if not text.strip():
        return ()
    position = 0
    while position < len(text):
        token = _PAIR_TOKEN.match(text, position)
        assert token is not None  # every character starts one of the four
        position = token.end()
        kind, value = token.lastgroup, token.group().strip()
        if kind == "gap":
            separated = True
        elif not after_colon and kind == "colon":
            after_colon, separated = True, True
        elif separated and kind == "glob":
            if after_colon:  # the next pairs' patterns
                flush()
                after_colon = False
            globs.append(value)
            separated = False
        elif after_colon and separated and kind == "code":
            codes.append(value)
            separated = False
        else:
            break
    else:
        if after_colon:
            flush()
            return tuple(pairs)
    shown = " ".join(text.split())
    raise OptionError(
        f"option {shown_as}: {shown!r} is not a list of 'pattern:codes' pairs "
        "(like 'tests/*:WRP001 setup.py:WRP')"
    )


def _parse_path(raw: object, shown_as: str) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise OptionError(f"option {shown_as}: expected the path of a file")
    return raw.strip()


_PARSERS = {
    SWITCH: _parse_switch,
    TIMES: _parse_times,
    FILE_CODES: _parse_file_codes,
    PATH: _parse_path,
}


def format_size(size: int) -> str:
    """``16M`` for 16 MiB: the largest unit that divides the size."""
    for unit in ("G", "M", "K"):
        if size and size % _MULTIPLES[unit] == 0:
            return f"{size // _MULTIPLES[unit]}{unit}"
    return str(size)


DEFAULT_EXCLUDES: tuple[str, ...] = (
    ".git",
    ".hg",
    ".svn",
    ".bzr",
    ".tox",
    ".nox",
    ".venv",
    "venv",
    ".eggs",
    "*.egg-info",
    "build",
    "dist",
    "__pycache__",
    "node_modules",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    "__pypackages__",
    ".flake8_wraps_cache",
)
DEFAULT_ALLOWED_ABOVE_ROUTE: tuple[str, ...] = ("csrf.exempt",)

SELECT: Option[tuple[str, ...] | None] = Option(
    "select", CODES, None, "comma-separated code prefixes to report (default: WRP)"
)
IGNORE: Option[tuple[str, ...] | None] = Option(
    "ignore", CODES, None, "comma-separated code prefixes not to report"
)
EXTEND_SELECT: Option[tuple[str, ...]] = Option(
    "extend-select", CODES, (), "code prefixes to report on top of --select"
)
EXTEND_IGNORE: Option[tuple[str, ...]] = Option(
    "extend-ignore", CODES, (), "code prefixes to ignore on top of --ignore"
)
EXCLUDE: Option[tuple[str, ...]] = Option(
    "exclude",
    PATTERNS,
    DEFAULT_EXCLUDES,
    f"comma-separated glob patterns to skip, replacing the defaults ({','.join(DEFAULT_EXCLUDES)})",
)
EXTEND_EXCLUDE: Option[tuple[str, ...]] = Option(
    "extend-exclude", PATTERNS, (), "comma-separated patterns to skip as well"
)
FORMAT: Option[str] = Option(
    "format",
    CHOICE,
    "text",
    "output format: text (default), json, sarif or github",
    choices=("text", "json", "sarif", "github"),
    metavar="FORMAT",
    flake8_section=False,
)
MAX_FILE_SIZE: Option[int] = Option(
    "max-file-size",
    SIZE,
    16 << 20,
    "files larger than this are not read, with one error line each (default: 16M)",
)
WRAPS_EQUIVALENTS: Option[tuple[str, ...]] = Option(
    "wraps-equivalents",
    NAMES,
    (),
    "Comma-separated extra names that copy a wrapped function's metadata like "
    "functools.wraps (for example: mylib.copy_metadata).",
    analysis=True,
)
WRAPS_ROUTE_OBJECTS: Option[tuple[str, ...]] = Option(
    "wraps-route-objects",
    NAMES,
    (),
    "Comma-separated object names whose .get/.post/.task/... decorators register "
    "the function (for example: api,tasks.app).",
    analysis=True,
)
WRAPS_ALLOWED_ABOVE_ROUTE: Option[tuple[str, ...]] = Option(
    "wraps-allowed-above-route",
    NAMES,
    DEFAULT_ALLOWED_ABOVE_ROUTE,
    "Comma-separated decorators that may sit above a route "
    f"(default: {','.join(DEFAULT_ALLOWED_ABOVE_ROUTE)}).",
    analysis=True,
)
WRAPS_SOURCE_ROOTS: Option[tuple[str, ...]] = Option(
    "wraps-source-roots",
    PATHS,
    (),
    "Comma-separated folders where the project's imports are looked for, after the "
    "importing file's own folder, its package's and the project root (for example: "
    "src,lib).",
    analysis=True,
)
WRAPS_IMPORT_STYLE: Option[str] = Option(
    "wraps-import-style",
    CHOICE,
    "import",
    "the import a fix adds: 'import' (import functools, the default) or "
    "'from' (from functools import wraps)",
    choices=("import", "from"),
    metavar="STYLE",
    group="fixing",
)

PER_FILE_IGNORES: Option[FileCodes] = Option(
    "per-file-ignores",
    FILE_CODES,
    (),
    "code prefixes not to report in the files a glob pattern matches, as flake8 reads "
    "them: 'tests/*:WRP001 legacy.py:WRP' (the longest matching pattern decides)",
)
_PATTERN_CODES: Option[tuple[str, ...]] = Option("per-file-ignores", CODES, (), "")

# what the command prints besides the findings (flake8 reads these from [flake8] too,
# except show-fixes, which is ruff's)
COUNT: Option[bool] = Option(
    "count",
    SWITCH,
    False,
    "print the number of findings after the report",
    group="output",
)
STATISTICS: Option[bool] = Option(
    "statistics",
    SWITCH,
    False,
    "print the number of findings of each code after the report",
    group="output",
)
SHOW_SOURCE: Option[bool] = Option(
    "show-source",
    SWITCH,
    False,
    "print each finding's source line and a caret under its column (text format)",
    group="output",
)
QUIET: Option[int] = Option(
    "quiet",
    TIMES,
    0,
    "print only the names of the files with findings; twice (-qq), no findings at all",
    group="output",
    short="-q",
)
SHOW_FIXES: Option[bool] = Option(
    "show-fixes",
    SWITCH,
    False,
    "list the fixes made (or, with --diff or --check, to make) in each file",
    group="output",
)
# adopting in a large codebase
BASELINE: Option[str | None] = Option(
    "baseline",
    PATH,
    None,
    "report, fix and comment only the findings not recorded in this baseline file "
    "(written by --write-baseline)",
    metavar="FILE",
    group="baseline",
)

OPTIONS: tuple[Option[Any], ...] = (
    SELECT,
    IGNORE,
    EXTEND_SELECT,
    EXTEND_IGNORE,
    EXCLUDE,
    EXTEND_EXCLUDE,
    FORMAT,
    MAX_FILE_SIZE,
    WRAPS_EQUIVALENTS,
    WRAPS_ROUTE_OBJECTS,
    WRAPS_ALLOWED_ABOVE_ROUTE,
    WRAPS_SOURCE_ROOTS,
    WRAPS_IMPORT_STYLE,
    COUNT,
    STATISTICS,
    SHOW_SOURCE,
    QUIET,
    SHOW_FIXES,
    PER_FILE_IGNORES,
    BASELINE,
)
BY_NAME: dict[str, Option[Any]] = {option.name: option for option in OPTIONS}
ANALYSIS_OPTIONS: tuple[Option[Any], ...] = tuple(o for o in OPTIONS if o.analysis)


class Options:
    """What the analysis is told: the values of the analysis options (by option name;
    a missing one has its default) and the rule codes not to run (select/ignore)."""

    __slots__ = ("_values", "disabled")

    def __init__(
        self, values: Mapping[str, Any] | None = None, disabled: Iterable[str] = ()
    ) -> None:
        given = values or {}
        self._values: tuple[tuple[str, Any], ...] = tuple(
            (option.name, given.get(option.name, option.default)) for option in ANALYSIS_OPTIONS
        )
        self.disabled = frozenset(disabled)

    @classmethod
    def from_settings(cls, values: Mapping[str, Any], codes: Iterable[str]) -> Options:
        """The options in ``values`` (by option name), with the ``codes`` their
        select/ignore options turn off, decided as flake8 decides it."""
        select, ignore = values.get(SELECT.name), values.get(IGNORE.name)
        extend_select = values.get(EXTEND_SELECT.name) or ()
        extend_ignore = values.get(EXTEND_IGNORE.name) or ()
        disabled = (
            code
            for code in codes
            if not selected(code, select, ignore, extend_select, extend_ignore)
        )
        return cls(values, disabled)

    def __getitem__(self, option: Option[T]) -> T:
        for name, value in self._values:
            if name == option.name:
                return cast(T, value)
        raise KeyError(f"{option.name} is not an analysis option")

    def key(self) -> str:
        """A text that tells these options apart from any others (for the cache)."""
        return repr((self._values, sorted(self.disabled)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Options):
            return NotImplemented
        return (self._values, self.disabled) == (other._values, other.disabled)

    def __hash__(self) -> int:
        return hash((self._values, self.disabled))

    def __repr__(self) -> str:
        return f"Options({dict(self._values)!r}, disabled={sorted(self.disabled)!r})"

    def __getstate__(self) -> tuple[tuple[tuple[str, Any], ...], frozenset[str]]:
        return self._values, self.disabled

    def __setstate__(self, state: tuple[tuple[tuple[str, Any], ...], frozenset[str]]) -> None:
        self._values, self.disabled = state


def split_names(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """Turn ``"a, b,c"`` or ``["a", "b,c"]`` into ``("a", "b", "c")``, dropping blanks."""
    if value is None:
        return ()
    parts = [value] if isinstance(value, str) else list(value)
    names: list[str] = []
    for part in parts:
        names.extend(piece.strip() for piece in part.split(","))
    return tuple(name for name in names if name)


def selected(
    code: str,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    extend_select: Iterable[str] = (),
    extend_ignore: Iterable[str] = (),
) -> bool:
    """Whether ``code`` is reported, decided as flake8 decides it.

    A code chosen by name (``select``/``extend-select``, ``ignore``/``extend-ignore``)
    is chosen explicitly; without a ``select`` every code is selected implicitly, and
    an explicit ignore beats an implicit select (``ignore = W`` silences ``WRP``).  When
    a code is in both lists the same way, the longest matching prefix decides.
    """
    extend_select, extend_ignore = tuple(extend_select), tuple(extend_ignore)
    chosen = (*tuple(select or ()), *extend_select) if select is not None else extend_select
    dropped = (*tuple(ignore or ()), *extend_ignore) if ignore is not None else extend_ignore
    implicit_select = chosen if select is not None else ("", *extend_select)

    def longest(prefixes: Iterable[str]) -> int:
        return max((len(p) for p in prefixes if code.startswith(p)), default=-1)

    picked_by_name = longest(chosen) >= 0 and (select is not None or longest(extend_select) >= 0)
    dropped_by_name = longest(dropped) >= 0
    picked = longest(implicit_select) >= 0
    if dropped_by_name and picked_by_name:
        return longest(chosen) > longest(dropped)
    if dropped_by_name:
        return False
    return picked
