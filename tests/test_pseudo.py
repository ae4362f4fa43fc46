"""Pseudo-locales: accented, lengthened text that keeps every placeholder, for offline end-to-end builds."""

from __future__ import annotations

import gettext
import json
import re

import polib
import pytest
from hypothesis import given, settings as hsettings, strategies as st

from locflow.catalogs import new_catalog, read_catalog, save_catalog
from locflow.config import load_settings
from locflow.drafts import apply_draft, load_source
from locflow.drafts.pseudo import fill_catalog, placeholders, pseudo_text
from locflow.languages import get_language, localize_date

from .conftest import SEED_SLUG, assert_msgfmt_accepts, run_locflow, write_pyproject

EN_XA = get_language("en_XA")
AR_XB = get_language("ar-XB")

PLACEHOLDERS = [
    "{date}",
    "{0}",
    "{name!r:>10}",
    "%s",
    "%d",
    "%(count)d",
    "%1$s",
    "%%",
    "<b>",
    "</b>",
    '<a href="https://example.org/baku?x=1&amp;y=2">',
    "&amp;",
    "&#8212;",
    "](https://example.org/report \"The report\")",
    "`make test`",
    "https://example.org/path",
    "<!-- note -->",
]


def test_pseudo_locales_borrow_english_data():
    assert (EN_XA.code, EN_XA.english_name, EN_XA.direction, EN_XA.nplurals, EN_XA.pseudo) == (
        "en_XA",
        "English (pseudo-accented)",
        "ltr",
        2,
        True,
    )
    assert (AR_XB.code, AR_XB.direction, AR_XB.bcp47) == ("ar_XB", "rtl", "ar-XB")
    assert localize_date("Jan 12", "en_XA") == "Jan 12"
    assert not get_language("en").pseudo


def test_accented_lengthened_and_bracketed():
    source = "The international community responded with condemnation."
    text = pseudo_text(source, EN_XA)
    assert text.startswith("[Ţĥé îñţéŕñåţîöñåļ çöɱɱûñîţý ŕéšþöñðéð ŵîţĥ çöñðéɱñåţîöñ.") and text.endswith("]")
    assert not re.search(r"[A-Za-z]", text)  # every letter is accented: a plain English letter stands out
    growth = (len(text) - 2) / len(source)
    assert 1.3 <= growth <= 1.45, growth


def test_ends_and_placeholders_stay_in_place():
    assert pseudo_text("Updated: {date}", EN_XA).startswith("[Ûþðåţéð: {date}")
    assert pseudo_text("  Legacy and Lessons:\n", EN_XA).startswith("  [Ļéĝåçý åñð Ļéššöñš:")
    assert pseudo_text("  Legacy and Lessons:\n", EN_XA).endswith("]\n")
    assert pseudo_text("January 12-19, 1990", EN_XA).startswith("[Ĵåñûåŕý 12-19, 1990")
    assert pseudo_text("Read [the report](https://example.org/a) *now*", EN_XA).startswith(
        "[Ŕéåð [ţĥé ŕéþöŕţ](https://example.org/a) *ñöŵ*"
    )


def test_pseudo_bidi_overrides_words_not_numbers():
    text = pseudo_text("On January 12, 1990, {name} wrote", AR_XB)
    assert text == "\u200f\u202eOn\u202c \u202eJanuary\u202c 12, 1990, {name} \u202ewrote\u202c"


# Text around the placeholders: letters of any script, digits, spaces and the punctuation of
# prose (characters that start a placeholder, like % or {, would change what the placeholder is).
words = st.text(
    alphabet=st.one_of(st.characters(codec="utf-8", categories=("L", "Zs", "N")), st.sampled_from(".,:;!?-'\"«»’…")),
    max_size=12,
)


