"""``--explain``: the rule pages, one Markdown file per rule."""

from __future__ import annotations

from pathlib import Path

from flake8_wraps.registry import BY_CODE

# in a source checkout (and an editable install) the pages sit in docs/rules
SOURCE_TREE = Path(__file__).resolve().parents[2] / "docs" / "rules"


def rule_page(code: str) -> str | None:
    """The Markdown page of rule ``code``, or None when there is no such rule."""
    code = code.upper()
    if code not in BY_CODE:
        return None
    from importlib import resources  # only when a page is asked for

    try:
        packaged = resources.files("flake8_wraps").joinpath("docs", f"{code}.md")
        return packaged.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return (SOURCE_TREE / f"{code}.md").read_text(encoding="utf-8")
