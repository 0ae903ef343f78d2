"""What the command does when the files, the folder or another process work against it.

Nothing is lost (an edit made while ``--fix`` runs, a hard-linked or foreign-owned
file), nothing hangs (a FIFO, a link to ``/dev/zero``), and nothing a repository
contains (a planted cache, a symbolic link) hides a finding or makes the command
write outside the paths it was given.
"""

from __future__ import annotations

import ast
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from flake8_wraps.command import cache as cache_module
from flake8_wraps.command import cli
from flake8_wraps.command.per_file import PerFileIgnores
from flake8_wraps.fixer import engine, writing
from flake8_wraps.options import Options

from conftest import MISSING_WRAPS, ROOT, WRP001_DECO, lines, write

FIXED_MARK = "@functools.wraps(f)"


def _process(cwd: Path, *args: str, cache: bool = False, **options: Any) -> Any:
    """The command in a process of its own; its results cache off unless asked."""
    env = {**os.environ, "FLAKE8_WRAPS_NO_CACHE": "" if cache else "1"}
    options.setdefault("text", True)
    if "stdout" not in options:
        options.setdefault("capture_output", True)
    return subprocess.run(
        [sys.executable, "-m", "flake8_wraps.command.cli", *args],
        cwd=cwd,
        env=env,
        timeout=options.pop("timeout", 120),
        **options,
    )


def _run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], cwd: Path, *args: str
) -> tuple[int, list[str], list[str]]:
    monkeypatch.chdir(cwd)
    status = cli.main(["-j", "1", *args])
    captured = capsys.readouterr()
    return status, lines(captured.out), lines(captured.err)


# --- an edit made while --fix runs ----------------------------------------------------


def _edit_while_fixing(monkeypatch: pytest.MonkeyPatch, edit) -> None:  # type: ignore[no-untyped-def]
    """Make ``edit`` happen after the fixer read the file and before it writes."""
    original = engine.fix_source

    def fix_then_edit(path, source, *args, **kwargs):  # type: ignore[no-untyped-def]
        outcome = original(path, source, *args, **kwargs)
        edit(path)
        return outcome

    monkeypatch.setattr(engine, "fix_source", fix_then_edit)


def test_a_line_appended_while_fixing_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = MISSING_WRAPS + "x = 1\n" * 20_000
    path = write(tmp_path, "big.py", source)

    def append(name: str) -> None:
        with open(name, "a") as stream:
            stream.write("# written by the editor\n")

    _edit_while_fixing(monkeypatch, append)
    status, out, err = _run(monkeypatch, capsys, tmp_path, "--fix", "big.py")
    assert status == 2
    assert out == [f"big.py:2:5: {WRP001_DECO}"]
    assert err == [
        "big.py: error: changed while it was being fixed; not fixed, left as it is now",
        "0 fixes in 0 files, 1 finding left",
    ]
    assert path.read_text() == source + "# written by the editor\n"


def test_an_edit_that_keeps_size_and_time_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "mod.py", MISSING_WRAPS + "x = 1\n")

    def same_size_same_time(name: str) -> None:
        before = os.stat(name)
        Path(name).write_text(MISSING_WRAPS + "x = 2\n")
        os.utime(name, ns=(before.st_atime_ns, before.st_mtime_ns))

    _edit_while_fixing(monkeypatch, same_size_same_time)
    status, _, err = _run(monkeypatch, capsys, tmp_path, "--fix", "mod.py")
    assert status == 2
    assert err[0] == "mod.py: error: changed while it was being fixed; not fixed, left as it is now"
    assert path.read_text() == MISSING_WRAPS + "x = 2\n"


# --- links and owners -------------------------------------------------------------------


def test_a_hard_linked_file_is_not_split(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "src/mod.py")
    other = tmp_path / "elsewhere.py"
    os.link(path, other)
    status, out, err = _run(monkeypatch, capsys, tmp_path, "--fix", "src")
    assert status == 2
    assert out == [f"src/mod.py:2:5: {WRP001_DECO}"]
    assert err[0] == (
        "src/mod.py: error: not fixed: the file has 2 hard links, which replacing it would split"
    )
    assert path.read_text() == other.read_text() == MISSING_WRAPS
    assert os.stat(path).st_ino == os.stat(other).st_ino