@hsettings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(words, st.sampled_from(PLACEHOLDERS)), max_size=6), words)
def test_every_placeholder_is_kept_in_order(pairs, tail):
    source = "".join(text + placeholder for text, placeholder in pairs) + tail
    for language in (EN_XA, AR_XB):
        result = pseudo_text(source, language)
        assert placeholders(result) == placeholders(source)
        for _, placeholder in pairs:
            assert placeholder in result
        assert re.findall(r"\d", result) == re.findall(r"\d", source)  # numbers intact


def pseudo_project(project, languages=("hy", "ru")):
    write_pyproject(project, languages=languages)
    run_locflow(project, "extract", check_code=0)
    return project


def test_pseudo_command_fills_catalogs_that_msgfmt_accepts(project):
    pseudo_project(project)
    result = run_locflow(project, "pseudo", "-l", "en_XA", "-l", "ar-XB", "--format", "json", check_code=0)
    files = json.loads(result.stdout)["files"]
    assert {(f["language"], f["status"]) for f in files} == {("en_XA", "created"), ("ar_XB", "created")}
    for code in ("en_XA", "ar_XB"):
        path = project / "locales" / code / "LC_MESSAGES" / f"{SEED_SLUG}.po"
        stats = assert_msgfmt_accepts(path)
        assert (stats.translated, stats.fuzzy, stats.untranslated) == (17, 0, 0)
        catalog = polib.pofile(str(path))
        assert catalog.metadata["Language"] == code
        for entry in catalog:
            assert placeholders(entry.msgstr) == placeholders(entry.msgid)
        assert catalog.find("Updated: {date}").msgstr.count("{date}") == 1
    again = run_locflow(project, "pseudo", "-l", "en_XA", "-l", "ar_XB", check_code=0)
    assert again.stdout.strip() == "pseudo: 2 files (2 unchanged)"


def test_a_pseudo_build_shows_what_is_not_translatable(project):
    pseudo_project(project)
    run_locflow(project, "pseudo", "-l", "en_XA", check_code=0)
    run_locflow(project, "build", "-l", "en_XA", check_code=0)
    article = (project / "build" / "en_XA" / f"{SEED_SLUG}.txt").read_text(encoding="utf-8").split("\n")
    # page chrome is not part of the localized article: it starts with the title, every line pseudo-localized
    assert article[0].startswith("[Åžéŕƀåîĵåñ'š Ðåŕķ Ĥîšţöŕý: Ţĥé Ɓåķû Þöĝŕöɱš Ŕéɱéɱƀéŕéð")
    assert article[2].startswith("[Ûþðåţéð: Jan 12")  # the date is still put in
    assert all(line.startswith("[") for line in article if line) and article[-1] == ""
    mo = gettext.translation(SEED_SLUG, localedir=project / "build" / "locale", languages=["en_XA"])
    assert mo.gettext("Humanitarian Crisis:").startswith("[Ĥûɱåñîţåŕîåñ Çŕîšîš:")


def test_changed_source_is_regenerated(project):
    pseudo_project(project)
    run_locflow(project, "pseudo", "-l", "en_XA", check_code=0)
    source = project / "source" / f"{SEED_SLUG}.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("Humanitarian Crisis:", "Humanitarian Disaster:"), encoding="utf-8")
    run_locflow(project, "extract", check_code=0)
    result = run_locflow(project, "pseudo", check_code=0)  # en_XA by default
    assert result.stdout.strip() == "pseudo: 1 file (1 updated)"
    path = project / "locales" / "en_XA" / "LC_MESSAGES" / f"{SEED_SLUG}.po"
    catalog = polib.pofile(str(path))
    entry = catalog.find("Humanitarian Disaster:")
    assert entry.msgstr.startswith("[Ĥûɱåñîţåŕîåñ Ðîšåšţéŕ:") and not entry.fuzzy and entry.previous_msgid is None
    assert not catalog.obsolete_entries()
    assert assert_msgfmt_accepts(path).translated == 17


