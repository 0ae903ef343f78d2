"""Checks a fixed module must pass before it is written: nothing else may change."""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Iterable
from difflib import SequenceMatcher

from flake8_wraps.model import Finding


def finding_keys(findings: Iterable[Finding]) -> Counter[tuple[str, str]]:
    """Findings by code and message (positions move when lines are added)."""
    return Counter((f.code, f.message) for f in findings)


def import_region(tree: ast.Module) -> int:
    """The 0-based line before which an added import may appear.

    Lines up to the first statement that is not the docstring, a ``__future__``
    import or a plain import are where the import goes; its blank lines may
    change too.
    """
    for index, statement in enumerate(tree.body):
        if index == 0 and _is_docstring(statement):
            continue
        if isinstance(statement, (ast.Import, ast.ImportFrom)) or _is_dunder(statement):
            continue
        return int(statement.lineno) - 1 + _decorator_offset(statement)
    return 1 << 30


def _decorator_offset(statement: ast.stmt) -> int:
    decorators = getattr(statement, "decorator_list", None)
    if decorators:
        return int(min(d.lineno for d in decorators)) - int(statement.lineno)
    return 0


def _is_dunder(statement: ast.stmt) -> bool:
    targets = statement.targets if isinstance(statement, ast.Assign) else []
    if isinstance(statement, ast.AnnAssign):
        targets = [statement.target]
    return bool(targets) and all(
        isinstance(t, ast.Name) and t.id.startswith("__") and t.id.endswith("__") for t in targets
    )


def _is_docstring(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


def changes_outside(
    old: bytes, new: bytes, replaced: list[tuple[int, int]], inserted: list[tuple[int, int]]
) -> str | None:
    """Why ``new`` differs from ``old`` outside the allowed lines, or None if it does not.

    ``replaced`` holds 0-based half-open line ranges of ``old`` that may be rewritten;
    ``inserted`` holds closed ranges of positions where lines may only be added.
    """
    bom = b"\xef\xbb\xbf"
    if old.startswith(bom) != new.startswith(bom):
        return "the fix added or removed the byte order mark"
    if old.startswith(bom):
        old, new = old[len(bom) :], new[len(bom) :]
    replaced = _merged(replaced)
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    matcher = SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag == "insert" and any(low <= i1 <= high for low, high in inserted):
            continue
        if any(low <= i1 and i2 <= high for low, high in replaced):
            continue
        return f"the fix changed line {i1 + 1}, outside the lines it edits"
    return None


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Half-open ranges with touching or overlapping ones joined."""
    merged: list[tuple[int, int]] = []
    for low, high in sorted(ranges):
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(high, merged[-1][1]))
        else:
            merged.append((low, high))
    return merged
