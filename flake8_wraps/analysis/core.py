"""The entry point of the analysis: a parsed module in, sorted findings out."""

from __future__ import annotations

import ast
from dataclasses import replace

from flake8_wraps.analysis.context import Context
from flake8_wraps.analysis.index import ModuleIndex, build_index
from flake8_wraps.analysis.project import ModuleScope
from flake8_wraps.model import Finding, Scope
from flake8_wraps.options import Options
from flake8_wraps.registry import RULES


def analyze(
    tree: ast.AST, options: Options | None = None, scope: ModuleScope | None = None
) -> list[Finding]:
    """Every finding in ``tree``, sorted by position then code; ``scope`` is the
    module's view of the project, for what it imports from other modules.  Each
    finding carries the qualified name of the definition around its line."""
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
        findings.sort(key=Finding.sort_key)
        return _with_scopes(findings, index)
    finally:
        context.release()
        index.release()


def _with_scopes(findings: list[Finding], index: ModuleIndex) -> list[Finding]:
    """``findings`` (sorted by line), each with the qualified name of the innermost
    ``def`` or ``class`` whose body holds its line.  A ``def`` line or a decorator line
    belongs to the body around the definition, not to the definition itself."""
    if not findings:
        return findings
    spans: list[tuple[int, int, str]] = []  # first and last line of a body, its name
    definitions: list[tuple[ast.stmt, Scope]] = [(f.node, f.scope) for f in index.functions]
    definitions.extend((c.node, c.scope) for c in index.classes)
    for node, where in definitions:
        first = node.body[0]  # type: ignore[attr-defined]
        start = min([first.lineno, *(d.lineno for d in getattr(first, "decorator_list", ()))])
        start = max(start, node.lineno + 1)  # a body on the header line: not inside
        end = getattr(node, "end_lineno", None) or start
        if start <= end:
            spans.append((start, -end, ".".join(where.path)))
    spans.sort()
    # bodies nest or are apart: a stack holds those around the line reached
    open_spans: list[tuple[int, str]] = []  # last line, name
    position = 0
    out = []
    for finding in findings:
        line = finding.line
        while position < len(spans) and spans[position][0] <= line:
            start, negative_end, name = spans[position]
            position += 1
            while open_spans and open_spans[-1][0] < start:
                open_spans.pop()
            open_spans.append((-negative_end, name))
        while open_spans and open_spans[-1][0] < line:
            open_spans.pop()
        scope = open_spans[-1][1] if open_spans else ""
        out.append(replace(finding, scope=scope) if scope else finding)
    return out
