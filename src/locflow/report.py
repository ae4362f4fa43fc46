"""Rendering results for people (rich tables, colour only on a terminal) and machines (JSON).

The JSON documents carry a ``schema`` name and version; fields are only ever
added within a version. They are described in docs/output.md.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .files import display_path

if TYPE_CHECKING:  # rich, Jinja2 and the checks are imported by what draws with them
    from jinja2 import Environment
    from rich.table import Table

    from .checks import Check, Finding
    from .checks.gate import CheckResult
    from .project import FileResult


def escape(text: str) -> str:
    """Text shown literally inside rich markup (rich's own escape, imported when used)."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)

CHECK_SCHEMA_V2 = "locflow.check/2"  # completeness, gate and findings (check_json)
CHECKS_SCHEMA = "locflow.checks/1"  # the registry (--list-checks)
FILES_SCHEMA = "locflow.files/1"


def _rel(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` with forward slashes, or as it is when outside
    it (string operations: a report names thousands of files)."""
    text, base = str(path), str(root)
    if text == base:
        return "."
    prefix = base if base.endswith(os.sep) else base + os.sep
    if text.startswith(prefix):
        return text[len(prefix):].replace(os.sep, "/")
    return text


def _counts(stats) -> dict[str, Any]:
    return {
        "translated": stats.translated,
        "fuzzy": stats.fuzzy,
        "untranslated": stats.untranslated,
        "total": stats.total,
        "percent": round(stats.percent, 2),
    }


def _severities(findings: list[Finding]) -> dict[str, int]:
    return {
        "errors": sum(1 for f in findings if f.severity == "error"),
        "warnings": sum(1 for f in findings if f.severity == "warning"),
    }


def check_json(result: CheckResult, root: Path) -> dict[str, Any]:
    """Completeness, the gate and every finding (schema ``locflow.check/2``, described in docs/output.md)."""
    return {
        "schema": CHECK_SCHEMA_V2,
        "passed": result.passed,
        "gate": result.gate,
        "fail_on": result.fail_on,
        "checks": result.checks,
        **_severities(result.findings),
        "languages": [
            {
                "language": lang.language.code,
                "name": lang.language.english_name,
                **_counts(lang.completeness.stats),
                "threshold": lang.completeness.threshold,
                "complete": lang.complete,
                "passed": lang.passed,
                **_severities(lang.findings),
                "articles": [
                    {
                        "article": article.article,
                        "file": _rel(article.completeness.path, root),
                        "missing": article.completeness.missing,
                        **_counts(article.stats),
                        "complete": article.complete,
                        "publishable": article.publishable,
                        **_severities(article.findings),
                    }
                    for article in lang.articles
                ],
            }
            for lang in result.languages
        ],
        "findings": [finding.as_dict(root) for finding in result.findings],
    }


def _where(finding: Finding, root: Path) -> str:
    if finding.file is None:
        return ""
    where = _rel(finding.file, root)
    return f"{where}:{finding.line}" if finding.line else where


def _excerpt(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _finding_counts(findings: list[Finding]) -> str:
    counts = _severities(findings)
    parts = []
    if counts["errors"]:
        parts.append(f"[red]{counts['errors']} E[/red]")
    if counts["warnings"]:
        parts.append(f"[yellow]{counts['warnings']} W[/yellow]")
    return ", ".join(parts) or "[dim]–[/dim]"


def shorten_unique(names: list[str], width: int) -> dict[str, str]:
    """Each name at most ``width`` characters, shortened in the middle (``azerbaijans…remembered``)
    so that the shortened names stay different from each other."""
    if width < 5:
        width = 5
    shortened: dict[str, str] = {}
    for name in names:
        shortened[name] = name if len(name) <= width else name[: (width - 1) - (width - 1) // 2] + "…" + name[-((width - 1) // 2):]
    taken: dict[str, list[str]] = {}
    for name, short in shortened.items():
        taken.setdefault(short, []).append(name)
    for short, clashing in taken.items():
        if len(clashing) > 1:  # keep more of the end, which is where similar slugs differ
            for name in clashing:
                for head in range(width - 2, 0, -1):
                    candidate = name[:head] + "…" + name[-(width - 1 - head):]
                    if sum(1 for other in clashing if other[:head] == name[:head] and other.endswith(name[-(width - 1 - head):])) == 1:
                        shortened[name] = candidate
                        break
    return shortened


def _status(lang, article, result: CheckResult, threshold: str) -> str:
    if result.gate != "article":
        return ""
    if article.publishable:
        return "[green]publishable[/green]"
    if not article.complete:
        return f"[red]below {threshold}[/red]"
    return "[red]findings block it[/red]"


def _language_verdict(lang, result: CheckResult, threshold: str) -> str:
    if lang.passed:
        return f"[green]passes[/green] (needs {threshold})"
    if result.gate == "article":
        return "[red]not every article passes[/red]"
    if not lang.complete:
        return f"[red]below its threshold of {threshold}[/red]"
    return "[red]blocking findings[/red]"


def check_tables(result: CheckResult, root: Path, width: int = 160) -> list:
    """Completeness with the gate's verdict, language by language and article by article,
    then the findings, each with its file:line. Fits ``width`` columns: a table from 100
    columns (long article names shortened in the middle, unambiguously), a list below;
    below 120 columns the findings are a list too, each message wrapping as words."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    renderables: list = []
    wide = width >= 100
    for lang in result.languages:
        threshold = f"{lang.completeness.threshold:g}%"
        s = lang.completeness.stats
        title = (
            f"[bold]{escape(lang.language.code)}[/bold] ({escape(lang.language.english_name)}): "
            f"{s.percent:.1f}% translated, {_language_verdict(lang, result, threshold)}"
        )
        if not wide:
            lines = [Text.from_markup(title)]
            for article in lang.articles:
                a = article.stats
                status = _status(lang, article, result, threshold)
                lines.append(Text.from_markup("  " + escape(article.article) + (" [dim](no catalog)[/dim]" if article.completeness.missing else "")))
                lines.append(Text.from_markup(
                    f"      {a.translated} translated, {a.fuzzy} fuzzy, {a.untranslated} untranslated: {a.percent:.1f}%; "
                    + (f"findings {_finding_counts(article.findings)}" if article.findings else "no findings")
                    + (f"; {status}" if status else "")
                ))
            renderables.append(Group(*lines, Text("")))
            continue
        status_width = 20 if result.gate == "article" else 0
        # The other columns take their headers' width and three columns of padding each.
        room = width - sum(len(name) + 3 for name in ("Translated", "Fuzzy", "Untranslated", "Done ", "Findings")) - status_width - 4
        table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, expand=False)
        names = shorten_unique([article.article for article in lang.articles], max(room, 12))
        table.add_column("Article", no_wrap=True)
        for name in ("Translated", "Fuzzy", "Untranslated", "Done", "Findings"):
            table.add_column(name, justify="right", no_wrap=True)
        if status_width:
            table.add_column("Status", no_wrap=True)
        for article in lang.articles:
            a = article.stats
            row = [
                escape(names[article.article]) + (" [dim](no catalog)[/dim]" if article.completeness.missing else ""),
                str(a.translated), str(a.fuzzy), str(a.untranslated), f"{a.percent:.1f}%", _finding_counts(article.findings),
            ]
            if status_width:
                row.append(_status(lang, article, result, threshold))
            table.add_row(*row)
        if len(lang.articles) > 1:
            row = ["[bold]all articles[/bold]", str(s.translated), str(s.fuzzy), str(s.untranslated),
                   f"[bold]{s.percent:.1f}%[/bold]", _finding_counts(lang.findings)]
            if status_width:
                row.append("")
            table.add_row(*row, end_section=True)
        renderables.append(table)
    if not result.findings:
        return renderables
    if width >= 120:
        findings = Table(title="Findings", title_justify="left")
        findings.add_column("Where", no_wrap=True)
        findings.add_column("Severity", no_wrap=True)
        findings.add_column("Check", no_wrap=True)
        findings.add_column("Message (and the source text)", overflow="fold")
        group = None
        for finding in result.findings:
            key = (finding.language, finding.article)
            if group is not None and key != group:
                findings.add_section()
            group = key
            colour = "red" if finding.severity == "error" else "yellow"
            source = f"\n[dim]{escape(_excerpt(finding.msgid))}[/dim]" if finding.msgid else ""
            findings.add_row(
                escape(_where(finding, root) or "(this machine)"),
                f"[{colour}]{finding.severity}[/{colour}]",
                finding.check,
                escape(finding.message) + source,
            )
        renderables.append(findings)
        return renderables
    # Narrow: a list, each finding a short block whose text wraps as words, never letter by letter.
    lines = [Text.from_markup("[bold]Findings[/bold]")]
    for finding in result.findings:
        colour = "red" if finding.severity == "error" else "yellow"
        lines.append(Text.from_markup(
            f"{escape(_where(finding, root) or '(this machine)')}  [{colour}]{finding.severity}[/{colour}]  {escape(finding.check)}"
        ))
        lines.append(Text("  " + finding.message))
        if finding.msgid:
            lines.append(Text.from_markup(f"  [dim]source: {escape(_excerpt(finding.msgid, max(width - 12, 20)))}[/dim]"))
    renderables.append(Group(*lines))
    return renderables


def check_summary(result: CheckResult) -> str:
    """One line saying whether the check passed and why not (rich markup)."""
    counts = _severities(result.findings)
    found = f"{counts['errors']} error{'s' if counts['errors'] != 1 else ''}, " \
        f"{counts['warnings']} warning{'s' if counts['warnings'] != 1 else ''}"
    blocking = "errors and warnings fail the check" if result.fail_on == "warning" else "errors fail the check"
    if result.passed:
        return f"[green]Passed[/green] ({found}; {blocking})."
    reasons = []
    if result.gate == "article":
        held = [f"{lang.language.code}/{a.article}" for lang in result.languages for a in lang.articles if not a.publishable]
        reasons.append(f"not publishable: {', '.join(held)}")
    else:
        below = [lang.language.code for lang in result.languages if not lang.complete]
        if below:
            reasons.append(f"below threshold: {', '.join(below)}")
        blocked = [lang.language.code for lang in result.languages if lang.blocking]
        if blocked:
            reasons.append(f"blocking findings: {', '.join(blocked)}")
    return f"[red]Failed[/red] ({found}; {blocking}) — " + escape("; ".join(reasons) or "see the findings") + "."


def checks_json(checks: dict[str, Check]) -> dict[str, Any]:
    return {
        "schema": CHECKS_SCHEMA,
        "checks": [
            {"name": c.name, "severity": c.severity, "scope": c.scope, "explanation": c.explanation,
             "languages": c.languages or "all"}
            for c in checks.values()
        ],
    }


def checks_table(checks: dict[str, Check]) -> Table:
    from rich.table import Table

    table = Table(title="Checks (disable one on an entry with the flag  #, ignore-<name>)", title_justify="left")
    table.add_column("Name", no_wrap=True)
    table.add_column("Severity")
    table.add_column("Scope")
    table.add_column("Explanation (and the languages it applies to, if not all)", overflow="fold")
    for c in checks.values():
        colour = "red" if c.severity == "error" else "yellow"
        where = f"\n[dim]languages: {escape(c.languages)}[/dim]" if c.languages else ""
        table.add_row(c.name, f"[{colour}]{c.severity}[/{colour}]", c.scope, escape(c.explanation) + where)
    return table


def _environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(
        loader=PackageLoader("locflow", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def check_html(result: CheckResult, root: Path, output: Path, site: Path | None = None) -> str:
    """A standalone dashboard page: progress per language and article (translated,
    fuzzy, untranslated), each article linked to its catalog and, when ``site`` (the
    preview's folder) has its page, to its preview; every finding linked to its file
    and line (links relative to ``output``'s folder)."""
    output_dir = output.resolve().parent

    def href(path: Path) -> str:
        return Path(os.path.relpath(path.resolve(), output_dir)).as_posix()

    def link(finding: Finding) -> str | None:
        if finding.file is None:
            return None
        return f"{href(finding.file)}#L{finding.line}" if finding.line else href(finding.file)

    def preview(language: str, article: str) -> str | None:
        page = site / language / f"{article}.html" if site is not None else None
        return href(page) if page is not None and page.is_file() else None

    data = check_json(result, root)
    languages = []
    for lang, lang_data in zip(result.languages, data["languages"]):
        languages.append(
            {
                **lang_data,
                "articles": [
                    {
                        **article_data,
                        "href": None if article.completeness.missing else href(article.completeness.path),
                        "preview": preview(lang.language.code, article.article),
                    }
                    for article, article_data in zip(lang.articles, lang_data["articles"])
                ],
                "tag": lang.language.bcp47,
                "direction": lang.language.direction,
                "native_name": lang.language.native_name,
                "findings": [
                    {**f.as_dict(root), "where": _where(f, root), "href": link(f)} for f in lang.findings
                ],
            }
        )
    general = [{**f.as_dict(root), "where": "", "href": None} for f in result.general]
    return _environment().get_template("check-report.html.j2").render(
        report=data,
        languages=languages,
        general=general,
        source_tag=result.source_language.bcp47 if result.source_language else "en",
    )


def files_json(step: str, results: list[FileResult], root: Path) -> dict[str, Any]:
    return {"schema": FILES_SCHEMA, "step": step, "files": [result.as_dict(root) for result in results]}


def files_summary(step: str, results: list[FileResult], root: Path | None = None) -> str:
    """``update: 5 files (2 created, 1 updated, 2 unchanged)``, then a line for
    each file with a note (``locales/ru/...po: the article has no text now ...``)."""
    counts: dict[str, int] = {}
    for result in results:
        counts[result.status] = counts.get(result.status, 0) + 1
    detail = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    noun = "file" if len(results) == 1 else "files"
    lines = [f"{step}: {len(results)} {noun}" + (f" ({detail})" if detail else "")]
    for result in results:
        if result.note:
            lines.append(f"  {display_path(result.path, root) if root else result.path}: {result.note}")
    return "\n".join(lines)


def dump_json(data: Any) -> str:
    """JSON for machines: UTF-8 text as is, stable indentation, no colour."""
    return json.dumps(data, ensure_ascii=False, indent=2)


# ---------------------------------------------------------------------------
# Any gettext tree (check PATH...)
# ---------------------------------------------------------------------------

TREE_SCHEMA = "locflow.tree-check/1"


def tree_json(results, findings: list[Finding], root: Path) -> dict[str, Any]:
    """Every catalog of a tree (msgfmt's counts, warnings, the error of one that cannot be
    read) and the findings (schema ``locflow.tree-check/1``)."""
    catalogs = []
    for result in results:
        item = {
            "file": _rel(result.catalog.path, root),
            "language": result.catalog.language or None,
            "header_language": result.header_language,
            "domain": result.catalog.domain,
            "warnings": result.warnings,
            "error": None,
        }
        if result.error is not None:
            item["error"] = {"line": result.error.line, "message": result.error.message}
        else:
            item.update(_counts(result.stats))
        catalogs.append(item)
    return {
        "schema": TREE_SCHEMA,
        "catalogs": catalogs,
        "unreadable": sum(1 for result in results if result.error is not None),
        **_severities(findings),
        "findings": [finding.as_dict(root) for finding in findings],
    }


def tree_lines(results, findings: list[Finding], root: Path) -> list[str]:
    """The tree for people: each language with its catalogs' counts, then warnings, errors
    and findings, each on its own lines (rich markup)."""
    from collections import defaultdict

    by_language: dict[str, list] = defaultdict(list)
    for result in results:
        by_language[result.catalog.language or "(no language)"].append(result)
    counts_by_file: dict[Path, dict[str, int]] = defaultdict(lambda: {"error": 0, "warning": 0})
    for finding in findings:
        if finding.file is not None:
            counts_by_file[finding.file][finding.severity] += 1
    lines: list[str] = []
    for language in sorted(by_language):
        group = by_language[language]
        stats = [result.stats for result in group if result.stats is not None]
        translated = sum(s.translated for s in stats)
        total = sum(s.total for s in stats)
        share = 100.0 if total == 0 else 100.0 * translated / total
        lines.append(f"[bold]{escape(language)}[/bold]: {len(group)} catalog{'s' if len(group) != 1 else ''}, {share:.1f}% translated")
        for result in group:
            where = escape(_rel(result.catalog.path, root))
            if result.error is not None:
                lines.append(f"  {where}  [red]cannot be read[/red]")
                continue
            s = result.stats
            found = counts_by_file.get(result.catalog.path, {})
            note = ", ".join(f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in found.items() if n)
            lines.append(f"  {where}  {s.translated} translated, {s.fuzzy} fuzzy, {s.untranslated} untranslated: "
                         f"{s.percent:.1f}%" + (f"; {note}" if note else ""))
            for warning in result.warnings:
                lines.append(f"    [yellow]warning:[/yellow] {escape(warning)}")
    if findings:
        lines.append("")
        lines.append("[bold]Findings[/bold]")
        for finding in findings:
            colour = "red" if finding.severity == "error" else "yellow"
            lines.append(f"{escape(_where(finding, root))}  [{colour}]{finding.severity}[/{colour}]  {finding.check}")
            lines.append(f"  {escape(finding.message)}")
            if finding.msgid:
                lines.append(f"  [dim]source: {escape(_excerpt(finding.msgid))}[/dim]")
    return lines
