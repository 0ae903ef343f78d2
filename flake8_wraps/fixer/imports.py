"""Adding the ``functools`` import a WRP001 fix needs, where a person would put it.

After the module docstring and ``__future__`` imports; inside the leading block of
imports, beside the other standard-library imports in name order; otherwise on its
own, separated from the code by blank lines.
"""

from __future__ import annotations

import sys
import sysconfig
from collections.abc import Sequence
from functools import cache
from importlib.machinery import PathFinder

import libcst as cst

MODULE = "functools"


def bound_as(name: str, style: str, taken: frozenset[str]) -> str | None:
    """The name an added import binds for ``functools.<name>`` in ``style``: the plain
    one, or with a leading underscore when the plain one means something else in the
    module; None when both do."""
    plain = name if style == "from" else MODULE
    for candidate in (plain, f"_{plain}"):
        if candidate not in taken:
            return candidate
    return None


def spelled(name: str, known: str | None, style: str, taken: frozenset[str]) -> str | None:
    """How a fix writes ``functools.<name>``: the module's spelling, or the added one's;
    None when no name is free for the import."""
    if known is not None:
        return known
    bound = bound_as(name, style, taken)
    if bound is None:
        return None
    return bound if style == "from" else f"{bound}.{name}"


def import_statement(style: str, names: list[str], taken: frozenset[str]) -> str:
    """The import statement that makes ``spelled(name, None, style, taken)`` work for
    ``names``."""
    if style == "from":
        parts = []
        for name in sorted(names):
            bound = bound_as(name, style, taken)
            parts.append(name if bound == name else f"{name} as {bound}")
        return f"from functools import {', '.join(parts)}"
    bound = bound_as("", style, taken)
    return "import functools" if bound == MODULE else f"import functools as {bound}"


@cache
def is_stdlib(name: str) -> bool:
    top = name.partition(".")[0]
    names = getattr(sys, "stdlib_module_names", None)
    if names is not None:
        return top in names
    if top in sys.builtin_module_names:  # pragma: no cover - Python 3.9
        return True
    stdlib = sysconfig.get_paths()["stdlib"]  # pragma: no cover - Python 3.9
    return PathFinder.find_spec(top, [stdlib]) is not None  # pragma: no cover


def _imported_module(statement: cst.BaseStatement) -> str | None:
    """The module an import line imports (``a.b`` for ``from a.b import c``), else None."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    if isinstance(small, cst.Import):
        return _dotted(small.names[0].name)
    if isinstance(small, cst.ImportFrom):
        if small.relative or small.module is None:
            return "."
        return _dotted(small.module)
    return None


def _dotted(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    if isinstance(node, cst.Name):
        return node.value
    return ""


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _is_dunder_assignment(statement: cst.BaseStatement) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return False
    small = statement.body[0]
    targets: list[cst.BaseExpression] = []
    if isinstance(small, cst.Assign):
        targets = [t.target for t in small.targets]
    elif isinstance(small, cst.AnnAssign):
        targets = [small.target]
    return bool(targets) and all(
        isinstance(t, cst.Name) and t.value.startswith("__") and t.value.endswith("__")
        for t in targets
    )


def _blank() -> cst.EmptyLine:
    return cst.EmptyLine()


def _leading_blanks(lines: Sequence[cst.EmptyLine]) -> int:
    count = 0
    for line in lines:
        if line.comment is not None:
            break
        count += 1
    return count


def add_import(
    module: cst.Module, style: str, names: list[str], taken: frozenset[str] = frozenset()
) -> cst.Module:
    """``module`` with the import of ``names`` in ``style`` added at its place."""
    new = cst.parse_statement(import_statement(style, names, taken))
    assert isinstance(new, cst.SimpleStatementLine)
    body = list(module.body)
    start = 0
    if body and _is_docstring(body[0]):
        start = 1
    while start < len(body) and _imported_module(body[start]) == "__future__":
        start += 1
    while start < len(body) and _is_dunder_assignment(body[start]):
        start += 1  # __all__, __version__, ...: PEP 8 puts them above the imports
    end = start
    while end < len(body) and _imported_module(body[end]) is not None:
        end += 1

    if end > start:  # a block of imports: join it
        block = range(start, end)
        stdlib = [i for i in block if is_stdlib(_imported_module(body[i]) or ".")]
        after = [i for i in stdlib if (_imported_module(body[i]) or "") > MODULE]
        if after:
            at = after[0]
            new = new.with_changes(leading_lines=body[at].leading_lines)
            body[at] = body[at].with_changes(leading_lines=())
            body.insert(at, new)
        elif stdlib:
            body.insert(stdlib[-1] + 1, new)
        else:
            new = new.with_changes(leading_lines=body[start].leading_lines)
            body[start] = body[start].with_changes(leading_lines=(_blank(),))
            body.insert(start, new)
        return module.with_changes(body=body)

    # no imports at the top: the import stands alone before the code
    if start > 0:
        new = new.with_changes(leading_lines=(_blank(),))
    if start < len(body):
        following = body[start]
        wanted = 2 if _is_definition(following) else 1
        have = _leading_blanks(following.leading_lines)
        if have < wanted:
            padded = (*[_blank() for _ in range(wanted - have)], *following.leading_lines)
            body[start] = following.with_changes(leading_lines=padded)
    body.insert(start, new)
    return module.with_changes(body=body)


def _is_definition(statement: cst.BaseStatement) -> bool:
    return isinstance(statement, (cst.FunctionDef, cst.ClassDef))
