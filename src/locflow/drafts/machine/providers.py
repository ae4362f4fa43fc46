"""One client per service: what its requests and answers look like.

Each client turns a :class:`Job` (the texts of one request, and what surrounds
them) into the service's request, sends it through the run's
:class:`~.transport.Transport`, and reads the answer: one translation per
text, in order (None where the answer has none). Services that take several
texts per request get several: DeepL (``text`` list, up to 50, with ``context``
and a glossary), Microsoft (up to 1000), LibreTranslate (``q`` as a list) and
Google Cloud (several ``q``). Google's free web endpoint and MyMemory take one
text per request.

deep-translator cannot be handed a session (its clients call ``requests.get``
and ``requests.post`` at module level, with no timeout) and loops over
``translate`` for a batch, so locflow speaks these small APIs itself; the
endpoints of the free services and the language tables come from
deep-translator, through :mod:`.codes`.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import requests

from ...glossary import Term
from ...languages import Language
from .codes import free_endpoint
from .settings import MachineSettings
from .transport import Down, Failed, Retry, Sent, Transport, classify, error_message, json_of, retry_after


@dataclass
class Item:
    """One text of a request, and what surrounds its message (for services that use context)."""

    text: str  # masked: placeholders are [X1X] marks
    msgctxt: str | None = None
    notes: str = ""  # the extracted comments (#.)
    before: str = ""  # the message before it in its article
    after: str = ""  # and the one after


@dataclass
class Job:
    """One request: its texts, the language pair, and the article they come from."""

    language: Language
    source: str  # the provider's code for the source language
    target: str
    items: list[Item]
    source_language: Language | None = None
    title: str = ""
    terms: list[Term] = field(default_factory=list)  # approved glossary terms found in these texts
    retries: int | None = None  # None: the configured number

    @property
    def texts(self) -> list[str]:
        return [item.text for item in self.items]

    def sent(self) -> Sent:
        return Sent(len(self.items), sum(len(text) for text in self.texts), self.retries)


class Provider:
    """The base of every client: the run's transport, the provider's key and hooks."""

    name = ""

    def __init__(
        self,
        config: MachineSettings,
        transport: Transport,
        key: str | None,
        count: Callable[[str, Sent | None, bool], None],
        is_down: Callable[[str], str | None],
    ):
        self.config = config
        self.transport = transport
        self.key = transport.secret(key)
        self._count = count
        self._is_down = is_down

    def send(self, method: str, url: str, sent: Sent | None, **kwargs) -> requests.Response:
        if sent is not None and "retries" not in kwargs:
            kwargs["retries"] = getattr(sent, "retries", None)
        return self.transport.send(
            method,
            url,
            classify=self.classify,
            sent=sent,
            count=lambda what, billed: self._count(self.name, what, billed),
            is_down=lambda: self._is_down(self.name),
            **kwargs,
        )

    def classify(self, response: requests.Response) -> Exception | None:
        return classify(response, key_variable=self.config.key_variable(self.name), has_key=bool(self.key))

    def translate(self, job: Job) -> list[str | None]:
        """One translation per text of ``job`` (None where the answer has none)."""
        raise NotImplementedError

    def status(self) -> dict:
        return {}


def _answers(values, count: int) -> list[str | None]:
    if not isinstance(values, list) or len(values) != count:
        raise Failed(f"{count} texts sent, {len(values) if isinstance(values, list) else 'no list of'} translations in the answer")
    return [value if isinstance(value, str) else None for value in values]


class GoogleWeb(Provider):
    """Google's free web endpoint (the page deep-translator reads): one text per GET."""

    name = "google"

    def classify(self, response):
        if response.status_code == 429:
            return Retry("rate limited (HTTP 429)", retry_after(response.headers))
        return super().classify(response)

    def translate(self, job: Job) -> list[str | None]:
        from lxml import html

        [text] = job.texts
        params = {"sl": job.source, "tl": job.target, "q": text}
        response = self.send("GET", free_endpoint("google"), job.sent(), params=params)
        page = html.fromstring(response.text)  # decoded by its declared charset, as deep-translator reads it
        for name in ("t0", "result-container"):
            found = page.xpath(f'//div[contains(concat(" ", normalize-space(@class), " "), " {name} ")]')
            if found:
                return [found[0].text_content().strip()]
        raise Failed("no translation in Google's page")


