"""Build hook: ship the rule docs (docs/rules/*.md) inside the package for --explain.

All metadata lives in pyproject.toml; this file only copies the docs at build time,
so the repository keeps one copy of each rule page.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithDocs(build_py):
    def run(self) -> None:
        super().run()
        source = Path(__file__).parent / "docs" / "rules"
        target = Path(self.build_lib) / "flake8_wraps" / "docs"
        target.mkdir(parents=True, exist_ok=True)
        for page in sorted(source.glob("WRP*.md")):
            shutil.copyfile(page, target / page.name)


setup(cmdclass={"build_py": BuildWithDocs})
