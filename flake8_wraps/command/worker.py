"""What the command does with one file: read it, check or fix it, write it, report.

This is the one error boundary of the command: an exception raised while one file is
checked or fixed (a bug of the tool) becomes that file's error line, nothing is
written to it, and the other files go on.  The flake8 plugin reports the same
failures as WRP900.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from flake8_wraps.analysis.project import ModuleScope, Project
from flake8_wraps.command.baseline import Baseline, line_key, with_line_texts
from flake8_wraps.command.cache import Evidence, SharedView, digest_of
from flake8_wraps.command.output import unified_diff
from flake8_wraps.command.per_file import PerFileIgnores
from flake8_wraps.model import Finding, Fix
from flake8_wraps.noqa import exempts_file, physical_lines, silencer
from flake8_wraps.options import WRAPS_SOURCE_ROOTS, Options
from flake8_wraps.source import FileError, check_source, read_source

MODES = ("check", "fix", "diff", "noqa")  # the last one: --add-noqa


@dataclass
class FileReport:
    """What checking (or fixing) one file gave.

    ``applied`` counts the findings fixed (or that would be, in ``diff`` mode; the
    ``# noqa`` comments written, in ``noqa`` mode), and ``fixed_codes`` holds the codes
    of the fixes; ``findings`` are those left, each with its line's text; ``diff`` is
    the unified diff in ``diff`` mode.
    """

    path: str
    findings: list[Finding] = field(default_factory=list)
    error: FileError | None = None
    applied: int = 0
    diff: str = ""
    fixed: bytes | None = None
    stat: tuple[int, int] | None = None  # mtime_ns and size of what was read
    digest: str | None = None  # hash of what was read
    # the other project files whose summaries the findings depend on: path, mtime, size
    dependencies: tuple[tuple[str, int, int], ...] = ()
    # views on apps or blueprints imported from other modules, and whether a noqa comment
    # silences WRP102 on their line (see ``Registration``)
    shared_views: tuple[SharedView, ...] = ()
    # the names whose use with ``@`` in the project the findings looked for
    evidence: tuple[Evidence, ...] = ()
    fixed_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Job:
    """What to do with each file: the analysis options, the mode and the fix settings."""

    options: Options
    mode: str = "check"
    unsafe: bool = False
    import_style: str = "import"
    keyed: bool = True  # record each file's stat and content hash (the cache's keys)
    max_size: int | None = None  # larger files are not read
    # --fix writes only to files whose real path lies under one of these (None: anywhere)
    write_roots: tuple[str, ...] | None = None
    per_file: PerFileIgnores = field(default_factory=PerFileIgnores)  # codes off in some files
    # fixes and noqa comments only for the findings not in the baseline (this part of
    # it: see Baseline.restricted)
    baseline: Baseline | None = None
    noqa_reason: str = ""  # written after the codes of a new noqa comment
    # in noqa mode, findings that other modules show (WRP102 across modules) to comment too
    extra: tuple[Finding, ...] = ()


# each process keeps the project's summaries, for the options they were made with
_projects: dict[Options, Project] = {}
# the text of modules open in an editor (the language server's), by absolute path: the
# project's summaries read them before the disk; the command leaves it empty
open_buffers: dict[str, bytes] = {}


def scope_for(path: str, options: Options) -> ModuleScope:
    """The module's view of the project, sharing this process's summaries."""
    project = _projects.get(options)
    if project is None:
        project = Project(options, options[WRAPS_SOURCE_ROOTS], open_buffers)
        _projects[options] = project
    return project.scope(path)


def _checked(
    path: str, source: bytes, options: Options, silenced: frozenset[str] = frozenset()
) -> FileReport:
    scope = scope_for(path, options)
    findings = check_source(path, source, options, scope, silenced)
    if isinstance(findings, FileError):
        return FileReport(path, error=findings)
    return _report(path, source, findings, scope, silenced=silenced)


def _report(
    path: str,
    source: bytes,
    findings: list[Finding],
    scope: ModuleScope,
    error: FileError | None = None,
    applied: int = 0,
    silenced: frozenset[str] = frozenset(),
) -> FileReport:
    """The report of a module whose bytes are ``source`` now: its findings with the
    text of their lines, what it depends on, its shared views."""
    physical = physical_lines(source) if findings or scope.registrations else []
    report = FileReport(path, with_line_texts(physical, findings), error, applied)
    report.dependencies = _dependencies(scope)
    report.evidence = tuple(
        sorted((root, name, found) for (root, name), found in scope.evidence.items())
    )
    report.shared_views = _shared_views(scope, source, physical, silenced)
    return report


def _shared_views(
    scope: ModuleScope, source: bytes, physical: list[str], silenced: frozenset[str]
) -> tuple[SharedView, ...]:
    """The module's views on shared apps; one in a file where per-file-ignores turn
    WRP102 off still takes its endpoint, but is not reported."""
    if not scope.registrations:
        return ()
    noqa = silencer(source)
    return tuple(
        (
            *r,
            "WRP102" in silenced or noqa(r[4], "WRP102"),
            line_key(physical[r[4] - 1] if r[4] <= len(physical) else ""),
        )
        for r in scope.registrations
    )


def _dependencies(scope: ModuleScope) -> tuple[tuple[str, int, int], ...]:
    found = []
    for path in sorted(scope.used):
        try:
            status = os.stat(path)
        except OSError:
            continue
        found.append((path, status.st_mtime_ns, status.st_size))
    return tuple(found)


def process_source(path: str, source: bytes, job: Job) -> FileReport:
    """Check or fix ``source`` as ``job`` says; writes nothing."""
    try:
        return _process_source(path, source, job)
    except Exception as error:  # the boundary: see the module's docstring
        return _internal_error(path, error)


def process_path(path: str, job: Job) -> FileReport:
    """Check or fix one file; in ``fix`` mode, write it when its bytes changed."""
    try:
        return _process_path(path, job)
    except Exception as error:  # the boundary: see the module's docstring
        return _internal_error(path, error)


def _internal_error(path: str, error: Exception) -> FileReport:
    reason = f"internal error: {type(error).__name__}: {error}; please report it"
    return FileReport(path, error=FileError(path, " ".join(reason.split())))


def _process_source(path: str, source: bytes, job: Job) -> FileReport:
    if exempts_file(source):  # a file-level noqa comment: flake8 checks nothing in it
        return FileReport(path)
    silenced = job.per_file.silenced(path)
    if job.mode == "check":
        return _checked(path, source, job.options, silenced)
    if job.mode == "noqa":
        return _commented(path, source, job, silenced)
    from flake8_wraps.fixer.engine import FixSettings, fix_source

    settings = FixSettings(job.unsafe, job.import_style, _chooser(path, job.baseline))
    scope = scope_for(path, job.options)
    outcome = fix_source(path, source, job.options, settings, scope, silenced)
    report = _report(
        path, outcome.fixed, outcome.findings, scope, outcome.error, outcome.applied, silenced
    )
    report.fixed_codes = outcome.fixed_codes
    if outcome.changed:
        report.fixed = outcome.fixed
        if job.mode == "diff":
            report.diff = unified_diff(path, source, outcome.fixed)
    return report


def _chooser(
    path: str, baseline: Baseline | None
) -> Callable[[list[Finding], bytes], list[Finding]] | None:
    """What picks the findings to act on: those not in the baseline."""
    if baseline is None:
        return None

    def chosen(findings: list[Finding], source: bytes) -> list[Finding]:
        return baseline.split(path, with_line_texts(physical_lines(source), findings))[0]

    return chosen


def _commented(path: str, source: bytes, job: Job, silenced: frozenset[str]) -> FileReport:
    """``# noqa`` comments for the findings (those not in the baseline, and ``extra``)."""
    from flake8_wraps.fixer.noqa_comments import add_noqa
    from flake8_wraps.source import module_findings, parse_source

    scope = scope_for(path, job.options)
    tree = parse_source(path, source)
    if isinstance(tree, FileError):
        return FileReport(path, error=tree)
    try:
        findings = module_findings(tree, source, job.options, scope, silenced)
    except RecursionError:
        return FileReport(path, error=FileError(path, "nested too deeply to analyse"))
    all_findings = sorted([*findings, *job.extra], key=Finding.sort_key)
    chooser = _chooser(path, job.baseline)
    chosen = all_findings if chooser is None else chooser(all_findings, source)

    def check(tree: ast.Module, source: bytes) -> list[Finding]:
        return module_findings(tree, source, job.options, scope, silenced)

    outcome = add_noqa(path, source, findings, chosen, check, job.noqa_reason)
    if outcome.error is not None:  # the scope's views may be those of the refused bytes
        module_findings(tree, source, job.options, scope, silenced)
    report = _report(
        path, outcome.source, outcome.findings, scope, outcome.error, outcome.comments, silenced
    )
    if outcome.comments:
        report.fixed = outcome.source
    return report


def _process_path(path: str, job: Job) -> FileReport:
    read = read_source(path, job.max_size)
    if isinstance(read, FileError):
        return FileReport(path, error=read)
    source = read.data
    report = _process_source(path, source, job)
    if job.keyed:
        report.stat = (read.status.st_mtime_ns, read.status.st_size)
        report.digest = digest_of(source)
    if job.mode == "check":  # only whether a fix exists, and its safety, is reported
        report.findings = [_without_edits(finding) for finding in report.findings]
    if job.mode in ("fix", "noqa") and report.fixed is not None:
        from flake8_wraps.fixer.writing import WriteError, write_atomically

        try:
            done = "fixed" if job.mode == "fix" else "annotated"
            _within_roots(path, job.write_roots, done)
            write_atomically(path, report.fixed, read, done)
        except WriteError as error:
            findings = _checked(path, source, job.options, job.per_file.silenced(path)).findings
            return FileReport(path, findings, FileError(path, str(error)))
    report.fixed = None  # the bytes are written; don't carry them between processes
    return report


def _within_roots(path: str, roots: tuple[str, ...] | None, done: str) -> None:
    """Refuse to write through a symbolic link to a file outside the paths given."""
    if roots is None:
        return
    from flake8_wraps.fixer.writing import WriteError

    real = os.path.realpath(path)
    if not any(real == root or real.startswith(os.path.join(root, "")) for root in roots):
        raise WriteError(
            f"not {done}: a symbolic link to a file outside the paths given "
            "(--fix-through-symlinks allows it)"
        )


def _without_edits(finding: Finding) -> Finding:
    if finding.fix is None or not finding.fix.edits:
        return finding
    return replace(finding, fix=Fix(finding.fix.safe, ()))
