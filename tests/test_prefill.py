"""`locflow prefill` end to end: the real command, a LibreTranslate-compatible server on
127.0.0.1, and GNU msgfmt on every catalog written."""

import datetime as dt
import json
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import polib
import pytest

from locflow.config import load_settings
from locflow.drafts import SOURCES, load_source
from locflow.drafts.prefill import prefill
from locflow.errors import ConfigError
from locflow.languages import get_language

from .conftest import SEED, SEED_SLUG, assert_msgfmt_accepts, run_locflow, translate, write_pyproject
from .libre_server import fake_translate

LANGS = ("hy", "ru", "fr")
STRINGS = 17  # distinct messages of the seed article


def configure(root: Path, url: str, machine: str = "", prefill: str = "", libre: str = "") -> None:
    write_pyproject(
        root,
        languages=LANGS,
        extra=f"""
[tool.locflow.prefill]
sources = ["machine"]
{prefill}
[tool.locflow.machine]
providers = ["libre"]
backoff = 0.01
timeout = 5
{machine}
[tool.locflow.machine.libre]
base-url = "{url}"
{libre}
""",
    )


@pytest.fixture
def site(tmp_path, libre) -> Path:
    root = tmp_path / "site"
    (root / "source").mkdir(parents=True)
    shutil.copy(SEED, root / "source" / SEED.name)
    configure(root, libre.url)
    run_locflow(root, "extract", check_code=0)
    run_locflow(root, "update", check_code=0)
    return root


def po_path(root: Path, lang: str, slug: str = SEED_SLUG) -> Path:
    return root / "locales" / lang / "LC_MESSAGES" / f"{slug}.po"


def catalog(root: Path, lang: str) -> polib.POFile:
    return polib.pofile(str(po_path(root, lang)))


def snapshot(root: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in sorted((root / "locales").rglob("*.po"))}


def test_prefill_writes_fuzzy_drafts_with_provenance_and_placeholders(site, libre):
    result = run_locflow(site, "prefill", check_code=0)
    assert f"prefill: {STRINGS * 3} entries drafted (fuzzy) in 3 files" in result.stdout
    today = dt.date.today().isoformat()
    for lang in LANGS:
        stats = assert_msgfmt_accepts(po_path(site, lang))
        assert (stats.translated, stats.fuzzy, stats.untranslated) == (0, STRINGS, 0)  # drafts never count
        po = catalog(site, lang)
        updated = po.find("Updated: {date}")
        assert updated.fuzzy and updated.msgstr == fake_translate("Updated: ", lang) + "{date}"
        assert f"locflow-draft: machine:libre, {today}; LibreTranslate" in updated.tcomment
        paragraph = next(e for e in po if e.msgid.startswith("In a dark retrospective"))
        assert "12-19, 1990" in paragraph.msgstr  # numbers protected
    # each distinct string sent once per language, several strings per request (q as a list)
    pairs = [(text, r.params["target"]) for r in libre.translations() for text in r.texts]
    assert len(pairs) == len(set(pairs)) == STRINGS * 3
    assert all(isinstance(r.params["q"], list) for r in libre.translations())
    assert len(libre.translations()) < STRINGS
    requests = len(libre.translations())
    assert f"machine:libre: {STRINGS * 3} texts drafted ({STRINGS * 3} entries); {STRINGS * 3} texts sent in {requests} requests" in result.stdout


def test_the_summary_says_what_each_number_counts(site, libre):
    shutil.copy(SEED, site / "source" / "the-same-article-again.txt")  # every string in two catalogs
    run_locflow(site, "extract", check_code=0)
    run_locflow(site, "update", check_code=0)
    result = run_locflow(site, "prefill", "-l", "ru", check_code=0)
    lines = result.stdout.splitlines()
    assert lines[0] == f"prefill: {STRINGS * 2} entries drafted (fuzzy) in 2 files (ru {STRINGS * 2})"
    assert lines[1].startswith(f"  machine:libre: {STRINGS} texts drafted ({STRINGS * 2} entries); {STRINGS} texts sent in ")
    report = json.loads(run_locflow(site, "prefill", "-l", "ru", "--overwrite-fuzzy", "--format", "json", check_code=0).stdout)
    stats = report["sources"]["machine"]["providers"]["libre"]
    assert (stats["requests"], stats["texts"], stats["cached"], stats["drafts"]) == (0, 0, STRINGS, STRINGS)


