"""Translation memory: exact and near drafts from the project's own catalogs."""

from __future__ import annotations

import json
import os
import shutil

import polib
import pytest
from rapidfuzz import fuzz

from locflow.catalogs import catalog_path, read_catalog, save_catalog
from locflow.config import load_settings
from locflow.drafts import apply_draft, is_fillable, load_source
from locflow.drafts.memory import MemoryIndex
from locflow.errors import ConfigError

from .conftest import SEED_SLUG, assert_msgfmt_accepts, run_locflow, translate, write_pyproject

SECOND = "baku-remembered-again"
HUMANITARIAN = (
    "The Baku pogroms created a humanitarian crisis as families were forcibly displaced, leaving behind homes and "
    "belongings. The violence shattered the multicultural fabric that once defined Baku, leaving scars that endure to this day."
)
HUMANITARIAN_RU = (
    "Бакинские погромы вызвали гуманитарный кризис: семьи были насильственно изгнаны и оставили дома и имущество. "
    "Насилие разрушило многонациональную ткань, которая когда-то определяла Баку, оставив шрамы, не зажившие по сей день."
)
# The second article repeats a heading and the date line word for word, and
# rewrites the seed's humanitarian paragraph slightly.
NEAR = (
    "The Baku pogroms created a humanitarian crisis as families were forcibly displaced, leaving behind their homes and "
    "belongings. The violence shattered the multicultural fabric that once defined Baku, leaving scars that endure today."
)
UNRELATED = "Musicians from Yerevan gave a concert of folk songs in the new opera hall on Saturday evening."
SECOND_ARTICLE = f"""Baku Remembered Again

Updated: Feb 2

Humanitarian Crisis:

{NEAR}

{UNRELATED}
"""


def flat(text):
    """A comment without its white space: polib wraps long comment lines where it likes."""
    return "".join(text.split())


def seed_catalog(project, language):
    return catalog_path(project / "locales", language, SEED_SLUG)


@pytest.fixture
def memory_project(project):
    """The seed article partly translated into Russian, and a second, untranslated article."""
    write_pyproject(project, languages=("hy", "ru"))
    run_locflow(project, "extract", check_code=0)
    run_locflow(project, "update", check_code=0)
    translate(
        seed_catalog(project, "ru"),
        {
            "Updated: {date}": "Обновлено: {date}",
            "Humanitarian Crisis:": "Гуманитарный кризис:",
            HUMANITARIAN: HUMANITARIAN_RU,
            "Pogroms Unleashed:": "Погромы начались:",
        },
        fuzzy={"Pogroms Unleashed:"},
    )
    translate(seed_catalog(project, "hy"), {"Humanitarian Crisis:": "Հումանիտար ճգնաժամ."})
    (project / "source" / f"{SECOND}.txt").write_text(SECOND_ARTICLE, encoding="utf-8")
    run_locflow(project, "extract", check_code=0)
    run_locflow(project, "update", check_code=0)
    return project


def prefill(project, language, names, options=None):
    """What prefill does, with the memory sources only: fill the second article's empty entries."""
    settings = load_settings(project)
    lang = settings.language(language)
    path = catalog_path(settings.locales_dir, language, SECOND)
    catalog = read_catalog(path)
    filled = {}
    for name in names:
        source = load_source(name, settings, options)
        wanted = [(e.msgctxt, e.msgid) for e in catalog if is_fillable(e) and (e.msgctxt, e.msgid) not in filled]
        for (context, msgid), draft in source.drafts(lang, wanted).items():
            apply_draft(catalog.find(msgid, msgctxt=context) if context else catalog.find(msgid), draft)
            filled[(context, msgid)] = draft
    save_catalog(catalog, path)
    return path, filled


def test_exact_matches_fill_empty_entries_as_fuzzy_drafts_citing_the_memory(memory_project):
    path, filled = prefill(memory_project, "ru", ["memory-exact"])
    assert set(filled) == {(None, "Updated: {date}"), (None, "Humanitarian Crisis:")}
    catalog = polib.pofile(str(path))
    entry = catalog.find("Humanitarian Crisis:")
    assert entry.msgstr == "Гуманитарный кризис:" and entry.fuzzy
    assert flat(f"exact match from locales/ru/LC_MESSAGES/{SEED_SLUG}.po") in flat(entry.tcomment)
    assert catalog.find("Updated: {date}").msgstr == "Обновлено: {date}"
    # the fuzzy "Pogroms Unleashed:" draft is not in the memory, and nothing else matched exactly
    assert catalog.find(NEAR).msgstr == "" and catalog.find(UNRELATED).msgstr == ""
    stats = assert_msgfmt_accepts(path)
    assert (stats.translated, stats.fuzzy) == (0, 2)


