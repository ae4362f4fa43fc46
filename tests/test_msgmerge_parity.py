"""update merges as GNU msgmerge --previous does, compared entry by entry on the same files."""

import shutil
import subprocess

import polib

from locflow.catalogs import catalog_path, template_path

from .conftest import SEED_SLUG, run_locflow

EDITS = [
    ("In a dark retrospective, we remember", "In a sombre retrospective, we recall"),  # changed: fuzzy
    ("Pogroms Unleashed:", "Pogroms Unleashed!"),  # changed: fuzzy
    ("Humanitarian Crisis:\n\n", ""),  # removed: obsolete
    ("Legacy and Lessons:", "Legacy and Lessons:\n\nA new paragraph about the archives of 1990 and what they hold."),
]


def semantic(catalog: polib.POFile) -> dict:
    """What a translator sees of each entry, ignoring layout and header."""
    return {
        (entry.msgctxt, entry.msgid, entry.obsolete): (
            entry.msgstr,
            entry.fuzzy,
            entry.previous_msgid if entry.fuzzy and not entry.obsolete else None,
            entry.tcomment,
        )
        for entry in catalog
        if entry.msgid
    }


def test_update_matches_msgmerge_previous(project):
    run_locflow(project, "extract", check_code=0)
    run_locflow(project, "update", "-l", "ru", check_code=0)
    po = catalog_path(project / "locales", "ru", SEED_SLUG)
    catalog = polib.pofile(str(po))
    for number, entry in enumerate(catalog):
        entry.msgstr = f"перевод {number}: {entry.msgid[:20]}"
        if number == 3:
            entry.tcomment = "checked by Anna"
    catalog.save()
    old = po.with_suffix(".old.po")
    shutil.copy(po, old)

    source = project / "source" / f"{SEED_SLUG}.txt"
    text = source.read_text(encoding="utf-8")
    for before, after in EDITS:
        assert before in text
        text = text.replace(before, after, 1)
    source.write_text(text, encoding="utf-8")
    run_locflow(project, "extract", check_code=0)
    run_locflow(project, "update", "-l", "ru", check_code=0)

    reference = subprocess.run(
        ["msgmerge", "--previous", "--quiet", "-o", "-", str(old), str(template_path(project / "locales", SEED_SLUG))],
        capture_output=True, text=True, check=True,
    ).stdout
    ours, theirs = semantic(polib.pofile(str(po))), semantic(polib.pofile(reference))
    assert ours == theirs
    fuzzy = [key for key, value in ours.items() if value[1] and not key[2]]
    obsolete = [key for key in ours if key[2]]
    assert len(fuzzy) == 2 and len(obsolete) == 1  # the test exercises both paths
