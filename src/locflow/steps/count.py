"""Counting for ``check``: msgfmt's numbers for every catalog, cached per fingerprint."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .. import po
from ..config import Settings
from ..errors import LocflowError
from ..languages import Language
from ..parallel import imap
from ..po import Stats
from ..po import check as po_check
from ..project import check_language, check_nplurals, read_fingerprinted
from ..state import StepState, settings_salt
from . import Failure, failure

_NPLURALS = re.compile(r"nplurals\s*=\s*([0-9]+)")


@dataclass(frozen=True)
class Counted:
    path: Path
    fingerprint: str
    stats: Stats


def count_file(path: Path, language: Language | None) -> tuple[str, Stats]:
    """The fingerprint and msgfmt's counts of one catalog (or template, when
    ``language`` is None), held to what build needs: msgfmt --check's
    structure, the folder's language and its number of plural forms."""
    fp, data = read_fingerprinted(path)
    messages = po.messages_of(data, path)
    po_check.check_messages(messages, path, template=language is None)
    if language is not None:
        check_language(data.replace(b"\r\n", b"\n"), language, path)
        header = next((message.msgstr for message in messages if message.is_header), "")
        match = _NPLURALS.search(po.parse_header(header).get("Plural-Forms", ""))
        check_nplurals(int(match.group(1)) if match else None, language, path)
    return fp, po.count_messages(messages)


def _count_one(item: tuple[Path, Language | None]) -> Counted | Failure:
    path, language = item
    try:
        fp, stats = count_file(path, language)
        return Counted(path, fp, stats)
    except (LocflowError, OSError) as exc:
        return failure(str(path), exc)


def count_catalogs(settings: Settings, items: list[tuple[Path, Language | None]]) -> dict[Path, Stats]:
    """msgfmt's counts of every (file, its language or None for a template) in
    ``items`` (all must exist), reading only files changed since they were last
    counted. A malformed file is an error (after the others are counted and cached)."""
    state = StepState(settings.cache_dir, "check", settings.root)
    salt = settings_salt("check")
    counts: dict[Path, Stats] = {}
    stale = []
    for path, language in items:
        record = state.fresh(state.name(path), salt + (language.code if language else ""))
        if record is not None and isinstance(record.payload, list) and len(record.payload) == 3:
            counts[path] = Stats(*record.payload)
        else:
            stale.append((path, language))
    languages = dict(stale)
    outcomes = list(imap(_count_one, stale, label="count"))
    for outcome in outcomes:
        if isinstance(outcome, Counted):
            counts[outcome.path] = outcome.stats
            language = languages[outcome.path]
            stats = outcome.stats
            state.put(state.name(outcome.path), salt + (language.code if language else ""), {str(outcome.path): outcome.fingerprint},
                      [stats.translated, stats.fuzzy, stats.untranslated])
    state.save()  # cache what was counted even if a file was bad
    failures = [outcome for outcome in outcomes if isinstance(outcome, Failure)]
    if failures:
        raise failures[0].error
    return counts
