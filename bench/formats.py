"""The real-document corpus through locflow, mdpo, po4a and translate-toolkit, side by side.

    make bench-deps                                   # po4a (Debian), translate-toolkit and mdpo (.venv-bench)
    .venv/bin/python bench/formats.py --peers-python .venv-bench/bin/python
    .venv/bin/python bench/formats.py --spec --no-peers   # locflow alone, with the 652 CommonMark spec examples

The corpus is ``tests/corpus.py``'s: po4a's, mdpo's and HTML5 Boilerplate's documents (committed
in ``tests/data/corpus`` with their sources, versions and licences) and the Markdown READMEs of
the packages ``requirements.lock`` pins by hash. Each tool extracts a template from every
document, then writes the document back from a catalog, and is judged as locflow is in
``tests/test_corpus.py``:

* **round trip**: with every msgstr empty, the document comes back byte for byte;
* **structure**: with every msgstr filled (a synthetic Armenian translation, and the en_XA and
  ar_XB pseudo-locale texts of each msgid), the Markdown token structure / HTML element tree is
  the source's (links, code, attributes untouched) and no English word is left;
* **msgfmt**: ``msgfmt --check`` accepts the template.

A peer that fails on a document (an exception, a non-zero exit) fails all three for it.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polib

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tests import corpus  # noqa: E402

# Runs in the peers' virtual environment: mdpo's Python API (its commands share names with
# translate-toolkit's, so the API is used, not the commands).
_MDPO = """
import sys
from mdpo.md2po import markdown_to_pofile
from mdpo.po2md import pofile_to_markdown
mode, source, po, out = sys.argv[1:5]
if mode == "extract":
    markdown_to_pofile(source, save=True, po_filepath=po, location=False)
else:
    pofile_to_markdown(source, po, save=out)
