import json
import logging
import shutil

import pytest

from factcheck.errors import InputError
from factcheck.ingest import expand_paths, iter_articles, parse_date, read_file

from conftest import CORPUS, FIXTURES, NO_SEEDS, SEEDS


def test_boilerplate_page_is_cleaned():
    expected = json.loads((FIXTURES / "boilerplate.expected.json").read_text())
    [article] = read_file(FIXTURES / "boilerplate.txt")
    assert article.title == expected["title"]
    if expected.get("date"):
        assert article.date == expected["date"]
    if expected.get("source"):
        assert article.source == expected["source"]
    for sentence in expected["body_sentences"]:
        assert sentence in article.text
    for junk in expected["boilerplate_gone"]:
        assert junk not in article.text, junk


def test_latin1_is_decoded():
    [article] = read_file(FIXTURES / "latin1.txt")
    assert "\ufffd" not in article.text
    assert any(ch in article.text for ch in "éü£")


def test_html_page_main_text_and_metadata():
    [article] = read_file(FIXTURES / "page.html")
    assert "<script" not in article.text and "function(" not in article.text
    assert len(article.paragraphs) >= 3
    [corpus_page] = read_file(CORPUS / "03_lindmoor9.html")
    assert corpus_page.source == "Lindmoor 9 News"
    assert corpus_page.date == "2026-03-04"
    assert "Share" not in corpus_page.text.split("\n")[0]


def test_records_with_alias_fields():
    articles = read_file(FIXTURES / "records.jsonl")
    assert len(articles) == 3
    assert all(a.source and a.date for a in articles)
    rows = read_file(FIXTURES / "records.csv")
    assert len(rows) == 2
    assert "2026-03-04" in {a.date for a in rows}


def test_bad_records_are_skipped_with_a_reason(caplog):
    with caplog.at_level(logging.WARNING):
        articles = read_file(FIXTURES / "bad.jsonl")
    assert len(articles) == 1
    messages = " ".join(r.getMessage() for r in caplog.records)
    assert "invalid JSON" in messages and "not a string" in messages and "no text field" in messages


def test_binary_and_empty_files_are_skipped_and_the_rest_is_read(tmp_path):
    for name in ("binary.bin", "empty.txt", "records.csv"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    (tmp_path / "binary.txt").write_bytes((FIXTURES / "binary.bin").read_bytes())
    skipped = []
    articles = list(iter_articles([tmp_path], on_skip=lambda p, r: skipped.append((p, r))))
    assert len(articles) == 2
    reasons = dict(skipped)
    assert "binary" in reasons[str(tmp_path / "binary.txt")]
    assert str(tmp_path / "empty.txt") in reasons


def test_missing_path_is_an_error():
    with pytest.raises(InputError, match="No such file"):
        expand_paths(["/no/such/dir"])


def test_globs_and_directories(tmp_path):
    files = expand_paths([str(CORPUS / "*.txt")])
    assert len(files) == 3
    assert len(expand_paths([CORPUS])) == 7


def test_directory_walk_streams_in_sorted_path_order(tmp_path):
    """iter_paths lists a directory lazily but in the order of sorted(rglob): ids and rows depend on it."""
    import os

    from factcheck.ingest import SUPPORTED_SUFFIXES, iter_paths

    for name in ["b/x.txt", "b/a/z.md", "b.txt", "b-x/c.txt", "B.txt", "a b.txt", ".hidden/h.txt", "n.bin", "10.txt", "9.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("text")
    os.symlink(tmp_path / "b", tmp_path / "linked")  # like rglob, a link to a directory is not followed
    expected = [
        p for p in sorted(tmp_path.rglob("*")) if p.is_file() and p.suffix in SUPPORTED_SUFFIXES and ".hidden" not in p.parts
    ]
    assert list(iter_paths([tmp_path])) == expand_paths([tmp_path]) == expected
    assert list(iter_paths([tmp_path, tmp_path / "b", str(tmp_path / "*.txt")])) == expected  # each file once


def test_corpus_metadata():
    articles = {a.path.rsplit("/", 1)[-1]: a for a in iter_articles([CORPUS])}
    assert len(articles) == 7
    for article in articles.values():
        assert article.source, article.path
        assert article.date, article.path
        assert article.title, article.path
    gazette = articles["06_oswin_valley_gazette.txt"]
    assert gazette.date == "2026-03-06"
    assert "Related Topics" not in gazette.text and "Subscribe" not in gazette.text


def test_article_ids_are_content_hashes(tmp_path):
    text = (CORPUS / "01_valley_wire.txt").read_text()
    (tmp_path / "a.txt").write_text(text)
    (tmp_path / "b.txt").write_text(text.replace("\n\n", "\n\n\n"))
    a, b = [read_file(tmp_path / n)[0] for n in ("a.txt", "b.txt")]
    assert a.id == b.id


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("March 4, 2026", "2026-03-04"),
        ("2026-03-04T08:00:00Z", "2026-03-04"),
        ("4 March 2026", "2026-03-04"),
        ("Oct. 15, 2014", "2014-10-15"),
        ("yesterday-ish", None),
        ("", None),
    ],
)
def test_parse_date(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.skipif(not SEEDS.is_dir(), reason=NO_SEEDS)
def test_seed_pages_ingest_cleanly():
    articles = {a.path.rsplit("/", 1)[-1][:3]: a for a in iter_articles([SEEDS])}
    assert len(articles) == 5
    assert articles["003"].source == "Press TV" and articles["003"].date == "2021-02-09"
    assert articles["004"].source == "Clash Report" and articles["004"].date == "2025-07-28"
    assert articles["000"].source == "Blaze Media"
    assert articles["000"].date is None  # the copyright year is not a publication date
    everything = "\n".join(a.text for a in articles.values())
    for junk in (
        "All rights reserved",
        "See also",
        "Want to leave a tip",
        "Already a subscriber",
        "Shares:",
        "Leave a Reply",
        "SHARE THIS ARTICLE",
        "Related Topics",
        "Getty Images",
        "Photo via AFP",
        "alternate addresses",
        "Reunification Policy",
        "Comments",
    ):
        assert junk not in everything, junk
    assert "28,500 troops" in articles["003"].text
