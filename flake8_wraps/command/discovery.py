"""Finding the files to check: walking folders, excludes and ``.gitignore`` files."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from fnmatch import translate
from functools import lru_cache
from typing import TYPE_CHECKING

from flake8_wraps.source import FileError

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

SUFFIXES = (".py", ".pyi")


@lru_cache(maxsize=16)
def _compiled(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    """One regular expression for all the glob patterns (as ``fnmatch`` reads them)."""
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{translate(p)})" for p in patterns))


def _matches(matcher: re.Pattern[str] | None, name: str, absolute: str) -> bool:
    """Whether the file or folder name, or its absolute path, matches the patterns."""
    if matcher is None:
        return False
    return bool(matcher.match(os.path.normcase(name)) or matcher.match(os.path.normcase(absolute)))


class GitIgnore:
    """The ``.gitignore`` files that apply under a walked directory, matched with pathspec.

    Each file applies to the directory holding it and below; the files between the
    repository's root (the folder with ``.git``) and the walked directory apply too.
    """

    def __init__(self) -> None:
        self.specs: list[tuple[str, GitIgnoreSpec]] = []  # deepest folder first
        self._seen: set[str] = set()

    def add(self, directory: str) -> None:
        directory = os.path.abspath(directory)
        if directory in self._seen:
            return
        self._seen.add(directory)
        path = os.path.join(directory, ".gitignore")
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                lines = handle.read().splitlines()
        except OSError:
            return
        import pathspec  # only when there is a .gitignore to read

        self.specs.append((directory, pathspec.GitIgnoreSpec.from_lines(lines)))
        self.specs.sort(key=lambda item: -len(item[0]))

    def add_parents(self, directory: str) -> None:
        """The ``.gitignore`` files from the repository root down to ``directory``."""
        chain = []
        current = os.path.abspath(directory)
        while True:
            chain.append(current)
            if os.path.exists(os.path.join(current, ".git")):
                break
            parent = os.path.dirname(current)
            if parent == current:
                return  # not in a repository: only the walked folders' files count
            current = parent
        for folder in reversed(chain):
            self.add(folder)

    def ignored(self, path: str, is_dir: bool) -> bool:
        """As git decides: the deepest ``.gitignore`` with a matching rule wins."""
        if not self.specs:
            return False
        return self.ignored_absolute(os.path.abspath(path), is_dir)

    def ignored_absolute(self, absolute: str, is_dir: bool) -> bool:
        """:meth:`ignored` for a path already absolute and normalised (as the walk has)."""
        for base, spec in self.specs:
            if absolute.startswith(base + os.sep):
                relative = absolute[len(base) + 1 :].replace(os.sep, "/")
                decision = spec.check_file(relative + "/" if is_dir else relative).include
                if decision is not None:
                    return bool(decision)
        return False


def discover(
    paths: Iterable[str],
    excludes: tuple[str, ...],
    errors: list[FileError],
    gitignore: bool = True,
) -> Iterator[str]:
    """The files to check, each once (a symbolic link beside its target counts once).

    Explicit file arguments are always checked; directories are walked for
    ``*.py``/``*.pyi``, skipping excluded names, virtual environments, symbolic links
    to directories and what ``.gitignore`` files ignore.  A directory that can't be
    listed is added to ``errors``.
    """
    seen: set[str] = set()  # real paths of the files already given
    for path in paths:
        if path == "-" or not os.path.isdir(path):
            real = os.path.realpath(path)
            if real not in seen:
                seen.add(real)
                yield path
            continue
        ignores = GitIgnore()
        if gitignore:
            ignores.add_parents(path)
            if ignores.ignored(path, is_dir=True):
                ignores = GitIgnore()  # asked for by name: only its own .gitignore files count
        walk = _walk(path, _compiled(excludes), ignores if gitignore else None, errors)
        for full, real in walk:
            if real not in seen:
                seen.add(real)
                yield full


def _walk(
    top: str,
    matcher: re.Pattern[str] | None,
    ignores: GitIgnore | None,
    errors: list[FileError],
) -> Iterator[tuple[str, str]]:
    """(path, real path) of the Python files under ``top``: a directory's own files
    first, then its subdirectories in order of name."""
    sep = os.sep
    # (path as reported, absolute path, real path, whether it is ``top``)
    stack = [(top, os.path.abspath(top), os.path.realpath(top), True)]
    while stack:
        directory, absolute, real, is_top = stack.pop()
        try:
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as error:
            errors.append(FileError(directory, error.strerror or str(error)))
            continue
        names = {entry.name for entry in entries}
        if not is_top and "pyvenv.cfg" in names:
            continue  # a virtual environment
        if ignores is not None and ".gitignore" in names:
            ignores.add(absolute)
        folders = []
        for entry in entries:
            name = entry.name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if not is_dir and not name.endswith(SUFFIXES):
                continue
            if entry.is_symlink() and os.path.isdir(entry.path):
                continue  # links to directories are not followed
            entry_absolute = absolute + sep + name
            if _matches(matcher, name, entry_absolute) or (
                ignores is not None and ignores.ignored_absolute(entry_absolute, is_dir)
            ):
                continue
            full = os.path.join(directory, name)
            if is_dir:
                folders.append((full, entry_absolute, real + sep + name, False))
            elif entry.is_symlink():
                yield full, os.path.realpath(full)
            else:
                yield full, real + sep + name
        stack.extend(reversed(folders))
