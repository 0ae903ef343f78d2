"""Wrappers that break what they wrap, judged where the decorator is used, in its own
module or in a module that imports it from the project: WRP006 wrapper-drops-result,
WRP007 wrapper-drops-arguments and WRP008 sync-wrapper-on-async."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from flake8_wraps.analysis.context import Context
from flake8_wraps.analysis.facts import dropped_result, missing_argument, returns_value
from flake8_wraps.analysis.index import Function
from flake8_wraps.analysis.names import display
from flake8_wraps.analysis.uses import Use, below
from flake8_wraps.model import (
    Finding,
    Fix,
    ReplaceStatement,
    Rule,
    finding_at,
    lines_of,
)
from flake8_wraps.rules.fixes import statement_index

WRAPPER_DROPS_RESULT = Rule(
    code="WRP006",
    name="wrapper-drops-result",
    message=(
        "'{wrapper}'{of} calls '{wrapped}' but never returns its result: the decorated "
        "'{function}' returns a value that its callers get as None"
    ),
    fix_title="Return the result of '{wrapped}(...)'",
    fix_safety="unsafe",
)
WRAPPER_DROPS_ARGUMENTS = Rule(
    code="WRP007",
    name="wrapper-drops-arguments",
    message=(
        "the wrapper of '@{decorator}'{origin} does not accept '{parameter}', which "
        "'{function}' requires: every call of the decorated function raises TypeError"
    ),
)
SYNC_WRAPPER_ON_ASYNC = Rule(
    code="WRP008",
    name="sync-wrapper-on-async",
    message=(
        "'@{decorator}'{origin} wraps async '{function}' in a plain def: the wrapper's code "
        "runs around creating the coroutine, not around running it"
    ),
)


def _gets_a_value(context: Context, function: Function) -> bool:
    """Whether the decorated function returns a value, or is registered (a view whose
    None Flask refuses)."""
    if function.yields:
        return False
    routes = context.routes
    return returns_value(function) or any(
        routes.registering(d) for d in function.node.decorator_list
    )


def check_drops_result(context: Context) -> Iterator[Finding]:
    # the module's own decorators: reported at the call that drops the result, with a fix
    for pair in context.pairs:
        statement = dropped_result(pair)
        if statement is None:
            continue
        if any(dropped_result(other) is None for other in context.siblings(pair)):
            continue  # another wrapper the decorator may return gives the result back
        target = next(
            (u.function for u in context.uses.of_pair(pair) if _gets_a_value(context, u.function)),
            None,
        )
        if target is None:
            continue
        wrapper = pair.wrapper
        message = WRAPPER_DROPS_RESULT.format(
            wrapper=wrapper.name, of="", wrapped=pair.wrapped, function=target.name
        )
        fix = None
        body = wrapper.node.body
        if body[-1] is statement and statement_index(body, statement) is not None:
            fix = Fix(
                False,
                (
                    ReplaceStatement(
                        wrapper.scope, len(body) - 1, f"return {ast.unparse(statement.value)}"
                    ),
                ),
                replaced=(lines_of(statement),),
            )
        yield finding_at(statement, WRAPPER_DROPS_RESULT, message, fix)
    # imported decorators: reported where they are used, in this module
    for decorations in context.applications:
        decoration = decorations[0]
        facts, use = decoration.facts, decoration.use
        if not decoration.origin or not all(d.facts.drops_result for d in decorations):
            continue
        function = use.function
        if not _gets_a_value(context, function):
            continue
        message = WRAPPER_DROPS_RESULT.format(
            wrapper=facts.wrapper,
            of=f" of '@{display(use.decorator)}'{decoration.origin}",
            wrapped=facts.wrapped,
            function=function.name,
        )
        yield finding_at(use.decorator, WRAPPER_DROPS_RESULT, message, col=function.node.col_offset)


def _only_registering_below(context: Context, use: Use) -> bool:
    return all(context.routes.registering(d) for d in below(use))


def check_drops_arguments(context: Context) -> Iterator[Finding]:
    routes = context.routes
    for decorations in context.applications:
        decoration = decorations[0]
        use = decoration.use
        if not _only_registering_below(context, use):
            continue
        function = use.function
        is_view = any(
            (r := routes.registering(d)) is not None and r.kind == "route"
            for d in function.node.decorator_list[: use.position]
        )
        missing = missing_argument(decoration.facts, function, by_name=is_view)
        if missing is None or any(
            missing_argument(d.facts, function, by_name=is_view) is None for d in decorations
        ):
            continue
        message = WRAPPER_DROPS_ARGUMENTS.format(
            decorator=display(use.decorator),
            origin=decoration.origin,
            parameter=missing,
            function=function.name,
        )
        yield finding_at(
            use.decorator, WRAPPER_DROPS_ARGUMENTS, message, col=function.node.col_offset
        )


def check_sync_on_async(context: Context) -> Iterator[Finding]:
    for decorations in context.applications:
        decoration = decorations[0]
        use = decoration.use
        function = use.function
        if not all(d.facts.sync_around_coroutine for d in decorations):
            continue
        if not isinstance(function.node, ast.AsyncFunctionDef):
            continue
        if not _only_registering_below(context, use):
            continue
        message = SYNC_WRAPPER_ON_ASYNC.format(
            decorator=display(use.decorator), origin=decoration.origin, function=function.name
        )
        yield finding_at(
            use.decorator, SYNC_WRAPPER_ON_ASYNC, message, col=function.node.col_offset
        )
