"""Plain-text articles, as scraped from the site's pages (like the seed article).

How a page is read:

* Lines are grouped into paragraphs at blank lines; a paragraph that spans
  several lines becomes one message, its lines joined by a space.
* Lines matching ``[tool.locflow.text] chrome`` (``top of page``,
  ``bottom of page``, the advertisement line) are page furniture, kept in the
  rendered article as they are and never offered for translation.
* The first paragraph is the title. The scraped page repeats it; every
  paragraph equal to the title is the same message, with one reference each.
* The date line (``Updated: Jan 12``, ``text.dateline``) becomes the message
  ``Updated: {date}`` (python-brace-format): translators translate the label
  and may move ``{date}``; at build time the date is written in the target
  language's own format by Babel (``12 янв.``, ``12 հնվ``). Untranslated, the
  line stays as in the source.
* A one-line paragraph no longer than ``text.heading-max-length`` that ends in
  a colon is a heading; everything else is a paragraph.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from ..config import Settings
from ..document import Block, Document, Lookup, Placeholder

if TYPE_CHECKING:
    from . import PreviewPage

NAME = "text"

_LINE = re.compile(r"[^\n]*\n|[^\n]+$")
_NEWLINE = re.compile(r"\r?\n$")


def _content(line: str) -> str:
    return _NEWLINE.sub("", line).strip()


def parse(text: str, path: Path, slug: str, settings: Settings) -> Document:
    """Split a scraped page into chrome, title, date line, headings and paragraphs."""
    doc = Document(slug=slug, path=path, format=NAME)
    doc.meta["source-language"] = settings.source_language.code
    lines = _LINE.findall(text)
    options = settings.text
    title: str | None = None
    group: list[tuple[int, str]] = []  # (line number, line) of the current paragraph

    def flush() -> None:
        nonlocal title
        if not group:
            return
        first_no = group[0][0]
        raw = "".join(line for _, line in group)
        joined = " ".join(_content(line) for _, line in group)
        before = group[0][1][: len(group[0][1]) - len(group[0][1].lstrip())]
        last = group[-1][1]
        after = last[len(last.rstrip()) :]
        single_line = len(group) == 1
        group.clear()
        dateline = options.dateline.fullmatch(joined) if options.dateline else None
        if dateline:
            label_end, date_start, date_end = dateline.end("label"), dateline.start("date"), dateline.end("date")
            msgid = (
                joined[:label_end].replace("{", "{{").replace("}", "}}")
                + joined[label_end:date_start]
                + "{date}"
                + joined[date_end:].replace("{", "{{").replace("}", "}}")
            )
            doc.blocks.append(
                Block(
                    kind="dateline",
                    raw=raw,
                    line=first_no,
                    msgid=msgid,
                    before=before,
                    after=after,
                    comment=(
                        f"keep {{date}}: it is replaced by the date ({dateline.group('date')}) "
                        "written in your language's own date format"
                    ),
                    flags=("python-brace-format",),
                    placeholders=(Placeholder("date", dateline.group("date"), kind="date"),),
                )
            )
            return
        if title is None or joined == title:
            kind = "title"
            title = joined
        elif single_line and joined.endswith(":") and len(joined) <= options.heading_max_length:
            kind = "heading"
        else:
            kind = "paragraph"
        doc.blocks.append(
            Block(kind=kind, raw=raw, line=first_no, msgid=joined, before=before, after=after)
        )

    for number, line in enumerate(lines, start=1):
        content = _content(line)
        if not content:
            flush()
            doc.blocks.append(Block(kind="blank", raw=line, line=number))
        elif any(pattern.fullmatch(content) for pattern in options.chrome):
            flush()
            doc.blocks.append(Block(kind="chrome", raw=line, line=number))
        else:
            group.append((number, line))
    flush()
    if title is not None:
        doc.meta["title"] = title
    return doc


def render(document: Document, lookup: Lookup, language: str) -> str:
    """The page in ``language``: translated blocks in place, everything else as in the source.

    In the source language the page comes back byte for byte. In any other
    language it is the article without the page chrome: chrome lines are left
    out with the blank lines that only separated them, so the text starts with
    the title and ends with the article's last paragraph.
    """
    if language == document.meta.get("source-language") or not any(b.kind == "chrome" for b in document.blocks):
        return document.render(lookup, language)
    return _without_chrome(document).render(lookup, language)


def _without_chrome(document: Document) -> Document:
    kept: list[Block] = []
    after_chrome = False
    for block in document.blocks:
        if block.kind == "chrome":
            after_chrome = True
            continue
        if block.kind == "blank" and (not kept or (after_chrome and kept[-1].kind == "blank")):
            continue  # a blank line that only separated chrome from the article
        after_chrome = after_chrome and block.kind == "blank"
        kept.append(block)
    end = len(kept)
    while end and kept[end - 1].kind == "blank":
        end -= 1
    trailing = kept[end:]
    kept = kept[:end]
    if kept and trailing and not kept[-1].raw.endswith(("\n", "\r")):
        kept.append(trailing[0])  # the article's last line had no newline of its own
    return Document(slug=document.slug, path=document.path, format=document.format, blocks=kept, meta=document.meta)


_TAGS = {"title": "h1", "heading": "h2", "paragraph": "p", "dateline": "p"}


def body_html(document: Document, lookup: Lookup, page: PreviewPage) -> Markup:
    """The article for the preview: the title once (the scraped page repeats it), then
    each block as a heading or paragraph; no chrome. Text is escaped; a block left in
    the source language gets ``page.fallback``'s attributes and label."""
    parts: list[str] = []
    seen_title = False
    for block in document.translatable_blocks():
        if block.kind == "title":
            if seen_title:
                continue
            seen_title = True
        translation = lookup(block)
        text = block.fill(translation, page.language.code) if translation else None
        attributes = {"class": block.kind} if block.kind == "dateline" else {}
        label = Markup("")
        if text is None:
            text = block.raw.strip() if block.placeholders else (block.msgid or "")
            if page.fallback is not None:
                classes = " ".join(filter(None, (attributes.get("class"), page.fallback.attributes.get("class"))))
                attributes = {**attributes, **page.fallback.attributes}
                if classes:
                    attributes["class"] = classes
                label = page.fallback.label
        tag = _TAGS.get(block.kind, "p")
        attrs = "".join(f' {name}="{escape(value)}"' for name, value in attributes.items())
        parts.append(f"<{tag}{attrs}>{label}{escape(text)}</{tag}>")
    return Markup("\n".join(parts))
