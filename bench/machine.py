"""Machine-translation drafts: batched requests against a one-request-per-string client.

Starts the services of ``tests/fake_services.py`` on 127.0.0.1, each in a process of
its own, with a latency per request (0.2 s by default, a service a continent away), makes a site of a few
articles with at least 60 distinct strings, and measures in one run:

* a sequential client that sends each distinct string in its own request, one at
  a time (how prefill worked before batching), against LibreTranslate;
* ``prefill`` (the library call, as ``locflow prefill`` runs it) with each provider
  that takes several texts per request: LibreTranslate, DeepL, Microsoft, Google
  Cloud and an OpenAI-compatible model;
* the fixed cost: the same ``prefill`` with no latency at all;
* ``locflow prefill`` as a command (a new process: Python's start-up included).

Every prefill starts from the same fresh catalogs and an empty cache.

    .venv/bin/python bench/machine.py [--latency 0.2] [--strings 62]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from generate import heading, paragraph, sentence  # noqa: E402

KEYS = {"DEEPL_API_KEY": "bench-deepl:fx", "MICROSOFT_API_KEY": "bench-ms", "GOOGLE_API_KEY": "bench-google"}


@contextlib.contextmanager
def service(kind: str, delay: float = 0.0, api_key: str | None = None):
    """A fake service (tests/fake_services.py) in a process of its own, as a real one would be:
    yields its URL."""
    command = [sys.executable, "-m", "tests.fake_services", kind, "--delay", str(delay)]
    if api_key:
        command += ["--api-key", api_key]
    proc = subprocess.Popen(command, cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        yield proc.stdout.readline().strip()
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)


def make_site(root: Path, strings: int, seed: int = 3) -> list[str]:
    """Articles with ``strings`` distinct messages in all; returns them."""
    rng = random.Random(seed)
    (root / "source").mkdir(parents=True)
    seen: list[str] = []
    number = 0
    while len(seen) < strings:
        number += 1
        title = f"{sentence(rng)[:-1]} ({number})"
        lines = [title, ""]
        for _ in range(3):
            lines += [heading(rng), "", paragraph(rng), "", paragraph(rng), ""]
        (root / "source" / f"article-{number:02d}.txt").write_text("\n".join(lines), encoding="utf-8")
        seen += [line for line in lines if line]
    return seen


def configure(root: Path, provider: str, url: str) -> None:
    tables = {
        "libre": f'[tool.locflow.machine.libre]\nbase-url = "{url}"',
        "deepl": f'[tool.locflow.machine.deepl]\nbase-url = "{url}"',
        "microsoft": f'[tool.locflow.machine.microsoft]\nbase-url = "{url}"',
        "google-cloud": f'[tool.locflow.machine.google-cloud]\nbase-url = "{url}"',
        "llm": f'[tool.locflow.machine.llm]\nbase-url = "{url}v1/"\nmodel = "tiny-translator"',
    }
    (root / "pyproject.toml").write_text(
        f"""[tool.locflow]
source-language = "en"
languages = ["ru"]
[tool.locflow.prefill]
sources = ["machine"]
[tool.locflow.machine]
providers = ["{provider}"]
{tables[provider]}
""",
        encoding="utf-8",
    )


def fresh(base: Path, target: Path) -> Path:
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(base, target, ignore=shutil.ignore_patterns(".locflow-cache"))
    return target


def prefill_in_process(site: Path) -> tuple[float, dict]:
    from locflow.drafts.prefill import prefill
    from locflow.sections import load_settings

    settings = load_settings(site)
    started = time.perf_counter()
    report = prefill(settings)
    elapsed = time.perf_counter() - started
    stats = next(iter(report.sources["machine"]["providers"].values()))
    assert sum(lang.written for lang in report.languages) > 0, report.summary_lines()
    return elapsed, stats


def sequential(url: str, texts: list[str]) -> tuple[float, int]:
    """One request per string, one at a time (LibreTranslate's API)."""
    session = requests.Session()
    started = time.perf_counter()
    for text in texts:
        response = session.post(url + "translate", json={"q": text, "source": "en", "target": "ru", "format": "text"}, timeout=30)
        response.raise_for_status()
    return time.perf_counter() - started, len(texts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.2, help="seconds each request takes on the server")
    parser.add_argument("--strings", type=int, default=62, help="distinct strings in the site (at least)")
    args = parser.parse_args(argv)
    os.environ.update(KEYS)
    os.environ.pop("SOURCE_DATE_EPOCH", None)

    with tempfile.TemporaryDirectory(prefix="locflow-bench-mt-") as tmp:
        work = Path(tmp)
        base = work / "base"
        texts = make_site(base, args.strings)
        with service("libre") as url:
            configure(base, "libre", url)
            env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin"}
            for step in ("extract", "update"):
                subprocess.run([sys.executable, "-m", "locflow", step], cwd=base, check=True, capture_output=True, env=env)
        distinct = len(dict.fromkeys(texts))
        print(f"site: {len(list((base / 'source').iterdir()))} articles, {distinct} distinct strings, 1 language (ru); "
              f"latency {args.latency:g} s per request\n")

        rows = []
        with service("libre", args.latency) as url:
            seconds, count = sequential(url, list(dict.fromkeys(texts)))
        rows.append(("sequential client, one string per request (LibreTranslate)", count, seconds, None))
        baseline = seconds

        for provider in ("libre", "deepl", "microsoft", "google-cloud", "llm"):
            api_key = {"deepl": KEYS["DEEPL_API_KEY"], "microsoft": KEYS["MICROSOFT_API_KEY"], "google-cloud": KEYS["GOOGLE_API_KEY"]}
            with service(provider, args.latency, api_key.get(provider)) as url:
                site = fresh(base, work / provider)
                configure(site, provider, url)
                seconds, stats = prefill_in_process(site)
            rows.append((f"locflow prefill, {provider}", stats["requests"], seconds, baseline / seconds))

        with service("libre") as url:
            site = fresh(base, work / "fixed")
            configure(site, "libre", url)
            fixed, stats = prefill_in_process(site)
        rows.append(("locflow prefill, libre, no latency (fixed cost)", stats["requests"], fixed, None))

        for latency in (args.latency, 0.0):
            with service("libre", latency) as url:
                site = fresh(base, work / f"cli-{latency}")
                configure(site, "libre", url)
                started = time.perf_counter()
                subprocess.run([sys.executable, "-m", "locflow", "prefill"], cwd=site, check=True, capture_output=True, env=env)
                command = time.perf_counter() - started
            name = "`locflow prefill` as a command (new process), libre" + (", no latency" if not latency else "")
            rows.append((name, None, command, baseline / command if latency else None))

    width = max(len(row[0]) for row in rows)
    print(f"{'run':<{width}}  {'requests':>8}  {'wall':>7}  vs sequential")
    for name, requests_, seconds, ratio in rows:
        shown = "" if requests_ is None else str(requests_)
        print(f"{name:<{width}}  {shown:>8}  {seconds:6.2f}s  {'' if ratio is None else f'{ratio:.1f}x faster'}")
    print(f"\nfixed cost (no latency): {fixed:.2f} s; speed-up of batched LibreTranslate: {rows[1][3]:.1f}x")
    return 0


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
