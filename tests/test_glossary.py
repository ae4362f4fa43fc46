"""Glossaries: approved terms found in translations (Armenian and Russian inflection), TBX import."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import polib
import pytest

from locflow.catalogs import catalog_path, read_catalog, save_catalog
from locflow.config import load_settings
from locflow.drafts import apply_draft, load_source
from locflow.glossary import Term, load_glossary, missing_terms, terms_in

from .conftest import REPO, SEED, assert_msgfmt_accepts, run_locflow, write_pyproject
from .test_memory import NEAR, SECOND, flat, memory_project  # noqa: F401 (fixture)

RU = load_glossary(REPO / "locales" / "ru" / "glossary.csv")
HY = load_glossary(REPO / "locales" / "hy" / "glossary.csv")


def names(terms):
    return sorted(term.source for term in terms)


def test_shipped_glossaries_cover_the_seed_article():
    seed = SEED.read_text(encoding="utf-8")
    for glossary in (RU, HY):
        assert {"Baku", "Azerbaijan", "Armenians", "Nagorno-Karabakh", "Soviet Union", "South Caucasus"} <= set(names(glossary))
        assert names(terms_in(seed, glossary)) == names(glossary)  # every term occurs in the article


@pytest.mark.parametrize(
    "translation",
    [
        "Погромы в Баку, столице Азербайджана, против армян в последние дни Советского Союза.",
        "ПОГРОМЫ В БАКУ, СТОЛИЦЕ АЗЕРБАЙДЖАНА, ПРОТИВ АРМЯН В ПОСЛЕДНИЕ ДНИ СОВЕТСКОГО СОЮЗА.",
        "В Азербайджане, в Баку, армянам пришлось бежать в последние годы Советского Союза.",
    ],
)
def test_russian_inflected_terms_are_found(translation):
    source = "The pogroms in Baku, the capital of Azerbaijan, against Armenians in the last days of the Soviet Union."
    assert missing_terms(source, translation, RU) == []


@pytest.mark.parametrize(
    "translation",
    [
        "Բաքվում՝ Ադրբեջանի մայրաքաղաքում, հայերի դեմ ջարդերը Խորհրդային Միության վերջին օրերին։",
        "Բաքուն Ադրբեջանում հայերին Խորհրդային Միությունում",
    ],
)
def test_armenian_inflected_terms_are_found(translation):
    source = "The pogroms in Baku, the capital of Azerbaijan, against Armenians in the last days of the Soviet Union."
    assert missing_terms(source, translation, HY) == []


def test_missing_russian_terms_are_reported():
    source = "Armenians fled Baku during the Nagorno-Karabakh conflict."
    # "Армении" (Armenia) is not "армяне" (Armenians); Карабах alone is not the approved name
    translation = "Жители Армении бежали из города во время конфликта в Карабахе."
    assert names(missing_terms(source, translation, RU)) == ["Armenians", "Baku", "Nagorno-Karabakh"]
    assert names(missing_terms(source, "Армяне бежали из Баку во время конфликта в Нагорном Карабахе.", RU)) == []


def test_missing_armenian_terms_are_reported():
    source = "The violence spread across the South Caucasus and Azerbaijan."
    assert names(missing_terms(source, "Բռնությունը տարածվեց Կովկասում։", HY)) == ["Azerbaijan", "South Caucasus"]
    assert names(missing_terms(source, "Բռնությունը տարածվեց Հարավային Կովկասում և Ադրբեջանում։", HY)) == []


def test_a_word_that_only_starts_alike_is_not_the_term():
    # the stem of армяне is армя-: армия (army) and Армения (Armenia) are other words
    assert names(missing_terms("Armenians", "армия", RU)) == ["Armenians"]
    assert names(missing_terms("Armenians", "Армения", RU)) == ["Armenians"]
    # a short word takes at most three more letters: Союз, Союза, Союзом, not Союзниками
    assert names(missing_terms("Soviet Union", "Советские Союзниками", RU)) == ["Soviet Union"]


def test_a_term_inside_a_longer_term_counts_once():
    terms = [Term("Nagorno-Karabakh war", "Карабахская война"), Term("Nagorno-Karabakh", "Нагорный Карабах")]
    source = "the 2020 Nagorno-Karabakh war"
    assert missing_terms(source, "Карабахская война 2020 года", terms) == []
    assert names(missing_terms(source + " in Nagorno-Karabakh", "Карабахская война 2020 года", terms)) == ["Nagorno-Karabakh"]


def test_empty_translation_has_nothing_missing():
    assert missing_terms("Baku", "", RU) == []


def test_near_draft_names_the_glossary_terms_it_lacks(memory_project, tmp_path):  # noqa: F811
    glossary = memory_project / "locales" / "ru" / "glossary.csv"
    glossary.write_text("source,target,note\nBaku,Баку,city\nSoviet Union,Советский Союз,state\nhumanitarian crisis,гуманитарная катастрофа,\n", encoding="utf-8")
    settings = load_settings(memory_project)
    ru = settings.language("ru")
    draft = load_source("memory-near", settings).drafts(ru, [NEAR])[NEAR]
    # the memory's translation says Баку but "гуманитарный кризис", not the approved term
    assert draft.detail.endswith("; glossary: humanitarian crisis → гуманитарная катастрофа")
    path = catalog_path(settings.locales_dir, "ru", SECOND)
    catalog = read_catalog(path)
    apply_draft(catalog.find(NEAR), draft)
    save_catalog(catalog, path)
    assert_msgfmt_accepts(path)
    assert flat("glossary: humanitarian crisis → гуманитарная катастрофа") in flat(polib.pofile(str(path)).find(NEAR).tcomment)


TBX2 = """
<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang="en">
  <martifHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></martifHeader>
  <text><body>
    <termEntry id="1">
      <descrip type="definition">capital of Azerbaijan</descrip>
      <langSet xml:lang="en-US"><tig><term>Baku</term></tig></langSet>
      <langSet xml:lang="ru"><tig><term>Баку</term></tig></langSet>
      <langSet xml:lang="hy"><tig><term>Բաքու</term></tig></langSet>
    </termEntry>
    <termEntry id="2">
      <langSet xml:lang="en"><ntig><termGrp><term>Soviet Union</term></termGrp></ntig></langSet>
      <langSet xml:lang="ru">
        <tig><term>СССР</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
        <tig><term>Советский Союз</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
      </langSet>
    </termEntry>
    <termEntry id="3"><langSet xml:lang="en"><tig><term>Yerevan</term></tig></langSet>
      <langSet xml:lang="hy"><tig><term>Երևան</term></tig></langSet></termEntry>
  </body></text>
