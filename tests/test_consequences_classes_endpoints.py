"""Prove, by running the code, that what WRP009, WRP010 and WRP102 report really breaks.

Each test writes a small module to a temporary file, imports it, and asserts the
concrete failure; a second test runs the corrected module.  The examples of the
rule pages (docs/rules/WRP009.md, WRP010.md, WRP102.md) are run as written.
"""

import functools
import importlib.util
import inspect
import itertools
import re
import sys
import textwrap
from pathlib import Path

import flask
import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules"

_counter = itertools.count()


def _load(tmp_path, *parts):
    """Import the source ``parts`` (each dedented) as a fresh module from a temporary file."""
    name = f"_consequence_module_{next(_counter)}"
    path = tmp_path / f"{name}.py"
    source = "\n".join(textwrap.dedent(part) for part in parts)
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        sys.modules.pop(name, None)
    return module


def _doc_example(code, section):
    """The first Python code block under ``## <section>`` of a rule page."""
    text = (DOCS / f"{code}.md").read_text(encoding="utf-8")
    start = text.index(f"## {section}\n")
    match = re.compile(r"```python\n(.*?)```", re.S).search(text, start)
    assert match is not None, f"{code}.md: no code block under {section}"
    return match.group(1)


GREET = '''

    @CountCalls
    def greet(name, punctuation="!"):
        """Say hello."""
        return "hello " + name + punctuation
'''


# ===========================================================================
# WRP009: a class decorator without update_wrapper
# ===========================================================================

COUNT_CALLS = """
    import functools


    class CountCalls:
        def __init__(self, func):
            self.func = func
            self.calls = 0

        def __call__(self, *args, **kwargs):
            self.calls += 1
            return self.func(*args, **kwargs)
"""

# the automatic fix: update_wrapper(self, func) as the last statement of __init__
COUNT_CALLS_FIXED = COUNT_CALLS.replace(
    "            self.calls = 0\n",
    "            self.calls = 0\n            functools.update_wrapper(self, func)\n",
)


def test_wrp009_instance_has_no_name_doc_or_wrapped(tmp_path):
    module = _load(tmp_path, COUNT_CALLS, GREET)
    greet = module.greet

    assert greet("bob") == "hello bob!"
    assert greet.calls == 1
    assert not hasattr(greet, "__name__")
    assert not hasattr(greet, "__qualname__")
    assert not hasattr(greet, "__wrapped__")
    with pytest.raises(AttributeError, match="'CountCalls' object has no attribute '__name__'"):
        _ = greet.__name__
    assert greet.__doc__ is None
    assert str(inspect.signature(greet)) == "(*args, **kwargs)"


def test_wrp009_flask_route_on_instance_crashes(tmp_path):
    module = _load(tmp_path, COUNT_CALLS, GREET)
    app = flask.Flask(__name__)
    with pytest.raises(AttributeError, match="'CountCalls' object has no attribute '__name__'"):
        app.route("/greet")(module.greet)


def test_wrp009_outer_wraps_cannot_repair_it(tmp_path):
    module = _load(tmp_path, COUNT_CALLS, GREET)

    @functools.wraps(module.greet)
    def outer(*args, **kwargs):
        return module.greet(*args, **kwargs)

    # wraps copies only the attributes that exist: the name stays "outer"
    assert outer.__name__ == "outer"
    assert outer.__doc__ is None


def test_wrp009_update_wrapper_in_init_restores_everything(tmp_path):
    assert COUNT_CALLS_FIXED != COUNT_CALLS
    module = _load(tmp_path, COUNT_CALLS_FIXED, GREET)
    greet = module.greet

    assert greet("bob", "?") == "hello bob?"
    assert greet.calls == 1
    assert greet.__name__ == "greet"
    assert greet.__qualname__ == "greet"
    assert greet.__doc__ == "Say hello."
    assert greet.__module__ == module.__name__
    assert greet.__wrapped__ is greet.func
    assert str(inspect.signature(greet)) == "(name, punctuation='!')"

    app = flask.Flask(__name__)
    app.route("/greet/<name>")(greet)
    assert app.view_functions["greet"] is greet
    response = app.test_client().get("/greet/ann")
    assert response.get_data(as_text=True) == "hello ann!"
    assert greet.calls == 2


