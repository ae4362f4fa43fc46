"""Long steps show a progress bar on a terminal, and nothing of it in a pipe or in JSON."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import run_locflow, run_on_terminal, write_pyproject

ARTICLES = 12


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "source").mkdir(parents=True)
    for number in range(ARTICLES):
        (root / "source" / f"article-{number:02}.txt").write_text(
            f"Article number {number}\n\nHeading {number}:\n\nA paragraph of article {number}, long enough to translate.\n",
            encoding="utf-8",
        )
    write_pyproject(root, languages=("hy", "ru"))
    return root


def run_with_terminal_stderr(root: Path, *args: str) -> tuple[int, str, str]:
    """Run locflow with standard error on a pseudo-terminal, as in a maintainer's shell."""
    env = {"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "HOME": str(root), "LANG": "C.UTF-8", "TERM": "xterm",
           "COLUMNS": "100", "LOCFLOW_JOBS": "1"}
    return run_on_terminal(root, args, env, stdout_too=False)


# (command, exit status, units of work: extract and build go article by article, update an
# article with all its languages, check each catalog once to count it and once to check it)
STEPS = [("extract", 0, ARTICLES), ("update", 0, ARTICLES), ("check", 1, ARTICLES * 2), ("build", 0, ARTICLES)]


def test_extract_update_check_and_build_show_a_bar_on_a_terminal(site):
    for step, code, units in STEPS:
        status, stdout, terminal = run_with_terminal_stderr(site, step)
        assert status == code, terminal
        bar = re.compile(rf"{step} +\d+/{units}\b")
        assert bar.search(terminal), f"{step}: no bar on the terminal:\n{terminal!r}"
        assert not bar.search(stdout)  # the report itself is not mixed with the bar


def test_no_bar_in_a_pipe_or_with_json(site):
    piped = run_locflow(site, "extract", check_code=0)
    assert piped.stderr == ""
    status, stdout, terminal = run_with_terminal_stderr(site, "update", "--format", "json")
    assert status == 0
    assert not re.search(rf"update +\d+/{ARTICLES}", terminal)
    assert stdout.lstrip().startswith("{")
