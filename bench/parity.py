"""Parity of locflow with GNU gettext, measured on real catalogs (bench/corpus.py).

    python bench/parity.py                        # the whole corpus, 2 jobs, with timing
    python bench/parity.py --limit 200 --no-timing
    python bench/parity.py --baseline             # polib in place of locflow, whatever exists
    python bench/parity.py --require-locflow      # fail if a locflow.po function is missing

Three questions, each answered file by file and then summed (all GNU tools run
with LC_ALL=C and their default width):

* **msgcat layout**: for each catalog C, R = ``msgcat C``; locflow's
  ``locflow.po.format_catalog(R)`` must give R byte for byte. Also reported:
  ``format_catalog(C) == R`` (reading a file someone else wrote and writing it
  as gettext would) and ``format_catalog(G) == G`` for each msgmerge output G.
* **msgmerge**: for each pair (older release's catalog, newer release's
  template), G = ``msgmerge --previous old template`` and L =
  ``locflow.po.merge_catalogs(old, template)``, compared entry by entry, keyed
  by (msgctxt, msgid, obsolete). An entry is identical when it is present in
  both with the same obsolete state, fuzzy flag, previous msgctxt / msgid /
  msgid_plural (``#|``, ``#~|``) and msgstr / msgstr[n]. Whole files are also
  compared byte for byte.
* **statistics**: ``msgfmt --statistics`` against ``locflow.po.count(data)``
  → (translated, fuzzy, untranslated), on every catalog and on every msgmerge
  output (the raw catalogs hold few fuzzy entries; the merged ones many).
  Files msgfmt refuses are listed apart with what locflow counted.

Where ``locflow.po`` lacks one of the three functions, a clearly labelled
baseline stands in: polib (``str(polib.pofile(...))``, ``POFile.merge``,
polib's translated/fuzzy/untranslated entry lists).

Timing (kept apart from the correctness numbers): each side on the whole
corpus, GNU tools as one process per file under ``xargs -P <jobs>`` as a
maintainer's loop would run them, locflow as <jobs> Python processes each
looping over its share of the files. Wall time and CPU time (user + system of
every child process) and their ratios.

Writes ``bench/out/parity.json`` (override with ``--json``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "src"))  # the checkout's locflow, whatever is installed
import corpus as corpus_mod  # noqa: E402

GNU_ENV = {**os.environ, "LC_ALL": "C"}
FUNCTIONS = ("format_catalog", "merge_catalogs", "count")
EXAMPLES = 3  # examples kept per category


# -- implementations: locflow's, or the polib baseline -------------------------------------------------

def _charset(data: bytes) -> str:
    match = re.search(rb"charset=([-\w.]+)", data[:4000])
    name = match[1].decode("ascii") if match else "utf-8"
    try:
        "".encode(name)
    except LookupError:
        return "utf-8"
    return name


def _polib_file(data: bytes):
    import polib
    encoding = _charset(data)
    return polib.pofile(data.decode(encoding), encoding=encoding), encoding


def baseline_format_catalog(data: bytes) -> bytes:
    """Baseline: polib reads the file, ``str()`` writes it."""
    po, encoding = _polib_file(data)
    return str(po).encode(encoding)


def baseline_merge_catalogs(old: bytes, template: bytes) -> bytes:
    """Baseline: polib's ``POFile.merge`` (exact msgid matches only, no fuzzy matching)."""
    po, encoding = _polib_file(old)
    pot, _ = _polib_file(template)
    po.merge(pot)
    return str(po).encode(encoding)


def baseline_count(data: bytes) -> tuple[int, int, int]:
    """Baseline: polib's translated / fuzzy / untranslated entry lists."""
    po, _ = _polib_file(data)
    return len(po.translated_entries()), len(po.fuzzy_entries()), len(po.untranslated_entries())


_BASELINES = {"format_catalog": baseline_format_catalog, "merge_catalogs": baseline_merge_catalogs,
              "count": baseline_count}