def test_wrp009_doc_examples(tmp_path):
    broken = _load(tmp_path, _doc_example("WRP009", "Example"), GREET)
    assert not hasattr(broken.greet, "__name__")
    fixed = _load(tmp_path, _doc_example("WRP009", "Use instead"), GREET)
    assert fixed.greet.__name__ == "greet"
    assert fixed.greet.__wrapped__ is fixed.greet.func


# ===========================================================================
# WRP010: a class decorator without __get__ on a method
# ===========================================================================

BOUND_COUNTER = """
    import functools
    import types


    class CountCalls:
        def __init__(self, func):
            functools.update_wrapper(self, func)
            self.func = func
            self.calls = 0

        def __call__(self, *args, **kwargs):
            self.calls += 1
            return self.func(*args, **kwargs)
"""

# indented like the methods of BOUND_COUNTER, to be joined to it before dedenting
GET_METHOD = """
        def __get__(self, obj, objtype=None):
            if obj is None:
                return self
            return types.MethodType(self, obj)
"""

REPOSITORY = """

    class Repository:
        def __init__(self):
            self.saved = []

        @CountCalls
        def save(self, record):
            self.saved.append(record)
            return record

        @CountCalls
        def who(self, other=None):
            return self

        @CountCalls
        def connect(self):
            return True
"""


def test_wrp010_calling_the_method_does_not_pass_self(tmp_path):
    module = _load(tmp_path, BOUND_COUNTER, REPOSITORY)
    repo = module.Repository()

    # the instance is not bound: obj.save is the CountCalls object itself
    assert isinstance(repo.save, module.CountCalls)
    with pytest.raises(
        TypeError, match=r"save\(\) missing 1 required positional argument: 'record'"
    ):
        repo.save("r1")
    with pytest.raises(
        TypeError, match=r"connect\(\) missing 1 required positional argument: 'self'"
    ):
        repo.connect()
    # an argument takes the place of self
    assert repo.who("not-the-repo") == "not-the-repo"
    assert repo.saved == []


def test_wrp010_get_binds_the_instance(tmp_path):
    fixed = BOUND_COUNTER + GET_METHOD
    module = _load(tmp_path, fixed, REPOSITORY)
    repo = module.Repository()

    assert repo.save("r1") == "r1"
    assert repo.saved == ["r1"]
    assert repo.connect() is True
    assert repo.who("x") is repo
    assert module.Repository.save.calls == 1
    assert module.Repository.save.__name__ == "save"


def test_wrp010_decorators_that_bind_by_themselves_work(tmp_path):
    module = _load(
        tmp_path,
        BOUND_COUNTER,
        """

    def logged(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            return func(*args, **kwargs)
        return wrapper


    class Utilities:
        size_value = 3

        @staticmethod
        @CountCalls
        def slugify(text):
            return text.lower()

        @classmethod
        @CountCalls
        def create(cls):
            return cls

        @property
        @CountCalls
        def size(self):
            return self.size_value

        @logged
        @CountCalls
        def upper(self, text):
            return (self, text.upper())
    """,
    )
    tools = module.Utilities()
    assert tools.slugify("ABC") == "abc"
    assert tools.create() is module.Utilities
    assert tools.size == 3
    assert tools.upper("a") == (tools, "A")


def test_wrp010_doc_examples(tmp_path):
    broken = _load(tmp_path, _doc_example("WRP010", "Example"))
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'record'"):
        broken.Repository().save("r1")

    fixed_class = _doc_example("WRP010", "Use instead")
    repository = """

    class Repository:
        @CountCalls
        def save(self, record):
            return (self, record)
    """
    fixed = _load(tmp_path, fixed_class, repository)
    repo = fixed.Repository()
    assert repo.save("r1") == (repo, "r1")
    assert fixed.Repository.save.calls == 1


# ===========================================================================
# WRP102: two views with one endpoint on the same app or blueprint
# ===========================================================================

DUPLICATE = "View function mapping is overwriting an existing endpoint function: {}"


def test_wrp102_doc_example_crashes_at_import(tmp_path):
    with pytest.raises(AssertionError) as excinfo:
        _load(tmp_path, _doc_example("WRP102", "Example"))
    assert str(excinfo.value) == DUPLICATE.format("wrapper")


