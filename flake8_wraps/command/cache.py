"""A cache of check results, so an unchanged tree is re-checked almost for free.

One JSON file per combination of tool version and effective options, in a cache
folder (default ``.flake8_wraps_cache`` in the current directory; ``--cache-dir`` or
``FLAKE8_WRAPS_CACHE_DIR`` move it, ``--no-cache`` or ``FLAKE8_WRAPS_NO_CACHE=1``
turn it off).  An entry is trusted when the file's size and modification time are
unchanged, or else when the BLAKE2 hash of its content is.  The file is replaced
atomically, so concurrent runs never see half a file; a corrupt or foreign file is
ignored and rebuilt.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from typing import Any

import flake8_wraps
from flake8_wraps.model import Finding, Fix
from flake8_wraps.options import Options
from flake8_wraps.registry import BY_CODE

FORMAT = 1
DEFAULT_DIRECTORY = ".flake8_wraps_cache"
ENV_DIRECTORY = "FLAKE8_WRAPS_CACHE_DIR"
ENV_DISABLE = "FLAKE8_WRAPS_NO_CACHE"

Entry = list[Any]  # [mtime_ns, size, digest, findings]


def digest_of(source: bytes) -> str:
    return hashlib.blake2b(source, digest_size=16).hexdigest()


def key_for(options: Options) -> str:
    """A name for the cache file: the tool version and every option that matters."""
    text = f"{FORMAT}|{flake8_wraps.__version__}|{options.key()}"
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def encode(findings: list[Finding]) -> list[list[Any]]:
    return [
        [
            f.line,
            f.col,
            f.code,
            f.message,
            list(f.end) if f.end else None,
            None if f.fix is None else f.fix.safe,
        ]
        for f in findings
    ]


def decode(rows: list[list[Any]]) -> list[Finding]:
    """Findings from the cache; their fixes carry only safety (enough to report them)."""
    findings = []
    for line, col, code, message, end, safe in rows:
        fix = None if safe is None else Fix(bool(safe), ())
        findings.append(
            Finding(line, col, BY_CODE[code], message, fix, tuple(end) if end else None)
        )
    return findings


class ResultCache:
    def __init__(self, directory: str, options: Options) -> None:
        self.directory = directory
        self.path = os.path.join(directory, f"{key_for(options)}.json")
        self.entries: dict[str, Entry] = {}
        self.changed = False

    def load(self) -> None:
        try:
            with open(self.path, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            return
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return
        entries = data.get("entries")
        if isinstance(entries, dict):
            self.entries = {
                path: entry
                for path, entry in entries.items()
                if isinstance(entry, list)
                and len(entry) == 4
                and isinstance(entry[3], list)
                and all(
                    isinstance(row, list) and len(row) == 6 and row[2] in BY_CODE
                    for row in entry[3]
                )
            }

    def lookup(self, path: str) -> list[Finding] | None:
        """The cached findings of ``path`` if it has not changed since, else None."""
        key = os.path.abspath(path)
        entry = self.entries.get(key)
        if entry is None:
            return None
        try:
            status = os.stat(path)
        except OSError:
            return None
        if entry[0] == status.st_mtime_ns and entry[1] == status.st_size:
            return decode(entry[3])
        try:
            with open(path, "rb") as handle:
                source = handle.read()
        except OSError:
            return None
        if digest_of(source) != entry[2]:
            return None
        entry[0], entry[1] = status.st_mtime_ns, status.st_size
        self.changed = True
        return decode(entry[3])

    def store(self, path: str, stat: tuple[int, int], digest: str, findings: list[Finding]) -> None:
        self.entries[os.path.abspath(path)] = [stat[0], stat[1], digest, encode(findings)]
        self.changed = True

    def save(self) -> None:
        """Write the cache atomically; a cache that can't be written is skipped quietly."""
        if not self.changed:
            return
        import tempfile  # only when there is something to write

        try:
            os.makedirs(self.directory, exist_ok=True)
            ignore = os.path.join(self.directory, ".gitignore")
            if not os.path.exists(ignore):
                with open(ignore, "w", encoding="utf-8") as handle:
                    handle.write("# created by flake8-wraps\n*\n")
            handle_number, temporary = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
        except OSError:
            return
        try:
            with os.fdopen(handle_number, "w", encoding="utf-8") as stream:
                json.dump({"format": FORMAT, "entries": self.entries}, stream)
            os.replace(temporary, self.path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def from_environment(
    flag_directory: str | None, disabled: bool, options: Options
) -> ResultCache | None:
    if disabled or os.environ.get(ENV_DISABLE, "").strip() not in ("", "0"):
        return None
    directory = flag_directory or os.environ.get(ENV_DIRECTORY) or DEFAULT_DIRECTORY
    cache = ResultCache(directory, options)
    cache.load()
    return cache
