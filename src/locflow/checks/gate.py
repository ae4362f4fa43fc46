"""The gate: completeness and findings together decide what passes and what is publishable.

``gate = "language"`` (the default): a language passes when its share of
translated messages over all articles reaches its threshold and none of its
catalogs has a blocking finding; then every article is publishable in it.

``gate = "article"``: each article passes or fails on its own in each
language (its own share against the language's threshold, its own findings),
so a site can publish the articles that are ready and hold the others back.

A finding blocks when it is an error, or when ``fail-on = "warning"``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..catalogs import Stats
from ..config import Settings
from ..languages import Language
from . import Finding, registered, run_checks
from .completeness import ArticleCompleteness, LanguageCompleteness, completeness
from .settings import CheckSettings, check_settings


@dataclass
class ArticleResult:
    completeness: ArticleCompleteness
    threshold: float
    findings: list[Finding]
    blocking: int
    publishable: bool = False

    @property
    def article(self) -> str:
        return self.completeness.article

    @property
    def stats(self) -> Stats:
        return self.completeness.stats

    @property
    def complete(self) -> bool:
        return self.stats.percent + 1e-9 >= self.threshold


@dataclass
class LanguageResult:
    completeness: LanguageCompleteness
    articles: list[ArticleResult]
    findings: list[Finding]
    blocking: int
    passed: bool = False

    @property
    def language(self) -> Language:
        return self.completeness.language

    @property
    def complete(self) -> bool:
        return self.completeness.passed


@dataclass
class CheckResult:
    """Everything ``locflow check`` reports."""

    languages: list[LanguageResult]
    findings: list[Finding]
    gate: str
    fail_on: str
    checks: list[str]  # the checks that ran (on at least one language)
    passed: bool = False
    source_language: Language | None = None
    general: list[Finding] = field(default_factory=list)  # findings about the machine, not a catalog
    _publishable: dict[tuple[str, str], bool] | None = field(default=None, repr=False)

    def count(self, severity: str) -> int:
        return sum(1 for finding in self.findings if finding.severity == severity)

    def publishable(self, article: str, language: str) -> bool:
        if self._publishable is None:  # one lookup table, not a search per article and language
            self._publishable = {
                (result.article, lang.language.code): result.publishable
                for lang in self.languages for result in lang.articles
            }
        return self._publishable.get((article, language), False)


def evaluate(
    settings: Settings,
    languages: tuple[Language, ...] | None = None,
    *,
    only: Iterable[str] | None = None,
    quality: bool = True,
    gate: str | None = None,
    fail_on: str | None = None,
) -> CheckResult:
    """Count, run the checks (unless ``quality`` is false) and apply the gate.

    ``gate`` and ``fail_on`` override the settings (the command-line options).
    """
    config: CheckSettings = check_settings(settings)
    gate = gate or config.gate
    fail_on = fail_on or config.fail_on
    languages = languages or settings.languages
    only = list(only) if only is not None else None
    # The checks' workers count every catalog they parse: completeness reads only the rest.
    counts: dict = {}
    findings = run_checks(settings, languages, only, counts) if quality else []
    report = completeness(settings, languages, counts)

    def blocks(finding: Finding) -> bool:
        return finding.severity == "error" or fail_on == "warning"

    ran: set[str] = set()
    if quality:
        for language in languages:
            ran.update(config.enabled(language.code, only))
    result = CheckResult([], findings, gate, fail_on, [name for name in registered() if name in ran])
    result.source_language = settings.source_language
    result.general = [f for f in findings if f.language is None]
    grouped: dict[tuple[str | None, str | None], list[Finding]] = {}
    by_language: dict[str | None, list[Finding]] = {}
    for finding in findings:  # grouped once: a site has thousands of articles
        grouped.setdefault((finding.language, finding.article), []).append(finding)
        by_language.setdefault(finding.language, []).append(finding)
    for lang in report.languages:
        code = lang.language.code
        lang_findings = by_language.get(code, [])
        articles = []
        for article in lang.articles:
            own = grouped.get((code, article.article), [])
            articles.append(ArticleResult(article, lang.threshold, own, sum(1 for f in own if blocks(f))))
        language = LanguageResult(lang, articles, lang_findings, sum(1 for f in lang_findings if blocks(f)))
        if gate == "article":
            for article in articles:
                article.publishable = article.complete and article.blocking == 0
            language.passed = all(article.publishable for article in articles)
        else:
            language.passed = language.complete and language.blocking == 0
            for article in articles:
                article.publishable = language.passed
        result.languages.append(language)
    result.passed = all(lang.passed for lang in result.languages) and not any(blocks(f) for f in result.general)
    return result
