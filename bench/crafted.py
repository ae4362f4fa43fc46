"""locflow's checks and pofilter on the crafted sentences of the tests, side by side.

    python bench/crafted.py --peers-bin .venv-bench/bin

The correct sentences (``SILENT`` in tests/test_checks_languages.py: Armenian,
Russian, French and Arabic, with questions, abbreviations, numbers written with
the language's separators and quotes inside quotes) and the crafted defects
(``DEFECTS``, one or more per check) are written as catalogs, one per language,
and given to both tools with all their checks. Printed per language: how many
correct sentences each tool flags (false alarms) and how many defects it finds.
A defect counts as found by locflow when the check it was made for reports it;
for pofilter, when any of its tests reports the entry.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
from run import find_tool  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peers-bin", type=Path, default=None, help="folder with translate-toolkit's commands")
    args = parser.parse_args(argv)
    pofilter = find_tool("pofilter", args.peers_bin)

    import polib

    from locflow.catalogs import read_catalog
    from locflow.checks import Catalog, check_catalog, registered
    from locflow.languages import get_language
    from tests.test_checks import catalog_file
    from tests.test_checks_languages import DEFECTS, SILENT

    english = get_language("en")
    checks = [chk for chk in registered().values() if chk.scope != "site"]
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        defects: dict[str, list] = defaultdict(list)
        for name, code, entry, _ in DEFECTS:
            defects[code].append((name, entry))
        for code in sorted(set(SILENT) | set(defects)):
            silent = [entry for _, entry in SILENT.get(code, [])]
            crafted = defects.get(code, [])
            # a defect's msgid is made unique, so one catalog holds them all
            bad = []
            for index, (name, entry) in enumerate(crafted):
                copy = polib.POEntry(msgid=entry.msgid, msgctxt=f"defect {index}", msgid_plural=entry.msgid_plural,
                                     msgstr=entry.msgstr, msgstr_plural=dict(entry.msgstr_plural),
                                     flags=list(entry.flags), occurrences=list(entry.occurrences))
                bad.append((name, copy))
            path, language = catalog_file(folder, code, silent + [copy for _, copy in bad], name="crafted")
            unit = Catalog(path, "crafted", language, read_catalog(path))
            found = check_catalog(unit, checks, english)
            ours_silent = {f.msgid for f in found if f.context is None}
            ours_found = sum(
                1 for index, (name, _) in enumerate(bad)
                if any(f.context == f"defect {index}" and f.check == name for f in found)
            )
            out = folder / f"pofilter-{code}.po"
            subprocess.run([pofilter, "--progress=none", str(path), str(out)], capture_output=True, check=False)
            theirs_silent, theirs_found = set(), set()
            if out.exists():
                for entry in polib.pofile(str(out)):
                    if not any(comment.startswith("(pofilter)") for comment in entry.tcomment.splitlines()):
                        continue
                    if entry.msgctxt and entry.msgctxt.startswith("defect "):
                        theirs_found.add(entry.msgctxt)
                    else:
                        theirs_silent.add(entry.msgid)
            rows.append((code, len(silent), len(ours_silent), len(theirs_silent), len(bad), ours_found, len(theirs_found)))
        shutil.rmtree(folder, ignore_errors=True)

    print(f"{'language':<9} {'correct':>8} {'locflow flags':>14} {'pofilter flags':>15}   {'defects':>8} {'locflow finds':>14} {'pofilter finds':>15}")
    for code, silent, ours_s, theirs_s, bad, ours_f, theirs_f in rows:
        print(f"{code:<9} {silent:>8} {ours_s:>14} {theirs_s:>15}   {bad:>8} {ours_f:>14} {theirs_f:>15}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
