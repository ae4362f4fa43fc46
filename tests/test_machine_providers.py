"""Batched requests to DeepL, Microsoft, Google Cloud and LibreTranslate, over real HTTP to
servers on 127.0.0.1 that speak each API (tests/fake_services.py): limits, context,
glossaries, errors, garbage, placeholder marks and keys."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from locflow.config import load_settings
from locflow.drafts import Message, load_source
from locflow.languages import get_language

from .conftest import SEED, SEED_SLUG, assert_msgfmt_accepts, run_locflow, write_pyproject
from .fake_services import Server, fake_translate

RU, HY = get_language("ru"), get_language("hy")
_WHO = ["witness", "mother", "teacher", "soldier", "doctor", "neighbour"]
_WHAT = ["fled", "stayed", "wrote", "spoke", "waited", "returned", "hid", "testified", "wept", "remembered"]
SENTENCES = [f"The {who} {what} in the winter of that year." for who in _WHO for what in _WHAT]  # 60 distinct


def settings_for(root: Path, machine: str, languages=("ru", "hy")):
    root.mkdir(parents=True, exist_ok=True)
    write_pyproject(root, languages=languages, extra=f"\n[tool.locflow.machine]\nbackoff = 0.01\ntimeout = 5\n{machine}\n")
    return load_settings(root)


def source_for(root: Path, machine: str, languages=("ru", "hy"), **options):
    settings = settings_for(root, machine, languages)
    source = load_source("machine", settings, options)
    source.check_languages(tuple(lang for lang in settings.languages if lang.code in ("ru",)))
    return source


@pytest.fixture
def deepl(monkeypatch):
    monkeypatch.setenv("DEEPL_API_KEY", "deepl-secret-key:fx")
    with Server("deepl", api_key="deepl-secret-key:fx") as state:
        yield state


def deepl_table(url: str, extra: str = "") -> str:
    return f'providers = ["deepl"]\n{extra}\n[tool.locflow.machine.deepl]\nbase-url = "{url}"\n'


# -- DeepL ---------------------------------------------------------------------------------


def test_deepl_takes_up_to_50_texts_per_request_with_the_key_in_a_header(tmp_path, deepl):
    source = source_for(tmp_path, deepl_table(deepl.url))
    drafts = source.drafts(RU, SENTENCES)
    assert len(drafts) == 60 and drafts[SENTENCES[0]].text == fake_translate(SENTENCES[0], "ru")
    sizes = sorted(len(request.texts) for request in deepl.translations())
    assert sizes == [10, 50]
    request = deepl.translations()[0]
    assert request.headers["Authorization"] == "DeepL-Auth-Key deepl-secret-key:fx"
    assert "secret" not in request.path and (request.params["source_lang"], request.params["target_lang"]) == ("EN", "RU")
    assert source.status()["providers"]["deepl"] == {
        "requests": 2, "texts": 60, "characters": sum(len(s) for s in SENTENCES), "cached": 0, "drafts": 60, "failed": 0,
    }


def test_deepl_gets_the_articles_title_and_neighbouring_text_as_context(tmp_path, deepl):
    source = source_for(tmp_path, deepl_table(deepl.url))
    title = "The Baku Pogroms Remembered"
    heading = Message("Escalation:", title=title, before="The first paragraph.", after="The second paragraph.")
    month = Message("May", "month", title=title)
    verb = Message("May", "verb", title=title)
    drafts = source.drafts(RU, [heading, month, verb])
    assert set(drafts) == {("month", "May"), ("verb", "May"), (None, "Escalation:")}
    contexts = [(r.texts, r.params.get("context", "")) for r in deepl.translations()]
    assert (["Escalation:"], f"{title}\n\nThe first paragraph.\n\nThe second paragraph.") in contexts
    # a msgctxt makes another message: sent on its own, and said
    assert sorted(c for texts, c in contexts if texts == ["May"]) == [f"{title}\n\nContext: month", f"{title}\n\nContext: verb"]


def test_deepl_glossary_is_created_once_and_reused_while_its_content_is_the_same(tmp_path, deepl):
    root = tmp_path / "site"
    (root / "locales" / "ru").mkdir(parents=True)
    glossary = root / "locales" / "ru" / "glossary.csv"
    glossary.write_text("source,target\nBaku,Баку\nNagorno-Karabakh,Нагорный Карабах\n", encoding="utf-8")
    text = "The pogroms in Baku shook Nagorno-Karabakh."
    source = source_for(root, deepl_table(deepl.url))
    draft = source.drafts(RU, [text])[text]
    assert "Баку" in draft.text and "Нагорный Карабах" in draft.text  # the service applied the glossary
    assert "glossary" not in draft.detail  # nothing missing to point out
    [created] = [r for r in deepl.requests if r.method == "POST" and r.path == "/v2/glossaries"]
    assert created.params["entries"] == "Baku\tБаку\nNagorno-Karabakh\tНагорный Карабах"
    assert (created.params["source_lang"], created.params["target_lang"], created.params["entries_format"]) == ("en", "ru", "tsv")
    [glossary_id] = deepl.glossaries
    assert deepl.translations()[0].params["glossary_id"] == glossary_id
    assert "created" in source.status()["notes"]["deepl"]["glossaries"]["ru"]
    source.close()

    # the next run finds it again (by its content) instead of creating another
    again = source_for(root, deepl_table(deepl.url))
    again.drafts(RU, ["Baku is the capital."])
    assert len(deepl.glossaries) == 1
    assert deepl.translations()[-1].params["glossary_id"] == glossary_id
    assert "reused" in again.status()["notes"]["deepl"]["glossaries"]["ru"]
    again.close()

    # a changed glossary is a new one
    glossary.write_text("source,target\nBaku,Баку\nArmenians,армяне\n", encoding="utf-8")
    third = source_for(root, deepl_table(deepl.url))
    third.drafts(RU, ["Armenians fled."])
    assert len(deepl.glossaries) == 2
    assert deepl.translations()[-1].params["glossary_id"] != glossary_id


def test_deepl_quota_used_up_stops_asking_it(tmp_path, deepl):
    source = source_for(tmp_path, deepl_table(deepl.url, 'concurrency = 1\n[tool.locflow.machine.languages]\nru = ["deepl", "libre"]\n[tool.locflow.machine.libre]\nbase-url = "http://127.0.0.1:9/"'))
    deepl.fail_next("456")
    assert source.drafts(RU, ["One sentence."]) == {}
    assert source.unavailable()["deepl"] == "quota used up (HTTP 456): Quota exceeded"
    assert source.failures == []  # not a per-string failure: the summary names the provider


# -- Microsoft and Google Cloud ----------------------------------------------------------


def test_microsoft_sends_many_texts_per_request_with_its_key_and_region(tmp_path, monkeypatch):
    monkeypatch.setenv("MICROSOFT_API_KEY", "ms-secret")
    with Server("microsoft", api_key="ms-secret") as ms:
        table = f'providers = ["microsoft"]\n[tool.locflow.machine.microsoft]\nbase-url = "{ms.url}"\nregion = "westeurope"'
        source = source_for(tmp_path, table)
        ms.fail_next("429")
        drafts = source.drafts(RU, SENTENCES)
        assert len(drafts) == 60
        requests = ms.translations()
        assert [len(r.texts) for r in requests] == [60, 60]  # one request, asked again after the 429
        assert requests[0].headers["Ocp-Apim-Subscription-Key"] == "ms-secret"
        assert requests[0].headers["Ocp-Apim-Subscription-Region"] == "westeurope"
        assert (requests[0].params["from"], requests[0].params["to"]) == ("en", "ru")


def test_microsoft_refusing_the_key_says_so_without_showing_it(tmp_path, monkeypatch):
    monkeypatch.setenv("MICROSOFT_API_KEY", "ms-wrong-secret")
    with Server("microsoft", api_key="ms-right") as ms:
        source = source_for(tmp_path, f'providers = ["microsoft"]\n[tool.locflow.machine.microsoft]\nbase-url = "{ms.url}"')
        assert source.drafts(RU, ["A sentence."]) == {}
        reason = source.unavailable()["microsoft"]
        assert reason.startswith("refused the API key in MICROSOFT_API_KEY (HTTP 401)")
        assert "ms-wrong-secret" not in json.dumps(source.status())


def test_google_cloud_sends_several_q_and_retries_its_rate_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("GOOGLE_API_KEY", "g-secret")
    with Server("google-cloud", api_key="g-secret") as google:
        source = source_for(tmp_path, f'providers = ["google-cloud"]\n[tool.locflow.machine.google-cloud]\nbase-url = "{google.url}"')
        google.fail_next("403")  # "User Rate Limit Exceeded": wait and ask again
        drafts = source.drafts(RU, SENTENCES)
        assert len(drafts) == 60
        assert [len(r.texts) for r in google.translations()] == [60, 60]
        assert google.translations()[0].headers["X-Goog-Api-Key"] == "g-secret"
        assert "key=" not in google.translations()[0].path


def test_google_cloud_splits_at_128_texts(tmp_path, monkeypatch):
    monkeypatch.setenv("GOOGLE_API_KEY", "g-secret")
    with Server("google-cloud", api_key="g-secret") as google:
        source = source_for(tmp_path, f'providers = ["google-cloud"]\n[tool.locflow.machine.google-cloud]\nbase-url = "{google.url}"')
        texts = [f"{sentence} And {who} said so." for sentence in SENTENCES for who in ("she", "he", "they", "we")][:200]
        assert len(source.drafts(RU, texts)) == 200
        assert sorted(len(r.texts) for r in google.translations()) == [72, 128]


# -- LibreTranslate limits, and a refused text in a batch ---------------------------------


def test_libre_requests_stay_within_the_servers_char_and_batch_limits(tmp_path, libre):
    libre.char_limit, libre.batch_limit = 200, 3
    table = f'providers = ["libre"]\n[tool.locflow.machine.libre]\nbase-url = "{libre.url}"\nmax-chars = 200\ntexts-per-request = 3'
    source = source_for(tmp_path, table)
    assert len(source.drafts(RU, SENTENCES[:12])) == 12
    assert all(len(r.texts) <= 3 and sum(map(len, r.texts)) <= 200 for r in libre.translations())


def test_a_libre_server_that_wants_a_key_is_reported_once_not_per_text(tmp_path, libre):
    libre.fail_next("key-wanted")
    source = source_for(tmp_path, f'providers = ["libre"]\n[tool.locflow.machine.libre]\nbase-url = "{libre.url}"')
    assert source.drafts(RU, SENTENCES[:10]) == {}
    assert source.unavailable()["libre"] == (
        "the server wants an API key (Visit https://portal.example.org to get an API key); set LIBRE_API_KEY"
    )
    assert len(libre.translations()) == 1 and source.failures == []


def test_a_server_with_a_lower_batch_limit_still_gets_every_text(tmp_path, libre):
    libre.batch_limit = 4  # the settings say 25: the server refuses, the batches are cut in halves
    source = source_for(tmp_path, f'providers = ["libre"]\n[tool.locflow.machine.libre]\nbase-url = "{libre.url}"')
    assert len(source.drafts(RU, SENTENCES[:16])) == 16
    assert source.failures == []


def test_a_text_the_service_refuses_does_not_sink_its_batch(tmp_path, libre):
    libre.for_text[SENTENCES[5]] = "refuse"  # HTTP 400 for any request holding it
    source = source_for(tmp_path, f'providers = ["libre"]\n[tool.locflow.machine.libre]\nbase-url = "{libre.url}"')
    drafts = source.drafts(RU, SENTENCES[:10])
    assert set(drafts) == set(SENTENCES[:10]) - {SENTENCES[5]}
    [failure] = source.failures
    assert failure.msgid == SENTENCES[5] and failure.reason.startswith("request refused (HTTP 400)")
    assert libre.texts().count(SENTENCES[0]) == 2  # its half was sent again once, not retried


# -- garbage and placeholder marks -------------------------------------------------------


@pytest.mark.parametrize(("mode", "answer"), [("nothing", "'...'"), ("digits", "'123'"), ("brackets", "'[]'")])
def test_an_answer_without_a_letter_is_refused(tmp_path, libre, mode, answer):
    libre.for_text["Crisis"] = mode
    source = source_for(tmp_path, f'providers = ["libre"]\n[tool.locflow.machine.libre]\nbase-url = "{libre.url}"')
    drafts = source.drafts(RU, ["Humanitarian Crisis:", "Pogroms Unleashed:"])
    assert list(drafts) == ["Pogroms Unleashed:"]
    [failure] = source.failures
    assert failure.reason == f"no words in the answer ({answer})"


@pytest.mark.parametrize("mode", ["cyrillic-marks", "spaced-marks"])
def test_placeholder_marks_written_with_look_alike_letters_are_restored(tmp_path, libre, mode):
    libre.for_text["Updated"] = mode  # [Х1Х] with a Cyrillic Х, as a Russian-trained service writes it
    source = source_for(tmp_path, f'providers = ["libre"]\n[tool.locflow.machine.libre]\nbase-url = "{libre.url}"')
    draft = source.drafts(RU, ["Updated: {date}"])["Updated: {date}"]
    assert draft.text == fake_translate("Updated: ", "ru") + "{date}"
    assert source.failures == []


# -- keys never leave the environment ---------------------------------------------------


def test_keys_never_appear_in_output_files_cache_or_errors(tmp_path, monkeypatch):
    root = tmp_path / "site"
    (root / "source").mkdir(parents=True)
    shutil.copy(SEED, root / "source" / SEED.name)
    secrets = {"DEEPL_API_KEY": "dl-7a91-secret:fx", "MICROSOFT_API_KEY": "ms-5c22-secret", "GOOGLE_API_KEY": "gc-0d13-secret"}
    with Server("deepl", api_key=secrets["DEEPL_API_KEY"]) as deepl, Server("microsoft", api_key="other") as ms, \
            Server("google-cloud", api_key=secrets["GOOGLE_API_KEY"]) as google:
        write_pyproject(root, languages=("ru",), extra=f"""
