"""``update``: merge every template into every language's catalog, as msgmerge does."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import files, po
from ..po import check as po_check
from ..catalogs import catalog_path, merge_catalog, template_path
from ..po.merge import FUZZY_THRESHOLD
from ..config import Settings
from ..errors import LocflowError
from ..languages import Language
from ..parallel import imap
from ..project import FileResult, project_lock, read_fingerprinted, read_language_catalog, template_slugs, written_fingerprint
from ..state import StepState, settings_salt
from . import Failure, Output, StepFailed, failure, settle, stage_output


@dataclass(frozen=True)
class Merged:
    """A template merged into some of its catalogs (each staged or found unchanged)."""

    slug: str
    template_fingerprint: str
    catalogs: list[tuple[str, Output]]  # (language code, output)
    notes: dict[str, str] = field(default_factory=dict)  # language code -> what the user should know
    failures: list = field(default_factory=list)  # the catalogs that could not be merged (LocflowError)


def _salt(settings: Settings, language: Language) -> str:
    return settings_salt(
        "update", language.code, language.plural_forms, FUZZY_THRESHOLD, settings.layout,
        files.display_path(settings.locales_dir, settings.root),
    )


def _translated(catalog) -> int:
    return po.statistics(catalog).translated


def _update_slug(task: tuple[Settings, str, list[str]]) -> Merged | Failure:
    """Worker: merge one template into the catalogs of the given languages and stage what changed."""
    settings, slug, codes = task
    outputs: list[tuple[str, Output]] = []
    notes: dict[str, str] = {}
    failures: list[LocflowError] = []
    try:
        tpath = template_path(settings.locales_dir, slug)
        template_fp, data = read_fingerprinted(tpath)
        template = po.parse(data, tpath)
        po_check.check_catalog(template, tpath, template=True)
        empty = not any(not entry.obsolete for entry in template)
        for code in codes:
            language = settings.language(code)
            path = catalog_path(settings.locales_dir, code, slug)
            try:
                existing, previous = None, None
                if path.exists():
                    _, existing, previous = read_language_catalog(path, language)
                merged = merge_catalog(template, existing, language, slug)
                kept = _translated(existing) if empty and existing is not None else 0
                if kept:
                    notes[code] = f"the article has no text now: its {kept} translations are kept as obsolete (#~) entries"
                outputs.append((code, stage_output(path, po.dumps(merged, settings.layout), previous)))
            except LocflowError as exc:  # this catalog only: the other languages go on
                if getattr(exc, "machine", False):
                    raise
                failures.append(exc)
        return Merged(slug, template_fp, outputs, notes, failures)
    except (LocflowError, OSError) as exc:
        return failure(slug, exc, [output for _, output in outputs])


def update(settings: Settings, languages: tuple[Language, ...] | None = None) -> list[FileResult]:
    """Create or merge ``locales/<lang>/LC_MESSAGES/<slug>.po`` from every template.

    A (template, catalog) pair whose two files are unchanged since this step
    last wrote them is skipped. Every other catalog is read (and so
    validated), merged and staged before any is put in place. A malformed
    catalog is left as it is and named at the end (:class:`~locflow.steps.StepFailed`);
    every other catalog is merged.
    """
    languages = languages or settings.languages
    slugs = template_slugs(settings)
    if not slugs:
        raise LocflowError("no templates found: run `locflow extract` first", settings.templates_dir)
    state = StepState(settings.cache_dir, "update", settings.root)
    salts = {language.code: _salt(settings, language) for language in languages}
    with project_lock(settings), files.StagedWrites() as writes:
        for language in languages:
            files.clean_staged(settings.locales_dir / language.code)
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
        done, failures = settle(list(imap(_update_slug, todo, label="update")), writes, lambda item: [out for _, out in item.catalogs])
        writes.commit()
        errors = [item.error for item in failures] + [error for item in done for error in item.failures]
        for item in done:
            tpath = str(template_path(settings.locales_dir, item.slug))
            for code, output in item.catalogs:
                results[(item.slug, code)] = FileResult(output.target, output.status, code, item.slug, item.notes.get(code))
                state.put(f"{code}/{item.slug}", salts[code], {
                    tpath: item.template_fingerprint,
                    str(output.target): written_fingerprint(output.target, output.digest),
                })
        state.save()
    report = [results[(slug, language.code)] for slug in slugs for language in languages if (slug, language.code) in results]
    if errors:
        raise StepFailed(errors, report)
    return report
