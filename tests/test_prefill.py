"""`locflow prefill` end to end: the real command, a LibreTranslate-compatible server on
127.0.0.1, and GNU msgfmt on every catalog written."""

import datetime as dt
import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import polib
import pytest

from locflow.config import load_settings
from locflow.drafts import SOURCES, load_source
from locflow.drafts.prefill import prefill
from locflow.errors import ConfigError
from locflow.languages import get_language

from .conftest import SEED, SEED_SLUG, assert_msgfmt_accepts, run_locflow, write_pyproject
from .libre_server import LibreServer, fake_translate

LANGS = ("hy", "ru", "fr")
STRINGS = 17  # distinct messages of the seed article


def configure(root: Path, url: str, machine: str = "", prefill: str = "") -> None:
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
""",
    )


@pytest.fixture
def libre():
    with LibreServer() as state:
        yield state


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
    assert f"prefill: {STRINGS * 3} drafts written (fuzzy) in 3 files" in result.stdout
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
    # one request per distinct string and language
    assert len(libre.texts()) == STRINGS * 3
    assert len({(r.params["q"], r.params["target"]) for r in libre.translations()}) == STRINGS * 3


def test_rerun_sends_nothing_and_changes_nothing(site, libre):
    run_locflow(site, "prefill", check_code=0)
    before, sent = snapshot(site), len(libre.texts())
    result = run_locflow(site, "prefill", check_code=0)
    assert "prefill: 0 drafts written" in result.stdout
    result = run_locflow(site, "prefill", "--overwrite-fuzzy", check_code=0)  # from the cache, same drafts
    assert "51 from the cache" in result.stdout
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
    po = catalog(site, "ru")
    po.find("Humanitarian Crisis:").msgstr = "Гуманитарный кризис:"
    fuzzy = po.find("Pogroms Unleashed:")
    fuzzy.msgstr, fuzzy.flags = "Погромы (черновик переводчика)", ["fuzzy"]
    po.save()
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
    result = run_locflow(site, "prefill", "-l", "hy", "--jobs", "1", check_code=0)
    assert "17 drafts" in result.stdout and "0 refused or failed" in result.stdout
    assert len(libre.texts()) == STRINGS + 3


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
    assert "ru  libre: 0 strings, 0 characters to send (0 from the cache)" in text
    assert f"hy  libre: {STRINGS} strings, {rows['hy']['characters']} characters to send" in text


def test_unreachable_provider_is_reported_and_the_run_succeeds(site, libre):
    configure(site, "http://127.0.0.1:9/")  # nothing listens there
    started = time.monotonic()
    result = run_locflow(site, "prefill", check_code=0)
    assert time.monotonic() - started < 30
    assert (
        f"libre: unreachable (connection to 127.0.0.1:9 refused); {STRINGS * 3} strings in fr, hy, ru remain for translators"
        in result.stdout
    )
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
    assert "google: unreachable (the proxy for translate.google.com cannot be reached); 34 strings in ar, hy remain" in result.stdout
    assert result.stderr == ""


def test_api_key_comes_from_the_environment_and_is_never_shown(site, libre):
    secret = "k-7f3a9c-very-secret"
    libre.api_key = "the-right-one"
    result = run_locflow(site, "prefill", "--format", "json", env={"LIBRE_API_KEY": secret}, check_code=0)
    assert libre.translations()[0].params["api_key"] == secret  # sent to the service, and only there
    assert json.loads(result.stdout)["unavailable"] == {"libre": "refused the API key in LIBRE_API_KEY (HTTP 403)"}
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
    configure(site, libre.url, machine="concurrency = 1", prefill="batch-size = 2")
    libre.delay = 0.15
    proc = subprocess.Popen(
        [sys.executable, "-m", "locflow", "prefill"],
        cwd=site,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "HOME": str(site), "LANG": "C.UTF-8"},
    )
    deadline = time.monotonic() + 60
    while len(libre.texts()) < 9 and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=60)
    if sig != signal.SIGKILL:
        assert proc.returncode == 130, err
        assert "interrupted" in out + err
    first_run = len(libre.texts())
    assert first_run < STRINGS * 3
    drafted = sum(1 for lang in LANGS for e in catalog(site, lang) if e.msgstr)
    if sig == signal.SIGKILL:
        assert drafted >= 8  # the batches finished before the kill are on disk
    else:  # every answer received before stopping is in the catalogs
        assert drafted == first_run
    for lang in LANGS:
        assert_msgfmt_accepts(po_path(site, lang))
    libre.delay = 0
    run_locflow(site, "prefill", check_code=0)
    assert all(e.msgstr and e.fuzzy for lang in LANGS for e in catalog(site, lang) if e.msgid)
    # every answer received before the interruption came from the cache: nothing sent twice
    # (a kill -9 can only lose the one answer that was on its way)
    sent = [(r.params["q"], r.params["target"]) for r in libre.translations()]
    assert len(set(sent)) == STRINGS * 3
    assert len(sent) - len(set(sent)) <= (1 if sig == signal.SIGKILL else 0)


def test_a_translator_saving_during_the_run_keeps_their_work(site, libre):
    configure(site, libre.url, machine="concurrency = 1", prefill="batch-size = 2")
    last = [e for e in catalog(site, "hy") if e.msgid][-1].msgid

    def translator_saves(request):  # Poedit saves the catalog while prefill is running
        if len(libre.texts()) == 1:
            po = catalog(site, "hy")
            po.find(last).msgstr = "Մարդու թարգմանություն"
            po.save()

    libre.on_translate = translator_saves
    prefill(load_settings(site), (get_language("hy"),))
    po = catalog(site, "hy")
    assert po.find(last).msgstr == "Մարդու թարգմանություն" and not po.find(last).fuzzy
    assert sum(1 for e in po if e.fuzzy) == STRINGS - 1
    assert_msgfmt_accepts(po_path(site, "hy"))
