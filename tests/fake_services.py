"""Machine-translation services on 127.0.0.1 for the tests and the bench, speaking the real APIs.

* LibreTranslate: ``POST /translate`` (form or JSON; ``q`` a string or a list →
  ``translatedText`` a string or a list), ``GET /languages``; its char limit counts
  every text of a request, its batch limit the texts; a wrong ``api_key`` is 403.
  Also MyMemory's ``GET /get``, for requests sent here through a proxy.
* DeepL v2: ``POST /v2/translate`` (``text`` list of at most 50, ``context``,
  ``glossary_id``, ``Authorization: DeepL-Auth-Key``; 403, 413 over 128 KiB, 456),
  ``GET/POST /v2/glossaries`` (TSV entries).
* Microsoft Translator v3: ``POST /translate?api-version=3.0&from&to`` with
  ``[{"Text": ...}]`` (at most 1000 texts, 50,000 characters), errors as
  ``{"error": {"code": 401000, "message": ...}}``.
* Google Cloud Translation v2: ``POST /language/translate/v2`` with several ``q``
  (at most 128), ``X-Goog-Api-Key``; a bad key is 400 ``API key not valid``,
  a rate limit 403 ``userRateLimitExceeded``.
* An OpenAI-compatible ``POST /v1/chat/completions``: reads the texts of locflow's
  prompt and answers JSON in ``choices[0].message.content`` (or a ``refusal``),
  with ``usage`` and ``finish_reason``.

The "translation" is deterministic: Latin letters become letters of the target's
script (Armenian, Cyrillic, Arabic) or words are reversed (Latin-script targets);
``[X1X]`` marks are kept; a glossary (DeepL's, or the one in an LLM prompt) puts
the approved term in place of its source. Every request is recorded; failure
modes can be switched on for the next N requests (``fail_next``) or for the texts
that contain a substring (``for_text``).
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

_ARMENIAN = dict(zip("abcdefghijklmnopqrstuvwxyz", "աբցդեֆգհիժկլմնօպքրստուվւխյզ"))
_CYRILLIC = dict(zip("abcdefghijklmnopqrstuvwxyz", "абцдефгхийклмнопкрстувшхыз"))
_ARABIC = dict(zip("abcdefghijklmnopqrstuvwxyz", "ابتدهفغحيجكلمنوپقرستوڤوخيز"))
_SCRIPTS = {"hy": _ARMENIAN, "ru": _CYRILLIC, "ar": _ARABIC}
_WORD = re.compile(r"\[X\d+X\]|[A-Za-z]+")
_MARK = re.compile(r"\[X(\d+)X\]")

LANGUAGES = ["en", "hy", "ru", "fr", "es", "ar", "de"]


def fake_translate(text: str, target: str, glossary: dict[str, str] | None = None) -> str:
    """The services' deterministic 'translation' of ``text`` into ``target``."""
    target = target.split("-")[0].lower()
    table = _SCRIPTS.get(target)
    terms = sorted((glossary or {}).items(), key=lambda item: -len(item[0]))
    protected: list[str] = []
    for source, approved in terms:  # the approved term, untouched by the word mangling below
        def put(match, approved=approved):
            protected.append(approved)
            return f"\x00{len(protected) - 1}\x00"

        text = re.sub(rf"(?<!\w){re.escape(source)}(?!\w)", put, text, flags=re.IGNORECASE)

    def word(match: re.Match) -> str:
        w = match.group()
        if w.startswith("[X"):
            return w
        if table is None:
            return w[::-1] if len(w) > 1 else w
        return "".join(table.get(c.lower(), c) for c in w)

    out = _WORD.sub(word, text)
    out = re.sub(r"\x00(\d+)\x00", lambda m: protected[int(m.group(1))], out)
    if out == text:  # a one-letter word in a Latin target
        out = text + " ·"
    return out


