"""The llm provider: an OpenAI-compatible chat-completions endpoint, tested against a server on
127.0.0.1 that behaves like the API (tests/fake_services.py): the prompt, structured answers,
several strings per request, 429, malformed JSON, refusals, cut-short answers, keys."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polib
import pytest

from locflow.config import load_settings
from locflow.drafts import Message, load_source
from locflow.errors import ConfigError
from locflow.languages import get_language

from .conftest import SEED, SEED_SLUG, assert_msgfmt_accepts, run_locflow, write_pyproject
from .fake_services import Server, fake_translate

HY, RU = get_language("hy"), get_language("ru")


def llm_table(url: str, extra: str = "", model: str = "tiny-translator") -> str:
    return f"""providers = ["llm"]
backoff = 0.01
timeout = 5
[tool.locflow.machine.llm]
base-url = "{url}v1/"
model = "{model}"
{extra}
"""


def source_for(root: Path, table: str, languages=("hy", "ru")):
    root.mkdir(parents=True, exist_ok=True)
    write_pyproject(root, languages=languages, extra=f"\n[tool.locflow.machine]\n{table}")
    settings = load_settings(root)
    source = load_source("machine", settings, {})
    source.check_languages(settings.languages)
    return source


@pytest.fixture
def model():
    with Server("llm") as state:
        yield state


def prompt_of(request) -> tuple[str, dict]:
    system, user = request.params["messages"]
    return system["content"], json.loads(user["content"])


def test_the_prompt_carries_language_context_glossary_and_the_rule_to_keep_marks(tmp_path, model):
    root = tmp_path / "site"
    (root / "locales" / "hy").mkdir(parents=True)
    (root / "locales" / "hy" / "glossary.csv").write_text(
        "source,target\nBaku,Բաքու\nNagorno-Karabakh,Լեռնային Ղարաբաղ\nSoviet Union,Խորհրդային Միություն\n", encoding="utf-8"
    )
    source = source_for(root, llm_table(model.url))
    messages = [
        Message("Updated: {date}", title="The Baku Pogroms", before="The Baku Pogroms", after="In Baku, 1990.",
                notes="type: dateline\nkeep {date}: it is replaced by the date"),
        Message("Escalation in Nagorno-Karabakh:", "heading", title="The Baku Pogroms", before="In Baku, 1990."),
    ]
    drafts = source.drafts(HY, messages)
    [request] = model.translations()  # both strings in one request
    assert request.params["model"] == "tiny-translator" and request.params["temperature"] == 0
    assert request.params["response_format"]["type"] == "json_schema"
    system, user = prompt_of(request)
    assert "into Armenian (hy)" in system and "[X1X]" in system and "glossary" in system
    assert user["target_language"] == "Armenian" and user["title"] == "The Baku Pogroms"
    assert user["glossary"] == [{"source": "Nagorno-Karabakh", "target": "Լեռնային Ղարաբաղ"}]  # the terms of these texts
    first, second = user["texts"]
    assert first == {"id": 1, "text": "Updated: [X1X]", "notes": "type: dateline\nkeep {date}: it is replaced by the date",
                     "before": "The Baku Pogroms", "after": "In Baku, 1990."}
    assert second["msgctxt"] == "heading" and second["before"] == "In Baku, 1990."
    # the answer went through the same checks, marks restored, and the glossary term is in
    assert drafts[(None, "Updated: {date}")].text == fake_translate("Updated: ", "hy") + "{date}"
    heading = drafts[("heading", "Escalation in Nagorno-Karabakh:")]
    assert "Լեռնային Ղարաբաղ" in heading.text and "glossary" not in heading.detail
    assert heading.origin == "machine:llm" and heading.detail.startswith("language model tiny-translator at 127.0.0.1:")


def test_several_strings_per_request_within_texts_per_request(tmp_path, model):
    source = source_for(tmp_path, llm_table(model.url, "texts-per-request = 4"))
    texts = [f"The {who} spoke." for who in ("witness", "mother", "teacher", "soldier", "doctor", "neighbour", "pilot")]
    assert len(source.drafts(RU, texts)) == 7
    assert sorted(len(r.texts) for r in model.translations()) == [3, 4]


def test_json_object_for_servers_without_schemas(tmp_path, model):
    source = source_for(tmp_path, llm_table(model.url, 'response-format = "json_object"'))
    source.drafts(RU, ["A sentence."])
    assert model.translations()[0].params["response_format"] == {"type": "json_object"}


def test_a_rate_limit_is_waited_for_and_asked_again(tmp_path, model):
    source = source_for(tmp_path, llm_table(model.url))
    model.fail_next("429", 2)
    assert len(source.drafts(RU, ["One.", "Two sentences here."])) == 2
    assert len(model.translations()) == 3
    assert source.status()["providers"]["llm"]["requests"] == 3


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("malformed", "malformed JSON in the answer"),
        ("model-refusal", "the model refused (\"I'm sorry, I cannot assist with that request.\")"),
        ("truncated", "the answer was cut short (finish_reason: length)"),
        ("sorry", "a refusal or a remark instead of a translation"),
        ("missing", "no translation for it in the answer"),
        ("latin", "written in Latin script, not Cyrl as Russian is"),
        ("drop", "lost '{date}'"),
    ],
)
def test_a_bad_answer_for_one_string_does_not_sink_the_others(tmp_path, model, mode, reason):
    source = source_for(tmp_path, llm_table(model.url))
    model.for_text["Updated"] = mode
    texts = ["Updated: {date}", "Pogroms Unleashed:", "Humanitarian Crisis:"]
    drafts = source.drafts(RU, texts)
    assert set(drafts) == {"Pogroms Unleashed:", "Humanitarian Crisis:"}
    [failure] = source.failures
    assert failure.msgid == "Updated: {date}" and failure.provider == "llm"
    assert failure.reason.startswith(reason)


def test_an_answer_in_a_code_fence_is_read(tmp_path, model):
    source = source_for(tmp_path, llm_table(model.url))
    model.fail_next("fenced")
    assert source.drafts(RU, ["A sentence."])["A sentence."].text == fake_translate("A sentence.", "ru")


def test_an_unknown_model_makes_the_provider_unavailable(tmp_path, model):
    source = source_for(tmp_path, llm_table(model.url, model="no-such-model"))
    assert source.drafts(RU, ["A sentence.", "Another one."]) == {}
    assert source.unavailable() == {"llm": "no such model or endpoint (HTTP 404): The model `no-such-model` does not exist"}
    assert len(model.translations()) == 1


def test_the_key_is_read_from_the_named_variable_sent_only_as_a_bearer_token(tmp_path, monkeypatch):
    with Server("llm", api_key="sk-local-very-secret") as model:
        source = source_for(tmp_path / "a", llm_table(model.url))  # no api-key-env: no key is sent
        assert source.drafts(RU, ["A sentence."]) == {}
        assert "Authorization" not in model.translations()[0].headers
        assert source.unavailable()["llm"].startswith("refused the request (HTTP 401)")
        monkeypatch.setenv("MY_LLM_KEY", "sk-local-very-secret")
        source = source_for(tmp_path / "b", llm_table(model.url, 'api-key-env = "MY_LLM_KEY"'))
        assert source.drafts(RU, ["A sentence."])
        assert model.translations()[-1].headers["Authorization"] == "Bearer sk-local-very-secret"
        assert "sk-local-very-secret" not in json.dumps(source.status())


def test_the_llm_provider_needs_an_endpoint_and_a_model(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    write_pyproject(root, languages=("ru",), extra='\n[tool.locflow.machine]\nproviders = ["llm"]\n[tool.locflow.machine.llm]\nbase-url = "http://127.0.0.1:11434/v1/"\n')
    with pytest.raises(ConfigError, match=r"llm\.model: required"):
        load_settings(root)


def test_prefill_with_a_local_model_end_to_end(tmp_path, model):
    """What the README's Ollama example does, against the fake server."""
    root = tmp_path / "site"
    (root / "source").mkdir(parents=True)
    shutil.copy(SEED, root / "source" / SEED.name)
    write_pyproject(root, languages=("hy", "ru"), extra=f"""
[tool.locflow.prefill]
sources = ["machine"]
[tool.locflow.machine]
providers = ["google"]
[tool.locflow.machine.llm]
base-url = "{model.url}v1/"
model = "tiny-translator"
""")
    run_locflow(root, "extract", check_code=0)
    run_locflow(root, "update", check_code=0)
    result = run_locflow(root, "prefill", "--provider", "llm", check_code=0)
    assert "prefill: 34 entries drafted (fuzzy) in 2 files" in result.stdout
    assert len(model.translations()) == 2  # 17 strings per language, in one request each
    for lang in ("hy", "ru"):
        po = root / "locales" / lang / "LC_MESSAGES" / f"{SEED_SLUG}.po"
        assert_msgfmt_accepts(po)
        entry = polib.pofile(str(po)).find("Updated: {date}")
        assert entry.fuzzy and entry.msgstr.endswith("{date}")
        assert "machine:llm" in entry.tcomment and "language model tiny-translator" in " ".join(entry.tcomment.split())
    # the title and the neighbouring strings went with each text
    _, user = prompt_of(model.translations()[0])
    assert user["title"] == "Azerbaijan's Dark History: The Baku Pogroms Remembered"
    dateline = next(item for item in user["texts"] if item["text"] == "Updated: [X1X]")
    assert dateline["before"] == user["title"] and "type: dateline" in dateline["notes"]
