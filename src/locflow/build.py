"""What site builds consume: compiled catalogs, JSON catalogs and localized articles.

For every article and language, under the build folder::

    locale/<lang>/LC_MESSAGES/<slug>.mo   compiled catalog (gettext, translated messages only)
    <lang>/<slug>.json                    the same messages as JSON (schema locflow.messages/1)
    <lang>/<slug>.<ext>                   the article re-rendered in <lang>
    manifest.json                         languages, articles and what was built (locflow.manifest/1),
                                          with ``publishable`` per article and language: check's gate

Only translated, non-fuzzy messages are used; everything else falls back to
the source text. Files are written atomically and only when they change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import polib

from .catalogs import Stats, catalog_path, compile_mo, is_translated, read_catalog, statistics, write_atomic
from .config import Settings
from .document import Block, Document
from .formats import render_article
from .languages import Language
from .checks.gate import evaluate
from .pipeline import FileResult, load_documents, project_lock, template_slugs

MESSAGES_SCHEMA = "locflow.messages/1"
MANIFEST_SCHEMA = "locflow.manifest/1"


@dataclass(frozen=True)
class Translations:
    """The translated messages of one catalog, ready for lookups."""

    language: Language
    catalog: polib.POFile | None

    def lookup_table(self) -> dict[tuple[str | None, str], str]:
        if self.catalog is None:
            return {}
        return {
            (entry.msgctxt, entry.msgid): entry.msgstr
            for entry in self.catalog
            if not entry.msgid_plural and is_translated(entry) and entry.msgid
        }

    def lookup(self):
        table = self.lookup_table()

        def find(block: Block) -> str | None:
            return table.get((block.context, block.msgid))

        return find


def messages_json(catalog: polib.POFile | None, language: Language, domain: str) -> dict:
    """A catalog's translated messages as JSON: ``msgctxt\\u0004msgid`` keys, as gettext's .mo."""
    messages: dict[str, str | list[str]] = {}
    for entry in catalog or []:
        if not entry.msgid or not is_translated(entry):
            continue
        key = f"{entry.msgctxt}\u0004{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            messages[key] = [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
        else:
            messages[key] = entry.msgstr
    return {
        "schema": MESSAGES_SCHEMA,
        "domain": domain,
        "language": language.code,
        "direction": language.direction,
        "plural_forms": (catalog.metadata.get("Plural-Forms") if catalog else None) or language.plural_forms,
        "messages": messages,
    }


def _write_if_changed(path: Path, data: bytes | str, results: list[FileResult], language: str | None, article: str | None) -> None:
    payload = data.encode("utf-8") if isinstance(data, str) else data
    existed = path.exists()
    if existed and path.read_bytes() == payload:
        results.append(FileResult(path, "unchanged", language, article))
        return
    write_atomic(path, payload)
    results.append(FileResult(path, "updated" if existed else "created", language, article))


def _json_text(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def build(settings: Settings, languages: tuple[Language, ...] | None = None) -> list[FileResult]:
    """Build every article in every language (all by default)."""
    languages = languages or settings.languages
    documents = load_documents(settings)
    # Read (and so validate) every catalog before writing anything.
    catalogs: dict[tuple[str, str], polib.POFile | None] = {}
    for doc in documents:
        for language in languages:
            path = catalog_path(settings.locales_dir, language.code, doc.slug)
            catalogs[(doc.slug, language.code)] = read_catalog(path) if path.exists() else None

    # Whether each article may be published in each language: `locflow check`'s gate
    # (completeness against the threshold, and no blocking findings).
    gate = evaluate(settings, languages) if template_slugs(settings) else None

    results: list[FileResult] = []
    manifest_articles = []
    out = settings.build_dir
    with project_lock(settings):
        for doc in documents:
            outputs = {}
            for language in languages:
                catalog = catalogs[(doc.slug, language.code)]
                translations = Translations(language, catalog)
                article_path = out / language.code / f"{doc.slug}{doc.path.suffix}"
                _write_if_changed(article_path, render_article(doc, translations.lookup(), language.code), results, language.code, doc.slug)
                json_path = out / language.code / f"{doc.slug}.json"
                _write_if_changed(json_path, _json_text(messages_json(catalog, language, doc.slug)), results, language.code, doc.slug)
                mo_path = out / "locale" / language.code / "LC_MESSAGES" / f"{doc.slug}.mo"
                if catalog is not None:
                    _write_if_changed(mo_path, compile_mo(catalog), results, language.code, doc.slug)
                stats = statistics(catalog) if catalog is not None else Stats(untranslated=len(doc.message_keys()))
                outputs[language.code] = {
                    "article": _rel(article_path, out),
                    "messages": _rel(json_path, out),
                    "mo": _rel(mo_path, out) if catalog is not None else None,
                    "translated": stats.translated,
                    "total": stats.total,
                    "percent": round(stats.percent, 2),
                    "publishable": gate.publishable(doc.slug, language.code) if gate else False,
                }
            manifest_articles.append(_manifest_article(doc, settings, outputs))
        manifest = {
            "schema": MANIFEST_SCHEMA,
            "source_language": settings.source_language.code,
            "languages": [
                {
                    "code": language.code,
                    "tag": language.bcp47,
                    "name": language.english_name,
                    "native_name": language.native_name,
                    "direction": language.direction,
                    "plural_forms": language.plural_forms,
                }
                for language in languages
            ],
            "articles": manifest_articles,
        }
        _write_if_changed(out / "manifest.json", _json_text(manifest), results, None, None)
    return results


def _manifest_article(doc: Document, settings: Settings, outputs: dict) -> dict:
    return {
        "slug": doc.slug,
        "title": doc.title,
        "format": doc.format,
        "source": _rel(doc.path, settings.root),
        "translations": outputs,
    }


def _rel(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return str(path)
