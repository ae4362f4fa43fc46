"""The settings sections: one registry in config, each section parsed once per load,
"did you mean" for an unknown key in every section, and start-up that stays light."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from locflow import config
from locflow.checks.settings import check_settings
from locflow.config import Section, load_settings, register_section, registered_sections
from locflow.drafts.machine import machine_settings
from locflow.drafts.memory import memory_settings
from locflow.drafts.prefill import prefill_settings
from locflow.drafts.pseudo import pseudo_settings
from locflow.errors import ConfigError
from locflow.formats.markdown import markdown_settings

from .conftest import REPO, write_pyproject

# A near miss of a real key, per section: a new section adds its own line here.
TYPOS = {
    "checks": ("disabel", "disable"),
    "machine": ("provders", "providers"),
    "markdown": ("front-mater", "front-matter"),
    "memory": ("near-treshold", "near-threshold"),
    "prefill": ("batch-sise", "batch-size"),
    "pseudo": ("expanson", "expansion"),
}
ACCESSORS = {
    "checks": check_settings,
    "machine": machine_settings,
    "markdown": markdown_settings,
    "memory": memory_settings,
    "prefill": prefill_settings,
    "pseudo": pseudo_settings,
}


def test_every_registered_section_is_tested_here():
    assert set(registered_sections()) == set(TYPOS) == set(ACCESSORS)


@pytest.mark.parametrize("name", sorted(TYPOS))
def test_an_unknown_key_in_any_section_is_an_error_with_a_suggestion(tmp_path, name):
    typo, meant = TYPOS[name]
    write_pyproject(tmp_path, languages=("hy", "ru"), extra=f"[tool.locflow.{name}]\n{typo} = 1\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path)
    message = str(caught.value)
    assert f"unknown key {typo!r} (did you mean {meant!r}?; known keys: " in message
    assert "pyproject.toml" in message and "\n" not in message


@pytest.mark.parametrize("name", sorted(TYPOS))
def test_in_locflow_toml_errors_name_its_file_and_its_tables(tmp_path, name):
    typo, meant = TYPOS[name]
    (tmp_path / "locflow.toml").write_text(f'languages = ["hy", "ru"]\n[{name}]\n{typo} = 1\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path)
    message = str(caught.value)
    assert message.startswith(str(tmp_path / "locflow.toml")) and "tool.locflow" not in message
    assert f"did you mean {meant!r}?" in message


def test_a_per_language_table_of_a_section_suggests_too(tmp_path):
    write_pyproject(tmp_path, languages=("hy", "ru"), extra="[tool.locflow.checks.languages.hy]\ndisabel = []\n")
    with pytest.raises(ConfigError, match=r"\[tool.locflow.checks\] languages.hy: unknown key 'disabel' \(did you mean 'disable'\?"):
        load_settings(tmp_path)


ALL_SECTIONS = """
[tool.locflow.checks]
disable = ["length"]
[tool.locflow.machine]
providers = ["google"]
[tool.locflow.markdown]
front-matter = ["title"]
[tool.locflow.memory]
near-threshold = 80
[tool.locflow.prefill]
batch-size = 5
[tool.locflow.pseudo]
expansion = 0.5
"""


def test_each_section_is_parsed_once_per_load(tmp_path, monkeypatch):
    calls = {name: 0 for name in registered_sections()}

    def counting(name, parse):
        def wrapper(settings):
            calls[name] += 1
            return parse(settings)

        return wrapper

    for name, parse in list(config._SECTIONS.items()):
        monkeypatch.setitem(config._SECTIONS, name, counting(name, parse))
    write_pyproject(tmp_path, languages=("hy", "ru"), extra=ALL_SECTIONS)
    settings = load_settings(tmp_path)
    assert calls == {name: 1 for name in calls}  # every section in the file, parsed at load
    for name, accessor in ACCESSORS.items():
        assert accessor(settings) is accessor(settings) is settings.section(name)
    assert calls == {name: 1 for name in calls}  # and never again
    assert settings.section("pseudo").expansion == 0.5 and settings.section("checks").disabled == {"length"}
    again = load_settings(tmp_path)
    assert again.section("pseudo") is not settings.section("pseudo") and calls["pseudo"] == 2  # a new load parses anew


def test_a_section_the_file_lacks_is_parsed_to_its_defaults_once_when_asked(tmp_path):
    write_pyproject(tmp_path, languages=("hy", "ru"))
    settings = load_settings(tmp_path)
    assert settings.extra == {}
    assert pseudo_settings(settings) is settings.section("pseudo") and settings.section("pseudo").expansion == 0.35
    assert memory_settings(settings, {"near-threshold": 90}).near_threshold == 90  # a run's own options: parsed for the run
    assert memory_settings(settings).near_threshold == 75
    with pytest.raises(LookupError, match="no settings section 'nonesuch'"):
        settings.section("nonesuch")


def test_the_registry_refuses_a_top_level_key_and_a_second_parser_for_a_name():
    with pytest.raises(ValueError, match="top-level"):
        register_section("text", lambda settings: None)
    with pytest.raises(ValueError, match="registered already"):
        register_section("machine", lambda settings: None)
    assert register_section("machine", config._SECTIONS["machine"]) is config._SECTIONS["machine"]  # the same: fine


def test_section_helpers_name_keys_of_tables_inside_a_section(tmp_path):
    settings = config.settings_from_table(
        {"languages": ["hy", "ru"], "machine": {"deepl": {"glossary": "yes", "base-url": 3}}}, tmp_path
    )
    section = Section(settings, "machine", {"deepl"})
    deepl = section.table("deepl", {"glossary", "base-url"})
    with pytest.raises(ConfigError, match=r"\[tool.locflow.machine\] deepl.glossary: expected true or false, got 'yes'"):
        deepl.boolean("glossary", True)
    with pytest.raises(ConfigError, match="deepl: unknown key 'base-url'"):
        section.table("deepl", {"glossary"})
    with pytest.raises(ConfigError, match=r"deepl.base-url: expected one of 'a', 'b', got 3"):
        deepl.choice("base-url", ("a", "b"))


def _imports(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            modules.add("." * node.level + (node.module or ""))
    return modules


def test_config_names_no_module_of_a_higher_layer():
    source = Path(config.__file__)
    assert "import_module" not in source.read_text(encoding="utf-8")
    imported = _imports(source)
    higher = ("drafts", "checks", "formats", "steps", "sections", "cli")
    assert not [name for name in imported if name.lstrip(".").split(".")[0] in higher or name.startswith("locflow.")]


def _modules_after(code: str) -> set[str]:
    result = subprocess.run([sys.executable, "-c", f"import sys\n{code}\nprint('\\n'.join(sys.modules))"],
                            capture_output=True, text=True, check=True, cwd=REPO)
    return set(result.stdout.split())


def test_registering_the_sections_imports_nothing():
    # Each parser imports its module when it runs: a command pays only for the sections its site has.
    assert _modules_after("import locflow.sections") - _modules_after("import locflow.config") == {"locflow.sections"}


def test_parsing_a_drafts_section_imports_no_http_client_nor_the_memory_index(tmp_path):
    write_pyproject(tmp_path, languages=("ru",), extra='[tool.locflow.machine]\nproviders = ["google"]\n'
                                                      "[tool.locflow.memory]\n[tool.locflow.prefill]\n[tool.locflow.pseudo]\n")
    added = _modules_after(f"from locflow.sections import load_settings\nload_settings({str(tmp_path)!r})") - _modules_after(
        "import locflow.sections")
    heavy = ("deep_translator", "requests", "tenacity", "rapidfuzz", "sqlite3", "rich", "markdown_it", "lxml", "yaml")
    assert "locflow.drafts.machine.settings" in added
    assert not [name for name in added if name.split(".")[0] in heavy or name.startswith("locflow.drafts.memory")]


def test_version_and_help_do_not_register_the_sections():
    for args in (["--version"], ["check", "--help"]):
        result = subprocess.run([sys.executable, "-X", "importtime", "-m", "locflow", *args],
                                capture_output=True, text=True, check=True, cwd=REPO)
        imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
        assert "locflow.sections" not in imported and "locflow.config" not in imported, args


def test_loading_without_the_registry_is_a_clear_programming_error(tmp_path):
    write_pyproject(tmp_path, languages=("ru",), extra='[tool.locflow.machine]\nproviders = ["google"]\n')
    code = f"from locflow.config import load_settings\nload_settings({str(tmp_path)!r})"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert result.returncode != 0 and "RuntimeError: no settings sections are registered: import locflow.sections" in result.stderr