def test_a_file_the_process_may_not_write_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Access is asked of the system, not read off the owner's write bit."""
    path = write(tmp_path, "mod.py")
    write(tmp_path, "other.py")
    real_access = os.access
    monkeypatch.setattr(
        writing.os,
        "access",
        lambda name, mode: not str(name).endswith("mod.py") and real_access(name, mode),
    )
    status, _, err = _run(monkeypatch, capsys, tmp_path, "--fix", "mod.py", "other.py")
    assert status == 2
    assert err == [
        "mod.py: error: cannot write: permission denied",
        "1 fix in 1 file, 1 finding left",
    ]
    assert path.read_text() == MISSING_WRAPS
    assert FIXED_MARK in (tmp_path / "other.py").read_text()


needs_root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="changes owners: needs root"
)


@needs_root
def test_root_keeps_the_owner_and_group_of_a_fixed_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "mod.py")
    os.chown(path, 4242, 4343)
    status, _, _ = _run(monkeypatch, capsys, tmp_path, "--fix", "mod.py")
    assert status == 0
    assert FIXED_MARK in path.read_text()
    after = os.stat(path)
    assert (after.st_uid, after.st_gid) == (4242, 4343)


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A world-writable folder that the unprivileged user can reach."""
    folder = Path(tempfile.mkdtemp(prefix="flake8-wraps-shared-"))
    folder.chmod(0o777)
    yield folder
    for child in folder.iterdir():
        child.unlink()
    folder.rmdir()


def _as_nobody() -> None:
    os.setgid(65534)
    os.setuid(65534)


def _interpreter_for_nobody() -> tuple[str, dict[str, str]] | None:
    """An interpreter the unprivileged user can run with this project importable:
    this one, or the system's of the same version with this environment's packages."""
    import site
    import sysconfig

    paths = [str(ROOT), sysconfig.get_paths()["purelib"], *site.getsitepackages()]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths), "FLAKE8_WRAPS_NO_CACHE": "1"}
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    for candidate in (sys.executable, f"/usr/bin/python{version}"):
        try:
            probe = subprocess.run(
                [candidate, "-c", "import flake8_wraps.command.cli"],
                preexec_fn=_as_nobody,
                env=env,
                capture_output=True,
                timeout=60,
            )
        except OSError:
            continue
        if probe.returncode == 0:
            return candidate, env
    return None


@needs_root
def test_an_unprivileged_user_does_not_replace_a_file_of_roots(shared_folder: Path) -> None:
    found = _interpreter_for_nobody()
    if found is None:
        pytest.skip("no interpreter here that the unprivileged user can run")
    interpreter, env = found
    path = write(shared_folder, "mod.py")
    path.chmod(0o644)  # root's, readable by all, writable by root only
    result = subprocess.run(
        [interpreter, "-m", "flake8_wraps.command.cli", "--fix", "mod.py"],
        cwd=shared_folder,
        env=env,
        preexec_fn=_as_nobody,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert lines(result.stderr)[0] == "mod.py: error: cannot write: permission denied"
    assert path.read_text() == MISSING_WRAPS
    assert os.stat(path).st_uid == 0
    assert sorted(p.name for p in shared_folder.iterdir()) == ["mod.py"]


# --- files that are not files -----------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("named", [False, True], ids=["walked", "named"])
def test_a_fifo_and_a_link_to_an_endless_device_are_one_line_each(
    tmp_path: Path, named: bool
) -> None:
    os.mkfifo(tmp_path / "fifo.py")
    (tmp_path / "zero.py").symlink_to("/dev/zero")
    write(tmp_path, "good.py")
    args = ["fifo.py", "zero.py", "good.py"] if named else ["."]
    result = _process(tmp_path, *args, timeout=30)
    prefix = "" if named else "./"
    assert result.returncode == 2
    assert lines(result.stdout) == [f"{prefix}good.py:2:5: {WRP001_DECO}"]
    assert sorted(lines(result.stderr)) == [
        f"{prefix}fifo.py: error: not a regular file",
        f"{prefix}zero.py: error: not a regular file",
    ]


# --- what a repository can plant --------------------------------------------------------


def _planted_cache(root: Path, name: str = "mod.py") -> tuple[Path, dict[str, Any]]:
    """A cache entry that says ``name`` is clean, with the right content digest."""
    digest = cache_module.digest_of((root / name).read_bytes())
    key = str((root / name).resolve())
    entries = {key: [0, 0, digest, []]}
    folder = root / ".flake8_wraps_cache"
    folder.mkdir(exist_ok=True)
    return folder / _cache_name(), entries


def _cache_name() -> str:
    """The cache file the command reads and writes with the default options."""
    return f"{cache_module.key_for(Options(), PerFileIgnores().key())}.cache"


def _cached_run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result: subprocess.CompletedProcess[str] = _process(root, "-j", "1", *args, cache=True)
    return result


@pytest.mark.parametrize("how", ["unsigned", "other key", "malformed rows"])
def test_a_planted_cache_hides_nothing(tmp_path: Path, how: str) -> None:
    write(tmp_path, "mod.py")
    cache_file, entries = _planted_cache(tmp_path)
    payload = json.dumps({"entries": entries}).encode()
    if how == "unsigned":
        cache_file.write_bytes(payload)
    elif how == "other key":
        cache_file.write_bytes(cache_module.sign(payload, b"k" * 32))
    else:  # signed as this user's cache would be, but not the shape the cache writes
        key = cache_module.user_key()
        assert key is not None
        bad = {next(iter(entries)): ["0", 0, "x", [["1", 0, "WRP001", "m", None, None]]]}
        cache_file.write_bytes(cache_module.sign(json.dumps({"entries": bad}).encode(), key))
    check = _cached_run(tmp_path, "mod.py")
    assert (check.returncode, check.stderr) == (1, "")
    assert lines(check.stdout) == [f"mod.py:2:5: {WRP001_DECO}"]
    fix = _cached_run(tmp_path, "--fix", "mod.py")
    assert fix.returncode == 0, fix.stderr
    assert FIXED_MARK in (tmp_path / "mod.py").read_text()


@pytest.mark.parametrize("how", ["unsigned", "other key", "this user's key"])
def test_a_planted_scan_of_the_project_hides_nothing(tmp_path: Path, how: str) -> None:
    """A cache that says no file of the project applies the decorator (WRP001's
    evidence of use), and that the decorator's module is clean, is not believed; the
    same file signed with this user's key (a cache the command wrote itself) is: the
    plant is the file the command reads."""
    (tmp_path / "setup.py").write_text("")  # the project's root; no configuration
    decorators = tmp_path / "decos.py"
    decorators.write_text(MISSING_WRAPS.split("\n\n\n@deco")[0] + "\n")
    views = tmp_path / "views.py"
    views.write_text("from decos import deco\n\n\n@deco\ndef view():\n    pass\n")
    cache_file, entries = _planted_cache(tmp_path, "decos.py")
    root = str(tmp_path.resolve())
    entries[next(iter(entries))] += [[], [], [[root, "deco", False]]]
    status = views.stat()
    scanned = {str(views.resolve()): [status.st_mtime_ns, status.st_size, []]}
    payload = json.dumps({"entries": entries, "applied": scanned}).encode()
    key = {"other key": b"k" * 32, "this user's key": cache_module.user_key()}.get(how)
    cache_file.write_bytes(payload if key is None else cache_module.sign(payload, key))
    check = _cached_run(tmp_path, "decos.py")
    if how == "this user's key":
        assert (check.returncode, check.stdout, check.stderr) == (0, "", "")
        return
    assert (check.returncode, check.stderr) == (1, "")
    assert lines(check.stdout) == [f"decos.py:2:5: {WRP001_DECO}"]


def test_a_cache_folder_that_is_a_link_is_not_written_through(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    project = tmp_path / "project"
    write(project, "mod.py")
    (project / ".flake8_wraps_cache").symlink_to(outside, target_is_directory=True)
    result = _cached_run(project, ".")
    assert result.returncode == 1, result.stderr
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize("planted", [".gitignore", "cache file"])
def test_links_inside_the_cache_folder_are_not_written_through(
    tmp_path: Path, planted: str
) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("precious\n")
    project = tmp_path / "project"
    write(project, "mod.py")
    folder = project / ".flake8_wraps_cache"
    folder.mkdir()
    name = ".gitignore" if planted == ".gitignore" else _cache_name()
    (folder / name).symlink_to(outside)
    result = _cached_run(project, ".")
    assert result.returncode == 1, result.stderr
    assert outside.read_text() == "precious\n"


def test_fix_does_not_write_through_a_link_that_leaves_the_paths_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = write(tmp_path, "outside/target.py")
    project = tmp_path / "project"
    write(project, "inside.py")
    (project / "link.py").symlink_to(outside)
    (project / "near.py").symlink_to(project / "inside.py")
    status, _, err = _run(monkeypatch, capsys, project, "--fix", ".")
    assert status == 2
    assert err == [
        "./link.py: error: not fixed: a symbolic link to a file outside the paths given "
        "(--fix-through-symlinks allows it)",
        "1 fix in 1 file, 1 finding left",
    ]
    assert outside.read_text() == MISSING_WRAPS
    assert FIXED_MARK in (project / "inside.py").read_text()
    status, _, _ = _run(monkeypatch, capsys, project, "--fix", "--fix-through-symlinks", ".")
    assert status == 0
    assert FIXED_MARK in outside.read_text()


# --- fixes that must not break the module --------------------------------------------

SHIM_MODULE = """\
import types