def resolve(force_baseline: bool = False) -> tuple[dict, dict]:
    """The function used for each job, and a label saying whose it is."""
    functions, labels = {}, {}
    module, problem = None, "locflow.po does not exist yet"
    if not force_baseline:
        try:
            import locflow.po as module  # noqa: F811
        except ModuleNotFoundError as error:
            if error.name not in ("locflow.po", "locflow"):
                problem = f"locflow.po failed to import: {error!r}"
        except Exception as error:  # half-written module: say so, measure the baseline
            problem = f"locflow.po failed to import: {error!r}"
    else:
        problem = "--baseline"
    for name in FUNCTIONS:
        function = getattr(module, name, None) if module else None
        if callable(function):
            functions[name], labels[name] = function, f"locflow.po.{name}"
        else:
            reason = problem if module is None else f"locflow.po has no {name}"
            functions[name], labels[name] = _BASELINES[name], f"BASELINE polib {_polib_version()} ({reason})"
    return functions, labels


def _polib_version() -> str:
    import polib
    return polib.__version__


# -- reading PO files for comparison (own parser: polib skips `#~|`) ------------------------------------

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v",
            "\\": "\\", '"': '"', "'": "'", "?": "?"}
_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)")
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s*(.*)$")


def _unescape(body: str) -> str:
    def one(match):
        code = match[1]
        if code[0] == "x" and len(code) > 1:
            return chr(int(code[1:], 16))
        if code[0] in "01234567":
            return chr(int(code, 8))
        return _ESCAPES.get(code, code)
    return _ESCAPE.sub(one, body) if "\\" in body else body


def _string(text: str) -> str:
    return "".join(_unescape(m[1]) for m in _STRING.finditer(text))


@dataclass
class Entry:
    obsolete: bool = False
    msgctxt: str | None = None
    msgid: str | None = None
    msgid_plural: str | None = None
    msgstr: str | None = None
    msgstr_plural: dict = field(default_factory=dict)
    flags: list = field(default_factory=list)
    previous: dict = field(default_factory=dict)   # msgctxt / msgid / msgid_plural
    comments: list = field(default_factory=list)   # "# "
    extracted: list = field(default_factory=list)  # "#."
    references: list = field(default_factory=list)  # "#:"

    @property
    def key(self):
        return (self.msgctxt, self.msgid, self.obsolete)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None and not self.obsolete


def parse_po(data: bytes) -> list[Entry]:
    """Entries of a PO file, obsolete ones (and their ``#~|`` lines) included."""
    text = data.decode(_charset(data), "surrogateescape")
    entries: list[Entry] = []
    entry = Entry()
    seen_msgstr = False
    target = None  # (dict-or-entry, field name, plural index) that continuation strings extend

    def start_new():
        nonlocal entry, seen_msgstr, target
        if entry.msgid is not None:
            entries.append(entry)
        entry, seen_msgstr, target = Entry(), False, None

    def assign(where, name, index, value):
        if where == "previous":
            entry.previous[name] = entry.previous.get(name, "") + value
        elif index is not None:
            entry.msgstr_plural[index] = entry.msgstr_plural.get(index, "") + value
        else:
            setattr(entry, name, (getattr(entry, name) or "") + value)

    for raw in text.split("\n"):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        obsolete = line.startswith("#~")
        previous = line.startswith("#|") or line.startswith("#~|")
        if previous:
            body = line[3:] if obsolete else line[2:]
        elif obsolete:
            body = line[2:]
        elif line.startswith("#"):
            if seen_msgstr:
                start_new()
            kind, rest = line[:2], line[2:].strip()
            if kind == "#,":
                entry.flags += [f.strip() for f in rest.split(",") if f.strip()]
            elif kind == "#:":
                entry.references.append(rest)
            elif kind == "#.":
                entry.extracted.append(rest)
            else:
                entry.comments.append(line[1:])
            continue
        else:
            body = line
        body = body.strip()
        if body.startswith('"'):
            if target:
                assign(*target, _string(body))
            continue
        match = _KEYWORD.match(body)
        if not match:
            continue
        keyword, index, rest = match[1], match[2], match[3]
        if previous:
            if seen_msgstr:
                start_new()
            entry.obsolete = entry.obsolete or obsolete
            name = keyword if keyword in ("msgctxt", "msgid", "msgid_plural") else None
            if name:
                target = ("previous", name, None)
                entry.previous[name] = _string(rest)
            continue
        if keyword in ("msgctxt", "msgid") and (seen_msgstr or (keyword == "msgctxt" and entry.msgid is not None)):
            start_new()
        entry.obsolete = entry.obsolete or obsolete
        if keyword.startswith("msgstr"):
            seen_msgstr = True
            if index is not None:
                target = ("entry", "msgstr", int(index))
                entry.msgstr_plural[int(index)] = _string(rest)
            else:
                target = ("entry", "msgstr", None)
                entry.msgstr = _string(rest)
        else:
            target = ("entry", keyword, None)
            setattr(entry, keyword, _string(rest))
    start_new()
    return entries


