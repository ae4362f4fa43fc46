"""Article formats: one module per format, chosen by file suffix.

A format module is a :class:`Format`: ``parse(text, path, slug, settings) ->
Document``, ``render(document, lookup, language) -> str`` and, for the preview
site, ``body_html(document, lookup, page) -> Markup``. Registering a suffix here
is all it takes for extract, update, build and the preview to handle a new kind
of article.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from markupsafe import Markup

from ..config import Settings
from ..document import Document, Lookup
from ..errors import SourceError
from ..languages import Language
from ..project import SLUG_PATTERN
from . import html, markdown, text


@dataclass(frozen=True)
class Fallback:
    """How the preview marks a block left in the source language: ``attributes`` for
    its element (``lang``, ``dir``, ``class``) and ``label``, put first inside it
    (a visible mark and a note for screen readers)."""

    attributes: dict[str, str]
    label: Markup


def _keep(src: str) -> str | None:
    return None


@dataclass(frozen=True)
class PreviewPage:
    """What a format needs to show an article's body on a page of the preview site."""

    language: Language
    title: str  # the article's title in ``language`` (or the source's), for a body that has no heading of its own
    title_translated: bool
    fallback: Fallback | None = None  # None on the source language's pages: nothing is marked
    image: Callable[[str], str | None] = _keep  # an image's address on the page, None to keep it as written


class Format(Protocol):
    """What a format module provides (each module of this package is one)."""

    NAME: str

    def parse(self, text: str, path: Path, slug: str, settings: Settings) -> Document: ...

    def render(self, document: Document, lookup: Lookup, language: str) -> str: ...

    def body_html(self, document: Document, lookup: Lookup, page: PreviewPage) -> Markup:
        """The article's body as HTML for ``page``: translations put in (never trusted as
        HTML), blocks left in the source language marked with ``page.fallback``, and
        image addresses passed through ``page.image``."""
        ...

FORMATS: dict[str, Format] = {
    ".txt": text,
    ".md": markdown,
    ".markdown": markdown,
    ".mdx": markdown,
    ".html": html,
    ".htm": html,
}

_PART = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
# Names Windows cannot use for files (translators and site builds run there too).
RESERVED_NAMES = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
# A page bundle's article (Hugo: posts/walk/index.md, a section's _index.md) takes its folder's name.
BUNDLE_STEMS = ("index", "_index")


@dataclass(frozen=True)
class Skipped:
    """A file (or folder) in the source folder that is not an article, and why."""

    path: Path
    reason: str


