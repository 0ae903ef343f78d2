"""Fixing one module: apply the located edits, verify the result, repeat until stable."""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field

from flake8_wraps.analysis.project import ModuleScope
from flake8_wraps.fixer.verify import changes_outside, finding_keys, import_region
from flake8_wraps.model import Finding, Fix
from flake8_wraps.options import Options
from flake8_wraps.source import FileError, module_findings, parse_source

MAX_PASSES = 4


# the findings whose fixes may be made, of a module's findings and bytes
Chooser = Callable[[list[Finding], bytes], list[Finding]]


@dataclass(frozen=True)
class FixSettings:
    unsafe: bool = False
    import_style: str = "import"
    chosen: Chooser | None = None  # None: every finding's


def _chosen(findings: list[Finding], source: bytes, settings: FixSettings) -> list[Finding]:
    return findings if settings.chosen is None else settings.chosen(findings, source)


@dataclass
class FixOutcome:
    """The result of fixing one module: the new bytes and what is left."""

    path: str
    source: bytes
    fixed: bytes
    applied: int = 0
    findings: list[Finding] = field(default_factory=list)
    error: FileError | None = None
    fixed_codes: tuple[str, ...] = ()  # the code of each finding fixed (``applied`` of them)

    @property
    def changed(self) -> bool:
        return self.fixed != self.source


def applicable(findings: list[Finding], settings: FixSettings) -> list[Fix]:
    """The distinct fixes to make for ``findings`` under ``settings``."""
    fixes: dict[object, Fix] = {}
    for finding in findings:
        fix = finding.fix
        if fix is not None and (fix.safe or settings.unsafe):
            fixes.setdefault(fix.key, fix)
    return list(fixes.values())


def fix_source(
    path: str,
    source: bytes,
    options: Options,
    settings: FixSettings,
    scope: ModuleScope | None = None,
    silenced: frozenset[str] = frozenset(),
) -> FixOutcome:
    """Fix ``source`` as far as the settings allow; never raises for bad input.
    Findings with a ``silenced`` code (per-file-ignores) are neither fixed nor reported.

    libcst runs only on a module with a fix to make, not too large (``MAX_FIX_SIZE``)
    and not nested too deeply (``MAX_FIX_DEPTH``): its parser can crash the process on
    very deep expressions, and its passes recurse.  Otherwise the module is reported,
    not fixed, with one line saying why.
    """
    tree = parse_source(path, source)
    if isinstance(tree, FileError):
        return FixOutcome(path, source, source, error=tree)

    def check(tree: ast.Module, source: bytes) -> list[Finding]:
        return module_findings(tree, source, options, scope, silenced)

    try:
        findings = check(tree, source)
    except RecursionError:
        error = FileError(path, "nested too deeply to analyse")
        return FixOutcome(path, source, source, error=error)
    if not applicable(_chosen(findings, source, settings), settings):
        return FixOutcome(path, source, source, 0, findings)
    refusal = _refusal(source, tree)
    if refusal is None:
        try:
            return _fix(path, source, tree, findings, check, settings)
        except RecursionError:
            refusal = _TOO_DEEP
    return FixOutcome(path, source, source, 0, findings, error=FileError(path, refusal))


# libcst needs about 450 MB and 3 s for each MB of source, for each pass
MAX_FIX_SIZE = 1 << 20
# libcst's own parser overflows the stack at a few thousand levels of nesting, and its
# passes meet Python's recursion limit at a few hundred
MAX_FIX_DEPTH = 1000
_TOO_DEEP = "not fixed: nested too deeply for the fixer"


def _refusal(source: bytes, tree: ast.Module) -> str | None:
    if len(source) > MAX_FIX_SIZE:
        return "not fixed: larger than 1M, the most the fixer rewrites"
    if _deeper_than(tree, MAX_FIX_DEPTH):
        return _TOO_DEEP
    return None


