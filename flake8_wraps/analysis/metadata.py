"""The metadata judgement: whether a wrapper, or a class used as a decorator, gets the
wrapped callable's ``__name__``, ``__doc__``, ``__wrapped__`` and the rest."""

from __future__ import annotations

import ast

from flake8_wraps.analysis.classes import ClassDecorator
from flake8_wraps.analysis.index import Function, ModuleIndex
from flake8_wraps.analysis.names import callee, names_in
from flake8_wraps.analysis.pairs import WrapperPair
from flake8_wraps.analysis.wraps_names import functools_name, is_wraps_equivalent
from flake8_wraps.options import Options

# what functools.wraps copies or sets
WRAPS_COPIES = frozenset(
    {
        "__module__",
        "__name__",
        "__qualname__",
        "__doc__",
        "__dict__",
        "__annotations__",
        "__wrapped__",
    }
)
# setting any of these on the wrapper shows the decorator takes care of its metadata
META_ATTRS = WRAPS_COPIES | {"__signature__"}
# libraries whose decorator-makers preserve metadata themselves
DECORATOR_MAKERS = frozenset({"wrapt.decorator", "decorator.decorator", "decorator"})


def copies_metadata(index: ModuleIndex, pair: WrapperPair, options: Options) -> bool:
    """Whether something in the decorator copies or sets the wrapper's metadata.

    Any decorator on the wrapper counts (a wraps-equivalent, a wraps-like helper that
    receives the wrapped callable, or an unknown decorator whose effect can't be
    seen), and so does any call in the decorator that mentions both the wrapper and
    the wrapped callable (``update_wrapper(w, f)``, ``copy_meta(w, f)``), an
    assignment to one of the wrapper's metadata attributes, or a decorator-making
    library applied to the decorator itself.
    """
    outer, wrapper = pair.outer, pair.wrapper
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
    if _sets_metadata_of(outer, name, written_docs=False):
        return True
    for call in outer.calls:
        mentioned = names_in(call)
        if name in mentioned and (
            pair.wrapped in mentioned
            or _is_setattr_meta(call)
            or is_wraps_equivalent(index, callee(call.func), options)
            or _helper_sets_metadata(index, outer, call, name)
        ):
            return True
    return False


def _helper_sets_metadata(index: ModuleIndex, outer: Function, call: ast.Call, name: str) -> bool:
    """``_tidy(wrapper)`` where ``_tidy`` (defined in an enclosing function or at module
    level) sets ``__doc__`` or another metadata attribute of the parameter that
    receives the wrapper: the decorator names or documents its wrapper on purpose."""
    if not isinstance(call.func, ast.Name):
        return False
    name_called = call.func.id
    found = next(
        (level.inner[name_called] for level in outer.enclosing() if name_called in level.inner),
        None,
    )
    found = found or index.top_functions.get(name_called)
    if not found:
        return False
    helper = found[-1]
    positional = [a.arg for a in helper.positional]
    for position, argument in enumerate(call.args):
        if isinstance(argument, ast.Name) and argument.id == name and position < len(positional):
            return _sets_metadata_of(helper, positional[position])
    return False


def class_copies_metadata(index: ModuleIndex, klass: ClassDecorator) -> bool:
    """Whether the class copies the function's metadata, hands it to a base class, or
    serves the attributes some other way (``__getattr__``, a ``__name__`` of its own, a
    ``__signature__`` that declares how it is called)."""
    if {"__getattr__", "__getattribute__", "__name__", "__wrapped__", "__signature__"} & set(
        klass.info.methods
    ):
        return True
    init, wrapped = klass.init, klass.wrapped
    me = init.self_name
    if _sets_metadata_of(init, me):
        return True
    if _base_copies_metadata(index, klass.info.node):
        return True
    for call in init.calls:
        mentioned = names_in(call)
        if me in mentioned and functools_name(index, call.func) is not None:
            return True
        if wrapped not in mentioned:
            continue
        if me in mentioned or "__init__" in ast.unparse(call.func):
            return True
    return False


def _base_copies_metadata(index: ModuleIndex, node: ast.ClassDef, depth: int = 0) -> bool:
    """Whether a base class defined in the module calls ``update_wrapper`` (or another
    functools helper) in its ``__init__`` or ``__new__``: the subclass gets the metadata
    from it."""
    if depth > 5:
        return False
    for base in node.bases:
        if not isinstance(base, ast.Name):
            continue
        classes = index.top_classes.get(base.id)
        if not classes:
            continue
        info = classes[-1]
        for name in ("__init__", "__new__"):
            method = info.methods.get(name)
            if method is not None and any(
                functools_name(index, call.func) is not None for call in method.calls
            ):
                return True
        if _base_copies_metadata(index, info.node, depth + 1):
            return True
    return False


def _sets_metadata_of(function: Function, name: str, written_docs: bool = True) -> bool:
    """``name.__doc__ = ...`` (or another metadata attribute) in ``function``; without
    ``written_docs``, a docstring written for the wrapper (``name.__doc__ =
    f"..."``) does not count: it documents the wrapper, it does not give it the wrapped
    callable's name."""
    written: set[int] = set()
    if not written_docs:
        written = {
            id(target)
            for assign in function.assigns
            if built_text(assign.value)
            for target in assign.targets
            if isinstance(target, ast.Attribute) and target.attr == "__doc__"
        }
    return any(
        isinstance(store.value, ast.Name)
        and store.value.id == name
        and store.attr in META_ATTRS
        and id(store) not in written
        for store in function.attr_stores
    )


def built_text(value: ast.expr) -> bool:
    """An f-string, a concatenation or ``%`` formatting, or a ``.format()``/``.join()``
    call: a text written for the wrapper (``f"Instrumented {f.__name__}"``), not a value
    copied from the wrapped callable."""
    if isinstance(value, (ast.JoinedStr, ast.BinOp)):
        return True
    return (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and value.func.attr in ("format", "join")
    )


def _is_setattr_meta(call: ast.Call) -> bool:
    return (
        isinstance(call.func, ast.Name)
        and call.func.id == "setattr"
        and len(call.args) >= 2
        and isinstance(call.args[1], ast.Constant)
        and call.args[1].value in META_ATTRS
    )
