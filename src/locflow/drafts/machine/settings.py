"""``[tool.locflow.machine]``: the provider chains, HTTP limits and each provider's table, validated.

Light to import (the providers' HTTP code is elsewhere): every command that
loads settings with this section parses it (:func:`parse_machine`, registered
by :mod:`locflow.sections`).

API keys never live here: a provider's table may only name the environment
variable that holds its key (``api-key-env``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ...config import Section
from .codes import PROVIDERS

_KEYS = {"providers", "languages", "concurrency", "timeout", "connect-timeout", "retries", "backoff", *PROVIDERS}
_PROVIDER_KEYS = {
    "google": set(),
    "deepl": {"api-key-env", "base-url", "glossary"},
    "microsoft": {"api-key-env", "region", "base-url"},
    "libre": {"api-key-env", "base-url", "max-chars", "texts-per-request"},
    "google-cloud": {"api-key-env", "base-url"},
    "mymemory": {"email"},
    "llm": {"api-key-env", "base-url", "model", "max-chars", "texts-per-request", "temperature", "response-format"},
}
_URL_KEYS = {"base-url"}
_NUMBER_KEYS = {"max-chars", "texts-per-request", "temperature"}
DEFAULT_LIBRE_URL = "https://libretranslate.com/"
DEFAULT_URLS = {
    "libre": DEFAULT_LIBRE_URL,
    "microsoft": "https://api.cognitive.microsofttranslator.com/",
    "google-cloud": "https://translation.googleapis.com/",
    # DeepL: api-free.deepl.com for a key ending in ":fx", else api.deepl.com (chosen with the key)
}
RESPONSE_FORMATS = ("json_schema", "json_object")


@dataclass(frozen=True)
class LlmSettings:
    """``[tool.locflow.machine.llm]``: an OpenAI-compatible chat-completions endpoint."""

    base_url: str | None = None
    model: str | None = None
    temperature: float = 0.0
    response_format: str = "json_schema"


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
    urls: dict[str, str] = field(default_factory=dict)  # provider → base URL set in its table
    max_chars_set: dict[str, int] = field(default_factory=dict)
    texts_set: dict[str, int] = field(default_factory=dict)
    microsoft_region: str | None = None
    mymemory_email: str | None = None
    deepl_glossary: bool = True
    llm: LlmSettings = field(default_factory=LlmSettings)

    def chain(self, language: str) -> tuple[str, ...]:
        """The providers asked for ``language``, in order."""
        return self.per_language.get(language, self.providers)

    def max_chars(self, provider: str) -> int:
        """The longest text one request of ``provider`` may carry."""
        return self.max_chars_set.get(provider, PROVIDERS[provider].max_chars)

    def max_texts(self, provider: str) -> int:
        return self.texts_set.get(provider, PROVIDERS[provider].max_texts)

    def max_request_chars(self, provider: str) -> int:
        spec = PROVIDERS[provider]
        if provider in self.max_chars_set:  # the server's limit counts every text of a request
            return self.max_chars_set[provider]
        return spec.max_request_chars or spec.max_chars

    def key_variable(self, provider: str) -> str | None:
        return self.key_env.get(provider) or PROVIDERS[provider].key_env

    def url(self, provider: str) -> str | None:
        return self.urls.get(provider) or DEFAULT_URLS.get(provider)

    @property
    def libre_url(self) -> str:
        return self.url("libre") or DEFAULT_LIBRE_URL


def machine_settings(settings) -> MachineSettings:
    """``[tool.locflow.machine]``, parsed once with the settings (:func:`parse_machine`)."""
    return settings.section("machine")


def _secret(key: str) -> str | None:
    """What to say about a key that looks like an API key: they never live in the settings."""
    return "API keys are read from environment variables only" if "key" in key else None


def _provider_secret(key: str) -> str | None:
    return "API keys are read from environment variables only; name the variable with api-key-env" if "key" in key else None


def parse_machine(settings) -> MachineSettings:
    """Validate ``[tool.locflow.machine]`` from the project's settings."""
    section = Section(settings, "machine", _KEYS, hint=_secret)
    raw = section.raw
    fail = section.fail

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

    per_language = {code: chain(value, f"languages.{code}") for code, value in section.languages("languages").items()}

    key_env: dict[str, str] = {}
    urls: dict[str, str] = {}
    max_chars: dict[str, int] = {}
    texts: dict[str, int] = {}
    options: dict[str, Section] = {}
    for provider in PROVIDERS:
        table = section.table(provider, _PROVIDER_KEYS[provider], hint=_provider_secret)
        for key, value in table.raw.items():
            if key in _NUMBER_KEYS or key == "glossary":
                continue
            if not isinstance(value, str) or not value.strip():
                raise fail(f"{provider}.{key}: expected a non-empty string, got {value!r}")
        if "api-key-env" in table.raw:
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", table.raw["api-key-env"]):
                raise fail(f"{provider}.api-key-env: expected the name of an environment variable, got {table.raw['api-key-env']!r}")
            key_env[provider] = table.raw["api-key-env"]
        if "base-url" in table.raw:
            url = table.raw["base-url"]
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise fail(f"{provider}.base-url: expected an http(s) URL, got {url!r}")
            if parts.username or parts.password or parts.query:
                raise fail(f"{provider}.base-url: no credentials or query in the URL (keys go in environment variables)")
            urls[provider] = url if url.endswith("/") else url + "/"
        if "max-chars" in table.raw:
            max_chars[provider] = table.number("max-chars", 0, 20, None, "a whole number of at least 20", whole=True)
        if "texts-per-request" in table.raw:
            texts[provider] = table.number("texts-per-request", 0, 1, 1000, "a whole number from 1 to 1000", whole=True)
        options[provider] = table

    glossary = options["deepl"].boolean("glossary", True)
    llm = options["llm"]
    temperature = llm.number("temperature", 0.0, 0, 2, "a number from 0 to 2")
    response_format = llm.get("response-format", "json_schema")
    if response_format not in RESPONSE_FORMATS:
        raise fail(f"llm.response-format: expected one of {', '.join(RESPONSE_FORMATS)}, got {response_format!r}")

    config = MachineSettings(
        providers=chain(raw.get("providers", ["google"]), "providers"),
        per_language=per_language,
        concurrency=number("concurrency", 4, int, 1),
        timeout=number("timeout", 30.0, float, 0.1),
        connect_timeout=number("connect-timeout", 5.0, float, 0.1),
        retries=number("retries", 3, int, 0),
        backoff=number("backoff", 1.0, float, 0),
        key_env=key_env,
        urls=urls,
        max_chars_set=max_chars,
        texts_set=texts,
        microsoft_region=options["microsoft"].get("region"),
        mymemory_email=options["mymemory"].get("email"),
        deepl_glossary=glossary,
        llm=LlmSettings(urls.get("llm"), llm.get("model"), float(temperature), response_format),
    )
    used = set(config.providers).union(*config.per_language.values())
    if "llm" in used:
        llm_problem(config, fail)
    return config


def llm_problem(config: MachineSettings, fail) -> None:
    """The llm provider needs an endpoint and a model: raise ``fail(...)`` without them."""
    if not config.llm.base_url:
        raise fail('llm.base-url: required to use the llm provider (for Ollama: "http://localhost:11434/v1/")')
    if not config.llm.model:
        raise fail('llm.model: required to use the llm provider (the model\'s name on that server, e.g. "qwen2.5:7b")')
