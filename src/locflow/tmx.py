"""TMX 1.4: the exchange format of translation memories (OmegaT, Trados, memoQ, Weblate, Okapi).

A TMX file is a list of translation units (``<tu>``), each holding one
variant per language (``<tuv xml:lang="hy"><seg>…</seg></tuv>``). The header's
``srclang`` names the source language (or ``*all*``). locflow writes gettext
message contexts as ``<prop type="x-context">``, as Okapi and Weblate do, and
reads them back.

Reading takes the text of every ``<seg>``, inline elements included: the
content of ``<bpt>``, ``<ept>``, ``<ph>`` and ``<it>`` is the native code they
stand for (``<b>``, ``%s``), so the string is what the original file held.
Parsing never reaches the network and never expands external entities.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from . import __version__
from .files import write_atomic
from .errors import LocflowError

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CONTEXT_PROP = "x-context"
ANY_SOURCE = "*all*"


class TMXError(LocflowError):
    """A TMX (or other XML) file that cannot be read."""


@dataclass(frozen=True)
class Unit:
    """One translation unit: a source string and its translations, by language tag."""

    source: str
    targets: dict[str, str]
    context: str | None = None
    note: str = ""


@dataclass
class Memory:
    """The content of a TMX file."""

    source_language: str
    units: list[Unit] = field(default_factory=list)

    def languages(self) -> list[str]:
        return sorted({tag for unit in self.units for tag in unit.targets})


def parse_xml(path: Path) -> etree._ElementTree:
    """Parse an XML file safely (no network, no external entities); errors name file and line."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_blank_text=False)
    try:
        return etree.parse(str(path), parser)
    except OSError as exc:
        raise TMXError(f"cannot read: {exc}", path) from None
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        message = exc.msg.split(", line ")[0] if exc.msg else "malformed XML"
        raise TMXError(f"not well-formed XML: {message}", path, line) from None


def same_language(tag: str, code: str) -> bool:
    """Whether a language tag (``hy-AM``, ``ru``) names the language ``code`` (``hy``, ``pt_BR``)."""
    a = tag.replace("_", "-").lower()
    b = code.replace("_", "-").lower()
    return a == b or a.split("-")[0] == b.split("-")[0] and ("-" not in a or "-" not in b)


def read_tmx(path: Path) -> Memory:
    """Read a TMX file into a :class:`Memory`."""
    tree = parse_xml(path)
    root = tree.getroot()
    if etree.QName(root).localname != "tmx":
        raise TMXError(f"not a TMX file (the root element is <{etree.QName(root).localname}>, not <tmx>)", path, root.sourceline)
    header = root.find("header")
    if header is None or not header.get("srclang"):
        line = header.sourceline if header is not None else root.sourceline
        raise TMXError("the <header> needs a srclang attribute (the source language, e.g. srclang=\"en\")", path, line)
    srclang = header.get("srclang")
    memory = Memory(srclang)
    body = root.find("body")
    if body is None:
        return memory
    for tu in body.iter("tu"):
        unit = _read_unit(tu, srclang, path)
        if unit is not None:
            memory.units.append(unit)
    return memory


def _read_unit(tu: etree._Element, srclang: str, path: Path) -> Unit | None:
    unit_lang = tu.get("srclang") or srclang
    variants: list[tuple[str, str]] = []
    for tuv in tu.findall("tuv"):
        lang = tuv.get(XML_LANG) or tuv.get("lang")  # TMX 1.1 used lang=
        if not lang:
            raise TMXError("a <tuv> needs an xml:lang attribute", path, tuv.sourceline)
        seg = tuv.find("seg")
        if seg is None:
            raise TMXError("a <tuv> needs a <seg>", path, tuv.sourceline)
        variants.append((lang, "".join(seg.itertext())))
    if unit_lang == ANY_SOURCE:
        # Any variant may be the source; the reader of the memory decides.
        return Unit(source="", targets=dict(variants), context=_context(tu), note=_note(tu)) if variants else None
    source = next((text for lang, text in variants if lang.lower() == unit_lang.lower()), None)
    if source is None:
        source = next((text for lang, text in variants if same_language(lang, unit_lang)), None)
    if source is None or not source:
        return None  # a unit without its source variant cannot be matched
    targets = {lang: text for lang, text in variants if not same_language(lang, unit_lang) and text}
    return Unit(source=source, targets=targets, context=_context(tu), note=_note(tu))


