"""``locflow check --fix``: the fixes that cannot change what a translation says.

Each fix belongs to the check whose finding it removes, and runs only where
that check is enabled for the language and not silenced on the entry
(``#, ignore-<name>``):

* ``whitespace``: the leading and trailing whitespace of the source;
* ``punctuation`` / ``end-punctuation`` (Armenian): a final Latin ``:`` or
  ``.`` becomes ։ (U+0589 ARMENIAN FULL STOP) where the source ends a
  sentence (a ``.`` after an abbreviation such as ``թ.`` is left alone);
* ``quotes``: straight ``"…"`` (or English ``“…”``) become the language's
  « » when its quotation marks are « » (Armenian, Russian, French ...), the
  inner pair („ “ in Russian) inside an outer « »;
* ``ellipsis``: three full stops become … (U+2026) where the site writes it
  so (``ellipsis = "character"``);
* ``french-spacing``: a narrow no-break space (U+202F) before ``; : ! ? »``
  and after ``«``, in place of a normal space or where there is none.

Fixes work on the prose only (:mod:`locflow.checks.text`): a tag, URL,
placeholder or inline code is never touched. A fix is kept only if the
error-level checks find nothing new in the fixed translation. Fuzzy drafts,
untranslated and obsolete entries are never touched; a catalog that cannot be
read stops the run before anything is written.
"""

from __future__ import annotations

import difflib
from collections import Counter
from contextlib import nullcontext
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polib

from ..catalogs import catalog_path, read_catalog, save_catalog, serialize
from ..config import Settings
from ..errors import LocflowError
from ..files import display_path, project_lock
from ..languages import Language
from ..parallel import imap
from . import IGNORE_FLAG_PREFIX, CheckOptions, Form, Message, is_checked, nplurals_of, registered
from .facts import ARMENIAN_FULL_STOP
from .punctuation import COLON, EXCLAMATION, QUESTION, STOP, end_class, french_spacing_edits, marks_for
from .text import OBJ, Edit
from .typography import THREE_DOTS, ELLIPSIS_CHAR, ellipsis_wanted


@dataclass(frozen=True)
class Change:
    """One fix made to one translation (or plural form)."""

    check: str
    line: int
    msgid: str
    index: int | None
    before: str
    after: str

    def as_dict(self) -> dict[str, Any]:
        return {"check": self.check, "line": self.line, "msgid": self.msgid, "form": self.index,
                "before": self.before, "after": self.after}


@dataclass
class FileFix:
    path: Path
    language: str
    article: str
    changes: list[Change]
    diff: str = ""


@dataclass
class FixReport:
    dry_run: bool
    files: list[FileFix] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(f.changes) for f in self.files)

    def by_check(self) -> Counter:
        return Counter(change.check for f in self.files for change in f.changes)


# ---------------------------------------------------------------------------
# The fixers: (translation's form, message) -> the fixed translation, or None
# ---------------------------------------------------------------------------


def fix_edges(form: Form, message: Message) -> str | None:
    source, text = form.source, form.translation
    if not text.strip() or not source.strip():
        return None
    lead = source[: len(source) - len(source.lstrip())]
    trail = source[len(source.rstrip()):]
    fixed = lead + text.strip() + trail
    return fixed if fixed != text else None


_CLOSERS = set(")]\"'”’»›“ \t\n\u00a0\u202f")


def _final_mark(plain: str) -> int | None:
    """Where the final mark of ``plain`` is (before closing quotes, brackets, spaces)."""
    position = len(plain) - 1
    while position >= 0 and plain[position] in _CLOSERS:
        position -= 1
    return position if position >= 0 else None


def _armenian_final(form: Form, message: Message, mark: str) -> str | None:
    if message.facts.base != "hy":
        return None
    kind = end_class(form.source, marks_for(message.source_language))
    # ։ ends every Armenian sentence, a question's too (its ՞ sits on the word): a final
    # Latin ":" is a full stop typed wrong; a final "." only where the source has a full stop.
    if kind not in (STOP, COLON, QUESTION, EXCLAMATION) or (mark == "." and kind != STOP):
        return None
    plain = form.tr.plain
    position = _final_mark(plain)
    if position is None or plain[position] != mark:
        return None
    if mark == ":" and plain[position - 1:position].isdigit():
        return None
    if mark == ".":
        if plain[position - 1:position] == ".":
            return None  # an ellipsis written with dots
        word = plain[:position].split()[-1:] or [""]
        token = word[0].lstrip("«(\"")
        if len(token) == 1 or token.lower() in message.facts.abbreviations or "." in token:
            return None  # "1990 թ." ends with an abbreviation's dot
    return form.tr.apply([Edit(position, position + 1, ARMENIAN_FULL_STOP)])


def fix_armenian_colon(form: Form, message: Message) -> str | None:
    return _armenian_final(form, message, ":")


