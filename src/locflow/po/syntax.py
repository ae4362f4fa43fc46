"""Reading PO and POT files as GNU gettext reads them.

One pass over the lines gives every entry with everything gettext keeps:
translator comments, extracted comments, references, flags, the previous
msgctxt/msgid/msgid_plural (``#|``, and ``#~|`` for obsolete entries), the
strings, and the line each entry starts on. Anything gettext's reader
rejects is a :class:`~locflow.errors.CatalogError` naming the file and line:
an unterminated string, an unknown escape, a keyword out of place, a
duplicate definition, bytes that are not in the declared charset.

Flags are read as gettext reads them (``fuzzy``, ``<lang>-format``,
``no-<lang>-format``, ``range: a..b``, ``wrap``/``no-wrap``); other flags
(``ignore-punctuation``, a Weblate flag) are kept as they are, which gettext
itself would drop.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import CatalogError

_WHITESPACE = " \t\r\f\v"
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "b": "\b", "r": "\r", "f": "\f", "v": "\v", "a": "\a", "\\": "\\", '"': '"'}
_ESCAPE = re.compile(r"\\(?:([ntbrfva\\\"])|([0-7]{1,3})|x([0-9A-Fa-f]+)|(.|$))", re.S)
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"', re.S)
_PLURAL_KEYWORD = re.compile(r"msgstr\s*\[\s*([0-9]+)\s*\]")
_SINGLE_BYTE = re.compile(r"^(?:iso-?8859|latin|cp12|windows-12|koi8|ascii|us-ascii|mac)", re.I)


class Message:
    """One entry as read: the strings, comments, flags and where it starts."""

    __slots__ = (
        "msgctxt", "msgid", "msgid_plural", "msgstr", "msgstr_plural", "obsolete",
        "comments", "extracted", "references", "flags", "previous", "line", "start",
    )

    def __init__(self) -> None:
        self.msgctxt: str | None = None
        self.msgid = ""
        self.msgid_plural: str | None = None
        self.msgstr = ""
        self.msgstr_plural: list[str] | None = None
        self.obsolete = False
        self.comments: list[str] = []
        self.extracted: list[str] = []
        self.references: list[tuple[str, str]] = []
        self.flags: list[str] = []
        self.previous: dict[str, str] = {}  # "msgctxt" / "msgid" / "msgid_plural" -> text
        self.line = 0  # the line of its msgctxt or msgid (where gettext reports errors)
        self.start = 0  # its first line, comments included (where an editor shows the entry)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def first_msgstr(self) -> str:
        return self.msgstr_plural[0] if self.msgstr_plural else ("" if self.msgid_plural else self.msgstr)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None and not self.obsolete


# ---------------------------------------------------------------------------
# Bytes to text
# ---------------------------------------------------------------------------


def declared_charset(data: bytes) -> str:
    """The charset named in the header's Content-Type (``utf-8`` if none)."""
    match = re.search(rb"Content-Type:[^\"\\]*charset=([A-Za-z0-9_.:-]+)", data[:8192])
    if not match:
        return "utf-8"
    charset = match.group(1).decode("ascii").lower()
    return "utf-8" if charset == "charset" else charset  # "CHARSET" in a fresh POT


