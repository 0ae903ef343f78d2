"""What WRP002, WRP003, WRP004 and WRP011 report really breaks at run time.

Each test runs a small module (with Python, Flask or pytest) written the way the rule
reports it, asserts the concrete failure, and runs the corrected module to show it
works.  Nothing here reads the plugin: these tests prove the rules' premises.
"""

from __future__ import annotations

import functools
import inspect
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

ENDPOINT_COLLISION = "View function mapping is overwriting an existing endpoint function: {}"
PARTIAL_HAS_NO_NAME = re.escape("'functools.partial' object has no attribute '__name__'")


def run_module(source: str, name: str = "consequence_module") -> dict[str, Any]:
    """Execute ``source`` as a module named ``name`` and return its namespace."""
    namespace: dict[str, Any] = {"__name__": name}
    exec(compile(textwrap.dedent(source), f"<{name}>", "exec"), namespace)
    return namespace


def run_pytest(tmp_path: Path, source: str) -> subprocess.CompletedProcess[str]:
    """Run pytest on ``source`` written as a test module in ``tmp_path``."""
    path = tmp_path / "test_decorated.py"
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "pytest", str(path), "-q", "-p", "no:cacheprovider"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


def flask_app_with_two_views(decorator_source: str) -> Any:
    """Build a Flask app whose two views both use ``deco`` from ``decorator_source``."""
    namespace = run_module(
        decorator_source
        + textwrap.dedent(
            '''
            from flask import Flask

            app = Flask(__name__)


            @app.route("/")
            @deco
            def home():
                """Home page."""
                return "home"


            @app.route("/about")
            @deco
            def about():
                """About page."""
                return "about"
            '''
        )
    )
    return namespace["app"]


# ---------------------------------------------------------------------------
# WRP002 wraps-not-applied
# ---------------------------------------------------------------------------

WRP002_DECORATOR = """
import functools
from functools import wraps


def deco(func):
    {statement}

    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)
    return wrapper
"""

WRP002_IN_WRAPPER = """
import functools


def deco(func):
    def wrapper(*args, **kwargs):
        functools.wraps(func)
        return func(*args, **kwargs)
    return wrapper
"""

WRP002_FIXED = """
import functools


def deco(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)
    return wrapper
"""

GREET = '''

@deco
def greet(name):
    """Say hello."""
    return "hello " + name
'''


@pytest.mark.parametrize(
    "statement",
    [
        "functools.wraps(func)",
        "wraps(func)",
        "functools.wraps(func, updated=())",
        "functools.wraps(wrapped=func)",
        "(functools.wraps(func))",
    ],
)
def test_wrp002_bare_wraps_statement_in_decorator_copies_nothing(statement: str) -> None:
    greet = run_module(WRP002_DECORATOR.format(statement=statement) + GREET)["greet"]
    assert greet("bob") == "hello bob"
    assert greet.__name__ == "wrapper"
    assert greet.__qualname__ == "deco.<locals>.wrapper"
    assert greet.__doc__ is None
    assert not hasattr(greet, "__wrapped__")
    assert str(inspect.signature(greet)) == "(*args, **kwargs)"


def test_wrp002_bare_wraps_statement_in_wrapper_copies_nothing_even_after_calls() -> None:
    greet = run_module(WRP002_IN_WRAPPER + GREET)["greet"]
    for _ in range(3):
        assert greet("bob") == "hello bob"
    assert greet.__name__ == "wrapper"
    assert greet.__doc__ is None
    assert not hasattr(greet, "__wrapped__")


def test_wrp002_fixed_decorator_copies_metadata() -> None:
    namespace = run_module(WRP002_FIXED + GREET)
    greet = namespace["greet"]
    assert greet("bob") == "hello bob"
    assert greet.__name__ == "greet"
    assert greet.__doc__ == "Say hello."
    assert greet.__wrapped__.__name__ == "greet"
    assert str(inspect.signature(greet)) == "(name)"


