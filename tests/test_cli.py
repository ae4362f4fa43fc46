"""Every command has --help and the exit status means what the README says."""

import pytest

from .conftest import run_locflow


@pytest.mark.parametrize("command", ["extract", "update", "check", "build"])
def test_every_command_has_help(project, command):
    result = run_locflow(project, command, "--help", check_code=0)
    assert result.stdout.startswith(f"Usage: locflow {command}")
    assert "--format" in result.stdout


def test_version_and_usage_errors(project):
    assert run_locflow(project, "--version", check_code=0).stdout.startswith("locflow, version ")
    assert "No such command" in run_locflow(project, "frobnicate", check_code=2).stderr
    assert "Invalid value" in run_locflow(project, "check", "--format", "xml", check_code=2).stderr


def test_outside_a_project_is_an_input_error(tmp_path):
    result = run_locflow(tmp_path, "check", check_code=2)
    assert "no pyproject.toml with a [tool.locflow] table" in result.stderr
