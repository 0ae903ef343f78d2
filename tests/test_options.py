"""Each option changes exactly what it names, and bad values are rejected by name."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from flake8_wraps.options import Options
from flake8_wraps.plugin import options_from

from conftest import findings_of

HELPER_DECORATOR = """\
from mylib import preserve


def timeit(func):
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)
    preserve(wrapper)
    return wrapper
"""

DECORATED_DECORATOR = """\
from mylib import decorator_maker


@decorator_maker
def timeit(func):
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)
    return wrapper
"""

ROUTE_ON_IMPORTED_OBJECT = """\
from myproj import api, login_required


@login_required
@api.post
def create():
    return 1
"""

MARKER_ABOVE_ROUTE = """\
from flask import Flask
from myproj import docs

app = Flask(__name__)


@docs.mark
@app.route("/")
def index():
    return "hi"
"""

CSRF_ABOVE_ROUTE = """\
from flask import Flask
from flask_wtf.csrf import CSRFProtect

app = Flask(__name__)
csrf = CSRFProtect(app)


@csrf.exempt
@app.route("/hook", methods=["POST"])
def hook():
    return "ok"
"""


@pytest.mark.parametrize(("source", "line"), [(HELPER_DECORATOR, 5), (DECORATED_DECORATOR, 6)])
def test_wraps_equivalents(source: str, line: int) -> None:
    assert findings_of(source) == {(line, 5, "WRP001")}
    configured = Options({"wraps-equivalents": ("mylib.preserve", "decorator_maker")})
    assert findings_of(source, configured) == set()


def test_route_objects() -> None:
    assert findings_of(ROUTE_ON_IMPORTED_OBJECT) == set()
    configured = Options({"wraps-route-objects": ("api",)})
    assert findings_of(ROUTE_ON_IMPORTED_OBJECT, configured) == {(4, 1, "WRP101")}


def test_allowed_above_route_default_and_configured() -> None:
    assert findings_of(CSRF_ABOVE_ROUTE) == set()
    assert findings_of(MARKER_ABOVE_ROUTE) == {(7, 1, "WRP101")}
    configured = Options({"wraps-allowed-above-route": ("docs.mark",)})
    assert findings_of(MARKER_ABOVE_ROUTE, configured) == set()
    # setting the option replaces the default list
    assert findings_of(CSRF_ABOVE_ROUTE, configured) == {(8, 1, "WRP101")}


def test_options_from_flake8_values() -> None:
    values = SimpleNamespace(
        wraps_equivalents=["a.b", " c "],
        wraps_route_objects="api, router",
        wraps_allowed_above_route=None,
    )
    assert options_from(values) == Options(
        {
            "wraps-equivalents": ("a.b", "c"),
            "wraps-route-objects": ("api", "router"),
            "wraps-allowed-above-route": ("csrf.exempt",),
        }
    )


@pytest.mark.parametrize(
    ("attribute", "flag"),
    [
        ("wraps_equivalents", "--wraps-equivalents"),
        ("wraps_route_objects", "--wraps-route-objects"),
        ("wraps_allowed_above_route", "--wraps-allowed-above-route"),
    ],
)
def test_bad_value_names_the_option(attribute: str, flag: str) -> None:
    values = SimpleNamespace(**{attribute: "ok, not-a-name"})
    with pytest.raises(ValueError, match=f"^option {flag}: 'not-a-name' is not a dotted"):
        options_from(values)