def test_wrp102_doc_fix_imports_and_keeps_each_name(tmp_path):
    module = _load(tmp_path, _doc_example("WRP102", "Use instead"))
    endpoints = {rule.rule: rule.endpoint for rule in module.app.url_map.iter_rules()}
    assert endpoints["/profile"] == "profile"
    assert endpoints["/settings"] == "settings"
    assert module.app.view_functions["settings"] is module.settings


LOGIN_REQUIRED = """
    import functools

    from flask import Blueprint, Flask, abort, g


    def login_required(view):
        def wrapper(*args, **kwargs):
            if g.get("user") is None:
                abort(401)
            return view(*args, **kwargs)
        return wrapper
"""


def test_wrp102_fixing_the_decorator_serves_both_views(tmp_path):
    fixed_decorator = LOGIN_REQUIRED.replace(
        "        def wrapper(", "        @functools.wraps(view)\n        def wrapper("
    )
    assert fixed_decorator != LOGIN_REQUIRED
    source = """

    app = Flask(__name__)


    @app.before_request
    def load_user():
        g.user = "alice"


    @app.route("/profile")
    @login_required
    def profile():
        return "profile of " + g.user


    @app.route("/settings")
    @login_required
    def settings():
        return "settings of " + g.user
    """
    module = _load(tmp_path, fixed_decorator, source)
    client = module.app.test_client()
    assert client.get("/profile").get_data(as_text=True) == "profile of alice"
    assert client.get("/settings").get_data(as_text=True) == "settings of alice"


def test_wrp102_one_name_for_get_and_post_crashes(tmp_path):
    source = """
        from flask import Flask

        app = Flask(__name__)


        @app.route("/user", methods=["GET"])
        def user():
            return "read"


        @app.route("/user", methods=["POST"])
        def user():
            return "write"
    """
    with pytest.raises(AssertionError) as excinfo:
        _load(tmp_path, source)
    assert str(excinfo.value) == DUPLICATE.format("user")


def test_wrp102_repeated_explicit_endpoint_crashes(tmp_path):
    source = """
        from flask import Flask

        app = Flask(__name__)


        @app.route("/about")
        def about():
            return "about"


        @app.route("/info", endpoint="about")
        def info():
            return "info"
    """
    with pytest.raises(AssertionError) as excinfo:
        _load(tmp_path, source)
    assert str(excinfo.value) == DUPLICATE.format("about")


def test_wrp102_blueprint_crashes_when_registered(tmp_path):
    module = _load(
        tmp_path,
        LOGIN_REQUIRED,
        """

    account = Blueprint("account", __name__)


    @account.route("/password")
    @login_required
    def password():
        return "password"


    @account.route("/email")
    @login_required
    def email():
        return "email"
    """,
    )
    app = flask.Flask(__name__)
    with pytest.raises(AssertionError) as excinfo:
        app.register_blueprint(module.account)
    assert str(excinfo.value) == DUPLICATE.format("account.wrapper")


def test_wrp102_near_misses_start(tmp_path):
    module = _load(
        tmp_path,
        LOGIN_REQUIRED,
        """

    app = Flask(__name__)
    orders = Blueprint("orders", __name__)
    returns = Blueprint("returns", __name__)


    # one function under stacked routes
    @app.route("/panel")
    @app.route("/panel/")
    @login_required
    def panel():
        return "panel"


    # endpoint= tells two wrapped views apart
    @app.route("/staff", endpoint="staff")
    @login_required
    def staff():
        return "staff"


    # the same name on two blueprints
    @orders.route("/")
    @login_required
    def listing():
        return "orders"


    @returns.route("/")
    @login_required
    def listing():
        return "returns"


    # request hooks are not endpoints
    @app.before_request
    @login_required
    def load_user():
        return None


    @app.before_request
    @login_required
    def load_locale():
        return None


    app.register_blueprint(orders, url_prefix="/orders")
    app.register_blueprint(returns, url_prefix="/returns")
    """,
    )
    endpoints = {rule.rule: rule.endpoint for rule in module.app.url_map.iter_rules()}
    assert endpoints["/panel"] == endpoints["/panel/"] == "wrapper"
    assert endpoints["/staff"] == "staff"
    assert endpoints["/orders/"] == "orders.wrapper"
    assert endpoints["/returns/"] == "returns.wrapper"
