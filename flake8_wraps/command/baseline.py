"""A baseline: the findings a project has accepted, so that a run reports only new ones.

``--write-baseline FILE`` records every current finding; with ``--baseline FILE`` (or
``baseline`` in a configuration file) a run reports, fixes and comments (``--add-noqa``)
only the findings that are not in it.

A finding is known by its fingerprint, not by its line number: its code, its file's
path (relative to the baseline file's folder, with ``/`` separators), the qualified
name of the definition whose body holds it (``Outer.method``, empty at module level)
and the text of its line with whitespace collapsed.  Lines added or removed above it,
other definitions renamed, the line indented differently: the finding stays known.
Its own line edited (a comment added to it included), the definition around it
renamed, its file moved: the finding is new.  Findings that share a fingerprint are
counted: a baseline holding two of them hides two, and a third (the latest in the
file) is new.

The file is JSON: ``{"version": 1, "findings": [{"code", "path", "scope", "text",
"count"}, ...]}``, sorted, so that a change of it reads well in a review.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, replace

from flake8_wraps.model import Finding

VERSION = 1
MAX_TEXT = 300  # a longer line is kept as its start and a hash of the whole
MAX_FILE = 256 << 20  # a larger baseline file is not read

# code, the scope and the line's text: a fingerprint without its path
_Key = tuple[str, str, str]


class BaselineError(Exception):
    """A baseline file that cannot be read or written; the message is one line."""


def line_key(text: str) -> str:
    """``text`` with its whitespace collapsed (a very long line: its start and a hash)."""
    collapsed = " ".join(text.split())
    if len(collapsed) <= MAX_TEXT:
        return collapsed
    digest = hashlib.blake2b(collapsed.encode("utf-8", "surrogatepass"), digest_size=8)
    return f"{collapsed[: MAX_TEXT - 20]}... {digest.hexdigest()}"


def with_line_texts(physical: list[str], findings: list[Finding]) -> list[Finding]:
    """``findings``, each with the text of its line among ``physical`` (see
    :func:`flake8_wraps.noqa.physical_lines`), whitespace collapsed."""
    return [
        replace(f, line_text=line_key(physical[f.line - 1] if 0 < f.line <= len(physical) else ""))
        for f in findings
    ]


def relative_path(path: str, base: str) -> str:
    """``path`` relative to the folder ``base``, with ``/`` separators."""
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute, base)
    except ValueError:  # another drive
        relative = absolute
    return relative.replace(os.sep, "/")


def fingerprint(path: str, finding: Finding, base: str) -> tuple[str, str, str, str]:
    """Code, path relative to ``base``, scope and line text: what tells a finding apart
    across edits that move lines."""
    return (finding.code, relative_path(path, base), finding.scope, finding.line_text)


@dataclass(frozen=True)
class Baseline:
    """The accepted findings, counted by fingerprint, and what their paths are
    relative to (``base``); ``name`` is the file as the user wrote it."""

    counts: dict[str, dict[_Key, int]]  # by relative path
    base: str
    name: str

    @classmethod
    def load(cls, path: str) -> Baseline:
        """The baseline in the file ``path``; :class:`BaselineError` when it can't be had."""
        name = shown(path)
        try:
            with open(path, "rb") as stream:
                data = stream.read(MAX_FILE + 1)
        except FileNotFoundError:
            raise BaselineError(f"baseline {name}: no such file") from None
        except IsADirectoryError:
            raise BaselineError(f"baseline {name}: is a directory") from None
        except OSError as error:
            raise BaselineError(f"baseline {name}: {error.strerror or error}") from None
        if len(data) > MAX_FILE:
            raise BaselineError(f"baseline {name}: larger than 256M; not read")
        try:
            document = json.loads(data)
        except (ValueError, UnicodeDecodeError):
            raise BaselineError(f"baseline {name}: not valid JSON") from None
        counts = _parse(document, name)
        return cls(counts, os.path.dirname(os.path.abspath(path)), name)

    def split(self, path: str, findings: list[Finding]) -> tuple[list[Finding], list[Finding]]:
        """``findings`` of the file ``path`` (in line order): those not in the baseline,
        and those it holds."""
        held = self.counts.get(relative_path(path, self.base))
        if not held:
            return findings, []
        left = dict(held)
        new, known = [], []
        for finding in findings:
            key = (finding.code, finding.scope, finding.line_text)
            if left.get(key, 0) > 0:
                left[key] -= 1
                known.append(finding)
            else:
                new.append(finding)
        return new, known

    def restricted(self, paths: Iterable[str]) -> Baseline:
        """The part of the baseline about ``paths`` (what a worker needs for them)."""
        counts = {}
        for path in paths:
            relative = relative_path(path, self.base)
            if relative in self.counts:
                counts[relative] = self.counts[relative]
        return Baseline(counts, self.base, self.name)


