"""WRP101 on a Django template library, shown with Django itself.

A decorator written above ``@register.filter`` wraps the filter after the library
stored it: templates call the stored, undecorated function and the decorator never
runs. The command's fix puts the library's decorator on top, and then it runs.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import lines, run_tool, write

LIBRARY = """\
import functools

from django import template

register = template.Library()
calls = []


def counted(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        calls.append(func.__name__)
        return func(*args, **kwargs)
    return wrapper


@counted
@register.filter
def shout(value):
    return value.upper()
"""

# renders a template that uses the filter, in a fresh interpreter with minimal settings
RENDER = """
import json, sys
from django.conf import settings
settings.configure()
from django.template import Context, Engine
import shouting
engine = Engine(libraries={"shouting": "shouting"})
text = engine.from_string("{% load shouting %}{{ word|shout }}").render(Context({"word": "hi"}))
print(json.dumps([text, shouting.calls]))
"""


def _render(folder: Path) -> tuple[str, list[str]]:
    result = subprocess.run(
        [sys.executable, "-c", RENDER],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    text, calls = json.loads(result.stdout)
    return text, calls


def test_wrp101_decorator_above_a_template_filter_never_runs(tmp_path: Path) -> None:
    write(tmp_path, "shouting.py", LIBRARY)
    found = run_tool("flake8-wraps", "shouting.py", cwd=tmp_path)
    assert found.returncode == 1, found.stderr
    assert lines(found.stdout) == [
        "shouting.py:17:1: WRP101 '@counted' is above '@register.filter': the template "
        "library registers the undecorated function, so 'counted' never runs"
    ]
    # the filter works, but the decorator above it was never called
    assert _render(tmp_path) == ("HI", [])


def test_wrp101_fixed_template_filter_runs_its_decorator(tmp_path: Path) -> None:
    write(tmp_path, "shouting.py", LIBRARY)
    fixed = run_tool("flake8-wraps", "--fix", "shouting.py", cwd=tmp_path)
    assert fixed.returncode == 0, fixed.stderr
    source = (tmp_path / "shouting.py").read_text()
    assert "@register.filter\n@counted\ndef shout" in source
    assert _render(tmp_path) == ("HI", ["shout"])
