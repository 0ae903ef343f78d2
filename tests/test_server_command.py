"""``flake8-wraps server`` as a command: how it is told from a path, and what it says
when the lsp extra is not installed.  (The server itself: test_server.py.)"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import MISSING_WRAPS, write

# the command as an editor starts it, with the protocol library made unimportable
WITHOUT_PYGLS = """
import sys
sys.modules["pygls"] = None
from flake8_wraps.command.cli import main
sys.exit(main(sys.argv[1:]))
"""


def run(*args: str, cwd: Path, script: str | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", script] if script else [sys.executable, "-m", "flake8_wraps"]
    return subprocess.run(
        [*command, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_without_the_lsp_extra_the_server_says_how_to_install_it(tmp_path: Path) -> None:
    result = run("server", cwd=tmp_path, script=WITHOUT_PYGLS)
    assert result.returncode == 2
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(
        "flake8-wraps: error: the language server needs the lsp extra "
        "(pip install 'flake8-wraps[lsp]')"
    )


def test_a_check_never_needs_the_lsp_extra(tmp_path: Path) -> None:
    write(tmp_path, "server/views.py", MISSING_WRAPS)
    result = run("--no-cache", ".", cwd=tmp_path, script=WITHOUT_PYGLS)
    assert result.returncode == 1, result.stderr
    assert "server/views.py:2:5: WRP001" in result.stdout


def test_a_folder_named_server_is_checked_when_named_as_a_path(tmp_path: Path) -> None:
    write(tmp_path, "server/views.py", MISSING_WRAPS)
    result = run("--no-cache", "./server", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("server/views.py:2:5: WRP001") or result.stdout.startswith(
        "./server/views.py:2:5: WRP001"
    )
    # the path after another argument is a path too
    result = run("--no-cache", "--exit-zero", "server", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "views.py:2:5: WRP001" in result.stdout


def test_server_help_is_the_servers(tmp_path: Path) -> None:
    result = run("server", "--help", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("usage: flake8-wraps server")
    result = run("server", "--port", "8000", cwd=tmp_path)
    assert result.returncode == 2
    assert "unrecognized arguments: --port 8000" in result.stderr
