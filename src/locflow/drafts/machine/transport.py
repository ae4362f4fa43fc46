"""HTTP for the providers: one ``requests.Session`` per run, timeouts, and retries.

Every request goes through :meth:`Transport.send`: a connect and a read
timeout; retries with exponential backoff and jitter on HTTP 429, 5xx and read
timeouts, honouring ``Retry-After`` (tenacity, with a sleep that a stop
request interrupts at once); and a classification of what went wrong:

* :class:`Retry`: worth asking again (rate limited, server error, no answer in time);
* :class:`Down`: the provider cannot be used for the rest of the run (unreachable,
  key refused, quota used up);
* :class:`Failed`: this request got no usable answer (a batch that fails so is
  cut in halves by the caller, so one refused text does not sink the others).

API keys travel in headers (or LibreTranslate's body), never in a URL, and every
message that leaves this module is scrubbed of them.
"""

from __future__ import annotations

import datetime as _dt
import json
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt

MAX_RETRY_AFTER = 60.0  # seconds: a longer Retry-After is not waited for in full


class Retry(Exception):
    def __init__(self, reason: str, wait: float | None = None):
        super().__init__(reason)
        self.reason, self.wait = reason, wait


class Down(Exception):
    """The provider cannot be used for the rest of the run (unreachable, key refused)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Failed(Exception):
    """This request (or text) got no usable answer from this provider (``retried``: after
    every retry, so its halves are sent once each rather than retried again)."""

    def __init__(self, reason: str, retried: bool = False):
        super().__init__(reason)
        self.reason, self.retried = reason, retried


class Stopped(Exception):
    """The run is stopping (Ctrl-C, kill): nothing more is sent."""


@dataclass
class Sent:
    """What one request carried, for the statistics (billed by character)."""

    texts: int = 0
    characters: int = 0
    retries: int | None = None  # for this request (None: the configured number)


def retry_after(headers) -> float | None:
    """Seconds to wait from ``Retry-After`` (seconds or an HTTP date) or ``retry-after-ms``."""
    value = headers.get("Retry-After")
    if value:
        try:
            return max(0.0, float(value))
        except ValueError:
            try:
                return max(0.0, (parsedate_to_datetime(value) - _dt.datetime.now(_dt.timezone.utc)).total_seconds())
            except (TypeError, ValueError, OverflowError):
                return None
    value = headers.get("retry-after-ms")
    try:
        return max(0.0, float(value) / 1000) if value else None
    except ValueError:
        return None


def error_message(response: requests.Response, limit: int = 160) -> str:
    """The service's own words for an error (``{"error": ...}``, ``{"message": ...}``), shortened."""
    try:
        data = response.json()
    except ValueError:
        return ""
    message: Any = data
    for key in ("error", "message", "detail"):
        if isinstance(message, dict) and key in message:
            message = message[key]
    if isinstance(message, dict):
        message = message.get("message") or message.get("code") or ""
    if isinstance(message, list):
        message = "; ".join(str(item) for item in message)
    text = " ".join(str(message).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def network_reason(exc: Exception, url: str | None, connect_timeout: float) -> str:
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


class Transport:
    """One session for every request of a run, with timeouts, retries and a stop switch."""

    def __init__(self, *, concurrency: int, timeout: float, connect_timeout: float, retries: int, backoff: float):
        self.session = requests.Session()
        adapter = HTTPAdapter(pool_connections=8, pool_maxsize=max(concurrency, 1), max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers["User-Agent"] = "locflow (translation drafts)"
        self.timeout = (connect_timeout, timeout)
        self.retries = retries
        self.backoff = backoff
        self.stop = threading.Event()
        self._secrets: list[str] = []
        self._lock = threading.Lock()

    # -- secrets ---------------------------------------------------------------

    def secret(self, value: str | None) -> str | None:
        """Remember a key so that no message ever shows it; returns it."""
        if value:
            with self._lock:
                if value not in self._secrets:
                    self._secrets.append(value)
        return value

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text

    # -- requests --------------------------------------------------------------

    def send(
        self,
        method: str,
        url: str,
        *,
        classify: Callable[[requests.Response], Exception | None],
        sent: Sent | None = None,
        count: Callable[[Sent | None, bool], None] = lambda sent, billed: None,
        is_down: Callable[[], str | None] = lambda: None,
        retries: int | None = None,
        **kwargs,
    ) -> requests.Response:
        """``method url`` with retries; the response when ``classify`` finds nothing wrong.

        ``count(sent, billed)`` is called for every attempt that reached the service
        (billed: it answered, or did not answer in time and may have done the work).
        Raises :class:`Down`, :class:`Failed` or :class:`Stopped`.
        """

        def attempt() -> requests.Response:
            if self.stop.is_set():
                raise Stopped()
            down = is_down()
            if down is not None:
                raise Down(down)
            try:
                response = self.session.request(method, url, timeout=self.timeout, **kwargs)
            except requests.exceptions.ConnectTimeout as exc:
                raise Down(self.redact(network_reason(exc, url, self.timeout[0]))) from None
            except (requests.exceptions.ReadTimeout, requests.exceptions.ChunkedEncodingError):
                count(sent, True)
                raise Retry(f"no answer within {self.timeout[1]:g} s") from None
            except requests.exceptions.ConnectionError as exc:
                raise Down(self.redact(network_reason(exc, url, self.timeout[0]))) from None
            except requests.exceptions.RequestException as exc:
                raise Failed(self.redact(f"request failed ({type(exc).__name__})")) from None
            count(sent, 200 <= response.status_code < 300)
            problem = classify(response)
            if problem is not None:
                if isinstance(problem, (Down, Failed, Retry)):
                    problem.reason = self.redact(problem.reason)
                raise problem
            return response

        retries = self.retries if retries is None else retries
        retrying = Retrying(
            stop=stop_after_attempt(retries + 1),
            retry=retry_if_exception_type(Retry),
            wait=self._wait,
            sleep=self._sleep,
            reraise=True,
        )
        try:
            return retrying(attempt)
        except Retry as exc:
            attempts = f"{retries + 1} attempts" if retries else "1 attempt"
            raise Failed(f"{exc.reason}; gave up after {attempts}", retried=True) from None

    def _wait(self, state: RetryCallState) -> float:
        delay = self.backoff * (2 ** (state.attempt_number - 1)) * (1 + random.random() / 4)
        exc = state.outcome.exception() if state.outcome is not None else None
        if isinstance(exc, Retry) and exc.wait is not None:
            delay = max(delay, min(exc.wait, MAX_RETRY_AFTER))
        return delay

    def _sleep(self, seconds: float) -> None:
        if self.stop.wait(seconds):  # set by a stop request: wake up at once
            raise Stopped()

    def close(self) -> None:
        self.session.close()


def classify(response: requests.Response, *, key_variable: str | None, has_key: bool) -> Exception | None:
    """What most services mean by their status codes (a provider adds its own first)."""
    status = response.status_code
    if 200 <= status < 300:
        return None
    message = error_message(response)
    said = f": {message}" if message else ""
    if status == 429:
        return Retry("rate limited (HTTP 429)", retry_after(response.headers))
    if status >= 500:
        return Retry(f"server error (HTTP {status})", retry_after(response.headers))
    if status in (401, 403):
        what = f"the API key in {key_variable}" if key_variable and has_key else "the request"
        return Down(f"refused {what} (HTTP {status}){said}")
    if status == 456:
        return Down(f"quota used up (HTTP 456){said}")
    if status == 404:
        return Down(f"{urlsplit(response.url).path} not found (HTTP 404){said}; check base-url")
    if status == 413:
        return Failed("request too large (HTTP 413)")
    return Failed(f"request refused (HTTP {status}){said}")


def json_of(response: requests.Response) -> Any:
    """The JSON body, or :class:`Failed` saying what came instead."""
    content_type = response.headers.get("Content-Type", "").lower()
    try:
        return response.json()
    except ValueError:
        if "html" in content_type or response.text.lstrip()[:1] == "<":
            raise Failed("an HTML page instead of a translation") from None
        raise Failed("unreadable answer (not JSON)") from None


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)
