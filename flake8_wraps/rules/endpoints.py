"""WRP102 duplicate-endpoint: two views (or tasks) registered under one name."""

from __future__ import annotations

import ast
import os
from collections.abc import Iterable, Iterator

from flake8_wraps.analysis.context import Context
from flake8_wraps.analysis.index import Function
from flake8_wraps.analysis.metadata import copies_metadata
from flake8_wraps.analysis.names import callee, dotted, parse_dotted
from flake8_wraps.analysis.pairs import WrapperPair
from flake8_wraps.analysis.routes import returns_argument, returns_identity_decorator
from flake8_wraps.analysis.wraps_names import functools_name
from flake8_wraps.model import Finding, Rule, finding_at

DUPLICATE_ENDPOINT = Rule(
    code="WRP102",
    name="duplicate-endpoint",
    message=("{what} '{name}' on '{owner}' is already taken by '{other}' ({where}): {consequence}"),
)

ENDPOINT_OWNERS = frozenset({"Flask", "Blueprint", "Quart"})
FLASK_CRASH = (
    "Flask raises AssertionError: View function mapping is overwriting an existing "
    "endpoint function: {name}"
)
TASK_KEPT = "Celery keeps the earlier task, so calling '{function}' runs '{other}'"


def _keyword(call: ast.expr, name: str) -> ast.expr | None:
    if isinstance(call, ast.Call):
        for keyword in call.keywords:
            if keyword.arg == name:
                return keyword.value
    return None


def _directly_in_body(context: Context, function: Function) -> bool:
    """Defined unconditionally: not inside an ``if``/``try`` that may choose between two."""
    node = function.node
    if function.klass is not None:
        return any(s is node for s in function.klass.node.body)
    if function.parent is not None:
        return any(s is node for s in function.parent.node.body)
    return id(node) in context.index.top_statements


def check(context: Context) -> Iterator[Finding]:
    routes = context.routes
    taken: dict[tuple[object, ...], tuple[Function, int]] = {}
    for function in context.index.decorated_functions:
        node, scope = function.node, function.scope
        if not _directly_in_body(context, function):
            continue
        decorators = node.decorator_list
        for position, decorator in enumerate(decorators):
            registering = routes.registering(decorator)
            if registering is None:
                continue
            target = callee(decorator)
            owner = dotted(target.value) if isinstance(target, ast.Attribute) else None
            if registering.kind == "route":
                if owner is None or routes.constructor(owner) not in ENDPOINT_OWNERS:
                    continue
                what, explicit = "endpoint", _keyword(decorator, "endpoint")
            elif registering.kind == "task":
                if owner is None or routes.constructor(owner) != "Celery":
                    continue  # shared_task, or an app bound elsewhere
                what, explicit = "task name", _keyword(decorator, "name")
            else:
                continue
            if explicit is not None:
                if not (isinstance(explicit, ast.Constant) and isinstance(explicit.value, str)):
                    continue
                name: str | None = explicit.value
            else:
                name = _name_after(context, function, decorators[position + 1 :])
            if name is None:
                continue
            key = (what, scope.path[:-1], owner, name)
            earlier = taken.get(key)
            if earlier is None:
                taken[key] = (function, decorator.lineno)
                if what == "endpoint":
                    _note_shared(context, owner, name, decorator, function)
                continue
            if earlier[0] is function:
                continue
            if what == "endpoint":
                consequence = FLASK_CRASH.format(name=name)
            else:
                consequence = TASK_KEPT.format(function=function.name, other=earlier[0].name)
            message = DUPLICATE_ENDPOINT.format(
                what=what,
                name=name,
                owner=owner,
                other=earlier[0].name,
                where=f"line {earlier[1]}",
                consequence=consequence,
            )
            yield finding_at(decorator, DUPLICATE_ENDPOINT, message, col=node.col_offset)


def _note_shared(
    context: Context, owner: str, name: str, decorator: ast.expr, function: Function
) -> None:
    """A view on an app or blueprint bound at module level, here or in a module it is
    imported from: the command compares it with the views other modules register on
    the same object."""
    scope = context.scope
    if scope is None:
        return
    if owner in context.index.module_bound:
        where = (scope.path, context.index.module_bound[owner])
    else:
        found = context.imported(parse_dotted(owner))
        if found is None or found.registering is None:
            return
        where = (found.path, found.line)
    scope.registrations.append(
        (
            *where,
            owner,
            name,
            decorator.lineno,
            function.node.col_offset,
            function.name,
            ".".join(function.scope.path[:-1]),
        )
    )


