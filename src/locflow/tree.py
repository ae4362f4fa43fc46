"""Any gettext tree: every catalog under the given files and folders, counted
as ``msgfmt --statistics`` counts it, inside a locflow project or outside one.

Catalogs are found as gettext lays them out (``<lang>/LC_MESSAGES/<domain>.po``,
several roots with the same domain allowed) or as loose ``<lang>.po`` files.
Language codes are gettext's (``sr@latin``, ``zh_Hans``, ``pt_BR``); a header
whose ``Language`` disagrees with the folder is a warning, a language Babel
has no data for is still counted (the checks that need locale data skip it
and say so). A catalog that cannot be read is reported with its file and
line among the results; every other catalog is still counted.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from typing import TYPE_CHECKING

from . import po
from .errors import LanguageError, LocflowError, SourceError
from .po import Stats
from .state import StepState, fingerprint, settings_salt

if TYPE_CHECKING:
    from .languages import Language

# A rerun with nothing changed reads only the cache: the parser, the process
# pool, Babel and the project's modules are imported where they are needed.

_MODIFIERS = {"latin": "Latn", "cyrillic": "Cyrl", "devanagari": "Deva", "arabic": "Arab"}
_CODE = re.compile(r"^[a-z]{2,3}(?:_[A-Za-z0-9]{2,8})*(?:@[A-Za-z0-9]+)?$")


def _babel_names(code: str) -> list[str]:
    """The Babel locale names a gettext code may stand for, best first: ``sr@latin``
    is ``sr_Latn``, then ``sr``; other modifiers (``ca@valencia``) are dropped."""
    base, _, modifier = code.partition("@")
    return [f"{base}_{_MODIFIERS[modifier]}", base] if modifier in _MODIFIERS else [base]


def tree_language(code: str) -> Language | None:
    """Babel's facts for a gettext language code (see :func:`_babel_names`), or
    None when Babel has no data for it (``udm``)."""
    from .languages import get_language

    for candidate in _babel_names(code):
        try:
            return get_language(candidate)
        except LanguageError:
            continue
    return None


@lru_cache(maxsize=1024)
def babel_knows(code: str) -> bool:
    """Whether Babel has locale data for a gettext code (without loading it: cheap)."""
    from babel import Locale, UnknownLocaleError

    for candidate in _babel_names(code):
        try:
            Locale.parse(candidate.replace("-", "_"))  # aliases too (zh_TW); no display data is loaded
            return True
        except (UnknownLocaleError, ValueError, TypeError):
            continue
    return False


def same_language(folder: str, header: str) -> bool:
    """Whether a header's ``Language`` names the folder's language: equal, a
    variant of it, or the same language and script once CLDR fills in the
    likely script (``zh_Hans`` and ``zh_CN`` are the same)."""
    folder, header = folder.replace("-", "_"), header.replace("-", "_")
    if folder.lower() == header.lower() or header.split("_")[0] == folder or folder.split("_")[0] == header:
        return True
    left, right = _language_and_script(folder), _language_and_script(header)
    if left is None or right is None:
        return folder.split("_")[0].split("@")[0] == header.split("_")[0].split("@")[0] and "@" not in folder + header
    return left == right


@lru_cache(maxsize=1024)
def _language_and_script(code: str) -> tuple[str, str | None] | None:
    """(language, script) of a gettext code, the script filled in by CLDR's likely
    subtags (zh_CN is zh, Hans); None when Babel does not know the code."""
    from babel import Locale, UnknownLocaleError
    from babel.core import get_global

    try:
        locale = Locale.parse(_babel_names(code)[0].replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None
    if locale.script:
        return locale.language, locale.script
    likely = get_global("likely_subtags")
    for key in (str(locale), locale.language):
        parts = likely.get(key, "").split("_")
        if len(parts) > 1 and len(parts[1]) == 4:
            return locale.language, parts[1]
    return locale.language, None


@dataclass(frozen=True)
class TreeCatalog:
    path: Path
    root: Path  # the folder it was found under (or its own folder)
    language: str  # gettext's code, from the folder (or the file name)
    domain: str


@dataclass
class TreeResult:
    catalog: TreeCatalog
    stats: Stats | None = None
    error: LocflowError | None = None
    warnings: list[str] = field(default_factory=list)
    header_language: str | None = None


def find_catalogs(paths: list[Path]) -> list[TreeCatalog]:
    """Every catalog under ``paths`` (files or folders), sorted by root, language and domain."""
    found: dict[str, TreeCatalog] = {}
    for given in paths:
        if not given.exists():
            raise SourceError("no such file or folder", given)
        if given.is_file():
            files = [os.fspath(given)]
            root = given.parent
        else:
            root = given
            files = _po_files(os.fspath(given))
        for path in files:
            found.setdefault(os.path.abspath(path), _located(path, root))
    return sorted(found.values(), key=lambda item: (str(item.root), item.language, item.domain, os.fspath(item.path)))


def _po_files(top: str) -> list[str]:
    """The ``.po`` files under ``top``, as ``os.walk`` finds them (symbolic links to
    folders not followed), in one loop over ``os.scandir``: a tree of thousands of
    folders is walked in a third of ``os.walk``'s time."""
    files: list[str] = []
    folders = [top]
    while folders:
        try:
            entries = os.scandir(folders.pop())
        except OSError:
            continue  # as os.walk: a folder that cannot be read is left out
        with entries:
            for entry in entries:
                try:
                    is_folder = entry.is_dir()
                except OSError:
                    is_folder = False
                if is_folder:
                    if not entry.is_symlink():
                        folders.append(entry.path)
                elif entry.name.endswith(".po"):
                    files.append(entry.path)
    return files


