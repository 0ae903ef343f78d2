"""Reading a source file and parsing it, in one place for the command, the fixer and
any other consumer that reports outside flake8.

Each step gives a value or a :class:`FileError` with a one-line reason, never an
exception for bad input.
"""

from __future__ import annotations

import ast
import io
import os
import stat
import sys
import tokenize
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


# Python 3.9 and 3.10 build the tree of a chain (a + b + c ..., a.b.c ..., f()()() ...)
# in C without counting its depth: a deep enough chain overflows the stack and kills
# the process. Later versions raise RecursionError (about 3,000 deep on 3.11 and 3.12).
# On the first two, a file that may chain deeper than this is not parsed.
_CHAINS_UNGUARDED = sys.version_info < (3, 11)
MAX_CHAIN_DEPTH = 10_000
_TOO_DEEP = "cannot parse: nested too deeply for the parser"
# every link of a chain is written with one of these: an operator, '.', '(' or '['
_LINK_CHARACTERS = "-+*/%@&|^<>.(["
_LINKS = frozenset(
    ("+", "-", "*", "/", "//", "%", "@", "&", "|", "^", "<<", ">>", "**", ".", "(", "[")
)
_OPENING = frozenset("([{")
_CLOSING = frozenset(")]}")
# what starts a sibling rather than a deeper node: elements, arguments, slices, statements
_SEPARATORS = frozenset(
    {",", ";", ":", "->", "=", ":="} | {f"{link}=" for link in _LINKS - {".", "(", "["}}
)


def _chain_too_deep(source: bytes) -> bool:
    """Whether ``source`` may hold an expression nested more than :data:`MAX_CHAIN_DEPTH`
    deep by chains of operators, attributes, calls and subscripts.

    The count is an upper bound: within each bracket, the links of one element plus
    the deepest bracket in it. Source the tokenizer stops on is left to the parser,
    which then fails before it builds a tree.
    """
    links = sum(source.count(ord(character)) for character in _LINK_CHARACTERS)
    if links <= MAX_CHAIN_DEPTH:
        return False
    # per open bracket: links of the current element, its deepest bracket, the deepest
    # element so far
    frames = [[0, 0, 0]]
    try:
        for token in tokenize.tokenize(io.BytesIO(source).readline):
            frame = frames[-1]
            text = token.string
            if token.type == tokenize.STRING:
                if "f" in text[: text.find(text[-1])].lower():  # an f-string's expressions
                    frame[0] += sum(text.count(character) for character in _LINK_CHARACTERS)
            elif token.type == tokenize.NEWLINE:
                frames = [[0, 0, 0]]
                continue
            elif token.type != tokenize.OP:
                continue
            elif text in _SEPARATORS:
                frame[2] = max(frame[2], frame[0] + frame[1])
                frame[0] = frame[1] = 0
                continue
            elif text in _CLOSING and len(frames) > 1:
                frames.pop()
                closed = max(frame[2], frame[0] + frame[1]) + 1
                frame = frames[-1]
                frame[1] = max(frame[1], closed)
            elif text in _LINKS:
                frame[0] += 1
            if text in _OPENING:
                frames.append([0, 0, 0])
            if frame[0] + frame[1] > MAX_CHAIN_DEPTH:
                return True
    except (tokenize.TokenError, SyntaxError, UnicodeDecodeError, LookupError):
        return False
    return False


def parse_source(path: str, source: bytes) -> ast.Module | FileError:
    """Parse ``source`` as ``ast.parse`` would for a file (encoding cookie, BOM)."""
    if _CHAINS_UNGUARDED and _chain_too_deep(source):
        return FileError(path, _TOO_DEEP)
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
        return FileError(path, _TOO_DEEP)
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
