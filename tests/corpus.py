"""The real-document corpus and the three checks every document must pass.

Used by ``tests/test_corpus.py`` and ``bench/formats.py``. The documents are
third-party files nobody here wrote: the fixtures in ``tests/data/corpus``
(sources, versions and licences in its README) and the Markdown READMEs of the
packages installed from ``requirements.lock`` (exact versions, pinned by hash),
read from their installed metadata, so nothing is fetched.

The three checks:

1. **round trip**: rendered with empty catalogs, the document is its source
   byte for byte (in the source language; in a target language too, except
   ``lang``/``dir`` on an HTML page's ``<html>``);
2. **structure**: with every message translated (a synthetic translation
   into Armenian letters) and under each pseudo-locale, the Markdown token
   structure (block tokens, inline token types, link and image targets, code,
   inline HTML) or the HTML element tree (tags and every attribute that is not
   a message) is the source's, and no English word is left in the text;
3. **msgfmt**: the template and each filled catalog pass ``msgfmt --check``.
"""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import polib

from locflow.catalogs import build_template, template_bytes
from locflow.config import settings_from_table
from locflow.drafts.pseudo import pseudo_text, split_protected
from locflow.formats import html as html_format
from locflow.formats import markdown as markdown_format
from locflow.formats import slugify
from locflow.languages import get_language

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"
# Markdown READMEs shipped in the metadata of packages the lock pins by hash.
PACKAGES = ("markdown-it-py", "mdit-py-plugins", "rich", "rapidfuzz", "hypothesis", "click", "jinja2", "filelock", "playwright")
SETTINGS = settings_from_table({"languages": ["hy"]}, Path("."))
_ARMENIAN = "աբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆ"


@dataclass
class Document:
    name: str  # corpus/file or package:name
    text: str
    suffix: str  # ".md" or ".html"


def documents() -> list[Document]:
    """Every document of the corpus, fixtures first, then package READMEs."""
    found = []
    for path in sorted(CORPUS.rglob("*")):
        if path.suffix in (".md", ".html") and path.name != "README.md" or path.parent != CORPUS and path.name == "README.md":
            found.append(Document(path.relative_to(CORPUS).as_posix(), path.read_bytes().decode("utf-8"), path.suffix))
    for name in PACKAGES:
        meta = importlib.metadata.distribution(name).metadata
        if meta.get("Description-Content-Type", "").startswith("text/markdown") and meta.get_payload():
            version = importlib.metadata.version(name)
            found.append(Document(f"package:{name}-{version}", meta.get_payload(), ".md"))
    return found


def translate(text: str) -> str:
    """A synthetic translation: every letter outside protected pieces becomes an Armenian letter."""
    out = []
    for protected, piece in split_protected(text):
        if protected:
            out.append(piece)
        else:
            out.append(re.sub(r"[A-Za-z]", lambda m: _ARMENIAN[ord(m.group()) % len(_ARMENIAN)], piece))
    return "".join(out)


LOOKUPS = {
    "translated": lambda msgid: translate(msgid),
    "en_XA": lambda msgid: pseudo_text(msgid, get_language("en_XA")),
    "ar_XB": lambda msgid: pseudo_text(msgid, get_language("ar_XB")),
}
LANGUAGE_OF = {"translated": "hy", "en_XA": "en_XA", "ar_XB": "ar_XB"}


@dataclass
class Result:
    name: str
    messages: int = 0
    problems: dict[str, list[str]] = field(default_factory=lambda: {"round trip": [], "structure": [], "msgfmt": []})

    def passed(self, check: str) -> bool:
        return not self.problems[check]


def parse(document: Document):
    module = markdown_format if document.suffix == ".md" else html_format
    path = Path(f"source/{slugify(document.name)}{document.suffix}")
    return module, module.parse(document.text, path, path.stem, SETTINGS)