"""


def peers(python: Path | None) -> dict:
    """The peers that are installed: name -> (extract(source, pot), translate(source, po, out)) per suffix."""
    found = {}
    if python is not None and python.exists():
        def mdpo_extract(source: Path, pot: Path) -> None:
            subprocess.run([str(python), "-c", _MDPO, "extract", str(source), str(pot), ""], check=True, capture_output=True, timeout=120)

        def mdpo_translate(source: Path, po: Path, out: Path) -> None:
            subprocess.run([str(python), "-c", _MDPO, "translate", str(source), str(po), str(out)], check=True, capture_output=True, timeout=120)

        found["mdpo"] = {".md": (mdpo_extract, mdpo_translate)}

        def tt(command: str, *args: str) -> None:
            subprocess.run([str(python), "-m", f"translate.convert.{command}", *args], check=True, capture_output=True, timeout=120)

        found["translate-toolkit"] = {
            ".md": (lambda s, p: tt("md2po", "--pot", "-i", str(s), "-o", str(p)),
                    lambda s, p, o: tt("po2md", "-t", str(s), "-i", str(p), "-o", str(o))),
            ".html": (lambda s, p: tt("html2po", "--pot", "-i", str(s), "-o", str(p)),
                      lambda s, p, o: tt("po2html", "-t", str(s), "-i", str(p), "-o", str(o))),
        }
    if shutil.which("po4a-updatepo"):
        def po4a(fmt: list[str]):
            def extract(source: Path, pot: Path) -> None:
                subprocess.run(["po4a-updatepo", *fmt, "-M", "UTF-8", "-m", str(source), "-p", str(pot)],
                               check=True, capture_output=True, timeout=120)

            def translate(source: Path, po: Path, out: Path) -> None:
                subprocess.run(["po4a-translate", *fmt, "-M", "UTF-8", "-L", "UTF-8", "-k", "0", "-m", str(source),
                                "-p", str(po), "-l", str(out)], check=True, capture_output=True, timeout=120)

            return extract, translate

        found["po4a"] = {".md": po4a(["-f", "text", "-o", "markdown"]), ".html": po4a(["-f", "xhtml"])}
    return found


def locflow_tool() -> dict:
    """locflow itself, through the same extract-then-write-back interface as the peers."""
    from locflow.catalogs import build_template, template_bytes

    def extract(source: Path, pot: Path) -> None:
        document = corpus.Document(source.name, source.read_text(encoding="utf-8"), source.suffix)
        _, doc = corpus.parse(document)
        pot.write_bytes(template_bytes(build_template([doc], doc.slug, Path(".")), None))

    def translate(source: Path, po: Path, out: Path) -> None:
        document = corpus.Document(source.name, source.read_text(encoding="utf-8"), source.suffix)
        module, doc = corpus.parse(document)
        catalog = {entry.msgid: entry.msgstr for entry in polib.pofile(str(po)) if entry.msgstr}
        language = polib.pofile(str(po)).metadata.get("Language") or "en"  # an empty catalog: the source language
        out.write_text(module.render(doc, lambda block: catalog.get(block.msgid), language), encoding="utf-8")

    return {".md": (extract, translate), ".html": (extract, translate)}


def judge(tool: dict, document: corpus.Document, work: Path) -> dict[str, bool] | None:
    """The three verdicts of one tool on one document; None if the tool does not read its format."""
    if document.suffix not in tool:
        return None
    extract, translate = tool[document.suffix]
    source = work / f"doc{document.suffix}"
    source.write_text(document.text, encoding="utf-8")
    pot = work / "doc.pot"
    verdict = {"round trip": False, "structure": False, "msgfmt": False}
    try:
        extract(source, pot)
        verdict["msgfmt"] = not corpus._msgfmt(pot)
        empty = work / "empty.po"
        shutil.copy(pot, empty)
        out = work / f"out{document.suffix}"
        translate(source, empty, out)
        verdict["round trip"] = out.read_bytes() == document.text.encode("utf-8")
        kept = True
        for name, lookup in corpus.LOOKUPS.items():
            catalog = polib.pofile(str(pot))
            catalog.metadata["Language"] = corpus.LANGUAGE_OF[name]
            catalog.metadata["Content-Type"] = "text/plain; charset=UTF-8"
            for entry in catalog:
                entry.msgstr = lookup(entry.msgid)
            filled = work / f"{name}.po"
            catalog.save(str(filled))
            translate(source, filled, out)
            compare = corpus._markdown_problems if document.suffix == ".md" else corpus._html_problems
            kept = kept and not compare(document.text, out.read_text(encoding="utf-8"), name)
        verdict["structure"] = kept
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError, ValueError, UnicodeDecodeError):
        pass
    return verdict


def side_by_side(python: Path | None, with_peers: bool = True) -> list[tuple[str, int, dict[str, int], float]]:
    tools = {"locflow": locflow_tool(), **(peers(python) if with_peers else {})}
    documents = corpus.documents()
    rows = []
    for name, tool in tools.items():
        counts = {"round trip": 0, "structure": 0, "msgfmt": 0, "all three": 0}
        read = 0
        started = time.perf_counter()
        with tempfile.TemporaryDirectory() as folder:
            for document in documents:
                verdict = judge(tool, document, Path(folder))
                if verdict is None:
                    continue
                read += 1
                for key, ok in verdict.items():
                    counts[key] += ok
                counts["all three"] += all(verdict.values())
        rows.append((name, read, counts, time.perf_counter() - started))
    return rows


# The CommonMark spec examples (CC-BY-SA 4.0), as markdown-it-py's source distribution ships them.
SPEC_SDIST = ("markdown-it-py", "4.3.0", "91a58fa5b72c71a40cf7177250fd767480d7a2bb3ac426ccfb76fb90305fdaaa")
SPEC_MEMBER = "markdown_it_py-4.3.0/tests/test_cmark_spec/commonmark.json"


def spec_examples(cache: Path) -> list[dict]:
    """The 652 examples of the CommonMark spec, from the sdist pinned by its sha256 (downloaded once)."""
    import hashlib
    import json
    import tarfile

    name, version, sha256 = SPEC_SDIST
    archive = cache / f"{name.replace('-', '_')}-{version}.tar.gz"
    if not archive.exists():
        cache.mkdir(parents=True, exist_ok=True)
        requirement = cache / "spec-requirement.txt"
        requirement.write_text(f"{name}=={version} --hash=sha256:{sha256}\n", encoding="utf-8")
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
                        "--require-hashes", "-r", str(requirement), "-d", str(cache)], check=True)
    if hashlib.sha256(archive.read_bytes()).hexdigest() != sha256:
        raise SystemExit(f"{archive}: sha256 differs from the pinned {sha256}")
    with tarfile.open(archive) as tar:
        return json.load(tar.extractfile(SPEC_MEMBER))


def spec(cache: Path) -> tuple[int, dict[str, int], dict[str, int]]:
    """How many spec examples pass each check under locflow, and the sections of those that do not."""
    from collections import Counter

    examples = spec_examples(cache)
    passed = {"round trip": 0, "structure": 0, "msgfmt": 0, "all three": 0}
    failing: Counter = Counter()
    with tempfile.TemporaryDirectory() as folder:
        for example in examples:
            result = corpus.check(corpus.Document(f"spec-{example['example']}", example["markdown"], ".md"), Path(folder))
            for key in ("round trip", "structure", "msgfmt"):
                passed[key] += result.passed(key)
            ok = all(result.passed(key) for key in ("round trip", "structure", "msgfmt"))
            passed["all three"] += ok
            if not ok:
                failing[example["section"]] += 1
    return len(examples), passed, dict(failing)


def deep(depth: int) -> list[tuple[str, int, float]]:
    """Seconds to extract and render documents nested ``depth`` deep (all strings translated)."""
    from locflow.formats import html as html_format
    from locflow.formats import markdown as markdown_format

    cases = {
        "markdown list, one line per level": ("".join("  " * i + f"- item {i}\n" for i in range(depth)), markdown_format, ".md"),
        "markdown list, all markers on one line": ("- " * depth + "item\n", markdown_format, ".md"),
        "markdown block quotes": ("".join(">" * (i + 1) + f" para {i}\n" for i in range(depth)), markdown_format, ".md"),
        "html div": ("<div>" * depth + "<p>Deep <em>text</em></p>" + "</div>" * depth, html_format, ".html"),
        "html list": ("<ul><li>" * depth + "Item" + "</li></ul>" * depth, html_format, ".html"),
    }
    rows = []
    for name, (text, module, suffix) in cases.items():
        started = time.perf_counter()
        doc = module.parse(text, Path(f"deep{suffix}"), "deep", corpus.SETTINGS)
        module.render(doc, lambda block: corpus.translate(block.msgid), "hy")
        rows.append((name, len(text), time.perf_counter() - started))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="the real-document corpus through locflow and its peers")
    parser.add_argument("--peers-python", type=Path, default=HERE.parent / ".venv-bench" / "bin" / "python",
                        help="the Python of the virtual environment with mdpo and translate-toolkit")
    parser.add_argument("--deep", type=int, default=3000, help="nesting depth of the deep-document case (0: skip)")
    parser.add_argument("--spec", action="store_true", help="also the 652 CommonMark spec examples (locflow only)")
    parser.add_argument("--no-peers", action="store_true", help="locflow alone")
    args = parser.parse_args(argv)
    documents = corpus.documents()
    print(f"corpus: {len(documents)} documents ({sum(d.suffix == '.md' for d in documents)} Markdown, "
          f"{sum(d.suffix == '.html' for d in documents)} HTML)\n")
    print(f"| tool | documents read | round trip | structure | msgfmt --check | all three | seconds |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, read, counts, seconds in side_by_side(None if args.no_peers else args.peers_python, not args.no_peers):
        print(f"| {name} | {read} | {counts['round trip']} | {counts['structure']} | {counts['msgfmt']} | "
              f"{counts['all three']} | {seconds:.1f} |")
    if args.spec:
        total, passed, failing = spec(HERE / "out" / "spec")
        print(f"\nCommonMark spec examples ({total}, markdown-it-py {SPEC_SDIST[1]} sdist, sha256 {SPEC_SDIST[2][:12]}...), locflow:\n")
        print("| round trip | structure | msgfmt --check | all three |")
        print("| --- | --- | --- | --- |")
        print(f"| {passed['round trip']} | {passed['structure']} | {passed['msgfmt']} | {passed['all three']} |")
        print("\nfailing, by section: " + ", ".join(f"{section} {n}" for section, n in sorted(failing.items())))
    if args.deep:
        print(f"\nnested {args.deep} deep, extract and render with every string translated:\n")
        print("| document | characters | seconds |")
        print("| --- | --- | --- |")
        for name, size, seconds in deep(args.deep):
            print(f"| {name} | {size:,} | {seconds:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
