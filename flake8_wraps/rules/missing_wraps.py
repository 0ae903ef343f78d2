"""WRP001 missing-wraps: a decorator returns its wrapper without ``functools.wraps``."""

from __future__ import annotations

from collections.abc import Iterator

from flake8_wraps.analysis.context import Context
from flake8_wraps.analysis.decorators import is_pass_through, metadata_handled
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
        fix = AddWraps(deco.wrapper.scope, deco.wrapped, safe=is_pass_through(deco.wrapper))
        yield Finding(node.lineno, node.col_offset, RULE, message, fix)
