"""One walk over a module's ``ast`` that records what every rule needs.

The walk visits statements only, in source order, so each definition gets a stable
:class:`~flake8_wraps.model.Scope` that the fixer can follow without positions.  What
lies inside a function's expressions (its calls, the names it binds or reads) is
gathered the first time a rule asks about that function: most functions are never
asked about, and each expression is still visited at most once.  A question about a
whole definition, nested ones included, combines the records of the definitions
nested in it (:meth:`Function.subtree`) instead of walking the tree again.  Both
walks are iterative, so deeply nested code cannot exhaust the recursion limit.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence
from typing import Optional, Union

from flake8_wraps.analysis.names import Names, calls_name
from flake8_wraps.model import Scope

FunctionNode = Union[ast.FunctionDef, ast.AsyncFunctionDef]


class Function:
    """A ``def`` or ``async def`` and what happens directly inside it.

    "Directly" includes lambdas, comprehensions and nested class bodies, and the
    decorators and defaults of nested definitions (they run in this function), but
    not nested ``def`` bodies, which get records of their own.
    """

    __slots__ = (
        "_details",
        "assigns",
        "exprs",
        "in_class",
        "inner",
        "klass",
        "name",
        "nested",
        "node",
        "parent",
        "raised",
        "returns",
        "scope",
    )

    def __init__(
        self,
        node: FunctionNode,
        parent: Function | None,
        klass: ClassInfo | None,
        scope: Scope,
    ) -> None:
        self.node = node
        self.name = node.name
        self.parent = parent
        self.klass = klass  # the class whose body holds this def, if any
        self.in_class = klass is not None
        self.scope = scope
        self.inner: dict[str, list[Function]] = {}  # defs in its own body, by name
        self.nested: list[Function] = []  # every def whose innermost enclosing def it is
        self.exprs: list[ast.Expr] = []  # expression statements (results unused)
        self.assigns: list[ast.Assign] = []
        self.returns: list[ast.Return] = []
        self.raised: list[ast.Call] = []  # ``raise X(...)``: X builds an exception
        self._details: _Details | None = None

    @property
    def calls(self) -> list[ast.Call]:
        """Every call made directly in the function, in source order."""
        return self.details.calls

    @property
    def stores(self) -> set[str]:
        """Every plain name the function binds (assignments, loops, ``with``, ...)."""
        return self.details.stores

    @property
    def attr_stores(self) -> list[ast.Attribute]:
        """Every ``x.attr = ...`` target in the function."""
        return self.details.attr_stores

    @property
    def yields(self) -> bool:
        return self.details.yields

    @property
    def loads(self) -> set[str]:
        """Every plain name the function reads."""
        return self.details.loads

    @property
    def attr_loads(self) -> list[ast.Attribute]:
        """Every ``x.attr`` the function reads."""
        return self.details.attr_loads

    def enclosing(self) -> Iterator[Function]:
        """This function, then each function it is nested in, innermost first."""
        current: Function | None = self
        while current is not None:
            yield current
            current = current.parent

    def subtree(self) -> Iterator[Function]:
        """This function, then every ``def`` nested in it at any depth (methods of
        classes defined in it included), each before the ones nested in it."""
        stack = [self]
        while stack:
            function = stack.pop()
            yield function
            stack.extend(reversed(function.nested))

    def whole(self) -> Iterator[_Details]:
        """The expression facts of the whole definition: its own decorators, defaults
        and annotations, its body, and the bodies of the definitions nested in it."""
        node = self.node
        header: list[ast.AST] = [*node.decorator_list, node.args]
        if node.returns is not None:
            header.append(node.returns)
        yield _gather(header)
        for function in self.subtree():
            yield function.details

    @property
    def details(self) -> _Details:
        if self._details is None:
            self._details = _gather(self.node.body)
        return self._details

    @property
    def positional(self) -> list[ast.arg]:
        """The positional parameters, positional-only ones included, in order."""
        args = self.node.args
        return [*args.posonlyargs, *args.args]

    def param_names(self) -> list[str]:
        """Every parameter's name: positional, keyword-only, then ``*args`` and ``**kw``."""
        args = self.node.args
        names = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
        if args.vararg:
            names.append(args.vararg.arg)
        if args.kwarg:
            names.append(args.kwarg.arg)
        return names

    @property
    def self_name(self) -> str:
        """What a method calls its instance: its first parameter (``self`` if none)."""
        positional = self.positional
        return positional[0].arg if positional else "self"

    @property
    def variadic(self) -> bool:
        """Whether it takes ``*args`` or ``**kwargs``."""
        args = self.node.args
        return args.vararg is not None or args.kwarg is not None

    def calls_of(self, name: str) -> list[ast.Call]:
        """Its own calls of the plain name ``name``, in source order."""
        return [call for call in self.calls if calls_name(call, name)]

    def is_raised(self, call: ast.Call) -> bool:
        """Whether ``call`` builds the exception of a ``raise`` (not a call it wraps)."""
        return any(call is raised for raised in self.raised)


