"""build --site: the preview site, opened in a real headless Chromium (Debian's, driven by Playwright).

Each test that looks at a page saves a screenshot in its tmp_path (to look at, never compared)."""

from __future__ import annotations

import functools
import json
import shutil
import struct
import threading
import zlib
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import polib
import pytest
from babel.numbers import format_percent

from locflow.catalogs import statistics
from locflow.languages import get_language
from locflow.steps.site import percent_text

from .conftest import DATA, SEED_SLUG, run_locflow, translate

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
MD_SLUG = "letters-from-gyumri"
HTML_SLUG = "stone-bridges-of-syunik"
PHOTOS_SLUG = "2024-photos"  # source/2024/photos.md: images next to it, in its own folder
GALLERY_SLUG = "gallery"
HY_TITLE = "Նամակներ Գյումրիից. վերակառուցված քաղաք"
AR_TITLE = "رسائل من غيومري: مدينة أعيد بناؤها"
AR_NESTED = "عنصر متداخل مع `inline code`"
INJECTED = '<script>window.__pwned = 1; document.title = "pwned";</script>'
INJECTED_IMG = '<img src="x" onerror="window.__pwned = 2">'
PHOTOS = """\
# Photographs from the archive

![The square in 1920](img/square.png)

![The square at night](img/night%20view.png "At night")

![A lost negative](img/missing.png)

![From another site](https://example.org/remote.png)

![Beside the source folder](../../outside.png)

![Through a link out of the source folder](img/escape.png)

![Not a picture](notes.csv)
"""
GALLERY = """\
<h1>The gallery</h1>
<figure><img src="gallery/arch.png" srcset="gallery/arch.png 1x, gallery/arch-2x.png 2x" alt="An arch"><figcaption>An arch in Syunik</figcaption></figure>
<p>Elsewhere: <img src="https://example.org/remote.png" alt="Remote"> and <img src="gallery/nowhere.png" alt="Missing"></p>
"""


