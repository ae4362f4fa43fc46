"""Markdown articles: what is a string, byte-exact round trips, and translations put back safely."""

from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest
import yaml
from hypothesis import HealthCheck, given, settings as hsettings
from hypothesis import strategies as st

from locflow.config import settings_from_table
from locflow.errors import ConfigError
from locflow.formats import markdown, parse_article, render_article

from .conftest import DATA, assert_msgfmt_accepts, run_locflow, write_pyproject

ARTICLES = ["article.md", "notes.md", "crlf.md"]


def settings(**markdown_table):
    table = {"languages": ["hy", "ru", "ar"]}
    if markdown_table:
        table["markdown"] = markdown_table
    return settings_from_table(table, Path("."))


def parse_text(text: str, name: str = "a.md", **options):
    path = Path(name)
    return markdown.parse(text, path, path.stem, settings(**options))


def msgids(doc) -> list[str]:
    return [block.msgid for block in doc.translatable_blocks()]


def by_msgid(translations: dict[str, str]):
    return lambda block: translations.get(block.msgid)


def shape(text: str):
    return markdown._shape(text)


@pytest.mark.parametrize("name", ARTICLES)
def test_round_trip_is_byte_for_byte(name):
    source = (DATA / name).read_bytes().decode("utf-8")
    doc = parse_article(DATA / name, settings(**{"date-fields": ["display-date"]}))
    assert render_article(doc, lambda block: None, "en") == source
    assert doc.render_source() == source


def test_round_trip_in_a_target_language_changes_only_the_configured_date():
    source = (DATA / "article.md").read_text(encoding="utf-8")
    untouched = parse_article(DATA / "article.md", settings())
    assert render_article(untouched, lambda block: None, "hy") == source
    dated = parse_article(DATA / "article.md", settings(**{"date-fields": ["display-date"]}))
    rendered = render_article(dated, lambda block: None, "ru")
    changed = [(a, b) for a, b in zip(source.split("\n"), rendered.split("\n")) if a != b]
    assert changed == [("display-date: January 12, 2024", "display-date: 12 января 2024\u202fг.")]
    assert "date: 2024-01-12\n" in rendered  # the ISO date a site generator sorts by stays


def test_what_is_and_is_not_a_string():
    doc = parse_article(DATA / "article.md", settings())
    ids = msgids(doc)
    assert ids[0] == "Letters from Gyumri: A City Rebuilt"  # front matter title, and the h1 is the same message
    assert [b.kind for b in doc.translatable_blocks() if b.msgid == ids[0]] == ["title", "heading"]
    assert "How a city shaken by the 1988 earthquake rebuilt its old quarter, house by house." in ids
    assert "What the neighbours remember" in ids  # closing #s are markup
    assert '"We slept in the street for a week." lazy continuation of the quote' in ids
    assert "A nested item with `inline code`" in ids
    assert "Second step: sort the stones\nby colour and size" in ids  # a hard break is a newline
    assert "The tsar | visits" in ids and "Year" in ids
    assert "Setext heading" in ids
    joined = "\n".join(ids)
    for never in ("never a string", "print(", "editor: check", "https://example.org/ref", "Anna Petrosyan",
                  "2024-01-12", "reportage", "1837", "---"):
        assert never not in joined, never
    kinds = {block.msgid: block.kind for block in doc.translatable_blocks()}
    assert kinds["Kumayri, the historic district"] == "list item"
    assert kinds["The earthquake"] == "table cell" and kinds["Event"] == "table header"
    assert kinds["What the neighbours remember"] == "heading"
    assert doc.title == "Letters from Gyumri: A City Rebuilt"
    notes = msgids(parse_article(DATA / "notes.md", settings()))
    assert notes[0] == "Field notes from the Lori gorge"
    assert "Text with an inline <abbr title=\"kilometre\">km</abbr> and ~~struck~~ words." in notes
    assert not any("tilde fence" in m or "tab-indented" in m for m in notes)
    assert "An HTML block's text is a string, read as in an HTML article." in notes  # <div class="aside"> stays markup


