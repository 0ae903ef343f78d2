"""The project lints itself with its own plugin and its own command."""

from __future__ import annotations

from conftest import ROOT, run_tool

OWN_CODE = ["flake8_wraps", "tests", "scripts", "setup.py"]


def test_the_command_finds_nothing_in_this_project() -> None:
    result = run_tool("flake8-wraps", "--isolated", *OWN_CODE, cwd=ROOT)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_the_plugin_finds_nothing_in_this_project() -> None:
    result = run_tool("flake8", "--isolated", "--select=WRP", *OWN_CODE, cwd=ROOT)
    assert (result.returncode, result.stdout) == (0, "")


def test_the_repositorys_own_pre_commit_config_is_valid() -> None:
    config = ROOT / ".pre-commit-config.yaml"
    result = run_tool("pre-commit", "validate-config", str(config), cwd=ROOT)
    assert (result.returncode, result.stderr) == (0, ""), result.stdout