functools = types.SimpleNamespace(call=lambda f, *args, **kwargs: f(*args, **kwargs))


def deco(f):
    def wrapper(*args, **kwargs):
        return functools.call(f, *args, **kwargs)
    return wrapper


@deco
def greet(name):
    return f"hello {name}"
"""


@pytest.mark.parametrize("style", ["import", "from"])
def test_a_fix_does_not_shadow_a_module_binding_of_its_name(style: str) -> None:
    shim = SHIM_MODULE if style == "import" else SHIM_MODULE.replace("functools", "wraps")
    outcome = engine.fix_source(
        "shim.py", shim.encode(), Options(), engine.FixSettings(False, style)
    )
    assert outcome.error is None and outcome.applied == 1
    namespace: dict[str, Any] = {}
    exec(compile(outcome.fixed, "shim.py", "exec"), namespace)  # the fixed module runs
    assert namespace["greet"]("you") == "hello you"
    assert namespace["greet"].__name__ == "greet"


MIDDLEWARE = """\
class Middleware:
    \"\"\"A WSGI middleware: wraps an app and is one.\"\"\"

    def __init__(self, app):
        self.app = app
        self.seen = []

    def __call__(self, environ, start_response):
        self.seen.append(environ["PATH_INFO"])
        return self.app(environ, start_response)