</martif>
"""

TBX3 = """
<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
  <tbxHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></tbxHeader>
  <text><body>
    <conceptEntry id="c1">
      <langSec xml:lang="en"><termSec><term>Armenians</term></termSec></langSec>
      <langSec xml:lang="ru"><termSec><term>армяне</term></termSec></langSec>
    </conceptEntry>
    <conceptEntry id="c2">
      <langSec xml:lang="en"><termSec><term>Baku</term></termSec></langSec>
      <langSec xml:lang="ru"><termSec><term>Бакы</term></termSec></langSec>
    </conceptEntry>
  </body></text>
</tbx>
"""


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def test_tbx_import_writes_and_merges_the_glossary(project, tmp_path):
    write_pyproject(project, languages=("hy", "ru"))
    tbx2, tbx3 = write(tmp_path / "a.tbx", TBX2), write(tmp_path / "b.tbx", TBX3)
    result = run_locflow(project, "glossary", "import", str(tbx2), "-l", "ru", check_code=0)
    assert result.stdout.strip() == "glossary: 2 terms added, 2 in locales/ru/glossary.csv (updated)"
    path = project / "locales" / "ru" / "glossary.csv"
    assert load_glossary(path) == [Term("Soviet Union", "Советский Союз"), Term("Baku", "Баку", "capital of Azerbaijan")]

    # TBX 3: a new term is added; the glossary's own translation of Baku is kept and the difference said
    result = run_locflow(project, "glossary", "import", str(tbx3), "-l", "ru", check_code=0)
    assert "glossary: Baku: 'Баку' kept; the file says 'Бакы'" in result.stdout
    assert path.read_text(encoding="utf-8") == (
        "source,target,note\nBaku,Баку,capital of Azerbaijan\nSoviet Union,Советский Союз,\nArmenians,армяне,\n"
    )
    again = run_locflow(project, "glossary", "import", str(tbx3), "-l", "ru", "--format", "json", check_code=0)
    assert json.loads(again.stdout) == {
        "schema": "locflow.glossary-import/1", "file": "locales/ru/glossary.csv", "status": "unchanged", "language": "ru",
        "terms": 3, "added": [], "conflicts": [{"source": "Baku", "glossary": "Баку", "file": "Бакы", "replaced": False}],
    }

    run_locflow(project, "glossary", "import", str(tbx3), "-l", "ru", "--replace", check_code=0)
    assert Term("Baku", "Бакы", "capital of Azerbaijan") in load_glossary(path)

    run_locflow(project, "glossary", "import", str(tbx2), "-l", "hy", check_code=0)
    assert load_glossary(project / "locales" / "hy" / "glossary.csv") == [Term("Yerevan", "Երևան"), Term("Baku", "Բաքու", "capital of Azerbaijan")]


def test_tbx_import_errors(project, tmp_path):
    bad = write(tmp_path / "bad.tbx", "<martif>\n<text><body>\n</martif>\n")
    result = run_locflow(project, "glossary", "import", str(bad), "-l", "ru", check_code=2)
    assert result.stderr.startswith(f"locflow: error: {bad}:3: not well-formed XML")
    empty = write(tmp_path / "fr.tbx", TBX2.replace('xml:lang="ru"', 'xml:lang="fr"'))
    result = run_locflow(project, "glossary", "import", str(empty), "-l", "ru", check_code=2)
    assert "no terms with both 'en' and 'ru'" in result.stderr
    assert not (project / "locales" / "ru" / "glossary.csv").exists()
    result = run_locflow(project, "glossary", "import", str(empty), "-l", "de", check_code=2)
    assert "'de' is not one of the site's languages" in result.stderr
