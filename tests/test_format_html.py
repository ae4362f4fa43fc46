"""HTML articles: strings with their inline markup, same-DOM round trips, sanitized translations."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from lxml import html as lxml_html

from locflow.config import settings_from_table
from locflow.formats import html, parse_article, render_article

from .conftest import DATA, assert_msgfmt_accepts, run_locflow, write_pyproject

SETTINGS = settings_from_table({"languages": ["hy", "ru", "ar"]}, Path("."))
LEDE = ('The <em>oldest</em> bridge was built in the thirteenth century, read the '
        '<a href="https://example.org/bridges?id=7&amp;x=1" title="Survey of bridges">survey</a>.')


def parse_text(text: str):
    return html.parse(text, Path("a.html"), "a", SETTINGS)


def by_msgid(translations: dict[str, str]):
    return lambda block: translations.get(block.msgid)


def tree(text: str):
    return html.load(text)


@pytest.mark.parametrize("name", ["article.html", "fragment.html"])
def test_round_trip_is_the_same_dom(name):
    source = (DATA / name).read_text(encoding="utf-8")
    doc = parse_article(DATA / name, SETTINGS)
    out = render_article(doc, lambda block: None, "en")
    assert html.same_dom(tree(source), tree(out))
    assert out.startswith("<!DOCTYPE html>") == source.startswith("<!DOCTYPE html>")


def test_same_dom_notices_a_difference():
    assert not html.same_dom(tree("<p>a <em>b</em></p>"), tree("<p>a <strong>b</strong></p>"))
    assert not html.same_dom(tree('<p class="x">a</p>'), tree("<p>a</p>"))


def test_target_language_with_no_translations_changes_only_lang_and_dir():
    source = (DATA / "article.html").read_text(encoding="utf-8")
    doc = parse_article(DATA / "article.html", SETTINGS)
    out = tree(render_article(doc, lambda block: None, "ar"))
    assert out.get("lang") == "ar" and out.get("dir") == "rtl"
    out.set("lang", "en")
    del out.attrib["dir"]
    assert html.same_dom(tree(source), out)
    hy = tree(render_article(doc, lambda block: None, "hy"))
    assert hy.get("lang") == "hy" and hy.get("dir") is None


def test_what_is_and_is_not_a_string():
    doc = parse_article(DATA / "article.html", SETTINGS)
    strings = {block.msgid: block.kind for block in doc.translatable_blocks()}
    assert doc.title == "The Stone Bridges of Syunik"
    kinds = [b.kind for b in doc.translatable_blocks() if b.msgid == doc.title]
    assert kinds == ["title", "heading"]  # <title> and <h1>: one message, two references
    assert strings[LEDE] == "paragraph"  # inline tags kept, whitespace collapsed
    assert strings["Three medieval bridges and the villages that keep them."] == "meta description"
    assert strings["A stone arch over the Vorotan river"] == "alt attribute"
    assert strings["Survey of bridges"] == "title attribute"
    assert strings["The bridge at <strong>Vorotan</strong> &amp; its arch."] == "caption"
    assert strings["Lime mortar"] == "list item" and strings["mixed with egg white"] == "list item"
    assert strings['A line<br>break and a <abbr title="kilometre">km</abbr> or two.'] == "paragraph"
    assert strings["Search the archive"] == "placeholder attribute" and strings["Search"] == "aria-label attribute"
    assert strings["Loose text in a div"] == "text" and strings["and text after."] == "text"
    assert strings["Bridge"] == "table header" and strings["Vorotan"] == "table cell"
    assert strings["Tufa"] == "term" and strings["A light volcanic stone."] == "definition"
    everything = "\n".join(strings)
    for never in ("never a string", "font-family", "analytics", "x = 1", "top navigation", "bridge.jpg"):
        assert never not in everything, never
    assert "13" not in strings  # no words, no message


def test_translations_go_in_place_with_their_markup():
    doc = parse_article(DATA / "article.html", SETTINGS)
    out = render_article(doc, by_msgid({
        LEDE: 'Самый <em>старый</em> мост построен в XIII веке, см. '
              '<a href="https://example.org/bridges?id=7&amp;x=1" title="Survey of bridges">обзор</a>.',
        "Survey of bridges": "Обзор мостов",
        "A stone arch over the Vorotan river": "Каменная арка над Воротаном",
        "Lime mortar": "Известковый раствор",
        "The Stone Bridges of Syunik": "Каменные мосты Сюника",
        "Three medieval bridges and the villages that keep them.": "Три средневековых моста.",
    }), "ru")
    page = tree(out)
    lede = page.find(".//p[@class='lede']")
    assert lede.text_content() == "Самый старый мост построен в XIII веке, см. обзор."
    link = lede.find("a")
    assert link.get("href") == "https://example.org/bridges?id=7&x=1" and link.get("title") == "Обзор мостов"
    assert page.find(".//img").get("alt") == "Каменная арка над Воротаном"
    assert page.find(".//title").text == "Каменные мосты Сюника" and page.find(".//h1").text == "Каменные мосты Сюника"
    assert page.find(".//meta[@name='description']").get("content") == "Три средневековых моста."
    item = page.findall(".//li")[1]
    assert item.text == "Известковый раствор" and item.find("ul/li").text == "mixed with egg white"
    assert page.find(".//script").text == 'window.analytics = "never a string";'
    assert page.get("lang") == "ru"


def test_a_translation_may_not_add_markup():
    doc = parse_article(DATA / "article.html", SETTINGS)
    out = render_article(doc, by_msgid({
        LEDE: 'Самый <em>старый</em> <script>window.__pwned = 1</script> мост '
              '<a href="https://example.org/bridges?id=7&amp;x=1" title="Survey of bridges">обзор</a> '
              '<a href="javascript:alert(1)">клик</a>',
        "Local basalt, cut by hand": '<img src="x" onerror="alert(1)">Базальт',
        "Tufa": '<em onclick="alert(1)">Туф</em>',
        "How they were built": "<!-- hidden --><b>Как</b> строили",
    }), "ru")
    page = tree(out)
    lede = page.find(".//p[@class='lede']")
    assert [el.tag for el in lede.iter()] == ["p", "em", "a"]  # only the source's own tags survive
    assert "<script>window.__pwned = 1</script>" in lede.text_content()
    assert '<a href="javascript:alert(1)">' in lede.text_content()
    assert page.findall(".//script") == page.find("head").findall("script")
    basalt = page.findall(".//li")[0]
    assert basalt.find("img") is None and basalt.text_content() == '<img src="x" onerror="alert(1)">Базальт'
    tufa = page.find(".//dt")
    assert tufa.find("em") is None and tufa.text_content() == '<em onclick="alert(1)">Туф</em>'
    heading = page.find(".//h2")
    assert len(heading) == 0 and heading.text == "<!-- hidden --><b>Как</b> строили"


def test_fragment_keeps_being_a_fragment_document():
    doc = parse_article(DATA / "fragment.html", SETTINGS)
    assert [b.msgid for b in doc.translatable_blocks()] == [
        "A fragment, not a whole page", "It has <strong>no</strong> html or body element.", "A tooltip", "Tooltip paragraph.",
    ]
    out = render_article(doc, by_msgid({"A tooltip": "Подсказка"}), "ru")
    assert tree(out).find(".//p[@title]").get("title") == "Подсказка"


def test_extract_update_build_an_html_article(tmp_path):
    root = tmp_path / "site"
    (root / "source").mkdir(parents=True)
    write_pyproject(root, languages=("hy", "ar"))
    (root / "source" / "stone-bridges.html").write_bytes((DATA / "article.html").read_bytes())
    run_locflow(root, "extract", check_code=0)
    pot = root / "locales" / "templates" / "stone-bridges.pot"
    assert_msgfmt_accepts(pot, allow_warnings=True)
    entry = polib.pofile(str(pot)).find(LEDE)
    assert entry.occurrences == [("source/stone-bridges.html", "13")] and "type: paragraph" in entry.comment
    run_locflow(root, "update", check_code=0)
    po_path = root / "locales" / "ar" / "LC_MESSAGES" / "stone-bridges.po"
    catalog = polib.pofile(str(po_path))
    catalog.find("How they were built").msgstr = "كيف بنيت"
    catalog.save()
    assert_msgfmt_accepts(po_path)
    run_locflow(root, "build", check_code=0)
    page = lxml_html.document_fromstring((root / "build" / "ar" / "stone-bridges.html").read_bytes())
    assert page.get("lang") == "ar" and page.get("dir") == "rtl"
    assert page.find(".//h2").text == "كيف بنيت"


def test_unknown_html_settings_are_an_error(tmp_path):
    root = tmp_path / "site"
    (root / "source").mkdir(parents=True)
    write_pyproject(root, languages=("hy",), extra="[tool.locflow.html]\nattributes = [\"alt\"]\n")
    (root / "source" / "page.html").write_text("<p>Text.</p>\n", encoding="utf-8")
    result = run_locflow(root, "extract", check_code=2)
    assert "pyproject.toml" in result.stderr and "unknown key 'html'" in result.stderr  # no HTML settings exist


# Generated pages: any mix of blocks and inline markup round-trips, and translating every string
# (keeping its markup) keeps every element in place.
from hypothesis import HealthCheck, given  # noqa: E402
from hypothesis import settings as hsettings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_text = st.sampled_from(["stone", "river & sea", "old  city", "1988", "a < b", "bridge\n  over"])
_inline = st.recursive(
    _text,
    lambda inner: st.one_of(
        st.tuples(st.sampled_from(["em", "strong", "span"]), inner).map(lambda p: f"<{p[0]}>{p[1]}</{p[0]}>"),
        st.just("<code>x = 1</code>"),
        inner.map(lambda t: f'<a href="/x?a=1&amp;b=2" title="Go there">{t}</a>'),
        st.just("<br>"),
        st.lists(inner, min_size=1, max_size=3).map(" ".join),
    ),
    max_leaves=4,
)
_block = st.recursive(
    st.tuples(st.sampled_from(["p", "h2", "figcaption", "td"]), _inline).map(
        lambda p: f"<{p[0]}>{p[1]}</{p[0]}>" if p[0] != "td" else f"<table><tr><td>{p[1]}</td></tr></table>"
    ),
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3).map(lambda items: "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"),
        inner.map(lambda b: f"<blockquote>{b}</blockquote>"),
        st.tuples(_inline, inner, _inline).map(lambda p: f"<div>{p[0]}{p[1]}{p[2]}</div>"),
        st.just("<script>var never = 'a string';</script>"),
        st.just("<!-- a comment -->"),
        st.just('<img src="p.jpg" alt="A picture">'),
    ),
    max_leaves=5,
)


def _tags(root):
    return [el.tag for el in root.iter() if isinstance(el.tag, str)]


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_block, min_size=1, max_size=5), st.booleans())
def test_generated_pages_round_trip_and_keep_their_elements(blocks, whole_page):
    body = "\n".join(blocks)
    source = f"<!DOCTYPE html>\n<html><head><title>Page</title></head><body>\n{body}\n</body></html>\n" if whole_page else body
    doc = parse_text(source)
    assert html.same_dom(tree(source), tree(render_article(doc, lambda block: None, "en")))
    rendered = render_article(doc, lambda block: "ПЕРЕВОД " + block.msgid, "ru")
    translated = tree(rendered)
    assert _tags(translated) == _tags(tree(source))
    assert rendered.count("ПЕРЕВОД") == len(list(doc.translatable_blocks()))  # every translation placed
    for word in ("stone", "river", "bridge"):  # and no text left out of the catalog
        assert source.count(word) == sum(block.msgid.count(word) for block in doc.translatable_blocks())
    for block in doc.translatable_blocks():
        assert "never" not in block.msgid and "comment" not in block.msgid


XHTML = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN"
  "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en">
<head><title>Caf&eacute; notes</title><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"/></head>
<body>
<!-- keep me exactly -->
<p><a name="top one"></a>Search <a href="/search?q=café au lait&amp;x=1">the caf&eacute;</a>.<br/>
   <img src="a b.png" alt="A cup"/> &nbsp;&copy; 2024</p>
<video controls><source src="v.webm" type="video/webm"/><p>No video.</p></video>
<p>Last   words</p>
</body>
</html>
"""


