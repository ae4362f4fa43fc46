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
from dataclasses import dataclass
from typing import Protocol

import polib

from .. import clock
from ..languages import Language

# Translator-comment lines locflow writes start with this, so they can be told
# apart from a translator's own comments (and replaced when a draft is replaced).
DRAFT_MARK = "locflow-draft:"
_DRAFT_COMMENT = re.compile(re.escape(DRAFT_MARK) + r".*?Review\s+before\s+removing\s+the\s+fuzzy\s+flag\.", re.DOTALL)


@dataclass(frozen=True)
class Draft:
    """A proposed translation and where it came from."""

    text: str
    origin: str  # "memory", "machine:google", "pseudo" ...
    detail: str = ""  # shown to the translator: "92% match of: <source>", "DeepL"


class DraftSource(Protocol):
    """Anything that can propose drafts for a batch of source strings in one language."""

    name: str

    def drafts(self, language: Language, msgids: list[str]) -> dict[str, Draft]:
        """Drafts for as many of ``msgids`` as the source can; missing keys mean no draft."""
        ...


def draft_comment(draft: Draft, today: _dt.date | None = None) -> str:
    """The translator comment recording a draft's provenance."""
    day = (today or clock.today()).isoformat()
    detail = f"; {draft.detail}" if draft.detail else ""
    return f"{DRAFT_MARK} {draft.origin}, {day}{detail}. Review before removing the fuzzy flag."


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
    """Instantiate the draft source called ``name`` from the project's settings."""
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
    return cls.from_settings(settings, options or {})


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
