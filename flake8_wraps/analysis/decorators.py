"""Finding decorators and deciding whether their wrapper copies the wrapped metadata.

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
from flake8_wraps.analysis.names import callee, dotted, matches
from flake8_wraps.options import WRAPS_EQUIVALENTS, Options

WRAPS_NAMES = frozenset({"wraps", "update_wrapper"})
META_ATTRS = frozenset(
    {
        "__name__",
        "__qualname__",
        "__doc__",
        "__wrapped__",
        "__module__",
        "__dict__",
        "__annotations__",
        "__signature__",
    }
)
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
# libraries whose decorator-makers preserve metadata themselves
DECORATOR_MAKERS = frozenset({"wrapt.decorator", "decorator.decorator", "decorator"})


@dataclass(frozen=True)
class Decorator:
    """A decorator ``outer`` whose returned ``wrapper`` calls ``outer``'s ``wrapped``."""

    outer: Function
    wrapper: Function
    wrapped: str


def is_wraps_equivalent(index: ModuleIndex, node: ast.expr, options: Options) -> bool:
    """Whether ``node`` (a callee such as ``ft.wraps``) names a wraps-equivalent."""
    written = dotted(node)
    if written is None:
        return False
    qualname = index.names.resolve(node)
    last = (qualname or written).rpartition(".")[2]
    return last in WRAPS_NAMES or matches(qualname, written, options[WRAPS_EQUIVALENTS])


def find_decorators(index: ModuleIndex) -> list[Decorator]:
    """Every (decorator, returned wrapper) pair in the module, in source order."""
    found: list[Decorator] = []
    applied = _applied_names(index)
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
                ):
                    found.append(Decorator(outer, wrapper, wrapped))
    return found


def _applied_names(index: ModuleIndex) -> frozenset[str]:
    """Last names of everything the module writes after ``@`` (``@a.b(...)`` -> ``b``)."""
    return frozenset(
        _last_name(decorator)
        for function in index.defs
        for decorator in function.node.decorator_list
    )


def adapts_signature(wrapper: Function) -> bool:
    """``def view(context, request): return wrapped(request)``: a wrapper that never
    reads one of its parameters (``*args`` and ``**kwargs`` included) adapts one calling
    convention to another; ``functools.wraps`` would make ``inspect.signature`` report
    the wrapped callable's signature, which is not how the wrapper is called."""
    args = wrapper.node.args
    names = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
    names += [a.arg for a in (args.vararg, args.kwarg) if a is not None]
    if not names:
        return False
    read = {
        node.id
        for node in ast.walk(wrapper.node)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
    }
    return any(name not in read for name in names)


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
    args = wrapper.node.args
    if (args.vararg is not None or args.kwarg is not None) and _forwards_arguments(
        wrapper, wrapped
    ):
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
        (_calls_name(call, wrapped) or _hands_on(call, wrapped)) and own & _passed(call)
        for call in wrapper.calls
    )


def _calls_name(call: ast.Call, name: str) -> bool:
    return isinstance(call.func, ast.Name) and call.func.id == name


def _hands_on(call: ast.Call, name: str) -> bool:
    """``name`` is the call's first argument: ``submit(f, ...)``, ``runcall(f, ...)``."""
    first = call.args[0] if call.args else None
    return isinstance(first, ast.Name) and first.id == name


def _passed(call: ast.Call, spread_only: bool = False) -> set[str]:
    """The plain names passed to ``call`` (only those spread with ``*``/``**`` if asked)."""
    values = [a.value for a in call.args if isinstance(a, ast.Starred)]
    values += [k.value for k in call.keywords if k.arg is None]
    if not spread_only:
        values += [a for a in call.args if not isinstance(a, ast.Starred)]
        values += [k.value for k in call.keywords if k.arg is not None]
    return {value.id for value in values if isinstance(value, ast.Name)}


def _decorator_params(func: Function) -> list[str] | None:
    """The parameter that receives the callable, or None if ``func`` can't be a decorator.

    A decorator is called with the callable alone, so the callable is its first
    positional parameter (after ``self``/``cls``), and every other parameter is
    optional.  A function that also takes ``*args`` binds extra arguments for a
    callback (``ExitStack.callback``-style) rather than decorating.
    """
    args = func.node.args
    positional = [*args.posonlyargs, *args.args]
    if positional and _takes_instance(func, positional[0].arg):
        positional = positional[1:]
    if not positional or args.vararg is not None:
        return None
    if func.name.startswith("__") and func.name.endswith("__") and func.name != "__call__":
        return None  # __getattr__(self, name) and friends are protocol methods
    if any(_last_name(d) == "fixture" for d in func.node.decorator_list):
        return None  # a pytest fixture's parameters are fixtures, not a callable
    if len(positional) - len(args.defaults) > 1:
        return None
    if any(default is None for default in args.kw_defaults):
        return None
    return [positional[0].arg]


def _last_name(decorator: ast.expr) -> str:
    return (dotted(callee(decorator)) or "").rpartition(".")[2]


def _takes_instance(func: Function, first: str) -> bool:
    """Whether a function's first parameter is bound to an instance or class.

    True for methods and class methods; false for static methods and for plain
    functions in a class body used as decorators while the class body runs
    (``def _logged(f)``), told apart by the conventional names.
    """
    if not func.in_class:
        return False
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
        calls = [
            call
            for call in wrapper.calls
            if _calls_name(call, param) and not any(call is raised for raised in wrapper.raised)
        ]
        if calls and (not takes_arguments or any(call.args or call.keywords for call in calls)):
            return param
        if _hands_on_with_arguments(wrapper, param):
            return param
    return None


