"""Retrieve evidence for claims: nearest sentences from *other* articles, syndicated copies grouped."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np

from .config import RetrieveSettings
from .index.store import SentenceIndex
from .models import Claim, Evidence
from .text.alignment import find_conflict, overlap
from .text.context import full_names, in_context


def source_location(path: str, line: int) -> str:
    """`file.txt:12`; a record of a multi-record file is located by its line in that file."""
    return f"{path.split('#', 1)[0]}:{line}"


class _Lookup:
    """Per-index tables: which sentences share each vector, article metadata, and the sentence
    rows retrieval has read. Rows are read by number (`fetch`) as searches return them, never the
    whole sentence table, so a verify's memory does not grow with the index."""

    COLUMNS = ("text", "sentence_id", "article_id", "line", "ordinal")

    def __init__(self, index: SentenceIndex) -> None:
        self.index = index
        self._rows: dict[int, tuple] = {}  # sentence row -> its COLUMNS, as read
        self.text = _Column(self, 0)
        self.sentence_id = _Column(self, 1)
        self.article_id = _Column(self, 2)
        self.line = _Column(self, 3)
        self.ordinal = _Column(self, 4)
        self.by_vector = _Members(index)
        self._bm25 = None  # built on first use (bm25)
        self._article_rows: dict[str, tuple[list[str], dict[int, int], dict[str, str]]] = {}
        self.articles = index.article_table()

    def fetch(self, rows) -> None:
        """Read these sentence rows (those not read yet) in one pass over the row groups holding them."""
        missing = sorted({int(r) for r in rows} - self._rows.keys())
        if missing:
            values = self.index.sentence_rows(missing, self.COLUMNS)
            for n, row in enumerate(missing):
                self._rows[row] = tuple(values[name][n] for name in self.COLUMNS)

    def fetch_vectors(self, vector_rows) -> None:
        """Read the sentence rows of these vector rows."""
        self.fetch(m for v in vector_rows if v >= 0 for m in self.by_vector[int(v)])

    def row(self, row: int) -> tuple:
        row = int(row)
        if row not in self._rows:
            self.fetch([row])
        return self._rows[row]

    def bm25(self):
        """A BM25 index over the unique sentence texts (one per vector row), built on first use."""
        if self._bm25 is None:
            import bm25s

            texts = self.index_texts()
            retriever = bm25s.BM25()
            retriever.index(_bm25_tokens(texts), show_progress=False)
            self._bm25 = retriever
        return self._bm25

    def index_texts(self) -> list[str]:
        """The text of each vector row (its first sentence's), read a batch of the table at a time."""
        index = self.index
        vector_of_row = np.full(index.sentence_count, -1, dtype=np.int64)
        offsets = np.asarray(index.offsets)
        used = np.flatnonzero(offsets[1:] > offsets[:-1])  # every vector has a sentence; be safe
        vector_of_row[np.asarray(index.members)[offsets[used]]] = used
        texts = [""] * len(index.vectors)
        row = 0
        for batch in index.iter_sentences(["text"]):
            for text, vector in zip(batch.column(0).to_pylist(), vector_of_row[row : row + batch.num_rows]):
                if vector >= 0:
                    texts[vector] = text
            row += batch.num_rows
        return texts

    def forget_rows(self) -> None:
        """Drop the sentence rows read so far: a run over many claims holds one batch's rows."""
        self._rows.clear()
        self._article_rows.clear()

    def context(self, row: int) -> str:
        """Sentence `row` as the stance step reads it: names in full, and the previous sentence
        when this one opens on a pronoun (`context.in_context`)."""
        article = str(self.article_id[row])
        if article not in self._article_rows:
            start = int(self.articles[article]["first_row"])
            span = range(start, start + int(self.articles[article]["n_sentences"]))
            self.fetch(span)
            rows = sorted(span, key=lambda r: int(self.ordinal[r]))
            texts = [str(self.text[r]) for r in rows]
            self._article_rows[article] = (texts, {r: i for i, r in enumerate(rows)}, full_names(texts))
        texts, position, names = self._article_rows[article]
        return in_context(texts, position[int(row)], names)


