"""Settings: ``[tool.locflow]`` in pyproject.toml, validated into typed values.

Unknown keys, bad values and unknown language codes are errors that name the
key, so a typo never silently falls back to a default.

The top-level keys are parsed here into :class:`Settings`. The other sections
(``[tool.locflow.machine]``, ``[tool.locflow.checks]``, ...) belong to the
modules that use them: each joins the settings with :func:`register_section`,
giving a parser that turns its table into a frozen dataclass, and reads it back
with :meth:`Settings.section`. This module imports none of them (data flows one
way): :mod:`locflow.sections` registers locflow's own, and whoever loads the
settings of a project imports it (``locflow.sections.load_settings``).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError, LanguageError
from .languages import Language, get_language
from .plurals import plural_rule
from .po.writer import GNU, Layout

PYPROJECT = "pyproject.toml"
LOCFLOW_TOML = "locflow.toml"  # for a site that is not a Python project: the same keys, at the top level


@dataclass(frozen=True)
class TextSettings:
    """How plain-text articles (scraped pages, like the seed) are read."""

    chrome: tuple[re.Pattern[str], ...]
    dateline: re.Pattern[str] | None
    heading_max_length: int


@dataclass(frozen=True)
class Settings:
    """Everything locflow needs to know about one project."""

    root: Path
    source_language: Language
    languages: tuple[Language, ...]
    source_dir: Path
    locales_dir: Path
    build_dir: Path
    cache_dir: Path
    thresholds: dict[str, float]
    default_threshold: float
    text: TextSettings
    # How catalogs and templates are laid out ([tool.locflow.catalogs]).
    layout: Layout = GNU
    # The tables of the registered sections (machine, checks, ...) as written:
    # read them parsed with section(name).
    extra: dict[str, Any] = field(default_factory=dict)
    # The file the settings come from: pyproject.toml ([tool.locflow]) or locflow.toml.
    config_file: Path | None = None
    # Each section parsed, by name: parsed once per Settings (load_settings parses
    # those the file has; a section it lacks is parsed, to its defaults, when asked for).
    _sections: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def section(self, name: str) -> Any:
        """The registered section ``name`` (``[tool.locflow.<name>]``), parsed into its
        dataclass: the same object every time it is asked for. Raises
        :class:`ConfigError` for a bad table."""
        try:
            return self._sections[name]
        except KeyError:
            pass
        parse = _SECTIONS.get(name)
        if parse is None:
            raise LookupError(f"no settings section {name!r} is registered (import locflow.sections)")
        parsed = self._sections[name] = parse(self)
        return parsed

    @property
    def settings_file(self) -> Path:
        return self.config_file or self.root / PYPROJECT

    def table_name(self, section: str | None = None) -> str:
        """How error messages name a table: ``[tool.locflow.prefill]`` in
        pyproject.toml, ``[prefill]`` in locflow.toml."""
        return _table_name(self.settings_file, section)

    @property
    def templates_dir(self) -> Path:
        return self.locales_dir / "templates"

    def threshold(self, code: str) -> float:
        """The completeness a language needs, in percent."""
        return self.thresholds.get(code, self.default_threshold)

    def language(self, code: str) -> Language:
        """One of the project's target languages, by code."""
        wanted = get_language(code)
        for lang in self.languages:
            if lang.code == wanted.code:
                return lang
        if wanted.pseudo:
            # A pseudo-locale (en_XA, ar_XB) is a test locale: it may be named on the
            # command line without being one of the site's languages.
            return wanted
        raise ConfigError(
            f"language {code!r} is not one of the site's languages ({', '.join(l.code for l in self.languages)}); "
            f"add it with `locflow add-language {wanted.code}`",
            self.settings_file,
        )

    def select_languages(self, codes: tuple[str, ...] | list[str] | None) -> tuple[Language, ...]:
        """The languages named on the command line, or all of them."""
        if not codes:
            return self.languages
        return tuple(dict.fromkeys(self.language(code) for code in codes))  # each once, in order


_TOP_KEYS = {
    "source-language",
    "languages",
    "source-dir",
    "locales-dir",
    "build-dir",
    "cache-dir",
    "thresholds",
    "text",
    "plural-forms",
    "catalogs",
}
# Sections that other modules own, by name: each module registers its parser
# (settings -> its frozen dataclass) with register_section.
SectionParser = Callable[["Settings"], Any]
_SECTIONS: dict[str, SectionParser] = {}
_TEXT_KEYS = {"chrome", "dateline", "heading-max-length"}