class MyMemory(Provider):
    """MyMemory's GET /get: one text per request (deep-translator's endpoint)."""

    name = "mymemory"

    def translate(self, job: Job) -> list[str | None]:
        [text] = job.texts
        params = {"q": text, "langpair": f"{job.source}|{job.target}"}
        if self.config.mymemory_email:
            params["de"] = self.config.mymemory_email
        data = json_of(self.send("GET", free_endpoint("mymemory"), job.sent(), params=params))
        if not isinstance(data, dict):
            raise Failed("unreadable answer")
        answer = (data.get("responseData") or {}).get("translatedText")
        if isinstance(answer, str) and "MYMEMORY WARNING" in answer:
            raise Down("its free daily quota is used up (MYMEMORY WARNING)")
        if not answer:
            matches = [m.get("translation") for m in data.get("matches") or [] if isinstance(m, dict)]
            answer = next((m for m in matches if m), None)
        return [answer if isinstance(answer, str) else None]


class Libre(Provider):
    """LibreTranslate's POST /translate with ``q`` as a list (a batch)."""

    name = "libre"

    def classify(self, response):
        message = error_message(response)
        if response.status_code == 400 and "api key" in message.lower():  # "Visit ... to get an API key"
            variable = self.config.key_variable(self.name)
            return Down(f"the server wants an API key ({message}); set {variable}" if not self.key else f"refused the API key in {variable} (HTTP 400): {message}")
        return super().classify(response)

    def translate(self, job: Job) -> list[str | None]:
        body = {"q": job.texts, "source": job.source, "target": job.target, "format": "text"}
        if self.key:
            body["api_key"] = self.key
        data = json_of(self.send("POST", self.config.libre_url + "translate", job.sent(), json=body))
        answer = data.get("translatedText") if isinstance(data, dict) else None
        if isinstance(answer, str) and len(job.items) == 1:  # a server that predates batches
            answer = [answer]
        return _answers(answer, len(job.items))


class Microsoft(Provider):
    """Microsoft Translator v3: POST /translate with a list of up to 1000 texts."""

    name = "microsoft"

    def classify(self, response):
        if response.status_code == 403 and "quota" in error_message(response).lower():
            return Down(f"quota used up (HTTP 403): {error_message(response)}")
        return super().classify(response)

    def translate(self, job: Job) -> list[str | None]:
        headers = {"Ocp-Apim-Subscription-Key": self.key or ""}
        if self.config.microsoft_region:
            headers["Ocp-Apim-Subscription-Region"] = self.config.microsoft_region
        params = {"api-version": "3.0", "from": job.source, "to": job.target, "textType": "plain"}
        body = [{"Text": text} for text in job.texts]
        data = json_of(self.send("POST", self.config.url("microsoft") + "translate", job.sent(), params=params, headers=headers, json=body))
        if not isinstance(data, list):
            raise Failed("unreadable answer")
        out: list = []
        for entry in data:
            translations = entry.get("translations") if isinstance(entry, dict) else None
            first = translations[0] if isinstance(translations, list) and translations else {}
            out.append(first.get("text") if isinstance(first, dict) else None)
        return _answers(out, len(job.items))


class GoogleCloud(Provider):
    """Google Cloud Translation Basic (v2): POST /language/translate/v2 with several ``q``."""

    name = "google-cloud"

    def classify(self, response):
        status = response.status_code
        if status in (400, 403):
            try:
                error = response.json().get("error", {})
                reasons = {e.get("reason") for e in error.get("errors", []) if isinstance(e, dict)}
                message = str(error.get("message", ""))
            except (ValueError, AttributeError):
                reasons, message = set(), ""
            if reasons & {"rateLimitExceeded", "userRateLimitExceeded"} or "User Rate Limit" in message:
                return Retry(f"rate limited (HTTP {status}: {message})", retry_after(response.headers))
            if reasons & {"dailyLimitExceeded", "quotaExceeded"} or "Daily Limit" in message:
                return Down(f"quota used up (HTTP {status}: {message})")
            if "keyInvalid" in reasons or "API key not valid" in message:
                return Down(f"refused the API key in {self.config.key_variable(self.name)} (HTTP {status})")
        return super().classify(response)

    def translate(self, job: Job) -> list[str | None]:
        body = {"q": job.texts, "source": job.source, "target": job.target, "format": "text"}
        headers = {"X-Goog-Api-Key": self.key or ""}
        url = self.config.url("google-cloud") + "language/translate/v2"
        data = json_of(self.send("POST", url, job.sent(), json=body, headers=headers))
        translations = ((data or {}).get("data") or {}).get("translations") if isinstance(data, dict) else None
        out = [t.get("translatedText") if isinstance(t, dict) else None for t in translations] if isinstance(translations, list) else None
        return _answers(out, len(job.items))