def decode(data: bytes, path: Path) -> str:
    """The text of a PO file, in its declared charset.

    A byte-order mark is an error (gettext rejects it); bytes the charset
    does not decode are an error naming the line; and a file that declares a
    single-byte charset (ISO-8859-1, ...) over bytes that are UTF-8 is an
    error too, because reading it as declared would double-encode every
    non-ASCII character for good: the header is wrong, and only a person can
    say which is right.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        raise CatalogError("starts with a byte-order mark, which gettext tools reject; save it as UTF-8 without BOM", path, 1)
    charset = declared_charset(data)
    try:
        text = data.decode(charset)
    except LookupError:
        raise CatalogError(f"unknown charset {charset!r} in the Content-Type header", path, _charset_line(data)) from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CatalogError(f"not valid {charset} (byte {data[exc.start]:#04x}); catalogs must be UTF-8", path, line) from None
    if _SINGLE_BYTE.match(charset) and not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            raise CatalogError(
                f"the header declares charset={charset} but the text is UTF-8; "
                "set the Content-Type header to charset=UTF-8 (nothing was converted)",
                path,
                _charset_line(data),
            )
    return text


def _charset_line(data: bytes) -> int | None:
    position = data.find(b"charset=")
    return data[:position].count(b"\n") + 1 if position >= 0 else None


# ---------------------------------------------------------------------------
# Strings
# ---------------------------------------------------------------------------


def unescape(body: str, path: Path, line: int, charset: str = "utf-8") -> str:
    """The value of a quoted string's body (C escapes, octal and hex bytes)."""
    if "\\" not in body:
        return body
    raw_bytes = False

    def replace(match: re.Match) -> str:
        nonlocal raw_bytes
        simple, octal, hexa, bad = match.groups()
        if simple is not None:
            return _SIMPLE_ESCAPES[simple]
        if bad is not None:
            shown = bad if bad else "end of line"
            raise CatalogError(f"syntax error: invalid escape sequence \\{shown} in a string (write a backslash as \\\\)", path, line)
        value = int(octal, 8) if octal is not None else int(hexa, 16)
        if value > 0xFF:
            raise CatalogError("syntax error: escape sequence out of range in a string", path, line)
        if value >= 0x80:
            raw_bytes = True
        return chr(value)

    text = _ESCAPE.sub(replace, body)
    if raw_bytes:
        # Octal or hex escapes of bytes: they spell characters in the file's charset.
        encoded = bytearray()
        for char in text:
            code = ord(char)
            encoded += bytes([code]) if 0x80 <= code <= 0xFF and _is_escaped_byte(body, char) else char.encode(charset)
        try:
            text = bytes(encoded).decode(charset)
        except UnicodeDecodeError:
            raise CatalogError(f"escaped bytes in a string are not valid {charset}", path, line) from None
    return text


def _is_escaped_byte(body: str, char: str) -> bool:
    code = ord(char)
    return f"\\{code:o}" in body or f"\\{code:03o}" in body or f"\\x{code:x}" in body.lower()


def _strings(rest: str, path: Path, line: int, charset: str) -> str:
    """The concatenated value of the quoted strings in ``rest`` (one or more)."""
    if len(rest) >= 2 and rest[0] == '"' and rest[-1] == '"' and "\\" not in rest and '"' not in rest[1:-1]:
        return rest[1:-1]
    parts = []
    position, length = 0, len(rest)
    while position < length:
        if rest[position] in _WHITESPACE:
            position += 1
            continue
        if rest[position] != '"':
            raise CatalogError(f"syntax error: unexpected {rest[position:position + 20]!r} after a string", path, line)
        match = _STRING.match(rest, position)
        if match is None:
            raise CatalogError('syntax error: end of line within a string (a string must end with " on its line)', path, line)
        parts.append(unescape(match.group(1), path, line, charset))
        position = match.end()
    if not parts:
        raise CatalogError("syntax error: a keyword without its string", path, line)
    return "".join(parts)


# ---------------------------------------------------------------------------
# Comments
# ---------------------------------------------------------------------------


def parse_references(text: str) -> list[tuple[str, str]]:
    """``#:`` references as gettext parses them: ``file:line`` or ``file``."""
    found = []
    tokens = text.split()
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        # "file : 12" and "file: 12" (with spaces)
        if index < len(tokens) and tokens[index] == ":" and index + 1 < len(tokens) and tokens[index + 1].isdigit():
            found.append((token, str(int(tokens[index + 1]))))
            index += 2
            continue
        if index < len(tokens) and tokens[index].startswith(":") and tokens[index][1:].isdigit():
            found.append((token, str(int(tokens[index][1:]))))
            index += 1
            continue
        if token.endswith(":") and len(token) > 1 and index < len(tokens) and tokens[index].isdigit():
            found.append((token[:-1], str(int(tokens[index]))))
            index += 1
            continue
        head, colon, digits = token.rpartition(":")
        if colon and digits.isdigit() and len(head) >= 1:
            found.append((head, str(int(digits))))
        else:
            found.append((token, ""))
    return found


