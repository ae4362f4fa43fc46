"""Starting a site, adding a language, a translator's to-do list, and what every command says."""

from __future__ import annotations

import json

import pytest

from locflow.catalogs import read_catalog, save_catalog

from .conftest import SEED, SEED_SLUG, assert_msgfmt_accepts, run_locflow


def test_init_starts_a_site_that_is_not_a_python_project(tmp_path):
    site = tmp_path / "site"
    result = run_locflow(tmp_path, "init", "site", "-l", "hy", "-l", "ru", "--sample", check_code=0)
    assert "created locflow.toml" in result.stdout and "created source/welcome.md" in result.stdout
    assert not (site / "pyproject.toml").exists()
    assert (site / ".gitignore").read_text(encoding="utf-8").splitlines()[-2:] == [".locflow-cache/", "build/"]
    run_locflow(site, "extract", check_code=0)
    run_locflow(site, "update", check_code=0)
    for code in ("hy", "ru"):
        assert_msgfmt_accepts(site / "locales" / code / "LC_MESSAGES" / "welcome.po")
    run_locflow(site, "build", check_code=0)
    assert (site / "build" / "manifest.json").is_file()
    again = run_locflow(tmp_path, "init", "site", "-l", "fr")
    assert again.code == 2 and "is a locflow site already" in again.stderr


def test_init_joins_a_python_projects_pyproject(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "blog"\nversion = "1"\n', encoding="utf-8")
    run_locflow(tmp_path, "init", "-l", "ar", check_code=0)
    text = (tmp_path / "pyproject.toml").read_text(encoding="utf-8")
    assert text.startswith('[project]\nname = "blog"') and '[tool.locflow]\n' in text and 'languages = ["ar"]' in text
    assert not (tmp_path / "locflow.toml").exists()


@pytest.mark.parametrize(("code", "hint"), [("ry", "did you mean 'ru'?"), ("armenian", "did you mean 'hy' (Armenian)?")])
def test_init_refuses_an_unknown_language_with_a_hint(tmp_path, code, hint):
    result = run_locflow(tmp_path, "init", "-l", code)
    assert result.code == 2 and "language code" in result.stderr and hint in result.stderr
    assert not (tmp_path / "locflow.toml").exists()


def test_add_language_edits_the_settings_and_makes_the_catalogs(project):
    run_locflow(project, "extract", check_code=0)
    run_locflow(project, "update", check_code=0)
    result = run_locflow(project, "add-language", "de", check_code=0)
    assert "de (German, 2 plural forms" in result.stdout and "update: 1 file (1 created)" in result.stdout
    assert 'languages = ["hy", "ru", "fr", "es", "ar", "de"]' in (project / "pyproject.toml").read_text(encoding="utf-8")
    catalog = project / "locales" / "de" / "LC_MESSAGES" / f"{SEED_SLUG}.po"
    assert_msgfmt_accepts(catalog)
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in catalog.read_text(encoding="utf-8")
    twice = run_locflow(project, "add-language", "de")
    assert twice.code == 2 and "one of the site's languages already" in twice.stderr


def test_a_translators_todo_lists_untranslated_and_fuzzy_entries_with_file_and_line(project):
    run_locflow(project, "extract", check_code=0)
    run_locflow(project, "update", "-l", "ru", check_code=0)
    path = project / "locales" / "ru" / "LC_MESSAGES" / f"{SEED_SLUG}.po"
    catalog = read_catalog(path)
    catalog.find("Humanitarian Crisis:").msgstr = "Гуманитарный кризис:"
    drafted = catalog.find("Pogroms Unleashed:")
    drafted.msgstr, drafted.flags = "Погромы:", ["fuzzy"]
    drafted.tcomment = "locflow-draft: machine:libre, 2026-11-25. Review before removing the fuzzy flag."
    save_catalog(catalog, path)
    data = json.loads(run_locflow(project, "todo", "-l", "ru", "--format", "json", check_code=0).stdout)
    assert data["schema"] == "locflow.todo/1" and data["fuzzy"] == 1
    total = len([entry for entry in read_catalog(path) if not entry.obsolete])
    assert data["untranslated"] == total - 2
    fuzzy = next(item for item in data["items"] if item["state"] == "fuzzy")
    assert fuzzy["source"] == "Pogroms Unleashed:" and fuzzy["draft"] == "Погромы:" and fuzzy["why"] == "draft: machine:libre, 2026-11-25"
    assert fuzzy["file"] == f"locales/ru/LC_MESSAGES/{SEED_SLUG}.po"
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[fuzzy["line"] - 1].startswith("#")  # the entry begins there
    assert all(item["source"] != "Humanitarian Crisis:" for item in data["items"])
    text = run_locflow(project, "todo", "-l", "ru", check_code=0).stdout
    assert text.startswith(f"ru (Russian): {total - 2} to translate, 1 fuzzy to review")
    assert "fuzzy, draft: machine:libre, 2026-11-25" in text and "→ Погромы:" in text


@pytest.mark.parametrize("command", ["init", "add-language", "todo", "extract", "update", "check", "build", "prefill", "pseudo"])
def test_every_command_says_its_exit_statuses_in_its_help(project, command):
    result = run_locflow(project, command, "--help", check_code=0)
    assert "Exit status: 0 when all is well, 1 when there are findings" in " ".join(result.stdout.split())


def test_quiet_prints_only_errors(project):
    assert run_locflow(project, "--quiet", "extract", check_code=0).stdout == ""
    assert run_locflow(project, "-q", "update", check_code=0).stdout == ""
    json_output = run_locflow(project, "-q", "update", "--format", "json", check_code=0).stdout
    assert json.loads(json_output)["step"] == "update"


def test_a_typo_in_the_settings_gets_a_did_you_mean(project):
    text = (project / "pyproject.toml").read_text(encoding="utf-8")
    (project / "pyproject.toml").write_text(text.replace("default = 100", "defualt = 100"), encoding="utf-8")
    result = run_locflow(project, "extract")
    assert result.code == 2 and "did you mean 'default'?" in result.stderr
    (project / "pyproject.toml").write_text(text.replace("source-language", "source-langauge"), encoding="utf-8")
    result = run_locflow(project, "extract")
    assert result.code == 2 and "did you mean 'source-language'?" in result.stderr


def test_locflow_toml_and_pyproject_settings_may_not_both_be_there(project):
    (project / "locflow.toml").write_text('languages = ["ru"]\n', encoding="utf-8")
    result = run_locflow(project, "extract")
    assert result.code == 2 and "settings in both locflow.toml and pyproject.toml" in result.stderr


def test_a_seed_site_in_locflow_toml_reports_errors_with_its_table_names(tmp_path):
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / SEED.name).write_bytes(SEED.read_bytes())
    (tmp_path / "locflow.toml").write_text('languages = ["ru"]\n[prefill]\nsources = ["telepathy"]\n', encoding="utf-8")
    result = run_locflow(tmp_path, "extract")
    assert result.code == 2 and "locflow.toml: [prefill] sources: unknown draft source 'telepathy'" in result.stderr