[tool.locflow.prefill]
sources = ["machine"]
[tool.locflow.machine]
providers = ["microsoft", "deepl", "google-cloud"]
backoff = 0.01
[tool.locflow.machine.deepl]
base-url = "{deepl.url}"
[tool.locflow.machine.microsoft]
base-url = "{ms.url}"
[tool.locflow.machine.google-cloud]
base-url = "{google.url}"
""")
        (root / "locales" / "ru").mkdir(parents=True)
        (root / "locales" / "ru" / "glossary.csv").write_text("source,target\nBaku,Баку\n", encoding="utf-8")
        run_locflow(root, "extract", check_code=0)
        run_locflow(root, "update", check_code=0)
        deepl.for_text["Crisis"] = "refuse"
        google.for_text["Crisis"] = "500"
        outputs = [run_locflow(root, "prefill", "--format", fmt, env=secrets, check_code=0) for fmt in ("text", "json")]
        report = json.loads(outputs[1].stdout)
        assert report["unavailable"]["microsoft"].startswith("refused the API key in MICROSOFT_API_KEY (HTTP 401)")
        assert any(f["provider"] == "deepl" for f in report["failures"])  # a refused text, with its reason
        assert deepl.translations() and ms.translations()
        everything = "".join(run.stdout + run.stderr for run in outputs)
        for path in root.rglob("*"):
            if path.is_file():
                everything += path.read_bytes().decode("utf-8", "replace")
        for secret in secrets.values():
            assert secret not in everything
        po = root / "locales" / "ru" / "LC_MESSAGES" / f"{SEED_SLUG}.po"
        assert_msgfmt_accepts(po)