def _hands_on_with_arguments(wrapper: Function, param: str) -> bool:
    """``executor.submit(f, *args, **kwargs)``, ``partial(f, *args)``: ``f`` runs with
    everything the wrapper received, through another callable."""
    args = wrapper.node.args
    variadic = {a.arg for a in (args.vararg, args.kwarg) if a is not None}
    if not variadic:
        return False
    return any(
        _hands_on(call, param) and variadic & _passed(call, spread_only=True)
        for call in wrapper.calls
    )


def _server_protocol(outer: Function, wrapper: Function) -> bool:
    """Middleware of a server protocol, where the wrapper's identity does not matter.

    Django's function middleware (``def mw(get_response): def middleware(request)``),
    WSGI apps (``environ, start_response``) and ASGI apps (``scope, receive, send``).
    """
    if outer.param_names()[:1] == ["get_response"]:
        return True
    return wrapper.param_names() in (["environ", "start_response"], ["scope", "receive", "send"])


def metadata_handled(index: ModuleIndex, deco: Decorator, options: Options) -> bool:
    """Whether something in the decorator copies or sets the wrapper's metadata.

    Any decorator on the wrapper counts (a wraps-equivalent, a wraps-like helper that
    receives the wrapped callable, or an unknown decorator whose effect can't be
    seen), and so does any call in the decorator that mentions both the wrapper and
    the wrapped callable (``update_wrapper(w, f)``, ``copy_meta(w, f)``), an
    assignment to one of the wrapper's metadata attributes, or a decorator-making
    library applied to the decorator itself.
    """
    outer, wrapper = deco.outer, deco.wrapper
    if wrapper.node.decorator_list:
        return True
    for decorator in outer.node.decorator_list:
        target = callee(decorator)
        qualname = index.names.resolve(target)
        if qualname in DECORATOR_MAKERS or (qualname or "").startswith("wrapt."):
            return True
        if is_wraps_equivalent(index, target, options):
            return True
    name = wrapper.name
    for store in outer.attr_stores:
        value = store.value
        if isinstance(value, ast.Name) and value.id == name and store.attr in META_ATTRS:
            return True
    for call in outer.calls:
        mentioned = {n.id for n in ast.walk(call) if isinstance(n, ast.Name)}
        if name in mentioned and (
            deco.wrapped in mentioned
            or _is_setattr_meta(call)
            or is_wraps_equivalent(index, callee(call.func), options)
        ):
            return True
    return False


def _is_setattr_meta(call: ast.Call) -> bool:
    return (
        isinstance(call.func, ast.Name)
        and call.func.id == "setattr"
        and len(call.args) >= 2
        and isinstance(call.args[1], ast.Constant)
        and call.args[1].value in META_ATTRS
    )


def is_pass_through(func: Function) -> bool:
    """``def w(*args, **kwargs)``: nothing but a variadic signature."""
    args = func.node.args
    named = (*args.posonlyargs, *args.args, *args.kwonlyargs)
    return not named and (args.vararg is not None or args.kwarg is not None)


def functools_spelling(index: ModuleIndex, name: str) -> str | None:
    """How the module's own imports name ``functools.<name>``, if they do.

    ``from functools import wraps [as w]`` gives ``wraps`` (or ``w``); otherwise
    ``import functools [as ft]`` gives ``functools.wraps`` (or ``ft.wraps``).
    Only imports that bind a name for the whole module count.
    """
    module_alias = None
    for node in index.module_imports:
        if isinstance(node, ast.ImportFrom):
            if node.module == "functools" and not node.level:
                for alias in node.names:
                    if alias.name == name:
                        return alias.asname or name
        elif module_alias is None:
            for alias in node.names:
                if alias.name == "functools":
                    module_alias = f"{alias.asname or 'functools'}.{name}"
    return module_alias


def spelling_is_free(scope_function: Function, spelling: str | None, name: str) -> bool:
    """Whether the name a fix would write is not bound to something else where it goes."""
    local = set(scope_function.param_names()) | scope_function.stores
    needed = {spelling.partition(".")[0]} if spelling else {"functools", name}
    return not needed & local


def functools_name(index: ModuleIndex, node: ast.expr) -> str | None:
    """``wraps`` or ``update_wrapper`` when ``node`` names one of them, else None.

    Any import alias counts, and so do other modules' functions of those names
    (``six.wraps``, a compatibility shim), as long as the module does not define a
    function of that name itself.
    """
    # the last name alone rules out almost every call, cheaply
    last_written = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
    if (
        last_written not in WRAPS_NAMES
        and last_written not in index.names.imports
        and (last_written not in index.names.aliases)
    ):
        return None
    written = dotted(node)
    if written is None:
        return None
    qualname = index.names.resolve(node) or written
    last = qualname.rpartition(".")[2]
    if last not in WRAPS_NAMES:
        return None
    if "." not in qualname and qualname in index.top_functions:
        return None  # a local function that happens to be called wraps
    return last


def bare_wraps_statements(index: ModuleIndex, func: Function) -> list[ast.Expr]:
    """``wraps(f)`` written as a statement in ``func``: it returns a decorator, unused."""
    found = []
    for statement in func.exprs:
        call = statement.value
        if (
            isinstance(call, ast.Call)
            and not isinstance(call.func, ast.Call)
            and (call.args or any(k.arg == "wrapped" for k in call.keywords))
            and functools_name(index, call.func) == "wraps"
        ):
            found.append(statement)
    return found


def statement_index(body: list[ast.stmt], statement: ast.stmt) -> int | None:
    """The index of ``statement`` directly in ``body`` when it has its line to itself."""
    for number, candidate in enumerate(body):
        if candidate is statement:
            shares = any(
                other is not statement and other.lineno == statement.lineno for other in body
            )
            return None if shares else number
    return None
