"""The plugin through the real flake8: entry point, noqa, options from config, no crash."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_wraps import plugin
from flake8_wraps.plugin import WrapsChecker

from conftest import EXAMPLES, run_tool

BAD_DECORATOR = """\
import functools


def timeit(func):
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)
    return wrapper
"""


def test_flake8_reports_the_example(tmp_path: Path) -> None:
    result = run_tool("flake8", "--select=WRP", str(EXAMPLES / "app.py"), cwd=tmp_path)
    lines = result.stdout.splitlines()
    assert [line.split(": ", 1)[0] for line in lines] == [
        f"{EXAMPLES / 'app.py'}:22:5",
        f"{EXAMPLES / 'app.py'}:42:1",
        f"{EXAMPLES / 'app.py'}:49:1",
    ]
    assert "WRP001 decorator 'login_required' returns 'wrapper'" in lines[0]
    assert "WRP102 endpoint 'wrapper' on 'app' is already taken by 'profile'" in lines[1]
    assert "WRP101 '@login_required' is above '@app.route'" in lines[2]
    assert result.returncode == 1


def test_flake8_lists_the_plugin(tmp_path: Path) -> None:
    result = run_tool("flake8", "--version", cwd=tmp_path)
    assert "flake8-wraps" in result.stdout


def test_noqa_silences_a_finding(tmp_path: Path) -> None:
    source = BAD_DECORATOR.replace(
        "def wrapper(*args, **kwargs):", "def wrapper(*args, **kwargs):  # noqa: WRP001"
    )
    (tmp_path / "mod.py").write_text(source)
    (tmp_path / "other.py").write_text(BAD_DECORATOR)
    result = run_tool("flake8", "--select=WRP", ".", cwd=tmp_path)
    assert result.stdout.splitlines() == [
        "./other.py:5:5: WRP001 decorator 'timeit' returns 'wrapper' without "
        "functools.wraps(func): the decorated function loses __name__, __doc__ and __wrapped__"
    ]


def test_option_from_config_file(tmp_path: Path) -> None:
    source = (
        "from mylib import copy_meta\n\n\n"
        "def timeit(func):\n"
        "    @copy_meta\n"  # an unknown bare decorator is not assumed to copy metadata
        "    def wrapper(*args, **kwargs):\n"
        "        return func(*args, **kwargs)\n"
        "    return wrapper\n"
    )
    # the equivalence comes from the config file only: without it the module is clean
    # because the wrapper carries a decorator; check the route option instead
    route_source = (
        "from myproj import api, login_required\n\n\n"
        "@login_required\n"
        "@api.post\n"
        "def create():\n"
        "    return 1\n"
    )
    (tmp_path / "deco.py").write_text(source)
    (tmp_path / "views.py").write_text(route_source)
    before = run_tool("flake8", "--select=WRP", ".", cwd=tmp_path)
    assert before.stdout == ""
    (tmp_path / "setup.cfg").write_text("[flake8]\nwraps-route-objects = api\n")
    after = run_tool("flake8", "--select=WRP", ".", cwd=tmp_path)
    assert after.stdout.splitlines() == [
        "./views.py:4:1: WRP101 '@login_required' is above '@api.post': the route registers "
        "the undecorated view, so 'login_required' never runs"
    ]
    assert after.returncode == 1


def test_bad_option_value_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "mod.py").write_text("x = 1\n")
    (tmp_path / "setup.cfg").write_text("[flake8]\nwraps-equivalents = my-lib.copy\n")
    result = run_tool("flake8", ".", cwd=tmp_path)
    assert result.returncode != 0
    assert "--wraps-equivalents: 'my-lib.copy' is not a dotted Python name" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_internal_error_is_one_finding_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: object, **kwargs: object) -> list[object]:
        raise KeyError("boom")

    monkeypatch.setattr(plugin, "analyze", explode)
    results = list(WrapsChecker(ast.parse("x = 1\n"), "mod.py").run())
    assert len(results) == 1
    line, col, message, kind = results[0]
    assert (line, col, kind) == (1, 0, WrapsChecker)
    assert message.startswith("WRP900 flake8-wraps could not check this module (KeyError:")


FORCED_ERROR = """\
import sys

import flake8_wraps.plugin
from flake8.main.cli import main


def explode(*args, **kwargs):
    raise RuntimeError("forced failure")


flake8_wraps.plugin.analyze = explode
sys.exit(main(sys.argv[1:]))
"""


def test_internal_error_inside_real_flake8(tmp_path: Path) -> None:
    (tmp_path / "mod.py").write_text(BAD_DECORATOR)
    (tmp_path / "run_flake8.py").write_text(FORCED_ERROR)
    result = subprocess.run(
        [sys.executable, "run_flake8.py", "--select=WRP", "-j", "1", "mod.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in result.stderr
    assert result.stdout.splitlines() == [
        "mod.py:1:1: WRP900 flake8-wraps could not check this module "
        "(RuntimeError: forced failure); please report it"
    ]
    assert result.returncode == 1


def test_deeply_nested_module_does_not_exhaust_recursion() -> None:
    # deep enough that a recursive ast.NodeVisitor fails; the core walks iteratively
    tree = ast.parse("x = " + "+".join(["1"] * 900) + "\n")
    assert list(WrapsChecker(tree, "deep.py").run()) == []
