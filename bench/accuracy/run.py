"""How often flake8-wraps is right on released code: precision per rule, and recall.

Usage (from the repository's root)::

    pip install -e . && python bench/accuracy/run.py [--half held-out] [--cache .bench-cache]

Downloads each project of ``projects.tsv`` in the chosen half once (``pip download
--no-deps --no-binary :all:``), runs the installed command on its unpacked sdist
with ``--isolated --no-cache`` (the project's own configuration is not read), and
matches every finding with ``labels.tsv``.  Prints, per rule, the findings labelled
true, false and unsure, those not labelled yet, and the precision (true / (true +
false)); then the sites of ``known_true.tsv`` (released bugs, in projects of their own,
always checked) that were not reported.  Exits 1 when a finding has no label, or a
known site's outcome differs from its ``expect`` column (``yes``, or the reason it is
missed), so the labels keep up with the rules.  ``--list`` prints
the unlabelled findings (with their messages) as TSV rows to fill in.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent / "scripts"))

from corpora import DEFAULT_CACHE, fetch

HERE = Path(__file__).resolve().parent
COMMAND = str(Path(sys.executable).parent / "flake8-wraps")
LABELS = ("true", "false", "unsure")
HALVES = ("tune", "held-out", "all")


@dataclass(frozen=True)
class Site:
    """One place in one project: what a finding and a label are matched on."""

    project: str
    path: str
    line: int
    code: str


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as stream:
        return [row for row in csv.DictReader(stream, delimiter="\t") if row]


def site(row: dict[str, str]) -> Site:
    return Site(row["requirement"], row["path"], int(row["line"]), row["code"])


def findings(requirement: str, cache: Path, jobs: int) -> list[tuple[Site, str]]:
    """Every finding of the command on the project's sdist, with its message."""
    tree = fetch(requirement, cache)
    run = subprocess.run(
        [COMMAND, "--isolated", "--no-cache", "--format", "json", "-j", str(jobs), "."],
        cwd=tree,
        capture_output=True,
        text=True,
    )
    if run.returncode not in (0, 1):
        # files that are not Python 3 give one error line each and exit 2; the
        # findings of the other files are still printed
        errors = [line for line in run.stderr.splitlines() if ": error: " not in line]
        if errors or not run.stdout:
            raise SystemExit(f"{requirement}: the command failed: {run.stderr.strip()}")
    return [
        (Site(requirement, f["path"].removeprefix("./"), f["line"], f["code"]), f["message"])
        for f in json.loads(run.stdout or "[]")
    ]


def precision(true: int, false: int) -> str:
    return f"{true / (true + false):.2f}" if true + false else "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--half", choices=HALVES, default="held-out")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--list", action="store_true", help="print unlabelled findings")
    args = parser.parse_args(argv)

    projects = [
        row["requirement"]
        for row in read_tsv(HERE / "projects.tsv")
        if args.half in ("all", row["half"])
    ]
    labels = {site(row): row for row in read_tsv(HERE / "labels.tsv")}
    known = {site(row): row["expect"] for row in read_tsv(HERE / "known_true.tsv")}

    counts: dict[str, Counter[str]] = {}
    reported: set[Site] = set()
    unlabelled: list[tuple[Site, str]] = []
    for requirement in projects:
        for found, message in findings(requirement, args.cache, args.jobs):
            reported.add(found)
            label = labels.get(found)
            verdict = label["label"] if label else "unlabelled"
            counts.setdefault(found.code, Counter())[verdict] += 1
            if label is None:
                unlabelled.append((found, message))

    total: Counter[str] = Counter()
    print(f"half: {args.half}, {len(projects)} projects\n")
    print("| rule | findings | true | false | unsure | unlabelled | precision |")
    print("|---|---|---|---|---|---|---|")
    for code in sorted(counts):
        row = counts[code]
        total.update(row)
        print(
            f"| {code} | {sum(row.values())} | {row['true']} | {row['false']} | "
            f"{row['unsure']} | {row['unlabelled']} | {precision(row['true'], row['false'])} |"
        )
    print(
        f"| all | {sum(total.values())} | {total['true']} | {total['false']} | "
        f"{total['unsure']} | {total['unlabelled']} | {precision(total['true'], total['false'])} |"
    )

    # the known true sites: released bugs fixed later upstream, in projects of their
    # own (chosen for their bug, so their other findings are no sample and not counted)
    for requirement in sorted({s.project for s in known} - set(projects)):
        reported.update(found for found, _ in findings(requirement, args.cache, args.jobs))
    caught = [s for s in known if s in reported]
    print(f"\nknown true sites: {len(caught)} of {len(known)} reported")
    unexpected = []
    for s, expect in known.items():
        if s in reported:
            continue
        print(f"  missed: {s.project} {s.path}:{s.line} {s.code} ({expect})")
        if expect == "yes":
            unexpected.append(s)
    late = [s for s, expect in known.items() if s in reported and expect != "yes"]
    for s in late:
        print(f"  reported although listed as missed: {s.project} {s.path}:{s.line} {s.code}")
    stale = [s for s in labels if s.project in projects and s not in reported]
    if stale:
        print(f"labels of findings no longer reported: {len(stale)}")

    if args.list and unlabelled:
        print("\nrequirement\tpath\tline\tcode\tlabel\treason")
        for found, message in unlabelled:
            print(f"{found.project}\t{found.path}\t{found.line}\t{found.code}\t\t{message}")
    return 1 if unlabelled or unexpected or late else 0


if __name__ == "__main__":
    sys.exit(main())
