"""Plain-text articles (the scraped seed page): what becomes a message, and the round trip."""

from pathlib import Path

import pytest

from locflow.config import load_settings
from locflow.formats import parse_article, render_article, slug_of, slugify
from locflow.errors import SourceError

from .conftest import SEED, SEED_SLUG, write_pyproject


@pytest.fixture
def settings(tmp_path):
    write_pyproject(tmp_path)
    (tmp_path / "source").mkdir()
    return load_settings(tmp_path)


def parse_text(settings, text: str | bytes, name: str = "article.txt"):
    path = settings.source_dir / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return parse_article(path, settings)


def test_the_seed_lives_under_a_slug_made_from_its_title():
    assert slugify("Azerbaijan's Dark History: The Baku Pogroms Remembered") == SEED_SLUG
    assert SEED.exists()


def test_seed_chrome_is_not_translatable(settings):
    doc = parse_text(settings, SEED.read_text(encoding="utf-8"))
    messages = [block.msgid for block in doc.translatable_blocks()]
    chrome = [block.raw.strip() for block in doc.blocks if block.kind == "chrome"]
    assert chrome == ["top of page", "Ad for subscribing to The Armenian Report", "bottom of page"]
    assert not any("top of page" in m or "bottom of page" in m or "Ad for subscribing" in m for m in messages)


def test_seed_title_dateline_headings_and_paragraphs(settings):
    doc = parse_text(settings, SEED.read_text(encoding="utf-8"))
    kinds = [(block.kind, block.line) for block in doc.translatable_blocks()]
    titles = [line for kind, line in kinds if kind == "title"]
    assert titles == [3, 7]
    assert ("dateline", 5) in kinds
    headings = [block.msgid for block in doc.translatable_blocks() if block.kind == "heading"]
    assert headings == [
        "Escalation of Ethnic Tensions:",
        "Pogroms Unleashed:",
        "Humanitarian Crisis:",
        "Global Outcry and Response:",
        "Legacy and Lessons:",
        "Call for Remembrance:",
    ]
    paragraphs = [block for block in doc.translatable_blocks() if block.kind == "paragraph"]
    assert len(paragraphs) == 9
    assert paragraphs[0].msgid.startswith("In a dark retrospective")
    dateline = next(block for block in doc.translatable_blocks() if block.kind == "dateline")
    assert dateline.msgid == "Updated: {date}"
    assert dateline.placeholders[0].value == "Jan 12"
    assert "python-brace-format" in dateline.flags


@pytest.mark.parametrize(
    "text",
    [
        SEED.read_text(encoding="utf-8"),
        SEED.read_text(encoding="utf-8").replace("\n", "\r\n"),
        "Title\n\n  Indented paragraph with trailing space.  \n\nTwo\nline paragraph.\n\n\n",
        "Only a title",
        "",
        "\n\n\n",
    ],
    ids=["seed", "seed-crlf", "whitespace", "no-newline", "empty", "blank"],
)
def test_rendering_without_translations_gives_the_source_byte_for_byte(settings, text):
    doc = parse_text(settings, text)
    assert render_article(doc, lambda block: None, "en") == text
    if not any(block.kind == "chrome" for block in doc.blocks):
        assert render_article(doc, lambda block: None, "ru") == text


def test_a_localized_article_leaves_out_the_page_chrome(settings):
    source = SEED.read_text(encoding="utf-8")
    doc = parse_text(settings, source)
    out = render_article(doc, lambda block: "ՏՐ " + block.msgid if block.kind == "heading" else None, "hy")
    lines = out.split("\n")
    assert lines[0] == "Azerbaijan's Dark History: The Baku Pogroms Remembered"  # the title, not "top of page"
    assert lines[-2].startswith("The Baku pogroms remain a relevant chapter") and lines[-1] == ""
    assert not any(word in out for word in ("top of page", "bottom of page", "Ad for subscribing"))
    assert "\n\nՏՐ Humanitarian Crisis:\n\n" in out
    # everything else is the source's: only the chrome lines and the blank lines around them went
    kept = [line for line in source.split("\n") if line not in ("top of page", "bottom of page", "Ad for subscribing to The Armenian Report")]
    assert out.replace("ՏՐ ", "").strip("\n") == "\n".join(kept).strip("\n")


def test_chrome_in_the_middle_leaves_one_blank_line_and_crlf_is_kept(settings):
    doc = parse_text(settings, "top of page\r\n\r\nTitle\r\n\r\nFirst.\r\n\r\nAd for subscribing to X\r\n\r\nSecond.")
    assert render_article(doc, lambda block: None, "ru") == "Title\r\n\r\nFirst.\r\n\r\nSecond."


def test_translations_replace_blocks_and_keep_surrounding_whitespace(settings):
    doc = parse_text(settings, "Title\r\n\r\n  Old paragraph\r\ncontinued.  \r\n\r\nbottom of page\r\n")
    paragraph = next(block for block in doc.translatable_blocks() if block.kind == "paragraph")
    assert paragraph.msgid == "Old paragraph continued."
    rendered = render_article(doc, lambda block: {"Old paragraph continued.": "Новый абзац."}.get(block.msgid), "ru")
    assert rendered == "Title\r\n\r\n  Новый абзац.  \r\n"  # the chrome line and the blank line before it are gone


def test_dateline_is_rendered_with_the_localized_date(settings):
    doc = parse_text(settings, "Title\n\nUpdated: Jan 12\n\nText.\n")
    table = {"Updated: {date}": "Обновлено: {date}"}
    rendered = render_article(doc, lambda block: table.get(block.msgid), "ru")
    assert "Обновлено: 12 янв.\n" in rendered


def test_broken_placeholder_in_a_translation_falls_back_to_the_source(settings):
    doc = parse_text(settings, "Title\n\nUpdated: Jan 12\n")
    rendered = render_article(doc, lambda block: {"Updated: {date}": "Обновлено: {дата}"}.get(block.msgid), "ru")
    assert rendered == "Title\n\nUpdated: Jan 12\n"


def test_long_lines_ending_in_a_colon_are_paragraphs(settings):
    long_line = "This sentence is far too long to be a heading even though it ends in a colon, as " * 2 + "here:"
    doc = parse_text(settings, f"Title\n\n{long_line}\n\nShort heading:\n")
    kinds = {block.msgid: block.kind for block in doc.translatable_blocks()}
    assert kinds[long_line] == "paragraph"
    assert kinds["Short heading:"] == "heading"


def test_a_bom_is_dropped_and_invalid_utf8_names_the_line(settings):
    doc = parse_text(settings, b"\xef\xbb\xbfTitle\n")
    assert doc.title == "Title"
    with pytest.raises(SourceError, match=r"article\.txt:2: not valid UTF-8"):
        parse_text(settings, b"Title\n\xff\xfe broken\n")


@pytest.mark.parametrize("name", ["Bad Name.txt", "..hidden.txt", "UPPER.txt", "ümlaut.txt"])
def test_article_names_must_be_slugs(name):
    with pytest.raises(SourceError, match="not a valid slug"):
        slug_of(Path(name))
