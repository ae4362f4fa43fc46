"""HTML articles: strings found in the source text, translations spliced back in place.

What is a string:

* the text of block elements (``p``, ``h1``-``h6``, ``li``, ``blockquote``,
  ``td``, ``th``, ``figcaption``, ``dt``, ``dd``, ``title``, ...) with its
  inline elements (``a``, ``em``, ``strong``, ``code``, ``span``, ``br``,
  ``img``, ...) kept in the message as the source writes them: ``Read the
  <em>full</em> <a href="/report">report</a>``. A block that holds other
  blocks gives one message per run of text between them. Whitespace in the
  text is collapsed to one space.
* the attributes ``alt``, ``title``, ``placeholder`` and ``aria-label``, and
  the ``content`` of ``<meta name="description">`` (and its Open Graph and
  Twitter cousins), each a message of its own (entities decoded).

Never a string: ``script``, ``style``, ``pre``, ``svg``, ``math``,
``template``, ``textarea``, comments, and text inside ``code``, ``kbd``,
``samp`` and ``var`` does not make a run a message.

How the page is read and written: a small tokenizer finds every tag, comment,
declaration and text with its offsets in the source, and a tree is built with
HTML's implied end tags (``<p>`` closed by the next block, ``<li>`` by the
next item ...). Each string remembers where it is in the source, and a
localized page is the source text with only the translated text (and ``lang``
and ``dir`` on ``<html>``) replaced: DOCTYPE, XML declarations, comments,
entities, attribute values (never re-encoded), void and self-closing elements
(``<img/>`` stays ``<img/>``) and all whitespace outside translated text come
back byte for byte.

A translation may use only the inline elements its source message has (the
same tags with the same attributes, compared after decoding; the values of
translatable attributes such as ``title`` may change); any other tag (a
``<script>`` above all), comment or unbalanced tag is escaped and shows as
text.

Every step is linear in the size of the page: the tokenizer is one pass of a
regular expression, the tree builder keeps counts of open elements so an
implied end tag never searches a deep stack for nothing, and the runs are
found in one walk.
"""

from __future__ import annotations

import copy
import html as html_lib
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree
from lxml import html as lxml_html
from markupsafe import Markup

from ..config import Settings
from ..document import Block, Document, Lookup, line_of
from ..errors import SourceError
from ..languages import get_language

if TYPE_CHECKING:
    from . import PreviewPage

NAME = "html"

BLOCKS = {
    "address", "article", "aside", "blockquote", "body", "button", "caption", "center", "dd", "details", "dialog",
    "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hgroup", "hr", "label", "legend", "li", "main", "menu", "nav", "ol", "option", "p", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul", "head", "html", "video", "audio",
    "iframe", "select", "textarea", "input", "meta", "link", "noscript", "picture", "source", "track", "object",
}
INLINE = {
    "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "del", "dfn", "em", "i", "ins", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr", "img",
    "font", "tt", "big", "strike", "acronym", "nobr",
}
NEVER = {"script", "style", "pre", "svg", "math", "template", "noscript", "textarea", "iframe", "object", "xmp"}
CODE_LIKE = {"code", "kbd", "samp", "var"}
ATTRIBUTES = ("alt", "title", "placeholder", "aria-label")
META_NAMES = {"description", "og:title", "og:description", "twitter:title", "twitter:description"}
VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    "keygen", "frame", "basefont", "bgsound", "command",
}
RAW_TEXT = {"script", "style", "xmp", "iframe", "noembed", "noframes", "textarea", "title", "plaintext"}

_KINDS = {
    "p": "paragraph", "li": "list item", "blockquote": "blockquote", "td": "table cell", "th": "table header",
    "title": "title", "figcaption": "caption", "caption": "caption", "dt": "term", "dd": "definition",
    "h1": "heading", "h2": "heading", "h3": "heading", "h4": "heading", "h5": "heading", "h6": "heading",
}
_WORD = re.compile(r"[^\W\d_]")
_SPACE = re.compile(r"\s+")
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);?")
_PARSER = lxml_html.HTMLParser(encoding="utf-8")

