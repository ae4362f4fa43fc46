"""Real documents nobody here wrote, each checked three ways (see tests/corpus.py).

The corpus: po4a's Markdown and XHTML test documents, mdpo's Markdown examples and README,
HTML5 Boilerplate's documentation and pages (tests/data/corpus, sources and licences in its
README), and the Markdown READMEs of the packages requirements.lock pins by hash.
"""

from __future__ import annotations

import pytest

from . import corpus

DOCUMENTS = corpus.documents()


def test_the_corpus_is_what_the_readme_says():
    names = [document.name for document in DOCUMENTS]
    assert sum(name.startswith("po4a/") for name in names) == 24
    assert sum(name.startswith("mdpo/") for name in names) == 30
    assert sum(name.startswith("h5bp/") for name in names) == 12
    assert sum(name.startswith("package:") for name in names) == 9
    assert sum(document.suffix == ".html" for document in DOCUMENTS) == 6


@pytest.mark.parametrize("document", DOCUMENTS, ids=[document.name for document in DOCUMENTS])
def test_document_passes_round_trip_structure_and_msgfmt(document, tmp_path):
    result = corpus.check(document, tmp_path)
    assert result.messages > 0
    assert result.problems == {"round trip": [], "structure": [], "msgfmt": []}


def test_the_checks_notice_a_broken_document(tmp_path):
    """The harness fails a document whose links, code or words a translation broke."""
    source = "Read [the docs](https://docs.example.org/) and run `make`.\n"
    assert corpus._markdown_problems(source, source, "translated") == ["5 English words left: Read the docs and run"]
    broken = "Ռեադ [թհե դոցս](https://evil.example.org/) անդ րուն `մակե`.\n"
    problems = corpus._markdown_problems(source, broken, "translated")
    assert problems and problems[0].startswith("structure differs")
    english = corpus._markdown_problems(source, "Ռեադ [the docs](https://docs.example.org/) անդ `make`.\n", "translated")
    assert english == ["2 English words left: the docs"]
    page = "<p title='Tip'>Hello <a href='/x'>there</a></p>"
    assert corpus._html_problems(page, "<p title='Թիփ'>Հելլո <a href='/y'>թհերե</a></p>", "translated")[0].startswith("element tree differs")
