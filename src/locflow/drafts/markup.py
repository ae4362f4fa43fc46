"""Protect placeholders and markup from machine translation, and put them back.

A machine-translation service sees ``[X1X]`` where the source has ``{date}``,
``%s``, ``<em>``, a Markdown link target or a number, so it cannot translate,
re-space or drop them unnoticed. :func:`restore` puts every original back and
raises :class:`LostMarkup` when one is missing or doubled: such a draft must
not be written.

The placeholder shape ``[X1X]`` is the one Weblate's machinery uses: the
services keep it verbatim far more reliably than XML-like tags or braces.
Everything here is a pure function; the pseudo-locale uses :func:`segments` to
change only the translatable text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The order matters: earlier patterns win where matches overlap.
_PATTERNS: tuple[tuple[str, str], ...] = (
    ("html-comment", r"<!--.*?-->"),
    ("html-other", r"<\?.*?\?>|<!\[CDATA\[.*?\]\]>|<![A-Za-z][^<>]*>"),
    ("html-code", r"<(?P<codetag>code|kbd|samp|var)\b[^<>]*>.*?</(?P=codetag)\s*>"),
    ("autolink", r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+)>"),
    ("shortcode", r"\{\{[<%].*?[>%]\}\}"),
    ("md-escape", r"\\[!-/:-@\[-`{-~]"),
    ("kramdown", r"\{:[^{}\n]*\}"),
    ("html-tag", r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s+[^<>]*?)?\s*/?>"),
    ("html-entity", r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});"),
    ("md-code", r"(?<!`)(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`)"),
    ("md-footnote", r"\[\^[^\]\s]+\]"),
    ("md-link-end", r'\]\([ \t]*\d{1,3}[ \t]+"'),  # a numbered link with a title: the title is text ...
    ("md-link-end", r'(?<!\\)"[ \t]*\)'),  # ... up to its end
    ("md-link-end", r"\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"]*\")?\)"),
    ("md-link-end", r"\]\[[^\]\n]*\]"),
    ("url", r"\b(?:https?|ftp)://[^\s<>\"\]\[)]+[^\s<>\"\]\[).,;:!?]"),
    ("jinja", r"\{\{.*?\}\}|\{%.*?%\}"),
    ("brace", r"\{[A-Za-z_0-9][A-Za-z_0-9.\[\]]*(?:![rsa])?(?::[^{}]*)?\}"),
    # printf: %s %d %5.2f %-10s %1$s %(name)s %%; never "% o" (a space flag is
    # almost always prose: "50% off").
    ("printf", r"%(?:\([A-Za-z_][A-Za-z_0-9]*\))?(?:[0-9]+\$)?[-+#0]*(?:\*|[0-9]+)?(?:\.(?:\*|[0-9]+))?(?:hh|h|ll|l|L|q|j|z|t)?[diouxXeEfFgGcrs%]"),
    ("md-emphasis", r"(?<![\w*])\*{1,3}(?=[^\s*])|(?<=[^\s*])\*{1,3}(?![\w*])|(?<![\w_])_{1,3}(?=[^\s_])|(?<=[^\s_])_{1,3}(?![\w_])|~~"),
    ("number", r"(?<![\w.,])(?<![^\W\d_]-)[-+]?[0-9]+(?:[.,:][0-9]+)*(?![\w])"),
)
_SCANNER = re.compile("|".join(f"(?P<g{index}>{pattern})" for index, (_, pattern) in enumerate(_PATTERNS)), re.DOTALL)
_KINDS = [kind for kind, _ in _PATTERNS]
_GROUPS = [f"g{index}" for index in range(len(_PATTERNS))]
# A Markdown link's (or image's) opening bracket, only when its "](...)" closing part exists:
# the link text and an image's alt text are translated.
_LINK_OPEN = re.compile(r"(?<!\\)!?\[(?=[^\[\]\n]*\](?:\(|\[))")

# What the services send back: "[X1X]", and the spellings they turn it into: any case,
# spaces inside, and the X written with a letter that looks or sounds like it (Cyrillic
# Х х, Greek Χ χ, Armenian Խ խ, Latin chi, fullwidth or Roman-numeral forms), digits of
# any script (Arabic-Indic ١) and fullwidth brackets, as a service trained on another
# script may write it.
_MASK = "[X{}X]"
_X = "Xx\u0425\u0445\u03a7\u03c7\u053d\u056d\ua7b3\uab53\uff38\uff58\u2169\u2179"
_MASK_BACK = re.compile(rf"[\[\uff3b]\s*[{_X}]\s*(\d+)\s*[{_X}]\s*[\]\uff3d]")


@dataclass(frozen=True)
class Token:
    """One protected piece of a string: its kind and its exact text."""

    kind: str  # printf, brace, html-tag, html-entity, md-link, md-emphasis, md-code, url, number ...
    text: str

    @property
    def is_placeholder(self) -> bool:
        """A variable the program fills in (as opposed to markup or a number)."""
        return self.kind in {"printf", "brace", "jinja"}


class LostMarkup(ValueError):
    """A translation lost (or doubled) protected pieces of its source."""

    def __init__(self, missing: list[Token], doubled: list[Token]):
        self.missing = missing
        self.doubled = doubled
        parts = []
        if missing:
            parts.append("lost " + ", ".join(repr(t.text) for t in missing))
        if doubled:
            parts.append("repeated " + ", ".join(repr(t.text) for t in doubled))
        super().__init__("; ".join(parts))


def segments(text: str) -> list[tuple[str, Token | None]]:
    """Split ``text`` into translatable pieces ``(text, None)`` and protected ones ``(text, Token)``."""
    found: list[tuple[int, int, Token]] = []
    for match in _LINK_OPEN.finditer(text):
        found.append((match.start(), match.end(), Token("md-link", match.group())))
    taken = [False] * (len(text) + 1)
    for start, end, _ in found:
        taken[start] = True
    for match in _SCANNER.finditer(text):
        if any(taken[match.start() : match.end()]):
            continue
        kind = _KINDS[_GROUPS.index(match.lastgroup)] if match.lastgroup in _GROUPS else next(
            _KINDS[i] for i in range(len(_KINDS)) if match.group(_GROUPS[i]) is not None
        )
        kind = "md-link" if kind == "md-link-end" else kind
        found.append((match.start(), match.end(), Token(kind, match.group())))
    found.sort(key=lambda item: item[0])
    pieces: list[tuple[str, Token | None]] = []
    position = 0
    for start, end, token in found:
        if start < position:
            continue
        if start > position:
            pieces.append((text[position:start], None))
        pieces.append((token.text, token))
        position = end
    if position < len(text):
        pieces.append((text[position:], None))
    return pieces


def placeholders(text: str) -> list[Token]:
    """Every protected piece of ``text``, in order (placeholders, markup and numbers)."""
    return [token for _, token in segments(text) if token is not None]


def protect(text: str) -> tuple[str, list[Token]]:
    """``text`` with every protected piece replaced by ``[X1X]``, ``[X2X]`` ... and the pieces."""
    tokens: list[Token] = []
    out: list[str] = []
    for piece, token in segments(text):
        if token is None:
            out.append(piece)
        else:
            tokens.append(token)
            out.append(_MASK.format(len(tokens)))
    return "".join(out), tokens


def restore(masked: str, tokens: list[Token]) -> str:
    """Put the pieces back into a translated ``masked`` text; :class:`LostMarkup` if any is
    missing or appears twice."""
    seen: dict[int, int] = {}
    for match in _MASK_BACK.finditer(masked):
        number = int(match.group(1))
        seen[number] = seen.get(number, 0) + 1
    missing = [token for index, token in enumerate(tokens, 1) if seen.get(index, 0) == 0]
    doubled = [token for index, token in enumerate(tokens, 1) if seen.get(index, 0) > 1]
    unknown = [number for number in seen if not 1 <= number <= len(tokens)]
    if missing or doubled or unknown:
        if unknown and not (missing or doubled):
            doubled = [Token("unknown", _MASK.format(number)) for number in unknown]
        raise LostMarkup(missing, doubled)
    return _MASK_BACK.sub(lambda match: tokens[int(match.group(1)) - 1].text, masked)


def strip_masks(masked: str) -> str:
    """A masked text without its ``[X1X]`` marks: the words a service actually translates."""
    return _MASK_BACK.sub(" ", masked)
