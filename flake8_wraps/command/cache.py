"""A cache of check results, so an unchanged tree is re-checked almost for free.

One file per combination of tool version, Python version and effective options, in a cache folder
(default ``.flake8_wraps_cache`` in the current directory; ``--cache-dir`` or
``FLAKE8_WRAPS_CACHE_DIR`` move it, ``--no-cache`` or ``FLAKE8_WRAPS_NO_CACHE=1`` turn
it off).  An entry is used when the file's size and modification time are those the
entry recorded, or else when the BLAKE2 hash of what was just read is, and when each
project file its findings depend on (the modules whose decorators or apps it imports)
has the size and modification time it had then, and when the project still applies
with ``@`` (or still does not) each name its findings looked for as evidence of use.

What the cache trusts: only files it wrote itself.  Each cache file is signed with
HMAC-SHA256 under a random key kept outside the project, in the user's own cache
folder (``$XDG_CACHE_HOME/flake8-wraps/key``, by default ``~/.cache/...``), so a cache
committed to a repository, or written by anyone without that key, does not verify
and is ignored: it cannot hide a finding.  A file that does not verify or validate is
ignored and rebuilt.  Writing never follows a symbolic link: a cache folder that is a
link is not written to, and files in it are created anew, never opened through a
link.  The file is replaced atomically, so concurrent runs never see half a file.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import sys
from dataclasses import dataclass
from typing import Any

import flake8_wraps
from flake8_wraps.analysis.applied import applied_under, remember
from flake8_wraps.analysis.applied import snapshot as applied_snapshot
from flake8_wraps.model import Finding, Fix
from flake8_wraps.options import Options
from flake8_wraps.registry import BY_CODE
from flake8_wraps.source import FileError, read_source

FORMAT = 6
MAGIC = b"flake8-wraps-cache"
DEFAULT_DIRECTORY = ".flake8_wraps_cache"
ENV_DIRECTORY = "FLAKE8_WRAPS_CACHE_DIR"
ENV_DISABLE = "FLAKE8_WRAPS_NO_CACHE"
MAX_CACHE_FILE = 256 << 20  # a larger cache file is not read

Entry = list[Any]  # [mtime_ns, size, digest, findings, dependencies, shared views, evidence]


def digest_of(source: bytes) -> str:
    return hashlib.blake2b(source, digest_size=16).hexdigest()


def key_for(options: Options, per_file: str = "") -> str:
    """A name for the cache file: the tool version, the interpreter (what parses differs
    between Python versions) and every option that matters (``per_file``: the
    per-file-ignores, which the cached findings reflect)."""
    python = f"{sys.implementation.name}{sys.version_info[0]}.{sys.version_info[1]}"
    text = f"{FORMAT}|{flake8_wraps.__version__}|{python}|{options.key()}|{per_file}"
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def user_key() -> bytes | None:
    """The signing key, kept in the user's cache folder (made on first use), or None
    when it can't be read or made: then there is no cache."""
    home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(home, "flake8-wraps")
    path = os.path.join(folder, "key")
    key: bytes | None
    try:
        with open(path, "rb") as stream:
            key = stream.read(64)
    except FileNotFoundError:
        key = _new_key(folder, path)
    except OSError:
        return None
    return key if key is not None and len(key) == 32 else None


def _new_key(folder: str, path: str) -> bytes | None:
    """Make the key file, whole or not at all; another run may make it at the same time."""
    key = os.urandom(32)
    temporary = f"{path}.{os.urandom(8).hex()}.tmp"
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(handle, "wb") as stream:
            stream.write(key)
        try:
            os.link(temporary, path)  # fails if another run made it first: use theirs
        except FileExistsError:
            with open(path, "rb") as stream:
                key = stream.read(64)
        finally:
            os.unlink(temporary)
    except OSError:
        return None
    return key


def sign(payload: bytes, key: bytes) -> bytes:
    """A cache file's bytes: a header line with the payload's signature, then the payload."""
    mac = hmac.new(key, payload, hashlib.sha256).hexdigest().encode()
    return b"%s %d %s\n%s" % (MAGIC, FORMAT, mac, payload)


def verified(blob: bytes, key: bytes) -> bytes | None:
    """The payload of a cache file signed with ``key``, or None."""
    header, _, payload = blob.partition(b"\n")
    parts = header.split(b" ")
    if len(parts) != 3 or parts[0] != MAGIC or parts[1] != str(FORMAT).encode():
        return None
    expected = hmac.new(key, payload, hashlib.sha256).hexdigest().encode()
    return payload if hmac.compare_digest(expected, parts[2]) else None


