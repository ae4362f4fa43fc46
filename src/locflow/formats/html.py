"""HTML articles, read with lxml.

What is a string:

* the text of block elements (``p``, ``h1``-``h6``, ``li``, ``blockquote``,
  ``td``, ``th``, ``figcaption``, ``dt``, ``dd``, ``title``, ...) with its
  inline elements (``a``, ``em``, ``strong``, ``code``, ``span``, ``br``, ...)
  kept in the message as markup: ``Read the <em>full</em> <a
  href="/report">report</a>``. A block that holds other blocks gives one
  message per run of text between them. Whitespace is collapsed.
* the attributes ``alt``, ``title``, ``placeholder`` and ``aria-label``, and
  the ``content`` of ``<meta name="description">`` (and its Open Graph and
  Twitter cousins), each a message of its own.

Never a string: ``script``, ``style``, ``pre``, ``code`` blocks, ``svg``,
``math``, ``template``, comments.

A translation may use only the inline elements its source message has (the
same tags with the same attributes, compared after parsing); any other tag
(a ``<script>`` above all) is escaped and shows as text. The rendered page is
the source document with translations put in and ``<html lang=... dir=...>``
set; with no translations it has the same DOM as the source.
"""

from __future__ import annotations

import copy
import html as html_lib
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from ..config import Settings
from ..document import Block, Document, Lookup
from ..errors import SourceError
from ..languages import get_language

NAME = "html"

BLOCKS = {
    "address", "article", "aside", "blockquote", "body", "button", "caption", "dd", "details", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "label", "legend", "li", "main", "nav", "ol", "option", "p", "section", "summary", "table", "tbody", "td",
    "tfoot", "th", "thead", "title", "tr", "ul", "head", "html", "img", "video", "audio", "iframe", "select",
    "textarea", "input", "meta", "link", "noscript",
}
INLINE = {
    "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "del", "dfn", "em", "i", "ins", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr",
}
NEVER = {"script", "style", "pre", "svg", "math", "template", "noscript", "textarea", "iframe", "object"}
CODE_LIKE = {"code", "kbd", "samp", "var"}
ATTRIBUTES = ("alt", "title", "placeholder", "aria-label")
META_NAMES = {"description", "og:title", "og:description", "twitter:title", "twitter:description"}

_KINDS = {
    "p": "paragraph", "li": "list item", "blockquote": "blockquote", "td": "table cell", "th": "table header",
    "title": "title", "figcaption": "caption", "caption": "caption", "dt": "term", "dd": "definition",
    "h1": "heading", "h2": "heading", "h3": "heading", "h4": "heading", "h5": "heading", "h6": "heading",
}
_WORD = re.compile(r"[^\W\d_]")
_PARSER = lxml_html.HTMLParser(encoding="utf-8")
_SPACE = re.compile(r"\s+")


def _is_element(node) -> bool:
    return isinstance(node, etree._Element) and isinstance(node.tag, str)


def _tag(node) -> str:
    return node.tag.lower() if _is_element(node) else ""


def load(text: str, path: Path | None = None):
    """The document tree (a whole page, or a fragment wrapped in html/body by lxml)."""
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


# ---------------------------------------------------------------------------
# Finding the units: runs of inline content inside block elements
# ---------------------------------------------------------------------------


class Run:
    """A run of inline content in ``parent``: a leading text and the inline children ``start:stop``.

    The leading text is ``parent.text`` when ``lead``, else the tail of child ``start - 1`` (the
    block element the run follows).
    """

    def __init__(self, parent, lead: bool, start: int, stop: int):
        self.parent, self.lead, self.start, self.stop = parent, lead, start, stop

    @property
    def children(self) -> list:
        return list(self.parent)[self.start : self.stop]

    def leading_text(self) -> str:
        if self.lead:
            return self.parent.text or ""
        return list(self.parent)[self.start - 1].tail or ""

    def set_leading_text(self, value: str | None) -> None:
        if self.lead:
            self.parent.text = value
        else:
            list(self.parent)[self.start - 1].tail = value


def _contains_block(element) -> bool:
    return any(_tag(node) in BLOCKS or _tag(node) in NEVER for node in element.iterdescendants())


