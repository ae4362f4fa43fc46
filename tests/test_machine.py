"""Machine translation through deep-translator, over real HTTP to a LibreTranslate-compatible
server on 127.0.0.1: codes, retries, garbage, cache, size limits, secrets."""

import threading
from pathlib import Path

import pytest

from locflow.config import load_settings
from locflow.drafts import load_source
from locflow.drafts.machine import (
    MachineSource,
    UnsupportedLanguage,
    garbage_reason,
    machine_settings,
    provider_code,
    split_text,
)
from locflow.errors import ConfigError
from locflow.languages import get_language

from .conftest import write_pyproject
from .libre_server import fake_translate

HY, RU, FR = get_language("hy"), get_language("ru"), get_language("fr")


def settings_for(root: Path, url: str, machine: str = "", languages=("hy", "ru", "fr"), libre: str = ""):
    root.mkdir(parents=True, exist_ok=True)
    providers = "" if "providers" in machine else 'providers = ["libre"]'
    timeout = "" if "timeout" in machine else "timeout = 2"
    write_pyproject(
        root,
        languages=languages,
        extra=f"""
[tool.locflow.machine]
{providers}
backoff = 0.01
{timeout}
{machine}
[tool.locflow.machine.libre]
base-url = "{url}"
{libre}
""",
    )
    return load_settings(root)


def source_for(tmp_path, libre, machine="", libre_table="", **options) -> MachineSource:
    settings = settings_for(tmp_path / "site", libre.url, machine, libre=libre_table)
    source = load_source("machine", settings, options)
    source.check_languages(settings.languages)
    return source


# -- language codes ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("provider", "code", "expected"),
    [
        ("google", "pt_BR", "pt"),
        ("deepl", "pt_BR", "PT-BR"),
        ("microsoft", "pt_BR", "pt"),
        ("mymemory", "pt_BR", "pt-BR"),
        ("google", "hy", "hy"),
        ("mymemory", "hy", "hy-AM"),
        ("google", "he", "iw"),
        ("google", "zh_TW", "zh-TW"),
        ("deepl", "zh_Hans", "ZH-HANS"),
        ("microsoft", "sr_Latn", "sr-Latn"),
        ("deepl", "ru", "RU"),
    ],
)
def test_locale_codes_are_mapped_per_provider(provider, code, expected):
    assert provider_code(provider, get_language(code)) == expected


def test_deepl_source_codes_have_no_region():
    assert provider_code("deepl", get_language("en"), "source") == "EN"
    assert provider_code("deepl", get_language("en"), "target") == "EN-US"


def test_a_language_the_provider_does_not_offer_is_an_error_before_any_request(tmp_path, libre, monkeypatch):
    monkeypatch.delenv("DEEPL_API_KEY", raising=False)
    with pytest.raises(UnsupportedLanguage, match=r"DeepL \(deepl\) does not offer Armenian \(hy\)"):
        provider_code("deepl", HY)
    settings = settings_for(tmp_path / "site", libre.url, languages=("hy", "ru"))
    source = MachineSource.from_settings(settings, {"provider": "deepl"})
    with pytest.raises(ConfigError, match="DEEPL_API_KEY"):  # no key: stopped before anything is sent
        source.check_languages(settings.languages)
    libre.languages = ["en", "ru", "fr"]  # this LibreTranslate server has no Armenian
    source = MachineSource.from_settings(settings, {})
    with pytest.raises(UnsupportedLanguage, match=r"does not offer Armenian \(hy\).*\[tool.locflow.machine\] providers"):
        source.check_languages(settings.languages)
    assert libre.translations() == []


# -- settings ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("machine", "fragment"),
    [
        ('colour = "red"', "unknown key 'colour'"),
        ('api-key = "secret"', "environment variables only"),
        ('providers = ["babelfish"]', "unknown provider 'babelfish'"),
        ("concurrency = 0", "concurrency: must be at least 1"),
        ("retries = 1.5", "retries: expected a whole number"),
        ('[tool.locflow.machine.languages]\nde = ["google"]', "'de' is not one of the site's languages"),
        ('[tool.locflow.machine.deepl]\napi-key = "x"', "environment variables only"),
        ("[tool.locflow.machine.microsoft]\nbase-url = \"ftp://example.org/\"", "microsoft.base-url: expected an http"),
        ('[tool.locflow.machine.deepl]\nbase-url = "https://me:pw@api.deepl.com/"', "no credentials or query in the URL"),
        ('[tool.locflow.machine.llm]\nresponse-format = "xml"', "llm.response-format: expected one of json_schema, json_object"),
        ('providers = ["llm"]', "llm.base-url: required to use the llm provider"),
    ],
)
def test_bad_machine_settings_are_errors_naming_the_key(tmp_path, machine, fragment):
    # Loading the settings validates every section, so the error comes from load_settings.
    with pytest.raises(ConfigError, match=fragment.replace("(", r"\(").replace("[", r"\[")):
        machine_settings(settings_for(tmp_path / "site", "http://127.0.0.1:9/", machine))


