"""Every check, in Armenian, Russian, French and Arabic: silent on correct sentences a
reader of the language would accept (questions, abbreviations, numbers written with the
language's separators, quotes inside quotes), and firing on a crafted defect of its own,
with a message that says what is wrong in plain words and names characters by code point."""

from __future__ import annotations

import re

import polib
import pytest

from locflow.catalogs import read_catalog
from locflow.checks import Catalog, Site, check_catalog, registered, run_site_checks, site_digest
from locflow.checks import _site_catalog
from locflow.checks.consistency import plural_behaviour
from locflow.languages import get_language

from .conftest import assert_msgfmt_accepts
from .test_checks import EN, catalog_file

NNBSP, NBSP = "\u202f", "\u00a0"
PLURAL = ("one victim", "{n} victims")
MD = [("source/article.md", "3")]  # a message of a Markdown article


def entry(msgid, msgstr="", *flags, forms=None, occurrences=None):
    if forms is not None:
        return polib.POEntry(msgid=msgid, msgid_plural=PLURAL[1], msgstr_plural=dict(enumerate(forms)),
                             flags=list(flags), occurrences=occurrences or [])
    return polib.POEntry(msgid=msgid, msgstr=msgstr, flags=list(flags), occurrences=occurrences or [])


def brace(msgid, msgstr):
    return entry(msgid, msgstr, "python-brace-format")


NESTED = 'He said: "They shouted \'never again\'."'

