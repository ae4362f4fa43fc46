"""Drafts are fuzzy, say where they came from, and never touch a translator's work."""

import datetime as dt

import polib

from locflow.catalogs import read_catalog, save_catalog
from locflow.drafts import DRAFT_MARK, Draft, apply_draft, is_fillable

from .conftest import assert_msgfmt_accepts

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: ru\\n"\n\n'


def test_long_provenance_is_replaced_whole_after_a_save(tmp_path):
    path = tmp_path / "ru.po"
    path.write_text(HEADER + '# reviewed by Anna\nmsgid "The Baku pogroms"\nmsgstr ""\n', encoding="utf-8")
    catalog = read_catalog(path)
    entry = catalog.find("The Baku pogroms")
    long_detail = "87% match of: " + "The Baku pogroms were a series of violent anti-Armenian attacks " * 2
    apply_draft(entry, Draft("Бакинские погромы", "memory", long_detail), dt.date(2026, 11, 25))
    save_catalog(catalog, path)
    assert_msgfmt_accepts(path, allow_warnings=True)

    written = read_catalog(path).find("The Baku pogroms")
    assert written.tcomment.split("\n")[1].startswith(f"{DRAFT_MARK} memory, 2026-11-25; 87% match of:")
    assert len(written.tcomment.split("\n")) == 2, "gettext's layout never wraps a comment"

    # A tool that wraps long comments (polib does) splits the provenance over lines.
    wrapped = polib.pofile(str(path))
    wrapped.save()
    reread = read_catalog(path)
    entry = reread.find("The Baku pogroms")
    assert entry.fuzzy and entry.msgstr == "Бакинские погромы"
    comment_lines = entry.tcomment.split("\n")
    assert comment_lines[0] == "reviewed by Anna"
    assert len(comment_lines) > 2, "polib wraps the long provenance comment"
    assert comment_lines[1].startswith(f"{DRAFT_MARK} memory, 2026-11-25; 87% match of:")

    assert is_fillable(entry, overwrite_fuzzy=True) and not is_fillable(entry)
    apply_draft(entry, Draft("Погромы в Баку", "machine:libre"), dt.date(2026, 11, 26))
    save_catalog(reread, path)
    entry = read_catalog(path).find("The Baku pogroms")
    lines = entry.tcomment.split("\n")
    assert lines[0] == "reviewed by Anna"
    assert " ".join(lines[1:]) == f"{DRAFT_MARK} machine:libre, 2026-11-26. Review before removing the fuzzy flag."
    assert "87%" not in entry.tcomment and "anti-Armenian" not in entry.tcomment


def test_translated_entries_are_never_fillable():
    done = polib.POEntry(msgid="a", msgstr="б")
    assert not is_fillable(done) and not is_fillable(done, overwrite_fuzzy=True)
    assert is_fillable(polib.POEntry(msgid="a", msgstr=""))
    assert not is_fillable(polib.POEntry(msgid="a", msgstr="", obsolete=True))


def test_overwrite_fuzzy_replaces_our_drafts_but_never_a_translators_fuzzy_match():
    draft = polib.POEntry(msgid="a", msgstr="черновик", flags=["fuzzy"], tcomment=f"{DRAFT_MARK} machine:google, 2026-11-25. Review before removing the fuzzy flag.")
    earlier = polib.POEntry(msgid="a", msgstr="старый перевод", flags=["fuzzy"], previous_msgid="b", tcomment="Anna")
    marked_fuzzy_by_translator = polib.POEntry(msgid="a", msgstr="не уверена", flags=["fuzzy"])
    assert is_fillable(draft, overwrite_fuzzy=True)
    assert not is_fillable(earlier, overwrite_fuzzy=True)
    assert not is_fillable(marked_fuzzy_by_translator, overwrite_fuzzy=True)


def test_approving_a_draft_drops_the_review_note_on_the_next_update(project):
    """A translator removes the fuzzy flag: update keeps the draft's origin, not the request to review it."""
    from .conftest import SEED_SLUG, run_locflow

    run_locflow(project, "extract", check_code=0)
    run_locflow(project, "update", "-l", "ru", check_code=0)
    path = project / "locales" / "ru" / "LC_MESSAGES" / f"{SEED_SLUG}.po"
    catalog = read_catalog(path)
    drafted = catalog.find("Humanitarian Crisis:")
    waiting = catalog.find("Pogroms Unleashed:")
    apply_draft(drafted, Draft("Гуманитарный кризис:", "machine:libre"), dt.date(2026, 11, 25))
    apply_draft(waiting, Draft("Погромы:", "machine:libre"), dt.date(2026, 11, 25))
    drafted.flags.remove("fuzzy")  # approved in Poedit
    save_catalog(catalog, path)
    run_locflow(project, "update", "-l", "ru", check_code=0)
    catalog = read_catalog(path)
    assert catalog.find("Humanitarian Crisis:").tcomment == f"{DRAFT_MARK} machine:libre, 2026-11-25."
    still = catalog.find("Pogroms Unleashed:")
    assert still.fuzzy and still.tcomment.endswith("Review before removing the fuzzy flag.")
    assert_msgfmt_accepts(path)
