"""Run ``flake8-wraps --fix`` over copies of real trees and check it lost nothing.

Run by hand, not in CI:

    python scripts/validate_fix.py [--cache .bench-cache] [--jobs N]

For each corpus (this interpreter's standard library, and pinned sdists of
Django, Flask and salt), it copies the tree, runs the real command with
``--fix --unsafe-fixes``, and reports: files changed, fixes applied, files that no
longer parse, files changed by a second run, and files changed outside the edited
lines.  The last three must be 0.  "Outside the edited lines" is judged here
independently of the fixer's own check: every changed hunk must either only insert
a wraps decorator, a functools import and blank lines, or only reorder decorator
lines (with their comments and blank lines).
"""

from __future__ import annotations

import argparse
import ast
import re
import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpora import DEFAULT_CACHE, PINNED, fetch, python_files, stdlib

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from confinement import edits_are_confined

SUMMARY = re.compile(rb"^(\d+) fix(?:es)? in (\d+) files?, (\d+) findings? left$", re.M)


def run_fix(tree: Path, jobs: int) -> tuple[int, int, int, bytes]:
    beside = Path(sys.executable).parent / "flake8-wraps"
    command = str(beside) if beside.exists() else shutil.which("flake8-wraps") or "flake8-wraps"
    result = subprocess.run(
        [command, "--fix", "--unsafe-fixes", "-j", str(jobs), "--exclude", "", str(tree)],
        capture_output=True,
    )
    match = SUMMARY.search(result.stderr)
    if match is None:
        raise SystemExit(f"no summary line in the output:\n{result.stderr.decode()[-2000:]}")
    errors = result.stderr.count(b": error: ")
    return int(match.group(1)), int(match.group(2)), errors, result.stderr


def snapshot(root: Path) -> dict[Path, bytes]:
    return {p.relative_to(root): p.read_bytes() for p in python_files(root)}


def parses(source: bytes) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(source)
    except (SyntaxError, ValueError):
        return False
    return True


def validate(name: str, source_tree: Path, jobs: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as scratch:
        tree = Path(scratch) / "tree"
        shutil.copytree(
            source_tree,
            tree,
            symlinks=True,
            ignore=shutil.ignore_patterns("site-packages", "__pycache__"),
        )
        before = snapshot(tree)
        fixes, files, errors, _ = run_fix(tree, jobs)
        after = snapshot(tree)
        changed = [p for p in before if before[p] != after.get(p)]
        broken = [p for p in changed if parses(before[p]) and not parses(after[p])]
        outside = [p for p in changed if not edits_are_confined(before[p], after[p])]
        second_fixes, _, _, _ = run_fix(tree, jobs)
        again = [p for p, data in snapshot(tree).items() if data != after.get(p)]
    return {
        "corpus": name,
        "files": len(before),
        "files changed": len(changed),
        "fixes applied": fixes,
        "files reported fixed": files,
        "error lines": errors,
        "no longer parse": len(broken),
        "changed by a second run": len(again),
        "second-run fixes": second_fixes,
        "changed outside the edits": len(outside),
        "_outside": [str(p) for p in outside[:10]],
        "_broken": [str(p) for p in broken[:10]],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    corpora = [("stdlib", stdlib())] + [(req, fetch(req, args.cache)) for req in PINNED]
    rows = [validate(name, path, args.jobs) for name, path in corpora]
    columns = [key for key in rows[0] if not key.startswith("_")]
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print("| " + " | ".join(str(row[c]) for c in columns) + " |")
    bad = False
    for row in rows:
        for key in ("_outside", "_broken"):
            if row[key]:
                bad = True
                print(f"{row['corpus']} {key[1:]}: {row[key]}")
    failed = any(
        row["no longer parse"] or row["changed by a second run"] or row["changed outside the edits"]
        for row in rows
    )
    return 1 if failed or bad else 0


if __name__ == "__main__":
    sys.exit(main())