# (what it shows, entry). Each language covers questions, abbreviations, numbers with the
# language's own separators and quotes inside quotes; every entry is correct.
SILENT = {
    "hy": [
        ("question", entry("Where were you during the pogroms?", "Որտե՞ղ էիք ջարդերի ժամանակ։")),
        ("question", entry("Why did this happen?", "Ինչո՞ւ դա տեղի ունեցավ։")),
        ("question", entry("Who was there? Nobody knows.", "Ո՞վ էր այնտեղ։ Ոչ ոք չգիտի։")),
        ("exclamation", entry("Never again!", "Այլևս երբե՜ք։")),
        ("abbreviation", entry("The events of 1990 shocked the world.", "1990 թ. իրադարձությունները ցնցեցին աշխարհը։")),
        ("abbreviation", entry("The Nagorno-Karabakh (Artsakh) conflict began in 1988.",
                               "Լեռնային Ղարաբաղի (Արցախի) հակամարտությունը սկսվեց 1988 թ.։")),
        ("numbers", entry("Over 250,000 Armenians fled Azerbaijan.", f"Ավելի քան 250{NBSP}000 հայ փախավ Ադրբեջանից։")),
        ("numbers", entry("The rate rose by 2.5 percent.", "Տոկոսադրույքն աճեց 2,5 տոկոսով։")),
        ("nested quotes", entry(NESTED, "Նա ասաց՝ «Նրանք գոռում էին «այլևս երբեք»»։")),
        ("sentences", entry("The city burned. Nobody came.", "Քաղաքը այրվում էր։ Ոչ ոք չեկավ։")),
        ("heading", entry("Humanitarian Crisis:", "Մարդասիրական ճգնաժամ.")),
        ("markup", entry('Read the <a href="https://example.org/report">full report</a>.',
                         'Կարդացեք <a href="https://example.org/report">ամբողջական զեկույցը</a>։')),
        ("markdown", entry("Read the [full report](1).", "Կարդացեք [ամբողջական զեկույցը](1)։", occurrences=MD)),
        ("placeholder", brace("Updated: {date}", "Թարմացվել է՝ {date}")),
        ("plural", entry(PLURAL[0], "", "python-brace-format", forms=["{n} զոհ", "{n} զոհ"])),
        ("ellipsis", entry("And then…", "Իսկ հետո…")),
    ],
    "ru": [
        ("question", entry("Why did this happen?", "Почему это случилось?")),
        ("question", entry("Who was to blame? Nobody knows.", "Кто был виноват? Никто не знает.")),
        ("question", entry("Wait… what happened?", "Подождите… что случилось?")),
        ("exclamation", entry("Never again!", "Больше никогда!")),
        ("abbreviation", entry("In 1990, i.e. thirty years ago, the city changed.",
                               "В 1990 г., т. е. тридцать лет назад, город изменился.")),
        ("abbreviation", entry("The refugees reached the town of Shusha.", "Беженцы добрались до г. Шуша.")),
        ("abbreviation", entry("It happened in 1990. Then the war began.", "Это произошло в 1990 г. Затем началась война.")),
        ("numbers", entry("The aid cost $1,250,000.50.", f"Помощь стоила 1{NBSP}250{NBSP}000,50 доллара.")),
        ("numbers", entry("Over 250,000 people fled.", f"Более 250{NBSP}000 человек бежали.")),
        ("nested quotes", entry(NESTED, "Он сказал: «Они кричали „больше никогда“»." )),
        ("quotes", entry('He said "never again".', "Он сказал «больше никогда».")),
        ("markup", entry('Read the <a href="https://example.org/report">full report</a>.',
                         'Читайте <a href="https://example.org/report">полный отчёт</a>.')),
        ("markdown", entry("Read the *full* [report](1).", "Читайте *полный* [отчёт](1).", occurrences=MD)),
        ("placeholder", brace("Updated: {date}", "Обновлено: {date}")),
        ("plural", entry(PLURAL[0], "", "python-brace-format", forms=["{n} жертва", "{n} жертвы", "{n} жертв"])),
        ("line break", entry("Line one\nline two", "Строка один\nстрока два")),
    ],
    "fr": [
        ("question", entry("Where were you?", f"Où étiez-vous{NNBSP}?")),
        ("question", entry("Who? When?", f"Qui{NNBSP}? Quand{NNBSP}?")),
        ("question", entry("<b>Why?</b>", "<b>Pourquoi&nbsp;?</b>")),
        ("exclamation", entry("Never again!", f"Plus jamais{NNBSP}!")),
        ("abbreviation", entry("Mr. Aliyev spoke on Jan. 12.", "M. Aliyev a parlé le 12 janvier.")),
        ("abbreviation", entry("Dr. Smith arrived, i.e. late.", "Le Dr Smith est arrivé, c.-à-d. en retard.")),
        ("numbers", entry("The fund raised 1,500,000.75 euros.", f"Le fonds a recueilli 1{NNBSP}500{NNBSP}000,75 euros.")),
        ("numbers", entry("It started at 12:30.", "Cela a commencé à 12:30.")),
        ("nested quotes", entry(NESTED, f"Il a dit{NBSP}: «{NNBSP}Ils criaient “plus jamais”{NNBSP}».")),
        ("heading", entry("Escalation of Ethnic Tensions:", f"Escalade des tensions ethniques{NBSP}:")),
        ("reflexive", entry("You remember it.", "Vous vous en souvenez.")),
        ("semicolon", entry("It burned; nobody came.", f"La ville brûlait{NNBSP}; personne n’est venu.")),
        ("month", entry("January was cold.", "janvier fut froid.")),
        ("ellipsis", entry("And then…", "Et puis…")),
        ("placeholder", brace("Updated: {date}", f"Mis à jour{NNBSP}: {{date}}")),
        ("plural", entry(PLURAL[0], "", "python-brace-format", forms=["{n} victime", "{n} victimes"])),
    ],
    "ar": [
        ("question", entry("Where were you?", "أين كنت؟")),
        ("question", entry("Who was to blame? Nobody knows.", "من كان المسؤول؟ لا أحد يعرف.")),
        ("question", entry("Why did this happen?", "لماذا حدث هذا؟")),
        ("exclamation", entry("Never again!", "لن يتكرر ذلك أبدا!")),
        ("abbreviation", entry("Dr. Ahmed spoke.", "تحدث د. أحمد.")),
        ("numbers", entry("The aid reached 1,250.5 tonnes.", "بلغت المساعدات ١٬٢٥٠٫٥ طن.")),
        ("numbers", entry("In 2020, 1,500 families returned.", "في عام 2020، عادت 1,500 عائلة.")),
        ("nested quotes", entry(NESTED, 'قال: «كانوا يهتفون "لن يتكرر ذلك أبدا"».')),
        ("sentences", entry("The city burned. Nobody came.", "احترقت المدينة. لم يأت أحد.")),
        ("comma", entry("Baku, Sumgait and Kirovabad.", "باكو، سومغايت وكيروف آباد.")),
        ("semicolon", entry("It burned; nobody came.", "احترقت؛ لم يأت أحد.")),
        ("prefix before a placeholder", brace("Contact {name} today.", "اتصل بـ {name} اليوم.")),
        ("right-to-left mark", entry("The BBC reported it.", "أفادت BBC\u200f بذلك.")),
        ("placeholder", brace("Updated: {date}", "تم التحديث: {date}")),
        ("plural", entry(PLURAL[0], "", "python-brace-format",
                         forms=["لا ضحايا", "ضحية واحدة", "ضحيتان", "{n} ضحايا", "{n} ضحية", "{n} ضحية"])),
    ],
}
LANGUAGES = sorted(SILENT)
MESSAGE_CHECKS = sorted(name for name, chk in registered().items() if chk.scope == "message")


