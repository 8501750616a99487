"""Benchmark corpora written as article files outside the repository (real FNC-1 news bodies).

Each corpus is a folder of .txt articles in the header format `factcheck` ingests
(Title/Source/Date lines, blank line, body), under CACHE/corpora/<name>.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from . import realdata

COMPETITION_TEST = ("competition_test_bodies.csv",)  # the FNC-1 competition test bodies only


def fnc_articles(count: int, *, skip: int = 0, files: tuple[str, ...] = realdata.FNC_FILES) -> list[tuple[str, str]]:
    """(body id, body) for `count` FNC-1 bodies of at least 3 paragraphs, in file order."""
    articles = []
    for body_id, body in realdata.iter_fnc_bodies(files):
        paragraphs = [p for p in body.split("\n") if p.strip()]
        if len(paragraphs) < 3:
            continue
        if skip:
            skip -= 1
            continue
        articles.append((body_id, "\n\n".join(p.strip() for p in paragraphs)))
        if len(articles) == count:
            break
    return articles


def _article_file(number: int, body: str, *, source: str) -> str:
    return f"Title: Benchmark article {number}\nSource: {source}\nDate: 2017-01-01\n\n{body}\n"


def write_corpus(name: str, articles: list[tuple[str, str]], *, syndicated: list[tuple[str, str]] = ()) -> Path:
    """Write `articles` (and syndicated copies of some of them) as files; returns the folder.

    A syndicated copy is the body under another outlet's header with a credit line on top, as
    wire copies run ("From FNC Wire reports."): its sentences are repeats (same content hash),
    but it is a different article, as in the example corpus's 07_westbridge_tribune.txt. (An
    exact copy of a body is the same article to factcheck: its id is the hash of the body.)
    """
    folder = realdata.CACHE / "corpora" / name
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for number, (_, body) in enumerate(articles):
        (folder / f"a{number:05d}.txt").write_text(_article_file(number, body, source="FNC Wire"), encoding="utf-8")
    for number, (_, body) in enumerate(syndicated):
        (folder / f"copy{number:05d}.txt").write_text(
            _article_file(number, f"From FNC Wire reports.\n\n{body}", source=f"Syndicating Outlet {number % 7}"),
            encoding="utf-8",
        )
    return folder


def repeat_share(articles: list[tuple[str, str]], copies: int) -> float:
    """Approximate share of sentences that are repeats when the first `copies` are duplicated."""
    sizes = [len(realdata.split_sentences(body)) for _, body in articles]
    repeated = sum(sizes[:copies])
    return repeated / (sum(sizes) + repeated)


def copies_for_share(articles: list[tuple[str, str]], share: float) -> int:
    """How many of `articles` to duplicate so that about `share` of all sentences are repeats."""
    for copies in range(len(articles) + 1):
        if repeat_share(articles, copies) >= share:
            return copies
    return len(articles)


def cut_to_share(article: tuple[str, str], corpus: list[tuple[str, str]], share: float) -> tuple[str, str]:
    """`article` cut, at a paragraph or sentence end, to about `share` of `corpus`'s characters
    (at least one sentence): the new text of an incremental build."""
    body_id, body = article
    budget = share * sum(len(text) for _, text in corpus)
    kept: list[str] = []
    for paragraph in body.split("\n\n"):
        sentences = realdata.split_sentences(paragraph) or [paragraph]
        for sentence in sentences:
            if kept and sum(len(k) + 1 for k in kept) + len(sentence) > budget:
                return body_id, "\n\n".join(kept)
            kept.append(sentence)
    return body_id, "\n\n".join(kept)
