"""WRP001 missing-wraps: a decorator returns its wrapper without ``functools.wraps``."""

from __future__ import annotations

from collections.abc import Iterator

from flake8_wraps.analysis.context import Context
from flake8_wraps.analysis.decorators import (
    Decorator,
    adapts_signature,
    bare_wraps_statements,
    is_pass_through,
    metadata_handled,
    spelling_is_free,
)
from flake8_wraps.model import Edit, Finding, Fix, Rule, finding_at

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
        if adapts_signature(deco.wrapper):
            continue  # wraps would make inspect.signature report the wrong signature
        if bare_wraps_statements(context.index, deco.outer) or bare_wraps_statements(
            context.index, deco.wrapper
        ):
            continue  # wraps-not-applied: one problem, one finding
        node = deco.wrapper.node
        message = RULE.format(
            decorator=deco.outer.name, wrapper=deco.wrapper.name, wrapped=deco.wrapped
        )
        yield finding_at(node, RULE, message, _fix(context, deco))


def _fix(context: Context, deco: Decorator) -> Fix | None:
    return add_wraps_fix(context, deco, safe=is_pass_through(deco.wrapper))


def add_wraps_fix(
    context: Context,
    deco: Decorator,
    safe: bool,
    more: tuple[Edit, ...] = (),
    replaced: tuple[tuple[int, int], ...] = (),
) -> Fix | None:
    """A fix that puts ``@wraps(f)`` on the wrapper (and makes the ``more`` edits).

    None when a name the fix needs means something else there: ``@wraps(f)`` is
    evaluated in the decorator's scope, so the decorator must not rebind ``f`` before
    the wrapper, nor bind the name the fix would use for wraps.
    """
    spelling = context.wraps_spelling
    if deco.wrapped in deco.outer.stores or not spelling_is_free(deco.outer, spelling, "wraps"):
        return None
    edit = Edit("add_decorator", deco.wrapper.scope, f"{{wraps}}({deco.wrapped})")
    return Fix(
        safe,
        (*more, edit),
        replaced=replaced,
        inserted_above=(deco.wrapper.node.lineno,),
        spellings=(("wraps", spelling),),
    )
