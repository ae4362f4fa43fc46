"""Article formats: one module per format, chosen by file suffix.

A format module provides ``parse(text, path, slug, settings) -> Document`` and
``render(document, lookup, language) -> str``. Registering a suffix here is all
it takes for extract, update and build to handle a new kind of article.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from types import ModuleType

from ..config import Settings
from ..document import Document, Lookup
from ..errors import SourceError
from . import html, markdown, text

FORMATS: dict[str, ModuleType] = {
    ".txt": text,
    ".md": markdown,
    ".markdown": markdown,
    ".html": html,
    ".htm": html,
}

SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,199}$")


def slugify(title: str) -> str:
    """A URL- and gettext-domain-safe slug from an article title."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    ascii_title = re.sub(r"['\u2019]", "", ascii_title.lower())
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title).strip("-")
    return slug[:120].rstrip("-") or "article"


def format_for(path: Path) -> ModuleType:
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise SourceError(f"unsupported article format {path.suffix!r} (supported: {known})", path) from None


def discover_articles(settings: Settings) -> list[Path]:
    """Every article in the source folder, sorted by name."""
    folder = settings.source_dir
    if not folder.is_dir():
        raise SourceError("source folder not found", folder)
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in FORMATS and not p.name.startswith("."))


def slug_of(path: Path) -> str:
    """The article's slug (its file name without suffix), which is also its gettext domain."""
    slug = path.stem
    if not SLUG_PATTERN.match(slug):
        raise SourceError(
            f"article name {slug!r} is not a valid slug (lowercase letters, digits, '-' and '_'; "
            "it names the catalog files)",
            path,
        )
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
    return module.parse(read_source(path), path, slug_of(path), settings)


def render_article(document: Document, lookup: Lookup, language: str) -> str:
    """Render a document in ``language`` with the format it was read from."""
    return FORMATS_BY_NAME[document.format].render(document, lookup, language)


FORMATS_BY_NAME: dict[str, ModuleType] = {module.NAME: module for module in FORMATS.values()}