def encode(findings: list[Finding]) -> list[list[Any]]:
    return [
        [
            f.line,
            f.col,
            f.code,
            f.message,
            list(f.end) if f.end else None,
            None if f.fix is None else f.fix.safe,
            f.scope,
            f.line_text,
        ]
        for f in findings
    ]


def decode(rows: list[list[Any]]) -> list[Finding]:
    """Findings from the cache; their fixes carry only safety (enough to report them)."""
    findings = []
    for line, col, code, message, end, safe, scope, line_text in rows:
        fix = None if safe is None else Fix(bool(safe), ())
        where = tuple(end) if end else None
        findings.append(Finding(line, col, BY_CODE[code], message, fix, where, scope, line_text))
    return findings


def _is_int(value: object) -> bool:
    return type(value) is int


def _valid_row(row: object) -> bool:
    if not (isinstance(row, list) and len(row) == 8):
        return False
    line, col, code, message, end, safe, scope, line_text = row
    return (
        _is_int(line)
        and _is_int(col)
        and isinstance(code, str)
        and code in BY_CODE
        and isinstance(message, str)
        and (end is None or (isinstance(end, list) and len(end) == 2 and all(map(_is_int, end))))
        and (safe is None or isinstance(safe, bool))
        and isinstance(scope, str)
        and isinstance(line_text, str)
    )


def _valid_entry(path: object, entry: object) -> bool:
    return (
        isinstance(path, str)
        and isinstance(entry, list)
        and len(entry) == 7
        and _is_int(entry[0])
        and _is_int(entry[1])
        and isinstance(entry[2], str)
        and isinstance(entry[3], list)
        and all(_valid_row(row) for row in entry[3])
        and isinstance(entry[4], list)
        and all(_valid_dependency(dependency) for dependency in entry[4])
        and isinstance(entry[5], list)
        and all(_valid_view(view) for view in entry[5])
        and isinstance(entry[6], list)
        and all(_valid_evidence(evidence) for evidence in entry[6])
    )


def _valid_evidence(evidence: object) -> bool:
    """(a project's root folder, a name, whether the project applied it with ``@``)"""
    kinds = (str, str, bool)
    return (
        isinstance(evidence, list)
        and len(evidence) == len(kinds)
        and all(type(value) is kind for value, kind in zip(evidence, kinds))
    )


def _evidence_holds(evidence: list[list[Any]]) -> bool:
    """Whether each project still applies (or not) each name as it did."""
    for root, name, applied in evidence:
        names = applied_under(root)
        if names is None or (name in names) != applied:
            return False
    return True


def _valid_view(view: object) -> bool:
    """(object's file, its line, its name, endpoint, line, column, function, the scope
    around it, silenced, the line's text)"""
    kinds = (str, int, str, str, int, int, str, str, bool, str)
    return (
        isinstance(view, list)
        and len(view) == len(kinds)
        and all(type(value) is kind for value, kind in zip(view, kinds))
    )


def _valid_dependency(dependency: object) -> bool:
    return (
        isinstance(dependency, list)
        and len(dependency) == 3
        and isinstance(dependency[0], str)
        and _is_int(dependency[1])
        and _is_int(dependency[2])
    )


def _unchanged(dependencies: list[list[Any]]) -> bool:
    for path, mtime, size in dependencies:
        try:
            status = os.stat(path)
        except OSError:
            return False
        if (status.st_mtime_ns, status.st_size) != (mtime, size):
            return False
    return True


# a project's root folder, a name, and whether the project applied it with ``@`` (the
# evidence of use WRP001 looked for, flake8_wraps.analysis.applied)
Evidence = tuple[str, str, bool]

# a Registration (flake8_wraps.analysis.project), whether a noqa silences WRP102 there,
# and the text of its line (whitespace collapsed)
SharedView = tuple[str, int, str, str, int, int, str, str, bool, str]


@dataclass(frozen=True)
class Cached:
    """What the cache knows of a file: its findings, dependencies and shared views."""

    findings: list[Finding]
    dependencies: tuple[tuple[str, int, int], ...]
    shared_views: tuple[SharedView, ...]
    evidence: tuple[Evidence, ...] = ()


def _cached(entry: Entry) -> Cached:
    return Cached(
        decode(entry[3]),
        tuple((d[0], d[1], d[2]) for d in entry[4]),
        tuple((v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]) for v in entry[5]),
        tuple((e[0], e[1], e[2]) for e in entry[6]),
    )