class _Details:
    __slots__ = ("attr_loads", "attr_stores", "calls", "loads", "stores", "yields")

    def __init__(self) -> None:
        self.calls: list[ast.Call] = []
        self.stores: set[str] = set()
        self.loads: set[str] = set()
        self.attr_stores: list[ast.Attribute] = []
        self.attr_loads: list[ast.Attribute] = []
        self.yields = False


def gather_stores(roots: Sequence[ast.AST]) -> set[str]:
    """Every plain name bound under ``roots`` (nested ``def`` bodies aside)."""
    return _gather(roots).stores


def _gather(roots: Sequence[ast.AST]) -> _Details:
    """The expression-level facts under ``roots`` (a body), in one walk of its own
    nodes: nested ``def`` bodies are left to their own records."""
    details = _Details()
    calls, stores, loads = details.calls, details.stores, details.loads
    attr_stores, attr_loads = details.attr_stores, details.attr_loads
    stack: list[ast.AST] = list(reversed(roots))
    pop, push = stack.pop, stack.append
    while stack:
        node = pop()
        kind = type(node)
        if kind is ast.Name:
            context = type(node.ctx)  # type: ignore[attr-defined]
            if context is ast.Store:
                stores.add(node.id)  # type: ignore[attr-defined]
            elif context is ast.Load:
                loads.add(node.id)  # type: ignore[attr-defined]
            continue
        if kind is ast.Call:
            calls.append(node)  # type: ignore[arg-type]
        elif kind is ast.Attribute:
            context = type(node.ctx)  # type: ignore[attr-defined]
            if context is ast.Store:
                attr_stores.append(node)  # type: ignore[arg-type]
            elif context is ast.Load:
                attr_loads.append(node)  # type: ignore[arg-type]
        elif kind is ast.Yield or kind is ast.YieldFrom:
            details.yields = True
        elif kind in _FUNCS:
            # a nested def: its decorators, defaults and annotations run here
            nested: FunctionNode = node  # type: ignore[assignment]
            parts: list[ast.AST] = [*nested.decorator_list, nested.args]
            if nested.returns is not None:
                parts.append(nested.returns)
            for part in reversed(parts):
                push(part)
            continue
        for child in reversed(_children(node, kind)):
            push(child)
    return details


def _children(node: ast.AST, kind: type[ast.AST]) -> list[ast.AST]:
    fields = _FIELDS.get(kind)
    if fields is None:
        fields = _FIELDS[kind] = tuple(name for name in kind._fields if name != "ctx")
    children: list[ast.AST] = []
    for name in fields:
        value = getattr(node, name, None)
        if type(value) is list:
            children.extend(item for item in value if isinstance(item, ast.AST))
        elif isinstance(value, ast.AST):
            children.append(value)
    return children


class ClassInfo:
    """A ``class`` statement and the methods defined directly in its body."""

    __slots__ = ("methods", "name", "node", "parent", "scope")

    def __init__(self, node: ast.ClassDef, parent: Function | None, scope: Scope) -> None:
        self.node = node
        self.name = node.name
        self.parent = parent
        self.scope = scope
        self.methods: dict[str, Function] = {}


