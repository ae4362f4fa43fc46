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
from typing import TYPE_CHECKING

import yaml
from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkDestination, parseLinkLabel
from markdown_it.token import Token
from markupsafe import Markup, escape
from mdit_py_plugins.footnote import footnote_plugin

from ..config import Section, Settings
from ..document import Block, Document, Lookup, line_of
from ..errors import SourceError
from ..languages import localize_date

if TYPE_CHECKING:
    from . import Fallback, PreviewPage

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
_LINK_NUMBER = re.compile(r'\]\([ \t]*(\d{1,3})(?:[ \t]+"((?:[^"\\\n]|\\.)*)")?[ \t]*\)')
# Hugo shortcodes: {{< name args >}} and {{% name args %}}
SHORTCODE = re.compile(r"\{\{[<%].*?[>%]\}\}", re.DOTALL)
# kramdown's inline attribute lists and extensions: {:toc}, {: .class}
_KRAMDOWN_IAL = re.compile(r"\{:[^{}\n]*\}")
# Heading attributes at the end of a heading: {#id}, {#id .class key=value}, kramdown's {: #id}
_HEADING_ATTRIBUTES = re.compile(r"[ \t]+\{:?[ \t]*[#.][^{}\n]*\}[ \t]*$")
# MDX: import and export statements, which are JavaScript, not prose
_MDX_STATEMENT = re.compile(
    r"""^(?:import\s+(?:[\w*{}\s,$]+\s+from\s+)?["'][^"'\n]+["'];?|export\s+(?:default\s+|const\s+|let\s+|var\s+|function\s*|class\s+|async\s+|\{).*)$"""
)
_WORD = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class MarkdownSettings:
    front_matter: tuple[str, ...] = DEFAULT_FRONT_MATTER
    date_fields: tuple[str, ...] = ()


def markdown_settings(settings: Settings) -> MarkdownSettings:
    """``[tool.locflow.markdown]``, parsed once with the settings (:func:`parse_settings`)."""
    return settings.section("markdown")


def parse_settings(settings: Settings) -> MarkdownSettings:
    """Validate ``[tool.locflow.markdown]``; errors name the key as ``[tool.locflow] markdown.<key>``."""
    section = Section(settings, NAME, _KEYS, dotted=True)

    def names(key: str, default: tuple[str, ...]) -> tuple[str, ...]:
        value = section.get(key, list(default))
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise section.fail(f"{section.label(key)}: expected a list of front-matter field names")
        return tuple(value)

    return MarkdownSettings(front_matter=names("front-matter", DEFAULT_FRONT_MATTER), date_fields=names("date-fields", ()))


@lru_cache(maxsize=2)
def parser(html: bool = True) -> MarkdownIt:
    """CommonMark with tables, strikethrough and footnotes; ``html=False`` shows raw HTML as text."""
    return MarkdownIt("commonmark", {"html": html}).enable(["table", "strikethrough"]).use(footnote_plugin)


@dataclass(frozen=True)
class Link:
    """What follows a link's (or image's) text in the source, which the message shows as ``(N)``.

    ``kind`` is ``inline`` (``(destination "title")``), ``full`` (``[label]``),
    ``collapsed`` (``[]``) or ``shortcut`` (nothing); ``text`` is the source's
    link text (the label of a collapsed or shortcut reference).
    """

    kind: str
    tail: str  # the source text after the closing "]"
    text: str = ""
    destination: str = ""  # inline: the destination as written
    title: str | None = None  # inline: the title's text as written (between its delimiters)
    href: str = ""  # where it points (resolved)

    def comment(self) -> str:
        return self.href or self.destination


@lru_cache(maxsize=1)
def _scanner() -> MarkdownIt:
    """The inline parser, recording where each link, image, autolink and inline HTML is in the text."""
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).use(footnote_plugin)
    rules = {rule.name: rule.fn for rule in md.inline.ruler.__rules__}

    def recording(name, rule):
        def fn(state, silent):
            start = state.pos
            label_end = -1
            if not silent and name in ("link", "image"):
                label_end = parseLinkLabel(state, start + (1 if name == "link" else 2) - 1, name == "link")
            found = rule(state, silent)
            if found and not silent:
                state.env["_spans"].append((name, start, label_end, state.pos))
            return found

        return fn

    for name in ("link", "image", "autolink", "html_inline"):
        md.inline.ruler.at(name, recording(name, rules[name]))
    md.validateLink = lambda url: True  # see every link, javascript: ones above all
    return md


