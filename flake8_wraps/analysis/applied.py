"""Where the project applies decorators: the last name written after ``@`` at the start
of a line, in every Python file of the project (``@cache``, ``@app.route(...)`` ->
``route``), read as text, nothing parsed, imported or run.

It is evidence that a function is used as a decorator somewhere: in another module,
in a test, in a docstring's example.  Files are found under the project's root (see
``project.py``), skipping hidden folders, ``__pycache__``, ``node_modules``,
``site-packages`` and virtual environments; each file's names are kept per size and
modification time, so a second scan in the same process reads only what changed.  A
project of more than ``MAX_FILES`` Python files is not scanned: its evidence is unknown.
Nothing found here can hide a finding: a name in the scan only adds evidence.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Mapping

MAX_FILES = 20_000  # a larger tree is not scanned
MAX_FILE_SIZE = 4 << 20  # larger files are not read
_SKIPPED = frozenset({"__pycache__", "node_modules", "site-packages", "dist-packages"})
# what follows ``@``: a name or a dotted name (``@a.b.name(...)`` -> ``a.b.name``)
_NAME = re.compile(rb"[ \t]*([A-Za-z_][A-Za-z0-9_]*(?:[ \t]*\.[ \t]*[A-Za-z_][A-Za-z0-9_]*)*)")
# what may stand before ``@`` on its line: nothing, or a doctest prompt
_PROMPTS = (b"", b">>>", b"...")

# per file: (mtime_ns, size) when read, and the names found in it
_files: dict[str, tuple[tuple[int, int], frozenset[str]]] = {}
# per project root: the names applied anywhere under it (None: too large to scan)
_roots: dict[str, frozenset[str] | None] = {}
# the files a scan of this process went through
_seen: set[str] = set()


def applied_under(root: str, buffers: Mapping[str, bytes] | None = None) -> frozenset[str] | None:
    """The last names applied with ``@`` in the Python files under ``root`` (the text of
    an open editor buffer in place of its file's), or None when there are too many
    files to scan.  Computed once per root in this process; ``forget`` starts over."""
    if root in _roots:
        return _roots[root]
    names: set[str] = set()
    count = 0
    for folder, folders, files in os.walk(root):
        folders[:] = sorted(f for f in folders if _descend(folder, f))
        for name in files:
            if not name.endswith(".py"):
                continue
            count += 1
            if count > MAX_FILES:
                _roots[root] = None
                return None
            path = os.path.join(folder, name)
            _seen.add(path)
            buffer = buffers.get(path) if buffers else None
            names.update(_names_of(buffer) if buffer is not None else _names_in(path))
    result = frozenset(names)
    _roots[root] = result
    return result


def snapshot() -> dict[str, list[object]] | None:
    """What the scans of this process went through, for the command's cache to keep:
    per file, its modification time, size and names; None when nothing was scanned."""
    if not _seen:
        return None
    return {
        path: [key[0], key[1], sorted(names)]
        for path, (key, names) in _files.items()
        if path in _seen
    }


def remember(files: dict[str, list[object]]) -> bool:
    """Take back a ``snapshot`` (from a cache that verified); False, taking nothing,
    when it is not one."""
    taken: dict[str, tuple[tuple[int, int], frozenset[str]]] = {}
    for path, row in files.items():
        if not (isinstance(path, str) and isinstance(row, list) and len(row) == 3):
            return False
        mtime, size, names = row
        if not (
            type(mtime) is int
            and type(size) is int
            and isinstance(names, list)
            and all(isinstance(name, str) for name in names)
        ):
            return False
        taken[path] = ((mtime, size), frozenset(names))
    for path, known in taken.items():
        _files.setdefault(path, known)
    return True


def forget() -> None:
    """Scan again on the next question (each file is read again only if it changed)."""
    _roots.clear()


def _descend(folder: str, name: str) -> bool:
    if name.startswith(".") or name in _SKIPPED:
        return False
    path = os.path.join(folder, name)
    if os.path.islink(path):
        return False
    return not os.path.exists(os.path.join(path, "pyvenv.cfg"))  # a virtual environment


def _names_in(path: str) -> frozenset[str]:
    try:
        status = os.stat(path)
    except OSError:
        return frozenset()
    key = (status.st_mtime_ns, status.st_size)
    known = _files.get(path)
    if known is not None and known[0] == key:
        return known[1]
    names: frozenset[str] = frozenset()
    if stat.S_ISREG(status.st_mode) and status.st_size <= MAX_FILE_SIZE:
        try:
            with open(path, "rb") as handle:
                names = _names_of(handle.read(MAX_FILE_SIZE + 1))
        except OSError:
            pass
    _files[path] = (key, names)
    return names


def _names_of(source: bytes) -> frozenset[str]:
    """The last names written after an ``@`` that starts a line (after indentation or
    a doctest prompt): found by looking at each ``@``, which is much faster than a
    regular expression over every line."""
    names: set[str] = set()
    at = source.find(b"@")
    while at != -1:
        start = source.rfind(b"\n", 0, at) + 1
        if source[start:at].strip(b" \t") in _PROMPTS:
            match = _NAME.match(source, at + 1)
            if match:
                names.add(match.group(1).rsplit(b".", 1)[-1].strip().decode("ascii"))
        at = source.find(b"@", at + 1)
    return frozenset(names)