class ResultCache:
    def __init__(
        self,
        directory: str,
        options: Options,
        key: bytes,
        max_size: int | None = None,
        per_file: str = "",
    ) -> None:
        self.directory = directory
        self.name = f"{key_for(options, per_file)}.cache"
        self.path = os.path.join(directory, self.name)
        self.key = key
        self.max_size = max_size
        self.entries: dict[str, Entry] = {}
        self.changed = False
        # the names each project file applies with ``@``, as last read (see applied.py)
        self.scanned: dict[str, list[object]] = {}

    def load(self) -> None:
        """Read the cache file if it verifies and validates; otherwise start empty."""
        read = read_source(self.path, MAX_CACHE_FILE)
        if isinstance(read, FileError):
            return
        payload = verified(read.data, self.key)
        if payload is None:
            return
        try:
            data = json.loads(payload)
        except ValueError:
            return
        entries = data.get("entries") if isinstance(data, dict) else None
        if isinstance(entries, dict) and all(_valid_entry(p, e) for p, e in entries.items()):
            self.entries = entries
            scanned = data.get("applied")
            if isinstance(scanned, dict) and remember(scanned):
                self.scanned = scanned

    def lookup(self, path: str) -> Cached | None:
        """The cached results of ``path`` if it has not changed since, else None."""
        key = os.path.abspath(path)
        entry = self.entries.get(key)
        if entry is None:
            return None
        try:
            status = os.stat(path)
        except OSError:
            return None
        if not _unchanged(entry[4]) or not _evidence_holds(entry[6]):
            return None
        if entry[0] == status.st_mtime_ns and entry[1] == status.st_size:
            return _cached(entry)
        read = read_source(path, self.max_size)
        if isinstance(read, FileError) or digest_of(read.data) != entry[2]:
            return None
        entry[0], entry[1] = read.status.st_mtime_ns, read.status.st_size
        self.changed = True
        return _cached(entry)

    def store(
        self,
        path: str,
        stat: tuple[int, int],
        digest: str,
        findings: list[Finding],
        dependencies: tuple[tuple[str, int, int], ...] = (),
        shared_views: tuple[SharedView, ...] = (),
        evidence: tuple[Evidence, ...] = (),
    ) -> None:
        entry = [
            stat[0],
            stat[1],
            digest,
            encode(findings),
            [list(d) for d in dependencies],
            [list(view) for view in shared_views],
            [list(e) for e in evidence],
        ]
        self.entries[os.path.abspath(path)] = entry
        self.changed = True

    def save(self) -> None:
        """Write the cache atomically, never through a symbolic link; a cache that can't
        be written is skipped quietly."""
        scanned = applied_snapshot()
        if scanned is None:
            scanned = self.scanned  # no scan in this run: keep what was read
        if (scanned == self.scanned and not self.changed) or os.open not in os.supports_dir_fd:
            return
        payload = json.dumps({"entries": self.entries, "applied": scanned}).encode()
        with contextlib.suppress(OSError):
            os.makedirs(self.directory, exist_ok=True)
        try:
            folder = os.open(self.directory, os.O_RDONLY | _NOFOLLOW | _DIRECTORY)
        except OSError:
            return  # missing, not a folder, or a link to one
        try:
            _write_new(folder, ".gitignore", b"# created by flake8-wraps\n*\n")
            temporary = f".{self.name}.{os.urandom(8).hex()}.tmp"
            if _write_new(folder, temporary, sign(payload, self.key)):
                try:
                    os.replace(temporary, self.name, src_dir_fd=folder, dst_dir_fd=folder)
                except OSError:
                    with contextlib.suppress(OSError):
                        os.unlink(temporary, dir_fd=folder)
        finally:
            os.close(folder)


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)


def _write_new(folder: int, name: str, data: bytes) -> bool:
    """Create ``name`` in the open ``folder`` with ``data``; False when it exists (a
    link included: it is neither followed nor replaced) or can't be written."""
    try:
        handle = os.open(
            name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o644, dir_fd=folder
        )
    except OSError:
        return False
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(name, dir_fd=folder)
        return False
    return True


def from_environment(
    flag_directory: str | None,
    disabled: bool,
    options: Options,
    max_size: int | None = None,
    per_file: str = "",
) -> ResultCache | None:
    if disabled or os.environ.get(ENV_DISABLE, "").strip() not in ("", "0"):
        return None
    key = user_key()
    if key is None:
        return None
    directory = flag_directory or os.environ.get(ENV_DIRECTORY) or DEFAULT_DIRECTORY
    cache = ResultCache(directory, options, key, max_size, per_file)
    cache.load()
    return cache
