"""Checks on catalogs: completeness (gettext's own counting) and, per message, quality.

Every quality check is a small function registered by name with :func:`check`,
as in Babel's ``babel.messages.checkers``: it has a name, a severity
(``error`` or ``warning``) and a one-line explanation, and yields
:class:`Problem`\\ s. A *message* check sees one translated message
(:class:`Message`); a *catalog* check sees a whole PO file (:class:`Catalog`);
a *site* check sees every catalog of one language at once (:class:`Site`,
built from a small digest each catalog's worker returns), for what only the
whole site shows: the same string translated two ways, catalogs that disagree
on their Plural-Forms.

Only published text is checked: fuzzy and untranslated entries are drafts,
obsolete ones are gone, and none of them is quality-checked. A translator
silences a check on one entry with the flag ``#, ignore-<check-name>``;
maintainers switch checks off per project or language in
``[tool.locflow.checks]`` (see :mod:`locflow.checks.settings`).
"""

from __future__ import annotations

import gc
import re
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import polib

from ..files import display_path
from ..catalogs import Stats, catalog_path, is_translated, statistics, template_path
from ..config import Settings
from ..glossary import Term, glossary_path, load_glossary
from ..languages import Language
from ..project import template_slugs
from ..errors import LocflowError
from ..parallel import imap
from ..state import StepState, fingerprint, settings_salt
from .facts import Facts, facts
from .text import Analysis, analyze, format_key

SEVERITIES = ("error", "warning")
SCOPES = ("message", "catalog", "site")
IGNORE_FLAG_PREFIX = "ignore-"


@dataclass(frozen=True)
class Finding:
    """One problem found in one catalog (a language's translation of an article)."""

    check: str
    severity: str  # "error" | "warning"
    language: str | None
    article: str | None
    file: Path | None
    line: int | None  # the entry's line in the PO file (polib's POEntry.linenum), or msgfmt's line
    msgid: str
    message: str
    msgstr: str = ""  # the translation (or plural form) the problem is in
    context: str | None = None  # the entry's msgctxt

    def to_dict(self, root: Path) -> dict[str, Any]:
        """Every field, for the findings cache (:meth:`from_dict` reads it back). The
        file is named relative to the project, so a project copied or moved with
        its cache (or a cache restored in CI under another folder) names its own files."""
        return {**self.__dict__, "file": _shown(self.file, root) if self.file is not None else None}

    @classmethod
    def from_dict(cls, data: dict[str, Any], root: Path) -> "Finding":
        return cls(**{**data, "file": _under(root, data["file"]) if data.get("file") else None})

    def as_dict(self, root: Path) -> dict[str, Any]:
        return {
            "check": self.check,
            "severity": self.severity,
            "language": self.language,
            "article": self.article,
            "file": _shown(self.file, root) if self.file is not None else None,
            "line": self.line,
            "context": self.context,
            "msgid": self.msgid,
            "msgstr": self.msgstr,
            "message": self.message,
        }


# A site's findings name a few thousand files many times over: each path is made and
# shown once (pathlib is slow next to a dictionary).
@lru_cache(maxsize=65536)
def _shown(path: Path, root: Path) -> str:
    return display_path(path, root)


@lru_cache(maxsize=65536)
def _under(root: Path, name: str) -> Path:
    return root / name


@dataclass(frozen=True)
class Problem:
    """What a check yields: a one-line description, and the translation it is about."""

    message: str
    msgstr: str = ""
    line: int | None = None  # catalog checks: the line in the file
    msgid: str = ""  # catalog checks: the message the line belongs to
    context: str | None = None  # catalog checks: that message's msgctxt
    severity: str | None = None  # overrides the check's own severity
    environment: bool = False  # about the machine (a tool is missing), not about this catalog


