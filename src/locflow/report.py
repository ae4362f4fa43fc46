"""Rendering results for people (rich tables, colour only on a terminal) and machines (JSON).

The JSON documents carry a ``schema`` name and version; fields are only ever
added within a version. They are described in README.md.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rich.table import Table

from .checks.completeness import CompletenessReport
from .pipeline import FileResult

CHECK_SCHEMA = "locflow.check/1"
FILES_SCHEMA = "locflow.files/1"


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def completeness_json(report: CompletenessReport, root: Path) -> dict[str, Any]:
    """The completeness report as a JSON-ready dict (schema ``locflow.check/1``)."""

    def counts(stats) -> dict[str, Any]:
        return {
            "translated": stats.translated,
            "fuzzy": stats.fuzzy,
            "untranslated": stats.untranslated,
            "total": stats.total,
            "percent": round(stats.percent, 2),
        }

    return {
        "schema": CHECK_SCHEMA,
        "passed": report.passed,
        "languages": [
            {
                "language": lang.language.code,
                "name": lang.language.english_name,
                **counts(lang.stats),
                "threshold": lang.threshold,
                "passed": lang.passed,
                "articles": [
                    {
                        "article": article.article,
                        "file": _rel(article.path, root),
                        "missing": article.missing,
                        **counts(article.stats),
                    }
                    for article in lang.articles
                ],
            }
            for lang in report.languages
        ],
    }


def completeness_table(report: CompletenessReport) -> Table:
    """One row per language and article, then the language's total against its threshold."""
    table = Table(title="Translation completeness", title_justify="left")
    table.add_column("Language")
    table.add_column("Article", overflow="fold")
    table.add_column("Translated", justify="right")
    table.add_column("Fuzzy", justify="right")
    table.add_column("Untranslated", justify="right")
    table.add_column("Done", justify="right")
    table.add_column("Needed", justify="right")
    table.add_column("Status")
    for lang in report.languages:
        name = f"{lang.language.code} ({lang.language.english_name})"
        for article in lang.articles:
            s = article.stats
            table.add_row(
                name,
                article.article + (" [dim](no catalog)[/dim]" if article.missing else ""),
                str(s.translated),
                str(s.fuzzy),
                str(s.untranslated),
                f"{s.percent:.1f}%",
                "",
                "",
            )
            name = ""
        s = lang.stats
        status = "[green]ok[/green]" if lang.passed else "[red]below threshold[/red]"
        table.add_row(
            "",
            "[bold]all articles[/bold]",
            str(s.translated),
            str(s.fuzzy),
            str(s.untranslated),
            f"[bold]{s.percent:.1f}%[/bold]",
            f"{lang.threshold:g}%",
            status,
            end_section=True,
        )
    return table


def files_json(step: str, results: list[FileResult], root: Path) -> dict[str, Any]:
    return {"schema": FILES_SCHEMA, "step": step, "files": [result.as_dict(root) for result in results]}


def files_summary(step: str, results: list[FileResult]) -> str:
    """``update: 5 files (2 created, 1 updated, 2 unchanged)``."""
    counts: dict[str, int] = {}
    for result in results:
        counts[result.status] = counts.get(result.status, 0) + 1
    detail = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    noun = "file" if len(results) == 1 else "files"
    return f"{step}: {len(results)} {noun}" + (f" ({detail})" if detail else "")


def dump_json(data: Any) -> str:
    """JSON for machines: UTF-8 text as is, stable indentation, no colour."""
    return json.dumps(data, ensure_ascii=False, indent=2)