class ModuleIndex:
    """Everything the rules read about one module, gathered in one walk."""

    __slots__ = (
        "bindings",
        "classes",
        "decorated_functions",
        "functions",
        "global_names",
        "module_body",
        "module_bound",
        "module_imports",
        "names",
        "top_classes",
        "top_functions",
        "top_statements",
    )

    def __init__(self) -> None:
        self.names = Names()
        self.functions: list[Function] = []
        # name -> the callee of every ``name = callee(...)`` in the module
        self.bindings: dict[str, list[ast.expr]] = {}
        # module-level functions by name (every definition of that name)
        self.top_functions: dict[str, list[Function]] = {}
        # imports whose names are bound for the whole module (not inside a def or class)
        self.module_imports: list[ast.Import | ast.ImportFrom] = []
        # functions that carry decorators
        self.decorated_functions: list[Function] = []
        self.classes: list[ClassInfo] = []
        self.top_classes: dict[str, list[ClassInfo]] = {}
        # ids of the module body's own statements (not nested in if/try)
        self.top_statements: set[int] = set()
        self.module_body: list[ast.stmt] = []
        # name -> line of its first module-level ``name = callee(...)``
        self.module_bound: dict[str, int] = {}
        # names a ``global`` statement makes module names
        self.global_names: set[str] = set()

    def release(self) -> None:
        """Drop the links between records that form cycles (a def and its parent, a
        class and its methods), so the records and the syntax tree they hold are freed
        as soon as the last reference goes, without waiting for the garbage collector.
        """
        for function in self.functions:
            function.parent = None
            function.klass = None
            function.inner = {}
            function.nested = []
        for info in self.classes:
            info.parent = None
            info.methods = {}
        self.module_body = []


_Context = Optional[Function]
_FIELDS: dict[type[ast.AST], tuple[str, ...]] = {}
# the fields of statements (and handlers and match cases) that hold statements, in
# source order
_STATEMENT_FIELDS = ("body", "handlers", "orelse", "cases", "finalbody")
# what can hold a definition, an import or a binding outside any function
_STATEMENTS = (
    ast.stmt,
    ast.excepthandler,
    *((ast.match_case,) if hasattr(ast, "match_case") else ()),
)
_FUNCS = (ast.FunctionDef, ast.AsyncFunctionDef)


