"""Split articles into sentences that keep their place in the source; mark check-worthy ones.

Pure functions: Article -> list[Sentence]. Sentence boundaries come from pysbd (rule-based, built
for abbreviations such as "U.S.", "Gen." and "Oct. 15, 2014"), with a few news-specific repairs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from .models import Article, Paragraph, Sentence
from .text import content_hash

_TERMINAL = re.compile(r"""[.!?…]["'”’)\]]*$""")
_WEEKDAY_START = re.compile(r"^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday)\b")
_TIME_END = re.compile(r"\b[ap]\.m\.$")
_NUMBER = re.compile(r"\d")
_PROPER = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+|\b[A-Z]{2,}\b")
MIN_CLAIM_WORDS = 6
# pysbd's time grows with the square of the text length (200 kB of prose in one paragraph: 40 s);
# longer text is cut at sentence ends into pieces of at most this size first, keeping it linear
MAX_PIECE_CHARS = 4000
_SENTENCE_END = re.compile(r"""[.!?…]["'”’)\]]*\s+""")


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of one paragraph, whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for piece_end, piece in _segments(text):
        stripped = piece.strip()
        if not stripped:
            continue
        start = text.find(stripped, cursor, piece_end)
        if start < 0:  # pysbd normalised something; fall back to the running cursor
            start = cursor
        end = min(start + len(stripped), len(text))
        if start >= end:
            continue
        stripped = text[start:end]
        cursor = end
        # a stray closing quote split off the sentence it closes belongs to that sentence
        lead = re.match(r"""^["”’']+(?:\s+|$)""", stripped)
        if spans and lead:
            quote_end = start + len(lead.group(0).rstrip())
            spans[-1] = (spans[-1][0], quote_end)
            start = start + len(lead.group(0))
            if start >= end:
                continue
            stripped = text[start:end]
        if spans and _should_join(text[spans[-1][0] : spans[-1][1]], stripped):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def _segments(text: str) -> Iterator[tuple[int, str]]:
    """pysbd's sentences, each with the end of the piece of `text` it came from."""
    start = 0
    while start < len(text):
        end = len(text)
        if end - start > MAX_PIECE_CHARS:
            low, high = start + MAX_PIECE_CHARS // 2, start + MAX_PIECE_CHARS
            cuts = [m.end() for m in _SENTENCE_END.finditer(text, low, high)]
            space = text.rfind(" ", low, high)
            end = cuts[-1] if cuts else space + 1 if space >= 0 else high
        for sentence in _segmenter().segment(text[start:end]):
            yield end, sentence
        start = end


def _should_join(previous: str, current: str) -> bool:
    """Repairs for splits pysbd makes inside news sentences ("at 10 a.m. Tuesday")."""
    if _TIME_END.search(previous) and (_WEEKDAY_START.match(current) or current[:1].islower()):
        return True
    # a news sentence almost never starts in lowercase: pysbd split inside one ("e.g. the")
    return current[:1].islower() and not previous.endswith(("...", "…"))


def is_checkworthy(text: str) -> bool:
    """A statement of fact worth checking: a full declarative sentence about entities, numbers or events."""
    words = text.split()
    if len(words) < MIN_CLAIM_WORDS or text.rstrip("\"”’' )").endswith("?"):
        return False
    if not _TERMINAL.search(text) and len(words) < 10:
        return False  # headline-like fragment
    return bool(_NUMBER.search(text) or _PROPER.search(text))


def segment_paragraph(paragraph: Paragraph) -> list[tuple[str, int, int, int]]:
    """(text, start, end, line) of each sentence, offsets in the article's source."""
    out = []
    for start, end in split_sentences(paragraph.text):
        text = paragraph.text[start:end]
        line = paragraph.line + paragraph.text.count("\n", 0, start)
        out.append((text, paragraph.offset + start, paragraph.offset + end, line))
    return out


def segment_article(article: Article) -> list[Sentence]:
    """All sentences of an article, in order."""
    sentences: list[Sentence] = []
    for paragraph in article.paragraphs:
        for text, start, end, line in segment_paragraph(paragraph):
            if not any(ch.isalnum() for ch in text):
                continue  # "...", "***": no statement to index or check
            text = re.sub(r"\s+", " ", text)
            ordinal = len(sentences)
            sentences.append(
                Sentence(
                    id=f"{article.id}:{ordinal}",
                    article_id=article.id,
                    ordinal=ordinal,
                    text=text,
                    start=start,
                    end=end,
                    line=line,
                    hash=content_hash(text),
                    checkworthy=is_checkworthy(text),
                )
            )
    return sentences