def answer_for(text: str, target: str, mode: str | None, glossary=None) -> str:
    """What a service answers for one text in a failure ``mode`` (None: a good translation)."""
    good = fake_translate(text, target, glossary)
    return {
        "html-json": "<html><head><title>Error</title></head><body>Service unavailable</body></html>",
        "echo": text,
        "empty": "",
        "nothing": "...",
        "digits": "123",
        "brackets": "[]",
        "latin": fake_translate(text, "fr"),
        "drop": _MARK.sub("", good),
        "cyrillic-marks": _MARK.sub(lambda m: f"[Х{m.group(1)}Х]", good),
        "spaced-marks": _MARK.sub(lambda m: f"[ x{m.group(1)}x ]", good),
        "sorry": "I'm sorry, but I can't help with that.",
    }.get(mode or "", good)


@dataclass
class Request:
    method: str
    path: str
    params: dict[str, Any]  # query, form or JSON body
    headers: dict[str, str] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)  # the texts it asked to translate


# Modes that fail a whole request; the others change the answer for the texts they name.
REQUEST_MODES = {"429", "500", "503", "slow", "html", "refuse", "403", "key-wanted"}


@dataclass
class FakeService:
    """A service's state: what it received and how it should misbehave."""

    api_key: str | None = None  # required key, if any
    languages: list[str] = field(default_factory=lambda: list(LANGUAGES))
    requests: list[Request] = field(default_factory=list)
    upcoming: list[str] = field(default_factory=list)  # mode → one upcoming translation request each
    for_text: dict[str, str] = field(default_factory=dict)  # substring of a text → mode
    delay: float = 0.0  # seconds before answering a translation request (the bench's latency)
    retry_after: str = "0"
    on_translate: Any = None  # called with each translation Request before answering
    char_limit: int = -1  # LibreTranslate: characters per request, all texts together
    batch_limit: int = -1  # LibreTranslate: texts per request
    in_flight: int = 0
    most_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    port: int = 0
    glossaries: dict[str, dict] = field(default_factory=dict)  # DeepL: id → glossary

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def translations(self) -> list[Request]:
        with self.lock:
            return [r for r in self.requests if r.texts]

    def texts(self) -> list[str]:
        """Every text sent for translation, in the order the requests came."""
        return [text for request in self.translations() for text in request.texts]

    def fail_next(self, mode: str, count: int = 1) -> None:
        with self.lock:
            self.upcoming.extend([mode] * count)

    def modes(self, texts: list[str]) -> tuple[str | None, list[str | None]]:
        """The request's mode, and each text's."""
        with self.lock:
            request_mode = self.upcoming.pop(0) if self.upcoming else None
        per_text = []
        for text in texts:
            mode = next((m for needle, m in self.for_text.items() if needle in text), None)
            if mode in REQUEST_MODES:
                request_mode = request_mode or mode
                mode = None
            per_text.append(mode)
        return request_mode, per_text


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state: FakeService

    def log_message(self, *args):  # quiet
        pass

    def body(self) -> tuple[dict[str, Any], Any]:
        query = {k: v[-1] for k, v in parse_qs(urlsplit(self.path).query, keep_blank_values=True).items()}
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8") if length else ""
        if "json" in (self.headers.get("Content-Type") or "") and raw:
            return query, json.loads(raw)
        return query, {k: v if len(v) > 1 else v[-1] for k, v in parse_qs(raw, keep_blank_values=True).items()}

    def send(self, status: int, body: Any, content_type: str = "application/json", headers=None) -> None:
        data = (body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)).encode("utf-8")
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

    def record(self, method: str, params: dict, texts: list[str]) -> Request:
        request = Request(method, urlsplit(self.path).path, params, dict(self.headers), texts)
        with self.state.lock:
            self.state.requests.append(request)
        if texts and self.state.on_translate is not None:
            self.state.on_translate(request)
        return request

    def wait(self, mode: str | None) -> None:
        state = self.state
        with state.lock:
            state.in_flight += 1
            state.most_in_flight = max(state.most_in_flight, state.in_flight)
        try:
            if state.delay or mode == "slow":
                time.sleep(state.delay or 5)  # latency of a real service (bench) or a hung one (timeouts)
        finally:
            with state.lock:
                state.in_flight -= 1

    def common_failure(self, mode: str | None) -> bool:
        """Answer a request-level failure mode the way most services do; True if answered."""
        if mode == "429":
            self.send(429, {"error": "Too many requests"}, headers={"Retry-After": self.state.retry_after})
        elif mode in ("500", "503"):
            self.send(int(mode), {"error": "Internal Server Error"})
        elif mode == "html":
            self.send(200, "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>", "text/html")
        elif mode == "refuse":
            self.send(400, {"error": "Invalid request: this text cannot be translated"})
        elif mode == "key-wanted":  # LibreTranslate with api keys required, and none given
            self.send(400, {"error": "Visit https://portal.example.org to get an API key"})
        else:
            return False
        return True


