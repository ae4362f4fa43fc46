"""A translator's to-do list: what needs work in one language, article by article.

Each item is an entry of a catalog that is untranslated, or fuzzy (a draft
to review, or a translation ``update`` matched to a changed source text),
with the file and line to open, and the text to work from.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import po
from .catalogs import DRAFT_MARK, catalog_path
from .config import Settings
from .files import display_path
from .languages import Language
from .project import read_language_catalog, template_slugs

SCHEMA = "locflow.todo/1"


@dataclass(frozen=True)
class Item:
    article: str
    file: Path
    line: int | None
    state: str  # "untranslated" or "fuzzy"
    why: str  # "new", "draft: machine:libre, 2026-11-25", "source changed (was: ...)"
    context: str | None
    source: str
    draft: str  # the fuzzy translation to review ("" when untranslated)

    def as_dict(self, root: Path) -> dict:
        return {
            "article": self.article, "file": display_path(self.file, root), "line": self.line, "state": self.state,
            "why": self.why, "context": self.context, "source": self.source, "draft": self.draft,
        }


@dataclass
class TodoList:
    language: Language
    items: list[Item]
    missing: list[str]  # articles without a catalog yet (run `locflow update`)

    @property
    def untranslated(self) -> int:
        return sum(1 for item in self.items if item.state == "untranslated")

    @property
    def fuzzy(self) -> int:
        return sum(1 for item in self.items if item.state == "fuzzy")

    def as_dict(self, root: Path) -> dict:
        return {
            "schema": SCHEMA,
            "language": self.language.code,
            "untranslated": self.untranslated,
            "fuzzy": self.fuzzy,
            "missing_catalogs": self.missing,
            "items": [item.as_dict(root) for item in self.items],
        }


def _why(entry) -> str:
    comment = entry.tcomment or ""
    if DRAFT_MARK in comment:
        origin = comment[comment.index(DRAFT_MARK) + len(DRAFT_MARK):].split(".", 1)[0].split(";", 1)[0].strip()
        return f"draft: {origin}"
    if entry.previous_msgid is not None:
        return f"source changed (was: {entry.previous_msgid})"
    return "fuzzy"


def todo(settings: Settings, language: Language) -> TodoList:
    """Everything in ``language`` that needs a translator, in article and line order."""
    items: list[Item] = []
    missing: list[str] = []
    for slug in template_slugs(settings):
        path = catalog_path(settings.locales_dir, language.code, slug)
        if not path.exists():
            missing.append(slug)
            continue
        _, catalog, _ = read_language_catalog(path, language)
        for entry in catalog:
            if entry.obsolete:
                continue
            first = entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr
            if not first:
                items.append(Item(slug, path, entry.linenum, "untranslated", "new", entry.msgctxt, entry.msgid, ""))
            elif "fuzzy" in entry.flags:
                items.append(Item(slug, path, entry.linenum, "fuzzy", _why(entry), entry.msgctxt, entry.msgid, first))
    return TodoList(language, items, missing)


def summary_lines(result: TodoList, root: Path) -> list[str]:
    """The list for people: a headline, then each article's entries with file:line."""
    language = result.language
    lines = [
        f"{language.code} ({language.english_name}): {result.untranslated} to translate, "
        f"{result.fuzzy} fuzzy to review" + (f", {len(result.missing)} articles without a catalog (run `locflow update`)" if result.missing else "")
    ]
    article = None
    for item in result.items:
        if item.article != article:
            article = item.article
            lines.append("")
            lines.append(f"{article}  ({display_path(item.file, root)})")
        where = f":{item.line}" if item.line else ""
        label = item.state if item.state == "untranslated" else f"fuzzy, {item.why}"
        context = f" [{item.context}]" if item.context else ""
        lines.append(f"  {where:>6}  {label}{context}")
        lines.append(f"          {_one_line(item.source)}")
        if item.draft:
            lines.append(f"        → {_one_line(item.draft)}")
    return lines


def _one_line(text: str, width: int = 200) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


__all__ = ["todo", "summary_lines", "TodoList", "Item", "SCHEMA", "po"]
