"""libcst edits, found by the enclosing definitions' names and an occurrence index.

The analysis core names each edit's target by a :class:`~flake8_wraps.model.Scope`
(the ``def``/``class`` names from the module down, and how many earlier
definitions had that same path).  This transformer counts definitions the same
way, in the same source order, so it needs no position metadata.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import libcst as cst

from flake8_wraps.model import (
    AddDecorator,
    AppendStatement,
    Edit,
    RemoveStatement,
    ReorderDecorators,
    ReplaceDecorator,
    ReplaceStatement,
    Scope,
    SwapArguments,
)


def _callee_name(node: cst.Call) -> str:
    func = node.func
    if isinstance(func, cst.Attribute):
        return func.attr.value
    if isinstance(func, cst.Name):
        return func.value
    return ""


class ApplyEdits(cst.CSTTransformer):
    """Apply edits to the definitions their scopes name; record which were applied.

    ``spell`` turns an edit's text (with ``{wraps}``-style placeholders) into code.
    """

    def __init__(self, edits: Iterable[Edit], spell: dict[str, str]) -> None:
        super().__init__()
        self.by_scope: dict[Scope, list[Edit]] = {}
        for edit in edits:
            self.by_scope.setdefault(edit.target, []).append(edit)
        self.spell = spell
        self.applied: set[Edit] = set()
        self._path: list[str] = []
        self._seen: dict[tuple[str, ...], int] = {}
        self._scopes: list[Scope] = []
        # per function body being visited: calls seen so far by callee name
        self._calls: list[tuple[Scope, dict[str, int]]] = []
        self._swap: list[SwapArguments | None] = []

    def _code(self, text: str) -> str:
        return text.format(**self.spell)

    # scopes ---------------------------------------------------------------------

    def _enter(self, name: str) -> None:
        self._path.append(name)
        path = tuple(self._path)
        number = self._seen.get(path, 0)
        self._seen[path] = number + 1
        self._scopes.append(Scope(path, number))

    def _leave(self) -> Scope:
        self._path.pop()
        return self._scopes.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self._enter(node.name.value)
        return True

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.ClassDef:
        self._leave()
        return updated_node

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self._enter(node.name.value)
        return True

    def visit_FunctionDef_body(self, node: cst.FunctionDef) -> None:
        self._calls.append((self._scopes[-1], {}))

    def leave_FunctionDef_body(self, node: cst.FunctionDef) -> None:
        self._calls.pop()

    # calls, for swap_arguments ----------------------------------------------------

    def visit_Call(self, node: cst.Call) -> bool:
        chosen = None
        if self._calls:
            scope, counts = self._calls[-1]
            name = _callee_name(node)
            number = counts.get(name, 0)
            counts[name] = number + 1
            for edit in self.by_scope.get(scope, ()):
                if (
                    isinstance(edit, SwapArguments)
                    and edit.callee == name
                    and edit.occurrence == number
                ):
                    chosen = edit
        self._swap.append(chosen)
        return True

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        edit = self._swap.pop()
        if edit is None or len(updated_node.args) < 2:
            return updated_node
        first, second, *rest = updated_node.args
        if first.keyword or second.keyword or first.star or second.star:
            return updated_node
        swapped = [
            first.with_changes(value=second.value),
            second.with_changes(value=first.value),
            *rest,
        ]
        self.applied.add(edit)
        return updated_node.with_changes(args=swapped)

    # definitions ----------------------------------------------------------------------

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        scope = self._leave()
        node = updated_node
        for edit in self.by_scope.get(scope, ()):
            changed = self._apply(node, edit)
            if changed is not None:
                node = changed
                self.applied.add(edit)
        return node

    def _apply(self, node: cst.FunctionDef, edit: Edit) -> cst.FunctionDef | None:
        """``node`` with ``edit`` made, or None when it does not fit the node."""
        decorators = list(node.decorators)
        if isinstance(edit, AddDecorator):
            new = cst.Decorator(decorator=cst.parse_expression(self._code(edit.text)))
            return node.with_changes(decorators=[new, *decorators])
        if isinstance(edit, ReorderDecorators):
            if sorted(edit.order) != list(range(len(decorators))):
                return None
            return node.with_changes(decorators=[decorators[i] for i in edit.order])
        if isinstance(edit, ReplaceDecorator):
            if edit.position >= len(decorators):
                return None
            old = decorators[edit.position]
            decorators[edit.position] = old.with_changes(
                decorator=cst.parse_expression(self._code(edit.text))
            )
            return node.with_changes(decorators=decorators)
        if isinstance(edit, (AppendStatement, RemoveStatement, ReplaceStatement)):
            return self._apply_to_body(node, edit)
        return None  # SwapArguments: made where the call is visited

    def _apply_to_body(
        self,
        node: cst.FunctionDef,
        edit: AppendStatement | RemoveStatement | ReplaceStatement,
    ) -> cst.FunctionDef | None:
        if not isinstance(node.body, cst.IndentedBlock):
            return None
        body: list[cst.BaseStatement] = list(node.body.body)
        if isinstance(edit, AppendStatement):
            body.append(cst.parse_statement(self._code(edit.text)))
        else:
            if edit.position >= len(body) or not _single_statement(body[edit.position]):
                return None
            old = body[edit.position]
            if isinstance(edit, RemoveStatement):
                if len(body) == 1:
                    return None
                del body[edit.position]
                if edit.position < len(body):  # keep the removed line's comments
                    body[edit.position] = _with_leading(body[edit.position], old)
            else:
                new = cst.parse_statement(self._code(edit.text))
                body[edit.position] = new.with_changes(leading_lines=_leading(old))
        return node.with_changes(body=node.body.with_changes(body=body))


def _single_statement(statement: cst.BaseStatement) -> bool:
    """One statement on its own line, with no comment that removing it would lose."""
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and statement.trailing_whitespace.comment is None
    )


def _leading(statement: cst.BaseStatement) -> Sequence[cst.EmptyLine]:
    return getattr(statement, "leading_lines", ())


def _with_leading(statement: cst.BaseStatement, removed: cst.BaseStatement) -> cst.BaseStatement:
    lines = (*_leading(removed), *_leading(statement))
    return statement.with_changes(leading_lines=lines)
