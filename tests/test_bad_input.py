"""Bad input: property tests over ingest and segmentation, and fixed cases of files that can't be used.

Each bad file is skipped with a reason naming it, or refused with one clear error; the rest of the
corpus is still indexed.
"""

from __future__ import annotations

import json
import os
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcheck.errors import InputError
from factcheck.index import load_index
from factcheck.ingest import decode_bytes, iter_articles, parse_plain_text, read_file
from factcheck.models import Article
from factcheck.pipeline import build_index, claims_from_file, claims_from_texts
from factcheck.segment import segment_article, split_sentences

from conftest import CORPUS, FIXTURES

PROPERTY = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# text that looks like news copy often enough to exercise joins, credits, quotes and abbreviations
WORDS = [
    "The",
    "dam",
    "U.S.",
    "Gen.",
    "said",
    "on",
    "Tuesday",
    "10",
    "a.m.",
    "12.5%",
    "“quoted”",
    "(Getty Images)",
    "e.g.",
    "Mr.",
    "...",
    "…",
    "©",
    "2026",
    "Share",
    "—",
    "é",
    "\u00a0",
    "Oct.",
    "15,",
    "it's",
    "'",
    '"',
]
SEPARATORS = [" ", " ", " ", "  ", ". ", "! ", "? ", "\n", "\n\n", "\n   ", "\t", ".\n", ": "]
newsy_text = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=80).map(
    lambda pairs: "".join(w + s for w, s in pairs)
)
# hard-wrapped paragraphs: a long unfinished line, then an indented lowercase continuation
wrapped_text = st.lists(
    st.tuples(st.text("abc XYZ,", min_size=60, max_size=90), st.sampled_from(["\n", "\n   ", "\n\t"]), newsy_text),
    max_size=4,
).map(lambda parts: "".join(f"{line}{brk}the {rest}. " for line, brk, rest in parts))
any_text = st.one_of(st.text(max_size=400), newsy_text, wrapped_text)


def _squash(text: str) -> str:
    return " ".join(text.split())


@PROPERTY
@given(st.binary(max_size=600))
def test_decode_bytes_returns_text_or_input_error(data):
    try:
        text = decode_bytes(data)
    except InputError:
        return
    assert isinstance(text, str)


@PROPERTY
@given(any_text)
def test_paragraphs_are_located_in_their_source(text):
    _, paragraphs = parse_plain_text(text)
    for p in paragraphs:
        assert 0 <= p.offset < len(text)
        assert p.text.strip()
        # the kept text is the source from its offset on, up to whitespace (a trailing credit may be cut)
        assert _squash(text[p.offset :]).startswith(_squash(p.text))
        assert p.line == text.count("\n", 0, p.offset) + 1


@PROPERTY
@given(any_text)
def test_sentences_are_slices_of_their_source(text):
    _, paragraphs = parse_plain_text(text)
    article = Article(id="x", path="p.txt", paragraphs=paragraphs)
    previous_end = 0
    for sentence in segment_article(article):
        assert 0 <= sentence.start < sentence.end <= len(text)
        assert sentence.start >= previous_end  # in order, never overlapping
        previous_end = sentence.end
        assert _squash(sentence.text) == _squash(text[sentence.start : sentence.end])


