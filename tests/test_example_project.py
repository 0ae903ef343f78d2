"""The multi-module example (examples/predict, the seeds' layout) under real Flask.

``app/utils/decorators.py`` defines ``timeit`` and ``check_cookie`` as the seeds' posts
wrote them; ``app/app.py`` imports them script style and stacks them under routes.
Each finding the command reports for it is shown to be a real failure, and after
``flake8-wraps --fix --unsafe-fixes`` the import-time crash is gone.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import flask
import pytest

from conftest import ROOT, lines, run_tool

EXAMPLE = ROOT / "examples" / "predict"
CRASH = "View function mapping is overwriting an existing endpoint function: wrapper"

IMPORT_APP = """
import sys
sys.path.insert(0, ".")
import app
print(sorted(rule.endpoint for rule in app.app.url_map.iter_rules()))
"""


def _import_app(folder: Path) -> subprocess.CompletedProcess[str]:
    """Import app/app.py as the seeds run it: from its own folder, script style."""
    return subprocess.run(
        [sys.executable, "-c", IMPORT_APP],
        cwd=folder / "app",
        capture_output=True,
        text=True,
        timeout=60,
    )


def _decorators() -> ModuleType:
    path = EXAMPLE / "app" / "utils" / "decorators.py"
    spec = importlib.util.spec_from_file_location("_example_decorators", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_command_reports_the_cross_module_findings() -> None:
    result = run_tool("flake8-wraps", "--isolated", "predict", cwd=ROOT / "examples")
    assert result.returncode == 1
    codes = [
        (line.split(":")[0], line.split(":")[1], line.split()[1]) for line in lines(result.stdout)
    ]
    assert codes == [
        ("predict/app/app.py", "16", "WRP102"),
        ("predict/app/app.py", "22", "WRP102"),
        ("predict/app/app.py", "23", "WRP006"),
        ("predict/app/app.py", "23", "WRP007"),
        ("predict/app/utils/decorators.py", "9", "WRP001"),
        ("predict/app/utils/decorators.py", "18", "WRP001"),
    ]


def test_wrp102_two_views_under_timeit_crash_the_app_at_import() -> None:
    result = _import_app(EXAMPLE)
    assert result.returncode == 1
    assert f"AssertionError: {CRASH}" in result.stderr


def _client_for(view_rule: str, view) -> flask.testing.FlaskClient:  # type: ignore[no-untyped-def]
    app = flask.Flask("example")
    app.testing = True
    app.add_url_rule(view_rule, view_func=view)
    client = app.test_client()
    client.set_cookie("session", "1")
    return client


def test_wrp007_check_cookie_cannot_take_the_url_value() -> None:
    decorators = _decorators()

    def user(id):  # type: ignore[no-untyped-def]
        return {"id": id}

    client = _client_for("/user/<int:id>", decorators.check_cookie(user))
    with pytest.raises(TypeError, match="unexpected keyword argument 'id'"):
        client.get("/user/7")


def test_wrp006_check_cookie_drops_the_views_result() -> None:
    decorators = _decorators()

    def hello():  # type: ignore[no-untyped-def]
        return "hello"

    client = _client_for("/", decorators.check_cookie(hello))
    with pytest.raises(TypeError, match="did not return a valid response"):
        client.get("/")


def test_after_fix_the_app_imports_and_every_view_has_its_own_endpoint(tmp_path: Path) -> None:
    copy = tmp_path / "predict"
    shutil.copytree(EXAMPLE, copy)
    fixed = run_tool("flake8-wraps", "--isolated", "--fix", "--unsafe-fixes", ".", cwd=copy)
    assert fixed.returncode == 1  # WRP006 and WRP007 have no automatic fix
    assert fixed.stderr.splitlines()[-1] == "2 fixes in 1 file, 2 findings left"
    result = _import_app(copy)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['predict_v1', 'predict_v2', 'static', 'user']"
