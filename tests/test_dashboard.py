"""The dashboard of `locflow check --format html`, opened in a real headless Chromium: bars
with translated, fuzzy and untranslated parts (and their numbers), each article linked to its
catalog and to its page in the preview. Each test saves a screenshot in its tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import run_locflow, translate, write_pyproject
from .test_site import browser, page  # noqa: F401 (fixtures: Debian's Chromium through Playwright)

NOTE = "A Short Note\n\nThe pogroms began on January 13, 1990.\n\nWhere were you?\n"
LATE = "A Late Note\n\nWritten after the catalogs were made.\n"


def po(root: Path, code: str, slug: str) -> Path:
    return root / "locales" / code / "LC_MESSAGES" / f"{slug}.po"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """One article: in Armenian 1 translated, 1 fuzzy, 1 untranslated; in Arabic all 3 translated.
    A second article has a template but no catalogs yet."""
    root = tmp_path / "site"
    (root / "source").mkdir(parents=True)
    (root / "source" / "a-short-note.txt").write_text(NOTE, encoding="utf-8")
    write_pyproject(root, languages=("hy", "ar"))
    run_locflow(root, "extract", check_code=0)
    run_locflow(root, "update", check_code=0)
    translate(po(root, "hy", "a-short-note"), {"A Short Note": "Կարճ նշում", "Where were you?": "Որտե՞ղ էիք։"},
              fuzzy={"Where were you?"})
    translate(po(root, "ar", "a-short-note"), {
        "A Short Note": "ملاحظة قصيرة",
        "The pogroms began on January 13, 1990.": "بدأت المذابح في 13 يناير 1990.",
        "Where were you?": "أين كنت؟",
    })
    (root / "source" / "a-late-note.txt").write_text(LATE, encoding="utf-8")
    run_locflow(root, "extract", check_code=0)
    return root


def _widths(bar) -> dict[str, float]:
    return bar.evaluate(
        """b => Object.fromEntries(['translated', 'fuzzy', 'untranslated'].map(
            part => [part, b.querySelector('.' + part + '-part').getBoundingClientRect().width]))"""
    )


def test_bars_show_translated_fuzzy_and_untranslated_with_their_numbers(page, project, tmp_path):
    run_locflow(project, "check", "--format", "html", "--output", "reports/check.html", check_code=1)
    page.set_viewport_size({"width": 1200, "height": 900})
    page.goto((project / "reports" / "check.html").as_uri())
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
    row = page.locator("section#lang-hy tr.article[data-article='a-short-note']")
    bar = row.locator(".article-progress")
    assert bar.get_attribute("role") == "img"
    assert bar.get_attribute("aria-label") == "1 translated, 1 fuzzy, 1 untranslated, of 3"
    total = bar.bounding_box()["width"] - 2  # inside its 1px border
    widths = _widths(bar)
    for part in ("translated", "fuzzy", "untranslated"):
        assert widths[part] == pytest.approx(total / 3, abs=1)
    # The numbers are on the page too, not in colour alone.
    cells = row.locator("td.num").all_inner_texts()
    assert cells[:3] == ["33.3% (1/3)", "1", "1"]
    # Fuzzy is hatched, not only another colour.
    assert "repeating-linear-gradient" in bar.locator(".fuzzy-part").evaluate("e => getComputedStyle(e).backgroundImage")
    legend = page.locator(".legend").inner_text()
    assert "translated" in legend and "fuzzy" in legend and "untranslated" in legend
    # The language's bars count all its articles: 1 + 1 + 1 of the note, 2 untranslated of the late note.
    overview = page.locator("nav .language-progress[data-language=hy]")
    assert overview.get_attribute("aria-label") == "1 translated, 1 fuzzy, 3 untranslated, of 5"
    widths = _widths(overview)
    assert widths["fuzzy"] == pytest.approx(widths["translated"], abs=1)
    assert widths["untranslated"] == pytest.approx(3 * widths["translated"], abs=2)
    ar = _widths(page.locator("section#lang-ar tr.article[data-article='a-short-note'] .article-progress"))
    assert ar["fuzzy"] == 0 and ar["untranslated"] == 0 and ar["translated"] > 100


def test_articles_link_to_their_catalogs_and_to_the_preview(page, project, tmp_path):
    # Before any preview is built: catalog links only.
    run_locflow(project, "check", "--format", "html", "--output", "reports/check.html", check_code=1)
    report = project / "reports" / "check.html"
    page.goto(report.as_uri())
    assert page.locator("a.preview").count() == 0
    link = page.locator("section#lang-hy tr.article[data-article='a-short-note'] a.catalog")
    assert link.inner_text() == "a-short-note"
    assert link.get_attribute("href") == "../locales/hy/LC_MESSAGES/a-short-note.po"
    assert (report.parent / link.get_attribute("href")).resolve() == po(project, "hy", "a-short-note").resolve()
    # An article with no catalog yet has nothing to link to.
    late = page.locator("section#lang-hy tr.article[data-article='a-late-note'] td.name")
    assert late.locator("a").count() == 0
    assert "(no catalog yet)" in late.inner_text()

    # With the preview built, each article also links to its page, in the row's language.
    run_locflow(project, "build", "--site", check_code=0)
    run_locflow(project, "check", "--format", "html", check_code=1)  # the default place: build/check-report.html
    report = project / "build" / "check-report.html"
    page.set_viewport_size({"width": 1200, "height": 900})
    page.goto(report.as_uri())
    page.screenshot(path=str(tmp_path / "dashboard-with-preview.png"), full_page=True)
    catalog = page.locator("section#lang-ar tr.article[data-article='a-short-note'] a.catalog")
    assert catalog.get_attribute("href") == "../locales/ar/LC_MESSAGES/a-short-note.po"
    preview = page.locator("section#lang-ar tr.article[data-article='a-short-note'] a.preview")
    assert preview.get_attribute("href") == "site/ar/a-short-note.html"
    preview.click()
    page.wait_for_url("**/site/ar/a-short-note.html")
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.lang") == "ar"
    assert page.locator("article h1").inner_text() == "ملاحظة قصيرة"
    page.screenshot(path=str(tmp_path / "preview-from-dashboard.png"), full_page=True)
