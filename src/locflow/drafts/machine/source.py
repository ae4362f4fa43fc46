"""The ``machine`` draft source: distinct texts, batched requests, each provider's chain.

For one language, the messages are masked (:mod:`locflow.drafts.markup`) and
grouped into distinct texts: a text shared by several messages is sent once,
and a text the cache has is not sent at all. The rest is cut to the provider's
size, packed into requests within its limits (texts and characters per
request; one article per request where the request carries context) and sent
``concurrency`` requests at a time. Each answer is checked (garbage, script)
and stored in the cache the moment it arrives, so a run killed at any point
loses at most the requests on their way. A request the service refuses is cut
in halves and sent again, so one bad text does not sink its batch. A text a
provider answers badly (or whose placeholders it lost) is asked of the next
provider of the language's chain; a provider that cannot be reached, or that
refuses the key, is skipped for the rest of the run.
"""

from __future__ import annotations

import os
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests

from ...errors import ConfigError
from ...glossary import Term, glossary_note, glossary_path, load_glossary, terms_in
from ...languages import Language
from .. import BaseSource, Draft, Message, Plan, PlanRow, message_of
from ..cache import TranslationCache
from ..markup import LostMarkup, Token, protect, restore
from .answers import garbage_reason, has_words
from .batches import halves, pack, split_text
from .codes import PROVIDERS, UnsupportedLanguage, provider_code
from .providers import Item, Job, Provider, make_provider
from .settings import MachineSettings, llm_problem, machine_settings
from .transport import Down, Failed, Sent, Stopped, Transport, network_reason


class Interrupted(KeyboardInterrupt):
    """Ctrl-C or kill while drafting; ``drafts`` holds what arrived and was not handed over yet."""

    def __init__(self, drafts: dict[Any, Draft]):
        super().__init__()
        self.drafts = drafts


@dataclass(frozen=True)
class Failure:
    """A string that got no draft from a provider, and why (shown in the summary)."""

    language: str
    msgid: str
    provider: str
    reason: str


@dataclass
class ProviderStats:
    """What one provider did in this run. Every count but ``requests`` counts texts: a text is a
    distinct string of one language (one text may fill several catalog entries)."""

    requests: int = 0  # HTTP requests that reached the service (retries included)
    texts: int = 0  # texts those requests carried, answered (billed)
    characters: int = 0  # characters of those texts: what the service bills
    cached: int = 0  # texts answered from the cache, not sent
    drafts: int = 0  # texts that became drafts
    failed: int = 0  # texts it gave no usable answer for

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass(eq=False)
class _Unit:
    """One distinct (masked) text of a language, and the messages that share it."""

    masked: str
    msgctxt: str | None
    first: Message  # whose surroundings go with the text as context
    messages: list[tuple[Any, Message, list[Token]]] = field(default_factory=list)  # (key given, message, tokens)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (provider, reason)
    # the current provider's round:
    pieces: list[tuple[str, str]] = field(default_factory=list)
    answers: list[str | None] = field(default_factory=list)
    reason: str | None = None
    done: bool = False

    def start(self, limit: int) -> None:
        core = self.masked.strip()
        self.lead = self.masked[: len(self.masked) - len(self.masked.lstrip())]
        self.trail = self.masked[len(self.masked.rstrip()) :]
        self.pieces = split_text(core, limit)
        self.answers = [None] * len(self.pieces)
        self.reason, self.done = None, False

    @property
    def settled(self) -> bool:
        return self.reason is not None or all(answer is not None for answer in self.answers)

    def joined(self) -> str:
        body = "".join((answer or "").strip() + sep for answer, (_, sep) in zip(self.answers, self.pieces)).rstrip()
        return self.lead + body + self.trail


@dataclass(eq=False)
class _Segment:
    """One text to send (a unit, or a piece of a long one), shared by the units that need it."""

    text: str
    context: str  # the msgctxt it is sent with ("" for services that are not told it)
    targets: list[tuple[_Unit, int]] = field(default_factory=list)

    @property
    def whole(self) -> bool:  # every unit that needs it is this one text (not cut in pieces)
        return all(len(unit.pieces) == 1 for unit, _ in self.targets)


