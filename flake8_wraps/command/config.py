"""The command's configuration: the options of one configuration file, then the flags.

The file is the one ``--config`` names or else, walking up from the first path, the
nearest ``pyproject.toml`` with a ``[tool.flake8-wraps]`` table or ``.flake8``,
``setup.cfg`` or ``tox.ini`` with a ``[flake8]`` section (in that order within a
folder); ``--isolated`` reads none.  A flag wins over the file's value.  Every option
is declared in :mod:`flake8_wraps.options`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

from flake8_wraps.options import (
    BY_NAME,
    EXCLUDE,
    EXTEND_EXCLUDE,
    PATH,
    PATHS,
    PATTERNS,
    Option,
    OptionError,
    Options,
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

    def __getitem__(self, option: Option[T]) -> T:
        return cast(T, self.values.get(option.name, option.default))

    def options(self, codes: Iterable[str]) -> Options:
        return Options.from_settings(self.values, codes)

    def excludes(self) -> tuple[str, ...]:
        return (*self[EXCLUDE], *self[EXTEND_EXCLUDE])


COMMAND_LINE = "command line"


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
) -> dict[str, Any]:
    """The known options in ``values`` (keys with dashes or underscores), checked.

    In flake8's ``[flake8]`` section, options flake8 reads differently (its ``format``
    is its output template) are left to flake8.  Exclude patterns holding a ``/`` are
    paths: relative to ``base`` (the config file's folder, or the current directory
    for flags), as flake8 reads them; so are folders and files (``baseline``).
    """
    out: dict[str, Any] = {}
    for raw_key, raw in values.items():
        key = raw_key.replace("_", "-")
        option = BY_NAME.get(key)
        if option is None or (flake8_section and not option.flake8_section):
            if strict:
                raise ConfigError(f"{where}: unknown option {raw_key!r}")
            continue
        value = _parse(option, raw, where)
        folder = base or Path.cwd()
        if option.kind == PATTERNS:
            value = tuple(
                str((folder / pattern).absolute()) if "/" in pattern else pattern
                for pattern in value
            )
        elif option.kind == PATHS:
            value = tuple(str((folder / path).absolute()) for path in value)
        elif option.kind == PATH:
            value = str((folder / value).absolute())
        out[key] = value
    return out


def read_file(path: Path) -> dict[str, Any] | None:
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
    return from_mapping(section, where, strict=False, base=path.parent, flake8_section=True)


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
        found = read_file(path)
        if found is None and path.name != "pyproject.toml":
            found = {}
        settings.values.update(found or {})
        settings.source = str(path)
    elif not isolated:
        first = next((p for p in paths if p != "-"), os.curdir)
        path_found = find_config(Path(first))
        if path_found is not None:
            settings.values.update(read_file(path_found) or {})
            settings.source = str(path_found)
    settings.values.update(from_mapping(flags, COMMAND_LINE, strict=True))
    return settings
