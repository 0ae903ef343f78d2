"""WRP001 missing-wraps: a decorator returns its wrapper without ``functools.wraps``."""

from __future__ import annotations

from collections.abc import Iterator

from flake8_wraps.analysis.context import Context
from flake8_wraps.analysis.decorators import Decorator, is_pass_through, metadata_handled
from flake8_wraps.model import AddWraps, Finding, Rule

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
    for deco in context.decorators:
        if metadata_handled(context.index, deco, context.options):
            continue
        node = deco.wrapper.node
        message = RULE.format(
            decorator=deco.outer.name, wrapper=deco.wrapper.name, wrapped=deco.wrapped
        )
        yield Finding(node.lineno, node.col_offset, RULE, message, _fix(context, deco))


def _fix(context: Context, deco: Decorator) -> AddWraps | None:
    """The fix, unless a name it needs means something else where it would go.

    ``@wraps(f)`` is evaluated in the decorator's scope: the decorator must not
    rebind ``f`` before the wrapper, nor bind the name the fix would use for wraps.
    """
    outer = deco.outer
    local = set(outer.param_names()) | outer.stores
    spelling = context.wraps_spelling
    needed = {spelling.partition(".")[0]} if spelling else {"functools", "wraps"}
    if deco.wrapped in outer.stores or needed & local:
        return None
    line = deco.wrapper.node.lineno
    return AddWraps(
        deco.wrapper.scope,
        deco.wrapped,
        spelling,
        safe=is_pass_through(deco.wrapper),
        lines=(line, line),
    )
