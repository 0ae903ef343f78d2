"""Classes used as decorators: WRP009 class-decorator-missing-update-wrapper and
WRP010 class-decorator-on-method."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from flake8_wraps.analysis.classes import ClassDecorator
from flake8_wraps.analysis.context import Context
from flake8_wraps.analysis.index import Function
from flake8_wraps.analysis.metadata import class_copies_metadata
from flake8_wraps.analysis.names import display, dotted
from flake8_wraps.analysis.pairs import INSTANCE_NAMES
from flake8_wraps.analysis.uses import Use
from flake8_wraps.analysis.wraps_names import spelling_is_free
from flake8_wraps.model import AppendStatement, Finding, Fix, Rule, finding_at, lines_of

CLASS_MISSING_UPDATE_WRAPPER = Rule(
    code="WRP009",
    name="class-decorator-missing-update-wrapper",
    message=(
        "class decorator '{cls}' never calls functools.update_wrapper(self, {wrapped}): its "
        "instances lose __name__, __doc__ and __wrapped__"
    ),
    fix_title="Call functools.update_wrapper(self, {wrapped}) at the end of __init__",
    fix_safety="unsafe",
)
CLASS_ON_METHOD = Rule(
    code="WRP010",
    name="class-decorator-on-method",
    message=(
        "class decorator '@{decorator}'{origin} on method '{function}' has no __get__: "
        "'self' is never passed to the method"
    ),
)


def check_missing_update_wrapper(context: Context) -> Iterator[Finding]:
    for klass in context.class_decorators:
        if not _applied(context, klass):
            continue  # shaped like one, but not seen applied: often a record or a handler
        if class_copies_metadata(context.index, klass) or "__get__" in klass.info.methods:
            continue  # a descriptor decorator (like property) answers for itself
        node = klass.info.node
        message = CLASS_MISSING_UPDATE_WRAPPER.format(cls=node.name, wrapped=klass.wrapped)
        yield finding_at(node, CLASS_MISSING_UPDATE_WRAPPER, message, _fix(context, klass))


def _applied(context: Context, klass: ClassDecorator) -> bool:
    """Whether the module applies the class with ``@``, or the factory that returns it
    (``def make_counter(limit): class Limited: ...; return Limited`` under
    ``@make_counter(3)``)."""
    if klass.uses_in_module:
        return True
    factory = klass.info.parent
    return (
        factory is not None
        and factory.name in context.applied_names
        and any(
            isinstance(r.value, ast.Name) and r.value.id == klass.info.name for r in factory.returns
        )
    )


def _fix(context: Context, klass: ClassDecorator) -> Fix | None:
    init = klass.init
    spelling = context.update_wrapper_spelling
    if init.returns or klass.wrapped in init.stores:
        return None
    if not spelling_is_free(init, spelling, "update_wrapper"):
        return None
    body = init.node.body
    me = init.self_name
    end = lines_of(body[-1])[1]
    text = f"{{update_wrapper}}({me}, {klass.wrapped})"
    return Fix(
        False,  # it also copies f.__dict__ over the instance's own attributes
        (AppendStatement(init.scope, text),),
        inserted_above=(end + 1,),
        spellings=(("update_wrapper", spelling),),
        taken=context.taken_names(init),
    )


def check_on_method(context: Context) -> Iterator[Finding]:
    unbound: list[tuple[Use, str]] = []  # uses of a class without __get__, and its origin
    for klass in context.class_decorators:
        if "__get__" not in klass.info.methods and not klass.has_bases:
            unbound.extend((use, "") for use in context.uses.of_class(klass.info))
    for use, found in context.imported_uses:
        facts = found.entry.cls if found.entry is not None else None
        if facts is None or facts.has_get or facts.has_bases:
            continue
        if not isinstance(use.decorator, ast.Call):
            unbound.append((use, context.origin(found)))
    for use, origin in unbound:
        function = use.function
        if function.klass is None:
            continue
        if use.position != 0:
            continue  # whatever sits above receives the instance and may bind it
        if {dotted(d) for d in function.node.decorator_list} & {"staticmethod", "classmethod"}:
            continue
        if not _takes_instance(function):
            continue  # ``def missing(node, kw)``: a value the class keeps, not a method
        message = CLASS_ON_METHOD.format(
            decorator=display(use.decorator), origin=origin, function=function.name
        )
        yield finding_at(use.decorator, CLASS_ON_METHOD, message, col=function.node.col_offset)


def _takes_instance(function: Function) -> bool:
    """Whether the function's first parameter is the instance (``self``, or ``cls`` of
    a metaclass's method): only then does a missing ``__get__`` leave it out.  A
    function in a class body that takes other arguments first (``def missing(node,
    kw)`` under a decorator that makes a deferred value) is not called as a method."""
    positional = function.positional
    return bool(positional) and positional[0].arg in INSTANCE_NAMES
