"""Every quality check fires where it must and stays silent on correct translations,
on Armenian, Russian, Arabic, French and Spanish text, in real PO files that GNU msgfmt reads."""

from __future__ import annotations

import polib
import pytest

from locflow.catalogs import read_catalog
from locflow.checks import Catalog, check_catalog, registered, run_checks
from locflow.checks.quality import missing_terms
from locflow.config import load_settings
from locflow.errors import ConfigError
from locflow.glossary import Term
from locflow.languages import get_language

from .conftest import assert_msgfmt_accepts, msgfmt_check, write_pyproject

EN = get_language("en")

DATES = "In a dark retrospective, we remember the tragic events of the Baku pogroms that unfolded from January 12-19, 1990."
LINK = 'Read the <a href="https://example.org/report">full report</a>.'
PLURAL = ("one victim", "{n} victims")


def catalog_file(folder, code: str, entries: list[polib.POEntry], name: str = "article", path=None) -> tuple:
    """Write a real catalog for ``code`` (headers as `locflow update` writes them)."""
    language = get_language(code)
    po = polib.POFile(wrapwidth=78)
    po.metadata = {
        "Project-Id-Version": name,
        "PO-Revision-Date": "2026-11-25 10:00+0000",
        "Last-Translator": "Translator <t@example.org>",
        "Language-Team": language.english_name,
        "Language": language.code,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": language.plural_forms,
    }
    for entry in entries:
        po.append(entry)
    path = path or folder / code / f"{name}.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))
    return path, language


def run(tmp_path, code, entries, glossary=(), names=None):
    path, language = catalog_file(tmp_path, code, entries)
    checks = [c for name, c in registered().items() if names is None or name in names]
    unit = Catalog(path, "article", language, read_catalog(path))
    return check_catalog(unit, checks, EN, glossary)


def entry(msgid: str, msgstr: str, *flags: str, plural: str | None = None, forms: list[str] | None = None) -> polib.POEntry:
    if plural is not None:
        return polib.POEntry(msgid=msgid, msgid_plural=plural, msgstr_plural=dict(enumerate(forms or [])), flags=list(flags))
    return polib.POEntry(msgid=msgid, msgstr=msgstr, flags=list(flags))


def brace(msgid: str, msgstr: str) -> polib.POEntry:
    return entry(msgid, msgstr, "python-brace-format")


# ---------------------------------------------------------------------------
# Correct translations: not one finding, from any check (msgfmt included)
# ---------------------------------------------------------------------------

