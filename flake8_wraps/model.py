"""The data the analysis core hands to its consumers: rules, findings and fix data."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Rule:
    """A rule's public identity: its code, name, message template and fix safety."""

    code: str
    name: str
    message: str
    fix_title: str | None = None
    fix_safety: str | None = None  # "safe", "unsafe" or None when there is no fix

    def format(self, **fields: str) -> str:
        return f"{self.code} {self.message.format(**fields)}"


@dataclass(frozen=True)
class Scope:
    """Where a definition lives: the names of its enclosing definitions and an index.

    ``path`` holds the names of the enclosing ``def``/``class`` statements from the
    module down to the definition itself; ``index`` counts earlier definitions with
    the same path in the module (for redefinitions and conditional definitions).
    The fixer follows this to find the node without position metadata.
    """

    path: tuple[str, ...]
    index: int = 0


@dataclass(frozen=True)
class Edit:
    """One change to one definition, named by its scope.

    ``kind`` is one of:

    - ``add_decorator``: put ``text`` as the definition's top decorator;
    - ``reorder_decorators``: reorder the decorators as ``order`` lists their indexes;
    - ``replace_decorator``: replace decorator number ``index`` with ``text``;
    - ``remove_statement``: remove statement number ``index`` of the body;
    - ``replace_statement``: replace statement number ``index`` of the body with ``text``;
    - ``append_statement``: add ``text`` as the body's last statement;
    - ``swap_arguments``: swap the first two arguments of the ``index``-th call (in
      source order, in this body but not in nested definitions) whose callee's last
      name is ``text``.

    ``text`` may hold ``{wraps}`` or ``{update_wrapper}``: the fixer spells them as the
    module does, adding an import when it must.
    """

    kind: str
    target: Scope
    text: str = ""
    index: int = 0
    order: tuple[int, ...] = ()


@dataclass(frozen=True)
class Fix:
    """How to fix one finding: edits applied together, and where they may change lines.

    ``replaced`` holds 1-based inclusive line ranges that may be rewritten;
    ``inserted_above`` holds 1-based lines above which new lines may appear.
    ``spellings`` maps each ``{name}`` the texts use to the module's own spelling, or
    to None when the fixer must add an import.
    """

    safe: bool
    edits: tuple[Edit, ...]
    replaced: tuple[tuple[int, int], ...] = ()
    inserted_above: tuple[int, ...] = ()
    spellings: tuple[tuple[str, str | None], ...] = ()

    @property
    def key(self) -> tuple[Edit, ...]:
        return self.edits


@dataclass(frozen=True)
class Finding:
    """One problem at one place. ``line`` is 1-based, ``col`` is 0-based (as in ``ast``)."""

    line: int
    col: int
    rule: Rule
    message: str
    fix: Fix | None = field(default=None, compare=False)
    end: tuple[int, int] | None = field(default=None, compare=False)  # line, 0-based col

    @property
    def code(self) -> str:
        return self.rule.code

    def sort_key(self) -> tuple[int, int, str]:
        return (self.line, self.col, self.rule.code)


def finding_at(
    node: ast.AST, rule: Rule, message: str, fix: Fix | None = None, col: int | None = None
) -> Finding:
    """A finding at ``node``: a ``def``/``class`` header, or a whole expression/statement."""
    line, start = node.lineno, node.col_offset  # type: ignore[attr-defined]
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        keyword = {"FunctionDef": "def ", "AsyncFunctionDef": "async def "}.get(
            type(node).__name__, "class "
        )
        end = (line, start + len(keyword) + len(node.name))
    else:
        end_line = getattr(node, "end_lineno", None) or line
        end = (end_line, getattr(node, "end_col_offset", None) or start)
    return Finding(line, start if col is None else col, rule, message, fix, end)