def test_texts_per_request_is_checked(tmp_path):
    with pytest.raises(ConfigError, match="libre.texts-per-request: expected a whole number from 1 to 1000"):
        machine_settings(settings_for(tmp_path / "site", "http://127.0.0.1:9/", libre="texts-per-request = 0"))


def test_per_language_provider_chain(tmp_path):
    settings = settings_for(tmp_path / "site", "http://127.0.0.1:9/", 'concurrency = 2\n[tool.locflow.machine.languages]\nhy = ["google", "mymemory"]')
    config = machine_settings(settings)
    assert config.chain("hy") == ("google", "mymemory")
    assert config.chain("ru") == ("libre",)
    assert config.concurrency == 2


# -- real HTTP through deep-translator --------------------------------------------


def test_drafts_come_back_with_placeholders_intact_and_one_request_per_distinct_text(tmp_path, libre):
    source = source_for(tmp_path, libre)
    msgids = ["Updated: {date}", "Hello <b>%s</b>!", "Updated: {date}", "Pogroms Unleashed:"]
    drafts = source.drafts(HY, msgids)
    assert drafts["Updated: {date}"].text == fake_translate("Updated: ", "hy") + "{date}"
    assert drafts["Hello <b>%s</b>!"].text == "հելլօ <b>%s</b>!"
    assert drafts["Pogroms Unleashed:"].origin == "machine:libre"
    assert sorted(libre.texts()) == sorted(["Updated: [X1X]", "Hello [X1X][X2X][X3X]!", "Pogroms Unleashed:"])
    request = libre.translations()[0]
    assert (request.params["source"], request.params["target"], request.params["format"]) == ("en", "hy", "text")
    assert "api_key" not in request.params  # no key configured: none sent


def test_the_cache_means_a_second_run_sends_nothing(tmp_path, libre):
    source = source_for(tmp_path, libre)
    first = source.drafts(RU, ["Humanitarian Crisis:", "Pogroms Unleashed:"])
    source.close()
    again = source_for(tmp_path, libre)  # a new run, same cache folder
    second = again.drafts(RU, ["Humanitarian Crisis:", "Pogroms Unleashed:"])
    assert first == second
    assert len(libre.texts()) == 2
    assert again.status()["providers"]["libre"]["cached"] == 2
    assert again.status()["providers"]["libre"]["requests"] == 0


@pytest.mark.parametrize("mode", ["429", "500"])
def test_rate_limits_and_server_errors_are_retried_with_backoff(tmp_path, libre, mode):
    source = source_for(tmp_path, libre, "retries = 3")
    libre.fail_next(mode, 2)
    drafts = source.drafts(HY, ["Pogroms Unleashed:"])
    assert drafts["Pogroms Unleashed:"].text == fake_translate("Pogroms Unleashed:", "hy")
    assert libre.texts() == ["Pogroms Unleashed:"] * 3


def test_a_text_that_keeps_failing_is_reported_after_the_retries(tmp_path, libre):
    source = source_for(tmp_path, libre, "retries = 2")
    libre.for_text["Crisis"] = "500"
    drafts = source.drafts(HY, ["Humanitarian Crisis:", "Pogroms Unleashed:"])
    assert list(drafts) == ["Pogroms Unleashed:"]  # the other text of its request is not lost
    # three attempts of the request holding both texts, then each text once on its own
    assert [request.texts for request in libre.translations()] == (
        [["Humanitarian Crisis:", "Pogroms Unleashed:"]] * 3 + [["Humanitarian Crisis:"], ["Pogroms Unleashed:"]]
    )
    [failure] = source.failures
    assert failure.msgid == "Humanitarian Crisis:" and failure.provider == "libre"
    assert "server error (HTTP 500); gave up after 3 attempts" in failure.reason


