"""Registering decorators (routes, tasks, signal receivers) and decorators that are no-ops.

A registering decorator stores the function it receives somewhere (a URL map, a
task registry, a signal) at decoration time.  Anything written above it wraps the
function only after it was registered, so the registered function is undecorated.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flake8_wraps.analysis.index import Function, ModuleIndex
from flake8_wraps.analysis.names import callee, dotted, last_part, matches, parse_dotted
from flake8_wraps.options import WRAPS_ALLOWED_ABOVE_ROUTE, WRAPS_ROUTE_OBJECTS, Options

if TYPE_CHECKING:
    from flake8_wraps.analysis.project import Found

WEB_CONSTRUCTORS = frozenset({"Flask", "Blueprint", "Quart", "FastAPI", "APIRouter", "Sanic"})
TASK_CONSTRUCTORS = frozenset({"Celery"})
# the decorators of a Django template library (``register = template.Library()``)
TEMPLATE_REGISTRARS = frozenset(
    {"filter", "simple_tag", "inclusion_tag", "tag", "simple_block_tag"}
)
HTTP_METHODS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "websocket", "api_route"}
)
HOOKS = frozenset(
    {
        # Flask and Quart apps and blueprints
        "errorhandler",
        "before_request",
        "after_request",
        "teardown_request",
        "teardown_appcontext",
        "context_processor",
        "template_filter",
        "template_global",
        "template_test",
        "url_value_preprocessor",
        "url_defaults",
        "shell_context_processor",
        "app_errorhandler",
        "before_app_request",
        "after_app_request",
        "teardown_app_request",
        "app_context_processor",
        "app_template_filter",
        "app_template_global",
        "app_template_test",
        "before_websocket",
        "after_websocket",
        "before_serving",
        "after_serving",
        # FastAPI and Sanic
        "exception_handler",
        "middleware",
        "on_event",
        "listener",
    }
)


@dataclass(frozen=True)
class Registering:
    """A registering decorator: what it is (``route``, ``task``, ...) and how it reads."""

    kind: str
    text: str


class RouteAnalysis:
    """Classifies the decorators of one module; ``imported`` tells what a name imported
    from another module of the project is (registering objects, identity decorators)."""

    def __init__(
        self,
        index: ModuleIndex,
        options: Options,
        imported: Callable[[ast.expr], Found | None] | None = None,
    ) -> None:
        self.index = index
        self.options = options
        self.imported = imported or _nothing
        self._bound: dict[str, str | None] = {}

    def bound_kind(self, name: str) -> str | None:
        """``web``, ``task`` or ``template`` when ``name`` is bound to an app/router,
        a Celery app or a Django template library."""
        if name not in self._bound:
            self._bound[name] = self._compute_bound(name)
        return self._bound[name]

    def constructor(self, name: str) -> str | None:
        """The class ``name`` is bound to (``Flask``), when it is one call in the module
        or a registering object imported from another module of the project."""
        for constructor in self.index.bindings.get(name, ()):
            qualname = self.index.names.resolve(constructor) or ""
            return last_part(qualname) or None
        found = self.imported(parse_dotted(name))
        if found is not None and found.registering is not None:
            return found.registering.constructor
        return None

    def _compute_bound(self, name: str) -> str | None:
        names = self.index.names
        for constructor in self.index.bindings.get(name, ()):
            qualname = names.resolve(constructor) or ""
            last = last_part(qualname)
            if last in WEB_CONSTRUCTORS:
                return "web"
            if last in TASK_CONSTRUCTORS:
                return "task"
            if last == "Library" and qualname.split(".")[0] == "django":
                return "template"
        imported = names.imports.get(name)
        if imported is not None and "celery" in imported.rpartition(".")[0].lower():
            return "task"  # from proj.celery import app, from tasks.celery_app import app
        return None

    def _configured(self, node: ast.expr) -> bool:
        written = dotted(node)
        return written is not None and matches(
            self.index.names.resolve(node), written, self.options[WRAPS_ROUTE_OBJECTS]
        )

    def registering(self, decorator: ast.expr) -> Registering | None:
        """Classify one decorator expression; None when it does not register."""
        target = callee(decorator)
        call = decorator if isinstance(decorator, ast.Call) else None
        text = dotted(target) or ""
        if isinstance(target, ast.Attribute):
            attr, base = target.attr, target.value
            base_kind = self._base_kind(base)
            if attr == "route" and call is not None:
                return Registering("route", text)
            web = base_kind in ("web", "configured")
            if attr in HTTP_METHODS and (web or (call is not None and _first_arg_is_path(call))):
                return Registering("route", text)
            if attr in HOOKS and web:
                return Registering("handler", text)
            if (
                attr == "command"
                and isinstance(base, ast.Attribute)
                and base.attr == "cli"
                and self._base_kind(base.value) in ("web", "configured")
            ):
                return Registering("command", text)
            if attr == "task" and base_kind in ("task", "configured"):
                return Registering("task", text)
            if attr in TEMPLATE_REGISTRARS and base_kind == "template":
                return Registering("template library", text)
        qualname = self.index.names.resolve(target) or ""
        parts = qualname.split(".")
        if parts[-1] == "shared_task" and (len(parts) == 1 or "celery" in parts):
            return Registering("task", text)
        if parts[-1] == "receiver" and parts[0] == "django":
            return Registering("receiver", text)
        return None

    def _base_kind(self, base: ast.expr) -> str | None:
        if isinstance(base, ast.Name):
            kind = self.bound_kind(base.id)
            if kind is not None:
                return kind
        if self._configured(base):
            return "configured"
        found = self.imported(base)
        if found is not None and found.registering is not None:
            return found.registering.kind
        return None

    def harmless_above(self, decorator: ast.expr, below: Registering) -> bool:
        """Whether ``decorator`` may sit above a registering decorator without a finding."""
        target = callee(decorator)
        written = dotted(target)
        qualname = self.index.names.resolve(target) if written else None
        if matches(qualname, written, self.options[WRAPS_ALLOWED_ABOVE_ROUTE]):
            return True
        if below.kind == "command" and qualname and qualname.split(".")[0] == "click":
            return True  # click attaches options to the Command object either way
        if isinstance(target, ast.Name):
            functions = self.index.top_functions.get(target.id)
            if functions:
                if isinstance(decorator, ast.Call):
                    return all(returns_identity_decorator(f) for f in functions)
                return all(returns_argument(f) for f in functions)
        found = self.imported(target)
        if found is not None and found.entry is not None:
            entry = found.entry
            behaviour = entry.called if isinstance(decorator, ast.Call) else entry.bare
            return behaviour is not None and behaviour.identity
        return False


def _nothing(node: ast.expr) -> Found | None:
    return None


def _first_arg_is_path(call: ast.Call) -> bool:
    first: ast.expr | None = call.args[0] if call.args else None
    if first is None:
        first = next((k.value for k in call.keywords if k.arg in ("path", "rule", "uri")), None)
    if isinstance(first, ast.JoinedStr) and first.values:  # f"/users/{prefix}"
        first = first.values[0]
    return (
        isinstance(first, ast.Constant)
        and isinstance(first.value, str)
        and first.value.startswith("/")
    )


def returns_argument(func: Function) -> bool:
    """Every ``return`` of ``func`` returns its first parameter, unchanged."""
    positional = func.positional
    if not positional or not func.returns:
        return False
    first = positional[0].arg
    if first in func.stores:
        return False
    return all(isinstance(r.value, ast.Name) and r.value.id == first for r in func.returns)


def returns_identity_decorator(func: Function) -> bool:
    """A factory whose every ``return`` gives back an inner decorator that returns its argument."""
    if not func.returns:
        return False
    for ret in func.returns:
        if not (isinstance(ret.value, ast.Name) and ret.value.id in func.inner):
            return False
        if ret.value.id in func.stores:
            return False
        if not all(returns_argument(inner) for inner in func.inner[ret.value.id]):
            return False
    return True
