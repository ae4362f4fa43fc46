"""Machine-translation drafts: the services behind one small interface of ours.

deep-translator talks to the services; this is the only module that imports it.
Around it, locflow adds what a translation workflow needs and the library
lacks:

* **one table of language codes per provider** (gettext ``pt_BR`` is ``pt`` for
  Google, ``PT-BR`` for DeepL, ``pt-BR`` for MyMemory), and a clear error for a
  language a provider does not offer, before any text is sent;
* **API keys from environment variables only**, never printed, logged or
  written: every message that leaves this module is scrubbed of them;
* **timeouts** (deep-translator sets none), **retries** with exponential backoff
  on HTTP 429, 5xx and read timeouts, and a provider that cannot be reached at
  all is detected on the first failure and not asked again during the run;
* **size limits**: a text over a provider's limit is split at sentence
  boundaries and the translated parts joined;
* **garbage detection**: an HTML page, an empty answer, the source text sent
  back unchanged, a service warning, or text in the wrong script for the
  target language is refused, never written;
* **placeholders and markup protected** (:mod:`locflow.drafts.markup`): a draft
  that lost one is refused and reported;
* **a persistent cache** (:mod:`locflow.drafts.cache`): each distinct text is
  sent once per language and provider, ever.

Settings live in ``[tool.locflow.machine]`` (see README.md).
"""

from __future__ import annotations

import os
import random
import re
import threading
import unicodedata
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from deep_translator import deepl as _dt_deepl
from deep_translator import google as _dt_google
from deep_translator import libre as _dt_libre
from deep_translator import microsoft as _dt_microsoft
from deep_translator import mymemory as _dt_mymemory
from deep_translator.constants import GOOGLE_LANGUAGES_TO_CODES, LIBRE_LANGUAGES_TO_CODES, MY_MEMORY_LANGUAGES_TO_CODES

from ..glossary import glossary_note, glossary_path, load_glossary
from ..errors import ConfigError, LanguageError
from ..languages import Language
from . import Draft
from .cache import TranslationCache
from .markup import LostMarkup, protect, restore, strip_masks

# ---------------------------------------------------------------------------
# Providers and their language codes (the one place codes are mapped)
# ---------------------------------------------------------------------------

_DEEPL_TARGETS = {
    "AR", "BG", "CS", "DA", "DE", "EL", "EN-GB", "EN-US", "ES", "ET", "FI", "FR", "HU", "ID", "IT", "JA", "KO",
    "LT", "LV", "NB", "NL", "PL", "PT-BR", "PT-PT", "RO", "RU", "SK", "SL", "SV", "TR", "UK", "ZH-HANS", "ZH-HANT",
}  # fmt: skip
_DEEPL_SOURCES = {code.split("-")[0] for code in _DEEPL_TARGETS}
_MICROSOFT = set(
    "af am ar as az ba bg bn bo bs ca cs cy da de dv el en es et eu fa fi fil fj fo fr fr-CA ga gl gu ha he hi hr "
    "ht hu hy id ig is it iu ja ka kk km kmr kn ko ku ky lo lt lv lzh mg mi mk ml mn-Cyrl mn-Mong mr ms mt mww my "
    "nb ne nl or otq pa pl prs ps pt pt-PT ro ru rw sk sl sm sn so sq sr-Cyrl sr-Latn st sv sw ta te th ti tk "
    "tlh-Latn to tr tt ty ug uk ur uz vi xh yo yua yue zh-Hans zh-Hant zu".split()
)

# gettext code → the provider's code, where the rule "same code, else the bare
# language" is wrong. Everything else is found in each provider's offer below.
_OVERRIDES: dict[str, dict[str, str]] = {
    "google": {
        "he": "iw", "jv": "jw", "nb": "no", "fil": "tl", "pt_BR": "pt", "pt_PT": "pt",
        "zh": "zh-CN", "zh_CN": "zh-CN", "zh_Hans": "zh-CN", "zh_SG": "zh-CN", "zh_TW": "zh-TW", "zh_Hant": "zh-TW",
        "zh_HK": "zh-TW",
    },
    "deepl": {
        "pt": "PT-PT", "pt_PT": "PT-PT", "pt_BR": "PT-BR", "en": "EN-US", "en_US": "EN-US", "en_GB": "EN-GB",
        "zh": "ZH-HANS", "zh_CN": "ZH-HANS", "zh_Hans": "ZH-HANS", "zh_TW": "ZH-HANT", "zh_Hant": "ZH-HANT",
        "no": "NB", "nb": "NB",
    },
    "microsoft": {
        "pt_BR": "pt", "pt_PT": "pt-PT", "zh": "zh-Hans", "zh_CN": "zh-Hans", "zh_Hans": "zh-Hans",
        "zh_TW": "zh-Hant", "zh_Hant": "zh-Hant", "zh_HK": "zh-Hant", "sr": "sr-Cyrl", "sr_Cyrl": "sr-Cyrl",
        "sr_Latn": "sr-Latn", "no": "nb", "fr_CA": "fr-CA", "mn": "mn-Cyrl",
    },
    "libre": {"zh_CN": "zh", "zh_Hans": "zh", "zh_TW": "zt", "zh_Hant": "zt", "pt_BR": "pb", "nb": "nb"},
    "mymemory": {"he": "he-IL", "nb": "nb-NO", "zh": "zh-CN", "zh_Hans": "zh-CN", "zh_Hant": "zh-TW"},
}  # fmt: skip


