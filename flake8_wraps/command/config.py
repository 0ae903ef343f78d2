"""The command's configuration: one set of options from flake8's config files,
``[tool.flake8-wraps]`` in ``pyproject.toml`` and the command line, in that order."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flake8_wraps.command.discovery import DEFAULT_EXCLUDES
from flake8_wraps.config import (
    DEFAULT_ALLOWED_ABOVE_ROUTE,
    Options,
    selected,
    split_names,
    validate_names,
)

FLAKE8_FILES = ("setup.cfg", "tox.ini", ".flake8")  # flake8's own order
IMPORT_STYLES = ("import", "from")
FORMATS = ("text", "json", "sarif", "github")

# option name -> kind; names are as in flake8's config (dashes)
NAMES = {
    "wraps-equivalents": "names",
    "wraps-route-objects": "names",
    "wraps-allowed-above-route": "names",
    "wraps-import-style": "choice",
    "select": "codes",
    "ignore": "codes",
    "extend-select": "codes",
    "extend-ignore": "codes",
    "exclude": "patterns",
    "extend-exclude": "patterns",
    "format": "choice",
}
CHOICES = {"wraps-import-style": IMPORT_STYLES, "format": FORMATS}


class ConfigError(Exception):
    """A bad configuration value; the message is one line naming the option and file."""


@dataclass
class Settings:
    """Everything the command can be told, after config files and flags are merged."""

    values: dict[str, Any] = field(default_factory=dict)
    source: str | None = None  # the config file read, if any

    def names(self, key: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        value = self.values.get(key)
        return default if value is None else tuple(value)

    def choice(self, key: str, default: str) -> str:
        return str(self.values.get(key) or default)

    def options(self, codes: Iterable[str]) -> Options:
        select, ignore = self.values.get("select"), self.values.get("ignore")
        extend_select = self.names("extend-select")
        extend_ignore = self.names("extend-ignore")
        disabled = frozenset(
            code
            for code in codes
            if not selected(code, select, ignore, extend_select, extend_ignore)
        )
        return Options(
            wraps_equivalents=self.names("wraps-equivalents"),
            route_objects=self.names("wraps-route-objects"),
            allowed_above_route=self.names(
                "wraps-allowed-above-route", DEFAULT_ALLOWED_ABOVE_ROUTE
            ),
            disabled=disabled,
        )

    def excludes(self) -> tuple[str, ...]:
        return (*self.names("exclude", DEFAULT_EXCLUDES), *self.names("extend-exclude"))


COMMAND_LINE = "command line"


def _parse(key: str, raw: Any, where: str) -> Any:
    """Check and normalise one value; ``where`` names the file, or the command line."""
    if where == COMMAND_LINE:
        name, prefix = f"--{key}", ""
    else:
        name, prefix = key, f"{where}: "
    kind = NAMES[key]
    if kind == "choice":
        if not isinstance(raw, str) or raw.strip() not in CHOICES[key]:
            allowed = ", ".join(CHOICES[key])
            raise ConfigError(f"{prefix}option {name}: {raw!r} is not one of {allowed}")
        return raw.strip()
    if isinstance(raw, str):
        raw = raw.replace("\n", ",")
    elif not (isinstance(raw, list) and all(isinstance(item, str) for item in raw)):
        raise ConfigError(f"{prefix}option {name}: expected a string or a list of strings")
    values = split_names(raw)
    if kind == "names":
        error = validate_names(name, values)
        if error:
            raise ConfigError(f"{prefix}{error}")
    elif kind == "codes":
        for value in values:
            if not (value[:1].isalpha() and value.isalnum() and value.isupper()):
                raise ConfigError(f"{prefix}option {name}: {value!r} is not an error code prefix")
    return values


def from_mapping(
    values: Mapping[str, Any], where: str, strict: bool, base: Path | None = None
) -> dict[str, Any]:
    """The known options in ``values`` (keys with dashes or underscores), checked.

    Exclude patterns holding a ``/`` are paths: relative to ``base`` (the config
    file's folder, or the current directory for flags), as flake8 reads them.
    """
    out: dict[str, Any] = {}
    for raw_key, raw in values.items():
        key = raw_key.replace("_", "-")
        if key not in NAMES:
            if strict:
                raise ConfigError(f"{where}: unknown option {raw_key!r}")
            continue
        value = _parse(key, raw, where)
        if NAMES[key] == "patterns":
            folder = base or Path.cwd()
            value = tuple(
                str((folder / pattern).absolute()) if "/" in pattern else pattern
                for pattern in value
            )
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
    # flake8's own ``format`` (its output template) is not ours: leave it to flake8
    section = {k: v for k, v in parser.items("flake8") if k != "format"}
    return from_mapping(section, where, strict=False, base=path.parent)


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
