"""The steps that write templates and catalogs: extract and update.

Each step works on every article of the project, returns what it did to which
file, and holds the project lock while it writes, so two runs never write the
same catalogs at once.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

import polib

from .catalogs import (
    FUZZY_THRESHOLD,
    Stats,
    build_template,
    catalog_path,
    catalog_statistics,
    commit,
    discard,
    merge_catalog,
    parse_catalog,
    read_catalog,
    serialize,
    stage,
    sync_staged,
    template_bytes,
    template_path,
)
from . import files
from .files import clean_staged
from .config import Settings
from .document import Document
from .errors import CatalogError, LanguageError, LocflowError, SourceError
from .formats import discover, discover_articles, parse_article, slug_of
from .languages import Language, get_language
from .parallel import imap
from .state import StepState, fingerprint, make_fingerprint, settings_salt



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


def project_lock(settings: Settings, timeout: float | None = None):
    """Hold the project's write lock (see :func:`locflow.files.project_lock`)."""
    return files.project_lock(settings.cache_dir, timeout)


def load_documents(settings: Settings) -> list[Document]:
    """Parse every article in the source folder."""
    return [parse_article(path, settings) for path in discover_articles(settings)]


def article_slugs(settings: Settings) -> list[tuple[Path, str]]:
    """(path, slug) of every article, names checked before any work starts (see formats.discover)."""
    return discover(settings).articles


def read_fingerprinted(path: Path) -> tuple[str, bytes]:
    """A file's bytes and the fingerprint of exactly those bytes (stat taken first)."""
    try:
        st = path.stat()
        data = path.read_bytes()
    except FileNotFoundError:
        raise CatalogError("file not found", path) from None
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror}", path) from None
    return fingerprint_of(st, data), data


def fingerprint_of(st: os.stat_result, data: bytes) -> str:
    return make_fingerprint(st, _digest(data))


def _written_fingerprint(path: Path, digest: str) -> str:
    return make_fingerprint(path.stat(), digest)


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _extract_salt(settings: Settings) -> str:
    text = settings.text
    return settings_salt(
        "extract",
        [p.pattern for p in text.chrome],
        text.dateline.pattern if text.dateline else None,
        text.heading_max_length,
        settings.extra,
    )


def _extract_one(task: tuple[Settings, Path, str]):
    """Worker: parse one article and stage its template. Returns (slug, path,
    source fingerprint, status, staged file or None, digest) or (slug, error)."""
    settings, path, slug = task
    try:
        source_fp = fingerprint(path)
        if source_fp is None:
            raise SourceError("file not found", path)
        doc = parse_article(path, settings)
        pot = build_template([doc], slug, settings.root)
        target = template_path(settings.locales_dir, slug)
        previous = target.read_bytes() if target.exists() else None
        data = template_bytes(pot, previous)
        if data == previous:
            return slug, path, source_fp, "unchanged", None, _digest(data)
        status = "updated" if previous is not None else "created"
        return slug, path, source_fp, status, stage(target, data, sync=False), _digest(data)
    except LocflowError as exc:
        return slug, exc


def extract(settings: Settings) -> list[FileResult]:
    """Write ``locales/templates/<slug>.pot`` for every article.

    Articles whose bytes and the settings that shape their template are
    unchanged since the last run, and whose template is still what was written
    then, are skipped. Every article is parsed before any template is put in
    place: a bad article stops the run with nothing modified.
    """
    articles = article_slugs(settings)
    state = StepState(settings.cache_dir, "extract", settings.root)
    salt = _extract_salt(settings)
    with project_lock(settings):
        clean_staged(settings.templates_dir)
        results: dict[str, FileResult] = {}
        todo = []
        for path, slug in articles:
            target = template_path(settings.locales_dir, slug)
            if state.fresh(state.name(path), salt) is not None:
                results[slug] = FileResult(target, "unchanged", article=slug)
            else:
                todo.append((settings, path, slug))
        outcomes = list(imap(_extract_one, todo, label="extract"))
        _fail_on_errors(outcomes)
        sync_staged([tmp for outcome in outcomes for tmp in _staged_files(outcome)])
        for slug, path, source_fp, status, tmp, digest in outcomes:
            target = template_path(settings.locales_dir, slug)
            if tmp is not None:
                commit(tmp, target)
            results[slug] = FileResult(target, status, article=slug)
            state.put(state.name(path), salt, {str(path): source_fp, str(target): _written_fingerprint(target, digest)})
        # A template whose article is gone is derived data of nothing: remove it, so update,
        # check and build no longer count it. The catalogs (translators' work) stay.
        removed = []
        for slug in sorted(set(template_slugs(settings)) - {slug for _, slug in articles}):
            target = template_path(settings.locales_dir, slug)
            files.remove(target)
            removed.append(FileResult(target, "removed", article=slug))
        state.save()
    return [results[slug] for _, slug in articles] + removed