# One token of HTML: a comment, a declaration (DOCTYPE), CDATA, a processing instruction
# (<?xml ...?>), an end tag or a start tag with its attributes. Anything else is text.
_ATTRIBUTE = r"""(?:[\s/]*[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]*))?)"""
_TOKEN = re.compile(
    r"(?P<comment><!--.*?(?:-->|\Z))"
    r"|(?P<cdata><!\[CDATA\[.*?(?:\]\]>|\Z))"
    r"|(?P<decl><![^>]*>?)"
    r"|(?P<pi><\?[^>]*>?)"
    r"|(?P<end></(?P<end_name>[A-Za-z][^\s/>]*)[^>]*>)"
    rf"|(?P<start><(?P<name>[A-Za-z][^\s/>]*)(?P<attrs>{_ATTRIBUTE}*)\s*(?P<slash>/?)>)",
    re.DOTALL,
)
_ATTR = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]*)))?""")


@dataclass
class Attr:
    name: str  # lowercase
    value: str  # decoded
    start: int  # offsets of the value's text (inside its quotes) in the source
    end: int
    quote: str  # '"', "'" or "" (unquoted) ; None-like "" with start == end for a bare attribute


@dataclass
class Node:
    """An element (``tag``), a text (``tag == "#text"``) or a comment and the like (``"#other"``)."""

    tag: str
    start: int  # the node's first offset (its start tag for an element)
    end: int  # offset after the node (after its end tag, or its last child, or its start tag)
    open_end: int = 0  # offset after the start tag
    attrs: list[Attr] = field(default_factory=list)
    children: list["Node"] = field(default_factory=list)
    parent: "Node | None" = None
    line: int = 1
    has_block: bool = False  # a block or never-string element somewhere inside

    def get(self, name: str) -> Attr | None:
        for attr in self.attrs:
            if attr.name == name:
                return attr
        return None


def _attributes(text: str, offset: int) -> list[Attr]:
    found: list[Attr] = []
    for match in _ATTR.finditer(text):
        name = match.group(1).lower()
        for group in (2, 3, 4):
            if match.group(group) is not None:
                quote = {2: '"', 3: "'", 4: ""}[group]
                found.append(Attr(name, html_lib.unescape(match.group(group)), offset + match.start(group), offset + match.end(group), quote))
                break
        else:
            found.append(Attr(name, "", offset + match.end(), offset + match.end(), ""))
    return found


def tokens(text: str) -> Iterator[tuple[str, int, int, re.Match | None]]:
    """("text" | "comment" | "decl" | "cdata" | "pi" | "start" | "end", start, end, match) in order."""
    position = 0
    length = len(text)
    while position < length:
        at = text.find("<", position)
        if at < 0:
            yield "text", position, length, None
            return
        match = _TOKEN.match(text, at)
        if match is None:
            # a "<" that starts no tag is text: find the next one
            nxt = text.find("<", at + 1)
            end = length if nxt < 0 else nxt
            yield "text", position, end, None
            position = end
            continue
        if at > position:
            yield "text", position, at, None
        kind = next(k for k in ("comment", "cdata", "decl", "pi", "end", "start") if match.group(k) is not None)
        yield kind, match.start(), match.end(), match
        position = match.end()
        if kind == "start" and not match.group("slash"):
            name = match.group("name").lower()
            if name in RAW_TEXT:  # its content is text up to its end tag
                close = re.compile(rf"</{re.escape(name)}[\s/>]", re.IGNORECASE).search(text, position)
                stop = close.start() if close else length
                if stop > position:
                    yield "raw", position, stop, None
                position = stop


# Elements an opening tag closes implicitly when they are open, and the elements that stop the search.
_CLOSES_P = {
    "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "main",
    "menu", "nav", "ol", "p", "pre", "listing", "section", "summary", "table", "ul", "li", "dd", "dt", "plaintext", "xmp",
}
_IMPLIED = {
    "li": ({"li"}, {"ul", "ol", "menu", "dir", "table", "body", "html"}),
    "dt": ({"dt", "dd"}, {"dl", "table", "body", "html"}),
    "dd": ({"dt", "dd"}, {"dl", "table", "body", "html"}),
    "tr": ({"tr", "td", "th"}, {"table", "tbody", "thead", "tfoot", "html"}),
    "td": ({"td", "th"}, {"tr", "table", "html"}),
    "th": ({"td", "th"}, {"tr", "table", "html"}),
    "tbody": ({"tbody", "thead", "tfoot", "tr", "td", "th"}, {"table", "html"}),
    "thead": ({"tbody", "thead", "tfoot", "tr", "td", "th"}, {"table", "html"}),
    "tfoot": ({"tbody", "thead", "tfoot", "tr", "td", "th"}, {"table", "html"}),
    "option": ({"option"}, {"select", "datalist", "optgroup", "html"}),
    "optgroup": ({"option", "optgroup"}, {"select", "html"}),
    "body": ({"head"}, {"html"}),
}
_P_SCOPE = {"html", "body", "table", "td", "th", "caption", "button", "object", "template", "marquee", "applet"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def build_tree(text: str) -> Node:
    """The document as a tree of :class:`Node` with source offsets (a root of tag ``#document``)."""
    root = Node("#document", 0, len(text), 0)
    stack = [root]
    open_count: Counter[str] = Counter()
    line_starts = _line_starts(text)

    def pop_to(index: int, end: int) -> None:
        while len(stack) > index:
            node = stack.pop()
            open_count[node.tag] -= 1
            node.end = max(node.end, end)
            parent = node.parent
            if parent is not None and (node.has_block or node.tag in BLOCKS or node.tag in NEVER):
                parent.has_block = True

    def close_implied(targets: set[str], boundaries: set[str], at: int) -> None:
        if not any(open_count[t] for t in targets):
            return
        for index in range(len(stack) - 1, 0, -1):
            tag = stack[index].tag
            if tag in targets:
                pop_to(index, at)
                return
            if tag in boundaries:
                return

    for kind, start, end, match in tokens(text):
        parent = stack[-1]
        if kind in ("text", "raw"):
            parent.children.append(Node("#text" if kind == "text" else "#raw", start, end, parent=parent))
            parent.end = max(parent.end, end)
            continue
        if kind != "start" and kind != "end":
            parent.children.append(Node("#" + kind, start, end, parent=parent))
            continue
        if kind == "end":
            name = match.group("end_name").lower()
            if open_count[name]:
                for index in range(len(stack) - 1, 0, -1):
                    if stack[index].tag == name:
                        pop_to(index, end)
                        break
            continue
        name = match.group("name").lower()
        if name in _IMPLIED:
            close_implied(*_IMPLIED[name], start)
        if name in _CLOSES_P and open_count["p"]:
            close_implied({"p"}, _P_SCOPE, start)
        if name in _HEADINGS and stack[-1].tag in _HEADINGS:
            pop_to(len(stack) - 1, start)
        parent = stack[-1]
        node = Node(
            name, start, end, end, _attributes(match.group("attrs"), match.start("attrs")), parent=parent,
            line=line_of(start, line_starts),
        )
        parent.children.append(node)
        if name in VOID or match.group("slash"):
            if name in BLOCKS or name in NEVER:
                parent.has_block = True
            continue
        stack.append(node)
        open_count[name] += 1
    pop_to(1, len(text))
    return root


def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer("\n", text)]