@dataclass(frozen=True)
class ProviderSpec:
    """What locflow knows about one service."""

    name: str
    title: str  # shown to translators in the draft comment
    max_chars: int  # the longest text one request may carry
    key_env: str | None  # environment variable holding the API key (None: no key)
    key_required: bool


PROVIDERS: dict[str, ProviderSpec] = {
    spec.name: spec
    for spec in (
        # deep-translator refuses 5000 characters and more for Google.
        ProviderSpec("google", "Google Translate", 4999, None, False),
        ProviderSpec("deepl", "DeepL", 4000, "DEEPL_API_KEY", True),
        ProviderSpec("microsoft", "Microsoft Translator", 10000, "MICROSOFT_API_KEY", True),
        ProviderSpec("libre", "LibreTranslate", 2000, "LIBRE_API_KEY", False),
        # MyMemory's limit is 500 bytes; deep-translator refuses 500 characters.
        ProviderSpec("mymemory", "MyMemory", 480, None, False),
    )
}


def _offered(provider: str, role: str, libre_codes: frozenset[str] | None = None) -> set[str]:
    if provider == "google":
        return set(GOOGLE_LANGUAGES_TO_CODES.values())
    if provider == "deepl":
        return _DEEPL_TARGETS if role == "target" else _DEEPL_SOURCES
    if provider == "microsoft":
        return _MICROSOFT
    if provider == "mymemory":
        return set(MY_MEMORY_LANGUAGES_TO_CODES.values())
    if provider == "libre":
        return set(libre_codes) if libre_codes is not None else set(LIBRE_LANGUAGES_TO_CODES.values())
    raise KeyError(provider)


class UnsupportedLanguage(LanguageError):
    """A provider does not offer a language."""


def provider_code(provider: str, language: Language, role: str = "target", libre_codes: frozenset[str] | None = None) -> str:
    """The code ``provider`` uses for ``language`` (``role``: "source" or "target").

    Raises :class:`UnsupportedLanguage` when the provider does not offer it.
    """
    offered = _offered(provider, role, libre_codes)
    code = language.code
    base = code.split("_")[0]
    candidates = [_OVERRIDES.get(provider, {}).get(code), code.replace("_", "-"), _OVERRIDES.get(provider, {}).get(base), base]
    if provider == "deepl":
        candidates = [c.upper() if c else c for c in candidates]
        if role == "source":
            candidates = [c.split("-")[0] if c else c for c in candidates]
    for candidate in candidates:
        if candidate and candidate in offered:
            return candidate
    if provider == "mymemory":  # its table lists regional codes: "hy-AM", "ru-RU"
        for value in MY_MEMORY_LANGUAGES_TO_CODES.values():
            if value.split("-")[0] == base:
                return value
    raise UnsupportedLanguage(
        f"{PROVIDERS[provider].title} ({provider}) does not offer {language.english_name} ({code}) as a {role} language"
    )


# ---------------------------------------------------------------------------
# Settings: [tool.locflow.machine]
# ---------------------------------------------------------------------------

_KEYS = {"providers", "languages", "concurrency", "timeout", "connect-timeout", "retries", "backoff", *PROVIDERS}
_PROVIDER_KEYS = {
    "google": set(),
    "deepl": {"api-key-env"},
    "microsoft": {"api-key-env", "region"},
    "libre": {"api-key-env", "base-url", "max-chars"},
    "mymemory": {"email"},
}
DEFAULT_LIBRE_URL = "https://libretranslate.com/"


