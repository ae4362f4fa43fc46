"""Markdown inline constructs a translator must not break: each is a readable placeholder or kept as is."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from locflow.config import settings_from_table
from locflow.drafts.markup import protect, restore
from locflow.drafts.pseudo import pseudo_text
from locflow.formats import markdown
from locflow.languages import get_language

SETTINGS = settings_from_table({"languages": ["hy", "ru"]}, Path("."))
EN_XA, AR_XB = get_language("en_XA"), get_language("ar_XB")


def parse(text: str, name: str = "a.md"):
    return markdown.parse(text, Path(name), "a", SETTINGS)


def msgids(doc) -> list[str]:
    return [block.msgid for block in doc.translatable_blocks()]


def render(doc, translations: dict[str, str], language: str = "ru") -> str:
    return markdown.render(doc, lambda block: translations.get(block.msgid), language)


def html(text: str) -> str:
    return markdown.parser().render(text)


REFERENCES = """\
Use [Pygments][] today, see [the docs][d] and [Sphinx].

[Pygments]: http://pygments.org/
[d]: https://docs.example.org/ "The manual"
[sphinx]: https://www.sphinx-doc.org/
"""


def test_reference_links_of_every_kind_are_numbered_links():
    doc = parse(REFERENCES)
    assert msgids(doc) == ["Use [Pygments](1) today, see [the docs](2) and [Sphinx](3).", "The manual"]
    block = doc.blocks[0] if doc.blocks[0].translatable else next(doc.translatable_blocks())
    assert block.comment == "links: 1 = http://pygments.org/, 2 = https://docs.example.org/, 3 = https://www.sphinx-doc.org/"
    out = render(doc, {msgids(doc)[0]: "Используйте [Pygments](1) сегодня, см. [документацию](2) и [Сфинкс](3).",
                       "The manual": 'Руководство "по" делу'})
    assert out.split("\n")[0] == "Используйте [Pygments][] сегодня, см. [документацию][d] и [Сфинкс][Sphinx]."
    assert '[d]: https://docs.example.org/ "Руководство \\"по\\" делу"' in out
    rendered = html(out)
    assert '<a href="http://pygments.org/">Pygments</a>' in rendered
    assert '<a href="https://docs.example.org/" title="Руководство &quot;по&quot; делу">документацию</a>' in rendered
    assert '<a href="https://www.sphinx-doc.org/">Сфинкс</a>' in rendered


def test_images_have_translatable_alt_text_and_titles():
    doc = parse('![A cat on a mat](cat.png "Our cat") and [![badge](b.svg)](https://ci.example.org)\n')
    assert msgids(doc) == ['![A cat on a mat](1 "Our cat") and [![badge](3)](2)']  # numbered in reading order
    masked, tokens = protect(msgids(doc)[0])
    assert "A cat on a mat" in masked and "Our cat" in masked and "badge" in masked  # a machine draft translates them
    draft = restore(masked.replace("A cat on a mat", "Кот на коврике").replace("Our cat", "Наш кот"), tokens)
    out = render(doc, {msgids(doc)[0]: draft})
    assert out == '![Кот на коврике](cat.png "Наш кот") and [![badge](b.svg)](https://ci.example.org)\n'


def test_footnotes_shortcodes_heading_attributes_and_autolinks():
    source = (
        "## Getting started {#start .intro}\n\n"
        "Tea is old[^1], see <https://tea.example.org> and {{< ref \"brew.md\" >}}.\n\n"
        "{{< figure src=\"leaf.jpg\" >}}\n\n"
        "[^1]: Older than the *Silk Road*.\n"
    )
    doc = parse(source)
    assert msgids(doc) == [
        "Getting started",
        'Tea is old[^1], see <https://tea.example.org> and {{< ref "brew.md" >}}.',
        "Older than the *Silk Road*.",
    ]
    assert [block.kind for block in doc.translatable_blocks()] == ["heading", "paragraph", "footnote"]
    out = render(doc, {
        "Getting started": "С чего начать",
        msgids(doc)[1]: 'Чаю много лет[^1], см. <https://tea.example.org> и {{< ref "brew.md" >}}.',
        "Older than the *Silk Road*.": "Старше *Шёлкового пути*.",
    })
    assert out == source.replace("Getting started", "С чего начать").replace(
        "Tea is old[^1], see <https://tea.example.org> and", "Чаю много лет[^1], см. <https://tea.example.org> и"
    ).replace("Older than the *Silk Road*.", "Старше *Шёлкового пути*.")
    for text in msgids(doc):
        pseudo = pseudo_text(text, EN_XA)
        for kept in ("[^1]", "<https://tea.example.org>", '{{< ref "brew.md" >}}'):
            assert (kept in text) == (kept in pseudo)


def test_mdx_imports_and_jsx_stay_out_of_messages():
    source = (
        "import Tabs from '@theme/Tabs';\nimport TabItem from '@theme/TabItem';\n\n"
        "# Install\n\n<Tabs>\n<TabItem value=\"pip\">\n\nRun the installer.\n\n</TabItem>\n</Tabs>\n\n"
        "export const meta = {author: 'x'};\n"
    )
    doc = parse(source, "a.mdx")
    assert msgids(doc) == ["Install", "Run the installer."]
    assert markdown.render(doc, lambda block: None, "ru") == source


def test_pseudo_locale_changes_only_what_a_translator_may_change():
    doc = parse(REFERENCES + "\nRun <code>ls -l</code> with `--all` in [the *shell*](https://sh.example.org/ \"A shell\").\n")
    for language in (EN_XA, AR_XB):
        out = markdown.render(doc, lambda block: pseudo_text(block.msgid, language), language.code)
        rendered = html(out)
        for kept in ('href="http://pygments.org/"', 'href="https://docs.example.org/"', 'href="https://www.sphinx-doc.org/"',
                     "<code>ls -l</code>", "<code>--all</code>", 'href="https://sh.example.org/"'):
            assert kept in rendered, (language.code, kept)
        assert "[" + "the docs" not in out and "ţĥé ðöçš][ð]" not in out


@pytest.mark.parametrize(
    ("translation", "expected"),
    [
        ("Нажми [сюда](javascript:alert(1)).", "Click [here](https://example.org/).\n"),  # a link the source lacks: refused
        ("Нажми [сюда](2).", "Click [here](https://example.org/).\n"),  # a link number the source lacks: refused
        ("Нажми [сюда](1) <javascript:alert(1)>.", "Нажми [сюда](https://example.org/) \\<javascript:alert(1)>.\n"),  # escaped
        ("Нажми [сюда](1) <img src=x onerror=alert(1)>.", "Нажми [сюда](https://example.org/) \\<img src=x onerror=alert(1)>.\n"),
    ],
)
def test_links_and_html_a_translator_adds_never_reach_the_article(translation, expected):
    doc = parse("Click [here](https://example.org/).\n")
    out = render(doc, {"Click [here](1).": translation})
    assert out == expected
    assert "javascript:" not in "".join(t.attrGet("href") or "" for t in markdown._flat(markdown._inline_tokens(out.strip())))
    assert "<img" not in html(out)


def test_front_matter_markup_a_translator_adds_is_refused():
    doc = parse('---\ntitle: "A quiet town"\n---\nBody.\n')
    out = render(doc, {"A quiet town": "<script>alert(1)</script>Тихий город", "Body.": "Текст."})
    assert out == '---\ntitle: "A quiet town"\n---\nТекст.\n'


def test_check_reports_and_build_refuses_markup_a_translator_added(tmp_path):
    import json

    import polib

    from .conftest import assert_msgfmt_accepts, run_locflow, write_pyproject

    root = tmp_path / "site"
    (root / "source").mkdir(parents=True)
    write_pyproject(root, languages=("ru",))
    (root / "source" / "note.md").write_text(
        '---\ntitle: "A quiet town"\n---\nClick [here](https://example.org/) or see <https://example.org/a>.\n', encoding="utf-8"
    )
    run_locflow(root, "extract", check_code=0)
    run_locflow(root, "update", check_code=0)
    po = root / "locales" / "ru" / "LC_MESSAGES" / "note.po"
    catalog = polib.pofile(str(po))
    catalog.find("A quiet town").msgstr = "<script>alert(1)</script>Тихий город"
    catalog.find("Click [here](1) or see <https://example.org/a>.").msgstr = "Нажми [сюда](javascript:alert(1)) или <javascript:alert(2)>."
    catalog.save()
    assert_msgfmt_accepts(po)
    report = json.loads(run_locflow(root, "check", "--format", "json", check_code=1).stdout)
    markup = [(f["msgid"], f["message"]) for f in report["findings"] if f["check"] == "markup"]
    assert all(f["severity"] == "error" for f in report["findings"] if f["check"] == "markup")
    assert any(msgid == "A quiet town" and "<script>" in message for msgid, message in markup)
    assert any("javascript:alert(1)" in message and "<javascript:alert(2)>" in message for _, message in markup)
    run_locflow(root, "build", check_code=0)
    built = (root / "build" / "ru" / "note.md").read_text(encoding="utf-8")
    assert "javascript" not in built and "<script>" not in built
    assert built == (root / "source" / "note.md").read_text(encoding="utf-8")


def test_a_list_nested_3000_deep_is_read_and_written_back():
    source = "".join("  " * i + f"- item {i}\n" for i in range(3000))
    doc = parse(source)
    assert msgids(doc)[:3] == ["item 0", "item 1", "item 2"]  # markdown-it reads the first levels as lists
    out = markdown.render(doc, lambda block: "Կետ " + block.msgid, "hy")
    assert out.count("Կետ item") == len(msgids(doc))
    assert out.replace("Կետ ", "") == source  # and nothing else changed


def test_setext_heading_attributes_and_a_footnote_next_to_a_link():
    source = "Setext title {#top}\n===\n\nTea[^1] and [a link](https://x.org).\n\n[^1]: A note.\n"
    doc = parse(source)
    assert msgids(doc) == ["Setext title", "Tea[^1] and [a link](1).", "A note."]
    out = markdown.render(doc, lambda block: "Թ " + block.msgid, "hy")
    assert out == "Թ Setext title {#top}\n===\n\nԹ Tea[^1] and [a link](https://x.org).\n\n[^1]: Թ A note.\n"


def test_alt_text_and_link_titles_get_machine_drafts(tmp_path):
    import polib

    from .conftest import assert_msgfmt_accepts, run_locflow, write_pyproject
    from .libre_server import LibreServer

    root = tmp_path / "site"
    (root / "source").mkdir(parents=True)
    (root / "source" / "cat.md").write_text(
        '![A cat on a mat](cat.png "Our cat")\n\nSee [the docs][d].\n\n[d]: https://docs.example.org/ "The manual"\n',
        encoding="utf-8",
    )
    with LibreServer() as libre:
        write_pyproject(root, languages=("hy",), extra=f"""
[tool.locflow.prefill]
sources = ["machine"]
[tool.locflow.machine]
providers = ["libre"]
backoff = 0.01
[tool.locflow.machine.libre]
base-url = "{libre.url}"
""")
        run_locflow(root, "extract", check_code=0)
        run_locflow(root, "update", check_code=0)
        run_locflow(root, "prefill", check_code=0)
    po = root / "locales" / "hy" / "LC_MESSAGES" / "cat.po"
    assert_msgfmt_accepts(po)
    drafts = {entry.msgid: entry for entry in polib.pofile(str(po))}
    image = drafts['![A cat on a mat](1 "Our cat")']
    assert image.fuzzy and image.msgstr.startswith("![") and '](1 "' in image.msgstr and image.msgstr.endswith('")')
    assert not re.search(r"[A-Za-z]", image.msgstr)  # the alt text and the title were translated, markup kept
    assert drafts["The manual"].msgstr and drafts["The manual"].fuzzy
    assert drafts["See [the docs](1)."].msgstr.count("](1)") == 1
