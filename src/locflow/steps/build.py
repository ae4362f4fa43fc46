"""What site builds consume: compiled catalogs, JSON catalogs and localized articles.

For every article and language, under the build folder::

    locale/<lang>/LC_MESSAGES/<slug>.mo   compiled catalog (gettext, translated messages only)
    <lang>/<slug>.json                    the same messages as JSON (schema locflow.messages/1)
    <lang>/<slug>.<ext>                   the article re-rendered in <lang>
    manifest.json                         languages, articles and what was built (locflow.manifest/1)

Only translated, non-fuzzy messages are used; everything else falls back to
the source text. Files are written atomically and only when they change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import polib

from .. import files
from ..catalogs import Stats, catalog_path, compile_mo, is_translated, statistics
from ..config import Settings
from ..document import Block, Document
from ..errors import LocflowError
from ..languages import Language
from ..parallel import imap
from ..project import FileResult, article_slugs, project_lock, read_language_catalog, template_slugs, written_fingerprint
from ..state import StepState, fingerprint, settings_salt
from . import Failure, Output, StepFailed, failure, settle, stage_output

MESSAGES_SCHEMA = "locflow.messages/1"
MANIFEST_SCHEMA = "locflow.manifest/1"


@dataclass(frozen=True)
class TranslationLookup:
    """The translated messages of one catalog, looked up by block."""

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


def write_if_changed(path: Path, data: bytes | str, language: str | None = None, article: str | None = None) -> FileResult:
    """Write a file atomically unless it already holds ``data``; what was done to it."""
    existed = path.exists()
    if not files.write_if_changed(path, data):
        return FileResult(path, "unchanged", language, article)
    return FileResult(path, "updated" if existed else "created", language, article)


def _json_text(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def render_outputs(doc: Document, language: Language, catalog: polib.POFile | None, out: Path) -> tuple[list[tuple[Path, bytes]], dict]:
    """What one article in one language builds: (path, bytes) of each file, and its manifest entry."""
    from ..formats import render_article

    translations = TranslationLookup(language, catalog)
    article_path = out / language.code / f"{doc.slug}{doc.path.suffix}"
    json_path = out / language.code / f"{doc.slug}.json"
    mo_path = out / "locale" / language.code / "LC_MESSAGES" / f"{doc.slug}.mo"
    files = [
        (article_path, render_article(doc, translations.lookup(), language.code).encode("utf-8")),
        (json_path, _json_text(messages_json(catalog, language, doc.slug)).encode("utf-8")),
    ]
    if catalog is not None:
        files.append((mo_path, compile_mo(catalog)))
    stats = statistics(catalog) if catalog is not None else Stats(untranslated=len(doc.message_keys()))
    entry = {
        "article": _rel(article_path, out),
        "messages": _rel(json_path, out),
        "mo": _rel(mo_path, out) if catalog is not None else None,
        "translated": stats.translated,
        "total": stats.total,
        "percent": round(stats.percent, 2),
    }
    return files, entry


@dataclass(frozen=True)
class BuiltLanguage:
    """One article built in one language: its outputs and its manifest entry."""

    code: str
    catalog_fingerprint: str | None
    entry: dict
    outputs: list[Output]


@dataclass(frozen=True)
class Built:
    """One article built in some languages."""

    slug: str
    info: dict
    source_fingerprint: str | None
    languages: list[BuiltLanguage]
    failures: dict = field(default_factory=dict)  # language code -> LocflowError (its catalog)


def _build_article(task) -> Built | Failure:
    """Worker: parse one article, read its catalogs and stage every output that changed."""
    from ..formats import parse_article

    settings, path, slug, codes = task
    staged: list[Output] = []
    try:
        source_fp = fingerprint(path)
        doc = parse_article(path, settings)
        info = _manifest_article(doc, settings, {})
        per_language = []
        failures = {}
        for code in codes:
            language = settings.language(code)
            cpath = catalog_path(settings.locales_dir, code, slug)
            catalog, catalog_fp = None, None
            if cpath.exists():
                try:
                    catalog_fp, catalog, _ = read_language_catalog(cpath, language)
                except LocflowError as exc:  # this language only: the others are built
                    failures[code] = exc
                    continue
            made, entry = render_outputs(doc, language, catalog, settings.build_dir)
            outputs = []
            for target, payload in made:
                outputs.append(stage_output(target, payload))
                staged.append(outputs[-1])
            per_language.append(BuiltLanguage(code, catalog_fp, entry, outputs))
        return Built(slug, info, source_fp, per_language, failures)
    except (LocflowError, OSError) as exc:
        return failure(slug, exc, staged)


def _build_salt(settings: Settings, language: Language) -> str:
    text = settings.text
    return settings_salt(
        "build",
        language,
        [p.pattern for p in text.chrome],
        text.dateline.pattern if text.dateline else None,
        text.heading_max_length,
        settings.extra,
        # Where outputs go is part of what decides them: a changed build-dir rebuilds.
        files.display_path(settings.build_dir, settings.root),
        files.display_path(settings.locales_dir, settings.root),
    )


def build(settings: Settings, languages: tuple[Language, ...] | None = None) -> list[FileResult]:
    """Build every article in every language (all by default).

    An article in a language whose source, catalog and outputs are unchanged
    since they were built is skipped. Every other catalog is read (and so
    validated) and every output staged before any is put in place. A bad
    article or catalog keeps its last build (unpublishable in the manifest) and
    is named at the end (:class:`~locflow.steps.StepFailed`); the rest is
    built. What is read (catalogs, the publish gate) is read under the lock the
    build writes under.
    """
    from ..checks.gate import evaluate

    languages = languages or settings.languages
    articles = article_slugs(settings)
    out = settings.build_dir
    state = StepState(settings.cache_dir, "build", settings.root)
    salts = {language.code: _build_salt(settings, language) for language in languages}
    with project_lock(settings), files.StagedWrites() as writes:
        # Whether each article may be published in each language: `locflow check`'s gate
        # (completeness against the threshold, and no blocking findings).
        # A catalog check cannot read keeps everything unpublishable; its error is the
        # build's too (the worker that builds from it names it once).
        try:
            gate = evaluate(settings, languages) if template_slugs(settings) else None
        except LocflowError as exc:
            if getattr(exc, "machine", False):
                raise
            gate, gate_error = None, exc
        else:
            gate_error = None
        files.clean_staged(out)
        done: dict[tuple[str, str], tuple[dict, list[FileResult]]] = {}
        infos: dict[str, dict] = {}
        todo = []
        for path, slug in articles:
            stale = []
            for language in languages:
                record = state.fresh(f"{language.code}/{slug}", salts[language.code])
                payload = record.payload if record is not None else None
                if isinstance(payload, dict) and {"info", "entry", "outputs"} <= set(payload):
                    infos[slug] = payload["info"]
                    # The outputs are the last files of the record (after the source and the catalog).
                    names = list(record.files)[-payload["outputs"]:]
                    results = [FileResult(settings.root / name, "unchanged", language.code, slug) for name in names]
                    done[(slug, language.code)] = (payload["entry"], results)
                else:
                    stale.append(language.code)
            if stale:
                todo.append((settings, path, slug, stale))
        built, failures = settle(list(imap(_build_article, todo, label="build")), writes,
                                 lambda item: [output for lang in item.languages for output in lang.outputs])
        writes.commit()
        # What could not be built keeps its last build, listed as not publishable.
        previous = _previous_manifest(out)
        errors = [item.error for item in failures]
        failed = {(item.unit, code) for item in failures for code in codes_of(todo, item.unit)}
        for item in built:
            for code, error in item.failures.items():
                errors.append(error)
                failed.add((item.slug, code))
        for slug, code in failed:
            old = previous.get(slug, {})
            entry = old.get("translations", {}).get(code)
            if entry is not None and "info" in old:
                infos.setdefault(slug, old["info"])
                done[(slug, code)] = ({**entry, "publishable": False}, [])
        for item in built:
            infos[item.slug] = item.info
            source = str(settings.source_dir / item.info["file"])
            for lang in item.languages:
                fingerprints = {source: item.source_fingerprint, str(catalog_path(settings.locales_dir, lang.code, item.slug)): lang.catalog_fingerprint}
                for output in lang.outputs:
                    fingerprints[str(output.target)] = written_fingerprint(output.target, output.digest)
                done[(item.slug, lang.code)] = (lang.entry, [FileResult(output.target, output.status, lang.code, item.slug) for output in lang.outputs])
                payload = {"info": item.info, "entry": lang.entry, "outputs": len(lang.outputs)}
                state.put(f"{lang.code}/{item.slug}", salts[lang.code], fingerprints, payload)

        results: list[FileResult] = []
        manifest_articles = []
        for _, slug in articles:
            if slug not in infos:
                continue  # never built, and not buildable now
            outputs = {}
            for language in languages:
                if (slug, language.code) not in done:
                    continue
                entry, made = done[(slug, language.code)]
                results.extend(made)
                publishable = gate.publishable(slug, language.code) if gate and (slug, language.code) not in failed else False
                outputs[language.code] = {**entry, "publishable": publishable}
            # `build -l ru` adds Russian to the site: the other languages stay as last built.
            for code, entry in previous.get(slug, {}).get("translations", {}).items():
                if _still_built(settings, code):
                    outputs.setdefault(code, entry)
            manifest_articles.append({**{k: v for k, v in infos[slug].items() if k != "file"}, "translations": outputs})
        manifest = {
            "schema": MANIFEST_SCHEMA,
            "source_language": settings.source_language.code,
            "languages": _manifest_languages(settings, languages, previous_languages(out)),
            "articles": manifest_articles,
        }
        made = {key: entry for key, (entry, _) in done.items()}
        results.extend(_remove_stale_outputs(out, {slug for _, slug in articles}, {language.code for language in languages}, made))
        results.append(write_if_changed(out / "manifest.json", _json_text(manifest)))
        state.save()
    if gate_error is not None and str(gate_error) not in {str(error) for error in errors}:
        errors.append(gate_error)
    if errors:
        raise StepFailed(errors, results)
    return results


def _language_entry(language: Language) -> dict:
    return {
        "code": language.code,
        "tag": language.bcp47,
        "name": language.english_name,
        "native_name": language.native_name,
        "direction": language.direction,
        "plural_forms": language.plural_forms,
    }


def _manifest_languages(settings: Settings, built: tuple[Language, ...], previous: list[dict]) -> list[dict]:
    """The languages built now and those built before, in the settings' order
    (others, such as pseudo-locales, after)."""
    entries = {
        entry["code"]: entry for entry in previous
        if isinstance(entry, dict) and isinstance(entry.get("code"), str) and _still_built(settings, entry["code"])
    }
    entries.update({language.code: _language_entry(language) for language in built})
    order = [language.code for language in settings.languages]
    return sorted(entries.values(), key=lambda entry: (order.index(entry["code"]) if entry["code"] in order else len(order), entry["code"]))


def _still_built(settings: Settings, code: str) -> bool:
    """Whether a language of an earlier build still belongs in the manifest: one
    of the site's languages, or a pseudo-locale (built on purpose with -l)."""
    from ..languages import is_pseudo

    return is_pseudo(code) or code in {language.code for language in settings.languages}