def test_everything_outside_translated_text_comes_back_byte_for_byte():
    doc = parse_text(XHTML)
    assert render_article(doc, lambda block: None, "en") == XHTML  # the source language: every byte
    hy = render_article(doc, lambda block: None, "hy")
    assert hy == XHTML.replace('<html xmlns="http://www.w3.org/1999/xhtml"', '<html lang="hy" xmlns="http://www.w3.org/1999/xhtml"')
    ar = render_article(doc, lambda block: None, "ar")
    assert ar.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html PUBLIC') and '<html lang="ar" dir="rtl" xmlns' in ar
    ids = [block.msgid for block in doc.translatable_blocks()]
    assert 'Search <a href="/search?q=café au lait&amp;x=1">the caf&eacute;</a>.<br/> <img src="a b.png" alt="A cup"/> &nbsp;&copy; 2024' in ids
    assert "Last words" in ids and "A cup" in ids and "Caf&eacute; notes" in ids


def test_translated_text_is_the_only_change():
    doc = parse_text(XHTML)
    msgid = next(b.msgid for b in doc.translatable_blocks() if b.msgid.startswith("Search"))
    out = render_article(doc, by_msgid({
        msgid: 'Փնտրեք <a href="/search?q=café au lait&amp;x=1">սրճարանը</a>։<br/> <img src="a b.png" alt="A cup"/> &nbsp;&copy; 2024',
        "A cup": 'Բաժակ "սուրճ" & կաթ',
        "Last words": "Վերջին բառեր",
    }), "hy")
    expected = XHTML.replace('<html xmlns', '<html lang="hy" xmlns').replace(
        '>Search <a href="/search?q=café au lait&amp;x=1">the caf&eacute;</a>.<br/>\n   <img src="a b.png" alt="A cup"/> &nbsp;&copy; 2024<',
        '>Փնտրեք <a href="/search?q=café au lait&amp;x=1">սրճարանը</a>։<br/> <img src="a b.png" alt="Բաժակ &quot;սուրճ&quot; &amp; կաթ"/> &nbsp;&copy; 2024<',
    ).replace("<p>Last   words</p>", "<p>Վերջին բառեր</p>")
    assert out == expected