def test_rerun_sends_nothing_and_changes_nothing(site, libre):
    run_locflow(site, "prefill", check_code=0)
    before, sent = snapshot(site), len(libre.texts())
    result = run_locflow(site, "prefill", check_code=0)
    assert "prefill: 0 entries drafted" in result.stdout
    result = run_locflow(site, "prefill", "--overwrite-fuzzy", check_code=0)  # from the cache, same drafts
    assert "0 texts sent in 0 requests (0 characters), 51 from the cache" in result.stdout
    assert len(libre.texts()) == sent
    assert snapshot(site) == before


def test_a_string_shared_by_two_articles_is_sent_once(site, libre):
    shutil.copy(SEED, site / "source" / "the-same-article-again.txt")
    run_locflow(site, "extract", check_code=0)
    run_locflow(site, "update", check_code=0)
    run_locflow(site, "prefill", "-l", "ru", check_code=0)
    assert len(libre.texts()) == STRINGS
    other = polib.pofile(str(po_path(site, "ru", "the-same-article-again")))
    assert other.find("Pogroms Unleashed:").msgstr == catalog(site, "ru").find("Pogroms Unleashed:").msgstr != ""
    assert_msgfmt_accepts(po_path(site, "ru", "the-same-article-again"))


def test_drafts_and_their_provenance_survive_update(site, libre):
    run_locflow(site, "prefill", "-l", "hy", check_code=0)
    run_locflow(site, "update", check_code=0)
    entry = catalog(site, "hy").find("Pogroms Unleashed:")
    assert entry.fuzzy and entry.msgstr == fake_translate("Pogroms Unleashed:", "hy")
    assert entry.tcomment.startswith("locflow-draft: machine:libre,")
    assert_msgfmt_accepts(po_path(site, "hy"))


def test_human_translations_are_never_touched(site, libre):
    translate(po_path(site, "ru"), {"Humanitarian Crisis:": "Гуманитарный кризис:"})
    translate(po_path(site, "ru"), {"Pogroms Unleashed:": "Погромы (черновик переводчика)"}, fuzzy=True)
    run_locflow(site, "prefill", "-l", "ru", check_code=0)
    po = catalog(site, "ru")
    assert po.find("Humanitarian Crisis:").msgstr == "Гуманитарный кризис:"
    assert not po.find("Humanitarian Crisis:").fuzzy
    assert po.find("Pogroms Unleashed:").msgstr == "Погромы (черновик переводчика)"
    assert "Humanitarian Crisis:" not in libre.texts() and "Pogroms Unleashed:" not in libre.texts()
    assert len(libre.texts()) == STRINGS - 2
    # --overwrite-fuzzy is the only way to replace a locflow draft; never a translator's text,
    # fuzzy or not.
    po = catalog(site, "ru")
    po.find("Legacy and Lessons:").msgstr = "старый черновик"  # a draft prefill wrote, gone stale
    po.save()
    run_locflow(site, "prefill", "-l", "ru", "--overwrite-fuzzy", check_code=0)
    po = catalog(site, "ru")
    assert po.find("Legacy and Lessons:").msgstr == fake_translate("Legacy and Lessons:", "ru")
    assert po.find("Legacy and Lessons:").tcomment.count("locflow-draft:") == 1
    assert po.find("Pogroms Unleashed:").msgstr == "Погромы (черновик переводчика)"
    assert po.find("Humanitarian Crisis:").msgstr == "Гуманитарный кризис:"
    assert_msgfmt_accepts(po_path(site, "ru"))


def test_retry_after_429_and_500(site, libre):
    libre.fail_next("429", 2)
    libre.fail_next("500", 1)
    result = run_locflow(site, "prefill", "-l", "hy", "--requests", "1", check_code=0)
    assert "17 texts drafted" in result.stdout and "0 refused or failed" in result.stdout
    sent = [request.texts for request in libre.translations()]
    assert sent[0] == sent[1] == sent[2] == sent[3]  # the first request, asked again three times
    assert sorted(text for request in sent[3:] for text in request) == sorted({text for request in sent for text in request})


def test_jobs_is_a_deprecated_name_of_requests(site, libre):
    result = run_locflow(site, "prefill", "-l", "hy", "--jobs", "1", check_code=0)
    assert "--jobs is now --requests" in result.stderr
    assert "17 texts drafted" in result.stdout