def _fail_on_errors(outcomes: list[tuple]) -> None:
    """If any unit failed, remove every staged file and raise the first error."""
    errors = [outcome[1] for outcome in outcomes if len(outcome) == 2]
    if not errors:
        return
    for outcome in outcomes:
        if len(outcome) == 2:
            continue
        for tmp in _staged_files(outcome):
            discard(tmp)
    raise errors[0]


def _staged_files(outcome: tuple) -> list[Path]:
    if len(outcome) == 6:  # extract
        return [outcome[4]] if outcome[4] is not None else []
    return [item[3] for item in outcome[2] if item[3] is not None]  # update


def template_slugs(settings: Settings) -> list[str]:
    """The domains that have a template, sorted (names checked)."""
    folder = settings.templates_dir
    if not folder.is_dir():
        return []
    slugs = sorted(path.stem for path in folder.glob("*.pot"))
    for slug in slugs:
        slug_of(folder / f"{slug}.pot")  # reject names that are not slugs
    return slugs


def load_templates(settings: Settings) -> dict[str, polib.POFile]:
    """Every template, by slug; an error if there are none."""
    slugs = template_slugs(settings)
    if not slugs:
        raise LocflowError("no templates found: run `locflow extract` first", settings.templates_dir)
    return {slug: read_catalog(template_path(settings.locales_dir, slug)) for slug in slugs}


_LANGUAGE_HEADER = re.compile(rb'^"Language:[ \t]*([^"\\]*?)[ \t]*\\n"', re.MULTILINE)


def check_language(data: bytes, language: Language, path: Path) -> None:
    """A catalog's ``Language`` header must name the language of its folder (or be empty)."""
    match = _LANGUAGE_HEADER.search(data, 0, data.find(b"\n\n") if b"\n\n" in data else len(data))
    if not match or not match.group(1).strip():
        return
    declared = match.group(1).decode("utf-8", "replace")
    line = data[: match.start()].count(b"\n") + 1
    try:
        code = get_language(declared).code
    except LanguageError as exc:
        raise CatalogError(f"Language header: {exc.message}", path, line) from None
    if code != language.code:
        raise CatalogError(
            f"Language header says {declared!r}, but the catalog is in the folder of {language.code!r}; "
            "move it to the right folder or fix the header",
            path,
            line,
        )


def read_language_catalog(path: Path, language: Language) -> tuple[str, polib.POFile, bytes]:
    """Read a language's catalog: its fingerprint, the parsed catalog and its bytes."""
    fp, data = read_fingerprinted(path)
    catalog = parse_catalog(data, path)
    check_language(data.replace(b"\r\n", b"\n"), language, path)
    return fp, catalog, data


def _update_salt(language: Language) -> str:
    return settings_salt("update", language.code, language.plural_forms, FUZZY_THRESHOLD)


def _update_slug(task: tuple[Settings, str, list[str]]):
    """Worker: merge one template into the catalogs of the given languages and
    stage what changed. Returns (slug, template fingerprint, [(code, path,
    status, staged file or None, digest)]) or (slug, error)."""
    settings, slug, codes = task
    done: list[tuple] = []
    try:
        tpath = template_path(settings.locales_dir, slug)
        template_fp, data = read_fingerprinted(tpath)
        template = parse_catalog(data, tpath)
        for code in codes:
            language = settings.language(code)
            path = catalog_path(settings.locales_dir, code, slug)
            existing, previous = None, None
            if path.exists():
                _, existing, previous = read_language_catalog(path, language)
            merged = serialize(merge_catalog(template, existing, language, slug)).encode("utf-8")
            if merged == previous:
                done.append((code, path, "unchanged", None, _digest(merged)))
            else:
                status = "updated" if previous is not None else "created"
                done.append((code, path, status, stage(path, merged, sync=False), _digest(merged)))
        return slug, template_fp, done
    except LocflowError as exc:
        for item in done:
            if item[3] is not None:
                discard(item[3])
        return slug, exc


