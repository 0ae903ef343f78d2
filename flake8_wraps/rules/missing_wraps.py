"""WRP001 missing-wraps: a decorator returns its wrapper without ``functools.wraps``."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from flake8_wraps.analysis.context import Context
from flake8_wraps.analysis.index import Function
from flake8_wraps.analysis.metadata import copies_metadata
from flake8_wraps.analysis.names import passed_names
from flake8_wraps.analysis.pairs import WrapperPair
from flake8_wraps.analysis.wraps_names import bare_wraps_statements
from flake8_wraps.model import Finding, Rule, finding_at
from flake8_wraps.rules.fixes import add_wraps_fix

RULE = Rule(
    code="WRP001",
    name="missing-wraps",
    message=(
        "decorator '{decorator}' returns '{wrapper}' without functools.wraps({wrapped}): "
        "the decorated function loses __name__, __doc__ and __wrapped__"
    ),
    fix_title="Add @functools.wraps({wrapped}) to '{wrapper}'",
    fix_safety="safe",
)


def check(context: Context) -> Iterator[Finding]:
    for pair in context.pairs:
        if copies_metadata(context.index, pair, context.options):
            continue
        if adapts_signature(pair.wrapper):
            continue  # wraps would make inspect.signature report the wrong signature
        applied = _applied(context, pair)
        if not applied and (reshapes_arguments(pair) or used_in_passing(context, pair)):
            continue  # an adapter, or a wrapper nobody keeps: nothing reads its name
        if bare_wraps_statements(context.index, pair.outer) or bare_wraps_statements(
            context.index, pair.wrapper
        ):
            continue  # wraps-not-applied: one problem, one finding
        message = RULE.format(
            decorator=pair.outer.name, wrapper=pair.wrapper.name, wrapped=pair.wrapped
        )
        fix = add_wraps_fix(context, pair, safe=is_pass_through(pair.wrapper))
        yield finding_at(pair.wrapper.node, RULE, message, fix)


def adapts_signature(wrapper: Function) -> bool:
    """``def view(context, request): return wrapped(request)``: a wrapper that never
    reads one of its parameters (``*args`` and ``**kwargs`` included) adapts one calling
    convention to another; ``functools.wraps`` would make ``inspect.signature`` report
    the wrapped callable's signature, which is not how the wrapper is called."""
    names = wrapper.param_names()
    if not names:
        return False
    read = {name for details in wrapper.whole() for name in details.loads}
    return any(name not in read for name in names)


def is_pass_through(func: Function) -> bool:
    """``def w(*args, **kwargs)``: nothing but a variadic signature (the safe case)."""
    args = func.node.args
    return func.variadic and not (*args.posonlyargs, *args.args, *args.kwonlyargs)


def _applied(context: Context, pair: WrapperPair) -> bool:
    """Whether the module applies the decorator, or its factory, with ``@``."""
    outer, factory = pair.outer, pair.outer.parent
    if factory is not None and any(
        isinstance(r.value, ast.Name) and r.value.id == outer.name for r in factory.returns
    ):
        outer = factory  # the factory's level is what ``@`` names
    return outer.name in context.applied_names


def reshapes_arguments(pair: WrapperPair) -> bool:
    """Whether the wrapper adapts a calling convention rather than standing in for
    ``func`` (``functools.wraps`` would make ``inspect.signature`` report ``func``'s):

    - it spreads one of its plain parameters into the call (``func(*packed)``);
    - it passes only keywords it builds itself (``func(**dict(zip(names, args)))``);
    - it passes a parameter under another keyword's name (``func(x=a)``);
    - it takes nothing and passes arguments of its own (``return func(counter)``);
    - it calls the callable once per item of a parameter.
    """
    wrapper = pair.wrapper
    args = wrapper.node.args
    plain = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}
    built = wrapper.stores - set(wrapper.param_names())
    calls = wrapper.calls_of(pair.wrapped)
    for call in calls:
        if passed_names(call, spread_only=True) & plain:
            return True  # a packed parameter
        if not call.args and any(
            k.arg is None and isinstance(k.value, ast.Name) and k.value.id in built
            for k in call.keywords
        ):
            return True  # only keywords, which the wrapper builds from what it received
        if any(
            k.arg is not None and isinstance(k.value, ast.Name) and k.value.id in plain - {k.arg}
            for k in call.keywords
        ):
            return True  # ``func(x=a)``: a positional parameter renamed into a keyword
    if not wrapper.param_names() and any(call.args or call.keywords for call in calls):
        return True  # ``def g(): return f(counter)``: it supplies the arguments itself
    return bool(calls) and _per_item(wrapper, calls)


def _per_item(wrapper: Function, calls: list[ast.Call]) -> bool:
    """``def each(*lines): for line in lines: func(line)``: every call of the callable
    is in a loop over one of the wrapper's parameters, one call per item."""
    params = set(wrapper.param_names())
    inside: set[int] = set()
    for node in ast.walk(wrapper.node):
        if (
            isinstance(node, (ast.For, ast.AsyncFor))
            and isinstance(node.iter, ast.Name)
            and node.iter.id in params
        ):
            inside.update(id(n) for statement in node.body for n in ast.walk(statement))
    return all(id(call) in inside for call in calls)


def used_in_passing(context: Context, pair: WrapperPair) -> bool:
    """A private module-level decorator (``_name``) whose every use in its module calls
    the wrapper at once: ``_guard(path)(func)(*args)``, or ``checked = _guard(func)``
    where ``checked`` is a local name that is only ever called.  Nobody keeps the
    wrapper, so nobody reads its name; a private name is not used by other modules."""
    top = pair.outer if pair.outer.parent is None else pair.outer.parent
    factory = top is not pair.outer
    if top.parent is not None or top.in_class or pair.outer.parent not in (None, top):
        return False
    name = top.name
    if not name.startswith("_") or name.startswith("__"):
        return False
    parents, loads = context.name_links
    uses = loads.get(name, [])
    if not uses:
        return False
    for use in uses:
        wrapping: ast.AST = use
        for _ in range(2 if factory else 1):
            call = parents.get(id(wrapping))
            if not isinstance(call, ast.Call) or call.func is not wrapping:
                return False
            wrapping = call
        holder = parents.get(id(wrapping))
        if isinstance(holder, ast.Call) and holder.func is wrapping:
            continue  # called at once
        if (
            isinstance(holder, ast.Assign)
            and _in_function(holder, parents)
            and len(holder.targets) == 1
            and isinstance(holder.targets[0], ast.Name)
            and all(_is_called(load, parents) for load in loads.get(holder.targets[0].id, []))
        ):
            continue  # kept in a name that is only called
        return False
    return True


def _is_called(name: ast.Name, parents: dict[int, ast.AST]) -> bool:
    """Whether ``name`` is what its parent calls: ``name(...)``."""
    parent = parents.get(id(name))
    return isinstance(parent, ast.Call) and parent.func is name


def _in_function(node: ast.AST, parents: dict[int, ast.AST]) -> bool:
    """Whether ``node`` is in a function's body (a name it binds is local)."""
    parent = parents.get(id(node))
    while parent is not None:
        if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            return True
        parent = parents.get(id(parent))
    return False