@pytest.mark.parametrize(
    "statement",
    ["functools.wraps(func)(wrapper)", "functools.update_wrapper(wrapper, func)"],
)
def test_wrp002_near_misses_really_apply_the_metadata(statement: str) -> None:
    source = f"""
import functools


def deco(func):
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)
    {statement}
    return wrapper
"""
    greet = run_module(source + GREET)["greet"]
    assert greet.__name__ == "greet"
    assert greet.__doc__ == "Say hello."


def test_wrp002_flask_views_collide_on_the_wrapper_name() -> None:
    broken = WRP002_DECORATOR.format(statement="functools.wraps(func)")
    with pytest.raises(AssertionError, match=ENDPOINT_COLLISION.format("wrapper")):
        flask_app_with_two_views(broken)

    app = flask_app_with_two_views(WRP002_FIXED)
    assert {rule.endpoint for rule in app.url_map.iter_rules()} >= {"home", "about"}
    client = app.test_client()
    assert client.get("/").get_data(as_text=True) == "home"
    assert client.get("/about").get_data(as_text=True) == "about"


# ---------------------------------------------------------------------------
# WRP003 update-wrapper-swapped
# ---------------------------------------------------------------------------

WRP003_SWAPPED = """
from functools import update_wrapper


def deco(func):
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)
    update_wrapper(func, wrapper)
    return wrapper
"""

WRP003_FIXED = WRP003_SWAPPED.replace(
    "update_wrapper(func, wrapper)", "update_wrapper(wrapper, func)"
)

ORIGINAL_AND_DECORATED = '''

def greet(name):
    """Say hello."""
    return "hello " + name


original = greet
greet = deco(greet)
'''


def test_wrp003_swapped_update_wrapper_leaves_wrapper_and_damages_original() -> None:
    namespace = run_module(WRP003_SWAPPED + ORIGINAL_AND_DECORATED)
    greet, original = namespace["greet"], namespace["original"]
    assert greet("bob") == "hello bob"
    # the returned wrapper is unchanged
    assert greet.__name__ == "wrapper"
    assert greet.__doc__ is None
    assert not hasattr(greet, "__wrapped__")
    # the original function got the wrapper's metadata
    assert original.__name__ == "wrapper"
    assert original.__qualname__ == "deco.<locals>.wrapper"
    assert original.__doc__ is None
    assert original.__wrapped__ is greet
    assert str(inspect.signature(original)) == "(*args, **kwargs)"


def test_wrp003_swapped_back_copies_onto_the_wrapper() -> None:
    namespace = run_module(WRP003_FIXED + ORIGINAL_AND_DECORATED)
    greet, original = namespace["greet"], namespace["original"]
    assert greet.__name__ == "greet"
    assert greet.__doc__ == "Say hello."
    assert greet.__wrapped__ is original
    assert original.__name__ == "greet"
    assert original.__doc__ == "Say hello."
    assert not hasattr(original, "__wrapped__")
    assert str(inspect.signature(greet)) == "(name)"


def test_wrp003_flask_views_collide_on_the_wrapper_name() -> None:
    with pytest.raises(AssertionError, match=ENDPOINT_COLLISION.format("wrapper")):
        flask_app_with_two_views(WRP003_SWAPPED)
    app = flask_app_with_two_views(WRP003_FIXED)
    assert app.test_client().get("/about").get_data(as_text=True) == "about"


WRP003_CLASS = '''
from functools import update_wrapper


class CountCalls:
    def __init__(self, func):
        self.func = func
        self.count = 0
        update_wrapper(func, self)

    def __call__(self, *args, **kwargs):
        self.count += 1
        return self.func(*args, **kwargs)


def ping():
    """Answer pong."""
    return "pong"


original = ping
ping = CountCalls(ping)
'''