class MachineSource(BaseSource):
    """Drafts from machine-translation services and language models (``[tool.locflow.machine]``)."""

    name = "machine"

    def __init__(self, settings, config: MachineSettings, provider: str | None = None, concurrency: int | None = None):
        if provider is not None and provider not in PROVIDERS:
            raise ConfigError(f"unknown provider {provider!r} (known: {', '.join(PROVIDERS)})")
        self.settings = settings
        self.config = config
        self.forced = provider
        self.concurrency = concurrency or config.concurrency
        self.source_language: Language = settings.source_language
        self.cache = TranslationCache(settings.cache_dir)
        self.transport = Transport(
            concurrency=self.concurrency,
            timeout=config.timeout,
            connect_timeout=config.connect_timeout,
            retries=config.retries,
            backoff=config.backoff,
        )
        self.stats: dict[str, ProviderStats] = {}
        self.failures: list[Failure] = []
        self.down: dict[str, str] = {}  # provider → why it was not used
        self.skipped: Counter = Counter()  # language → strings with nothing to translate
        self._clients: dict[str, Provider] = {}
        self._glossaries: dict[str, list[Term]] = {}
        self._libre_codes: frozenset[str] | None = None
        self._libre_checked = False
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings, options: dict) -> "MachineSource":
        concurrency = options.get("concurrency") or options.get("jobs")
        return cls(settings, machine_settings(settings), options.get("provider"), concurrency)

    # -- configuration checks, before anything is sent ----------------------

    def chain(self, language: Language) -> tuple[str, ...]:
        return (self.forced,) if self.forced else self.config.chain(language.code)

    def _api_key(self, provider: str) -> str | None:
        variable = self.config.key_variable(provider)
        if variable is None:
            return None
        return self.transport.secret(os.environ.get(variable, "").strip()) or None

    def check_languages(self, languages: Sequence[Language]) -> None:
        """Every provider of every language's chain offers it, is set up and has its API key:
        a clear error otherwise, before any text is sent."""
        for language in languages:
            for provider in self.chain(language):
                spec = PROVIDERS[provider]
                if spec.key_required and not self._api_key(provider):
                    raise ConfigError(
                        f"{spec.title} ({provider}) needs an API key in the environment variable "
                        f"{self.config.key_variable(provider)}"
                    )
                if provider == "llm":
                    llm_problem(self.config, lambda message: ConfigError(f"[tool.locflow.machine] {message}"))
                if provider == "libre":
                    self._load_libre_languages()
                    if provider in self.down:
                        continue  # unreachable: reported in the summary, not an error
                try:
                    self._codes(provider, language)
                except UnsupportedLanguage as exc:
                    where = "--provider" if self.forced else (
                        f"[tool.locflow.machine.languages] {language.code}"
                        if language.code in self.config.per_language
                        else "[tool.locflow.machine] providers"
                    )
                    raise UnsupportedLanguage(f"{exc.message}; choose another provider in {where}") from None

    def _codes(self, provider: str, language: Language) -> tuple[str, str]:
        return (
            provider_code(provider, self.source_language, "source", self._libre_codes),
            provider_code(provider, language, "target", self._libre_codes),
        )

    def _load_libre_languages(self) -> None:
        """A LibreTranslate server says which languages it has (GET /languages)."""
        if self._libre_checked:
            return
        self._libre_checked = True
        self._api_key("libre")
        url = self.config.libre_url + "languages"
        try:
            response = self.transport.session.get(url, timeout=self.transport.timeout)
        except (requests.exceptions.ConnectionError, requests.exceptions.ConnectTimeout) as exc:
            self.down["libre"] = self.transport.redact(network_reason(exc, url, self.config.connect_timeout))
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

    # -- providers -------------------------------------------------------------

    def _client(self, provider: str) -> Provider:
        with self._lock:
            if provider not in self._clients:
                self._clients[provider] = make_provider(
                    provider, self.config, self.transport, self._api_key(provider), self._count, self._down_reason,
                    glossary_terms=self._glossary,
                )
            return self._clients[provider]

    def _count(self, provider: str, sent: Sent | None, billed: bool) -> None:
        with self._lock:
            stats = self.stats.setdefault(provider, ProviderStats())
            stats.requests += 1
            if billed and sent is not None:
                stats.texts += sent.texts
                stats.characters += sent.characters

    def _down_reason(self, provider: str) -> str | None:
        return self.down.get(provider)

    def _stats(self, provider: str) -> ProviderStats:
        with self._lock:
            return self.stats.setdefault(provider, ProviderStats())

    def _glossary(self, language: Language) -> list[Term]:
        with self._lock:
            if language.code not in self._glossaries:
                self._glossaries[language.code] = load_glossary(glossary_path(self.settings.locales_dir, language.code))
            return self._glossaries[language.code]

    # -- distinct texts ----------------------------------------------------------

    def _units(self, language: Language, messages: Sequence) -> list[_Unit]:
        units: dict[tuple, _Unit] = {}
        for key in messages:
            message = message_of(key)
            masked, tokens = protect(message.msgid)
            if not has_words(masked):
                self.skipped[language.code] += 1
                continue
            unit = units.get((message.msgctxt, masked))
            if unit is None:
                unit = units[(message.msgctxt, masked)] = _Unit(masked, message.msgctxt, message)
            unit.messages.append((key, message, tokens))
        return list(units.values())

    def _segments(self, provider: str, language: Language, units: list[_Unit]) -> tuple[list[_Segment], list[_Unit]]:
        """What ``provider`` must be sent for ``units`` (the cache answers the rest), and the units
        the cache answered whole."""
        spec = PROVIDERS[provider]
        src, tgt = self.source_language.code, language.code
        segments: dict[tuple[str, str], _Segment] = {}
        cached: list[_Unit] = []
        for unit in units:
            unit.start(self.config.max_chars(provider))
            context = (unit.msgctxt or "") if spec.uses_context else ""
            for index, (piece, _) in enumerate(unit.pieces):
                text = piece.strip()
                if not has_words(text):
                    unit.answers[index] = text
                    continue
                known = self.cache.get(provider, src, tgt, text, context)
                if known is not None:
                    unit.answers[index] = known
                    continue
                segments.setdefault((context, text), _Segment(text, context)).targets.append((unit, index))
            if unit.settled:
                cached.append(unit)
        return list(segments.values()), cached

    def _requests(self, provider: str, segments: list[_Segment]) -> list[list[_Segment]]:
        spec = PROVIDERS[provider]

        def article(segment: _Segment) -> object:  # a request's texts share its context
            if not spec.uses_context:
                return None
            title = segment.targets[0][0].first.title
            return (title, segment.context) if spec.one_context else title

        return pack(
            segments,
            lambda segment: segment.text,
            self.config.max_texts(provider),
            self.config.max_request_chars(provider),
            spec.max_request_bytes,
            article,
        )

    # -- dry run -------------------------------------------------------------

    def plan(self, language: Language, messages: Sequence) -> Plan:
        """How many texts, characters and requests would be sent (nothing is sent)."""
        provider = self.chain(language)[0]
        skipped = self.skipped[language.code]
        units = self._units(language, messages)
        self.skipped[language.code] = skipped  # a plan skips nothing
        segments, cached = self._segments(provider, language, units)
        sending = {unit for segment in segments for unit, _ in segment.targets}
        row = PlanRow(
            language.code,
            provider,
            strings=len(sending),
            characters=sum(len(segment.text) for segment in segments),
            cached=len(cached),
            requests=len(self._requests(provider, segments)),
        )
        return Plan(rows=[row])

    # -- drafts ---------------------------------------------------------------

    def drafts(self, language: Language, messages: Sequence) -> dict[Any, Draft]:
        """Machine drafts for as many of ``messages`` as the providers give good answers for."""
        found: dict[Any, Draft] = {}
        try:
            for chunk in self.stream(language, messages, max(len(messages), 1)):
                found.update(chunk)
        except Interrupted as stop:
            raise Interrupted({**found, **stop.drafts}) from None
        return found

    def stream(self, language: Language, messages: Sequence, batch_size: int) -> Iterator[dict[Any, Draft]]:
        units = self._units(language, messages)
        ready: dict[Any, Draft] = {}
        for provider in self.chain(language):
            if not units or self.transport.stop.is_set():
                break
            if provider in self.down:
                continue
            units = yield from self._round(provider, language, units, ready, batch_size)
        if ready:
            yield ready
        for unit in units:
            for provider, reason in unit.failures:
                if provider not in self.down and reason != "interrupted":
                    self._stats(provider).failed += 1
                    for _, message, _ in unit.messages:
                        self.failures.append(Failure(language.code, message.msgid, provider, reason))

    def _round(self, provider: str, language: Language, units: list[_Unit], ready: dict, batch_size: int):
        """Ask ``provider`` for ``units``; yields drafts as they come, returns the units left."""
        try:
            codes = self._codes(provider, language)
        except UnsupportedLanguage as exc:
            for unit in units:
                unit.failures.append((provider, exc.message))
            return units
        segments, cached = self._segments(provider, language, units)
        for unit in cached:
            self._stats(provider).cached += 1
            self._finish(provider, language, unit, ready)
        requests_ = self._requests(provider, segments)
        if requests_:
            client = self._client(provider)
            executor = ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix="locflow-mt")
            pending: dict[Future, list[_Segment]] = {}
            try:
                for request in requests_:
                    pending[executor.submit(self._send, client, language, codes, request)] = request
                while pending:
                    done, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for future in done:
                        # Taken, then forgotten: a Ctrl-C in between finds it still pending
                        # (taking an answer twice changes nothing), never lost between the two.
                        self._take(provider, language, future, pending[future], ready)
                        del pending[future]
                    if len(ready) >= batch_size:
                        # Drafts leave `ready` once the caller has them: interrupted while
                        # handed over, they are still here to be handed over again.
                        yield dict(ready)
                        ready.clear()
            except BaseException as exc:
                # Ctrl-C, kill, or the caller stopped listening: send nothing more, let the
                # requests on their way finish (their answers go to the cache), and hand over
                # every draft received.
                self.transport.stop.set()
                executor.shutdown(wait=True, cancel_futures=True)
                for future, request in pending.items():
                    if future.done() and not future.cancelled():
                        self._take(provider, language, future, request, ready)
                self.transport.stop.clear()
                if isinstance(exc, KeyboardInterrupt):
                    raise Interrupted(dict(ready)) from None
                raise
            executor.shutdown(wait=True)
        left = []
        for unit in units:
            if not unit.done:
                if unit.reason is not None:
                    unit.failures.append((provider, unit.reason))
                elif provider not in self.down:
                    unit.failures.append((provider, "no answer"))
                left.append(unit)
        return left

    def _send(
        self, client: Provider, language: Language, codes: tuple[str, str], segments: Sequence[_Segment],
        retries: int | None = None, earlier: str | None = None,
    ):
        """One request (in a worker thread): [(segment, answer or None, reason or None)].

        A request that fails is cut in halves, sent again, and so on down to single
        texts; after a failure that used every retry, each half is sent once more only
        (``retries=0``), and a text that fails again is reported with the first reason."""
        first = segments[0].targets[0][0].first
        items = []
        for segment in segments:
            message = segment.targets[0][0].first
            items.append(Item(segment.text, segment.context or None, message.notes, message.before, message.after))
        terms = terms_in(" ".join(segment.text for segment in segments), self._glossary(language))
        job = Job(language, codes[0], codes[1], items, self.source_language, first.title, terms, retries)
        try:
            answers = client.translate(job)
        except Failed as exc:
            reason = earlier if (earlier and exc.retried) else exc.reason
            if len(segments) > 1:  # one text the service refuses must not sink the others
                again, first_reason = (0, reason) if exc.retried else (retries, earlier)
                results = []
                for half in halves(segments):
                    try:
                        results += self._send(client, language, codes, half, again, first_reason)
                    except Down as down:  # keep the first half's answers; the rest waits for the next provider
                        with self._lock:
                            self.down.setdefault(client.name, down.reason)
                        results += [(segment, None, None) for segment in half]
                return results
            return [(segments[0], None, reason)]
        except Stopped:
            return [(segment, None, "interrupted") for segment in segments]
        results = []
        for segment, answer in zip(segments, answers):
            if answer is None:
                results.append((segment, None, "no translation for it in the answer"))
                continue
            if segment.whole:  # checked and kept the moment it arrives
                reason = garbage_reason(segment.text, answer, language)
                if reason is not None:
                    results.append((segment, None, reason))
                    continue
                self.cache.put(client.name, self.source_language.code, language.code, segment.text, answer, segment.context)
            results.append((segment, answer, None))
        return results

    def _take(self, provider: str, language: Language, future: Future, request: list[_Segment], ready: dict) -> None:
        try:
            results = future.result()
        except Down as exc:
            with self._lock:
                self.down.setdefault(provider, exc.reason)
            return
        except Exception as exc:  # a client bug must not end the run or show a secret
            reason = self.transport.redact(f"unexpected error ({type(exc).__name__})")
            results = [(segment, None, reason) for segment in request]
        for segment, answer, reason in results:
            for unit, index in segment.targets:
                if unit.done or unit.reason is not None:
                    continue
                if answer is None:
                    unit.reason = reason
                else:
                    unit.answers[index] = answer
                if unit.settled:
                    self._finish(provider, language, unit, ready)

    def _finish(self, provider: str, language: Language, unit: _Unit, ready: dict) -> None:
        """A unit whose every piece is answered: check the whole, restore the placeholders."""
        if unit.reason is not None:
            return
        joined = unit.joined()
        reason = garbage_reason(unit.masked, joined, language)
        lost = False
        drafts = {}
        if reason is None:
            for key, message, tokens in unit.messages:
                try:
                    text = restore(joined, tokens)
                except LostMarkup as exc:
                    reason, lost = str(exc), True
                    break
                note = glossary_note(message.msgid, text, self._glossary(language))
                drafts[key] = Draft(text=text, origin=f"machine:{provider}", detail=self._detail(provider) + note)
        if len(unit.pieces) > 1 and (reason is None or lost):
            # The pieces of a long text are kept once the whole is a translation (even one that
            # lost a placeholder: asking again gives the same); a whole text was kept on arrival.
            src, tgt = self.source_language.code, language.code
            context = (unit.msgctxt or "") if PROVIDERS[provider].uses_context else ""
            for (piece, _), answer in zip(unit.pieces, unit.answers):
                if has_words(piece) and answer is not None:
                    self.cache.put(provider, src, tgt, piece.strip(), answer, context)
        if reason is not None:
            unit.reason = reason
            return
        ready.update(drafts)  # first: a unit is never done without its drafts being ready
        unit.done = True
        self._stats(provider).drafts += 1

    def _detail(self, provider: str) -> str:
        if provider == "llm":
            host = urlsplit(self.config.llm.base_url or "").netloc
            return f"language model {self.config.llm.model} at {host}"
        return PROVIDERS[provider].title

    # -- summary ----------------------------------------------------------------

    def status(self) -> dict[str, Any]:
        """What happened, for the summary and ``--format json``."""
        out: dict[str, Any] = {
            "providers": {name: stats.as_dict() for name, stats in sorted(self.stats.items())},
            "unavailable": dict(sorted(self.down.items())),
            "failures": [failure.__dict__ for failure in self.failures],
            "nothing_to_translate": dict(self.skipped),
        }
        for name, client in sorted(self._clients.items()):
            extra = client.status()
            if extra:
                out.setdefault("notes", {})[name] = extra
        return out

    def unavailable(self) -> dict[str, str]:
        return dict(self.down)

    def close(self) -> None:
        self.transport.close()
        self.cache.close()
