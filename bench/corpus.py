"""A corpus of real gettext catalogs, fetched from PyPI wheels by exact version.

    python bench/corpus.py                        # fetch, verify, extract, make pairs (bench/out/corpus)
    python bench/corpus.py --sources django       # only some sources
    python bench/corpus.py --list                 # what is there: catalogs, languages, pairs
    python bench/corpus.py --sample tests/data/real   # (re)write the small committed sample

Catalogs that other people wrote, with other tools (Transifex, Weblate, Babel,
Django's makemessages, i.e. GNU msgmerge), are what proves that locflow reads
and writes PO files the way GNU gettext does. Three projects ship theirs inside
their wheels, two releases each:

* **Django** (BSD-3-Clause): ``django/conf/locale/<lang>/LC_MESSAGES/{django,djangojs}.po``
  and ``django/contrib/<app>/locale/<lang>/LC_MESSAGES/*.po``, about 1,200 files
  in ~95 languages per release, pulled from Transifex. The English catalogs
  (``en``) are the msgid source written by makemessages: the newer release's
  English catalog, with every msgstr blanked and run through ``msgcat`` once,
  is the template of the merge pairs.
* **Sphinx** (BSD-2-Clause): ``sphinx/locale/<lang>/LC_MESSAGES/sphinx.po`` (67
  languages, pulled from Transifex and rewritten by Babel; ``zh_TW.Big5`` is only
  a folder name, the file is UTF-8 like every other) and the real template
  ``sphinx/locale/sphinx.pot``.
* **django-allauth** (MIT): ``allauth/locale/<lang>/LC_MESSAGES/django.po`` (46
  languages), maintained with makemessages and Weblate: these are the ones with
  fuzzy entries and obsolete ``#~`` entries.

Every wheel is checked against the sha256 pinned below before anything is read
from it; a mismatch is an error. Layout under ``bench/out/corpus`` (git-ignored)::

    downloads/<wheel>                                   the verified wheels (cache)
    <source>-<version>/<root>/<lang>/LC_MESSAGES/<domain>.po
    <source>-<version>/<root>/<domain>.pot              a template the wheel ships (Sphinx)
    pairs/<source>/<root>-<domain>/template.pot         the newer release's template (after msgcat)
    pairs/<source>/<root>-<domain>/<lang>.po            the older release's catalog, unchanged
    manifest.json                                       versions, hashes and counts of this build

``<root>`` names the folder the catalogs live in: ``conf`` or ``contrib-<app>``
for Django, ``sphinx``, ``allauth``. A pair exists for every (root, domain,
language) present in both releases. Importable: :func:`build`,
:func:`catalogs`, :func:`pairs`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "out" / "corpus"
GNU_ENV = {**os.environ, "LC_ALL": "C"}
# Bumped when the layout or the template recipe changes: an older build is redone.
LAYOUT = 1


class CorpusError(RuntimeError):
    """The corpus cannot be fetched or verified."""


@dataclass(frozen=True)
class Release:
    source: str     # short name: the folder prefix
    project: str    # the name on PyPI
    version: str
    wheel: str      # file name as PyPI serves it
    sha256: str
    license: str    # SPDX identifier
    license_file: str  # path of the license text inside the wheel


RELEASES: tuple[Release, ...] = (
    Release("django", "Django", "3.2.25", "Django-3.2.25-py3-none-any.whl",
            "a52ea7fcf280b16f7b739cec38fa6d3f8953a5456986944c3ca97e79882b4e38",
            "BSD-3-Clause", "Django-3.2.25.dist-info/LICENSE"),
    Release("django", "Django", "5.1.15", "django-5.1.15-py3-none-any.whl",
            "117871e58d6eda37f09870b7d73a3d66567b03aecd515b386b1751177c413432",
            "BSD-3-Clause", "django-5.1.15.dist-info/licenses/LICENSE"),
    Release("sphinx", "Sphinx", "7.2.6", "sphinx-7.2.6-py3-none-any.whl",
            "1e09160a40b956dc623c910118fa636da93bd3ca0b9876a7b3df90f07d691560",
            "BSD-2-Clause", "sphinx-7.2.6.dist-info/LICENSE"),
    Release("sphinx", "Sphinx", "8.1.3", "sphinx-8.1.3-py3-none-any.whl",
            "09719015511837b76bf6e03e42eb7595ac8c2e41eeb9c29c5b755c6b677992a2",
            "BSD-2-Clause", "sphinx-8.1.3.dist-info/LICENSE.rst"),
    Release("allauth", "django-allauth", "65.13.0", "django_allauth-65.13.0-py3-none-any.whl",
            "119c0cf1cc2e0d1a0fe2f13588f30951d64989256084de2d60f13ab9308f9fa0",
            "MIT", "django_allauth-65.13.0.dist-info/licenses/LICENSE"),
    Release("allauth", "django-allauth", "65.22.1", "django_allauth-65.22.1-py3-none-any.whl",
            "08f7a3ddbd5ff7f1000d685dee9c0678d0da2057e18bed473a6eb2de18bd04e4",
            "MIT", "django_allauth-65.22.1.dist-info/licenses/LICENSE"),
)
SOURCES = ("django", "sphinx", "allauth")

# Wheel member → (root, lang, domain). A lang of None marks a template.
_MEMBERS = {
    "django": re.compile(r"^django/(?P<root>conf|contrib/[^/]+)/locale/(?P<lang>[^/]+)/LC_MESSAGES/(?P<domain>[^/]+)\.po$"),
    "sphinx": re.compile(r"^(?P<root>sphinx)/locale/(?:(?P<lang>[^/]+)/LC_MESSAGES/)?(?P<domain>sphinx)\.pot?$"),
    "allauth": re.compile(r"^(?P<root>allauth)/locale/(?P<lang>[^/]+)/LC_MESSAGES/(?P<domain>[^/]+)\.po$"),
}
# Where a source's msgid source is: "en" = its English catalog, "pot" = a shipped template.
_TEMPLATE_FROM = {"django": "en", "sphinx": "pot", "allauth": "en"}


@dataclass(frozen=True)
class Catalog:
    source: str
    version: str
    root: str
    lang: str
    domain: str
    path: Path
    member: str     # its path inside the wheel

    @property
    def key(self) -> str:
        """``<root>-<domain>``, e.g. ``contrib-admin-djangojs``."""
        return f"{self.root}-{self.domain}"

    @property
    def name(self) -> str:
        return f"{self.source}-{self.version}/{self.key}/{self.lang}"


@dataclass(frozen=True)
class Pair:
    source: str
    key: str            # <root>-<domain>
    lang: str
    old: Path           # the older release's catalog
    template: Path      # the newer release's template, after msgcat
    old_version: str
    new_version: str

    @property
    def name(self) -> str:
        return f"{self.source}/{self.key}/{self.lang}"


def releases(source: str) -> tuple[Release, Release]:
    """The (older, newer) releases of a source."""
    found = sorted((r for r in RELEASES if r.source == source), key=lambda r: _version_key(r.version))
    if len(found) != 2:
        raise CorpusError(f"unknown source {source!r} (known: {', '.join(SOURCES)})")
    return found[0], found[1]


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version))


# -- fetching ---------------------------------------------------------------------------------------

def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch(release: Release, downloads: Path, quiet: bool = False) -> Path:
    """The verified wheel of a release, downloaded with pip into ``downloads`` once."""
    downloads.mkdir(parents=True, exist_ok=True)
    wheel = downloads / release.wheel
    if not wheel.exists():
        if not quiet:
            print(f"corpus: downloading {release.project}=={release.version}", file=sys.stderr)
        with tempfile.TemporaryDirectory(dir=downloads) as scratch:
            command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
                       "--disable-pip-version-check", "--quiet", "--dest", scratch,
                       f"{release.project}=={release.version}"]
            proc = subprocess.run(command, capture_output=True, text=True)
            if proc.returncode != 0:
                raise CorpusError(f"pip download {release.project}=={release.version} failed:\n{proc.stderr[-2000:]}")
            got = list(Path(scratch).glob("*.whl"))
            if len(got) != 1:
                raise CorpusError(f"pip download {release.project}=={release.version} gave {got}, not one wheel")
            # A local mirror may spell the name differently; the hash is what counts.
            shutil.move(str(got[0]), wheel)
    actual = sha256(wheel)
    if actual != release.sha256:
        raise CorpusError(f"{wheel}: sha256 {actual}, expected {release.sha256} "
                          f"({release.project}=={release.version}); delete the file to fetch it again")
    return wheel


# -- templates --------------------------------------------------------------------------------------

def make_template(po: bytes) -> bytes:
    """A catalog turned into a template, as xgettext would give it before ``msgcat``:
    every msgstr blanked (the header's kept), fuzzy flags and ``#|`` lines
    dropped from the messages, obsolete entries dropped. Works on gettext's
    block layout (entries separated by blank lines), which every file here has.
    """
    text = po.replace(b"\r\n", b"\n")
    out = []
    header_done = False
    for block in re.split(rb"\n(?:[ \t]*\n)+", text.strip(b"\n")):
        lines = block.split(b"\n")
        if not any(line.startswith(b"msg") for line in lines):
            continue  # an obsolete entry (or stray comments): xgettext writes none
        is_header = not header_done and any(line.startswith(b'msgid ""') for line in lines) \
            and not any(line.startswith(b"msgctxt") for line in lines) and _msgid_is_empty(lines)
        header_done = True
        if is_header:
            out.append(block)
            continue
        kept = []
        in_msgstr = False
        for line in lines:
            if line.startswith(b"#|"):
                continue
            if line.startswith(b"#,"):
                flags = [f.strip() for f in line[2:].split(b",") if f.strip() and f.strip() != b"fuzzy"]
                if flags:
                    kept.append(b"#, " + b", ".join(flags))
                continue
            if line.startswith(b"msgstr"):
                in_msgstr = True
                kept.append(line.split(b" ", 1)[0] + b' ""')
                continue
            if in_msgstr and line.startswith(b'"'):
                continue
            if not line.startswith(b'"'):
                in_msgstr = False
            kept.append(line)
        out.append(b"\n".join(kept))
    return b"\n\n".join(out) + b"\n"


def _msgid_is_empty(lines: list[bytes]) -> bool:
    """Whether the block's msgid is the empty string (the header's)."""
    collecting = False
    for line in lines:
        if line.startswith(b"msgid "):
            if line.strip() != b'msgid ""':
                return False
            collecting = True
        elif collecting and line.startswith(b'"'):
            if line.strip() != b'""':
                return False
        elif collecting:
            return True
    return collecting


def msgcat(data: bytes) -> bytes:
    """GNU ``msgcat`` of PO bytes (LC_ALL=C, default width)."""
    proc = subprocess.run(["msgcat", "-"], input=data, capture_output=True, env=GNU_ENV)
    if proc.returncode != 0:
        raise CorpusError(f"msgcat failed: {proc.stderr.decode('utf-8', 'replace')[-1000:]}")
    return proc.stdout


def msgmerge(old: Path, template: Path) -> bytes:
    """GNU ``msgmerge --previous`` of a catalog with a template (LC_ALL=C, stdout)."""
    proc = subprocess.run(["msgmerge", "--previous", "--quiet", "-o", "-", str(old), str(template)],
                          capture_output=True, env=GNU_ENV)
    if proc.returncode != 0:
        raise CorpusError(f"msgmerge {old} {template} failed: {proc.stderr.decode('utf-8', 'replace')[-1000:]}")
    return proc.stdout


# -- building ---------------------------------------------------------------------------------------

def _extract(release: Release, wheel: Path, corpus: Path) -> int:
    target = corpus / f"{release.source}-{release.version}"
    if target.exists():
        shutil.rmtree(target)
    pattern = _MEMBERS[release.source]
    count = 0
    with zipfile.ZipFile(wheel) as archive:
        for member in sorted(archive.namelist()):
            match = pattern.match(member)
            if not match:
                continue
            root = match["root"].replace("/", "-")
            if match["lang"]:
                path = target / root / match["lang"] / "LC_MESSAGES" / f"{match['domain']}.po"
            else:
                path = target / root / f"{match['domain']}.pot"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(archive.read(member))
            count += 1
    if not count:
        raise CorpusError(f"{wheel.name}: no catalogs found")
    return count


def _template_source(source: str, version: str, root: str, domain: str, corpus: Path) -> Path | None:
    base = corpus / f"{source}-{version}" / root
    if _TEMPLATE_FROM[source] == "en":
        path = base / "en" / "LC_MESSAGES" / f"{domain}.po"
    else:
        path = base / f"{domain}.pot"
    return path if path.exists() else None


def _make_pairs(source: str, corpus: Path) -> int:
    old, new = releases(source)
    target = corpus / "pairs" / source
    if target.exists():
        shutil.rmtree(target)
    olds = {(c.root, c.domain, c.lang): c for c in _scan(corpus, old)}
    news = {(c.root, c.domain, c.lang): c for c in _scan(corpus, new)}
    count = 0
    for (root, domain) in sorted({(r, d) for (r, d, _) in news}):
        template_source = _template_source(source, new.version, root, domain, corpus)
        if template_source is None:
            continue
        folder = target / f"{root}-{domain}"
        folder.mkdir(parents=True)
        (folder / "template.pot").write_bytes(msgcat(make_template(template_source.read_bytes())))
        for (r, d, lang), catalog in sorted(olds.items()):
            if (r, d) != (root, domain) or (r, d, lang) not in news or lang == "en":
                continue
            shutil.copyfile(catalog.path, folder / f"{lang}.po")
            count += 1
    return count


def _scan(corpus: Path, release: Release) -> list[Catalog]:
    base = corpus / f"{release.source}-{release.version}"
    found = []
    pattern = _MEMBERS[release.source]
    for path in sorted(base.glob("*/*/LC_MESSAGES/*.po")):
        root, lang, _, name = path.relative_to(base).parts
        domain = name[:-3]
        member = _member(release.source, root, lang, domain)
        assert pattern.match(member), member
        found.append(Catalog(release.source, release.version, root, lang, domain, path, member))
    return found


def _member(source: str, root: str, lang: str, domain: str) -> str:
    if source == "django":
        folder = "conf" if root == "conf" else "contrib/" + root.removeprefix("contrib-")
        return f"django/{folder}/locale/{lang}/LC_MESSAGES/{domain}.po"
    return f"{root}/locale/{lang}/LC_MESSAGES/{domain}.po"


def _manifest_path(corpus: Path) -> Path:
    return corpus / "manifest.json"


def _wanted(sources) -> tuple[str, ...]:
    chosen = tuple(SOURCES if not sources else sources)
    for source in chosen:
        releases(source)  # raises on an unknown one
    return chosen


def _built(corpus: Path) -> dict:
    try:
        return json.loads(_manifest_path(corpus).read_text())
    except (OSError, ValueError):
        return {}


def build(corpus: Path = CORPUS, sources=None, force: bool = False, quiet: bool = False) -> dict:
    """Fetch, verify and extract the releases of ``sources`` (all by default) and
    make their merge pairs; skipped for a source already built the same way.
    Returns the manifest (also written to ``<corpus>/manifest.json``)."""
    corpus = Path(corpus)
    corpus.mkdir(parents=True, exist_ok=True)
    manifest = _built(corpus)
    if manifest.get("layout") != LAYOUT:
        manifest = {"layout": LAYOUT, "sources": {}}
    for source in _wanted(sources):
        pinned = [asdict(r) for r in releases(source)]
        done = manifest["sources"].get(source)
        present = all((corpus / f"{r.source}-{r.version}").is_dir() for r in releases(source)) \
            and (corpus / "pairs" / source).is_dir()
        if done and done.get("releases") == pinned and present and not force:
            continue
        manifest["sources"].pop(source, None)
        _manifest_path(corpus).write_text(json.dumps(manifest, indent=2) + "\n")
        counts = {}
        for release in releases(source):
            wheel = fetch(release, corpus / "downloads", quiet=quiet)
            counts[release.version] = _extract(release, wheel, corpus)
        pair_count = _make_pairs(source, corpus)
        manifest["sources"][source] = {"releases": pinned, "files": counts, "pairs": pair_count}
        _manifest_path(corpus).write_text(json.dumps(manifest, indent=2) + "\n")
        if not quiet:
            print(f"corpus: {source}: {counts} catalogs, {pair_count} pairs", file=sys.stderr)
    return manifest


def catalogs(corpus: Path = CORPUS, sources=None, build_missing: bool = True) -> list[Catalog]:
    """Every catalog of the corpus (both releases of each source), in a stable order."""
    corpus = Path(corpus)
    chosen = _wanted(sources)
    if build_missing:
        build(corpus, chosen, quiet=False)
    found = []
    for source in chosen:
        for release in releases(source):
            found.extend(_scan(corpus, release))
    return found


def pairs(corpus: Path = CORPUS, sources=None, build_missing: bool = True) -> list[Pair]:
    """Every merge pair of the corpus: (older release's catalog, newer release's template)."""
    corpus = Path(corpus)
    chosen = _wanted(sources)
    if build_missing:
        build(corpus, chosen, quiet=False)
    found = []
    for source in chosen:
        old, new = releases(source)
        for folder in sorted((corpus / "pairs" / source).iterdir()):
            template = folder / "template.pot"
            for path in sorted(folder.glob("*.po")):
                found.append(Pair(source, folder.name, path.stem, path, template, old.version, new.version))
    return found


# -- the committed sample (tests/data/real) -----------------------------------------------------------

# (source, version, root, domain, lang, why). Chosen with `python bench/corpus.py --features`.
SAMPLE: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("django", "5.1.15", "conf", "django", "ru",
     "Cyrillic; 4 plural forms; msgctxt; python-format; long wrapped strings; wrapped header"),
    ("django", "5.1.15", "contrib-admin", "django", "hy",
     "Armenian; python-format and python-brace-format; long wrapped strings; `#.` comments"),
    ("django", "5.1.15", "contrib-humanize", "django", "ar",
     "Arabic (right to left); 6 plural forms in 29 plural entries; msgctxt; `#.` translator notes"),
    ("django", "5.1.15", "contrib-admin", "djangojs", "zh_Hans",
     "Chinese; 1 plural form; msgctxt (26); many translator comments"),
    ("django", "5.1.15", "contrib-admin", "djangojs", "ga",
     "Irish; 5 plural forms; msgctxt"),
    ("django", "3.2.25", "contrib-admin", "djangojs", "lv",
     "Latvian; 3 plural forms; msgctxt; the older release"),
    ("django", "5.1.15", "contrib-auth", "django", "sr_Latn",
     "Serbian in Latin script; 3 plural forms; header that does not wrap"),
    ("django", "5.1.15", "contrib-auth", "django", "ja",
     "Japanese; 1 plural form; python-format"),
    ("sphinx", "8.1.3", "sphinx", "sphinx", "sr@latin",
     "written by Babel (its own wrapping); `@latin` modifier; mostly untranslated; `\\n` inside strings"),
    ("allauth", "65.13.0", "allauth", "django", "bg",
     "Weblate + makemessages: 10 fuzzy entries with `#|` previous msgid, 10 obsolete `#~` (4 with `#~|`); msgctxt"),
    ("allauth", "65.22.1", "allauth", "django", "en",
     "a template-like catalog: `#, fuzzy` header, placeholder header values, every msgstr empty"),
)
# (source, root-domain, lang, why): old.po + template.pot + msgmerge.po each.
SAMPLE_PAIRS: tuple[tuple[str, str, str, str], ...] = (
    ("allauth", "allauth-django", "hr",
     "old catalog already has 88 fuzzy (`#|`) and 16 obsolete entries (5 with `#~|`); after the merge 92 fuzzy, "
     "16 obsolete (4 with `#~|`); 3 plural forms"),
    ("django", "contrib-admin-djangojs", "ru",
     "msgctxt; 4 plural forms; 2 fuzzy and 2 obsolete after the merge"),
    ("django", "contrib-humanize-django", "ar",
     "6 plural forms; msgctxt; `#.` comments; 12 fuzzy plural entries whose previous msgid had other "
     "placeholders, 11 obsolete after the merge"),
    ("sphinx", "sphinx-sphinx", "ja",
     "Babel-written old catalog and template (`#, fuzzy` header); 50 fuzzy, 7 obsolete after the merge; "
     "long messages with `\\n`"),
)


def features(data: bytes) -> dict:
    """What a catalog exercises: counted on its text, for choosing the sample."""
    text = data.decode("utf-8", "replace")
    lines = text.split("\n")
    nplurals = re.search(r"nplurals\s*=\s*(\d+)", text)
    header_end = text.find("\n\n")  # escaped newlines are counted after the header
    return {
        "bytes": len(data),
        "messages": sum(1 for line in lines if line.startswith("msgid ")) - 1,
        "nplurals": int(nplurals[1]) if nplurals else None,
        "plural_entries": sum(1 for line in lines if line.startswith("msgid_plural ")),
        "msgctxt": sum(1 for line in lines if line.startswith("msgctxt ")),
        "obsolete": sum(1 for line in lines if line.startswith("#~ msgid ")),
        "obsolete_previous": sum(1 for line in lines if line.startswith("#~|")),
        "previous": sum(1 for line in lines if line.startswith("#|")),
        "fuzzy": sum(1 for line in lines if line.startswith("#,") and "fuzzy" in line),
        "c_format": sum(1 for line in lines if line.startswith("#,") and "c-format" in line),
        "python_format": sum(1 for line in lines if line.startswith("#,") and "python-format" in line),
        "python_brace_format": sum(1 for line in lines if line.startswith("#,") and "python-brace-format" in line),
        "translator_comments": sum(1 for line in lines if line.startswith("# ") or line == "#"),
        "extracted_comments": sum(1 for line in lines if line.startswith("#.")),
        "continued": sum(1 for line in lines if line.startswith('"')),
        "escaped_newlines": text[max(header_end, 0):].count("\\n"),
        "header_wraps": _header_wraps(lines),
        "non_ascii": sum(1 for ch in text if ord(ch) > 127),
        "charset": (re.search(r"charset=([-\w.]+)", text) or [None, None])[1],
    }


def _header_wraps(lines: list[str]) -> bool:
    """Whether a line of the header's msgstr is continued on the next string line."""
    for index, line in enumerate(lines):
        if not line:
            return False
        if line.startswith('"') and not line.endswith('\\n"') and lines[index + 1].startswith('"'):
            return True
    return False


