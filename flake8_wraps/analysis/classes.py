"""Classes used as decorators: ``__init__(self, f)`` stores ``f`` and ``__call__`` calls it."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from flake8_wraps.analysis.index import ClassInfo, Function, ModuleIndex
from flake8_wraps.analysis.names import dotted, last_name, names_in, passed_names
from flake8_wraps.analysis.pairs import CALLABLE_NAMES, checked_instance, names_a_class
from flake8_wraps.analysis.uses import Uses


@dataclass(frozen=True)
class ClassDecorator:
    """A class whose instances stand in for the function ``__init__`` receives."""

    info: ClassInfo
    init: Function
    call: Function
    wrapped: str  # the parameter of __init__ that receives the function
    uses_in_module: bool

    @property
    def has_bases(self) -> bool:
        return _has_bases(self.info.node)


def _has_bases(node: ast.ClassDef) -> bool:
    return any(dotted(base) != "object" for base in node.bases) or bool(node.keywords)


def find_class_decorators(
    index: ModuleIndex, uses: Uses, everywhere: bool = False
) -> list[ClassDecorator]:
    """The classes of the module used as decorators: applied with ``@`` here, or shaped
    and named like one; with ``everywhere``, every class of that shape (another module
    may apply it)."""
    found = []
    for info in index.classes:
        init, call = info.methods.get("__init__"), info.methods.get("__call__")
        if init is None or call is None:
            continue
        wrapped = _received(init)
        if wrapped is None:
            continue
        attribute = _stored_as(init, wrapped)
        if attribute is None or not _calls_attribute(call, attribute):
            continue
        applied = bool(uses.of_class(info))
        if (
            applied
            or everywhere
            or (
                _evidence(info, call, wrapped)
                and not _incomplete(info, call)
                and not _not_a_decorator(info, call, wrapped, attribute)
                and not _kept_beside(index, info)
            )
        ):
            found.append(ClassDecorator(info, init, call, wrapped, applied))
    return found


SERVER_CALLS = (["environ", "start_response"], ["scope", "receive", "send"])
APP_NAMES = frozenset(
    {"app", "application", "wsgi_app", "asgi_app", "get_response", "start_response"}
)


def _not_a_decorator(info: ClassInfo, call: Function, wrapped: str, attribute: str) -> bool:
    """Signs that a class storing a callable and calling it is something else, when the
    module does not apply it with ``@``:

    - a private class (``_Name``): other modules do not apply it either;
    - middleware of a server protocol (``__call__(self, environ, start_response)``,
      ``(scope, receive, send)``, or an ``app``/``get_response`` it is built around),
      whose name nobody reads;
    - an adapter that spreads one packed argument into the call (``self.f(*args)``
      with ``args`` a plain parameter);
    - a closure over a class or a factory (``__init__(self, cls)``,
      ``(self, session_factory)``): it constructs objects;
    - a recorder of calls, whose ``__call__`` keeps the arguments it receives
      (``self.calls.append((args, kwargs))``): a spy that replaces a function in tests;
    - a lazy value or a transform: nothing ``__call__`` receives reaches the callable
      as it is (``self.compute()``, ``self.f(scale(t))``);
    - a class whose ``__call__`` returns something else than the callable's result
      (what it printed, say);
    - a class whose ``__init__`` checks that what it receives is an instance of a
      class that is not a kind of callable (``assert isinstance(f, Curve)``).
    """
    if info.name.startswith("_") and not info.name.startswith("__"):
        return True
    if call.param_names()[1:] in SERVER_CALLS or wrapped in APP_NAMES:
        return True
    if names_a_class(wrapped) or wrapped.strip("_").lower().endswith("factory"):
        return True  # it constructs objects
    init = info.methods.get("__init__")
    if init is not None and checked_instance(init, wrapped):
        return True  # it receives an object of a class that is not a kind of callable
    if not _returns_result(call, attribute):
        return True  # it returns something else: it does not stand in for the callable
    if _records_arguments(call):
        return True
    args = call.node.args
    me = call.self_name
    plain = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)} - {me}
    own = set(call.param_names()) - {me}
    handed_on = False
    for c in call.calls:
        if not _is_stored_call(c, me, attribute):
            continue
        if passed_names(c, spread_only=True) & plain:
            return True
        handed_on = handed_on or bool(passed_names(c) & own)
    # a thunk (``__call__(self)`` computing a value once) or a transform of its
    # arguments: none of what ``__call__`` receives reaches the callable
    return not handed_on


def _returns_result(call: Function, attribute: str) -> bool:
    """Whether ``__call__`` returns what the stored callable returns (directly, awaited,
    or through a name it assigned from the call), or returns nothing at all."""
    values = [r.value for r in call.returns if r.value is not None]
    if not values:
        return True
    me = call.self_name

    def is_call(node: ast.expr | None) -> bool:
        if isinstance(node, ast.Await):
            node = node.value
        return _is_stored_call(node, me, attribute)

    kept = {
        target.id
        for assign in call.assigns
        if is_call(assign.value)
        for target in assign.targets
        if isinstance(target, ast.Name)
    }
    for value in values:
        if is_call(value) or (isinstance(value, ast.Name) and value.id in kept):
            return True
        if isinstance(value, (ast.Subscript, ast.Attribute)):
            return True  # a cached result (``self.cache[key]``): the call's, kept
    return False


def _kept_beside(index: ModuleIndex, info: ClassInfo) -> bool:
    """``function.interface = Interfaces(function)``: the module keeps an instance on
    the callable it was made from (an attribute or an item of its ``__dict__``); the
    instance is a record about the function, not something that replaces it."""
    for function in index.functions:
        for assign in function.assigns:
            value = assign.value
            if not (
                isinstance(value, ast.Call)
                and isinstance(value.func, ast.Name)
                and value.func.id == info.name
                and value.args
                and isinstance(value.args[0], ast.Name)
            ):
                continue
            owner = value.args[0].id
            for target in assign.targets:
                if not isinstance(target, (ast.Attribute, ast.Subscript)):
                    continue  # ``f = Cls(f)`` replaces the function
                while isinstance(target, (ast.Attribute, ast.Subscript)):
                    target = target.value
                if isinstance(target, ast.Name) and target.id == owner:
                    return True
    return False


def _records_arguments(call: Function) -> bool:
    """Whether ``__call__`` stores its own ``*args``/``**kwargs`` on the instance."""
    args = call.node.args
    variadic = {a.arg for a in (args.vararg, args.kwarg) if a is not None}
    if not variadic:
        return False
    me = call.self_name
    for c in call.calls:
        func = c.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr in ("append", "add", "extend", "put", "appendleft")
            and isinstance(func.value, ast.Attribute)
            and isinstance(func.value.value, ast.Name)
            and func.value.value.id == me
            and variadic & names_in(c)
        ):
            return True
    return False


def _incomplete(info: ClassInfo, call: Function) -> bool:
    """A class meant to be subclassed or combined with others, which may copy the
    metadata: it cannot decorate anything alone.

    An abstract class (a method marked ``abstractmethod``), a mixin (named
    ``...Mixin``), or a class with no base class whose ``__call__`` reads instance
    attributes the class never sets (``self.cache``).
    """
    if info.name.endswith("Mixin"):
        return True
    for method in info.methods.values():
        if any(last_name(d) == "abstractmethod" for d in method.node.decorator_list):
            return True
    if _has_bases(info.node):
        return False
    provided = set(info.methods)
    for method in info.methods.values():
        me = method.self_name
        provided.update(
            store.attr
            for store in method.attr_stores
            if isinstance(store.value, ast.Name) and store.value.id == me
        )
    for statement in info.node.body:
        if isinstance(statement, ast.Assign):
            provided.update(t.id for t in statement.targets if isinstance(t, ast.Name))
        elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            provided.add(statement.target.id)
    me = call.self_name
    return any(
        isinstance(node.value, ast.Name)
        and node.value.id == me
        and not node.attr.startswith("__")
        and node.attr not in provided
        for details in call.whole()
        for node in details.attr_loads
    )


def _received(init: Function) -> str | None:
    """The one required parameter after ``self``, if that is all ``__init__`` needs."""
    args = init.node.args
    positional = init.positional[1:]
    required = len(positional) - len(args.defaults)
    if required != 1 or any(default is None for default in args.kw_defaults):
        return None
    if args.vararg is not None:
        return None  # binds arguments for a callback, like functools.partial
    return positional[0].arg


def _stored_as(init: Function, wrapped: str) -> str | None:
    """The attribute of the instance that ``__init__`` stores the callable in (the first
    such assignment in source order, its own body before the definitions in it)."""
    me = init.self_name
    for node in (assign for function in init.subtree() for assign in function.assigns):
        if isinstance(node.value, ast.Name):
            if node.value.id != wrapped:
                continue
            for target in node.targets:
                if (
                    isinstance(target, ast.Attribute)
                    and isinstance(target.value, ast.Name)
                    and target.value.id == me
                ):
                    return target.attr
    return None


def _calls_attribute(call: Function, attribute: str) -> bool:
    return any(
        _is_stored_call(c, call.self_name, attribute) and not call.is_raised(c) for c in call.calls
    )


def _is_stored_call(node: ast.AST | None, me: str, attribute: str) -> bool:
    """``self.<attribute>(...)``: a call of the callable the instance stored."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == attribute
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == me
    )


def _evidence(info: ClassInfo, call: Function, wrapped: str) -> bool:
    if call.variadic:
        return True
    if wrapped.lstrip("_").lower() in CALLABLE_NAMES:
        return True
    doc = ast.get_docstring(info.node, clean=False) or ""
    return "decorat" in info.name.lower() or "decorat" in doc.lower()