class Form:
    """A source string and its translation; a plural message has one per msgstr[n].

    ``src`` and ``tr`` are the two strings analysed (see :mod:`locflow.checks.text`;
    cached per string, so a source shared by many languages is analysed once)."""

    __slots__ = ("index", "source", "translation", "fmt", "src", "tr")

    def __init__(self, index: int | None, source: str, translation: str, fmt: tuple[bool, bool] = (True, False)):
        self.index = index  # None for a singular message, n for msgstr[n]
        self.source = source
        self.translation = translation
        self.fmt = fmt  # placeholders that are code: (brace, percent)
        self.src: Analysis = analyze(source, *fmt)
        self.tr: Analysis = analyze(translation, *fmt)

    def problem(self, message: str) -> Problem:
        prefix = f"msgstr[{self.index}]: " if self.index is not None else ""
        return Problem(prefix + message, self.translation)

    def __repr__(self) -> str:
        return f"Form({self.index!r}, {self.source!r}, {self.translation!r})"


@dataclass(frozen=True)
class CheckOptions:
    """Settings some checks read (from ``[tool.locflow.checks]``)."""

    length_ratio: tuple[float, float] = (0.5, 2.5)
    length_min_source: int = 20
    ellipsis: str = "source"  # "source": as the source writes it; "character": always … (U+2026)


class Message:
    """One translated message of one catalog, as the message checks see it (read-only)."""

    __slots__ = ("entry", "language", "source_language", "nplurals", "glossary", "options",
                 "language_facts", "source_language_facts", "forms")

    def __init__(
        self,
        entry: polib.POEntry,
        language: Language,
        source_language: Language,
        nplurals: int | None,  # from the catalog's Plural-Forms header
        glossary: tuple[Term, ...] = (),
        options: CheckOptions | None = None,
        language_facts: Facts | None = None,  # facts(language), when the caller has it already
        source_language_facts: Facts | None = None,
    ):
        self.entry = entry
        self.language = language
        self.source_language = source_language
        self.nplurals = nplurals
        self.glossary = glossary
        self.options = options if options is not None else CheckOptions()
        self.language_facts = language_facts
        self.source_language_facts = source_language_facts
        self.forms: tuple[Form, ...] = self._forms()

    @property
    def flags(self) -> list[str]:
        return self.entry.flags

    def _forms(self) -> tuple[Form, ...]:
        """(source, translation) pairs: msgstr[0] against msgid, the others against msgid_plural."""
        entry = self.entry
        fmt = format_key(entry.flags)
        if not entry.msgid_plural:
            return (Form(None, entry.msgid, entry.msgstr, fmt),)
        return tuple(
            Form(index, entry.msgid if index == 0 else entry.msgid_plural, text, fmt)
            for index, text in sorted(entry.msgstr_plural.items())
        )

    @property
    def facts(self) -> Facts:
        """How the language writes (punctuation, quotes, number symbols): :mod:`locflow.checks.facts`."""
        return self.language_facts or facts(self.language)

    @property
    def source_facts(self) -> Facts:
        return self.source_language_facts or facts(self.source_language)

    @property
    def format(self) -> str | None:
        """The format of the article the message comes from ("markdown", "html", "text"), from its references."""
        for reference, _ in self.entry.occurrences:
            suffix = reference.rsplit(".", 1)[-1].lower()
            return {"md": "markdown", "markdown": "markdown", "html": "html", "htm": "html"}.get(suffix, "text")
        return None


@dataclass(frozen=True)
class Catalog:
    """One PO file, as the catalog checks see it."""

    path: Path
    article: str
    language: Language
    catalog: polib.POFile


@dataclass(frozen=True)
class SiteEntry:
    """One checked message of one catalog, as a site check sees it."""

    article: str
    file: Path
    line: int
    context: str | None
    msgid: str
    msgid_plural: str
    translation: str | tuple[str, ...]  # the msgstr, or the plural forms in order
    ignored: frozenset[str]  # checks silenced on the entry (#, ignore-<name>)

    @property
    def shown(self) -> str:
        return self.translation if isinstance(self.translation, str) else " | ".join(self.translation)


@dataclass(frozen=True)
class SiteCatalog:
    """One catalog of a language, as a site check sees it."""

    article: str
    file: Path
    plural_forms: str | None  # the Plural-Forms header
    plural_line: int | None  # its line in the file
    entries: tuple[SiteEntry, ...]


