"""The providers locflow knows, their limits, and the one table of their language codes.

gettext ``pt_BR`` is ``pt`` for Google, ``PT-BR`` for DeepL, ``pt-BR`` for
MyMemory; ``he`` is Google's ``iw``. Every mapping lives here, and a language a
provider does not offer is a clear error before any text is sent.

The language lists of Google, MyMemory and LibreTranslate, and the endpoints
of the free services, come from deep-translator, which keeps them; a
LibreTranslate server is also asked for its own (``GET /languages``). This is
the only module that imports deep-translator.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...errors import LanguageError
from ...languages import Language

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
_OVERRIDES["google-cloud"] = _OVERRIDES["google"]


@dataclass(frozen=True)
class ProviderSpec:
    """What locflow knows about one service: how it is named and how much one request may carry."""

    name: str
    title: str  # shown to translators in the draft comment
    max_chars: int  # the longest text one request may carry (longer ones are split at sentence ends)
    key_env: str | None  # environment variable holding the API key (None: no key by default)
    key_required: bool
    max_texts: int = 1  # texts per request (1: the service takes one text at a time)
    max_request_chars: int = 0  # characters per request, all texts together (0: max_chars)
    max_request_bytes: int = 0  # UTF-8 bytes of the texts per request (0: no such limit)
    uses_context: bool = False  # the request can carry the message's context (title, neighbours, msgctxt)
    one_context: bool = False  # that context is the whole request's (DeepL's `context`), not each text's

    @property
    def batches(self) -> bool:
        return self.max_texts > 1


PROVIDERS: dict[str, ProviderSpec] = {
    spec.name: spec
    for spec in (
        # Google's free web endpoint: one text per request, under 5000 characters.
        ProviderSpec("google", "Google Translate", 4999, None, False),
        # DeepL: up to 50 texts and a 128 KiB body per request; `context` is not billed.
        ProviderSpec("deepl", "DeepL", 30000, "DEEPL_API_KEY", True, 50, 100000, 120 * 1024, True, True),
        # Microsoft Translator v3: up to 1000 texts and 50,000 characters per request.
        ProviderSpec("microsoft", "Microsoft Translator", 50000, "MICROSOFT_API_KEY", True, 1000, 50000),
        # LibreTranslate: `q` as a list; the server's char limit counts all texts of a request
        # (`max-chars`), and its batch limit the texts (`texts-per-request`).
        ProviderSpec("libre", "LibreTranslate", 2000, "LIBRE_API_KEY", False, 25),
        # Google Cloud Translation (Basic, v2): up to 128 `q` per request; 5000 code points
        # per request recommended, 100 KB at most.
        ProviderSpec("google-cloud", "Google Cloud Translation", 5000, "GOOGLE_API_KEY", True, 128, 30000),
        # MyMemory's limit is 500 bytes per text, one text per request.
        ProviderSpec("mymemory", "MyMemory", 480, None, False),
        # An OpenAI-compatible chat-completions endpoint (hosted, or a local server).
        ProviderSpec("llm", "a language model", 6000, None, False, 20, 6000, uses_context=True),
    )
}


def free_endpoint(provider: str) -> str:
    """The URL of a free service deep-translator talks to (Google's web page, MyMemory)."""
    from deep_translator.constants import BASE_URLS

    return BASE_URLS[{"google": "GOOGLE_TRANSLATE", "mymemory": "MYMEMORY"}[provider]]


def _google_codes() -> set[str]:
    from deep_translator.constants import GOOGLE_LANGUAGES_TO_CODES

    return set(GOOGLE_LANGUAGES_TO_CODES.values())


def _mymemory_codes() -> list[str]:
    from deep_translator.constants import MY_MEMORY_LANGUAGES_TO_CODES

    return list(MY_MEMORY_LANGUAGES_TO_CODES.values())


def _libre_codes() -> set[str]:
    from deep_translator.constants import LIBRE_LANGUAGES_TO_CODES

    return set(LIBRE_LANGUAGES_TO_CODES.values())


def _offered(provider: str, role: str, libre_codes: frozenset[str] | None = None) -> set[str] | None:
    """The codes a provider offers (None: any language, the provider decides)."""
    if provider in ("google", "google-cloud"):
        return _google_codes()
    if provider == "deepl":
        return _DEEPL_TARGETS if role == "target" else _DEEPL_SOURCES
    if provider == "microsoft":
        return _MICROSOFT
    if provider == "mymemory":
        return set(_mymemory_codes())
    if provider == "libre":
        return set(libre_codes) if libre_codes is not None else _libre_codes()
    if provider == "llm":
        return None
    raise KeyError(provider)


class UnsupportedLanguage(LanguageError):
    """A provider does not offer a language."""


def provider_code(provider: str, language: Language, role: str = "target", libre_codes: frozenset[str] | None = None) -> str:
    """The code ``provider`` uses for ``language`` (``role``: "source" or "target").

    Raises :class:`UnsupportedLanguage` when the provider does not offer it.
    """
    offered = _offered(provider, role, libre_codes)
    code = language.code
    if offered is None:  # a language model is told the language by name and BCP 47 tag
        return code.replace("_", "-")
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
        for value in _mymemory_codes():
            if value.split("-")[0] == base:
                return value
    raise UnsupportedLanguage(
        f"{PROVIDERS[provider].title} ({provider}) does not offer {language.english_name} ({code}) as a {role} language"
    )
