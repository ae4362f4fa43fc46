"""Strings written as GNU gettext writes them: escapes and line wrapping.

gettext (``write-po.c``) escapes a string, cuts it after every ``\\n``, and
wraps each piece where the Unicode line-breaking algorithm allows a break,
so that a line with its quotes fits the page width (79 columns). The break
opportunities and the column widths come from GNU libunistring, the library
gettext itself calls (``ulc_width_linebreaks``): loaded here through ctypes,
locflow breaks exactly where msgcat and msgmerge do. Where libunistring is
not installed, a fallback breaks after spaces (and between wide CJK
characters), which gives the same lines for ordinary text.

A string with a format flag is never broken inside a format directive
(``%(count)d``, ``{date}``), as gettext does.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .formats import directive_spans

DEFAULT_WIDTH = 79

# libunistring's break codes (unilbrk.h).
UNDEFINED, PROHIBITED, POSSIBLE, MANDATORY = 0, 1, 2, 3
POSSIBLE_BYTE = bytes([POSSIBLE])

_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v", "\\": "\\\\", '"': '\\"'}
_ESCAPE_TABLE = str.maketrans(_ESCAPES)
_NEEDS_ESCAPE = frozenset(_ESCAPES)


def escape(text: str) -> str:
    """A string's content as PO writes it between quotes (C escapes for the
    seven control characters gettext escapes, backslash and double quote)."""
    return text.translate(_ESCAPE_TABLE)


def _load_linebreaker():
    """gettext's line breaker from GNU libunistring, or None (then the fallback
    below breaks lines). The usual library names are tried before asking
    ``ctypes.util.find_library``, which runs ``ldconfig``: loading it costs
    nothing until a long line is first wrapped."""
    import ctypes

    names = ["libunistring.so.5", "libunistring.so.2", "libunistring.dylib"]
    for candidate in names + [None]:
        if candidate is None:
            import ctypes.util

            candidate = ctypes.util.find_library("unistring")
            if candidate is None or candidate in names:
                return None
        try:
            library = ctypes.CDLL(candidate)
        except OSError:
            continue
        for symbol in ("ulc_width_linebreaks_v2", "ulc_width_linebreaks"):
            function = getattr(library, symbol, None)
            if function is not None:
                function.restype = ctypes.c_int
                function.argtypes = [
                    ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int,
                    ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p,
                ]
                return function
    return None


_UNLOADED = object()
_linebreaker = _UNLOADED  # loaded on first use (None: not on this machine)


def line_breaker():
    """libunistring's ``ulc_width_linebreaks``, or None when the machine lacks it."""
    global _linebreaker
    if _linebreaker is _UNLOADED:
        _linebreaker = _load_linebreaker()
    return _linebreaker


def _breaks_libunistring(portion: bytes, width: int, start: int, overrides: bytes) -> bytes:
    import ctypes

    out = ctypes.create_string_buffer(len(portion))
    _linebreaker(portion, len(portion), width, start, 0, overrides, b"UTF-8", out)
    return out.raw


def _char_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


_NO_BREAK_BEFORE = frozenset(" !?,.:;)]}/\u00bb\u201d\u2019")


def _opportunity(previous: str, char: str, before: str) -> bool:
    """A line may break between ``previous`` and ``char`` (the common cases of
    the Unicode line-breaking algorithm)."""
    if _char_width(char) == 2 or _char_width(previous) == 2:
        return True
    if char in _NO_BREAK_BEFORE or char.isdigit() and previous in "-/":
        return False
    if previous == " ":
        return True
    if previous in "-/" and char.isalpha() and before.isalpha():
        return True
    return False


def _breaks_fallback(portion: bytes, width: int, start: int, overrides: bytes) -> bytes:
    """The greedy algorithm of ``u8_width_linebreaks`` with simple break
    opportunities: after a run of spaces, and around wide characters."""
    text = portion.decode("utf-8")
    result = bytearray([PROHIBITED]) * len(portion)
    offsets, position = [], 0
    for char in text:
        offsets.append(position)
        position += len(char.encode("utf-8"))
    last_break, column, piece = None, start, 0
    previous = ""
    for index, char in enumerate(text):
        offset = offsets[index]
        possible = index > 0 and _opportunity(previous, char, text[index - 2] if index > 1 else "")
        if overrides[offset] != UNDEFINED:
            possible = overrides[offset] == POSSIBLE
        if possible:
            if last_break is not None and column + piece > width:
                result[last_break] = POSSIBLE
                column = 0
            last_break = offset
            column += piece
            piece = 0
        piece += _char_width(char)
        previous = char
    if last_break is not None and column + piece > width:
        result[last_break] = POSSIBLE
    return bytes(result)


