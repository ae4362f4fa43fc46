"""Markdown articles (CommonMark with tables), read with markdown-it-py.

What is a string:

* front-matter fields listed in ``[tool.locflow.markdown] front-matter``
  (``title``, ``description``, ... ; a string or a list of strings);
* every heading, paragraph, list item, block quote paragraph and table cell
  that has words in it.

What is never a string: fenced and indented code, HTML blocks and comments,
link reference definitions, thematic breaks, and the destinations of links.

How a message looks: the Markdown source of the block's inline content, so
translators keep ``*emphasis*``, ``**strong**`` and ```code``` as they are.
Lines of a paragraph are joined by a space; a hard line break is a newline in
the message. Link and image destinations are replaced by numbers
(``Read the *full* [report](1)``) and the extracted comment says where each
number points (``links: 1 = https://...``): translators move the link text,
never retype a URL, and rendering puts the exact source destination (and
title) back.

Rendering keeps every byte that is not translated: markdown-it-py's line maps
locate each block in the raw text and only the located message text is
replaced. A translation that would change the article's structure (a line
starting with ``#`` or ``- ``, an HTML block) is escaped; HTML tags that were
not in the source message are escaped (``\\<script>``), so the localized
Markdown never carries markup a translator added. A translation that still
cannot be placed safely, or names a link number the source does not have,
leaves that block in the source language.

Front matter is YAML between ``---`` lines, parsed with PyYAML to find the
fields, or Hugo's TOML between ``+++`` lines (top-level one-line strings); a
translated value replaces only the value's own text (re-quoted when YAML or
TOML needs it). Date fields listed in ``[tool.locflow.markdown] date-fields``
are rewritten in the target language's date format (Babel): list a display
field there (``display-date: January 12, 2024``), not the ISO ``date`` your
site generator sorts by; by default no field is rewritten.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkDestination, parseLinkTitle
from markdown_it.token import Token

from ..config import Settings
from ..document import Block, Document, Lookup
from ..errors import ConfigError, SourceError
from ..languages import localize_date

NAME = "markdown"

DEFAULT_FRONT_MATTER = ("title", "description", "summary", "subtitle")
_KEYS = {"front-matter", "date-fields"}

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_EOL = re.compile(r"(?:\r\n|\r|\n)$")
_FENCE = re.compile(r"^---[ \t]*$")
_FENCE_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$")
_TOML_FENCE = re.compile(r"^\+\+\+[ \t]*$")
_TOML_STRING = re.compile(
    r"""^(?P<key>[A-Za-z0-9_-]+)[ \t]*=[ \t]*(?P<value>"(?:[^"\\\r\n]|\\.)*"|'[^'\r\n]*'|\d{4}-\d{2}-\d{2})[ \t]*(?:#.*)?$"""
)
_LINK_NUMBER = re.compile(r"\]\([ \t]*(\d{1,3})[ \t]*\)")
_WORD = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class MarkdownSettings:
    front_matter: tuple[str, ...] = DEFAULT_FRONT_MATTER
    date_fields: tuple[str, ...] = ()


def markdown_settings(settings: Settings) -> MarkdownSettings:
    """``[tool.locflow.markdown]``, validated."""
    raw = settings.extra.get("markdown", {})
    path = settings.root / "pyproject.toml"
    if not isinstance(raw, dict):
        raise ConfigError("[tool.locflow] markdown: expected a table", path)
    unknown = set(raw) - _KEYS
    if unknown:
        raise ConfigError(
            f"[tool.locflow] markdown: unknown key {sorted(unknown)[0]!r} (known keys: {', '.join(sorted(_KEYS))})", path
        )

    def names(key: str, default: tuple[str, ...]) -> tuple[str, ...]:
        value = raw.get(key, list(default))
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise ConfigError(f"[tool.locflow] markdown.{key}: expected a list of front-matter field names", path)
        return tuple(value)

    return MarkdownSettings(front_matter=names("front-matter", DEFAULT_FRONT_MATTER), date_fields=names("date-fields", ()))


@lru_cache(maxsize=2)
def parser(html: bool = True) -> MarkdownIt:
    """CommonMark with tables and strikethrough; ``html=False`` shows raw HTML as text."""
    return MarkdownIt("commonmark", {"html": html}).enable(["table", "strikethrough"])