_DEFAULT_CHROME = ("top of page", "bottom of page", "ad for subscribing to .*")
_DEFAULT_DATELINE = r"(?P<label>Updated:)\s*(?P<date>.+)"


def _table_name(path: Path, section: str | None = None) -> str:
    if path.name == LOCFLOW_TOML:
        return f"[{section}]" if section else LOCFLOW_TOML
    return f"[tool.locflow.{section}]" if section else "[tool.locflow]"


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("file not found", path) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not valid UTF-8 ({exc.reason} at byte {exc.start})", path) from None
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", path) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        raise ConfigError(f"invalid TOML: {exc}", path, line) from None


def _has_pyproject_settings(path: Path) -> bool:
    if not path.is_file():
        return False
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
        return True  # load_settings reports the error with its position
    return "locflow" in data.get("tool", {})


def find_project_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` with a locflow.toml, or a
    pyproject.toml that has a [tool.locflow] table."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / LOCFLOW_TOML).is_file() or _has_pyproject_settings(folder / PYPROJECT):
            return folder
    raise ConfigError(
        f"no locflow settings in {here} or any parent folder (a {LOCFLOW_TOML}, or a {PYPROJECT} with [tool.locflow]); "
        "start a site with `locflow init`"
    )


def load_settings(root: Path | None = None) -> Settings:
    """Read and validate the settings of the project at ``root`` (found from cwd by default)."""
    root = find_project_root() if root is None else Path(root).resolve()
    own, pyproject = root / LOCFLOW_TOML, root / PYPROJECT
    if own.is_file():
        if _has_pyproject_settings(pyproject):
            raise ConfigError(f"settings in both {LOCFLOW_TOML} and {PYPROJECT} [tool.locflow]: keep one", pyproject)
        path, table = own, _read_toml(own)
    else:
        path = pyproject
        table = _read_toml(path).get("tool", {}).get("locflow")
        if table is None:
            raise ConfigError("no [tool.locflow] table", path)
    settings = settings_from_table(table, root, path)
    parse_sections(settings)
    return settings


def register_section(name: str, parse: SectionParser | None = None):
    """Join ``[tool.locflow.<name>]`` to the settings: ``parse(settings)`` returns the
    section's frozen dataclass (its defaults when the file has no such table) or
    raises :class:`ConfigError` naming the key (read the table through
    :class:`Section`). Usable as a decorator; returns ``parse``."""

    def add(function: SectionParser) -> SectionParser:
        if name in _TOP_KEYS:
            raise ValueError(f"{name!r} is a top-level settings key, not a section")
        if _SECTIONS.get(name, function) is not function:
            raise ValueError(f"settings section {name!r} is registered already")
        _SECTIONS[name] = function
        return function

    return add if parse is None else add(parse)


def registered_sections() -> tuple[str, ...]:
    """The names of the registered sections, sorted."""
    return tuple(sorted(_SECTIONS))


def parse_sections(settings: Settings) -> None:
    """Parse every registered section the settings file has, so that a bad one stops
    the command before it writes anything (raises :class:`ConfigError`)."""
    for name in sorted(settings.extra):
        settings.section(name)


def settings_from_table(table: dict[str, Any], root: Path, path: Path | None = None) -> Settings:
    """Validate a ``[tool.locflow]`` table (already parsed) into :class:`Settings`."""
    path = path or root / PYPROJECT
    where = _table_name(path)

    def fail(message: str) -> ConfigError:
        return ConfigError(f"{where} {message}", path)

    if not isinstance(table, dict):
        raise fail("must be a table")
    unknown = set(table) - _TOP_KEYS - set(_SECTIONS)
    if unknown and not _SECTIONS:
        # Not the user's mistake: nothing registered the sections this table may have.
        raise RuntimeError("no settings sections are registered: import locflow.sections before loading settings")
    if unknown:
        raise fail(unknown_key(sorted(unknown)[0], _TOP_KEYS | set(_SECTIONS)))

    def language(value: Any, key: str) -> Language:
        if not isinstance(value, str):
            raise fail(f"{key}: expected a language code string, got {value!r}")
        try:
            return get_language(value)
        except LanguageError as exc:
            raise fail(f"{key}: {exc.message}") from None

    source = language(table.get("source-language", "en"), "source-language")
    raw_languages = table.get("languages")
    if raw_languages is None:
        raise fail("languages: required (a list of language codes, e.g. [\"hy\", \"ru\"])")
    if not isinstance(raw_languages, list) or not raw_languages:
        raise fail("languages: expected a non-empty list of language codes")
    languages = tuple(language(code, "languages") for code in raw_languages)
    codes = [lang.code for lang in languages]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        raise fail(f"languages: {duplicates[0]!r} is listed twice")
    if source.code in codes:
        raise fail(f"languages: {source.code!r} is the source language")
    languages = _plural_forms(table.get("plural-forms", {}), languages, fail)

    def folder(key: str, default: str) -> Path:
        value = table.get(key, default)
        if not isinstance(value, str) or not value.strip():
            raise fail(f"{key}: expected a folder path, got {value!r}")
        return (root / value).resolve()

    folders = {key: folder(key, default) for key, default in _FOLDERS.items()}
    _check_folders(folders, root, fail)
    thresholds, default_threshold = _thresholds(table.get("thresholds", {}), fail)
    for code in thresholds:
        if code not in codes:
            raise fail(f"thresholds: {code!r} is not one of the languages ({', '.join(codes)})")

    return Settings(
        root=root,
        source_language=source,
        languages=languages,
        source_dir=folders["source-dir"],
        locales_dir=folders["locales-dir"],
        build_dir=folders["build-dir"],
        cache_dir=folders["cache-dir"],
        thresholds=thresholds,
        default_threshold=default_threshold,
        text=_text_settings(table.get("text", {}), fail),
        layout=_layout(table.get("catalogs", {}), fail),
        extra={key: table[key] for key in _SECTIONS if key in table},
        config_file=path,
    )


_FOLDERS = {"source-dir": "source", "locales-dir": "locales", "build-dir": "build", "cache-dir": ".locflow-cache"}


def unknown_key(key: str, known, hint: str | None = None) -> str:
    """``unknown key 'defualt' (did you mean 'default'?; known keys: ...)``; ``hint``
    says something better than "did you mean" about this key."""
    import difflib

    if hint is None:
        close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}?" if close else None
    return f"unknown key {key!r} ({hint + '; ' if hint else ''}known keys: {', '.join(sorted(known)) or 'none'})"


def _check_folders(folders: dict[str, Path], root: Path, fail) -> None:
    """build-dir and cache-dir hold what locflow makes (and deletes): neither may be
    the project root or overlap the articles, the catalogs or each other."""
    for key in ("build-dir", "cache-dir"):
        path = folders[key]
        if path == root or root.is_relative_to(path):
            raise fail(f"{key}: must be a folder of its own inside the project, not {path} (locflow deletes what it made there)")
        for other in ("source-dir", "locales-dir", "build-dir"):
            if other == key:
                continue
            there = folders[other]
            if path == there or path.is_relative_to(there) or there.is_relative_to(path):
                raise fail(f"{key} ({path}) overlaps {other} ({there}): locflow writes and deletes files in {key}; give it a folder of its own")
        if path.exists() and not path.is_dir():
            raise fail(f"{key}: {path} is a file, not a folder")


_LOCATIONS = ("full", "file", "never")
_CATALOG_KEYS = {"width", "wrap", "add-location"}


def _keyed_table(raw: Any, name: str, keys: set[str], fail, example: str = "") -> dict:
    """A top-level table with a fixed set of keys (a section's are read by :class:`Section`)."""
    if not isinstance(raw, dict):
        raise fail(f"{name}: expected a table{', e.g. ' + example if example else ''}")
    unknown = set(raw) - keys
    if unknown:
        raise fail(f"{name}: {unknown_key(sorted(unknown)[0], keys)}")
    return raw


def _layout(raw: Any, fail) -> Layout:
    """``[tool.locflow.catalogs]``: msgmerge's ``--width``, ``--no-wrap`` and ``--add-location``."""
    _keyed_table(raw, "catalogs", _CATALOG_KEYS, fail, '{ width = 79, wrap = true, add-location = "file" }')
    width = raw.get("width", GNU.width)
    if isinstance(width, bool) or not isinstance(width, int) or width < 20:
        raise fail(f"catalogs.width: expected a number of columns of at least 20 (gettext's default is 79), got {width!r}")
    wrap = raw.get("wrap", True)
    if not isinstance(wrap, bool):
        raise fail(f"catalogs.wrap: expected true or false, got {wrap!r}")
    locations = raw.get("add-location", "full")
    if locations not in _LOCATIONS:
        raise fail(f"catalogs.add-location: expected one of {', '.join(_LOCATIONS)}, got {locations!r}")
    return Layout(width=width, wrap=wrap, locations=locations)


def _percent(value: Any, key: str, fail) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
        raise fail(f"{key}: expected a percentage from 0 to 100, got {value!r}")
    return float(value)


def _thresholds(raw: Any, fail) -> tuple[dict[str, float], float]:
    if not isinstance(raw, dict):
        raise fail("thresholds: expected a table, e.g. { default = 100, ar = 80 }")
    default = _percent(raw.get("default", 100), "thresholds.default", fail)
    per_language: dict[str, float] = {}
    for key, value in raw.items():
        if key == "default":
            continue
        try:
            code = get_language(key).code
        except LanguageError as exc:
            hint = " (did you mean 'default'?)" if _close_to(key, "default") else ""
            raise fail(f"thresholds: {exc.message}{hint}") from None
        per_language[code] = _percent(value, f"thresholds.{key}", fail)
    return per_language, default


def _close_to(word: str, target: str) -> bool:
    import difflib

    return difflib.SequenceMatcher(None, word.lower(), target).ratio() >= 0.7


def _plural_forms(raw: Any, languages: tuple[Language, ...], fail) -> tuple[Language, ...]:
    """The languages with ``[tool.locflow.plural-forms]`` applied: per language, "cldr" or a Plural-Forms value."""
    if not isinstance(raw, dict):
        raise fail('plural-forms: expected a table, e.g. { fr = "cldr" }')
    by_code = {lang.code: lang for lang in languages}
    rules: dict[str, tuple[int, str]] = {}
    for key, value in raw.items():
        try:
            code = get_language(key).code
        except LanguageError as exc:
            raise fail(f"plural-forms: {exc.message}") from None
        if code not in by_code:
            raise fail(f"plural-forms: {key!r} is not one of the languages ({', '.join(by_code)})")
        if code in rules:
            raise fail(f"plural-forms: {code!r} is listed twice")
        if not isinstance(value, str):
            raise fail(f'plural-forms.{key}: expected "cldr" or "nplurals=N; plural=EXPRESSION;", got {value!r}')
        language = by_code[code]
        try:
            # A pseudo-locale's "cldr" is its base locale's rule.
            rules[code] = plural_rule(language.locale_code or code, value)
        except LanguageError as exc:
            raise fail(f"plural-forms.{key}: {exc.message}") from None
    return tuple(
        replace(lang, nplurals=rules[lang.code][0], plural_expr=rules[lang.code][1]) if lang.code in rules else lang
        for lang in languages
    )


def _regex(pattern: Any, key: str, fail) -> re.Pattern[str]:
    if not isinstance(pattern, str):
        raise fail(f"{key}: expected a regular expression string, got {pattern!r}")
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise fail(f"{key}: invalid regular expression {pattern!r}: {exc}") from None


def _text_settings(raw: Any, fail) -> TextSettings:
    _keyed_table(raw, "text", _TEXT_KEYS, fail)
    chrome_raw = raw.get("chrome", list(_DEFAULT_CHROME))
    if not isinstance(chrome_raw, list):
        raise fail("text.chrome: expected a list of regular expressions")
    chrome = tuple(_regex(p, "text.chrome", fail) for p in chrome_raw)
    dateline_raw = raw.get("dateline", _DEFAULT_DATELINE)
    dateline = None
    if dateline_raw:
        dateline = _regex(dateline_raw, "text.dateline", fail)
        if not {"label", "date"} <= set(dateline.groupindex):
            raise fail("text.dateline: the pattern needs the named groups (?P<label>...) and (?P<date>...)")
    max_length = raw.get("heading-max-length", 80)
    if isinstance(max_length, bool) or not isinstance(max_length, int) or max_length < 1:
        raise fail(f"text.heading-max-length: expected a positive whole number, got {max_length!r}")
    return TextSettings(chrome=chrome, dateline=dateline, heading_max_length=max_length)


class Section:
    """Reading one settings table (``[tool.locflow.<name>]``, or ``[<name>]`` in
    locflow.toml) with errors that name the file, the table and the key: the
    helpers every section's parser shares.

    The table must be a table and have only ``keys`` (an unknown key is an error
    with "did you mean"; ``hint(key)`` may say something better about a key, as
    the machine section does for secrets). ``dotted`` names the keys
    ``<name>.<key>`` after ``[tool.locflow]`` instead (the markdown section's
    style). :meth:`table` reads a table inside this one, with the same helpers.
    """

    def __init__(self, settings: Settings, name: str, keys: set[str] | frozenset[str], raw: Any = None, *,
                 hint: Callable[[str], str | None] | None = None, dotted: bool = False):
        where, prefix = (settings.table_name(), f"{name}.") if dotted else (settings.table_name(name), "")
        self._read(settings, name, keys, settings.extra.get(name, {}) if raw is None else raw, where, prefix, hint)

    def _read(self, settings: Settings, name: str, keys, raw: Any, where: str, prefix: str, hint) -> None:
        self.settings = settings
        self.name = name
        self.path = settings.settings_file
        self.where = where  # the table, as messages begin: [tool.locflow.machine]
        self.prefix = prefix  # before each key in messages: "" or "languages.hy."
        self.raw = raw
        self.keys = frozenset(keys)
        if not isinstance(raw, dict):
            raise self.fail(f"{prefix[:-1]}: expected a table" if prefix else "must be a table")
        unknown = sorted(set(raw) - self.keys)
        if unknown:
            explained = ((key, hint(key)) for key in unknown) if hint else ()
            key, message = next(((key, message) for key, message in explained if message), (unknown[0], None))
            raise self.fail((f"{prefix[:-1]}: " if prefix else "") + unknown_key(key, self.keys, message))

    def fail(self, message: str) -> ConfigError:
        return ConfigError(f"{self.where} {message}", self.path)

    def label(self, key: str) -> str:
        """How messages name ``key``: ``languages.hy.disable`` in a table inside the section."""
        return self.prefix + key

    def get(self, key: str, default: Any = None) -> Any:
        return self.raw.get(key, default)

    def table(self, key: str, keys: set[str] | frozenset[str], raw: Any = None,
              hint: Callable[[str], str | None] | None = None) -> Section:
        """The table ``key`` inside this one (``raw``: the table itself, when it is
        not ``self.raw[key]``, e.g. one language's table of a per-language table),
        read with the same helpers; messages name its keys ``<key>.<its key>``."""
        table = object.__new__(Section)
        table._read(self.settings, self.name, keys, self.raw.get(key, {}) if raw is None else raw, self.where,
                    f"{self.label(key)}.", hint)
        return table

    def boolean(self, key: str, default: bool) -> bool:
        value = self.raw.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(f"{self.label(key)}: expected true or false, got {value!r}")
        return value

    def number(self, key: str, default: float, low: float | None = None, high: float | None = None, what: str = "a number",
               whole: bool = False) -> float:
        """A number (``whole``: an integer) within ``[low, high]``; ``what`` says it in words."""
        value = self.raw.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int if whole else (int, float)) or (
            (low is not None and value < low) or (high is not None and value > high)
        ):
            raise self.fail(f"{self.label(key)}: expected {what}, got {value!r}")
        return value

    def choice(self, key: str, choices: tuple[str, ...], default: str | None = None) -> str:
        """One of ``choices`` (default: the first)."""
        value = self.raw.get(key, choices[0] if default is None else default)
        if value not in choices:
            raise self.fail(f"{self.label(key)}: expected one of {', '.join(repr(c) for c in choices)}, got {value!r}")
        return value

    def strings(self, key: str, default: list[str] | None, choices=None, example: str = "", noun: str = "value") -> list[str]:
        """A list of strings, each once (each among ``choices`` when given; ``noun``
        names one in messages: "unknown draft source 'x'")."""
        value = self.raw.get(key, default)
        label = self.label(key)
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.fail(f"{label}: expected a list of strings{', e.g. ' + example if example else ''}")
        if choices is not None:
            for item in value:
                if item not in choices:
                    raise self.fail(f"{label}: unknown {noun} {item!r} (known: {', '.join(choices)})")
        if len(set(value)) != len(value):
            raise self.fail(f"{label}: a {noun} is listed twice")
        return value

    def languages(self, key: str, example: str = "", member: str = "the site's languages") -> dict[str, Any]:
        """A table keyed by language codes, each one of the site's languages (normalized
        codes; ``member`` says what they must be among, in messages)."""
        value = self.raw.get(key, {})
        label = self.label(key)
        if not isinstance(value, dict):
            raise self.fail(f"{label}: expected a table keyed by language code{', e.g. ' + example if example else ''}")
        codes = {language.code for language in self.settings.languages}
        found: dict[str, Any] = {}
        for code, item in value.items():
            try:
                normalized = get_language(code).code
            except LanguageError as exc:
                raise self.fail(f"{label}: {exc.message}") from None
            if normalized not in codes:
                raise self.fail(f"{label}: {code!r} is not one of {member} ({', '.join(sorted(codes))})")
            found[normalized] = item
        return found