# -- comparing ----------------------------------------------------------------------------------------

COUNTED = ("only in GNU", "only in locflow", "obsolete in one only", "fuzzy in one only",
           "different previous", "different msgstr", "different header")
INFORMATIONAL = ("other flags differ", "comments differ", "references differ", "msgid_plural differs",
                 "duplicate key")


def _short(value, limit=90):
    if value is None:
        return None
    value = value if isinstance(value, str) else repr(value)
    return value if len(value) <= limit else value[:limit] + "…"


def _describe(entry: Entry | None) -> dict | None:
    if entry is None:
        return None
    out = {"obsolete": entry.obsolete, "flags": entry.flags}
    if entry.previous:
        out["previous"] = {k: _short(v) for k, v in entry.previous.items()}
    if entry.msgstr_plural:
        out["msgstr"] = {k: _short(v) for k, v in sorted(entry.msgstr_plural.items())}
    else:
        out["msgstr"] = _short(entry.msgstr)
    return out


def compare_entries(gnu: list[Entry], ours: list[Entry]) -> dict:
    """Entry-by-entry comparison; counts of identical entries and of each category."""
    categories: Counter = Counter()
    examples: dict[str, list] = defaultdict(list)

    def index(entries):
        table, dups = {}, 0
        for entry in entries:
            if entry.key in table:
                dups += 1
            table.setdefault(entry.key, entry)
        return table, dups

    g, gd = index(gnu)
    o, od = index(ours)
    if gd or od:
        categories["duplicate key"] += gd + od
    keys = list(g) + [k for k in o if k not in g]
    done = set()
    total = identical = 0

    def note(category, key, a, b):
        categories[category] += 1
        if len(examples[category]) < EXAMPLES:
            examples[category].append({"msgctxt": _short(key[0]), "msgid": _short(key[1]),
                                       "gnu": _describe(a), "locflow": _describe(b)})

    for key in keys:
        if key in done:
            continue
        done.add(key)
        a, b = g.get(key), o.get(key)
        total += 1
        found = []
        if a is None or b is None:
            # The same message on the other side with the other obsolete state (and not
            # matched there by itself) is one entry, obsolete in one output only.
            flipped = (key[0], key[1], not key[2])
            mine, theirs = (g, o) if a is not None else (o, g)
            other = theirs.get(flipped) if flipped not in mine and flipped not in done else None
            if other is None:
                note("only in GNU" if b is None else "only in locflow", key, a, b)
                continue
            done.add(flipped)
            a, b = (a, other) if a is not None else (other, b)
            found.append("obsolete in one only")
        if a.is_header or b.is_header:
            if a.msgstr != b.msgstr:
                found.append("different header")
        else:
            if a.fuzzy != b.fuzzy:
                found.append("fuzzy in one only")
            if a.previous != b.previous:
                found.append("different previous")
            if a.msgstr != b.msgstr or a.msgstr_plural != b.msgstr_plural:
                found.append("different msgstr")
        for category in found:
            note(category, key, a, b)
        if not found:
            identical += 1
        # informational, not counted against "identical"
        if [f for f in a.flags if f != "fuzzy"] != [f for f in b.flags if f != "fuzzy"]:
            note("other flags differ", key, a, b)
        if a.comments != b.comments or a.extracted != b.extracted:
            note("comments differ", key, a, b)
        if a.references != b.references:
            note("references differ", key, a, b)
        if a.msgid_plural != b.msgid_plural:
            note("msgid_plural differs", key, a, b)
    return {"total": total, "identical": identical, "categories": dict(categories), "examples": dict(examples)}


def first_difference(expected: bytes, got: bytes) -> dict:
    a, b = expected.split(b"\n"), got.split(b"\n")
    for number, (x, y) in enumerate(zip(a, b), 1):
        if x != y:
            return {"line": number, "gnu": x.decode("utf-8", "replace"), "locflow": y.decode("utf-8", "replace")}
    number = min(len(a), len(b)) + 1
    return {"line": number,
            "gnu": a[number - 1].decode("utf-8", "replace") if len(a) >= number else "<end of file>",
            "locflow": b[number - 1].decode("utf-8", "replace") if len(b) >= number else "<end of file>"}


