"""Completeness per article and language, counted exactly as ``msgfmt --statistics``.

A message is translated when its msgstr is non-empty and it is not fuzzy;
fuzzy drafts and obsolete entries never count. A language passes when its
share of translated messages, over all articles, reaches its threshold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..catalogs import Stats, catalog_path, read_catalog, statistics
from ..config import Settings
from ..languages import Language
from ..pipeline import load_templates


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


def completeness(settings: Settings, languages: tuple[Language, ...] | None = None) -> CompletenessReport:
    """Count every catalog of the given languages (all by default).

    Every catalog is read before counting, so a malformed one is an error, not a zero.
    """
    templates = load_templates(settings)
    report = CompletenessReport([])
    for language in languages or settings.languages:
        entry = LanguageCompleteness(language, settings.threshold(language.code))
        for slug, template in templates.items():
            path = catalog_path(settings.locales_dir, language.code, slug)
            if path.exists():
                entry.articles.append(ArticleCompleteness(slug, path, statistics(read_catalog(path))))
            else:
                empty = Stats(untranslated=statistics(template).total)
                entry.articles.append(ArticleCompleteness(slug, path, empty, missing=True))
        report.languages.append(entry)
    return report
