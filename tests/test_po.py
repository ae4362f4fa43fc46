"""The PO layer against GNU gettext on catalogs others wrote.

tests/data/real holds catalogs shipped in Django, Sphinx and django-allauth
(see its README), each with the output of GNU msgcat, and pairs of an old
catalog and a newer template with the output of ``msgmerge --previous``. Each
test also runs the gettext tools installed here, so the fixtures cannot drift
from what gettext really writes.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from locflow import po
from locflow.catalogs import catalog_path, read_catalog, save_catalog
from locflow.errors import CatalogError
from locflow.po import wrap

from .conftest import DATA, SEED_SLUG, assert_msgfmt_accepts, run_locflow, write_pyproject

REAL = DATA / "real"
CATALOGS = sorted(path for path in REAL.glob("*-*/*/*.po") if not path.name.endswith(".msgcat.po"))
PAIRS = sorted(path for path in (REAL / "pairs").iterdir() if path.is_dir())
GNU_ENV = {"LC_ALL": "C", "PATH": "/usr/bin:/bin"}


def _id(path: Path) -> str:
    return "/".join(path.relative_to(REAL).parts)


def gettext(*args: str | Path, input: bytes | None = None) -> bytes:
    tool = shutil.which(str(args[0]))
    if tool is None:
        pytest.fail(f"GNU gettext's {args[0]} is required by the tests: run `make test` (it installs gettext)")
    proc = subprocess.run([tool, *map(str, args[1:])], capture_output=True, env=GNU_ENV, input=input)
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout


def test_the_sample_covers_what_matters():
    assert len(CATALOGS) >= 10 and len(PAIRS) >= 4
    text = b"".join(path.read_bytes() for path in CATALOGS)
    for feature in (b"msgstr[5]", b"msgctxt", b"#~ msgid", b"#~| msgid", b"#| msgid", b"python-format", b'msgid ""\n"'):
        assert feature in text, feature


@pytest.mark.parametrize("path", CATALOGS, ids=_id)
def test_a_real_catalog_is_written_byte_for_byte_as_msgcat_writes_it(path):
    expected = path.with_name(path.stem + ".msgcat.po").read_bytes()
    assert gettext("msgcat", path) == expected  # the fixture is what this machine's msgcat writes
    assert po.format_catalog(path.read_bytes()) == expected
    assert po.format_catalog(expected) == expected


@pytest.mark.parametrize("pair", PAIRS, ids=_id)
def test_a_real_merge_is_byte_for_byte_msgmerge_previous(pair):
    old, template = pair / "old.po", pair / "template.pot"
    expected = (pair / "msgmerge.po").read_bytes()
    assert gettext("msgmerge", "--previous", "--quiet", "-o", "-", old, template) == expected
    ours = po.merge_catalogs(old.read_bytes(), template.read_bytes())
    assert ours == expected
    assert b"#, fuzzy" in ours and b"#| msgid" in ours  # the pairs do exercise fuzzy matching


_STATS = re.compile(rb"(\d+) translated messages?(?:, (\d+) fuzzy translations?)?(?:, (\d+) untranslated messages?)?")


@pytest.mark.parametrize("path", CATALOGS + [pair / "msgmerge.po" for pair in PAIRS], ids=_id)
def test_counts_equal_msgfmt_statistics_on_real_catalogs(path):
    proc = subprocess.run(["msgfmt", "--statistics", "-o", "/dev/null", str(path)], capture_output=True, env=GNU_ENV)
    match = _STATS.search(proc.stderr)
    assert match, proc.stderr
    expected = tuple(int(group or 0) for group in match.groups())
    assert po.count(path.read_bytes()) == expected


def _merge_with_gettext(tmp_path: Path, old: str, template: str) -> tuple[bytes, bytes]:
    old_path, template_path = tmp_path / "old.po", tmp_path / "new.pot"
    old_path.write_text(old, encoding="utf-8")
    template_path.write_text(template, encoding="utf-8")
    gnu = gettext("msgmerge", "--previous", "--quiet", "-o", "-", old_path, template_path)
    return po.merge_catalogs(old_path.read_bytes(), template_path.read_bytes()), gnu


HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'


def test_fuzzy_matches_are_msgmerges_choices_not_the_closest_string(tmp_path):
    """msgmerge compares only candidates sharing a 4-character run: "Add link" gets no
    draft from "Addition", and "Malay" gets "Malayalam" although "May" is closer."""
    old = HEADER + "".join(
        f'\nmsgid "{source}"\nmsgstr "{target}"\n'
        for source, target in [("May", "Mai"), ("Malayalam", "Malayalam-fr"), ("Addition", "Ajout"), ("Jan", "janv.")]
    )
    template = HEADER.replace("UTF-8", "CHARSET") + "".join(
        f'\n{context}msgid "{source}"\nmsgstr ""\n'
        for context, source in [("", "Malay"), ("", "Add link"), ('msgctxt "abbrev. month January"\n', "January")]
    )
    ours, gnu = _merge_with_gettext(tmp_path, old, template)
    assert ours == gnu
    merged = po.parse(ours, tmp_path / "merged.po")
    assert merged.find("Malay").previous_msgid == "Malayalam" and "fuzzy" in merged.find("Malay").flags
    assert merged.find("Add link").msgstr == ""


def test_a_message_that_becomes_plural_or_changes_context_is_merged_as_msgmerge(tmp_path):
    old = HEADER + '\nmsgid "One file"\nmsgstr "Un fichier"\n\n#, fuzzy\n#| msgid "Old text"\nmsgid "Draft"\nmsgstr "Brouillon"\n\nmsgid "Gone"\nmsgstr "Parti"\n'
    template = HEADER + '\nmsgid "One file"\nmsgid_plural "%d files"\nmsgstr[0] ""\nmsgstr[1] ""\n\nmsgctxt "menu"\nmsgid "Draft"\nmsgstr ""\n'
    ours, gnu = _merge_with_gettext(tmp_path, old, template)
    assert ours == gnu
    assert b'#~ msgid "Gone"' in ours


def test_a_single_byte_catalog_is_converted_to_utf8_as_msgmerge_converts_it(tmp_path):
    latin = (HEADER.replace("UTF-8", "ISO-8859-1") + '\nmsgid "Coffee"\nmsgstr "Café"\n').encode("latin-1")
    (tmp_path / "old.po").write_bytes(latin)
    (tmp_path / "new.pot").write_text(HEADER + '\nmsgid "Coffee"\nmsgstr ""\n', encoding="utf-8")
    gnu = gettext("msgmerge", "--previous", "--quiet", "-o", "-", tmp_path / "old.po", tmp_path / "new.pot")
    ours = po.merge_catalogs(latin, (tmp_path / "new.pot").read_bytes())
    assert ours == gnu and "Café".encode() in ours and b"charset=UTF-8" in ours


def test_utf8_bytes_under_a_single_byte_charset_are_refused_not_double_encoded(tmp_path):
    data = (HEADER.replace("UTF-8", "ISO-8859-1") + '\nmsgid "Crisis"\nmsgstr "Гуманитарный кризис"\n').encode("utf-8")
    with pytest.raises(CatalogError) as caught:
        po.parse(data, tmp_path / "ru.po")
    assert "charset=iso-8859-1 but the text is UTF-8" in str(caught.value) and ":3:" in str(caught.value)


@pytest.mark.parametrize(
    ("setting", "options"),
    [
        ("width = 100", ["--width=100"]),
        ("wrap = false", ["--no-wrap"]),
        ('add-location = "file"', ["--add-location=file"]),
        ('add-location = "never"', ["--no-location"]),
    ],
)
def test_layout_settings_write_what_msgcat_writes_with_the_same_options(project, setting, options):
    """[tool.locflow.catalogs] mirrors msgmerge's --width, --no-wrap and --add-location."""
    write_pyproject(project, extra=f"[tool.locflow.catalogs]\n{setting}\n")
    run_locflow(project, "extract", check_code=0)
    run_locflow(project, "update", "-l", "ru", check_code=0)
    for path in (project / "locales" / "templates" / f"{SEED_SLUG}.pot", catalog_path(project / "locales", "ru", SEED_SLUG)):
        assert gettext("msgcat", *options, path) == path.read_bytes()


