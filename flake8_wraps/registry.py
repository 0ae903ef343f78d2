"""The rules, in code order: the one list every consumer reads.

:data:`RULES` pairs each rule with its check; :data:`INTERNAL_ERROR` (WRP900) has
no check: it is how the flake8 plugin reports a failure of the analysis itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from flake8_wraps.analysis.context import Context
from flake8_wraps.model import Finding, Rule
from flake8_wraps.rules import (
    class_decorators,
    endpoints,
    manual_copy,
    missing_wraps,
    route_order,
    wrapper_use,
    wraps_calls,
)

Check = Callable[[Context], Iterator[Finding]]

RULES: tuple[tuple[Rule, Check], ...] = (
    (missing_wraps.RULE, missing_wraps.check),
    (wraps_calls.WRAPS_NOT_APPLIED, wraps_calls.check_not_applied),
    (wraps_calls.UPDATE_WRAPPER_SWAPPED, wraps_calls.check_swapped),
    (wraps_calls.WRAPS_WRONG_TARGET, wraps_calls.check_wrong_target),
    (manual_copy.RULE, manual_copy.check),
    (wrapper_use.WRAPPER_DROPS_RESULT, wrapper_use.check_drops_result),
    (wrapper_use.WRAPPER_DROPS_ARGUMENTS, wrapper_use.check_drops_arguments),
    (wrapper_use.SYNC_WRAPPER_ON_ASYNC, wrapper_use.check_sync_on_async),
    (class_decorators.CLASS_MISSING_UPDATE_WRAPPER, class_decorators.check_missing_update_wrapper),
    (class_decorators.CLASS_ON_METHOD, class_decorators.check_on_method),
    (wraps_calls.WRAPS_WITHOUT_ARGUMENT, wraps_calls.check_without_argument),
    (route_order.RULE, route_order.check),
    (endpoints.DUPLICATE_ENDPOINT, endpoints.check),
)

INTERNAL_ERROR = Rule(
    code="WRP900",
    name="internal-error",
    message="flake8-wraps could not check this module ({error}); please report it",
)

# every registered rule, the checked ones and WRP900, in code order
ALL_RULES: tuple[Rule, ...] = (*(rule for rule, _ in RULES), INTERNAL_ERROR)
BY_CODE: dict[str, Rule] = {rule.code: rule for rule in ALL_RULES}
