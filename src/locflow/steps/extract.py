"""``extract``: one template (``locales/templates/<slug>.pot``) per article."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import files
from ..catalogs import build_template, template_bytes, template_path
from ..config import Settings
from ..errors import LocflowError, SourceError
from ..parallel import imap
from ..project import FileResult, project_lock, template_slugs, written_fingerprint
from ..state import StepState, fingerprint, settings_salt
from . import Failure, Output, StepFailed, failure, settle, stage_output


@dataclass(frozen=True)
class Extracted:
    """An article parsed and its template staged (or found unchanged)."""

    slug: str
    source: Path
    source_fingerprint: str
    template: Output


def _salt(settings: Settings) -> str:
    text = settings.text
    return settings_salt(
        "extract",
        [p.pattern for p in text.chrome],
        text.dateline.pattern if text.dateline else None,
        text.heading_max_length,
        settings.extra,
        settings.layout,
        files.display_path(settings.locales_dir, settings.root),
    )


def _extract_one(task: tuple[Settings, Path, str]) -> Extracted | Failure:
    """Worker: parse one article and stage its template."""
    from ..formats import parse_article

    settings, path, slug = task
    try:
        source_fp = fingerprint(path)
        if source_fp is None:
            raise SourceError("file not found", path)
        doc = parse_article(path, settings)
        pot = build_template([doc], slug, settings.root)
        target = template_path(settings.locales_dir, slug)
        previous = target.read_bytes() if target.exists() else None
        data = template_bytes(pot, previous, settings.layout)
        return Extracted(slug, path, source_fp, stage_output(target, data, previous))
    except (LocflowError, OSError) as exc:
        return failure(slug, exc)


def extract(settings: Settings) -> list[FileResult]:
    """Write ``locales/templates/<slug>.pot`` for every article.

    Articles whose bytes and the settings that shape their template are
    unchanged since the last run, and whose template is still what was written
    then, are skipped. A bad article gets no new template (its old one stays)
    and is named at the end (:class:`~locflow.steps.StepFailed`); the others
    are extracted. The template of an article that is gone is removed (its
    catalogs stay: translators' work). Files of the source folder that are not
    articles are reported as ``skipped``, with the reason.
    """
    from ..formats import discover

    found = discover(settings)
    articles = found.articles
    skipped = [FileResult(item.path, "skipped", note=item.reason) for item in found.skipped]
    state = StepState(settings.cache_dir, "extract", settings.root)
    salt = _salt(settings)
    with project_lock(settings), files.StagedWrites() as writes:
        files.clean_staged(settings.templates_dir)
        results: dict[str, FileResult] = {}
        todo = []
        for path, slug in articles:
            target = template_path(settings.locales_dir, slug)
            if state.fresh(state.name(path), salt) is not None:
                results[slug] = FileResult(target, "unchanged", article=slug)
            else:
                todo.append((settings, path, slug))
        done, failures = settle(list(imap(_extract_one, todo, label="extract")), writes, lambda item: [item.template])
        writes.commit()
        for item in done:
            output = item.template
            results[item.slug] = FileResult(output.target, output.status, article=item.slug)
            state.put(state.name(item.source), salt, {
                str(item.source): item.source_fingerprint,
                str(output.target): written_fingerprint(output.target, output.digest),
            })
        removed = []
        for slug in sorted(set(template_slugs(settings)) - {slug for _, slug in articles}):
            target = template_path(settings.locales_dir, slug)
            files.remove(target)
            removed.append(FileResult(target, "removed", article=slug))
        state.save()
    report = [results[slug] for _, slug in articles if slug in results] + removed + skipped
    if failures:
        raise StepFailed([item.error for item in failures], report)
    return report