# ---------------------------------------------------------------------------
# Finding the units: runs of inline content inside block elements, and attributes
# ---------------------------------------------------------------------------


def _is_inline(node: Node) -> bool:
    return node.tag in ("#text", "#raw") or (node.tag in INLINE and not node.has_block)


@dataclass
class Unit:
    """A string of the page: a run of inline content (``attr`` None) or an attribute's value."""

    element: Node
    start: int  # source offsets of the text the translation replaces
    end: int
    msgid: str
    kind: str
    line: int
    attr: Attr | None = None
    nodes: tuple[Node, ...] = ()


def _units(text: str, root: Node) -> list[Unit]:
    found: list[Unit] = []
    line_starts = _line_starts(text)
    walk = [root]
    while walk:
        element = walk.pop()
        if element.tag in NEVER:
            continue
        for name in ATTRIBUTES:
            attr = element.get(name)
            if attr is not None and _WORD.search(attr.value):
                found.append(Unit(element, attr.start, attr.end, _collapse(attr.value), f"{name} attribute", element.line, attr))
        if element.tag == "meta":
            key = element.get("name") or element.get("property")
            content = element.get("content")
            if key is not None and key.value.lower() in META_NAMES and content is not None and _WORD.search(content.value):
                found.append(Unit(element, content.start, content.end, _collapse(content.value), f"meta {key.value}", element.line, content))
        if not (element.tag in INLINE and not element.has_block):  # an inline element is part of its parent's run
            run: list[Node] = []
            for child in [*element.children, None]:
                if child is not None and _is_inline(child):
                    run.append(child)
                    continue
                if run:
                    unit = _run_unit(text, element, run, line_starts)
                    if unit is not None:
                        found.append(unit)
                    run = []
        for child in reversed(element.children):
            if not child.tag.startswith("#"):
                walk.append(child)
    found.sort(key=lambda u: (u.start, u.attr is not None))
    return found


