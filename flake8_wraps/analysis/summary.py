"""A module's summary: what other modules of the project need to know about it.

Made from the same index as the module's own check, and plain data (JSON-able), so a
cache can keep it: the module-level decorators, factories and class decorators and
what they do to what they decorate; the module-level names bound to registering
objects (an app, a blueprint, a router, a Celery app, a template library); and the
names it imports, which may re-export another module's.
"""

from __future__ import annotations

import ast
from dataclasses import asdict, dataclass
from typing import Any

from flake8_wraps.analysis.classes import find_class_decorators
from flake8_wraps.analysis.facts import CallShape, WrapperFacts, wrapper_facts
from flake8_wraps.analysis.index import Function, ModuleIndex
from flake8_wraps.analysis.pairs import WrapperPair, find_pairs
from flake8_wraps.analysis.routes import (
    RouteAnalysis,
    returns_argument,
    returns_identity_decorator,
)
from flake8_wraps.analysis.uses import Uses
from flake8_wraps.options import Options

FORMAT = 1


@dataclass(frozen=True)
class Behaviour:
    """What applying a decorator does: give the function back, or wrap it."""

    identity: bool
    wrappers: tuple[WrapperFacts, ...] = ()


@dataclass(frozen=True)
class ClassFacts:
    """A class that stores the function it receives and calls it: a class decorator."""

    has_get: bool
    has_bases: bool


@dataclass(frozen=True)
class Entry:
    """A module-level name other modules may apply as a decorator."""

    name: str
    line: int
    bare: Behaviour | None = None  # ``@name``
    called: Behaviour | None = None  # ``@name(...)``: a factory
    cls: ClassFacts | None = None


@dataclass(frozen=True)
class Registering:
    """A module-level name bound to a registering object: its kind and constructor."""

    kind: str  # "web", "task" or "template"
    constructor: str  # the class's last name: Flask, Blueprint, Celery, ...
    line: int


@dataclass(frozen=True)
class ModuleSummary:
    entries: dict[str, Entry]
    registering: dict[str, Registering]
    # local name -> what it imports: "a.b.c" (absolute), ".b.c" (relative), or for a
    # plain ``import a.b`` the top name "a" -> "a"
    imports: dict[str, str]
    star_imports: tuple[str, ...] = ()  # modules re-exported whole (``from .x import *``)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["format"] = FORMAT
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ModuleSummary:
        return cls(
            entries={name: _entry(value) for name, value in data["entries"].items()},
            registering={name: Registering(**value) for name, value in data["registering"].items()},
            imports=dict(data["imports"]),
            star_imports=tuple(data["star_imports"]),
        )


def _behaviour(data: dict[str, Any] | None) -> Behaviour | None:
    if data is None:
        return None
    wrappers = []
    for facts in data["wrappers"]:
        calls = tuple(
            CallShape(c["starred"], tuple(c["own"]), tuple(c["keywords"])) for c in facts["calls"]
        )
        wrappers.append(WrapperFacts(**{**facts, "names": tuple(facts["names"]), "calls": calls}))
    return Behaviour(data["identity"], tuple(wrappers))


def _entry(data: dict[str, Any]) -> Entry:
    cls = data.get("cls")
    return Entry(
        name=data["name"],
        line=data["line"],
        bare=_behaviour(data.get("bare")),
        called=_behaviour(data.get("called")),
        cls=ClassFacts(**cls) if cls is not None else None,
    )


def summarize(index: ModuleIndex, options: Options) -> ModuleSummary:
    """The summary of the module ``index`` describes (before it is released)."""
    pairs = find_pairs(index)
    entries: dict[str, Entry] = {}
    for name, definitions in index.top_functions.items():
        function = definitions[-1]
        bare = _bare(index, options, function, pairs)
        called = _called(index, options, function, pairs)
        if bare is not None or called is not None:
            entries[name] = Entry(name, function.node.lineno, bare, called)
    for klass in find_class_decorators(index, Uses(index), everywhere=True):
        info = klass.info
        if info.parent is None and index.top_classes.get(info.name, [None])[-1] is info:
            facts = ClassFacts("__get__" in info.methods, klass.has_bases)
            entries[info.name] = Entry(info.name, info.node.lineno, cls=facts)
    routes = RouteAnalysis(index, options)
    registering: dict[str, Registering] = {}
    for name in index.module_bound:
        kind = routes.bound_kind(name)
        constructor = routes.constructor(name)
        if kind is not None and constructor is not None:
            registering[name] = Registering(kind, constructor, index.module_bound[name])
    imports, stars = _imports(index)
    return ModuleSummary(entries, registering, imports, stars)


def _bare(
    index: ModuleIndex, options: Options, function: Function, pairs: list[WrapperPair]
) -> Behaviour | None:
    if returns_argument(function):
        return Behaviour(identity=True)
    mine = [wrapper_facts(index, options, p) for p in pairs if p.outer is function]
    return Behaviour(False, tuple(mine)) if mine else None


def _called(
    index: ModuleIndex, options: Options, function: Function, pairs: list[WrapperPair]
) -> Behaviour | None:
    if returns_identity_decorator(function):
        return Behaviour(identity=True)
    returned = {r.value.id for r in function.returns if isinstance(r.value, ast.Name)}
    mine = [
        wrapper_facts(index, options, p)
        for p in pairs
        if p.outer.parent is function and p.outer.name in returned
    ]
    return Behaviour(False, tuple(mine)) if mine else None


def _imports(index: ModuleIndex) -> tuple[dict[str, str], tuple[str, ...]]:
    imports: dict[str, str] = {}
    stars: list[str] = []
    for node in index.module_imports:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    imports[alias.asname] = alias.name
                else:
                    top = alias.name.partition(".")[0]
                    imports[top] = top
            continue
        module = "." * node.level + (node.module or "")
        for alias in node.names:
            if alias.name == "*":
                stars.append(module)
                continue
            separator = "" if module.endswith(".") or not module else "."
            imports[alias.asname or alias.name] = f"{module}{separator}{alias.name}"
    return imports, tuple(stars)
