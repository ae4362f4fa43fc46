"""What check prints fits the terminal: a real pseudo-terminal of 80, 100 and 120 columns."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from locflow.catalogs import read_catalog, save_catalog
from locflow.report import shorten_unique

from .conftest import run_locflow, run_on_terminal, write_pyproject

LONG = [
    "the-long-story-of-the-baku-pogroms-part-one-remembered",
    "the-long-story-of-the-baku-pogroms-part-two-remembered",
    "notes",
]
ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


def on_terminal(root: Path, columns: int, *args: str) -> tuple[int, list[str]]:
    """Run locflow with its output on a pseudo-terminal of ``columns`` columns; the lines a reader sees."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(root), "LANG": "C.UTF-8", "TERM": "xterm", "LOCFLOW_JOBS": "1"}
    code, _, received = run_on_terminal(root, args, env, stdout_too=True, columns=columns)
    text = ESCAPES.sub("", received).replace("\r", "")
    return code, [line.rstrip() for line in text.split("\n")]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "source").mkdir(parents=True)
    for slug in LONG:
        (root / "source" / f"{slug}.txt").write_text(
            "A title\n\nThe pogroms began on January 13, 1990, in Baku.\n\nThe second paragraph, long enough to read.\n",
            encoding="utf-8",
        )
    write_pyproject(root, languages=("hy", "ru"))
    run_locflow(root, "extract", check_code=0)
    run_locflow(root, "update", check_code=0)
    path = root / "locales" / "ru" / "LC_MESSAGES" / f"{LONG[0]}.po"
    catalog = read_catalog(path)
    catalog.find("The pogroms began on January 13, 1990, in Baku.").msgstr = "Погромы начались 13 января 1991 года в Баку."
    save_catalog(catalog, path)
    return root


@pytest.mark.parametrize("columns", [80, 100, 120])
def test_the_check_report_fits_the_terminal_and_breaks_no_word(site, columns):
    code, lines = on_terminal(site, columns, "check")
    assert code == 1
    assert max(len(line) for line in lines) <= columns, "\n".join(lines)
    text = "\n".join(lines)
    end = next(index for index, line in enumerate(lines) if line.strip() == "Findings")
    completeness = "\n".join(lines[:end])
    # Every article is named, in full or shortened in the middle so that each name points to one article.
    tokens = completeness.split()
    for slug in LONG:
        matching = [t for t in tokens if t == slug or ("…" in t and slug.startswith(t.split("…")[0]) and slug.endswith(t.split("…")[1]))]
        assert matching, (slug, completeness)
        for token in matching:
            assert sum(1 for other in LONG if other == token or ("…" in token and other.startswith(token.split("…")[0]) and other.endswith(token.split("…")[1]))) == 1
    for value in ("0.0%", "33.3%"):
        assert value in text
    # The finding's message reads as words: the year is named whole, not a letter a line.
    assert "1990" in text and "1991" in text
    assert not any(len(line.strip()) == 1 and line.strip().isalpha() for line in lines)


def test_long_names_are_shortened_in_the_middle_and_stay_unambiguous():
    short = shorten_unique(LONG, 24)
    assert all(len(value) <= 24 for value in short.values())
    assert len(set(short.values())) == 3
    assert short["notes"] == "notes"
    assert all("…" in short[name] for name in LONG[:2])