def test_fuzzy_drafts_never_feed_the_memory(memory_project):
    settings = load_settings(memory_project)
    source = load_source("memory-exact", settings)
    assert source.drafts(settings.language("ru"), ["Pogroms Unleashed:"]) == {}


def test_each_language_draws_on_its_own_translations(memory_project):
    path, filled = prefill(memory_project, "hy", ["memory-exact", "memory-near"])
    assert {key: draft.text for key, draft in filled.items()} == {(None, "Humanitarian Crisis:"): "Հումանիտար ճգնաժամ."}
    assert_msgfmt_accepts(path)


def test_near_match_shows_score_and_matched_source(memory_project):
    path, filled = prefill(memory_project, "ru", ["memory-exact", "memory-near"])
    draft = filled[(None, NEAR)]
    assert draft.text == HUMANITARIAN_RU
    score = fuzz.ratio(NEAR, HUMANITARIAN)
    assert 75 <= score < 100
    assert f"{int(score)}% match of: {HUMANITARIAN}" in draft.detail
    entry = polib.pofile(str(path)).find(NEAR)
    assert entry.fuzzy and entry.msgstr == HUMANITARIAN_RU
    assert flat(f"{int(score)}% match of: {HUMANITARIAN}") in flat(entry.tcomment)
    assert polib.pofile(str(path)).find(UNRELATED).msgstr == ""  # nothing in the memory is close
    stats = assert_msgfmt_accepts(path)
    assert (stats.translated, stats.fuzzy, stats.untranslated) == (0, 3, 2)


def test_near_threshold_is_respected(memory_project):
    score = fuzz.ratio(NEAR, HUMANITARIAN)
    _, filled = prefill(memory_project, "ru", ["memory-near"], {"near-threshold": score + 1})
    assert (None, NEAR) not in filled
    _, filled = prefill(memory_project, "ru", ["memory-near"], {"near-threshold": score})
    assert (None, NEAR) in filled


def test_near_threshold_from_settings(memory_project):
    score = fuzz.ratio(NEAR, HUMANITARIAN)
    write_pyproject(memory_project, languages=("hy", "ru"), extra=f"[tool.locflow.memory]\nnear-threshold = {score + 1:.0f}\n")
    settings = load_settings(memory_project)
    assert load_source("memory-near", settings).drafts(settings.language("ru"), [NEAR]) == {}


def test_disabled_memory_proposes_nothing(memory_project):
    write_pyproject(memory_project, languages=("hy", "ru"), extra="[tool.locflow.memory]\nenabled = false\n")
    _, filled = prefill(memory_project, "ru", ["memory-exact", "memory-near"])
    assert filled == {}


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("[tool.locflow.memory]\nnear-treshold = 80\n", "unknown key 'near-treshold'"),
        ("[tool.locflow.memory]\nnear-threshold = 150\n", "near-threshold: expected a similarity from 1 to 100"),
        ("[tool.locflow.memory]\nenabled = \"yes\"\n", "enabled: expected true or false"),
    ],
)
def test_bad_memory_settings_are_one_line_errors(project, extra, message):
    write_pyproject(project, extra=extra)
    result = run_locflow(project, "memory", "rebuild", check_code=2)
    assert message in result.stderr and "pyproject.toml" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    with pytest.raises(ConfigError):
        load_source("memory-exact", load_settings(project))


def write_catalog(path, entries, language="ru"):
    catalog = polib.POFile()
    catalog.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Language": language,
        "Plural-Forms": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    }
    for context, msgid, msgstr in entries:
        catalog.append(polib.POEntry(msgctxt=context, msgid=msgid, msgstr=msgstr))
    path.parent.mkdir(parents=True, exist_ok=True)
    catalog.save(str(path))


def test_exact_match_respects_the_message_context(project):
    write_pyproject(project, languages=("ru",))
    write_catalog(
        project / "locales" / "ru" / "LC_MESSAGES" / "calendar.po",
        [("month", "May", "май"), ("verb", "May", "может"), (None, "Open", "Открыть")],
    )
    settings = load_settings(project)
    ru = settings.language("ru")
    exact = load_source("memory-exact", settings)
    found = exact.drafts(ru, [("month", "May"), ("verb", "May"), ("modal", "May"), "May", "Open", ("menu", "Open")])
    assert {key: draft.text for key, draft in found.items()} == {("month", "May"): "май", ("verb", "May"): "может", "Open": "Открыть"}
    # the same words in another context are only a near match, and the comment says so
    near = load_source("memory-near", settings).drafts(ru, [("menu", "Open")])
    assert near[("menu", "Open")].text == "Открыть"
    assert "100% match of: Open (context: none)" in near[("menu", "Open")].detail


