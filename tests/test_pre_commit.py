"""The hooks of ``.pre-commit-hooks.yaml``, run by the real ``pre-commit``.

Every test builds a small git repository in ``tmp_path`` holding a bad or a clean
module and runs the ``pre-commit`` installed beside this interpreter in a
subprocess, mostly as ``pre-commit try-repo <repo> <hook> --all-files``.

The repository under test is a *snapshot* of this project: every file git
tracks or would track (``git ls-files --cached --others --exclude-standard``),
as it is in the working tree, committed to a fresh repository in a temporary
directory.  ``try-repo`` on the project directory itself would not do: with no
change to a tracked file it clones HEAD, and with changes its shadow copy takes
only the tracked files (``git add -u``) and staged ones, so an uncommitted new
file (the manifest itself, before its first commit, or a new module) is missing
and the tests would run the last commit instead of the code being tested.  The
snapshot is the same in a clean CI clone and in a dirty working tree.

pre-commit builds the hook's environment by pip-installing the snapshot (not
editable: a module left out of the package shows up here), which needs the
package index.  ``try-repo`` always uses a store in a fresh temporary directory
and ignores ``PRE_COMMIT_HOME``, so each ``try-repo`` run builds its own
environment (pip's cache keeps the later builds short).  The test that runs the
hooks from a ``.pre-commit-config.yaml``, as a user would, uses the module's
shared ``PRE_COMMIT_HOME`` and checks that the environment is built once and
then reused.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import APPLIED, MISSING_WRAPS, ROOT, WRP001_DECO

pytestmark = pytest.mark.slow  # each test runs pre-commit, which builds environments

BINDIR = Path(sys.executable).parent
PRE_COMMIT = BINDIR / "pre-commit"
FLAKE8 = BINDIR / "flake8"

CHECK_HOOK = "flake8-wraps"
FIX_HOOK = "flake8-wraps-fix"

# generous: the first environment build downloads the dependencies
TIMEOUT = 600

# --- sources and the lines they produce ----------------------------------------------

# a pass-through wrapper without functools.wraps: WRP001 at 2:5, with a safe fix
MISSING_WRAPS_FIXED = (
    "import functools\n"
    "\n"
    "\n"
    "def deco(f):\n"
    "    @functools.wraps(f)\n"
    "    def wrapper(*args, **kwargs):\n"
    "        return f(*args, **kwargs)\n"
    "    return wrapper\n"
) + APPLIED
CLEAN = MISSING_WRAPS_FIXED

MODIFIED = "- files were modified by this hook"


def status_line(name: str, status: str) -> re.Pattern[str]:
    """pre-commit's ``name.....Passed`` line of one hook."""
    return re.compile(rf"^{re.escape(name)}\.+{status}$", re.M)


# --- environment and helpers ------------------------------------------------------------

# git variables that point git at another repository (set when the tests run
# inside a git hook) and pre-commit's own knobs: none may leak into the runs
_LEAKY = re.compile(r"^(GIT_|PRE_COMMIT|VIRTUALENV_|SKIP$|PYTHONPATH$|PYTHONHOME$)")


def clean_env(**extra: str) -> dict[str, str]:
    """os.environ without the variables above, isolated from the user's git config."""
    env = {k: v for k, v in os.environ.items() if not _LEAKY.match(k)}
    env.update(
        GIT_CONFIG_GLOBAL=os.devnull,  # git >= 2.32; older gits read ~/.gitconfig
        GIT_CONFIG_NOSYSTEM="1",
        PYTHONWARNINGS="ignore",
        **extra,
    )
    return env


def git(*args: str, cwd: Path) -> str:
    """Run git in ``cwd`` with a throw-away identity and no signing or hooks."""
    command = [
        "git",
        "-c", "user.name=flake8-wraps tests",
        "-c", "user.email=tests@flake8-wraps.invalid",
        "-c", "commit.gpgsign=false",
        "-c", "init.defaultBranch=main",
        "-c", "core.autocrlf=false",
        *args,
    ]  # fmt: skip
    result = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, env=clean_env(), timeout=120
    )
    assert result.returncode == 0, (command, result.stdout, result.stderr)
    return result.stdout


def project_files() -> list[str] | None:
    """Paths (relative to ROOT) git tracks or would track; None outside a git repository."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            env=clean_env(),
            timeout=120,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return sorted({name for name in os.fsdecode(listed).split("\0") if name})


def copy_project(target: Path) -> None:
    """The working tree of this project (without git's ignored files) into ``target``."""
    names = project_files()
    if names is None:  # not a git checkout (a source archive): copy all but caches and builds
        shutil.copytree(
            ROOT,
            target,
            symlinks=True,
            ignore=shutil.ignore_patterns(
                ".git", ".tox", ".nox", ".venv", "venv", "build", "dist", "*.egg-info",
                "__pycache__", ".*_cache", ".bench-cache", "*.py[cod]",
            ),
        )  # fmt: skip
        return
    target.mkdir()
    for name in names:
        source = ROOT / name
        if not os.path.lexists(source) or (source.is_dir() and not source.is_symlink()):
            continue  # deleted in the working tree, or a submodule
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target / name, follow_symlinks=False)


