"""Checks on catalogs: completeness (gettext's own counting) and, per message, quality.

Every quality check is a small function registered by name with :func:`check`,
as in Babel's ``babel.messages.checkers``: it has a name, a severity
(``error`` or ``warning``) and a one-line explanation, and yields
:class:`Problem`\\ s. A *message* check sees one translated message
(:class:`Message`); a *catalog* check sees a whole PO file (:class:`Catalog`).

Only published text is checked: fuzzy and untranslated entries are drafts,
obsolete ones are gone, and none of them is quality-checked. A translator
silences a check on one entry with the flag ``#, ignore-<check-name>``;
maintainers switch checks off per project or language in
``[tool.locflow.checks]`` (see :mod:`locflow.checks.settings`).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polib

from ..files import display_path
from ..catalogs import catalog_path, is_translated, read_catalog, template_path
from ..config import Settings
from ..glossary import Term, glossary_path, load_glossary
from ..languages import Language
from ..project import template_slugs
from ..errors import LocflowError
from ..parallel import imap
from ..state import StepState, fingerprint, settings_salt

SEVERITIES = ("error", "warning")
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
        return {**self.__dict__, "file": display_path(self.file, root) if self.file is not None else None}

    @classmethod
    def from_dict(cls, data: dict[str, Any], root: Path) -> "Finding":
        return cls(**{**data, "file": root / data["file"] if data.get("file") else None})

    def as_dict(self, root: Path) -> dict[str, Any]:
        return {
            "check": self.check,
            "severity": self.severity,
            "language": self.language,
            "article": self.article,
            "file": display_path(self.file, root) if self.file is not None else None,
            "line": self.line,
            "context": self.context,
            "msgid": self.msgid,
            "msgstr": self.msgstr,
            "message": self.message,
        }


@dataclass(frozen=True)
class Problem:
    """What a check yields: a one-line description, and the translation it is about."""

    message: str
    msgstr: str = ""
    line: int | None = None  # catalog checks: the line in the file
    msgid: str = ""  # catalog checks: the message the line belongs to
    severity: str | None = None  # overrides the check's own severity
    environment: bool = False  # about the machine (a tool is missing), not about this catalog


@dataclass(frozen=True)
class Form:
    """A source string and its translation; a plural message has one per msgstr[n]."""

    index: int | None  # None for a singular message, n for msgstr[n]
    source: str
    translation: str

    def problem(self, message: str) -> Problem:
        prefix = f"msgstr[{self.index}]: " if self.index is not None else ""
        return Problem(prefix + message, self.translation)


@dataclass(frozen=True)
class CheckOptions:
    """Settings some checks read (from ``[tool.locflow.checks]``)."""

    length_ratio: tuple[float, float] = (0.5, 2.5)
    length_min_source: int = 20


@dataclass(frozen=True)
class Message:
    """One translated message of one catalog, as the message checks see it."""

    entry: polib.POEntry
    language: Language
    source_language: Language
    nplurals: int | None  # from the catalog's Plural-Forms header
    glossary: tuple[Term, ...] = ()
    options: CheckOptions = field(default_factory=CheckOptions)

    @property
    def flags(self) -> list[str]:
        return self.entry.flags

    @property
    def forms(self) -> tuple[Form, ...]:
        """(source, translation) pairs: msgstr[0] against msgid, the others against msgid_plural."""
        entry = self.entry
        if not entry.msgid_plural:
            return (Form(None, entry.msgid, entry.msgstr),)
        return tuple(
            Form(index, entry.msgid if index == 0 else entry.msgid_plural, text)
            for index, text in sorted(entry.msgstr_plural.items())
        )


@dataclass(frozen=True)
class Catalog:
    """One PO file, as the catalog checks see it."""

    path: Path
    article: str
    language: Language
    catalog: polib.POFile


MessageCheck = Callable[[Message], Iterable[Problem]]
CatalogCheck = Callable[[Catalog], Iterable[Problem]]


@dataclass(frozen=True)
class Check:
    """A registered check."""

    name: str
    severity: str
    explanation: str
    function: Callable[[Any], Iterable[Problem]]
    scope: str  # "message" | "catalog"


REGISTRY: dict[str, Check] = {}
_NAME = re.compile(r"^[a-z][a-z0-9-]*$")


def check(name: str, severity: str, explanation: str, *, scope: str = "message"):
    """Register a check function under ``name`` (a decorator).

    ``severity`` is ``"error"`` or ``"warning"``; ``explanation`` is the one
    line shown by ``locflow check --list-checks``; ``scope`` is ``"message"``
    (the function takes a :class:`Message`) or ``"catalog"`` (a :class:`Catalog`).
    """
    if not _NAME.match(name):
        raise ValueError(f"check name {name!r}: lowercase letters, digits and '-'")
    if severity not in SEVERITIES:
        raise ValueError(f"check {name!r}: severity must be one of {SEVERITIES}")
    if scope not in ("message", "catalog"):
        raise ValueError(f"check {name!r}: scope must be 'message' or 'catalog'")

    def register(function):
        if name in REGISTRY and REGISTRY[name].function is not function:
            raise ValueError(f"a check named {name!r} is already registered")
        REGISTRY[name] = Check(name, severity, explanation, function, scope)
        return function

    return register


def registered() -> dict[str, Check]:
    """Every registered check, by name, in the order they run."""
    _load_builtin_checks()
    return REGISTRY


def _load_builtin_checks() -> None:
    # Importing the modules registers their checks (once: modules are cached), in this order.
    from . import quality  # noqa: F401
    from . import punctuation  # noqa: F401
    from . import msgfmt  # noqa: F401
    from . import template  # noqa: F401


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
) -> list[Finding]:
    """Run ``checks`` on one catalog and return what they found, in file order."""
    options = options or CheckOptions()
    checks = list(checks)
    nplurals = nplurals_of(unit.catalog)
    glossary = tuple(glossary)
    findings: list[Finding] = []

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
            context=entry.msgctxt if entry is not None else None,
        )

    message_checks = [chk for chk in checks if chk.scope == "message"]
    for entry in unit.catalog:
        if not is_checked(entry):
            continue
        message = Message(entry, unit.language, source_language, nplurals, glossary, options)
        for chk in message_checks:
            if ignored(entry, chk.name):
                continue
            for problem in chk.function(message):
                findings.append(finding(chk, problem, entry))
    for chk in checks:
        if chk.scope == "catalog":
            for problem in chk.function(unit):
                findings.append(finding(chk, problem, None))
    findings.sort(key=lambda f: (f.line or 0, list(REGISTRY).index(f.check)))
    return findings


def _check_one(job) -> "list[Finding] | LocflowError":
    """Worker: read one catalog (when its turn comes: memory holds a few, not the site) and check it."""
    path, slug, language, names, glossary, options, source_language = job
    try:
        unit = Catalog(path, slug, language, read_catalog(path))
    except LocflowError as exc:
        return exc
    checks = registered()
    return check_catalog(unit, [checks[name] for name in names], source_language, glossary, options)


def run_checks(
    settings: Settings,
    languages: Iterable[Language] | None = None,
    only: Iterable[str] | None = None,
) -> list[Finding]:
    """Run the enabled checks on every catalog of ``languages`` (all by default).

    ``only`` restricts the run to the named checks (still minus those disabled
    for a language). A catalog that does not exist yet has nothing to check.
    Findings come grouped by language, then article, then line.
    """
    from .settings import check_settings

    config = check_settings(settings)
    checks = registered()
    only = list(only) if only is not None else None
    if only is not None:
        config.validate_names(only, "--only")
    # Findings depend on the catalog, its template, the language's glossary and the
    # settings: a catalog none of these changed for keeps its findings from the cache.
    state = StepState(settings.cache_dir, "checks", settings.root)
    msgfmt_present = shutil.which("msgfmt") is not None
    jobs, cached = [], []
    for language in languages or settings.languages:
        enabled = [checks[name] for name in config.enabled(language.code, only)]
        if language.pseudo:  # generated text: only whole-catalog checks (msgfmt) say anything useful
            enabled = [item for item in enabled if item.scope == "catalog"]
        if not enabled:
            continue
        glossary_file = glossary_path(settings.locales_dir, language.code)
        glossary = load_glossary(glossary_file)
        options = config.options(language)
        salt = settings_salt("checks", language, [item.name for item in enabled], repr(options),
                             settings.source_language.code, msgfmt_present)
        for slug in template_slugs(settings):
            path = catalog_path(settings.locales_dir, language.code, slug)
            if not path.exists():
                continue
            key = f"{language.code}/{slug}"
            record = state.fresh(key, salt)
            if record is not None and isinstance(record.payload, list):
                cached.append([Finding.from_dict(item, settings.root) for item in record.payload])
                continue
            # Fingerprints taken before reading: an edit made meanwhile is seen next time.
            files = [path, template_path(settings.locales_dir, slug), glossary_file]
            prints = {str(file): fingerprint(file) for file in files}
            names = tuple(item.name for item in enabled)
            jobs.append((key, salt, prints, (path, slug, language, names, glossary, options, settings.source_language)))

    # Checking is CPU-bound Python (and a msgfmt run) per catalog: worker processes, in order.
    outcomes = list(imap(_check_one, [job[3] for job in jobs], label="check"))
    errors = [outcome for outcome in outcomes if isinstance(outcome, LocflowError)]
    results: list[list[Finding]] = []
    for (key, salt, prints, _), found in zip(jobs, outcomes):
        if not isinstance(found, LocflowError):
            state.put(key, salt, prints, [item.to_dict(settings.root) for item in found])
            results.append(found)
    state.save()  # keep what was checked even if a catalog was bad
    if errors:
        raise errors[0]
    results = cached + results
    findings: list[Finding] = []
    global_findings: list[Finding] = []
    for found in results:
        for item in found:
            (global_findings if item.language is None else findings).append(item)
    # A problem with the environment (msgfmt missing) is reported once, not per catalog.
    seen: set[tuple[str, str]] = set()
    for item in global_findings:
        if (item.check, item.message) not in seen:
            seen.add((item.check, item.message))
            findings.append(item)
    return findings


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
    "check",
    "check_catalog",
    "ignored",
    "is_checked",
    "registered",
    "run_checks",
]
