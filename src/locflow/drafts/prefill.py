"""``locflow prefill``: fill every empty catalog entry with a draft for human review.

The draft sources named in ``[tool.locflow.prefill] sources`` are asked in
order (translation memory first, machine translation last, by default); each
only sees the messages the earlier ones left. Each message goes with what
surrounds it in its article (its title, the messages before and after it, its
msgctxt and extracted comments: :class:`locflow.drafts.Message`), for the
sources that send context. Drafts are written fuzzy with their provenance
(:func:`locflow.drafts.apply_draft`), a batch at a time as the source hands
them over: each batch re-reads the catalog under the project lock, fills the
entries that are *still* empty (a translator may have saved meanwhile) and
saves atomically, so an interrupted run keeps every batch it finished and a
rerun resumes. A translator's non-fuzzy translation is never touched.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polib

from ..catalogs import catalog_path, read_catalog, save_catalog
from ..config import Settings
from ..errors import ConfigError, LocflowError
from ..languages import Language
from ..project import project_lock, template_slugs
from . import DRAFT_MARK, Draft, Message, apply_draft, is_fillable, load_source
from .settings import PrefillSettings

SCHEMA = "locflow.prefill/1"

Progress = Callable[[int, int, str], None]  # (done, total, language)


def prefill_settings(settings: Settings) -> PrefillSettings:
    """``[tool.locflow.prefill]``, parsed once with the settings (drafts/settings.py)."""
    return settings.section("prefill")


@dataclass
class LanguageResult:
    """What prefill did for one language."""

    language: str
    fillable: int = 0  # entries that could take a draft
    drafted: Counter = field(default_factory=Counter)  # origin → entries written
    files: set[Path] = field(default_factory=set)

    @property
    def written(self) -> int:
        return sum(self.drafted.values())

    @property
    def remaining(self) -> int:
        return self.fillable - self.written


@dataclass
class PrefillReport:
    """The outcome of a prefill run (or of a dry run)."""

    root: Path
    dry_run: bool = False
    interrupted: bool = False
    languages: list[LanguageResult] = field(default_factory=list)
    plan: list[Any] = field(default_factory=list)  # PlanRow from sources that send text somewhere
    sources: dict[str, dict] = field(default_factory=dict)  # source name → its status()
    pseudo: list[Any] = field(default_factory=list)  # FileResult of each pseudo-locale catalog generated

    @property
    def unavailable(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for status in self.sources.values():
            out.update(status.get("unavailable", {}))
        return out

    @property
    def failures(self) -> list[dict]:
        return [failure for status in self.sources.values() for failure in status.get("failures", [])]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (schema ``locflow.prefill/1``)."""
        return {
            "schema": SCHEMA,
            "dry_run": self.dry_run,
            "interrupted": self.interrupted,
            "languages": [
                {
                    "language": lang.language,
                    "fillable": lang.fillable,
                    "drafted": lang.written,
                    "remaining": lang.remaining,
                    "origins": dict(sorted(lang.drafted.items())),
                    "files": sorted(_rel(path, self.root) for path in lang.files),
                }
                for lang in self.languages
            ],
            "plan": [row.__dict__ for row in self.plan],
            "sources": self.sources,
            "unavailable": self.unavailable,
            "failures": self.failures,
            "pseudo": [result.as_dict(self.root) for result in self.pseudo],
        }

    def summary_lines(self) -> list[str]:
        """The summary for people, one finding per line; every number says what it counts
        (an entry is one catalog entry; a text is a distinct string of one language, which
        may fill entries in several catalogs)."""
        lines: list[str] = []
        remaining = {lang.language: lang.remaining for lang in self.languages if lang.remaining}
        unreachable = []
        for provider, reason in sorted(self.unavailable.items()):
            count = sum(remaining.values())
            langs = ", ".join(sorted(remaining)) or "no language"
            unreachable.append(
                f"{provider}: unreachable ({reason}); {count} entr{'ies' if count != 1 else 'y'} in {langs} remain for translators"
            )
        if self.dry_run:
            lines.append("prefill --dry-run: no text is sent, nothing is written")
            for row in self.plan:
                lines.append(
                    f"  {row.language}  {row.provider}: {_count(row.strings, 'text')} to send in "
                    f"{_count(row.requests, 'request')}, {row.characters} characters ({row.cached} texts from the cache)"
                )
            if not self.plan:
                lines.append("  no string would be sent")
            lines.extend(unreachable)
        else:
            written = sum(lang.written for lang in self.languages)
            files = {path for lang in self.languages for path in lang.files}
            per = ", ".join(f"{lang.language} {lang.written}" for lang in self.languages if lang.written)
            lines.append(
                f"prefill: {_count(written, 'entry', 'entries')} drafted (fuzzy) in {_count(len(files), 'file')}"
                + (f" ({per})" if per else "")
            )
            # An unreachable provider first: it explains the totals that follow.
            lines.extend(unreachable)
            origins: Counter = Counter()
            for lang in self.languages:
                origins.update(lang.drafted)
            for name, status in self.sources.items():
                for provider, stats in status.get("providers", {}).items():
                    if provider in self.unavailable and not any(stats.values()):
                        continue
                    entries = origins.get(f"{name}:{provider}", 0)
                    lines.append(
                        f"  {name}:{provider}: {_count(stats['drafts'], 'text')} drafted ({_count(entries, 'entry', 'entries')}); "
                        f"{_count(stats.get('texts', 0), 'text')} sent in {_count(stats['requests'], 'request')} "
                        f"({stats['characters']} characters), {stats['cached']} from the cache; "
                        f"{stats['failed']} refused or failed"
                    )
                for provider, note in status.get("notes", {}).items():
                    for language, what in note.get("glossaries", {}).items():
                        lines.append(f"  {name}:{provider} {language}: {what}")
        if self.pseudo:
            codes = ", ".join(sorted({result.language for result in self.pseudo}))
            changed = sum(1 for result in self.pseudo if result.status != "unchanged")
            lines.append(f"pseudo-locales {codes}: {len(self.pseudo)} catalogs generated offline ({changed} changed)")
        failures = self.failures
        if failures:
            lines.append(f"{_count(len(failures), 'string')} got no draft:")
            for failure in failures[:50]:
                lines.append(f"  {failure['language']}  {failure['provider']}: {failure['reason']}: {_short(failure['msgid'])}")
            if len(failures) > 50:
                lines.append(f"  ... and {len(failures) - 50} more (see --format json)")
        for status in self.sources.values():
            empty = sum(status.get("nothing_to_translate", {}).values())
            if empty:
                lines.append(f"{_count(empty, 'string')} left alone: only placeholders, markup or numbers")
        if self.interrupted:
            lines.append("prefill was interrupted: every finished batch is saved; run it again to resume")
        return lines