def update(settings: Settings, languages: tuple[Language, ...] | None = None) -> list[FileResult]:
    """Create or merge ``locales/<lang>/LC_MESSAGES/<slug>.po`` from every template.

    A (template, catalog) pair whose two files are unchanged since this step
    last wrote them is skipped. Every other catalog is read (and so
    validated), merged and staged before any is put in place: a malformed
    catalog stops the run with nothing modified.
    """
    languages = languages or settings.languages
    slugs = template_slugs(settings)
    if not slugs:
        raise LocflowError("no templates found: run `locflow extract` first", settings.templates_dir)
    state = StepState(settings.cache_dir, "update", settings.root)
    salts = {language.code: _update_salt(language) for language in languages}
    with project_lock(settings):
        for language in languages:
            clean_staged(settings.locales_dir / language.code)
        results: dict[tuple[str, str], FileResult] = {}
        todo: list[tuple[Settings, str, list[str]]] = []
        for slug in slugs:
            stale = []
            for language in languages:
                path = catalog_path(settings.locales_dir, language.code, slug)
                if state.fresh(f"{language.code}/{slug}", salts[language.code]) is not None:
                    results[(slug, language.code)] = FileResult(path, "unchanged", language.code, slug)
                else:
                    stale.append(language.code)
            if stale:
                todo.append((settings, slug, stale))
        outcomes = list(imap(_update_slug, todo, label="update"))
        _fail_on_errors(outcomes)
        sync_staged([tmp for outcome in outcomes for tmp in _staged_files(outcome)])
        for slug, template_fp, done in outcomes:
            tpath = str(template_path(settings.locales_dir, slug))
            for code, path, status, tmp, digest in done:
                if tmp is not None:
                    commit(tmp, path)
                results[(slug, code)] = FileResult(path, status, code, slug)
                state.put(f"{code}/{slug}", salts[code], {tpath: template_fp, str(path): _written_fingerprint(path, digest)})
        state.save()
    return [results[(slug, language.code)] for slug in slugs for language in languages]


# ---------------------------------------------------------------------------
# Statistics for check, cached per catalog fingerprint
# ---------------------------------------------------------------------------


def _count_one(item: tuple[Path, Language | None]):
    """Worker: (path, fingerprint, counts) of one catalog or template, or (path, error)."""
    path, language = item
    try:
        fp, data = read_fingerprinted(path)
        stats = catalog_statistics(data, path)
        if language is not None:
            check_language(data.replace(b"\r\n", b"\n"), language, path)
        return path, fp, [stats.translated, stats.fuzzy, stats.untranslated]
    except LocflowError as exc:
        return path, exc


def count_catalogs(settings: Settings, items: list[tuple[Path, Language | None]]) -> dict[Path, Stats]:
    """msgfmt's counts of every (file, its language or None for a template) in
    ``items`` (all must exist), reading only files changed since they were last
    counted. A malformed file is an error."""
    state = StepState(settings.cache_dir, "check", settings.root)
    salt = settings_salt("check")
    counts: dict[Path, Stats] = {}
    stale = []
    for path, language in items:
        record = state.fresh(state.name(path), salt + (language.code if language else ""))
        if record is not None and isinstance(record.payload, list) and len(record.payload) == 3:
            counts[path] = Stats(*record.payload)
        else:
            stale.append((path, language))
    languages = dict(stale)
    outcomes = list(imap(_count_one, stale, label="count"))
    errors = [outcome[1] for outcome in outcomes if len(outcome) == 2]
    for outcome in outcomes:
        if len(outcome) == 3:
            path, fp, payload = outcome
            counts[path] = Stats(*payload)
            language = languages[path]
            state.put(state.name(path), salt + (language.code if language else ""), {str(path): fp}, payload)
    state.save()  # cache what was counted even if a file was bad
    if errors:
        raise errors[0]
    return counts