def test_garbage_is_refused_reported_and_not_written(site, libre):
    libre.for_text["Crisis"] = "html-json"
    libre.for_text["Updated"] = "drop"
    result = run_locflow(site, "prefill", "-l", "hy", check_code=0)
    assert "2 strings got no draft:" in result.stdout
    assert "hy  libre: an HTML page instead of a translation: 'Humanitarian Crisis:'" in result.stdout
    assert "hy  libre: lost '{date}': 'Updated: {date}'" in result.stdout
    po = catalog(site, "hy")
    assert po.find("Humanitarian Crisis:").msgstr == "" and po.find("Updated: {date}").msgstr == ""
    assert_msgfmt_accepts(po_path(site, "hy"))


def test_dry_run_counts_what_would_be_sent_and_sends_nothing(site, libre):
    before = snapshot(site)
    result = run_locflow(site, "prefill", "--dry-run", "--format", "json", check_code=0)
    report = json.loads(result.stdout)
    assert report["schema"] == "locflow.prefill/1" and report["dry_run"] is True
    rows = {row["language"]: row for row in report["plan"]}
    assert set(rows) == set(LANGS)
    assert {row["provider"] for row in rows.values()} == {"libre"}
    assert rows["hy"]["strings"] == STRINGS
    pot = polib.pofile(str(site / "locales" / "templates" / f"{SEED_SLUG}.pot"))
    masked = sum(len(e.msgid.replace("{date}", "[X1X]")) for e in pot)  # what the service is billed for
    assert abs(rows["hy"]["characters"] - masked) < 40  # numbers are masked too
    assert libre.translations() == [] and snapshot(site) == before
    run_locflow(site, "prefill", "-l", "ru", check_code=0)
    text = run_locflow(site, "prefill", "--dry-run", check_code=0).stdout
    assert "ru  libre: 0 texts to send in 0 requests, 0 characters (0 texts from the cache)" in text
    assert (
        f"hy  libre: {STRINGS} texts to send in {rows['hy']['requests']} requests, {rows['hy']['characters']} characters"
        in text
    )
    assert 1 <= rows["hy"]["requests"] < STRINGS


def test_unreachable_provider_is_reported_and_the_run_succeeds(site, libre):
    configure(site, "http://127.0.0.1:9/")  # nothing listens there
    started = time.monotonic()
    result = run_locflow(site, "prefill", check_code=0)
    assert time.monotonic() - started < 30
    lines = result.stdout.splitlines()
    assert lines[:2] == [
        "prefill: 0 entries drafted (fuzzy) in 0 files",
        f"libre: unreachable (connection to 127.0.0.1:9 refused); {STRINGS * 3} entries in fr, hy, ru remain for translators",
    ]
    assert "machine:libre" not in result.stdout  # no totals of a provider that was never reached
    assert all(e.msgstr == "" for e in catalog(site, "hy") if e.msgid)
    run_locflow(site, "check", check_code=1)
    run_locflow(site, "build", check_code=0)


def test_google_default_offline_finishes_quickly(tmp_path):
    """The shipped default (Google's free endpoint) when the network is down: here a dead
    proxy stands for it, so the test never reaches the internet."""
    root = tmp_path / "site"
    (root / "source").mkdir(parents=True)
    shutil.copy(SEED, root / "source" / SEED.name)
    write_pyproject(root, languages=("hy", "ar"))  # no prefill or machine settings at all
    run_locflow(root, "extract", check_code=0)
    run_locflow(root, "update", check_code=0)
    offline = {"HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9"}
    started = time.monotonic()
    result = run_locflow(root, "prefill", check_code=0, env=offline)
    assert time.monotonic() - started < 30
    assert result.stdout.splitlines()[1] == (
        "google: unreachable (the proxy for translate.google.com cannot be reached); 34 entries in ar, hy remain for translators"
    )
    assert "machine:google" not in result.stdout  # reported unreachable, not as "0 requests"
    assert result.stderr == ""


def test_api_key_comes_from_the_environment_and_is_never_shown(site, libre):
    secret = "k-7f3a9c-very-secret"
    libre.api_key = "the-right-one"
    result = run_locflow(site, "prefill", "--format", "json", env={"LIBRE_API_KEY": secret}, check_code=0)
    assert libre.translations()[0].params["api_key"] == secret  # sent to the service, and only there
    assert json.loads(result.stdout)["unavailable"] == {"libre": "refused the API key in LIBRE_API_KEY (HTTP 403): Invalid API key"}
    assert secret not in result.stdout + result.stderr
    for path in site.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path
    libre.api_key = secret
    run_locflow(site, "prefill", "-l", "fr", env={"LIBRE_API_KEY": secret}, check_code=0)
    assert catalog(site, "fr").find("Pogroms Unleashed:").msgstr


