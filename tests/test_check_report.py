"""`locflow check` as maintainers and CI use it: JSON (locflow.check/2), the HTML dashboard,
the terminal table, exit statuses, the per-article gate and build's `publishable`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import lxml.html
import polib
import pytest

from .conftest import SEED_SLUG, msgfmt_check, run_locflow, write_pyproject

NOTE_SLUG = "a-short-note"
NOTE = "A Short Note\n\nThe pogroms began on January 13, 1990.\n\nWhere were you?\n"
RU_NOTE = {
    "A Short Note": "Короткая заметка",
    "The pogroms began on January 13, 1990.": "Погромы начались 13 января 1990 года.",
    "Where were you?": "Где вы были?",
}
HY_NOTE = {
    "A Short Note": "Կարճ նշում",
    "The pogroms began on January 13, 1990.": "Ջարդերը սկսվեցին 1990 թվականի հունվարի 13-ին։",
    "Where were you?": "Որտե՞ղ էիք։",
}


def po_path(root: Path, code: str, slug: str) -> Path:
    return root / "locales" / code / "LC_MESSAGES" / f"{slug}.po"


def make_site(root: Path, extra: str = "", languages=("hy", "ru")) -> Path:
    """Two articles (the seed and a short note), catalogs for ``languages``."""
    write_pyproject(root, languages=languages, extra=extra)
    (root / "source" / f"{NOTE_SLUG}.txt").write_text(NOTE, encoding="utf-8")
    run_locflow(root, "extract", check_code=0)
    run_locflow(root, "update", check_code=0)
    return root


def translate(root: Path, code: str, slug: str, translations: dict[str, str], fuzzy: bool = False) -> Path:
    path = po_path(root, code, slug)
    catalog = polib.pofile(str(path))
    for msgid, msgstr in translations.items():
        entry = catalog.find(msgid)
        entry.msgstr = msgstr
        if fuzzy:
            entry.flags.append("fuzzy")
    catalog.save()
    return path


def set_threshold(root: Path, value: int) -> None:
    path = root / "pyproject.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("default = 100", f"default = {value}"), encoding="utf-8")


def check_json(root: Path, *args: str, code: int) -> dict:
    return json.loads(run_locflow(root, "check", "--format", "json", *args, check_code=code).stdout)


def css(node, selector: str) -> list:
    """``tag.class`` or ``tag.class tag2`` (a descendant tag), as XPath: no extra dependency."""
    parts = selector.split()
    tag, _, cls = parts[0].partition(".")
    path = f'.//{tag}[contains(concat(" ", normalize-space(@class), " "), " {cls} ")]' if cls else f".//{tag}"
    for part in parts[1:]:
        tag, _, cls = part.partition(".")
        path += f'//{tag}[contains(concat(" ", normalize-space(@class), " "), " {cls} ")]' if cls else f"//{tag}"
    return node.xpath(path)


def entry_line(path: Path, msgid: str) -> int:
    return polib.pofile(str(path)).find(msgid).linenum


# ---------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------


def test_json_report_has_completeness_gate_and_every_finding(project):
    make_site(project)
    ru = translate(project, "ru", NOTE_SLUG, {**RU_NOTE, "The pogroms began on January 13, 1990.": "Погромы начались 13 января 1991 года."})
    translate(project, "ru", SEED_SLUG, {"Humanitarian Crisis:": "Гуманитарный кризис:"})
    translate(project, "ru", SEED_SLUG, {"Pogroms Unleashed:": "Погромы:"}, fuzzy=True)
    hy = translate(project, "hy", NOTE_SLUG, {**HY_NOTE, "Where were you?": "Որտե՞ղ էիք:"})
    report = check_json(project, code=1)

    assert report["schema"] == "locflow.check/2"
    assert report["passed"] is False and report["gate"] == "language" and report["fail_on"] == "error"
    assert "msgfmt" in report["checks"] and "numbers" in report["checks"]
    found = {(f["language"], f["article"], f["check"], f["msgid"]) for f in report["findings"]}
    assert found == {
        ("ru", NOTE_SLUG, "numbers", "The pogroms began on January 13, 1990."),
        ("hy", NOTE_SLUG, "punctuation", "Where were you?"),
    }
    assert (report["errors"], report["warnings"]) == (3, 0)  # 1990 missing, 1991 not in the source, ':'

    for finding in report["findings"]:
        assert set(finding) == {"check", "severity", "language", "article", "file", "line", "context", "msgid", "msgstr", "message"}
        path = project / finding["file"]
        assert path in (ru, hy)
        assert finding["line"] == entry_line(path, finding["msgid"])
        assert finding["severity"] == "error"
    numbers = [f for f in report["findings"] if f["check"] == "numbers"]
    assert {f["msgstr"] for f in numbers} == {"Погромы начались 13 января 1991 года."}
    assert sorted(f["message"] for f in numbers) == ["number 1990 missing from the translation", "number 1991 not in the source"]

    # completeness per language and article equals msgfmt --statistics on the same files
    for language in report["languages"]:
        assert set(language) >= {"language", "name", "translated", "fuzzy", "untranslated", "total", "percent",
                                 "threshold", "complete", "passed", "errors", "warnings", "articles"}  # fmt: skip
        totals = [0, 0, 0]
        for article in language["articles"]:
            reference = msgfmt_check(project / article["file"])
            counts = (article["translated"], article["fuzzy"], article["untranslated"])
            assert counts == (reference.translated, reference.fuzzy, reference.untranslated)
            totals = [a + b for a, b in zip(totals, counts)]
            assert set(article) >= {"article", "file", "missing", "complete", "publishable", "errors", "warnings", "percent"}
        assert totals == [language["translated"], language["fuzzy"], language["untranslated"]]
    ru_report = next(lang for lang in report["languages"] if lang["language"] == "ru")
    assert (ru_report["translated"], ru_report["fuzzy"]) == (4, 1)  # fuzzy never counts as translated
    assert ru_report["errors"] == 2 and ru_report["complete"] is False


# ---------------------------------------------------------------------------
# Exit statuses and fail-on
# ---------------------------------------------------------------------------


def test_exit_status_follows_findings_thresholds_and_fail_on(project):
    make_site(project, languages=("ru",))
    set_threshold(project, 0)
    translate(project, "ru", NOTE_SLUG, RU_NOTE)
    report = check_json(project, code=0)  # correct translations, no threshold: passes
    assert report["passed"] is True and report["findings"] == []

    translate(project, "ru", NOTE_SLUG, {"Where were you?": "Где вы были"})  # a warning only
    report = check_json(project, code=0)
    assert [(f["check"], f["severity"]) for f in report["findings"]] == [("end-punctuation", "warning")]
    check_json(project, "--fail-on", "warning", code=1)
    path = project / "pyproject.toml"
    path.write_text(path.read_text(encoding="utf-8") + '\n[tool.locflow.checks]\nfail-on = "warning"\n', encoding="utf-8")
    check_json(project, code=1)
    check_json(project, "--fail-on", "error", code=0)  # the option overrides the setting

    translate(project, "ru", NOTE_SLUG, {"A Short Note": "A Short Note"})  # errors: script
    table = run_locflow(project, "check", "--fail-on", "error", check_code=1)
    assert f"locales/ru/LC_MESSAGES/{NOTE_SLUG}.po:{entry_line(po_path(project, 'ru', NOTE_SLUG), 'A Short Note')}" in table.stdout
    assert "blocking findings: ru" in table.stdout
    run_locflow(project, "check", "--no-checks", check_code=0)  # completeness only


def test_bad_settings_and_bad_catalogs_exit_2_with_one_line(project):
    make_site(project, languages=("ru",))
    write_pyproject(project, languages=("ru",), extra='[tool.locflow.checks]\ndisable = ["lenght"]\n')
    for command in ("check", "extract", "update", "build"):  # every command refuses before writing
        result = run_locflow(project, command, check_code=2)
        assert result.stderr.count("\n") == 1
        assert "pyproject.toml" in result.stderr and "unknown check 'lenght'" in result.stderr

    write_pyproject(project, languages=("ru",))
    bad = po_path(project, "ru", NOTE_SLUG)
    bad.write_text(bad.read_text(encoding="utf-8") + '\nmsgid "broken\n', encoding="utf-8")
    report = project / "build" / "check-report.html"
    result = run_locflow(project, "check", "--format", "html", check_code=2)
    assert f"{NOTE_SLUG}.po:" in result.stderr and result.stderr.count("\n") == 1
    assert not report.exists()
    assert "unknown check 'nope'" in run_locflow(project, "check", "--only", "nope", check_code=2).stderr
    assert "--output needs" in run_locflow(project, "check", "--output", "x.txt", check_code=2).stderr


# ---------------------------------------------------------------------------
# Gating each article on its own, and what build publishes
# ---------------------------------------------------------------------------


def test_article_gate_publishes_complete_articles_only(project):
    make_site(project, languages=("hy", "ru"), extra='[tool.locflow.checks]\ngate = "article"\n')
    translate(project, "ru", NOTE_SLUG, RU_NOTE)  # the note is complete and clean in Russian
    translate(project, "hy", NOTE_SLUG, {**HY_NOTE, "A Short Note": "Short Note"})  # complete, but an error

    report = check_json(project, code=1)
    assert report["gate"] == "article"
    publishable = {(lang["language"], a["article"]): a["publishable"] for lang in report["languages"] for a in lang["articles"]}
    assert publishable == {("ru", NOTE_SLUG): True, ("ru", SEED_SLUG): False, ("hy", NOTE_SLUG): False, ("hy", SEED_SLUG): False}
    hy_note = next(a for lang in report["languages"] if lang["language"] == "hy" for a in lang["articles"] if a["article"] == NOTE_SLUG)
    assert hy_note["complete"] is True and hy_note["errors"] >= 1

    # the language gate judges the language as a whole: nothing in Russian is publishable yet
    language_gate = check_json(project, "--gate", "language", code=1)
    assert not any(a["publishable"] for lang in language_gate["languages"] for a in lang["articles"])

    # build carries the article gate into the manifest the site reads
    run_locflow(project, "build", check_code=0)
    manifest = json.loads((project / "build" / "manifest.json").read_text(encoding="utf-8"))
    built = {(article["slug"], code): output["publishable"] for article in manifest["articles"] for code, output in article["translations"].items()}
    assert built == {(NOTE_SLUG, "ru"): True, (SEED_SLUG, "ru"): False, (NOTE_SLUG, "hy"): False, (SEED_SLUG, "hy"): False}

    table = run_locflow(project, "check", check_code=1).stdout
    assert "publishable" in table and f"not publishable: hy/{NOTE_SLUG}" in table


# ---------------------------------------------------------------------------
# HTML dashboard
# ---------------------------------------------------------------------------


def test_html_dashboard_links_every_finding_and_escapes_translations(project):
    make_site(project)
    translate(project, "hy", NOTE_SLUG, {**HY_NOTE, "Where were you?": "Որտե՞ղ էիք։ <script>alert(1)</script>"})
    translate(project, "ru", NOTE_SLUG, {**RU_NOTE, "Where were you?": "Где вы были"})
    report = check_json(project, code=1)
    assert len(report["findings"]) >= 2

    result = run_locflow(project, "check", "--format", "html", check_code=1)
    page = project / "build" / "check-report.html"
    assert "build/check-report.html" in result.stdout
    for output, folder in ((page, page.parent), (project / "reports" / "check.html", project / "reports")):
        if output != page:
            run_locflow(project, "check", "--format", "html", "--output", "reports/check.html", check_code=1)
        doc = lxml.html.fromstring(output.read_bytes())
        rows = css(doc, "tr.finding")
        assert len(rows) == len(report["findings"])
        for row, finding in zip(rows, report["findings"]):
            assert row.get("data-check") == finding["check"]
            link = css(row, "td.where a")[0]
            href = link.get("href")
            assert href == f"{os.path.relpath(project / finding['file'], folder)}#L{finding['line']}"
            assert (folder / href.split("#")[0]).resolve() == (project / finding["file"]).resolve()
            assert link.text_content() == f"{finding['file']}:{finding['line']}"
            assert css(row, "td.message")[0].text_content() == finding["message"]
        # the translation's <script> is text on the page, never an element
        assert css(doc, "script") == []
        assert any("<script>alert(1)</script>" in cell.text_content() for cell in css(doc, "td.msgstr"))
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in output.read_text(encoding="utf-8")
        # a progress bar per language and per article, with the JSON's numbers (tests/test_dashboard.py looks at them)
        parts = ("translated", "fuzzy", "untranslated", "total")
        bars = {bar.get("data-language"): {k: int(bar.get(f"data-{k}")) for k in parts} for bar in css(doc, "span.language-progress")}
        assert bars == {lang["language"]: {k: lang[k] for k in parts} for lang in report["languages"]}
        assert len(css(doc, "span.article-progress")) == sum(len(lang["articles"]) for lang in report["languages"])
        assert css(doc, "td.msgstr")[0].get("lang") in ("hy", "ru")


# ---------------------------------------------------------------------------
# The terminal: the registry, the table, colour only on a terminal
# ---------------------------------------------------------------------------


def test_list_checks_prints_the_registry(tmp_path):
    listing = run_locflow(tmp_path, "check", "--list-checks", check_code=0).stdout
    data = json.loads(run_locflow(tmp_path, "check", "--list-checks", "--format", "json", check_code=0).stdout)
    assert data["schema"] == "locflow.checks/1"
    names = [item["name"] for item in data["checks"]]
    assert {"placeholders", "numbers", "script", "punctuation", "msgfmt"} <= set(names)
    for item in data["checks"]:
        assert item["name"] in listing and item["severity"] in ("error", "warning")


def test_only_runs_the_named_checks_and_the_table_has_no_colour_off_a_terminal(project):
    make_site(project, languages=("ru",))
    translate(project, "ru", NOTE_SLUG, {"A Short Note": "A Short Note", "Where were you?": "Где вы были"})
    only = check_json(project, "--only", "script", code=1)
    assert only["checks"] == ["script"] and {f["check"] for f in only["findings"]} == {"script"}
    proc = subprocess.run(
        [sys.executable, "-m", "locflow", "check"],
        cwd=project, capture_output=True, text=True,
        env={"PATH": "/usr/bin:/bin", "HOME": str(project), "LANG": "C.UTF-8", "TERM": "xterm-256color"},
    )  # fmt: skip
    assert proc.returncode == 1
    assert "\x1b[" not in proc.stdout
    for check in ("same-as-source", "script", "end-punctuation"):
        assert check in proc.stdout


@pytest.mark.parametrize("fmt", ["json"])
def test_json_report_can_be_written_to_a_file(project, fmt):
    make_site(project, languages=("ru",))
    run_locflow(project, "check", "--format", fmt, "--output", "out/report.json", check_code=1)
    data = json.loads((project / "out" / "report.json").read_text(encoding="utf-8"))
    assert data["schema"] == "locflow.check/2"