class _Column:
    """One column of the sentence rows read so far: `lookup.text[row]`."""

    def __init__(self, lookup: _Lookup, position: int) -> None:
        self.lookup, self.position = lookup, position

    def __getitem__(self, row: int):
        return self.lookup.row(row)[self.position]


class _Members:
    """`by_vector[v]`: the sentence rows sharing vector row v, lowest first (mapped, not loaded)."""

    def __init__(self, index: SentenceIndex) -> None:
        self.index = index

    def __getitem__(self, row: int) -> np.ndarray:
        return self.index.vector_members(row)

    def __len__(self) -> int:
        return len(self.index.vectors)


class _Vectors:
    """The vectors of the rows a retrieval compares, read once (`index.vector_rows`), by row."""

    def __init__(self, index: SentenceIndex, rows) -> None:
        unique = sorted({int(r) for r in rows if r >= 0})
        self.position = {row: n for n, row in enumerate(unique)}
        self.block = index.vector_rows(unique)

    def __getitem__(self, rows):
        if isinstance(rows, list | np.ndarray):
            return self.block[[self.position[int(r)] for r in rows]]
        return self.block[self.position[int(rows)]]


def _lookup(index: SentenceIndex) -> _Lookup:
    cached = getattr(index, "_lookup", None)
    if cached is None:
        cached = _Lookup(index)
        index._lookup = cached  # type: ignore[attr-defined]
    return cached


def published_by(date: str | None, as_of: str | None) -> bool:
    """Whether an article dated `date` (YYYY-MM-DD or None) counts as evidence on `as_of`.

    Without `as_of` everything counts; with it, an unknown date does not.
    """
    if as_of is None:
        return True
    return bool(date) and str(date)[:10] <= as_of


def retrieve_evidence(
    claims: Sequence[Claim],
    claim_vectors: np.ndarray,
    index: SentenceIndex,
    *,
    settings: RetrieveSettings,
    as_of: str | None = None,
) -> list[list[Evidence]]:
    """Top-k evidence groups per claim, most relevant first, never from the claim's own article.

    Relevance is the cosine of the embeddings plus `lexical_weight` times the share of the
    claim's content words the sentence restates: dense similarity alone ranks a sentence that
    merely shares the topic above a long one that states the claim among other news ("In a
    statement carried by the state Korean Central News Agency Kim Yo Jong, ...").

    Sentences with the same text (one vector) or near-identical vectors are one group: the first
    is the evidence, the others are listed as its syndicated copies and not counted again.
    With `as_of` (YYYY-MM-DD) only articles published on or before that date are evidence.
    """
    if not len(claims):
        return []
    lookup = _lookup(index)
    lookup.forget_rows()
    excluded = {a for a, row in lookup.articles.items() if not published_by(row.get("date"), as_of)}
    scores, rows = index.search(claim_vectors, settings.candidates)
    lexical = _lexical_candidates(claims, index, lookup, settings)
    candidates = [*rows.ravel(), *(r for found in lexical or [] for r in found)]
    lookup.fetch_vectors(candidates)
    vectors = _Vectors(index, candidates)
    results = []
    for n, (claim, claim_scores, claim_rows) in enumerate(zip(claims, scores, rows)):
        groups: list[tuple[float, list[int], list[int]]] = []  # (similarity, vector rows, sentence rows)
        dense = {int(r) for r in claim_rows}
        extra = [r for r in lexical[n] if r not in dense] if lexical else []
        lexical_only = set(extra)
        extra_scores = vectors[extra] @ claim_vectors[n] if extra else []
        for score, row in [*zip(claim_scores, claim_rows), *zip(extra_scores, extra)]:
            if row < 0:
                continue
            if score < settings.min_similarity and not (
                row in lexical_only
                and overlap(claim.text, str(lookup.text[lookup.by_vector[row][0]])) >= settings.lexical_min_overlap
            ):
                continue
            members = [
                m
                for m in lookup.by_vector[row]
                if lookup.article_id[m] != claim.article_id and lookup.article_id[m] not in excluded
            ]
            if not members:
                continue
            group = _find_group(groups, row, vectors, settings.duplicate_similarity, lookup)
            if group is None:
                groups.append((float(score), [row], list(members)))
            else:
                group[1].append(row)
                group[2].extend(members)
        coverage = [overlap(claim.text, str(lookup.text[members[0]])) for _, _, members in groups]
        order = sorted(range(len(groups)), key=lambda g: -(groups[g][0] + settings.lexical_weight * coverage[g]))
        results.append([_evidence(groups[g][0], groups[g][2], lookup, coverage=coverage[g]) for g in order[: settings.top_k]])
    return results


