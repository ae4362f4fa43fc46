"""check counts exactly as msgfmt --statistics, on catalogs with every kind of entry."""

import json

import polib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from locflow.catalogs import read_catalog, statistics

from .conftest import SEED_SLUG, msgfmt_check, run_locflow

HEADER = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: ru\\n"
"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"

"""

EDGE_CASES = HEADER + """\
msgid "translated"
msgstr "переведено"

#, fuzzy
msgid "fuzzy with text"
msgstr "черновик"

#, fuzzy
msgid "fuzzy but empty"
msgstr ""

msgid "untranslated"
msgstr ""

msgctxt "menu"
msgid "translated"
msgstr "пункт"

msgctxt "button"
msgid "untranslated"
msgstr ""

msgid "one article"
msgid_plural "{n} articles"
msgstr[0] "{n} статья"
msgstr[1] "{n} статьи"
msgstr[2] "{n} статей"

#, fuzzy
msgid "one draft"
msgid_plural "{n} drafts"
msgstr[0] "{n} черновик"
msgstr[1] "{n} черновика"
msgstr[2] "{n} черновиков"

msgid "one empty"
msgid_plural "{n} empty"
msgstr[0] ""
msgstr[1] ""
msgstr[2] ""

#~ msgid "obsolete translated"
#~ msgstr "устарело"

#, fuzzy
#~ msgid "obsolete fuzzy"
#~ msgstr "устарело"
"""


def test_counts_equal_msgfmt_on_fuzzy_obsolete_plural_and_context_entries(tmp_path):
    path = tmp_path / "edge.po"
    path.write_text(EDGE_CASES, encoding="utf-8")
    reference = msgfmt_check(path)
    assert reference.code == 0, reference.output
    ours = statistics(read_catalog(path))
    assert (ours.translated, ours.fuzzy, ours.untranslated) == (
        reference.translated,
        reference.fuzzy,
        reference.untranslated,
    )
    assert (ours.translated, ours.fuzzy, ours.untranslated) == (3, 2, 4)


entry_states = st.lists(
    st.tuples(
        st.sampled_from(["translated", "fuzzy", "fuzzy-empty", "untranslated", "obsolete"]),
        st.booleans(),  # plural
        st.booleans(),  # context
    ),
    max_size=25,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(states=entry_states)
def test_counts_equal_msgfmt_on_generated_catalogs(tmp_path, states):
    catalog = polib.pofile(HEADER)
    for index, (state, plural, context) in enumerate(states):
        text = "" if state in ("untranslated", "fuzzy-empty") else f"перевод {index}"
        entry = polib.POEntry(msgid=f"message {index}", msgctxt=f"ctx{index}" if context else None)
        if plural:
            entry.msgid_plural = f"messages {index}"
            entry.msgstr_plural = {0: text, 1: text, 2: text}
        else:
            entry.msgstr = text
        if state.startswith("fuzzy"):
            entry.flags.append("fuzzy")
        entry.obsolete = state == "obsolete"
        catalog.append(entry)
    path = tmp_path / "generated.po"
    catalog.save(str(path))
    reference = msgfmt_check(path)
    assert reference.code == 0, reference.output
    ours = statistics(read_catalog(path))
    assert (ours.translated, ours.fuzzy, ours.untranslated) == (
        reference.translated,
        reference.fuzzy,
        reference.untranslated,
    )


def test_check_json_reports_msgfmt_counts_per_article_and_language(project):
    run_locflow(project, "extract", check_code=0)
    run_locflow(project, "update", check_code=0)
    po = project / "locales" / "ru" / "LC_MESSAGES" / f"{SEED_SLUG}.po"
    catalog = polib.pofile(str(po))
    catalog.find("Humanitarian Crisis:").msgstr = "Гуманитарный кризис:"
    draft = catalog.find("Pogroms Unleashed:")
    draft.msgstr, draft.flags = "Погромы:", ["fuzzy"]
    catalog.save()
    result = run_locflow(project, "check", "--format", "json", check_code=1)
    report = json.loads(result.stdout)
    assert report["schema"] == "locflow.check/2" and report["passed"] is False
    ru = next(lang for lang in report["languages"] if lang["language"] == "ru")
    reference = msgfmt_check(po)
    assert (ru["translated"], ru["fuzzy"], ru["untranslated"]) == (reference.translated, reference.fuzzy, reference.untranslated)
    assert (ru["translated"], ru["fuzzy"], ru["untranslated"]) == (1, 1, 15)
    assert ru["articles"][0]["file"] == f"locales/ru/LC_MESSAGES/{SEED_SLUG}.po"
    assert ru["percent"] == round(100 / 17, 2)


def test_check_exit_status_follows_thresholds(project):
    run_locflow(project, "extract", check_code=0)
    run_locflow(project, "update", check_code=0)
    table = run_locflow(project, "check", check_code=1)
    assert "below threshold" in table.stdout and "ru (Russian)" in table.stdout
    path = project / "pyproject.toml"
    path.write_text(path.read_text().replace("default = 100", "default = 0"))
    run_locflow(project, "check", check_code=0)
    path.write_text(path.read_text().replace("default = 0", "default = 0\nhy = 50"))
    result = run_locflow(project, "check", "--format", "json", check_code=1)
    failing = [lang["language"] for lang in json.loads(result.stdout)["languages"] if not lang["passed"]]
    assert failing == ["hy"]


def test_check_without_templates_is_an_input_error(project):
    result = run_locflow(project, "check", check_code=2)
    assert "run `locflow extract` first" in result.stderr
