"""gettext's plural table: every formula checked against CLDR, Python's gettext and GNU msgfmt."""

from __future__ import annotations

from gettext import c2py

import pytest
from babel import Locale

from locflow.errors import LanguageError
from locflow.languages import get_language
from locflow.plurals import KNOWN_DIFFERENCES, PLURAL_FORMS, cldr_rule, conventional, plural_rule

from .conftest import assert_msgfmt_accepts

# Whole numbers, as gettext counts: every number up to 1999, and large ones where
# CLDR has categories of its own (French "many": 1 million, 2 million ...).
NUMBERS = (*range(0, 2000), 10_000, 100_000, 1_000_000, 1_000_001, 2_000_000, 10_000_000, 1_000_000_000)

RUSSIAN = "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"
ARABIC = "n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5"


def cldr_disagreement(code: str, expr: str, numbers=NUMBERS) -> str | None:
    """Where ``expr`` does not split ``numbers`` as Babel's CLDR rule for ``code`` does, or None.

    The formula agrees when each CLDR category is always the same form and each
    form always the same category (a one-to-one mapping; the order may differ).
    """
    rule = Locale.parse(code).plural_form
    plural = c2py(expr)
    form_of: dict[str, int] = {}
    category_of: dict[int, str] = {}
    for n in numbers:
        category, form = rule(n), plural(n)
        if form_of.setdefault(category, form) != form:
            return f"n={n} is CLDR {category!r} but form {form}, another {category!r} number is form {form_of[category]}"
        if category_of.setdefault(form, category) != category:
            return f"n={n} is form {form} and CLDR {category!r}, another form-{form} number is {category_of[form]!r}"
    return None


def test_every_table_key_is_a_language_babel_knows():
    """get_language accepts only what Babel knows: an entry Babel cannot parse would never be used."""
    for code in PLURAL_FORMS:
        assert Locale.parse(code), code
    assert len(PLURAL_FORMS) >= 150


@pytest.mark.parametrize("code", sorted(set(PLURAL_FORMS) - set(KNOWN_DIFFERENCES)))
def test_formula_splits_whole_numbers_as_cldr_does(code):
    disagreement = cldr_disagreement(code, PLURAL_FORMS[code][1])
    assert disagreement is None, f"{code}: {disagreement} (fix it, or list it in KNOWN_DIFFERENCES with the reason)"


@pytest.mark.parametrize("code", sorted(KNOWN_DIFFERENCES))
def test_known_differences_really_differ_from_cldr(code):
    """The list stays true: an entry that agrees with CLDR (after a Babel upgrade) must leave it."""
    assert code in PLURAL_FORMS
    assert len(KNOWN_DIFFERENCES[code]) > 20  # a reason, not a placeholder
    disagreement = cldr_disagreement(code, PLURAL_FORMS[code][1])
    assert disagreement is not None, f"{code} now agrees with CLDR: remove it from KNOWN_DIFFERENCES"


@pytest.mark.parametrize("code", sorted(PLURAL_FORMS))
def test_expression_compiles_and_every_form_is_used(code):
    nplurals, expr = PLURAL_FORMS[code]
    plural = c2py(expr)
    assert all(0 <= plural(n) < nplurals for n in range(2000)), code
    assert {plural(n) for n in NUMBERS} == set(range(nplurals)), f"{code}: a form no number reaches"


def write_plural_catalog(path, code: str, nplurals: int, expr: str) -> None:
    """A small, complete catalog with one plural message in every form."""
    forms = "\n".join(f'msgstr[{i}] "{{n}} form {i}"' for i in range(nplurals))
    path.write_text(
        'msgid ""\nmsgstr ""\n'
        '"Project-Id-Version: plurals\\n"\n"PO-Revision-Date: 2024-01-01 00:00+0000\\n"\n'
        '"Last-Translator: test\\n"\n"Language-Team: test\\n"\n'
        f'"Language: {code}\\n"\n"MIME-Version: 1.0\\n"\n'
        '"Content-Type: text/plain; charset=UTF-8\\n"\n"Content-Transfer-Encoding: 8bit\\n"\n'
        f'"Plural-Forms: nplurals={nplurals}; plural={expr};\\n"\n\n'
        f'#, python-brace-format\nmsgid "{{n}} file"\nmsgid_plural "{{n}} files"\n{forms}\n',
        encoding="utf-8",
    )


def test_msgfmt_accepts_every_distinct_formula(tmp_path):
    rules: dict[tuple[int, str], str] = {}
    for code, rule in PLURAL_FORMS.items():
        rules.setdefault(rule, code)
    assert len(rules) >= 20
    for number, ((nplurals, expr), code) in enumerate(sorted(rules.items())):
        path = tmp_path / f"rule{number}.po"
        write_plural_catalog(path, code, nplurals, expr)
        result = assert_msgfmt_accepts(path)
        assert result.translated == 1, (code, expr, result.output)


