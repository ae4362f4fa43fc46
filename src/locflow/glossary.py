"""Glossaries: approved translations of terms (places, peoples, events), one CSV per language.

``locales/<lang>/glossary.csv`` has a header row and the columns ``source``,
``target`` and optionally ``note``::

    source,target,note
    Baku,Баку,city
    Nagorno-Karabakh,Нагорный Карабах,region

Terms are matched in source strings as whole words, ignoring case. Drafts
apply them; ``check`` reports a source term whose approved translation is
missing from the translation.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .errors import LocflowError

GLOSSARY_FILE = "glossary.csv"


class GlossaryError(LocflowError):
    """A glossary file that cannot be read."""


@dataclass(frozen=True)
class Term:
    source: str
    target: str
    note: str = ""

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        return re.compile(rf"(?<!\w){re.escape(self.source)}(?!\w)", re.IGNORECASE)


def glossary_path(locales_dir: Path, language: str) -> Path:
    return locales_dir / language / GLOSSARY_FILE


def load_glossary(path: Path) -> list[Term]:
    """Read a glossary CSV; a missing file is an empty glossary, a malformed one an error with its line."""
    if not path.exists():
        return []
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GlossaryError(f"not valid UTF-8 (byte {exc.start})", path) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = {"source", "target"} - set(reader.fieldnames or [])
    if missing:
        raise GlossaryError(f"needs a header row with the columns source,target[,note] (missing: {', '.join(sorted(missing))})", path, 1)
    terms: list[Term] = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        source, target = (row.get("source") or "").strip(), (row.get("target") or "").strip()
        if not source and not target:
            continue
        if not source or not target:
            raise GlossaryError("a term needs both a source and a target", path, line)
        key = source.casefold()
        if key in seen:
            raise GlossaryError(f"term {source!r} is already defined on line {seen[key]}", path, line)
        seen[key] = line
        terms.append(Term(source, target, (row.get("note") or "").strip()))
    # Longest first, so "Nagorno-Karabakh war" wins over "Nagorno-Karabakh".
    return sorted(terms, key=lambda term: -len(term.source))


def terms_in(text: str, terms: list[Term]) -> list[Term]:
    """The glossary terms that occur in a source string."""
    return [term for term in terms if term.pattern.search(text)]