GOOD = {
    "hy": [
        entry(DATES, "Մութ հետահայացքով հիշում ենք Բաքվի ջարդերի ողբերգական իրադարձությունները, "
                     "որոնք տեղի ունեցան 1990 թվականի հունվարի 12-19-ը։"),
        brace("Updated: {date}", "Թարմացվել է՝ {date}"),
        entry("Escalation of Ethnic Tensions:", "Էթնիկ լարվածության սրումը."),
        # ՞ sits on the stressed word: a question has no end mark to compare
        entry("Where were you?", "Որտե՞ղ էիք։"),
        entry("Where were they?", "Որտե՞ղ էին նրանք"),
        entry("Never again!", "Այլևս երբե՜ք"),
        entry('He said "never again".', "Նա ասաց՝ «այլևս երբեք»։"),
        entry("The Nagorno-Karabakh conflict fueled the tensions.", "Լեռնային Ղարաբաղի հակամարտությունը սրեց լարվածությունը։"),
        entry(PLURAL[0], "", "python-brace-format", plural=PLURAL[1], forms=["{n} զոհ", "{n} զոհ"]),
        entry(LINK, 'Կարդացեք <a href="https://example.org/report">ամբողջական զեկույցը</a>։'),
    ],
    "ru": [
        entry(DATES, "Оглядываясь назад, мы вспоминаем трагические события погромов в Баку, "
                     "произошедших 12–19 января 1990 года."),
        brace("Updated: {date}", "Обновлено: {date}"),
        entry("Escalation of Ethnic Tensions:", "Обострение межэтнической напряжённости:"),
        entry("Where were you?", "Где вы были?"),
        entry('He said "never again".', "Он сказал «больше никогда»."),
        entry('She said "never again".', "Она сказала „больше никогда“."),
        entry("The late 1980s witnessed escalating tensions in Baku.", "Конец 1980-х годов ознаменовался ростом напряжённости в Баку."),
        entry(PLURAL[0], "", "python-brace-format", plural=PLURAL[1], forms=["{n} жертва", "{n} жертвы", "{n} жертв"]),
        entry(LINK, 'Читайте <a href="https://example.org/report">полный отчёт</a>.'),
        entry("Baku had 1,000 refugees.", "В Баку было 1 000 беженцев."),
        entry("Line one\nline two", "Строка один\nстрока два"),
    ],
    "ar": [
        entry("Where were you?", "أين كنت؟"),
        entry("The pogroms began on January 13, 1990.", "بدأت المذابح في 13 يناير 1990."),
        entry("The pogroms began on January 14, 1990.", "بدأت المذابح في ١٤ يناير ١٩٩٠."),
        entry("Baku, Sumgait and Kirovabad.", "باكو، سومغايت وكيروف آباد."),
        brace("Updated: {date}", "تم التحديث: {date}"),
        entry(PLURAL[0], "", "python-brace-format", plural=PLURAL[1],
              forms=["لا ضحايا", "ضحية واحدة", "ضحيتان", "{n} ضحايا", "{n} ضحية", "{n} ضحية"]),
    ],
    "fr": [
        entry("Where were you?", "Où étiez-vous\u202f?"),
        entry('He said "never again".', "Il a dit «\u202fplus jamais\u202f»."),
        entry("Escalation of Ethnic Tensions:", "Escalade des tensions ethniques\u00a0:"),
        entry("It started at 12:30.", "Cela a commencé à 12:30."),
        entry("<b>Why?</b>", "<b>Pourquoi&nbsp;?</b>"),
        entry("Why &amp; how?", "Pourquoi &amp; comment&#8239;?"),
    ],
    "es": [
        entry("Where were you?", "¿Dónde estabas?"),
        entry("Never again!", "¡Nunca más!"),
    ],
}
GLOSSARY = {
    "hy": [Term("Nagorno-Karabakh", "Լեռնային Ղարաբաղ")],
    "ru": [Term("Baku", "Баку")],
}


@pytest.mark.parametrize("code", sorted(GOOD))
def test_correct_translations_have_no_findings(tmp_path, code):
    findings = run(tmp_path, code, GOOD[code], GLOSSARY.get(code, ()))
    assert [(f.check, f.message, f.msgstr) for f in findings] == []
    assert_msgfmt_accepts(tmp_path / code / "article.po")


# ---------------------------------------------------------------------------
# Each kind of problem: exactly the checks that must fire, and a message saying what is wrong
# ---------------------------------------------------------------------------

