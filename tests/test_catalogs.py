"""update's merge follows msgmerge: translations kept, changes fuzzy with #|, removals obsolete."""

import json
from pathlib import Path

import polib
import pytest

from locflow.catalogs import catalog_path, read_catalog, template_path
from locflow.errors import CatalogError

from .conftest import SEED_SLUG, assert_msgfmt_accepts, msgfmt_check, run_locflow

RU = Path("locales/ru/LC_MESSAGES") / f"{SEED_SLUG}.po"
FIRST = "In a dark retrospective, we remember the tragic events of the Baku pogroms"


def translate(po_path: Path, table: dict[str, str], fuzzy: bool = False) -> None:
    """Edit a catalog as a translator's editor would."""
    catalog = polib.pofile(str(po_path))
    for entry in catalog:
        for prefix, text in table.items():
            if entry.msgid.startswith(prefix):
                entry.msgstr = text
                if fuzzy:
                    entry.flags.append("fuzzy")
    catalog.save()


def entry_starting(po_path: Path, prefix: str, obsolete: bool = False) -> polib.POEntry:
    catalog = polib.pofile(str(po_path))
    found = [e for e in catalog if e.msgid.startswith(prefix) and e.obsolete == obsolete]
    assert len(found) == 1, [e.msgid for e in found]
    return found[0]


def edit_source(project: Path, old: str, new: str) -> None:
    path = project / "source" / f"{SEED_SLUG}.txt"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def updated(project):
    run_locflow(project, "extract", check_code=0)
    run_locflow(project, "update", check_code=0)
    return project


def test_every_written_template_and_catalog_passes_msgfmt_check(updated):
    assert_msgfmt_accepts(template_path(updated / "locales", SEED_SLUG), allow_warnings=True)
    for code in ("hy", "ru", "fr", "es", "ar"):
        result = assert_msgfmt_accepts(catalog_path(updated / "locales", code, SEED_SLUG))
        assert (result.translated, result.untranslated) == (0, 17)


def test_template_has_references_and_kinds(updated):
    pot = polib.pofile(str(template_path(updated / "locales", SEED_SLUG)))
    title = pot.find("Azerbaijan's Dark History: The Baku Pogroms Remembered")
    assert title.occurrences == [(f"source/{SEED_SLUG}.txt", "3"), (f"source/{SEED_SLUG}.txt", "7")]
    assert "type: title" in title.comment
    assert "type: heading" in pot.find("Humanitarian Crisis:").comment
    assert "type: paragraph" in entry_starting(template_path(updated / "locales", SEED_SLUG), FIRST).comment
    assert pot.metadata["Content-Type"] == "text/plain; charset=UTF-8"


@pytest.mark.parametrize(
    ("code", "plural_forms"),
    [
        ("hy", "nplurals=2;"),
        ("ru", "nplurals=3;"),
        ("ar", "nplurals=6;"),
    ],
)
def test_catalog_headers(updated, code, plural_forms):
    catalog = polib.pofile(str(catalog_path(updated / "locales", code, SEED_SLUG)))
    assert catalog.metadata["Language"] == code
    assert catalog.metadata["Plural-Forms"].startswith(plural_forms)
    assert catalog.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert catalog.metadata["X-Generator"].startswith("locflow ")


def test_second_run_changes_nothing(updated):
    files = sorted((updated / "locales").rglob("*.po*"))
    before = {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in files}
    run_locflow(updated, "extract", check_code=0)
    result = run_locflow(updated, "update", check_code=0)
    assert "5 unchanged" in result.stdout
    assert {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in files} == before


def test_translations_survive_update_and_changed_strings_come_back_fuzzy(updated):
    po = updated / RU
    translate(po, {"Humanitarian Crisis:": "Гуманитарный кризис:", FIRST: "Мрачная ретроспектива, 1990."})
    catalog = polib.pofile(str(po))
    catalog.find("Humanitarian Crisis:").tcomment = "reviewed by Anna"
    catalog.save()

    edit_source(updated, "In a dark retrospective, we remember", "In a sombre retrospective, we remember")
    run_locflow(updated, "extract", check_code=0)
    run_locflow(updated, "update", check_code=0)

    kept = entry_starting(po, "Humanitarian Crisis:")
    assert kept.msgstr == "Гуманитарный кризис:" and not kept.fuzzy
    assert kept.tcomment == "reviewed by Anna"
    changed = entry_starting(po, "In a sombre retrospective")
    assert changed.fuzzy
    assert changed.msgstr == "Мрачная ретроспектива, 1990."
    assert changed.previous_msgid.startswith(FIRST)
    assert "#| msgid" in po.read_text(encoding="utf-8")
    assert_msgfmt_accepts(po)


def test_removed_strings_become_obsolete_and_come_back_when_restored(updated):
    po = updated / RU
    translate(po, {"Humanitarian Crisis:": "Гуманитарный кризис:"})
    edit_source(updated, "Humanitarian Crisis:\n", "")
    run_locflow(updated, "extract", check_code=0)
    run_locflow(updated, "update", check_code=0)
    gone = entry_starting(po, "Humanitarian Crisis:", obsolete=True)
    assert gone.msgstr == "Гуманитарный кризис:"
    assert "#~ msgid \"Humanitarian Crisis:\"" in po.read_text(encoding="utf-8")
    assert_msgfmt_accepts(po)

    edit_source(updated, "The Baku pogroms created", "Humanitarian Crisis:\n\nThe Baku pogroms created")
    run_locflow(updated, "extract", check_code=0)
    run_locflow(updated, "update", check_code=0)
    back = entry_starting(po, "Humanitarian Crisis:")
    assert back.msgstr == "Гуманитарный кризис:" and not back.fuzzy
    assert not [e for e in polib.pofile(str(po)) if e.obsolete]


