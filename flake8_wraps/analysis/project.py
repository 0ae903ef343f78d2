"""The project around a module: its imports resolved statically to the project's own
files, whose summaries tell what an imported decorator or object is.

Nothing is imported or run.  An import resolves only to a file of the project, found
under these roots, in this order: the importing file's own folder (script style), the
folder above the top of its package, the project's root (the nearest folder above
with ``pyproject.toml``, ``setup.py``, ``setup.cfg``, ``tox.ini`` or ``.git``) and its
``src/`` folder, then the folders named by ``wraps-source-roots``.  Files in
``site-packages`` or the standard library are never read.  Re-exports are followed a
few hops, cycles safely; an import that does not resolve is unknown, and nothing is
reported on a guess.
"""

from __future__ import annotations

import ast
import os
import sysconfig
from dataclasses import dataclass
from functools import lru_cache

from flake8_wraps.analysis.applied import applied_under
from flake8_wraps.analysis.names import dotted
from flake8_wraps.analysis.summary import Entry, ModuleSummary, Registering, summarize
from flake8_wraps.options import Options

_Seen = frozenset[tuple[str, str]]

MAX_HOPS = 5  # re-exports followed from one module to the next
MAX_SUMMARY_SIZE = 4 << 20  # larger modules are not summarised
PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", "tox.ini", ".git")


# A view registered in this module on an app or blueprint imported from another module
# of the project, for the command to compare with the other modules' views: (the
# object's file, the line binding it there, its name as written here, the endpoint,
# the registering decorator's line and column, the function, the qualified name of the
# definition around it, "" at module level)
Registration = tuple[str, int, str, str, int, int, str, str]


@dataclass(frozen=True)
class Found:
    """What an imported name is, and where it is defined."""

    path: str  # the file that defines it
    line: int
    entry: Entry | None = None
    registering: Registering | None = None


class Project:
    """Summaries of the project's modules, made once per file version in this process."""

    def __init__(
        self,
        options: Options,
        roots: tuple[str, ...] = (),
        buffers: dict[str, bytes] | None = None,
    ) -> None:
        self.options = options
        self.roots = tuple(os.path.abspath(root) for root in roots)
        # the text of modules open in an editor, by absolute path: read before the disk
        self.buffers = {} if buffers is None else buffers
        self._summaries: dict[str, tuple[object, ModuleSummary | None]] = {}

    def summary(self, path: str) -> ModuleSummary | None:
        """The summary of the module in ``path`` (its open buffer's text, if it has
        one), or None when it can't be had."""
        buffer = self.buffers.get(os.path.abspath(path)) if self.buffers else None
        key: object
        if buffer is not None:
            key = buffer
        else:
            try:
                status = os.stat(path)
            except OSError:
                return None
            key = (status.st_size, status.st_mtime_ns)
        known = self._summaries.get(path)
        if known is not None and known[0] == key:
            return known[1]
        summary = self._make(path, buffer)
        self._summaries[path] = (key, summary)
        return summary

    def _make(self, path: str, buffer: bytes | None = None) -> ModuleSummary | None:
        from flake8_wraps.analysis.index import build_index
        from flake8_wraps.source import FileError, parse_source, read_source

        if buffer is None:
            read = read_source(path, MAX_SUMMARY_SIZE)
            if isinstance(read, FileError):
                return None
            buffer = read.data
        elif len(buffer) > MAX_SUMMARY_SIZE:
            return None
        tree = parse_source(path, buffer)
        if isinstance(tree, FileError):
            return None
        index = build_index(tree)
        try:
            return summarize(index, self.options)
        except RecursionError:
            return None
        finally:
            index.release()

    def scope(self, path: str) -> ModuleScope:
        return ModuleScope(self, path)