@dataclass(frozen=True)
class MachineSettings:
    """``[tool.locflow.machine]``, validated."""

    providers: tuple[str, ...] = ("google",)
    per_language: dict[str, tuple[str, ...]] = field(default_factory=dict)
    concurrency: int = 4
    timeout: float = 30.0
    connect_timeout: float = 5.0
    retries: int = 3
    backoff: float = 1.0
    key_env: dict[str, str] = field(default_factory=dict)
    libre_url: str = DEFAULT_LIBRE_URL
    libre_max_chars: int = PROVIDERS["libre"].max_chars
    microsoft_region: str | None = None
    mymemory_email: str | None = None

    def chain(self, language: str) -> tuple[str, ...]:
        """The providers asked for ``language``, in order."""
        return self.per_language.get(language, self.providers)

    def max_chars(self, provider: str) -> int:
        return self.libre_max_chars if provider == "libre" else PROVIDERS[provider].max_chars

    def key_variable(self, provider: str) -> str | None:
        return self.key_env.get(provider) or PROVIDERS[provider].key_env


def machine_settings(settings, path=None) -> MachineSettings:
    """Validate ``[tool.locflow.machine]`` from the project's settings."""
    from ..config import PYPROJECT
    from ..languages import get_language

    path = path or settings.root / PYPROJECT
    raw = settings.extra.get("machine", {})

    def fail(message: str) -> ConfigError:
        return ConfigError(f"[tool.locflow.machine] {message}", path)

    if not isinstance(raw, dict):
        raise fail("expected a table")
    unknown = set(raw) - _KEYS
    if unknown:
        key = sorted(unknown)[0]
        hint = " (API keys are read from environment variables only)" if "key" in key else ""
        raise fail(f"unknown key {key!r}{hint} (known keys: {', '.join(sorted(_KEYS))})")

    def chain(value: Any, key: str) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise fail(f"{key}: expected a list of providers, e.g. [\"google\", \"mymemory\"]")
        for name in value:
            if name not in PROVIDERS:
                raise fail(f"{key}: unknown provider {name!r} (known: {', '.join(PROVIDERS)})")
        if len(set(value)) != len(value):
            raise fail(f"{key}: a provider is listed twice")
        return tuple(value)

    def number(key: str, default, kind=float, minimum=0):
        value = raw.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (kind is int and not isinstance(value, int)):
            raise fail(f"{key}: expected a {'whole ' if kind is int else ''}number, got {value!r}")
        if value < minimum:
            raise fail(f"{key}: must be at least {minimum}, got {value!r}")
        return kind(value)

    per_language: dict[str, tuple[str, ...]] = {}
    languages_raw = raw.get("languages", {})
    if not isinstance(languages_raw, dict):
        raise fail("languages: expected a table, e.g. { hy = [\"google\", \"mymemory\"] }")
    project_codes = {lang.code for lang in settings.languages}
    for code, value in languages_raw.items():
        try:
            normalized = get_language(code).code
        except LanguageError as exc:
            raise fail(f"languages: {exc.message}") from None
        if normalized not in project_codes:
            raise fail(f"languages: {code!r} is not one of the project's languages ({', '.join(sorted(project_codes))})")
        per_language[normalized] = chain(value, f"languages.{code}")

    key_env: dict[str, str] = {}
    options: dict[str, dict] = {}
    for provider in PROVIDERS:
        table = raw.get(provider, {})
        if not isinstance(table, dict):
            raise fail(f"{provider}: expected a table")
        unknown = set(table) - _PROVIDER_KEYS[provider]
        if unknown:
            key = sorted(unknown)[0]
            hint = " (API keys are read from environment variables only; name the variable with api-key-env)" if "key" in key else ""
            known = ", ".join(sorted(_PROVIDER_KEYS[provider])) or "none"
            raise fail(f"{provider}: unknown key {key!r}{hint} (known keys: {known})")
        for key, value in table.items():
            if key != "max-chars" and (not isinstance(value, str) or not value.strip()):
                raise fail(f"{provider}.{key}: expected a non-empty string, got {value!r}")
        if "api-key-env" in table:
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", table["api-key-env"]):
                raise fail(f"{provider}.api-key-env: expected the name of an environment variable, got {table['api-key-env']!r}")
            key_env[provider] = table["api-key-env"]
        options[provider] = table

    libre_url = options["libre"].get("base-url", DEFAULT_LIBRE_URL)
    if urlsplit(libre_url).scheme not in ("http", "https") or not urlsplit(libre_url).netloc:
        raise fail(f"libre.base-url: expected an http(s) URL, got {libre_url!r}")
    max_chars = options["libre"].get("max-chars", PROVIDERS["libre"].max_chars)
    if isinstance(max_chars, bool) or not isinstance(max_chars, int) or max_chars < 20:
        raise fail(f"libre.max-chars: expected a whole number of at least 20, got {max_chars!r}")

    return MachineSettings(
        providers=chain(raw.get("providers", ["google"]), "providers"),
        per_language=per_language,
        concurrency=number("concurrency", 4, int, 1),
        timeout=number("timeout", 30.0, float, 0.1),
        connect_timeout=number("connect-timeout", 5.0, float, 0.1),
        retries=number("retries", 3, int, 0),
        backoff=number("backoff", 1.0, float, 0),
        key_env=key_env,
        libre_url=libre_url if libre_url.endswith("/") else libre_url + "/",
        libre_max_chars=max_chars,
        microsoft_region=options["microsoft"].get("region"),
        mymemory_email=options["mymemory"].get("email"),
    )


