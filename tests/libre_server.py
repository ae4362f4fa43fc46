"""A LibreTranslate-compatible server on 127.0.0.1 for the tests (see :mod:`tests.fake_services`).

It speaks LibreTranslate's API (POST /translate with q — one text or a list —,
source, target, format, api_key → {"translatedText": ...}; GET /languages), and
MyMemory's ``GET /get`` when used as an HTTP proxy for api.mymemory.translated.net.
"""

from __future__ import annotations

from .fake_services import LANGUAGES, FakeService, Request, Server, fake_translate

FakeLibre = FakeService


class LibreServer(Server):
    """Start with ``with LibreServer() as server:``; ``server.state`` records and steers it."""

    def __init__(self, **kwargs):
        super().__init__("libre", **kwargs)


__all__ = ["LANGUAGES", "FakeLibre", "LibreServer", "Request", "fake_translate"]
