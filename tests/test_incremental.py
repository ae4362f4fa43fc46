"""Work only on what changed, and never skip what did change.

The fingerprints in the cache folder let a rerun skip unchanged articles and
catalogs; these tests edit files the sneaky way (same size, same mtime, in
place, within the same clock tick) and check that every step still sees it.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import polib
import pytest

from locflow.catalogs import read_catalog, save_catalog

from .conftest import SEED_SLUG, run_locflow, write_pyproject

RU = Path("locales/ru/LC_MESSAGES") / f"{SEED_SLUG}.po"
ARTICLE = Path("source") / f"{SEED_SLUG}.txt"
RU_JSON = Path("build/ru") / f"{SEED_SLUG}.json"


def statuses(result) -> set[str]:
    return {f["status"] for f in json.loads(result.stdout)["files"]}


def sneaky_edit(path: Path, old: bytes, new: bytes) -> None:
    """Change bytes in place keeping the size, inode and mtime (as some editors and
    copy tools do); only the ctime, which nobody can set, moves."""
    assert len(old) == len(new)
    st = path.stat()
    data = path.read_bytes()
    assert old in data
    with path.open("r+b") as handle:
        handle.write(data.replace(old, new, 1))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns
    assert path.stat().st_ino == st.st_ino


def translate(project: Path, msgid: str, msgstr: str, fuzzy: bool = False) -> None:
    """Translate as a translator's tool does, saving in gettext's layout (as Poedit does)."""
    catalog = read_catalog(project / RU)
    entry = catalog.find(msgid)
    entry.msgstr = msgstr
    if fuzzy:
        entry.flags.append("fuzzy")
    save_catalog(catalog, project / RU)


@pytest.fixture
def built(project: Path) -> Path:
    run_locflow(project, "extract", check_code=0)
    run_locflow(project, "update", check_code=0)
    translate(project, "Humanitarian Crisis:", "Гуманитарный кризис:")
    run_locflow(project, "build", check_code=0)
    return project


def test_a_rerun_skips_everything_and_touches_nothing(built):
    files = {p: p.stat().st_mtime_ns for p in built.rglob("*") if p.is_file() and ".locflow-cache" not in p.parts}
    for step in ("extract", "update", "build"):
        assert statuses(run_locflow(built, step, "--format", "json", check_code=0)) == {"unchanged"}
    run_locflow(built, "check", "--format", "json")
    assert {p: p.stat().st_mtime_ns for p in files} == files
    assert (built / ".locflow-cache" / "state.sqlite3").is_file()


def test_a_translator_edit_within_the_same_tick_is_seen_by_build_and_check(built):
    # Right after the build (inside the "racy" window, where mtime alone proves nothing).
    sneaky_edit(built / RU, "кризис:".encode(), "КРИЗИС:".encode())
    run_locflow(built, "build", check_code=0)
    assert json.loads((built / RU_JSON).read_text(encoding="utf-8"))["messages"]["Humanitarian Crisis:"] == "Гуманитарный КРИЗИС:"


def test_a_translator_edit_keeping_size_and_mtime_is_seen_after_fingerprints_settle(built):
    time.sleep(2.2)  # past the racy window: the next run trusts size, mtime, ctime and inode
    run_locflow(built, "build", check_code=0)
    assert json.loads(run_locflow(built, "check", "--format", "json", "-l", "ru").stdout)["languages"][0]["translated"] == 1
    # The translator marks the translation fuzzy (same size: 9 bytes in, 9 bytes out).
    data = (built / RU).read_bytes()
    at = data.index(b'msgid "Humanitarian Crisis:"')
    new = data[:at] + b"#, fuzzy\n" + data[at:]
    new = new.replace(b"Automatically generated", b"Automatically", 1)  # the header: 10 bytes out
    new = new.replace(b"Automatically", b"Automatically" + b"x" * (len(data) - len(new)), 1)
    assert len(new) == len(data)
    st = (built / RU).stat()
    with (built / RU).open("r+b") as handle:
        handle.write(new)
    os.utime(built / RU, ns=(st.st_atime_ns, st.st_mtime_ns))

    check = json.loads(run_locflow(built, "check", "--format", "json", "-l", "ru").stdout)["languages"][0]
    assert (check["translated"], check["fuzzy"]) == (0, 1)
    run_locflow(built, "build", check_code=0)
    assert "Humanitarian Crisis:" not in json.loads((built / RU_JSON).read_text(encoding="utf-8"))["messages"]


def test_a_source_edit_keeping_size_and_mtime_is_seen_by_extract_update_and_build(built):
    sneaky_edit(built / ARTICLE, b"Pogroms Unleashed:", b"Pogroms Unleashed!")
    assert "updated" in statuses(run_locflow(built, "extract", "--format", "json", check_code=0))
    assert "updated" in statuses(run_locflow(built, "update", "--format", "json", check_code=0))
    assert polib.pofile(str(built / RU)).find("Pogroms Unleashed!") is not None
    run_locflow(built, "build", check_code=0)
    assert "Pogroms Unleashed!" in (built / "build" / "hy" / f"{SEED_SLUG}.txt").read_text(encoding="utf-8")


def test_a_deleted_output_is_rebuilt(built):
    (built / RU_JSON).unlink()
    assert "created" in statuses(run_locflow(built, "build", "--format", "json", check_code=0))
    assert (built / RU_JSON).exists()


def test_changed_settings_redo_the_work(built):
    write_pyproject(built, extra='[tool.locflow.text]\nchrome = ["top of page", "bottom of page"]\n')
    assert "updated" in statuses(run_locflow(built, "extract", "--format", "json", check_code=0))
    pot = polib.pofile(str(built / "locales" / "templates" / f"{SEED_SLUG}.pot"))
    assert any(entry.msgid.lower().startswith("ad for subscribing") for entry in pot)


def test_deleting_or_damaging_the_cache_is_always_safe(built, tmp_path):
    before = {p: p.read_bytes() for p in built.rglob("*") if p.is_file() and ".locflow-cache" not in p.parts}
    for damage in ("delete", "garbage"):
        if damage == "delete":
            shutil.rmtree(built / ".locflow-cache")
        else:
            (built / ".locflow-cache" / "state.sqlite3").write_bytes(b"SQLite format 3\x00" + b"garbage" * 100)
        for step in ("extract", "update", "build"):
            assert statuses(run_locflow(built, step, "--format", "json", check_code=0)) == {"unchanged"}
        run_locflow(built, "check", "--format", "json")
        assert {p: p.read_bytes() for p in before} == before


def test_a_copied_project_does_not_trust_the_originals_files(built, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(built, copy)
    translate(copy, "Pogroms Unleashed:", "Погромы:")
    run_locflow(copy, "build", check_code=0)
    assert json.loads((copy / RU_JSON).read_text(encoding="utf-8"))["messages"]["Pogroms Unleashed:"] == "Погромы:"
    assert "Pogroms Unleashed:" not in json.loads((built / RU_JSON).read_text(encoding="utf-8"))["messages"]


def test_findings_come_from_the_cache_only_while_catalog_template_and_glossary_are_unchanged(project):
    run_locflow(project, "extract", check_code=0)
    run_locflow(project, "update", "-l", "ru", check_code=0)
    po = project / "locales" / "ru" / "LC_MESSAGES" / f"{SEED_SLUG}.po"
    catalog = polib.pofile(str(po))
    catalog.find("Humanitarian Crisis:").msgstr = "Гуманитарный кризис:"
    catalog.save()

    def findings():
        report = json.loads(run_locflow(project, "check", "-l", "ru", "--format", "json", check_code=1).stdout)
        return sorted((f["check"], f["msgid"]) for f in report["findings"])

    first = findings()
    assert findings() == first  # the cached run reports the same
    catalog = polib.pofile(str(po))
    catalog.find("Humanitarian Crisis:").msgstr = "Гуманитарный кризис 1990:"
    catalog.save()
    assert ("numbers", "Humanitarian Crisis:") in findings()  # a translator's edit is seen

    glossary = project / "locales" / "ru" / "glossary.csv"
    glossary.write_text("source,target\nHumanitarian Crisis,Гуманитарная катастрофа\n", encoding="utf-8")
    assert ("glossary", "Humanitarian Crisis:") in findings()  # so is a new glossary term


def test_a_moved_project_with_its_cache_names_only_its_own_files(built, tmp_path):
    """The cache holds no absolute path: a project moved (or a cache restored in CI
    under another folder) reports and links its own files, never the old location."""
    translate(built, "Pogroms Unleashed:", "Погромы 1990:")  # a finding, cached by this check
    first = run_locflow(built, "check", "-l", "ru", "--format", "json", check_code=1)
    assert '"numbers"' in first.stdout
    moved = tmp_path / "moved"
    shutil.move(built, moved)
    again = run_locflow(moved, "check", "-l", "ru", "--format", "json", check_code=1)
    assert json.loads(again.stdout)["findings"] == json.loads(first.stdout)["findings"]
    dashboard = moved / "report.html"
    run_locflow(moved, "check", "-l", "ru", "--format", "html", "--output", str(dashboard), check_code=1)
    for text in (again.stdout, again.stderr, dashboard.read_text(encoding="utf-8")):
        assert str(built) not in text
    cache = b"".join(path.read_bytes() for path in (moved / ".locflow-cache").rglob("*") if path.is_file())
    assert str(built).encode() not in cache


def test_a_check_with_nothing_changed_reads_findings_without_compiling_checks_or_starting_workers(project):
    """The rerun a maintainer makes after every small edit elsewhere: the same
    report, from the cache, without importing the pattern engine or the pool."""
    import subprocess
    import sys

    run_locflow(project, "extract", check_code=0)
    run_locflow(project, "update", check_code=0)
    catalog = project / RU
    entries = polib.pofile(str(catalog))
    for entry in entries[:3]:
        entry.msgstr = entry.msgid.upper() + "  !!"  # findings: Latin in Russian, doubled spaces
    entries.save(str(catalog))
    first = run_locflow(project, "check", "--format", "json", process=True)
    again = subprocess.run([sys.executable, "-X", "importtime", "-m", "locflow", "check", "--format", "json"],
                           cwd=project, capture_output=True, text=True)
    assert again.returncode == first.code == 1
    assert json.loads(again.stdout) == json.loads(first.stdout) and json.loads(first.stdout)["findings"]
    imported = {line.rsplit("|", 1)[-1].strip() for line in again.stderr.splitlines() if line.startswith("import time:")}
    assert not imported & {"regex", "multiprocessing", "rapidfuzz", "markdown_it", "lxml"}