def _breaks(portion: bytes, width: int, start: int, overrides: bytes) -> bytes:
    if line_breaker() is not None:
        return _breaks_libunistring(portion, width, start, overrides)
    return _breaks_fallback(portion, width, start, overrides)


@lru_cache(maxsize=16384)
def wrap_string(prefix: str, name: str, value: str, width: int | None, format_name: str | None = None) -> str:
    """The lines (each ending in ``\\n``) that write ``name "value"`` as gettext
    does: ``prefix`` starts every line (``#~ ``, ``#| ``), ``width`` is the page
    width (None: no wrapping), ``format_name`` the entry's format (``c``,
    ``python``, ``python-brace``) whose directives are never split."""
    line_width = (width if width is not None else 2**31 - 1) - 1  # room for the closing quote
    after_break = len(prefix) + 1  # the opening quote of a continuation line
    line_width -= after_break
    spans = directive_spans(format_name, value) if format_name and value else None
    out: list[str] = []
    first_line = True
    position = 0
    length = len(value)
    while True:
        end = value.find("\n", position)
        end = length if end < 0 else end + 1
        piece = value[position:end]
        escaped = escape(piece) if _NEEDS_ESCAPE.intersection(piece) else piece
        start = (len(prefix) + len(name) + 2 if first_line else len(prefix) + 1) - after_break
        more = end < length
        breaks: bytes | None = None
        if escaped and not _fits(escaped, start, line_width):
            breaks = _compute(piece, escaped, position, spans, line_width, start)
        if first_line and escaped and (more or start > line_width or (breaks is not None and POSSIBLE in breaks)):
            out.append(f'{prefix}{name} ""\n')
            first_line = False
            start = len(prefix) + 1 - after_break
            breaks = None if _fits(escaped, start, line_width) else _compute(piece, escaped, position, spans, line_width, start)
        head = f"{prefix}{name} " if first_line else prefix
        first_line = False
        if breaks is None or POSSIBLE not in breaks:
            out.append(f'{head}"{escaped}"\n')
        else:
            encoded = escaped.encode("utf-8")
            lines, last = [], 0
            index = breaks.find(POSSIBLE_BYTE)
            while index >= 0:
                lines.append(encoded[last:index].decode("utf-8"))
                last = index
                index = breaks.find(POSSIBLE_BYTE, index + 1)
            lines.append(encoded[last:].decode("utf-8"))
            out.append(f'{head}"{lines[0]}"\n')
            out.extend(f'{prefix}"{line}"\n' for line in lines[1:])
        position = end
        if position >= length:
            break
    return "".join(out)


def _fits(escaped: str, start: int, width: int) -> bool:
    """Whether the piece surely fits on the line without a break: every
    character is at most two columns wide, ASCII exactly one."""
    columns = len(escaped) if escaped.isascii() else 2 * len(escaped)
    return start + columns <= width


def _compute(piece: str, escaped: str, offset: int, spans, width: int, start: int) -> bytes:
    portion, overrides = _portion(piece, escaped, offset, spans)
    return _breaks(portion, width, start, overrides)


# Per byte of UTF-8: a continuation byte (0x80-0xBF) may not start a line.
_CONTINUATION = bytes(PROHIBITED if 0x80 <= byte <= 0xBF else UNDEFINED for byte in range(256))
_ESCAPE_SEQUENCE = re.compile(rb"\\.", re.S)


def _portion(piece: str, escaped: str, offset: int, spans) -> tuple[bytes, bytes]:
    """The piece's escaped UTF-8 bytes, and per byte gettext's override: no
    break inside an escape sequence, a multibyte character or a format
    directive, nor before the ``\\n`` that ends the piece. (Byte operations
    in C: linear, and fast on a string of megabytes.)"""
    encoded = escaped.encode("utf-8")
    overrides = bytearray(encoded.translate(_CONTINUATION))
    if "\\" in escaped:
        for match in _ESCAPE_SEQUENCE.finditer(encoded):
            overrides[match.start() + 1] = PROHIBITED
    if spans is not None:
        for start, end in spans.ranges(offset, offset + len(piece)):
            first = len(escape(piece[: start - offset + 1]).encode("utf-8"))
            last = len(escape(piece[: end - offset + 1]).encode("utf-8"))
            overrides[first:last] = bytes([PROHIBITED]) * (last - first)
    if piece.endswith("\n"):
        overrides[len(encoded) - 2] = PROHIBITED
    return encoded, bytes(overrides)
