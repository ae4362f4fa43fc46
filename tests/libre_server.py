"""A LibreTranslate-compatible server on 127.0.0.1 for the tests.

It speaks LibreTranslate's API (POST /translate with q, source, target,
format, api_key → {"translatedText": ...}; GET /languages), so deep-translator's
real client code runs end to end over real HTTP. Its "translation" is
deterministic: Latin letters become letters of the target's script (Armenian,
Cyrillic, Arabic) or words are reversed (Latin-script targets), so every answer
differs from its source and keeps ``[X1X]`` marks. It also answers MyMemory's ``GET /get`` when used as
an HTTP proxy for api.mymemory.translated.net. Every request is recorded;
failure modes can be switched on for the next N requests or for texts that
contain a given substring.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

_ARMENIAN = dict(zip("abcdefghijklmnopqrstuvwxyz", "աբցդեֆգհիժկլմնօպքրստուվւխյզ"))
_CYRILLIC = dict(zip("abcdefghijklmnopqrstuvwxyz", "абцдефгхийклмнопкрстувшхыз"))
_ARABIC = dict(zip("abcdefghijklmnopqrstuvwxyz", "ابتدهفغحيجكلمنوپقرستوڤوخيز"))
_SCRIPTS = {"hy": _ARMENIAN, "ru": _CYRILLIC, "ar": _ARABIC}
_WORD = re.compile(r"\[X\d+X\]|[A-Za-z]+")

LANGUAGES = ["en", "hy", "ru", "fr", "es", "ar", "de"]


def fake_translate(text: str, target: str) -> str:
    """The server's deterministic 'translation' of ``text`` into ``target``."""
    table = _SCRIPTS.get(target)

    def word(match: re.Match) -> str:
        w = match.group()
        if w.startswith("[X"):
            return w
        if table is None:
            return w[::-1] if len(w) > 1 else w
        return "".join(table.get(c.lower(), c) for c in w)

    out = _WORD.sub(word, text)
    if out == text:  # a one-letter word in a Latin target
        out = text + " ·"
    return out


@dataclass
class Request:
    method: str
    path: str
    params: dict[str, str]


@dataclass
class FakeLibre:
    """The server's state: what it received and how it should misbehave."""

    api_key: str | None = None  # required key, if any
    languages: list[str] = field(default_factory=lambda: list(LANGUAGES))
    requests: list[Request] = field(default_factory=list)
    # mode → number of upcoming /translate requests it applies to
    upcoming: list[str] = field(default_factory=list)
    # substring of q → mode, for every request whose text contains it
    for_text: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    on_translate: Any = None  # called with each /translate Request before answering
    in_flight: int = 0
    most_in_flight: int = 0  # the most /translate requests handled at the same time
    lock: threading.Lock = field(default_factory=threading.Lock)
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def translations(self) -> list[Request]:
        with self.lock:
            return [r for r in self.requests if r.path == "/translate"]

    def texts(self) -> list[str]:
        return [r.params.get("q", "") for r in self.translations()]

    def fail_next(self, mode: str, count: int = 1) -> None:
        with self.lock:
            self.upcoming.extend([mode] * count)


def _handler(state: FakeLibre):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # quiet
            pass

        def _params(self) -> dict[str, str]:
            params = {k: v[-1] for k, v in parse_qs(urlsplit(self.path).query, keep_blank_values=True).items()}
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                body = self.rfile.read(length).decode("utf-8")
                if "json" in (self.headers.get("Content-Type") or ""):
                    params.update({k: str(v) for k, v in json.loads(body).items()})
                else:
                    params.update({k: v[-1] for k, v in parse_qs(body, keep_blank_values=True).items()})
            return params

        def _send(self, status: int, body: str, content_type: str = "application/json", headers=None) -> None:
            data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            try:
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client was killed (a test of interrupted runs)

        def do_GET(self):
            path = urlsplit(self.path).path
            with state.lock:
                state.requests.append(Request("GET", path, self._params()))
            if path == "/get":  # MyMemory's API, for requests sent here through a proxy
                params = dict(state.requests[-1].params)
                target = params.get("langpair", "|").split("|")[1].split("-")[0]
                answer = fake_translate(params.get("q", ""), target)
                self._send(200, json.dumps({"responseData": {"translatedText": answer}, "matches": []}))
            elif path == "/languages":
                items = [{"code": c, "name": c, "targets": [t for t in state.languages if t != c]} for c in state.languages]
                self._send(200, json.dumps(items))
            else:
                self._send(404, json.dumps({"error": "Not Found"}))

        def do_POST(self):
            path = urlsplit(self.path).path
            params = self._params()
            with state.lock:
                state.requests.append(Request("POST", path, params))
                mode = state.upcoming.pop(0) if state.upcoming else None
                for needle, text_mode in state.for_text.items():
                    if needle in params.get("q", ""):
                        mode = mode or text_mode
            if path != "/translate":
                return self._send(404, json.dumps({"error": "Not Found"}))
            if state.on_translate is not None:
                state.on_translate(state.requests[-1])
            with state.lock:
                state.in_flight += 1
                state.most_in_flight = max(state.most_in_flight, state.in_flight)
            try:
                if state.delay or mode == "slow":
                    time.sleep(state.delay or 5)
            finally:
                with state.lock:
                    state.in_flight -= 1
            if state.api_key is not None and params.get("api_key") != state.api_key:
                return self._send(403, json.dumps({"error": "Invalid API key"}))
            q, target = params.get("q", ""), params.get("target", "")
            if target not in state.languages:
                return self._send(400, json.dumps({"error": f"{target} is not supported"}))
            if mode == "429":
                return self._send(429, json.dumps({"error": "Slowdown"}), headers={"Retry-After": "0"})
            if mode == "500":
                return self._send(500, json.dumps({"error": "Internal Server Error"}))
            if mode == "html":
                return self._send(200, "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>", "text/html")
            answer = {
                "html-json": "<html><head><title>Error</title></head><body>Service unavailable</body></html>",
                "echo": q,
                "empty": "",
                "latin": fake_translate(q, "fr"),
                "drop": re.sub(r"\[X\d+X\]", "", fake_translate(q, target)),
            }.get(mode, None)
            if answer is None:
                answer = fake_translate(q, target)
            self._send(200, json.dumps({"translatedText": answer}))

    return Handler


class LibreServer:
    """Start with ``with LibreServer() as server:``; ``server.state`` records and steers it."""

    def __init__(self, **kwargs):
        self.state = FakeLibre(**kwargs)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.state))
        self.httpd.daemon_threads = True
        self.state.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FakeLibre:
        self.thread.start()
        return self.state

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