_SOLARIS = re.compile(r"^ [Ff]ile:[ \t]*(.*?)[ \t]*,[ \t]*line[ \t]*(?:number[ \t]*)?:([0-9]+)[ \t\n]*$")


_FLAG_SEPARATORS = re.compile(r"[ \t\n\r\f\v,]+")


def parse_flags(text: str) -> list[str]:
    """The flags of a ``#,`` line, each once, ``range:`` joined to its value (split
    as gettext splits them: at commas and ASCII white space only)."""
    tokens = [token for token in _FLAG_SEPARATORS.split(text) if token]
    flags: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if token == "range:" and index < len(tokens):
            token = f"range: {tokens[index]}"
            index += 1
        if token not in flags:
            flags.append(token)
    return flags


# ---------------------------------------------------------------------------
# The grammar
# ---------------------------------------------------------------------------

_IDLE, _CTXT, _ID, _PLURAL, _STR = range(5)
_NO_MSGSTR = 'syntax error: message without msgstr (add msgstr "" after its msgid)'


def parse(text: str, path: Path, charset: str = "utf-8") -> list[Message]:
    """Every entry of a PO file's text, in order (obsolete ones included)."""
    messages: list[Message] = []
    seen: dict[tuple[str | None, str], int] = {}
    state = _IDLE
    current = Message()
    field = ""  # the field that continuation strings extend
    previous_field = ""
    obsolete_entry: bool | None = None

    def finish() -> None:
        nonlocal current, obsolete_entry
        current.obsolete = bool(obsolete_entry)
        if not current.obsolete:
            key = (current.msgctxt, current.msgid)
            first = seen.get(key)
            if first is not None:
                raise CatalogError(
                    f"duplicate message definition (first defined at line {first}): "
                    f"{(current.msgid or '(header)')[:60]!r}; remove one of the two",
                    path,
                    current.line,
                )
            seen[key] = current.line
        messages.append(current)
        current = Message()
        obsolete_entry = None

    def append(value: str) -> None:
        if field == "msgctxt":
            current.msgctxt = (current.msgctxt or "") + value
        elif field == "msgid":
            current.msgid += value
        elif field == "msgid_plural":
            current.msgid_plural = (current.msgid_plural or "") + value
        elif field == "msgstr":
            current.msgstr += value
        else:  # msgstr[N]
            current.msgstr_plural[-1] += value

    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip(_WHITESPACE)
        if not line:
            continue
        obsolete = False
        if line[0] == "#":
            marker = line[1:2]
            if marker == "~":
                obsolete = True
                line = line[2:].lstrip(_WHITESPACE)
                if not line:
                    continue
                if line[0] == "#":
                    raise CatalogError("syntax error: a comment inside an obsolete (#~) entry", path, number)
            if line[0] == "#" or line[0] == "|":
                if line[0] == "|" or line[1:2] == "|":
                    # "#| msgid ..." (previous), also "#~| ..."
                    rest = line[1:] if line[0] == "|" else line[2:]
                    if state == _STR:
                        finish()
                        state = _IDLE
                    elif state != _IDLE:
                        raise CatalogError(_NO_MSGSTR, path, current.line or number)
                    rest = rest.lstrip(_WHITESPACE)
                    current.start = current.start or number
                    if rest.startswith('"'):
                        if not previous_field:
                            raise CatalogError("syntax error: a #| string without msgid before it", path, number)
                        current.previous[previous_field] += _strings(rest, path, number, charset)
                        continue
                    keyword, _, strings = rest.partition(" ")
                    if keyword not in ("msgctxt", "msgid", "msgid_plural"):
                        raise CatalogError(f"syntax error: #| {keyword!r} (expected msgctxt, msgid or msgid_plural)", path, number)
                    previous_field = keyword
                    current.previous[keyword] = _strings(strings.strip(_WHITESPACE), path, number, charset)
                    if obsolete:
                        obsolete_entry = True
                    continue
                # A comment: it belongs to the next entry.
                if state == _STR:
                    finish()
                    state = _IDLE
                elif state != _IDLE:
                    raise CatalogError(_NO_MSGSTR, path, current.line or number)
                previous_field = ""
                current.start = current.start or number
                body = line[1:]
                kind = body[:1]
                if kind == ".":
                    body = body[1:]
                    current.extracted.append(body[1:] if body.startswith(" ") else body)
                elif kind == ":":
                    current.references.extend(parse_references(body[1:]))
                elif kind in (",", "!"):
                    # As gettext reads them: each flags line sets every flag anew, so
                    # the last one is what msgfmt counts and msgcat writes.
                    current.flags = parse_flags(body[1:])
                else:
                    # The comment as written after "#", minus one space (raw: keeps inner spacing).
                    comment = raw[raw.index("#") + 1 :].rstrip("\r")
                    solaris = _SOLARIS.match(comment)
                    if solaris:
                        current.references.append((solaris.group(1), str(int(solaris.group(2)))))
                    else:
                        current.comments.append(comment[1:] if comment.startswith(" ") else comment)
                continue
        if obsolete_entry is None and line[0] != '"':
            obsolete_entry = obsolete
        elif obsolete_entry is not None and obsolete != obsolete_entry and state != _STR:
            raise CatalogError("syntax error: inconsistent use of #~ (an entry is obsolete on some lines only)", path, number)
        if line[0] == '"':
            if state == _IDLE:
                raise CatalogError("syntax error: a string without a keyword (msgid, msgstr ...) before it", path, number)
            append(_strings(line, path, number, charset))
            continue
        space = 0
        while space < len(line) and line[space] not in _WHITESPACE and line[space] not in '"[':
            space += 1
        keyword, rest = line[:space], line[space:].lstrip(_WHITESPACE)
        if keyword == "msgstr" and rest.startswith("["):
            match = _PLURAL_KEYWORD.match(line)
            if match is None:
                raise CatalogError("syntax error: malformed msgstr[N]", path, number)
            keyword, rest, index = "msgstr[]", line[match.end():].lstrip(_WHITESPACE), int(match.group(1))
        if keyword in ("msgctxt", "msgid"):
            if state == _STR:
                finish()
                state = _IDLE
                obsolete_entry = obsolete
            elif state == _CTXT and keyword == "msgid":
                pass
            elif state != _IDLE:
                raise CatalogError(_NO_MSGSTR, path, current.line or number)
            value = _strings(rest, path, number, charset)
            current.start = current.start or number
            if keyword == "msgctxt":
                current.msgctxt = value
                current.line = number
                state = _CTXT
            else:
                current.msgid = value
                if state != _CTXT:
                    current.line = number
                state = _ID
            field = keyword
        elif keyword == "msgid_plural":
            if state != _ID:
                raise CatalogError("syntax error: msgid_plural without a msgid before it", path, number)
            current.msgid_plural = _strings(rest, path, number, charset)
            state, field = _PLURAL, keyword
        elif keyword == "msgstr":
            if state == _PLURAL:
                raise CatalogError("syntax error: a plural message needs msgstr[0], msgstr[1] ... instead of msgstr", path, number)
            if state != _ID:
                raise CatalogError("syntax error: msgstr without a msgid before it", path, number)
            current.msgstr = _strings(rest, path, number, charset)
            state, field = _STR, keyword
        elif keyword == "msgstr[]":
            if state == _PLURAL:
                current.msgstr_plural = []
            elif not (state == _STR and current.msgstr_plural is not None):
                raise CatalogError(f"syntax error: msgstr[{index}] in a message without msgid_plural", path, number)
            if index != len(current.msgstr_plural):
                raise CatalogError(f"syntax error: msgstr[{index}] out of order (expected msgstr[{len(current.msgstr_plural)}])", path, number)
            current.msgstr_plural.append(_strings(rest, path, number, charset))
            state, field = _STR, "msgstr[]"
        elif keyword == "domain":
            raise CatalogError("a 'domain' line: locflow reads one domain per file (split the file with msgcat)", path, number)
        else:
            shown = keyword or line[:20]
            raise CatalogError(f"syntax error: unexpected {shown!r}", path, number)
    if state == _STR:
        finish()
    elif state != _IDLE:
        raise CatalogError(_NO_MSGSTR, path, current.line)
    return messages