@pytest.mark.parametrize("code", ["fr", "es", "it", "pt", "he", "ga", "lv"])
def test_msgfmt_accepts_the_cldr_rule_a_site_may_ask_for(tmp_path, code):
    nplurals, expr = cldr_rule(code)
    path = tmp_path / f"{code}.po"
    write_plural_catalog(path, code, nplurals, expr)
    assert assert_msgfmt_accepts(path).translated == 1


@pytest.mark.parametrize(
    ("code", "plural_forms"),
    [
        ("fr", "nplurals=2; plural=(n > 1);"),
        ("es", "nplurals=2; plural=(n != 1);"),
        ("it", "nplurals=2; plural=(n != 1);"),
        ("pt", "nplurals=2; plural=(n != 1);"),
        ("pt_BR", "nplurals=2; plural=(n > 1);"),
        ("de", "nplurals=2; plural=(n != 1);"),
        ("hy", "nplurals=2; plural=(n > 1);"),
        ("fa", "nplurals=2; plural=(n > 1);"),
        ("ru", f"nplurals=3; plural={RUSSIAN};"),
        ("uk", f"nplurals=3; plural={RUSSIAN};"),
        ("pl", "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"),
        ("cs", "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;"),
        ("ar", f"nplurals=6; plural={ARABIC};"),
        ("ja", "nplurals=1; plural=0;"),
    ],
)
def test_languages_get_gettexts_exact_header(code, plural_forms):
    """The strings msginit writes, whatever the installed Babel's CLDR says."""
    assert get_language(code).plural_forms == plural_forms


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("pt_BR", (2, "(n > 1)")),
        ("pt-br", (2, "(n > 1)")),
        ("pt_PT", (2, "(n != 1)")),
        ("pt", (2, "(n != 1)")),
        ("sr@latin", (3, RUSSIAN)),
        ("sr_Latn", (3, RUSSIAN)),
        ("zh_Hans", (1, "0")),
        ("zh_TW", (1, "0")),
        ("zh_Hant_HK", (1, "0")),
        ("de_DE.UTF-8", (2, "(n != 1)")),
        ("ca@valencia", (2, "(n != 1)")),
        ("kw", None),  # Cornish: not in the table
        ("", None),
    ],
)
def test_conventional_lookup(code, expected):
    assert conventional(code) == expected


@pytest.mark.parametrize("code", ["fr", "ru", "ar", "kw", "hy", "vi"])
def test_cldr_rule_splits_numbers_below_a_thousand_as_cldr(code):
    nplurals, expr = cldr_rule(code)
    assert cldr_disagreement(code, expr, range(1000)) is None
    assert all(0 <= c2py(expr)(n) < nplurals for n in NUMBERS)


def test_cldr_rule_of_an_unknown_language_is_an_error():
    with pytest.raises(LanguageError, match="unknown language code 'xx'"):
        cldr_rule("xx")


def test_plural_rule_without_override_is_the_table_then_cldr():
    assert plural_rule("fr") == (2, "(n > 1)")
    assert plural_rule("fr", None) == PLURAL_FORMS["fr"]
    assert plural_rule("kw") == cldr_rule("kw")


def test_plural_rule_cldr_override():
    assert plural_rule("fr", "cldr") == cldr_rule("fr")
    assert plural_rule("he", " CLDR ") == cldr_rule("he")
    assert plural_rule("he", "cldr") != plural_rule("he")  # CLDR gives Hebrew's dual a form


def test_plural_rule_explicit_override_is_parsed():
    assert plural_rule("ru", f"nplurals=3; plural={RUSSIAN};") == (3, RUSSIAN)
    assert plural_rule("fr", "nplurals=2;plural=n>1") == (2, "n>1")  # no spaces, no final ';'
    assert plural_rule("ga", "nplurals = 5; plural = n==1 ? 0 :\n n==2 ? 1 : n<7 ? 2 : n<11 ? 3 : 4;") == (
        5,
        "n==1 ? 0 : n==2 ? 1 : n<7 ? 2 : n<11 ? 3 : 4",
    )


@pytest.mark.parametrize(
    ("override", "fragment"),
    [
        ("", 'expected "cldr" or "nplurals=N; plural=EXPRESSION;"'),
        ("two", 'expected "cldr" or "nplurals=N; plural=EXPRESSION;", got \'two\''),
        ("plural=(n != 1);", "expected"),
        ("nplurals=two; plural=(n != 1);", "expected"),
        (3, "got 3"),
        ("nplurals=0; plural=0;", "nplurals must be 1 or more"),
        ("nplurals=2; plural=(n != 1;", "is not a valid gettext expression"),
        ("nplurals=2; plural=__import__('os');", "is not a valid gettext expression"),
        ("nplurals=2; plural=n%3;", "gives 2 for n=2, outside 0..1"),
        ("nplurals=3; plural=n%10==1 ? 0 : n==1000000 ? 3 : 1;", "gives 3 for n=1000000, outside 0..2"),
        ("nplurals=2; plural=n/0;", "fails for n=0"),
    ],
)
def test_plural_rule_rejects_a_bad_override_in_one_line(override, fragment):
    with pytest.raises(LanguageError) as caught:
        plural_rule("ru", override)
    assert fragment in str(caught.value)
    assert "\n" not in str(caught.value)
