"""Which names mean ``functools.wraps`` and ``functools.update_wrapper`` in a module
(under any import alias, or configured as equivalents), and how a fix spells them."""

from __future__ import annotations

import ast

from flake8_wraps.analysis.index import Function, ModuleIndex, gather_stores
from flake8_wraps.analysis.names import dotted, last_part, matches
from flake8_wraps.options import WRAPS_EQUIVALENTS, Options

WRAPS_NAMES = frozenset({"wraps", "update_wrapper"})
# the names a fix may write: functools, its functions, and the aliases used when those
# mean something else in the module
FIX_NAMES = frozenset(
    {"functools", "_functools", "wraps", "_wraps", "update_wrapper", "_update_wrapper"}
)


def is_wraps_equivalent(index: ModuleIndex, node: ast.expr, options: Options) -> bool:
    """Whether ``node`` (a callee such as ``ft.wraps``) names a wraps-equivalent."""
    written = dotted(node)
    if written is None:
        return False
    qualname = index.names.resolve(node)
    return last_part(qualname or written) in WRAPS_NAMES or matches(
        qualname, written, options[WRAPS_EQUIVALENTS]
    )


def functools_name(index: ModuleIndex, node: ast.expr) -> str | None:
    """``wraps`` or ``update_wrapper`` when ``node`` names one of them, else None.

    Any import alias counts, and so do other modules' functions of those names
    (``six.wraps``, a compatibility shim), as long as the module does not define a
    function of that name itself; a method of an object (``registry.wraps``) does not.
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
    head = written.partition(".")[0]
    if (
        isinstance(node, ast.Attribute)
        and head not in ("functools", "six")
        and head not in index.names.imports
        and head not in index.names.aliases
    ):
        return None  # ``registry.wraps``: a method of some object, not an imported function
    qualname = index.names.resolve(node) or written
    last = last_part(qualname)
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


def rebound_names(index: ModuleIndex) -> frozenset[str]:
    """Names the module binds at module level to something other than ``functools`` or
    one of its functions: assignments, loops, ``def``/``class``, other imports, and
    names a ``global`` statement shares (class bodies count too: never too few)."""
    names = set(index.top_functions) | set(index.top_classes) | index.global_names
    names |= gather_stores(index.module_body)
    for node in index.module_imports:
        from_functools = isinstance(node, ast.ImportFrom) and (
            node.module == "functools" and not node.level
        )
        for alias in node.names:
            if alias.name == "*":
                continue
            bound = alias.asname or alias.name.partition(".")[0]
            if from_functools:
                meaning = alias.name  # functools.<name>, under any alias
            elif isinstance(node, ast.Import) and alias.name.partition(".")[0] == "functools":
                meaning = "functools"
            else:
                names.add(bound)
                continue
            if bound in FIX_NAMES and bound.lstrip("_") != meaning:
                names.add(bound)  # ``import functools as wraps``: not what a fix means
    return frozenset(names)


def trusted_spelling(spelling: str | None, rebound: frozenset[str]) -> str | None:
    """``spelling`` unless its name is also bound to something else in the module."""
    if spelling is None or spelling.partition(".")[0] in rebound:
        return None
    return spelling


def spelling_is_free(scope_function: Function, spelling: str | None, name: str) -> bool:
    """Whether the name a fix would write is not bound to something else where it goes."""
    local = set(scope_function.param_names()) | scope_function.stores
    needed = {spelling.partition(".")[0]} if spelling else {"functools", name}
    return not needed & local