@dataclass(frozen=True)
class Site:
    """Every catalog of one language (what a site check sees)."""

    language: Language
    catalogs: tuple[SiteCatalog, ...]
    root: Path


@dataclass(frozen=True)
class SiteProblem:
    """What a site check yields: a problem in one catalog, at a line."""

    file: Path
    article: str
    line: int | None
    message: str
    msgid: str = ""
    msgstr: str = ""
    context: str | None = None


MessageCheck = Callable[[Message], Iterable[Problem]]
CatalogCheck = Callable[[Catalog], Iterable[Problem]]
SiteCheck = Callable[[Site], Iterable[SiteProblem]]


@dataclass(frozen=True)
class Check:
    """A registered check."""

    name: str
    severity: str
    explanation: str
    function: Callable[[Any], Iterable[Any]]
    scope: str  # "message" | "catalog" | "site"
    applies: Callable[[Facts], bool] | None = None  # the languages it has anything to say about (None: all)
    languages: str = ""  # those languages, in words, for --list-checks

    def applies_to(self, language: Language) -> bool:
        return self.applies is None or self.applies(facts(language))


REGISTRY: dict[str, Check] = {}
_NAME = re.compile(r"^[a-z][a-z0-9-]*$")


def check(name: str, severity: str, explanation: str, *, scope: str = "message",
          applies: Callable[[Facts], bool] | None = None, languages: str = ""):
    """Register a check function under ``name`` (a decorator).

    ``severity`` is ``"error"`` or ``"warning"``; ``explanation`` is the one
    line shown by ``locflow check --list-checks``; ``scope`` is ``"message"``
    (the function takes a :class:`Message`), ``"catalog"`` (a :class:`Catalog`)
    or ``"site"`` (a :class:`Site`: every catalog of a language; it yields
    :class:`SiteProblem`\\ s). ``applies``, given a language's
    :class:`~locflow.checks.facts.Facts`, says whether the check has anything
    to say in that language (French spacing only in French); ``languages``
    says the same in words for ``--list-checks``.
    """
    if not _NAME.match(name):
        raise ValueError(f"check name {name!r}: lowercase letters, digits and '-'")
    if severity not in SEVERITIES:
        raise ValueError(f"check {name!r}: severity must be one of {SEVERITIES}")
    if scope not in SCOPES:
        raise ValueError(f"check {name!r}: scope must be one of {SCOPES}")

    def register(function):
        if name in REGISTRY and REGISTRY[name].function is not function:
            raise ValueError(f"a check named {name!r} is already registered")
        REGISTRY[name] = Check(name, severity, explanation, function, scope, applies, languages)
        return function

    return register


def registered() -> dict[str, Check]:
    """Every registered check, by name, in the order they run."""
    _load_builtin_checks()
    return REGISTRY


_ORDERED = False


def _load_builtin_checks() -> None:
    """Import the modules that register the built-in checks; they run (and are listed)
    module by module in this order, whichever module some other code imported first."""
    global _ORDERED
    if _ORDERED:
        return
    from . import consistency, msgfmt, punctuation, quality, safety, template, typography

    modules = [module.__name__ for module in (quality, punctuation, typography, safety, msgfmt, template, consistency)]
    rank = {name: index for index, name in enumerate(modules)}
    ordered = sorted(REGISTRY.values(), key=lambda c: rank.get(c.function.__module__, len(modules)))
    REGISTRY.clear()
    REGISTRY.update((c.name, c) for c in ordered)  # sorted() is stable: a module's checks keep their order
    _ORDERED = True


# ---------------------------------------------------------------------------
# Running the checks
# ---------------------------------------------------------------------------


def nplurals_of(catalog: polib.POFile) -> int | None:
    match = re.search(r"nplurals\s*=\s*(\d+)", catalog.metadata.get("Plural-Forms", ""))
    return int(match.group(1)) if match else None


