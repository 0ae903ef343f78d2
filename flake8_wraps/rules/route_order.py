"""WRP101 decorator-above-route: a decorator sits above a registering decorator."""

from __future__ import annotations

from collections.abc import Iterator

from flake8_wraps.analysis.context import Context
from flake8_wraps.analysis.names import display
from flake8_wraps.analysis.routes import Registering
from flake8_wraps.model import Finding, Fix, ReorderDecorators, Rule, finding_at

RULE = Rule(
    code="WRP101",
    name="decorator-above-route",
    message=(
        "'@{decorator}' is above '@{registering}': the {kind} registers the undecorated "
        "{target}, so '{decorator}' never runs"
    ),
    fix_title="Move '@{registering}' above '@{decorator}'",
    fix_safety="safe",
)

_TARGETS = {"route": "view"}


def check(context: Context) -> Iterator[Finding]:
    routes = context.routes
    for function in context.index.decorated_functions:
        node, scope = function.node, function.scope
        decorators = node.decorator_list
        found: list[tuple[int, Registering]] = []
        for position, decorator in enumerate(decorators):
            registering = routes.registering(decorator)
            if registering is not None:
                found.append((position, registering))
        if not found:
            continue
        bottom = found[-1][0]
        registering_at = dict(found)
        order = (*registering_at, *(i for i in range(len(decorators)) if i not in registering_at))
        edit = ReorderDecorators(scope, order)
        fix = Fix(True, (edit,), replaced=((decorators[0].lineno, node.lineno - 1),))
        for position in range(bottom):
            if position in registering_at:
                continue
            below = next(reg for pos, reg in found if pos > position)
            decorator = decorators[position]
            if routes.harmless_above(decorator, below):
                continue
            message = RULE.format(
                decorator=display(decorator),
                registering=below.text,
                kind=below.kind,
                target=_TARGETS.get(below.kind, "function"),
            )
            yield finding_at(decorator, RULE, message, fix, col=node.col_offset)