def _located(path: str, root: Path) -> TreeCatalog:
    # The language and domain come from the file's place, however it was named on the
    # command line (x.po in its LC_MESSAGES folder is the same catalog as the full path).
    parts = os.path.abspath(path).split(os.sep)
    stem = parts[-1][:-3] if parts[-1].endswith(".po") else parts[-1]
    if len(parts) >= 3 and parts[-2] == "LC_MESSAGES":
        return TreeCatalog(Path(path), root, parts[-3], stem)
    if _CODE.match(stem):
        # Loose catalogs named by language (po/ru.po): the domain is the folder's name.
        return TreeCatalog(Path(path), root, stem, parts[-2] if len(parts) > 1 else "")
    return TreeCatalog(Path(path), root, "", stem)


_LANGUAGE = re.compile(r"^Language:[ \t]*(.*?)[ \t]*$", re.M)


def _count(path: Path) -> tuple[str, list, str | None] | LocflowError:
    """(fingerprint, msgfmt's counts, the header's Language) of one catalog, or its error
    (a worker's job: only the path goes to the worker and the counts come back)."""
    from .po import fastcount
    from .state import read_fingerprinted

    try:
        fp, data = read_fingerprinted(path)
        quick = fastcount.count(po.decode(data, path))
        if quick is not None:
            stats, header = Stats(*quick[:3]), quick[3] or ""
        else:  # anything unusual: the full parser counts it, or names the error and its line
            messages = po.messages_of(data, path)
            stats = po.count_messages(messages)
            header = next((message.msgstr for message in messages if message.is_header), "")
    except LocflowError as exc:
        return exc
    except OSError as exc:
        from .errors import from_os_error

        return from_os_error(exc, path)
    match = _LANGUAGE.search(header)
    return fp, [stats.translated, stats.fuzzy, stats.untranslated], (match.group(1) if match and match.group(1) else None)