class _Libre(_Handler):
    def do_GET(self):
        query, _ = self.body()
        path = urlsplit(self.path).path
        if path == "/get":  # MyMemory's API, for requests sent here through a proxy
            self.record("GET", query, [query.get("q", "")])
            target = query.get("langpair", "|").split("|")[1].split("-")[0]
            self.send(200, {"responseData": {"translatedText": fake_translate(query.get("q", ""), target)}, "matches": []})
        elif path == "/languages":
            self.record("GET", query, [])
            langs = self.state.languages
            self.send(200, [{"code": c, "name": c, "targets": [t for t in langs if t != c]} for c in langs])
        else:
            self.send(404, {"error": "Not Found"})

    def do_POST(self):
        query, body = self.body()
        params = {**query, **body}
        if urlsplit(self.path).path != "/translate":
            return self.send(404, {"error": "Not Found"})
        q = params.get("q", "")
        texts = q if isinstance(q, list) else [q]
        self.record("POST", params, texts)
        mode, modes = self.state.modes(texts)
        self.wait(mode)
        state = self.state
        if state.api_key is not None and params.get("api_key") != state.api_key:
            return self.send(403, {"error": "Invalid API key"})
        if state.batch_limit != -1 and len(texts) > state.batch_limit:
            return self.send(400, {"error": f"Invalid request: request ({len(texts)}) exceeds text limit ({state.batch_limit})"})
        chars = sum(len(t) for t in texts)
        if state.char_limit != -1 and chars > state.char_limit:
            return self.send(400, {"error": f"Invalid request: request ({chars}) exceeds text limit ({state.char_limit})"})
        target = params.get("target", "")
        if target not in state.languages:
            return self.send(400, {"error": f"{target} is not supported"})
        if self.common_failure(mode):
            return
        answers = [answer_for(text, target, m) for text, m in zip(texts, modes)]
        self.send(200, {"translatedText": answers if isinstance(q, list) else answers[0]})