def build_index(tree: ast.AST) -> ModuleIndex:
    index = ModuleIndex()
    if isinstance(tree, ast.Module):
        index.module_body = tree.body
        index.top_statements = {id(statement) for statement in tree.body}
    names = index.names
    seen_paths: dict[tuple[str, ...], int] = {}
    # (node, innermost function, class whose body directly holds the node, scope path)
    stack: list[tuple[ast.AST, _Context, ClassInfo | None, tuple[str, ...]]] = [
        (tree, None, None, ())
    ]
    node: ast.AST
    pop = stack.pop
    push = stack.append
    fields_of = _STATEMENT_FIELDS_OF
    while stack:
        node, func, klass, path = pop()
        if isinstance(node, _FUNCS):
            new_path = (*path, node.name)
            number = seen_paths.get(new_path, 0)
            seen_paths[new_path] = number + 1
            scope = Scope(new_path, number)
            record = Function(node, func, klass, scope)
            index.functions.append(record)
            if func is not None:
                func.nested.append(record)
            if klass is not None:
                klass.methods[node.name] = record
            elif func is not None:
                func.inner.setdefault(node.name, []).append(record)
            elif not path:
                index.top_functions.setdefault(node.name, []).append(record)
            if node.decorator_list:
                index.decorated_functions.append(record)
            for statement in reversed(node.body):
                push((statement, record, None, new_path))
            continue
        if isinstance(node, ast.ClassDef):
            new_path = (*path, node.name)
            number = seen_paths.get(new_path, 0)
            seen_paths[new_path] = number + 1
            info = ClassInfo(node, func, Scope(new_path, number))
            index.classes.append(info)
            if func is None and klass is None and not path:
                index.top_classes.setdefault(node.name, []).append(info)
            for statement in reversed(node.body):
                push((statement, func, info, new_path))
            continue
        kind = type(node)
        if kind is ast.Assign or kind is ast.AnnAssign:
            _record_assignment(index, node, func, not path)  # type: ignore[arg-type]
            if func is not None and kind is ast.Assign:
                func.assigns.append(node)  # type: ignore[arg-type]
        elif kind is ast.Import or kind is ast.ImportFrom:
            names.add_import(node)  # type: ignore[arg-type]
            if func is None and not path:
                index.module_imports.append(node)  # type: ignore[arg-type]
        elif kind is ast.Global:
            index.global_names.update(node.names)  # type: ignore[attr-defined]
        elif func is not None:
            if kind is ast.Expr:
                func.exprs.append(node)  # type: ignore[arg-type]
            elif kind is ast.Return:
                func.returns.append(node)  # type: ignore[arg-type]
            elif kind is ast.Raise and isinstance(node.exc, ast.Call):  # type: ignore[attr-defined]
                func.raised.append(node.exc)  # type: ignore[attr-defined]
        # only statements can hold definitions, imports and the statements above
        names_here = fields_of.get(kind)
        if names_here is None:
            names_here = fields_of[kind] = _statement_fields(kind)
        if names_here:
            child_class = klass if kind in _BLOCK_TYPES else None
            for name in names_here:
                block = getattr(node, name)
                if block:
                    for child in reversed(block):
                        push((child, func, child_class, path))
    return index


# per node type, the fields of _STATEMENT_FIELDS it has, last first (the walk pushes
# them on a stack)
_STATEMENT_FIELDS_OF: dict[type[ast.AST], tuple[str, ...]] = {}


def _statement_fields(kind: type[ast.AST]) -> tuple[str, ...]:
    return tuple(name for name in reversed(_STATEMENT_FIELDS) if name in kind._fields)


# statements whose bodies stay in the enclosing class body (``if`` inside a class)
_BLOCKS: tuple[type[ast.AST], ...] = tuple(
    getattr(ast, name)
    for name in (
        "If",
        "Try",
        "TryStar",
        "ExceptHandler",
        "With",
        "AsyncWith",
        "For",
        "AsyncFor",
        "While",
        "Match",
        "match_case",
    )
    if hasattr(ast, name)
)


def _record_assignment(
    index: ModuleIndex, node: ast.Assign | ast.AnnAssign, func: _Context, top: bool
) -> None:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    value = node.value
    if value is None:
        return
    for target in targets:
        if not isinstance(target, ast.Name):
            continue
        if isinstance(value, ast.Call):
            index.bindings.setdefault(target.id, []).append(value.func)
            if top:
                index.module_bound.setdefault(target.id, node.lineno)
        elif func is None and isinstance(value, (ast.Name, ast.Attribute)):
            index.names.add_alias(target.id, value)


def enclosing_blocks(function: Function) -> dict[int, tuple[ast.stmt, ...]]:
    """For each statement in ``function``'s body (not in nested definitions), the
    compound statements around it, outermost first, keyed by ``id`` of the statement."""
    found: dict[int, tuple[ast.stmt, ...]] = {}
    todo: list[tuple[list[ast.stmt], tuple[ast.stmt, ...]]] = [(function.node.body, ())]
    while todo:
        body, around = todo.pop()
        for statement in body:
            found[id(statement)] = around
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            inner = (*around, statement)
            for field in ("body", "orelse", "finalbody"):
                block = getattr(statement, field, None)
                if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                    todo.append((block, inner))
            for handler in getattr(statement, "handlers", ()):
                todo.append((handler.body, inner))
            for case in getattr(statement, "cases", ()):
                todo.append((case.body, inner))
    return found


_BLOCK_TYPES = frozenset(_BLOCKS)
