"""Language facts come from Babel's CLDR data, plural forms from gettext's table, and match what gettext tools expect."""

from gettext import c2py

import pytest
from babel import Locale

from locflow import plurals
from locflow.errors import LanguageError
from locflow.languages import get_language, localize_date, normalize_code


@pytest.mark.parametrize(
    ("code", "nplurals"),
    [("hy", 2), ("ru", 3), ("ar", 6), ("fr", 2), ("es", 2), ("ja", 1), ("pl", 3), ("uk", 3)],
)
def test_plural_forms_count_follows_gettexts_table(code, nplurals):
    assert get_language(code).nplurals == nplurals
    assert get_language(code).plural_forms.startswith(f"nplurals={nplurals}; plural=")


# Languages whose table formula numbers CLDR's categories in CLDR's order (zero, one,
# two, few, many, other) below a thousand, and kw (Cornish), which the table lacks:
# its rule is derived from CLDR. Hebrew's table rule merges CLDR's "two" (plurals.KNOWN_DIFFERENCES).
@pytest.mark.parametrize("code", ["hy", "ru", "ar", "fr", "es", "pl", "cy", "kw"])
def test_plural_expression_picks_the_cldr_category_for_every_count(code):
    language = get_language(code)
    rule = Locale.parse(code).plural_form
    plural = c2py(language.plural_expr)
    order = ["zero", "one", "two", "few", "many", "other"]
    used = [tag for tag in order if any(rule(n) == tag for n in range(1000))]
    for n in range(1000):
        assert plural(n) == used.index(rule(n)), (code, n)


def test_hebrew_keeps_gettexts_two_forms_not_cldrs_three():
    assert get_language("he").plural_forms == "nplurals=2; plural=(n != 1);"
    assert "he" in plurals.KNOWN_DIFFERENCES


@pytest.fixture
def fresh_languages():
    """get_language with an empty cache, emptied again afterwards."""
    get_language.cache_clear()
    yield get_language
    get_language.cache_clear()


def test_table_languages_never_consult_cldr_plural_rules(fresh_languages, monkeypatch):
    """No CLDR sampling for a language in the table: only one the table lacks reads Babel's rule."""

    def no_cldr(self):
        raise AssertionError("CLDR plural rule consulted")

    monkeypatch.setattr(Locale, "plural_form", property(no_cldr))
    assert fresh_languages("fr").plural_forms == "nplurals=2; plural=(n > 1);"
    assert fresh_languages("pt-BR").nplurals == 2
    assert fresh_languages("ru").nplurals == 3
    assert fresh_languages("en_XA").nplurals == 2
    with pytest.raises(AssertionError, match="CLDR plural rule consulted"):
        fresh_languages("kw")  # Cornish is not in the table


def test_pseudo_locales_borrow_their_base_locales_rule():
    for code in ("en_XA", "ar_XB"):
        assert get_language(code).plural_forms == get_language("en").plural_forms


def test_russian_forms_for_typical_counts():
    plural = c2py(get_language("ru").plural_expr)
    assert [plural(n) for n in (1, 2, 5, 11, 21, 22, 25, 111)] == [0, 1, 2, 2, 0, 1, 2, 2]


def test_script_and_direction():
    assert get_language("hy").script == "Armn"
    assert get_language("ru").script == "Cyrl"
    assert get_language("ar").script == "Arab"
    assert get_language("ar").direction == "rtl" and get_language("ar").is_rtl
    assert get_language("hy").direction == "ltr"


def test_names_in_english_and_in_the_language():
    hy = get_language("hy")
    assert (hy.english_name, hy.native_name) == ("Armenian", "հայերեն")
    assert get_language("ru").native_name == "русский"


def test_codes_are_normalized_to_gettext_form():
    assert normalize_code("pt-br") == "pt_BR"
    assert get_language("pt-BR").code == "pt_BR"
    assert get_language("pt_BR").bcp47 == "pt-BR"


@pytest.mark.parametrize("code", ["xx", "klingon", "", "e n", "../etc"])
def test_unknown_or_malformed_codes_are_errors(code):
    with pytest.raises(LanguageError):
        get_language(code)


def test_dates_are_written_in_each_language():
    assert localize_date("Jan 12", "ru") == "12 янв."
    assert localize_date("Jan 12", "hy") == "12 հնվ"
    assert localize_date("January 12, 1990", "fr") == "12 janvier 1990"
    assert localize_date("2024-01-12", "ru") == "12 января 2024\u202fг."  # CLDR: narrow no-break space
    assert localize_date("sometime", "ru") is None


def test_every_babel_locale_gets_a_plural_rule_msgfmt_accepts(tmp_path):
    """Portuguese, Haitian and others once got CLDR's exponent operand `e`, which gettext rejects."""
    import re

    from babel.localedata import locale_identifiers

    from .conftest import msgfmt_check

    rules = {get_language(code).plural_forms for code in locale_identifiers()}
    for number, rule in enumerate(sorted(rules)):
        nplurals = int(re.search(r"nplurals=(\d+)", rule).group(1))
        forms = "\n".join(f'msgstr[{i}] "form {i}"' for i in range(nplurals))
        path = tmp_path / f"rule{number}.po"
        path.write_text(
            f'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: {rule}\\n"\n\n'
            f'msgid "one file"\nmsgid_plural "{{n}} files"\n{forms}\n',
            encoding="utf-8",
        )
        result = msgfmt_check(path)
        assert result.code == 0, f"{rule}\n{result.output}"
        assert c2py(rule.split("plural=", 1)[1].rstrip(";"))(5) < nplurals
    assert get_language("pt").plural_forms == "nplurals=2; plural=(n != 1);"


def test_released_locale_data_is_forgotten_and_read_again_when_asked():
    """Checking a tree of a hundred languages drops each one's CLDR data when it
    moves on (locflow.tree); what is asked for afterwards is read again, the same."""
    from babel import localedata

    from locflow.languages import release_locale_data

    locale = get_language("hy").babel_locale
    decimal = locale.number_symbols["latn"]["decimal"]
    assert get_language("en").babel_locale.number_symbols["latn"]["decimal"] == "."
    assert {"hy", "en", "root"} <= set(localedata._cache)
    release_locale_data(keep=("root", "en"))  # the source language's stays
    assert "hy" not in localedata._cache and {"en", "root"} <= set(localedata._cache)
    release_locale_data()
    assert not localedata._cache
    assert get_language("hy").babel_locale.number_symbols["latn"]["decimal"] == decimal == ","
