"""The data the analysis core hands to its consumers: rules, findings and fix data."""

from __future__ import annotations

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


@dataclass(frozen=True)
class AddWraps:
    """Fix data for WRP001: decorate the wrapper with ``<spelling>(<wrapped>)``.

    ``spelling`` is how the module already names ``functools.wraps`` (``wraps``,
    ``ft.wraps``), or None when the fixer must add an import.  ``lines`` is the
    wrapper's ``def`` line: the decorator goes right above it.
    """

    target: Scope
    wrapped: str
    spelling: str | None
    safe: bool
    lines: tuple[int, int]


@dataclass(frozen=True)
class MoveRegistering:
    """Fix data for WRP101: move the registering decorators of a definition to the top.

    ``lines`` spans the decorators, from the first one's line to the line above ``def``.
    """

    target: Scope
    registering: tuple[int, ...]  # indexes in the decorator list, top to bottom
    lines: tuple[int, int]
    safe: bool = True


FixData = Union[AddWraps, MoveRegistering]


@dataclass(frozen=True)
class Finding:
    """One problem at one place. ``line`` is 1-based, ``col`` is 0-based (as in ``ast``)."""

    line: int
    col: int
    rule: Rule
    message: str
    fix: FixData | None = field(default=None, compare=False)

    @property
    def code(self) -> str:
        return self.rule.code

    def sort_key(self) -> tuple[int, int, str]:
        return (self.line, self.col, self.rule.code)
