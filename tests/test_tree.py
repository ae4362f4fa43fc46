"""Any gettext tree is counted as msgfmt counts it (locflow.tree), in a project or outside one."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from locflow.tree import count_tree, find_catalogs, same_language, tree_language

from .conftest import DATA

REAL = DATA / "real"
_STATS = re.compile(rb"(\d+) translated messages?(?:, (\d+) fuzzy translations?)?(?:, (\d+) untranslated messages?)?")


def msgfmt_counts(path: Path) -> tuple[int, int, int] | None:
    proc = subprocess.run(["msgfmt", "--statistics", "-o", "/dev/null", str(path)], capture_output=True, env={"LC_ALL": "C", "PATH": "/usr/bin:/bin"})
    match = _STATS.search(proc.stderr)
    return tuple(int(group or 0) for group in match.groups()) if proc.returncode == 0 and match else None


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """The real catalogs laid out as gettext does, in two roots sharing a domain name."""
    root = tmp_path / "tree"
    for path in REAL.glob("*-*/*/*.po"):
        if path.name.endswith(".msgcat.po"):
            continue
        project, domain = path.parts[-3], path.parts[-2]
        target = root / project.split("-")[0] / path.stem / "LC_MESSAGES" / f"{domain}.po"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    # msgfmt --statistics counts a translation with more plural forms than nplurals (only --check refuses it).
    extra = root / "extra" / "ru" / "LC_MESSAGES" / "plural.po"
    extra.parent.mkdir(parents=True)
    extra.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: ru_RU\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\nmsgid "file"\nmsgid_plural "files"\n'
        'msgstr[0] "файл"\nmsgstr[1] "файла"\nmsgstr[2] "файлов"\n',
        encoding="utf-8",
    )
    return root


def test_every_catalog_is_found_and_counted_as_msgfmt_counts_it(tree, tmp_path):
    catalogs = find_catalogs([tree])
    assert len(catalogs) == len(list(tree.rglob("*.po")))
    results = count_tree(catalogs, tmp_path / "cache")
    for result in results:
        assert result.error is None, result.error
        expected = msgfmt_counts(result.catalog.path)
        assert expected is not None
        assert (result.stats.translated, result.stats.fuzzy, result.stats.untranslated) == expected, result.catalog.path
    languages = {result.catalog.language for result in results}
    assert {"sr@latin", "zh_Hans", "sr_Latn", "ru", "ga", "ar"} <= languages
    # A rerun reads nothing: the counts come from the cache, the same.
    again = count_tree(find_catalogs([tree]), tmp_path / "cache")
    assert [result.stats for result in again] == [result.stats for result in results]


def test_gettext_codes_and_headers_are_compared_as_languages():
    assert tree_language("sr@latin").code == "sr_Latn"
    assert tree_language("zh_Hans").script == "Hans"
    assert tree_language("udm") is None
    assert same_language("zh_Hans", "zh_CN") and same_language("ru", "ru_RU") and same_language("sr@latin", "sr_Latn")
    assert not same_language("ru", "uk") and not same_language("zh_Hans", "zh_TW")


def test_a_header_that_disagrees_with_its_folder_and_a_language_babel_lacks_are_warnings(tree, tmp_path):
    path = tree / "django" / "ru" / "LC_MESSAGES" / "conf-django.po"
    path.write_bytes(path.read_bytes().replace(b"Language: ru\\n", b"Language: uk\\n", 1))
    udm = tree / "django" / "udm" / "LC_MESSAGES" / "conf-django.po"
    udm.parent.mkdir(parents=True)
    shutil.copy(path, udm)
    udm.write_bytes(udm.read_bytes().replace(b"Language: uk\\n", b"Language: udm\\n", 1))
    results = {result.catalog.path: result for result in count_tree(find_catalogs([tree]), tmp_path / "cache")}
    assert results[path].warnings == ["the header says Language: uk, but the catalog is in the folder of ru"]
    assert results[udm].stats is not None and "Babel has no locale data for 'udm'" in results[udm].warnings[0]
    zh = [result for result in results.values() if result.catalog.language == "zh_Hans"]
    assert zh and all(not result.warnings for result in zh)


def test_a_catalog_that_cannot_be_read_is_reported_with_its_line_and_the_others_are_counted(tree, tmp_path):
    bad = tree / "django" / "ga" / "LC_MESSAGES" / "contrib-admin-djangojs.po"
    bad.write_bytes(bad.read_bytes() + b'\nmsgid "dangling\n')
    results = count_tree(find_catalogs([tree]), tmp_path / "cache")
    failed = [result for result in results if result.error is not None]
    assert [result.catalog.path for result in failed] == [bad]
    assert failed[0].error.line == bad.read_bytes().count(b"\n")
    assert all(result.stats is not None for result in results if result.catalog.path != bad)


def test_check_paths_counts_and_checks_any_tree_outside_a_project(tree, tmp_path):
    from .conftest import run_locflow

    bad = tree / "django" / "ga" / "LC_MESSAGES" / "contrib-admin-djangojs.po"
    bad.write_bytes(bad.read_bytes() + b'\nmsgid "dangling\n')
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    result = run_locflow(outside, "check", "--format", "json", str(tree / "django"), str(tree / "sphinx"), str(tree / "extra"))
    assert result.code == 2  # a catalog could not be read: named, and everything else reported
    import json

    data = json.loads(result.stdout)
    assert data["schema"] == "locflow.tree-check/1" and data["unreadable"] == 1
    by_file = {Path(item["file"]).resolve(): item for item in data["catalogs"]}
    assert by_file[bad.resolve()]["error"]["line"] == bad.read_bytes().count(b"\n")
    assert len(result.stderr.strip().splitlines()) == 1 and f"{bad}:" in result.stderr
    for path, item in by_file.items():
        if path != bad.resolve():
            expected = msgfmt_counts(path)
            assert (item["translated"], item["fuzzy"], item["untranslated"]) == expected, path
    plural = by_file[(tree / "extra" / "ru" / "LC_MESSAGES" / "plural.po").resolve()]
    assert plural["translated"] == 1 and plural["warnings"] == []  # ru_RU in ru is the same language
    assert any(f["check"] == "msgfmt" for f in data["findings"])  # msgfmt --check refuses its 3 forms
    bad.write_bytes(bad.read_bytes().replace(b'\nmsgid "dangling\n', b""))
    again = run_locflow(outside, "check", "--no-checks", str(tree))
    assert again.code == 0 and "catalogs, 0 unreadable" in again.stdout


HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
# Catalogs at the edges of the grammar, each counted as msgfmt counts it, or
# refused where msgfmt refuses it (the fast counter must not vouch for them).
EDGES = {
    "same message split differently": 'msgid "ab"\nmsgstr "x"\n\nmsgid ""\n"a"\n"b"\nmsgstr "y"\n',
    "same message, a tab written raw and escaped": 'msgid "a\tb"\nmsgstr "x"\n\nmsgid "a\\tb"\nmsgstr "y"\n',
    "same text in two contexts": 'msgctxt "one"\nmsgid "a"\nmsgstr "x"\n\nmsgctxt "two"\nmsgid "a"\nmsgstr ""\n',
    "an empty context is not no context": 'msgctxt ""\nmsgid "a"\nmsgstr "x"\n\nmsgid "a"\nmsgstr "y"\n',
    "a plural with a singular msgstr": 'msgid "file"\nmsgid_plural "files"\nmsgstr "x"\n',
    "msgstr[0] without a plural": 'msgid "file"\nmsgstr[0] "x"\n',
    "singular msgstr then msgstr[1]": 'msgid "file"\nmsgstr "x"\nmsgstr[1] "y"\n',
    "empty strings over lines, then text": 'msgid "a"\nmsgstr ""\n""\n\nmsgid "b"\nmsgstr ""\n""\n"x"\n',
    "fuzzy among other flags, and above an obsolete entry": (
        '#, c-format, fuzzy\nmsgid "a %d"\nmsgstr "x %d"\n\n#, fuzzy\n#~ msgid "old"\n#~ msgstr "vieux"\n\n'
        'msgid "b"\nmsgstr "y"\n\n#, fuzzy\nmsgid "c"\nmsgstr ""\n'
    ),
    "an empty msgid with a context is a message": 'msgctxt "menu"\nmsgid ""\nmsgstr "x"\n',
    "plural forms, the first one empty": 'msgid "file"\nmsgid_plural "files"\nmsgstr[0] ""\nmsgstr[1] "y"\n',
    "Windows line ends": 'msgid "a"\r\nmsgstr "x"\r\n\r\nmsgid "b"\r\nmsgstr ""\r\n',
    "no newline at the end": 'msgid "a"\nmsgstr "x"',
    "an octal escape": 'msgid "a\\101"\nmsgstr "x"\n\nmsgid "aA"\nmsgstr "y"\n',
    "a stray line": 'msgid "a"\nmsgstr "x"\nnonsense\n',
    "comments only after the last entry": 'msgid "a"\nmsgstr "x"\n\n# the end\n\n',
    "plural forms with a gap": 'msgid "file"\nmsgid_plural "files"\nmsgstr[0] "x"\nmsgstr[2] "y"\n',
    "three plural forms in order": 'msgid "file"\nmsgid_plural "files"\nmsgstr[0] "x"\nmsgstr[1] "y"\nmsgstr[2] "z"\n',
    "obsolete and previous entries": (
        '#, fuzzy\n#| msgid "old"\nmsgid "new"\nmsgstr "x"\n\n#~| msgid "older"\n#~ msgid "gone"\n#~ msgstr ""\n#~ "y"\n'
    ),
    "an unterminated string in an obsolete entry": 'msgid "a"\nmsgstr "x"\n\n#~ msgid "c\n#~ msgstr "d"\n',
    "garbage after #~": 'msgid "a"\nmsgstr "x"\n\n#~ garbage\n',
    "each flags line sets the flags anew": (
        '#, fuzzy\n#, c-format\nmsgid "a %d"\nmsgstr "x %d"\n\n#, c-format\n#! fuzzy\nmsgid "b %d"\nmsgstr "y %d"\n'
    ),
    "flags split at ASCII white space only": '#, fuzzy\u00a0\nmsgid "a"\nmsgstr "x"\n\n#, fuzzy,c-format\nmsgid "b"\nmsgstr "y"\n',
    "a header with an empty msgstr is a message": 'msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgstr "b"\n',
}


@pytest.mark.parametrize("name", sorted(EDGES))
def test_catalogs_at_the_edges_of_the_grammar_are_counted_or_refused_as_msgfmt_does(name, tmp_path):
    catalog = tmp_path / "tree" / "fr" / "LC_MESSAGES" / "edge.po"
    catalog.parent.mkdir(parents=True)
    text = EDGES[name] if EDGES[name].startswith('msgid ""') else HEADER + EDGES[name]
    catalog.write_bytes(text.encode("utf-8"))
    [result] = count_tree(find_catalogs([tmp_path / "tree"]), tmp_path / "cache")
    expected = msgfmt_counts(catalog)
    if expected is None:
        assert result.error is not None, f"msgfmt refuses it, locflow counted {result.stats}"
    else:
        assert result.error is None, result.error
        assert (result.stats.translated, result.stats.fuzzy, result.stats.untranslated) == expected


def test_a_catalog_the_checks_cannot_read_is_an_error_of_the_tree_check_not_a_pass(tmp_path):
    """An obsolete entry without its msgstr: msgfmt refuses the file. The quick count
    vouches only for what it reads; the checks' full parser refuses it, and the
    tree check names it and exits 2 instead of reporting it as checked."""
    from .conftest import run_locflow

    catalog = tmp_path / "tree" / "fr" / "LC_MESSAGES" / "edge.po"
    catalog.parent.mkdir(parents=True)
    catalog.write_text(HEADER + 'msgid "a"\nmsgstr "x"\n\n#~ msgid "c"\n', encoding="utf-8")
    assert msgfmt_counts(catalog) is None
    for _ in range(2):  # and the same again, with the counts cached
        result = run_locflow(tmp_path, "check", "--format", "json", str(tmp_path / "tree"))
        import json

        data = json.loads(result.stdout)
        assert result.code == 2 and data["unreadable"] == 1
        assert data["catalogs"][0]["error"] is not None and "edge.po" in result.stderr