def fix_armenian_stop(form: Form, message: Message) -> str | None:
    return _armenian_final(form, message, ".")


def fix_quotes(form: Form, message: Message) -> str | None:
    language_facts = message.facts
    quotes = language_facts.quotes
    if not quotes or quotes[0] != "«" or language_facts.base == message.source_facts.base:
        return None
    plain = form.tr.plain
    if '"' not in plain and "“" not in plain:
        return None
    inner = (quotes[2], quotes[3])
    english_curly = "“" in plain and "„" not in plain
    wrong = {'"'} | ({"“", "”"} if english_curly else set())
    positions = [i for i, ch in enumerate(plain) if ch in wrong]
    if not positions or len(positions) % 2:
        return None
    edits = []
    depth = 0  # « already open around a position
    opened = [0] * (len(plain) + 1)
    for i, ch in enumerate(plain):
        opened[i] = depth
        depth += ch == "«"
        depth -= ch == "»"
    for opening, closing in zip(positions[::2], positions[1::2]):
        first, second = plain[opening], plain[closing]
        if first == "”" or second == "“":
            return None  # curly quotes the wrong way round: not a pair we understand
        before_open = plain[opening - 1:opening]
        after_open = plain[opening + 1:opening + 2]
        before_close = plain[closing - 1:closing]
        if after_open.isspace() or not after_open or before_close.isspace():
            return None
        if before_open and not (before_open.isspace() or before_open in "([—–-«„" or before_open == OBJ):
            return None
        pair = inner if opened[opening] else (quotes[0], quotes[1])
        edits += [Edit(opening, opening + 1, pair[0]), Edit(closing, closing + 1, pair[1])]
    return form.tr.apply(edits)


def fix_ellipsis(form: Form, message: Message) -> str | None:
    if message.options.ellipsis != "character" or "..." not in form.translation:
        return None
    if not ellipsis_wanted(form, message.options.ellipsis):
        return None
    plain = form.tr.plain
    edits = [Edit(m.start(), m.end(), ELLIPSIS_CHAR) for m in THREE_DOTS.finditer(plain)]
    return form.tr.apply(edits) if edits else None


def fix_french_spacing(form: Form, message: Message) -> str | None:
    if not marks_for(message.language).french_spacing:
        return None
    edits = [edit for _, edit in french_spacing_edits(form.tr.plain)]
    return form.tr.apply(edits) if edits else None


# In order: edges first, then marks, then the spaces around them.
FIXERS: tuple[tuple[str, Callable[[Form, Message], str | None]], ...] = (
    ("whitespace", fix_edges),
    ("punctuation", fix_armenian_colon),
    ("end-punctuation", fix_armenian_stop),
    ("quotes", fix_quotes),
    ("ellipsis", fix_ellipsis),
    ("french-spacing", fix_french_spacing),
)

# The findings a fix may never add.
_GUARDED = ("placeholders", "markup", "numbers", "escapes", "unsafe-html", "script", "brackets")


def _guard_findings(message: Message) -> set[str]:
    checks = registered()
    found = set()
    for name in _GUARDED:
        for problem in checks[name].function(message):
            found.add(f"{name}: {problem.message}")
    return found


def _with_translation(entry: polib.POEntry, index: int | None, text: str) -> polib.POEntry:
    clone = polib.POEntry(
        msgid=entry.msgid, msgctxt=entry.msgctxt, msgid_plural=entry.msgid_plural, flags=list(entry.flags),
        occurrences=list(entry.occurrences), msgstr=entry.msgstr, msgstr_plural=dict(entry.msgstr_plural),
    )
    if index is None:
        clone.msgstr = text
    else:
        clone.msgstr_plural[index] = text
    return clone


def fix_entry(entry: polib.POEntry, language: Language, source_language: Language, enabled: Iterable[str],
              nplurals: int | None = None, options: CheckOptions | None = None) -> list[Change]:
    """Apply the safe fixes to one entry in place; what changed, by check."""
    if not is_checked(entry):
        return []
    options = options or CheckOptions()
    names = [name for name in enabled if f"{IGNORE_FLAG_PREFIX}{name}" not in entry.flags]
    fixers = [(name, fixer) for name, fixer in FIXERS if name in names]
    if not fixers:
        return []
    changes: list[Change] = []
    message = Message(entry, language, source_language, nplurals, (), options)
    for form in message.forms:
        if not form.translation.strip():
            continue  # blank: nothing safe to do
        text = form.translation
        made: list[tuple[str, str, str]] = []
        for name, fixer in fixers:
            current = Form(form.index, form.source, text, form.fmt)
            fixed = fixer(current, message)
            if fixed is not None and fixed != text:
                made.append((name, text, fixed))
                text = fixed
        if not made:
            continue
        before = _guard_findings(message)
        after = _guard_findings(Message(_with_translation(entry, form.index, text), language, source_language,
                                        nplurals, (), options))
        if after - before:
            continue  # a fix would add an error: keep the translation as the translator wrote it
        if form.index is None:
            entry.msgstr = text
        else:
            entry.msgstr_plural[form.index] = text
        for name, old, new in made:
            changes.append(Change(name, entry.linenum, entry.msgid, form.index, old, new))
    return changes


