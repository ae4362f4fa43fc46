"""The quality checks on real catalogs: locflow against pofilter, in one run.

    python bench/checks.py --peers-bin .venv-bench/bin          # the figures in README.md
    python bench/checks.py --sources django --peers-bin ...     # one source only

The corpus (``bench/corpus.py``: Django, Sphinx and django-allauth, as their
wheels ship them) becomes a locflow project: the newer release of each source,
every catalog under ``locales/<lang>/LC_MESSAGES/<source>-<root>-<domain>.po``
and the newer release's template (the one ``corpus.py`` makes for its merge
pairs) under ``locales/templates/``. Catalogs locflow refuses as a whole (a
language code Babel does not know, a Language header naming another language)
are left out of every tool's copy and counted in the output.

Rows, measured on copies of the same files in the same run (wall time, CPU time
of the process tree, peak resident memory):

* ``locflow check --no-checks --format json``: counting only, no cache, then again
  with nothing changed (the reference for a quality rerun);
* ``locflow check --format json``: every quality check incl. ``msgfmt --check``
  and the site-wide checks, no cache, then again with nothing changed;
* ``pofilter`` (its default checks) on the folder, as one process, and on each
  language's folder two at a time (``xargs -P 2``), as locflow uses both cores.

The ratio column is locflow's time over the fastest pofilter row. The findings
per check (locflow) and per test (pofilter) are printed too, so a speed-up that
comes from checking less shows.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import corpus as corpus_module  # noqa: E402
from run import Row, find_tool, measure, table  # noqa: E402

PYPROJECT = """\
[project]
name = "corpus"
version = "0"

[tool.locflow]
source-language = "en"
languages = [{languages}]

[tool.locflow.thresholds]
default = 0
"""


def make_project(target: Path, sources, corpus: Path) -> tuple[Path, dict]:
    """A locflow project of the newer release of each source; returns (root, counts)."""
    sys.path.insert(0, str(HERE.parent / "src"))
    from locflow.errors import LocflowError
    from locflow.languages import get_language
    from locflow.pipeline import check_language
    from locflow.catalogs import read_catalog

    corpus_module.build(corpus, sources, quiet=True)
    if target.exists():
        shutil.rmtree(target)
    templates = target / "locales" / "templates"
    templates.mkdir(parents=True)
    kept, refused = Counter(), Counter()
    codes: set[str] = set()
    for source in sources:
        _, new = corpus_module.releases(source)
        release_dir = corpus / f"{source}-{new.version}"
        for pair in sorted((corpus / "pairs" / source).iterdir()):
            root, domain = pair.name.rsplit("-", 1)
            slug = f"{source}-{pair.name}".lower()
            shutil.copyfile(pair / "template.pot", templates / f"{slug}.pot")
            for path in sorted((release_dir / root).glob(f"*/LC_MESSAGES/{domain}.po")):
                lang = path.parts[-3]
                try:
                    language = get_language(lang)
                    if language.code == "en":
                        continue
                    data = path.read_bytes()
                    read_catalog(path)
                    check_language(data.replace(b"\r\n", b"\n"), language, path)
                except LocflowError:
                    refused[source] += 1
                    continue
                out = target / "locales" / language.code / "LC_MESSAGES" / f"{slug}.po"
                out.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, out)
                codes.add(language.code)
                kept[source] += 1
    languages = ", ".join(f'"{code}"' for code in sorted(codes))
    (target / "pyproject.toml").write_text(PYPROJECT.format(languages=languages), encoding="utf-8")
    return target, {"catalogs": dict(kept), "refused": dict(refused), "languages": len(codes)}


def peer_copy(site: Path, target: Path) -> Path:
    """The same catalogs without the templates (pofilter checks every file it is given)."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(site / "locales", target / "locales", ignore=shutil.ignore_patterns("templates"))
    return target


def pofilter_counts(folder: Path) -> Counter:
    """pofilter's findings by test, from the files it wrote (``# (pofilter) test: ...``)."""
    counts: Counter = Counter()
    for path in folder.rglob("*.po"):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("# (pofilter) "):
                counts[line[len("# (pofilter) "):].split(":", 1)[0]] += 1
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="locflow's quality checks against pofilter on real catalogs")
    parser.add_argument("--sources", default=",".join(corpus_module.SOURCES))
    parser.add_argument("--corpus", type=Path, default=corpus_module.CORPUS)
    parser.add_argument("--out", type=Path, default=HERE / "out" / "checks")
    parser.add_argument("--peers-bin", type=Path, default=None, help="folder with translate-toolkit's commands")
    args = parser.parse_args(argv)
    sources = [s for s in args.sources.split(",") if s]
    pofilter = find_tool("pofilter", args.peers_bin)
    locflow = f"{sys.executable} -m locflow"
    env = {**os.environ, "NO_COLOR": "1", "LC_ALL": "C.UTF-8"}
    out = args.out.resolve()

    site, counts = make_project(out / "site", sources, args.corpus.resolve())
    total = sum(counts["catalogs"].values())
    print(f"{total} catalogs in {counts['languages']} languages ({counts['catalogs']}); "
          f"left out, unreadable for locflow: {sum(counts['refused'].values())} ({counts['refused']})", flush=True)
    peers = peer_copy(site, out / "pofilter")
    codes = sorted(p.name for p in (peers / "locales").iterdir())

    rows: list[Row] = []

    def run(tool: str, what: str, command: str, cwd: Path, peer: bool) -> None:
        seconds, cpu, peak = measure(command, cwd, env)
        rows.append(Row("quality", tool, what, seconds, cpu, peak, peer))
        print(f"  {tool}: {what}: {seconds:.2f} s", flush=True)

    shutil.rmtree(site / ".locflow-cache", ignore_errors=True)
    run("locflow", "check --no-checks (counting), no cache", f"{locflow} check --no-checks --format json", site, False)
    run("locflow", "check --no-checks again, nothing changed", f"{locflow} check --no-checks --format json", site, False)
    shutil.rmtree(site / ".locflow-cache", ignore_errors=True)
    report = out / "locflow-report.json"
    run("locflow", "check (every quality check), no cache", f"{locflow} check --format json -o {report}", site, False)
    run("locflow", "check again, nothing changed", f"{locflow} check --format json -o {report}", site, False)
    shutil.rmtree(peers / "out-1", ignore_errors=True)
    run("translate-toolkit", "pofilter on the folder, 1 process",
        f"{pofilter} --progress=none locales out-1", peers, True)
    shutil.rmtree(peers / "out-2", ignore_errors=True)
    (peers / "out-2").mkdir()
    run("translate-toolkit", "pofilter per language, 2 at a time",
        f"printf '%s\\n' {' '.join(codes)} | xargs -P 2 -I@ {pofilter} --progress=none locales/@ out-2/@", peers, True)
    print(table(rows, f"quality checks on {total} real catalogs ({', '.join(sources)})"))

    findings = json.loads(report.read_text(encoding="utf-8"))["findings"]
    ours = Counter(f["check"] for f in findings)
    theirs = pofilter_counts(peers / "out-1")
    print(f"\nlocflow findings: {sum(ours.values())} — " + ", ".join(f"{k} {v}" for k, v in ours.most_common()))
    print(f"pofilter findings: {sum(theirs.values())} — " + ", ".join(f"{k} {v}" for k, v in theirs.most_common()))
    results = {"catalogs": total, **counts, "rows": [row.__dict__ for row in rows],
               "locflow_findings": dict(ours), "pofilter_findings": dict(theirs)}
    (out / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nResults: {out / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