def _name_after(context: Context, function: Function, below: list[ast.expr]) -> str | None:
    """``function.__name__`` after the decorators ``below``, or None when it can't be known."""
    name = function.name
    for decorator in reversed(below):
        if context.routes.registering(decorator) is not None:
            continue
        renamed = _renames(context, decorator, name)
        if renamed is None:
            return None
        name = renamed
    return name


def _renames(context: Context, decorator: ast.expr, name: str) -> str | None:
    """``__name__`` after a module-local decorator, given ``name`` before it.

    The same name when it keeps it, the wrapper's name when it replaces it, None when
    unknown (an imported decorator, or a wrapper with a decorator we can't see into).
    """
    target = callee(decorator)
    functions = context.index.top_functions.get(target.id) if isinstance(target, ast.Name) else None
    if not functions:
        return _imported_renames(context, decorator, name)
    definition = functions[-1]
    if isinstance(decorator, ast.Call):
        if returns_identity_decorator(definition):
            return name
        pairs = [d for d in context.pairs if d.outer.parent is definition]
    else:
        if returns_argument(definition):
            return name
        pairs = [d for d in context.pairs if d.outer is definition]
    if len(pairs) != 1:
        return None
    return _pair_renames(context, pairs[0], name)


def _imported_renames(context: Context, decorator: ast.expr, name: str) -> str | None:
    """``__name__`` after a decorator imported from another module of the project."""
    found = context.imported(callee(decorator))
    if found is None or found.entry is None:
        return None
    entry = found.entry
    behaviour = entry.called if isinstance(decorator, ast.Call) else entry.bare
    if behaviour is None:
        return None
    if behaviour.identity:
        return name
    if len(behaviour.wrappers) != 1:
        return None
    keeps = behaviour.wrappers[0].keeps_name
    if keeps is None:
        return None
    return name if keeps else behaviour.wrappers[0].wrapper


def _pair_renames(context: Context, pair: WrapperPair, name: str) -> str | None:
    wrapper = pair.wrapper
    if wrapper.node.decorator_list:
        for item in wrapper.node.decorator_list:
            if (
                isinstance(item, ast.Call)
                and functools_name(context.index, item.func) == "wraps"
                and item.args
                and isinstance(item.args[0], ast.Name)
                and item.args[0].id == pair.wrapped
            ):
                return name
        return None
    if copies_metadata(context.index, pair, context.options):
        return name
    return wrapper.name


def shared_endpoint_clashes(
    views: Iterable[tuple[str, tuple[str, int, str, str, int, int, str, str, bool, str]]],
) -> dict[str, list[Finding]]:
    """WRP102 across modules: views that modules register on the same imported app or
    blueprint under the same endpoint.  ``views`` pairs each module's path with its
    shared views (see ``Registration``, whether a ``# noqa`` silences WRP102 on the
    line, and the line's text); the view in the first module, in path order, holds the
    endpoint, and each later module's view is reported."""
    by_endpoint: dict[tuple[str, int, str], list[tuple[str, int, int, str, str, bool, str, str]]]
    by_endpoint = {}
    for path, view in views:
        owner_path, owner_line, owner, name, line, col, function, scope, silenced, text = view
        by_endpoint.setdefault((owner_path, owner_line, name), []).append(
            (path, line, col, function, owner, silenced, scope, text)
        )
    found: dict[str, list[Finding]] = {}
    for (_, _, name), registered in by_endpoint.items():
        registered.sort()
        first_path, first_line, _, first_function, *_ = registered[0]
        for path, line, col, _function, owner, silenced, scope, text in registered[1:]:
            if path == first_path or silenced:
                continue
            folder = os.path.dirname(os.path.abspath(path))
            relative = os.path.relpath(os.path.abspath(first_path), folder).replace(os.sep, "/")
            message = DUPLICATE_ENDPOINT.format(
                what="endpoint",
                name=name,
                owner=owner,
                other=first_function,
                where=f"{relative}:{first_line}",
                consequence=FLASK_CRASH.format(name=name),
            )
            finding = Finding(line, col, DUPLICATE_ENDPOINT, message, scope=scope, line_text=text)
            found.setdefault(path, []).append(finding)
    for findings in found.values():
        findings.sort(key=Finding.sort_key)
    return found