def test_a_translation_with_an_unclosed_or_new_tag_shows_it_as_text():
    doc = parse_text("<p>Read <em>this</em> now.</p>\n")
    out = render_article(doc, by_msgid({"Read <em>this</em> now.": "Читайте <em>это сейчас. <a href='javascript:x'>клик</a>"}), "ru")
    assert out == "<p>Читайте &lt;em&gt;это сейчас. &lt;a href='javascript:x'&gt;клик&lt;/a&gt;</p>\n"
    assert tree(out).find(".//em") is None and tree(out).find(".//a") is None


def test_implied_end_tags_split_runs_as_a_browser_does():
    doc = parse_text("<ul><li>One<li>Two <b>bold</b><p>Para one<p>Para two</ul><dl><dt>Term<dd>Meaning</dl>")
    assert [(b.kind, b.msgid) for b in doc.translatable_blocks()] == [
        ("list item", "One"), ("list item", "Two <b>bold</b>"), ("paragraph", "Para one"), ("paragraph", "Para two"),
        ("term", "Term"), ("definition", "Meaning"),
    ]
    out = render_article(doc, lambda block: block.msgid.replace("o", "0"), "ru")
    assert out == "<ul><li>One<li>Tw0 <b>b0ld</b><p>Para 0ne<p>Para tw0</ul><dl><dt>Term<dd>Meaning</dl>"


def test_a_deeply_nested_page_is_read_and_written():
    depth = 3000
    source = "<div>" * depth + "<p>Deep <em>text</em></p>" + "</div>" * depth + "\n" + "<ul><li>" * depth + "Item" + "</li></ul>" * depth
    doc = parse_text(source)
    assert [b.msgid for b in doc.translatable_blocks()] == ["Deep <em>text</em>", "Item"]
    out = render_article(doc, by_msgid({"Item": "Пункт"}), "ru")
    assert out == source.replace(">Item<", ">Пункт<")