# -- GNU ----------------------------------------------------------------------------------------------

def gnu(args: list[str], data: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(args, input=data, capture_output=True, env=GNU_ENV)


_STAT = {name: re.compile(rf"(\d+) {word}") for name, word in
         (("translated", "translated message"), ("fuzzy", "fuzzy translation"),
          ("untranslated", "untranslated message"))}


def msgfmt_statistics(path: Path | None, data: bytes | None = None):
    """(translated, fuzzy, untranslated) as msgfmt counts them, or None and its complaint."""
    proc = gnu(["msgfmt", "--statistics", "-o", "/dev/null", str(path) if path else "-"], data)
    err = proc.stderr.decode("utf-8", "replace")
    if proc.returncode != 0:
        return None, err.strip().splitlines()[0] if err.strip() else f"exit {proc.returncode}"
    counts = tuple(int(m[1]) if (m := _STAT[name].search(err)) else 0
                   for name in ("translated", "fuzzy", "untranslated"))
    return counts, None


# -- the work per file (run in worker processes) --------------------------------------------------------

_FUNCTIONS: dict = {}


def _init_worker(force_baseline: bool) -> None:
    _FUNCTIONS.update(resolve(force_baseline)[0])


def _call(name, *args):
    try:
        return _FUNCTIONS[name](*args), None
    except Exception as error:  # a crash is a result, not the end of the run
        return None, f"{type(error).__name__}: {error}"[:300]


def _layout(expected: bytes, source: bytes) -> dict:
    got, error = _call("format_catalog", source)
    if error:
        return {"status": "error", "error": error}
    if not isinstance(got, bytes):
        return {"status": "error", "error": f"format_catalog returned {type(got).__name__}, not bytes"}
    if got == expected:
        return {"status": "identical"}
    return {"status": "different", "first_difference": first_difference(expected, got)}


def _statistics(path: Path | None, data: bytes) -> dict:
    reference, refusal = msgfmt_statistics(path, data if path is None else None)
    got, error = _call("count", data)
    if not error:
        try:
            got = tuple(int(n) for n in got)
            assert len(got) == 3
        except Exception:
            got, error = None, f"count returned {got!r}, not (translated, fuzzy, untranslated)"
    out = {"gnu": reference, "locflow": got}
    if refusal:
        out.update(status="refused", refusal=refusal)
    elif error:
        out.update(status="error", error=error)
    else:
        out["status"] = "identical" if tuple(reference) == got else "different"
    return out


def task_catalog(item: tuple[str, str, str]) -> dict:
    name, source, path_text = item
    path = Path(path_text)
    data = path.read_bytes()
    result = {"name": name, "source": source}
    entries = parse_po(data)
    result["entries"] = sum(1 for e in entries if not e.is_header)
    result["obsolete"] = sum(1 for e in entries if e.obsolete)
    cat = gnu(["msgcat", str(path)])
    if cat.returncode != 0:
        result["layout"] = result["layout_original"] = {
            "status": "refused", "refusal": cat.stderr.decode("utf-8", "replace").strip()[:300]}
    else:
        result["layout"] = _layout(cat.stdout, cat.stdout)
        result["layout_original"] = _layout(cat.stdout, data)
    result["statistics"] = _statistics(path, data)
    return result


def task_pair(item: tuple[str, str, str, str]) -> dict:
    name, source, old_text, template_text = item
    old, template = Path(old_text).read_bytes(), Path(template_text).read_bytes()
    result = {"name": name, "source": source}
    merged = gnu(["msgmerge", "--previous", "--quiet", "-o", "-", old_text, template_text])
    if merged.returncode != 0:
        result["merge"] = {"status": "refused", "refusal": merged.stderr.decode("utf-8", "replace").strip()[:300]}
        return result
    expected = merged.stdout
    got, error = _call("merge_catalogs", old, template)
    if error or not isinstance(got, bytes):
        result["merge"] = {"status": "error", "error": error or f"merge_catalogs returned {type(got).__name__}"}
    else:
        comparison = compare_entries(parse_po(expected), parse_po(got))
        comparison["status"] = "identical" if got == expected else "different"
        if got != expected:
            comparison["first_difference"] = first_difference(expected, got)
        result["merge"] = comparison
    result["layout"] = _layout(expected, expected)
    result["statistics"] = _statistics(None, expected)
    return result


# -- timing -------------------------------------------------------------------------------------------

def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(start_processes) -> tuple[float, float, list[int]]:
    cpu0, t0 = _children_cpu(), time.perf_counter()
    processes = start_processes()
    codes = [p.wait() for p in processes]
    wall, cpu = time.perf_counter() - t0, _children_cpu() - cpu0
    return wall, cpu, codes


def time_gnu(command: list[str], arguments: list[str], per_call: int, jobs: int) -> tuple[float, float]:
    with tempfile.NamedTemporaryFile("wb", suffix=".list") as listing:
        listing.write(b"\0".join(a.encode() for a in arguments) + b"\0")
        listing.flush()
        full = ["xargs", "-0", "-P", str(jobs), "-n", str(per_call), *command]

        with open(listing.name, "rb") as stdin:
            def start():
                return [subprocess.Popen(full, stdin=stdin, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL, env=GNU_ENV)]
            wall, cpu, codes = _timed(start)
    if codes[0] not in (0, 123):  # 123: some file refused (msgfmt), the others ran
        raise SystemExit(f"parity: timing {' '.join(command)} failed with status {codes[0]}")
    return wall, cpu


def time_locflow(job: str, arguments: list[list[str]], jobs: int, force_baseline: bool) -> tuple[float, float, str]:
    """Wall and CPU time of ``jobs`` worker processes sharing the files, and what they ran."""
    shares = [arguments[i::jobs] for i in range(jobs)]
    files = []
    try:
        for share in shares:
            handle = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
            json.dump(share, handle)
            handle.close()
            files.append(handle.name)

        processes = []

        def start():
            extra = ["--baseline"] if force_baseline else []
            processes.extend(subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--worker", job,
                                               name, *extra], stdout=subprocess.PIPE) for name in files)
            return processes
        wall, cpu, codes = _timed(start)
        ran = {p.stdout.read().decode().strip() for p in processes}
    finally:
        for name in files:
            os.unlink(name)
    if any(codes):
        raise SystemExit(f"parity: the locflow timing worker for {job} failed (status {codes})")
    return wall, cpu, " / ".join(sorted(ran))