def shown(path: str) -> str:
    """``path`` as the user reads it best: relative to the current folder when under it."""
    absolute = os.path.abspath(path)
    under = absolute.startswith(os.path.join(os.getcwd(), ""))
    return (os.path.relpath(absolute) if under else absolute).replace(os.sep, "/")


def _parse(document: object, name: str) -> dict[str, dict[_Key, int]]:
    if not isinstance(document, dict) or "version" not in document:
        raise BaselineError(f"baseline {name}: not a baseline file (no version)")
    version = document["version"]
    if version != VERSION:
        raise BaselineError(
            f"baseline {name}: version {version!r} is not supported (this version of "
            f"flake8-wraps reads version {VERSION}); write it again with --write-baseline"
        )
    entries = document.get("findings")
    if not isinstance(entries, list):
        raise BaselineError(f"baseline {name}: 'findings' must be a list")
    counts: dict[str, dict[_Key, int]] = {}
    for number, entry in enumerate(entries, start=1):
        if not _valid(entry):
            raise BaselineError(
                f"baseline {name}: finding {number} must have the strings code, path, "
                "scope and text and a positive count"
            )
        held = counts.setdefault(entry["path"], {})
        key = (entry["code"], entry["scope"], entry["text"])
        held[key] = held.get(key, 0) + entry["count"]
    return counts


def _valid(entry: object) -> bool:
    return (
        isinstance(entry, dict)
        and all(isinstance(entry.get(field), str) for field in ("code", "path", "scope", "text"))
        and type(entry.get("count")) is int
        and entry["count"] > 0
    )


def write(path: str, reports: Iterable[tuple[str, list[Finding]]]) -> int:
    """Record the findings of ``reports`` (path, findings) in the baseline file ``path``,
    replacing it whole; the number of findings recorded.  :class:`BaselineError` when
    it can't be written."""
    base = os.path.dirname(os.path.abspath(path))
    counts: dict[tuple[str, str, str, str], int] = {}
    for file_path, findings in reports:
        for finding in findings:
            key = fingerprint(file_path, finding, base)
            counts[key] = counts.get(key, 0) + 1
    entries = [
        {"code": code, "path": relative, "scope": scope, "text": text, "count": count}
        for (code, relative, scope, text), count in sorted(
            counts.items(), key=lambda item: (item[0][1], item[0][0], item[0][2], item[0][3])
        )
    ]
    document = {"version": VERSION, "tool": "flake8-wraps", "findings": entries}
    data = (json.dumps(document, indent=2) + "\n").encode("ascii")
    _replace(path, data)
    return sum(counts.values())


def _replace(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all: a new file takes the umask's
    mode, a replaced one keeps its mode; a link is followed."""
    target = os.path.realpath(path)
    name = shown(path)
    if os.path.isdir(target):
        raise BaselineError(f"baseline {name}: is a directory")
    folder, file_name = os.path.split(target)
    temporary = os.path.join(folder, f".{file_name}.{os.urandom(8).hex()}.tmp")
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as error:
        raise BaselineError(f"baseline {name}: cannot write: {error.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        with contextlib.suppress(FileNotFoundError):
            os.chmod(temporary, stat.S_IMODE(os.stat(target).st_mode))
        os.replace(temporary, target)
    except BaseException as error:  # leave no temporary file behind, even on ^C
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise BaselineError(f"baseline {name}: cannot write: {error.strerror}") from None
        raise