def png(width: int, height: int, rgb: tuple[int, int, int] = (190, 90, 40)) -> bytes:
    """A real PNG image of one colour (no imaging library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """A project with text, Markdown and HTML articles (two of them with images), partly
    translated, built with --site."""
    root = tmp_path_factory.mktemp("site")
    source = root / "source"
    source.mkdir()
    shutil.copy(DATA.parent.parent / "source" / f"{SEED_SLUG}.txt", source)
    shutil.copy(DATA / "article.md", source / f"{MD_SLUG}.md")
    shutil.copy(DATA / "article.html", source / f"{HTML_SLUG}.html")
    (source / "2024" / "img").mkdir(parents=True)
    (source / "2024" / "photos.md").write_text(PHOTOS, encoding="utf-8")
    (source / "2024" / "img" / "square.png").write_bytes(png(40, 30))
    (source / "2024" / "img" / "night view.png").write_bytes(png(20, 20, (20, 30, 90)))
    (source / "2024" / "notes.csv").write_text("not,a,picture\n", encoding="utf-8")
    (root / "outside.png").write_bytes(png(10, 10))  # in the project, outside the source folder
    (source / "2024" / "img" / "escape.png").symlink_to(root / "outside.png")
    (source / f"{GALLERY_SLUG}.html").write_text(GALLERY, encoding="utf-8")
    (source / "gallery").mkdir()
    (source / "gallery" / "arch.png").write_bytes(png(30, 40))
    (source / "gallery" / "arch-2x.png").write_bytes(png(60, 80))
    (root / "pyproject.toml").write_text(
        '[tool.locflow]\nsource-language = "en"\nlanguages = ["hy", "ar"]\n', encoding="utf-8"
    )
    run_locflow(root, "extract", check_code=0)
    run_locflow(root, "update", check_code=0)
    locales = root / "locales"
    translate(locales / "hy" / "LC_MESSAGES" / f"{MD_SLUG}.po", {
        "Letters from Gyumri: A City Rebuilt": HY_TITLE,
        "What the neighbours remember": f"Ինչ են հիշում հարևանները {INJECTED}",
        "Kumayri, the historic district": "Կումայրի՝ պատմական թաղամասը",
    })
    translate(locales / "hy" / "LC_MESSAGES" / f"{HTML_SLUG}.po", {
        "How they were built": f"Ինչպես են կառուցվել {INJECTED}",
        "Local basalt, cut by hand": f"Տեղական բազալտ {INJECTED_IMG}",
        "and a paragraph inside it": "և դրա ներսում մի պարբերություն",
    })
    translate(locales / "hy" / "LC_MESSAGES" / f"{SEED_SLUG}.po", {
        "Humanitarian Crisis:": f"Հումանիտար ճգնաժամ {INJECTED}",
    })
    translate(locales / "ar" / "LC_MESSAGES" / f"{MD_SLUG}.po", {
        "Letters from Gyumri: A City Rebuilt": AR_TITLE,
        "What the neighbours remember": "ما يتذكره الجيران",
        "Kumayri, the historic district": "كومايري، الحي التاريخي",
        "A nested item with `inline code`": AR_NESTED,
    })
    translate(locales / "ar" / "LC_MESSAGES" / f"{PHOTOS_SLUG}.po", {
        "Photographs from the archive": "صور من الأرشيف",
    })
    run_locflow(root, "build", "--site", check_code=0)
    return root / "build" / "site"


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (.ci/run does)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert errors == []


def test_site_has_every_page(site):
    for lang in ("en", "hy", "ar"):
        assert (site / lang / "index.html").is_file()
        for slug in (SEED_SLUG, MD_SLUG, HTML_SLUG, PHOTOS_SLUG, GALLERY_SLUG):
            assert (site / lang / f"{slug}.html").is_file()
    assert (site / "index.html").is_file()


def test_armenian_page_shows_armenian_and_falls_back_to_english(page, server):
    page.goto(f"{server}/hy/{MD_SLUG}.html")
    assert page.evaluate("document.documentElement.lang") == "hy"
    assert page.title() == HY_TITLE
    assert page.locator("article h1").inner_text() == HY_TITLE
    assert page.get_by_text("Կումայրի՝ պատմական թաղամասը").is_visible()
    # Untranslated strings fall back to the source.
    assert page.get_by_text("The Black Fortress, built in 1834").is_visible()
    assert page.evaluate("getComputedStyle(document.documentElement).direction") == "ltr"


def test_arabic_page_is_right_to_left(page, server):
    page.goto(f"{server}/ar/{MD_SLUG}.html")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.querySelector('article h1')).direction") == "rtl"
    assert page.locator("article h1").inner_text() == AR_TITLE
    # Text runs from the right: the title's right edge sits at the column's right edge.
    h1 = page.locator("article h1").bounding_box()
    article = page.locator("article").bounding_box()
    assert abs((h1["x"] + h1["width"]) - (article["x"] + article["width"])) < 2


def test_language_switcher_and_hreflang_links(page, server):
    page.goto(f"{server}/ar/{MD_SLUG}.html")
    alternates = page.eval_on_selector_all(
        "link[rel=alternate]", "links => links.map(l => [l.hreflang, l.getAttribute('href')])"
    )
    assert ["hy", f"../hy/{MD_SLUG}.html"] in alternates
    assert ["x-default", f"../en/{MD_SLUG}.html"] in alternates
    page.click("nav.languages a[hreflang=hy]")
    page.wait_for_url(f"**/hy/{MD_SLUG}.html")
    assert page.locator("article h1").inner_text() == HY_TITLE
    page.click("nav.languages a[hreflang=en]")
    page.wait_for_url(f"**/en/{MD_SLUG}.html")
    assert page.locator("article h1").inner_text() == "Letters from Gyumri: A City Rebuilt"
    assert page.evaluate("document.documentElement.dir") == "ltr"
    page.goto(f"{server}/hy/index.html")
    page.click(f"text={HY_TITLE}")
    page.wait_for_url(f"**/hy/{MD_SLUG}.html")


@pytest.mark.parametrize("slug", [MD_SLUG, HTML_SLUG, SEED_SLUG])
def test_injected_script_in_a_translation_never_runs(page, server, slug):
    page.goto(f"{server}/hy/{slug}.html")
    page.wait_for_load_state("load")
    assert page.evaluate("window.__pwned") is None
    assert page.title() != "pwned"
    assert page.locator("article script").count() == 0
    assert page.locator("article img[onerror]").count() == 0
    # The markup is shown as the text the translator typed.
    assert page.get_by_text(INJECTED, exact=False).first.is_visible()


def test_text_article_page(page, server):
    page.goto(f"{server}/hy/{SEED_SLUG}.html")
    assert page.locator("article h1").count() == 1  # the scraped page's repeated title is shown once
    assert page.get_by_text("Updated: Jan 12").is_visible()
    english = page.locator("article p[lang=en]").first
    assert english.is_visible()  # untranslated paragraphs are marked as English for screen readers


def test_untranslated_markdown_blocks_keep_english_and_left_to_right_on_the_arabic_page(page, server):
    page.goto(f"{server}/ar/{MD_SLUG}.html")
    heading = page.locator("article h2", has_text="ما يتذكره الجيران")
    assert heading.get_attribute("lang") is None  # translated: Arabic, as the page
    assert heading.evaluate("e => getComputedStyle(e).direction") == "rtl"
    for selector, text in [("p", "The old quarter of"), ("li", "The Black Fortress, built in 1834"),
                           ("td", "The earthquake"), ("h2", "Setext heading")]:
        block = page.locator(f"article {selector}[lang=en]", has_text=text)
        assert block.count() == 1, f"{selector} {text!r} is not marked as English"
        assert block.first.evaluate("e => getComputedStyle(e).direction") == "ltr"
    assert "\ue000" not in page.content()


def test_untranslated_html_blocks_are_marked_english_and_translated_ones_are_not(page, server):
    page.goto(f"{server}/hy/{HTML_SLUG}.html")
    assert page.locator("article h2", has_text="Ինչպես են կառուցվել").get_attribute("lang") is None
    assert page.locator("article li", has_text="Տեղական բազալտ").get_attribute("lang") is None
    assert page.locator("article p.lede").get_attribute("lang") == "en"
    assert page.locator("article figcaption").get_attribute("lang") == "en"
    assert page.locator("article h1").get_attribute("lang") == "en"  # the title is not translated in hy
    # A block with a translation inside it is never labelled English, though its own loose text is.
    inner = page.locator("article div p", has_text="և դրա ներսում")
    assert inner.get_attribute("lang") is None
    assert inner.evaluate("e => e.closest('[lang]').lang") == "hy"


def test_building_the_site_twice_changes_nothing(site):
    import json

    root = site.parent.parent
    before = {path: path.read_bytes() for path in site.rglob("*") if path.is_file()}
    result = run_locflow(root, "build", "--site", "--format", "json", check_code=0)
    statuses = {f["file"]: f["status"] for f in json.loads(result.stdout)["files"]}
    assert statuses[f"build/site/hy/{MD_SLUG}.html"] == "unchanged"
    assert set(statuses.values()) == {"unchanged"}
    assert {path: path.read_bytes() for path in site.rglob("*") if path.is_file()} == before


def test_an_article_named_index_is_refused(tmp_path):
    root = tmp_path / "named-index"
    (root / "source").mkdir(parents=True)
    (root / "source" / "index.md").write_text("# Home\n\nText.\n", encoding="utf-8")
    (root / "pyproject.toml").write_text('[tool.locflow]\nlanguages = ["hy"]\n', encoding="utf-8")
    run_locflow(root, "extract", check_code=0)
    result = run_locflow(root, "build", "--site", check_code=2)
    assert "source/index.md: an article named 'index'" in result.stderr
    assert not (root / "build").exists()  # nothing written


def test_unknown_site_settings_are_an_error(tmp_path):
    root = tmp_path / "bad-settings"
    (root / "source").mkdir(parents=True)
    (root / "source" / "page.md").write_text("# Page\n", encoding="utf-8")
    (root / "pyproject.toml").write_text('[tool.locflow]\nlanguages = ["hy"]\n[tool.locflow.site]\ntheme = "dark"\n', encoding="utf-8")
    result = run_locflow(root, "build", "--site", check_code=2)
    assert "pyproject.toml: [tool.locflow] unknown key 'site'" in result.stderr  # the site has no settings
    assert not (root / "build").exists()


# ---------------------------------------------------------------------------
# What a reader sees: marks on untranslated blocks, images, numbers, right to left
# ---------------------------------------------------------------------------

LABEL = ":scope > .fallback-label"


def _shot(page, tmp_path: Path, name: str) -> None:
    page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("slug", [MD_SLUG, HTML_SLUG, SEED_SLUG])
def test_untranslated_blocks_are_marked_visibly_and_for_screen_readers(page, server, tmp_path, slug):
    page.set_viewport_size({"width": 900, "height": 800})
    page.goto(f"{server}/ar/{slug}.html")
    _shot(page, tmp_path, f"ar-{slug}")
    marked = page.locator("article .untranslated")
    assert marked.count() > 0
    for index in range(marked.count()):
        block = marked.nth(index)
        assert block.get_attribute("lang") == "en" and block.get_attribute("dir") == "ltr"
        # A visible label naming the language (not colour alone) ...
        label = block.locator(LABEL)
        assert label.count() == 1 and label.is_visible() and label.inner_text() == "English"
        assert label.get_attribute("aria-hidden") == "true"
        # ... and a note only screen readers get; the text itself stays visible.
        note = block.locator(":scope > .visually-hidden")
        assert note.text_content().strip() == "(not yet translated)"
        box = note.bounding_box()
        assert box is None or (box["width"] <= 1 and box["height"] <= 1)
        assert block.bounding_box()["height"] > 5
    # A dashed margin on the start side of a paragraph left in English.
    first = page.locator("article p.untranslated").first
    assert first.evaluate("e => getComputedStyle(e).borderInlineStartStyle") == "dashed"
    # What a screen reader reads: the note, the text, and not the visual label.
    tree = page.locator("article").aria_snapshot()
    assert "(not yet translated)" in tree
    assert "English" not in tree


def test_translated_blocks_carry_no_mark_and_the_source_page_none_at_all(page, server):
    page.goto(f"{server}/ar/{MD_SLUG}.html")
    for text in (AR_TITLE, "ما يتذكره الجيران", "كومايري، الحي التاريخي"):
        block = page.locator("article :is(h1, h2, li)", has_text=text).last
        assert block.locator(LABEL).count() == 0
        assert block.evaluate("e => e.closest('[lang]').lang") == "ar"
    # A translated item nested in an English one is Arabic again, right to left, unmarked.
    nested = page.locator("article li li", has_text="عنصر متداخل")
    assert nested.get_attribute("lang") == "ar" and nested.get_attribute("dir") == "rtl"
    assert nested.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert nested.locator(LABEL).count() == 0
    parent = page.locator("article li", has_text="The Black Fortress").first
    assert parent.get_attribute("lang") == "en" and parent.locator(LABEL).count() == 1
    # Nested English blocks are covered by their marked ancestor: one label, not one per level.
    page.goto(f"{server}/hy/{HTML_SLUG}.html")
    lime = page.locator("article li", has_text="Lime mortar")
    assert lime.locator(".fallback-label").count() == 1
    for slug in (MD_SLUG, HTML_SLUG, SEED_SLUG, PHOTOS_SLUG):
        page.goto(f"{server}/en/{slug}.html")
        assert page.locator(".untranslated, .fallback-label").count() == 0


def test_index_marks_untranslated_titles(page, server, tmp_path):
    page.set_viewport_size({"width": 900, "height": 500})
    page.goto(f"{server}/ar/index.html")
    _shot(page, tmp_path, "ar-index")
    translated = page.locator("ul.articles li", has_text=AR_TITLE)
    assert translated.locator(".fallback-label").count() == 0
    assert translated.locator("a").get_attribute("lang") is None
    english = page.locator("ul.articles li", has_text="The Stone Bridges of Syunik")
    assert english.locator("a").get_attribute("lang") == "en"
    assert english.locator(".fallback-label").inner_text() == "English"
    assert english.locator(".visually-hidden").text_content().strip() == "(not yet translated)"


def test_percentages_are_written_by_babel_for_the_page_and_read_in_order(page, server, site, tmp_path):
    ar = get_language("ar")
    catalog = polib.pofile(str(site.parent.parent / "locales" / "ar" / "LC_MESSAGES" / f"{MD_SLUG}.po"))
    percent = statistics(catalog).percent
    assert 0 < percent < 100
    expected = format_percent(round(percent) / 100, locale=ar.babel_locale)
    page.goto(f"{server}/ar/index.html")
    shown = page.locator("ul.articles li", has_text=AR_TITLE).locator(".percent")
    assert shown.inner_text() == expected
    # The sign sits where Babel's text puts it, on an Arabic page too: "43%", never "%43".
    sign_right_of_digits = shown.evaluate(
        """e => {
            const text = e.firstChild, range = document.createRange();
            const x = i => { range.setStart(text, i); range.setEnd(text, i + 1); return range.getBoundingClientRect().x; };
            const sign = text.data.search(/[%\u066a]/), digit = text.data.search(/\\p{Nd}/u);
            return x(sign) > x(digit);
        }"""
    )
    assert sign_right_of_digits == (expected.index("%") > 0)
    page.goto(f"{server}/ar/{MD_SLUG}.html")
    _shot(page, tmp_path, "ar-article-percent")
    assert page.locator("p.meta .percent").inner_text() == expected


def test_percentages_are_written_as_each_language_writes_them():
    assert percent_text(43.2, get_language("fr")) == "43\u00a0%"
    assert percent_text(43.2, get_language("hy")) == "43%"
    assert percent_text(43.2, get_language("ar")) == format_percent(0.43, locale="ar")
    # Whole numbers, but never "100 %" for what is not done, nor "0 %" for what has begun.
    assert percent_text(99.6, get_language("en")) == "99%"
    assert percent_text(0.2, get_language("en")) == "1%"
    assert percent_text(100.0, get_language("en")) == "100%"
    assert percent_text(0.0, get_language("en")) == "0%"


def test_english_list_items_stay_inside_the_column_on_the_arabic_page(page, server, tmp_path):
    page.set_viewport_size({"width": 900, "height": 800})
    page.goto(f"{server}/ar/{MD_SLUG}.html")
    _shot(page, tmp_path, "ar-lists")
    column = page.locator("article").bounding_box()
    items = page.locator("article li")
    assert items.count() == 5
    checked_ltr = 0
    for index in range(items.count()):
        item = items.nth(index)
        box = item.bounding_box()
        list_box = item.locator("xpath=..").bounding_box()
        assert box["x"] >= list_box["x"] - 0.5 and box["x"] + box["width"] <= list_box["x"] + list_box["width"] + 0.5
        assert box["x"] >= column["x"] - 0.5 and box["x"] + box["width"] <= column["x"] + column["width"] + 0.5
        # The marker hangs outside the item on its start side: there must be room for it in the column.
        direction, marker = item.evaluate("e => [getComputedStyle(e).direction, parseFloat(getComputedStyle(e).fontSize)]")
        if direction == "ltr":
            room = box["x"] - column["x"]
            checked_ltr += 1
        else:
            room = column["x"] + column["width"] - (box["x"] + box["width"])
        assert room >= marker, f"the marker of {item.inner_text()[:30]!r} ({direction}) hangs outside the column"
    assert checked_ltr == 3  # the English items (the nested one is translated: right to left)


def _loaded(image) -> bool:
    return image.evaluate("i => i.complete && i.naturalWidth > 0")


@pytest.mark.parametrize("language", ["en", "hy", "ar"])
def test_relative_images_are_copied_into_the_preview_and_load(page, server, site, tmp_path, language):
    page.goto(f"{server}/{language}/{PHOTOS_SLUG}.html")
    _shot(page, tmp_path, f"{language}-photos")
    square = page.locator("article img[alt='The square in 1920']")
    assert square.get_attribute("src") == "../media/2024/img/square.png"
    assert _loaded(square)
    night = page.locator("article img[alt='The square at night']")
    assert night.get_attribute("src") == "../media/2024/img/night%20view.png"
    assert _loaded(night)
    # Left as written: a missing file, an absolute URL, and whatever is outside the source
    # folder (directly or through a symbolic link) or not a picture.
    for alt, src in [("A lost negative", "img/missing.png"), ("From another site", "https://example.org/remote.png"),
                     ("Beside the source folder", "../../outside.png"),
                     ("Through a link out of the source folder", "img/escape.png"), ("Not a picture", "notes.csv")]:
        assert page.locator(f"article img[alt='{alt}']").get_attribute("src") == src
    page.goto(f"{server}/{language}/{GALLERY_SLUG}.html")
    arch = page.locator("article img[alt='An arch']")
    assert arch.get_attribute("src") == "../media/gallery/arch.png"
    assert arch.get_attribute("srcset") == "../media/gallery/arch.png 1x, ../media/gallery/arch-2x.png 2x"
    assert _loaded(arch)
    assert page.locator("article img[alt='Missing']").get_attribute("src") == "gallery/nowhere.png"
    assert page.locator("article img[alt='Remote']").get_attribute("src") == "https://example.org/remote.png"


def test_images_are_copied_inside_the_site_folder_only(site):
    root = site.parent.parent
    media = sorted(path.relative_to(site).as_posix() for path in (site / "media").rglob("*") if path.is_file())
    assert media == ["media/2024/img/night view.png", "media/2024/img/square.png",
                     "media/gallery/arch-2x.png", "media/gallery/arch.png"]
    assert (site / "media" / "2024" / "img" / "square.png").read_bytes() == (root / "source" / "2024" / "img" / "square.png").read_bytes()
    assert not any(path.is_symlink() for path in site.rglob("*"))
    outside = sorted(p.relative_to(root).as_posix() for p in root.iterdir())
    assert outside == [".locflow-cache", "build", "locales", "outside.png", "pyproject.toml", "source"]
    assert sorted(p.name for p in (root / "build").iterdir() if p.is_dir()) == ["ar", "hy", "locale", "site"]


def test_an_image_no_article_shows_is_removed_from_the_preview(tmp_path):
    root = tmp_path / "images"
    (root / "source" / "img").mkdir(parents=True)
    (root / "source" / "img" / "a.png").write_bytes(png(4, 4))
    (root / "source" / "img" / "b.png").write_bytes(png(5, 5))
    article = root / "source" / "page.md"
    article.write_text("# Page\n\n![A](img/a.png) and ![B](img/b.png)\n", encoding="utf-8")
    (root / "pyproject.toml").write_text('[tool.locflow]\nlanguages = ["ar"]\n', encoding="utf-8")
    run_locflow(root, "extract", check_code=0)
    run_locflow(root, "build", "--site", check_code=0)
    media = root / "build" / "site" / "media" / "img"
    assert sorted(p.name for p in media.iterdir()) == ["a.png", "b.png"]
    article.write_text("# Page\n\n![A](img/a.png)\n", encoding="utf-8")
    run_locflow(root, "extract", check_code=0)
    result = run_locflow(root, "build", "--site", "--format", "json", check_code=0)
    assert sorted(p.name for p in media.iterdir()) == ["a.png"]
    statuses = {f["file"]: f["status"] for f in json.loads(result.stdout)["files"]}
    assert statuses["build/site/media/img/b.png"] == "removed"
    assert statuses["build/site/media/img/a.png"] == "unchanged"
    (root / "source" / "img").rename(root / "source" / "pictures")  # gone: the address stays as written
    run_locflow(root, "build", "--site", check_code=0)
    assert not (root / "build" / "site" / "media").exists() or not any((root / "build" / "site" / "media").rglob("*.png"))
    assert 'src="img/a.png"' in (root / "build" / "site" / "ar" / "page.html").read_text(encoding="utf-8")