def test_update_with_nothing_changed_leaves_a_msgcat_written_catalog_alone(project):
    run_locflow(project, "extract", check_code=0)
    run_locflow(project, "update", check_code=0)
    ru = catalog_path(project / "locales", "ru", SEED_SLUG)
    catalog = read_catalog(ru)
    catalog.find("Humanitarian Crisis:").msgstr = "Гуманитарный кризис:"
    save_catalog(catalog, ru)
    for path in (project / "locales").rglob("*.po"):
        path.write_bytes(gettext("msgcat", path))  # as a translator's gettext tools would save them
        assert_msgfmt_accepts(path)
    before = {path: path.read_bytes() for path in (project / "locales").rglob("*.po*")}
    run_locflow(project, "update", check_code=0)
    assert {path: path.read_bytes() for path in (project / "locales").rglob("*.po*")} == before


def test_update_keeps_the_header_a_translators_tool_wrote(project):
    run_locflow(project, "extract", check_code=0)
    run_locflow(project, "update", "-l", "ar", "-l", "ru", check_code=0)
    ar = catalog_path(project / "locales", "ar", SEED_SLUG)
    ru = catalog_path(project / "locales", "ru", SEED_SLUG)
    assert b'n==2 ? 2 : n%100>=3 "\n"&& n%100<=10 ? 3' in ar.read_bytes()  # a long header line, wrapped as msgcat does
    data = ru.read_bytes()
    data = data.replace(b'"X-Generator: locflow', b'"X-Generator: Poedit 3.4.2\\n"\n"X-Poedit-Flag: x')
    data = data.replace(b'"Last-Translator: Automatically generated\\n"', b'"Last-Translator: Anna <anna@example.org>\\n"')
    ru.write_bytes(data)
    run_locflow(project, "update", check_code=0)
    after = ru.read_bytes()
    assert b"X-Generator: Poedit 3.4.2" in after and b"Anna <anna@example.org>" in after
    assert gettext("msgcat", ru) == after and gettext("msgcat", ar) == ar.read_bytes()


