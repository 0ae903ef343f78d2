"""What a rule receives: the module index, the options and lazily shared results."""

from __future__ import annotations

from functools import cached_property

from flake8_wraps.analysis.classes import ClassDecorator, find_class_decorators
from flake8_wraps.analysis.index import Function, ModuleIndex
from flake8_wraps.analysis.pairs import WrapperPair, find_pairs
from flake8_wraps.analysis.routes import RouteAnalysis
from flake8_wraps.analysis.uses import Uses
from flake8_wraps.analysis.wraps_names import (
    FIX_NAMES,
    functools_spelling,
    rebound_names,
    trusted_spelling,
)
from flake8_wraps.options import Options


class Context:
    def __init__(self, index: ModuleIndex, options: Options) -> None:
        self.index = index
        self.options = options

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
        return RouteAnalysis(self.index, self.options)

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