def is_checked(entry: polib.POEntry) -> bool:
    """Whether an entry is published text, and so quality-checked: translated, not fuzzy, not obsolete."""
    return bool(entry.msgid) and is_translated(entry)


def ignored(entry: polib.POEntry, name: str) -> bool:
    """Whether the entry carries the flag ``ignore-<name>``."""
    return f"{IGNORE_FLAG_PREFIX}{name}" in entry.flags


def check_catalog(
    unit: Catalog,
    checks: Iterable[Check],
    source_language: Language,
    glossary: Iterable[Term] = (),
    options: CheckOptions | None = None,
    digest: list | None = None,
) -> list[Finding]:
    """Run the message and catalog ``checks`` on one catalog and return what they found, in file order.

    A translation that is only whitespace is reported by the ``blank`` check
    alone: every other message check would only restate that it is empty.
    ``digest``, if given, receives the site checks' row of every checked entry
    (see :func:`site_digest`), in the same pass.
    """
    options = options or CheckOptions()
    checks = list(checks)
    nplurals = nplurals_of(unit.catalog)
    glossary = tuple(glossary)
    findings: list[Finding] = []
    order = {name: index for index, name in enumerate(REGISTRY)}

    def finding(chk: Check, problem: Problem, entry: polib.POEntry | None) -> Finding:
        severity = problem.severity or chk.severity
        if problem.environment:
            return Finding(chk.name, severity, None, None, None, None, "", problem.message)
        return Finding(
            check=chk.name,
            severity=severity,
            language=unit.language.code,
            article=unit.article,
            file=unit.path,
            line=problem.line if problem.line is not None else (entry.linenum if entry is not None else None),
            msgid=entry.msgid if entry is not None else problem.msgid,
            message=problem.message,
            msgstr=problem.msgstr,
            context=entry.msgctxt if entry is not None else problem.context,
        )

    message_checks = [chk for chk in checks if chk.scope == "message" and chk.applies_to(unit.language)]
    blank_check = next((chk for chk in message_checks if chk.name == "blank"), None)
    language_facts, source_facts = facts(unit.language), facts(source_language)
    for entry in unit.catalog:
        if not is_checked(entry):
            continue
        if digest is not None:
            digest.append(_digest_row(entry))
        if not message_checks:
            continue
        message = Message(entry, unit.language, source_language, nplurals, glossary, options, language_facts, source_facts)
        if any(form.translation.isspace() for form in message.forms):
            run = [blank_check] if blank_check is not None else []
            run += [chk for chk in message_checks if chk.name == "plural-forms"]
        else:
            run = message_checks
        silenced = [flag[len(IGNORE_FLAG_PREFIX):] for flag in entry.flags if flag.startswith(IGNORE_FLAG_PREFIX)]
        if silenced:
            run = [chk for chk in run if chk.name not in silenced]
        for chk in run:
            for problem in chk.function(message):
                findings.append(finding(chk, problem, entry))
    for chk in checks:
        if chk.scope == "catalog":
            for problem in chk.function(unit):
                findings.append(finding(chk, problem, None))
    findings.sort(key=lambda f: (f.line or 0, order[f.check]))
    return findings


# ---------------------------------------------------------------------------
# Site checks: a digest of each catalog, every catalog of a language at once
# ---------------------------------------------------------------------------

_PLURAL_FORMS_LINE = re.compile(r'^"Plural-Forms:', re.MULTILINE)


def site_digest(catalog: polib.POFile, text: str | None = None, rows: list | None = None) -> dict[str, Any]:
    """What the site checks need of one catalog, small enough to cache as JSON: its
    Plural-Forms header (and line), and every checked message with its line
    (``rows``: those :func:`check_catalog` collected already)."""
    plural_line = None
    if text is not None and "Plural-Forms" in catalog.metadata:
        match = _PLURAL_FORMS_LINE.search(text)
        if match:
            plural_line = text.count("\n", 0, match.start()) + 1
    if rows is None:
        rows = [_digest_row(entry) for entry in catalog if is_checked(entry)]
    return {"plural_forms": catalog.metadata.get("Plural-Forms"), "plural_line": plural_line, "entries": rows}