def worker(job: str, listing: str, force_baseline: bool) -> int:
    """Timing worker: run one job over a list of files, discarding the results.
    A failing call is skipped (correctness is measured elsewhere)."""
    functions, labels = resolve(force_baseline)
    name = {"layout": "format_catalog", "merge": "merge_catalogs", "statistics": "count"}[job]
    function = functions[name]
    for paths in json.loads(Path(listing).read_text()):
        inputs = [Path(p).read_bytes() for p in paths]
        try:
            function(*inputs)
        except Exception:
            pass
    print(labels[name])
    return 0


# -- reporting ----------------------------------------------------------------------------------------

def _pick(items: list, limit: int | None) -> list:
    """At most ``limit`` items, spread evenly over the list (every source gets its share)."""
    if not limit or limit >= len(items):
        return items
    return [items[i * len(items) // limit] for i in range(limit)]


def _summary(results: list[dict], key: str, sources: list[str]) -> dict:
    rows = [r for r in results if key in r]
    by_status = Counter(r[key]["status"] for r in rows)
    per_source = {}
    for source in sources:
        mine = [r for r in rows if r["source"] == source]
        per_source[source] = {"identical": sum(r[key]["status"] == "identical" for r in mine), "total": len(mine)}
    return {
        "identical": by_status["identical"],
        "total": len(rows),
        "by_status": dict(by_status),
        "by_source": per_source,
        "refused": [{"name": r["name"], "why": r[key].get("refusal"), "locflow": r[key].get("locflow")}
                    for r in rows if r[key]["status"] == "refused"],
        "errors": [{"name": r["name"], "error": r[key]["error"]} for r in rows if r[key]["status"] == "error"],
        "differing": [r["name"] for r in rows if r[key]["status"] == "different"],
    }


def _interleave(rows: list[dict]) -> list[dict]:
    """Rows taken from each source in turn, so that examples show every source."""
    queues = defaultdict(list)
    for row in rows:
        queues[row["source"]].append(row)
    out = []
    for i in range(max((len(q) for q in queues.values()), default=0)):
        out += [q[i] for q in queues.values() if i < len(q)]
    return out


def _layout_examples(results, key, n=EXAMPLES * 2):
    out = []
    for r in _interleave(results):
        if key in r and r[key]["status"] == "different" and len(out) < n:
            out.append({"name": r["name"], **r[key]["first_difference"]})
    return out


def _stat_examples(results, n=EXAMPLES * 2):
    return [{"name": r["name"], "gnu": r["statistics"]["gnu"], "locflow": r["statistics"]["locflow"]}
            for r in _interleave(results) if r.get("statistics", {}).get("status") == "different"][:n]


def _merge_summary(results, sources):
    rows = [r for r in results if r.get("merge", {}).get("status") in ("identical", "different")]
    categories, examples = Counter(), defaultdict(list)
    entries = identical = 0
    per_source = {s: {"entries": 0, "identical": 0, "files_identical": 0, "files": 0} for s in sources}
    for r in _interleave(rows):
        m = r["merge"]
        entries += m["total"]
        identical += m["identical"]
        s = per_source[r["source"]]
        s["entries"] += m["total"]
        s["identical"] += m["identical"]
        s["files"] += 1
        s["files_identical"] += m["status"] == "identical"
        categories.update(m["categories"])
        for category, found in m["examples"].items():
            for example in found:
                if len(examples[category]) < EXAMPLES and all(e["pair"] != r["name"] for e in examples[category]):
                    examples[category].append({"pair": r["name"], **example})
    files = _summary(results, "merge", sources)
    return {"entries": {"identical": identical, "total": entries}, "files": files,
            "categories": {c: categories.get(c, 0) for c in COUNTED},
            "informational": {c: categories.get(c, 0) for c in INFORMATIONAL},
            "examples": dict(examples), "by_source": per_source}


def _pct(a, b):
    return f"{100 * a / b:5.1f}%" if b else "   - "


def render(report: dict) -> str:
    sources = report["corpus"]["sources"]
    lines = []
    c = report["corpus"]
    lines.append(f"Parity with {report['gnu_version']} on {c['catalogs']} catalogs "
                 f"({c['languages']} languages, {c['entries']} entries) and {c['pairs']} merge pairs")
    for source, (old, new) in c["releases"].items():
        lines.append(f"  {source}: {old} → {new}")
    lines.append("")
    for name, label in report["implementations"].items():
        lines.append(f"  {name:15} {label}")
    lines.append("")
    header = f"{'check':44} {'identical':>20}  " + "  ".join(f"{s:>13}" for s in sources)
    lines.append(header)
    lines.append("-" * len(header))

    def row(title, identical, total, per_source):
        cells = "  ".join(f"{per_source[s]['identical']}/{per_source[s]['total']}".rjust(13)
                          if s in per_source else " " * 13 for s in sources)
        lines.append(f"{title:44} {f'{identical}/{total}':>13} {_pct(identical, total)}  {cells}")

    for key, title in (("layout", "msgcat layout: format(msgcat C) == msgcat C"),
                       ("layout_original", "msgcat layout: format(C) == msgcat C"),
                       ("layout_merged", "msgcat layout: format(G) == G (merged)"),
                       ("merge_files", "msgmerge: whole files byte-identical"),
                       ("statistics", "statistics: catalogs"),
                       ("statistics_merged", "statistics: msgmerge outputs")):
        s = report[key]
        row(title, s["identical"], s["total"], s["by_source"])
    m = report["merge"]
    per = {k: {"identical": v["identical"], "total": v["entries"]} for k, v in m["by_source"].items()}
    row("msgmerge: entries identical", m["entries"]["identical"], m["entries"]["total"], per)
    lines.append("")
    for key, title in (("statistics", "catalogs"), ("statistics_merged", "msgmerge outputs")):
        s = report[key]
        if s["refused"]:
            lines.append(f"msgfmt refused {len(s['refused'])} of the {title} (not in the counts above):")
            for r in s["refused"][:EXAMPLES * 2]:
                lines.append(f"  {r['name']}: {r['why']}  — locflow counted {r['locflow']}")
    if not report["statistics"]["refused"] and not report["statistics_merged"]["refused"]:
        lines.append("msgfmt refused none of the files.")
    for key in ("layout", "layout_original", "layout_merged", "merge_files", "statistics", "statistics_merged"):
        if report[key]["errors"]:
            lines.append(f"{key}: {len(report[key]['errors'])} calls raised, e.g. "
                         f"{report[key]['errors'][0]['name']}: {report[key]['errors'][0]['error']}")
    lines.append("")
    lines.append("msgmerge differences by entry (an entry may fall in several):")
    for category, count in m["categories"].items():
        lines.append(f"  {category:28} {count:>8}")
    lines.append("  not counted against identical:")
    for category, count in m["informational"].items():
        lines.append(f"    {category:26} {count:>8}")
    for category in COUNTED:
        for example in m["examples"].get(category, [])[:2]:
            lines.append(f"  e.g. {category}: {example['pair']} msgid={example['msgid']!r}"
                         + (f" msgctxt={example['msgctxt']!r}" if example["msgctxt"] else ""))
            lines.append(f"       gnu:     {json.dumps(example['gnu'], ensure_ascii=False)}")
            lines.append(f"       locflow: {json.dumps(example['locflow'], ensure_ascii=False)}")
    lines.append("")
    for key, title in (("layout", "format(msgcat C)"), ("layout_original", "format(C)")):
        examples = report[key]["examples"][:3]
        if examples:
            lines.append(f"first differing lines, {title}:")
            for e in examples:
                lines.append(f"  {e['name']} line {e['line']}")
                lines.append(f"    gnu:     {e['gnu'][:110]}")
                lines.append(f"    locflow: {e['locflow'][:110]}")
    examples = report["statistics"]["examples"][:3] + report["statistics_merged"]["examples"][:3]
    if examples:
        lines.append("differing counts (translated, fuzzy, untranslated):")
        for e in examples:
            lines.append(f"  {e['name']}: gnu {tuple(e['gnu'])} locflow {tuple(e['locflow'] or ())}")
    if report.get("timing"):
        lines.append("")
        lines.append(f"timing ({report['jobs']} jobs; GNU: one process per file under xargs -P; "
                     f"locflow: {report['jobs']} Python processes)")
        lines.append(f"  {'job':12} {'files':>6} {'GNU wall':>9} {'CPU':>8} {'locflow wall':>13} {'CPU':>8}"
                     f" {'wall ratio':>11} {'CPU ratio':>10}")
        for t in report["timing"]:
            if t["implementation"] != report["implementations"][
                    {"layout": "format_catalog", "merge": "merge_catalogs", "statistics": "count"}[t["job"]]]:
                lines.append(f"  NOTE: the {t['job']} timing ran {t['implementation']}")
            lines.append(f"  {t['job']:12} {t['files']:>6} {t['gnu_wall']:>8.2f}s {t['gnu_cpu']:>7.2f}s "
                         f"{t['locflow_wall']:>12.2f}s {t['locflow_cpu']:>7.2f}s {t['wall_ratio']:>11.2f} "
                         f"{t['cpu_ratio']:>10.2f}")
        lines.append("  ratio = locflow / GNU (below 1: locflow is faster)")
    return "\n".join(lines)


# -- main ---------------------------------------------------------------------------------------------

def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=corpus_mod.CORPUS,
                        help="corpus folder, built by bench/corpus.py if missing (default: %(default)s)")
    parser.add_argument("--sources", default=",".join(corpus_mod.SOURCES), help="default: %(default)s")
    parser.add_argument("--limit", type=int, help="at most N catalogs and N pairs, spread over the corpus")
    parser.add_argument("--jobs", type=int, default=2, help="parallel processes, both sides (default: %(default)s)")
    parser.add_argument("--json", type=Path, default=HERE / "out" / "parity.json", help="default: %(default)s")
    parser.add_argument("--baseline", action="store_true", help="measure the polib baseline even if locflow.po exists")
    parser.add_argument("--require-locflow", action="store_true",
                        help="exit 2 if any of locflow.po's functions is missing (no baseline)")
    parser.add_argument("--no-timing", action="store_true", help="correctness only")
    parser.add_argument("--worker", nargs=2, metavar=("JOB", "LIST"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker(args.worker[0], args.worker[1], args.baseline)

    _, labels = resolve(args.baseline)
    if args.require_locflow and any(label.startswith("BASELINE") for label in labels.values()):
        print("parity: locflow.po is incomplete:\n" + "\n".join(f"  {k}: {v}" for k, v in labels.items()),
              file=sys.stderr)
        return 2
    sources = [s for s in args.sources.split(",") if s]
    try:
        catalogs = _pick(corpus_mod.catalogs(args.corpus, sources), args.limit)
        pairs = _pick(corpus_mod.pairs(args.corpus, sources), args.limit)
    except corpus_mod.CorpusError as error:
        print(f"parity: {error}", file=sys.stderr)
        return 2
    gnu_version = gnu(["msgcat", "--version"]).stdout.decode().splitlines()[0]
    print(f"parity: {len(catalogs)} catalogs, {len(pairs)} pairs, {args.jobs} jobs; " +
          "; ".join(f"{k}: {v}" for k, v in labels.items()), file=sys.stderr, flush=True)

    started = time.perf_counter()
    with ProcessPoolExecutor(args.jobs, initializer=_init_worker, initargs=(args.baseline,)) as pool:
        catalog_results = list(pool.map(task_catalog, [(c.name, c.source, str(c.path)) for c in catalogs],
                                        chunksize=8))
        print(f"parity: catalogs done in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
        pair_results = list(pool.map(task_pair, [(p.name, p.source, str(p.old), str(p.template)) for p in pairs],
                                     chunksize=4))
        print(f"parity: pairs done in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)

    merged_layout = [{"name": r["name"], "source": r["source"], "layout_merged": r["layout"]}
                     for r in pair_results if "layout" in r]
    merged_stats = [{"name": r["name"], "source": r["source"], "statistics": r["statistics"]}
                    for r in pair_results if "statistics" in r]
    report = {
        "gnu_version": gnu_version,
        "jobs": args.jobs,
        "implementations": labels,
        "corpus": {
            "path": str(args.corpus),
            "sources": sources,
            "releases": {s: [r.version for r in corpus_mod.releases(s)] for s in sources},
            "wheels": {f"{r.project}=={r.version}": r.sha256 for r in corpus_mod.RELEASES if r.source in sources},
            "catalogs": len(catalogs),
            "languages": len({c.lang for c in catalogs}),
            "entries": sum(r["entries"] for r in catalog_results),
            "obsolete_entries": sum(r["obsolete"] for r in catalog_results),
            "pairs": len(pairs),
            "limit": args.limit,
        },
    }
    for key, rows in (("layout", catalog_results), ("layout_original", catalog_results),
                      ("layout_merged", merged_layout)):
        report[key] = _summary(rows, key, sources)
        report[key]["examples"] = _layout_examples(rows, key)
    report["merge_files"] = _summary(pair_results, "merge", sources)
    report["merge"] = _merge_summary(pair_results, sources)
    for key, rows in (("statistics", catalog_results), ("statistics_merged", merged_stats)):
        report[key] = _summary(rows, "statistics", sources)
        report[key]["examples"] = _stat_examples(rows)
    report["correctness_seconds"] = round(time.perf_counter() - started, 1)

    if not args.no_timing:
        print("parity: timing ...", file=sys.stderr, flush=True)
        timing = []
        files = [str(c.path) for c in catalogs]
        pair_files = [[str(p.old), str(p.template)] for p in pairs]
        for job, command, per_call, arguments, worker_args in (
            ("layout", ["msgcat", "-o", "/dev/null"], 1, files, [[f] for f in files]),
            ("merge", ["msgmerge", "--previous", "--quiet", "-o", "/dev/null"], 2,
             [f for pair in pair_files for f in pair], pair_files),
            ("statistics", ["msgfmt", "--statistics", "-o", "/dev/null"], 1, files, [[f] for f in files]),
        ):
            gnu_wall, gnu_cpu = time_gnu(command, arguments, per_call, args.jobs)
            our_wall, our_cpu, ran = time_locflow(job, worker_args, args.jobs, args.baseline)
            timing.append({"job": job, "files": len(worker_args), "implementation": ran,
                "gnu_wall": round(gnu_wall, 3), "gnu_cpu": round(gnu_cpu, 3),
                "locflow_wall": round(our_wall, 3), "locflow_cpu": round(our_cpu, 3),
                "wall_ratio": round(our_wall / gnu_wall, 3), "cpu_ratio": round(our_cpu / gnu_cpu, 3)})
        report["timing"] = timing

    text = render(report)
    print(text)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    report["per_file"] = {"catalogs": catalog_results, "pairs": [
        {k: (v if k != "merge" else {kk: vv for kk, vv in v.items() if kk != "examples"}) for k, v in r.items()}
        for r in pair_results]}
    args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n")
    print(f"\nwritten: {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