def _has_words(run: Run) -> bool:
    if _WORD.search(run.leading_text()):
        return True
    for child in run.children:
        if _is_element(child) and _tag(child) not in CODE_LIKE:
            if _WORD.search("".join(t for t in _texts(child))):
                return True
        if _WORD.search(child.tail or ""):
            return True
    return False


def _texts(element) -> Iterator[str]:
    yield element.text or ""
    for child in element:
        if _is_element(child) and _tag(child) not in CODE_LIKE:
            yield from _texts(child)
        yield child.tail or ""


def _run_markup(run: Run) -> str:
    """The run as HTML: text escaped, inline elements serialized, whitespace collapsed."""
    parts = [html_lib.escape(run.leading_text(), quote=False)]
    for child in run.children:
        parts.append(_serialize(child))
    return _SPACE.sub(" ", "".join(parts)).strip()


def _serialize(node) -> str:
    if not _is_element(node):  # comment or processing instruction: keep as written
        return etree.tostring(node, encoding="unicode", with_tail=False) + html_lib.escape(node.tail or "", quote=False)
    clone = copy.deepcopy(node)
    for el in clone.iter():
        if isinstance(el.tag, str):
            if el.text:
                el.text = _SPACE.sub(" ", el.text)
        if el.tail and el is not clone:
            el.tail = _SPACE.sub(" ", el.tail)
    clone.tail = None
    return lxml_html.tostring(clone, encoding="unicode", with_tail=False) + html_lib.escape(node.tail or "", quote=False)


def _units(root) -> Iterator[tuple[str, object]]:
    """("run", Run) and ("attr", (element, name)) in document order."""
    for element in root.iter():
        if not _is_element(element) or any(_tag(a) in NEVER for a in element.iterancestors()) or _tag(element) in NEVER:
            continue
        for name in ATTRIBUTES:
            value = element.get(name)
            if value and _WORD.search(value):
                yield "attr", (element, name)
        if _tag(element) == "meta" and (element.get("name") or element.get("property") or "").lower() in META_NAMES:
            if _WORD.search(element.get("content") or ""):
                yield "attr", (element, "content")
        if _tag(element) in INLINE and not _contains_block(element):
            continue  # inside its parent's run
        for run in _runs_direct(element):
            if _has_words(run):
                yield "run", run


def _runs_direct(element) -> Iterator[Run]:
    """The runs directly inside ``element`` (not inside its block children)."""
    children = list(element)
    start, lead = 0, True
    for index, child in enumerate(children):
        if _is_element(child) and _tag(child) in INLINE and not _contains_block(child):
            continue
        if not _is_element(child) and not isinstance(child, etree._Comment):
            continue
        yield Run(element, lead, start, index)
        start, lead = index + 1, False
    yield Run(element, lead, start, len(children))


def _run_kind(run: Run) -> str:
    return _KINDS.get(_tag(run.parent), "text")


# ---------------------------------------------------------------------------
# Parse and render
# ---------------------------------------------------------------------------


class HtmlDocument(Document):
    """An HTML article: one block holds the whole source, the others are its strings (with no raw text).

    :meth:`render` re-renders the page from the DOM, never by joining blocks.
    """

    def render(self, lookup: Lookup, language: str, escape=None) -> str:  # noqa: ARG002 - sanitize() escapes
        return render(self, lookup, language)


def parse(text: str, path: Path, slug: str, settings: Settings) -> Document:
    """The strings of an HTML article, in document order."""
    root = load(text, path)
    doc = HtmlDocument(slug=slug, path=path, format=NAME)
    doc.meta["source-language"] = settings.source_language.code
    # The source is kept whole; each string is a block with no raw text of its own.
    doc.blocks.append(Block(kind="document", raw=text, line=1))
    for kind, unit in _units(root):
        if kind == "attr":
            element, name = unit
            value = _SPACE.sub(" ", element.get(name)).strip()
            label = "meta " + (element.get("name") or element.get("property")) if name == "content" else f"{name} attribute"
            doc.blocks.append(Block(kind=label, raw="", line=element.sourceline or 1, msgid=value, comment=f"<{_tag(element)}>"))
            continue
        run = unit
        kind = _run_kind(run) if _tag(run.parent) != "h1" else "h1"
        doc.blocks.append(Block(kind=kind, raw="", line=run.parent.sourceline or 1, msgid=_run_markup(run)))
    # The page's <title> is its title; without one, its first top-level heading.
    has_title = any(b.kind == "title" for b in doc.blocks)
    for index, block in enumerate(doc.blocks):
        if block.kind == "h1":
            doc.blocks[index] = replace(block, kind="heading" if has_title else "title")
            has_title = True
    if doc.title:
        doc.meta["title"] = doc.title
    return doc


