"""Shared fixtures: a real project in a temporary folder, the real CLI, and GNU msgfmt."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest

# Every settings section registered, as the command line has them when it loads settings:
# tests call locflow.config.load_settings and settings_from_table directly.
import locflow.sections  # noqa: F401, E402

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SEED_SLUG = "azerbaijans-dark-history-the-baku-pogroms-remembered"
SEED = REPO / "source" / f"{SEED_SLUG}.txt"

PYPROJECT = """\
[project]
name = "site"
version = "0"

[tool.locflow]
source-language = "en"
languages = {languages}
{extra}
[tool.locflow.thresholds]
default = 100
"""


def write_pyproject(root: Path, languages=("hy", "ru", "fr", "es", "ar"), extra: str = "") -> None:
    langs = "[" + ", ".join(f'"{code}"' for code in languages) + "]"
    (root / "pyproject.toml").write_text(PYPROJECT.format(languages=langs, extra=extra), encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A site with the seed article and the five shipped languages."""
    root = tmp_path / "site"
    (root / "source").mkdir(parents=True)
    shutil.copy(SEED, root / "source" / SEED.name)
    write_pyproject(root)
    return root


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


# Variables a test run must not inherit from the machine it runs on.
_FOREIGN = ("LOCFLOW_", "SOURCE_DATE_EPOCH", "DEEPL_", "GOOGLE_", "MICROSOFT_", "LIBRE", "MYMEMORY", "OPENAI", "NO_COLOR", "COLUMNS")


def run_locflow(
    root: Path, *args: str, check_code: int | None = None, env: dict[str, str] | None = None, process: bool = False
) -> Run:
    """Run the real ``locflow`` command line in ``root`` as a user would (``env``: extra variables).

    By default the command runs in this process (click's runner, with the
    environment and the working folder of a real run): the same code path and
    exit status as the installed command, without a Python start-up per call.
    ``process=True`` starts a real process, for what only a process shows
    (signals, the lock between two runs, the entry point itself).
    """
    environment = {"NO_COLOR": "1", "HOME": str(root), "LANG": "C.UTF-8", **(env or {})}
    if process:
        proc = subprocess.run(
            [sys.executable, "-m", "locflow", *args],
            cwd=root,
            capture_output=True,
            text=True,
            env={"PATH": "/usr/bin:/bin", **environment},
            timeout=120,
        )
        result = Run(proc.returncode, proc.stdout, proc.stderr)
    else:
        from click.testing import CliRunner

        from locflow.cli import cli

        cleared = {key: None for key in os.environ if key.startswith(_FOREIGN) and key not in environment}
        with contextlib.chdir(root):
            outcome = CliRunner().invoke(cli, list(args), env={**cleared, **environment}, prog_name="locflow")
        stderr = outcome.stderr
        if outcome.exception is not None and not isinstance(outcome.exception, SystemExit):
            stderr += "".join(traceback.format_exception(outcome.exception))
        result = Run(outcome.exit_code, outcome.stdout, stderr)
    if check_code is not None:
        assert result.code == check_code, f"exit {result.code}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    return result


def run_on_terminal(root: Path, args, env: dict[str, str], *, stdout_too: bool, columns: int | None = None):
    """Run locflow with standard error (and, with ``stdout_too``, standard output) on a
    real pseudo-terminal, of ``columns`` columns if given: (status, standard output when
    it went to a pipe, what the terminal received)."""
    import fcntl
    import pty
    import struct
    import termios
    import threading

    main, secondary = pty.openpty()
    if columns is not None:
        fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    chunks: list[bytes] = []

    def read() -> None:
        while True:
            try:
                data = os.read(main, 65536)
            except OSError:  # the other end closed
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    proc = subprocess.run(
        [sys.executable, "-m", "locflow", *args], cwd=root, stdout=secondary if stdout_too else subprocess.PIPE,
        stderr=secondary, text=True, timeout=120, env=env,
    )
    os.close(secondary)
    reader.join(timeout=10)
    os.close(main)
    return proc.returncode, proc.stdout, b"".join(chunks).decode("utf-8", "replace")