@dataclass
class Discovery:
    """What the source folder holds: the articles with their slugs, and what was skipped."""

    articles: list[tuple[Path, str]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def slugify(title: str) -> str:
    """A URL- and gettext-domain-safe slug from an article title."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    ascii_title = re.sub(r"['\u2019]", "", ascii_title.lower())
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title).strip("-")
    return slug[:120].rstrip("-") or "article"


def format_for(path: Path) -> Format:
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise SourceError(f"unsupported article format {path.suffix!r} (supported: {known})", path) from None


def discover(settings: Settings) -> Discovery:
    """Every article under the source folder (sub-folders too) with its slug, and every file skipped.

    Names are checked before any work starts: a name that is not a slug, a
    Windows device name, two articles with one slug (naming both) and symbolic
    links that leave the source folder (or point nowhere) are errors.
    """
    folder = settings.source_dir
    if not folder.is_dir():
        raise SourceError("source folder not found", folder)
    root = folder.resolve()
    found = Discovery()
    seen: dict[str, Path] = {}
    known = ", ".join(sorted(FORMATS))
    for dirpath, dirnames, filenames in os.walk(folder):
        here = Path(dirpath)
        for name in sorted(dirnames):
            path = here / name
            if name.startswith("."):
                found.skipped.append(Skipped(path, "hidden folder, not read"))
                dirnames.remove(name)
            elif path.is_symlink():  # os.walk does not follow it: say so
                found.skipped.append(Skipped(path, "symbolic link to a folder, not followed"))
        dirnames.sort()
        for name in sorted(filenames):
            path = here / name
            article_suffix = path.suffix.lower() in FORMATS
            if path.is_symlink() and article_suffix:
                _check_link(path, root)
            if name.startswith("."):
                found.skipped.append(Skipped(path, "hidden file"))
            elif not article_suffix:
                what = f"{path.suffix} files are" if path.suffix else "a file with no suffix is"
                found.skipped.append(Skipped(path, f"not an article: {what} not read (articles: {known})"))
            elif not path.is_file():
                found.skipped.append(Skipped(path, "not a regular file"))
            else:
                slug = slug_of(path, folder)
                if slug in seen:
                    raise SourceError(
                        f"two articles have the slug {slug!r}: {_relative(seen[slug], folder)} and "
                        f"{_relative(path, folder)}; rename one",
                        path,
                    )
                seen[slug] = path
                found.articles.append((path, slug))
    return found


def _relative(path: Path, folder: Path) -> str:
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return path.name


def _check_link(path: Path, root: Path) -> None:
    target = path.resolve()
    if not target.is_file():
        raise SourceError(f"is a symbolic link to {os.readlink(path)!r}, which is not a file", path)
    if not target.is_relative_to(root):
        raise SourceError(
            f"is a symbolic link to {os.readlink(path)!r}, outside the source folder; copy the article in instead", path
        )


def discover_articles(settings: Settings) -> list[Path]:
    """Every article under the source folder, in the order of their paths."""
    return [path for path, _ in discover(settings).articles]


def slug_of(path: Path, source_dir: Path | None = None) -> str:
    """The article's slug, which is also its gettext domain.

    An article directly in the source folder is named by its file name without
    suffix (``tea.md`` → ``tea``). In a sub-folder, the folders come first,
    joined by ``-`` (``2024/tea.md`` → ``2024-tea``), and a page bundle's
    ``index`` or ``_index`` takes its folder's name (``posts/walk/index.md`` →
    ``posts-walk``). Every part must be lowercase letters, digits, ``-`` and
    ``_``, starting with a letter or digit.
    """
    parts = [path.stem]
    if source_dir is not None:
        try:
            parts = list(path.relative_to(source_dir).with_suffix("").parts)
        except ValueError:
            pass
    if len(parts) > 1 and parts[-1] in BUNDLE_STEMS:
        parts.pop()
    elif parts == ["_index"]:
        parts = ["index"]
    slug = "-".join(parts)
    if not all(_PART.match(part) for part in parts) or not SLUG_PATTERN.match(slug):
        raise SourceError(
            f"article name {'/'.join(parts)!r} is not a valid slug (lowercase letters, digits, '-' and '_'; "
            "it names the catalog files)",
            path,
        )
    if slug.split(".")[0].lower() in RESERVED_NAMES:
        raise SourceError(f"article name {slug!r} is a reserved device name on Windows; rename the article", path)
    return slug


def read_source(path: Path) -> str:
    """An article's text: UTF-8 (a BOM is allowed and dropped), line endings kept."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror}", path) from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(f"not valid UTF-8 (byte {data[exc.start]:#04x})", path, line) from None
    # NUL (binary data; it also separates a message's parts in .mo files) and EOT
    # (gettext's context separator) cannot be in a message msgfmt accepts.
    for char, name in (("\x00", "a NUL byte"), ("\x04", "the control character U+0004 (EOT)")):
        if char in text:
            line = text[: text.index(char)].count("\n") + 1
            raise SourceError(f"contains {name}: articles must be text", path, line)
    return text


def parse_article(path: Path, settings: Settings) -> Document:
    """Parse one article into a :class:`Document`."""
    module = format_for(path)
    return module.parse(read_source(path), path, slug_of(path, settings.source_dir), settings)


def render_article(document: Document, lookup: Lookup, language: str) -> str:
    """Render a document in ``language`` with the format it was read from."""
    return FORMATS_BY_NAME[document.format].render(document, lookup, language)


FORMATS_BY_NAME: dict[str, Format] = {module.NAME: module for module in FORMATS.values()}