class _DeepL(_Handler):
    def authorized(self) -> bool:
        key = self.state.api_key
        if key is not None and self.headers.get("Authorization") != f"DeepL-Auth-Key {key}":
            self.send(403, {"message": "Wrong endpoint or authorization key"})
            return False
        return True

    def do_GET(self):
        query, _ = self.body()
        if urlsplit(self.path).path != "/v2/glossaries":
            return self.send(404, {"message": "Not found"})
        self.record("GET", query, [])
        if self.authorized():
            listed = [{k: v for k, v in g.items() if k != "entries"} for g in self.state.glossaries.values()]
            self.send(200, {"glossaries": listed})

    def do_POST(self):
        query, body = self.body()
        path = urlsplit(self.path).path
        if path == "/v2/glossaries":
            self.record("POST", body, [])
            if not self.authorized():
                return
            if body.get("entries_format") != "tsv" or body.get("target_lang") not in ("de", "fr", "es", "ru", "ar"):
                return self.send(400, {"message": "Unsupported glossary language pair or format"})
            entries = dict(line.split("\t") for line in body["entries"].split("\n") if line)
            glossary_id = str(uuid.uuid4())
            self.state.glossaries[glossary_id] = {
                "glossary_id": glossary_id, "name": body["name"], "ready": True, "source_lang": body["source_lang"],
                "target_lang": body["target_lang"], "entry_count": len(entries), "entries": entries,
            }
            return self.send(201, {k: v for k, v in self.state.glossaries[glossary_id].items() if k != "entries"})
        if path != "/v2/translate":
            return self.send(404, {"message": "Not found"})
        texts = body.get("text") or []
        self.record("POST", body, texts)
        mode, modes = self.state.modes(texts)
        self.wait(mode)
        if not self.authorized():
            return
        if mode == "456":
            return self.send(456, {"message": "Quota exceeded"})
        if len(texts) > 50:
            return self.send(400, {"message": "Too many texts in request"})
        if int(self.headers.get("Content-Length") or 0) > 128 * 1024:
            return self.send(413, {"message": "Request Entity Too Large"})
        target = str(body.get("target_lang", ""))
        if target.split("-")[0].lower() not in self.state.languages:
            return self.send(400, {"message": "Value for 'target_lang' not supported."})
        glossary = None
        if body.get("glossary_id"):
            found = self.state.glossaries.get(body["glossary_id"])
            if found is None:
                return self.send(400, {"message": "Glossary not found"})
            glossary = found["entries"]
        if self.common_failure(mode):
            return
        out = [{"detected_source_language": "EN", "text": answer_for(t, target, m, glossary)} for t, m in zip(texts, modes)]
        self.send(200, {"translations": out})


class _Microsoft(_Handler):
    def do_POST(self):
        query, body = self.body()
        if urlsplit(self.path).path != "/translate" or query.get("api-version") != "3.0":
            return self.send(404, {"error": {"code": 404001, "message": "The requested resource was not found."}})
        texts = [item.get("Text", item.get("text", "")) for item in body] if isinstance(body, list) else []
        self.record("POST", {**query, "body": body}, texts)
        mode, modes = self.state.modes(texts)
        self.wait(mode)
        key = self.state.api_key
        if key is not None and self.headers.get("Ocp-Apim-Subscription-Key") != key:
            return self.send(401, {"error": {"code": 401000, "message": "The request is not authorized because credentials are missing or invalid."}})
        if len(texts) > 1000:
            return self.send(400, {"error": {"code": 400077, "message": "The maximum request size has been exceeded."}})
        if sum(len(t) for t in texts) > 50000:
            return self.send(400, {"error": {"code": 400050, "message": "The input text is too long."}})
        if mode == "429":
            return self.send(429, {"error": {"code": 429001, "message": "The server rejected the request because the client has exceeded request limits."}}, headers={"Retry-After": self.state.retry_after})
        if self.common_failure(mode):
            return
        target = query.get("to", "")
        self.send(200, [{"translations": [{"text": answer_for(t, target, m), "to": target}]} for t, m in zip(texts, modes)])


class _GoogleCloud(_Handler):
    def error(self, status: int, message: str, reason: str, code: str) -> None:
        self.send(status, {"error": {"code": status, "message": message, "errors": [{"message": message, "domain": "global", "reason": reason}], "status": code}})

    def do_POST(self):
        query, body = self.body()
        if urlsplit(self.path).path != "/language/translate/v2":
            return self.send(404, {"error": {"code": 404, "message": "Not Found", "status": "NOT_FOUND"}})
        q = body.get("q", [])
        texts = q if isinstance(q, list) else [q]
        self.record("POST", body, texts)
        mode, modes = self.state.modes(texts)
        self.wait(mode)
        key = self.state.api_key
        if key is not None and self.headers.get("X-Goog-Api-Key", query.get("key")) != key:
            return self.error(400, "API key not valid. Please pass a valid API key.", "badRequest", "INVALID_ARGUMENT")
        if len(texts) > 128:
            return self.error(400, "Too many text segments", "invalid", "INVALID_ARGUMENT")
        if mode == "403":
            return self.error(403, "User Rate Limit Exceeded", "userRateLimitExceeded", "PERMISSION_DENIED")
        if self.common_failure(mode):
            return
        target = body.get("target", "")
        self.send(200, {"data": {"translations": [{"translatedText": answer_for(t, target, m)} for t, m in zip(texts, modes)]}})


