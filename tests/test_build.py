"""build writes what a site build consumes: .mo, JSON and the localized article."""

import gettext
import json

import polib

from .conftest import SEED_SLUG, run_locflow


def translated_project(project):
    run_locflow(project, "extract", check_code=0)
    run_locflow(project, "update", check_code=0)
    po = project / "locales" / "ru" / "LC_MESSAGES" / f"{SEED_SLUG}.po"
    catalog = polib.pofile(str(po))
    catalog.find("Azerbaijan's Dark History: The Baku Pogroms Remembered").msgstr = "Мрачная история Азербайджана"
    catalog.find("Updated: {date}").msgstr = "Обновлено: {date}"
    catalog.find("Humanitarian Crisis:").msgstr = "Гуманитарный кризис:"
    draft = catalog.find("Pogroms Unleashed:")
    draft.msgstr, draft.flags = "ЧЕРНОВИК", ["fuzzy"]
    catalog.save()
    run_locflow(project, "build", check_code=0)
    return project / "build"


def test_localized_article_uses_translations_and_falls_back_to_source(project):
    out = translated_project(project)
    article = (out / "ru" / f"{SEED_SLUG}.txt").read_text(encoding="utf-8")
    lines = article.split("\n")
    assert lines[0] == lines[4] == "Мрачная история Азербайджана"  # the article, without the page chrome
    assert lines[2] == "Обновлено: 12 янв."
    assert "Гуманитарный кризис:" in lines
    assert "Pogroms Unleashed:" in lines and "ЧЕРНОВИК" not in article  # fuzzy is never published
    assert "top of page" not in article and "bottom of page" not in article and "Ad for subscribing" not in article
    source = (project / "source" / f"{SEED_SLUG}.txt").read_text(encoding="utf-8")
    untranslated = (out / "hy" / f"{SEED_SLUG}.txt").read_text(encoding="utf-8")
    assert untranslated == source[source.index("Azerbaijan's") : source.index("\n\n\nAd for subscribing") + 1]


def test_mo_files_are_read_by_gettext(project):
    out = translated_project(project)
    translations = gettext.translation(SEED_SLUG, localedir=out / "locale", languages=["ru"])
    assert translations.gettext("Humanitarian Crisis:") == "Гуманитарный кризис:"
    assert translations.gettext("Pogroms Unleashed:") == "Pogroms Unleashed:"
    assert translations.info()["language"] == "ru"


def test_json_catalog_and_manifest(project):
    out = translated_project(project)
    messages = json.loads((out / "ru" / f"{SEED_SLUG}.json").read_text(encoding="utf-8"))
    assert messages["schema"] == "locflow.messages/1"
    assert messages["language"] == "ru" and messages["plural_forms"].startswith("nplurals=3;")
    assert messages["messages"]["Humanitarian Crisis:"] == "Гуманитарный кризис:"
    assert "Pogroms Unleashed:" not in messages["messages"]
    assert json.loads((out / "ar" / f"{SEED_SLUG}.json").read_text(encoding="utf-8"))["direction"] == "rtl"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    article = manifest["articles"][0]
    assert article["slug"] == SEED_SLUG
    assert article["title"] == "Azerbaijan's Dark History: The Baku Pogroms Remembered"
    assert article["translations"]["ru"]["translated"] == 3
    assert {lang["code"]: lang["direction"] for lang in manifest["languages"]}["ar"] == "rtl"


def test_build_twice_changes_nothing(project):
    out = translated_project(project)
    before = {path: path.stat().st_mtime_ns for path in out.rglob("*") if path.is_file()}
    result = run_locflow(project, "build", "--format", "json", check_code=0)
    assert {f["status"] for f in json.loads(result.stdout)["files"]} == {"unchanged"}
    assert {path: path.stat().st_mtime_ns for path in out.rglob("*") if path.is_file()} == before


