"""GNU ``msgfmt --check`` on each catalog, its ``file:line: message`` output as findings.

msgfmt is the reference gettext implementation: what it rejects, no gettext
runtime will load. Its errors are errors; its ``warning:`` lines are warnings.
When msgfmt is not installed the check says so once, as a warning, instead of
passing silently.
"""

from __future__ import annotations

import bisect
import os
import re
import shutil
import subprocess
from collections.abc import Iterator

from . import Catalog, Problem, check

MSGFMT = "msgfmt"
TIMEOUT = 60
# msgfmt names itself as it was called (/usr/bin/msgfmt: ...).
_SELF = re.compile(r"^(?:\S*/)?msgfmt: ")
_TOTAL = re.compile(r"^(?:\S*/)?msgfmt: found \d+ fatal errors?$")


def msgfmt_command() -> str | None:
    return shutil.which(MSGFMT)


def _command(path: os.PathLike | str, executable: str) -> list[str]:
    return [executable, "--check", "-o", os.devnull, os.fspath(path)]


_ENV = {"LC_ALL": "C", "LANGUAGE": ""}  # untranslated, stable messages


def run_msgfmt(path: os.PathLike | str, executable: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        _command(path, executable),
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env={**os.environ, **_ENV},
        timeout=TIMEOUT,
    )


# msgfmt started ahead of the Python checks of the same catalog (the worker runs both
# at once: msgfmt is another process), by path; check_msgfmt collects it.
_started: dict[str, subprocess.Popen] = {}


def start(path: os.PathLike | str) -> subprocess.Popen | None:
    """Start ``msgfmt --check`` on ``path`` now (None when msgfmt is not installed)."""
    executable = msgfmt_command()
    if executable is None:
        return None
    return subprocess.Popen(
        _command(path, executable), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        env={**os.environ, **_ENV},
    )


def adopt(path: os.PathLike | str, process: subprocess.Popen) -> None:
    """Let :func:`check_msgfmt` collect ``process`` for ``path`` instead of starting its own."""
    _started[os.fspath(path)] = process


def discard(process: subprocess.Popen) -> None:
    """Stop a started msgfmt nobody collected (its catalog could not be read, or a check failed)."""
    for started, running in list(_started.items()):
        if running is process:
            del _started[started]
    if process.returncode is None:
        if process.poll() is None:
            process.kill()
        process.communicate()


def _collect(path: os.PathLike | str, executable: str) -> subprocess.CompletedProcess:
    process = _started.pop(os.fspath(path), None)
    if process is None:
        return run_msgfmt(path, executable)
    try:
        _, stderr = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise
    return subprocess.CompletedProcess(process.args, process.returncode, "", stderr.decode("utf-8", "replace"))


def parse_output(output: str, path: str) -> list[tuple[int | None, str]]:
    """``(line, message)`` pairs from msgfmt's stderr for ``path``.

    msgfmt splits some messages over two lines ("nplurals = 3..." then
    "...but some messages have only 2 plural forms"); they are joined and
    placed on the second line, the message's own.
    """
    results: list[tuple[int | None, str]] = []
    prefix = f"{path}:"
    for raw in output.splitlines():
        if _TOTAL.match(raw) or not raw.strip():
            continue  # the closing count ("msgfmt: found 2 fatal errors")
        if raw.startswith(prefix):
            rest = raw[len(prefix):]
            head, sep, tail = rest.partition(": ")
            if sep and head.isdigit():
                line, text = int(head), tail
            else:
                line, text = None, rest.strip()
        elif _SELF.match(raw):
            line, text = None, _SELF.sub("", raw)
        elif results:  # an indented continuation line
            previous_line, previous = results[-1]
            results[-1] = (previous_line, f"{previous} {raw.strip()}")
            continue
        else:
            line, text = None, raw.strip()
        if text.startswith("...") and results and results[-1][1].endswith("..."):
            _, previous = results.pop()
            text = f"{previous} {text}"
        results.append((line, text))
    return results


@check("msgfmt", "error", "GNU msgfmt --check accepts the catalog (format strings, plural forms, headers).", scope="catalog")
def check_msgfmt(unit: Catalog) -> Iterator[Problem]:
    executable = msgfmt_command()
    if executable is None:
        yield Problem(
            "skipped: GNU msgfmt is not installed (install gettext, e.g. `apt-get install gettext`)",
            severity="warning",
            environment=True,
        )
        return
    proc = _collect(unit.path, executable)
    entries = sorted((entry.linenum, entry) for entry in unit.catalog if entry.linenum)
    starts = [start for start, _ in entries]
    for line, text in parse_output(proc.stderr, os.fspath(unit.path)):
        warning = text.startswith("warning: ")
        if warning:
            text = text[len("warning: "):]
        msgid, context = "", None
        if line is not None and entries:
            index = bisect.bisect_right(starts, line) - 1
            if index >= 0:
                msgid, context = entries[index][1].msgid, entries[index][1].msgctxt
        if not warning and proc.returncode == 0:
            warning = True  # msgfmt accepted the file: whatever it said is advice
        yield Problem(text, line=line, msgid=msgid, context=context, severity="warning" if warning else None)
