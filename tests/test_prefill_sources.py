"""prefill asks the draft sources in order: memory exact, memory near, then machine translation."""

import json
import shutil

import polib

from .conftest import SEED, SEED_SLUG, assert_msgfmt_accepts, run_locflow, write_pyproject
from .libre_server import LibreServer

SECOND = "baku-pogroms-revisited"
HEADING = "Humanitarian Crisis:"
FIRST = (
    "In a dark retrospective, we remember the tragic events of the Baku pogroms that unfolded from "
    "January 12-19, 1990, leaving a permanent, bloody stain on the history of Azerbaijan and the "
    "broader South Caucasus region."
)
CHANGED = FIRST.replace("In a dark retrospective, we remember", "In a sombre retrospective, we recall")


def test_memory_drafts_come_first_and_machine_translation_gets_only_the_rest(tmp_path):
    root = tmp_path / "site"
    (root / "source").mkdir(parents=True)
    shutil.copy(SEED, root / "source" / SEED.name)
    second = SEED.read_text(encoding="utf-8").replace(FIRST, CHANGED)
    (root / "source" / f"{SECOND}.txt").write_text(second, encoding="utf-8")
    with LibreServer() as libre:
        write_pyproject(
            root,
            languages=("ru",),
            extra=f"""
[tool.locflow.prefill]
sources = ["memory-exact", "memory-near", "machine"]
[tool.locflow.memory]
near-threshold = 80
[tool.locflow.machine]
providers = ["libre"]
[tool.locflow.machine.libre]
base-url = "{libre.url}"
""",
        )
        run_locflow(root, "extract", check_code=0)
        run_locflow(root, "update", check_code=0)
        # A translator has finished two strings of the first article (and nothing else).
        first_po = root / "locales" / "ru" / "LC_MESSAGES" / f"{SEED_SLUG}.po"
        catalog = polib.pofile(str(first_po))
        catalog.find(HEADING).msgstr = "Гуманитарный кризис:"
        catalog.find(FIRST).msgstr = "В мрачной ретроспективе мы вспоминаем трагические события 12–19 января 1990 года."
        catalog.save()
        human = first_po.read_bytes()

        run_locflow(root, "prefill", check_code=0)

        second_po = root / "locales" / "ru" / "LC_MESSAGES" / f"{SECOND}.po"
        drafts = polib.pofile(str(second_po))
        exact = drafts.find(HEADING)
        assert exact.msgstr == "Гуманитарный кризис:" and exact.fuzzy
        assert "locflow-draft: memory" in exact.tcomment
        near = drafts.find(CHANGED)
        assert near.fuzzy and near.msgstr.startswith("В мрачной ретроспективе")
        assert "%" in near.tcomment and "In a dark retrospective" in " ".join(near.tcomment.split())
        # Every other string went to the machine, once per distinct string, and the memory's did not.
        after = polib.pofile(str(first_po))
        by_origin: dict[str, set[str]] = {"memory": set(), "machine": set()}
        for entry in [*after, *drafts]:
            for origin in by_origin:
                if entry.msgstr and f"locflow-draft: {origin}" in entry.tcomment:
                    by_origin[origin].add(entry.msgid)
        assert by_origin["memory"] == {HEADING, CHANGED}
        assert not by_origin["memory"] & by_origin["machine"]
        # 18 distinct strings in the two articles, less the two a translator did and the near match.
        assert len(libre.texts()) == len(by_origin["machine"]) == 18 - 3
        assert HEADING not in libre.texts()
        # The translator's own strings are untouched; the two strings are filled in the first article
        # only where it was empty, and every catalog is valid.
        assert not after.find(HEADING).fuzzy and after.find(HEADING).msgstr == "Гуманитарный кризис:"
        assert human != first_po.read_bytes()  # its empty entries were drafted...
        assert all(e.fuzzy for e in after if e.msgstr and e.msgid not in (HEADING, FIRST))  # ...as fuzzy drafts
        assert_msgfmt_accepts(first_po)
        assert_msgfmt_accepts(second_po)


def test_pseudo_locales_in_languages_are_generated_by_prefill_and_never_sent(tmp_path):
    root = tmp_path / "site"
    (root / "source").mkdir(parents=True)
    shutil.copy(SEED, root / "source" / SEED.name)
    with LibreServer() as libre:
        write_pyproject(
            root,
            languages=("ru", "en_XA"),
            extra=f"""
[tool.locflow.prefill]
sources = ["machine"]
[tool.locflow.machine]
providers = ["libre"]
[tool.locflow.machine.libre]
base-url = "{libre.url}"
""",
        )
        run_locflow(root, "extract", check_code=0)
        run_locflow(root, "update", check_code=0)
        result = run_locflow(root, "prefill", check_code=0)
        assert "pseudo-locales en_XA: 1 catalogs generated offline" in result.stdout
        assert len(libre.texts()) == 17  # the Russian strings only
        pseudo_po = root / "locales" / "en_XA" / "LC_MESSAGES" / f"{SEED_SLUG}.po"
        entry = polib.pofile(str(pseudo_po)).find("Updated: {date}")
        assert entry.msgstr.startswith("[") and "{date}" in entry.msgstr and not entry.fuzzy
        assert_msgfmt_accepts(pseudo_po)
        run_locflow(root, "build", "-l", "en_XA", check_code=0)
        article = (root / "build" / "en_XA" / f"{SEED_SLUG}.txt").read_text(encoding="utf-8")
        assert "Ĥûɱåñîţåŕîåñ" in article and "top of page" not in article  # the article, without the page chrome
        again = run_locflow(root, "prefill", "--format", "json", check_code=0)
        assert {f["status"] for f in json.loads(again.stdout)["pseudo"]} == {"unchanged"}


def test_pseudo_locale_catalogs_pass_the_checks(tmp_path):
    root = tmp_path / "site"
    (root / "source").mkdir(parents=True)
    shutil.copy(SEED, root / "source" / SEED.name)
    write_pyproject(root, languages=("ru", "en_XA"))
    run_locflow(root, "extract", check_code=0)
    run_locflow(root, "pseudo", "-l", "en_XA", "-l", "en_XA", check_code=0)
    report = json.loads(run_locflow(root, "check", "-l", "en_XA", "--format", "json", check_code=0).stdout)
    assert report["languages"][0]["translated"] == 17
    assert report["findings"] == []


def test_machine_drafts_lacking_an_approved_term_say_so(tmp_path):
    root = tmp_path / "site"
    (root / "source").mkdir(parents=True)
    shutil.copy(SEED, root / "source" / SEED.name)
    with LibreServer() as libre:
        write_pyproject(
            root,
            languages=("ru",),
            extra=f"""
[tool.locflow.prefill]
sources = ["machine"]
[tool.locflow.machine]
providers = ["libre"]
[tool.locflow.machine.libre]
base-url = "{libre.url}"
""",
        )
        (root / "locales" / "ru").mkdir(parents=True)
        (root / "locales" / "ru" / "glossary.csv").write_text("source,target\nCrisis,катастрофа\n", encoding="utf-8")
        run_locflow(root, "extract", check_code=0)
        run_locflow(root, "update", check_code=0)
        run_locflow(root, "prefill", check_code=0)
        po = root / "locales" / "ru" / "LC_MESSAGES" / f"{SEED_SLUG}.po"
        entry = polib.pofile(str(po)).find(HEADING)
        assert "machine:libre" in entry.tcomment
        assert "glossary: Crisis → катастрофа" in " ".join(entry.tcomment.split())
        other = polib.pofile(str(po)).find("Pogroms Unleashed:")
        assert "glossary" not in other.tcomment