def _license_text(release: Release, corpus: Path) -> bytes:
    with zipfile.ZipFile(fetch(release, corpus / "downloads", quiet=True)) as archive:
        return archive.read(release.license_file)


def write_sample(target: Path, corpus: Path = CORPUS) -> list[Path]:
    """(Re)write the committed sample of real catalogs: each chosen catalog with its
    ``msgcat`` output, each chosen pair with GNU ``msgmerge --previous`` output,
    the licenses and a README saying where every file comes from."""
    target = Path(target)
    sources = sorted({s for s, *_ in SAMPLE} | {s for s, *_ in SAMPLE_PAIRS})
    build(corpus, sources)
    by_release = {(r.source, r.version): r for r in RELEASES}
    written: list[Path] = []
    rows = []
    for source, version, root, domain, lang, why in SAMPLE:
        release = by_release[(source, version)]
        original = corpus / f"{source}-{version}" / root / lang / "LC_MESSAGES" / f"{domain}.po"
        folder = target / f"{source}-{version}" / f"{root}-{domain}"
        folder.mkdir(parents=True, exist_ok=True)
        data = original.read_bytes()
        (folder / f"{lang}.po").write_bytes(data)
        (folder / f"{lang}.msgcat.po").write_bytes(msgcat(data))
        written += [folder / f"{lang}.po", folder / f"{lang}.msgcat.po"]
        rows.append((f"`{source}-{version}/{root}-{domain}/{lang}.po`",
                     f"{release.project} {version}", f"`{_member(source, root, lang, domain)}`",
                     release.license, why))
    pair_rows = []
    for source, key, lang, why in SAMPLE_PAIRS:
        old, new = releases(source)
        pair_folder = corpus / "pairs" / source / key
        name = f"{source}-{key}-{lang}"
        folder = target / "pairs" / name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "old.po").write_bytes((pair_folder / f"{lang}.po").read_bytes())
        (folder / "template.pot").write_bytes((pair_folder / "template.pot").read_bytes())
        (folder / "msgmerge.po").write_bytes(msgmerge(folder / "old.po", folder / "template.pot"))
        written += [folder / "old.po", folder / "template.pot", folder / "msgmerge.po"]
        root, domain = key.rsplit("-", 1)
        template_member = (_member(source, root, "en", domain) if _TEMPLATE_FROM[source] == "en"
                           else f"{root}/locale/{domain}.pot")
        pair_rows.append((f"`pairs/{name}/`", f"{old.project} {old.version} → {new.version}",
                          f"`{_member(source, root, lang, domain)}` ({old.version}); "
                          f"template from `{template_member}` ({new.version})", old.license, why))
    for source in sources:
        release = releases(source)[1]
        path = target / f"LICENSE.{source}"
        path.write_bytes(_license_text(release, corpus))
        written.append(path)
    readme = target / "README.md"
    readme.write_text(_readme(rows, pair_rows, sources))
    written.append(readme)
    return written