def _count(number: int, singular: str, plural: str | None = None) -> str:
    return f"{number} {singular if number == 1 else (plural or singular + 's')}"


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= width else text[: width - 1] + "…")


def _same_draft(entry: polib.POEntry, draft: Draft) -> bool:
    current = entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr
    return entry.fuzzy and current == draft.text and f"{DRAFT_MARK} {draft.origin}," in (entry.tcomment or "")


def _catalogs(settings: Settings, languages: tuple[Language, ...]) -> dict[str, list[tuple[Path, polib.POFile]]]:
    """Every existing catalog of the languages, read (and so validated) before anything is sent."""
    slugs = template_slugs(settings)
    if not slugs:
        raise LocflowError("no templates found: run `locflow extract` and `locflow update` first", settings.templates_dir)
    found: dict[str, list[tuple[Path, polib.POFile]]] = {}
    for language in languages:
        for slug in slugs:
            path = catalog_path(settings.locales_dir, language.code, slug)
            if path.exists():
                found.setdefault(language.code, []).append((path, read_catalog(path)))
    if not found:
        raise LocflowError("no catalogs found: run `locflow update` first", settings.locales_dir)
    return found


def messages_of(catalog: polib.POFile) -> list[tuple[polib.POEntry, Message]]:
    """Every live entry of an article's catalog as a :class:`Message` with its surroundings:
    the article's title, the messages before and after it, its extracted comments."""
    entries = [entry for entry in catalog if entry.msgid and not entry.obsolete]
    title = next((entry.msgid for entry in entries if "type: title" in (entry.comment or "")), "")
    out = []
    for index, entry in enumerate(entries):
        before = entries[index - 1].msgid if index > 0 else ""
        after = entries[index + 1].msgid if index + 1 < len(entries) else ""
        message = Message(
            entry.msgid, entry.msgctxt, title=title, before=before, after=after,
            notes=(entry.comment or "").strip(),
        )
        out.append((entry, message))
    return out


