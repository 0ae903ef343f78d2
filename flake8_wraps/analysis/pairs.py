"""Wrapper pairs: a decorator and the inner wrapper it returns.

A decorator is a function ``D`` with a parameter ``f`` that defines an inner
function ``w`` (directly in its body), where ``w`` calls ``f`` and ``D`` returns
``w``.  ``D`` must accept being called with the callable alone: at most one required
positional parameter besides ``self``/``cls`` and no required keyword-only ones.
In a factory the level that receives ``f`` is the decorator, at any depth.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from flake8_wraps.analysis.index import Function, ModuleIndex
from flake8_wraps.analysis.names import calls_name, dotted, last_name, passed_names

# what a decorator conventionally calls the callable it receives
CALLABLE_NAMES = frozenset(
    {
        "f",
        "fn",
        "fun",
        "func",
        "function",
        "funct",
        "method",
        "meth",
        "view",
        "view_func",
        "view_function",
        "wrapped",
        "decorated",
        "coro",
        "coroutine",
        "handler",
        "callable",
        "test",
        "test_func",
        "test_method",
        "endpoint",
        "task",
        "original",
        "orig",
        "original_func",
        "target_func",
        "cmd",
        "command",
        "action",
    }
)
INSTANCE_NAMES = frozenset({"self", "cls", "mcs", "mcls", "metacls", "klass"})


@dataclass(frozen=True)
class WrapperPair:
    """A decorator ``outer`` whose returned ``wrapper`` calls ``outer``'s ``wrapped``."""

    outer: Function
    wrapper: Function
    wrapped: str


def find_pairs(index: ModuleIndex) -> list[WrapperPair]:
    """Every (decorator, returned wrapper) pair in the module, in source order."""
    found: list[WrapperPair] = []
    applied = applied_names(index)
    for outer in index.functions:
        if not outer.inner or not outer.returns:
            continue
        params = _decorator_params(outer)
        if params is None:
            continue
        returned = {
            ret.value.id
            for ret in outer.returns
            if isinstance(ret.value, ast.Name) and ret.value.id in outer.inner
        }
        for name in sorted(returned, key=lambda n: outer.inner[n][0].node.lineno):
            if name in outer.stores:
                continue  # rebound (``w = something(w)``): not the def we see
            for wrapper in outer.inner[name]:
                wrapped = _called_param(wrapper, params)
                if (
                    wrapped is not None
                    and not _server_protocol(outer, wrapper)
                    and _decorator_evidence(outer, wrapper, wrapped, applied)
                    and (not names_a_class(wrapped) or _applied_bare(index, outer))
                    and (outer.name in applied or not checked_instance(outer, wrapped))
                ):
                    found.append(WrapperPair(outer, wrapper, wrapped))
    return found


def applied_names(index: ModuleIndex) -> frozenset[str]:
    """Last names of everything the module writes after ``@`` (``@a.b(...)`` -> ``b``)."""
    return frozenset(
        last_name(decorator)
        for function in index.decorated_functions
        for decorator in function.node.decorator_list
    )


CLASS_NAMES = frozenset({"cls", "klass", "kls", "class_", "metaclass", "meta", "mcs", "type"})


def names_a_class(name: str) -> bool:
    """``cls``, ``metaclass``, ``adapter_class``, ``Model``: a parameter named as a class.

    A closure that instantiates it (``def make(*args): return cls(name, *args)``) or
    builds a class with it (six's ``add_metaclass``) constructs objects; it is a
    decorator of that class only where the module writes ``@name`` over a class.
    """
    bare = name.strip("_")
    return (
        name in CLASS_NAMES
        or bare.endswith(("_class", "_cls", "_klass"))
        or (bare[:1].isupper() and not bare.isupper())
    )


# types whose instances are callables a decorator may wrap
CALLABLE_TYPES = frozenset(
    {
        "Callable",
        "FunctionType",
        "MethodType",
        "LambdaType",
        "BuiltinFunctionType",
        "BuiltinMethodType",
        "partial",
        "classmethod",
        "staticmethod",
        "type",
    }
)