def localized_tree(document: Document, lookup: Lookup, language: str, untranslated: dict[str, str] | None = None):
    """The document tree with translations put in and ``lang``/``dir`` set on ``<html>``.

    With ``untranslated`` (attributes such as ``{"lang": "en", "dir": "ltr"}``), each
    element whose text all stayed in the source language, with no translated text
    inside it, gets those attributes.
    """
    source = document.render_source()
    root = load(source, document.path)
    blocks = [b for b in document.blocks if b.translatable]
    units = list(_units(root))
    if len(units) != len(blocks):  # the source changed since parse: never misplace a translation
        raise SourceError("the article changed while it was being built", document.path)
    attribute_jobs = []
    run_jobs = []
    left: list = []  # elements with a run left in the source language
    for (kind, unit), block in zip(units, blocks):
        translation = lookup(block)
        if not translation:
            if kind != "attr":
                left.append(unit.parent)
            continue
        if kind == "attr":
            attribute_jobs.append((unit, translation))
        else:
            run_jobs.append((unit, block, translation))
    # Replace runs from the last to the first, so earlier runs' child indexes stay valid.
    inserted = []
    for run, block, translation in reversed(run_jobs):
        inserted += _replace_run(run, block.msgid or "", translation)
    # An attribute inside a translated run is on the translator's copy of the element now.
    moved = {}
    for (element, name), translation in attribute_jobs:
        if _attached(element, root):
            element.set(name, translation)
        else:
            moved[(name, element.get(name))] = translation
    for node in inserted:
        for element in node.iter():
            for name in (*ATTRIBUTES, "content"):
                if (name, element.get(name)) in moved:
                    element.set(name, moved[(name, element.get(name))])
    if untranslated:
        _mark_untranslated(left, [unit.parent for unit, _, _ in run_jobs], untranslated)
    lang = get_language(language)
    in_source_language = language == document.meta.get("source-language")
    if _tag(root) == "html" and not (in_source_language and "lang" not in root.attrib):
        root.set("lang", lang.bcp47)
        if lang.is_rtl or "dir" in root.attrib:
            root.set("dir", lang.direction)
    return root


def _mark_untranslated(left: list, translated: list, attributes: dict[str, str]) -> None:
    holding = {id(element) for element in translated}
    for element in translated:  # an element holding a translation anywhere inside it is not marked
        holding.update(id(ancestor) for ancestor in element.iterancestors())
    for element in left:
        if id(element) not in holding and "lang" not in element.attrib and _tag(element) not in ("html", "body"):
            for name, value in attributes.items():
                element.set(name, value)


_WHOLE_PAGE = re.compile(r"<html[\s>]", re.IGNORECASE)
_DOCTYPE = re.compile(r"^\s*<!doctype", re.IGNORECASE)


def render(document: Document, lookup: Lookup, language: str) -> str:
    """The page in ``language``; with no translations, the same DOM as the source.

    A whole page gets ``lang`` and ``dir`` on ``<html>``; a fragment (no
    ``<html>`` element) stays a fragment, for a template that sets them.
    """
    source = document.render_source()
    root = localized_tree(document, lookup, language)
    if not _WHOLE_PAGE.search(source):
        parts = []
        for section in root:
            parts.append(html_lib.escape(section.text or "", quote=False))
            parts += [lxml_html.tostring(child, encoding="unicode", with_tail=True) for child in section]
        return "".join(parts)
    doctype = root.getroottree().docinfo.doctype if _DOCTYPE.match(source) else ""
    page = lxml_html.tostring(root, encoding="unicode", method="html")
    return (doctype + "\n" if doctype else "") + page + "\n"