def _digest_row(entry: polib.POEntry) -> list:
    value: str | list[str] = (
        [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)] if entry.msgid_plural else entry.msgstr
    )
    ignores = [flag[len(IGNORE_FLAG_PREFIX):] for flag in entry.flags if flag.startswith(IGNORE_FLAG_PREFIX)] \
        if entry.flags else []
    return [entry.linenum, entry.msgctxt, entry.msgid, entry.msgid_plural or "", value, ignores]


def _site_catalog(article: str, path: Path, digest: dict[str, Any]) -> SiteCatalog:
    entries = tuple(
        SiteEntry(article, path, line, ctxt, msgid, plural, value if isinstance(value, str) else tuple(value), frozenset(ignores))
        for line, ctxt, msgid, plural, value, ignores in digest["entries"]
    )
    return SiteCatalog(article, path, digest.get("plural_forms"), digest.get("plural_line"), entries)


def run_site_checks(site: Site, checks: Iterable[Check]) -> list[Finding]:
    """Run the site ``checks`` on every catalog of one language."""
    findings = []
    for chk in checks:
        for problem in chk.function(site):
            findings.append(Finding(
                check=chk.name, severity=chk.severity, language=site.language.code, article=problem.article,
                file=problem.file, line=problem.line, msgid=problem.msgid, message=problem.message,
                msgstr=problem.msgstr, context=problem.context,
            ))  # fmt: skip
    return findings


# ---------------------------------------------------------------------------
# Running the checks over a site, in worker processes
# ---------------------------------------------------------------------------


_GC_TUNED = False


def _tune_gc() -> None:
    """Parsing and checking a catalog allocates many small objects and frees them by reference
    counting; the cycle collector, run every 700 allocations over a heap of parsed catalogs and
    caches, found nothing and cost a tenth of the time. Run it far less often (once per process)."""
    global _GC_TUNED
    if not _GC_TUNED:
        gc.freeze()  # what the process has so far (modules, Babel's data) is never garbage
        gc.set_threshold(50_000, 20, 20)
        _GC_TUNED = True


def _check_one(job) -> "tuple[list[Finding], dict | None, list[int]] | LocflowError":
    """Worker: read one catalog (when its turn comes: memory holds a few, not the site),
    count it as msgfmt does, check it, and digest it for the site checks."""
    path, slug, language, names, glossary, options, source_language, digest = job
    from ..project import read_language_catalog
    from . import msgfmt

    _tune_gc()
    checks = registered()
    running = msgfmt.start(path) if "msgfmt" in names else None  # msgfmt works while Python checks
    try:
        try:
            # Held to what build needs: msgfmt --check's structure, the folder's language, its plural forms.
            _, catalog, data = read_language_catalog(path, language)
            unit = Catalog(path, slug, language, catalog)
        except LocflowError as exc:
            return exc
        if running is not None:
            msgfmt.adopt(path, running)
        counted = statistics(unit.catalog)
        rows: list | None = [] if digest else None
        found = check_catalog(unit, [checks[name] for name in names], source_language, glossary, options, rows)
        summary = site_digest(unit.catalog, data.decode("utf-8", "replace"), rows) if digest else None
        return found, summary, [counted.translated, counted.fuzzy, counted.untranslated]
    finally:
        if running is not None:
            msgfmt.discard(running)  # a no-op once check_msgfmt collected it


def _sort_key(languages: list[str]):
    rank = {code: index for index, code in enumerate(languages)}
    order = {name: index for index, name in enumerate(REGISTRY)}
    return lambda f: (rank.get(f.language, -1), f.article or "", f.line or 0, order.get(f.check, 0), f.message)