def _readme(rows, pair_rows, sources) -> str:
    def table(header, body):
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in body]
        return "\n".join(lines)

    licenses = ", ".join(f"`LICENSE.{s}` ({releases(s)[1].project}, {releases(s)[1].license})" for s in sources)
    pinned = "\n".join(f"| {r.project} | {r.version} | `{r.wheel}` | `{r.sha256}` |"
                       for r in RELEASES if r.source in sources)
    return f"""# Real catalogs

Gettext catalogs written by other projects' translators and tools, copied unchanged
from the wheels those projects publish on PyPI, to test locflow's reading, writing,
merging and counting against GNU gettext on files it did not make. Written by
`python bench/corpus.py --sample tests/data/real` (do not edit by hand: rerun it).

* `<source>-<version>/<root>-<domain>/<lang>.po` — the catalog exactly as shipped.
* `<lang>.msgcat.po` beside it — `LC_ALL=C msgcat <lang>.po` (GNU gettext 0.21, default
  width): what locflow must write, byte for byte, after reading either file.
* `pairs/<name>/old.po` — a catalog of the older release, unchanged;
  `template.pot` — the newer release's template (for Django and django-allauth its
  English catalog with every msgstr blanked, then `msgcat`; for Sphinx its
  `sphinx.pot`, then `msgcat`); `msgmerge.po` — `LC_ALL=C msgmerge --previous
  old.po template.pot`: what locflow's merge must give.

Licenses: {licenses}. The translations belong to their projects' translators
and are distributed under those licenses.

Not in these files: `c-format` (these are Python projects: `python-format` and
`python-brace-format` instead) and non-UTF-8 charsets (every catalog of the
corpus is UTF-8). The raw Django and Sphinx catalogs hold no fuzzy or obsolete
entries; django-allauth's and every `msgmerge.po` do.

## Catalogs

{table(("file", "release", "path in the wheel", "license", "what it exercises"), rows)}

## Merge pairs

{table(("folder", "releases", "from", "license", "what it exercises"), pair_rows)}

## Wheels (sha256 checked before use)

| project | version | wheel | sha256 |
|---|---|---|---|
{pinned}

## Regenerating

```
.venv/bin/python bench/corpus.py --sample tests/data/real
```

fetches the wheels with `pip download --no-deps --only-binary :all: <project>==<version>`
into `bench/out/corpus/downloads/` (once), checks their sha256 against the values
pinned in `bench/corpus.py`, extracts them and rewrites this folder. With the same
GNU gettext (0.21) the result is byte-identical.
"""