@pytest.fixture(scope="module")
def translated_site(tmp_path_factory) -> Path:
    """The seed site, extracted, updated, one Russian message translated (saved by
    polib, as a script would: its header on one line), built. Made once per test
    module; tests copy it."""
    import polib

    project = tmp_path_factory.mktemp("translated") / "site"
    (project / "source").mkdir(parents=True)
    shutil.copy(REPO / "source" / f"{SEED_SLUG}.txt", project / "source" / f"{SEED_SLUG}.txt")
    write_pyproject(project)
    run_locflow(project, "extract", check_code=0)
    run_locflow(project, "update", check_code=0)
    ru = project / "locales" / "ru" / "LC_MESSAGES" / f"{SEED_SLUG}.po"
    catalog = polib.pofile(str(ru))
    catalog.find("Humanitarian Crisis:").msgstr = "Гуманитарный кризис:"
    catalog.save()
    run_locflow(project, "build", check_code=0)
    return project


def _msgfmt() -> str:
    path = shutil.which("msgfmt")
    if path is None:
        pytest.fail("GNU gettext's msgfmt is required by the tests: run `make test` (it installs gettext)")
    return path


_STATS = re.compile(
    r"(?P<translated>\d+) translated messages?"
    r"(?:, (?P<fuzzy>\d+) fuzzy translations?)?"
    r"(?:, (?P<untranslated>\d+) untranslated messages?)?"
)


@dataclass
class Msgfmt:
    code: int
    output: str
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0


def msgfmt_check(path: Path) -> Msgfmt:
    """``msgfmt --check --statistics`` on a file: exit status, messages and counts."""
    proc = subprocess.run(
        [_msgfmt(), "--check", "--statistics", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
        env={"LC_ALL": "C", "PATH": "/usr/bin:/bin"},
    )
    result = Msgfmt(proc.returncode, proc.stderr)
    match = _STATS.search(proc.stderr)
    if match:
        result.translated = int(match.group("translated"))
        result.fuzzy = int(match.group("fuzzy") or 0)
        result.untranslated = int(match.group("untranslated") or 0)
    return result


def assert_msgfmt_accepts(path: Path, allow_warnings: bool = False) -> Msgfmt:
    result = msgfmt_check(path)
    assert result.code == 0, f"msgfmt --check rejected {path}:\n{result.output}"
    if not allow_warnings:
        assert "warning" not in result.output, f"msgfmt --check warned on {path}:\n{result.output}"
    return result


@pytest.fixture
def libre():
    """A LibreTranslate-compatible server on 127.0.0.1 (tests/fake_services.py): ``libre.url``,
    ``libre.texts()`` (every text sent), ``libre.fail_next(mode)``, ``libre.for_text[...]``."""
    from .libre_server import LibreServer

    with LibreServer() as state:
        yield state


def translate(path: Path, translations: dict, *, fuzzy=False) -> Path:
    """Write ``translations`` into the catalog at ``path`` as a translator's editor would.

    Keys are msgids or ``(msgctxt, msgid)``; values are the translation (a list of
    forms for a plural message). ``fuzzy``: True marks them all fuzzy, a collection
    of keys marks those. Returns ``path``.
    """
    import polib

    catalog = polib.pofile(str(path))
    for key, text in translations.items():
        msgctxt, msgid = key if isinstance(key, tuple) else (False, key)  # False: any context
        entry = catalog.find(msgid, msgctxt=msgctxt)
        assert entry is not None, f"{msgid!r} is not in {path}"
        if entry.msgid_plural:
            forms = text if isinstance(text, list) else [text] * max(len(entry.msgstr_plural), 1)
            entry.msgstr_plural = dict(enumerate(forms))
        else:
            entry.msgstr = text
        flags = [flag for flag in entry.flags if flag != "fuzzy"]
        marked = fuzzy if isinstance(fuzzy, bool) else key in fuzzy
        entry.flags = ["fuzzy", *flags] if marked else flags
    catalog.save()
    return path