def _spans(source: str, env: dict) -> tuple[list, list[Token]]:
    scan_env = {key: value for key, value in env.items() if key != "_spans"}
    scan_env["_spans"] = []
    tokens = _scanner().parseInline(source, scan_env)
    return scan_env["_spans"], (tokens[0].children or [] if tokens else [])


@dataclass(frozen=True)
class MarkdownBlock(Block):
    """A Markdown block plus what rendering needs to put a translation back."""

    role: str = "inline"  # inline | cell | heading | field | date | title
    region: tuple[int, int] = (0, 0)  # offsets of the whole lines around the block, for the structure check
    region_text: str = ""
    start: int = 0  # offset of raw in the article
    continuation: str = ""  # what starts a continuation line (blockquote marker, list indentation)
    hard_break: str = "\\"  # how the source writes a hard line break
    newline: str = "\n"
    links: tuple[Link, ...] = ()  # what follows the text of link N in the source, N from 1
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
    env: dict = {}
    tokens = parser().parse(body, env)
    doc.env = env
    spans += _body_blocks(tokens, text, lines, starts, body_line, newline, any(b.kind == "title" for b in spans), env)
    spans += _reference_titles(env, text, lines, starts, body_line)
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


_DEFINITION_TITLE = re.compile(r"""(?s)[ \t\r\n]("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\))[ \t]*(?:\r\n|\r|\n)?$""")


def _reference_titles(env: dict, text, lines, starts, offset) -> list[MarkdownBlock]:
    """The titles of link reference definitions (``[d]: /url "Title"``), each a message."""
    blocks: list[MarkdownBlock] = []
    for label, reference in (env.get("references") or {}).items():
        title, where = reference.get("title"), reference.get("map")
        if not title or not where or not _WORD.search(title):
            continue
        begin, end = starts[where[0] + offset], starts[min(where[1] + offset, len(starts) - 1)]
        match = _DEFINITION_TITLE.search(text, begin, end)
        if match is None:
            continue
        quoted = match.group(1)
        raw = quoted[1:-1]
        blocks.append(
            MarkdownBlock(
                kind="link title",
                raw=raw,
                line=line_of(match.start(1), starts),
                msgid=" ".join(title.split()),
                comment=f"title of the link [{label.lower()}] to {reference.get('href', '')}",
                role="title",
                start=match.start(1) + 1,
                value=quoted[-1],
            )
        )
    return blocks


def _skeleton(text: str, start: int, end: int, starts: list[int]) -> Block:
    return Block(kind="markup", raw=text[start:end], line=line_of(start, starts))


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
        line=line_of(base + node.start_mark.index, starts),
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
        if container == "footnote_open":
            return "footnote"
        if container == "list_item_open":
            return "list item"
        if container == "blockquote_open":
            return "blockquote"
    return "paragraph"


def _body_blocks(tokens: list[Token], text, lines, starts, offset, newline, has_title: bool, env: dict) -> list[MarkdownBlock]:
    """The strings of the body: headings, paragraphs (in lists and quotes too) and table cells."""
    blocks: list[MarkdownBlock] = []
    stack: list[str] = []
    parent: Token | None = None
    row_cursor: dict[int, int] = {}
    for token in tokens:
        if token.type in ("blockquote_open", "list_item_open", "footnote_open"):
            stack.append(token.type)
        elif token.type in ("blockquote_close", "list_item_close", "footnote_close"):
            stack.pop()
        if token.type == "html_block" and token.map is not None:
            blocks += _html_block_strings(token, text, starts, offset)
            continue
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
            block = _inline_block(token, parent, kind, text, lines, starts, offset, newline, env, heading=parent.markup.startswith("#"))
        elif parent.type in ("th_open", "td_open"):
            block = _cell_block(token, _kind(stack, parent.type), text, lines, starts, first, row_cursor, env)
        elif parent.type == "paragraph_open":
            if not stack and all(_MDX_STATEMENT.match(line.strip()) for line in token.content.split("\n")):
                continue  # MDX import/export lines are code
            block = _inline_block(token, parent, _kind(stack, parent.type), text, lines, starts, offset, newline, env, heading=False)
        else:
            block = None
        if block is not None:
            blocks.append(block)
    return blocks


