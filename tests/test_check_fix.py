"""`locflow check --fix`: only fixes that cannot change meaning, on published entries only,
atomically, never on a catalog locflow cannot read; `--dry-run` shows them and writes nothing."""

from __future__ import annotations

import json
import os
from pathlib import Path

import polib
import pytest

from locflow.checks import CheckOptions
from locflow.checks.fixes import fix_entry
from locflow.languages import get_language

from .conftest import assert_msgfmt_accepts, run_locflow, write_pyproject
from .test_check_report import NOTE_SLUG, make_site, po_path, translate

NNBSP = "\u202f"
EN = get_language("en")
QUOTED = 'He said "never again".'


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``root`` with its bytes and modification time."""
    files = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            files[str(path.relative_to(root))] = (path.read_bytes(), path.stat().st_mtime_ns)
    return files


def site_with_defects(project: Path) -> Path:
    """hy, ru and fr catalogs of a short note with fixable defects, a fuzzy draft and an ignore flag."""
    write_pyproject(project, languages=("hy", "ru", "fr"), extra='[tool.locflow.checks]\nellipsis = "character"\n')
    (project / "source" / f"{NOTE_SLUG}.txt").write_text(
        "A Short Note\n\nThe pogroms began on January 13, 1990.\n\nWhere were you?\n\n" + QUOTED + "\n\nAnd then...\n",
        encoding="utf-8",
    )
    run_locflow(project, "extract", check_code=0)
    run_locflow(project, "update", check_code=0)
    translate(project, "hy", NOTE_SLUG, {
        "The pogroms began on January 13, 1990.": "Ջարդերը սկսվեցին 1990 թվականի հունվարի 13-ին:",
        "Where were you?": "Որտե՞ղ էիք:",
        "And then...": "Իսկ հետո...",
    })  # fmt: skip
    translate(project, "hy", NOTE_SLUG, {QUOTED: 'Նա ասաց՝ "այլևս երբեք".'}, fuzzy=True)  # a draft: never touched
    translate(project, "ru", NOTE_SLUG, {
        "A Short Note": " Короткая заметка ",
        QUOTED: 'Он сказал "больше никогда".',
        "Where were you?": "Где вы были ?",  # a finding, but not a safe fix: left for the translator
    })  # fmt: skip
    translate(project, "fr", NOTE_SLUG, {"Where were you?": "Où étiez-vous ?", QUOTED: 'Il a dit "plus jamais".'})
    path = po_path(project, "fr", NOTE_SLUG)  # the translator keeps straight quotes here on purpose
    catalog = polib.pofile(str(path))
    catalog.find(QUOTED).flags.append("ignore-quotes")
    catalog.save()
    return project


def msgstrs(project: Path, code: str) -> dict[str, tuple[str, list[str]]]:
    catalog = polib.pofile(str(po_path(project, code, NOTE_SLUG)))
    return {entry.msgid: (entry.msgstr, entry.flags) for entry in catalog}


def test_dry_run_shows_the_diff_and_writes_nothing(project):
    site_with_defects(project)
    before = snapshot(project)
    result = run_locflow(project, "check", "--fix", "--dry-run", check_code=0)
    assert snapshot(project) == before  # not a byte, not a cache file, not the lock
    diff = result.stdout
    assert f"--- a/locales/hy/LC_MESSAGES/{NOTE_SLUG}.po" in diff and f"+++ b/locales/hy/LC_MESSAGES/{NOTE_SLUG}.po" in diff
    assert '-msgstr "Ջարդերը սկսվեցին 1990 թվականի հունվարի 13-ին:"' in diff
    assert '+msgstr "Ջարդերը սկսվեցին 1990 թվականի հունվարի 13-ին։"' in diff
    assert '+msgstr "Он сказал «больше никогда»."' in diff
    # an invisible change is spelled out next to the diff
    assert "french-spacing: Où étiez-vous ? → Où étiez-vous<U+202F>?" in result.stderr
    assert "dry run, nothing written" in result.stderr

    data = json.loads(run_locflow(project, "check", "--fix", "--dry-run", "--format", "json", check_code=0).stdout)
    assert snapshot(project) == before
    assert data["schema"] == "locflow.fix/1" and data["dry_run"] is True
    changes = {(f["file"].split("/")[1], c["check"], c["after"]) for f in data["files"] for c in f["changes"]}
    assert ("ru", "quotes", "Он сказал «больше никогда».") in changes
    assert ("fr", "french-spacing", f"Où étiez-vous{NNBSP}?") in changes


def test_fix_applies_safe_fixes_only_to_published_entries(project):
    site_with_defects(project)
    hy_fuzzy_before = msgstrs(project, "hy")[QUOTED]
    result = run_locflow(project, "check", "--fix", "--format", "json", check_code=1)  # under the threshold
    assert "fix: 6 changes in 3 catalogs (ellipsis 1, french-spacing 1, punctuation 2, quotes 1, whitespace 1)" in result.stderr

    hy = msgstrs(project, "hy")
    assert hy["The pogroms began on January 13, 1990."][0] == "Ջարդերը սկսվեցին 1990 թվականի հունվարի 13-ին։"
    assert hy["Where were you?"][0] == "Որտե՞ղ էիք։"
    assert hy["And then..."][0] == "Իսկ հետո…"  # ellipsis = "character"
    assert hy[QUOTED] == hy_fuzzy_before  # the fuzzy draft is exactly as it was
    ru = msgstrs(project, "ru")
    assert ru["A Short Note"][0] == "Короткая заметка"
    assert ru[QUOTED][0] == "Он сказал «больше никогда»."
    assert ru["Where were you?"][0] == "Где вы были ?"  # reported, not fixed
    fr = msgstrs(project, "fr")
    assert fr["Where were you?"][0] == f"Où étiez-vous{NNBSP}?"
    assert fr[QUOTED][0] == 'Il a dit "plus jamais".'  # ignore-quotes: the translator's straight quotes stay
    for code in ("hy", "ru", "fr"):
        assert_msgfmt_accepts(po_path(project, code, NOTE_SLUG))

    # what the fixes removed is gone from the report; what they may not fix is still there
    report = json.loads(result.stdout)
    left = {(f["language"], f["check"]) for f in report["findings"]}
    assert ("ru", "punctuation-spacing") in left
    assert not left & {("hy", "punctuation"), ("ru", "quotes"), ("ru", "whitespace"), ("hy", "ellipsis")}

    # a second run has nothing left to fix and writes nothing
    before = snapshot(project / "locales")
    again = run_locflow(project, "check", "--fix", "--format", "json", check_code=1)
    assert "fix: 0 changes in 0 catalogs" in again.stderr
    assert snapshot(project / "locales") == before


def test_fix_never_touches_a_catalog_it_cannot_read_nor_any_other(project):
    site_with_defects(project)
    bad = po_path(project, "ru", NOTE_SLUG)
    bad.write_text(bad.read_text(encoding="utf-8") + '\nmsgid "broken\n', encoding="utf-8")
    before = snapshot(project)
    result = run_locflow(project, "check", "--fix", check_code=2)
    assert f"{NOTE_SLUG}.po:" in result.stderr and result.stderr.count("\n") == 1
    # the hy and fr catalogs have fixable defects, and are not touched either
    after = snapshot(project)
    assert {name: data for name, data in after.items() if name.startswith("locales")} == \
        {name: data for name, data in before.items() if name.startswith("locales")}


def test_dry_run_needs_fix(project):
    make_site(project, languages=("ru",))
    assert "--dry-run needs --fix" in run_locflow(project, "check", "--dry-run", check_code=2).stderr


# ---------------------------------------------------------------------------
# Each fix on its own: what it changes, and what it leaves alone
# ---------------------------------------------------------------------------

ALL = ("whitespace", "punctuation", "end-punctuation", "quotes", "ellipsis", "french-spacing")
FIXES = [
    # (language, source, translation, fixed translation or None for "left as it is")
    ("hy", "The city burned.", "Քաղաքը այրվում էր:", "Քաղաքը այրվում էր։"),
    ("hy", "The city burned.", "Քաղաքը այրվում էր.", "Քաղաքը այրվում էր։"),
    ("hy", "It happened in 1990.", "Դա տեղի ունեցավ 1990 թ.", None),  # an abbreviation's dot
    ("hy", "Humanitarian Crisis:", "Մարդասիրական ճգնաժամ.", None),  # "." is the mijaket: right for a colon
    ("hy", "It started at 12:30", "Սկսվեց 12:30", None),  # a time, not a full stop
    ("hy", 'He said "never".', 'Նա ասաց՝ "երբեք"։', "Նա ասաց՝ «երբեք»։"),
    ("ru", 'He said "never".', 'Он сказал "никогда".', "Он сказал «никогда»."),
    ("ru", 'He said "never".', "Он сказал “никогда”.", "Он сказал «никогда»."),
    ("ru", NESTED := '"He said "never"."', '«Он сказал "никогда".»', "«Он сказал „никогда“.»"),
    ("ru", 'Read <a href="/r">"this"</a>.', 'Читайте <a href="/r">"это"</a>.', 'Читайте <a href="/r">«это»</a>.'),
    ("ru", 'He said "never.', 'Он сказал "никогда.', None),  # an odd number of quotes: no pair to fix
    ("ru", "It's 5\" long.", 'Длина 5" дюймов.', None),  # inches, not a quotation
    ("ru", " Hello\n", "Привет", " Привет\n"),
    ("ru", "Wait...", "Подождите...", "Подождите…"),
    ("ru", "Read `a...b` now", "Читайте `a...b` сейчас", None),  # inline code is never touched
    ("fr", "Why?", "Pourquoi?", f"Pourquoi{NNBSP}?"),
    ("fr", "<b>Why?</b>", "<b>Pourquoi ?</b>", f"<b>Pourquoi{NNBSP}?</b>"),
    ("fr", "Updated: {date}", "Mis à jour: {date}", f"Mis à jour{NNBSP}: {{date}}"),
    ("fr", "At 12:30.", "À 12:30.", None),
    ("fr", 'See https://example.org/?a=1.', "Voir https://example.org/?a=1.", None),  # a URL's ? is not punctuation
    ("ar", "Where were you?", "أين كنت?", None),  # no safe fix for a Latin ? in Arabic: reported only
]


@pytest.mark.parametrize(("code", "source", "translation", "fixed"), FIXES)
def test_each_fix(code, source, translation, fixed):
    flags = ["python-brace-format"] if "{" in source else []
    entry = polib.POEntry(msgid=source, msgstr=translation, flags=flags)
    entry.linenum = 10
    changes = fix_entry(entry, get_language(code), EN, ALL, options=CheckOptions(ellipsis="character"))
    if fixed is None:
        assert (entry.msgstr, changes) == (translation, [])
    else:
        assert entry.msgstr == fixed
        assert changes and changes[0].before == translation and changes[-1].after == fixed


def test_fixes_follow_ignore_flags_and_fuzzy_and_untranslated_entries_stay(tmp_path):
    ru = get_language("ru")
    ignored = polib.POEntry(msgid=QUOTED, msgstr='Он сказал "никогда".', flags=["ignore-quotes"])
    fuzzy = polib.POEntry(msgid=QUOTED, msgstr='Он сказал "никогда".', flags=["fuzzy"])
    empty = polib.POEntry(msgid=" Hello", msgstr="")
    for entry in (ignored, fuzzy, empty):
        before = entry.msgstr
        assert fix_entry(entry, ru, EN, ALL) == [] and entry.msgstr == before
    # a check switched off for the language switches its fix off
    plain = polib.POEntry(msgid=QUOTED, msgstr='Он сказал "никогда".')
    assert fix_entry(plain, ru, EN, [name for name in ALL if name != "quotes"]) == []