def check(document: Document, workdir: Path) -> Result:
    module, doc = parse(document)
    result = Result(document.name, len(doc.message_keys()))
    # 1. round trip
    if module.render(doc, lambda block: None, "en") != document.text:
        result.problems["round trip"].append("source language: not the source byte for byte")
    target = module.render(doc, lambda block: None, "hy")
    if document.suffix == ".md" and target != document.text:
        result.problems["round trip"].append("target language: not the source byte for byte")
    if document.suffix == ".html" and re.sub(r'<html lang="hy"', "<html", target) != re.sub(r'<html lang="[^"]*"', "<html", document.text):
        if re.sub(r'lang="[^"]*"', "", target) != re.sub(r'lang="[^"]*"', "", document.text):
            result.problems["round trip"].append("target language: more than lang/dir changed")
    # 2. structure, under a translation and each pseudo-locale
    for name, translation in LOOKUPS.items():
        out = module.render(doc, lambda block: translation(block.msgid), LANGUAGE_OF[name])
        compare = _markdown_problems if document.suffix == ".md" else _html_problems
        result.problems["structure"] += [f"{name}: {p}" for p in compare(document.text, out, name)]
    # 3. msgfmt --check on the template and every filled catalog
    template = build_template([doc], doc.slug, Path("."))
    pot = workdir / f"{doc.slug}.pot"
    pot.write_bytes(template_bytes(template, None))  # as locflow extract writes it
    result.problems["msgfmt"] += _msgfmt(pot)
    for name, translation in LOOKUPS.items():
        catalog = polib.pofile(str(pot))
        catalog.metadata.update({"Language": LANGUAGE_OF[name], "Content-Type": "text/plain; charset=UTF-8",
                                 "Plural-Forms": "nplurals=2; plural=(n != 1);", "PO-Revision-Date": "2026-01-01 00:00+0000",
                                 "Last-Translator": "corpus <corpus@example.org>", "Language-Team": "corpus"})
        for entry in catalog:
            entry.msgstr = translation(entry.msgid)
        po = workdir / f"{doc.slug}.{name}.po"
        catalog.save(str(po))
        result.problems["msgfmt"] += [f"{name}: {p}" for p in _msgfmt(po)]
    return result


def _msgfmt(path: Path) -> list[str]:
    proc = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True,
                          env={"LC_ALL": "C", "PATH": "/usr/bin:/bin"})
    return [] if proc.returncode == 0 else [proc.stderr.strip().splitlines()[0]]


# ---------------------------------------------------------------------------
# Markdown: the token structure, with targets, code and HTML, and no English text
# ---------------------------------------------------------------------------

_ENGLISH = re.compile(r"[A-Za-z]{2,}")
_CODE_TAG = re.compile(r"<(/?)(code|kbd|samp|var|pre|script|style)\b", re.IGNORECASE)


def _front_matter_body(text: str) -> str:
    lines = markdown_format._LINE.findall(text)
    front = markdown_format._front_matter_end(lines)
    return "".join(lines[front[1] + 1 :]) if front else text


def _markdown_structure(text: str) -> tuple[list, list[str]]:
    """(structure, texts): what must stay the same, and the text a reader reads."""
    structure, texts = [], []
    env: dict = {}
    for token in markdown_format.parser().parse(_front_matter_body(text), env):
        if token.type != "inline":
            item = (token.type, token.tag, token.markup, token.info)
            if token.type in ("fence", "code_block"):
                item += (token.content,)
            elif token.type == "html_block":
                item += (str(_html_tree(token.content)[1]) if token.content.strip() else "",)  # its elements, not its text
                texts += _html_texts(token.content)
            structure.append(item)
            continue
        in_code = 0
        in_autolink = False
        for child in markdown_format._flat(token.children or []):
            if child.type == "link_open":
                in_autolink = child.markup == "autolink"
                structure.append(("link", child.attrGet("href")))
            elif child.type == "link_close":
                in_autolink = False
                structure.append(("/link",))
            elif child.type == "image":
                structure.append(("image", child.attrGet("src")))
                texts.append(child.attrGet("title") or "")
            elif child.type == "code_inline":
                structure.append(("code", child.content))
            elif child.type == "html_inline":
                closing = _CODE_TAG.match(child.content)
                if closing:
                    in_code += -1 if closing.group(1) else 1
                structure.append(("html", " ".join(child.content.split())))  # whitespace inside a tag is not structure
            elif child.type == "text" and not in_autolink and not in_code:
                texts.append(child.content)
            elif child.type not in ("text", "softbreak", "hardbreak"):
                structure.append((child.type,))
        for child in token.children or []:
            if child.type == "link_open" and child.attrGet("title"):
                texts.append(child.attrGet("title"))
    return structure, texts


