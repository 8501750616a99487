import json

import pytest

from factcheck.ingest import read_file
from factcheck.segment import is_checkworthy, segment_article, split_sentences

from conftest import CORPUS, FIXTURES

CASES = json.loads((FIXTURES / "segment_cases.json").read_text())


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_hard_news_splits(case):
    text = case["text"]
    assert [text[a:b] for a, b in split_sentences(text)] == case["sentences"]


def test_offsets_and_lines_point_into_the_source():
    path = CORPUS / "01_valley_wire.txt"
    source = path.read_text()
    [article] = read_file(path)
    sentences = segment_article(article)
    assert len(sentences) > 5
    lines = source.split("\n")
    for s in sentences:
        assert " ".join(source[s.start : s.end].split()) == s.text
        assert s.text.split()[0] in lines[s.line - 1]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("About 4,800 residents were evacuated from Millbrook on Tuesday.", True),
        ("Gov. Ellen Marsh declared a state of emergency.", True),
        ("What happens next?", False),
        ("Will the dam hold through the weekend, officials asked?", False),
        ("Share this article", False),
        ("Death toll rises", False),
        ("it was a long night for everyone here.", False),
    ],
)
def test_checkworthiness(text, expected):
    assert is_checkworthy(text) is expected