def test_untranslated_removed_strings_are_dropped_not_kept_obsolete(updated):
    edit_source(updated, "Humanitarian Crisis:\n", "")
    run_locflow(updated, "extract", check_code=0)
    run_locflow(updated, "update", check_code=0)
    assert not [e for e in polib.pofile(str(updated / RU)) if e.obsolete]


def test_translator_header_is_kept(updated):
    po = updated / RU
    catalog = polib.pofile(str(po))
    catalog.metadata["Last-Translator"] = "Anna <anna@example.org>"
    catalog.metadata["PO-Revision-Date"] = "2026-01-02 03:04+0000"
    catalog.save()
    edit_source(updated, "Pogroms Unleashed:", "Pogroms Unleashed!")
    run_locflow(updated, "extract", check_code=0)
    run_locflow(updated, "update", check_code=0)
    catalog = polib.pofile(str(po))
    assert catalog.metadata["Last-Translator"] == "Anna <anna@example.org>"
    assert catalog.metadata["PO-Revision-Date"] == "2026-01-02 03:04+0000"
    assert catalog.metadata["Plural-Forms"].startswith("nplurals=3;")


def test_a_malformed_catalog_is_one_line_and_left_alone_while_the_others_are_updated(updated):
    po = updated / RU
    po.write_text(po.read_text(encoding="utf-8") + '\nmsgid "dangling\n', encoding="utf-8")
    edit_source(updated, "Pogroms Unleashed:", "Pogroms Unleashed!")
    run_locflow(updated, "extract", check_code=0)
    bad = po.read_bytes()
    result = run_locflow(updated, "update", check_code=2)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert f"{RU}:" in lines[0].replace(str(updated) + "/", "")
    assert po.read_bytes() == bad
    others = [path for path in (updated / "locales").rglob("*.po") if path != po]
    assert others and all("Pogroms Unleashed!" in path.read_text(encoding="utf-8") for path in others)


def test_wrong_encoding_is_reported_with_file_and_line(tmp_path):
    path = tmp_path / "bad.po"
    path.write_bytes(
        b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "a"\nmsgstr "\xe9t\xe9"\n'
    )
    with pytest.raises(CatalogError, match=r"bad\.po:6: not valid utf-8"):
        read_catalog(path)


def test_bom_is_rejected(tmp_path):
    path = tmp_path / "bom.po"
    path.write_bytes(b'\xef\xbb\xbfmsgid ""\nmsgstr ""\n')
    with pytest.raises(CatalogError, match="byte-order mark"):
        read_catalog(path)


def test_duplicate_entries_are_rejected(tmp_path):
    path = tmp_path / "dup.po"
    path.write_text('msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgstr "x"\n\nmsgid "a"\nmsgstr "y"\n', encoding="utf-8")
    with pytest.raises(CatalogError, match="dup.po"):
        read_catalog(path)


def test_check_fails_when_a_catalog_is_behind_its_template(updated):
    edit_source(updated, "Legacy and Lessons:", "Legacy and Lessons:\n\nA paragraph added after the last update.")
    run_locflow(updated, "extract", check_code=0)
    result = run_locflow(updated, "check", "-l", "ru", "--only", "outdated", "--format", "json", check_code=1)
    findings = json.loads(result.stdout)["findings"]
    assert [f["check"] for f in findings] == ["outdated"]
    assert "A paragraph added after the last update." in findings[0]["message"]
    run_locflow(updated, "update", check_code=0)
    after = json.loads(run_locflow(updated, "check", "-l", "ru", "--only", "outdated", "--format", "json", check_code=1).stdout)
    assert after["findings"] == []  # still exit 1: nothing is translated yet


def test_extract_removes_the_template_of_a_deleted_article_but_keeps_its_catalogs(updated):
    second = updated / "source" / "second-article.txt"
    second.write_text("Second title\n\nA paragraph.\n", encoding="utf-8")
    run_locflow(updated, "extract", check_code=0)
    run_locflow(updated, "update", "-l", "ru", check_code=0)
    second.unlink()
    result = run_locflow(updated, "extract", check_code=0)
    assert "1 removed" in result.stdout
    assert not template_path(updated / "locales", "second-article").exists()
    assert catalog_path(updated / "locales", "ru", "second-article").exists()
    report = json.loads(run_locflow(updated, "check", "-l", "ru", "--format", "json", check_code=1).stdout)
    assert [a["article"] for a in report["languages"][0]["articles"]] == [SEED_SLUG]


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda t: t.replace('msgid "Humanitarian Crisis:"\nmsgstr ""\n', 'msgid "Humanitarian Crisis:"\n'), "message without msgstr"),
        (lambda t: t + '\nmsgid "one"\nmsgid_plural "many"\nmsgstr[0] "один"\nmsgstr[3] "много"\n', "msgstr[3]"),
        (lambda t: t + '\nmsgid "one"\nmsgid_plural "many"\nmsgstr "один"\n', "plural message needs msgstr[0]"),
    ],
    ids=["missing-msgstr", "plural-index", "plural-without-forms"],
)
def test_structurally_malformed_catalogs_are_refused_like_msgfmt(updated, damage, message):
    po = updated / RU
    po.write_text(damage(po.read_text(encoding="utf-8")), encoding="utf-8")
    assert msgfmt_check(po).code != 0  # GNU msgfmt rejects it too
    before = {path: path.read_bytes() for path in (updated / "locales").rglob("*.po")}
    result = run_locflow(updated, "update", check_code=2)
    assert message in result.stderr and f"{SEED_SLUG}.po:" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert {path: path.read_bytes() for path in (updated / "locales").rglob("*.po")} == before
