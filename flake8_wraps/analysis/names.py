"""Resolving names through the module's imports and simple aliases."""

from __future__ import annotations

import ast


def dotted(node: ast.expr) -> str | None:
    """The dotted text of a ``Name``/``Attribute`` chain (``a.b.c``), else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def callee(node: ast.expr) -> ast.expr:
    """The expression a decorator calls: ``a.b`` for ``@a.b(...)``, the node itself otherwise."""
    return node.func if isinstance(node, ast.Call) else node


def last_part(name: str | None) -> str:
    """The last part of a dotted name (``c`` for ``a.b.c``); "" for None."""
    return (name or "").rpartition(".")[2]


def last_name(node: ast.expr) -> str:
    """The last name of what a decorator or call names as written: ``b`` for
    ``@a.b(...)``; "" when it is not a dotted name."""
    return last_part(dotted(callee(node)))


def calls_name(call: ast.Call, name: str) -> bool:
    """``name(...)``: a call of the plain name ``name``."""
    return isinstance(call.func, ast.Name) and call.func.id == name


def names_in(node: ast.AST) -> set[str]:
    """Every plain name in an expression (or a statement), read or bound."""
    return {child.id for child in ast.walk(node) if isinstance(child, ast.Name)}


def display(node: ast.expr, limit: int = 60) -> str:
    """A short source-like text of a decorator without its call arguments."""
    text = dotted(callee(node))
    if text is None:
        text = ast.unparse(callee(node))
    return text if len(text) <= limit else text[: limit - 3] + "..."


class Names:
    """Import aliases and module-wide simple aliases (``keep = ft.wraps``).

    Scopes are not modelled: a name bound by an import anywhere in the module
    resolves to its import everywhere, which is what linters of this kind do.
    """

    __slots__ = ("aliases", "imports")

    def __init__(self) -> None:
        self.imports: dict[str, str] = {}
        self.aliases: dict[str, ast.expr] = {}

    def add_import(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    self.imports[alias.asname] = alias.name
                else:
                    top = alias.name.partition(".")[0]
                    self.imports[top] = top
            return
        module = "." * node.level + (node.module or "")
        for alias in node.names:
            if alias.name == "*":
                continue
            full = (
                f"{module}.{alias.name}"
                if module and not module.endswith(".")
                else (module + alias.name)
            )
            self.imports[alias.asname or alias.name] = full

    def add_alias(self, name: str, value: ast.expr) -> None:
        """Record ``name = a.b`` (a plain name or attribute chain); rebinding forgets it."""
        if name in self.aliases:
            self.aliases[name] = ast.Constant(value=None)  # bound twice: unknown
        else:
            self.aliases[name] = value

    def resolve(self, node: ast.expr) -> str | None:
        """The canonical dotted name of ``node`` (``ft.wraps`` -> ``functools.wraps``)."""
        seen: set[str] = set()
        while True:
            text = dotted(node)
            if text is None:
                return None
            head, dot, rest = text.partition(".")
            if head in self.imports:
                base = self.imports[head]
                return f"{base}.{rest}" if dot else base
            alias = self.aliases.get(head)
            if alias is None or head in seen or dotted(alias) is None:
                return text
            seen.add(head)
            target = dotted(alias)
            assert target is not None
            node = parse_dotted(f"{target}.{rest}" if dot else target)


def parse_dotted(text: str) -> ast.expr:
    parts = text.split(".")
    node: ast.expr = ast.Name(id=parts[0], ctx=ast.Load())
    for part in parts[1:]:
        node = ast.Attribute(value=node, attr=part, ctx=ast.Load())
    return node


def matches(qualname: str | None, written: str | None, names: tuple[str, ...]) -> bool:
    """Whether a configured name matches a resolved or written dotted name.

    ``names`` entries match the resolved name, the name as written, or a trailing
    part of either (``exempt`` matches ``csrf.exempt``).
    """
    for candidate in (qualname, written):
        if candidate is None:
            continue
        for name in names:
            if candidate == name or candidate.endswith("." + name):
                return True
    return False


def passed_names(call: ast.Call, spread_only: bool = False) -> set[str]:
    """The plain names passed to ``call`` (only those spread with ``*``/``**`` if asked)."""
    values = [a.value for a in call.args if isinstance(a, ast.Starred)]
    values += [k.value for k in call.keywords if k.arg is None]
    if not spread_only:
        values += [a for a in call.args if not isinstance(a, ast.Starred)]
        values += [k.value for k in call.keywords if k.arg is not None]
    return {value.id for value in values if isinstance(value, ast.Name)}