@Middleware
@Middleware
def app(environ, start_response):
    return [b"ok"]
"""


def test_the_wrp009_fix_is_unsafe_because_it_copies_the_wrapped_objects_dict() -> None:
    safe = engine.fix_source("mw.py", MIDDLEWARE.encode(), Options(), engine.FixSettings())
    assert safe.applied == 0 and not safe.changed
    unsafe = engine.fix_source(
        "mw.py", MIDDLEWARE.encode(), Options(), engine.FixSettings(unsafe=True)
    )
    assert unsafe.applied == 1
    namespace: dict[str, Any] = {}
    exec(compile(unsafe.fixed, "mw.py", "exec"), namespace)
    outer = namespace["app"]
    inner = outer.__wrapped__
    # update_wrapper copied the inner middleware's attributes over the outer one's:
    # the outer now calls the bare app, and the inner middleware never runs
    assert outer.app is inner.app
    outer({"PATH_INFO": "/"}, None)
    assert inner.seen == outer.seen == ["/"]  # one list, appended to once: inner skipped


# --- modules the fixer cannot take --------------------------------------------------------

DEEP = {
    "plus": "x = " + "+".join(["a"] * 700),
    "attributes": "x = a" + ".b" * 700,
    "calls": "x = f" + "()" * 700,
    "nots": "x = " + "not " * 700 + "a",
    "lambdas": "x = " + "lambda: " * 700 + "1",
    "strings": "x = " + " ".join(['"a"'] * 700),
    "long_and": "x = " + " and ".join(["a"] * 20_000),
    "method_chain": "x = a" + ".b()" * 1000,
    "long_or": "x = " + " or ".join(["a"] * 20_000),
}


def test_deep_modules_are_reported_not_fixed_and_the_run_goes_on(tmp_path: Path) -> None:
    for name, tail in DEEP.items():
        write(tmp_path, f"{name}.py", MISSING_WRAPS + tail + "\n")
    write(tmp_path, "zz_good.py")
    result = _process(tmp_path, "--fix", "-j", "1", ".", timeout=300)
    assert result.returncode == 2, result.stderr  # not 139: no crash of the parser
    assert "Traceback" not in result.stderr
    assert sorted(lines(result.stdout)) == sorted(
        f"./{name}.py:2:5: {WRP001_DECO}" for name in DEEP
    )
    errors = [line for line in lines(result.stderr) if ": error: " in line]
    assert sorted(errors) == sorted(
        f"./{name}.py: error: not fixed: nested too deeply for the fixer" for name in DEEP
    )
    assert FIXED_MARK in (tmp_path / "zz_good.py").read_text()
    for name, tail in DEEP.items():
        assert (tmp_path / f"{name}.py").read_text() == MISSING_WRAPS + tail + "\n"


def test_a_module_too_large_for_the_fixer_is_reported_not_fixed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    big = MISSING_WRAPS + "x = 1\n" * (engine.MAX_FIX_SIZE // 6 + 1)
    path = write(tmp_path, "big.py", big)
    status, out, err = _run(monkeypatch, capsys, tmp_path, "--fix", "big.py")
    assert status == 2
    assert out == [f"big.py:2:5: {WRP001_DECO}"]
    assert err[0] == "big.py: error: not fixed: larger than 1M, the most the fixer rewrites"
    assert path.read_text() == big


# --- output that cannot be written as it is ----------------------------------------------


@pytest.mark.skipif(sys.platform != "linux", reason="file names of raw bytes: Linux")
@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github"])
def test_a_file_name_that_is_not_utf8_is_reported_in_every_format(
    tmp_path: Path, output_format: str
) -> None:
    name = b"caf\xe9.py"  # latin-1, not valid UTF-8
    with open(os.path.join(os.fsencode(tmp_path), name), "w") as stream:
        stream.write(MISSING_WRAPS)
    result = _process(tmp_path, "--format", output_format, ".", text=False)
    assert (result.returncode, result.stderr) == (1, b"")
    if output_format == "sarif":
        uri = json.loads(result.stdout)["runs"][0]["results"][0]["locations"][0]
        assert uri["physicalLocation"]["artifactLocation"]["uri"] == "caf%E9.py"
    elif output_format == "json":
        assert json.loads(result.stdout)[0]["code"] == "WRP001"
    else:
        assert b"caf\xe9.py" in result.stdout


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
def test_output_to_a_full_disk_is_one_line(tmp_path: Path) -> None:
    for number in range(3):
        write(tmp_path, f"mod{number}.py")
    with open("/dev/full", "w") as full:
        result = _process(tmp_path, ".", stdout=full, stderr=subprocess.PIPE)
    assert result.returncode == 2
    assert (
        result.stderr == "flake8-wraps: error: cannot write the output: No space left on device\n"
    )


# --- signals while fixing -------------------------------------------------------------------

SLOW_TO_FIX = MISSING_WRAPS + "\n" + "".join(f"value_{n} = [{n}, {n} + 1]\n" for n in range(3000))


def _fixing_run(root: Path) -> subprocess.Popen[str]:
    for number in range(60):
        write(root, f"mod{number:02}.py", SLOW_TO_FIX)
    return subprocess.Popen(
        [sys.executable, "-m", "flake8_wraps.command.cli", "--no-cache", "--fix", "-j", "2", "."],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, workers included
    )


def _wait_for_a_fixed_file(root: Path, run: subprocess.Popen[str]) -> None:
    for _ in range(600):
        if any(FIXED_MARK in path.read_text() for path in root.glob("*.py")):
            return
        assert run.poll() is None, "the run ended before it was stopped"
        time.sleep(0.05)
    pytest.fail("no file was fixed in 30 s")


def _group_is_gone(group: int) -> bool:
    for _ in range(100):
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="process groups: POSIX")
@pytest.mark.parametrize("whom", ["the command", "its process group"])
def test_sigterm_while_fixing_stops_everything_and_leaves_whole_files(
    tmp_path: Path, whom: str
) -> None:
    run = _fixing_run(tmp_path)
    _wait_for_a_fixed_file(tmp_path, run)
    if whom == "the command":
        run.send_signal(signal.SIGTERM)
    else:
        os.killpg(run.pid, signal.SIGTERM)
    _, err = run.communicate(timeout=30)
    assert run.returncode == 2, err
    assert lines(err)[-1] == "flake8-wraps: terminated"
    assert "Traceback" not in err
    assert _group_is_gone(run.pid), "workers outlived the command"
    after = {path.name: path.read_text() for path in tmp_path.iterdir()}
    time.sleep(1)  # nothing writes any more
    assert {path.name: path.read_text() for path in tmp_path.iterdir()} == after
    assert sorted(after) == [f"mod{number:02}.py" for number in range(60)]  # no .tmp left
    fixed = [name for name, text in after.items() if text != SLOW_TO_FIX]
    assert fixed, "some files were fixed before the signal"
    assert len(fixed) < 60, "the run was stopped before the end"
    for name in fixed:
        ast.parse(after[name])  # whole, not half-written
        assert after[name].count(FIXED_MARK) == 1


def test_an_edit_made_while_the_new_file_is_written_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The last look happens after the temporary file is written, before it replaces."""
    path = write(tmp_path, "mod.py")
    keep_owner = writing._keep_owner

    def keep_owner_then_edit(temporary: str, status: os.stat_result, done: str) -> None:
        keep_owner(temporary, status, done)
        with open(path, "a") as stream:
            stream.write("# late edit\n")

    monkeypatch.setattr(writing, "_keep_owner", keep_owner_then_edit)
    status, _, err = _run(monkeypatch, capsys, tmp_path, "--fix", "mod.py")
    assert status == 2
    assert err[0] == "mod.py: error: changed while it was being fixed; not fixed, left as it is now"
    assert path.read_text() == MISSING_WRAPS + "# late edit\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mod.py"]


