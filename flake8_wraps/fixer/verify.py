"""Checks a fixed module must pass before it is written: nothing else may change."""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Iterable

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
    ``inserted`` holds closed ranges of positions where lines may only be added
    (position ``p`` is just above line ``p`` of ``old``, 0-based).

    ``new`` passes when it is ``old`` with every other line kept, in order, and new
    lines only in those places: the kept runs of ``old`` are found in ``new`` one after
    the other, each as early as it can be (which is as good as any other choice), so the
    check takes time in proportion to the files' lengths, repeated lines or not.
    """
    bom = b"\xef\xbb\xbf"
    if old.startswith(bom) != new.startswith(bom):
        return "the fix added or removed the byte order mark"
    if old.startswith(bom):
        old, new = old[len(bom) :], new[len(bom) :]
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    runs, open_end = _kept_runs(len(old_lines), _merged(replaced), inserted)
    # the last run must end the new file unless lines may follow it: place it there
    last = runs.pop() if runs and not open_end else None
    cursor = 0
    for after_gap, start, end in runs:
        placed = _place(old_lines[start:end], new_lines, cursor, after_gap)
        if placed < 0:
            return _changed(start if after_gap else start - placed - 1)
        cursor = placed + end - start
    if last is not None:
        after_gap, start, end = last
        at = len(new_lines) - (end - start) if after_gap else cursor
        if at < cursor or new_lines[at:] != old_lines[start:end]:
            return _changed(start)
    elif not open_end and cursor != len(new_lines):
        return _changed(len(old_lines))
    return None


def _place(run: list[bytes], lines: list[bytes], cursor: int, after_gap: bool) -> int:
    """Where ``run`` sits in ``lines``: the earliest place at or after ``cursor`` when
    new lines may come before it, else right at ``cursor``; ``-1 - k`` when it can't
    (``k`` the first line of the run that differs, when it had to be at ``cursor``)."""
    if after_gap:
        found = _find(lines, run, cursor)
        return found if found >= 0 else -1
    for offset, line in enumerate(run):
        if cursor + offset >= len(lines) or lines[cursor + offset] != line:
            return -1 - offset
    return cursor


def _changed(index: int) -> str:
    return f"the fix changed line {index + 1}, outside the lines it edits"


def _kept_runs(
    count: int, replaced: list[tuple[int, int]], inserted: list[tuple[int, int]]
) -> tuple[list[tuple[bool, int, int]], bool]:
    """The runs of lines of ``old`` that must stay, each with whether new lines may come
    just before it, and whether new lines may come after the last one."""
    gaps = {p for low, high in inserted for p in range(max(low, 0), min(high, count) + 1)}
    gaps.update(low for low, high in replaced if high <= low)  # an empty range: a place
    starts = {low: high for low, high in replaced if high > low}
    runs: list[tuple[bool, int, int]] = []
    after_gap = 0 in gaps
    start = position = 0
    while position < count:
        if position in starts:
            if position > start:
                runs.append((after_gap, start, position))
            position = start = starts[position]
            after_gap = True
            continue
        if position in gaps and position > start:
            runs.append((after_gap, start, position))
            start, after_gap = position, True
        position += 1
    if count > start:
        runs.append((after_gap, start, count))
        after_gap = False
    return runs, after_gap or count in gaps


def _find(lines: list[bytes], run: list[bytes], start: int) -> int:
    """The first index at or after ``start`` where ``run`` occurs in ``lines``, or -1
    (Knuth-Morris-Pratt: linear however often the lines repeat)."""
    if not run:
        return start
    table = [0] * len(run)
    matched = 0
    for index in range(1, len(run)):
        while matched and run[index] != run[matched]:
            matched = table[matched - 1]
        if run[index] == run[matched]:
            matched += 1
        table[index] = matched
    matched = 0
    for index in range(start, len(lines)):
        while matched and lines[index] != run[matched]:
            matched = table[matched - 1]
        if lines[index] == run[matched]:
            matched += 1
            if matched == len(run):
                return index - len(run) + 1
    return -1


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Half-open ranges with touching or overlapping ones joined."""
    merged: list[tuple[int, int]] = []
    for low, high in sorted(ranges):
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(high, merged[-1][1]))
        else:
            merged.append((low, high))
    return merged
