"""Starting a site (``locflow init``) and adding a language (``locflow add-language``).

A site that is not a Python project keeps its settings in ``locflow.toml``
(the keys of ``[tool.locflow]``, at the top level); a Python project keeps
them in its ``pyproject.toml``. Either way the settings file is written
atomically and validated before it replaces the old one.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import files
from .config import LOCFLOW_TOML, PYPROJECT, _has_pyproject_settings, settings_from_table
from .errors import ConfigError, LanguageError
from .languages import Language, get_language
from .sections import load_settings  # every section registered: settings_from_table checks them too

GITIGNORE = (".locflow-cache/", "build/")

SAMPLE_ARTICLE = """\
---
title: Welcome to the site
---

# Welcome to the site

This is a sample article. Every heading, paragraph and list item of an
article in `source/` becomes a message that translators translate in
`locales/<language>/LC_MESSAGES/welcome.po`.

- Run `locflow extract` to make the templates.
- Run `locflow update` to make every language's catalogs.
- Run `locflow build` to publish what is translated.

Links keep their address: read the [gettext manual](https://www.gnu.org/software/gettext/manual/).
"""


@dataclass
class InitResult:
    settings_file: Path
    languages: tuple[Language, ...]
    created: list[Path] = field(default_factory=list)
    updated: list[Path] = field(default_factory=list)


def language_or_hint(code: str) -> Language:
    """A language by code; an unknown code's error suggests the closest known one
    (``ry`` -> ``ru``; a language's English name, ``armenian``, -> ``hy``)."""
    try:
        return get_language(code)
    except LanguageError as exc:
        hint = _suggestion(code)
        raise LanguageError(f"{exc.message}" + (f" (did you mean {hint}?)" if hint else "")) from None


def _suggestion(code: str) -> str | None:
    from babel import Locale
    from babel.localedata import locale_identifiers

    names = {name.lower(): known for known, name in Locale("en").languages.items() if "_" not in known}
    by_name = difflib.get_close_matches(code.lower(), list(names), n=1, cutoff=0.8)
    if by_name:
        return f"{names[by_name[0]]!r} ({by_name[0].title()})"
    wanted = code.replace("-", "_").lower()
    # A one-letter slip in a common language's code first ("ry" is "ru", not "yo").
    for common in _COMMON:
        if len(common) == len(wanted) and sum(a != b for a, b in zip(common, wanted)) == 1:
            return repr(common)
    known = [item for item in locale_identifiers() if "_" not in item]
    close = difflib.get_close_matches(wanted, known, n=1, cutoff=0.6)
    return repr(close[0]) if close else None


# Languages sites are most often translated into, most common first.
_COMMON = ("es", "fr", "de", "ru", "pt", "it", "ja", "zh", "ar", "ko", "tr", "pl", "nl", "uk", "fa", "hi", "hy",
           "ka", "az", "he", "el", "sv", "cs", "ro", "hu", "vi", "th", "id", "en")


def _toml_list(codes: list[str]) -> str:
    return "[" + ", ".join(f'"{code}"' for code in codes) + "]"


def _settings_text(languages: tuple[Language, ...], source_dir: str, table: str) -> str:
    names = ", ".join(language.english_name for language in languages)
    return (
        f"{table}"
        f"# The language articles are written in, and the languages they are translated into ({names}).\n"
        'source-language = "en"\n'
        f"languages = {_toml_list([language.code for language in languages])}\n"
        f'source-dir = "{source_dir}"\n'
        '# Catalogs: locales/<language>/LC_MESSAGES/<article>.po; what site builds use: build/.\n'
        'locales-dir = "locales"\n'
        'build-dir = "build"\n'
    )


def init_site(folder: Path, codes: list[str], source_dir: str = "source", sample: bool = False) -> InitResult:
    """Start a site in ``folder``: settings, the source folder, ``.gitignore``
    entries for what locflow derives, and a sample article if asked."""
    folder = folder.resolve()
    own, pyproject = folder / LOCFLOW_TOML, folder / PYPROJECT
    if own.exists() or _has_pyproject_settings(pyproject):
        existing = own if own.exists() else pyproject
        raise ConfigError("this folder is a locflow site already; change its settings there (or use `locflow add-language`)", existing)
    if not codes:
        raise ConfigError("name the languages to translate into, e.g. `locflow init -l hy -l ru`")
    languages = tuple(dict.fromkeys(language_or_hint(code) for code in codes))
    if any(language.code == "en" for language in languages):
        raise ConfigError("'en' is the source language; name the languages to translate into")
    if not re.fullmatch(r"[A-Za-z0-9_./-]+", source_dir) or source_dir.startswith(("/", "..")):
        raise ConfigError(f"--source-dir: expected a folder inside the site, got {source_dir!r}")
    result = InitResult(own, languages)
    if pyproject.is_file():
        # A Python project: the settings join its pyproject.toml.
        text = pyproject.read_text(encoding="utf-8")
        new = text + ("" if text.endswith("\n") else "\n") + "\n" + _settings_text(languages, source_dir, "[tool.locflow]\n")
        result.settings_file = pyproject
        _validate(new, pyproject, folder)
        files.write_atomic(pyproject, new)
        result.updated.append(pyproject)
    else:
        new = _settings_text(languages, source_dir, "")
        _validate(new, own, folder)
        files.write_atomic(own, new)
        result.created.append(own)
    source = folder / source_dir
    if not source.exists():
        source.mkdir(parents=True)
        result.created.append(source)
    if sample:
        article = source / "welcome.md"
        if not article.exists():
            files.write_atomic(article, SAMPLE_ARTICLE)
            result.created.append(article)
    gitignore = folder / ".gitignore"
    present = gitignore.read_text(encoding="utf-8").splitlines() if gitignore.exists() else []
    missing = [line for line in GITIGNORE if line not in present and line.rstrip("/") not in present]
    if missing:
        text = "\n".join(present) + ("\n" if present else "")
        files.write_atomic(gitignore, text + "# Derived by locflow: rebuilt by `make` or `locflow build`.\n" + "\n".join(missing) + "\n")
        (result.updated if present else result.created).append(gitignore)
    return result


def _validate(text: str, path: Path, root: Path) -> None:
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"the settings would not be valid TOML ({exc}); nothing was changed", path) from None
    table = data if path.name == LOCFLOW_TOML else data.get("tool", {}).get("locflow", {})
    settings_from_table(table, root, path)


_LANGUAGES = re.compile(r"^languages\s*=\s*\[[^\]]*\]", re.M)
_HEADER = re.compile(r"^\s*\[", re.M)


def add_language(root: Path | None, code: str) -> tuple[Path, Language]:
    """Add a language to the site's settings (its catalogs are made by ``update``)."""
    settings = load_settings(root)
    language = language_or_hint(code)
    if language.code in {existing.code for existing in settings.languages}:
        raise ConfigError(f"{language.code!r} ({language.english_name}) is one of the site's languages already", settings.settings_file)
    if language.code == settings.source_language.code:
        raise ConfigError(f"{language.code!r} is the source language", settings.settings_file)
    path = settings.settings_file
    text = path.read_text(encoding="utf-8")
    if path.name == LOCFLOW_TOML:
        start = 0
    else:
        header = re.search(r"^\[tool\.locflow\]\s*$", text, re.M)
        if header is None:
            raise ConfigError("no [tool.locflow] table to add the language to", path)
        start = header.end()
    following = _HEADER.search(text, start + 1)
    end = following.start() if following else len(text)
    match = _LANGUAGES.search(text, start, end)
    if match is None:
        raise ConfigError("no `languages = [...]` line to add the language to; add it by hand", path)
    codes = [existing.code for existing in settings.languages] + [language.code]
    new = text[: match.start()] + f"languages = {_toml_list(codes)}" + text[match.end():]
    _validate(new, path, settings.root)
    files.write_atomic(path, new)
    return path, language
