"""``per-file-ignores``, decided as flake8 decides it.

Each pattern, made absolute when it holds a ``/`` (from the configuration file's
folder, or the current directory for the flag), matches a file by its base name or
by its absolute path, with :func:`fnmatch.fnmatch` (so ``*`` crosses folders).  Of the
patterns that match a file, the longest (the first of equal length) alone applies:
its codes are added to ``extend-ignore`` for that file, so the longest-prefix rules
of select and ignore still hold (``select = WRP001`` beats a per-file ``WRP``).
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flake8_wraps.options import (
    EXTEND_IGNORE,
    EXTEND_SELECT,
    IGNORE,
    PER_FILE_IGNORES,
    SELECT,
    FileCodes,
    selected,
)


def normal_pattern(pattern: str, folder: str) -> str:
    """A pattern as flake8 normalises a path: absolute from ``folder`` when it holds a
    path separator (or is ``.``), without a trailing separator."""
    separators = os.sep + (os.altsep or "")
    if pattern == "." or any(separator in pattern for separator in separators):
        pattern = os.path.abspath(os.path.join(folder, pattern))
    return pattern.rstrip(separators)


def matches(path: str, pattern: str) -> bool:
    """flake8's test: the base name, or else the absolute path, matches ``pattern``."""
    name = os.path.basename(path)
    if name not in (".", "..") and fnmatch.fnmatch(name, pattern):
        return True
    return fnmatch.fnmatch(os.path.abspath(path), pattern)


@dataclass(frozen=True)
class PerFileIgnores:
    """For each normalised pattern, the codes not reported in the files it matches."""

    entries: tuple[tuple[str, frozenset[str]], ...] = ()

    @classmethod
    def from_settings(cls, values: Mapping[str, Any], codes: Iterable[str]) -> PerFileIgnores:
        pairs: FileCodes = values.get(PER_FILE_IGNORES.name) or ()
        select, ignore = values.get(SELECT.name), values.get(IGNORE.name)
        extend_select = values.get(EXTEND_SELECT.name) or ()
        extend_ignore = tuple(values.get(EXTEND_IGNORE.name) or ())
        codes = tuple(codes)
        entries = []
        for pattern, ignored in pairs:
            more = (*extend_ignore, *ignored)
            off = frozenset(
                code for code in codes if not selected(code, select, ignore, extend_select, more)
            )
            entries.append((pattern, off))
        return cls(tuple(entries))

    def silenced(self, path: str) -> frozenset[str]:
        """The codes not reported in ``path``: those of the longest matching pattern."""
        found: frozenset[str] = frozenset()
        longest = 0
        for pattern, codes in self.entries:
            if len(pattern) > longest and matches(path, pattern):
                found, longest = codes, len(pattern)
        return found

    def key(self) -> str:
        """What tells these apart from others (for the results cache)."""
        return repr([(pattern, sorted(codes)) for pattern, codes in self.entries])
