"""Completeness per article and language, counted exactly as ``msgfmt --statistics``.

A message is translated when its msgstr is non-empty and it is not fuzzy;
fuzzy drafts and obsolete entries never count. A language passes when its
share of translated messages, over all articles, reaches its threshold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..catalogs import Stats, catalog_path, template_path
from ..config import Settings
from ..errors import LocflowError
from ..languages import Language
from ..project import template_slugs
from ..steps.count import count_catalogs


@dataclass(frozen=True)
class ArticleCompleteness:
    """One catalog: an article in one language."""

    article: str
    path: Path
    stats: Stats
    missing: bool = False  # no catalog yet: every message of the template is untranslated


@dataclass
class LanguageCompleteness:
    """A language over all articles, against its threshold."""

    language: Language
    threshold: float
    articles: list[ArticleCompleteness] = field(default_factory=list)

    @property
    def stats(self) -> Stats:
        total = Stats()
        for article in self.articles:
            total = total + article.stats
        return total

    @property
    def passed(self) -> bool:
        return self.stats.percent + 1e-9 >= self.threshold


@dataclass
class CompletenessReport:
    languages: list[LanguageCompleteness]

    @property
    def passed(self) -> bool:
        return all(lang.passed for lang in self.languages)


def completeness(
    settings: Settings, languages: tuple[Language, ...] | None = None, known: dict[Path, Stats] | None = None
) -> CompletenessReport:
    """Count every catalog of the given languages (all by default).

    Every catalog is read before counting, so a malformed one is an error, not a
    zero; counts of catalogs unchanged since the last check come from the cache.
    ``known`` holds counts already made (by the quality checks' workers, which
    read and validated those catalogs): they are not read again.
    """
    known = known or {}
    slugs = template_slugs(settings)
    if not slugs:
        raise LocflowError("no templates found: run `locflow extract` first", settings.templates_dir)
    languages = languages or settings.languages
    paths = {(code, slug): catalog_path(settings.locales_dir, code, slug) for code in (l.code for l in languages) for slug in slugs}
    present = {key: path for key, path in paths.items() if path.exists()}
    missing_slugs = sorted({key[1] for key in paths if key not in present})
    by_code = {language.code: language for language in languages}
    counts = count_catalogs(
        settings,
        [(path, by_code[code]) for (code, _), path in present.items() if path not in known]
        + [(template_path(settings.locales_dir, slug), None) for slug in missing_slugs],
    )
    wanted = set(present.values())
    counts.update((path, stats) for path, stats in known.items() if path in wanted)
    report = CompletenessReport([])
    for language in languages:
        entry = LanguageCompleteness(language, settings.threshold(language.code))
        for slug in slugs:
            path = paths[(language.code, slug)]
            if path in counts and (language.code, slug) in present:
                entry.articles.append(ArticleCompleteness(slug, path, counts[path]))
            else:
                empty = Stats(untranslated=counts[template_path(settings.locales_dir, slug)].total)
                entry.articles.append(ArticleCompleteness(slug, path, empty, missing=True))
        report.languages.append(entry)
    return report