@dataclass
class FakeModel(FakeService):
    """An OpenAI-compatible server's extra state: the model it serves."""

    model: str = "tiny-translator"


class _OpenAI(_Handler):
    state: FakeModel

    def do_POST(self):
        _, body = self.body()
        if urlsplit(self.path).path != "/v1/chat/completions":
            return self.send(404, {"error": {"message": "Not found", "type": "invalid_request_error"}})
        try:
            prompt = json.loads(body["messages"][-1]["content"])
            items = prompt["texts"]
        except (KeyError, IndexError, TypeError, ValueError):
            return self.send(400, {"error": {"message": "could not read the prompt", "type": "invalid_request_error"}})
        texts = [item["text"] for item in items]
        self.record("POST", body, texts)
        mode, modes = self.state.modes(texts)
        self.wait(mode)
        key = self.state.api_key
        if key is not None and self.headers.get("Authorization") != f"Bearer {key}":
            return self.send(401, {"error": {"message": "Incorrect API key provided.", "type": "invalid_request_error", "code": "invalid_api_key"}})
        if body.get("model") != self.state.model:
            return self.send(404, {"error": {"message": f"The model `{body.get('model')}` does not exist", "type": "invalid_request_error", "code": "model_not_found"}})
        if mode == "429":
            return self.send(429, {"error": {"message": "Rate limit reached", "type": "requests", "code": "rate_limit_exceeded"}}, headers={"retry-after-ms": "10"})
        if self.common_failure(mode):
            return
        glossary = {term["source"]: term["target"] for term in prompt.get("glossary", [])}
        target = prompt.get("target_tag", "")
        message: dict[str, Any] = {"role": "assistant", "content": None, "refusal": None}
        finish = "stop"
        if mode == "model-refusal" or "model-refusal" in modes:
            message["refusal"] = "I'm sorry, I cannot assist with that request."
        else:
            out = [{"id": item["id"], "text": answer_for(item["text"], target, m, glossary)}
                   for item, m in zip(items, modes) if m != "missing"]
            content = json.dumps({"translations": out}, ensure_ascii=False)
            if mode == "malformed" or "malformed" in modes:
                content = content.replace('"translations":', '"translations"', 1)
            if mode == "truncated" or "truncated" in modes:
                content, finish = content[: len(content) // 2], "length"
            if mode == "fenced":
                content = f"```json\n{content}\n```"
            message["content"] = content
        self.send(200, {
            "id": "chatcmpl-" + uuid.uuid4().hex[:12], "object": "chat.completion", "created": int(time.time()),
            "model": self.state.model,
            "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": finish}],
            "usage": {"prompt_tokens": 100, "completion_tokens": 50, "total_tokens": 150},
        })


_HANDLERS = {"libre": _Libre, "deepl": _DeepL, "microsoft": _Microsoft, "google-cloud": _GoogleCloud, "llm": _OpenAI}


class Server:
    """A fake service on 127.0.0.1: ``with Server("deepl", api_key="k") as state:``;
    ``state`` records and steers it."""

    def __init__(self, kind: str = "libre", **kwargs):
        self.state = (FakeModel if kind == "llm" else FakeService)(**kwargs)
        handler = type(f"{kind}Handler", (_HANDLERS[kind],), {"state": self.state})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.state.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FakeService:
        self.thread.start()
        return self.state

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def main(argv: list[str] | None = None) -> int:
    """Serve one fake service in its own process (the bench's loopback server): prints its URL,
    then serves until stdin closes or the process is killed."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(description="a fake translation service on 127.0.0.1")
    parser.add_argument("kind", choices=sorted(_HANDLERS))
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before each translation answer")
    parser.add_argument("--api-key", default=None)
    args = parser.parse_args(argv)
    with Server(args.kind, delay=args.delay, api_key=args.api_key) as state:
        print(state.url, flush=True)
        sys.stdin.read()  # until the parent closes our stdin (or ends)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
