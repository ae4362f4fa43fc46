"""Placeholders and markup are hidden from machine translation and put back exactly."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from locflow.drafts.markup import LostMarkup, placeholders, protect, restore, segments


@pytest.mark.parametrize(
    ("text", "protected"),
    [
        ("Updated: {date}", ["{date}"]),
        ("Hello %s, you have %(count)d new %1$s", ["%s", "%(count)d", "%1$s"]),
        ("Rate: %.2f%%", ["%.2f", "%%"]),
        ("{0} and {name!r:>10} and {{ user.name }}", ["{0}", "{name!r:>10}", "{{ user.name }}"]),
        ('See <a href="x.html">the <em>page</em></a> &amp; more', ['<a href="x.html">', "<em>", "</em>", "</a>", "&amp;"]),
        ("Read [the report](https://example.org/a_(b)) now", ["[", "](https://example.org/a_(b))"]),
        ("This is **bold**, *em* and _also em_", ["**", "**", "*", "*", "_", "_"]),
        ("Run `make test` first", ["`make test`"]),
        ("From January 12-19, 1990: 3.5 million", ["12", "19", "1990", "3.5"]),
        ("Visit https://example.com/path.", ["https://example.com/path"]),
    ],
)
def test_protects_placeholders_markup_and_numbers(text, protected):
    masked, tokens = protect(text)
    assert [token.text for token in tokens] == protected
    for token in tokens:
        assert token.text not in masked.replace("[X", "")  # nothing protected is left for the service
    assert restore(masked, tokens) == text


@pytest.mark.parametrize(
    "text",
    [
        "50% off for 5 * 3 people",  # "% o" is prose, not a printf directive
        "snake_case_name stays a word",
        "COVID-19 and 3D printing",  # digits inside words are part of the word
    ],
)
def test_prose_is_not_mistaken_for_placeholders(text):
    kinds = {token.kind for token in placeholders(text)}
    assert "printf" not in kinds and "md-emphasis" not in kinds
    assert "COVID" not in "".join(token.text for token in placeholders(text))


def test_restore_accepts_the_spacing_services_add_around_marks():
    masked, tokens = protect("Updated: {date}")
    assert masked == "Updated: [X1X]"
    assert restore("Обновлено: [ X1X ]", tokens) == "Обновлено: {date}"
    assert restore("Обновлено: [x1x]", tokens) == "Обновлено: {date}"


def test_moved_placeholders_are_restored_in_their_new_order():
    masked, tokens = protect("%(count)d files in {folder}")
    swapped = masked.replace("[X1X]", "@").replace("[X2X]", "[X1X]").replace("@", "[X2X]")
    assert restore(swapped, tokens) == "{folder} files in %(count)d"


def test_lost_or_doubled_placeholder_is_an_error_naming_it():
    masked, tokens = protect("Updated: {date} at %s")
    with pytest.raises(LostMarkup, match=r"lost '\{date\}'") as lost:
        restore(masked.replace("[X1X]", ""), tokens)
    assert [t.text for t in lost.value.missing] == ["{date}"]
    with pytest.raises(LostMarkup, match="repeated '%s'"):
        restore(masked + " [X2X]", tokens)


def test_segments_tell_translatable_text_from_protected_pieces():
    pieces = segments("Hello <b>{name}</b>!")
    assert [(text, token is not None) for text, token in pieces] == [
        ("Hello ", False), ("<b>", True), ("{name}", True), ("</b>", True), ("!", False),
    ]
    assert [token.kind for token in placeholders("Hello <b>{name}</b>!")] == ["html-tag", "brace", "html-tag"]
    assert [token.is_placeholder for token in placeholders("%s <b>")] == [True, False]


@given(st.text(alphabet=st.sampled_from(list("ab {}%sd<>/[]()*_`&;#19.,:-\n")), max_size=60))
def test_protect_then_restore_is_the_identity(text):
    masked, tokens = protect(text)
    assert restore(masked, tokens) == text


@pytest.mark.parametrize(
    "mark",
    ["[Х1Х]", "[х1х]", "[Χ1Χ]", "[Խ1Խ]", "[ x 1 X ]", "［X1X］", "[X١X]", "[Ｘ1Ｘ]"],
)
def test_restore_accepts_marks_written_with_look_alike_letters_or_digits(mark):
    # Cyrillic Х, Greek Χ, Armenian Խ, fullwidth brackets and letters, Arabic-Indic digits:
    # how services trained on other scripts write [X1X] back.
    masked, tokens = protect("Updated: {date}")
    assert restore(f"Обновлено: {mark}", tokens) == "Обновлено: {date}"


def test_a_look_alike_mark_is_not_a_word():
    from locflow.drafts.markup import strip_masks

    assert strip_masks("[Х1Х] [Χ2Χ]").strip() == ""
