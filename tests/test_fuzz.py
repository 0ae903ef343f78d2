"""Fuzzing the analysis and the fixer with generated decorator modules.

Each generated module mixes decorators (pass-through or with a signature of their
own, factories, methods, class decorators), the usual ways of copying metadata or
not, imports of ``functools`` under several names (and modules that bind those names
to something else), Flask routes, stacks of decorators in any order, comments, CRLF
line endings and byte order marks.  For each, with safe and unsafe fixes and both
import styles: the analysis does not raise; the fixer does not fail; its output
parses, is unchanged by a second run, leaves no fix to make, and every change it made
is of a kind a fix makes (judged by ``confinement``, which shares no code with the
fixer's own check).

CI runs a small number of examples; for a long run:

    FLAKE8_WRAPS_FUZZ_EXAMPLES=20000 python -m pytest tests/test_fuzz.py -p no:cacheprovider
"""

from __future__ import annotations

import ast
import os

from confinement import edits_are_confined
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flake8_wraps.analysis.core import analyze
from flake8_wraps.fixer.engine import FixSettings, applicable, fix_source
from flake8_wraps.options import Options

EXAMPLES = int(os.environ.get("FLAKE8_WRAPS_FUZZ_EXAMPLES", "40"))

HEADERS = [
    "",
    '"""A module."""\n',
    "from __future__ import annotations\n",
    "import functools\n",
    "import functools as ft\n",
    "from functools import wraps\n",
    "from functools import wraps as keep, update_wrapper\n",
    "import os\nimport sys\n",
    "from flask import Flask\n\napp = Flask(__name__)\n",
    "import mylib\n\nfunctools = mylib.shim\n",
    "wraps = print\n",
    "from mylib import login_required, cache\n",
]
# a wrapper's parameters, and how it passes them on
SIGNATURES = {
    "*args, **kwargs": "*args, **kwargs",
    "*args": "*args",
    "**kwargs": "**kwargs",
    "request": "request",
    "": "",
    "x, *args, **kwargs": "x, *args, **kwargs",
}
CALLABLE = ["f", "func", "view", "fn", "callback"]
COPIES = [
    "",
    "    @functools.wraps({f})\n",
    "    @wraps({f})\n",
    "    @ft.wraps({f})\n",
    "    @functools.wraps\n",
    "    @functools.wraps(wrapper)\n",
]
AFTER = [
    "",
    "    functools.update_wrapper(wrapper, {f})\n",
    "    functools.update_wrapper({f}, wrapper)\n",
    "    wrapper.__name__ = {f}.__name__\n    wrapper.__doc__ = {f}.__doc__\n",
    "    functools.wraps({f})\n",
]
BODIES = [
    "        return {f}({args})\n",
    "        {f}({args})\n",
    "        start = 1\n        try:\n            return {f}({args})\n        finally:\n"
    "            print(start)\n",
    "        if not {args_or_true}:\n            return None\n        return {f}({args})\n",
]
COMMENTS = ["", "  # noqa", "  # keep", "  # noqa: WRP001", "  # type: ignore"]


@st.composite
def decorator(draw: st.DrawFn, number: int) -> str:
    f = draw(st.sampled_from(CALLABLE))
    signature = draw(st.sampled_from(sorted(SIGNATURES)))
    passed = SIGNATURES[signature]
    body = draw(st.sampled_from(BODIES)).format(
        f=f, args=passed, args_or_true=passed.split(",")[0].lstrip("*") or "True"
    )
    kind = "async def" if draw(st.booleans()) and "await" not in body else "def"
    if kind == "async def":
        body = body.replace(f"return {f}(", f"return await {f}(")
    copy = draw(st.sampled_from(COPIES)).format(f=f)
    after = draw(st.sampled_from(AFTER)).format(f=f)
    comment = draw(st.sampled_from(COMMENTS))
    inner = f"{copy}    {kind} wrapper({signature}):{comment}\n{body}{after}    return wrapper\n"
    name = f"deco{number}"
    shape = draw(st.sampled_from(["plain", "factory", "method"]))
    if shape == "plain":
        return f"def {name}({f}):\n{inner}"
    if shape == "factory":
        nested = "".join(f"    {line}\n" if line else "\n" for line in inner.splitlines())
        return f"def {name}(times=1):\n    def decorate({f}):\n{nested}    return decorate\n"
    nested = "".join(f"    {line}\n" if line else "\n" for line in inner.splitlines())
    return f"class Holder{number}:\n    def {name}(self, {f}):\n{nested}"


@st.composite
def class_decorator(draw: st.DrawFn, number: int) -> str:
    update = draw(st.sampled_from(["", "        functools.update_wrapper(self, func)\n"]))
    get = draw(
        st.sampled_from(["", "    def __get__(self, obj, kind=None):\n        return self\n"])
    )
    return (
        f"class Count{number}:\n    def __init__(self, func):\n        self.func = func\n"
        f"{update}\n    def __call__(self, *args, **kwargs):\n"
        f"        return self.func(*args, **kwargs)\n{get}"
    )


@st.composite
def use(draw: st.DrawFn, number: int, names: list[str]) -> str:
    choices = [f"@{name}" for name in names] + [
        '@app.route("/x{n}")',
        "@login_required",
        "@cache(3)",
    ]
    stack = draw(st.lists(st.sampled_from(choices), max_size=3))
    comments = [draw(st.sampled_from(COMMENTS)) for _ in stack]
    kind = draw(st.sampled_from(["def", "async def"]))
    lines = "".join(f"{d.format(n=number)}{c}\n" for d, c in zip(stack, comments))
    return f"{lines}{kind} view{number}(id=0):\n    return {{'id': id}}\n"


@st.composite
def module(draw: st.DrawFn) -> bytes:
    header = "".join(draw(st.lists(st.sampled_from(HEADERS), max_size=3, unique=True)))
    units: list[str] = []
    names: list[str] = []
    for number in range(draw(st.integers(1, 4))):
        if draw(st.integers(0, 3)) == 0:
            units.append(draw(class_decorator(number)))
            names.append(f"Count{number}")
        else:
            text = draw(decorator(number))
            units.append(text)
            if text.startswith("def deco") and "times=1" not in text:
                names.append(f"deco{number}")
            elif "times=1" in text:
                names.append(f"deco{number}(2)")
    for number in range(draw(st.integers(0, 3))):
        units.append(draw(use(number, names)))
    text = header + "\n\n" + "\n\n".join(units)
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    data = text.encode()
    return b"\xef\xbb\xbf" + data if draw(st.booleans()) else data


SETTINGS = [FixSettings(unsafe, style) for unsafe in (False, True) for style in ("import", "from")]


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(module())
def test_generated_decorator_modules(source: bytes) -> None:
    ast.parse(source)  # the generator writes valid Python
    analyze(ast.parse(source))
    for fix_settings in SETTINGS:
        outcome = fix_source("generated.py", source, Options(), fix_settings)
        assert outcome.error is None, (fix_settings, outcome.error, source.decode("utf-8-sig"))
        ast.parse(outcome.fixed)
        assert edits_are_confined(source, outcome.fixed), source.decode("utf-8-sig")
        again = fix_source("generated.py", outcome.fixed, Options(), fix_settings)
        assert again.error is None
        assert again.fixed == outcome.fixed, "a second run changed the fixed module"
        assert again.applied == 0
        assert applicable(again.findings, fix_settings) == []