def _context(tu: etree._Element) -> str | None:
    for prop in tu.findall("prop"):
        if prop.get("type") == CONTEXT_PROP:
            return prop.text or ""
    return None


def _note(tu: etree._Element) -> str:
    return "\n".join(note.text or "" for note in tu.findall("note")).strip()


def source_for(unit: Unit, memory: Memory, source_language: str) -> str | None:
    """The source text of a unit in ``source_language`` (units of a ``*all*`` memory carry it as a variant)."""
    if unit.source:
        return unit.source if same_language(memory.source_language, source_language) or memory.source_language == ANY_SOURCE else None
    return next((text for lang, text in unit.targets.items() if same_language(lang, source_language)), None)


def tmx_bytes(memory: Memory) -> bytes:
    """A TMX 1.4 document for ``memory``; the same memory always gives the same bytes."""
    root = etree.Element("tmx", version="1.4")
    etree.SubElement(
        root,
        "header",
        creationtool="locflow",
        creationtoolversion=__version__,
        segtype="block",
        datatype="plaintext",
        adminlang="en",
        srclang=memory.source_language,
        **{"o-tmf": "gettext"},
    )
    body = etree.SubElement(root, "body")
    for unit in memory.units:
        tu = etree.SubElement(body, "tu")
        if unit.note:
            etree.SubElement(tu, "note").text = _xml_safe(unit.note)
        if unit.context is not None:
            etree.SubElement(tu, "prop", type=CONTEXT_PROP).text = _xml_safe(unit.context)
        variants = [(memory.source_language, unit.source)] if unit.source else []
        variants += sorted(unit.targets.items())
        for lang, text in variants:
            tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang})
            etree.SubElement(tuv, "seg").text = _xml_safe(text)
    etree.indent(root, space="  ")
    return etree.tostring(
        etree.ElementTree(root), xml_declaration=True, encoding="UTF-8", doctype='<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
    ) + b"\n"


def _xml_safe(text: str) -> str:
    """XML 1.0 cannot hold most control characters; TMX writers drop them."""
    return "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 0x20 and ch not in "\ufffe\uffff")


def write_tmx(memory: Memory, path: Path) -> bool:
    """Write ``memory`` to ``path`` atomically if it changed; returns whether it was written."""
    data = tmx_bytes(memory)
    if path.exists() and path.read_bytes() == data:
        return False
    write_atomic(path, data)
    return True


def merge_units(existing: Iterable[Unit], new: Iterable[Unit]) -> list[Unit]:
    """``existing`` then the units of ``new`` not already there (same context, source and targets).

    Units with the same context and source are combined: a language missing
    from the existing unit is taken from the new one; an existing translation
    is never replaced.
    """
    merged: dict[tuple[str | None, str], Unit] = {}
    order: list[tuple[str | None, str]] = []
    for unit in [*existing, *new]:
        key = (unit.context, unit.source)
        if key not in merged:
            merged[key] = unit
            order.append(key)
            continue
        old = merged[key]
        targets = {**unit.targets, **old.targets}
        if targets != old.targets:
            merged[key] = Unit(old.source, dict(sorted(targets.items())), old.context, old.note or unit.note)
    return [merged[key] for key in order]


def normalized(memory: Memory, source_language: str) -> Memory:
    """``memory`` with ``source_language`` as its source: units without that source are left out.

    A ``*all*`` memory (any variant may be the source) becomes an ordinary one,
    and a memory written in another source language gives no units.
    """
    result = Memory(source_language)
    for unit in memory.units:
        source = source_for(unit, memory, source_language)
        if not source:
            continue
        targets = {lang: text for lang, text in unit.targets.items() if not same_language(lang, source_language) and text}
        if targets:
            result.units.append(Unit(source, dict(sorted(targets.items())), unit.context, unit.note))
    return result