def run_checks(
    settings: Settings,
    languages: Iterable[Language] | None = None,
    only: Iterable[str] | None = None,
    counts: dict[Path, Stats] | None = None,
) -> list[Finding]:
    """Run the enabled checks on every catalog of ``languages`` (all by default).

    ``only`` restricts the run to the named checks (still minus those disabled
    for a language). A catalog that does not exist yet has nothing to check.
    Findings come grouped by language, then article, then line. ``counts``, if
    given, receives msgfmt's counts of every catalog checked (each worker has
    the catalog parsed already; completeness then reads none of them again).

    What is cached (``.locflow-cache/state.sqlite3``): per catalog, its findings
    and counts, valid while the catalog, its template, the glossary and the
    settings are as they were; per catalog too, apart, the digest the site
    checks read; per language, the site checks' findings, valid while every
    catalog of the language is as it was. A rerun with nothing changed reads
    findings only.
    """
    from .settings import check_settings

    config = check_settings(settings)
    checks = registered()
    only = list(only) if only is not None else None
    if only is not None:
        config.validate_names(only, "--only")
    state = StepState(settings.cache_dir, "checks", settings.root)
    digest_state = StepState(settings.cache_dir, "checks-digest", settings.root)
    site_state = StepState(settings.cache_dir, "checks-site", settings.root)
    msgfmt_present = shutil.which("msgfmt") is not None
    languages = list(languages or settings.languages)
    slugs = template_slugs(settings)

    plans: list[_Plan] = []
    cached: dict[str, list[Finding]] = {}  # by catalog key: findings from the cache
    for language in languages:
        enabled = [checks[name] for name in config.enabled(language.code, only)]
        if language.pseudo:  # generated text: only whole-catalog checks (msgfmt) say anything useful
            enabled = [item for item in enabled if item.scope == "catalog"]
        per_catalog = [item for item in enabled if item.scope != "site"]
        site = [item for item in enabled if item.scope == "site"]
        if not per_catalog and not site:
            continue
        glossary_file = glossary_path(settings.locales_dir, language.code)
        glossary = load_glossary(glossary_file)
        options = config.options(language)
        salt = settings_salt("checks", language, [item.name for item in per_catalog], repr(options),
                             settings.source_language.code, msgfmt_present)
        names = tuple(item.name for item in per_catalog)
        plan = _Plan(language, salt, site, (names, glossary_file, glossary, options))
        plans.append(plan)
        for slug in slugs:
            path = catalog_path(settings.locales_dir, language.code, slug)
            if not path.exists():
                continue
            key = f"{language.code}/{slug}"
            record = state.fresh(key, salt)
            payload = record.payload if record is not None else None
            if isinstance(payload, dict) and isinstance(payload.get("findings"), list) and len(payload.get("stats", ())) == 3:
                cached[key] = [Finding.from_dict(item, settings.root) for item in payload["findings"]]
                if counts is not None:
                    counts[path] = Stats(*payload["stats"])
                plan.fresh[key] = (slug, path, dict(record.files))
                continue
            plan.stale.append(plan.job(key, slug, path, settings))

    # A language's site findings stand while every one of its catalogs is as it was.
    site_found: dict[str, list[Finding]] = {}
    digests: dict[str, list[tuple[str, Path, dict]]] = {}
    for plan in plans:
        if not plan.site:
            continue
        code = plan.language.code
        if not plan.stale:
            record = site_state.fresh(code, _site_salt(plan.salt, plan.site, plan.fresh))
            if record is not None and isinstance(record.payload, list):
                site_found[code] = [Finding.from_dict(item, settings.root) for item in record.payload]
                continue
        for key, (slug, path, files) in list(plan.fresh.items()):
            record = digest_state.fresh(key, plan.salt)
            if record is not None and isinstance(record.payload, dict):
                digests.setdefault(code, []).append((slug, path, record.payload))
            else:  # checked before without the site checks (--only): check it again, with its digest
                del plan.fresh[key]
                cached.pop(key, None)
                plan.stale.append(plan.job(key, slug, path, settings))

    # Checking is CPU-bound Python (and a msgfmt run) per catalog: worker processes, in
    # order; each result is stored as it comes, while the workers go on with the next.
    # An article's catalogs go one after the other, so a worker reads its template once.
    stale = sorted(((plan, item) for plan in plans for item in plan.stale), key=lambda pair: pair[1][2][1])
    outcomes = imap(_check_one, [item[2] for _, item in stale], label="check")
    errors: list[LocflowError] = []
    results: list[list[Finding]] = []
    for (plan, (key, prints, job)), outcome in zip(stale, outcomes):
        if isinstance(outcome, LocflowError):
            errors.append(outcome)
            continue
        found, digest, stats = outcome
        path, slug = job[0], job[1]
        state.put(key, plan.salt, prints, {"findings": [item.to_dict(settings.root) for item in found], "stats": stats})
        if digest is not None:
            digest_state.put(key, plan.salt, prints, digest)
            digests.setdefault(plan.language.code, []).append((slug, path, digest))
            plan.fresh[key] = (slug, path, {state.name(Path(name)): fp for name, fp in prints.items()})
        if counts is not None:
            counts[path] = Stats(*stats)
        results.append(found)
    state.save()  # keep what was checked even if a catalog was bad
    digest_state.save()
    if errors:
        raise errors[0]

    findings: list[Finding] = []
    global_findings: list[Finding] = []
    for found in [*cached.values(), *results]:
        for item in found:
            (global_findings if item.language is None else findings).append(item)
    # Site checks: every catalog of a language, from the digests (fresh or cached).
    for plan in plans:
        if not plan.site:
            continue
        code = plan.language.code
        if code not in site_found:
            catalogs = sorted(digests.get(code, []), key=lambda item: item[0])
            site = Site(plan.language, tuple(_site_catalog(slug, path, digest) for slug, path, digest in catalogs), settings.root)
            site_found[code] = run_site_checks(site, plan.site)
            site_state.put(code, _site_salt(plan.salt, plan.site, plan.fresh), {},
                           [item.to_dict(settings.root) for item in site_found[code]])
        findings.extend(site_found[code])
    site_state.save()
    findings.sort(key=_sort_key([language.code for language in languages]))
    # A problem with the environment (msgfmt missing) is reported once, not per catalog.
    seen: set[tuple[str, str]] = set()
    for item in global_findings:
        if (item.check, item.message) not in seen:
            seen.add((item.check, item.message))
            findings.append(item)
    return findings