def test_manifest_counts_distinct_messages_for_a_language_without_catalog(project):
    run_locflow(project, "extract", check_code=0)
    run_locflow(project, "update", "-l", "hy", check_code=0)
    run_locflow(project, "build", "-l", "ru", check_code=0)
    manifest = json.loads((project / "build" / "manifest.json").read_text(encoding="utf-8"))
    ru = manifest["articles"][0]["translations"]["ru"]
    assert (ru["translated"], ru["total"], ru["mo"]) == (0, 17, None)  # the title is one message, used twice


def test_a_deleted_article_is_no_longer_published(project):
    second = project / "source" / "second-article.md"
    second.write_text("---\ntitle: A second article\n---\n\nIts only paragraph.\n", encoding="utf-8")
    for step in ("extract", "update"):
        run_locflow(project, step, check_code=0)
    run_locflow(project, "build", "--site", check_code=0)
    out = project / "build"
    gone = [out / "ru" / "second-article.md", out / "ru" / "second-article.json",
            out / "locale" / "ru" / "LC_MESSAGES" / "second-article.mo", out / "site" / "ru" / "second-article.html"]
    assert all(path.is_file() for path in gone)

    second.unlink()
    run_locflow(project, "extract", check_code=0)
    result = run_locflow(project, "build", "--site", "--format", "json", check_code=0)
    removed = {f["file"] for f in json.loads(result.stdout)["files"] if f["status"] == "removed"}
    assert {path.relative_to(project).as_posix() for path in gone} <= removed
    assert not any(path.exists() for path in gone)
    assert not list(out.rglob("second-article*"))  # in no language
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [article["slug"] for article in manifest["articles"]] == [SEED_SLUG]
    assert (out / "ru" / f"{SEED_SLUG}.txt").is_file()  # the article still there is untouched
    # The translators' catalogs of the deleted article are kept: they are work, not output.
    assert (project / "locales" / "ru" / "LC_MESSAGES" / "second-article.po").is_file()


def test_an_article_that_changed_format_leaves_no_old_output(project):
    text = project / "source" / "note.txt"
    text.write_text("A note\n\nIts only paragraph.\n", encoding="utf-8")
    for step in ("extract", "update", "build"):
        run_locflow(project, step, check_code=0)
    assert (project / "build" / "hy" / "note.txt").is_file()
    text.rename(project / "source" / "note.md")
    for step in ("extract", "update", "build"):
        run_locflow(project, step, check_code=0)
    assert (project / "build" / "hy" / "note.md").is_file()
    assert not (project / "build" / "hy" / "note.txt").exists()


def test_build_of_one_language_leaves_the_others_files_alone(project):
    run_locflow(project, "extract", check_code=0)
    run_locflow(project, "update", check_code=0)
    run_locflow(project, "build", check_code=0)
    run_locflow(project, "build", "-l", "hy", check_code=0)
    assert (project / "build" / "ru" / f"{SEED_SLUG}.txt").is_file()
    assert (project / "build" / "locale" / "ru" / "LC_MESSAGES" / f"{SEED_SLUG}.mo").is_file()


def test_building_one_language_adds_it_to_the_manifest_and_keeps_the_others(project):
    """A translator rebuilding Russian (or a CI job per language on the same build
    folder) does not drop the other languages from the site."""
    run_locflow(project, "extract", check_code=0)
    run_locflow(project, "update", check_code=0)
    run_locflow(project, "build", check_code=0)
    manifest_path = project / "build" / "manifest.json"
    everything = json.loads(manifest_path.read_text(encoding="utf-8"))
    run_locflow(project, "build", "-l", "ru", check_code=0)
    after = json.loads(manifest_path.read_text(encoding="utf-8"))
    assert [entry["code"] for entry in after["languages"]] == ["hy", "ru", "fr", "es", "ar"]
    assert after == everything
    run_locflow(project, "build", "-l", "en_XA", check_code=0)
    with_pseudo = json.loads(manifest_path.read_text(encoding="utf-8"))
    assert [entry["code"] for entry in with_pseudo["languages"]] == ["hy", "ru", "fr", "es", "ar", "en_XA"]
    assert set(with_pseudo["articles"][0]["translations"]) == {"hy", "ru", "fr", "es", "ar", "en_XA"}
