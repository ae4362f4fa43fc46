"""Finding articles: sub-folders and page bundles, readable unique slugs, and every skipped file named."""

from __future__ import annotations

import json

import pytest

from .conftest import assert_msgfmt_accepts, run_locflow, write_pyproject


@pytest.fixture
def site(tmp_path):
    root = tmp_path / "site"
    source = root / "source"
    (source / "2024").mkdir(parents=True)
    (source / "posts" / "walk").mkdir(parents=True)
    (source / "posts" / "_index.md").write_text("# All posts\n\nThe list of posts.\n", encoding="utf-8")
    (source / "2024" / "tea.md").write_text("# Tea in Dilijan\n\nA cup of thyme tea.\n", encoding="utf-8")
    (source / "posts" / "walk" / "index.md").write_text("---\ntitle: A walk\n---\nWe walked to Goris.\n", encoding="utf-8")
    (source / "posts" / "walk" / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (source / "notes.rst").write_text("Notes\n=====\n", encoding="utf-8")
    (source / "top.txt").write_text("Top story\n\nIt happened.\n", encoding="utf-8")
    (source / ".draft.md").write_text("# Not yet\n", encoding="utf-8")
    write_pyproject(root, languages=("hy",))
    return root


def test_articles_in_folders_and_bundles_get_readable_slugs_and_skipped_files_are_named(site):
    result = run_locflow(site, "extract", check_code=0)
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "extract: 7 files (4 created, 3 skipped)"
    assert "  source/.draft.md: hidden file" in lines
    assert any(line.startswith("  source/notes.rst: not an article: .rst files are not read") for line in lines)
    assert any(line.startswith("  source/posts/walk/photo.jpg: not an article: .jpg") for line in lines)
    templates = sorted(p.name for p in (site / "locales" / "templates").iterdir())
    assert templates == ["2024-tea.pot", "posts-walk.pot", "posts.pot", "top.pot"]
    pot = (site / "locales" / "templates" / "posts-walk.pot").read_text(encoding="utf-8")
    assert "#: source/posts/walk/index.md:2" in pot and 'msgid "We walked to Goris."' in pot
    assert_msgfmt_accepts(site / "locales" / "templates" / "2024-tea.pot", allow_warnings=True)
    data = json.loads(run_locflow(site, "extract", "--format", "json", check_code=0).stdout)
    skipped = {item["file"] for item in data["files"] if item["status"] == "skipped"}
    assert skipped == {"source/.draft.md", "source/notes.rst", "source/posts/walk/photo.jpg"}
    assert all(item["note"] for item in data["files"] if item["status"] == "skipped")
    run_locflow(site, "update", check_code=0)
    run_locflow(site, "build", check_code=0)
    assert (site / "build" / "hy" / "posts-walk.md").read_text(encoding="utf-8").endswith("We walked to Goris.\n")
    assert (site / "build" / "hy" / "2024-tea.md").exists()


def test_two_articles_with_one_slug_is_an_error_naming_both(site):
    (site / "source" / "2024-tea.md").write_text("# Another tea\n", encoding="utf-8")
    result = run_locflow(site, "extract", check_code=2)
    assert result.stderr.strip().splitlines() == [
        f"locflow: error: {site / 'source' / '2024' / 'tea.md'}: two articles have the slug '2024-tea': "
        "2024-tea.md and 2024/tea.md; rename one"
    ]
    assert not (site / "locales").exists()


def test_a_folder_name_that_is_not_a_slug_is_an_error(site):
    (site / "source" / "My Posts").mkdir()
    (site / "source" / "My Posts" / "a.md").write_text("# A\n", encoding="utf-8")
    result = run_locflow(site, "extract", check_code=2)
    assert "article name 'My Posts/a' is not a valid slug" in result.stderr