def test_pseudo_locale_may_be_a_site_language(project):
    pseudo_project(project, languages=("ru", "en_XA"))
    run_locflow(project, "update", check_code=0)
    run_locflow(project, "pseudo", check_code=0)
    assert run_locflow(project, "check", "-l", "en_XA", check_code=0)
    result = run_locflow(project, "build", check_code=0)
    manifest = json.loads((project / "build" / "manifest.json").read_text(encoding="utf-8"))
    assert {lang["code"]: lang["name"] for lang in manifest["languages"]} == {"ru": "Russian", "en_XA": "English (pseudo-accented)"}
    assert result.code == 0


def test_pseudo_refuses_a_real_language_and_bad_settings(project):
    pseudo_project(project)
    result = run_locflow(project, "pseudo", "-l", "ru", check_code=2)
    assert "'ru' is not a pseudo-locale" in result.stderr
    write_pyproject(project, languages=("hy",), extra="[tool.locflow.pseudo]\nexpand = 0.3\n")
    result = run_locflow(project, "pseudo", check_code=2)
    assert "[tool.locflow.pseudo] unknown key 'expand'" in result.stderr
    assert not (project / "locales" / "en_XA").exists()


def test_expansion_setting(project):
    pseudo_project(project)
    write_pyproject(project, languages=("hy", "ru"), extra="[tool.locflow.pseudo]\nexpansion = 0\n")
    run_locflow(project, "pseudo", check_code=0)
    catalog = polib.pofile(str(project / "locales" / "en_XA" / "LC_MESSAGES" / f"{SEED_SLUG}.po"))
    assert catalog.find("Humanitarian Crisis:").msgstr == "[Ĥûɱåñîţåŕîåñ Çŕîšîš:]"


def test_pseudo_source_drafts_only_pseudo_locales(project, tmp_path):
    pseudo_project(project)
    settings = load_settings(project)
    source = load_source("pseudo", settings)
    assert source.drafts(settings.language("ru"), ["Baku"]) == {}
    found = source.drafts(EN_XA, ["Baku", ("ctx", "Baku")])
    assert found["Baku"].text.startswith("[Ɓåķû") and found["Baku"].origin == "pseudo"
    assert found[("ctx", "Baku")].text == found["Baku"].text


@pytest.mark.parametrize("language", [EN_XA, AR_XB])
def test_format_strings_pass_msgfmt_check(tmp_path, language):
    catalog = new_catalog(polib.POFile(), language, "formats")
    catalog.append(polib.POEntry(msgid="%(count)d files in %s, 100%% done", flags=["python-format"]))
    catalog.append(polib.POEntry(msgid="Updated on {date} by {author}", flags=["python-brace-format"]))
    catalog.append(polib.POEntry(msgid="%1$s of %2$d pogroms\n", flags=["c-format"]))
    catalog.append(
        polib.POEntry(msgid="%d article", msgid_plural="%d articles", msgstr_plural={0: "", 1: ""}, flags=["c-format"])
    )
    catalog.append(polib.POEntry(msgid="See <a href=\"/{slug}\">the article</a>", msgstr="", flags=["python-brace-format"]))
    catalog.append(polib.POEntry(msgid="Old", msgstr="Vieux", obsolete=True))
    path = tmp_path / "formats.po"
    # through the draft source, as prefill would ...
    for entry in catalog:
        if not entry.obsolete:
            apply_draft(entry, load_source_for(language, entry.msgid))
    save_catalog(catalog, path)
    assert assert_msgfmt_accepts(path).fuzzy == 5
    # ... and generated, as `locflow pseudo` does
    catalog = read_catalog(path)
    assert fill_catalog(catalog, language) == 6
    save_catalog(catalog, path)
    stats = assert_msgfmt_accepts(path)
    assert (stats.translated, stats.fuzzy) == (5, 0)
    plural = read_catalog(path).find("%d article")
    assert plural.msgstr_plural[1].count("%d") == 1 and ("ŕţîçļéš" in plural.msgstr_plural[1] or language.is_rtl)
    assert fill_catalog(read_catalog(path), language) == 0


def load_source_for(language, msgid):
    from locflow.drafts.pseudo import PseudoSource

    return PseudoSource().drafts(language, [msgid])[msgid]