def checked_instance(function: Function, param: str) -> bool:
    """Whether ``function`` checks that ``param`` is an instance of some class that is
    not a kind of callable (``assert isinstance(f, PiecewiseFunction)``, or ``if not
    isinstance(f, Model): raise ...``): what it receives is an object of that class,
    not a function to stand in for."""
    for statement in function.node.body:
        test: ast.expr | None = None
        if isinstance(statement, ast.Assert):
            test = statement.test
        elif (
            isinstance(statement, ast.If)
            and isinstance(statement.test, ast.UnaryOp)
            and isinstance(statement.test.op, ast.Not)
            and any(isinstance(s, ast.Raise) for s in statement.body)
        ):
            test = statement.test.operand
        if (
            isinstance(test, ast.Call)
            and isinstance(test.func, ast.Name)
            and test.func.id == "isinstance"
            and len(test.args) == 2
            and isinstance(test.args[0], ast.Name)
            and test.args[0].id == param
        ):
            kinds = test.args[1]
            names = kinds.elts if isinstance(kinds, ast.Tuple) else [kinds]
            if all(last_name(kind) not in CALLABLE_TYPES for kind in names):
                return True
    return False


def _applied_bare(index: ModuleIndex, outer: Function) -> bool:
    """Whether the module writes ``@outer`` (bare, not called) over a def or class."""
    return any(
        isinstance(decorator, ast.Name) and decorator.id == outer.name
        for function in index.decorated_functions
        for decorator in function.node.decorator_list
    ) or any(
        isinstance(decorator, ast.Name) and decorator.id == outer.name
        for info in index.classes
        for decorator in info.node.decorator_list
    )


def _decorator_evidence(
    outer: Function, wrapper: Function, wrapped: str, applied: frozenset[str]
) -> bool:
    """Whether the shape is meant as a decorator, not a callback adapter.

    ``def on_click(callback): def handler(event): callback(event)`` has a decorator's
    shape but nobody reads ``handler.__name__``.  It counts as a decorator when the
    wrapper takes ``*args``/``**kwargs`` and passes what it received on to the
    callable, the callable has a conventional name (``func``, ``view``, ...), the
    module applies it with ``@`` (itself or its factory), or its docstring says it is
    a decorator.
    """
    if wrapper.variadic and _forwards_arguments(wrapper, wrapped):
        return True
    if wrapped.lstrip("_").lower() in CALLABLE_NAMES:
        return True
    levels = [outer] if outer.parent is None else [outer, outer.parent]
    for level in levels:
        if level.name in applied:
            return True
        doc = ast.get_docstring(level.node, clean=False) or ""
        if "decorat" in doc.lower() or "decorat" in level.name.lower():
            return True
    return False


def _forwards_arguments(wrapper: Function, wrapped: str) -> bool:
    """Whether a call of ``wrapped`` (or a call that hands it on, ``submit(f, ...)``)
    gets some of the wrapper's own arguments: ``f(*args, **kwargs)``, ``f(request)``.

    A key builder that takes ``(f, *args, **kwargs)`` and calls an option
    ``make_name(fname)`` on a value of its own does not stand in for ``make_name``.
    """
    own = set(wrapper.param_names())
    return any(
        (calls_name(call, wrapped) or _hands_on(call, wrapped)) and own & passed_names(call)
        for call in wrapper.calls
    )


def _hands_on(call: ast.Call, name: str) -> bool:
    """``name`` is the call's first argument: ``submit(f, ...)``, ``runcall(f, ...)``;
    not when the callee is a class being instantiated (``cls(name, *args)``), nor when
    the parameter is named as a name (``method_name``), which is a string."""
    first = call.args[0] if call.args else None
    if not (isinstance(first, ast.Name) and first.id == name):
        return False
    if name.lower().endswith("name"):
        return False  # ``self._call(method_name, *args)``: a name, not a callable
    return not names_a_class(last_name(call.func))