def _html_block_strings(token: Token, text: str, starts: list[int], offset: int) -> list[MarkdownBlock]:
    """The strings of raw HTML in the article (``<p align="center">...</p>``), found as in an HTML article."""
    from . import html as html_format

    begin = starts[token.map[0] + offset]
    content = token.content
    if text[begin : begin + len(content)] != content:
        return []  # inside a list or quote, its lines carry markers: left as it is
    units = html_format._units(content, html_format.build_tree(content))
    runs = [(u.start, u.end) for u in units if u.attr is None]
    blocks = []
    for unit in units:
        if unit.attr is not None and any(a <= unit.start < b for a, b in runs):
            continue  # an attribute inside a run is in the run's message
        blocks.append(
            MarkdownBlock(
                kind=unit.kind if unit.kind != "h1" else "heading",
                raw=content[unit.start : unit.end],
                line=line_of(begin + unit.start, starts),
                msgid=unit.msgid,
                comment=f"HTML <{unit.element.tag}>",
                role="html" if unit.attr is None else "html-attr",
                region=(begin, begin + len(content)),
                region_text=content,
                start=begin + unit.start,
                value=unit.attr.quote if unit.attr is not None else "",
            )
        )
    return blocks


def _has_words(children: list[Token]) -> bool:
    """Text a reader reads: words outside code, autolinks, HTML and Hugo shortcodes."""
    in_autolink = False
    texts: list[str] = []
    for child in children:
        if child.type == "link_open" and child.markup == "autolink":
            in_autolink = True
        elif child.type == "link_close":
            in_autolink = False
        elif child.type == "text" and not in_autolink:
            texts.append(child.content)
        elif child.type == "image":
            texts.append(" " + (child.content or "") + " ")
        elif child.type in ("softbreak", "hardbreak"):
            texts.append("\n")
    return bool(_WORD.search(_KRAMDOWN_IAL.sub(" ", SHORTCODE.sub(" ", "".join(texts)))))


def _line_text(lines: list[str], number: int) -> str:
    return _EOL.sub("", lines[number])


def _inline_block(token, parent, kind, text, lines, starts, offset, newline, env, heading: bool) -> MarkdownBlock | None:
    first, last = token.map[0] + offset, token.map[1] + offset
    contents = token.content.split("\n")
    if len(contents) != last - first:
        return None
    attributes = _HEADING_ATTRIBUTES.search(contents[-1]) if kind in ("heading", "title") else None
    if attributes:  # "## Title {#id}": the attributes stay in the article, out of the message
        contents[-1] = contents[-1][: attributes.start()]
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
            if not core.endswith(content) and not (attributes and i == len(contents) - 1 and content in core):
                stripped = content.lstrip()
                if not core.endswith(stripped):
                    return None
                content = stripped
            if attributes and i == len(contents) - 1:
                at = core.rfind(content)
                prefixes.append(core[:at])
                contents[i] = content
                continue
            prefixes.append(core[: len(core) - len(content)])
            contents[i] = content
        begin = starts[first] + len(prefixes[0])
        last_core = _line_text(lines, last - 1).rstrip()
        end = starts[last - 1] + len(last_core)
        if attributes:
            end = starts[last - 1] + len(prefixes[-1]) + len(contents[-1])
    msgid, hard_break = _join_lines(contents, token.children or [])
    msgid, links = _protect_links(msgid, env)
    region_first = parent.map[0] + offset if parent.map else first
    region_last = parent.map[1] + offset if parent.map else last
    region = (starts[region_first], starts[region_last])
    comment = _links_comment(links)
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


def _links_comment(links: tuple[Link, ...]) -> str:
    return "links: " + ", ".join(f"{n} = {link.comment()}" for n, link in enumerate(links, 1)) if links else ""


