"""Wrappers that break what they wrap, judged at the module's own use sites:
WRP006 wrapper-drops-result, WRP007 wrapper-drops-arguments and WRP008
sync-wrapper-on-async."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from flake8_wraps.analysis.context import Context
from flake8_wraps.analysis.index import Function, enclosing_blocks
from flake8_wraps.analysis.names import calls_name, display, last_name
from flake8_wraps.analysis.pairs import WrapperPair
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
        "'{wrapper}' calls '{wrapped}' but never returns its result: the decorated "
        "'{function}' returns a value that its callers get as None"
    ),
    fix_title="Return the result of '{wrapped}(...)'",
    fix_safety="unsafe",
)
WRAPPER_DROPS_ARGUMENTS = Rule(
    code="WRP007",
    name="wrapper-drops-arguments",
    message=(
        "the wrapper of '@{decorator}' does not accept '{parameter}', which '{function}' "
        "requires: every call of the decorated function raises TypeError"
    ),
)
SYNC_WRAPPER_ON_ASYNC = Rule(
    code="WRP008",
    name="sync-wrapper-on-async",
    message=(
        "'@{decorator}' wraps async '{function}' in a plain def: the wrapper's code runs "
        "around creating the coroutine, not around running it"
    ),
)


def _returns_value(function: Function) -> bool:
    return any(
        r.value is not None and not (isinstance(r.value, ast.Constant) and r.value.value is None)
        for r in function.returns
    )


def check_drops_result(context: Context) -> Iterator[Finding]:
    routes = context.routes
    for pair in context.pairs:
        wrapper = pair.wrapper
        if wrapper.yields or _returns_value(wrapper):
            continue
        blocks = enclosing_blocks(wrapper)
        bare = [
            s
            for s in wrapper.exprs
            if _is_call_of(s.value, pair.wrapped) and not _expects_raise(blocks.get(id(s), ()))
        ]
        if not bare:
            continue
        target = next(
            (
                use.function
                for use in context.uses.of_pair(pair)
                if not use.function.yields
                and (
                    _returns_value(use.function)
                    or any(routes.registering(d) for d in use.function.node.decorator_list)
                )
            ),
            None,
        )
        if target is None:
            continue
        statement = bare[0]
        message = WRAPPER_DROPS_RESULT.format(
            wrapper=wrapper.name, wrapped=pair.wrapped, function=target.name
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


def _expects_raise(blocks: tuple[ast.stmt, ...]) -> bool:
    """Inside ``with pytest.raises(...)`` / ``self.assertRaises(...)``: the call must fail."""
    for block in blocks:
        if isinstance(block, (ast.With, ast.AsyncWith)):
            for item in block.items:
                expression = item.context_expr
                if isinstance(expression, ast.Call):
                    name = last_name(expression.func)
                    if "raises" in name.lower():
                        return True
    return False


def _is_call_of(value: ast.expr, name: str) -> bool:
    """``name(...)`` or ``await name(...)``."""
    if isinstance(value, ast.Await):
        value = value.value
    return isinstance(value, ast.Call) and calls_name(value, name)


def _only_registering_below(context: Context, use: Use) -> bool:
    return all(context.routes.registering(d) for d in below(use))


def check_drops_arguments(context: Context) -> Iterator[Finding]:
    routes = context.routes
    for pair in context.pairs:
        if pair.wrapper.variadic:
            continue
        accepts = pair.wrapper.node.args
        positional = len(pair.wrapper.positional)
        names = {a.arg for a in (*accepts.args, *accepts.kwonlyargs)}
        for use in context.uses.of_pair(pair):
            if not _only_registering_below(context, use):
                continue
            function = use.function
            is_view = any(
                (r := routes.registering(d)) is not None and r.kind == "route"
                for d in function.node.decorator_list[: use.position]
            )
            missing = _missing(function, positional, names, by_name=is_view)
            if missing is None or _supplies(pair, function, missing):
                continue
            message = WRAPPER_DROPS_ARGUMENTS.format(
                decorator=display(use.decorator), parameter=missing, function=function.name
            )
            yield finding_at(
                use.decorator, WRAPPER_DROPS_ARGUMENTS, message, col=function.node.col_offset
            )


def _supplies(pair: WrapperPair, function: Function, parameter: str) -> bool:
    """Whether the wrapper passes ``parameter`` to the function itself (it injects it)."""
    ordered = [a.arg for a in function.positional]
    position = ordered.index(parameter) if parameter in ordered else None
    own = set(pair.wrapper.param_names())
    for call in pair.wrapper.calls_of(pair.wrapped):
        if any(isinstance(a, ast.Starred) for a in call.args):
            return True
        if position is not None and len(call.args) > position:
            argument = call.args[position]
            if not (isinstance(argument, ast.Name) and argument.id in own):
                return True  # a value of the wrapper's own, not one it received
        if any(k.arg is None or k.arg == parameter for k in call.keywords):
            return True
    return False


def _missing(function: Function, positional: int, names: set[str], by_name: bool) -> str | None:
    """A required parameter of ``function`` a wrapper with this signature cannot take."""
    args = function.node.args
    params = function.positional
    required = params[: len(params) - len(args.defaults)]
    if len(required) > positional:
        return required[positional].arg
    if by_name:  # Flask passes a view's URL values as keyword arguments
        for param in required:
            if param not in args.posonlyargs and param.arg not in names:
                return param.arg
    for param, default in zip(args.kwonlyargs, args.kw_defaults):
        if default is None and param.arg not in names:
            return param.arg
    return None


def check_sync_on_async(context: Context) -> Iterator[Finding]:
    for pair in context.pairs:
        wrapper, outer = pair.wrapper, pair.outer
        if isinstance(wrapper.node, ast.AsyncFunctionDef):
            continue
        if any(
            isinstance(inner.node, ast.AsyncFunctionDef)
            for group in outer.inner.values()
            for inner in group
        ):
            continue  # a sync and an async wrapper: the decorator chooses
        if _only_passes_through(wrapper, pair.wrapped):
            continue
        for use in context.uses.of_pair(pair):
            function = use.function
            if not isinstance(function.node, ast.AsyncFunctionDef):
                continue
            if not _only_registering_below(context, use):
                continue
            message = SYNC_WRAPPER_ON_ASYNC.format(
                decorator=display(use.decorator), function=function.name
            )
            yield finding_at(
                use.decorator, SYNC_WRAPPER_ON_ASYNC, message, col=function.node.col_offset
            )


def _only_passes_through(wrapper: Function, wrapped: str) -> bool:
    """Whether the wrapper's own code cannot be meant to run around the coroutine.

    The problem is a coroutine handed back to the caller (who awaits it later) by a
    wrapper whose ``try``/``with`` or timing code has already finished, or one the
    wrapper drops without ever running it.  A wrapper that
    runs the coroutine itself (``asyncio.run(f())``) or returns ``f(...)`` straight from
    its body is fine.
    """
    calls = {id(call) for call in wrapper.calls_of(wrapped)}
    if not calls:
        return True
    if any(id(statement.value) in calls for statement in wrapper.exprs):
        return False  # the coroutine is dropped: it never runs
    blocks = enclosing_blocks(wrapper)
    nested = list(wrapper.subtree())
    holders = {
        target.id
        for function in nested
        for node in function.assigns
        if id(node.value) in calls
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    for statement in (r for function in nested for r in function.returns):
        if statement.value is None:
            continue
        value = statement.value
        if isinstance(value, ast.Name) and value.id in holders:
            return False  # kept in a variable while more code ran, then returned
        if id(value) in calls and any(
            isinstance(b, (ast.Try, ast.With)) or type(b).__name__ == "TryStar"
            for b in blocks.get(id(statement), ())
        ):
            return False
    return True
