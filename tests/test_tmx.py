"""TMX 1.4: the memory goes out to other tools and comes back in, unchanged."""

from __future__ import annotations

import textwrap

import pytest
from lxml import etree

from locflow.config import load_settings
from locflow.drafts import load_source
import json

from locflow.tmx import XML_LANG, Memory, TMXError, Unit, read_tmx, write_tmx

from .conftest import run_locflow, write_pyproject
from .test_memory import HUMANITARIAN, HUMANITARIAN_RU, memory_project  # noqa: F401 (fixture)

TRICKY = Memory(
    "en",
    [
        Unit("Updated: {date}", {"hy": "Թարմացվել է՝ {date}", "ru": "Обновлено: {date}"}),
        Unit("May", {"ru": "май"}, context="month"),
        Unit('Tags <b>&amp;</b> "quotes" & <angle>', {"ru": 'Теги <b>&amp;</b> «кавычки» & <угол>'}),
        Unit("Two\nlines  with  spaces ", {"fr": "Deux\nlignes  avec  espaces "}, note="kept as is"),
        Unit("Empty context", {"ru": "Пустой контекст"}, context=""),
    ],
)


def test_round_trip_keeps_every_unit(tmp_path):
    path = tmp_path / "out.tmx"
    assert write_tmx(TRICKY, path)
    back = read_tmx(path)
    assert back.source_language == "en"
    assert back.units == TRICKY.units
    assert not write_tmx(back, path)  # same memory, same bytes: nothing written