def previous_languages(out: Path) -> list[dict]:
    try:
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(manifest, dict) or manifest.get("schema") != MANIFEST_SCHEMA:
        return []
    languages = manifest.get("languages")
    return languages if isinstance(languages, list) else []


def codes_of(todo: list, slug: str) -> list[str]:
    """The languages a unit of work was to build."""
    return next((codes for _, _, unit, codes in todo if unit == slug), [])


def _previous_manifest(out: Path) -> dict[str, dict]:
    """The last build's manifest entries, by article (with its ``info``), if it is ours."""
    try:
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(manifest, dict) or manifest.get("schema") != MANIFEST_SCHEMA:
        return {}
    found = {}
    for article in manifest.get("articles", []):
        if isinstance(article, dict) and isinstance(article.get("slug"), str):
            info = {key: value for key, value in article.items() if key != "translations"}
            found[article["slug"]] = {"info": {**info, "file": Path(article.get("source", "")).name}, "translations": article.get("translations") or {}}
    return found


def _remove_stale_outputs(
    out: Path, current: set[str], codes: set[str], made: dict[tuple[str, str], dict]
) -> list[FileResult]:
    """Delete what the last build wrote for articles that are gone from the source folder
    (or, for the languages just built, files this build no longer makes, as after an
    article changed format), so a site build never publishes what its authors removed.
    The previous manifest says which files those were, ``made`` (this build's manifest
    entries by article and language) which are still made; only files inside the build
    folder are touched."""
    try:
        previous = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        articles = previous["articles"] if previous.get("schema") == MANIFEST_SCHEMA else []
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return []  # no manifest, or not ours: nothing is known to be stale
    removed: list[FileResult] = []
    root = out.resolve()
    for article in articles if isinstance(articles, list) else []:
        slug = article.get("slug") if isinstance(article, dict) else None
        if not isinstance(slug, str):
            continue
        translations = article.get("translations")
        for code, entry in (translations.items() if isinstance(translations, dict) else []):
            if slug in current and code not in codes:
                continue  # not built this time: its files are still the last build's
            now = made.get((slug, code), {})
            for key in ("article", "messages", "mo"):
                name = entry.get(key) if isinstance(entry, dict) else None
                if not isinstance(name, str) or now.get(key) == name:
                    continue
                path = out / name
                resolved = path.resolve()
                if resolved.is_relative_to(root) and resolved != root and path.is_file():
                    files.remove(path)
                    removed.append(FileResult(path, "removed", code, slug))
    return removed


def _manifest_article(doc: Document, settings: Settings, outputs: dict) -> dict:
    return {
        "file": doc.path.name,
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