def body_html(document: Document, lookup: Lookup, language: str, untranslated: dict[str, str] | None = None) -> str:
    """The inner HTML of the localized page's ``<body>`` (for the site preview); ``untranslated``
    as for :func:`localized_tree`."""
    root = localized_tree(document, lookup, language, untranslated)
    body = root.find("body")
    if body is None:
        return ""
    for node in list(body.iter("script", "style", "noscript", "template")):
        node.getparent().remove(node)  # the preview shows the article, never runs it
    for element in body.iter():
        if _is_element(element):
            for name in [n for n in element.attrib if n.lower().startswith("on")]:
                del element.attrib[name]
    parts = [html_lib.escape(body.text or "", quote=False)]
    parts += [lxml_html.tostring(child, encoding="unicode", with_tail=True) for child in body]
    return "".join(parts)


def _attached(element, root) -> bool:
    return element is root or any(ancestor is root for ancestor in element.iterancestors())


def _replace_run(run: Run, msgid: str, translation: str) -> list:
    nodes_text, nodes = sanitize(translation, msgid)
    leading = run.leading_text()
    old_children = run.children
    lead_space = leading[: len(leading) - len(leading.lstrip())]
    last_tail = (old_children[-1].tail or "") if old_children else leading
    trail_space = last_tail[len(last_tail.rstrip()) :]
    parent = run.parent
    position = run.start
    for child in old_children:
        parent.remove(child)
    if nodes:
        nodes[-1].tail = (nodes[-1].tail or "") + trail_space
        run.set_leading_text(lead_space + nodes_text)
        for offset, node in enumerate(nodes):
            parent.insert(position + offset, node)
    else:
        run.set_leading_text(lead_space + nodes_text + trail_space)
    return nodes


def _signature(element) -> tuple[str, tuple[tuple[str, str], ...]]:
    attrs = tuple(sorted((k, "" if k in ATTRIBUTES else v) for k, v in element.attrib.items()))
    return _tag(element), attrs


def _fragment(markup: str):
    return lxml_html.fragment_fromstring(f"<div>{markup}</div>")


def sanitize(translation: str, msgid: str) -> tuple[str, list]:
    """The translation as (leading text, nodes), with only the msgid's own inline elements.

    Any tag the message did not have is escaped and shows as text.
    """
    allowed = Counter(_signature(el) for el in _fragment(msgid).iter() if _is_element(el))
    allowed.pop(("div", ()), None)

    def acceptable(markup: str) -> bool:
        try:
            fragment = _fragment(markup)
        except (etree.ParserError, ValueError):
            return False
        seen = Counter()
        for el in fragment.iterdescendants():
            if not _is_element(el):
                return False  # comments and processing instructions are never added
            seen[_signature(el)] += 1
        return all(count <= allowed[sig] for sig, count in seen.items())

    text = translation.strip()
    if not acceptable(text):
        # Escape each tag the message did not have; keep the ones it had.
        budget = allowed.copy()

        def escape_tag(match: re.Match[str]) -> str:
            tag = match.group(0)
            if tag.startswith("</"):
                name = tag[2:].strip("> \t\n").lower()
                if any(sig[0] == name for sig in allowed):
                    return tag
                return html_lib.escape(tag, quote=False)
            try:
                element = _fragment(tag)[0] if len(_fragment(tag)) else None
            except (etree.ParserError, ValueError, IndexError):
                element = None
            if element is not None and budget[_signature(element)] > 0:
                budget[_signature(element)] -= 1
                return tag
            return html_lib.escape(tag, quote=False)

        text = re.sub(r"<!--.*?-->|<[^<>]*>?", escape_tag, text, flags=re.S)
        if not acceptable(text):
            text = html_lib.escape(translation.strip(), quote=False)
    fragment = _fragment(text)
    nodes = list(fragment)
    for node in nodes:
        fragment.remove(node)
    return fragment.text or "", nodes


def same_dom(a, b) -> bool:
    """Whether two trees are the same DOM: tags, attributes, text and tails, in order."""
    if a.tag != b.tag or dict(a.attrib) != dict(b.attrib) or (a.text or "") != (b.text or "") or (a.tail or "") != (b.tail or ""):
        return False
    return len(a) == len(b) and all(same_dom(x, y) for x, y in zip(a, b))