@dataclass(frozen=True)
class MarkdownBlock(Block):
    """A Markdown block plus what rendering needs to put a translation back."""

    role: str = "inline"  # inline | cell | heading | field | date
    region: tuple[int, int] = (0, 0)  # offsets of the whole lines around the block, for the structure check
    region_text: str = ""
    start: int = 0  # offset of raw in the article
    continuation: str = ""  # what starts a continuation line (blockquote marker, list indentation)
    hard_break: str = "\\"  # how the source writes a hard line break
    newline: str = "\n"
    links: tuple[str, ...] = ()  # exact source text inside (...) of link N, N from 1
    yaml_style: str | None = None  # the scalar style of a front-matter value ("toml" in TOML front matter)
    value: str = ""  # a date field's value


class MarkdownDocument(Document):
    """A Markdown article; :meth:`render` puts translations back the Markdown way."""

    def render(self, lookup: Lookup, language: str, escape=None) -> str:  # noqa: ARG002 - Markdown escapes itself
        return render(self, lookup, language)


# ---------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------


def parse(text: str, path: Path, slug: str, settings: Settings) -> Document:
    """Find the strings of a Markdown article and locate each in the raw text."""
    options = markdown_settings(settings)
    lines = _LINE.findall(text)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    newline = next((m.group(0) for line in lines if (m := _EOL.search(line))), "\n")
    doc = MarkdownDocument(slug=slug, path=path, format=NAME)
    doc.meta["source-language"] = settings.source_language.code
    spans: list[MarkdownBlock] = []

    body_line = 0
    front = _front_matter_end(lines)
    if front is not None:
        language, end_line = front
        body_line = end_line + 1
        read = _front_matter if language == "yaml" else _toml_front_matter
        spans += read(text, starts, lines, end_line, path, options, doc)

    body = "".join(lines[body_line:])
    tokens = parser().parse(body)
    spans += _body_blocks(tokens, text, lines, starts, body_line, newline, any(b.kind == "title" for b in spans))
    spans.sort(key=lambda b: b.start)

    cursor = 0
    for block in spans:
        if block.start < cursor:  # never happens with markdown-it's maps; be safe
            continue
        if block.start > cursor:
            doc.blocks.append(_skeleton(text, cursor, block.start, starts))
        doc.blocks.append(block)
        cursor = block.start + len(block.raw)
    if cursor < len(text):
        doc.blocks.append(_skeleton(text, cursor, len(text), starts))
    title = doc.title
    if title is not None:
        doc.meta["title"] = title
    return doc


def _line_of(offset: int, starts: list[int]) -> int:
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo + 1


def _skeleton(text: str, start: int, end: int, starts: list[int]) -> Block:
    return Block(kind="markup", raw=text[start:end], line=_line_of(start, starts))


def _front_matter_end(lines: list[str]) -> tuple[str, int] | None:
    """("yaml" or "toml", the closing line's index) when the article starts with front matter."""
    if not lines:
        return None
    first = _EOL.sub("", lines[0])
    if _FENCE.match(first):
        language, closing = "yaml", _FENCE_END
    elif _TOML_FENCE.match(first):
        language, closing = "toml", _TOML_FENCE
    else:
        return None
    for number in range(1, len(lines)):
        if closing.match(_EOL.sub("", lines[number])):
            return language, number
    return None


def _toml_front_matter(text, starts, lines, end_line, path, options, doc) -> list[MarkdownBlock]:
    """Hugo's TOML front matter (``+++``): top-level one-line string fields, and dates."""
    try:
        tomllib.loads(text[starts[1] : starts[end_line]])
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        message = str(exc)[: where.start()].strip() if where else str(exc)
        line = int(where.group(1)) + 1 if where else None  # after the opening +++
        raise SourceError(f"front matter is not valid TOML: {message}", path, line) from None
    blocks: list[MarkdownBlock] = []
    for number in range(1, end_line):
        line = _EOL.sub("", lines[number])
        if line.lstrip().startswith("["):
            break  # a table: everything after it is nested
        match = _TOML_STRING.match(line)
        if not match:
            continue
        key, raw = match.group("key"), match.group("value")
        value = raw if raw[0].isdigit() else tomllib.loads(f"v = {raw}")["v"]
        if key == "date":
            doc.meta["date"] = value
        role = "date" if key in options.date_fields else "field" if key in options.front_matter else None
        if role is None or (role == "field" and not _WORD.search(value)):
            continue
        start = starts[number] + match.start("value")
        blocks.append(
            MarkdownBlock(
                kind="title" if key == "title" and role == "field" else "date" if role == "date" else "front matter",
                raw=raw,
                line=number + 1,
                msgid=value.strip() if role == "field" else None,
                comment=f"front matter: {key}",
                role=role,
                start=start,
                yaml_style="toml",
                value=value,
            )
        )
    return blocks