def _deeper_than(tree: ast.AST, limit: int) -> bool:
    """Whether the tree nests deeper than ``limit`` as libcst would nest it: ``a and b
    and c`` is one ``ast`` node but a chain in libcst."""
    stack: list[tuple[ast.AST, int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, ast.BoolOp):
            depth += len(node.values) - 1
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return False


def _fix(
    path: str,
    source: bytes,
    tree: ast.Module,
    findings: list[Finding],
    check: _Check,
    settings: FixSettings,
) -> FixOutcome:
    original = findings
    current = source
    fixed_codes: list[str] = []
    declined: set[object] = set()
    for _ in range(MAX_PASSES):
        choice = _chosen(findings, current, settings)
        fixes = [fix for fix in applicable(choice, settings) if fix.key not in declined]
        if not fixes:
            codes = tuple(fixed_codes)
            return FixOutcome(path, source, current, len(codes), findings, fixed_codes=codes)
        step = _apply(path, current, tree, findings, fixes, check, settings)
        if isinstance(step, FileError):
            return FixOutcome(path, source, source, 0, original, error=step)
        new, new_tree, new_findings, done = step
        declined.update(fix.key for fix in fixes if fix not in done)
        if done:
            keys = {fix.key for fix in done}
            fixed_codes.extend(f.code for f in findings if f.fix is not None and f.fix.key in keys)
            current, tree, findings = new, new_tree, new_findings
    error = FileError(path, f"fixes did not settle after {MAX_PASSES} passes; file left as it was")
    return FixOutcome(path, source, source, 0, original, error=error)


_Step = tuple[bytes, ast.Module, list[Finding], list[Fix]]
_Check = Callable[[ast.Module, bytes], list[Finding]]  # a module's findings


def _apply(
    path: str,
    source: bytes,
    tree: ast.Module,
    findings: list[Finding],
    fixes: list[Fix],
    check: _Check,
    settings: FixSettings,
) -> _Step | FileError:
    """Apply the fixes whose edits all land; verify; the new state or why not."""
    # libcst is imported only here: files with nothing to fix never pay for it
    import libcst as cst

    from flake8_wraps.fixer.imports import add_import, spelled
    from flake8_wraps.fixer.transform import ApplyEdits

    try:
        original = cst.parse_module(source)
    except cst.ParserSyntaxError as error:
        return FileError(path, f"the fixer cannot parse this file: {error.message}")
    style = settings.import_style
    # one import serves every fix: its name must be free wherever their texts go
    taken = frozenset().union(*(fix.taken for fix in fixes))
    fixes = [
        fix
        for fix in fixes
        if all(spelled(name, known, style, taken) for name, known in fix.spellings)
    ]
    while fixes:
        spellings: dict[str, str | None] = {}
        for fix in fixes:
            spellings.update(fix.spellings)
        spell = {
            name: spelled(name, known, style, taken) or "" for name, known in spellings.items()
        }
        transformer = ApplyEdits((edit for fix in fixes for edit in fix.edits), spell)
        module = original.visit(transformer)
        done = [fix for fix in fixes if all(e in transformer.applied for e in fix.edits)]
        if len(done) == len(fixes):
            break
        fixes = done  # a fix that did not land whole: leave it out and start again
    else:
        return source, tree, findings, []
    missing = sorted(name for name, known in spellings.items() if known is None)
    if missing:
        module = add_import(module, style, missing, taken)
    new = module.bytes
    problem = _verify(source, new, tree, findings, fixes, check)
    if isinstance(problem, str):
        return FileError(path, f"fix not applied: {problem}; file left as it was")
    new_tree, new_findings = problem
    return new, new_tree, new_findings, fixes


def _verify(
    old: bytes,
    new: bytes,
    old_tree: ast.Module,
    old_findings: list[Finding],
    done: list[Fix],
    check: _Check,
) -> str | tuple[ast.Module, list[Finding]]:
    try:
        new_tree = ast.parse(new)
    except (SyntaxError, ValueError) as error:
        return f"the fixed code does not parse ({error})"
    new_findings = check(new_tree, new)
    keys = {fix.key for fix in done}
    fixed = finding_keys(f for f in old_findings if f.fix is not None and f.fix.key in keys)
    left = finding_keys(old_findings) - fixed
    now = finding_keys(new_findings)
    # the fixed findings are gone and nothing new appeared (a fix may resolve others)
    if any(count > left[key] for key, count in now.items()):
        return "the fixed code has a finding the original did not"
    replaced = [(low - 1, high) for fix in done for low, high in fix.replaced]
    inserted = [_insert_window(old, line - 1) for fix in done for line in fix.inserted_above]
    if any(known is None for fix in done for _, known in fix.spellings):
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