def _run_unit(text: str, element: Node, run: list[Node], line_starts: list[int]) -> Unit | None:
    if not _run_has_words(text, run):
        return None
    # Empty elements at the edges (an <a name="..."></a> anchor, a <br>) are not the translator's to move.
    first, last = 0, len(run) - 1
    while _blank(text, run[first]):
        first += 1
    while _blank(text, run[last]):
        last -= 1
    run = run[first : last + 1]
    start, end = run[0].start, run[-1].end
    source = text[start:end]
    lead = len(source) - len(source.lstrip())
    trail = len(source) - len(source.rstrip())
    start, end = start + lead, end - trail
    kind = _KINDS.get(element.tag, "text") if element.tag != "h1" else "h1"
    return Unit(element, start, end, _message(text[start:end]), kind, line_of(start, line_starts), nodes=tuple(run))


def _blank(text: str, node: Node) -> bool:
    if node.tag in ("#text", "#raw"):
        return not text[node.start : node.end].strip()
    return all(_blank(text, child) for child in node.children)


def _run_has_words(text: str, nodes) -> bool:
    for node in nodes:
        if node.tag in ("#text", "#raw"):
            if _WORD.search(_ENTITY.sub(" ", text[node.start : node.end])):
                return True
        elif node.tag not in CODE_LIKE and not node.tag.startswith("#") and _run_has_words(text, node.children):
            return True
    return False


def _collapse(value: str) -> str:
    return _SPACE.sub(" ", value).strip()


def _message(source: str) -> str:
    """A run's message: its source with whitespace collapsed (inside tags, outside quoted values)."""
    out: list[str] = []
    for kind, start, end, _ in tokens(source):
        piece = source[start:end]
        if kind == "start":
            piece = re.sub(r"""("[^"]*"|'[^']*')|\s+""", lambda m: m.group(1) or " ", piece)
        elif kind in ("text", "raw"):
            piece = _SPACE.sub(" ", piece)
        out.append(piece)
    return "".join(out).strip()


# ---------------------------------------------------------------------------
# Parse and render
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class HtmlBlock(Block):
    """A string of an HTML page with where it is in the source."""

    start: int = 0
    end: int = 0
    attr_quote: str | None = None  # for an attribute: its quote character ("" unquoted); None for a run


class HtmlDocument(Document):
    """An HTML article: one block holds the whole source, the others are its strings (with no raw text).

    :meth:`render` splices translations into the source text, never by joining blocks.
    """

    def render(self, lookup: Lookup, language: str, escape=None) -> str:  # noqa: ARG002 - sanitize() escapes
        return render(self, lookup, language)


def load(text: str, path: Path | None = None):
    """The document as an lxml tree (a whole page, or a fragment wrapped in html/body by lxml)."""
    if not text.strip():
        raise SourceError("empty HTML document", path)
    try:
        return lxml_html.document_fromstring(text.encode("utf-8"), parser=_PARSER)
    except (etree.ParserError, ValueError):
        pass
    try:  # a fragment with no element (only a comment, say): lxml wants a body to put it in
        return lxml_html.document_fromstring(f"<html><body>{text}</body></html>".encode("utf-8"), parser=_PARSER)
    except (etree.ParserError, ValueError) as exc:
        raise SourceError(f"cannot parse HTML: {exc}", path) from None