def _front_matter(text, starts, lines, end_line, path, options, doc) -> list[MarkdownBlock]:
    base = starts[1]
    source = text[base : starts[end_line]]
    try:
        root = yaml.compose(source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        raise SourceError(f"front matter is not valid YAML: {getattr(exc, 'problem', None) or exc}", path, line) from None
    if not isinstance(root, yaml.MappingNode):
        return []
    blocks: list[MarkdownBlock] = []
    for key_node, value_node in root.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if key == "date":
            doc.meta["date"] = value_node.value if isinstance(value_node, yaml.ScalarNode) else ""
        if key in options.date_fields and isinstance(value_node, yaml.ScalarNode) and value_node.value:
            blocks.append(_field_block(value_node, source, base, starts, kind="date", role="date", msgid=None, key=key))
            continue
        if key not in options.front_matter:
            continue
        nodes = [value_node] if isinstance(value_node, yaml.ScalarNode) else (
            value_node.value if isinstance(value_node, yaml.SequenceNode) else []
        )
        for node in nodes:
            if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:str":
                continue
            value = node.value.strip()
            if not _WORD.search(value):
                continue
            kind = "title" if key == "title" and node is value_node else "front matter"
            blocks.append(_field_block(node, source, base, starts, kind=kind, role="field", msgid=value, key=key))
    return blocks


def _field_block(node, source, base, starts, *, kind, role, msgid, key) -> MarkdownBlock:
    raw = source[node.start_mark.index : node.end_mark.index]
    value = node.value
    return MarkdownBlock(
        kind=kind,
        raw=raw,
        line=_line_of(base + node.start_mark.index, starts),
        msgid=msgid,
        comment=f"front matter: {key}",
        role=role,
        start=base + node.start_mark.index,
        yaml_style=node.style,
        value=value,
    )


def _kind(stack: list[str], token_type: str) -> str:
    if token_type in ("th_open", "td_open"):
        return "table header" if token_type == "th_open" else "table cell"
    for container in reversed(stack):
        if container == "list_item_open":
            return "list item"
        if container == "blockquote_open":
            return "blockquote"
    return "paragraph"


def _body_blocks(tokens: list[Token], text, lines, starts, offset, newline, has_title: bool) -> list[MarkdownBlock]:
    """The strings of the body: headings, paragraphs (in lists and quotes too) and table cells."""
    blocks: list[MarkdownBlock] = []
    stack: list[str] = []
    parent: Token | None = None
    row_cursor: dict[int, int] = {}
    for token in tokens:
        if token.type in ("blockquote_open", "list_item_open"):
            stack.append(token.type)
        elif token.type in ("blockquote_close", "list_item_close"):
            stack.pop()
        if token.type != "inline":
            if token.nesting == 1:
                parent = token
            continue
        if token.map is None or parent is None or not _has_words(token.children or []):
            continue
        first = token.map[0] + offset
        if parent.type == "heading_open":
            kind = "heading"
            if parent.tag == "h1" and not has_title:  # no title in the front matter: the first h1 is it
                kind, has_title = "title", True
            block = _inline_block(token, parent, kind, text, lines, starts, offset, newline, heading=parent.markup.startswith("#"))
        elif parent.type in ("th_open", "td_open"):
            block = _cell_block(token, _kind(stack, parent.type), text, lines, starts, first, row_cursor)
        elif parent.type == "paragraph_open":
            block = _inline_block(token, parent, _kind(stack, parent.type), text, lines, starts, offset, newline, heading=False)
        else:
            block = None
        if block is not None:
            blocks.append(block)
    return blocks


def _has_words(children: list[Token]) -> bool:
    """Text a reader reads: words outside code, autolinks and HTML."""
    in_autolink = False
    for child in children:
        if child.type == "link_open" and child.markup == "autolink":
            in_autolink = True
        elif child.type == "link_close":
            in_autolink = False
        elif child.type == "text" and not in_autolink and _WORD.search(child.content):
            return True
        elif child.type == "image" and _WORD.search(child.content or ""):
            return True
    return False


def _line_text(lines: list[str], number: int) -> str:
    return _EOL.sub("", lines[number])


def _inline_block(token, parent, kind, text, lines, starts, offset, newline, heading: bool) -> MarkdownBlock | None:
    first, last = token.map[0] + offset, token.map[1] + offset
    contents = token.content.split("\n")
    if len(contents) != last - first:
        return None
    if heading:  # ATX: "## Title ##"
        line = _line_text(lines, first)
        marker = re.search(r"#{1,6}(?:[ \t]+|$)", line)
        at = line.find(contents[0], marker.end() if marker else 0)
        if at < 0:
            return None
        begin, end = starts[first] + at, starts[first] + at + len(contents[0])
        prefixes = [line[:at]]
    else:
        prefixes = []
        for i, content in enumerate(contents):
            line = _line_text(lines, first + i)
            core = line.rstrip() if i == len(contents) - 1 else line
            if not core.endswith(content):
                stripped = content.lstrip()
                if not core.endswith(stripped):
                    return None
                content = stripped
            prefixes.append(core[: len(core) - len(content)])
            contents[i] = content
        begin = starts[first] + len(prefixes[0])
        last_core = _line_text(lines, last - 1).rstrip()
        end = starts[last - 1] + len(last_core)
    msgid, hard_break = _join_lines(contents, token.children or [])
    msgid, links = _protect_links(msgid)
    region_first = parent.map[0] + offset if parent.map else first
    region_last = parent.map[1] + offset if parent.map else last
    region = (starts[region_first], starts[region_last])
    comment = "links: " + ", ".join(f"{n} = {_destination(d)}" for n, d in enumerate(links, 1)) if links else ""
    if "\n" in msgid:
        comment = (comment + "\n" if comment else "") + "a line break in the message is a line break in the article"
    continuation = prefixes[1] + re.match(r"[ \t]*", contents[1]).group(0) if len(prefixes) > 1 else re.sub(r"[^>\s]", " ", prefixes[0])
    return MarkdownBlock(
        kind=kind,
        raw=text[begin:end],
        line=first + 1,
        msgid=msgid,
        comment=comment,
        role="heading" if kind in ("heading", "title") else "inline",
        region=region,
        region_text=text[region[0] : region[1]],
        start=begin,
        continuation=continuation,
        hard_break=hard_break,
        newline=newline,
        links=links,
    )


def _join_lines(contents: list[str], children: list[Token]) -> tuple[str, str]:
    """The message of a multi-line paragraph: soft breaks become spaces, hard breaks newlines."""
    hard_wanted = sum(1 for c in children if c.type == "hardbreak")
    style = "\\"
    parts: list[str] = []
    hard_found = 0
    for i, content in enumerate(contents):
        piece = content.strip() if i else content.rstrip()
        if i == len(contents) - 1:
            parts.append(piece)
            break
        if content.endswith("\\") and not content.endswith("\\\\"):
            parts.append(piece[:-1].rstrip() + "\n")
            hard_found += 1
        elif content.endswith("  "):
            parts.append(piece + "\n")
            style = "  " if not hard_found else style
            hard_found += 1
        else:
            parts.append(piece + " ")
    if hard_found != hard_wanted:  # a trailing backslash inside code, say: no hard breaks then
        return " ".join(c.strip() for c in contents).strip(), style
    return "".join(parts).strip(" \t"), style


def _protect_links(msgid: str) -> tuple[str, tuple[str, ...]]:
    """Replace each inline link destination by its number; () if that would change the markup."""
    if "](" not in msgid:
        return msgid, ()
    out: list[str] = []
    links: list[str] = []
    i = 0
    search = 0
    while (j := msgid.find("](", search)) >= 0:
        search = j + 2
        pos = j + 2
        p = pos
        while p < len(msgid) and msgid[p] in " \t\n":
            p += 1
        dest = parseLinkDestination(msgid, p, len(msgid))
        if not dest.ok:
            continue
        r = dest.pos
        while r < len(msgid) and msgid[r] in " \t\n":
            r += 1
        if r < len(msgid) and msgid[r] != ")" and r > dest.pos:
            title = parseLinkTitle(msgid, r, len(msgid))
            if title.ok:
                r = title.pos
                while r < len(msgid) and msgid[r] in " \t\n":
                    r += 1
        if r >= len(msgid) or msgid[r] != ")":
            continue
        links.append(msgid[pos:r])
        out.append(msgid[i:pos] + str(len(links)))
        i = r
        search = r
    out.append(msgid[i:])
    protected = "".join(out)
    if not links or _link_shape(protected, numbered=True) != _link_shape(msgid, numbered=False) or len(links) != _count_links(msgid):
        return msgid, ()
    return protected, tuple(links)


def _inline_tokens(source: str) -> list[Token]:
    tokens = parser().parseInline(source)
    return tokens[0].children or [] if tokens else []


def _link_shape(source: str, numbered: bool) -> list[tuple[str, str]]:
    shape = []
    for token in _inline_tokens(source):
        if token.type in ("link_open", "image"):
            shape.append((token.type, "" if not numbered else str(token.attrGet("href") or token.attrGet("src"))))
        else:
            shape.append((token.type, token.content))
    if numbered:  # links numbered 1, 2, 3... in order
        numbers = [href for kind, href in shape if kind in ("link_open", "image")]
        if numbers != [str(n) for n in range(1, len(numbers) + 1)]:
            return [("mismatch", "")]
        shape = [(kind, "" if kind in ("link_open", "image") else content) for kind, content in shape]
    return shape


def _count_links(source: str) -> int:
    return sum(1 for t in _inline_tokens(source) if t.type in ("link_open", "image") and t.markup != "autolink")


def _destination(raw: str) -> str:
    dest = parseLinkDestination(raw.strip(), 0, len(raw.strip()))
    return dest.str if dest.ok else raw.strip()


def _cell_block(token, kind, text, lines, starts, first, row_cursor) -> MarkdownBlock | None:
    line = _line_text(lines, first)
    cursor = row_cursor.get(first, 0)
    # Cells are the pieces between unescaped pipes, as markdown-it splits them.
    pipes = [i for i, ch in enumerate(line) if ch == "|" and _unescaped(line, i)]
    edges = [-1, *pipes, len(line)]
    for a, b in zip(edges, edges[1:]):
        if a + 1 < cursor:
            continue
        segment = line[a + 1 : b]
        stripped = segment.strip()
        if stripped.replace("\\|", "|") == token.content and stripped:
            at = a + 1 + (len(segment) - len(segment.lstrip()))
            row_cursor[first] = b
            msgid, links = _protect_links(token.content)
            return MarkdownBlock(
                kind=kind,
                raw=line[at : at + len(stripped)],
                line=first + 1,
                msgid=msgid,
                comment="links: " + ", ".join(f"{n} = {_destination(d)}" for n, d in enumerate(links, 1)) if links else "",
                role="cell",
                start=starts[first] + at,
                links=links,
            )
    return None


def _unescaped(line: str, i: int) -> bool:
    backslashes = 0
    while i - backslashes - 1 >= 0 and line[i - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 0


# ---------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------


def render(document: Document, lookup: Lookup, language: str, untranslated_mark: str = "") -> str:
    """The article in ``language``: translations in place, every other byte as in the source.

    ``untranslated_mark`` is put before the text of every body block left in the
    source language (the preview site marks those blocks with the source's ``lang``).
    """
    localize_dates = language != document.meta.get("source-language")
    parts: list[str] = []
    for block in document.blocks:
        replacement = None
        if isinstance(block, MarkdownBlock):
            if block.role == "date":
                replacement = _render_date(block, language) if localize_dates else None
            elif block.translatable:
                translation = lookup(block)
                if translation:
                    replacement = _render_translation(block, translation)
                if replacement is None and untranslated_mark and block.role in ("inline", "cell", "heading"):
                    replacement = untranslated_mark + block.raw
        parts.append(block.raw if replacement is None else replacement)
    return "".join(parts)


def localized_markdown(
    document: Document, lookup: Lookup, language: str, untranslated_mark: str = ""
) -> tuple[str, dict[str, str]]:
    """The localized article split into its body and its (translated) front-matter strings."""
    rendered = render(document, lookup, language, untranslated_mark)
    fields: dict[str, str] = {}
    for block in document.blocks:
        if isinstance(block, MarkdownBlock) and block.role == "field" and block.kind == "title":
            fields["title"] = (lookup(block) or block.msgid or "").strip()
    lines = _LINE.findall(rendered)
    front = _front_matter_end(lines)
    if front is not None:
        return "".join(lines[front[1] + 1 :]), fields
    return rendered, fields


def _render_translation(block: MarkdownBlock, translation: str) -> str | None:
    if block.role == "field":
        return _yaml_value(translation.strip(), block)
    text = _restore_links(translation.strip(), block.links)
    if text is None:
        return None
    text = _escape_new_html(text, block.msgid or "")
    if block.role == "cell":
        text = re.sub(r"\s*\n\s*", " ", text)
        return "".join("\\|" if ch == "|" and _unescaped(text, i) else ch for i, ch in enumerate(text))
    if block.role == "heading":
        text = re.sub(r"\s*\n\s*", " ", text)
        if text.endswith("#") and not text.endswith("\\#"):
            text = text[:-1] + "\\#"  # else it would be read as the closing sequence
        return _placed(block, text)
    pieces = [piece.strip() for piece in re.split(r"\n+", text)]
    joined = (block.hard_break + block.newline + block.continuation).join(pieces)
    return _placed(block, joined)


def _placed(block: MarkdownBlock, text: str) -> str | None:
    """``text`` if it keeps the block's structure, else escaped, else None."""
    for candidate in (text, _escape_line_starts(text)):
        if _same_structure(block, candidate):
            return candidate
    return None


def _same_structure(block: MarkdownBlock, replacement: str) -> bool:
    at = block.start - block.region[0]
    changed = block.region_text[:at] + replacement + block.region_text[at + len(block.raw) :]
    return _shape(changed) == _shape(block.region_text)


def _shape(source: str) -> list[tuple[str, str, str]]:
    return [(t.type, t.tag, t.markup) for t in parser().parse(source) if t.type != "inline"]


_BLOCK_START = re.compile(r"^([ \t]*)([#>+*=\-|<`~_]|\d{1,9}(?=[.)]))")


def _escape_line_starts(text: str) -> str:
    def escape(line: str) -> str:
        match = _BLOCK_START.match(line)
        if not match:
            return line
        indent, lead = match.group(1), match.group(2)
        if lead[0].isdigit():
            return line[: match.end()] + "\\" + line[match.end() :]
        return indent + "\\" + line[len(indent) :]

    return "\n".join(escape(line) for line in text.split("\n"))


def _restore_links(text: str, links: tuple[str, ...]) -> str | None:
    if not links:
        return text
    failed = False

    def put_back(match: re.Match[str]) -> str:
        nonlocal failed
        number = int(match.group(1))
        if not 1 <= number <= len(links):
            failed = True
            return match.group(0)
        return "](" + links[number - 1] + ")"

    restored = _LINK_NUMBER.sub(put_back, text)
    return None if failed else restored


def _escape_new_html(text: str, msgid: str) -> str:
    """Backslash-escape inline HTML the source message did not have (``\\<script>``)."""
    allowed = Counter(t.content for t in _inline_tokens(msgid) if t.type == "html_inline")
    out: list[str] = []
    cursor = 0
    for token in _inline_tokens(text):
        if token.type != "html_inline":
            continue
        at = text.find(token.content, cursor)
        if at < 0:
            continue
        if allowed[token.content] > 0:
            allowed[token.content] -= 1
            out.append(text[cursor : at + len(token.content)])
        else:
            out.append(text[cursor:at] + "\\" + token.content)
        cursor = at + len(token.content)
    out.append(text[cursor:])
    return "".join(out)


def _yaml_value(value: str, block: MarkdownBlock) -> str:
    if block.yaml_style == "toml":
        return json.dumps(re.sub(r"\s*\n\s*", " ", value), ensure_ascii=False)  # a TOML basic string
    trailing = block.raw[len(block.raw.rstrip()) :] if block.yaml_style in ("|", ">") else ""
    value = re.sub(r"\s*\n\s*", " ", value)
    if block.yaml_style is None and _plain_ok(value):
        return value + trailing
    if block.yaml_style == "'" and "\n" not in value:
        return "'" + value.replace("'", "''") + "'" + trailing
    return json.dumps(value, ensure_ascii=False) + trailing


def _plain_ok(value: str) -> bool:
    try:
        return yaml.safe_load(f"k: {value}") == {"k": value} and yaml.safe_load(f"k: [{value}]") == {"k": [value]}
    except yaml.YAMLError:
        return False


def _render_date(block: MarkdownBlock, language: str) -> str | None:
    localized = localize_date(block.value, language)
    if localized is None:
        return None
    return _yaml_value(localized, block)