class DeepL(Provider):
    """DeepL v2: POST /v2/translate with up to 50 texts, ``context``, and a glossary.

    The project's approved terms (``locales/<lang>/glossary.csv``) become a DeepL
    glossary, created through the API once and reused: its name carries a hash
    of its content, so a changed glossary is a new one and an unchanged one is
    found again (``GET /v2/glossaries``) by every later run.
    """

    name = "deepl"

    def __init__(self, *args, glossary_terms: Callable[[Language], list[Term]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._terms = glossary_terms or (lambda language: [])
        self._glossaries: dict[str, str | None] = {}
        self.glossary_notes: dict[str, str] = {}
        self._glossary_lock = threading.Lock()
        self._listed: list | None = None

    @property
    def base(self) -> str:
        configured = self.config.urls.get("deepl")
        if configured:
            return configured
        return "https://api-free.deepl.com/" if (self.key or "").endswith(":fx") else "https://api.deepl.com/"

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"DeepL-Auth-Key {self.key or ''}"}

    def glossary(self, job: Job) -> str | None:
        """The id of the DeepL glossary of ``job``'s language, created the first time (None: no terms,
        turned off, or DeepL has no glossaries for this pair)."""
        if not self.config.deepl_glossary:
            return None
        code = job.language.code
        with self._glossary_lock:
            if code not in self._glossaries:
                self._glossaries[code] = self._find_or_create(job)
            return self._glossaries[code]

    def _find_or_create(self, job: Job) -> str | None:
        terms = self._terms(job.language)
        lines = []
        for term in terms:
            source, target = " ".join(term.source.split()), " ".join(term.target.split())
            if source and target:
                lines.append(f"{source}\t{target}")
        if not lines:
            return None
        entries = "\n".join(sorted(lines))
        source_lang, target_lang = job.source.split("-")[0].lower(), job.target.split("-")[0].lower()
        digest = hashlib.sha256(f"{source_lang}\n{target_lang}\n{entries}".encode()).hexdigest()[:16]
        name = f"locflow {source_lang}-{target_lang} {digest}"
        try:
            if self._listed is None:
                listed = json_of(self.send("GET", self.base + "v2/glossaries", None, headers=self._headers()))
                self._listed = listed.get("glossaries", []) if isinstance(listed, dict) else []
            for glossary in self._listed:
                if isinstance(glossary, dict) and glossary.get("name") == name and glossary.get("ready", True):
                    self.glossary_notes[job.language.code] = f"glossary '{name}' ({len(lines)} terms) reused"
                    return glossary.get("glossary_id")
            body = {"name": name, "source_lang": source_lang, "target_lang": target_lang, "entries": entries, "entries_format": "tsv"}
            created = json_of(self.send("POST", self.base + "v2/glossaries", None, headers=self._headers(), json=body))
        except Failed as exc:  # e.g. a language pair without glossaries: translate without one
            self.glossary_notes[job.language.code] = f"no glossary: {exc.reason}"
            return None
        glossary_id = created.get("glossary_id") if isinstance(created, dict) else None
        if glossary_id:
            self._listed.append({"name": name, "glossary_id": glossary_id, "ready": True})
            self.glossary_notes[job.language.code] = f"glossary '{name}' ({len(lines)} terms) created"
        return glossary_id

    def translate(self, job: Job) -> list[str | None]:
        body: dict = {"text": job.texts, "source_lang": job.source, "target_lang": job.target}
        context = deepl_context(job)
        if context:
            body["context"] = context
        glossary = self.glossary(job)
        if glossary:
            body["glossary_id"] = glossary
        data = json_of(self.send("POST", self.base + "v2/translate", job.sent(), headers=self._headers(), json=body))
        translations = data.get("translations") if isinstance(data, dict) else None
        out = [t.get("text") if isinstance(t, dict) else None for t in translations] if isinstance(translations, list) else None
        return _answers(out, len(job.items))

    def status(self) -> dict:
        return {"glossaries": dict(sorted(self.glossary_notes.items()))} if self.glossary_notes else {}


CONTEXT_LIMIT = 2000  # characters of context per request


def deepl_context(job: Job) -> str:
    """What surrounds a request's texts, for DeepL's ``context`` (not translated, not billed):
    the article's title, the messages just before and after them, and their msgctxt."""
    parts: list[str] = []
    if job.title and job.title not in job.texts:
        parts.append(job.title)
    texts = set(job.texts)
    first, last = job.items[0], job.items[-1]
    for neighbour in (first.before, last.after):
        if neighbour and neighbour not in texts and neighbour not in parts:
            parts.append(neighbour)
    contexts = sorted({item.msgctxt for item in job.items if item.msgctxt})
    if contexts:
        parts.append("Context: " + "; ".join(contexts))
    text = "\n\n".join(parts)
    return text[:CONTEXT_LIMIT]


def make_provider(name: str, *args, **kwargs) -> Provider:
    from .llm import Llm

    classes = {cls.name: cls for cls in (GoogleWeb, MyMemory, Libre, Microsoft, GoogleCloud, DeepL, Llm)}
    if name != "deepl":
        kwargs.pop("glossary_terms", None)
    return classes[name](*args, **kwargs)