def test_read_timeouts_are_retried(tmp_path, libre):
    source = source_for(tmp_path, libre, "retries = 1\ntimeout = 0.3")
    libre.fail_next("slow", 1)
    drafts = source.drafts(RU, ["Pogroms Unleashed:"])
    assert "Pogroms Unleashed:" in drafts
    assert len(libre.texts()) == 2


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("html", "an HTML page instead of a translation"),
        ("html-json", "an HTML page instead of a translation"),
        ("empty", "empty answer"),
        ("echo", "the source text came back unchanged"),
        ("latin", "written in Latin script, not Armn as Armenian is"),
        ("drop", "lost '{date}'"),
    ],
)
def test_garbage_answers_are_refused_and_reported(tmp_path, libre, mode, reason):
    source = source_for(tmp_path, libre)
    libre.for_text["Updated"] = mode
    drafts = source.drafts(HY, ["Updated: {date}", "Pogroms Unleashed:"])
    assert list(drafts) == ["Pogroms Unleashed:"]
    [failure] = source.failures
    assert failure.msgid == "Updated: {date}" and reason in failure.reason


def test_garbage_is_not_cached_so_a_later_run_asks_again(tmp_path, libre):
    source = source_for(tmp_path, libre)
    libre.for_text["Updated"] = "html"
    assert source.drafts(HY, ["Updated: {date}"]) == {}
    source.close()
    libre.for_text.clear()
    again = source_for(tmp_path, libre)
    assert again.drafts(HY, ["Updated: {date}"])["Updated: {date}"].text.endswith("{date}")


def test_unreachable_provider_is_detected_once_and_not_asked_again(tmp_path):
    settings = settings_for(tmp_path / "site", "http://127.0.0.1:9/")  # nothing listens on port 9
    source = MachineSource.from_settings(settings, {})
    source.check_languages(settings.languages)
    assert source.drafts(HY, ["Pogroms Unleashed:", "Humanitarian Crisis:"]) == {}
    assert source.unavailable() == {"libre": "connection to 127.0.0.1:9 refused"}
    assert source.failures == []  # not a per-string failure: the summary names the provider


def test_fallback_chain_uses_the_next_provider(tmp_path, libre, monkeypatch):
    # LibreTranslate refuses the key, so the run drops it and asks MyMemory, whose
    # (plain http) endpoint is reached through a proxy: the same test server.
    monkeypatch.setenv("LIBRE_API_KEY", "wrong")
    monkeypatch.setenv("HTTP_PROXY", libre.url)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    libre.api_key = "right"
    source = source_for(tmp_path, libre, '[tool.locflow.machine.languages]\nhy = ["libre", "mymemory"]')
    drafts = source.drafts(HY, ["Pogroms Unleashed:", "Humanitarian Crisis:"])
    assert {d.origin for d in drafts.values()} == {"machine:mymemory"}
    assert drafts["Pogroms Unleashed:"].text == fake_translate("Pogroms Unleashed:", "hy")
    assert source.unavailable() == {"libre": "refused the API key in LIBRE_API_KEY (HTTP 403): Invalid API key"}
    memory = [r for r in libre.requests if r.path == "/get"]
    assert sorted(r.params["q"] for r in memory) == ["Humanitarian Crisis:", "Pogroms Unleashed:"]
    assert {r.params["langpair"] for r in memory} == {"en-GB|hy-AM"}


def test_long_texts_are_split_at_sentence_boundaries_and_joined(tmp_path, libre):
    source = source_for(tmp_path, libre, libre_table="max-chars = 40")
    text = "The first sentence is here. The second one follows it! And a third, longer one ends the paragraph."
    draft = source.drafts(RU, [text])[text].text
    assert draft == fake_translate(text, "ru")
    assert sorted(libre.texts()) == sorted(
        ["The first sentence is here.", "The second one follows it!", "And a third, longer one ends the", "paragraph."]
    )


def test_split_text_keeps_every_character():
    text = "One. Two two two two.\n\nThree three? Four" + " word" * 30
    pieces = split_text(text, 25)
    assert "".join(piece + sep for piece, sep in pieces) == text
    assert all(len(piece) <= 25 for piece, _ in pieces)


