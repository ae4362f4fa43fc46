"""The static preview site: every article in every language, as a reader sees it.

``locflow build --site`` writes, under ``<build-dir>/site/``::

    index.html                 the languages
    <lang>/index.html          the articles, with their titles in <lang>
    <lang>/<slug>.html         the article in <lang>

Every page has ``lang`` and ``dir`` (``rtl`` for Arabic), a language switcher
and ``hreflang`` alternates. Untranslated strings fall back to the source text
marked with the source ``lang`` and ``dir``, a visible label and a note for
screen readers. Each format renders its own body
(``Format.body_html``); translations are never trusted as HTML: plain strings
are escaped by Jinja2's autoescape, Markdown is rendered by markdown-it-py with
raw HTML shown as text, and HTML articles keep only the inline tags their source
messages had (see formats/html.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polib
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from ..catalogs import catalog_path, read_catalog, statistics
from ..config import Settings
from ..document import Document, Lookup
from ..errors import LocflowError, SourceError
from ..formats import FORMATS_BY_NAME, Fallback, PreviewPage
from ..languages import Language, localize_date
from ..project import FileResult, load_documents, project_lock
from .build import TranslationLookup, write_if_changed

SITE_DIR = "site"


@dataclass(frozen=True)
class Page:
    """One article in one language, ready for the template."""

    slug: str
    title: str
    title_translated: bool
    body: Markup
    date: str | None
    percent: float | None


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("locflow", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@dataclass(frozen=True)
class SiteFile:
    """One page of the site, rendered and ready to write."""

    path: Path
    text: str
    language: str | None
    article: str | None


def render_site(settings: Settings, languages: tuple[Language, ...] | None = None) -> list[SiteFile]:
    """Every page of the site, rendered in memory: bad input fails here, before
    anything is written. Call it holding the project lock, as the build that
    publishes it does, so the pages show the catalogs the build used."""
    targets = languages or settings.languages
    site_languages = (settings.source_language, *targets)
    documents = load_documents(settings)
    for doc in documents:
        if doc.slug == "index":
            raise SourceError("an article named 'index' would take the place of the site's index page: rename it", doc.path)
    catalogs: dict[tuple[str, str], polib.POFile | None] = {}
    for doc in documents:
        for language in targets:
            path = catalog_path(settings.locales_dir, language.code, doc.slug)
            catalogs[(doc.slug, language.code)] = read_catalog(path) if path.exists() else None

    env = _environment()
    out = settings.build_dir / SITE_DIR
    source = settings.source_language
    fallback = fallback_mark(source)
    files: list[SiteFile] = []
    for language in site_languages:
        pages = []
        is_source = language.code == source.code
        for doc in documents:
            catalog = None if is_source else catalogs[(doc.slug, language.code)]
            lookup = TranslationLookup(language, catalog).lookup()
            percent = None if is_source else (statistics(catalog).percent if catalog is not None else 0.0)
            page = article_page(doc, lookup, language, None if is_source else fallback, percent)
            pages.append(page)
            html = env.get_template("article.html").render(
                page=page, language=language, source=source, languages=site_languages,
                filename=f"{doc.slug}.html", root="../",
            )
            files.append(SiteFile(out / language.code / f"{doc.slug}.html", html, language.code, doc.slug))
        index = env.get_template("index.html").render(
            pages=pages, language=language, source=source, languages=site_languages, filename="index.html", root="../",
            fallback=None if is_source else fallback,
        )
        files.append(SiteFile(out / language.code / "index.html", index, language.code, None))
    home = env.get_template("home.html").render(languages=site_languages, language=source, source=source, root="")
    files.append(SiteFile(out / "index.html", home, None, None))
    return files


def fallback_mark(source: Language) -> Fallback:
    """How a block left in the source language looks: its ``lang`` and ``dir``, a class
    the style sheet draws a dashed margin for, a small visible label naming the
    language (not colour alone) and, for screen readers, a note that it is not yet
    translated (the label itself is hidden from them: ``lang`` already switches the voice)."""
    label = Markup(
        '<span class="fallback-label" aria-hidden="true">{name}</span>'
        '<span class="visually-hidden" lang="en">(not yet translated) </span>'
    ).format(name=source.native_name)
    return Fallback({"lang": source.bcp47, "dir": source.direction, "class": "untranslated"}, label)


def _inside(path: Path, folder: Path) -> Path:
    """``path`` if it stays inside ``folder`` once symbolic links are resolved;
    otherwise an error (the preview never writes or deletes outside the build folder)."""
    resolved = path.resolve()
    if not resolved.is_relative_to(folder.resolve()):
        raise LocflowError(
            f"leads outside the build folder (to {resolved}) through a symbolic link; "
            "locflow writes and deletes only inside it: remove the link",
            path,
        )
    return path


def write_site(settings: Settings, files: list[SiteFile]) -> list[FileResult]:
    """Write the rendered pages (atomically, and only those that changed)."""
    from .. import files as file_ops

    results: list[FileResult] = []
    root = settings.build_dir / SITE_DIR
    with project_lock(settings):
        for file in files:
            _inside(file.path.parent, settings.build_dir)
        for file in files:
            results.append(write_if_changed(_inside(file.path, settings.build_dir), file.text, file.language, file.article))
        # A page of an article that is gone would stay reachable by its address: remove it.
        written = {file.path for file in files}
        for folder in sorted({file.path.parent for file in files if file.language is not None}):
            for page in sorted(folder.glob("*.html")):
                if page not in written and page.is_file() and not page.is_symlink():
                    file_ops.remove(_inside(page, root))
                    results.append(FileResult(page, "removed", folder.name, page.stem))
    return results


def article_page(doc: Document, lookup: Lookup, language: Language, fallback: Fallback | None, percent: float | None) -> Page:
    """The article's title, date and body in ``language``: the format renders the body,
    with source text (marked with ``fallback``) where a block is untranslated."""
    title_block = next((b for b in doc.blocks if b.kind == "title" and b.translatable), None)
    title_translation = lookup(title_block) if title_block else None
    title = title_translation or doc.title or doc.slug
    date = doc.meta.get("date")
    localized_date = (localize_date(date, language.code) or date) if date else None
    preview = PreviewPage(language=language, title=title, title_translated=bool(title_translation), fallback=fallback)
    body = FORMATS_BY_NAME[doc.format].body_html(doc, lookup, preview)
    return Page(doc.slug, title, bool(title_translation), body, localized_date, percent)
