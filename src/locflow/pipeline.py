"""The steps that write templates and catalogs: extract and update.

Each step works on every article of the project, returns what it did to which
file, and holds the project lock while it writes, so two runs never write the
same catalogs at once.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polib
from filelock import FileLock, Timeout

from .catalogs import (
    build_template,
    catalog_path,
    merge_catalog,
    read_catalog,
    save_catalog,
    save_template,
    template_path,
)
from .config import Settings
from .document import Document
from .errors import LocflowError
from .formats import discover_articles, parse_article, slug_of
from .languages import Language

LOCK_TIMEOUT = 10.0


@dataclass(frozen=True)
class FileResult:
    """What a step did to one file: ``created``, ``updated`` or ``unchanged``."""

    path: Path
    status: str
    language: str | None = None
    article: str | None = None

    def as_dict(self, root: Path) -> dict[str, str | None]:
        return {"file": _display(self.path, root), "status": self.status, "language": self.language, "article": self.article}


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


@contextlib.contextmanager
def project_lock(settings: Settings, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the project's write lock (a file in the cache folder)."""
    settings.cache_dir.mkdir(parents=True, exist_ok=True)
    lock_path = settings.cache_dir / "locflow.lock"
    lock = FileLock(str(lock_path))
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise LocflowError(
            f"another locflow run is writing this project's catalogs (lock held for {timeout:.0f} s); "
            "wait for it to finish",
            lock_path,
        ) from None
    try:
        yield
    finally:
        lock.release()


def load_documents(settings: Settings) -> list[Document]:
    """Parse every article in the source folder."""
    return [parse_article(path, settings) for path in discover_articles(settings)]


def extract(settings: Settings) -> list[FileResult]:
    """Write ``locales/templates/<slug>.pot`` for every article."""
    documents = load_documents(settings)
    results = []
    with project_lock(settings):
        for doc in documents:
            pot = build_template([doc], doc.slug, settings.root)
            path = template_path(settings.locales_dir, doc.slug)
            existed = path.exists()
            written = save_template(pot, path)
            results.append(FileResult(path, _status(existed, written), article=doc.slug))
    return results


def template_slugs(settings: Settings) -> list[str]:
    """The domains that have a template, sorted."""
    folder = settings.templates_dir
    if not folder.is_dir():
        return []
    return sorted(path.stem for path in folder.glob("*.pot"))


def load_templates(settings: Settings) -> dict[str, polib.POFile]:
    """Every template, by slug; an error if there are none."""
    slugs = template_slugs(settings)
    if not slugs:
        raise LocflowError("no templates found: run `locflow extract` first", settings.templates_dir)
    for slug in slugs:
        slug_of(Path(slug + ".pot"))  # reject names that are not slugs
    return {slug: read_catalog(template_path(settings.locales_dir, slug)) for slug in slugs}


def update(settings: Settings, languages: tuple[Language, ...] | None = None) -> list[FileResult]:
    """Create or merge ``locales/<lang>/LC_MESSAGES/<slug>.po`` from every template.

    Every existing catalog is read (and so validated) before anything is
    written: a malformed catalog stops the run with nothing modified.
    """
    languages = languages or settings.languages
    templates = load_templates(settings)
    with project_lock(settings):
        plans = []
        for slug, template in templates.items():
            for language in languages:
                path = catalog_path(settings.locales_dir, language.code, slug)
                existing = read_catalog(path) if path.exists() else None
                plans.append((slug, template, language, path, existing))
        results = []
        for slug, template, language, path, existing in plans:
            merged = merge_catalog(template, existing, language, slug)
            written = save_catalog(merged, path)
            results.append(FileResult(path, _status(existing is not None, written), language.code, slug))
    return results


def _status(existed: bool, written: bool) -> str:
    if not written:
        return "unchanged"
    return "updated" if existed else "created"
