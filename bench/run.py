"""Benchmarks: locflow against GNU gettext, po4a and translate-toolkit, in one run.

    python bench/run.py                                  # 100 articles × 5 languages (make bench)
    python bench/run.py --articles 1000 --languages 5    # the figures in README.md

Every tool works on its own copy of the same synthetic site (bench/generate.py).
Each step prints a table: wall time, peak memory (the largest resident set of
the process tree, from wait4), and the ratio to the fastest peer (below 1 is
faster than every peer). What is compared with what:

* extract: ``locflow extract`` (scraped-page parser, one POT per article) vs
  ``po4a-updatepo -f text`` per article and ``txt2po -P`` on the folder;
* update, after 10% of the paragraphs changed: ``locflow update`` vs
  ``msgmerge --previous -U`` per catalog and ``pot2po`` per language;
* check (counting): ``locflow check --no-checks --format json`` vs ``msgfmt
  --statistics`` per catalog and ``pocount`` on the folder;
* quality checks: ``locflow check --format json`` (every check: msgfmt --check
  and the site-wide checks among them) vs ``msgfmt --check`` per catalog and ``pofilter`` on the folder;
* build: ``locflow build`` (.mo + JSON + localized article) vs ``msgfmt -o``
  per catalog and ``pocompile`` on the folder (.mo only).

Per-file peers run two at a time (``xargs -P 2``), as locflow uses both cores.
"Rerun" rows run the same locflow command again with nothing changed. The
"cold" check row deletes locflow's cache first. After update, the fuzzy
matches locflow proposed are compared with msgmerge's.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import change, generate  # noqa: E402


@dataclass
class Row:
    step: str
    tool: str
    what: str
    seconds: float
    cpu_seconds: float
    peak_mb: float
    peer: bool


def measure(command: str, cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """Run a shell command; its wall time, CPU time (user + system, all processes)
    and the peak RSS of its process tree (MB).

    GNU time reports the largest resident set of the shell and everything it
    waited for (wait4's ru_maxrss), measured from a small process, not from
    this Python process. Dirty pages are flushed first, so no tool pays for
    writing the previous one's files.
    """
    os.sync()
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        start = time.perf_counter()
        proc = subprocess.run(
            ["/usr/bin/time", "-f", "%U %S %M", "-o", report.name, "bash", "-c", command],
            cwd=cwd, env=env or os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        elapsed = time.perf_counter() - start
        if proc.returncode not in (0, 1):  # locflow check exits 1 when a language is under its threshold
            error = proc.stderr.decode("utf-8", "replace")[-2000:]
            raise SystemExit(f"bench: `{command}` failed with status {proc.returncode} in {cwd}:\n{error}")
        user, system, peak = report.read().split()[-3:]
    return elapsed, float(user) + float(system), int(peak) / 1024


def find_tool(name: str, peers_bin: Path | None) -> str:
    for folder in [peers_bin, Path(sys.executable).parent]:
        if folder and (folder / name).exists():
            return str((folder / name).absolute())
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"bench: {name} not found; run `make bench` (it installs gettext, po4a and translate-toolkit)")
    return found


def copy_site(base: Path, target: Path) -> Path:
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(base, target, symlinks=True)
    return target


def each(find_expr: str, script: str) -> str:
    """A shell command running ``script`` (the file is ``$1``) on every file found, two at a time."""
    return f"find {find_expr} -print0 | sort -z | xargs -0 -P 2 -n 1 sh -c '{script}' _"


def forget_step(site: Path, step: str) -> None:
    """Drop what locflow remembers about one step, so the next run of it is cold."""
    import sqlite3

    with sqlite3.connect(site / ".locflow-cache" / "state.sqlite3") as db:
        db.execute("DELETE FROM units WHERE step = ?", (step,))


def table(rows: list[Row], title: str) -> str:
    peers = [row.seconds for row in rows if row.peer]
    fastest = min(peers) if peers else None
    lines = [f"\n{title}", f"{'tool':<18} {'what':<48} {'wall s':>8} {'CPU s':>8} {'peak MB':>8} {'vs fastest peer':>16}"]
    for row in rows:
        ratio = f"{row.seconds / fastest:.2f}×" if fastest else "-"
        lines.append(f"{row.tool:<18} {row.what:<48} {row.seconds:>8.2f} {row.cpu_seconds:>8.2f} {row.peak_mb:>8.1f} {ratio:>16}")
    return "\n".join(lines)


def fuzzy_agreement(ours: Path, theirs: Path, languages: list[str]) -> dict:
    """Compare locflow's and msgmerge's results for messages without an exact match."""
    import polib

    compared = same = ours_fuzzy = theirs_fuzzy = 0
    for code in languages:
        for path in sorted((ours / "locales" / code / "LC_MESSAGES").glob("*.po")):
            mine = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(path)) if not e.obsolete}
            other = {
                (e.msgctxt, e.msgid): e
                for e in polib.pofile(str(theirs / path.relative_to(ours)))
                if not e.obsolete
            }
            for key, entry in other.items():
                candidate = mine.get(key)
                if candidate is None:
                    continue
                if not (entry.fuzzy or candidate.fuzzy) and entry.msgstr == candidate.msgstr:
                    continue  # exact matches: identical by construction
                compared += 1
                ours_fuzzy += bool(candidate.fuzzy and candidate.msgstr)
                theirs_fuzzy += bool(entry.fuzzy and entry.msgstr)
                same += candidate.msgstr == entry.msgstr and candidate.fuzzy == entry.fuzzy
    return {
        "compared": compared,
        "locflow_fuzzy": ours_fuzzy,
        "msgmerge_fuzzy": theirs_fuzzy,
        "same": same,
        "agreement_percent": round(100.0 * same / compared, 1) if compared else 100.0,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="locflow benchmarks against gettext, po4a and translate-toolkit")
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--languages", type=int, default=5)
    parser.add_argument("--out", type=Path, default=None, help="work folder (default bench/out/<articles>x<languages>)")
    parser.add_argument("--peers-bin", type=Path, default=None, help="folder with translate-toolkit's commands")
    parser.add_argument("--change", type=float, default=0.1, help="share of paragraphs edited before update")
    args = parser.parse_args(argv)

    tools = {name: find_tool(name, args.peers_bin) for name in ("msgmerge", "msgfmt", "po4a-updatepo", "txt2po", "pot2po", "pocount", "pocompile", "pofilter")}
    locflow = f"{sys.executable} -m locflow"
    out = (args.out or HERE / "out" / f"{args.articles}x{args.languages}").resolve()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    env = {**os.environ, "NO_COLOR": "1", "LC_ALL": "C.UTF-8"}

    print(f"Generating {args.articles} articles × {args.languages} languages in {out} ...", flush=True)
    base = out / "base"
    generate(base, args.articles, args.languages)
    codes = sorted(p.name for p in (base / "locales").iterdir() if p.name != "templates")
    catalogs = sum(1 for _ in (base / "locales").glob("*/LC_MESSAGES/*.po"))
    messages = sum(len([line for line in p.read_text().splitlines() if line.startswith("msgid ")]) - 1 for p in (base / "locales" / "templates").glob("*.pot"))
    print(f"{args.articles} articles, {messages} messages, {catalogs} catalogs", flush=True)
    results: dict = {"articles": args.articles, "languages": args.languages, "catalogs": catalogs, "messages": messages, "steps": {}}

    def run(step: str, rows: list[Row], tool: str, what: str, command: str, cwd: Path, peer: bool) -> None:
        seconds, cpu, peak = measure(command, cwd, env)
        rows.append(Row(step, tool, what, seconds, cpu, peak, peer))
        print(f"  {tool}: {what}: {seconds:.2f} s", flush=True)

    # -- extract ------------------------------------------------------------------
    rows: list[Row] = []
    site = copy_site(base, out / "extract-locflow")
    shutil.rmtree(site / "locales" / "templates")
    shutil.rmtree(site / ".locflow-cache", ignore_errors=True)
    run("extract", rows, "locflow", "extract (no templates yet)", f"{locflow} extract", site, False)
    run("extract", rows, "locflow", "extract again, nothing changed", f"{locflow} extract", site, False)
    site = copy_site(base, out / "extract-po4a")
    (site / "pot").mkdir()
    run("extract", rows, "po4a", "po4a-updatepo -f text, per article",
        each("source -name '*.txt'", f'{tools["po4a-updatepo"]} -f text -M UTF-8 -m "$1" -p "pot/$(basename "$1" .txt).pot" >/dev/null 2>&1'),
        site, True)
    site = copy_site(base, out / "extract-translate-toolkit")
    run("extract", rows, "translate-toolkit", "txt2po -P on the folder", f'{tools["txt2po"]} -P --progress=none source pot', site, True)
    print(table(rows, "extract: one template per article"))
    results["steps"]["extract"] = [row.__dict__ for row in rows]

    # -- update after a change -------------------------------------------------------
    rows = []
    changed_base = copy_site(base, out / "changed")
    edited = change(changed_base, args.change)
    subprocess.run([sys.executable, "-m", "locflow", "extract"], cwd=changed_base, env=env, check=True, stdout=subprocess.DEVNULL)
    print(f"edited {edited} paragraphs ({args.change:.0%}) and re-extracted the templates", flush=True)
    serial = copy_site(changed_base, out / "update-locflow-1-job")
    run("update", rows, "locflow", f"update after {args.change:.0%} changed, 1 process", f"LOCFLOW_JOBS=1 {locflow} update", serial, False)
    ours = copy_site(changed_base, out / "update-locflow")
    run("update", rows, "locflow", f"update after {args.change:.0%} changed", f"{locflow} update", ours, False)
    run("update", rows, "locflow", "update again, nothing changed", f"{locflow} update", ours, False)
    theirs = copy_site(changed_base, out / "update-msgmerge")
    run("update", rows, "gettext", "msgmerge --previous -U, per catalog",
        each("locales -path '*/LC_MESSAGES/*.po'",
             f'{tools["msgmerge"]} --quiet --previous --backup=none -U "$1" "locales/templates/$(basename "$1" .po).pot"'),
        theirs, True)
    tt = copy_site(changed_base, out / "update-translate-toolkit")
    (tt / "merged").mkdir()
    run("update", rows, "translate-toolkit", "pot2po per language, 2 at a time",
        f"printf '%s\\n' {' '.join(codes)} | xargs -P 2 -I@ {tools['pot2po']} --progress=none "
        "-t locales/@/LC_MESSAGES -i locales/templates -o merged/@", tt, True)
    print(table(rows, f"update: merge the templates into {catalogs} catalogs after {args.change:.0%} of paragraphs changed"))
    agreement = fuzzy_agreement(ours, theirs, codes)
    print(
        f"fuzzy matches: of {agreement['compared']} messages where either tool proposed a draft, msgmerge proposed "
        f"{agreement['msgmerge_fuzzy']} and locflow {agreement['locflow_fuzzy']}; the same draft for "
        f"{agreement['same']} ({agreement['agreement_percent']}%)"
    )
    results["steps"]["update"] = [row.__dict__ for row in rows]
    results["fuzzy_agreement"] = agreement

    # -- check -------------------------------------------------------------------------
    rows = []
    site = ours
    forget_step(site, "check")
    run("check", rows, "locflow", "check --no-checks --format json (no cache)", f"{locflow} check --no-checks --format json", site, False)
    run("check", rows, "locflow", "check --no-checks again, nothing changed", f"{locflow} check --no-checks --format json", site, False)
    run("check", rows, "gettext", "msgfmt --statistics, per catalog",
        each("locales -path '*/LC_MESSAGES/*.po'", f'{tools["msgfmt"]} --statistics -o /dev/null "$1" 2>/dev/null'), site, True)
    run("check", rows, "translate-toolkit", "pocount on the folder", f"{tools['pocount']} --no-color locales", site, True)
    print(table(rows, f"check: count translated, fuzzy and untranslated messages in {catalogs} catalogs"))
    results["steps"]["check"] = [row.__dict__ for row in rows]

    # -- quality checks ------------------------------------------------------------------
    rows = []
    forget_step(site, "check")
    forget_step(site, "checks")
    run("quality", rows, "locflow", "check --format json: all checks incl. msgfmt (no cache)", f"{locflow} check --format json", site, False)
    run("quality", rows, "locflow", "check --format json again, nothing changed", f"{locflow} check --format json", site, False)
    run("quality", rows, "gettext", "msgfmt --check, per catalog",
        each("locales -path '*/LC_MESSAGES/*.po'", f'{tools["msgfmt"]} --check -o /dev/null "$1" 2>/dev/null'), site, True)
    run("quality", rows, "translate-toolkit", "pofilter (its default checks) on the folder",
        f"{tools['pofilter']} --progress=none locales pofilter-out", site, True)
    print(table(rows, f"quality checks on {catalogs} catalogs"))
    results["steps"]["quality"] = [row.__dict__ for row in rows]

    # -- build ---------------------------------------------------------------------------
    rows = []
    run("build", rows, "locflow", "build: .mo + JSON + article (no build yet)", f"{locflow} build", site, False)
    run("build", rows, "locflow", "build again, nothing changed", f"{locflow} build", site, False)
    peers = copy_site(ours, out / "build-peers")
    (peers / "mo").mkdir()
    run("build", rows, "gettext", "msgfmt -o .mo, per catalog",
        each("locales -path '*/LC_MESSAGES/*.po'", f'{tools["msgfmt"]} -o "mo/$(echo "$1" | tr / _).mo" "$1"'), peers, True)
    run("build", rows, "translate-toolkit", "pocompile on the folder (.mo only)", f"{tools['pocompile']} --progress=none locales compiled", peers, True)
    print(table(rows, f"build: compile {catalogs} catalogs"))
    results["steps"]["build"] = [row.__dict__ for row in rows]

    (out / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nResults: {out / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