def _protect_links(msgid: str, env: dict) -> tuple[str, tuple[Link, ...]]:
    """Replace what follows each link's and image's text by its number: ``[text](1)``, ``![alt](2 "title")``.

    Inline links, full, collapsed and shortcut references alike; the title of
    an inline link stays in the message for translators. Returns the message
    unchanged (and no links) if the numbered form would not parse as the same
    links.
    """
    if "[" not in msgid:
        return msgid, ()
    spans, tokens = _spans(msgid, env)
    links = sorted((start, label_end, end, name) for name, start, label_end, end in spans if name in ("link", "image"))
    if not links:
        return msgid, ()
    hrefs = [t.attrGet("href") if t.type == "link_open" else t.attrGet("src") for t in _flat(tokens) if t.type in ("link_open", "image") and t.markup != "autolink"]
    if len(hrefs) != len(links):
        return msgid, ()
    found: list[tuple[int, int, Link]] = []
    for (start, label_end, end, name), href in zip(links, hrefs):
        if label_end < 0:
            return msgid, ()
        text = msgid[start + (2 if name == "image" else 1) : label_end]
        tail = msgid[label_end + 1 : end]
        link = _link(tail, text, str(href or ""))
        if link is None:
            return msgid, ()
        found.append((label_end + 1, end, link))
    out: list[str] = []
    cursor = 0
    numbered = sorted(range(len(found)), key=lambda i: found[i][0])
    for index in numbered:
        start, end, link = found[index]
        out.append(msgid[cursor:start])
        title = f' "{_title_for_message(link.title)}"' if link.title is not None else ""
        out.append(f"({index + 1}{title})")
        cursor = end
    out.append(msgid[cursor:])
    protected = "".join(out)
    if _link_shape(protected, env) != _link_shape(msgid, env, source=True):
        return msgid, ()
    return protected, tuple(link for _, _, link in found)


def _flat(tokens: list[Token]):
    for token in tokens:
        yield token
        if token.type == "image" and token.children:
            yield from _flat(token.children)


def _link(tail: str, text: str, href: str) -> Link | None:
    if tail == "":
        return Link("shortcut", tail, text, href=href)
    if tail.startswith("["):
        return Link("collapsed" if tail == "[]" else "full", tail, text, href=href)
    if not (tail.startswith("(") and tail.endswith(")")):
        return None
    inner = tail[1:-1]
    p = len(inner) - len(inner.lstrip(" \t\n"))
    dest = parseLinkDestination(inner, p, len(inner))
    if not dest.ok and inner.strip():
        return None
    r = dest.pos if dest.ok else p
    destination = inner[p:r]
    rest = inner[r:].strip(" \t\n")
    title = None
    if rest:
        if len(rest) < 2 or (rest[0], rest[-1]) not in (('"', '"'), ("'", "'"), ("(", ")")):
            return None
        title = rest[1:-1]
    return Link("inline", tail, text, destination=destination, title=title, href=href)


def _title_for_message(title: str) -> str:
    """A title as the message shows it, between double quotes."""
    return re.sub(r'(?<!\\)((?:\\\\)*)"', r'\1\\"', title.replace("\n", " "))


def _inline_tokens(source: str, env: dict | None = None) -> list[Token]:
    tokens = parser().parseInline(source, dict(env or {}))
    return tokens[0].children or [] if tokens else []


def _link_shape(text: str, env: dict, source: bool = False) -> list[tuple[str, str]]:
    """Token types and texts with links reduced to their place: a numbered message must match its source."""
    shape: list[tuple[str, str]] = []
    numbers: list[str] = []
    for token in _flat(_inline_tokens(text, env)):
        if token.type in ("link_open", "image") and token.markup != "autolink":
            numbers.append(str(token.attrGet("href") if token.type == "link_open" else token.attrGet("src")))
            shape.append((token.type, ""))
        else:
            shape.append((token.type, token.content))
    if not source and numbers != [str(n) for n in range(1, len(numbers) + 1)]:
        return [("mismatch", "")]
    return shape


