"""Fixing one module: apply the located edits, verify the result, repeat until stable."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

import libcst as cst

from flake8_wraps.config import Options
from flake8_wraps.files import FileError, parse_source
from flake8_wraps.fixer.imports import add_import, import_statement
from flake8_wraps.fixer.transform import ApplyEdits
from flake8_wraps.fixer.verify import changes_outside, finding_keys, import_region
from flake8_wraps.model import AddWraps, Finding, FixData
from flake8_wraps.noqa import analyze_source

MAX_PASSES = 4


@dataclass(frozen=True)
class FixSettings:
    unsafe: bool = False
    import_style: str = "import"


@dataclass
class FixOutcome:
    """The result of fixing one module: the new bytes and what is left."""

    path: str
    source: bytes
    fixed: bytes
    applied: int = 0
    findings: list[Finding] = field(default_factory=list)
    error: FileError | None = None

    @property
    def changed(self) -> bool:
        return self.fixed != self.source


def applicable(findings: list[Finding], settings: FixSettings) -> list[FixData]:
    """The distinct edits to make for ``findings`` under ``settings``."""
    edits: dict[object, FixData] = {}
    for finding in findings:
        fix = finding.fix
        if fix is not None and (fix.safe or settings.unsafe):
            edits.setdefault((type(fix), fix.target), fix)
    return list(edits.values())


def fix_source(path: str, source: bytes, options: Options, settings: FixSettings) -> FixOutcome:
    """Fix ``source`` as far as the settings allow; never raises for bad input."""
    tree = parse_source(path, source)
    if isinstance(tree, FileError):
        return FixOutcome(path, source, source, error=tree)
    findings = analyze_source(tree, source, options)
    current = source
    applied = 0
    declined: set[object] = set()
    for _ in range(MAX_PASSES):
        edits = [e for e in applicable(findings, settings) if (type(e), e.target) not in declined]
        if not edits:
            return FixOutcome(path, source, current, applied, findings)
        step = _apply(path, current, tree, findings, edits, options, settings)
        if isinstance(step, FileError):
            return FixOutcome(
                path, source, source, 0, _analyze_quietly(source, options), error=step
            )
        new, new_tree, new_findings, done = step
        if not done:
            declined.update((type(e), e.target) for e in edits)
            continue
        declined.update((type(e), e.target) for e in edits if e not in done)
        applied += len(findings) - len(new_findings)
        current, tree, findings = new, new_tree, new_findings
    error = FileError(path, f"fixes did not settle after {MAX_PASSES} passes; file left as it was")
    return FixOutcome(path, source, source, 0, _analyze_quietly(source, options), error=error)


def _analyze_quietly(source: bytes, options: Options) -> list[Finding]:
    return analyze_source(ast.parse(source), source, options)


_Step = tuple[bytes, ast.Module, list[Finding], list[FixData]]


def _apply(
    path: str,
    source: bytes,
    tree: ast.Module,
    findings: list[Finding],
    edits: list[FixData],
    options: Options,
    settings: FixSettings,
) -> _Step | FileError:
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as error:
        return FileError(path, f"the fixer cannot parse this file: {error.message}")
    spelling = next((e.spelling for e in edits if isinstance(e, AddWraps)), None)
    add_needed = spelling is None
    wraps_name = spelling or import_statement(settings.import_style)[1]
    transformer = ApplyEdits(edits, wraps_name)
    module = module.visit(transformer)
    done = transformer.applied
    if not done:
        return source, tree, findings, []
    if add_needed and any(isinstance(e, AddWraps) for e in done):
        module = add_import(module, settings.import_style)
    new = module.bytes

    problem = _verify(source, new, tree, findings, done, options)
    if isinstance(problem, str):
        return FileError(path, f"fix not applied: {problem}; file left as it was")
    new_tree, new_findings = problem
    return new, new_tree, new_findings, done


def _verify(
    old: bytes,
    new: bytes,
    old_tree: ast.Module,
    old_findings: list[Finding],
    done: list[FixData],
    options: Options,
) -> str | tuple[ast.Module, list[Finding]]:
    try:
        new_tree = ast.parse(new)
    except (SyntaxError, ValueError) as error:
        return f"the fixed code does not parse ({error})"
    new_findings = analyze_source(new_tree, new, options)
    fixed = [f for f in old_findings if f.fix in done]
    expected = finding_keys(old_findings) - finding_keys(fixed)
    if finding_keys(new_findings) != expected:
        return "the fixed code does not check as expected"
    replaced = [(e.lines[0] - 1, e.lines[1]) for e in done if not isinstance(e, AddWraps)]
    inserted = [_insert_window(old, e.lines[0] - 1) for e in done if isinstance(e, AddWraps)]
    if any(isinstance(e, AddWraps) for e in done):
        inserted.append((0, import_region(old_tree)))
    reason = changes_outside(old, new, replaced, inserted)
    if reason is not None:
        return reason
    return new_tree, new_findings


def _insert_window(source: bytes, line: int) -> tuple[int, int]:
    """Positions just above line ``line`` (0-based), across comments and blank lines."""
    lines = source.splitlines()
    low = line
    while low > 0 and (not lines[low - 1].strip() or lines[low - 1].lstrip().startswith(b"#")):
        low -= 1
    return low, line
