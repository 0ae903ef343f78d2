"""libcst edits, found by the enclosing definitions' names and an occurrence index.

The analysis core names each edit's target by a :class:`~flake8_wraps.model.Scope`
(the ``def``/``class`` names from the module down, and how many earlier
definitions had that same path).  This transformer counts definitions the same
way, in the same source order, so it needs no position metadata.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from flake8_wraps.model import AddWraps, FixData, MoveRegistering, Scope


class ApplyEdits(cst.CSTTransformer):
    """Apply edits to the definitions their scopes name; record which were applied."""

    def __init__(self, edits: Sequence[FixData], wraps_name: str) -> None:
        super().__init__()
        self.by_scope: dict[Scope, FixData] = {edit.target: edit for edit in edits}
        self.wraps_name = wraps_name
        self.applied: list[FixData] = []
        self._path: list[str] = []
        self._seen: dict[tuple[str, ...], int] = {}
        self._scopes: list[Scope] = []

    def _enter(self, name: str) -> None:
        self._path.append(name)
        path = tuple(self._path)
        number = self._seen.get(path, 0)
        self._seen[path] = number + 1
        self._scopes.append(Scope(path, number))

    def _leave(self) -> Scope:
        self._path.pop()
        return self._scopes.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self._enter(node.name.value)
        return True

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self._enter(node.name.value)
        return True

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.ClassDef:
        self._leave()
        return updated_node

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        edit = self.by_scope.get(self._leave())
        if isinstance(edit, AddWraps):
            if updated_node.decorators:
                return updated_node  # the core saw none: not the node it meant
            decorator = cst.Decorator(
                decorator=cst.parse_expression(f"{self.wraps_name}({edit.wrapped})")
            )
            self.applied.append(edit)
            return updated_node.with_changes(decorators=[decorator])
        if isinstance(edit, MoveRegistering):
            decorators = list(updated_node.decorators)
            if not edit.registering or max(edit.registering) >= len(decorators):
                return updated_node
            first = [decorators[i] for i in edit.registering]
            rest = [d for i, d in enumerate(decorators) if i not in edit.registering]
            self.applied.append(edit)
            return updated_node.with_changes(decorators=[*first, *rest])
        return updated_node
