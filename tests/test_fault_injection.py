"""Faults of the machine (disk full, read-only files, permission denied), bad
settings and hostile paths: every one is a one-line error naming the path,
exit status 2, no temporary file left behind, and no catalog that is half
written, invalid, or missing a translation.

Disk full and permission errors are injected at every write point a step
passes (``LOCFLOW_FAULT=oserror@N:ENOSPC``, counted as the kill test counts),
so the suite runs the same on any machine, as any user.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from locflow import files
from locflow.catalogs import read_catalog

from .conftest import SEED_SLUG, assert_msgfmt_accepts, run_locflow

RU = Path("locales/ru/LC_MESSAGES") / f"{SEED_SLUG}.po"
POT = Path("locales/templates") / f"{SEED_SLUG}.pot"
ARTICLE = Path("source") / f"{SEED_SLUG}.txt"


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink() and ".locflow-cache" not in path.parts
    }


@pytest.fixture
def site(translated_site: Path, tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(translated_site, root, symlinks=True)
    # Something for every step to do.
    article = root / ARTICLE
    article.write_text(article.read_text(encoding="utf-8").replace("Pogroms Unleashed:", "Pogroms Unleashed!"), encoding="utf-8")
    return root


def points(root: Path, tmp_path: Path, *steps: str) -> list[str]:
    """The write points each step passes, found on a copy."""
    copy = tmp_path / "points"
    shutil.copytree(root, copy, symlinks=True)
    log = tmp_path / "points.log"
    found = []
    for step in steps:
        log.unlink(missing_ok=True)
        files.reset_fault_points()
        run_locflow(copy, step, env={"LOCFLOW_FAULT_LOG": str(log)}, check_code=0)
        found.append(log.read_text(encoding="utf-8").splitlines() if log.exists() else [])
    return found


def run_with_fault(root: Path, step: str, fault: str, log: Path | None = None):
    """Run ``step`` with a fault injected; with ``log``, the write points it passed are
    written there (the last one is where the fault struck)."""
    files.reset_fault_points()
    env = {"LOCFLOW_FAULT": fault, **({"LOCFLOW_FAULT_LOG": str(log)} if log else {})}
    try:
        return run_locflow(root, step, env=env)
    finally:
        files.reset_fault_points()


def assert_catalogs_sound(root: Path) -> None:
    for path in sorted((root / "locales").rglob("*.po")):
        read_catalog(path)
        assert_msgfmt_accepts(path, allow_warnings=True)
    assert read_catalog(root / RU).find("Humanitarian Crisis:").msgstr == "Гуманитарный кризис:"
    assert not [path for path in root.rglob("*.tmp")], "a temporary file was left behind"


@pytest.mark.parametrize("step", ["extract", "update", "build"])
def test_disk_full_at_any_write_point_is_one_line_and_leaves_every_catalog_sound(site, tmp_path, step):
    error = "ENOSPC"
    for earlier in {"extract": [], "update": ["extract"], "build": ["extract", "update"]}[step]:
        run_locflow(site, earlier, check_code=0)
    (found,) = points(site, tmp_path, step)
    assert len(found) >= 3, f"{step} has something to write: {found}"
    for number, point in enumerate(found, start=1):
        trial = tmp_path / f"trial-{number}"
        shutil.copytree(site, trial, symlinks=True)
        before = snapshot(trial)
        log = tmp_path / f"trial-{number}.log"
        result = run_with_fault(trial, step, f"oserror@{number}:{error}", log)
        # This run's own points, not the first run's: whether the cache's record of a
        # file is refreshed (so saved) depends on the file's age, and so can the count.
        reached = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
        if len(reached) < number:
            assert result.code == 0, (point, reached, result)  # fewer points: none struck
            shutil.rmtree(trial)
            continue
        kind = reached[number - 1].split()[1]
        if kind == "state":
            # The cache is derived data: failing to save it costs the next run some work, nothing else.
            assert result.code == 0 and result.stderr == "", (point, result)
        else:
            assert result.code == 2, (point, result)
            lines = result.stderr.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith(f"locflow: error: {trial}/"), (point, result.stderr)
        assert "Traceback" not in result.stderr
        if kind in ("stage", "sync"):
            # Nothing is renamed before every file is staged and flushed: the tree is as it was.
            assert snapshot(trial) == before, point
        assert_catalogs_sound(trial)
        # The next run, with the disk back, finishes the job as if nothing had happened.
        run_locflow(trial, step, check_code=0)
        reference = tmp_path / "reference"
        if not reference.exists():
            shutil.copytree(site, reference, symlinks=True)
            run_locflow(reference, step, check_code=0)
        assert snapshot(trial) == snapshot(reference), point
        shutil.rmtree(trial)


@pytest.mark.parametrize(
    ("error", "reason"),
    [("EACCES", "permission denied; nothing was changed"), ("EROFS", "read-only file system; nothing was changed"),
     ("EISDIR", "is a folder, not a file"), ("EIO", "input/output error")],
)
def test_each_os_error_names_its_reason(site, error, reason):
    run_locflow(site, "extract", check_code=0)
    before = snapshot(site)
    result = run_with_fault(site, "update", f"oserror@1:{error}")
    assert result.code == 2 and result.stderr.strip().endswith(f": {reason}"), result
    assert snapshot(site) == before and not list(site.rglob("*.tmp"))


def test_a_read_only_catalog_is_refused_not_replaced(site):
    run_locflow(site, "extract", check_code=0)
    ru = site / RU
    ru.chmod(0o444)
    before = ru.read_bytes()
    result = run_locflow(site, "update")
    ru.chmod(0o644)
    assert result.code == 2
    assert result.stderr.strip() == f"locflow: error: {ru}: is read-only, so locflow will not replace it; make it writable (chmod u+w) to let this step write it"
    assert ru.read_bytes() == before
    assert not list(site.rglob("*.tmp"))


def test_a_catalog_path_that_is_a_folder_is_an_error(site):
    run_locflow(site, "extract", check_code=0)
    ru = site / RU
    ru.unlink()
    ru.mkdir()
    for step in ("update", "check", "build"):
        result = run_locflow(site, step)
        assert result.code == 2 and result.stderr.strip().splitlines() == [f"locflow: error: {ru}: is a folder, not a file"], result


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ('build-dir = "."', "build-dir: must be a folder of its own inside the project"),
        ('build-dir = "source"', "build-dir ("),
        ('build-dir = "locales/out"', "overlaps locales-dir"),
        ('cache-dir = "source/.cache"', "cache-dir ("),
        ('cache-dir = "build"', "overlaps build-dir"),
        ('cache-dir = "notes.txt"', "cache-dir: "),
    ],
)
def test_output_folders_may_not_overlap_the_project_or_its_sources(site, setting, message):
    (site / "notes.txt").write_text("not a folder\n", encoding="utf-8")
    text = (site / "pyproject.toml").read_text(encoding="utf-8")
    (site / "pyproject.toml").write_text(text.replace("[tool.locflow]\n", f"[tool.locflow]\n{setting}\n"), encoding="utf-8")
    before = snapshot(site)
    for step in ("extract", "build", "check"):
        result = run_locflow(site, step)
        assert result.code == 2 and message in result.stderr and len(result.stderr.strip().splitlines()) == 1, result
    assert snapshot(site) == before


def test_a_new_build_dir_gets_every_output(site):
    run_locflow(site, "build", check_code=0)
    text = (site / "pyproject.toml").read_text(encoding="utf-8")
    (site / "pyproject.toml").write_text(text.replace("[tool.locflow]\n", '[tool.locflow]\nbuild-dir = "public"\n'), encoding="utf-8")
    run_locflow(site, "build", check_code=0)
    manifest = json.loads((site / "public" / "manifest.json").read_text(encoding="utf-8"))
    for article in manifest["articles"]:
        for entry in article["translations"].values():
            assert (site / "public" / entry["article"]).is_file()
            assert (site / "public" / entry["messages"]).is_file()


def test_a_new_locales_dir_gets_templates_and_catalogs(site):
    run_locflow(site, "extract", check_code=0)
    run_locflow(site, "update", check_code=0)
    text = (site / "pyproject.toml").read_text(encoding="utf-8")
    (site / "pyproject.toml").write_text(text.replace("[tool.locflow]\n", '[tool.locflow]\nlocales-dir = "po"\n'), encoding="utf-8")
    run_locflow(site, "extract", check_code=0)
    run_locflow(site, "update", check_code=0)
    assert (site / "po" / "templates" / f"{SEED_SLUG}.pot").is_file()
    assert (site / "po" / "ru" / "LC_MESSAGES" / f"{SEED_SLUG}.po").is_file()


def test_the_preview_never_writes_or_deletes_through_a_link_out_of_the_build_folder(site, tmp_path):
    run_locflow(site, "build", "--site", check_code=0)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.html").write_text("<p>not locflow's</p>\n", encoding="utf-8")
    ru_pages = site / "build" / "site" / "ru"
    shutil.rmtree(ru_pages)
    ru_pages.symlink_to(outside)
    result = run_locflow(site, "build", "--site")
    assert result.code == 2 and "leads outside the build folder" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert [path.name for path in outside.iterdir()] == ["keep.html"]


def test_an_empty_template_file_is_an_error_and_an_article_without_text_says_what_it_kept(site):
    run_locflow(site, "extract", check_code=0)
    pot = site / POT
    pot.write_bytes(b"")
    before = snapshot(site)
    result = run_locflow(site, "update")
    assert result.code == 2 and f"{pot}:1: no header entry" in result.stderr
    assert snapshot(site) == before
    # An article emptied on purpose: its catalogs keep their translations as obsolete entries, and update says so.
    (site / ARTICLE).write_text("\n", encoding="utf-8")
    run_locflow(site, "extract", check_code=0)
    result = run_locflow(site, "update", "-l", "ru", check_code=0)
    assert "the article has no text now: its 1 translations are kept as obsolete (#~) entries" in result.stdout
    assert '#~ msgstr "Гуманитарный кризис:"' in (site / RU).read_text(encoding="utf-8")


def test_os_errors_never_show_a_traceback_in_a_real_process(site):
    """The same, through the installed command: an injected ENOSPC in a worker-free run."""
    run_locflow(site, "extract", check_code=0)
    result = run_locflow(site, "update", env={"LOCFLOW_FAULT": "oserror@1:ENOSPC"}, process=True)
    assert result.code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"locflow: error: {site / 'locales'}/")
    assert lines[0].endswith(": no space left on the device; nothing was changed")
    assert not list(site.rglob("*.tmp"))