def test_an_interrupt_while_writing_leaves_the_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "mod.py")

    def interrupted(source: str, target: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(writing.os, "replace", interrupted)
    status, _, err = _run(monkeypatch, capsys, tmp_path, "--fix", "mod.py")
    assert status == 2
    assert err == ["flake8-wraps: interrupted"]
    assert path.read_text() == MISSING_WRAPS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mod.py"]


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="signal masks: POSIX")
def test_no_signal_lands_between_making_the_temporary_file_and_guarding_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # ^C or SIGTERM between mkstemp and the block that removes the temporary file
    # would leave it behind: they are held while it is made, and released after
    from flake8_wraps.source import FileError, read_source

    path = write(tmp_path, "mod.py")
    read = read_source(str(path))
    assert not isinstance(read, FileError)
    held_while_made: list[bool] = []
    real_mkstemp = tempfile.mkstemp

    def watching_mkstemp(*args: Any, **kwargs: Any) -> tuple[int, str]:
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, [])
        held_while_made.append({signal.SIGINT, signal.SIGTERM} <= set(mask))
        return real_mkstemp(*args, **kwargs)

    monkeypatch.setattr(writing.tempfile, "mkstemp", watching_mkstemp)
    before = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    writing.write_atomically(str(path), b"x = 1\n", read)
    assert held_while_made == [True]
    assert signal.pthread_sigmask(signal.SIG_BLOCK, []) == before
    assert path.read_bytes() == b"x = 1\n"


def test_a_worker_stopping_ignores_a_second_signal_while_it_cleans_up() -> None:
    # a worker told to stop while it writes removes its temporary file; the command,
    # stopped by the same signal sent to its process group, signals its workers again:
    # that second signal must not cut the clean-up short
    from flake8_wraps.command import runner

    saved = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    runner._working = True
    try:
        with pytest.raises(runner.Terminated):
            runner._stop_worker(signal.SIGTERM, None)
        assert signal.getsignal(signal.SIGTERM) == signal.SIG_IGN
        assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    finally:
        runner._working = False
        signal.signal(signal.SIGTERM, saved[0])
        signal.signal(signal.SIGINT, saved[1])