def test_a_language_the_provider_does_not_offer_stops_before_sending(site, libre):
    result = run_locflow(site, "prefill", "--provider", "deepl", env={"DEEPL_API_KEY": "x:fx"}, check_code=2)
    assert result.stderr.strip() == (
        "locflow: error: DeepL (deepl) does not offer Armenian (hy) as a target language; choose another provider in --provider"
    )
    assert libre.requests == []


def test_a_missing_source_module_is_a_config_error(site, monkeypatch):
    monkeypatch.setitem(SOURCES, "nowhere", "locflow.drafts.nowhere:NowhereSource")
    with pytest.raises(ConfigError, match="draft source 'nowhere' is not available in this installation"):
        load_source("nowhere", load_settings(site))
    text = (site / "pyproject.toml").read_text().replace('sources = ["machine"]', 'sources = ["machine", "telepathy"]')
    (site / "pyproject.toml").write_text(text)
    result = run_locflow(site, "prefill", check_code=2)
    assert "[tool.locflow.prefill] sources: unknown draft source 'telepathy'" in result.stderr


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_an_interrupted_run_keeps_its_drafts_and_a_rerun_resumes(site, libre, sig):
    configure(site, libre.url, machine="concurrency = 1", prefill="batch-size = 2", libre="texts-per-request = 2")
    held, release = threading.Event(), threading.Event()

    def hold_the_fifth(request):  # the run is stopped while its fifth request is on its way
        if len(libre.translations()) == 5:
            held.set()
            release.wait(timeout=60)

    libre.on_translate = hold_the_fifth
    # `python -m locflow prefill`, with Ctrl-C acting as at a terminal: a command started
    # in the background by a non-interactive shell (as make or CI may run the suite)
    # inherits SIGINT ignored, and Python, rightly, keeps ignoring it.
    launch = ("import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
              "sys.argv = ['locflow', 'prefill']; runpy.run_module('locflow', run_name='__main__', alter_sys=True)")
    proc = subprocess.Popen(
        [sys.executable, "-c", launch],
        cwd=site,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "HOME": str(site), "LANG": "C.UTF-8"},
    )
    assert held.wait(timeout=60)
    proc.send_signal(sig)
    if sig == signal.SIGKILL:
        proc.wait(timeout=60)
    release.set()  # the request on its way gets its answer (Ctrl-C waits for it)
    out, err = proc.communicate(timeout=60)
    libre.on_translate = None
    if sig != signal.SIGKILL:
        assert proc.returncode == 130, (out, err)
        assert "interrupted" in out + err
    first_run = len(libre.texts())
    requests = libre.translations()
    assert len(requests) == 5 and all(1 <= len(r.texts) <= 2 for r in requests)  # five requests of at most two texts
    on_its_way = len(requests[-1].texts)
    drafted = sum(1 for lang in LANGS for e in catalog(site, lang) if e.msgstr)
    if sig == signal.SIGKILL:
        assert drafted >= 2  # the batches saved before the kill are on disk
    else:  # every answer received before stopping is in the catalogs
        assert drafted == first_run
    for lang in LANGS:
        assert_msgfmt_accepts(po_path(site, lang))
    run_locflow(site, "prefill", check_code=0)
    assert all(e.msgstr and e.fuzzy for lang in LANGS for e in catalog(site, lang) if e.msgid)
    # every answer received before the interruption came from the cache: nothing sent twice
    # (a kill -9 loses only the answer of the request on its way: its texts)
    sent = [(text, r.params["target"]) for r in libre.translations() for text in r.texts]
    assert len(set(sent)) == STRINGS * 3
    assert len(sent) - len(set(sent)) == (on_its_way if sig == signal.SIGKILL else 0)


def test_a_translator_saving_during_the_run_keeps_their_work(site, libre):
    configure(site, libre.url, machine="concurrency = 1", prefill="batch-size = 2")
    last = [e for e in catalog(site, "hy") if e.msgid][-1].msgid

    def translator_saves(request):  # Poedit saves the catalog while prefill is running
        if len(libre.translations()) == 1:
            translate(po_path(site, "hy"), {last: "Մարդու թարգմանություն"})

    libre.on_translate = translator_saves
    prefill(load_settings(site), (get_language("hy"),))
    po = catalog(site, "hy")
    assert po.find(last).msgstr == "Մարդու թարգմանություն" and not po.find(last).fuzzy
    assert sum(1 for e in po if e.fuzzy) == STRINGS - 1
    assert_msgfmt_accepts(po_path(site, "hy"))