# ---------------------------------------------------------------------------
# Over a site
# ---------------------------------------------------------------------------


def _fix_one(job):
    """Worker: read one catalog, fix it; (path, catalog or None, changes, original text) or an error."""
    path, language, source_language, names, options, root = job
    try:
        catalog = read_catalog(path)
        from ..project import check_language

        data = path.read_bytes()
        check_language(data.replace(b"\r\n", b"\n"), language, path)
    except LocflowError as exc:
        return exc
    nplurals = nplurals_of(catalog)
    changes: list[Change] = []
    for entry in catalog:
        changes.extend(fix_entry(entry, language, source_language, names, nplurals, options))
    if not changes:
        return path, None, [], ""
    original = data.decode("utf-8", "replace")
    fixed = serialize(catalog)
    name = display_path(path, root)
    diff = "".join(difflib.unified_diff(
        original.splitlines(keepends=True), fixed.splitlines(keepends=True), f"a/{name}", f"b/{name}",
    ))  # fmt: skip
    return path, catalog, changes, diff


def fix_site(settings: Settings, languages: Iterable[Language] | None = None, dry_run: bool = False) -> FixReport:
    """Apply the safe fixes to every catalog of ``languages`` (all by default).

    Every catalog is read (and must be valid) before any is written; each
    changed catalog is written atomically, under the project lock. With
    ``dry_run`` nothing is written: the report carries each file's diff.
    """
    from ..project import template_slugs
    from .settings import check_settings

    config = check_settings(settings)
    languages = list(languages or settings.languages)
    jobs = []
    articles = {}
    for language in languages:
        if language.pseudo:
            continue
        names = tuple(name for name in config.enabled(language.code) if name in dict(FIXERS))
        if not names:
            continue
        options = config.options(language)
        for slug in template_slugs(settings):
            path = catalog_path(settings.locales_dir, language.code, slug)
            if path.exists():
                jobs.append((path, language, settings.source_language, names, options, settings.root))
                articles[path] = (language.code, slug)
    report = FixReport(dry_run)
    # A dry run writes nothing, not even the lock file; a real one holds the lock from
    # reading to writing, so no other locflow run changes a catalog in between.
    with nullcontext() if dry_run else project_lock(settings.cache_dir):
        outcomes = list(imap(_fix_one, jobs, label="fix"))
        errors = [outcome for outcome in outcomes if isinstance(outcome, LocflowError)]
        if errors:
            raise errors[0]  # nothing written: a catalog that cannot be read is never touched
        for path, catalog, changes, diff in outcomes:
            if not changes:
                continue
            code, slug = articles[path]
            report.files.append(FileFix(path, code, slug, changes, diff))
            if not dry_run:
                save_catalog(catalog, path)
    return report


def fix_summary(report: FixReport) -> str:
    """``fix: 5 changes in 2 catalogs (quotes 3, whitespace 2)``."""
    files = len(report.files)
    detail = ", ".join(f"{name} {count}" for name, count in sorted(report.by_check().items()))
    text = f"fix: {report.count} change{'s' if report.count != 1 else ''} in {files} catalog{'s' if files != 1 else ''}"
    if detail:
        text += f" ({detail})"
    if report.dry_run:
        text += "; dry run, nothing written"
    return text


def visible(text: str) -> str:
    """``text`` with invisible and space characters other than U+0020 shown as <U+202F>."""
    import unicodedata

    return "".join(
        f"<U+{ord(ch):04X}>" if ch != " " and (unicodedata.category(ch) in ("Zs", "Cf", "Cc") and ch != "\n") else
        ("\\n" if ch == "\n" else ch)
        for ch in text
    )


def fix_listing(report: FixReport, root: Path) -> str:
    """One line per change, invisible characters shown (a diff does not show a U+202F)."""
    lines = []
    for item in report.files:
        for change in item.changes:
            form = f" msgstr[{change.index}]" if change.index is not None else ""
            lines.append(f"{display_path(item.path, root)}:{change.line}:{form} {change.check}: "
                         f"{visible(change.before)} → {visible(change.after)}")
    return "\n".join(lines) + ("\n" if lines else "")


def fix_json(report: FixReport, root: Path) -> dict[str, Any]:
    return {
        "schema": "locflow.fix/1",
        "dry_run": report.dry_run,
        "changes": report.count,
        "files": [
            {"file": display_path(f.path, root), "language": f.language, "article": f.article,
             "changes": [change.as_dict() for change in f.changes]}
            for f in report.files
        ],
    }
