"""The data the analysis core hands to its consumers: rules, findings and fix data."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Union


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


# Edits: each changes one definition, named by its scope.  A ``text`` may hold
# ``{wraps}`` or ``{update_wrapper}``: the fixer spells them as the module does,
# adding an import when it must.


@dataclass(frozen=True)
class AddDecorator:
    """Put ``text`` as the definition's top decorator."""

    target: Scope
    text: str


@dataclass(frozen=True)
class ReorderDecorators:
    """Reorder the definition's decorators as ``order`` lists their positions."""

    target: Scope
    order: tuple[int, ...]


@dataclass(frozen=True)
class ReplaceDecorator:
    """Replace the definition's decorator at ``position`` (0 is the top) with ``text``."""

    target: Scope
    position: int
    text: str


@dataclass(frozen=True)
class RemoveStatement:
    """Remove the statement at ``position`` of the definition's body."""

    target: Scope
    position: int


@dataclass(frozen=True)
class ReplaceStatement:
    """Replace the statement at ``position`` of the definition's body with ``text``."""

    target: Scope
    position: int
    text: str


@dataclass(frozen=True)
class AppendStatement:
    """Add ``text`` as the last statement of the definition's body."""

    target: Scope
    text: str


@dataclass(frozen=True)
class SwapArguments:
    """Swap the first two arguments of a call in the definition's body.

    The call is the ``occurrence``-th (from 0, in source order, in this body but not in
    nested definitions) whose callee's last name is ``callee``.
    """

    target: Scope
    callee: str
    occurrence: int


Edit = Union[
    AddDecorator,
    ReorderDecorators,
    ReplaceDecorator,
    RemoveStatement,
    ReplaceStatement,
    AppendStatement,
    SwapArguments,
]


def lines_of(node: ast.AST) -> tuple[int, int]:
    """The 1-based first and last line of a statement or expression."""
    first: int = node.lineno  # type: ignore[attr-defined]
    return first, getattr(node, "end_lineno", None) or first


@dataclass(frozen=True)
class Fix:
    """How to fix one finding: edits applied together, and where they may change lines.

    ``replaced`` holds 1-based inclusive line ranges that may be rewritten;
    ``inserted_above`` holds 1-based lines above which new lines may appear.
    ``spellings`` maps each ``{name}`` the texts use to the module's own spelling, or
    to None when the fixer must add an import; ``taken`` holds the names that import
    must not bind, because they mean something else there.
    """

    safe: bool
    edits: tuple[Edit, ...]
    replaced: tuple[tuple[int, int], ...] = ()
    inserted_above: tuple[int, ...] = ()
    spellings: tuple[tuple[str, str | None], ...] = ()
    taken: frozenset[str] = frozenset()

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
    # the qualified name of the definition whose body holds the line ("Outer.method"),
    # "" at module level: filled by the analysis
    scope: str = field(default="", compare=False)
    # the reported line, whitespace collapsed: filled by the command, which reads the
    # source (a baseline's fingerprints use it with the scope instead of line numbers)
    line_text: str = field(default="", compare=False)

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
        # columns count UTF-8 bytes, as ast counts them
        end = (line, start + len(keyword) + len(node.name.encode("utf-8")))
    else:
        end_line = getattr(node, "end_lineno", None) or line
        end = (end_line, getattr(node, "end_col_offset", None) or start)
    return Finding(line, start if col is None else col, rule, message, fix, end)
