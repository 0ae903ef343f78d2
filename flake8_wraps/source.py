"""Reading a source file and parsing it, in one place for the command, the fixer and
any other consumer that reports outside flake8.

Each step gives a value or a :class:`FileError` with a one-line reason, never an
exception for bad input.
"""

from __future__ import annotations

import ast
import os
import stat
import warnings
from dataclasses import dataclass

from flake8_wraps.analysis.core import analyze
from flake8_wraps.analysis.project import ModuleScope
from flake8_wraps.model import Finding
from flake8_wraps.noqa import filter_noqa
from flake8_wraps.options import Options


@dataclass(frozen=True)
class FileError:
    """A file that could not be checked, with a one-line reason."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: error: {self.reason}"


@dataclass(frozen=True)
class SourceFile:
    """What was read from a file, and its status when it was read (its identity, size
    and modification time: a writer can tell whether it changed since)."""

    data: bytes
    status: os.stat_result


def _open_without_waiting(path: str, flags: int) -> int:
    # a FIFO would block the open until someone writes to it
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def read_source(path: str, limit: int | None = None) -> SourceFile | FileError:
    """The bytes of the regular file ``path`` (at most ``limit`` of them), or a
    :class:`FileError` saying why they can't be had.

    A FIFO, a device or anything else that is not a regular file is not read: reading
    it could wait forever or never end.
    """
    try:
        with open(path, "rb", opener=_open_without_waiting) as handle:
            status = os.fstat(handle.fileno())
            if stat.S_ISDIR(status.st_mode):
                return FileError(path, "is a directory")
            if not stat.S_ISREG(status.st_mode):
                return FileError(path, "not a regular file")
            if limit is not None and status.st_size > limit:
                return _too_large(path, limit)
            data = handle.read() if limit is None else handle.read(limit + 1)
    except FileNotFoundError:
        reason = "broken symbolic link" if os.path.islink(path) else "no such file"
        return FileError(path, reason)
    except IsADirectoryError:
        return FileError(path, "is a directory")
    except OSError as error:
        return FileError(path, error.strerror or str(error))
    if limit is not None and len(data) > limit:
        return _too_large(path, limit)
    return SourceFile(data, status)


def _too_large(path: str, limit: int) -> FileError:
    from flake8_wraps.options import format_size

    return FileError(path, f"larger than max-file-size ({format_size(limit)}); not read")


def parse_source(path: str, source: bytes) -> ast.Module | FileError:
    """Parse ``source`` as ``ast.parse`` would for a file (encoding cookie, BOM)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarning for invalid escapes
            return ast.parse(source, filename=path)
    except SyntaxError as error:
        where = f"line {error.lineno}: " if error.lineno else ""
        message = error.msg
        if "null bytes" in message:
            return FileError(path, "not a text file (contains null bytes)")
        return FileError(path, f"cannot parse: {where}{message}")
    except UnicodeDecodeError as error:
        return FileError(path, f"cannot decode: {error.reason} at byte {error.start}")
    except (ValueError, LookupError) as error:
        return FileError(path, f"cannot parse: {error}")
    except RecursionError:
        return FileError(path, "cannot parse: nested too deeply for the parser")
    except MemoryError:
        return FileError(path, "cannot parse: out of memory")


def module_findings(
    tree: ast.Module,
    source: bytes,
    options: Options,
    scope: ModuleScope | None = None,
    silenced: frozenset[str] = frozenset(),
) -> list[Finding]:
    """What a module reports outside flake8: the core's findings, less those with a
    ``silenced`` code (per-file-ignores) and those a ``# noqa`` comment silences
    (flake8 applies its own)."""
    findings = analyze(tree, options, scope)
    if silenced:
        findings = [finding for finding in findings if finding.code not in silenced]
    return filter_noqa(source, findings)


def check_source(
    path: str,
    source: bytes,
    options: Options,
    scope: ModuleScope | None = None,
    silenced: frozenset[str] = frozenset(),
) -> list[Finding] | FileError:
    """Parse ``source`` and report its findings (see :func:`module_findings`)."""
    tree = parse_source(path, source)
    if isinstance(tree, FileError):
        return tree
    try:
        return module_findings(tree, source, options, scope, silenced)
    except RecursionError:
        return FileError(path, "nested too deeply to analyse")