def _cell_block(token, kind, text, lines, starts, first, row_cursor, env) -> MarkdownBlock | None:
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
            msgid, links = _protect_links(token.content, env)
            return MarkdownBlock(
                kind=kind,
                raw=line[at : at + len(stripped)],
                line=first + 1,
                msgid=msgid,
                comment=_links_comment(links),
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
                    replacement = _render_translation(block, translation, getattr(document, "env", None))
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


# ---------------------------------------------------------------------------
# The preview site's HTML
# ---------------------------------------------------------------------------

# Put before the text of an untranslated block, then taken out again: a
# character of Unicode's private use area, which no article is expected to hold.
_UNTRANSLATED = "\ue000"


def body_html(document: Document, lookup: Lookup, page: PreviewPage) -> Markup:
    """The localized article as HTML for the preview: raw HTML shown as text (as
    markdown-it's ``html=False``), comments dropped, blocks left in the source
    language marked with ``page.fallback``, images' addresses through ``page.image``;
    a heading with the title first when the body has no ``<h1>`` (front matter only)."""
    fallback = page.fallback
    mark = _UNTRANSLATED if fallback is not None and _UNTRANSLATED not in document.render_source() else ""
    text, _fields = localized_markdown(document, lookup, page.language.code, mark)
    md = parser(html=True)
    env: dict = {}
    tokens = md.parse(text, env)
    kept = []
    for token in tokens:
        if token.type == "html_block":
            if re.fullmatch(r"\s*<!--.*?-->\s*", token.content, re.S):
                continue
            token.type = "text"  # rendered escaped
        for child in token.children or []:
            if child.type == "html_inline":
                child.type = "text"
            elif child.type == "image":
                source = child.attrGet("src")
                image = page.image(source) if isinstance(source, str) else None
                if image is not None:
                    child.attrSet("src", image)
        kept.append(token)
    if mark and fallback is not None:
        # After the source's HTML became text: the label stays HTML.
        _mark_untranslated(kept, fallback, {"lang": page.language.bcp47, "dir": page.language.direction})
    body = md.renderer.render(kept, md.options, env)
    if not re.search(r"<h1[\s>]", body):
        attributes, label = "", ""
        if fallback is not None and not page.title_translated:
            attributes = "".join(f' {name}="{escape(value)}"' for name, value in fallback.attributes.items())
            label = fallback.label
        body = f"<h1{attributes}>{label}{escape(page.title)}</h1>\n{body}"
    return Markup(body)


def _mark_untranslated(tokens: list[Token], fallback: Fallback, translated: dict[str, str]) -> None:
    """Give the block of every inline run that starts with the mark the fallback's
    attributes and label, and take the mark out. A tight list's paragraphs are not
    rendered: their item is marked. A block inside a marked one is not marked again;
    a translated block inside a marked one gets the page's ``translated`` attributes
    back (a translated item of a list nested in an English item is not English)."""
    own: dict[int, Token] = {}  # id(block) -> its inline run
    item: Token | None = None  # the last list item opened
    for index, token in enumerate(tokens):
        if token.type == "list_item_open":
            item = token
        if token.type != "inline":
            continue
        if index > 0:
            block = tokens[index - 1]
            if block.hidden and item is not None:
                block = item
            if not block.hidden and block.nesting == 1:
                own[id(block)] = token
    source_in_effect = [False]
    for token in tokens:
        if token.nesting == -1:
            source_in_effect.pop()
            continue
        if token.nesting != 1:
            continue
        inherited = source_in_effect[-1]
        run = own.get(id(token))
        untranslated = inherited if run is None else run.content.startswith(_UNTRANSLATED)
        if untranslated and not inherited and run is not None:
            for name, value in fallback.attributes.items():
                if name == "class":
                    token.attrJoin(name, value)
                else:
                    token.attrSet(name, value)
            run.children = [Token("html_inline", "", 0, content=str(fallback.label)), *(run.children or [])]
        elif inherited and not untranslated:
            for name, value in translated.items():
                token.attrSet(name, value)
        source_in_effect.append(untranslated)
    for token in tokens:
        if token.type == "inline" and _UNTRANSLATED in token.content:
            token.content = token.content.replace(_UNTRANSLATED, "")
            for child in token.children or []:
                child.content = child.content.replace(_UNTRANSLATED, "")


_TAG = re.compile(r"<[A-Za-z/!?][^<>]*>?")


def _render_translation(block: MarkdownBlock, translation: str, env: dict | None = None) -> str | None:
    env = env or {}
    if block.role == "title":  # a reference definition's title: plain text between its delimiters
        value = " ".join(translation.split()).replace("\\", "\\\\")
        for delimiter in {block.value, "(" if block.value == ")" else block.value}:
            value = value.replace(delimiter, "\\" + delimiter)
        return value
    if block.role in ("html", "html-attr"):
        from . import html as html_format

        one_line = re.sub(r"\s*\n\s*", " ", translation.strip())  # a blank line would end the HTML block
        if block.role == "html-attr":
            return html_format._attribute_text(one_line, block.value)
        text = html_format.sanitize(one_line, block.msgid or "")
        # A tag alone on its line is what makes some HTML blocks blocks: never publish one that is not.
        return text if _same_structure(block, text) else None
    if block.role == "field":
        value = translation.strip()
        if Counter(_TAG.findall(value)) - Counter(_TAG.findall(block.msgid or "")):
            return None  # markup the source value lacks never reaches the front matter
        return _yaml_value(value, block)
    text = _restore_links(translation.strip(), block.links)
    if text is None:
        return None
    text = _escape_new_html(text, block.msgid or "", env)
    source_text = _restore_links(block.msgid or "", block.links) or ""
    added = _targets(text, env) - _targets(source_text, env)
    if added:
        return None  # a link the source does not have (javascript: above all) is never published
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


def _restore_links(text: str, links: tuple[Link, ...]) -> str | None:
    """Put each link's source tail back after its ``(N)``; None if a number is not the source's."""
    out: list[str] = []
    cursor = 0
    for match in _LINK_NUMBER.finditer(text):
        number = int(match.group(1))
        if not 1 <= number <= len(links):
            return None
        link = links[number - 1]
        title = match.group(2)
        if link.kind == "inline":
            if title is None or (link.title is not None and title == _title_for_message(link.title)):
                tail = link.tail
            else:
                tail = f'({link.destination} "{title}")' if link.destination else f'(<> "{title}")'
        elif link.kind == "full":
            tail = link.tail
        else:  # collapsed or shortcut: the label is the source's text
            opening = _opening_bracket(text, match.start())
            new_text = text[opening + 1 : match.start()] if opening >= 0 else None
            same = new_text is not None and _normalized(new_text) == _normalized(link.text)
            tail = link.tail if same else f"[{link.text}]"
        out.append(text[cursor : match.start() + 1] + tail)
        cursor = match.end()
    out.append(text[cursor:])
    return "".join(out)


def _normalized(label: str) -> str:
    return " ".join(label.split()).casefold()


def _opening_bracket(text: str, close: int) -> int:
    """The offset of the "[" that the "]" at ``close`` closes, or -1."""
    depth = 0
    i = close - 1
    while i >= 0:
        ch = text[i]
        escaped = i > 0 and not _unescaped(text, i)
        if not escaped and ch == "]":
            depth += 1
        elif not escaped and ch == "[":
            if depth == 0:
                return i
            depth -= 1
        i -= 1
    return -1


def _escape_new_html(text: str, msgid: str, env: dict | None = None) -> str:
    """Backslash-escape inline HTML and autolinks the source message did not have (``\\<script>``)."""
    env = env or {}
    source_spans, _ = _spans(msgid, env)
    allowed = Counter(msgid[start:end] for name, start, _, end in source_spans if name in ("html_inline", "autolink"))
    spans, _ = _spans(text, env)
    out: list[str] = []
    cursor = 0
    for name, start, _, end in sorted(spans, key=lambda span: span[1]):
        if name not in ("html_inline", "autolink") or start < cursor:
            continue
        piece = text[start:end]
        if allowed[piece] > 0:
            allowed[piece] -= 1
        else:
            out.append(text[cursor:start] + "\\")
            cursor = start
    out.append(text[cursor:])
    return "".join(out)


def _targets(text: str, env: dict) -> Counter:
    """Where the links, images and autolinks of ``text`` point."""
    found: Counter = Counter()
    for token in _flat(_spans(text, env)[1]):
        if token.type == "link_open":
            found[("autolink" if token.markup == "autolink" else "link", token.attrGet("href"))] += 1
        elif token.type == "image":
            found[("image", token.attrGet("src"))] += 1
    return found


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
