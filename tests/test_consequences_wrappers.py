"""What WRP005-WRP008 report really breaks at run time, and the corrected code working.

Each test writes a small module, imports or runs it, and asserts the concrete failure
of the flagged shape beside the corrected version.  Nothing here reads the plugin.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import itertools
import pickle
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from types import ModuleType

import pytest

_counter = itertools.count()


@pytest.fixture
def load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Write ``source`` as an importable module and import it (pickle needs real modules)."""
    monkeypatch.syspath_prepend(str(tmp_path))
    loaded: list[str] = []

    def _load(source: str, name: str | None = None) -> ModuleType:
        name = name or f"consequence_mod_{next(_counter)}"
        (tmp_path / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")
        importlib.invalidate_caches()
        loaded.append(name)
        return importlib.import_module(name)

    yield _load
    for name in loaded:
        sys.modules.pop(name, None)


def _run_pytest(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", str(path), "-q", "-p", "no:cacheprovider"],
        capture_output=True,
        text=True,
        cwd=path.parent,
        timeout=120,
    )


# ---------------------------------------------------------------------------
# WRP005 manual-metadata-copy
# ---------------------------------------------------------------------------

MANUAL_COPY = """
    import functools

    def log_calls(func):
        def wrapper(*args, **kwargs):
            return func(*args, **kwargs)
        wrapper.__name__ = func.__name__
        wrapper.__doc__ = func.__doc__
        return wrapper

    def log_calls_fixed(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            return func(*args, **kwargs)
        return wrapper

    @log_calls
    def add(a, b):
        '''Add two numbers.'''
        return a + b

    @log_calls_fixed
    def add_fixed(a, b):
        '''Add two numbers.'''
        return a + b
"""


def test_wrp005_manual_copy_leaves_qualname_wrong_and_pickle_fails(load) -> None:  # type: ignore[no-untyped-def]
    mod = load(MANUAL_COPY)
    # what the code copied is right ...
    assert mod.add.__name__ == "add"
    assert mod.add.__doc__ == "Add two numbers."
    # ... what it forgot still describes the wrapper
    assert mod.add.__qualname__ == "log_calls.<locals>.wrapper"
    assert not hasattr(mod.add, "__wrapped__")
    with pytest.raises((pickle.PicklingError, AttributeError), match=r"local object.*wrapper"):
        pickle.dumps(mod.add)

    assert mod.add_fixed.__qualname__ == "add_fixed"
    assert mod.add_fixed.__wrapped__.__name__ == "add_fixed"
    assert pickle.loads(pickle.dumps(mod.add_fixed)) is mod.add_fixed


def test_wrp005_manual_copy_hides_the_signature(load) -> None:  # type: ignore[no-untyped-def]
    mod = load(MANUAL_COPY)
    assert str(inspect.signature(mod.add)) == "(*args, **kwargs)"
    assert str(inspect.signature(mod.add_fixed)) == "(a, b)"


def test_wrp005_manual_copy_loses_module_and_attributes(load) -> None:  # type: ignore[no-untyped-def]
    decorators = load(
        """
        import functools

        def login_exempt(view):
            view.login_exempt = True
            return view

        def audited(view):
            def wrapper(*args, **kwargs):
                return view(*args, **kwargs)
            wrapper.__name__ = view.__name__
            return wrapper

        def audited_fixed(view):
            @functools.wraps(view)
            def wrapper(*args, **kwargs):
                return view(*args, **kwargs)
            return wrapper
        """,
        name="consequence_decorators_wrp005",
    )
    views = load(
        """
        from consequence_decorators_wrp005 import audited, audited_fixed, login_exempt

        @audited
        @login_exempt
        def health():
            return "ok"

        @audited_fixed
        @login_exempt
        def health_fixed():
            return "ok"
        """,
        name="consequence_views_wrp005",
    )
    assert decorators.audited  # the decorator module is really separate
    assert views.health.__name__ == "health"
    assert views.health.__module__ == "consequence_decorators_wrp005"
    assert getattr(views.health, "login_exempt", False) is False

    assert views.health_fixed.__module__ == "consequence_views_wrp005"
    assert views.health_fixed.login_exempt is True


@pytest.mark.slow
def test_wrp005_pytest_does_not_inject_fixtures_through_a_manual_copy(tmp_path: Path) -> None:
    source = """
        import functools

        def slow(func):
            def wrapper(*args, **kwargs):
                return func(*args, **kwargs)
            wrapper.__name__ = func.__name__
            return wrapper

        def slow_fixed(func):
            @functools.wraps(func)
            def wrapper(*args, **kwargs):
                return func(*args, **kwargs)
            return wrapper

        @{deco}
        def test_writes(tmp_path):
            (tmp_path / "x").write_text("x")
    """
    broken = tmp_path / "broken" / "test_manual.py"
    fixed = tmp_path / "fixed" / "test_manual.py"
    for path, deco in ((broken, "slow"), (fixed, "slow_fixed")):
        path.parent.mkdir()
        path.write_text(textwrap.dedent(source.format(deco=deco)), encoding="utf-8")

    result = _run_pytest(broken)
    assert result.returncode == 1, result.stdout
    assert "missing 1 required positional argument: 'tmp_path'" in result.stdout

    result = _run_pytest(fixed)
    assert result.returncode == 0, result.stdout
    assert "1 passed" in result.stdout


# ---------------------------------------------------------------------------
# WRP006 wrapper-drops-result
# ---------------------------------------------------------------------------

DROPS_RESULT = """
    import functools
    from flask import Flask

    app = Flask(__name__)

    def login_required(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            view(*args, **kwargs)
        return wrapper

    def login_required_fixed(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            return view(*args, **kwargs)
        return wrapper

    @app.route("/")
    @login_required
    def index():
        return "hello"

    @app.route("/fixed")
    @login_required_fixed
    def index_fixed():
        return "hello"

    @login_required
    def load_user(user_id):
        return {"id": user_id}

    @login_required_fixed
    def load_user_fixed(user_id):
        return {"id": user_id}
"""


def test_wrp006_flask_rejects_the_dropped_response(load) -> None:  # type: ignore[no-untyped-def]
    mod = load(DROPS_RESULT)
    mod.app.testing = True
    client = mod.app.test_client()
    with pytest.raises(TypeError) as excinfo:
        client.get("/")
    message = str(excinfo.value)
    assert "The view function for 'index' did not return a valid response" in message
    assert "returned None or ended without a return statement" in message

    response = client.get("/fixed")
    assert response.status_code == 200
    assert response.data == b"hello"


def test_wrp006_flask_answers_500_outside_testing(load) -> None:  # type: ignore[no-untyped-def]
    mod = load(DROPS_RESULT)
    mod.app.testing = False
    client = mod.app.test_client()
    assert client.get("/").status_code == 500
    assert client.get("/fixed").status_code == 200


def test_wrp006_callers_get_none(load) -> None:  # type: ignore[no-untyped-def]
    mod = load(DROPS_RESULT)
    assert mod.load_user.__wrapped__(7) == {"id": 7}  # the function itself is fine
    assert mod.load_user(7) is None
    assert mod.load_user_fixed(7) == {"id": 7}


def test_wrp006_async_wrapper_awaiting_as_a_statement_drops_the_result(load) -> None:  # type: ignore[no-untyped-def]
    mod = load(
        """
        import asyncio
        import functools

        def logged(func):
            @functools.wraps(func)
            async def wrapper(*args, **kwargs):
                await func(*args, **kwargs)
            return wrapper

        def logged_fixed(func):
            @functools.wraps(func)
            async def wrapper(*args, **kwargs):
                return await func(*args, **kwargs)
            return wrapper

        @logged
        async def fetch_profile(user_id):
            await asyncio.sleep(0)
            return {"id": user_id}

        @logged_fixed
        async def fetch_profile_fixed(user_id):
            await asyncio.sleep(0)
            return {"id": user_id}
        """
    )
    assert asyncio.run(mod.fetch_profile(3)) is None
    assert asyncio.run(mod.fetch_profile_fixed(3)) == {"id": 3}


# ---------------------------------------------------------------------------
# WRP007 wrapper-drops-arguments
# ---------------------------------------------------------------------------

DROPS_ARGUMENTS = """
    import functools
    from flask import Flask

    app = Flask(__name__)

    def check(view):
        @functools.wraps(view)
        def wrapper():
            return view()
        return wrapper

    def check_fixed(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            return view(*args, **kwargs)
        return wrapper

    @app.route("/user/<int:id>")
    @check
    def show(id):
        return f"user {id}"

    @app.route("/fixed/user/<int:id>")
    @check_fixed
    def show_fixed(id):
        return f"user {id}"

    @check
    def greet(name):
        return "hello " + name

    class Store:
        def __init__(self):
            self.data = {}

        def locked(method):
            def wrapper(self):
                return method(self)
            return wrapper

        @locked
        def put(self, key, value):
            self.data[key] = value
"""


def test_wrp007_flask_view_with_url_variable_raises_type_error(load) -> None:  # type: ignore[no-untyped-def]
    mod = load(DROPS_ARGUMENTS)
    mod.app.testing = True
    client = mod.app.test_client()
    # Flask calls the view with the URL variables as keyword arguments. The message
    # names the wrapper by the __qualname__ that functools.wraps copied (Python 3.10
    # and later) or by the name its code was written with (3.9)
    name = "show" if sys.version_info >= (3, 10) else "wrapper"
    with pytest.raises(TypeError, match=rf"\b{name}\(\) got an unexpected keyword argument 'id'"):
        client.get("/user/5")
    assert mod.show.__wrapped__(id=5) == "user 5"  # the view itself accepts it

    response = client.get("/fixed/user/5")
    assert response.status_code == 200
    assert response.data == b"user 5"


def test_wrp007_every_call_raises_type_error(load) -> None:  # type: ignore[no-untyped-def]
    mod = load(DROPS_ARGUMENTS)
    with pytest.raises(TypeError, match=r"takes 0 positional arguments but 1 was given"):
        mod.greet("ada")
    with pytest.raises(TypeError, match=r"takes 1 positional argument but 3 were given"):
        mod.Store().put("k", 1)
    assert mod.check_fixed(mod.greet.__wrapped__)("ada") == "hello ada"


# ---------------------------------------------------------------------------
# WRP008 sync-wrapper-on-async
# ---------------------------------------------------------------------------

SYNC_ON_ASYNC = """
    import asyncio
    import functools
    import threading
    import time

    errors = []
    timings = []
    lock = threading.Lock()
    attempts = []

    def log_errors(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            try:
                return func(*args, **kwargs)
            except ValueError as exc:
                errors.append(str(exc))
                return "fallback"
        return wrapper

    def log_errors_fixed(func):
        @functools.wraps(func)
        async def wrapper(*args, **kwargs):
            try:
                return await func(*args, **kwargs)
            except ValueError as exc:
                errors.append(str(exc))
                return "fallback"
        return wrapper

    def timed(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            result = func(*args, **kwargs)
            timings.append(time.perf_counter() - start)
            return result
        return wrapper

    def timed_fixed(func):
        @functools.wraps(func)
        async def wrapper(*args, **kwargs):
            start = time.perf_counter()
            result = await func(*args, **kwargs)
            timings.append(time.perf_counter() - start)
            return result
        return wrapper

    def synchronized(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with lock:
                return func(*args, **kwargs)
        return wrapper

    def synchronized_fixed(func):
        @functools.wraps(func)
        async def wrapper(*args, **kwargs):
            with lock:
                return await func(*args, **kwargs)
        return wrapper

    def retry(times):
        def deco(func):
            @functools.wraps(func)
            def wrapper(*args, **kwargs):
                for _ in range(times):
                    try:
                        return func(*args, **kwargs)
                    except ConnectionError:
                        pass
                raise ConnectionError("giving up")
            return wrapper
        return deco

    @log_errors
    async def load():
        await asyncio.sleep(0)
        raise ValueError("boom")

    @log_errors_fixed
    async def load_fixed():
        await asyncio.sleep(0)
        raise ValueError("boom")

    @timed
    async def fetch():
        await asyncio.sleep(0.2)
        return "data"

    @timed_fixed
    async def fetch_fixed():
        await asyncio.sleep(0.2)
        return "data"

    @synchronized
    async def holds_lock():
        await asyncio.sleep(0)
        return lock.locked()

    @synchronized_fixed
    async def holds_lock_fixed():
        await asyncio.sleep(0)
        return lock.locked()

    @retry(3)
    async def download():
        attempts.append(1)
        raise ConnectionError("refused")
"""


def test_wrp008_try_except_does_not_catch_the_coroutine_exception(load) -> None:  # type: ignore[no-untyped-def]
    mod = load(SYNC_ON_ASYNC)
    with pytest.raises(ValueError, match="boom"):
        asyncio.run(mod.load())
    assert mod.errors == []  # the handler never ran

    assert asyncio.run(mod.load_fixed()) == "fallback"
    assert mod.errors == ["boom"]


def test_wrp008_timer_measures_creating_the_coroutine_not_running_it(load) -> None:  # type: ignore[no-untyped-def]
    mod = load(SYNC_ON_ASYNC)
    started = time.perf_counter()
    assert asyncio.run(mod.fetch()) == "data"
    assert time.perf_counter() - started >= 0.19
    assert len(mod.timings) == 1
    assert mod.timings[0] < 0.05  # ~0: the sleep ran after the wrapper returned

    mod.timings.clear()
    assert asyncio.run(mod.fetch_fixed()) == "data"
    assert mod.timings[0] >= 0.19


def test_wrp008_lock_is_released_before_the_coroutine_runs(load) -> None:  # type: ignore[no-untyped-def]
    mod = load(SYNC_ON_ASYNC)
    assert asyncio.run(mod.holds_lock()) is False
    assert asyncio.run(mod.holds_lock_fixed()) is True


def test_wrp008_retry_never_retries_the_coroutine(load) -> None:  # type: ignore[no-untyped-def]
    mod = load(SYNC_ON_ASYNC)
    with pytest.raises(ConnectionError, match="refused"):
        asyncio.run(mod.download())
    assert mod.attempts == [1]  # one attempt, and the wrapper's "giving up" never ran
