"""The rules, in code order: the one list every consumer reads."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from flake8_wraps.analysis.context import Context
from flake8_wraps.model import Finding, Rule
from flake8_wraps.rules import missing_wraps, route_order

Check = Callable[[Context], Iterator[Finding]]

RULES: tuple[tuple[Rule, Check], ...] = (
    (missing_wraps.RULE, missing_wraps.check),
    (route_order.RULE, route_order.check),
)

BY_CODE: dict[str, Rule] = {rule.code: rule for rule, _ in RULES}
