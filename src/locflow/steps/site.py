"""The static preview site: every article in every language, as a reader sees it.

``locflow build --site`` writes, under ``<build-dir>/site/``::

    index.html                 the languages
    <lang>/index.html          the articles, with their titles in <lang>
    <lang>/<slug>.html         the article in <lang>
    media/<path>               the images articles show, copied from the source folder

Every page has ``lang`` and ``dir`` (``rtl`` for Arabic), a language switcher
and ``hreflang`` alternates. Untranslated strings fall back to the source text,
marked with the source ``lang`` and ``dir``, a visible label and a note for
screen readers. Each format renders its own body (``Format.body_html``);
translations are never trusted as HTML: plain strings are escaped by Jinja2's
autoescape, Markdown is rendered by markdown-it-py with raw HTML shown as text,
and HTML articles keep only the inline tags their source messages had (see
formats/html.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import polib
from babel.numbers import format_percent
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
MEDIA_DIR = "media"  # no language code is spelled so: a folder of its own next to the languages'
# What the preview copies for an <img>: pictures only, never an article's text or a
# stray file the source folder holds (an address like ../notes.txt stays as written).
IMAGE_SUFFIXES = frozenset(
    {".apng", ".avif", ".bmp", ".gif", ".ico", ".jpeg", ".jpg", ".jxl", ".png", ".svg", ".tif", ".tiff", ".webp"}
)


@dataclass(frozen=True)
class Page:
    """One article in one language, ready for the template."""

    slug: str
    title: str
    title_translated: bool
    body: Markup
    date: str | None
    percent: float | None
    percent_text: str | None = None  # ``percent`` written for the page's language (Babel): "43 %", "43%"


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
    """One file of the site, ready to write: a rendered page (``text``), or an image
    copied from ``source`` (a file inside the source folder)."""

    path: Path
    text: str
    language: str | None
    article: str | None
    source: Path | None = None


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
    media = Media(settings.source_dir, out / MEDIA_DIR)
    files: list[SiteFile] = []
    for language in site_languages:
        pages = []
        is_source = language.code == source.code
        for doc in documents:
            catalog = None if is_source else catalogs[(doc.slug, language.code)]
            lookup = TranslationLookup(language, catalog).lookup()
            percent = None if is_source else (statistics(catalog).percent if catalog is not None else 0.0)
            page = article_page(doc, lookup, language, None if is_source else fallback, percent, media.images_of(doc))
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
    files += [SiteFile(target, "", None, None, origin) for target, origin in sorted(media.copies.items())]
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


def percent_text(percent: float, language: Language) -> str:
    """A share as ``language`` writes a percentage (Babel): ``43%``, French ``43 %``.
    Rounded to a whole number, but never to 0 when something is translated nor to
    100 when something is not."""
    shown = round(percent)
    if 0 < percent < 100:
        shown = min(max(shown, 1), 99)
    return format_percent(shown / 100, locale=language.babel_locale)


class Media:
    """The images articles show, copied into the preview: an image's relative address
    is read from its article's folder, and the file is copied (once, whichever article
    and language shows it) to ``folder``, at its path inside the source folder."""

    def __init__(self, source_dir: Path, folder: Path):
        self.root = source_dir.resolve()
        self.folder = folder
        self.copies: dict[Path, Path] = {}  # the copy in the preview -> the file in the source folder

    def images_of(self, doc: Document) -> Callable[[str], str | None]:
        base = doc.path.parent

        def image(address: str) -> str | None:
            found = self.find(base, address)
            if found is None:
                return None
            path, fragment = found
            relative = path.relative_to(self.root)
            self.copies[self.folder.joinpath(*relative.parts)] = path
            href = f"../{self.folder.name}/" + quote(relative.as_posix())
            return f"{href}#{fragment}" if fragment else href

        return image

    def find(self, base: Path, address: str) -> tuple[Path, str] | None:
        """The image file a relative ``address`` names, seen from the folder ``base``
        (with the address's fragment), or None to leave the address as it is: an
        absolute URL, a path from the site's root, a file that does not exist, is
        not an image, is hidden, or lies outside the source folder (symbolic links
        are resolved first, so none is followed out of it)."""
        address = address.strip()
        try:
            parts = urlsplit(address)
        except ValueError:
            return None
        if not parts.path or parts.scheme or parts.netloc or address.startswith(("/", "\\")):
            return None
        try:
            path = (base / unquote(parts.path)).resolve()
        except (OSError, ValueError):  # a NUL byte, a loop of links
            return None
        if not path.is_relative_to(self.root) or path.suffix.lower() not in IMAGE_SUFFIXES:
            return None
        if any(part.startswith(".") for part in path.relative_to(self.root).parts):
            return None
        try:
            if not path.is_file() or not os.access(path, os.R_OK):
                return None
        except OSError:
            return None
        return path, parts.fragment

    def read(self, path: Path) -> bytes:
        """The bytes of a file :meth:`find` gave, checked again as it is read."""
        if not path.resolve().is_relative_to(self.root):
            raise LocflowError("an image of the preview has moved out of the source folder since the pages were made", path)
        try:
            return path.read_bytes()
        except OSError as exc:
            raise LocflowError(f"cannot read an image for the preview: {exc.strerror}", path) from None


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
    """Write the rendered pages and copy the images (atomically, and only those that changed)."""
    from .. import files as file_ops

    results: list[FileResult] = []
    root = settings.build_dir / SITE_DIR
    media = Media(settings.source_dir, root / MEDIA_DIR)
    with project_lock(settings):
        for file in files:
            _inside(file.path.parent, settings.build_dir)
        for file in files:
            data = media.read(file.source) if file.source is not None else file.text
            results.append(write_if_changed(_inside(file.path, settings.build_dir), data, file.language, file.article))
        # A page of an article that is gone would stay reachable by its address: remove it.
        written = {file.path for file in files}
        for folder in sorted({file.path.parent for file in files if file.language is not None}):
            for page in sorted(folder.glob("*.html")):
                if page not in written and page.is_file() and not page.is_symlink():
                    file_ops.remove(_inside(page, root))
                    results.append(FileResult(page, "removed", folder.name, page.stem))
        # So would an image no article shows any more (symbolic links are neither followed nor removed).
        if media.folder.is_dir() and not media.folder.is_symlink():
            _inside(media.folder, settings.build_dir)
            for folder, subfolders, names in os.walk(media.folder, topdown=False):
                here = Path(folder)
                for name in sorted(names):
                    path = here / name
                    if path not in written and path.is_file() and not path.is_symlink():
                        file_ops.remove(_inside(path, root))
                        results.append(FileResult(path, "removed"))
                if here != media.folder and not any(here.iterdir()):
                    here.rmdir()
    return results


def article_page(
    doc: Document,
    lookup: Lookup,
    language: Language,
    fallback: Fallback | None,
    percent: float | None,
    image: Callable[[str], str | None] | None = None,
) -> Page:
    """The article's title, date and body in ``language``: the format renders the body,
    with source text (marked with ``fallback``) where a block is untranslated."""
    title_block = next((b for b in doc.blocks if b.kind == "title" and b.translatable), None)
    title_translation = lookup(title_block) if title_block else None
    title = title_translation or doc.title or doc.slug
    date = doc.meta.get("date")
    localized_date = (localize_date(date, language.code) or date) if date else None
    images = {"image": image} if image is not None else {}
    preview = PreviewPage(language=language, title=title, title_translated=bool(title_translation), fallback=fallback, **images)
    body = FORMATS_BY_NAME[doc.format].body_html(doc, lookup, preview)
    shown = percent_text(percent, language) if percent is not None else None
    return Page(doc.slug, title, bool(title_translation), body, localized_date, percent, shown)