# -- command line -------------------------------------------------------------------------------------

def _summary(corpus: Path, sources) -> dict:
    found = catalogs(corpus, sources)
    merged = pairs(corpus, sources)
    per_release = Counter(f"{c.source}-{c.version}" for c in found)
    return {
        "catalogs": len(found),
        "per_release": dict(per_release),
        "languages": len({c.lang for c in found}),
        "domains": len({(c.source, c.key) for c in found}),
        "pairs": len(merged),
        "bytes": sum(c.path.stat().st_size for c in found),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="where to build (default: %(default)s)")
    parser.add_argument("--sources", default=",".join(SOURCES),
                        help="comma-separated sources (default: %(default)s)")
    parser.add_argument("--force", action="store_true", help="extract and pair again even if built")
    parser.add_argument("--list", action="store_true", help="print a summary of the corpus")
    parser.add_argument("--features", action="store_true",
                        help="print what each catalog exercises, as JSON lines (for choosing the sample)")
    parser.add_argument("--sample", type=Path, metavar="DIR",
                        help="write the committed sample of real catalogs into DIR (tests/data/real)")
    args = parser.parse_args(argv)
    sources = [s for s in args.sources.split(",") if s]
    try:
        if args.sample:
            for path in write_sample(args.sample, args.corpus):
                print(path)
            return 0
        build(args.corpus, sources, force=args.force)
        if args.features:
            for catalog in catalogs(args.corpus, sources):
                print(json.dumps({"name": catalog.name, **features(catalog.path.read_bytes())}))
            return 0
        print(json.dumps(_summary(args.corpus, sources), indent=2))
    except CorpusError as error:
        print(f"corpus: error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