def parse(text: str, path: Path, slug: str, settings: Settings) -> Document:
    """The strings of an HTML article, in document order."""
    if not text.strip():
        raise SourceError("empty HTML document", path)
    root = build_tree(text)
    doc = HtmlDocument(slug=slug, path=path, format=NAME)
    doc.meta["source-language"] = settings.source_language.code
    # The source is kept whole; each string is a block with no raw text of its own.
    doc.blocks.append(Block(kind="document", raw=text, line=1))
    for unit in _units(text, root):
        comment = f"<{unit.element.tag}>" if unit.attr is not None else ""
        doc.blocks.append(
            HtmlBlock(
                kind=unit.kind, raw="", line=unit.line, msgid=unit.msgid, comment=comment,
                start=unit.start, end=unit.end, attr_quote=unit.attr.quote if unit.attr is not None else None,
            )
        )
    # The page's <title> is its title; without one, its first top-level heading.
    has_title = any(b.kind == "title" for b in doc.blocks)
    for index, block in enumerate(doc.blocks):
        if block.kind == "h1":
            doc.blocks[index] = replace(block, kind="heading" if has_title else "title")
            has_title = True
    if doc.title:
        doc.meta["title"] = doc.title
    return doc


def localized_text(document: Document, lookup: Lookup, language: str, untranslated: dict[str, str] | None = None) -> str:
    """The page in ``language``: the source text with translations spliced in and ``lang``/``dir`` set.

    With ``untranslated`` (attributes such as ``{"lang": "en", "dir": "ltr"}``), each
    element whose text all stayed in the source language, with no translated text
    inside it, gets those attributes.
    """
    source = document.render_source()
    blocks = [b for b in document.blocks if isinstance(b, HtmlBlock)]
    edits: list[tuple[int, int, str]] = []
    attribute_translations: list[tuple[HtmlBlock, str]] = []
    run_translations: list[tuple[HtmlBlock, str]] = []
    left: list[HtmlBlock] = []
    for block in blocks:
        translation = lookup(block)
        if not translation:
            if block.attr_quote is None:
                left.append(block)
            continue
        (attribute_translations if block.attr_quote is not None else run_translations).append((block, translation))
    runs = sorted(run_translations, key=lambda item: item[0].start)
    inside: dict[int, list[tuple[HtmlBlock, str]]] = {}
    run_index = 0
    for block, translation in sorted(attribute_translations, key=lambda item: item[0].start):
        while run_index < len(runs) and runs[run_index][0].end <= block.start:
            run_index += 1
        if run_index < len(runs) and runs[run_index][0].start <= block.start < runs[run_index][0].end:
            inside.setdefault(runs[run_index][0].start, []).append((block, translation))
        else:
            edits.append((block.start, block.end, _attribute_text(translation.strip(), block.attr_quote)))
    for block, translation in runs:
        text = sanitize(translation, block.msgid or "")
        attrs = {(b.msgid, b.kind.removesuffix(" attribute")): t for b, t in inside.get(block.start, [])}
        if attrs:
            text = _translate_attributes(text, attrs)
        edits.append((block.start, block.end, text))
    if untranslated:
        edits += _marks(source, left, [b for b, _ in runs], untranslated)
    edits += _html_language(source, document, language)
    edits.sort(key=lambda e: (e[0], e[1]))
    out: list[str] = []
    cursor = 0
    for start, end, text in edits:
        if start < cursor:
            continue  # never overlaps; be safe
        out.append(source[cursor:start])
        out.append(text)
        cursor = end
    out.append(source[cursor:])
    return "".join(out)


def _attribute_text(value: str, quote: str | None) -> str:
    value = _SPACE.sub(" ", value).replace("&", "&amp;")
    if quote == "'":
        return value.replace("'", "&#39;")
    value = value.replace('"', "&quot;")
    return value if quote == '"' else f'"{value}"'


def _translate_attributes(text: str, attrs: dict[tuple[str, str], str]) -> str:
    """Put attribute translations into the tags of a translated run that kept the source value."""
    edits = []
    for kind, start, end, match in tokens(text):
        if kind != "start":
            continue
        for attr in _attributes(match.group("attrs"), match.start("attrs")):
            translation = attrs.get((_collapse(attr.value), attr.name))
            if translation is not None:
                edits.append((attr.start, attr.end, _attribute_text(translation.strip(), attr.quote)))
    for start, end, value in reversed(edits):
        text = text[:start] + value + text[end:]
    return text


