"""The entry point of the analysis: a parsed module in, sorted findings out."""

from __future__ import annotations

import ast

from flake8_wraps.analysis.context import Context
from flake8_wraps.analysis.index import build_index
from flake8_wraps.analysis.project import ModuleScope
from flake8_wraps.model import Finding
from flake8_wraps.options import Options
from flake8_wraps.registry import RULES


def analyze(
    tree: ast.AST, options: Options | None = None, scope: ModuleScope | None = None
) -> list[Finding]:
    """Every finding in ``tree``, sorted by position then code; ``scope`` is the
    module's view of the project, for what it imports from other modules."""
    options = options or Options()
    if scope is not None:
        scope.registrations = []
    index = build_index(tree)
    context = Context(index, options, scope)
    disabled = options.disabled
    try:
        findings = [
            finding
            for rule, check in RULES
            if rule.code not in disabled
            for finding in check(context)
        ]
    finally:
        context.release()
        index.release()
    findings.sort(key=Finding.sort_key)
    return findings
