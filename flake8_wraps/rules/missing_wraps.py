"""WRP001 missing-wraps: a decorator returns its wrapper without ``functools.wraps``."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from flake8_wraps.analysis.context import Context, NameLinks
from flake8_wraps.analysis.index import Function
from flake8_wraps.analysis.metadata import copies_metadata
from flake8_wraps.analysis.names import last_name, passed_names
from flake8_wraps.analysis.pairs import WrapperPair, names_a_class
from flake8_wraps.analysis.wraps_names import (
    WRAPS_NAMES,
    bare_wraps_statements,
    is_wraps_equivalent,
)
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
        if rewrapped_where_used(context, pair):
            continue  # ``@wraps(original)`` above each use copies the metadata again
        if omitted_on_purpose(context, pair):
            continue  # a test module showing what a decorator without wraps does
        if bare_wraps_statements(context.index, pair.outer) or bare_wraps_statements(
            context.index, pair.wrapper
        ):
            continue  # wraps-not-applied: one problem, one finding
        if not used_as_decorator(context, pair):
            continue  # nothing applies it with ``@``, nor does it say it is a decorator
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


# a docstring that calls the function a decorator, or shows it applied with ``@``
_SAYS_DECORATOR = re.compile(r"decorat|^\s*(?:(?:>>>|\.\.\.)\s+)?@\s*\w", re.I | re.M)


def used_as_decorator(context: Context, pair: WrapperPair) -> bool:
    """Whether there is evidence that the decorator is applied with ``@``, where the
    metadata its wrapper loses is read: the module or, in the project view, any file
    of the project writes its name after ``@`` (its own name, the name of the factory
    that returns it or applies it, the class whose ``__call__`` it is: a text search,
    so an example in a docstring counts too), or its docstring (or its factory's, or
    its class's) calls it a decorator or shows it applied.  A function of that shape
    that nothing applies and that says nothing of the kind is a function transform
    or a callback adapter more often than a decorator.  Without a project (no root
    folder, or one too large to scan) the shape alone decides, as it does for a
    module checked on its own."""
    levels = [pair.outer]
    while levels[-1].parent is not None and any(
        _names(r.value, levels[-1].name) for r in levels[-1].parent.returns
    ):
        levels.append(levels[-1].parent)  # ``return decorator`` or ``return decorator(f)``
    names = {level.name for level in levels}
    documented: list[ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef]
    documented = [level.node for level in levels]
    for level in levels:
        if level.name == "__call__" and level.klass is not None:
            names.add(level.klass.name)
            documented.append(level.klass.node)
    if names & context.applied_names:
        return True
    if any(_SAYS_DECORATOR.search(ast.get_docstring(node) or "") for node in documented):
        return True
    if context.scope is None:
        return True
    found = context.scope.applied_in_project(frozenset(names))
    return found is None or found


def _names(value: ast.expr | None, name: str) -> bool:
    """``name`` or ``name(...)``."""
    if isinstance(value, ast.Call):
        value = value.func
    return isinstance(value, ast.Name) and value.id == name


def rewrapped_where_used(context: Context, pair: WrapperPair) -> bool:
    """Whether every use of a module-level decorator in its module is an ``@`` under a
    ``@functools.wraps(...)`` of the same definition (``@wraps(original)`` then
    ``@unset_flag`` over ``def inner``): the metadata its wrapper lacks is copied onto
    it there.  A decorator its module never uses may be applied elsewhere, bare."""
    outer = pair.outer
    if outer.parent is not None or outer.in_class:
        return False
    links = context.name_links
    uses = links.loads.get(outer.name, [])
    if not uses:
        return False
    for use in uses:
        holder = links.parents.get(id(use))
        if not isinstance(holder, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return False
        decorators = holder.decorator_list
        if use not in decorators:
            return False
        above = decorators[: decorators.index(use)]
        if not any(
            isinstance(d, ast.Call) and is_wraps_equivalent(context.index, d.func, context.options)
            for d in above
        ):
            return False
    return True


# what a test decorator's name or docstring says when the loss is what it is for
_ON_PURPOSE_WORDS = frozenset({"bad", "naive", "broken"})
_ON_PURPOSE_DOC = re.compile(
    r"\b(bad|naive|broken|clobber\w*)\b|(without|not|n't) (preserv|keep|wrap)\w*", re.IGNORECASE
)


# the metadata a module of tests reads when the metadata is what it tests
_METADATA = ("__name__", "__qualname__", "__doc__", "__wrapped__")
# a test as pytest and unittest collect it, and the class that holds one
_TEST_NAME = re.compile(r"test(_|[A-Z0-9]|$)")
_TEST_CLASS = re.compile(r"(^Test|Tests?$|TestCase$)")


def omitted_on_purpose(context: Context, pair: WrapperPair) -> bool:
    """Whether a module of tests leaves ``wraps`` out of this decorator on purpose, to
    test how something copes with a decorator that loses the metadata: the module
    uses ``functools.wraps`` or ``update_wrapper`` elsewhere (it has both kinds, to
    compare), it reads ``__name__``, ``__qualname__``, ``__doc__`` or ``__wrapped__``
    (a test of the metadata would fail if the loss were not its subject), or the
    decorator says so (``bad``, ``naive`` or ``broken`` in its name or docstring, a
    docstring saying it does not preserve or wrap).  A module of tests is one that
    defines a test as pytest and unittest find them: a module-level
    function named ``test_...`` or a method of that name in a class named ``Test...``
    or ``...Test(s)``/``...TestCase``."""
    if not any(_is_test(function) for function in context.index.functions):
        return False
    links = context.name_links
    if any(name in links.loads or name in links.attr_loads for name in WRAPS_NAMES):
        return True
    if any(name in links.attr_loads for name in _METADATA):
        return True  # its tests read the metadata: losing it is what they look at
    outer = pair.outer
    words = {word.lower() for word in re.findall(r"[A-Z]?[a-z]+|[A-Z]+", outer.name)}
    if words & _ON_PURPOSE_WORDS:
        return True
    return bool(_ON_PURPOSE_DOC.search(ast.get_docstring(outer.node) or ""))


def _is_test(function: Function) -> bool:
    """Whether ``function`` is a test a runner collects."""
    if not _TEST_NAME.match(function.name):
        return False
    if function.klass is not None:
        return bool(_TEST_CLASS.search(function.klass.name))
    return function.parent is None


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


# calls that keep what they receive under its name: a route or URL registration (the
# endpoint or view name comes from ``__name__``), a method set on a class, a property
# (its ``__doc__`` is the function's)
KEEPING_CALLS = frozenset(
    {
        "add_url_rule",
        "add_api_route",
        "add_api_websocket_route",
        "add_route",
        "add_websocket_route",
        "add_view",
        "route",
        "path",
        "re_path",
        "url",
        "register",
        "setattr",
        "property",
        "cached_property",
        "staticmethod",
        "classmethod",
    }
)


def used_in_passing(context: Context, pair: WrapperPair) -> bool:
    """Whether every use of the decorator in its module hands the wrapper on for one
    job without keeping it: the wrapper is called at once (``_guard(path)(func)(*args)``),
    handed to a call (``set_info_callback(adapt(cb))``, ``plate(vectorize(model))``),
    made of a lambda, or kept in a local name that is only called or handed on
    (``f = wrapsafe(f)`` before ``quad(f, ...)``), or in an attribute of ``self``.
    Nothing there reads the wrapper's name: the decorator is a function transform or
    a callback adapter, not a decorator anybody applies.  Any other use keeps the
    wrapper (``@``, a module- or class-level name, an attribute of a class, a return
    value, a route registration, a list of decorators), and so does a decorator its
    module never uses: others may apply it."""
    top = pair.outer
    levels = 1
    while top.parent is not None and any(
        isinstance(r.value, ast.Name) and r.value.id == top.name for r in top.parent.returns
    ):
        top, levels = top.parent, levels + 1  # a factory: ``@name(args)``
    links = context.name_links
    functions = {id(f.node): f for f in context.index.functions}
    uses: list[ast.expr] = []
    if top.in_class:
        uses.extend(links.attr_loads.get(top.name, []))
    else:
        home = None if top.parent is None else top.parent.node
        uses.extend(
            load
            for load in links.loads.get(top.name, [])
            if _reads_from(load, home, links.parents, functions)
        )
    return bool(uses) and all(_passes_on(use, levels, links, functions) for use in uses)


def _reads_from(
    load: ast.Name,
    home: ast.AST | None,
    parents: dict[int, ast.AST],
    functions: dict[int, Function],
) -> bool:
    """Whether ``load`` reads the name bound in ``home`` (the function that defines the
    decorator, None for the module), not a local name of the same spelling."""
    node = _function_of(load, parents)
    while node is not None and node is not home:
        if isinstance(node, ast.Lambda):
            bound = {a.arg for a in ast.walk(node.args) if isinstance(a, ast.arg)}
            if load.id in bound:
                return False
        else:
            function = functions.get(id(node))
            if function is not None and (
                load.id in function.stores
                or load.id in function.param_names()
                or any(nested.name == load.id for nested in function.nested)
            ):
                return False  # a local name of the same spelling
        node = _function_of(node, parents)
    return node is home


def _passes_on(
    use: ast.expr, levels: int, links: NameLinks, functions: dict[int, Function]
) -> bool:
    """Whether this read of the decorator's name (``levels`` calls from its wrapper)
    makes a wrapper that is used for one job and not kept."""
    parents = links.parents
    made: ast.expr = use
    for level in range(levels):
        call = parents.get(id(made))
        alias = _local_alias(call, made, parents) if level else None
        if alias is not None:
            # ``deco = factory(options)`` in a function, then ``deco(lambda ...)``:
            # follow each read of that local name for the levels left
            scope = _function_of(alias, parents)
            loads = [
                load
                for load in links.loads.get(alias.id, [])
                if _function_of(load, parents) is scope
            ]
            return bool(loads) and all(
                _passes_on(load, levels - level, links, functions) for load in loads
            )
        if not isinstance(call, ast.Call) or call.func is not made:
            return False  # not called: an alias, a value handed around, ``@name``
        made = call
    assert isinstance(made, ast.Call)
    if made.args and isinstance(made.args[0], ast.Lambda):
        return True  # a lambda has no name to lose
    holder = parents.get(id(made))
    if isinstance(holder, ast.Call):
        if holder.func is made:
            return True  # called at once
        # handed on, unless to a call that keeps it, or to a decorator written by hand
        # whose result a module or class keeps (``view = route()(guard(view))``)
        kept_by = parents.get(id(holder))
        return not _keeps(holder) and not (
            isinstance(kept_by, (ast.Assign, ast.AnnAssign))
            and _function_of(kept_by, parents) is None
        )
    if isinstance(holder, ast.keyword):
        outer_call = parents.get(id(holder))
        return (
            holder.arg != "view_func"
            and isinstance(outer_call, ast.Call)
            and not _keeps(outer_call)
        )
    if isinstance(holder, (ast.Assign, ast.AnnAssign)):
        targets = holder.targets if isinstance(holder, ast.Assign) else [holder.target]
        if len(targets) != 1:
            return False
        target = targets[0]
        if isinstance(target, ast.Attribute):
            return _object_attribute(target, made)
        if not isinstance(target, ast.Name):
            return False
        scope = _scope_of(holder, parents)
        if isinstance(scope, ast.ClassDef):
            return False  # a class attribute: a method
        if scope is None:
            # a module-level name: kept when it rebinds what it wraps (``view =
            # guard(view)``, ``@`` written by hand) or nothing reads it here; otherwise
            # kept unless the module only calls it or hands it on
            if any(isinstance(a, ast.Name) and a.id == target.id for a in made.args):
                return False
            kept = [
                load
                for load in links.loads.get(target.id, [])
                if _reads_from(load, None, parents, functions)
            ]
            return bool(kept) and all(_handed_on(load, parents) for load in kept)
        kept = [
            load for load in links.loads.get(target.id, []) if _function_of(load, parents) is scope
        ]
        return all(_handed_on(load, parents) for load in kept)
    return False


def _local_alias(
    holder: ast.AST | None, made: ast.expr, parents: dict[int, ast.AST]
) -> ast.Name | None:
    """The one plain name ``holder`` binds ``made`` to inside a function, if it does."""
    if not isinstance(holder, ast.Assign) or holder.value is not made:
        return None
    target = holder.targets[0] if len(holder.targets) == 1 else None
    if not isinstance(target, ast.Name) or _function_of(holder, parents) is None:
        return None
    return target


def _object_attribute(target: ast.Attribute, made: ast.Call) -> bool:
    """Whether ``target`` is an attribute of one object rather than of a class: of
    ``self``, or an object's own method (or a module's function) replaced by what wraps
    it (``app.handle_exception = deco(app.handle_exception)``,
    ``fields.format_header = deco(format_header)``) where the object is not named as a
    class (``cls.save = counted(cls.save)``, ``Client.send = ...`` and
    ``handler_class.run = ...`` keep a method of every instance)."""
    owner = target.value
    if isinstance(owner, ast.Name) and owner.id == "self":
        return True
    owner_name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", None)
    first = made.args[0] if made.args else None
    replaced = (
        first.id if isinstance(first, ast.Name) else getattr(first, "attr", None)
    )  # what is wrapped: ``obj.method``, or the same function under its own name
    return owner_name is not None and not names_a_class(owner_name) and replaced == target.attr


def _scope_of(node: ast.AST, parents: dict[int, ast.AST]) -> ast.AST | None:
    """The innermost function or class whose body holds ``node``; None at module level."""
    parent = parents.get(id(node))
    while parent is not None:
        if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            return parent
        parent = parents.get(id(parent))
    return None


def _keeps(call: ast.Call) -> bool:
    """Whether ``call`` keeps what it receives under its name (:data:`KEEPING_CALLS`)."""
    return last_name(call.func) in KEEPING_CALLS


def _handed_on(name: ast.Name, parents: dict[int, ast.AST]) -> bool:
    """Whether this read of a local name calls it or hands it to a call."""
    parent = parents.get(id(name))
    if isinstance(parent, ast.keyword):
        if parent.arg == "view_func":
            return False
        parent = parents.get(id(parent))
        return isinstance(parent, ast.Call) and not _keeps(parent)
    return isinstance(parent, ast.Call) and (parent.func is name or not _keeps(parent))


def _function_of(node: ast.AST, parents: dict[int, ast.AST]) -> ast.AST | None:
    """The innermost function whose body holds ``node`` (where a name it binds is
    local), or None at module or class level."""
    parent = parents.get(id(node))
    while parent is not None:
        if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            return parent
        parent = parents.get(id(parent))
    return None