@PROPERTY
@given(any_text)
def test_split_sentences_spans_are_ordered_slices(text):
    spans = split_sentences(text)
    assert all(0 <= start < end <= len(text) for start, end in spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
    covered = "".join(text[start:end] for start, end in spans)
    assert len(covered.split()) <= len(text.split())


@PROPERTY
@given(st.lists(st.text(max_size=40), min_size=1, max_size=4))
def test_claims_are_checkable_statements_or_input_error(texts):
    try:
        claims = claims_from_texts(texts)
    except InputError as exc:
        assert "empty or only punctuation" in str(exc)
        return
    assert all(any(ch.isalnum() for ch in c.text) for c in claims)


# --------------------------------------------------------------------------- fixed cases


def test_hard_wrapped_paragraph_keeps_exact_offsets():
    source = (
        "Menu\nThe council of the northern valley met on Tuesday and the mayor said that\n"
        "    the dam will open at 9 a.m. Officials agreed. The vote was 5 to 2.\n"
    )
    _, paragraphs = parse_plain_text(source)
    sentences = segment_article(Article(id="x", path="p.txt", paragraphs=paragraphs))
    assert [source[s.start : s.end] for s in sentences][-2:] == ["Officials agreed.", "The vote was 5 to 2."]


def test_huge_single_line_file_is_read_and_segmented_in_linear_time(tmp_path):
    sentence = "The Harlow dam released 412 cubic metres a second on Tuesday, officials said. "
    path = tmp_path / "one-line.txt"
    path.write_text(sentence * (5_000_000 // len(sentence)))  # 5 MB, no newline
    [article] = read_file(path)
    assert len(article.paragraphs) == 1 and len(article.text) > 4_900_000
    # pysbd alone takes ~40 s on 200 kB of one paragraph (quadratic); pieces keep it linear
    part = article.text[:250_000]
    spans = split_sentences(part)
    assert len(spans) == part.count(". ") + (not part.endswith(". "))
    assert all(part[start:end].startswith("The Harlow") for start, end in spans[1:-1])


def _skips(folder):
    skipped = []
    articles = list(iter_articles([folder], on_skip=lambda path, reason: skipped.append((path, reason))))
    return articles, dict(skipped)


@pytest.fixture
def messy_corpus(tmp_path):
    """Two good articles beside every kind of unusable file."""
    folder = tmp_path / "messy"
    folder.mkdir()
    shutil.copy(CORPUS / "01_valley_wire.txt", folder / "good.txt")
    shutil.copy(FIXTURES / "records.csv", folder / "good.csv")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "whitespace.md").write_text("   \n\n\t\n")
    (folder / "binary.txt").write_bytes((FIXTURES / "binary.bin").read_bytes())
    (folder / "control.txt").write_bytes(bytes(range(1, 32)) * 200)
    (folder / "no-sentences.txt").write_text("Menu\nHome\nShare\nAdvertisement\n© 2026 Nobody\n")
    (folder / "punctuation.txt").write_text("... !!! ???\n-- -- --\n")
    (folder / "script-only.html").write_text(
        "<html><head><style>p{color:red}</style><script>var a = 'The dam broke at 9 a.m.';</script></head>"
        "<body><script>alert(1)</script></body></html>"
    )
    (folder / "bad.json").write_text('{"title": "cut off", "text": "The dam')
    (folder / "list.json").write_text('[1, "two", null]')
    (folder / "wrong-types.jsonl").write_text(
        '{"text": 42}\n{"text": ["a", "list"]}\n{"title": "no text"}\n"a string"\n{"text": null}\nnot json\n'
    )
    (folder / "no-text-column.csv").write_text("title,source\nA,B\n")
    (folder / "missing-cells.csv").write_text("title,text\nonly a title\n")
    (folder / "broken-link.txt").symlink_to(folder / "does-not-exist.txt")
    loop = folder / "loop"
    loop.mkdir()
    (loop / "up").symlink_to(folder, target_is_directory=True)  # a directory link back to the corpus
    return folder


def test_unusable_files_are_skipped_with_reasons_and_the_rest_is_indexed(messy_corpus, hash_settings, caplog):
    articles, skipped = _skips(messy_corpus)
    paths = {a.path for a in articles}
    assert str(messy_corpus / "good.txt") in paths and sum(p.startswith(str(messy_corpus / "good.csv")) for p in paths) == 2
    assert len(articles) == 3  # nothing from the unusable files; the directory link did not read the corpus twice
    reasons = {os.path.basename(path).split("#")[0].split(":")[0]: reason for path, reason in skipped.items()}
    assert "binary" in reasons["binary.txt"] and "binary" in reasons["control.txt"]
    assert "broken symbolic link" in reasons["broken-link.txt"]
    assert "invalid JSON" in reasons["bad.json"]
    assert "no text column" in reasons["no-text-column.csv"]
    for name in ("empty.txt", "whitespace.md", "no-sentences.txt", "punctuation.txt", "script-only.html", "list.json"):
        assert reasons[name], name
    records = " ".join(reason for path, reason in skipped.items() if "wrong-types.jsonl" in path)
    assert "int, not a string" in records and "list, not a string" in records and "no text field" in records
    assert "invalid JSON" in records and "not a JSON object" in records

    stats = build_index([messy_corpus], index_dir=hash_settings.index.dir, settings=hash_settings)
    assert stats.articles_new == 3 and len(load_index(hash_settings.index.dir).articles) == 3
    assert len(stats.skipped) >= 15


def test_mixed_and_wrong_encodings(tmp_path):
    # a UTF-8 file with a paragraph pasted from a Windows-1252 one
    mixed = (
        "The mayor of Zürich said on Tuesday that 40 people were hurt.\n\n".encode()
        + "Café owners in the old town agreed.\n".encode("cp1252")
    )
    (tmp_path / "mixed.txt").write_bytes(mixed)
    (tmp_path / "utf16.txt").write_text("The dam at Harlow was opened on Tuesday by 12 engineers.", encoding="utf-16")
    (tmp_path / "cp1252.txt").write_bytes("The “new” levy of €12 – about £10 – was approved on Tuesday.".encode("cp1252"))
    (tmp_path / "cp1251.txt").write_bytes("Городской совет в среду одобрил новый налог на ремонт плотины.".encode("cp1251"))
    articles, skipped = _skips(tmp_path)
    texts = {os.path.basename(a.path): a.text for a in articles}
    assert "Zürich" in texts["mixed.txt"] and "Café owners" in texts["mixed.txt"]
    assert "12 engineers" in texts["utf16.txt"]
    assert "“new” levy of €12 – about £10" in texts["cp1252.txt"]
    assert "Городской совет" in texts["cp1251.txt"]
    assert not skipped


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a chmod 000 file")
def test_unreadable_file_is_skipped(tmp_path):
    shutil.copy(CORPUS / "01_valley_wire.txt", tmp_path / "good.txt")
    locked = tmp_path / "locked.txt"
    shutil.copy(CORPUS / "07_westbridge_tribune.txt", locked)
    locked.chmod(0)
    try:
        articles, skipped = _skips(tmp_path)
    finally:
        locked.chmod(0o644)
    assert len(articles) == 1 and "permission denied" in skipped[str(locked)]


def test_too_big_file_is_refused_without_reading_it(tmp_path, monkeypatch):
    import factcheck.ingest.decode as ingest

    monkeypatch.setattr(ingest, "MAX_FILE_BYTES", 1000)
    shutil.copy(CORPUS / "01_valley_wire.txt", tmp_path / "big.txt")
    with pytest.raises(InputError, match="larger than"):
        read_file(tmp_path / "big.txt")


def test_corpus_without_usable_sentences_is_refused(tmp_path, hash_settings):
    (tmp_path / "a.txt").write_text("Menu\nHome\n")
    (tmp_path / "b.csv").write_text("title,text\nx,\n")
    with pytest.raises(InputError, match="No usable articles"):
        build_index([tmp_path], index_dir=hash_settings.index.dir, settings=hash_settings)


@pytest.mark.parametrize("content", ["", "\n\n# only a comment\n", "...\n", '{"claim": "?!"}\n', '{"claim": 5}\n', "[1,2]\n"])
def test_empty_or_punctuation_claims_are_refused(tmp_path, content):
    path = tmp_path / ("claims.jsonl" if content.startswith(("{", "[")) else "claims.txt")
    path.write_text(content)
    with pytest.raises(InputError):
        claims_from_file(path)


@pytest.mark.parametrize("claim", ["", "   ", "?!", "…", "—-—", "«»"])
def test_claim_argument_that_is_only_punctuation_is_refused(claim):
    with pytest.raises(InputError, match="empty or only punctuation"):
        claims_from_texts([claim])


def test_jsonl_is_streamed_line_by_line_without_the_size_limit(tmp_path, monkeypatch):
    import factcheck.ingest.decode as ingest

    monkeypatch.setattr(ingest, "MAX_FILE_BYTES", 1000)  # a .jsonl file is never read whole
    record = {"title": "Dam", "source": "Valley Wire", "text": "The Harlow dam released 412 cubic metres a second on Tuesday."}
    lines = [json.dumps({**record, "text": record["text"].replace("412", str(n))}) for n in range(50)]
    lines[3] = "not json"
    lines[7] = json.dumps({**record, "text": "Caf\u00e9 owners in Harlow agreed on Tuesday."}, ensure_ascii=False)
    data = "\n".join(lines).encode("utf-8").replace("Caf\u00e9".encode(), "Caf\u00e9".encode("cp1252"))  # one legacy line
    (tmp_path / "big.jsonl").write_bytes(b"\xef\xbb\xbf" + data + b"\n")
    skipped = []
    articles = list(iter_articles([tmp_path], on_skip=lambda path, reason: skipped.append((path, reason))))
    assert len(articles) == 49 and skipped == [(f"{tmp_path / 'big.jsonl'}:4", "invalid JSON (Expecting value)")]
    assert any("Café owners" in a.text for a in articles)
