"""WRP005 manual-metadata-copy: a decorator copies ``__name__`` and friends onto its
wrapper by hand instead of using ``functools.wraps``."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from flake8_wraps.analysis.context import Context
from flake8_wraps.analysis.index import Function
from flake8_wraps.analysis.metadata import WRAPS_COPIES, built_text
from flake8_wraps.analysis.names import names_in
from flake8_wraps.analysis.pairs import WrapperPair
from flake8_wraps.analysis.wraps_names import bare_wraps_statements, functools_name
from flake8_wraps.model import Finding, Fix, RemoveStatement, Rule, finding_at, lines_of
from flake8_wraps.rules.fixes import add_wraps_fix, statement_index
from flake8_wraps.rules.missing_wraps import adapts_signature, reshapes_arguments

RULE = Rule(
    code="WRP005",
    name="manual-metadata-copy",
    message=(
        "decorator '{decorator}' copies {attribute} onto '{wrapper}' by hand: use "
        "functools.wraps({wrapped}), or __qualname__, __module__, __wrapped__ and __dict__ "
        "stay wrong"
    ),
    fix_title="Replace the copies with @functools.wraps({wrapped})",
    fix_safety="unsafe",
)


def _copied_attribute(statement: ast.stmt, wrapper: str, wrapped: str) -> str | None:
    """The attribute a statement copies from ``wrapped`` onto ``wrapper`` by hand."""
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        target = statement.targets[0]
        if (
            isinstance(target, ast.Attribute)
            and isinstance(target.value, ast.Name)
            and target.value.id == wrapper
            and target.attr in WRAPS_COPIES
            and wrapped in names_in(statement.value)
            and not (target.attr == "__doc__" and built_text(statement.value))
        ):
            return target.attr
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
        call = statement.value
        func = call.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "update"
            and isinstance(func.value, ast.Attribute)
            and func.value.attr == "__dict__"
            and isinstance(func.value.value, ast.Name)
            and func.value.value.id == wrapper
            and wrapped in names_in(call)
        ):
            return "__dict__"
        if (
            isinstance(func, ast.Name)
            and func.id == "setattr"
            and len(call.args) == 3
            and isinstance(call.args[0], ast.Name)
            and call.args[0].id == wrapper
            and isinstance(call.args[1], ast.Constant)
            and call.args[1].value in WRAPS_COPIES
            and wrapped in names_in(call.args[2])
        ):
            return str(call.args[1].value)
    return None


def _named_on_purpose(outer: Function, wrapper: str, wrapped: str) -> bool:
    """``wrapper.__name__ = name``: the decorator names its wrapper with something other
    than the wrapped function's name: the name of the method it becomes, or one made
    from the wrapped function's (``func.__name__ + "_cached"``)."""
    for function in outer.subtree():
        for statement in function.assigns:
            target = statement.targets[0] if len(statement.targets) == 1 else None
            if (
                isinstance(target, ast.Attribute)
                and isinstance(target.value, ast.Name)
                and target.value.id == wrapper
                and target.attr in ("__name__", "__qualname__")
                and not _read_of(statement.value, wrapped)
            ):
                return True
    return False


def _read_of(value: ast.expr, wrapped: str) -> bool:
    """``wrapped.__name__`` (``wrapped.__class__.__name__``, any attribute read from it),
    or ``getattr(wrapped, "__name__", ...)``: a name read from the wrapped callable as it
    is, not one built from it."""
    if isinstance(value, ast.Attribute):
        root: ast.expr = value
        while isinstance(root, ast.Attribute):
            root = root.value
        return isinstance(root, ast.Name) and root.id == wrapped
    return (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and value.func.id == "getattr"
        and len(value.args) >= 2
        and isinstance(value.args[0], ast.Name)
        and value.args[0].id == wrapped
        and isinstance(value.args[1], ast.Constant)
        and value.args[1].value in ("__name__", "__qualname__")
    )


def _uses_wraps(context: Context, pair: WrapperPair) -> bool:
    if pair.wrapper.node.decorator_list or bare_wraps_statements(context.index, pair.outer):
        return True
    return any(
        functools_name(context.index, call.func) is not None and pair.wrapper.name in names_in(call)
        for call in pair.outer.calls
    )


def check(context: Context) -> Iterator[Finding]:
    for pair in context.pairs:
        outer, wrapper = pair.outer, pair.wrapper
        statements = (s for f in outer.subtree() for s in (*f.assigns, *f.exprs))
        copies = [
            (statement, attribute)
            for statement in statements
            if (attribute := _copied_attribute(statement, wrapper.name, pair.wrapped))
        ]
        if not copies or _uses_wraps(context, pair):
            continue
        if _named_on_purpose(outer, wrapper.name, pair.wrapped):
            continue  # functools.wraps would give it the wrapped function's name
        if pair.wrapped in outer.stores:
            continue  # rebound first: wraps would copy what it was rebound to
        if adapts_signature(wrapper) or reshapes_arguments(pair):
            continue  # its own signature: wraps would make inspect.signature lie
        copies.sort(key=lambda item: (item[0].lineno, item[0].col_offset))
        first, attribute = copies[0]
        message = RULE.format(
            decorator=outer.name, attribute=attribute, wrapper=wrapper.name, wrapped=pair.wrapped
        )
        yield finding_at(first, RULE, message, _copy_fix(context, pair, [s for s, _ in copies]))


def _copy_fix(context: Context, pair: WrapperPair, statements: list[ast.stmt]) -> Fix | None:
    """Remove the manual copies (each a whole statement of the decorator) and add wraps."""
    body = pair.outer.node.body
    positions = [statement_index(body, s) for s in statements]
    if None in positions:
        return None
    removals = tuple(
        RemoveStatement(pair.outer.scope, p)
        for p in sorted((p for p in positions if p is not None), reverse=True)
    )
    replaced = tuple(lines_of(s) for s in statements)
    return add_wraps_fix(context, pair, safe=False, more=removals, replaced=replaced)
