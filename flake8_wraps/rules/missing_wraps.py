"""WRP001 missing-wraps: a decorator returns its wrapper without ``functools.wraps``."""

from __future__ import annotations

from collections.abc import Iterator

from flake8_wraps.analysis.context import Context
from flake8_wraps.analysis.index import Function
from flake8_wraps.analysis.metadata import copies_metadata
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
