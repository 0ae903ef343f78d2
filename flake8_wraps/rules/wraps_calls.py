"""Misused wraps calls: WRP002 wraps-not-applied, WRP003 update-wrapper-swapped,
WRP004 wraps-wrong-target and WRP011 wraps-without-argument."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from flake8_wraps.analysis.context import Context
from flake8_wraps.analysis.index import Function
from flake8_wraps.analysis.names import calls_name, dotted, last_part, passed_names
from flake8_wraps.analysis.pairs import WrapperPair
from flake8_wraps.analysis.wraps_names import bare_wraps_statements, functools_name
from flake8_wraps.model import (
    AddDecorator,
    Finding,
    Fix,
    RemoveStatement,
    ReplaceDecorator,
    Rule,
    SwapArguments,
    finding_at,
    lines_of,
)
from flake8_wraps.rules.fixes import statement_index

WRAPS_NOT_APPLIED = Rule(
    code="WRP002",
    name="wraps-not-applied",
    message=(
        "'{call}' is a statement that does nothing: {wrapper} keeps its own __name__, "
        "__doc__ and __wrapped__"
    ),
    fix_title="Decorate '{wrapper}' with '{call}'",
    fix_safety="safe",
)
UPDATE_WRAPPER_SWAPPED = Rule(
    code="WRP003",
    name="update-wrapper-swapped",
    message=(
        "{call} has its arguments swapped: it copies '{wrapper}''s metadata onto "
        "'{wrapped}' and leaves '{wrapper}' unchanged"
    ),
    fix_title="Swap the arguments",
    fix_safety="safe",
)
WRAPS_WRONG_TARGET = Rule(
    code="WRP004",
    name="wraps-wrong-target",
    message=(
        "'{wrapper}' is decorated with wraps({target}) but wraps '{wrapped}': the decorated "
        "function gets the metadata of '{target}'"
    ),
    fix_title="Use wraps({wrapped})",
    fix_safety="safe",
)
WRAPS_WITHOUT_ARGUMENT = Rule(
    code="WRP011",
    name="wraps-without-argument",
    message=(
        "'@{decorator}' has no argument: '{function}' becomes a functools.partial and "
        "every call to it fails"
    ),
    fix_title="Use @{decorator}({wrapped})",
    fix_safety="safe",
)


def _pair_for(context: Context, func: Function) -> WrapperPair | None:
    for pair in context.pairs:
        if pair.outer is func or pair.wrapper is func:
            return pair
    return None


def check_not_applied(context: Context) -> Iterator[Finding]:
    index = context.index
    for func in index.functions:
        for statement in bare_wraps_statements(index, func):
            call = statement.value
            text = ast.unparse(call)
            pair = _pair_for(context, func)
            wrapper = f"'{pair.wrapper.name}'" if pair else "the wrapper"
            message = WRAPS_NOT_APPLIED.format(call=text, wrapper=wrapper)
            fix = None
            position = statement_index(func.node.body, statement)
            if pair is not None and not pair.wrapper.node.decorator_list and position is not None:
                fix = Fix(
                    True,
                    (
                        RemoveStatement(func.scope, position),
                        AddDecorator(pair.wrapper.scope, text),
                    ),
                    replaced=(lines_of(statement),),
                    inserted_above=(pair.wrapper.node.lineno,),
                )
            yield finding_at(statement, WRAPS_NOT_APPLIED, message, fix)


def swapped_update_wrapper(
    context: Context, holder: Function, wrapped: str, wrapper: str
) -> Iterator[Finding]:
    """Findings for ``update_wrapper(wrapped, wrapper)`` calls directly in ``holder``."""
    index = context.index
    counts: dict[str, int] = {}
    for call in holder.calls:
        written = dotted(call.func)
        last = last_part(written)
        number = counts.get(last, 0)
        counts[last] = number + 1
        if functools_name(index, call.func) != "update_wrapper" or len(call.args) < 2:
            continue
        first, second = call.args[0], call.args[1]
        if not (
            isinstance(first, ast.Name)
            and isinstance(second, ast.Name)
            and first.id == wrapped
            and second.id == wrapper
        ):
            continue
        message = UPDATE_WRAPPER_SWAPPED.format(
            call=ast.unparse(call), wrapper=wrapper, wrapped=wrapped
        )
        fix = Fix(
            True,
            (SwapArguments(holder.scope, last, number),),
            replaced=(lines_of(call),),
        )
        yield finding_at(call, UPDATE_WRAPPER_SWAPPED, message, fix)


def check_swapped(context: Context) -> Iterator[Finding]:
    for pair in context.pairs:
        yield from swapped_update_wrapper(context, pair.outer, pair.wrapped, pair.wrapper.name)
    for klass in context.class_decorators:
        yield from swapped_update_wrapper(context, klass.init, klass.wrapped, "self")


def _enclosing_params(func: Function) -> set[str]:
    return {name for level in func.enclosing() for name in level.param_names()}


def _helpers(func: Function, wrapper: Function) -> set[str]:
    """The functions ``func`` and its enclosing functions define, other than ``wrapper``."""
    return {name for level in func.enclosing() for name in level.inner} - {wrapper.name}


def _stands_in_for(wrapper: Function, name: str) -> bool:
    """Whether ``wrapper`` returns what a call of ``name`` returns, or hands ``name`` its
    own ``*args``/``**kwargs``: the wrapper stands in for ``name``."""
    args = wrapper.node.args
    variadic = {a.arg for a in (args.vararg, args.kwarg) if a is not None}
    for ret in wrapper.returns:
        value = ret.value.value if isinstance(ret.value, ast.Await) else ret.value
        if isinstance(value, ast.Call) and calls_name(value, name):
            return True
    return any(passed_names(call, spread_only=True) & variadic for call in wrapper.calls_of(name))


def check_wrong_target(context: Context) -> Iterator[Finding]:
    index = context.index
    for pair in context.pairs:
        wrapper, outer = pair.wrapper, pair.outer
        called = {c.func.id for c in wrapper.calls if isinstance(c.func, ast.Name)}
        helpers = _helpers(outer, wrapper)
        suspicious = (_enclosing_params(outer) | helpers | {wrapper.name, outer.name}) - {
            pair.wrapped
        }
        for position, decorator in enumerate(wrapper.node.decorator_list):
            if not (
                isinstance(decorator, ast.Call)
                and decorator.args
                and isinstance(decorator.args[0], ast.Name)
                and functools_name(index, decorator.func) == "wraps"
            ):
                continue
            target = decorator.args[0].id
            if target not in suspicious or target in outer.stores:
                continue
            if target in called and not (
                _stands_in_for(wrapper, pair.wrapped) and not _stands_in_for(wrapper, target)
            ):
                continue  # the wrapper may stand in for the target as much as for the callable
            message = WRAPS_WRONG_TARGET.format(
                wrapper=wrapper.name, target=target, wrapped=pair.wrapped
            )
            fixed = ast.Call(
                func=decorator.func,
                args=[ast.Name(id=pair.wrapped, ctx=ast.Load()), *decorator.args[1:]],
                keywords=decorator.keywords,
            )
            fix = Fix(
                True,
                (ReplaceDecorator(wrapper.scope, position, ast.unparse(fixed)),),
                replaced=(lines_of(decorator),),
            )
            yield finding_at(
                decorator, WRAPS_WRONG_TARGET, message, fix, col=wrapper.node.col_offset
            )


def _is_functools_wraps(context: Context, node: ast.expr) -> bool:
    if functools_name(context.index, node) != "wraps":
        return False
    qualname = context.index.names.resolve(node) or ""
    module = qualname.rpartition(".")[0]
    return module in ("", "functools", "six") or module.endswith((".functools", ".six"))


def check_without_argument(context: Context) -> Iterator[Finding]:
    wrappers = {id(pair.wrapper.node): pair for pair in context.pairs}
    for function in context.index.decorated_functions:
        node, scope = function.node, function.scope
        for position, decorator in enumerate(node.decorator_list):
            if isinstance(decorator, ast.Call) or not _is_functools_wraps(context, decorator):
                continue
            written = dotted(decorator) or ast.unparse(decorator)
            pair = wrappers.get(id(node))
            message = WRAPS_WITHOUT_ARGUMENT.format(decorator=written, function=node.name)
            fix = None
            if pair is not None:
                text = f"{written}({pair.wrapped})"
                fix = Fix(
                    True,
                    (ReplaceDecorator(scope, position, text),),
                    replaced=(lines_of(decorator),),
                )
            yield finding_at(decorator, WRAPS_WITHOUT_ARGUMENT, message, fix, col=node.col_offset)
