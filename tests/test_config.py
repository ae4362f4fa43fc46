"""[tool.locflow] settings: defaults, validation, and one-line errors with exit status 2."""

from pathlib import Path

import pytest

from locflow.config import load_settings
from locflow.errors import ConfigError

from .conftest import run_locflow, write_pyproject


def test_shipped_settings_of_this_repository_are_valid():
    settings = load_settings(Path(__file__).resolve().parent.parent)
    assert [lang.code for lang in settings.languages] == ["hy", "ru", "fr", "es", "ar"]
    assert settings.source_language.code == "en"
    assert any(lang.is_rtl for lang in settings.languages)
    assert any(p.fullmatch("top of page") for p in settings.text.chrome)


def test_defaults_and_per_language_thresholds(tmp_path):
    write_pyproject(tmp_path, extra="")
    text = (tmp_path / "pyproject.toml").read_text()
    (tmp_path / "pyproject.toml").write_text(text.replace("default = 100", "default = 90\nar = 50"))
    settings = load_settings(tmp_path)
    assert settings.source_dir == (tmp_path / "source").resolve()
    assert settings.locales_dir == (tmp_path / "locales").resolve()
    assert settings.threshold("ar") == 50 and settings.threshold("hy") == 90


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        ('colour = "red"\n', "unknown key 'colour'"),
        ('source-dir = 3\n', "source-dir"),
        ("[tool.locflow.text]\nchrome = ['(']\n", "invalid regular expression"),
        ("[tool.locflow.text]\nheading-max-length = 0\n", "heading-max-length"),
        ("[tool.locflow.text]\nspeling = 1\n", "unknown key 'speling'"),
    ],
)
def test_bad_settings_name_the_key(tmp_path, extra, fragment):
    write_pyproject(tmp_path, extra=extra)
    with pytest.raises(ConfigError, match=fragment):
        load_settings(tmp_path)


def test_unknown_language_code(tmp_path):
    write_pyproject(tmp_path, languages=("hy", "xx"))
    with pytest.raises(ConfigError, match="unknown language code 'xx'"):
        load_settings(tmp_path)


def test_threshold_out_of_range_and_for_unknown_language(tmp_path):
    write_pyproject(tmp_path)
    path = tmp_path / "pyproject.toml"
    original = path.read_text()
    path.write_text(original.replace("default = 100", "default = 120"))
    with pytest.raises(ConfigError, match="percentage"):
        load_settings(tmp_path)
    path.write_text(original.replace("default = 100", "default = 100\nde = 50"))
    with pytest.raises(ConfigError, match="'de' is not one of the languages"):
        load_settings(tmp_path)


def test_source_language_cannot_be_a_target(tmp_path):
    write_pyproject(tmp_path, languages=("hy", "en"))
    with pytest.raises(ConfigError, match="source language"):
        load_settings(tmp_path)


def test_cli_reports_bad_settings_in_one_line_with_exit_2(project):
    path = project / "pyproject.toml"
    path.write_text(path.read_text().replace('languages = [', 'languages = ["zz", '))
    result = run_locflow(project, "extract", check_code=2)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "pyproject.toml" in lines[0] and "'zz'" in lines[0]
    assert not (project / "locales").exists()


def test_invalid_toml_names_the_line(project):
    path = project / "pyproject.toml"
    path.write_text(path.read_text() + "\n[tool.locflow.text\n")
    result = run_locflow(project, "check", check_code=2)
    assert "pyproject.toml" in result.stderr and "line" in result.stderr


def test_unknown_language_on_the_command_line_is_a_usage_error(project):
    run_locflow(project, "extract", check_code=0)
    result = run_locflow(project, "update", "--language", "xx", check_code=2)
    assert "unknown language code 'xx'" in result.stderr
    assert not (project / "locales" / "hy").exists()


@pytest.mark.parametrize(
    ("section", "fragment"),
    [
        ('[tool.locflow.checks]\nfail-on = "nope"\n', "fail-on"),
        ("[tool.locflow.memory]\nnear-threshold = 500\n", "near-threshold"),
        ("[tool.locflow.pseudo]\nexpansion = 9\n", "expansion"),
        ('[tool.locflow.machine]\nproviders = ["babelfish"]\n', "babelfish"),
        ('[tool.locflow.prefill]\nsources = ["oracle"]\n', "oracle"),
        ("[tool.locflow.markdown]\nfront-matter = 3\n", "front-matter"),
        ("[tool.locflow.glossary]\nfile = 'x.csv'\n", "unknown key 'glossary'"),
    ],
)
def test_a_bad_setting_in_any_section_stops_every_command_before_it_writes(project, section, fragment):
    path = project / "pyproject.toml"
    path.write_text(path.read_text() + "\n" + section)
    result = run_locflow(project, "extract", check_code=2)
    assert fragment in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (project / "locales").exists()


RUSSIAN = "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"


def test_plural_forms_override_per_language(tmp_path):
    from locflow.plurals import cldr_rule

    write_pyproject(
        tmp_path,
        languages=("hy", "ru", "fr"),
        extra=f'[tool.locflow.plural-forms]\nfr = "cldr"\nru = "nplurals=3; plural={RUSSIAN};"\n',
    )
    settings = load_settings(tmp_path)
    hy, ru, fr = settings.languages
    assert (fr.nplurals, fr.plural_expr) == cldr_rule("fr")
    assert ru.plural_forms == f"nplurals=3; plural={RUSSIAN};"
    assert hy.plural_forms == "nplurals=2; plural=(n > 1);"  # not overridden: gettext's table
    assert settings.language("fr") is fr and fr.english_name == "French"


@pytest.mark.parametrize(
    ("section", "fragment"),
    [
        ('[tool.locflow.plural-forms]\nde = "cldr"\n', "plural-forms: 'de' is not one of the languages"),
        ('[tool.locflow.plural-forms]\nxx = "cldr"\n', "plural-forms: unknown language code 'xx'"),
        ("[tool.locflow.plural-forms]\nru = 3\n", "plural-forms.ru: expected \"cldr\" or"),
        ('[tool.locflow.plural-forms]\nru = "three"\n', "plural-forms.ru: expected \"cldr\" or"),
        ('[tool.locflow.plural-forms]\nru = "nplurals=2; plural=n%10;"\n', "plural-forms.ru: plural=n%10 gives 2"),
        ('[tool.locflow.plural-forms]\nru = "cldr"\nRU = "cldr"\n', "'ru' is listed twice"),
        ('plural-forms = "cldr"\n', "plural-forms: expected a table"),
    ],
)
def test_bad_plural_forms_override_names_the_key(tmp_path, section, fragment):
    write_pyproject(tmp_path, extra=section)
    with pytest.raises(ConfigError, match="plural-forms") as caught:
        load_settings(tmp_path)
    assert fragment in str(caught.value) and "\n" not in str(caught.value)