def test_obsolete_entries_keep_their_previous_msgid(project):
    run_locflow(project, "extract", check_code=0)
    run_locflow(project, "update", "-l", "ru", check_code=0)
    ru = catalog_path(project / "locales", "ru", SEED_SLUG)
    catalog = read_catalog(ru)
    entry = catalog.find("Humanitarian Crisis:")
    entry.msgstr, entry.flags, entry.previous_msgid = "Гуманитарный кризис:", ["fuzzy"], "A Humanitarian Crisis:"
    save_catalog(catalog, ru)
    article = project / "source" / f"{SEED_SLUG}.txt"
    article.write_text(article.read_text(encoding="utf-8").replace("Humanitarian Crisis:", "The Crisis Today:"), encoding="utf-8")
    run_locflow(project, "extract", check_code=0)
    run_locflow(project, "update", "-l", "ru", check_code=0)
    data = ru.read_bytes()
    assert b'#~| msgid "A Humanitarian Crisis:"\n#~ msgid "Humanitarian Crisis:"\n' in data
    assert gettext("msgcat", ru) == data
    run_locflow(project, "update", "-l", "ru", check_code=0)
    assert ru.read_bytes() == data


def test_without_libunistring_ordinary_prose_wraps_as_gettext_does(monkeypatch):
    """The fallback line breaker (for machines without GNU libunistring) breaks
    English and Russian prose where gettext does."""
    assert wrap.line_breaker() is not None, "libunistring comes with gettext: the tests compare the fallback with it"
    seed = (DATA.parent.parent / "source" / f"{SEED_SLUG}.txt").read_text(encoding="utf-8")
    paragraphs = [line for line in seed.split("\n") if len(line) > 80]
    assert paragraphs
    expected = [wrap.wrap_string("", "msgid", text, 79) for text in paragraphs]
    monkeypatch.setattr(wrap, "_linebreaker", None)
    wrap.wrap_string.cache_clear()
    try:
        assert [wrap.wrap_string("", "msgid", text, 79) for text in paragraphs] == expected
    finally:
        wrap.wrap_string.cache_clear()