@dataclass
class _Plan:
    """What run_checks does for one language: its cached catalogs and those to check."""

    language: Language
    salt: str
    site: list[Check]
    setup: tuple  # (names of the per-catalog checks, glossary file, glossary terms, options)
    fresh: dict[str, tuple[str, Path, dict]] = field(default_factory=dict)  # key -> (slug, path, fingerprints)
    stale: list[tuple] = field(default_factory=list)  # (key, fingerprints, worker job)

    def job(self, key: str, slug: str, path: Path, settings: Settings) -> tuple:
        names, glossary_file, glossary, options = self.setup
        # Fingerprints taken before reading: an edit made meanwhile is seen next time.
        files = [path, template_path(settings.locales_dir, slug), glossary_file]
        prints = {str(file): fingerprint(file) for file in files}
        job = (path, slug, self.language, names, glossary, options, settings.source_language, bool(self.site))
        return key, prints, job


def _site_salt(salt: str, checks: list[Check], catalogs: dict[str, tuple[str, Path, dict]]) -> str:
    """What a language's site findings depend on: the settings, the site checks, and every
    catalog (with the fingerprints of its files) the digests came from."""
    return settings_salt("checks-site", salt, [item.name for item in checks],
                         sorted((key, sorted(files.items())) for key, (_, _, files) in catalogs.items()))


__all__ = [
    "REGISTRY",
    "SEVERITIES",
    "Catalog",
    "Check",
    "CheckOptions",
    "Finding",
    "Form",
    "Message",
    "Problem",
    "Site",
    "SiteCatalog",
    "SiteEntry",
    "SiteProblem",
    "check",
    "check_catalog",
    "ignored",
    "is_checked",
    "registered",
    "run_checks",
    "run_site_checks",
    "site_digest",
]