# ---------------------------------------------------------------------------
# HTTP: deep-translator's calls go through here (timeouts, and what happened)
# ---------------------------------------------------------------------------


class _Transport:
    """Stands in for the ``requests`` module inside deep-translator's provider modules.

    deep-translator calls ``requests.get``/``requests.post`` with no timeout
    and turns most failures into vague exceptions. Routing its calls through
    here adds timeouts, one connection pool per thread, and a record of the
    last response or network failure of the calling thread, so failures are
    classified from what really happened.
    """

    exceptions = requests.exceptions

    def __init__(self) -> None:
        self.local = threading.local()

    def configure(self, timeout: tuple[float, float]) -> None:
        self.local.timeout = timeout

    def reset(self) -> None:
        self.local.status = None
        self.local.failure = None
        self.local.retry_after = None
        self.local.content_type = ""
        self.local.url = None

    def get(self, url, **kwargs):
        return self._send("GET", url, **kwargs)

    def post(self, url, **kwargs):
        return self._send("POST", url, **kwargs)

    def _send(self, method: str, url: str, **kwargs):
        local = self.local
        if getattr(local, "session", None) is None:
            local.session = requests.Session()
        kwargs["timeout"] = getattr(local, "timeout", (5.0, 30.0))
        local.url = url
        try:
            response = local.session.request(method, url, **kwargs)
        except requests.exceptions.RequestException as exc:
            local.failure = exc
            raise
        local.status = response.status_code
        local.content_type = response.headers.get("Content-Type", "")
        local.retry_after = _retry_after(response.headers.get("Retry-After"))
        return response


