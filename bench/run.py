"""The benchmark: flake8-wraps against the parsing floor, flake8 and itself, on real code.

Run by hand (never in CI, never as timed assertions):

    pip install -e . && python bench/run.py [--cache .bench-cache] [--runs 3] [--jobs 2]

Corpora: this interpreter's standard library (without site-packages) and pinned sdists
of Django, salt and Flask, downloaded once with ``pip download --no-deps --no-binary
:all:`` into the cache folder.  The measurements are taken in ``--runs`` rounds, each
round timing every row once, a command right after the one it is compared with; a
row's seconds are the median over the rounds, and a ratio is the median of the ratios
of the rounds.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from multiprocessing import Pool
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from corpora import DEFAULT_CACHE, fetch, python_files, stdlib

from flake8_wraps.analysis.core import analyze
from flake8_wraps.analysis.project import Project
from flake8_wraps.command.runner import fewer_collections, tune_collector
from flake8_wraps.options import Options

PINNED = ("Django==5.1.4", "salt==3007.1", "Flask==3.1.0")
# one module of each large corpus, checked alone as pre-commit runs the command (it
# imports decorators from other modules of the project, which are read too)
ONE_FILE = {
    "Django==5.1.4": "django/contrib/auth/views.py",
    "salt==3007.1": "salt/modules/state.py",
}
COMMAND = str(Path(sys.executable).parent / "flake8-wraps")
FLAKE8 = str(Path(sys.executable).parent / "flake8")


def _parse_one(path: Path) -> int:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(path.read_bytes())
    except (SyntaxError, ValueError, RecursionError):
        return 0
    return 1


def parse_floor(files: list[Path], jobs: int, tuned: bool = False) -> float:
    """Seconds to read and ast.parse every file, in ``jobs`` processes.

    The floor of the targets runs with the interpreter's default garbage collector
    settings; ``tuned`` sets the collector as the command sets it in its processes.
    """
    started = time.perf_counter()
    if jobs == 1:
        with fewer_collections() if tuned else contextlib.nullcontext():
            for path in files:
                _parse_one(path)
    else:
        with Pool(jobs, initializer=tune_collector if tuned else None) as pool:
            pool.map(_parse_one, files, chunksize=64)
    return time.perf_counter() - started


def core_cost(files: list[Path]) -> tuple[float, float]:
    """(seconds of ast.parse, seconds of the analysis of each parsed tree), one process.

    Each tree is analysed right after it is parsed and then dropped, as in flake8:
    keeping every tree alive would make the garbage collector, not the code, the
    thing measured.  The analysis has the project view, as the plugin has it (the
    imported modules' summaries, made once in the process, are part of its cost).
    """
    options = Options()
    project = Project(options)
    parse_time = analysis_time = 0.0
    for path in files:
        source = path.read_bytes()
        started = time.perf_counter()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(source)
        except (SyntaxError, ValueError, RecursionError):
            continue
        parsed = time.perf_counter()
        analyze(tree, options, project.scope(str(path)))
        analysis_time += time.perf_counter() - parsed
        parse_time += parsed - started
    return parse_time, analysis_time


def timed(command: list[str], cwd: Path | None = None) -> float:
    env = {**os.environ}
    env.pop("FLAKE8_WRAPS_NO_CACHE", None)
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def median(runs: int, measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(runs))


def bench_corpus(name: str, root: Path, runs: int, jobs: int, with_flake8: bool) -> list[str]:
    files = python_files(root)
    rows: list[tuple[str, float, str]] = []
    with tempfile.TemporaryDirectory() as scratch:
        tree = Path(scratch) / "tree"
        shutil.copytree(root, tree, ignore=shutil.ignore_patterns("site-packages", "__pycache__"))
        cache_dir = Path(scratch) / "cache"
        base = [COMMAND, "--isolated", "--no-gitignore", "--exclude", "", "-j", str(jobs)]
        # make the copy clean, so --fix has nothing to do
        subprocess.run(
            [*base, "--no-cache", "--fix", "--unsafe-fixes", str(tree)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        copied = python_files(tree)

        empty = Path(scratch) / "empty"
        empty.mkdir()
        start_command = [*base, "--no-cache", str(empty)]
        check_command = [*base, "--no-cache", str(tree)]
        fix_command = [*base, "--no-cache", "--fix", str(tree)]
        # one round measures everything once, each command next to what it is compared
        # with, so that a slow minute of a noisy machine spoils one round, not a column
        samples: dict[str, list[float]] = {}
        for _ in range(runs):
            parse_time, analysis_time = core_cost(copied)
            round_ = {
                "floor_1": parse_floor(copied, 1),
                "parse": parse_time,
                "analysis": analysis_time,
                "floor_j": parse_floor(copied, jobs),
                "check": timed(check_command),
                "fix": timed(fix_command),
                "floor_tuned": parse_floor(copied, jobs, tuned=True),
                "start": timed(start_command),
            }
            round_["core/parse"] = round_["analysis"] / round_["parse"]
            round_["check/floor"] = round_["check"] / round_["floor_j"]
            round_["check/tuned"] = round_["check"] / round_["floor_tuned"]
            round_["fix/check"] = round_["fix"] / round_["check"]
            for key, value in round_.items():
                samples.setdefault(key, []).append(value)
        mid = {key: statistics.median(values) for key, values in samples.items()}
        floor_1, floor_j, floor_tuned = mid["floor_1"], mid["floor_j"], mid["floor_tuned"]
        analysis, check, fix, start = mid["analysis"], mid["check"], mid["fix"], mid["start"]
        warm_command = [*base, "--cache-dir", str(cache_dir), str(tree)]
        timed(warm_command)  # fill the cache
        warm = median(runs, lambda: timed(warm_command))
        one_file = ONE_FILE.get(name)
        if one_file is not None:
            alone = [COMMAND, "--isolated", "--cache-dir", str(Path(scratch) / "one"), one_file]
            one_cold = median(runs, lambda: timed([*alone[:2], "--no-cache", one_file], tree))
            timed(alone, tree)  # fill the cache
            one_warm = median(runs, lambda: timed(alone, tree))
        rows += [
            ("read + ast.parse, 1 process", floor_1, ""),
            (f"read + ast.parse, {jobs} processes", floor_j, ""),
            (
                f"read + ast.parse, {jobs} processes, collector set as the command sets it",
                floor_tuned,
                "",
            ),
            (
                "analysis core on parsed trees, 1 process",
                analysis,
                f"{mid['core/parse']:.3f} of ast.parse (target <= 0.25)",
            ),
            (
                f"flake8-wraps check, -j {jobs}, no cache",
                check,
                f"{mid['check/floor']:.2f}x the parse floor (target <= 1.3); "
                f"{mid['check/tuned']:.2f}x the floor with the collector set alike",
            ),
            (
                f"flake8-wraps --fix, nothing to fix, -j {jobs}, no cache",
                fix,
                f"{mid['fix/check']:.2f}x check (target <= 1.1)",
            ),
            ("flake8-wraps check, warm cache", warm, "target <= 0.5 s"),
            ("flake8-wraps on an empty folder (start-up)", start, ""),
        ]
        if one_file is not None:
            rows += [
                (f"one file alone ({one_file}), no cache", one_cold, "the pre-commit case"),
                (f"one file alone ({one_file}), warm cache", one_warm, ""),
            ]
        if with_flake8:
            select_f = median(
                runs,
                lambda: timed([FLAKE8, "--isolated", "--select=F", "-j", str(jobs), str(tree)]),
            )
            flake8_1 = median(
                1, lambda: timed([FLAKE8, "--isolated", "--select=F", "-j", "1", str(tree)])
            )
            rows += [
                (f"flake8 --select=F, -j {jobs} (plugin installed)", select_f, ""),
                (
                    "flake8 --select=F, -j 1 (plugin installed)",
                    flake8_1,
                    f"plugin's own work {analysis / flake8_1:.1%} of it (target <= 5%)",
                ),
            ]
    lines = [f"### {name}: {len(files)} files", "", "| run | seconds | ratio |", "|---|---|---|"]
    lines += [f"| {label} | {seconds:.2f} | {note} |" for label, seconds, note in rows]
    return [*lines, ""]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--flake8", action="store_true", help="also time flake8 itself (slow)")
    parser.add_argument("--only", help="run one corpus (stdlib, Django, salt, Flask)")
    args = parser.parse_args()
    corpora = [("stdlib", stdlib())] + [(req, fetch(req, args.cache)) for req in PINNED]
    for name, root in corpora:
        if args.only and not name.lower().startswith(args.only.lower()):
            continue
        print("\n".join(bench_corpus(name, root, args.runs, args.jobs, args.flake8)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