def test_wrp003_swapped_in_class_decorator_leaves_instance_without_name() -> None:
    namespace = run_module(WRP003_CLASS)
    ping, original = namespace["ping"], namespace["original"]
    assert ping() == "pong"
    with pytest.raises(AttributeError, match="'CountCalls' object has no attribute '__name__'"):
        ping.__name__  # noqa: B018
    # the original function got the class's (missing) docstring and points at the instance
    assert original.__doc__ is None
    assert original.__wrapped__ is ping
    assert original.count == 0  # the instance's attributes were merged into it

    from flask import Flask

    app = Flask(__name__)
    with pytest.raises(AttributeError, match="'CountCalls' object has no attribute '__name__'"):
        app.route("/ping")(ping)


def test_wrp003_class_decorator_swapped_back_works_as_a_view() -> None:
    namespace = run_module(
        WRP003_CLASS.replace("update_wrapper(func, self)", "update_wrapper(self, func)")
    )
    ping, original = namespace["ping"], namespace["original"]
    assert ping.__name__ == "ping"
    assert ping.__doc__ == "Answer pong."
    assert original.__doc__ == "Answer pong."

    from flask import Flask

    app = Flask(__name__)
    app.route("/ping")(ping)
    assert app.test_client().get("/ping").get_data(as_text=True) == "pong"
    assert ping.count == 1


# ---------------------------------------------------------------------------
# WRP004 wraps-wrong-target
# ---------------------------------------------------------------------------

WRP004_SELF = """
import functools


def deco(func):
    @functools.wraps(wrapper)
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)
    return wrapper
"""

WRP004_SELF_FIXED = WRP004_SELF.replace("wraps(wrapper)", "wraps(func)")


def test_wrp004_wraps_of_the_wrapper_itself_fails_when_applied() -> None:
    with pytest.raises(UnboundLocalError, match="wrapper"):
        run_module(WRP004_SELF + GREET)
    assert issubclass(UnboundLocalError, NameError)

    greet = run_module(WRP004_SELF_FIXED + GREET)["greet"]
    assert greet("bob") == "hello bob"
    assert greet.__name__ == "greet"


WRP004_OWN_NAME = '''
import functools


def deco(func):
    """Log every call."""
    @functools.wraps(deco)
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)
    return wrapper
'''

WRP004_OWN_NAME_FIXED = WRP004_OWN_NAME.replace("wraps(deco)", "wraps(func)")


def test_wrp004_wraps_of_the_decorator_names_every_function_after_it() -> None:
    namespace = run_module(WRP004_OWN_NAME + GREET)
    greet = namespace["greet"]
    assert greet("bob") == "hello bob"
    assert greet.__name__ == "deco"
    assert greet.__doc__ == "Log every call."
    assert greet.__wrapped__ is namespace["deco"]
    assert str(inspect.signature(greet)) == "(func)"

    greet = run_module(WRP004_OWN_NAME_FIXED + GREET)["greet"]
    assert greet.__name__ == "greet"
    assert str(inspect.signature(greet)) == "(name)"


def test_wrp004_flask_views_collide_on_the_decorator_name() -> None:
    with pytest.raises(AssertionError, match=ENDPOINT_COLLISION.format("deco")):
        flask_app_with_two_views(WRP004_OWN_NAME)
    app = flask_app_with_two_views(WRP004_OWN_NAME_FIXED)
    assert app.test_client().get("/").get_data(as_text=True) == "home"


PYTEST_MODULE = """
{decorator}


@deco
def test_addition():
    assert 1 + 1 == 2
"""


@pytest.mark.slow
def test_wrp004_pytest_asks_for_the_decorators_parameter_as_a_fixture(tmp_path: Path) -> None:
    result = run_pytest(tmp_path, PYTEST_MODULE.format(decorator=WRP004_OWN_NAME))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "fixture 'func' not found" in result.stdout
    assert "1 error" in result.stdout

    fixed = run_pytest(tmp_path, PYTEST_MODULE.format(decorator=WRP004_OWN_NAME_FIXED))
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "1 passed" in fixed.stdout


