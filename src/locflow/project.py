"""A project's files: its articles, templates and catalogs, found and read.

Every step starts here: :func:`article_slugs` lists the articles (names
checked before any work starts), :func:`template_slugs` the templates, and
:func:`read_language_catalog` reads a language's catalog holding it to what
build needs (``msgfmt --check``'s structure, the folder's language and its
number of plural forms). Reading never writes; writing is in
:mod:`locflow.steps`, through :mod:`locflow.files`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import polib

from . import files, po
from .catalogs import catalog_path, parse_catalog, read_catalog, template_path
from .config import Settings
from .document import Document
from .errors import CatalogError, LanguageError, LocflowError, SourceError
from .languages import Language, get_language
from .po.check import _header_line, check_catalog
from .state import digest, fingerprint_of, make_fingerprint, read_fingerprinted

__all__ = [
    "FileResult", "project_lock", "load_documents", "article_slugs", "template_slugs", "load_templates",
    "read_fingerprinted", "fingerprint_of", "written_fingerprint", "digest", "check_language",
    "read_language_catalog", "read_template", "check_nplurals", "catalog_path", "template_path",
]


@dataclass(frozen=True)
class FileResult:
    """What a step did to one file: ``created``, ``updated``, ``unchanged`` or ``removed``."""

    path: Path
    status: str
    language: str | None = None
    article: str | None = None
    note: str | None = None  # what a user should know about it ("the article has no text ...")

    def as_dict(self, root: Path) -> dict[str, str | None]:
        data = {"file": files.display_path(self.path, root), "status": self.status, "language": self.language, "article": self.article}
        if self.note:
            data["note"] = self.note
        return data


def project_lock(settings: Settings, timeout: float | None = None):
    """Hold the project's write lock (see :func:`locflow.files.project_lock`)."""
    return files.project_lock(settings.cache_dir, timeout)


# ---------------------------------------------------------------------------
# Articles
# ---------------------------------------------------------------------------


def load_documents(settings: Settings) -> list[Document]:
    """Parse every article in the source folder."""
    from .formats import parse_article

    return [parse_article(path, settings) for path, _ in article_slugs(settings)]


def article_slugs(settings: Settings) -> list[tuple[Path, str]]:
    """(path, slug) of every article, names checked before any work starts (see :func:`locflow.formats.discover`)."""
    from .formats import discover

    return discover(settings).articles


# ---------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------

# An article's slug is its gettext domain and names its catalogs and outputs.
SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,199}$")


def template_slugs(settings: Settings) -> list[str]:
    """The domains that have a template, sorted (names checked)."""
    folder = settings.templates_dir
    if not folder.is_dir():
        return []
    slugs = sorted(path.stem for path in folder.glob("*.pot"))
    for slug in slugs:
        if not SLUG_PATTERN.match(slug):
            raise SourceError(f"template name {slug!r} is not an article slug; remove the file", folder / f"{slug}.pot")
    return slugs


def read_template(path: Path) -> polib.POFile:
    """A template, held to msgfmt --check's structure (an empty file is an error)."""
    template = read_catalog(path)
    check_catalog(template, path, template=True)
    return template


def load_templates(settings: Settings) -> dict[str, polib.POFile]:
    """Every template, by slug; an error if there are none."""
    slugs = template_slugs(settings)
    if not slugs:
        raise LocflowError("no templates found: run `locflow extract` first", settings.templates_dir)
    return {slug: read_template(template_path(settings.locales_dir, slug)) for slug in slugs}


# ---------------------------------------------------------------------------
# Reading with fingerprints
# ---------------------------------------------------------------------------


def written_fingerprint(path: Path, data_digest: str) -> str:
    return make_fingerprint(path.stat(), data_digest)


# ---------------------------------------------------------------------------
# Language catalogs
# ---------------------------------------------------------------------------

_LANGUAGE_HEADER = re.compile(rb'^"Language:[ \t]*([^"\\]*?)[ \t]*\\n"', re.MULTILINE)


def check_language(data: bytes, language: Language, path: Path) -> None:
    """A catalog's ``Language`` header must name the language of its folder (or be
    empty); a variant of it (``ru_RU`` in ``ru``, as Poedit may write) is the same."""
    match = _LANGUAGE_HEADER.search(data, 0, data.find(b"\n\n") if b"\n\n" in data else len(data))
    if not match or not match.group(1).strip():
        return
    declared = match.group(1).decode("utf-8", "replace")
    line = data[: match.start()].count(b"\n") + 1
    try:
        code = get_language(declared).code
    except LanguageError as exc:
        raise CatalogError(f"Language header: {exc.message}", path, line) from None
    if code != language.code and code.split("_")[0] != language.code:
        raise CatalogError(
            f"Language header says {declared!r}, but the catalog is in the folder of {language.code!r}; "
            "move it to the right folder or fix the header",
            path,
            line,
        )


def check_nplurals(count: int | None, language: Language, path: Path) -> None:
    """A catalog's ``nplurals`` must be its language's: compiled, another count
    would pick the wrong form for some numbers."""
    if count is not None and count != language.nplurals and not language.pseudo:
        raise CatalogError(
            f"Plural-Forms says nplurals={count}, but {language.english_name} has {language.nplurals} "
            f"({language.plural_forms}); fix the header, or set [tool.locflow.plural-forms] if the site wants this rule",
            path,
            _header_line(str(path), "Plural-Forms"),
        )


def read_language_catalog(path: Path, language: Language) -> tuple[str, polib.POFile, bytes]:
    """Read a language's catalog: its fingerprint, the parsed catalog and its bytes.

    Refused (with file and line): what msgfmt --check refuses (no header, bad
    Plural-Forms, EOT, NUL), another language's catalog, and a Plural-Forms
    with another number of forms than the language has."""
    fp, data = read_fingerprinted(path)
    catalog = parse_catalog(data, path)
    check_language(data.replace(b"\r\n", b"\n"), language, path)
    po.validate(catalog, path)
    check_nplurals(po.nplurals(catalog), language, path)
    return fp, catalog, data