def _decorator_params(func: Function) -> list[str] | None:
    """The parameter that receives the callable, or None if ``func`` can't be a decorator.

    A decorator is called with the callable alone, so the callable is its first
    positional parameter (after ``self``/``cls``), and every other parameter is
    optional.  A function that also takes ``*args`` binds extra arguments for a
    callback (``ExitStack.callback``-style) rather than decorating.
    """
    args = func.node.args
    positional = func.positional
    if positional and _takes_instance(func, positional[0].arg):
        positional = positional[1:]
    if not positional or args.vararg is not None:
        return None
    if func.name.startswith("__") and func.name.endswith("__") and func.name != "__call__":
        return None  # __getattr__(self, name) and friends are protocol methods
    if any(last_name(d) == "fixture" for d in func.node.decorator_list):
        return None  # a pytest fixture's parameters are fixtures, not a callable
    if len(positional) - len(args.defaults) > 1:
        return None
    if any(default is None for default in args.kw_defaults):
        return None
    return [positional[0].arg]


def _takes_instance(func: Function, first: str) -> bool:
    """Whether a function's first parameter is bound to an instance or class.

    True for methods and class methods, and for a decorated function outside a class
    whose first parameter is ``self`` (a property made for a class elsewhere); false for
    static methods and for plain functions in a class body used as decorators while
    the class body runs (``def _logged(f)``), told apart by the conventional names.
    """
    if not func.in_class:
        # ``@property def go(self)`` in a function, for a class built around it
        return first == "self" and bool(func.node.decorator_list)
    written = {dotted(d) for d in func.node.decorator_list}
    if "staticmethod" in written:
        return False
    return "classmethod" in written or first in INSTANCE_NAMES


def _called_param(wrapper: Function, params: list[str]) -> str | None:
    """The first of ``params`` that ``wrapper`` calls as a wrapper calls what it wraps.

    Only the wrapper's own calls count (lambdas and comprehensions included, nested
    ``def`` bodies not: in ``def factory(opt): def deco(view): ...`` the call to
    ``opt`` inside ``deco``'s own wrapper does not make ``deco`` a wrapper of it).  A
    wrapper that takes arguments but calls the parameter only with none uses it as a
    value provider (``default()``), not as the function it stands in for; and
    ``raise error()`` builds an exception, it does not wrap a function.
    """
    own = set(wrapper.param_names()) | wrapper.stores
    takes_arguments = bool(wrapper.param_names())
    for param in params:
        if param in own:
            continue
        calls = [call for call in wrapper.calls_of(param) if not wrapper.is_raised(call)]
        if calls and (not takes_arguments or any(call.args or call.keywords for call in calls)):
            return param
        if _hands_on_with_arguments(wrapper, param):
            return param
    return None


def _hands_on_with_arguments(wrapper: Function, param: str) -> bool:
    """``executor.submit(f, *args, **kwargs)``, ``partial(f, *args)``,
    ``run_with_timeout(limit, f, args=args, kwargs=kwargs)`` (the packed arguments
    handed on as they are, as ``threading.Thread`` takes them),
    ``profiler(f)(*args, **kwargs)``: ``f`` runs with everything the wrapper received,
    through another callable."""
    args = wrapper.node.args
    variadic = {a.arg for a in (args.vararg, args.kwarg) if a is not None}
    if not variadic:
        return False
    for call in wrapper.calls:
        if _hands_on(call, param) and variadic & passed_names(call, spread_only=True):
            return True
        if (
            len(variadic) == 2
            and _takes(call, param)
            and all(_takes(call, name) for name in variadic)
        ):
            return True  # the runner convention: ``(f, args=args, kwargs=kwargs)``
        inner = call.func
        if (
            isinstance(inner, ast.Call)
            and len(inner.args) == 1
            and _takes(inner, param)
            and variadic & passed_names(call, spread_only=True)
        ):
            return True  # ``profiler(f)(*args, **kwargs)``
    return False


def _takes(call: ast.Call, name: str) -> bool:
    """``name`` is one of the call's arguments, as it is (not spread)."""
    values = [*call.args, *(k.value for k in call.keywords if k.arg is not None)]
    return any(isinstance(value, ast.Name) and value.id == name for value in values)


def _server_protocol(outer: Function, wrapper: Function) -> bool:
    """Middleware of a server protocol, where the wrapper's identity does not matter.

    Django's function middleware (``def mw(get_response): def middleware(request)``),
    WSGI apps (``environ, start_response``) and ASGI apps (``scope, receive, send``).
    """
    if outer.param_names()[:1] == ["get_response"]:
        return True
    return wrapper.param_names() in (["environ", "start_response"], ["scope", "receive", "send"])