def make_repo(root: Path, files: dict[str, str]) -> Path:
    """A git repository at ``root`` with ``files`` staged (pre-commit checks staged files)."""
    root.mkdir()
    git("init", "-q", ".", cwd=root)
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8"))
    git("add", "-A", cwd=root)
    return root


def pre_commit(*args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    """Run the real pre-commit in ``cwd``; stderr is folded into stdout, as a user sees it."""
    result = subprocess.run(
        [str(PRE_COMMIT), *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=clean_env(
            PRE_COMMIT_HOME=str(home),
            PRE_COMMIT_COLOR="never",
            # virtualenv's seed-wheel cache, else in the user's ~/.cache/virtualenv
            VIRTUALENV_OVERRIDE_APP_DATA=str(home / "virtualenv-app-data"),
        ),
        timeout=TIMEOUT,
    )
    assert "Traceback" not in result.stdout, result.stdout
    assert "An error has occurred" not in result.stdout, result.stdout
    return result


def try_repo(
    hook_repo: tuple[Path, str], hook: str, *, cwd: Path, home: Path
) -> subprocess.CompletedProcess[str]:
    return pre_commit(
        "try-repo", str(hook_repo[0]), hook, "--all-files", "--color", "never", cwd=cwd, home=home
    )


# --- fixtures ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One pre-commit store for the module: environments are built once."""
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """(path, commit) of a committed snapshot of this project's working tree."""
    root = tmp_path_factory.mktemp("hook-repo") / "flake8-wraps"
    copy_project(root)
    assert (root / ".pre-commit-hooks.yaml").is_file()
    git("init", "-q", ".", cwd=root)
    git("add", "-A", cwd=root)
    git("commit", "-q", "--no-verify", "-m", "snapshot of the working tree", cwd=root)
    return root, git("rev-parse", "HEAD", cwd=root).strip()


# --- the manifest --------------------------------------------------------------------


def test_the_manifest_is_valid_for_pre_commit(tmp_path: Path) -> None:
    result = pre_commit(
        "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml"), cwd=tmp_path, home=tmp_path
    )
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""


# --- the check hook --------------------------------------------------------------------


def test_check_hook_fails_on_a_missing_wraps_and_names_the_line(
    tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    repo = make_repo(
        tmp_path / "project",
        {
            "pkg/deco.py": MISSING_WRAPS,
            "pkg/deco.pyi": MISSING_WRAPS,  # types_or: stubs are checked too
            "notes.txt": MISSING_WRAPS,  # not Python: never passed to the hook
        },
    )
    result = try_repo(hook_repo, CHECK_HOOK, cwd=repo, home=pre_commit_home)
    assert result.returncode == 1, result.stdout
    assert status_line("flake8-wraps", "Failed").search(result.stdout), result.stdout
    assert f"- hook id: {CHECK_HOOK}\n- exit code: 1\n" in result.stdout
    reported = sorted(line for line in result.stdout.splitlines() if "WRP" in line)
    assert reported == [f"pkg/deco.py:2:5: {WRP001_DECO}", f"pkg/deco.pyi:2:5: {WRP001_DECO}"]
    assert MODIFIED not in result.stdout
    # checking writes nothing
    assert (repo / "pkg" / "deco.py").read_text(encoding="utf-8") == MISSING_WRAPS
    assert git("status", "--porcelain", cwd=repo) == (
        "A  notes.txt\nA  pkg/deco.py\nA  pkg/deco.pyi\n"
    )


def test_check_hook_passes_on_a_clean_file(
    tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    repo = make_repo(tmp_path / "project", {"deco.py": CLEAN, "notes.txt": MISSING_WRAPS})
    result = try_repo(hook_repo, CHECK_HOOK, cwd=repo, home=pre_commit_home)
    assert result.returncode == 0, result.stdout
    assert status_line("flake8-wraps", "Passed").search(result.stdout), result.stdout
    assert "WRP" not in result.stdout


# --- the fix hook ------------------------------------------------------------------------


def test_fix_hook_fixes_the_file_fails_once_and_then_passes(
    tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    repo = make_repo(tmp_path / "project", {"deco.py": MISSING_WRAPS})

    first = try_repo(hook_repo, FIX_HOOK, cwd=repo, home=pre_commit_home)
    # the command exits 0 (everything fixed): pre-commit fails the hook anyway,
    # because it changed a file
    assert first.returncode == 1, first.stdout
    assert status_line("flake8-wraps (fix)", "Failed").search(first.stdout), first.stdout
    assert f"- hook id: {FIX_HOOK}\n{MODIFIED}\n" in first.stdout
    assert "- exit code:" not in first.stdout
    assert "1 fix in 1 file, 0 findings left" in first.stdout
    assert "WRP001" not in first.stdout  # nothing left to report
    fixed = (repo / "deco.py").read_text(encoding="utf-8")
    assert "    @functools.wraps(f)\n    def wrapper(*args, **kwargs):\n" in fixed
    assert fixed == MISSING_WRAPS_FIXED
    # the fix is in the working tree, for the user to review and stage
    assert git("status", "--porcelain", cwd=repo) == "AM deco.py\n"

    second = try_repo(hook_repo, FIX_HOOK, cwd=repo, home=pre_commit_home)
    assert second.returncode == 0, second.stdout
    assert status_line("flake8-wraps (fix)", "Passed").search(second.stdout), second.stdout
    assert MODIFIED not in second.stdout
    assert (repo / "deco.py").read_text(encoding="utf-8") == MISSING_WRAPS_FIXED


# --- the hooks from a .pre-commit-config.yaml, as a user adds them ---------------------


def test_config_with_both_hooks_builds_one_environment_and_reuses_it(
    tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    path, rev = hook_repo
    config = (
        "repos:\n"
        f"  - repo: {json.dumps(str(path))}\n"
        f"    rev: {rev}\n"
        "    hooks:\n"
        f"      - id: {CHECK_HOOK}\n"
        f"      - id: {FIX_HOOK}\n"
    )
    repo = make_repo(
        tmp_path / "project", {".pre-commit-config.yaml": config, "deco.py": MISSING_WRAPS}
    )
    installing = re.compile(r"^\[INFO\] Installing environment for ", re.M)

    first = pre_commit("run", "--all-files", "--color", "never", cwd=repo, home=pre_commit_home)
    assert first.returncode == 1, first.stdout
    # both hooks share one environment; the check runs first and sees the finding
    assert len(installing.findall(first.stdout)) <= 1, first.stdout
    assert status_line("flake8-wraps", "Failed").search(first.stdout), first.stdout
    assert status_line("flake8-wraps (fix)", "Failed").search(first.stdout), first.stdout
    assert f"deco.py:2:5: {WRP001_DECO}" in first.stdout.splitlines()
    assert f"- hook id: {FIX_HOOK}\n{MODIFIED}\n" in first.stdout
    assert (repo / "deco.py").read_text(encoding="utf-8") == MISSING_WRAPS_FIXED

    second = pre_commit("run", "--all-files", "--color", "never", cwd=repo, home=pre_commit_home)
    assert second.returncode == 0, second.stdout
    assert not installing.search(second.stdout), second.stdout  # reused from the store
    assert status_line("flake8-wraps", "Passed").search(second.stdout), second.stdout
    assert status_line("flake8-wraps (fix)", "Passed").search(second.stdout), second.stdout
    assert len(list(pre_commit_home.glob("repo*/py_env-*"))) == 1


# --- the plugin through flake8 under pre-commit -------------------------------------------


def test_plugin_reports_through_flake8_in_a_local_pre_commit_hook(
    tmp_path: Path, pre_commit_home: Path
) -> None:
    # The flake8 hook from GitHub (repo: https://github.com/PyCQA/flake8 with
    # additional_dependencies: [flake8-wraps]) needs the network and a release on
    # the index; a local hook running this venv's flake8 shows the same route:
    # pre-commit passes the staged files to flake8, which loads the WRP plugin.
    entry = f"{shlex.quote(str(FLAKE8))} --select=WRP"
    config = (
        "repos:\n"
        "  - repo: local\n"
        "    hooks:\n"
        "      - id: flake8\n"
        "        name: flake8 (WRP)\n"
        f"        entry: {json.dumps(entry)}\n"
        "        language: system\n"
        "        types: [python]\n"
        "        require_serial: true\n"
    )
    repo = make_repo(
        tmp_path / "project",
        {".pre-commit-config.yaml": config, "deco.py": MISSING_WRAPS, "clean.py": CLEAN},
    )
    result = pre_commit("run", "--all-files", "--color", "never", cwd=repo, home=pre_commit_home)
    assert result.returncode == 1, result.stdout
    assert status_line("flake8 (WRP)", "Failed").search(result.stdout), result.stdout
    assert "- hook id: flake8\n- exit code: 1\n" in result.stdout
    reported = [line for line in result.stdout.splitlines() if re.search(r": [A-Z]+\d+ ", line)]
    assert reported == [f"deco.py:2:5: {WRP001_DECO}"]
    assert (repo / "deco.py").read_text(encoding="utf-8") == MISSING_WRAPS

    # and a noqa comment naming WRP001 silences it there too
    (repo / "deco.py").write_text(
        MISSING_WRAPS.replace("(*args, **kwargs):\n", "(*args, **kwargs):  # noqa: WRP001\n", 1),
        encoding="utf-8",
    )
    quiet = pre_commit("run", "--all-files", "--color", "never", cwd=repo, home=pre_commit_home)
    assert quiet.returncode == 0, quiet.stdout
    assert status_line("flake8 (WRP)", "Passed").search(quiet.stdout), quiet.stdout
