"""Safety under faults: the lock, runs killed at random moments, and bad input.

Bad input of every kind stops a command with one line naming the file (and the
line, where there is one), exit status 2, and not a byte of the project changed.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from filelock import FileLock

from locflow.catalogs import read_catalog

from .conftest import REPO, SEED_SLUG, assert_msgfmt_accepts, msgfmt_check, run_locflow

sys.path.insert(0, str(REPO / "bench"))
from generate import change, generate  # noqa: E402

RU = Path("locales/ru/LC_MESSAGES") / f"{SEED_SLUG}.po"
POT = Path("locales/templates") / f"{SEED_SLUG}.pot"
ARTICLE = Path("source") / f"{SEED_SLUG}.txt"


def environment(**extra: str) -> dict[str, str]:
    return {"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "LANG": "C.UTF-8", "HOME": "/tmp", **extra}


def start(root: Path, *args: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "locflow", *args],
        cwd=root,
        env=environment(**env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: killing it kills its workers too
    )


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the project except locflow's own cache (derived data)."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink() and ".locflow-cache" not in path.parts
    }


def human_translations(root: Path) -> dict[Path, set[str]]:
    """The non-fuzzy translations in every catalog, by file."""
    found = {}
    for path in sorted((root / "locales").glob("*/LC_MESSAGES/*.po")):
        found[path.relative_to(root)] = {e.msgstr for e in polib.pofile(str(path)) if e.msgstr and not e.fuzzy and e.msgid}
    return found


def assert_all_valid(root: Path, translations: dict[Path, set[str]], msgfmt_sample: int | None = None, rng=None) -> None:
    """Every catalog and template parses, passes msgfmt --check, and keeps every translation."""
    # A killed run may leave a hidden ".<name>.<random>.tmp" (never a *.po): the next run removes it.
    files = sorted(p for p in (root / "locales").rglob("*") if p.suffix in (".po", ".pot"))
    assert files
    for path in files:
        read_catalog(path)
    checked = files if msgfmt_sample is None else rng.sample(files, min(msgfmt_sample, len(files)))
    for path in checked:
        result = msgfmt_check(path)
        assert result.code == 0, f"msgfmt --check rejected {path}:\n{result.output}"
    for relative, expected in translations.items():
        texts = {e.msgstr for e in polib.pofile(str(root / relative))}
        lost = expected - texts
        assert not lost, f"{relative} lost {len(lost)} translations, e.g. {sorted(lost)[0]!r}"


@pytest.fixture
def big_site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    generate(root, articles=30, languages=3, seed=3)
    return root


# ---------------------------------------------------------------------------
# The lock
# ---------------------------------------------------------------------------


def test_two_concurrent_updates_wait_for_each_other_and_never_interleave(big_site, tmp_path):
    change(big_site, 0.3)
    run_locflow(big_site, "extract", check_code=0)
    reference = tmp_path / "reference"
    shutil.copytree(big_site, reference)
    run_locflow(reference, "update", check_code=0)

    first = start(big_site, "update", "--format", "json")
    second = start(big_site, "update", "--format", "json")
    outputs = [proc.communicate(timeout=120) for proc in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outputs
    assert all(stderr == "" for _, stderr in outputs)
    # The runs went one after the other: the result is exactly one update's.
    ours = {k: v for k, v in snapshot(big_site).items() if k.startswith("locales/")}
    theirs = {k: v for k, v in snapshot(reference).items() if k.startswith("locales/")}
    assert ours == theirs
    # One of them found the other's work done.
    assert sum('"status": "unchanged"' in out and '"status": "updated"' not in out for out, _ in outputs) == 1


def test_a_run_that_cannot_get_the_lock_stops_with_one_line_and_changes_nothing(big_site):
    change(big_site, 0.3)
    run_locflow(big_site, "extract", check_code=0)
    before = snapshot(big_site)
    (big_site / ".locflow-cache").mkdir(exist_ok=True)
    with FileLock(str(big_site / ".locflow-cache" / "locflow.lock")):
        proc = start(big_site, "update", LOCFLOW_LOCK_TIMEOUT="0.5")
        stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 2
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "another locflow run is writing" in lines[0] and "locflow.lock" in lines[0]
    assert snapshot(big_site) == before


# ---------------------------------------------------------------------------
# Killed at random moments
# ---------------------------------------------------------------------------


PIPELINE = [sys.executable, "-c", "import sys; from locflow.cli import main; [sys.exit(c) for c in "
            "(main(['extract']), main(['update']), main(['build'])) if c]"]


def run_pipeline(root: Path, **env: str) -> subprocess.CompletedProcess:
    """extract, update and build in one real process, in its own process group."""
    return subprocess.run(PIPELINE, cwd=root, env=environment(**env), capture_output=True, text=True,
                          timeout=300, start_new_session=True)


def write_points(root: Path, scratch: Path, jobs: str) -> list[str]:
    """The write points (stage, sync, rename, remove, state) a pipeline run on ``root``
    would pass in its main process, in order, found by running it on a copy."""
    if scratch.exists():
        shutil.rmtree(scratch)
    shutil.copytree(root, scratch, symlinks=True)
    log = scratch.parent / "points.log"
    log.unlink(missing_ok=True)
    assert run_pipeline(scratch, LOCFLOW_FAULT_LOG=str(log), LOCFLOW_JOBS=jobs).returncode == 0
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


@pytest.mark.parametrize(("jobs", "fractions"), [("1", (0.02, 0.2, 0.4, 0.6, 0.8, 1.0)), ("2", (0.1, 0.5, 0.95))])
def test_killed_at_every_kind_of_write_point_every_catalog_stays_valid_and_no_translation_is_lost(big_site, tmp_path, jobs, fractions):
    """``kill -9`` at points the test chooses (``LOCFLOW_FAULT=kill@N``: the N-th write
    the run reaches, counted in the main process), spread over the whole pipeline:
    while staging, before and after the flush, between renames, while saving the state.
    The same points on any machine, however fast or loaded."""
    translations = human_translations(big_site)
    change(big_site, 0.3, seed=100)
    assert run_pipeline(big_site).returncode == 0
    translations = {k: v | translations.get(k, set()) for k, v in human_translations(big_site).items()}
    kinds_killed = set()
    for iteration, fraction in enumerate(fractions):
        change(big_site, 0.2, seed=iteration)  # always something to do
        points = write_points(big_site, tmp_path / "scratch", jobs)
        assert len(points) > 20, points
        # Saves of the cache may be one fewer in the real run (whether a record is refreshed
        # depends on a file's age): a point this far into the run is always reached.
        reachable = len(points) - sum(1 for point in points if point.split()[1] == "state")
        number = max(1, min(reachable, round(fraction * len(points))))
        log = tmp_path / "killed.log"
        log.unlink(missing_ok=True)
        killed = run_pipeline(big_site, LOCFLOW_FAULT=f"kill@{number}", LOCFLOW_FAULT_LOG=str(log), LOCFLOW_JOBS=jobs)
        reached = log.read_text(encoding="utf-8").splitlines()
        assert killed.returncode == -signal.SIGKILL and len(reached) == number, (number, reached[-3:], killed.stderr)
        kinds_killed.add(reached[number - 1].split()[1])
        assert_all_valid(big_site, translations, msgfmt_sample=10, rng=random.Random(iteration))
    # In one process every kind of point is reached; with the pool, the workers stage.
    assert ({"stage", "rename"} if jobs == "1" else {"rename"}) <= kinds_killed, kinds_killed

    # Finished normally, the project is complete and consistent ...
    assert run_pipeline(big_site).returncode == 0
    assert_all_valid(big_site, translations)
    assert not list(big_site.rglob("*.tmp")), "a temporary file was left behind"
    # ... and the fingerprints describe it truly: without the cache, nothing would change.
    before = snapshot(big_site)
    shutil.rmtree(big_site / ".locflow-cache")
    assert run_pipeline(big_site).returncode == 0
    assert snapshot(big_site) == before


# ---------------------------------------------------------------------------
# Bad input: one line naming file and line, exit 2, nothing modified
# ---------------------------------------------------------------------------


@pytest.fixture
def site(translated_site: Path, tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(translated_site, root, symlinks=True)
    return root


def _replace(path: Path, old: bytes, new: bytes) -> None:
    data = path.read_bytes()
    assert old in data
    path.write_bytes(data.replace(old, new, 1))


def _drop_header(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[data.index(b"\n\n") + 2 :])


def _duplicate(path: Path) -> int:
    """Define a message a second time at the end; returns the line of that definition."""
    lines = path.read_bytes().count(b"\n")
    with path.open("ab") as handle:
        handle.write(b'\nmsgid "Humanitarian Crisis:"\nmsgstr "x"\n')
    return lines + 2


CATALOG_FAULTS = {
    "syntax error": (lambda p: p.write_bytes(p.read_bytes() + b'\nmsgid "dangling\n'), r":\d+: syntax error"),
    "wrong encoding": (lambda p: _replace(p, "Гуманитарный".encode(), "Gr\xfcn".encode("latin-1")), r":\d+: not valid utf-8"),
    "byte-order mark": (lambda p: p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes()), r":1: starts with a byte-order mark"),
    "duplicate entry": (_duplicate, r":{line}: duplicate message definition"),
    "missing header": (_drop_header, r":\d+: no header entry"),
    "unknown language": (lambda p: _replace(p, b"Language: ru", b"Language: tlh"), r":\d+: Language header: unknown language"),
    "another language's catalog": (lambda p: _replace(p, b"Language: ru", b"Language: de"), r":\d+: Language header says 'de'"),
    # What msgfmt --check refuses is refused before anything is written (or counted as fine).
    "empty file": (lambda p: p.write_bytes(b""), r":1: no header entry"),
    "whitespace only": (lambda p: p.write_bytes(b"  \n\n\t\n"), r":1: no header entry"),
    "plural forms of another language": (
        lambda p: _replace(p, b"nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
                           b"nplurals=2; plural=(n != 1);"),
        r":\d+: Plural-Forms says nplurals=2, but Russian has 3",
    ),
    "plural forms that do not parse": (
        lambda p: _replace(p, b"nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
                           b"nplurals=banana; plural=(((;"),
        r":\d+: Plural-Forms must read 'nplurals=N; plural=EXPRESSION;'",
    ),
    "EOT in msgctxt": (lambda p: p.write_bytes(p.read_bytes() + b'\nmsgctxt "menu\\004x"\nmsgid "File"\nmsgstr "x"\n'), r":\d+: msgctxt contains the EOT character"),
    "NUL in msgstr": (lambda p: p.write_bytes(p.read_bytes() + b'\nmsgid "Nul"\nmsgstr "a\\000b"\n'), r":\d+: a string contains a NUL character"),
    "UTF-8 under a Latin-1 header": (
        lambda p: _replace(p, b"charset=UTF-8", b"charset=ISO-8859-1"),
        r":\d+: the header declares charset=iso-8859-1 but the text is UTF-8",
    ),
}


@pytest.mark.parametrize("command", ["update", "check", "build"])
@pytest.mark.parametrize("fault", sorted(CATALOG_FAULTS))
def test_a_bad_catalog_is_one_line_with_file_and_line_and_is_left_alone(site, fault, command):
    """The bad catalog is named (file and line) and not touched; every other
    language's work is done; the exit status is 2."""
    mutate, message = CATALOG_FAULTS[fault]
    line = mutate(site / RU)
    message = message.replace("{line}", str(line))
    # Something to do, so that the other languages show they were done.
    _replace(site / ARTICLE, b"Pogroms Unleashed:", b"Pogroms Unleashed!")
    run_locflow(site, "extract", check_code=0)
    bad = (site / RU).read_bytes()
    result = run_locflow(site, command)
    assert result.code == 2, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert re.match(rf"locflow: error: {re.escape(str(site / RU))}{message}", lines[0], re.IGNORECASE), lines[0]
    assert (site / RU).read_bytes() == bad
    hy = Path("locales/hy/LC_MESSAGES") / f"{SEED_SLUG}.po"
    if command == "update":
        assert "Pogroms Unleashed!" in (site / hy).read_text(encoding="utf-8")
    if command == "build":
        assert "Pogroms Unleashed!" in (site / "build" / "hy" / f"{SEED_SLUG}.txt").read_text(encoding="utf-8")
        assert "Pogroms Unleashed!" not in (site / "build" / "ru" / f"{SEED_SLUG}.txt").read_text(encoding="utf-8")
        manifest = json.loads((site / "build" / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["articles"][0]["translations"]["ru"]["publishable"] is False
    assert not list(site.rglob("*.tmp"))


def test_bad_template_stops_update_with_nothing_modified(site):
    (site / POT).write_bytes((site / POT).read_bytes() + b'\nmsgstr "no msgid"\n')
    before = snapshot(site)
    result = run_locflow(site, "update", check_code=2)
    assert re.match(rf"locflow: error: {re.escape(str(site / POT))}:\d+: ", result.stderr)
    assert snapshot(site) == before


def test_crlf_catalogs_are_read_as_msgfmt_reads_them(site):
    """msgfmt accepts CRLF line endings, so locflow does; update writes the catalog back with LF."""
    po = site / RU
    po.write_bytes(po.read_bytes().replace(b"\n", b"\r\n"))
    expected = msgfmt_check(po)
    assert expected.code == 0 and expected.translated == 1
    check = run_locflow(site, "check", "--format", "json", "-l", "ru")
    assert '"translated": 1' in check.stdout
    run_locflow(site, "update", check_code=0)
    assert b"\r\n" not in po.read_bytes()
    assert polib.pofile(str(po)).find("Humanitarian Crisis:").msgstr == "Гуманитарный кризис:"
    assert_msgfmt_accepts(po)


def _symlink_outside(root: Path) -> None:
    outside = root.parent / "outside.txt"
    outside.write_text("Secret\n\nNot part of the site.\n", encoding="utf-8")
    (root / "source" / "evil.txt").symlink_to("../../outside.txt")


ARTICLE_FAULTS = {
    "space in the name": (lambda r: (r / "source" / "My Article.txt").write_text("Title\n", encoding="utf-8"), "My Article.txt: article name"),
    "upper case": (lambda r: (r / "source" / "News.txt").write_text("Title\n", encoding="utf-8"), "News.txt: article name"),
    "windows device name": (lambda r: (r / "source" / "con.txt").write_text("Title\n", encoding="utf-8"), "con.txt: article name 'con' is a reserved"),
    "symlink out of source": (_symlink_outside, "evil.txt: is a symbolic link to '../../outside.txt', outside the source folder"),
    "dangling symlink": (lambda r: (r / "source" / "gone.txt").symlink_to("../missing.txt"), "gone.txt: is a symbolic link"),
    "parent path in a symlink name": (lambda r: (r / "source" / "..x.txt").symlink_to("../../x.txt"), "..x.txt: is a symbolic link"),
    "NUL byte": (lambda r: (r / "source" / "bin.txt").write_bytes(b"Title\n\nA\x00B\n"), "bin.txt:3: contains a NUL byte"),
    "not UTF-8": (lambda r: (r / "source" / "latin.txt").write_bytes(b"Title\n\n\xe9t\xe9\n"), "latin.txt:3: not valid UTF-8"),
}


# Articles whose content is bad fail alone; names that break the site's layout stop the step.
_CONTENT_FAULTS = {"NUL byte", "not UTF-8"}


@pytest.mark.parametrize("command", ["extract", "build"])
@pytest.mark.parametrize("fault", sorted(ARTICLE_FAULTS))
def test_a_bad_article_is_one_line_naming_it(site, fault, command):
    mutate, message = ARTICLE_FAULTS[fault]
    mutate(site)
    _replace(site / ARTICLE, b"Pogroms Unleashed:", b"Pogroms Unleashed!")
    before = snapshot(site)
    result = run_locflow(site, command)
    assert result.code == 2, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"locflow: error: {site / 'source'}/") and message in lines[0], lines[0]
    if fault in _CONTENT_FAULTS:
        # The bad article has no output; the good one is done.
        done = site / (POT if command == "extract" else Path("build/hy") / f"{SEED_SLUG}.txt")
        assert "Pogroms Unleashed!" in done.read_text(encoding="utf-8")
        assert not any("bin" in name or "latin" in name for name in snapshot(site) if name not in before)
    else:
        assert snapshot(site) == before


@pytest.mark.parametrize("command", ["update", "check", "build"])
def test_errors_found_by_worker_processes_keep_file_and_line_and_change_nothing(big_site, command):
    """On a site big enough for the process pool, a bad catalog deep in the list is
    reported exactly as in a single process, and left as it is."""
    change(big_site, 0.3)
    run_locflow(big_site, "extract", check_code=0)
    bad = big_site / "locales" / "fr" / "LC_MESSAGES" / "article-00021.po"
    bad.write_bytes(bad.read_bytes() + b'\nmsgid "dangling\n')
    line = bad.read_bytes().count(b"\n")
    bad_before = bad.read_bytes()
    proc = start(big_site, command, LOCFLOW_JOBS="2")
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 2
    assert stderr.strip().splitlines() == [
        f'locflow: error: {bad}:{line}: syntax error: end of line within a string (a string must end with " on its line)'
    ]
    assert bad.read_bytes() == bad_before
    assert not list(big_site.rglob("*.tmp"))


def test_one_process_and_the_pool_write_the_same_files(big_site, tmp_path):
    change(big_site, 0.3)
    single = tmp_path / "single"
    shutil.copytree(big_site, single)
    for root, jobs in ((big_site, "2"), (single, "1")):
        for step in ("extract", "update", "build"):
            # Two runs minutes apart write the same dates: the time is SOURCE_DATE_EPOCH's.
            proc = start(root, step, LOCFLOW_JOBS=jobs, SOURCE_DATE_EPOCH="1767225600")
            assert proc.communicate(timeout=120)[0] is not None and proc.returncode == 0
    assert snapshot(big_site) == snapshot(single)