BAD = [
    # Armenian: the Latin colon typed for the full stop ։ (machine output does this)
    ("hy", entry("The pogroms began in 1990.", "Ջարդերը սկսվեցին 1990 թվականին:"), {"punctuation"}, "Latin : (U+003A COLON)"),
    ("hy", entry(DATES, "Մութ հետահայացքով հիշում ենք Բաքվի ջարդերը: Դրանք տեղի ունեցան 1990 թվականի հունվարի 12-19-ը։"),
     {"punctuation"}, "Latin : (U+003A COLON)"),
    # Armenian: a Latin full stop at the end of a sentence (the . is the Armenian colon)
    ("hy", entry("The pogroms began in 1990.", "Ջարդերը սկսվեցին 1990 թվականին."), {"end-punctuation"}, "։ (U+0589 ARMENIAN FULL STOP)"),
    ("hy", entry("The city burned.", "Город горел։"), {"script"}, "Cyrillic"),
    ("hy", entry("Baku is a city.", "Baku is a city."), {"same-as-source", "script", "end-punctuation"}, "identical"),
    ("hy", entry(PLURAL[0], "", "python-brace-format", plural=PLURAL[1], forms=["{n} զոհ"]), {"plural-forms"}, "nplurals=2"),
    # Russian
    ("ru", entry('He said "never again".', 'Он сказал "больше никогда".'), {"quotes"}, "«…»"),
    ("ru", entry('He said "never again".', "Он сказал “больше никогда”."), {"quotes"}, "«…»"),
    ("ru", entry(DATES, "Оглядываясь назад, мы вспоминаем погромы в Баку 12–18 января 1990 года."), {"numbers"}, "19"),
    ("ru", entry("The pogroms began in 1990.", "Погромы начались в 1991 году."), {"numbers"}, "1991"),
    ("ru", brace("Updated: {date}", "Обновлено: {дата}"), {"placeholders"}, "missing placeholder {date}"),
    ("ru", brace("Updated: {date}", "Обновлено: {date} {date}"), {"placeholders"}, "unexpected placeholder {date}"),
    ("ru", entry("Done: %(count)d files", "Готово: %(n)d файлов", "python-format"), {"placeholders"}, "%(count)d"),
    ("ru", entry(LINK, 'Читайте <a href="https://example.org/other">полный отчёт</a>.'), {"markup"}, "https://example.org/report"),
    ("ru", entry("A <b>bold</b> claim.", "Смелое <b>заявление."), {"markup"}, "</b>"),
    ("ru", entry("Hello\n", "Привет"), {"whitespace"}, "line break"),
    ("ru", entry(" Indented", "С отступом"), {"whitespace"}, "space"),
    ("ru", entry("The Nagorno-Karabakh conflict.", "The Nagorno-Karabakh conflict."), {"same-as-source", "script"}, "identical"),
    ("ru", entry("The hostility targeted the Armenian population of the city.", "Да."), {"length"}, "0.05 times as long"),
    ("ru", entry("The city burned for days.", "Город горел много дней и ночей подряд, и никто не пришёл на помощь его жителям, пока не стало поздно."),
     {"length"}, "at most 2.5"),
    ("ru", entry("The city of Baku burned.", "Город Бак горел."), {"glossary"}, "'Баку'"),
    ("ru", entry("The city burned.", "Город горел"), {"end-punctuation"}, "ends without closing punctuation"),
    ("ru", entry("Where were you?", "Где вы были."), {"end-punctuation"}, "? (U+003F QUESTION MARK)"),
    ("ru", entry(PLURAL[0], "", "python-brace-format", plural=PLURAL[1], forms=["{n} жертва", "{n} жертвы"]),
     {"plural-forms"}, "2 plural forms"),
    ("ru", entry(PLURAL[0], "", "python-brace-format", plural=PLURAL[1], forms=["{n} жертва", "{n} жертвы", ""]),
     {"plural-forms"}, "msgstr[2] is empty"),
    ("ru", entry(PLURAL[0], "", "python-brace-format", plural=PLURAL[1], forms=["{n} жертва", "{n} жертвы", "{m} жертв"]),
     {"placeholders"}, "msgstr[2]"),
    # Arabic
    ("ar", entry("Where were you?", "أين كنت?"), {"punctuation"}, "؟ (U+061F ARABIC QUESTION MARK)"),
    ("ar", entry("Where were you?", "أين كنت."), {"end-punctuation"}, "؟ (U+061F ARABIC QUESTION MARK)"),
    ("ar", entry("Baku, Sumgait and Kirovabad.", "باكو, سومغايت وكيروف آباد."), {"punctuation"}, "، (U+060C ARABIC COMMA)"),
    ("ar", entry("The pogroms began in 1990.", "The pogroms began in 1990."), {"same-as-source", "script"}, "Arabic"),
    ("ar", entry("The pogroms began on January 13, 1990.", "بدأت المذابح في ١٤ يناير ١٩٩٠."), {"numbers"}, "13"),
    # French: typography as a warning
    ("fr", entry("Where were you?", "Où étiez-vous?"), {"french-spacing"}, "no space before ?"),
    ("fr", entry("Where were you?", "Où étiez-vous ?"), {"french-spacing"}, "a normal space"),
    ("fr", entry('He said "never again".', 'Il a dit "plus jamais".'), {"quotes"}, "«…»"),
    # Spanish: a question opens with ¿
    ("es", entry("Where were you?", "Dónde estabas?"), {"end-punctuation"}, "¿ (U+00BF INVERTED QUESTION MARK)"),
]


