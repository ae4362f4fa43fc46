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
    assert "no locflow settings in" in result.stderr and "start a site with `locflow init`" in result.stderr


def test_the_installed_command_exits_as_the_readme_says(project):
    """The real entry point in a real process: 0 done, 1 findings, 2 bad input or usage."""
    steps = [
        (("--version",), 0),
        (("check",), 2),  # no templates yet: input error
        (("extract",), 0),
        (("update",), 0),
        (("check",), 1),  # nothing translated: below the threshold
        (("check", "--format", "xml"), 2),
    ]
    for args, code in steps:
        result = run_locflow(project, *args, process=True)
        assert result.code == code, (args, result)
    error = run_locflow(project, "check", "-l", "tlh", process=True)
    assert error.code == 2 and len(error.stderr.strip().splitlines()) == 1
    assert error.stderr.startswith("locflow: error: ")


def test_output_into_a_closed_pipe_ends_quietly_as_gettext_tools_do(project):
    """`locflow todo -l ru | head -1`: when the reader has gone, locflow stops
    without a traceback or an error line, with the status of a process that
    SIGPIPE ended (141), and writes nothing else."""
    import os
    import subprocess
    import sys

    run_locflow(project, "extract", check_code=0)
    run_locflow(project, "update", check_code=0)
    catalogs = sorted(project.glob("locales/*/LC_MESSAGES/*.po"))
    before = [path.read_bytes() for path in catalogs]
    for args in (("todo", "-l", "ru"), ("check", "--format", "json"), ("check",), ("check", "--format", "text")):
        read_end, write_end = os.pipe()
        os.close(read_end)  # the reader is gone before locflow writes anything
        try:
            proc = subprocess.run([sys.executable, "-m", "locflow", *args], cwd=project, stdout=write_end,
                                  stderr=subprocess.PIPE, timeout=120)
        finally:
            os.close(write_end)
        assert (proc.returncode, proc.stderr) == (141, b""), args
    assert [path.read_bytes() for path in catalogs] == before
