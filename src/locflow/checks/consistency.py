"""Site checks: what only every catalog of a language, seen together, shows.

* ``inconsistent`` (Weblate's *Inconsistent*): the same source string (same
  context) translated differently in two articles of one language. Readers see
  one term two ways, and translation memory offers both.
* ``reused`` (Weblate's *Reused translation*): one translation used for
  different source strings in one language (sources that differ only in case,
  spacing or final punctuation are the same string here).
* ``plural-header`` (error): the catalogs of one language disagree on their
  ``Plural-Forms`` (compared by what the formula does for 0..199, so
  ``plural=n != 1`` and ``plural=(n != 1)`` agree). The catalog that differs from
  gettext's conventional formula for the language (the one ``locflow update``
  writes, from :mod:`locflow.plurals`) is reported; if none has it, the ones that
  differ from most of the others are.

A translator silences ``inconsistent`` or ``reused`` on one entry with
``#, ignore-inconsistent`` / ``#, ignore-reused``; such an entry is left out of
the comparison.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from functools import lru_cache
from gettext import c2py

from ..files import display_path
from . import Site, SiteEntry, SiteProblem, check


def _excerpt(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _where(entry: SiteEntry, site: Site) -> str:
    return f"{display_path(entry.file, site.root)}:{entry.line}"


def _others(count: int) -> str:
    return f" (and {count} more)" if count else ""


@check("inconsistent", "warning", "The same source string is translated the same way in every article of a language.", scope="site")
def check_inconsistent(site: Site) -> Iterator[SiteProblem]:
    groups: dict[tuple, list[SiteEntry]] = defaultdict(list)
    for catalog in site.catalogs:
        for entry in catalog.entries:
            if "inconsistent" not in entry.ignored:
                groups[(entry.context, entry.msgid, entry.msgid_plural)].append(entry)
    for entries in groups.values():
        if len(entries) < 2 or len({entry.translation for entry in entries}) < 2:
            continue
        for entry in entries:
            others = [other for other in entries if other.translation != entry.translation]
            first = others[0]
            yield SiteProblem(
                entry.file, entry.article, entry.line,
                f'translated differently in {_where(first, site)}: "{_excerpt(first.shown)}"{_others(len(others) - 1)}',
                entry.msgid, entry.shown, entry.context,
            )  # fmt: skip


_SOURCE_NOISE = re.compile(r"[\s\W_]+$|^[\s\W_]+", re.UNICODE)


@lru_cache(maxsize=65536)
def _same_source(text: str) -> str:
    """A source string as this check compares it: case, spacing and end punctuation aside."""
    return " ".join(_SOURCE_NOISE.sub("", text).casefold().split())


@check("reused", "warning", "One translation is not used for two different source strings in a language.", scope="site")
def check_reused(site: Site) -> Iterator[SiteProblem]:
    groups: dict[str, list[SiteEntry]] = defaultdict(list)
    for catalog in site.catalogs:
        for entry in catalog.entries:
            if entry.msgid_plural or "reused" in entry.ignored or not isinstance(entry.translation, str):
                continue
            if not any(ch.isalpha() for ch in entry.translation):
                continue
            groups[entry.translation.strip()].append(entry)
    for entries in groups.values():
        if len(entries) < 2:
            continue
        sources = {_same_source(entry.msgid) for entry in entries}
        if len(sources) < 2:
            continue
        for entry in entries:
            mine = _same_source(entry.msgid)
            others = [other for other in entries if _same_source(other.msgid) != mine]
            first = others[0]
            yield SiteProblem(
                entry.file, entry.article, entry.line,
                f'the same translation is used for another source string, "{_excerpt(first.msgid)}" '
                f"({_where(first, site)}){_others(len(others) - 1)}",
                entry.msgid, entry.shown, entry.context,
            )  # fmt: skip


_HEADER = re.compile(r"nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*$", re.DOTALL)


@lru_cache(maxsize=256)
def plural_behaviour(header: str) -> tuple | None:
    """What a Plural-Forms value does: (nplurals, the form of each n in 0..199), None if unreadable."""
    match = _HEADER.search(header or "")
    if not match:
        return None
    nplurals = int(match.group(1))
    try:
        plural = c2py(match.group(2))
        return nplurals, tuple(plural(n) for n in range(200))
    except (ValueError, SyntaxError, NameError, TypeError, ZeroDivisionError, RecursionError):
        return nplurals, None


@check("plural-header", "error", "Every catalog of a language has the same Plural-Forms formula (by what it does, not how it is written): gettext's conventional one for the language.", scope="site")
def check_plural_header(site: Site) -> Iterator[SiteProblem]:
    headers = [(catalog, plural_behaviour(catalog.plural_forms)) for catalog in site.catalogs if catalog.plural_forms]
    kinds = Counter(behaviour for _, behaviour in headers)
    if len(kinds) < 2:
        return
    expected = plural_behaviour(site.language.plural_forms)
    name = site.language.english_name
    if expected in kinds:
        reference, why = expected, f"gettext's conventional formula for {name}, which `locflow update` writes"
        shown = site.language.plural_forms
    else:
        reference = kinds.most_common(1)[0][0]
        why = f"what most {name} catalogs have"
        shown = next(catalog.plural_forms for catalog, behaviour in headers if behaviour == reference)
    agreeing = kinds[reference]
    for catalog, behaviour in headers:
        if behaviour == reference:
            continue
        yield SiteProblem(
            catalog.file, catalog.article, catalog.plural_line or 1,
            f'Plural-Forms is "{catalog.plural_forms.strip()}", but {agreeing} other {name} '
            f'catalog{"s" if agreeing != 1 else ""} have "{shown.strip()}" ({why}); '
            "a language's catalogs must agree on which plural form a number takes",
        )  # fmt: skip