@pytest.mark.parametrize(("code", "bad", "expected", "fragment"), BAD, ids=[f"{b[0]}-{'+'.join(sorted(b[2]))}-{i}" for i, b in enumerate(BAD)])
def test_each_check_fires_on_its_problem(tmp_path, code, bad, expected, fragment):
    findings = run(tmp_path, code, [bad], GLOSSARY.get(code, ()), names=set(registered()) - {"msgfmt"})
    assert {f.check for f in findings} == expected, [(f.check, f.message) for f in findings]
    assert any(fragment in f.message for f in findings), [f.message for f in findings]
    for finding in findings:
        assert finding.severity == registered()[finding.check].severity
        assert finding.language == get_language(code).code and finding.article == "article"
        assert finding.msgid == bad.msgid
        # the line is the entry's own line in the file
        assert read_catalog(finding.file).find(bad.msgid).linenum == finding.line


def test_registry_lists_every_required_check_with_severity_and_explanation():
    checks = registered()
    assert {
        "placeholders", "markup", "numbers", "whitespace", "same-as-source", "script", "punctuation",
        "end-punctuation", "quotes", "french-spacing", "glossary", "length", "plural-forms", "msgfmt",
    } <= set(checks)  # fmt: skip
    for check in checks.values():
        assert check.severity in ("error", "warning")
        assert check.explanation and "\n" not in check.explanation
    assert checks["french-spacing"].severity == "warning"
    assert checks["punctuation"].severity == "error"


def test_fuzzy_untranslated_and_obsolete_entries_are_not_checked(tmp_path):
    fuzzy = entry("The city burned.", "The city burned:", "fuzzy")
    untranslated = entry("Where were you?", "")
    obsolete = entry("Baku is a city.", "Baku is a city.")
    obsolete.obsolete = True
    checked = entry("The city burned again.", "Город снова горел")
    findings = run(tmp_path, "ru", [fuzzy, untranslated, obsolete, checked])
    assert [(f.check, f.msgid) for f in findings] == [("end-punctuation", "The city burned again.")]


def test_ignore_flag_silences_one_check_on_one_entry(tmp_path):
    kept = entry("CNN reports.", "CNN reports.", "ignore-same-as-source", "ignore-script")
    other = entry("BBC reports.", "BBC reports.")
    path, _ = catalog_file(tmp_path, "ru", [kept, other])
    assert "#, ignore-same-as-source, ignore-script" in path.read_text(encoding="utf-8")
    findings = run(tmp_path, "ru", [kept, other], names=set(registered()) - {"msgfmt"})
    assert {(f.msgid, f.check) for f in findings} == {("BBC reports.", "same-as-source"), ("BBC reports.", "script")}


def test_ignore_flags_survive_update(tmp_path):
    from locflow.catalogs import merge_catalog

    language = get_language("ru")
    template = polib.POFile()
    template.append(polib.POEntry(msgid="CNN reports.", msgstr=""))
    path, _ = catalog_file(tmp_path, "ru", [entry("CNN reports.", "CNN reports.", "ignore-same-as-source", "ignore-script")])
    merged = merge_catalog(template, read_catalog(path), language, "article")
    assert merged.find("CNN reports.").flags == ["ignore-same-as-source", "ignore-script"]


