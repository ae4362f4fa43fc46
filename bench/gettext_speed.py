"""Speed and memory on real catalogs, against GNU gettext and pofilter, in one run.

    python bench/corpus.py                 # fetch and verify the corpus once
    python bench/gettext_speed.py [--corpus DIR] [--peers-bin .venv-bench/bin]

On the newer Django release of the corpus (about 1,200 catalogs in ~100
languages), it times, side by side:

* counting: ``locflow check --no-checks --format json TREE`` with an empty
  cache and again with nothing changed, against ``msgfmt --statistics`` run
  once per catalog, two at a time (``xargs -P 2``), as a maintainer's loop does;
* quality: ``locflow check --format json TREE`` cold and again, against
  ``pofilter`` on the folder (when translate-toolkit is in ``--peers-bin``);
* start-up: ``python -c pass``, ``locflow --version`` and a check of the
  seed site with nothing changed, each the median of several runs.

Each row gives wall time, CPU time and the peak memory of the process tree
(``/usr/bin/time``), and the ratio to the peer measured in the same run.
The merge and the layout are timed by ``bench/parity.py`` (msgmerge and
msgcat loops against locflow on the same corpus).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PYTHON = Path(sys.executable)
LOCFLOW = [str(PYTHON), "-m", "locflow"]


def measure(command: list[str] | str, cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds of the process tree, peak RSS in MB)."""
    shell = isinstance(command, str)
    full = ["/usr/bin/time", "-f", "%e %U %S %M"] + (["sh", "-c", command] if shell else command)
    started = time.perf_counter()
    proc = subprocess.run(full, cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True)
    wall = time.perf_counter() - started
    last = proc.stderr.strip().splitlines()[-1].split()
    user, system, peak = float(last[1]), float(last[2]), float(last[3]) / 1024
    return wall, user + system, peak


def median(command: list[str], cwd: Path, runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, cwd=cwd, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def row(name: str, result: tuple[float, float, float], peer: float | None = None) -> str:
    wall, cpu, peak = result
    ratio = f"{wall / peer:.2f}x" if peer else ""
    return f"| {name} | {wall:.2f} s | {cpu:.2f} s | {peak:.0f} MB | {ratio} |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=HERE / "out" / "corpus" / "django-5.1.15")
    parser.add_argument("--peers-bin", type=Path, default=REPO / ".venv-bench" / "bin")
    args = parser.parse_args()
    tree = args.corpus.resolve()
    if not tree.is_dir():
        print(f"no corpus at {tree}: run bench/corpus.py first", file=sys.stderr)
        return 2
    # Times of an installed tool: its bytecode compiled once (a shell with
    # PYTHONDONTWRITEBYTECODE=1 would otherwise compile every edited module at each start).
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([str(PYTHON), "-m", "compileall", "-q", str(REPO / "src")], check=True, capture_output=True)
    count = sum(1 for _ in tree.rglob("*.po"))
    print(f"corpus: {tree} ({count} catalogs); {os.cpu_count()} cores")
    print("| run | wall | CPU | peak memory | vs the peer |")
    print("| --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as scratch:
        cache = {"XDG_CACHE_HOME": str(Path(scratch) / "cache")}
        loop = measure(f"find {tree} -name '*.po' -print0 | xargs -0 -P 2 -n 1 msgfmt --statistics -o /dev/null 2>/dev/null", REPO)
        print(row("msgfmt --statistics, one process per catalog, 2 at a time", loop))
        cold = measure(LOCFLOW + ["check", "--no-checks", "--format", "json", str(tree)], REPO, cache)
        print(row("locflow check --no-checks, no cache", cold, loop[0]))
        warm = measure(LOCFLOW + ["check", "--no-checks", "--format", "json", str(tree)], REPO, cache)
        print(row("locflow check --no-checks, again (nothing changed)", warm, loop[0]))
        pofilter = args.peers_bin / "pofilter"
        peer = None
        if pofilter.exists():
            out = Path(scratch) / "pofilter-out"
            peer = measure([str(pofilter), "--progress=none", str(tree), str(out)], REPO)
            print(row("pofilter on the folder (one process)", peer))
        quality = measure(LOCFLOW + ["check", "--format", "json", str(tree)], REPO, cache)
        print(row("locflow check (32 checks), no cache of findings", quality, peer[0] if peer else None))
        again = measure(LOCFLOW + ["check", "--format", "json", str(tree)], REPO, cache)
        print(row("locflow check (32 checks), again", again, peer[0] if peer else None))
        # Start-up, against Python itself.
        site = Path(scratch) / "site"
        (site / "source").mkdir(parents=True)
        for article in (REPO / "source").iterdir():
            shutil.copy(article, site / "source" / article.name)
        shutil.copy(REPO / "pyproject.toml", site / "pyproject.toml")
        for step in ("extract", "update"):
            subprocess.run(LOCFLOW + [step], cwd=site, capture_output=True, env={**os.environ, **cache})
        subprocess.run(LOCFLOW + ["check"], cwd=site, capture_output=True)
        base = median([str(PYTHON), "-c", "pass"], site)
        version = median(LOCFLOW + ["--version"], site)
        nochange = median(LOCFLOW + ["check", "--format", "json"], site)
        print()
        print("| start-up (median of 7) | wall | minus `python -c pass` |")
        print("| --- | --- | --- |")
        print(f"| python -c pass | {base:.3f} s | |")
        print(f"| locflow --version | {version:.3f} s | {version - base:.3f} s |")
        print(f"| locflow check, nothing changed (this site: 1 article x 5 languages) | {nochange:.3f} s | {nochange - base:.3f} s |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