def test_link_destinations_are_numbers_and_come_back_exactly():
    doc = parse_article(DATA / "article.md", settings())
    block = next(b for b in doc.translatable_blocks() if "full" in b.msgid)
    assert block.msgid.endswith('Read the *full* [report](1 "The report").')  # the title is the translator's
    assert block.comment == "links: 1 = https://example.org/report?id=1&x=2"
    image = next(b for b in doc.translatable_blocks() if b.msgid.startswith("!["))
    assert image.msgid == "![A street in Kumayri at dusk](1)"
    out = render_article(doc, by_msgid({
        block.msgid: 'Կարդացեք [ամբողջական զեկույցը](1 "The report")։',
        image.msgid: "![Կումայրիի փողոց](1)",
    }), "hy")
    assert 'Կարդացեք [ամբողջական զեկույցը](https://example.org/report?id=1&x=2 "The report")։' in out
    assert "![Կումայրիի փողոց](images/kumayri.jpg)" in out
    notes = parse_article(DATA / "notes.md", settings())
    quoted = next(b for b in notes.translatable_blocks() if "second item" in b.msgid)
    assert quoted.msgid == 'the second item, with a [link](1 "A title")'
    out = render_article(notes, by_msgid({quoted.msgid: "le second, avec un [lien](1)"}), "ru")
    assert "> - le second, avec un [lien](</path with spaces> 'A title')\n" in out  # no title given: the source's
    out = render_article(notes, by_msgid({quoted.msgid: 'le second, avec un [lien](1 "Un \\"titre\\"")'}), "ru")
    assert '> - le second, avec un [lien](</path with spaces> "Un \\"titre\\"")\n' in out
    assert 'title="Un &quot;titre&quot;"' in markdown.parser().render(out)


def test_a_translation_naming_an_unknown_link_keeps_the_source():
    doc = parse_article(DATA / "article.md", settings())
    block = next(b for b in doc.translatable_blocks() if "full" in b.msgid)
    out = render_article(doc, by_msgid({block.msgid: "Читайте [отчёт](2)."}), "ru")
    assert out == (DATA / "article.md").read_text(encoding="utf-8")


def test_translations_keep_the_structure_and_every_other_byte():
    source = (DATA / "article.md").read_text(encoding="utf-8")
    doc = parse_article(DATA / "article.md", settings())
    out = render_article(doc, lambda block: "ՏՐ " + block.msgid, "hy")
    assert shape(out) == shape(source)
    body_lines = [line for line in out.split("\n") if "ՏՐ" not in line or line.startswith("[ref]:")]
    for line in ("```python", 'print("never a string")', "    indented code, never a string",
                 "<!-- editor: check the population figure -->", '[ref]: https://example.org/ref "ՏՐ Reference"',
                 "| ---- | ----- |", "author: Anna Petrosyan", "tags: [reportage, armenia]"):
        assert line in body_lines
    assert "## ՏՐ What the neighbours remember ##\n" in out
    assert "2. ՏՐ Second step: sort the stones  \n   by colour and size\n" in out  # the source's hard break
    assert "| 1837 | ՏՐ The tsar \\| visits |" in out
    front = yaml.safe_load(out.split("---\n")[1])
    assert front["title"] == "ՏՐ Letters from Gyumri: A City Rebuilt"
    assert front["description"] == "ՏՐ How a city shaken by the 1988 earthquake rebuilt its old quarter, house by house."


def test_translation_that_would_change_the_structure_is_escaped():
    doc = parse_text("Intro paragraph.\n\n- An item\n")
    out = render_article(doc, by_msgid({
        "Intro paragraph.": "# Not a heading\n- not a list\n1. not a list either",
        "An item": "> not a quote",
    }), "ru")
    assert shape(out) == shape("Intro paragraph.\n\n- An item\n")
    assert out == "\\# Not a heading\\\n\\- not a list\\\n1\\. not a list either\n\n- \\> not a quote\n"
    doc = parse_text("## C and F\n")
    assert render_article(doc, by_msgid({"C and F": "C и F#"}), "ru") == "## C и F\\#\n"


def test_html_a_translator_adds_is_escaped_and_source_html_is_kept():
    doc = parse_text('Text with <abbr title="kilometre">km</abbr>.\n')
    out = render_article(doc, by_msgid({
        doc.blocks[0].msgid: 'Текст <script>alert(1)</script> и <abbr title="kilometre">км</abbr>.',
    }), "ru")
    assert out == 'Текст \\<script>alert(1)\\</script> и <abbr title="kilometre">км</abbr>.\n'
    rendered = markdown.parser().render(out)
    assert "<script>" not in rendered and "&lt;script&gt;" in rendered


def test_crlf_and_no_final_newline_are_kept_when_translated():
    doc = parse_article(DATA / "crlf.md", settings())
    assert msgids(doc) == ["A paragraph over two lines.", "A heading", "item one", "item two"]
    out = render_article(doc, by_msgid({"A paragraph over two lines.": "Абзац\nв две строки.", "item two": "пункт два"}), "ru")
    assert out == "Абзац\\\r\nв две строки.\r\n\r\n## A heading\r\n\r\n- item one\r\n- пункт два\r\n"
    doc = parse_text("Last line", "x.md")
    assert render_article(doc, by_msgid({"Last line": "Последняя"}), "ru") == "Последняя"