@pytest.fixture(scope="module")
def silent_catalogs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("silent")
    units = {}
    for code, items in SILENT.items():
        path, language = catalog_file(folder, code, [item for _, item in items])
        units[code] = Catalog(path, "article", language, read_catalog(path))
    return units


@pytest.mark.parametrize("code", LANGUAGES)
def test_each_language_has_the_sentences_the_issue_asks_for(code, silent_catalogs):
    kinds = [kind for kind, _ in SILENT[code]]
    assert {"question", "abbreviation", "numbers", "nested quotes"} <= set(kinds)
    assert len(kinds) >= 12
    assert_msgfmt_accepts(silent_catalogs[code].path)


@pytest.mark.parametrize("name", MESSAGE_CHECKS + ["msgfmt"])
@pytest.mark.parametrize("code", LANGUAGES)
def test_check_is_silent_on_correct_sentences(code, name, silent_catalogs):
    findings = check_catalog(silent_catalogs[code], [registered()[name]], EN)
    assert [(f.msgid, f.message) for f in findings] == []


@pytest.mark.parametrize("code", LANGUAGES)
def test_site_checks_are_silent_when_articles_agree(tmp_path, code):
    items = [item for _, item in SILENT[code]]
    catalogs = []
    for article in ("one", "two"):  # the same messages, translated the same way, in two articles
        path, language = catalog_file(tmp_path, code, items, name=article)
        catalogs.append(_site_catalog(article, path, site_digest(read_catalog(path), path.read_text(encoding="utf-8"))))
    site = Site(get_language(code), tuple(catalogs), tmp_path)
    checks = [chk for chk in registered().values() if chk.scope == "site"]
    assert {chk.name for chk in checks} == {"inconsistent", "reused", "plural-header"}
    assert run_site_checks(site, checks) == []


# ---------------------------------------------------------------------------
# One crafted defect per check (more for the ones the issue names)
# ---------------------------------------------------------------------------

