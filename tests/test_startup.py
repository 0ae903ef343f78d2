"""The command starts light: a check loads none of the modules it does not need.

Start-up time is measured by the benchmark (``bench/run.py``, the start-up row); this
test only keeps slow imports from creeping back into a plain check.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import write

# what a check of a few files in a folder without a .gitignore never needs
NOT_NEEDED = (
    "libcst",  # only for a file with a fix to make
    "importlib.metadata",  # slow to import; the version is written in the package
    "logging",  # only the flake8 plugin logs
    "pathspec",  # only when there is a .gitignore to read
    "concurrent.futures",  # only for a process pool, for many files
    "tempfile",  # only when the cache is written
    "flake8",  # the command does not run flake8
    "pygls",  # only the language server (flake8-wraps server)
    "lsprotocol",
)

SCRIPT = """
import json, sys
from flake8_wraps.command.cli import main
status = main(sys.argv[1:])
print(json.dumps([status, sorted(name for name in {names} if name in sys.modules)]))
"""


def test_a_check_loads_none_of_the_modules_it_does_not_need(tmp_path: Path) -> None:
    write(tmp_path, "pkg/clean.py", "def f():\n    return 1\n")
    write(tmp_path, "pkg/other.py", "import functools\n")
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(names=NOT_NEEDED), "--no-cache", "pkg"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    status, loaded = json.loads(result.stdout.splitlines()[-1])
    assert status == 0
    assert loaded == []