def test_front_matter_values_are_quoted_only_when_yaml_needs_it():
    source = "---\ntitle: Plain title\nsummary: 'Single quoted'\nkeywords: [one, two]\n---\nBody text.\n"
    doc = parse_text(source, **{"front-matter": ["title", "summary", "keywords"]})
    assert msgids(doc) == ["Plain title", "Single quoted", "one", "two", "Body text."]
    out = render_article(doc, by_msgid({
        "Plain title": "Заголовок: с двоеточием",
        "Single quoted": "L'apostrophe",
        "one": "раз, два",
        "two": "два",
    }), "ru")
    assert out.split("\n")[1:4] == [
        'title: "Заголовок: с двоеточием"',
        "summary: 'L''apostrophe'",
        'keywords: ["раз, два", два]',
    ]
    assert yaml.safe_load(out.split("---\n")[1]) == {
        "title": "Заголовок: с двоеточием", "summary": "L'apostrophe", "keywords": ["раз, два", "два"],
    }


def test_bad_settings_and_bad_front_matter_are_one_line_errors(tmp_path):
    with pytest.raises(ConfigError, match="markdown.front-matter"):
        markdown.markdown_settings(settings(**{"front-matter": "title"}))
    root = tmp_path / "site"
    (root / "source").mkdir(parents=True)
    write_pyproject(root, languages=("hy",))
    (root / "source" / "broken.md").write_text("---\ntitle: [unclosed\nother: x\n---\nText.\n", encoding="utf-8")
    result = run_locflow(root, "extract", check_code=2)
    assert result.stderr.startswith("locflow: error: ")
    assert "source/broken.md:3: front matter is not valid YAML: expected ',' or ']'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (root / "locales").exists()


def test_extract_update_build_a_markdown_article(tmp_path):
    root = tmp_path / "site"
    (root / "source").mkdir(parents=True)
    write_pyproject(root, languages=("hy", "ar"), extra='[tool.locflow.markdown]\ndate-fields = ["display-date"]\n')
    (root / "source" / "letters-from-gyumri.md").write_bytes((DATA / "article.md").read_bytes())
    run_locflow(root, "extract", check_code=0)
    pot = root / "locales" / "templates" / "letters-from-gyumri.pot"
    assert_msgfmt_accepts(pot, allow_warnings=True)  # a template keeps the header placeholders
    entries = {entry.msgid: entry for entry in polib.pofile(str(pot))}
    title = entries["Letters from Gyumri: A City Rebuilt"]
    assert title.occurrences == [("source/letters-from-gyumri.md", "2"), ("source/letters-from-gyumri.md", "13")]
    assert "type: title" in title.comment
    assert "type: table cell" in entries["The earthquake"].comment
    run_locflow(root, "update", check_code=0)
    po_path = root / "locales" / "hy" / "LC_MESSAGES" / "letters-from-gyumri.po"
    catalog = polib.pofile(str(po_path))
    catalog.find("Kumayri, the historic district").msgstr = "Կումայրի՝ պատմական թաղամասը"
    catalog.save()
    assert_msgfmt_accepts(po_path)
    run_locflow(root, "build", check_code=0)
    built = (root / "build" / "hy" / "letters-from-gyumri.md").read_text(encoding="utf-8")
    assert "- Կումայրի՝ պատմական թաղամասը\n" in built
    assert "display-date: " in built and "2024" in built and "January" not in built
    assert json.loads((root / "build" / "manifest.json").read_text())["articles"][0]["format"] == "markdown"


# Generated articles: any mix of blocks keeps its structure when every string is translated.
_words = st.lists(st.sampled_from(["stone", "river", "*old*", "`code`", "**bridge**", "city", "a|b", "[map](https://x.org/m)"]),
                  min_size=1, max_size=5).map(" ".join)
