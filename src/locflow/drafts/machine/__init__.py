"""Machine-translation drafts: services and language models behind one small interface of ours.

The package, one concern a module:

* :mod:`.codes`: the providers, their limits, and the one table of language codes
  (a language a provider does not offer is an error before any text is sent);
* :mod:`.settings`: ``[tool.locflow.machine]``, validated (keys only ever in the environment);
* :mod:`.transport`: one HTTP session per run, timeouts, retries with backoff honouring
  ``Retry-After`` (tenacity), and what a failure means (retry, provider down, text failed);
* :mod:`.providers` and :mod:`.llm`: what each service's requests and answers look like,
  several texts per request where the service takes them;
* :mod:`.batches`: long texts cut at sentence ends, texts packed into requests;
* :mod:`.answers`: garbage that must never become a draft;
* :mod:`.source`: the ``machine`` draft source (distinct texts, cache, chains, streaming).

Settings live in ``[tool.locflow.machine]`` (see docs/drafts.md).
"""

from .codes import PROVIDERS, ProviderSpec, UnsupportedLanguage, provider_code
from .settings import DEFAULT_LIBRE_URL, MachineSettings, machine_settings

# The rest is imported when first used: every command validates [tool.locflow.machine]
# (settings above), and only prefill needs HTTP.
_LAZY = {
    "garbage_reason": ".answers", "has_words": ".answers", "script_of": ".answers", "split_text": ".batches",
    "Failure": ".source", "Interrupted": ".source", "MachineSource": ".source", "ProviderStats": ".source",
}  # fmt: skip


def __getattr__(name: str):
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_LIBRE_URL", "PROVIDERS", "Failure", "Interrupted", "MachineSettings", "MachineSource", "ProviderSpec",
    "ProviderStats", "UnsupportedLanguage", "garbage_reason", "has_words", "machine_settings", "provider_code",
    "script_of", "split_text",
]  # fmt: skip