def test_written_file_is_tmx_1_4(tmp_path):
    path = tmp_path / "out.tmx"
    write_tmx(TRICKY, path)
    data = path.read_bytes()
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">")
    root = etree.fromstring(data)
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    for attribute in ("creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang", "srclang", "datatype"):
        assert header.get(attribute), attribute  # required by TMX 1.4
    first = root.find("body/tu")
    assert [tuv.get(XML_LANG) for tuv in first.findall("tuv")] == ["en", "hy", "ru"]
    context = root.findall("body/tu")[1].find("prop")
    assert (context.get("type"), context.text) == ("x-context", "month")


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def test_reads_what_other_tools_write(tmp_path):
    """Region subtags, TMX 1.1's lang=, inline markup, a unit-level srclang, and *all*."""
    path = write(
        tmp_path,
        "other.tmx",
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE tmx SYSTEM "tmx14.dtd">
        <tmx version="1.4">
          <header creationtool="OmegaT" creationtoolversion="6" segtype="sentence" o-tmf="OmegaT"
                  adminlang="EN-US" srclang="EN-US" datatype="plaintext"/>
          <body>
            <tu>
              <tuv xml:lang="EN-US"><seg>Click <bpt i="1">&lt;b&gt;</bpt>here<ept i="1">&lt;/b&gt;</ept> for <ph>%s</ph></seg></tuv>
              <tuv xml:lang="ru-RU"><seg>Нажмите <bpt i="1">&lt;b&gt;</bpt>здесь<ept i="1">&lt;/b&gt;</ept> для <ph>%s</ph></seg></tuv>
            </tu>
            <tu><tuv lang="en"><seg>Baku</seg></tuv><tuv lang="hy-AM"><seg>Բաքու</seg></tuv></tu>
            <tu><tuv xml:lang="ru"><seg>Без исходного текста</seg></tuv></tu>
          </body>
        </tmx>
        """,
    )
    memory = read_tmx(path)
    assert memory.units == [
        Unit("Click <b>here</b> for %s", {"ru-RU": "Нажмите <b>здесь</b> для %s"}),
        Unit("Baku", {"hy-AM": "Բաքու"}),
    ]


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("<tmx version='1.4'>\n<header srclang='en'/>\n<body><tu></body></tmx>\n", "not well-formed XML", 3),
        ("<tmx version='1.4'>\n<body/></tmx>\n", "needs a srclang attribute", 1),
        ("<xliff/>\n", "not a TMX file", 1),
        ("<tmx version='1.4'><header srclang='en'/><body>\n<tu><tuv><seg>x</seg></tuv></tu></body></tmx>\n", "needs an xml:lang", 2),
    ],
)
def test_bad_files_are_errors_with_file_and_line(tmp_path, text, message, line):
    path = tmp_path / "bad.tmx"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TMXError) as caught:
        read_tmx(path)
    assert message in caught.value.message and caught.value.line == line and caught.value.path == path


def test_external_entities_are_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET", encoding="utf-8")
    path = tmp_path / "xxe.tmx"
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE tmx [<!ENTITY x SYSTEM "file://{secret}">]>\n'
        '<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>a&x;</seg></tuv>'
        '<tuv xml:lang="ru"><seg>б</seg></tuv></tu></body></tmx>\n',
        encoding="utf-8",
    )
    assert "SECRET" not in repr(read_tmx(path).units)


def test_export_then_import_into_another_project(memory_project, tmp_path):  # noqa: F811
    out = tmp_path / "site.tmx"
    result = run_locflow(memory_project, "memory", "export", str(out), "-l", "ru", check_code=0)
    assert result.stdout.strip() == f"memory: 3 units (ru) written to {out}"
    exported = read_tmx(out)
    assert exported.source_language == "en"
    assert Unit(HUMANITARIAN, {"ru": HUMANITARIAN_RU}) in exported.units
    assert all(set(unit.targets) == {"ru"} for unit in exported.units)

    other = tmp_path / "other"
    (other / "source").mkdir(parents=True)
    write_pyproject(other, languages=("ru",))
    result = run_locflow(other, "memory", "import", str(out), check_code=0)
    stored = other / "locales" / "memory" / "site.tmx"
    assert result.stdout.strip() == f"memory: 3 units (ru) from {out}: locales/memory/site.tmx created"
    assert read_tmx(stored).units == exported.units
    again = run_locflow(other, "memory", "import", str(out), "--format", "json", check_code=0)
    assert json.loads(again.stdout) == {
        "schema": "locflow.memory-import/1", "file": "locales/memory/site.tmx", "status": "unchanged", "units": 3, "languages": ["ru"],
    }

    settings = load_settings(other)
    draft = load_source("memory-exact", settings).drafts(settings.language("ru"), [HUMANITARIAN])[HUMANITARIAN]
    assert draft.text == HUMANITARIAN_RU and "exact match from locales/memory/site.tmx" in draft.detail
    # the imported file lives with the catalogs: deleting the cache loses nothing
    import shutil

    shutil.rmtree(settings.cache_dir)
    assert load_source("memory-exact", settings).drafts(settings.language("ru"), [HUMANITARIAN])


def test_import_merges_and_never_replaces_a_stored_translation(project, tmp_path):
    write_pyproject(project, languages=("hy", "ru"))
    first = tmp_path / "mem.tmx"
    write_tmx(Memory("en", [Unit("Baku", {"ru": "Баку"})]), first)
    run_locflow(project, "memory", "import", str(first), check_code=0)
    second = tmp_path / "later" / "mem.tmx"
    second.parent.mkdir()
    write_tmx(Memory("en-GB", [Unit("Baku", {"ru": "Бакы", "hy": "Բաքու"}), Unit("Armenians", {"ru": "армяне"})]), second)
    result = run_locflow(project, "memory", "import", str(second), check_code=0)
    assert result.stdout.strip().endswith("locales/memory/mem.tmx updated")
    stored = read_tmx(project / "locales" / "memory" / "mem.tmx")
    assert stored.units == [Unit("Baku", {"hy": "Բաքու", "ru": "Баку"}), Unit("Armenians", {"ru": "армяне"})]


def test_import_refuses_a_memory_in_another_source_language(project, tmp_path):
    french = tmp_path / "fr.tmx"
    write_tmx(Memory("fr", [Unit("Bonjour", {"ru": "Привет"})]), french)
    result = run_locflow(project, "memory", "import", str(french), check_code=2)
    assert f"{french}: no translation units with the source language 'en'" in result.stderr
    assert not (project / "locales" / "memory").exists()


def test_import_of_a_malformed_file_names_file_and_line(project, tmp_path):
    bad = tmp_path / "bad.tmx"
    bad.write_text("<tmx version='1.4'>\n<header srclang='en'/>\n<body>\n</tmx>\n", encoding="utf-8")
    result = run_locflow(project, "memory", "import", str(bad), check_code=2)
    assert result.stderr.startswith(f"locflow: error: {bad}:4: not well-formed XML")
    assert not (project / "locales" / "memory").exists()


def test_any_source_memory_with_region_tags(project, tmp_path):
    path = write(
        tmp_path,
        "all.tmx",
        """
        <tmx version="1.4"><header srclang="*all*" creationtool="x" creationtoolversion="1" segtype="block"
             o-tmf="x" adminlang="en" datatype="plaintext"/>
        <body><tu><tuv xml:lang="ru-RU"><seg>Армяне</seg></tuv><tuv xml:lang="en-US"><seg>Armenians</seg></tuv></tu></body></tmx>
        """,
    )
    write_pyproject(project, languages=("ru",))
    run_locflow(project, "memory", "import", str(path), check_code=0)
    settings = load_settings(project)
    assert load_source("memory-exact", settings).drafts(settings.language("ru"), ["Armenians"])["Armenians"].text == "Армяне"


def test_reads_utf16_files_as_trados_writes_them(tmp_path):
    path = tmp_path / "trados.tmx"
    text = (
        '<?xml version="1.0" encoding="UTF-16"?>\n<tmx version="1.4"><header srclang="en-US"/><body>'
        '<tu><tuv xml:lang="en-US"><seg>Armenians</seg></tuv><tuv xml:lang="hy-AM"><seg>հայեր</seg></tuv></tu>'
        "</body></tmx>\n"
    )
    path.write_bytes(text.encode("utf-16"))
    assert read_tmx(path).units == [Unit("Armenians", {"hy-AM": "հայեր"})]