DEFECTS = [
    # (check, language, entry, fragment of the message)
    ("placeholders", "ru", brace("Updated: {date}", "Обновлено: {дата}"), "missing placeholder {date}"),
    ("markup", "ru", entry('Read <a href="/r">this</a>.', 'Читайте <a href="/x">это</a>.'), 'missing markup <a href="/r">'),
    ("markup", "ru", entry("A <b><i>bold</i></b> claim.", "Смелое <b><i>заявление</b></i>."), "not nested as in the source"),
    ("markup", "ru", entry("A claim.", "- Заявление.", occurrences=MD), "unexpected markup line starting '-'"),
    ("markup", "fr", entry("See the report.", "Voir le [rapport][1].", occurrences=MD), "unexpected markup"),
    ("escapes", "ru", entry("Hello", "Привет\\n"), "unexpected backslash escape \\n"),
    ("numbers", "hy", entry("The pogroms began in 1990.", "Ջարդերը սկսվեցին 1991 թվականին։"), "1990 missing"),
    ("whitespace", "fr", entry("Hello ", "Bonjour"), "ends with no whitespace, the source with space"),
    ("same-as-source", "ar", entry("Baku is a city.", "Baku is a city."), "identical"),
    ("script", "hy", entry("The city burned.", "Город горел։"), "Cyrillic"),
    ("length", "ru", entry("The hostility targeted the Armenian population of the city.", "Да."), "times as long"),
    ("plural-forms", "ar", entry(PLURAL[0], "", "python-brace-format", forms=["{n}", "{n}"]), "nplurals=6"),
    ("same-plurals", "ru", entry(PLURAL[0], "", "python-brace-format", forms=["{n} жертв"] * 3), "all 3 plural forms are the same"),
    ("punctuation", "hy", entry("Where were you?", "Որտեղ էիք?"), "Latin ? (U+003F QUESTION MARK), where Armenian writes ՞ (U+055E ARMENIAN QUESTION MARK)"),
    ("punctuation", "hy", entry("The city burned.", "Քաղաքը այրվում էր:"), "։ (U+0589 ARMENIAN FULL STOP)"),
    ("punctuation", "ar", entry("Where were you?", "أين كنت?"), "؟ (U+061F ARABIC QUESTION MARK)"),
    ("end-punctuation", "hy", entry("The city burned.", "Քաղաքը այրվում էր."), "the source's full stop is written ։ (U+0589 ARMENIAN FULL STOP) in Armenian"),
    ("end-punctuation", "ru", entry("The city burned", "Город горел."), "ends with . (U+002E FULL STOP), but the source has no closing punctuation"),
    ("quotes", "ru", entry('He said "never again".', 'Он сказал "больше никогда".'), "Russian quotes with «…»"),
    ("french-spacing", "fr", entry('He said "never".', "Il a dit « jamais »."), "a normal space before »"),
    ("punctuation-spacing", "ru", entry("Why did this happen?", "Почему это случилось ?"), "a space before ? (U+003F QUESTION MARK), where Russian puts none"),
    ("punctuation-spacing", "ar", entry("Where were you?", "أين كنت ؟"), "a space before ؟ (U+061F ARABIC QUESTION MARK)"),
    ("punctuation-spacing", "hy", entry("Where were you?", "Որտեղ ՞ էիք։"), "՞ (U+055E ARMENIAN QUESTION MARK) stands apart"),
    ("punctuation-spacing", "ru", entry("Baku, Sumgait.", "Баку,Сумгаит."), "no space after , (U+002C COMMA)"),
    ("double-space", "ru", entry("The city burned.", "Город  горел."), '2 spaces in a row after "Город"'),
    ("doubled-words", "ru", entry("Refugees fled to Baku.", "Беженцы бежали в в Баку."), 'the word "в" twice in a row'),
    ("doubled-words", "hy", entry("The city burned.", "Քաղաքը այրվում այրվում էր։"), 'the word "այրվում" twice'),
    ("brackets", "fr", entry("The conflict (1988) began.", "Le conflit (1988 a commencé."), "( (U+0028 LEFT PARENTHESIS) is never closed"),
    ("brackets", "ru", entry(NESTED, "Он сказал: «Они кричали „больше никогда“."), "« (U+00AB LEFT-POINTING DOUBLE ANGLE QUOTATION MARK) is never closed"),
    ("sentence-count", "hy", entry("The city burned. Nobody came.", "Քաղաքը այրվում էր, և ոչ ոք չեկավ։"), "1 sentence, the source has 2"),
    ("sentence-count", "ar", entry("The city burned.", "احترقت المدينة. لم يأت أحد."), "2 sentences, the source has 1"),
    ("ellipsis", "ru", entry("And then…", "А потом..."), "three full stops ... where the source writes … (U+2026 HORIZONTAL ELLIPSIS)"),
    ("capitals", "ru", entry("The city burned.", "город горел."), 'starts with lower-case "г"'),
    ("capitals", "ru", entry("The West.", "ЗАпад."), '"ЗАпад" starts with two capitals'),
    ("unsafe-html", "ru", entry("Where were you?", "Где вы были? <script>alert(1)</script>"), "unsafe HTML: a <script> element"),
    ("unsafe-html", "fr", entry('Read <a href="/r">this</a>.', 'Lisez <a href="/r" onclick="steal()">ceci</a>.'), "event-handler attribute onclick="),
    ("unsafe-html", "hy", entry("Read the [report](1).", "Կարդացեք [զեկույցը](java&#115;cript:alert(1))։", occurrences=MD), "a javascript: URL"),
    ("blank", "ru", entry("The city burned.", "   "), "only whitespace"),
    ("conflict-markers", "ru", entry("Baku", "#-#-#-#-#  a.po  #-#-#-#-#\nБаку\n#-#-#-#-#  b.po  #-#-#-#-#\nБаку"), "#-#-#-#-#"),
    ("invisible-characters", "ru", entry("The city burned.", "Город\u200bгорел."), "U+200B ZERO WIDTH SPACE"),
    ("invisible-characters", "fr", entry("The city burned.", "La ville\u202e brûlait."), "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("kashida", "ar", entry("The city burned.", "احتـــرقت المدينة."), "ـ (U+0640 ARABIC TATWEEL)"),
]
DEFECT_NAMES = {name for name, *_ in DEFECTS}


def test_every_message_check_has_a_crafted_defect():
    assert set(MESSAGE_CHECKS) - DEFECT_NAMES - {"glossary"} == set()  # glossary's are in test_checks.py


@pytest.mark.parametrize(("name", "code", "bad", "fragment"), DEFECTS, ids=[f"{d[0]}-{d[1]}-{i}" for i, d in enumerate(DEFECTS)])
def test_check_flags_its_crafted_defect(tmp_path, name, code, bad, fragment):
    path, language = catalog_file(tmp_path, code, [bad])
    unit = Catalog(path, "article", language, read_catalog(path))
    findings = check_catalog(unit, [registered()[name]], EN)
    assert findings, f"{name} did not flag {bad.msgstr or bad.msgstr_plural!r}"
    assert any(fragment in f.message for f in findings), [f.message for f in findings]
    for finding in findings:
        assert finding.severity == registered()[name].severity
        assert finding.line == read_catalog(path).find(bad.msgid).linenum


def test_messages_name_characters_by_code_point_and_read_as_sentences(tmp_path):
    bad = [entry("The city burned.", "Քաղաքը այրվում էր:"), entry("The city burned again.", "Քաղաքը նորից այրվեց.")]
    path, language = catalog_file(tmp_path, "hy", bad)
    findings = check_catalog(Catalog(path, "article", language, read_catalog(path)), registered().values(), EN)
    messages = [f.message for f in findings]
    assert messages, "nothing found"
    for message in messages:
        # every non-ASCII mark a message quotes comes with its code point and Unicode name
        for mark in re.findall(r"(?<![\w(])([^\w\s()'\",.;:!?…-])(?= \(U\+)", message):
            assert f"{mark} (U+{ord(mark):04X} " in message
        assert "no end mark is no end mark" not in message and "'.'" not in message
    assert any("U+0589 ARMENIAN FULL STOP" in message and "U+2024 ONE DOT LEADER" in message for message in messages)


def test_issue_examples_are_flagged(tmp_path):
    """The defects issue 17 lists, in one catalog each: each found by the check named."""
    cases = {
        "punctuation-spacing": ("ru", entry("Why did this happen?", "Почему это случилось ?")),
        "punctuation": ("hy", entry("Why did this happen?", "Ինչու դա տեղի ունեցավ?")),
        "doubled-words": ("ru", entry("It was bad.", "Это было было плохо.")),
        "double-space": ("fr", entry("It was bad.", "C’était  mauvais.")),
        "brackets": ("ru", entry("A (small) town.", "Небольшой (маленький город.")),
        "sentence-count": ("ru", entry("It burned.", "Город горел. Никто не пришёл.")),
        "french-spacing": ("fr", entry("Why?", "Pourquoi ?")),
        "unsafe-html": ("ar", entry("Read this.", '<a href="javascript:alert(1)">اقرأ</a> هذا.')),
    }
    for name, (code, bad) in cases.items():
        path, language = catalog_file(tmp_path / name, code, [bad])
        findings = check_catalog(Catalog(path, "article", language, read_catalog(path)), registered().values(), EN)
        assert name in {f.check for f in findings}, (name, [(f.check, f.message) for f in findings])


def test_ellipsis_setting_makes_three_dots_a_finding_everywhere(tmp_path):
    from locflow.checks import CheckOptions

    bad = entry("And then...", "А потом...")
    path, language = catalog_file(tmp_path, "ru", [bad])
    unit = Catalog(path, "article", language, read_catalog(path))
    ellipsis = registered()["ellipsis"]
    assert check_catalog(unit, [ellipsis], EN) == []  # the source writes three dots too
    found = check_catalog(unit, [ellipsis], EN, options=CheckOptions(ellipsis="character"))
    assert [f.message for f in found] == ["three full stops ... where the site writes … (U+2026 HORIZONTAL ELLIPSIS)"]


# ---------------------------------------------------------------------------
# Site checks: inconsistent, reused, plural-header
# ---------------------------------------------------------------------------


def _site(tmp_path, code, articles: dict[str, list[polib.POEntry]], headers: dict[str, str] | None = None) -> Site:
    catalogs = []
    for article, entries in articles.items():
        path, language = catalog_file(tmp_path, code, entries, name=article)
        if headers and article in headers:
            catalog = read_catalog(path)
            catalog.metadata["Plural-Forms"] = headers[article]
            catalog.save(str(path))
        text = path.read_text(encoding="utf-8")
        catalogs.append(_site_catalog(article, path, site_digest(read_catalog(path), text)))
    return Site(get_language(code), tuple(catalogs), tmp_path)


def test_inconsistent_flags_one_source_translated_two_ways_in_a_language(tmp_path):
    site = _site(tmp_path, "ru", {
        "one": [entry("Nagorno-Karabakh", "Нагорный Карабах"), entry("Baku", "Баку")],
        "two": [entry("Nagorno-Karabakh", "Нагорно-Карабахская область"), entry("Baku", "Баку")],
    })  # fmt: skip
    findings = run_site_checks(site, [registered()["inconsistent"]])
    assert sorted((f.article, f.msgstr) for f in findings) == [("one", "Нагорный Карабах"), ("two", "Нагорно-Карабахская область")]
    first = next(f for f in findings if f.article == "one")
    assert "ru/two.po:" in first.message and '"Нагорно-Карабахская область"' in first.message
    assert first.line == read_catalog(tmp_path / "ru" / "one.po").find("Nagorno-Karabakh").linenum


def test_ignore_flag_leaves_an_entry_out_of_the_site_comparison(tmp_path):
    site = _site(tmp_path, "ru", {
        "one": [entry("Nagorno-Karabakh", "Нагорный Карабах")],
        "two": [entry("Nagorno-Karabakh", "Арцах", "ignore-inconsistent")],
    })  # fmt: skip
    assert run_site_checks(site, [registered()["inconsistent"]]) == []


def test_reused_flags_one_translation_for_different_sources(tmp_path):
    site = _site(tmp_path, "hy", {
        "one": [entry("The pogrom began.", "Ջարդը սկսվեց։"), entry("Yes", "Այո")],
        "two": [entry("The massacre started.", "Ջարդը սկսվեց։"), entry("Yes.", "Այո")],
    })  # fmt: skip
    findings = run_site_checks(site, [registered()["reused"]])
    assert sorted(f.msgid for f in findings) == ["The massacre started.", "The pogrom began."]  # "Yes" / "Yes." are one string
    assert all("another source string" in f.message for f in findings)


def test_plural_header_flags_catalogs_of_a_language_that_disagree(tmp_path):
    conventional = get_language("fr").plural_forms
    site = _site(tmp_path, "fr", {
        "one": [entry("Baku", "Bakou")],
        "two": [entry("Baku", "Bakou")],
        "three": [entry("Baku", "Bakou")],
    }, headers={"two": "nplurals=2; plural=n > 1;", "three": "nplurals=2; plural=(n != 1);"})  # fmt: skip
    findings = run_site_checks(site, [registered()["plural-header"]])
    assert [(f.article, f.severity) for f in findings] == [("three", "error")]  # "n > 1" is the same formula
    message = findings[0].message
    assert "nplurals=2; plural=(n != 1);" in message and conventional in message and "conventional" in message
    text = (tmp_path / "fr" / "three.po").read_text(encoding="utf-8").splitlines()
    assert text[findings[0].line - 1].startswith('"Plural-Forms:')
    assert plural_behaviour("nplurals=2; plural=n > 1;") == plural_behaviour(conventional)


def test_site_checks_in_a_real_run_follow_edits_and_come_back_from_the_cache(project):
    from .conftest import run_locflow, write_pyproject
    from .test_check_report import translate

    import json

    write_pyproject(project, languages=("ru",))
    for slug in ("first-note", "second-note"):
        (project / "source" / f"{slug}.txt").write_text(f"Note {slug}\n\nWhere were you?\n", encoding="utf-8")
    run_locflow(project, "extract", check_code=0)
    run_locflow(project, "update", check_code=0)
    translate(project, "ru", "first-note", {"Where were you?": "Где вы были?"})
    translate(project, "ru", "second-note", {"Where were you?": "Где же вы были?"})

    def inconsistent():
        report = json.loads(run_locflow(project, "check", "--format", "json", "--only", "inconsistent", check_code=1).stdout)
        return sorted((f["article"], f["line"], f["msgstr"], f["message"]) for f in report["findings"])

    # a run without the site checks first caches findings but no digests: they are made when needed
    run_locflow(project, "check", "--format", "json", "--only", "numbers", check_code=1)
    cold = inconsistent()
    assert [(article, msgstr) for article, _, msgstr, _ in cold] == [("first-note", "Где вы были?"), ("second-note", "Где же вы были?")]
    assert "locales/ru/LC_MESSAGES/second-note.po:" in cold[0][3]
    assert inconsistent() == cold  # from the cache: the same findings
    translate(project, "ru", "second-note", {"Where were you?": "Где вы были?"})
    assert inconsistent() == []  # one catalog changed: the site check sees it