def _english_left(texts: list[str], name: str) -> list[str]:
    left = []
    for text in texts:
        if name == "ar_XB":  # the words are English, each wrapped in a right-to-left override
            text = re.sub("\u202e[^\u202c]*\u202c", " ", text)
        # shortcodes, kramdown's {:toc}, URLs and <scheme:...> text (not autolinks to markdown-it), entities
        text = re.sub(r"\{\{[<%].*?[>%]\}\}|\{:[^{}]*\}|<[A-Za-z][A-Za-z0-9+.-]*:[^\s<>]*>|\w+://\S+|&[A-Za-z]+;", " ", text)
        left += _ENGLISH.findall(text)
    return left


def _problems(before: list, after: list, what: str, texts: list[str], name: str) -> list[str]:
    """Where two structures (token or element lists) first differ, and the English words left."""
    problems = []
    if before != after:
        first = next((i for i, (a, b) in enumerate(zip(before, after)) if a != b), min(len(before), len(after)))
        problems.append(f"{what} {first}: {before[first:first + 1]} became {after[first:first + 1]}")
    left = _english_left(texts, name)
    if left:
        problems.append(f"{len(left)} English words left: {' '.join(left[:8])}")
    return problems


def _markdown_problems(source: str, out: str, name: str) -> list[str]:
    before, _ = _markdown_structure(source)
    after, texts = _markdown_structure(out)
    return _problems(before, after, "structure differs at token", texts, name)


# ---------------------------------------------------------------------------
# HTML: the element tree and every attribute that is not a message
# ---------------------------------------------------------------------------

_NOT_TEXT = {"script", "style", "pre", "code", "kbd", "samp", "var", "svg", "math", "template", "textarea", "noscript"}


def _html_tree(text: str):
    root = html_format.load(text)
    elements = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        attrs = {k: v for k, v in element.attrib.items() if k not in html_format.ATTRIBUTES and k not in ("lang", "dir")}
        if element.tag == "meta" and (element.get("name") or element.get("property") or "").lower() in html_format.META_NAMES:
            attrs.pop("content", None)
        elements.append((element.tag, sorted(attrs.items())))
    return root, elements


def _in_code(element) -> bool:
    """Whether an element is, or is inside, one whose text is not prose (script, code, ...)."""
    return element.tag in _NOT_TEXT or any(a.tag in _NOT_TEXT for a in element.iterancestors())


def _html_texts(text: str) -> list[str]:
    try:
        root = html_format.load(text)
    except Exception:  # noqa: BLE001 - a fragment of nothing
        return []
    texts = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if not _in_code(element):
            texts.append(element.text or "")
            texts += [element.get(name) or "" for name in html_format.ATTRIBUTES]
        parent = element.getparent()
        if parent is not None and not _in_code(parent):
            texts.append(element.tail or "")
    return texts


def _html_problems(source: str, out: str, name: str) -> list[str]:
    _, before = _html_tree(source)
    _, after = _html_tree(out)
    return _problems(before, after, "element tree differs at element", _html_texts(out), name)
