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
# ``@name``, ``@a.b.name(...)``, and in a doctest ``>>> @name``
_AT = re.compile(
    rb"^[ \t]*(?:(?:>>>|\.\.\.)[ \t]+)?@[ \t]*"
    rb"([A-Za-z_][A-Za-z0-9_]*(?:[ \t]*\.[ \t]*[A-Za-z_][A-Za-z0-9_]*)*)",
    re.M,
)

# per file: (mtime_ns, size) when read, and the names found in it
_files: dict[str, tuple[tuple[int, int], frozenset[str]]] = {}
# per project root: the names applied anywhere under it (None: too large to scan)
_roots: dict[str, frozenset[str] | None] = {}


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
            buffer = buffers.get(path) if buffers else None
            names.update(_names_of(buffer) if buffer is not None else _names_in(path))
    result = frozenset(names)
    _roots[root] = result
    return result


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
    if b"@" not in source:
        return frozenset()
    return frozenset(
        match.group(1).rsplit(b".", 1)[-1].strip().decode("ascii") for match in _AT.finditer(source)
    )
