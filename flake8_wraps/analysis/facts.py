"""What a decorator does to what it decorates, in the terms its use sites need.

The same facts serve a decorator applied in its own module and one imported from
another module of the project (carried there by the module summary), so the rules
that compare a decorator with the functions it decorates judge both alike.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from flake8_wraps.analysis.index import Function, ModuleIndex, enclosing_blocks
from flake8_wraps.analysis.metadata import copies_metadata
from flake8_wraps.analysis.names import calls_name, last_name
from flake8_wraps.analysis.pairs import WrapperPair
from flake8_wraps.analysis.wraps_names import functools_name
from flake8_wraps.options import Options


@dataclass(frozen=True)
class CallShape:
    """One call of the wrapped callable in the wrapper, as far as arguments go."""

    starred: bool  # ``f(*args)``: it passes whatever it got
    own: tuple[bool, ...]  # per positional argument: a plain name of the wrapper's own
    keywords: tuple[str, ...]  # keyword names; ``**`` for ``f(**kwargs)``


@dataclass(frozen=True)
class WrapperFacts:
    """One wrapper a decorator returns: what it accepts, passes on and gives back."""

    wrapper: str
    wrapped: str
    line: int  # the wrapper's ``def``
    # WRP006: it calls the callable as a statement and never returns a value
    drops_result: bool
    # WRP007: what it accepts, and how it calls the callable
    variadic: bool
    positional: int
    names: tuple[str, ...]
    calls: tuple[CallShape, ...]
    # WRP008: a plain def whose own code runs around creating the coroutine
    sync_around_coroutine: bool
    # WRP102: True when the decorated function keeps its ``__name__``, False when it
    # takes the wrapper's, None when that can't be known
    keeps_name: bool | None


def wrapper_facts(index: ModuleIndex, options: Options, pair: WrapperPair) -> WrapperFacts:
    wrapper = pair.wrapper
    args = wrapper.node.args
    return WrapperFacts(
        wrapper=wrapper.name,
        wrapped=pair.wrapped,
        line=wrapper.node.lineno,
        drops_result=dropped_result(pair) is not None,
        variadic=wrapper.variadic,
        positional=len(wrapper.positional),
        names=tuple(a.arg for a in (*args.args, *args.kwonlyargs)),
        calls=tuple(_shape(wrapper, call) for call in wrapper.calls_of(pair.wrapped)),
        sync_around_coroutine=_sync_around_coroutine(pair),
        keeps_name=_keeps_name(index, options, pair),
    )


def returns_value(function: Function) -> bool:
    """Whether some ``return`` of ``function`` gives a value other than ``None``."""
    return any(
        r.value is not None and not (isinstance(r.value, ast.Constant) and r.value.value is None)
        for r in function.returns
    )


def dropped_result(pair: WrapperPair) -> ast.Expr | None:
    """The first statement where the wrapper calls the callable, drops the result and
    so returns None: anywhere, when the wrapper never returns a value; otherwise one
    after which the wrapper ends (``else: func()`` as its last statement), whatever
    its other paths return.  Not in a generator."""
    wrapper = pair.wrapper
    if wrapper.yields:
        return None
    ends = None if not returns_value(wrapper) else _last_statements(wrapper.node.body)
    blocks = enclosing_blocks(wrapper)
    for statement in wrapper.exprs:
        if not _is_call_of(statement.value, pair.wrapped):
            continue
        if _expects_raise(blocks.get(id(statement), ())):
            continue
        if ends is None or id(statement) in ends:
            return statement
    return None


def _last_statements(body: list[ast.stmt]) -> set[int]:
    """The statements after which the function ends without a ``return``: the last of
    its body, and of each branch of a compound statement that is itself last."""
    found: set[int] = set()
    todo = [body]
    while todo:
        block = todo.pop()
        if not block:
            continue
        last = block[-1]
        found.add(id(last))
        if isinstance(last, ast.If):
            todo.append(last.body)
            todo.append(last.orelse)
        elif isinstance(last, (ast.With, ast.AsyncWith)):
            todo.append(last.body)
        elif isinstance(last, ast.Try) or type(last).__name__ == "TryStar":
            if not last.orelse:  # type: ignore[attr-defined]
                todo.append(last.body)  # type: ignore[attr-defined]
            todo.append(last.orelse)  # type: ignore[attr-defined]
            todo.extend(h.body for h in last.handlers)  # type: ignore[attr-defined]
            todo.append(last.finalbody)  # type: ignore[attr-defined]
        elif isinstance(last, (ast.For, ast.AsyncFor, ast.While)):
            todo.append(last.orelse)  # the body goes round again; else ends it
        elif type(last).__name__ == "Match":
            todo.extend(case.body for case in last.cases)  # type: ignore[attr-defined]
    return found


def _is_call_of(value: ast.expr, name: str) -> bool:
    """``name(...)`` or ``await name(...)``."""
    if isinstance(value, ast.Await):
        value = value.value
    return isinstance(value, ast.Call) and calls_name(value, name)


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


def _shape(wrapper: Function, call: ast.Call) -> CallShape:
    own = set(wrapper.param_names())
    return CallShape(
        starred=any(isinstance(a, ast.Starred) for a in call.args),
        own=tuple(isinstance(a, ast.Name) and a.id in own for a in call.args),
        keywords=tuple(k.arg if k.arg is not None else "**" for k in call.keywords),
    )


def missing_argument(facts: WrapperFacts, function: Function, by_name: bool) -> str | None:
    """A required parameter of ``function`` the wrapper can neither take nor supply."""
    if facts.variadic:
        return None
    args = function.node.args
    params = function.positional
    required = params[: len(params) - len(args.defaults)]
    missing = None
    if len(required) > facts.positional:
        missing = required[facts.positional].arg
    elif by_name:  # Flask passes a view's URL values as keyword arguments
        missing = next(
            (p.arg for p in required if p not in args.posonlyargs and p.arg not in facts.names),
            None,
        )
    if missing is None:
        missing = next(
            (
                p.arg
                for p, default in zip(args.kwonlyargs, args.kw_defaults)
                if default is None and p.arg not in facts.names
            ),
            None,
        )
    if missing is None or _supplies(facts, function, missing):
        return None
    return missing


def _supplies(facts: WrapperFacts, function: Function, parameter: str) -> bool:
    """Whether the wrapper passes ``parameter`` to the function itself (it injects it)."""
    ordered = [a.arg for a in function.positional]
    position = ordered.index(parameter) if parameter in ordered else None
    for call in facts.calls:
        if call.starred:
            return True
        if position is not None and len(call.own) > position and not call.own[position]:
            return True  # a value of the wrapper's own, not one it received
        if "**" in call.keywords or parameter in call.keywords:
            return True
    return False


def _sync_around_coroutine(pair: WrapperPair) -> bool:
    wrapper, outer = pair.wrapper, pair.outer
    if isinstance(wrapper.node, ast.AsyncFunctionDef):
        return False
    if any(
        isinstance(inner.node, ast.AsyncFunctionDef)
        for group in outer.inner.values()
        for inner in group
    ):
        return False  # a sync and an async wrapper: the decorator chooses
    return not _only_passes_through(wrapper, pair.wrapped)


# what runs a coroutine to its end: ``asyncio.run(coro)``, ``loop.run_until_complete(coro)``
_RUNNERS = frozenset({"run", "run_until_complete"})


def _only_passes_through(wrapper: Function, wrapped: str) -> bool:
    """Whether the wrapper's own code cannot be meant to run around the coroutine.

    The problem is a coroutine handed back to the caller (who awaits it later) by a
    wrapper whose ``try``/``with`` or timing code has already finished, or one the
    wrapper drops without ever running it.  A wrapper that
    runs the coroutine itself (``asyncio.run(f())``) or returns ``f(...)`` straight from
    its body is fine, and so is one that keeps the coroutine in a variable and runs it
    itself on some path (``coro = f(...)``, then ``return coro`` in async code and
    ``return asyncio.run(coro)`` in sync code): it knows what it holds.
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
    if any(
        last_name(call.func) in _RUNNERS
        and any(isinstance(a, ast.Name) and a.id in holders for a in call.args)
        for function in nested
        for call in function.calls
    ):
        return True  # it runs the coroutine itself where it must: a dual-mode wrapper
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


def _keeps_name(index: ModuleIndex, options: Options, pair: WrapperPair) -> bool | None:
    wrapper = pair.wrapper
    if wrapper.node.decorator_list:
        for item in wrapper.node.decorator_list:
            if (
                isinstance(item, ast.Call)
                and functools_name(index, item.func) == "wraps"
                and item.args
                and isinstance(item.args[0], ast.Name)
                and item.args[0].id == pair.wrapped
            ):
                return True
        return None  # a decorator whose effect can't be seen
    return copies_metadata(index, pair, options)
