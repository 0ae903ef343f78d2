"""The results cache: same answers as without it, never stale, never trusted across
options or versions, safe against corrupt files and concurrent runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import flake8_wraps
from flake8_wraps.command import cache as cache_module
from flake8_wraps.options import Options

from conftest import run_tool

DECORATOR = (
    "def deco(func):\n"
    "    def wrapper(*args, **kwargs):\n"
    "        return func(*args, **kwargs)\n"
    "    return wrapper\n"
)
CLEAN = "x = 1\n"


def _tree(root: Path, files: int = 6) -> None:
    for number in range(files):
        (root / f"m{number}.py").write_text(DECORATOR if number % 2 else CLEAN)


def _cache_file(directory: Path) -> Path:
    files = sorted(directory.glob("*.cache"))
    assert len(files) == 1, files
    return files[0]


def _read(cache_file: Path) -> dict[str, Any]:
    """A cache file's content, verified with this session's key."""
    key = cache_module.user_key()
    assert key is not None
    payload = cache_module.verified(cache_file.read_bytes(), key)
    assert payload is not None
    data: dict[str, Any] = json.loads(payload)
    return data


def _write(cache_file: Path, data: dict[str, Any]) -> None:
    """Rewrite a cache file as the command would (signed with this session's key)."""
    key = cache_module.user_key()
    assert key is not None
    cache_file.write_bytes(cache_module.sign(json.dumps(data).encode(), key))


def test_warm_run_gives_the_same_output_and_comes_from_the_cache(tmp_path: Path) -> None:
    _tree(tmp_path)
    cold = run_tool("flake8-wraps", ".", cwd=tmp_path, cache=True)
    cache_file = _cache_file(tmp_path / ".flake8_wraps_cache")
    entries = _read(cache_file)["entries"]
    assert len(entries) == 6
    warm = run_tool("flake8-wraps", ".", cwd=tmp_path, cache=True)
    assert (warm.returncode, warm.stdout, warm.stderr) == (cold.returncode, cold.stdout, "")
    assert cold.returncode == 1 and len(cold.stdout.splitlines()) == 3
    # the warm run answered from the cache: poison an entry and see it come back
    key = str((tmp_path / "m0.py").resolve())
    data = _read(cache_file)
    data["entries"][key][3] = [[1, 0, "WRP001", "WRP001 from the cache", None, None, "", ""]]
    _write(cache_file, data)
    poisoned = run_tool("flake8-wraps", "m0.py", cwd=tmp_path, cache=True)
    assert poisoned.stdout == "m0.py:1:1: WRP001 from the cache\n"


def test_a_changed_file_is_checked_again(tmp_path: Path) -> None:
    _tree(tmp_path, 2)
    run_tool("flake8-wraps", ".", cwd=tmp_path, cache=True)
    (tmp_path / "m0.py").write_text(DECORATOR + "\n# changed\n")
    again = run_tool("flake8-wraps", ".", cwd=tmp_path, cache=True)
    assert [line.split(":")[0] for line in again.stdout.splitlines()] == ["./m0.py", "./m1.py"]


def test_same_content_with_a_new_mtime_is_a_hit_by_hash(tmp_path: Path) -> None:
    _tree(tmp_path, 2)
    run_tool("flake8-wraps", ".", cwd=tmp_path, cache=True)
    cache_file = _cache_file(tmp_path / ".flake8_wraps_cache")
    key = str((tmp_path / "m1.py").resolve())
    data = _read(cache_file)
    data["entries"][key][3] = [[1, 0, "WRP001", "WRP001 remembered", None, None, "", ""]]
    _write(cache_file, data)
    os.utime(tmp_path / "m1.py", ns=(1, 1))  # same bytes, new timestamp
    result = run_tool("flake8-wraps", "m1.py", cwd=tmp_path, cache=True)
    assert result.stdout == "m1.py:1:1: WRP001 remembered\n"


def test_other_options_or_version_use_another_cache_file() -> None:
    plain = cache_module.key_for(Options())
    configured = cache_module.key_for(Options({"wraps-route-objects": ("api",)}))
    ignoring = cache_module.key_for(Options(disabled=frozenset({"WRP001"})))
    assert len({plain, configured, ignoring}) == 3
    original = flake8_wraps.__version__
    try:
        flake8_wraps.__version__ = "999"
        assert cache_module.key_for(Options()) != plain
    finally:
        flake8_wraps.__version__ = original


# the command run as if by another Python version
OTHER_PYTHON = """
import sys
from flake8_wraps.command import cli
sys.version_info = (sys.version_info[0], sys.version_info[1] + 1, 0, "final", 0)
sys.exit(cli.main(sys.argv[1:]))
"""


def test_results_cached_by_another_python_version_are_not_used(tmp_path: Path) -> None:
    # what parses differs between versions (a match statement is a syntax error before
    # 3.10), so a cache filled by one is not read by another
    _tree(tmp_path, 2)
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    env.pop(cache_module.ENV_DISABLE, None)
    env.pop(cache_module.ENV_DIRECTORY, None)
    other = subprocess.run(
        [sys.executable, "-c", OTHER_PYTHON, "."], cwd=tmp_path, env=env, capture_output=True
    )
    assert other.returncode == 1, other.stderr
    cache_file = _cache_file(tmp_path / ".flake8_wraps_cache")
    data = _read(cache_file)
    data["entries"][str((tmp_path / "m0.py").resolve())][3] = [
        [1, 0, "WRP001", "WRP001 cached by another Python", None, None]
    ]
    _write(cache_file, data)
    result = run_tool("flake8-wraps", ".", cwd=tmp_path, cache=True)
    assert "another Python" not in result.stdout
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == ["./m1.py"]
    assert len(list((tmp_path / ".flake8_wraps_cache").glob("*.cache"))) == 2


KEY_SCRIPT = """
from flake8_wraps.command.cache import key_for
from flake8_wraps.options import Options
print(key_for(Options(disabled={"WRP001", "WRP002", "WRP003", "WRP004", "WRP101"})))
"""


def test_the_same_options_give_the_same_cache_file_in_every_process() -> None:
    # set iteration order changes with the hash seed; the key must not
    keys = {
        subprocess.run(
            [sys.executable, "-c", KEY_SCRIPT],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in range(1, 6)
    }
    assert len(keys) == 1


def test_changing_an_option_does_not_reuse_results(tmp_path: Path) -> None:
    (tmp_path / "views.py").write_text(
        "from myproj import api, login_required\n\n\n"
        "@login_required\n@api.post\ndef create():\n    return 1\n"
    )
    first = run_tool("flake8-wraps", ".", cwd=tmp_path, cache=True)
    assert first.stdout == ""
    second = run_tool("flake8-wraps", "--wraps-route-objects=api", ".", cwd=tmp_path, cache=True)
    assert "WRP101" in second.stdout


def test_corrupt_cache_files_are_ignored_and_rebuilt(tmp_path: Path) -> None:
    _tree(tmp_path, 2)
    run_tool("flake8-wraps", ".", cwd=tmp_path, cache=True)
    cache_file = _cache_file(tmp_path / ".flake8_wraps_cache")
    for garbage in ("{not json", "[]", '{"format": 1, "entries": {"x": 5}}', ""):
        cache_file.write_text(garbage)
        result = run_tool("flake8-wraps", ".", cwd=tmp_path, cache=True)
        assert result.returncode == 1 and result.stderr == ""
        assert len(result.stdout.splitlines()) == 1
    assert _read(cache_file)["entries"]  # rebuilt, signed, readable


def test_cache_dir_flag_environment_and_no_cache(tmp_path: Path) -> None:
    _tree(tmp_path, 2)
    run_tool("flake8-wraps", "--cache-dir", "elsewhere", ".", cwd=tmp_path, cache=True)
    assert _cache_file(tmp_path / "elsewhere")
    assert not (tmp_path / ".flake8_wraps_cache").exists()
    run_tool("flake8-wraps", "--no-cache", ".", cwd=tmp_path, cache=True)
    assert not (tmp_path / ".flake8_wraps_cache").exists()
    env = {**os.environ, "FLAKE8_WRAPS_CACHE_DIR": str(tmp_path / "from-env")}
    env.pop("FLAKE8_WRAPS_NO_CACHE", None)
    command = [str(Path(sys.executable).parent / "flake8-wraps"), "."]
    subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, check=False)
    assert _cache_file(tmp_path / "from-env")
    assert (tmp_path / "from-env" / ".gitignore").read_text().endswith("*\n")


def test_concurrent_runs_leave_a_whole_cache(tmp_path: Path) -> None:
    _tree(tmp_path, 30)
    env = {**os.environ}
    env.pop("FLAKE8_WRAPS_NO_CACHE", None)
    command = [str(Path(sys.executable).parent / "flake8-wraps"), "-j", "1", "."]
    runs = [
        subprocess.Popen(
            command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(4)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert len({out for out, _ in outputs}) == 1
    assert all(err == b"" for _, err in outputs)
    data = _read(_cache_file(tmp_path / ".flake8_wraps_cache"))
    assert len(data["entries"]) == 30
    assert not list((tmp_path / ".flake8_wraps_cache").glob("*.tmp"))


def test_fix_mode_skips_files_the_cache_knows_are_clean_and_fixes_the_others(
    tmp_path: Path,
) -> None:
    _tree(tmp_path, 4)
    run_tool("flake8-wraps", ".", cwd=tmp_path, cache=True)
    fixed = run_tool("flake8-wraps", "--fix", ".", cwd=tmp_path, cache=True)
    assert fixed.stderr.strip() == "2 fixes in 2 files, 0 findings left"
    assert "@functools.wraps(func)" in (tmp_path / "m1.py").read_text()
    again = run_tool("flake8-wraps", ".", cwd=tmp_path, cache=True)
    assert (again.returncode, again.stdout) == (0, "")


def test_a_warm_run_with_nothing_new_leaves_the_cache_file_as_it_is(tmp_path: Path) -> None:
    for marker in ("", "setup.py"):  # without and with a project to scan for evidence
        root = tmp_path / (marker or "loose")
        root.mkdir()
        if marker:
            (root / marker).write_text("")
        _tree(root)
        run_tool("flake8-wraps", ".", cwd=root, cache=True)
        cache_file = _cache_file(root / ".flake8_wraps_cache")
        before = (cache_file.stat().st_mtime_ns, cache_file.read_bytes())
        warm = run_tool("flake8-wraps", ".", cwd=root, cache=True)
        # in the project nothing applies ``deco``: the evidence of use is looked for
        assert warm.returncode == (0 if marker else 1), warm.stderr
        assert (cache_file.stat().st_mtime_ns, cache_file.read_bytes()) == before
        if marker:
            assert _read(cache_file)["applied"]  # the project's scan is kept