def test_wrong_script_allows_names_in_latin_letters():
    assert garbage_reason("Baku and NATO", "Բաքու և NATO", HY) is None
    assert garbage_reason("The Baku pogroms", "The Baku pogroms remembered", RU).startswith("written in Latin")
    assert garbage_reason("Hello", "MYMEMORY WARNING: YOU USED ALL AVAILABLE FREE TRANSLATIONS", FR) is not None


def test_api_key_is_sent_but_never_shown(tmp_path, libre, monkeypatch):
    secret = "s3cr3t-key-123"
    libre.api_key = "another-key"  # the server refuses ours
    monkeypatch.setenv("LIBRE_API_KEY", secret)
    source = source_for(tmp_path, libre)
    assert source.drafts(HY, ["Pogroms Unleashed:"]) == {}
    assert libre.translations()[0].params["api_key"] == secret
    assert source.unavailable() == {"libre": "refused the API key in LIBRE_API_KEY (HTTP 403): Invalid API key"}
    assert secret not in repr(source.status())
    cache = (tmp_path / "site" / ".locflow-cache").rglob("*")
    assert not any(secret.encode() in path.read_bytes() for path in cache if path.is_file())


def test_strings_without_words_are_not_sent(tmp_path, libre):
    source = source_for(tmp_path, libre)
    assert source.drafts(RU, ["{date}", "1990", "<br/>", "Pogroms Unleashed:"]).keys() == {"Pogroms Unleashed:"}
    assert libre.texts() == ["Pogroms Unleashed:"]
    assert source.status()["nothing_to_translate"] == {"ru": 3}


def requests_at_once(service, expected: int):
    """Make ``service`` hold each request until ``expected`` are open together (or 10 s pass),
    and record the most that were ever open at once."""
    state = {"open": 0, "most": 0, "arrived": 0}
    condition = threading.Condition()

    def hold(request):
        with condition:
            state["open"] += 1
            state["arrived"] += 1
            state["most"] = max(state["most"], state["open"])
            condition.notify_all()
            condition.wait_for(lambda: state["arrived"] >= expected, timeout=10)
            state["open"] -= 1

    service.on_translate = hold
    return state


def test_requests_run_concurrently_within_the_configured_bound(tmp_path, libre):
    texts = [f"Sentence number {word}." for word in ("one", "two", "three", "four", "five", "six", "seven", "eight")]
    seen = requests_at_once(libre, 3)
    source = source_for(tmp_path, libre, "concurrency = 3", libre_table="texts-per-request = 2")
    assert len(source.drafts(RU, texts)) == 8
    assert len(libre.translations()) == 4  # two texts per request
    assert seen["most"] == 3  # three requests were open together, never four
    seen = requests_at_once(libre, 1)
    source = source_for(tmp_path / "other", libre, libre_table="texts-per-request = 2", concurrency=1)  # --requests 1
    source.drafts(RU, [text.replace(".", "!") for text in texts[:3]])
    assert seen["most"] == 1


def test_a_damaged_cache_is_set_aside_not_an_error(tmp_path, libre):
    cache = tmp_path / "site" / ".locflow-cache" / "machine-translations.sqlite3"
    cache.parent.mkdir(parents=True)
    cache.write_bytes(b"this is not a database" * 100)
    source = source_for(tmp_path, libre)
    assert "Pogroms Unleashed:" in source.drafts(HY, ["Pogroms Unleashed:"])
    assert cache.with_name(cache.name + ".damaged").exists()


def test_answers_cached_by_the_previous_version_are_kept(tmp_path, libre):
    import sqlite3

    cache = tmp_path / "site" / ".locflow-cache" / "machine-translations.sqlite3"
    cache.parent.mkdir(parents=True)
    db = sqlite3.connect(cache)  # version 1: no context column
    db.execute(
        "CREATE TABLE translations (provider TEXT NOT NULL, source_lang TEXT NOT NULL, target_lang TEXT NOT NULL, "
        "text TEXT NOT NULL, translation TEXT NOT NULL, received TEXT NOT NULL, "
        "PRIMARY KEY (provider, source_lang, target_lang, text)) WITHOUT ROWID"
    )
    db.execute("INSERT INTO translations VALUES ('libre', 'en', 'ru', 'Pogroms Unleashed:', 'Погромы:', '2026-11-01')")
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    source = source_for(tmp_path, libre)
    assert source.drafts(RU, ["Pogroms Unleashed:"])["Pogroms Unleashed:"].text == "Погромы:"
    assert libre.texts() == []  # paid for once, never asked again
