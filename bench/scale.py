"""Peak memory of the command as the tree grows: generated files, fresh processes.

Run by hand:

    python bench/scale.py [--sizes 2000,10000,20000] [--jobs 2] [--diff]

Each size gets a new tree of generated modules (a decorator without wraps, a route
stack and plain code in every file, about 40 lines each) and one run of
``flake8-wraps --no-cache`` (with ``--diff``: ``flake8-wraps --no-cache --diff``, which
fixes every file in memory with libcst and prints the diffs); the peak resident memory
of the command and its worker processes comes from ``getrusage`` of a child process
that runs only that command.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMAND = str(Path(sys.executable).parent / "flake8-wraps")

MODULE = '''"""Generated module {number}."""

import functools
from flask import Blueprint

bp = Blueprint("b{number}", __name__)


def timed_{number}(func):
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)
    return wrapper


def logged_{number}(func):
    @functools.wraps(func)
    def inner(*args, **kwargs):
        return func(*args, **kwargs)
    return inner


@bp.route("/a{number}")
@logged_{number}
def view_{number}(value=None):
    total = 0
    for item in range(10):
        total += item * {number}
    return str(total)


class Model{number}:
    def method(self, x):
        return [x * i for i in range(5)]
'''

MEASURE = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def run(size: int, jobs: int, diff: bool) -> tuple[float, int, int]:
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        for number in range(size):
            folder = root / f"pkg{number // 500}"
            folder.mkdir(exist_ok=True)
            (folder / f"mod{number}.py").write_text(MODULE.format(number=number))
        command = [COMMAND, "--no-cache", "--isolated", "-j", str(jobs), str(root)]
        if diff:
            command.insert(1, "--diff")
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, check=True
        )
        seconds = time.perf_counter() - started
        output = subprocess.run(command, capture_output=True, text=True).stdout
        count = output.count("\n@@ ") if diff else len(output.splitlines())
        return seconds, int(result.stdout.strip()), count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,10000,20000")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--diff", action="store_true", help="fix in memory and print diffs")
    args = parser.parse_args()
    counted = "diff hunks" if args.diff else "findings"
    print(f"| files | seconds | {counted} | peak memory of one process (MiB) |")
    print("|---|---|---|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        seconds, peak_kib, findings = run(size, args.jobs, args.diff)
        print(f"| {size} | {seconds:.1f} | {findings} | {peak_kib / 1024:.0f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