def prefill(
    settings: Settings,
    languages: tuple[Language, ...] | None = None,
    *,
    provider: str | None = None,
    overwrite_fuzzy: bool = False,
    dry_run: bool = False,
    concurrency: int | None = None,
    progress: Progress | None = None,
    today: _dt.date | None = None,
) -> PrefillReport:
    """Fill empty entries (and fuzzy drafts with ``overwrite_fuzzy``) with drafts.

    ``concurrency``: HTTP requests at a time (default: ``[tool.locflow.machine]
    concurrency``). Returns a report; an interrupted run (Ctrl-C, SIGTERM turned
    into KeyboardInterrupt) returns with ``interrupted`` set after keeping every
    batch received.
    """
    config = prefill_settings(settings)
    languages = languages or settings.languages
    # Pseudo-locales are generated offline, whole, and never sent to a draft source.
    pseudo = tuple(language for language in languages if language.pseudo)
    languages = tuple(language for language in languages if not language.pseudo)
    report = PrefillReport(root=settings.root, dry_run=dry_run)
    if pseudo and not dry_run:
        from .pseudo import generate

        report.pseudo = generate(settings, pseudo)
    if not languages:
        return report
    catalogs = _catalogs(settings, languages)
    options = {"provider": provider, "concurrency": concurrency}
    sources = []
    try:
        for name in config.sources:
            sources.append(load_source(name, settings, options))
        if provider is not None and not any(source.name == "machine" for source in sources):
            raise ConfigError(f"--provider {provider}: the machine draft source is not in {settings.table_name('prefill')} sources")
        for source in sources:
            source.check_languages(languages)

        work: list[tuple[Language, list[Message], LanguageResult, dict]] = []
        for language in languages:
            result = LanguageResult(language.code)
            report.languages.append(result)
            messages: dict[tuple, Message] = {}
            where: dict[tuple, list[Path]] = {}  # message → the catalogs that have it empty
            for path, catalog in catalogs.get(language.code, []):
                for entry, message in messages_of(catalog):
                    if is_fillable(entry, overwrite_fuzzy):
                        result.fillable += 1
                        messages.setdefault(message, message)  # the first article's surroundings
                        where.setdefault(message, []).append(path)
            work.append((language, list(messages.values()), result, where))
        total = sum(len(messages) for _, messages, _, _ in work)
        done = 0
        for language, messages, result, where in work:
            if dry_run:
                report.plan.extend(_plan(sources, language, messages))
                continue

            def paths(drafts: dict) -> list[Path]:  # only the catalogs these drafts go to
                found = {path for key in drafts for path in where.get(key, ())}
                return [path for path, _ in catalogs.get(language.code, []) if path in found]

            remaining = messages
            for source in sources:
                if not remaining:
                    break
                chunk: dict = {}
                drafted: set = set()
                stream = source.stream(language, remaining, config.batch_size)
                try:
                    for chunk in stream:
                        _write(settings, language, paths(chunk), chunk, overwrite_fuzzy, result, today)
                        drafted.update(chunk)
                        done += len(chunk)
                        if progress is not None:
                            progress(min(done, total), total, language.code)
                except KeyboardInterrupt as stop:
                    # Keep every draft received: the source hands over what arrived before the
                    # interruption (if it came while a batch was being written, the source is
                    # told now, and hands over what is on its way), and a write the signal cut
                    # short is done again.
                    found = {**chunk, **getattr(stop, "drafts", {})}
                    try:
                        stream.throw(KeyboardInterrupt())
                    except KeyboardInterrupt as late:
                        found.update(getattr(late, "drafts", {}))
                    except StopIteration:
                        pass
                    finally:
                        stream.close()
                    report.interrupted = True
                    if found:
                        _write(settings, language, paths(found), found, overwrite_fuzzy, result, today)
                    return report
                remaining = [message for message in remaining if message not in drafted]
            done += len(remaining)  # settled: no source has a draft for them
            if progress is not None:
                progress(min(done, total), total, language.code)
    finally:
        for source in sources:
            status = source.status()
            if status:
                report.sources[source.name] = status
            source.close()
    return report


def _plan(sources, language: Language, messages: list[Message]) -> list:
    """Dry run: local sources (memory) cover what they can; the first source that would
    send text somewhere says how much it would send."""
    remaining = messages
    for source in sources:
        plan = source.plan(language, remaining)
        if plan.rows:
            return plan.rows
        remaining = [message for message in remaining if message not in plan.covered]
    return []


def _write(
    settings: Settings,
    language: Language,
    paths: list[Path],
    drafts: dict[str, Draft],
    overwrite_fuzzy: bool,
    result: LanguageResult,
    today: _dt.date | None,
) -> None:
    """Apply one batch of drafts to the catalogs as they are on disk now, and save them."""
    with project_lock(settings):
        for path in paths:
            if not path.exists():
                continue
            catalog = read_catalog(path)  # fresh: keep whatever a translator saved meanwhile
            origins: Counter = Counter()
            for entry in catalog:
                draft = drafts.get((entry.msgctxt, entry.msgid))
                if draft is None or not is_fillable(entry, overwrite_fuzzy) or _same_draft(entry, draft):
                    continue
                apply_draft(entry, draft, today)
                origins[draft.origin] += 1
            if origins and save_catalog(catalog, path, settings.layout):
                result.drafted.update(origins)
                result.files.add(path)
