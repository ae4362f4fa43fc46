"""Texts cut to a provider's size, and packed into requests within its limits.

A text over the longest one request may carry is split at line breaks and
sentence ends (then spaces) and the translated pieces joined; pieces are then
packed, in order, into requests of at most ``max_texts`` texts and
``max_chars`` characters (and ``max_bytes`` UTF-8 bytes, for DeepL's body limit).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

_SENTENCE_END = re.compile(r"(?<=[.!?;։…。！？])(\s+)")

T = TypeVar("T")


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


def pack(
    items: Iterable[T],
    text: Callable[[T], str],
    max_texts: int,
    max_chars: int,
    max_bytes: int = 0,
    group: Callable[[T], object] = lambda item: None,
) -> list[list[T]]:
    """Consecutive ``items`` in requests within the limits; items of different ``group``\\ s
    never share a request (a request's context is one article's)."""
    requests: list[list[T]] = []
    current: list[T] = []
    chars = size = 0
    key: object = None
    for item in items:
        body = text(item)
        length, weight = len(body), len(body.encode("utf-8")) if max_bytes else 0
        item_key = group(item)
        full = (
            len(current) >= max_texts
            or chars + length > max_chars
            or (max_bytes and size + weight > max_bytes)
            or (current and item_key != key)
        )
        if current and full:
            requests.append(current)
            current, chars, size = [], 0, 0
        current.append(item)
        chars, size, key = chars + length, size + weight, item_key
    if current:
        requests.append(current)
    return requests


def halves(items: Sequence[T]) -> list[Sequence[T]]:
    """A request cut in two, so that one text the service refuses does not sink the others."""
    middle = len(items) // 2
    return [items[:middle], items[middle:]]