def test_the_most_frequent_translation_wins(project):
    write_pyproject(project, languages=("ru",))
    folder = project / "locales" / "ru" / "LC_MESSAGES"
    write_catalog(folder / "a.po", [(None, "Refugees", "Беженцы")])
    write_catalog(folder / "b.po", [(None, "Refugees", "Беженцы")])
    write_catalog(folder / "c.po", [(None, "Refugees", "Переселенцы")])
    settings = load_settings(project)
    draft = load_source("memory-exact", settings).drafts(settings.language("ru"), ["Refugees"])["Refugees"]
    assert draft.text == "Беженцы"
    assert "1 other translation in the memory" in draft.detail


def test_index_is_refreshed_incrementally(memory_project):
    settings = load_settings(memory_project)
    index = MemoryIndex(settings)
    first = index.rebuild()
    assert first.read == first.files == 4  # the hy and ru catalogs of both articles
    assert first.units == {"hy": 1, "ru": 3}
    assert index.refresh().read == 0
    seed_ru = catalog_path(settings.locales_dir, "ru", SEED_SLUG)
    os.utime(seed_ru, ns=(1, 1))  # touched, same content: hashed, not re-read
    assert index.refresh().read == 0
    translate(seed_catalog(memory_project, "ru"), {"Humanitarian Crisis:": "Гуманитарный кризис."})
    again = index.refresh()
    assert again.read == 1 and again.units["ru"] == 3
    exact = load_source("memory-exact", settings)
    assert exact.drafts(settings.language("ru"), ["Humanitarian Crisis:"])["Humanitarian Crisis:"].text == "Гуманитарный кризис."
    seed_ru.unlink()
    gone = index.refresh()
    assert gone.removed == 1 and "ru" not in gone.units
    assert load_source("memory-exact", settings).drafts(settings.language("ru"), ["Humanitarian Crisis:"]) == {}


def test_the_index_is_disposable(memory_project):
    settings = load_settings(memory_project)
    _, before = prefill(memory_project, "ru", ["memory-exact", "memory-near"])
    shutil.rmtree(settings.cache_dir)
    (settings.cache_dir).mkdir()
    (settings.cache_dir / "memory.sqlite3").write_bytes(b"this is not a database")
    path = catalog_path(settings.locales_dir, "ru", SECOND)
    path.unlink()
    run_locflow(memory_project, "update", "-l", "ru", check_code=0)
    _, after = prefill(memory_project, "ru", ["memory-exact", "memory-near"])
    assert {k: d.text for k, d in after.items()} == {k: d.text for k, d in before.items()}


def test_rebuild_command_reports_units(memory_project):
    result = run_locflow(memory_project, "memory", "rebuild", check_code=0)
    assert result.stdout.strip() == "memory: 4 files (4 read), 4 units (hy 1, ru 3)"
    result = run_locflow(memory_project, "memory", "rebuild", "--format", "json", check_code=0)
    assert json.loads(result.stdout) == {"schema": "locflow.memory/1", "files": 4, "read": 4, "units": {"hy": 1, "ru": 3}}


def test_pseudo_locale_catalogs_are_not_memory(memory_project):
    run_locflow(memory_project, "pseudo", "-l", "en_XA", check_code=0)
    stats = MemoryIndex(load_settings(memory_project)).rebuild()
    assert "en_XA" not in stats.units and stats.files == 4


def test_drafts_never_touch_a_translation(memory_project):
    """Prefill asks only for fillable entries; the memory proposes, it never writes on its own."""
    path, _ = prefill(memory_project, "ru", ["memory-exact", "memory-near"])
    catalog = read_catalog(path)
    entry = catalog.find("Humanitarian Crisis:")
    entry.msgstr, entry.flags = "Гуманитарная катастрофа:", []
    save_catalog(catalog, path)
    prefill(memory_project, "ru", ["memory-exact", "memory-near"])
    assert polib.pofile(str(path)).find("Humanitarian Crisis:").msgstr == "Гуманитарная катастрофа:"


def test_runs_at_the_same_time_share_the_index(memory_project, tmp_path):
    """Several commands refreshing a missing index at once all succeed and agree."""
    import subprocess
    import sys

    shutil.rmtree(memory_project / ".locflow-cache", ignore_errors=True)
    outputs = [tmp_path / f"out{n}.tmx" for n in range(3)]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "locflow", "memory", "export", str(out), "--format", "json"],
            cwd=memory_project,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={"PATH": "/usr/bin:/bin", "HOME": str(memory_project), "LANG": "C.UTF-8"},
        )
        for out in outputs
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    data = {out.read_bytes() for out in outputs}
    assert len(data) == 1 and b"\xd0\x93\xd1\x83\xd0\xbc" in data.pop()  # "Гум..." of Гуманитарный
