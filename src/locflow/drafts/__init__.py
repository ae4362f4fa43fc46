"""Draft translations for human review: the interface every draft source implements.

A draft source (translation memory, machine translation, the pseudo-locale)
proposes :class:`Draft`\\ s for messages that have no translation. Every draft
is written **fuzzy** with a translator comment saying where it came from, so
translators see it in Poedit, Lokalize or Weblate, and it survives ``update``
(msgmerge semantics keep translator comments). Only empty entries are filled;
a non-fuzzy translation is never touched.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import polib

from .. import clock
# Translator-comment lines locflow writes start with DRAFT_MARK, so they can be told
# apart from a translator's own comments (and replaced when a draft is replaced).
from ..catalogs import DRAFT_MARK, REVIEW_NOTE
from ..languages import Language

_DRAFT_COMMENT = re.compile(re.escape(DRAFT_MARK) + r".*?Review\s+before\s+removing\s+the\s+fuzzy\s+flag\.", re.DOTALL)


@dataclass(frozen=True)
class Draft:
    """A proposed translation and where it came from."""

    text: str
    origin: str  # "memory", "machine:google", "pseudo" ...
    detail: str = ""  # shown to the translator: "92% match of: <source>", "DeepL"


Key = tuple  # (msgctxt, msgid): what identifies a message in a catalog


class Message(tuple):
    """A message to draft. It *is* its key ``(msgctxt, msgid)`` (equal to that tuple, and
    hashed alike), and carries what surrounds it in its article, for the sources
    that can use it (machine translation sends it as context):

    * ``title``: the article's title (its message of type ``title``);
    * ``before`` / ``after``: the messages just before and after it;
    * ``notes``: its extracted comments (``#.``: ``type: heading``, what a placeholder is).
    """

    def __new__(cls, msgid: str, msgctxt: str | None = None, *, title: str = "", before: str = "", after: str = "", notes: str = ""):
        self = super().__new__(cls, (msgctxt, msgid))
        self.title, self.before, self.after, self.notes = title, before, after, notes
        return self

    def __getnewargs_ex__(self):
        return (self[1], self[0]), {"title": self.title, "before": self.before, "after": self.after, "notes": self.notes}

    @property
    def msgctxt(self) -> str | None:
        return self[0]

    @property
    def msgid(self) -> str:
        return self[1]


def message_of(item: Any) -> Message:
    """A :class:`Message` from a bare msgid, a ``(msgctxt, msgid)`` key or a message."""
    if isinstance(item, Message):
        return item
    if isinstance(item, tuple):
        return Message(item[1], item[0])
    return Message(item)


@dataclass
class PlanRow:
    """What a dry run would send to one provider for one language."""

    language: str
    provider: str
    strings: int  # distinct texts to send
    characters: int  # what the service bills
    cached: int  # texts the cache already has
    requests: int = 0  # requests they would take


@dataclass
class Plan:
    """What a source would do without doing it: the messages it drafts on this machine
    (``covered``), and what it would send elsewhere (``rows``)."""

    covered: set = field(default_factory=set)
    rows: list[PlanRow] = field(default_factory=list)


@runtime_checkable
class DraftSource(Protocol):
    """Anything that can propose drafts for the messages of one language.

    Messages are bare msgids, ``(msgctxt, msgid)`` keys or :class:`Message`\\ s;
    drafts come back keyed by the item given. prefill calls, in this order:
    :meth:`check_languages` (before anything is sent or written), :meth:`plan`
    (``--dry-run``) or :meth:`stream`, then :meth:`status` and :meth:`close`.
    :class:`BaseSource` gives every method but :meth:`drafts` a default.
    """

    name: str

    def check_languages(self, languages: Sequence[Language]) -> None:
        """Raise a :class:`~locflow.errors.LocflowError` for what can be known wrong before sending."""
        ...

    def plan(self, language: Language, messages: Sequence) -> Plan:
        """What :meth:`drafts` would do, doing nothing that costs or sends."""
        ...

    def drafts(self, language: Language, messages: Sequence) -> dict[Any, Draft]:
        """Drafts for as many of ``messages`` as the source can; missing keys mean no draft."""
        ...

    def stream(self, language: Language, messages: Sequence, batch_size: int) -> Iterator[dict[Any, Draft]]:
        """The drafts of ``messages`` in groups of about ``batch_size``, each as soon as it is ready,
        so the caller saves them while the rest is on its way. Ctrl-C raises a
        ``KeyboardInterrupt`` whose ``drafts`` holds what arrived and was not yielded yet;
        a caller interrupted between two groups throws ``KeyboardInterrupt`` into the
        stream to get the same."""
        ...

    def status(self) -> dict:
        """What happened, for the summary and ``--format json`` (empty: nothing to say)."""
        ...

    def close(self) -> None: ...


class BaseSource:
    """Defaults for a :class:`DraftSource` that works on this machine (the memory, pseudo-locales)."""

    name = ""

    def check_languages(self, languages: Sequence[Language]) -> None:
        return None

    def plan(self, language: Language, messages: Sequence) -> Plan:
        return Plan(covered=set(self.drafts(language, list(messages))))

    def drafts(self, language: Language, messages: Sequence) -> dict[Any, Draft]:
        raise NotImplementedError

    def stream(self, language: Language, messages: Sequence, batch_size: int) -> Iterator[dict[Any, Draft]]:
        messages = list(messages)
        for start in range(0, len(messages), max(batch_size, 1)):
            found = self.drafts(language, messages[start : start + batch_size])
            if found:
                yield found

    def status(self) -> dict:
        return {}

    def close(self) -> None:
        return None


def draft_comment(draft: Draft, today: _dt.date | None = None) -> str:
    """The translator comment recording a draft's provenance."""
    day = (today or clock.today()).isoformat()
    detail = f"; {draft.detail}" if draft.detail else ""
    return f"{DRAFT_MARK} {draft.origin}, {day}{detail}. {REVIEW_NOTE}"


def is_draft(entry: polib.POEntry) -> bool:
    """Whether a fuzzy entry is a locflow draft (its provenance comment, no ``#|`` previous msgid).

    A fuzzy entry with a previous msgid is a translator's earlier translation that
    ``update`` matched to a changed string: translator's work, not a draft.
    """
    return entry.fuzzy and DRAFT_MARK in (entry.tcomment or "") and not entry.previous_msgid


def is_fillable(entry: polib.POEntry, overwrite_fuzzy: bool = False) -> bool:
    """Whether a draft may be written into ``entry``: empty, or one of our fuzzy drafts when asked."""
    if entry.obsolete or entry.msgid == "":
        return False
    text = entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr
    if not text:
        return True
    return overwrite_fuzzy and is_draft(entry)


def apply_draft(entry: polib.POEntry, draft: Draft, today: _dt.date | None = None) -> None:
    """Write ``draft`` into ``entry`` as a fuzzy translation with its provenance.

    Callers check :func:`is_fillable` first; this never runs on a translator's
    non-fuzzy translation.
    """
    if entry.msgid_plural:
        entry.msgstr_plural = {index: draft.text for index in (entry.msgstr_plural or {0: ""})}
    else:
        entry.msgstr = draft.text
    if "fuzzy" not in entry.flags:
        entry.flags.insert(0, "fuzzy")
    # polib wraps long comments, so an earlier draft comment may span lines.
    earlier = _DRAFT_COMMENT.sub("", entry.tcomment or "")
    own = [line for line in earlier.split("\n") if line.strip() and not line.startswith(DRAFT_MARK)]
    entry.tcomment = "\n".join([*own, draft_comment(draft, today)])


# ---------------------------------------------------------------------------
# The draft sources prefill can use, by the name used in settings
# ([tool.locflow.prefill] sources = [...]). Each class has
# ``from_settings(settings, options) -> DraftSource``; modules are imported
# only when a source is used, so an offline run never imports HTTP clients it
# does not need.
# ---------------------------------------------------------------------------

SOURCES: dict[str, str] = {
    "memory-exact": "locflow.drafts.memory:ExactMemorySource",
    "memory-near": "locflow.drafts.memory:NearMemorySource",
    "machine": "locflow.drafts.machine:MachineSource",
    "pseudo": "locflow.drafts.pseudo:PseudoSource",
}
DEFAULT_ORDER: tuple[str, ...] = ("memory-exact", "memory-near", "machine")


def load_source(name: str, settings, options: dict | None = None) -> DraftSource:
    """Instantiate the draft source called ``name`` from the project's settings (it must
    implement the whole :class:`DraftSource` protocol)."""
    from importlib import import_module

    from ..errors import ConfigError

    try:
        target = SOURCES[name]
    except KeyError:
        raise ConfigError(f"[tool.locflow.prefill] unknown draft source {name!r} (known: {', '.join(SOURCES)})") from None
    module_name, class_name = target.split(":")
    try:
        cls = getattr(import_module(module_name), class_name)
    except ImportError as exc:
        missing = getattr(exc, "name", None) or module_name
        raise ConfigError(
            f"[tool.locflow.prefill] draft source {name!r} is not available in this installation "
            f"(module {missing} is missing); remove it from sources"
        ) from None
    source = cls.from_settings(settings, options or {})
    if not isinstance(source, DraftSource):
        raise TypeError(f"draft source {name!r} ({target}) does not implement the DraftSource protocol")
    return source


def source_available(name: str) -> bool:
    """Whether the module of the draft source called ``name`` is installed."""
    from importlib.util import find_spec

    target = SOURCES.get(name)
    if target is None:
        return False
    try:
        return find_spec(target.split(":")[0]) is not None
    except ImportError:
        return False