WRP004_FACTORY_PARAMETER = '''
import functools


def named(name):
    def decorator(func):
        @functools.wraps(name)
        def wrapper(*args, **kwargs):
            return func(*args, **kwargs)
        return wrapper
    return decorator


@named("admin")
def admin(user):
    """The admin page."""
    return "admin: " + user
'''


def test_wrp004_wraps_of_a_factory_parameter_copies_the_wrong_object() -> None:
    admin = run_module(WRP004_FACTORY_PARAMETER)["admin"]
    assert admin("ann") == "admin: ann"
    assert admin.__name__ == "wrapper"
    assert admin.__doc__ == str.__doc__
    assert admin.__wrapped__ == "admin"
    with pytest.raises((TypeError, ValueError)):
        inspect.signature(admin)

    fixed = run_module(WRP004_FACTORY_PARAMETER.replace("wraps(name)", "wraps(func)"))["admin"]
    assert fixed.__name__ == "admin"
    assert fixed.__doc__ == "The admin page."
    assert str(inspect.signature(fixed)) == "(user)"


# ---------------------------------------------------------------------------
# WRP011 wraps-without-argument
# ---------------------------------------------------------------------------

WRP011_DECORATOR = """
import functools
from functools import wraps

CALLS = []


def deco(func):
    @{decorator}
    def wrapper(*args, **kwargs):
        CALLS.append(args)
        return func(*args, **kwargs)
    return wrapper
"""


@pytest.mark.parametrize("decorator", ["functools.wraps", "wraps"])
def test_wrp011_wraps_without_argument_makes_every_call_fail(decorator: str) -> None:
    namespace = run_module(WRP011_DECORATOR.format(decorator=decorator) + GREET)
    greet = namespace["greet"]
    assert isinstance(greet, functools.partial)
    assert greet.func is functools.update_wrapper

    with pytest.raises(TypeError, match="missing 1 required positional argument: 'wrapper'"):
        greet()
    with pytest.raises(AttributeError, match="'str' object has no attribute '__module__'"):
        greet("bob")
    with pytest.raises(TypeError, match="got multiple values for argument 'wrapped'"):
        greet("bob", "ann")

    # given a function, nothing fails, but nothing of the body runs either
    def other():
        """Something else."""

    assert greet(other) is other
    assert other.__name__ == "wrapper"
    assert namespace["CALLS"] == []

    with pytest.raises(AttributeError, match=PARTIAL_HAS_NO_NAME):
        greet.__name__  # noqa: B018


def test_wrp011_wraps_with_its_argument_works() -> None:
    namespace = run_module(WRP011_DECORATOR.format(decorator="functools.wraps(func)") + GREET)
    greet = namespace["greet"]
    assert greet("bob") == "hello bob"
    assert greet.__name__ == "greet"
    assert namespace["CALLS"] == [("bob",)]


def test_wrp011_on_a_plain_function() -> None:
    source = """
import functools


@functools.wraps
def double(value):
    return value * 2
"""
    double = run_module(source)["double"]
    with pytest.raises(AttributeError, match="'int' object has no attribute '__module__'"):
        double(2)
    assert run_module(source.replace("@functools.wraps\n", ""))["double"](2) == 4


def test_wrp011_flask_route_fails_at_import() -> None:
    with pytest.raises(AttributeError, match=PARTIAL_HAS_NO_NAME):
        flask_app_with_two_views(WRP011_DECORATOR.format(decorator="functools.wraps"))
    app = flask_app_with_two_views(WRP011_DECORATOR.format(decorator="functools.wraps(func)"))
    assert app.test_client().get("/about").get_data(as_text=True) == "about"


def test_wrp011_near_miss_empty_call_fails_loudly_when_applied() -> None:
    """``@wraps()`` is not reported: it cannot go unnoticed."""
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'wrapped'"):
        run_module(WRP011_DECORATOR.format(decorator="wraps()") + GREET)