def _retry_after(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


_TRANSPORT = _Transport()
for _module in (_dt_google, _dt_libre, _dt_deepl, _dt_microsoft, _dt_mymemory):
    _module.requests = _TRANSPORT  # type: ignore[attr-defined]


class _Microsoft(_dt_microsoft.MicrosoftTranslator):
    """deep-translator's Microsoft client asks the service for its languages in its
    constructor; locflow's table answers instead, so nothing is sent before a text."""

    def _get_supported_languages(self):
        return {code: code for code in _MICROSOFT}


# ---------------------------------------------------------------------------
# Failures
# ---------------------------------------------------------------------------


class _Retry(Exception):
    def __init__(self, reason: str, wait: float | None = None):
        super().__init__(reason)
        self.reason, self.wait = reason, wait


class _Down(Exception):
    """The provider cannot be used for the rest of the run (unreachable, key refused)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class _Failed(Exception):
    """This text got no usable answer from this provider."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Interrupted(KeyboardInterrupt):
    """Ctrl-C or kill during :meth:`MachineSource.drafts`; ``drafts`` holds what arrived."""

    def __init__(self, drafts: dict[str, Draft]):
        super().__init__()
        self.drafts = drafts


@dataclass(frozen=True)
class Failure:
    """A string that got no draft, and why (shown in the summary)."""

    language: str
    msgid: str
    provider: str
    reason: str


def _network_reason(exc: Exception, url: str | None, connect_timeout: float) -> str:
    host = urlsplit(url).netloc if url else "the service"
    text = repr(exc)
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return f"no answer from {host} within {connect_timeout:g} s"
    if isinstance(exc, requests.exceptions.ProxyError):
        return f"the proxy for {host} cannot be reached"
    if "NameResolutionError" in text or "Name or service not known" in text or "getaddrinfo" in text:
        return f"cannot resolve {host}"
    if "Connection refused" in text or "ConnectionRefused" in text:
        return f"connection to {host} refused"
    if "RemoteDisconnected" in text or "Connection aborted" in text or "reset" in text.lower():
        return f"connection to {host} lost"
    return f"cannot connect to {host} ({type(exc).__name__})"


# ---------------------------------------------------------------------------
# Splitting long texts at sentence boundaries
# ---------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?;։…。！？])(\s+)")


def split_text(text: str, limit: int) -> list[tuple[str, str]]:
    """Cut ``text`` into pieces of at most ``limit`` characters, at line breaks always and
    at sentence ends (then spaces) when needed. Returns ``(piece, separator)`` pairs:
    joining ``piece + separator`` gives back ``text``."""
    out: list[tuple[str, str]] = []
    for line, newline in _pairs(re.split(r"(\n+)", text)):
        sentences = _pairs(_SENTENCE_END.split(line))
        current, current_sep = "", ""
        for sentence, sep in sentences:
            for part, part_sep in _fit(sentence, sep, limit):
                if current and len(current) + len(current_sep) + len(part) <= limit:
                    current += current_sep + part
                    current_sep = part_sep
                else:
                    if current:
                        out.append((current, current_sep))
                    current, current_sep = part, part_sep
        out.append((current, current_sep + newline))
    return out


def _pairs(parts: list[str]) -> list[tuple[str, str]]:
    parts = parts + [""] if len(parts) % 2 else parts
    return [(parts[i], parts[i + 1]) for i in range(0, len(parts), 2)]


def _fit(sentence: str, sep: str, limit: int) -> list[tuple[str, str]]:
    if len(sentence) <= limit:
        return [(sentence, sep)]
    words = _pairs(re.split(r"(\s+)", sentence))
    out: list[tuple[str, str]] = []
    current, current_sep = "", ""
    for word, space in words:
        while len(word) > limit:  # a run without spaces longer than the limit
            if current:
                out.append((current, current_sep))
                current, current_sep = "", ""
            out.append((word[:limit], ""))
            word = word[limit:]
        if current and len(current) + len(current_sep) + len(word) <= limit:
            current += current_sep + word
            current_sep = space
        else:
            if current:
                out.append((current, current_sep))
            current, current_sep = word, space
    out.append((current, current_sep + sep))
    return out


# ---------------------------------------------------------------------------
# Garbage detection
# ---------------------------------------------------------------------------

# ISO 15924 script → the first word of the Unicode character names of its letters.
_SCRIPT_NAMES: dict[str, tuple[str, ...]] = {
    "Latn": ("LATIN",), "Cyrl": ("CYRILLIC",), "Armn": ("ARMENIAN",), "Arab": ("ARABIC",), "Grek": ("GREEK",),
    "Hebr": ("HEBREW",), "Geor": ("GEORGIAN",), "Deva": ("DEVANAGARI",), "Beng": ("BENGALI",), "Thai": ("THAI",),
    "Hans": ("CJK",), "Hant": ("CJK",), "Jpan": ("HIRAGANA", "KATAKANA", "CJK"), "Kore": ("HANGUL", "CJK"),
    "Hang": ("HANGUL",), "Ethi": ("ETHIOPIC",), "Taml": ("TAMIL",), "Telu": ("TELUGU",), "Knda": ("KANNADA",),
    "Mlym": ("MALAYALAM",), "Gujr": ("GUJARATI",), "Guru": ("GURMUKHI",), "Khmr": ("KHMER",), "Laoo": ("LAO",),
    "Mymr": ("MYANMAR",), "Sinh": ("SINHALA",), "Tibt": ("TIBETAN",), "Mong": ("MONGOLIAN",), "Thaa": ("THAANA",),
}  # fmt: skip
_HTML_PAGE = re.compile(r"<!doctype|<html|<head[\s>]|<body[\s>]|<title>|</?(?:div|script|style|meta)[\s>]", re.IGNORECASE)
_SERVICE_WARNINGS = re.compile(
    r"MYMEMORY WARNING|QUERY LENGTH LIMIT EXCEE|PLEASE SELECT TWO DISTINCT LANGUAGES|INVALID LANGUAGE PAIR|"
    r"'AUTO' IS AN INVALID SOURCE LANGUAGE|IS AN INVALID TARGET LANGUAGE"
)


def script_of(text: str) -> Counter:
    """How many letters of ``text`` belong to each script (first word of their Unicode name)."""
    counts: Counter = Counter()
    for char in text:
        if char.isalpha():
            counts[unicodedata.name(char, "UNKNOWN").split(" ")[0]] += 1
    return counts


def has_words(masked: str) -> bool:
    """Whether a (masked) text has anything a service could translate."""
    return any(char.isalpha() for char in strip_masks(masked))


def garbage_reason(source_masked: str, answer_masked: str, target: Language) -> str | None:
    """Why an answer is not a translation of ``source_masked`` into ``target``, or None."""
    answer = strip_masks(answer_masked)
    if not answer.strip():
        return "empty answer"
    if _HTML_PAGE.search(answer_masked) and not _HTML_PAGE.search(source_masked):
        return "an HTML page instead of a translation"
    if _SERVICE_WARNINGS.search(answer_masked):
        return "a service message instead of a translation"

    def normal(text: str) -> str:
        return " ".join(strip_masks(text).split()).casefold()

    if normal(answer_masked) == normal(source_masked):
        return "the source text came back unchanged"
    expected = _SCRIPT_NAMES.get(target.script or "")
    letters = script_of(answer)
    total = sum(letters.values())
    if expected and total:
        share = sum(letters[name] for name in expected) / total
        if share < 0.5:
            found = letters.most_common(1)[0][0].title()
            return f"written in {found} script, not {target.script} as {target.english_name} is"
    return None


# ---------------------------------------------------------------------------
# The draft source
# ---------------------------------------------------------------------------


@dataclass
class ProviderStats:
    """What one provider did in this run (for the summary; billed by character)."""

    requests: int = 0
    characters: int = 0
    cached: int = 0
    drafts: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class PlanRow:
    """What a dry run would send to one provider for one language."""

    language: str
    provider: str
    strings: int
    characters: int
    cached: int


class MachineSource:
    """Drafts from machine-translation services (``[tool.locflow.machine]``)."""

    name = "machine"

    def __init__(self, settings, config: MachineSettings, provider: str | None = None, jobs: int | None = None):
        if provider is not None and provider not in PROVIDERS:
            raise ConfigError(f"unknown provider {provider!r} (known: {', '.join(PROVIDERS)})")
        self.settings = settings
        self._glossaries: dict[str, list] = {}
        self.config = config
        self.forced = provider
        self.jobs = jobs or config.concurrency
        self.source_language: Language = settings.source_language
        self.cache = TranslationCache(settings.cache_dir)
        self.stats: dict[str, ProviderStats] = {}
        self.failures: list[Failure] = []
        self.down: dict[str, str] = {}  # provider → why it was not used
        self.skipped: Counter = Counter()  # language → strings with nothing to translate
        self._libre_codes: frozenset[str] | None = None
        self._libre_checked = False
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._secrets: list[str] = []

    @classmethod
    def from_settings(cls, settings, options: dict) -> "MachineSource":
        return cls(settings, machine_settings(settings), options.get("provider"), options.get("jobs"))

    # -- configuration checks, before anything is sent ----------------------

    def chain(self, language: Language) -> tuple[str, ...]:
        return (self.forced,) if self.forced else self.config.chain(language.code)

    def _api_key(self, provider: str) -> str | None:
        variable = self.config.key_variable(provider)
        if variable is None:
            return None
        value = os.environ.get(variable, "").strip()
        if value and value not in self._secrets:
            self._secrets.append(value)
        return value or None

    def check_languages(self, languages) -> None:
        """Every provider of every language's chain offers it and has its API key: a clear
        error otherwise, before any text is sent."""
        for language in languages:
            for provider in self.chain(language):
                spec = PROVIDERS[provider]
                if spec.key_required and not self._api_key(provider):
                    raise ConfigError(
                        f"{spec.title} ({provider}) needs an API key in the environment variable "
                        f"{self.config.key_variable(provider)}"
                    )
                if provider == "libre":
                    self._load_libre_languages()
                    if provider in self.down:
                        continue  # unreachable: reported in the summary, not an error
                try:
                    provider_code(provider, self.source_language, "source", self._libre_codes)
                    provider_code(provider, language, "target", self._libre_codes)
                except UnsupportedLanguage as exc:
                    where = "--provider" if self.forced else (
                        f"[tool.locflow.machine.languages] {language.code}"
                        if language.code in self.config.per_language
                        else "[tool.locflow.machine] providers"
                    )
                    raise UnsupportedLanguage(f"{exc.message}; choose another provider in {where}") from None

    def _load_libre_languages(self) -> None:
        """A LibreTranslate server says which languages it has (GET /languages)."""
        if self._libre_checked:
            return
        self._libre_checked = True
        self._api_key("libre")
        _TRANSPORT.configure((self.config.connect_timeout, self.config.timeout))
        _TRANSPORT.reset()
        url = self.config.libre_url + "languages"
        try:
            response = _TRANSPORT.get(url)
        except requests.exceptions.ConnectionError as exc:
            self.down["libre"] = self._redact(_network_reason(exc, url, self.config.connect_timeout))
            return
        except requests.exceptions.RequestException:
            return  # the static table applies
        try:
            data = response.json() if response.status_code == 200 else None
            codes = {item["code"] for item in data} if isinstance(data, list) else None
        except (ValueError, KeyError, TypeError):
            codes = None
        if codes:
            self._libre_codes = frozenset(codes)

    # -- dry run -------------------------------------------------------------

    def plan(self, language: Language, msgids: list[str]) -> list[PlanRow]:
        """How many strings and characters would be sent (nothing is sent)."""
        provider = self.chain(language)[0]
        src = self.source_language.code
        strings = characters = cached = 0
        seen: set[str] = set()
        for msgid in msgids:
            masked, _ = protect(msgid.strip())
            if masked in seen or not has_words(masked):
                continue
            seen.add(masked)
            pieces = [piece.strip() for piece, _ in split_text(masked, self.config.max_chars(provider)) if has_words(piece)]
            if all(self.cache.get(provider, src, language.code, piece) is not None for piece in pieces):
                cached += 1
                continue
            strings += 1
            characters += sum(len(piece) for piece in pieces)
        return [PlanRow(language.code, provider, strings, characters, cached)]

    # -- drafts ---------------------------------------------------------------

    def _glossary(self, language: Language) -> list:
        if language.code not in self._glossaries:
            self._glossaries[language.code] = load_glossary(glossary_path(self.settings.locales_dir, language.code))
        return self._glossaries[language.code]

    def drafts(self, language: Language, msgids: list[str]) -> dict[str, Draft]:
        """Machine drafts for as many of ``msgids`` as the providers give good answers for."""
        by_masked: dict[str, list[tuple[str, list]]] = {}
        for msgid in msgids:
            masked, tokens = protect(msgid)
            if not has_words(masked):
                self.skipped[language.code] += 1
                continue
            by_masked.setdefault(masked, []).append((msgid, tokens))
        results: dict[str, Draft] = {}
        if not by_masked:
            return results
        executor = ThreadPoolExecutor(max_workers=self.jobs, thread_name_prefix="locflow-mt")
        handled: set = set()

        def take(future) -> None:
            handled.add(future)
            answer, provider, failures = future.result()
            for msgid, tokens in by_masked[futures[future]]:
                if answer is None:
                    self._fail(language, msgid, [f for f in failures if f[1] != "interrupted"])
                    continue
                try:
                    text = restore(answer, tokens)
                except LostMarkup as exc:
                    self._fail(language, msgid, [(provider, str(exc))])
                    continue
                self._stats(provider).drafts += 1
                # A draft lacking an approved glossary term says which, for the translator.
                note = glossary_note(msgid, text, self._glossary(language))
                results[msgid] = Draft(text=text, origin=f"machine:{provider}", detail=PROVIDERS[provider].title + note)

        futures = {executor.submit(self._translate, language, masked): masked for masked in by_masked}
        try:
            for future in as_completed(futures):
                take(future)
        except KeyboardInterrupt:
            # Stop sending, let the requests on their way finish, and hand over
            # every answer received, so the caller can save it.
            self._stop.set()
            executor.shutdown(wait=True, cancel_futures=True)
            self._stop.clear()
            for future in futures:
                if future not in handled and future.done() and not future.cancelled() and future.exception() is None:
                    take(future)
            raise Interrupted(results) from None
        except BaseException:
            self._stop.set()
            executor.shutdown(wait=True, cancel_futures=True)
            self._stop.clear()
            raise
        executor.shutdown(wait=True)
        return results

    def _fail(self, language: Language, msgid: str, failures: list[tuple[str, str]]) -> None:
        for provider, reason in failures:
            if provider not in self.down:
                self._stats(provider).failed += 1
                self.failures.append(Failure(language.code, msgid, provider, reason))

    def _stats(self, provider: str) -> ProviderStats:
        with self._lock:
            return self.stats.setdefault(provider, ProviderStats())

    def _translate(self, language: Language, masked: str) -> tuple[str | None, str | None, list[tuple[str, str]]]:
        """One distinct (masked) text through the provider chain: (answer, provider, failures)."""
        failures: list[tuple[str, str]] = []
        for provider in self.chain(language):
            if self._stop.is_set():
                break
            if provider in self.down:
                continue
            try:
                return self._with_provider(provider, language, masked), provider, failures
            except _Down as exc:
                with self._lock:
                    self.down.setdefault(provider, exc.reason)
            except _Failed as exc:
                failures.append((provider, exc.reason))
            except Exception as exc:  # a client bug must not end the run or show a secret
                failures.append((provider, self._redact(f"unexpected error ({type(exc).__name__})")))
        return None, None, failures

    def _with_provider(self, provider: str, language: Language, masked: str) -> str:
        src, tgt = self.source_language.code, language.code
        stats = self._stats(provider)
        lead = masked[: len(masked) - len(masked.lstrip())]
        trail = masked[len(masked.rstrip()) :]
        pieces = split_text(masked.strip(), self.config.max_chars(provider))
        cached = [self.cache.get(provider, src, tgt, piece.strip()) if has_words(piece) else piece.strip() for piece, _ in pieces]
        if all(answer is not None for answer in cached):
            with self._lock:
                stats.cached += 1
            answers = cached
        else:
            answers = []
            for (piece, _), known in zip(pieces, cached):
                answers.append(known if known is not None else self._request(provider, language, piece.strip()))
        joined = lead + "".join(answer.strip() + sep for answer, (_, sep) in zip(answers, pieces)).rstrip() + trail
        reason = garbage_reason(masked, joined, language)
        if reason is not None:
            raise _Failed(reason)
        for (piece, _), answer in zip(pieces, answers):
            if has_words(piece):
                self.cache.put(provider, src, tgt, piece.strip(), answer)
        return joined

    def _request(self, provider: str, language: Language, text: str) -> str:
        """One request, with retries and exponential backoff on 429, 5xx and timeouts."""
        if not has_words(text):
            return text
        attempts = self.config.retries + 1
        last = ""
        for attempt in range(attempts):
            if self._stop.is_set():
                raise _Failed("interrupted")
            if provider in self.down:
                raise _Down(self.down[provider])
            try:
                return self._call(provider, language, text)
            except _Retry as exc:
                last = exc.reason
                if attempt + 1 == attempts:
                    break
                delay = self.config.backoff * (2**attempt) * (1 + random.random() / 4)
                if exc.wait is not None:
                    delay = max(delay, min(exc.wait, 60.0))
                if self._stop.wait(delay):
                    raise _Failed("interrupted") from None
        raise _Failed(f"{last}; gave up after {attempts} attempts")

    def _client(self, provider: str, source: str, target: str):
        key = self._api_key(provider)
        if provider == "google":
            client = _dt_google.GoogleTranslator(source="en", target="fr")
        elif provider == "libre":
            client = _dt_libre.LibreTranslator(source="en", target="es", api_key=key or "-", custom_url=self.config.libre_url)
            client.api_key = key  # None: the server needs no key, and none is sent
        elif provider == "deepl":
            client = _dt_deepl.DeeplTranslator(source="en", target="de", api_key=key, use_free_api=key.endswith(":fx"))
        elif provider == "microsoft":
            client = _Microsoft(source="en", target="fr", api_key=key, region=self.config.microsoft_region)
        else:
            kwargs = {"email": self.config.mymemory_email} if self.config.mymemory_email else {}
            client = _dt_mymemory.MyMemoryTranslator(source="en-GB", target="fr-FR", **kwargs)
        # The codes come from locflow's table, not deep-translator's (older) lists.
        client.source, client.target = source, target
        return client

    def _call(self, provider: str, language: Language, text: str) -> str:
        source = provider_code(provider, self.source_language, "source", self._libre_codes)
        target = provider_code(provider, language, "target", self._libre_codes)
        client = self._client(provider, source, target)
        _TRANSPORT.configure((self.config.connect_timeout, self.config.timeout))
        _TRANSPORT.reset()
        try:
            answer = client.translate(text)
        except Exception as exc:  # deep-translator raises many kinds; what happened is recorded
            raise self._classify(provider, exc) from None
        finally:
            if _TRANSPORT.local.status is not None or isinstance(_TRANSPORT.local.failure, requests.exceptions.ReadTimeout):
                with self._lock:  # it reached the service (and may be billed)
                    stats = self.stats.setdefault(provider, ProviderStats())
                    stats.requests += 1
                    stats.characters += len(text)
        if not isinstance(answer, str):
            raise _Failed("no translation in the answer")
        return answer

    def _classify(self, provider: str, exc: Exception) -> Exception:
        local = _TRANSPORT.local
        failure, status = getattr(local, "failure", None), getattr(local, "status", None)
        if isinstance(failure, (requests.exceptions.ReadTimeout, requests.exceptions.ChunkedEncodingError)):
            return _Retry(f"no answer within {self.config.timeout:g} s")
        if isinstance(failure, requests.exceptions.ConnectionError):
            return _Down(self._redact(_network_reason(failure, local.url, self.config.connect_timeout)))
        if failure is not None:
            return _Failed(f"request failed ({type(failure).__name__})")
        if status == 429:
            return _Retry("rate limited (HTTP 429)", local.retry_after)
        if status is not None and status >= 500:
            return _Retry(f"server error (HTTP {status})", local.retry_after)
        if status in (401, 403):
            variable = self.config.key_variable(provider)
            what = f"the API key in {variable}" if variable and self._api_key(provider) else "the request"
            return _Down(f"refused {what} (HTTP {status})")
        if status is not None and status >= 400:
            return _Failed(f"request refused (HTTP {status})")
        if "html" in (local.content_type or "").lower():
            return _Failed("an HTML page instead of a translation")
        return _Failed(self._redact(f"unreadable answer ({type(exc).__name__})"))

    def _redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text

    # -- summary ----------------------------------------------------------------

    def status(self) -> dict[str, Any]:
        """What happened, for the summary and ``--format json``."""
        return {
            "providers": {name: stats.as_dict() for name, stats in sorted(self.stats.items())},
            "unavailable": dict(sorted(self.down.items())),
            "failures": [failure.__dict__ for failure in self.failures],
            "nothing_to_translate": dict(self.skipped),
        }

    def unavailable(self) -> dict[str, str]:
        return dict(self.down)

    def close(self) -> None:
        self.cache.close()

