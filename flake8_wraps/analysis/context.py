"""What a rule receives: the module index, the options and lazily shared results."""

from __future__ import annotations

import ast
from functools import cached_property
from typing import NamedTuple

from flake8_wraps.analysis.classes import ClassDecorator, find_class_decorators
from flake8_wraps.analysis.facts import wrapper_facts
from flake8_wraps.analysis.index import Function, ModuleIndex
from flake8_wraps.analysis.names import callee, dotted
from flake8_wraps.analysis.pairs import WrapperPair, applied_names, find_pairs
from flake8_wraps.analysis.project import Found, ModuleScope
from flake8_wraps.analysis.routes import RouteAnalysis
from flake8_wraps.analysis.uses import Decoration, Use, Uses
from flake8_wraps.analysis.wraps_names import (
    FIX_NAMES,
    functools_spelling,
    rebound_names,
    trusted_spelling,
)
from flake8_wraps.options import Options


class NameLinks(NamedTuple):
    """Where names are read in a module, and each node's parent."""

    parents: dict[int, ast.AST]
    loads: dict[str, list[ast.Name]]  # ``name``
    attr_loads: dict[str, list[ast.Attribute]]  # ``x.name``, by ``name``


class Context:
    """``scope`` is the module's view of the rest of the project, when there is one:
    without it, imported names are unknown."""

    def __init__(
        self, index: ModuleIndex, options: Options, scope: ModuleScope | None = None
    ) -> None:
        self.index = index
        self.options = options
        self.scope = scope
        self._imported: dict[str, Found | None] = {}

    def release(self) -> None:
        """Drop the shared results (the route analysis refers back to this context), so
        the module's records and tree are freed without the garbage collector."""
        self.__dict__.clear()

    def imported(self, node: ast.expr) -> Found | None:
        """What the name or attribute chain ``node`` is, when the module imports it from
        another module of the project (a name the module defines itself is its own)."""
        if self.scope is None:
            return None
        text = dotted(node)
        if text is None:
            return None
        if text not in self._imported:
            head = text.partition(".")[0]
            index = self.index
            local = head in index.top_functions or head in index.top_classes
            if local or head in index.module_bound or head not in index.names.imports:
                self._imported[text] = None
            else:
                self._imported[text] = self.scope.resolve_node(index.names.imports, node)
        return self._imported[text]

    def origin(self, found: Found) -> str:
        """`` (utils/decorators.py:12)``: where an imported decorator is defined."""
        assert self.scope is not None
        return f" ({self.scope.where(found)})"

    @cached_property
    def imported_uses(self) -> list[tuple[Use, Found]]:
        """Every application of a decorator imported from another module of the project."""
        if self.scope is None:
            return []
        found_uses = []
        for function in self.index.decorated_functions:
            for position, decorator in enumerate(function.node.decorator_list):
                found = self.imported(callee(decorator))
                if found is not None and found.entry is not None:
                    found_uses.append((Use(decorator, position, function), found))
        return found_uses

    @cached_property
    def decorations(self) -> list[Decoration]:
        """Each application of a decorator that wraps, with what its wrapper does: the
        module's own decorators, then those imported from the project."""
        decorations: list[Decoration] = []
        for pair in self.pairs:
            uses = self.uses.of_pair(pair)
            if uses:
                facts = wrapper_facts(self.index, self.options, pair)
                decorations.extend(Decoration(use, facts, "") for use in uses)
        for use, found in self.imported_uses:
            assert found.entry is not None
            entry = found.entry
            behaviour = entry.called if isinstance(use.decorator, ast.Call) else entry.bare
            if behaviour is not None:
                origin = self.origin(found)
                decorations.extend(Decoration(use, facts, origin) for facts in behaviour.wrappers)
        return decorations

    @cached_property
    def applications(self) -> list[list[Decoration]]:
        """The decorations grouped by use: a decorator that returns one of several
        wrappers (chosen by the function's kind, say) has one decoration per wrapper at
        each of its uses, and a rule about what the wrapper does holds only when it
        holds for every one of them."""
        grouped: dict[int, list[Decoration]] = {}
        for decoration in self.decorations:
            grouped.setdefault(id(decoration.use.decorator), []).append(decoration)
        return list(grouped.values())

    def siblings(self, pair: WrapperPair) -> list[WrapperPair]:
        """The pairs whose decorator is ``pair``'s: each wrapper it may return."""
        return [p for p in self.pairs if p.outer is pair.outer]

    @cached_property
    def name_links(self) -> NameLinks:
        """Each node's parent (by id), and every read of each plain name and of each
        attribute name, in the whole module: walked once, only when a rule needs to
        follow where a name is used."""
        links = NameLinks({}, {}, {})
        for statement in self.index.module_body:
            for node in ast.walk(statement):
                for child in ast.iter_child_nodes(node):
                    links.parents[id(child)] = node
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                    links.loads.setdefault(node.id, []).append(node)
                elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
                    links.attr_loads.setdefault(node.attr, []).append(node)
        return links

    @cached_property
    def applied_names(self) -> frozenset[str]:
        """Last names of everything the module writes after ``@``."""
        return applied_names(self.index)

    @cached_property
    def pairs(self) -> list[WrapperPair]:
        return find_pairs(self.index)

    @cached_property
    def uses(self) -> Uses:
        return Uses(self.index)

    @cached_property
    def class_decorators(self) -> list[ClassDecorator]:
        return find_class_decorators(self.index, self.uses)

    @cached_property
    def routes(self) -> RouteAnalysis:
        return RouteAnalysis(self.index, self.options, self.imported)

    @cached_property
    def rebound(self) -> frozenset[str]:
        return rebound_names(self.index)

    @cached_property
    def wraps_spelling(self) -> str | None:
        return trusted_spelling(functools_spelling(self.index, "wraps"), self.rebound)

    @cached_property
    def update_wrapper_spelling(self) -> str | None:
        return trusted_spelling(functools_spelling(self.index, "update_wrapper"), self.rebound)

    def taken_names(self, scope: Function) -> frozenset[str]:
        """The names a fix's added import must not use where its text goes in ``scope``."""
        local = (set(scope.param_names()) | scope.stores) & FIX_NAMES
        return self._rebound_fix_names | local

    @cached_property
    def _rebound_fix_names(self) -> frozenset[str]:
        return self.rebound & FIX_NAMES