_block = st.one_of(
    _words,
    _words.map(lambda w: "# " + w),
    _words.map(lambda w: "### " + w + " ###"),
    st.lists(_words, min_size=1, max_size=3).map(lambda items: "\n".join("- " + i for i in items)),
    st.lists(_words, min_size=1, max_size=3).map(lambda items: "\n".join(f"{n}. {i}" for n, i in enumerate(items, 1))),
    _words.map(lambda w: "> " + w),
    st.tuples(_words, _words).map(lambda p: f"{p[0]}\n{p[1]}"),
    st.tuples(_words, _words).map(lambda p: f"{p[0]}  \n{p[1]}"),
    st.tuples(_words, _words).map(lambda p: f"| {p[0].replace('|', '')} | x |\n|---|---|\n| {p[1].replace('|', chr(92) + '|')} | y |"),
    st.tuples(_words, _words).map(lambda p: f"{p[0]}\\\n{p[1]}"),
    _words.map(lambda w: w + "\n======"),
    st.tuples(_words, _words).map(lambda p: f"> - {p[0]}\n>   {p[1]}\n>\n> > {p[1]}"),
    st.tuples(_words, _words).map(lambda p: f"1. {p[0]}\n\n   {p[1]}\n   1988. still text"),
    st.tuples(_words, _words).map(lambda p: f"-\t{p[0]}\n\t{p[1]}\n\n\t{p[1]}"),
    _words.map(lambda w: f"_{w}_ with <b>html</b> and a <!-- note --> inline"),
    st.just("```\ncode block\n```"),
    st.just("<!-- comment -->"),
)


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_block, min_size=1, max_size=6), st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_generated_articles_round_trip_and_keep_structure(blocks, newline, final_newline):
    source = "\n\n".join(blocks).replace("\n", newline) + (newline if final_newline else "")
    doc = parse_text(source)
    assert render_article(doc, lambda block: None, "ru") == source
    translated = render_article(doc, lambda block: "ПЕРЕВОД " + block.msgid.replace("\n", " "), "ru")
    assert shape(translated) == shape(source)
    assert translated.count("ПЕРЕВОД") == len(list(doc.translatable_blocks()))  # every translation placed
    for word in ("stone", "river", "bridge"):  # and no text left out of the catalog
        assert source.count(word) == sum(block.msgid.count(word) for block in doc.translatable_blocks())
    assert markdown.parser().parse(translated.replace("\r\n", "\n")) is not None
    for block in doc.translatable_blocks():
        assert "https://x.org/m" not in block.msgid


def test_front_matter_with_crlf_keeps_crlf_and_the_document_renders_itself():
    source = "---\r\ntitle: A title\r\ndate: 2024-03-05\r\n---\r\n\r\nBody.\r\n"
    doc = parse_text(source, **{"date-fields": ["date"]})
    assert render_article(doc, lambda block: None, "en") == source
    out = doc.render(by_msgid({"A title": "Заголовок", "Body.": "Текст."}), "ru")
    assert out == "---\r\ntitle: Заголовок\r\ndate: 5 марта 2024\u202fг.\r\n---\r\n\r\nТекст.\r\n"


def test_toml_front_matter_as_hugo_writes_it():
    source = (DATA / "hugo.md").read_text(encoding="utf-8")
    doc = parse_article(DATA / "hugo.md", settings(**{"date-fields": ["display-date"]}))
    assert msgids(doc) == ["Night Trains to Tbilisi", "A sleeper carriage, a border at dawn.",
                           "The train leaves Yerevan at *nine in the evening*."]
    assert doc.title == "Night Trains to Tbilisi" and doc.meta["date"] == "2023-11-02"
    assert render_article(doc, lambda block: None, "en") == source
    out = render_article(doc, by_msgid({
        "Night Trains to Tbilisi": 'Ночные поезда в "Тбилиси"',
        "A sleeper carriage, a border at dawn.": "Спальный вагон",
    }), "ru")
    import tomllib

    front = tomllib.loads(out.split("+++")[1])
    assert front["title"] == 'Ночные поезда в "Тбилиси"' and front["description"] == "Спальный вагон"
    assert front["display-date"] == "2 ноября 2023\u202fг." and str(front["date"]) == "2023-11-02"
    assert front["params"] == {"subtitle": "nested tables are not read"}
    assert out.split("\n")[3] == source.split("\n")[3] == "date = 2023-11-02"
    assert out.split("\n")[5:] == source.split("\n")[5:]


def test_bad_toml_front_matter_names_the_line(tmp_path):
    root = tmp_path / "site"
    (root / "source").mkdir(parents=True)
    write_pyproject(root, languages=("hy",))
    (root / "source" / "broken.md").write_text('+++\ntitle = "ok"\ndate = = 3\n+++\nText.\n', encoding="utf-8")
    result = run_locflow(root, "extract", check_code=2)
    assert "source/broken.md:3: front matter is not valid TOML: Invalid value\n" in result.stderr
