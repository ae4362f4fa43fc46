"""Drafts from a language model behind any OpenAI-compatible chat-completions endpoint.

A hosted model, or a local server (Ollama, llama.cpp's server, vLLM) that drafts
offline on the site's own machine: ``[tool.locflow.machine.llm]`` names the
``base-url`` and the ``model``; a key, when the server wants one, comes from the
environment variable named by ``api-key-env`` (none is sent otherwise).

One request carries several texts. The prompt gives the target language, the
article's title, each text's neighbours, msgctxt and extracted comments, the
approved glossary terms found in the texts, and the rule to keep the ``[X1X]``
marks; the answer is structured (JSON, with a schema where the server takes
one). What comes back goes through the same checks as any service's answer:
garbage, script and placeholders.
"""

from __future__ import annotations

import json
import re

from .providers import Job, Provider, _answers
from .transport import Down, Failed, Retry, classify, dumps, error_message, json_of, retry_after

SCHEMA = {
    "type": "object",
    "properties": {
        "translations": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"id": {"type": "integer"}, "text": {"type": "string"}},
                "required": ["id", "text"],
                "additionalProperties": False,
            },
        }
    },
    "required": ["translations"],
    "additionalProperties": False,
}

_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)


def system_prompt(job: Job) -> str:
    source = job.source_language.english_name if job.source_language else "English"
    target = f"{job.language.english_name} ({job.target})"
    return (
        f"You translate strings of a news and essay site from {source} into {target}. "
        "Your drafts are reviewed by professional translators.\n"
        "Rules:\n"
        f"1. Translate the `text` of every item of `texts` into {job.language.english_name}. "
        'Answer with JSON only, in the form {"translations": [{"id": 1, "text": "..."}]}, one entry for every id.\n'
        "2. Marks such as [X1X], [X2X] stand for placeholders, markup and numbers: keep each one exactly as "
        "written (Latin X, same number), once, where the sentence needs it. Never translate or drop them.\n"
        "3. Where a term of `glossary` occurs, use its approved translation, inflected as the grammar requires.\n"
        "4. `title`, `before`, `after`, `msgctxt` and `notes` only tell you where the text stands and what it "
        "is: do not translate them.\n"
        f"5. Write only the translation, in the punctuation and quotation marks of {job.language.english_name}: "
        "no comments, no quotes around it, no explanations."
    )


def user_prompt(job: Job) -> str:
    texts = []
    for number, item in enumerate(job.items, 1):
        entry: dict = {"id": number, "text": item.text}
        if item.msgctxt:
            entry["msgctxt"] = item.msgctxt
        if item.notes:
            entry["notes"] = item.notes
        if item.before:
            entry["before"] = item.before
        if item.after:
            entry["after"] = item.after
        texts.append(entry)
    request: dict = {"target_language": job.language.english_name, "target_tag": job.target}
    if job.title:
        request["title"] = job.title
    if job.terms:
        request["glossary"] = [{"source": term.source, "target": term.target} for term in job.terms]
    request["texts"] = texts
    return dumps(request)


def parse_answer(content: str, count: int) -> list[str | None]:
    """The translations in a model's JSON answer, by id (1..count); :class:`Failed` if it is not JSON."""
    fenced = _FENCE.match(content)
    if fenced:
        content = fenced.group(1)
    try:
        data = json.loads(content)
    except ValueError:
        raise Failed(f"malformed JSON in the answer ({_short(content)})") from None
    if isinstance(data, dict) and "translations" in data:
        data = data["translations"]
    found: dict[int, str] = {}
    if isinstance(data, list):
        for position, entry in enumerate(data, 1):
            if isinstance(entry, dict):
                key, text = entry.get("id", position), entry.get("text", entry.get("translation"))
            else:
                key, text = position, entry
            try:
                number = int(key)
            except (TypeError, ValueError):
                continue
            if isinstance(text, str):
                found.setdefault(number, text)
    elif isinstance(data, dict):
        for key, text in data.items():
            if str(key).isdigit() and isinstance(text, str):
                found.setdefault(int(key), text)
    else:
        raise Failed(f"no translations in the answer ({_short(content)})")
    return _answers([found.get(number) for number in range(1, count + 1)], count)


def _short(text: str, width: int = 60) -> str:
    text = " ".join(str(text).split())
    return repr(text if len(text) <= width else text[: width - 1] + "…")


class Llm(Provider):
    """An OpenAI-compatible ``POST {base-url}chat/completions``."""

    name = "llm"

    def classify(self, response):
        status = response.status_code
        message = error_message(response)
        if status == 429 and "quota" in message.lower():
            return Down(f"quota used up (HTTP 429): {message}")
        if status == 429:
            return Retry("rate limited (HTTP 429)", retry_after(response.headers))
        if status == 404:
            return Down(f"no such model or endpoint (HTTP 404){': ' + message if message else ''}")
        return classify(response, key_variable=self.config.key_variable(self.name), has_key=bool(self.key))

    def translate(self, job: Job) -> list[str | None]:
        settings = self.config.llm
        body: dict = {
            "model": settings.model,
            "messages": [{"role": "system", "content": system_prompt(job)}, {"role": "user", "content": user_prompt(job)}],
            "temperature": settings.temperature,
        }
        if settings.response_format == "json_schema":
            body["response_format"] = {"type": "json_schema", "json_schema": {"name": "translations", "strict": True, "schema": SCHEMA}}
        else:
            body["response_format"] = {"type": "json_object"}
        headers = {"Authorization": f"Bearer {self.key}"} if self.key else {}
        data = json_of(self.send("POST", (settings.base_url or "") + "chat/completions", job.sent(), json=body, headers=headers))
        try:
            choice = data["choices"][0]
            message = choice.get("message") or {}
        except (KeyError, IndexError, TypeError, AttributeError):
            raise Failed("no choices in the answer") from None
        refusal = message.get("refusal")
        if refusal:
            raise Failed(f"the model refused ({_short(refusal)})")
        content = message.get("content")
        finish = choice.get("finish_reason")
        if finish == "content_filter":
            raise Failed("the answer was withheld by the server's content filter")
        if not isinstance(content, str) or not content.strip():
            raise Failed("an empty answer")
        try:
            return parse_answer(content, len(job.items))
        except Failed:
            if finish == "length":
                raise Failed("the answer was cut short (finish_reason: length)") from None
            raise