class ModuleScope:
    """One module's view of the project: resolves the names it imports."""

    def __init__(self, project: Project, path: str) -> None:
        self.project = project
        self.path = os.path.abspath(path)
        self.folder = os.path.dirname(self.path)
        self.used: set[str] = set()  # the project files whose summaries were consulted
        self.registrations: list[Registration] = []  # of the last analysis
        # what the findings took as evidence: (project root, name) -> whether the
        # project applies that name with ``@`` somewhere (for the cache to check again)
        self.evidence: dict[tuple[str, str], bool] = {}
        self._roots: list[str] | None = None

    def applied_in_project(self, names: frozenset[str]) -> bool | None:
        """Whether a file of the project writes one of ``names`` after ``@`` (see
        ``applied.py``), or None when the module is in no project or the project is
        too large to scan."""
        root = _project_root(self.folder)
        if root is None:
            return None
        applied = applied_under(root, self.project.buffers)
        if applied is None:
            return None
        found = False
        for name in sorted(names):
            self.evidence[(root, name)] = name in applied
            found = found or name in applied
        return found

    def where(self, found: Found) -> str:
        """``utils/decorators.py:12``: the definition, from the importing file's folder."""
        relative = os.path.relpath(found.path, self.folder).replace(os.sep, "/")
        return f"{relative}:{found.line}"

    def resolve(self, imported: str) -> Found | None:
        """What ``imported`` (as the module's imports spell it: ``a.b.c`` or, relative,
        ``.b.c``) names in the project, or None."""
        return self._resolve(imported, self.path, 0, frozenset())

    def resolve_node(self, imports: dict[str, str], node: ast.expr) -> Found | None:
        """What the name or attribute chain ``node`` names, through the module's
        ``imports`` (its local name -> what it imports)."""
        text = dotted(node)
        if text is None:
            return None
        head, _, rest = text.partition(".")
        target = imports.get(head)
        if target is None:
            return None
        return self.resolve(f"{target}.{rest}" if rest else target)

    # --- resolution -----------------------------------------------------------------

    def _resolve(self, target: str, importer: str, hops: int, seen: _Seen) -> Found | None:
        if hops > MAX_HOPS or (importer, target) in seen:
            return None
        seen = seen | {(importer, target)}
        level = len(target) - len(target.lstrip("."))
        parts = target.lstrip(".").split(".") if target.lstrip(".") else []
        # the longest leading part that is a module of the project, then names in it
        for cut in range(len(parts) - 1, -1, -1):
            module = self._module_file(parts[:cut], level, importer)
            if module is None:
                continue
            names = parts[cut:]
            if not names:
                return None  # a module itself, not a name in it
            return self._in_module(module, names, hops, seen)
        return None

    def _in_module(self, module: str, names: list[str], hops: int, seen: _Seen) -> Found | None:
        summary = self.project.summary(module)
        if summary is None:
            return None
        self.used.add(module)
        name, rest = names[0], names[1:]
        if not rest:
            entry = summary.entries.get(name)
            if entry is not None:
                return Found(module, entry.line, entry=entry)
            registering = summary.registering.get(name)
            if registering is not None:
                return Found(module, registering.line, registering=registering)
        imported = summary.imports.get(name)
        if imported is not None:
            target = ".".join([imported, *rest])
            return self._resolve(target, module, hops + 1, seen)
        if not rest:
            for star in summary.star_imports:
                inner = star + name if star.endswith(".") else f"{star}.{name}"
                found = self._resolve(inner, module, hops + 1, seen)
                if found is not None:
                    return found
        return None

    def _module_file(self, parts: list[str], level: int, importer: str) -> str | None:
        if level:
            base = os.path.dirname(importer)
            for _ in range(level - 1):
                base = os.path.dirname(base)
            return _file_of(base, parts)
        if not parts:
            return None
        for root in self._roots_for(importer):
            found = _file_of(root, parts)
            if found is not None:
                return found
        return None

    def _roots_for(self, importer: str) -> list[str]:
        if importer == self.path and self._roots is not None:
            return self._roots
        roots = _roots(os.path.dirname(importer), self.project.roots)
        if importer == self.path:
            self._roots = roots
        return roots


def _file_of(base: str, parts: list[str]) -> str | None:
    """``base/a/b.py`` or ``base/a/b/__init__.py`` for ``a.b`` (``base/__init__.py`` for
    no parts), when it is a file of the project."""
    folder = os.path.join(base, *parts)
    candidates = [os.path.join(folder, "__init__.py")]
    if parts:
        candidates.insert(0, folder + ".py")
    for candidate in candidates:
        if os.path.isfile(candidate) and not _outside_project(candidate):
            return candidate
    return None


def _roots(folder: str, configured: tuple[str, ...]) -> list[str]:
    roots = [folder]
    top = folder
    while os.path.isfile(os.path.join(top, "__init__.py")):
        parent = os.path.dirname(top)
        if parent == top:
            break
        top = parent
    roots.append(top)
    project = _project_root(folder)
    if project is not None:
        roots.extend([project, os.path.join(project, "src")])
    roots.extend(configured)
    unique: list[str] = []
    for root in roots:
        if root not in unique and os.path.isdir(root) and not _outside_project(root):
            unique.append(root)
    return unique


def project_root(folder: str) -> str | None:
    """The project around ``folder``: the nearest folder at or above it holding one of
    ``PROJECT_MARKERS``, or None."""
    return _project_root(folder)


@lru_cache(maxsize=256)
def _project_root(folder: str) -> str | None:
    current = folder
    while True:
        if any(os.path.exists(os.path.join(current, marker)) for marker in PROJECT_MARKERS):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


@lru_cache(maxsize=1)
def _libraries() -> tuple[str, ...]:
    paths = sysconfig.get_paths()
    return tuple(
        os.path.join(os.path.realpath(paths[key]), "")
        for key in ("stdlib", "platstdlib", "purelib", "platlib")
        if key in paths
    )


def _outside_project(path: str) -> bool:
    """A file of an installed library or of the standard library."""
    parts = path.replace(os.sep, "/").split("/")
    if "site-packages" in parts or "dist-packages" in parts:
        return True
    real = os.path.join(os.path.realpath(path), "")
    return any(real.startswith(library) for library in _libraries())
