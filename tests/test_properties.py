"""Properties that hold for any input (Hypothesis): reading and writing catalogs
is lossless, and extracting any text never crashes and gives the text back."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from locflow.catalogs import (
    build_template,
    catalog_statistics,
    merge_catalog,
    new_catalog,
    parse_catalog,
    serialize,
    statistics,
)
from locflow.config import settings_from_table
from locflow.errors import SourceError
from locflow.formats import text as text_format
from locflow.languages import get_language

from .conftest import msgfmt_check

RU = get_language("ru")
SETTINGS = settings_from_table({"languages": ["ru"]}, Path("/site"))

# Any Unicode text (Hypothesis leaves out lone surrogates, which no file can hold).
any_text = st.text()
message_text = st.text(min_size=1)


@st.composite
def catalogs(draw) -> polib.POFile:
    """A catalog as update writes it and translators edit it: any strings, contexts,
    translator comments, references, fuzzy drafts with previous msgids, plurals and
    obsolete entries."""
    template = polib.POFile()
    template.metadata = {"POT-Creation-Date": "2026-01-01 00:00+0000"}
    catalog = new_catalog(template, RU, "article")
    keys = draw(
        st.lists(st.tuples(st.none() | message_text, message_text), min_size=0, max_size=8, unique=True)
    )
    for context, msgid in keys:
        kind = draw(st.sampled_from(["plain", "plain", "plural", "obsolete"]))
        entry = polib.POEntry(msgctxt=context, msgid=msgid, tcomment=draw(st.sampled_from(["", "checked by Anna"])))
        if kind != "obsolete":
            entry.occurrences = [("source/article.txt", str(draw(st.integers(1, 500))))]
            entry.comment = "type: paragraph"
        if kind == "plural":
            entry.msgid_plural = draw(message_text)
            entry.msgstr_plural = {i: draw(any_text) for i in range(RU.nplurals)}
        else:
            entry.msgstr = draw(any_text)
        if draw(st.booleans()):
            entry.flags.append("fuzzy")
            if draw(st.booleans()):  # "#| msgid", and "#~| msgid" on an obsolete entry
                entry.previous_msgid = draw(message_text)
        entry.obsolete = kind == "obsolete"
        catalog.append(entry)
    return catalog


def translated_text(entry: polib.POEntry) -> str:
    return entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr


def fields(entry: polib.POEntry) -> tuple:
    return (
        entry.msgctxt,
        entry.msgid,
        entry.msgid_plural,
        entry.msgstr,
        dict(entry.msgstr_plural),
        entry.tcomment,
        entry.comment,
        list(entry.occurrences),
        sorted(entry.flags),
        entry.previous_msgid,
        entry.obsolete,
    )


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(catalogs())
def test_any_catalog_we_write_reads_back_identically(catalog):
    text = serialize(catalog)
    read = parse_catalog(text.encode("utf-8"), Path("article.po"))
    # As gettext writes: obsolete entries last, and only those with a translation;
    # "fuzzy" only on an entry with a translation (msgcat drops it from an empty one).
    written_order = [e for e in catalog if not e.obsolete] + [e for e in catalog if e.obsolete and translated_text(e)]
    expected = []
    for entry in written_order:
        values = list(fields(entry))
        if not translated_text(entry):
            values[8] = [flag for flag in values[8] if flag != "fuzzy"]
        expected.append(tuple(values))
    assert [fields(e) for e in read] == expected
    assert read.metadata == catalog.metadata
    assert serialize(read) == text


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(catalogs())
def test_fast_counting_agrees_with_polib_on_any_catalog(catalog):
    data = serialize(catalog).encode("utf-8")
    assert catalog_statistics(data, Path("article.po")) == statistics(catalog)
    crlf = data.replace(b"\n", b"\r\n")  # msgfmt reads CRLF files; so do we
    assert catalog_statistics(crlf, Path("article.po")) == statistics(catalog)


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_extracting_any_text_never_crashes_and_gives_the_text_back(text):
    document = text_format.parse(text, Path("/site/source/article.txt"), "article", SETTINGS)
    assert document.render_source() == text
    assert document.render(lambda block: None, "ru") == text
    template = build_template([document], "article", Path("/site"))
    read = parse_catalog(serialize(template).encode("utf-8"), Path("article.pot"))
    assert [e.msgid for e in read] == [e.msgid for e in template]


article_text = st.lists(
    st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00\x04"), min_size=1), min_size=1, max_size=6
).map("\n\n".join)


@pytest.fixture(scope="module")
def msgfmt_dir(tmp_path_factory) -> Path:
    if shutil.which("msgfmt") is None:
        pytest.fail("GNU gettext's msgfmt is required by the tests: run `make test` (it installs gettext)")
    return tmp_path_factory.mktemp("msgfmt")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(article_text)
def test_msgfmt_accepts_what_we_make_of_any_article(msgfmt_dir, text):
    document = text_format.parse(text, Path("/site/source/article.txt"), "article", SETTINGS)
    template = build_template([document], "article", Path("/site"))
    catalog = merge_catalog(template, None, RU, "article")
    for name, produced in (("article.pot", template), ("article.po", catalog)):
        path = msgfmt_dir / name
        path.write_text(serialize(produced), encoding="utf-8")
        result = msgfmt_check(path)
        assert result.code == 0, f"msgfmt --check rejected {name} made from {text!r}:\n{result.output}"


@given(st.text(min_size=1), st.sampled_from(["\x00", "\x04"]))
def test_a_nul_or_eot_in_an_article_is_an_error_naming_its_line(tmp_path_factory, text, char):
    from locflow.formats import read_source

    assume("\x00" not in text and "\x04" not in text)
    path = tmp_path_factory.mktemp("nul") / "article.txt"
    path.write_bytes((text + "\n" + char).encode("utf-8"))
    with pytest.raises(SourceError, match=rf"article\.txt:{text.count(chr(10)) + 2}: contains"):
        read_source(path)