def _lexical_candidates(
    claims: Sequence[Claim], index: SentenceIndex, lookup: _Lookup, settings: RetrieveSettings
) -> list[list[int]] | None:
    """BM25 matches (vector rows) per claim, or None when lexical retrieval is off or the index
    is too large for it. BM25 finds a sentence that states the claim among other news ("These
    included closing two mines, freezing fees and banning night flights") which embeds too far
    from the claim for the dense search to return it."""
    n_rows = len(lookup.by_vector)
    if not settings.lexical_candidates or not n_rows or n_rows > settings.lexical_max_sentences:
        return None
    retriever = lookup.bm25()
    k = min(settings.lexical_candidates, n_rows)
    found, scores = retriever.retrieve(_bm25_tokens([c.text for c in claims]), k=k, show_progress=False, n_threads=1)
    return [[int(r) for r, s in zip(rows, row_scores) if s > 0] for rows, row_scores in zip(found, scores)]


def _bm25_tokens(texts: list[str]):
    import bm25s

    # bm25s sets its own logger to DEBUG on import, which would print past the CLI's log level
    logging.getLogger("bm25s").setLevel(logging.WARNING)

    try:
        import Stemmer

        stemmer = Stemmer.Stemmer("english")
    except ImportError:  # PyStemmer is optional: without it "banned" does not match "banning"
        stemmer = None
    return bm25s.tokenize(texts, stopwords="en", stemmer=stemmer, show_progress=False)


def _find_group(groups, row: int, vectors: _Vectors, threshold: float, lookup: _Lookup):
    """The group whose text this row nearly repeats; a changed number or name is not a copy."""
    for group in groups:
        if float(vectors[group[1][0]] @ vectors[row]) >= threshold:
            first = lookup.text[lookup.by_vector[group[1][0]][0]]
            if find_conflict(str(first), str(lookup.text[lookup.by_vector[row][0]])) is None:
                return group
    return None


def _evidence(similarity: float, members: list[int], lookup: _Lookup, *, coverage: float) -> Evidence:
    # one sentence per article: an article repeating itself is not a second copy
    seen, unique = set(), []
    for m in members:
        if lookup.article_id[m] not in seen:
            seen.add(lookup.article_id[m])
            unique.append(m)
    unique.sort(key=lambda m: (lookup.articles[lookup.article_id[m]].get("date") or "9999", m))
    first = unique[0]
    article = lookup.articles[lookup.article_id[first]]
    return Evidence(
        sentence=str(lookup.text[first]),
        sentence_id=str(lookup.sentence_id[first]),
        article=str(lookup.article_id[first]),
        title=article.get("title"),
        source=article.get("source"),
        date=article.get("date"),
        location=source_location(article["path"], int(lookup.line[first])),
        similarity=round(similarity, 4),
        coverage=round(coverage, 4),
        context=lookup.context(first),
        duplicates=[
            f"{lookup.articles[lookup.article_id[m]].get('source') or lookup.articles[lookup.article_id[m]]['path']}"
            f" ({source_location(lookup.articles[lookup.article_id[m]]['path'], int(lookup.line[m]))})"
            for m in unique[1:]
        ],
    )