def test_armenian_question_and_exclamation_marks_on_the_word_are_not_end_marks(tmp_path):
    # English ends with ? and !; Armenian carries ՞ and ՜ on the stressed word.
    entries = [entry("Who was there?", "Ո՞վ էր այնտեղ"), entry("What a tragedy!", "Ի՜նչ ողբերգություն")]
    assert run(tmp_path, "hy", entries) == []


def test_glossary_helper_uses_the_glossary_term_matcher():
    terms = [Term("Baku", "Баку"), Term("Nagorno-Karabakh", "Нагорный Карабах")]
    assert missing_terms("Baku and Nagorno-Karabakh", "Баку и Нагорный Карабах", terms) == []
    assert [t.source for t in missing_terms("In Baku.", "В городе.", terms)] == ["Baku"]
    assert missing_terms("Bakunin wrote.", "Бакунин писал.", terms) == []  # whole words only


# ---------------------------------------------------------------------------
# msgfmt --check, for real
# ---------------------------------------------------------------------------


def test_msgfmt_errors_become_findings_on_their_line(tmp_path):
    bad = brace("Updated: {date}", "Обновлено: {dat")
    good = entry("Where were you?", "Где вы были?")
    path, language = catalog_file(tmp_path, "ru", [good, bad])
    reference = msgfmt_check(path)
    assert reference.code != 0
    findings = [f for f in run(tmp_path, "ru", [good, bad], names={"msgfmt"})]
    assert len(findings) == 1
    finding = findings[0]
    assert finding.check == "msgfmt" and finding.severity == "error"
    assert "not a valid Python brace format string" in finding.message
    assert f"{path}:{finding.line}:" in reference.output  # the line msgfmt names
    assert finding.msgid == "Updated: {date}"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[finding.line - 1].startswith("msgstr")


def test_msgfmt_plural_count_mismatch_is_one_joined_finding(tmp_path):
    short = entry(PLURAL[0], "", "python-brace-format", plural=PLURAL[1], forms=["{n} жертва", "{n} жертвы"])
    findings = run(tmp_path, "ru", [short], names={"msgfmt"})
    assert [f.message for f in findings] == ["nplurals = 3... ...but some messages have only 2 plural forms"]
    assert findings[0].msgid == PLURAL[0]


def test_missing_msgfmt_is_one_warning_not_a_silent_pass(tmp_path, monkeypatch):
    root = tmp_path / "site"
    (root / "locales" / "templates").mkdir(parents=True)
    write_pyproject(root, languages=("hy", "ru"))
    for slug in ("one", "two"):
        (root / "locales" / "templates" / f"{slug}.pot").write_text(
            'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n', encoding="utf-8"
        )
        for code in ("hy", "ru"):
            catalog_file(root, code, [], path=root / "locales" / code / "LC_MESSAGES" / f"{slug}.po")
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools-here"))
    findings = run_checks(load_settings(root), only=["msgfmt"])
    assert len(findings) == 1  # once, not once per catalog
    assert findings[0].severity == "warning" and "not installed" in findings[0].message
    assert findings[0].language is None and findings[0].file is None


# ---------------------------------------------------------------------------
# Settings: [tool.locflow.checks]
# ---------------------------------------------------------------------------


def _settings(tmp_path, checks_toml: str):
    root = tmp_path / "site"
    root.mkdir(exist_ok=True)
    write_pyproject(root, languages=("hy", "ru"), extra=checks_toml)
    return load_settings(root)


def test_checks_are_disabled_per_project_and_per_language(tmp_path):
    from locflow.checks.settings import check_settings

    config = check_settings(_settings(tmp_path, '[tool.locflow.checks]\ndisable = ["length"]\n'
                                                '[tool.locflow.checks.languages.hy]\ndisable = ["same-as-source"]\n'))
    assert "length" not in config.enabled("ru") and "same-as-source" in config.enabled("ru")
    assert "length" not in config.enabled("hy") and "same-as-source" not in config.enabled("hy")
    assert config.enabled("ru", only=["numbers", "length"]) == ["numbers"]
    assert config.gate == "language" and config.fail_on == "error"