def cache_folder(paths: list[Path]) -> Path:
    """Where the counts of a tree outside any project are kept: a folder per tree
    in the user's cache (``$XDG_CACHE_HOME/locflow/trees``)."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "locflow" / "trees"
    key = hashlib.blake2b("\n".join(sorted(str(path.resolve()) for path in paths)).encode(), digest_size=8).hexdigest()
    return base / key


def count_tree(catalogs: list[TreeCatalog], cache_dir: Path) -> list[TreeResult]:
    """msgfmt's counts of every catalog (unchanged ones from the cache), with the
    errors of those that cannot be read and the warnings of header and folder."""
    state = StepState(cache_dir, "tree", Path("/"))
    state.preload()  # one query for the whole tree, not one per catalog
    salt = settings_salt("tree", _babel_stamp())
    results: dict[Path, TreeResult] = {}
    stale = []
    for catalog in catalogs:
        record = state.fresh(os.path.abspath(catalog.path), salt)
        payload = record.payload if record is not None else None
        if isinstance(payload, dict) and isinstance(payload.get("counts"), list):
            results[catalog.path] = _result(catalog, Stats(*payload["counts"]), payload.get("language"),
                                            payload.get("warnings", []))
        else:
            stale.append(catalog)
    if stale:
        from .parallel import imap

        counted = zip(stale, imap(_count, [catalog.path for catalog in stale], label="count"))
    else:
        counted = iter(())
    for catalog, outcome in counted:
        if isinstance(outcome, LocflowError):
            results[catalog.path] = TreeResult(catalog, error=outcome)
            continue
        fp, counts, declared = outcome
        warnings = _warnings(catalog, declared)
        key = os.path.abspath(catalog.path)
        state.put(key, salt, {key: fp}, {"counts": counts, "language": declared, "warnings": warnings})
        results[catalog.path] = _result(catalog, Stats(*counts), declared, warnings)
    state.save()
    return [results[catalog.path] for catalog in catalogs]


def _babel_stamp() -> str:
    """What identifies the installed Babel's locale data (the size and time of its
    ``global.dat``), found without importing Babel: whether Babel knows a
    language is cached with the counts, and an upgrade of Babel asks again."""
    from importlib.machinery import PathFinder

    spec = PathFinder.find_spec("babel")
    if spec is None or not spec.submodule_search_locations:
        return ""
    try:
        st = os.stat(os.path.join(next(iter(spec.submodule_search_locations)), "global.dat"))
    except OSError:
        return ""
    return f"{st.st_size}.{st.st_mtime_ns}"


def _result(catalog: TreeCatalog, stats: Stats, declared: str | None, warnings: list[str]) -> TreeResult:
    result = TreeResult(catalog, stats, warnings=list(warnings), header_language=declared)
    if not catalog.language and declared:
        result.catalog = TreeCatalog(catalog.path, catalog.root, declared, catalog.domain)
    return result


def _warnings(catalog: TreeCatalog, declared: str | None) -> list[str]:
    """What a catalog's header and folder say of its language (kept with its
    counts in the cache: they ask Babel, which a rerun need not import)."""
    warnings = []
    language = catalog.language or declared
    if declared and catalog.language and not same_language(catalog.language, declared):
        warnings.append(f"the header says Language: {declared}, but the catalog is in the folder of {catalog.language}")
    if language and not babel_knows(language):
        warnings.append(f"Babel has no locale data for {language!r}: checks that need it are skipped")
    return warnings


# ---------------------------------------------------------------------------
# Quality checks on a tree
# ---------------------------------------------------------------------------

# Checks that read a language's locale data (scripts, number symbols, punctuation,
# quotation marks): a language Babel lacks skips them, and the report says so.
LOCALE_CHECKS = frozenset({
    "numbers", "script", "punctuation", "end-punctuation", "quotes", "french-spacing", "punctuation-spacing",
    "capitals", "length", "ellipsis", "kashida", "sentence-count", "same-as-source", "doubled-words",
})


_last_language: list[str] = []  # the language a worker checked last


def _check_worker(job):
    path, domain, code, names = job
    from .checks import Catalog, check_catalog, registered
    from .languages import Language, get_language, release_locale_data

    # Catalogs come language by language: moving on to the next language, a worker
    # drops the CLDR data it loaded for the last one (a hundred locales' data is
    # 80 MB), so its memory stays that of one language.
    if _last_language and _last_language[0] != code:
        release_locale_data(keep=("root", "en"))
    _last_language[:] = [code]

    try:
        catalog = po.parse(po.read_bytes(path), path)
    except LocflowError as exc:
        return exc
    language = tree_language(code) if code else None
    checks = registered()
    wanted = [checks[name] for name in names if language is not None or name not in LOCALE_CHECKS]
    if language is None:
        from .plurals import conventional

        rule = conventional(code.split("@")[0]) if code else None
        language = Language(code or "und", rule[0] if rule else 2, rule[1] if rule else "(n != 1)", None,
                            given=(code or "unknown", code or "unknown", "ltr"))
    wanted = [check for check in wanted if check.scope != "site" and check.applies_to(language)]
    unit = Catalog(path, domain, language, catalog)
    return check_catalog(unit, wanted, get_language("en"), (), None)


def check_tree(results: list[TreeResult], names: list[str], cache_dir: Path) -> list:
    """The findings of the quality checks ``names`` on every readable catalog
    (cached per file, like the counts)."""
    from .checks import Finding
    from .parallel import imap

    state = StepState(cache_dir, "tree-checks", Path("/"))
    salt = settings_salt("tree-checks", sorted(names))
    findings: list = []
    todo, keys = [], []
    for result in results:
        if result.error is not None:
            continue
        key = os.path.abspath(result.catalog.path)
        record = state.fresh(key, salt)
        if record is not None and isinstance(record.payload, list):
            findings.extend(Finding.from_dict(item, Path("/")) for item in record.payload)
            continue
        fp = fingerprint(result.catalog.path)  # taken before reading: an edit meanwhile is seen next time
        todo.append((result.catalog.path, result.catalog.domain, result.catalog.language, names))
        keys.append((key, fp, result))
    for (key, fp, result), outcome in zip(keys, imap(_check_worker, todo, label="check")):
        if isinstance(outcome, LocflowError):
            # Counted, but the full parser refuses it (what the quick count let through):
            # an error among the results, as msgfmt would report it, and nothing cached.
            result.error, result.stats = outcome, None
            continue
        findings.extend(outcome)
        state.put(key, salt, {key: fp}, [item.to_dict(Path("/")) for item in outcome])
    state.save()
    return findings
