"""Where the module applies decorators: the use sites some rules reason about.

Rules that compare a decorator with the functions it decorates look at the module's
own uses of its own decorators, and of decorators it imports from the project
(``Context.imported_uses``); they stay silent when they cannot see the decorator.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flake8_wraps.analysis.index import ClassInfo, Function, FunctionNode, ModuleIndex
from flake8_wraps.analysis.pairs import WrapperPair

if TYPE_CHECKING:
    from flake8_wraps.analysis.facts import WrapperFacts


@dataclass(frozen=True)
class Use:
    """``decorator`` (an expression after ``@``) applied to ``function``."""

    decorator: ast.expr
    position: int  # index in the decorator list, top to bottom
    function: Function


@dataclass(frozen=True)
class Decoration:
    """A use of a decorator that wraps, and what one of its wrappers does; ``origin``
    is empty for the module's own decorator and says where an imported one is defined."""

    use: Use
    facts: WrapperFacts
    origin: str


class Uses:
    """Use sites by what they apply: a module-level function, a factory, a class."""

    def __init__(self, index: ModuleIndex) -> None:
        self.index = index
        self.bare: dict[str, list[Use]] = {}  # @name
        self.called: dict[str, list[Use]] = {}  # @name(...)
        for function in index.decorated_functions:
            node = function.node
            for position, decorator in enumerate(node.decorator_list):
                if isinstance(decorator, ast.Name):
                    self.bare.setdefault(decorator.id, []).append(
                        Use(decorator, position, function)
                    )
                elif isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Name):
                    self.called.setdefault(decorator.func.id, []).append(
                        Use(decorator, position, function)
                    )

    def of_pair(self, pair: WrapperPair) -> list[Use]:
        """Where the module applies the pair's decorator, directly or through its factory."""
        outer = pair.outer
        if outer.in_class:
            return []
        if outer.parent is None:
            if _is_top(self.index, outer):
                return self.bare.get(outer.name, [])
            return []
        factory = outer.parent
        if factory.parent is not None or factory.in_class or not _is_top(self.index, factory):
            return []
        returned = {r.value.id for r in factory.returns if isinstance(r.value, ast.Name)}
        if outer.name not in returned:
            return []
        return self.called.get(factory.name, [])

    def of_class(self, info: ClassInfo) -> list[Use]:
        if info.parent is not None or self.index.top_classes.get(info.name, [None])[-1] is not info:
            return []
        return self.bare.get(info.name, [])


def _is_top(index: ModuleIndex, function: Function) -> bool:
    """Whether ``function`` is the module-level definition its name refers to at the end."""
    definitions = index.top_functions.get(function.name, [])
    return bool(definitions) and definitions[-1] is function


def below(use: Use) -> list[ast.expr]:
    """The decorators applied before ``use`` (written below it)."""
    node: FunctionNode = use.function.node
    return node.decorator_list[use.position + 1 :]
