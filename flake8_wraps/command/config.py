"""The command's configuration: the options of one configuration file, then the flags.

The file is the one ``--config`` names or else, walking up from the first path, the
nearest ``pyproject.toml`` with a ``[tool.flake8-wraps]`` table or ``.flake8``,
``setup.cfg`` or ``tox.ini`` with a ``[flake8]`` section (in that order within a
folder); ``--isolated`` reads none.  A flag wins over the file's value.  Every option
is declared in :mod:`flake8_wraps.options`.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

from flake8_wraps.command.per_file import normal_pattern
from flake8_wraps.options import (
    BY_NAME,
    CODES,
    EXCLUDE,
    EXTEND_EXCLUDE,
    EXTEND_SELECT,
    FILE_CODES,
    PATH,
    PATHS,
    PATTERNS,
    Option,
    OptionError,
    Options,
    is_code_prefix,
)

T = TypeVar("T")

FLAKE8_FILES = ("setup.cfg", "tox.ini", ".flake8")  # flake8's own order


class ConfigError(Exception):
    """A bad configuration value; the message is one line naming the option and file."""


@dataclass
class Settings:
    """Everything the command can be told, after the config file and flags are merged."""

    values: dict[str, Any] = field(default_factory=dict)  # by option name, checked
    source: str | None = None  # the config file read, if any
    from_file: dict[str, Any] = field(default_factory=dict)  # the file's values alone
    warnings: list[str] = field(default_factory=list)  # values of the file left out

    def __getitem__(self, option: Option[T]) -> T:
        return cast(T, self.values.get(option.name, option.default))

    def options(self, codes: Iterable[str]) -> Options:
        return Options.from_settings(self.values, codes)

    def excludes(self) -> tuple[str, ...]:
        return (*self[EXCLUDE], *self[EXTEND_EXCLUDE])

    def silencing_notice(self, codes: Iterable[str]) -> str | None:
        """One line when the file's select and ignore options turn off every code in
        ``codes`` (written for other plugins: ``select = C4,E,F``), though no option
        of the file names them, and the flags do not turn any back on."""
        codes = tuple(codes)

        def none_left(values: Mapping[str, Any]) -> bool:
            return Options.from_settings(values, codes).disabled >= set(codes)

        if self.source is None or not (none_left(self.values) and none_left(self.from_file)):
            return None
        extended = (*self.from_file.get(EXTEND_SELECT.name, ()), "WRP")
        if none_left({**self.from_file, EXTEND_SELECT.name: extended}):
            return None  # the file ignores the codes by name: it means it
        if Path(self.source).name == "pyproject.toml":
            cure = 'add extend-select = ["WRP"] to its [tool.flake8-wraps] table'
        else:
            cure = "add extend-select = WRP to its [flake8] section"
        return (
            f"{self.source}: its select and ignore options turn off every WRP code, so "
            f"nothing is reported; {cure} to report them"
        )


COMMAND_LINE = "command line"
# the options of the table that flake8 itself reads from [flake8]: a value there that
# the command cannot read is flake8's business (and other plugins'), so it is left out
# with a warning; one that concerns WRP codes, or a value of the command's own options,
# is an error
FLAKE8_OWNED = frozenset(
    {
        "select",
        "ignore",
        "extend-select",
        "extend-ignore",
        "exclude",
        "extend-exclude",
        "per-file-ignores",
        "count",
        "statistics",
        "show-source",
        "quiet",
    }
)
_FLAKE8_LIST = re.compile(r"[,\s]")  # how flake8 splits a list of codes


def _concerns_wrp(item: str) -> bool:
    """Whether a bad code looks meant for this plugin (``WRP-1``, ``wrp001``)."""
    return re.sub(r"[^0-9A-Za-z]", "", item).upper().startswith("WRP")


def _flake8_value(
    option: Option[Any], raw: Any, where: str, warnings: list[str]
) -> tuple[bool, Any]:
    """A ``[flake8]`` value of an option flake8 owns, read as flake8 reads it; what
    cannot be read is left out with a warning in ``warnings``: (whether any value is
    left, the value)."""
    if option.kind == CODES and isinstance(raw, str):
        items = [item for item in _FLAKE8_LIST.split(raw) if item]
        bad = [item for item in items if not is_code_prefix(item)]
        wrong = [item for item in bad if _concerns_wrp(item)]
        if wrong:
            raise ConfigError(
                f"{where}: option {option.name}: {wrong[0]!r} is not an error code prefix"
            )
        if bad:
            listed = ", ".join(repr(item) for item in bad)
            what = "is not an error code prefix" if len(bad) == 1 else "are not error code prefixes"
            warnings.append(f"{where}: option {option.name}: {listed} {what}; left out")
        return True, tuple(item for item in items if item not in bad)
    try:
        return True, option.parse(raw, option.name)
    except OptionError as error:
        warnings.append(f"{where}: {error}; the option is left out")
        return False, None


def _parse(option: Option[Any], raw: Any, where: str) -> Any:
    """Check and normalise one value; ``where`` names the file, or the command line."""
    if where == COMMAND_LINE:
        shown_as, prefix = option.flag, ""
    else:
        shown_as, prefix = option.name, f"{where}: "
    try:
        return option.parse(raw, shown_as)
    except OptionError as error:
        raise ConfigError(f"{prefix}{error}") from None


def from_mapping(
    values: Mapping[str, Any],
    where: str,
    strict: bool,
    base: Path | None = None,
    flake8_section: bool = False,
    warnings: list[str] | None = None,
) -> dict[str, Any]:
    """The known options in ``values`` (keys with dashes or underscores), checked.

    In flake8's ``[flake8]`` section, options flake8 reads differently (its ``format``
    is its output template) are left to flake8, and a value of an option flake8 owns
    that cannot be read is left out with a line in ``warnings``.  Exclude and
    per-file-ignores patterns holding a ``/`` are paths: relative to ``base`` (the
    config file's folder, or the current directory for flags); so are folders and
    files (``baseline``).
    """
    out: dict[str, Any] = {}
    for raw_key, raw in values.items():
        key = raw_key.replace("_", "-")
        option = BY_NAME.get(key)
        if option is None or (flake8_section and not option.flake8_section):
            if strict:
                raise ConfigError(f"{where}: unknown option {raw_key!r}")
            continue
        if flake8_section and key in FLAKE8_OWNED:
            readable, value = _flake8_value(
                option, raw, where, [] if warnings is None else warnings
            )
            if not readable:
                continue
        else:
            value = _parse(option, raw, where)
        folder = base or Path.cwd()
        if option.kind == PATTERNS:
            value = tuple(
                str((folder / pattern).absolute()) if "/" in pattern else pattern
                for pattern in value
            )
        elif option.kind == PATHS:
            value = tuple(str((folder / path).absolute()) for path in value)
        elif option.kind == FILE_CODES:
            value = tuple((normal_pattern(glob, str(folder)), codes) for glob, codes in value)
        elif option.kind == PATH:
            value = str((folder / value).absolute())
        out[key] = value
    return out


def read_file(path: Path, warnings: list[str] | None = None) -> dict[str, Any] | None:
    """The options in one config file, or None when it has no section for us."""
    where = str(path)
    if path.name == "pyproject.toml":
        if sys.version_info >= (3, 11):
            import tomllib
        else:  # pragma: no cover - Python 3.9 and 3.10
            import tomli as tomllib
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            raise ConfigError(f"{where}: cannot read: {error}") from None
        tool = data.get("tool", {})
        if not isinstance(tool, dict):
            raise ConfigError(f"{where}: [tool] must be a table")
        section = tool.get("flake8-wraps")
        if section is None:
            return None
        if not isinstance(section, dict):
            raise ConfigError(f"{where}: [tool.flake8-wraps] must be a table")
        return from_mapping(section, where, strict=True, base=path.parent)
    import configparser

    parser = configparser.RawConfigParser()
    try:
        parser.read(path, encoding="utf-8")
    except (OSError, UnicodeDecodeError, configparser.Error) as error:
        message = str(error).splitlines()[0]
        raise ConfigError(f"{where}: cannot read: {message}") from None
    if not parser.has_section("flake8"):
        return None
    section = dict(parser.items("flake8"))
    return from_mapping(
        section, where, strict=False, base=path.parent, flake8_section=True, warnings=warnings
    )


def find_config(start: Path) -> Path | None:
    """The nearest config file with a section for us, walking up from ``start``."""
    directory = start if start.is_dir() else start.parent
    directory = directory.resolve()
    for folder in (directory, *directory.parents):
        for name in ("pyproject.toml", *FLAKE8_FILES):
            candidate = folder / name
            if candidate.is_file():
                try:
                    if read_file(candidate) is not None:
                        return candidate
                except ConfigError:
                    return candidate  # reading it again reports the problem
    return None


def load(
    paths: list[str], config: str | None, isolated: bool, flags: Mapping[str, Any]
) -> Settings:
    """Merge the config file (explicit, or found from the first path) and the flags."""
    settings = Settings()
    if config is not None:
        path = Path(config)
        if not path.is_file():
            raise ConfigError(f"{config}: config file not found")
        found = read_file(path, settings.warnings)
        if found is None and path.name != "pyproject.toml":
            found = {}
        settings.from_file.update(found or {})
        settings.source = str(path)
    elif not isolated:
        first = next((p for p in paths if p != "-"), os.curdir)
        path_found = find_config(Path(first))
        if path_found is not None:
            settings.from_file.update(read_file(path_found, settings.warnings) or {})
            settings.source = str(path_found)
    settings.values.update(settings.from_file)
    settings.values.update(from_mapping(flags, COMMAND_LINE, strict=True))
    return settings