def test_ellipsis_is_set_per_project_and_per_language(tmp_path):
    from locflow.checks.settings import check_settings

    settings = _settings(tmp_path, '[tool.locflow.checks]\nellipsis = "character"\n'
                                   '[tool.locflow.checks.languages.hy]\nellipsis = "source"\n')
    config = check_settings(settings)
    hy, ru = settings.languages
    assert (config.options(hy).ellipsis, config.options(ru).ellipsis) == ("source", "character")


def test_length_ratio_is_set_per_project_and_per_language(tmp_path):
    from locflow.checks.settings import check_settings

    settings = _settings(tmp_path, "[tool.locflow.checks]\nlength-ratio = [0.8, 1.6]\n"
                                   "[tool.locflow.checks.languages.ru]\nlength-ratio = [0.05, 10]\n")
    config = check_settings(settings)
    hy, ru = settings.languages
    assert config.options(hy).length_ratio == (0.8, 1.6) and config.options(ru).length_ratio == (0.05, 10.0)
    short = entry("The hostility targeted the Armenian population of the city.", "Да.")
    path, language = catalog_file(tmp_path, "ru", [short])
    unit = Catalog(path, "article", language, read_catalog(path))
    assert check_catalog(unit, [registered()["length"]], EN, options=config.options(ru)) == []
    assert [f.check for f in check_catalog(unit, [registered()["length"]], EN, options=config.options(hy))] == ["length"]


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[tool.locflow.checks]\ndisable = ["lenght"]\n', "unknown check 'lenght'"),
        ("[tool.locflow.checks]\nstrict = true\n", "unknown key 'strict'"),
        ('[tool.locflow.checks]\ngate = "page"\n', "gate: expected one of"),
        ('[tool.locflow.checks]\nfail-on = "info"\n', "fail-on: expected one of"),
        ("[tool.locflow.checks]\nlength-ratio = [3, 1]\n", "length-ratio"),
        ('[tool.locflow.checks.languages.de]\ndisable = ["length"]\n', "'de' is not one of the languages"),
        ('[tool.locflow.checks.languages.hy]\nenable = ["length"]\n', "unknown key 'enable'"),
        ('[tool.locflow.checks]\nellipsis = "dots"\n', "ellipsis: expected one of 'source', 'character'"),
        ('[tool.locflow.checks.languages.hy]\nellipsis = true\n', "languages.hy.ellipsis: expected one of"),
    ],
)
def test_bad_check_settings_are_errors_naming_the_key(tmp_path, toml, message):
    from locflow.checks.settings import check_settings

    with pytest.raises(ConfigError) as error:
        check_settings(_settings(tmp_path, toml))
    assert message in str(error.value) and "pyproject.toml" in str(error.value)


def test_msgfmt_findings_name_the_context_of_their_message(tmp_path):
    bad = polib.POEntry(msgid="Updated: {date}", msgstr="Обновлено: {dat", msgctxt="dateline", flags=["python-brace-format"])
    same = brace("Updated: {date}", "Обновлено: {date}")  # the same msgid without a context, correct
    findings = run(tmp_path, "ru", [same, bad], names={"msgfmt"})
    assert [(f.msgid, f.context) for f in findings] == [("Updated: {date}", "dateline")]


def test_a_checks_pattern_crosses_to_a_worker_process_compiled_or_not():
    """Patterns are compiled on first use; one that ends up in a job or a result
    sent to the process pool is pickled as its source, and behaves the same."""
    import pickle

    from locflow.checks.safety import _KASHIDA

    text = "\u0628\u0640\u0640\u0628"
    before = pickle.loads(pickle.dumps(_KASHIDA))  # perhaps not compiled yet
    assert _KASHIDA.search(text).group() == "\u0640\u0640"
    after = pickle.loads(pickle.dumps(_KASHIDA))  # compiled
    assert before.search(text).group() == after.search(text).group() == "\u0640\u0640"
