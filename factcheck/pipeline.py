"""The two jobs, as plain functions the CLI, tests and Python users call.

build_index: files -> articles -> sentences -> vectors (only for new text) -> index version.
verify_claims: claims -> evidence from other articles -> stance -> verdicts.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .aggregate import aggregate_verdict
from .config import Settings
from .embed import load_embedder
from .errors import FactcheckError, InputError
from .index import SENTENCE_COLUMNS, SentenceIndex, empty_tables, index_exists, load_index, write_index, writer_lock
from .ingest import iter_articles, read_file
from .models import Article, Claim, Verdict
from .retrieve import published_by, retrieve_evidence, source_location
from .segment import segment_article
from .stance import classify_stance, load_stance_model

log = logging.getLogger(__name__)


class Progress:
    """What long work reports; the CLI draws bars, the library default says nothing."""

    def stage(self, description: str, total: int | None = None):
        return nullcontext(lambda n=1: None)


@dataclass
class BuildStats:
    index_dir: str
    articles_total: int = 0
    articles_new: int = 0
    articles_replaced: int = 0
    sentences_total: int = 0
    sentences_new: int = 0
    embedded: int = 0  # unique texts that had no vector yet
    skipped: list[tuple[str, str]] = field(default_factory=list)


def _embedder(settings: Settings):
    e = settings.embedder
    options = {"batch_size": e.batch_size} if e.backend == "sentence-transformers" else {}
    return load_embedder(e.backend, e.model, **options)


def build_index(
    paths: Sequence[str | Path],
    *,
    index_dir: str | Path,
    settings: Settings,
    fresh: bool = False,
    progress: Progress | None = None,
    on_skip: Callable[[str, str], None] | None = None,
    wait: bool = False,
) -> BuildStats:
    """Add the articles under `paths` to the index at `index_dir`, embedding only new sentence texts.

    An article whose path was indexed before with other content replaces the old one. The new
    index version becomes live only once it is completely written. One build writes an index at a
    time: another one raises IndexLockedError, or with `wait` queues behind it.
    """
    with writer_lock(index_dir, wait=wait):
        return _build_index_locked(paths, index_dir=index_dir, settings=settings, fresh=fresh, progress=progress, on_skip=on_skip)


def _build_index_locked(paths, *, index_dir, settings, fresh, progress, on_skip) -> BuildStats:
    progress = progress or Progress()
    stats = BuildStats(index_dir=str(index_dir))

    def skip(path: str, reason: str) -> None:
        stats.skipped.append((path, reason))
        (on_skip or (lambda p, r: log.warning("skipped %s: %s", p, r)))(path, reason)

    embedder = _embedder(settings)
    old: SentenceIndex | None = None
    if index_exists(index_dir) and not fresh:
        old = load_index(index_dir, embedder=embedder.name)
    old_articles, old_sentences = (old.articles, old.sentences) if old else empty_tables()
    old_vectors = old.vectors if old else np.zeros((0, embedder.dimension), dtype=np.float32)

    known_ids = set(old_articles["article_id"])
    new_ids: set[str] = set()
    replaced_paths: set[str] = set()
    article_rows: list[dict] = []
    # one list per column, filled as each article is read: its text is not kept once segmented
    columns: dict[str, list] = {name: [] for name in SENTENCE_COLUMNS if name != "vector_row"}
    with progress.stage("Reading and segmenting articles") as advance:
        for article in iter_articles(paths, on_skip=skip):
            advance(1)
            stats.articles_total += 1
            if article.id in known_ids or article.id in new_ids:
                continue
            new_ids.add(article.id)
            replaced_paths.add(article.path)
            sentences = segment_article(article)
            if not sentences:
                skip(article.path, "no sentences")
                continue
            article_rows.append({
                "article_id": article.id, "path": article.path, "title": article.title, "source": article.source,
                "date": article.date, "url": article.url, "n_sentences": len(sentences),
            })
            for s in sentences:  # same order as SENTENCE_COLUMNS
                row = (s.id, s.article_id, s.ordinal, s.text, s.start, s.end, s.line, s.hash, s.checkworthy)
                for column, value in zip(columns.values(), row):
                    column.append(value)
    if stats.articles_total == 0:
        raise InputError("No usable articles found in " + ", ".join(map(str, paths)) + " (see the warnings above)")

    # an edited file replaces its previous version
    stale = old_articles["path"].isin(replaced_paths) & ~old_articles["article_id"].isin(new_ids)
    stale_ids = set(old_articles.loc[stale, "article_id"])
    stats.articles_replaced = len(stale_ids)
    kept_articles = old_articles[~old_articles["article_id"].isin(stale_ids)]
    kept_sentences = old_sentences[~old_sentences["article_id"].isin(stale_ids)]
    stats.articles_new = len(article_rows)
    stats.sentences_new = len(columns["hash"])

    # vectors: reuse any vector the old index has for a text (even from a replaced article),
    # embed only texts never seen before (content hash), and drop vectors no sentence uses
    old_rows = dict(zip(old_sentences["hash"], old_sentences["vector_row"])) if len(old_sentences) else {}
    live_hashes = list(dict.fromkeys([*kept_sentences["hash"], *columns["hash"]]))
    text_of = dict(zip(columns["hash"], columns["text"]))
    to_embed = [h for h in live_hashes if h not in old_rows]
    new_vectors = _embed_all(embedder, [text_of[h] for h in to_embed], progress, settings.embedder.batch_size)
    del text_of
    reused = [h for h in live_hashes if h in old_rows]
    if reused:
        reused_rows = np.fromiter((old_rows[h] for h in reused), dtype=np.int64, count=len(reused))
        vectors = np.vstack([old_vectors[reused_rows], new_vectors])
    else:
        vectors = new_vectors  # nothing reused: no second copy of every vector
    hash_to_row = {h: i for i, h in enumerate([*reused, *to_embed])}
    stats.embedded = len(to_embed)
    del live_hashes, to_embed, reused, new_vectors, old_rows  # free them before the tables are built

    new_sentences = pd.DataFrame(columns, columns=[c for c in kept_sentences.columns if c != "vector_row"])
    del columns
    if len(kept_sentences):
        sentences = pd.concat([kept_sentences.drop(columns=["vector_row"]), new_sentences], ignore_index=True)
    else:
        sentences = new_sentences  # a fresh build: no copy of every sentence
    sentences["vector_row"] = sentences["hash"].map(hash_to_row).astype("int64")
    articles = pd.concat([kept_articles, pd.DataFrame(article_rows, columns=kept_articles.columns)], ignore_index=True)
    if not len(sentences):
        raise InputError("The articles contain no sentences to index")
    stats.sentences_total = len(sentences)
    if old is not None and not article_rows and not stale_ids:
        return stats  # nothing changed: keep the live version as it is
    write_index(
        index_dir, articles=articles, sentences=sentences, vectors=vectors,
        embedder_name=embedder.name, dimension=embedder.dimension, keep_versions=settings.index.keep_versions,
    )
    return stats


def _embed_all(embedder, texts: list[str], progress: Progress, batch_size: int) -> np.ndarray:
    """Embed in length-sorted chunks (less padding), restoring the input order."""
    if not texts:
        return np.zeros((0, embedder.dimension), dtype=np.float32)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    out = np.zeros((len(texts), embedder.dimension), dtype=np.float32)
    chunk = max(batch_size * 4, 64)
    with progress.stage("Embedding sentences", total=len(texts)) as advance:
        for start in range(0, len(order), chunk):
            ids = order[start : start + chunk]
            out[ids] = embedder.embed_batch([texts[i] for i in ids])
            advance(len(ids))
    return out


# --------------------------------------------------------------------------- claims

_ONLY_PUNCT = re.compile(r"^[\W_]*$")


def claims_from_texts(texts: Iterable[str], *, prefix: str = "c") -> list[Claim]:
    claims = []
    for n, text in enumerate(texts, start=1):
        text = " ".join(str(text).split())
        if not text or _ONLY_PUNCT.match(text):
            raise InputError(f"Claim {n} is empty or only punctuation; give a statement to check")
        claims.append(Claim(id=f"{prefix}{n}", text=text))
    return claims


def claims_from_file(path: str | Path) -> list[Claim]:
    """`.txt`: one claim per line (blank lines and # comments ignored); `.jsonl`: a `claim` field, optional `id`."""
    import json

    path = Path(path)
    if not path.is_file():
        raise InputError(f"Claims file not found: {path}")
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix.lower() in (".jsonl", ".json"):
        claims = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{number}: invalid JSON ({exc.msg})") from exc
            claim = record.get("claim") if isinstance(record, dict) else None
            if not isinstance(claim, str) or not claim.strip() or _ONLY_PUNCT.match(claim):
                raise InputError(f"{path}:{number}: needs a non-empty string field 'claim'")
            claims.append(Claim(id=str(record.get("id") or f"c{len(claims) + 1}"), text=" ".join(claim.split())))
    else:
        lines = [line.strip() for line in text.splitlines()]
        claims = claims_from_texts([line for line in lines if line and not line.startswith("#")])
    if not claims:
        raise InputError(f"No claims in {path}")
    return claims


def claims_from_article(path: str | Path) -> list[Claim]:
    """Every check-worthy sentence of one article file, as claims excluded from their own article."""
    articles = read_file(Path(path)) if Path(path).is_file() else None
    if articles is None:
        raise InputError(f"Article not found: {path}")
    claims = []
    for article in articles:
        for s in segment_article(article):
            if s.checkworthy:
                claims.append(Claim(
                    id=s.id, text=s.text, article_id=article.id, source=article.source, date=article.date,
                    location=source_location(article.path, s.line),
                ))
    if not claims:
        raise InputError(f"No check-worthy sentences in {path}")
    return claims


def claims_from_index(index: SentenceIndex, *, as_of: str | None = None) -> list[Claim]:
    """Every check-worthy sentence of every indexed article (the cross-reference run).

    With `as_of` (YYYY-MM-DD), only articles published on or before it; undated ones are left out.
    """
    articles = index.article_table()
    s = index.sentences[index.sentences["checkworthy"]]
    s = s[[published_by(articles[a].get("date"), as_of) for a in s["article_id"]]]
    return [
        Claim(
            id=row.sentence_id, text=row.text, article_id=row.article_id,
            source=articles[row.article_id].get("source"), date=articles[row.article_id].get("date"),
            location=source_location(articles[row.article_id]["path"], int(row.line)),
        )
        for row in s.itertuples(index=False)
    ]


# --------------------------------------------------------------------------- verify


def verify_claims(
    claims: Sequence[Claim],
    *,
    index: SentenceIndex,
    settings: Settings,
    progress: Progress | None = None,
    as_of: str | None = None,
) -> list[Verdict]:
    """Retrieve evidence for each claim, judge its stance, aggregate a verdict.

    `as_of` (YYYY-MM-DD): only articles published on or before that date count as evidence;
    articles with an unknown date do not count.
    """
    progress = progress or Progress()
    if not claims:
        raise InputError("No claims to check: give claims, --claims-file, --article or --all")
    embedder = _embedder(settings)
    if embedder.name != index.embedder:
        raise FactcheckError(
            f"Index was built with '{index.embedder}' but settings use '{embedder.name}'; use the same embedder"
        )
    vectors = _claim_vectors(claims, index, embedder, progress, settings.embedder.batch_size)
    with progress.stage("Retrieving evidence", total=len(claims)) as advance:
        evidence = retrieve_evidence(claims, vectors, index, settings=settings.retrieve, as_of=as_of)
        advance(len(claims))
    model = load_stance_model(settings.stance.backend, settings.stance.model)
    pairs = [(claim.text, e.sentence) for claim, items in zip(claims, evidence) for e in items]
    results = []
    with progress.stage("Judging stance", total=len(pairs)) as advance:
        batch = max(1, settings.stance.batch_size * 8)
        for start in range(0, len(pairs), batch):
            results.extend(classify_stance(model, pairs[start : start + batch]))
            advance(min(batch, len(pairs) - start))
    position = 0
    verdicts = []
    for claim, items in zip(claims, evidence):
        for e in items:
            result = results[position]
            position += 1
            e.stance, e.score, e.conflict_type = result.label, round(result.score, 4), result.conflict_type
            e.probabilities = {k: round(v, 4) for k, v in result.probabilities.items()}
        verdicts.append(aggregate_verdict(claim, items, settings=settings.aggregate))
    return verdicts


def _claim_vectors(claims, index: SentenceIndex, embedder, progress: Progress, batch_size: int) -> np.ndarray:
    """Reuse the index's vectors for indexed sentences; embed only free-text claims."""
    known = dict(zip(index.sentences["sentence_id"], index.sentences["vector_row"]))
    vectors = np.zeros((len(claims), index.vectors.shape[1] if len(index.vectors) else embedder.dimension), dtype=np.float32)
    missing = []
    for i, claim in enumerate(claims):
        row = known.get(claim.id)
        if row is not None and claim.article_id is not None:
            vectors[i] = index.vectors[row]
        else:
            missing.append(i)
    if missing:
        vectors[missing] = _embed_all(embedder, [claims[i].text for i in missing], progress, batch_size)
    return vectors
