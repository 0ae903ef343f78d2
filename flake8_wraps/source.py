"""Reading a source file and parsing it, in one place for the command, the fixer and
any other consumer that reports outside flake8.

Each step gives a value or a :class:`FileError` with a one-line reason, never an
exception for bad input.
"""

from __future__ import annotations

import ast
import os
import warnings
from dataclasses import dataclass

from flake8_wraps.analysis.core import analyze
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


def read_source(path: str) -> bytes | FileError:
    """The bytes of ``path``, or a :class:`FileError` saying why they can't be had."""
    if os.path.isdir(path):
        return FileError(path, "is a directory")
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        reason = "broken symbolic link" if os.path.islink(path) else "no such file"
        return FileError(path, reason)
    except OSError as error:
        return FileError(path, error.strerror or str(error))


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


def module_findings(tree: ast.Module, source: bytes, options: Options) -> list[Finding]:
    """What a module reports outside flake8: the core's findings, less those a
    ``# noqa`` comment silences (flake8 applies its own)."""
    return filter_noqa(source, analyze(tree, options))


def check_source(path: str, source: bytes, options: Options) -> list[Finding] | FileError:
    """Parse ``source`` and report its findings (see :func:`module_findings`)."""
    tree = parse_source(path, source)
    if isinstance(tree, FileError):
        return tree
    try:
        return module_findings(tree, source, options)
    except RecursionError:
        return FileError(path, "nested too deeply to analyse")