def _html_language(source: str, document: Document, language: str) -> list[tuple[int, int, str]]:
    root = build_tree(source) if "<html" in source.lower() else None
    element = next((n for n in (root.children if root else []) if n.tag == "html"), None)
    if element is None:
        return []
    if language == document.meta.get("source-language"):
        return []  # the source page as it is
    lang = get_language(language)
    edits = []
    lang_attr, dir_attr = element.get("lang"), element.get("dir")
    insert_at = element.start + len("<html")
    if lang_attr is not None:
        edits.append(_set_value(source, lang_attr, lang.bcp47))
    else:
        edits.append((insert_at, insert_at, f' lang="{lang.bcp47}"'))
    if dir_attr is not None:
        edits.append(_set_value(source, dir_attr, lang.direction))
    elif lang.is_rtl:
        edits.append((insert_at, insert_at, f' dir="{lang.direction}"'))
    return edits


def _set_value(source: str, attr: Attr, value: str) -> tuple[int, int, str]:
    """The edit that gives ``attr`` the (plain ASCII) ``value``, whether it was quoted, unquoted or bare."""
    if attr.quote:
        return attr.start, attr.end, value
    if attr.start == attr.end and not source[: attr.start].rstrip().endswith("="):
        return attr.start, attr.end, f'="{value}"'
    return attr.start, attr.end, f'"{value}"'



def _marks(source: str, left: list[HtmlBlock], translated: list[HtmlBlock], attributes: dict[str, str]) -> list[tuple[int, int, str]]:
    """Insertions of ``attributes`` into the start tags of elements whose runs all stayed untranslated."""
    root = build_tree(source)
    owner: dict[int, Node] = {}  # run start -> the element holding it
    for unit in _units(source, root):
        if unit.attr is None:
            owner[unit.start] = unit.element
    holding: set[int] = set()
    for block in translated:
        element = owner.get(block.start)
        while element is not None:
            holding.add(id(element))
            element = element.parent
    edits = []
    done: set[int] = set()
    for block in left:
        element = owner.get(block.start)
        if element is None or id(element) in holding or id(element) in done or element.tag in ("html", "body", "#document"):
            continue
        if element.get("lang") is not None:
            continue
        done.add(id(element))
        at = element.start + 1 + len(element.tag)
        edits.append((at, at, "".join(f' {name}="{html_lib.escape(value)}"' for name, value in attributes.items())))
    return edits


def render(document: Document, lookup: Lookup, language: str) -> str:
    """The page in ``language``; with no translations, the source with only ``lang``/``dir`` changed.

    A whole page gets ``lang`` and ``dir`` on ``<html>``; a fragment (no
    ``<html>`` element) stays a fragment, for a template that sets them.
    """
    return localized_text(document, lookup, language)


def localized_tree(document: Document, lookup: Lookup, language: str, untranslated: dict[str, str] | None = None):
    """The localized page parsed by lxml (for the preview site and tests)."""
    return load(localized_text(document, lookup, language, untranslated), document.path)


# Set on the elements left in the source language while the preview's page is made, then taken off.
_FALLBACK = "data-locflow-untranslated"


def body_html(document: Document, lookup: Lookup, page: PreviewPage) -> Markup:
    """The inner HTML of the localized page's ``<body>`` for the preview: scripts, styles
    and event handlers taken out (the preview shows the article, never runs it),
    elements whose text stayed in the source language marked with ``page.fallback``,
    images' addresses (``src``, ``srcset``) through ``page.image``."""
    fallback = page.fallback
    untranslated = None
    if fallback is not None:  # the class is added in the tree: the element may have one already
        untranslated = {name: value for name, value in fallback.attributes.items() if name != "class"}
        untranslated[_FALLBACK] = ""
    root = localized_tree(document, lookup, page.language.code, untranslated)
    body = root.find("body")
    if body is None:
        return Markup("")
    for node in list(body.iter("script", "style", "noscript", "template")):
        node.getparent().remove(node)
    label = lxml_html.fragments_fromstring(str(fallback.label)) if fallback is not None else []
    classes = fallback.attributes.get("class", "") if fallback is not None else ""
    # Depth first, knowing whether an ancestor is marked already (its mark covers what it holds).
    stack = [(child, False) for child in reversed(body)]
    while stack:
        element, covered = stack.pop()
        if not isinstance(element.tag, str):
            continue
        for name in [n for n in element.attrib if n.lower().startswith("on")]:
            del element.attrib[name]
        if _FALLBACK in element.attrib:
            del element.attrib[_FALLBACK]
            if not covered:
                _add_label(element, classes, label)
                covered = True
        if element.tag in ("img", "source"):
            _rewrite_images(element, page)
        stack.extend((child, covered) for child in reversed(element))
    parts = [html_lib.escape(body.text or "", quote=False)]
    parts += [lxml_html.tostring(child, encoding="unicode", with_tail=True) for child in body]
    return Markup("".join(parts))


