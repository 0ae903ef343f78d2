"""Prove that the two bugs in examples/app.py are real Flask failures.

The example module crashes at import time because of the missing
functools.wraps (WRP001), which hides the second bug (WRP101).  The tests
therefore apply the fixes to the source text in memory and execute the
result, asserting each edit actually happened so that they fail if the
example drifts.
"""

import importlib.util
import itertools
import sys
import types
from pathlib import Path

import flask
import pytest

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "app.py"

DUPLICATE_ENDPOINT = "View function mapping is overwriting an existing endpoint function: wrapper"

ORIGINAL_IMPORT = "from flask import Flask, jsonify, request\n"
ORIGINAL_WRAPPER = "    def wrapper(*args, **kwargs):\n"
ORIGINAL_ADMIN = '@login_required\n@app.route("/admin")\ndef admin():\n'

_counter = itertools.count()


def _unique_name(prefix):
    return f"_flake8_wraps_example_{prefix}_{next(_counter)}"


def _replace_once(source, old, new):
    assert source.count(old) == 1, f"expected exactly one {old!r} in example"
    edited = source.replace(old, new)
    assert edited != source
    return edited


def _add_wraps(source):
    assert "@functools.wraps" not in source, "example already uses wraps"
    assert "import functools" not in source
    source = _replace_once(source, ORIGINAL_IMPORT, "import functools\n\n" + ORIGINAL_IMPORT)
    return _replace_once(
        source,
        ORIGINAL_WRAPPER,
        "    @functools.wraps(view)\n" + ORIGINAL_WRAPPER,
    )


def _swap_admin_decorators(source):
    return _replace_once(
        source,
        ORIGINAL_ADMIN,
        '@app.route("/admin")\n@login_required\ndef admin():\n',
    )


def _exec_source(source):
    name = _unique_name("edited")
    module = types.ModuleType(name)
    module.__file__ = str(EXAMPLE)
    code = compile(source, str(EXAMPLE), "exec")
    exec(code, module.__dict__)
    assert isinstance(module.app, flask.Flask)
    return module


@pytest.fixture
def source():
    return EXAMPLE.read_text(encoding="utf-8")


def test_importing_example_crashes_with_duplicate_endpoint():
    name = _unique_name("import")
    spec = importlib.util.spec_from_file_location(name, EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        with pytest.raises(AssertionError) as excinfo:
            spec.loader.exec_module(module)
    finally:
        sys.modules.pop(name, None)
    assert DUPLICATE_ENDPOINT in str(excinfo.value)


def test_with_wraps_fix_admin_route_is_unprotected(source):
    module = _exec_source(_add_wraps(source))
    app = module.app
    client = app.test_client()

    endpoints = {rule.rule: rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints["/profile"] == "profile"
    assert endpoints["/settings"] == "settings"
    assert endpoints["/admin"] == "admin"

    response = client.get("/profile")
    assert response.status_code == 401
    assert response.get_json() == {"error": "login required"}

    response = client.get("/profile", headers={"X-User": "alice"})
    assert response.status_code == 200
    assert response.get_json() == {
        "user": "alice",
        "email": "alice@example.com",
    }

    response = client.get("/settings")
    assert response.status_code == 401

    response = client.get("/settings", headers={"X-User": "alice"})
    assert response.status_code == 200
    assert response.get_json()["theme"] == "dark"

    # The bug: /admin is served to an anonymous client.
    response = client.get("/admin")
    assert response.status_code == 200
    assert "Admin dashboard" in response.get_data(as_text=True)

    # The module-level name is wrapped, but the registered view is not.
    assert app.view_functions["admin"] is not module.admin
    assert module.admin.__wrapped__ is app.view_functions["admin"]


def test_with_both_fixes_admin_route_requires_login(source):
    module = _exec_source(_swap_admin_decorators(_add_wraps(source)))
    app = module.app
    client = app.test_client()

    assert app.view_functions["admin"] is module.admin

    response = client.get("/admin")
    assert response.status_code == 401
    assert response.get_json() == {"error": "login required"}

    response = client.get("/admin", headers={"X-User": "mallory"})
    assert response.status_code == 401

    response = client.get("/admin", headers={"X-User": "alice"})
    assert response.status_code == 200
    assert "Admin dashboard" in response.get_data(as_text=True)

    response = client.get("/profile")
    assert response.status_code == 401


def test_swapping_order_alone_does_not_fix_the_crash(source):
    with pytest.raises(AssertionError) as excinfo:
        _exec_source(_swap_admin_decorators(source))
    assert DUPLICATE_ENDPOINT in str(excinfo.value)