def _add_label(element, classes: str, label: list) -> None:
    """Add ``classes`` to the element's and put (copies of) the ``label`` elements first inside it."""
    if classes:
        element.set("class", " ".join(filter(None, (element.get("class", ""), classes))))
    if element.tag in VOID or not label:
        return
    copies = [copy.deepcopy(part) for part in label if not isinstance(part, str)]
    if not copies:
        return
    copies[-1].tail = (copies[-1].tail or "") + (element.text or "")
    element.text = None
    for index, part in enumerate(copies):
        element.insert(index, part)


def _rewrite_images(element, page: PreviewPage) -> None:
    source = element.get("src")
    if source is not None:
        image = page.image(source)
        if image is not None:
            element.set("src", image)
    srcset = element.get("srcset")
    if srcset:
        candidates = []
        for candidate in srcset.split(","):
            address, _, descriptor = candidate.strip().partition(" ")
            image = page.image(address) if address else None
            candidates.append(" ".join(filter(None, (image or address, descriptor.strip()))))
        element.set("srcset", ", ".join(candidates))


# ---------------------------------------------------------------------------
# What a translation may contain
# ---------------------------------------------------------------------------


def _signature(name: str, attrs: list[Attr]) -> tuple[str, tuple[tuple[str, str], ...]]:
    return name, tuple(sorted((a.name, "" if a.name in ATTRIBUTES else a.value) for a in attrs))


def signatures(markup: str) -> Counter:
    """The start tags of ``markup`` as (name, attributes) with translatable attribute values blanked."""
    found: Counter = Counter()
    for kind, _, _, match in tokens(markup):
        if kind == "start":
            found[_signature(match.group("name").lower(), _attributes(match.group("attrs"), match.start("attrs")))] += 1
    return found


def sanitize(translation: str, msgid: str) -> str:
    """The translation as HTML to put in the page, with only the msgid's own inline elements.

    Tags the message did not have, comments, declarations and tags left
    unbalanced are escaped, so they show as text.
    """
    budget = signatures(msgid)
    text = translation.strip()
    pieces: list[tuple[str, str, bool]] = []  # (kind, text, kept)
    open_tags: list[tuple[str, int]] = []  # (name, index in pieces) of kept start tags awaiting their end
    for kind, start, end, match in tokens(text):
        piece = text[start:end]
        if kind in ("text", "raw"):
            pieces.append(("text", piece, True))
        elif kind == "start":
            name = match.group("name").lower()
            signature = _signature(name, _attributes(match.group("attrs"), match.start("attrs")))
            keep = budget[signature] > 0 and name not in NEVER
            if keep:
                budget[signature] -= 1
                if name not in VOID and not match.group("slash"):
                    open_tags.append((name, len(pieces)))
            pieces.append(("start", piece, keep))
        elif kind == "end":
            name = match.group("end_name").lower()
            keep = bool(open_tags) and open_tags[-1][0] == name
            if keep:
                open_tags.pop()
            pieces.append(("end", piece, keep))
        else:
            pieces.append((kind, piece, False))
    unclosed = {index for _, index in open_tags}
    out = []
    for index, (kind, piece, keep) in enumerate(pieces):
        if kind == "text":
            out.append(piece.replace("<", "&lt;"))
        elif keep and index not in unclosed:
            out.append(piece)
        else:
            out.append(piece.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
    return "".join(out)


def same_dom(a, b) -> bool:
    """Whether two lxml trees are the same DOM: tags, attributes, text and tails, in order."""
    if a.tag != b.tag or dict(a.attrib) != dict(b.attrib) or (a.text or "") != (b.text or "") or (a.tail or "") != (b.tail or ""):
        return False
    return len(a) == len(b) and all(same_dom(x, y) for x, y in zip(a, b))
