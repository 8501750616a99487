"""The two jobs, as plain functions the CLI, tests and Python users call.

build_index: files -> articles -> sentences -> vectors (only for new text) -> index version.
verify_claims: claims -> evidence from other articles -> stance -> verdicts.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .aggregate import aggregate_verdict, combine_parts
from .claim_parts import claim_parts
from .config import Settings, search_settings
from .embed import load_embedder
from .errors import FactcheckError, InputError
from .builder import IndexBuilder
from .index import SentenceIndex, index_exists, open_version, writer_lock
from .ingest import iter_articles, read_file
from .models import Claim, Verdict
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


def embedder_options(settings: Settings) -> dict:
    """Options the configured embedder backend takes (the hashing embedder takes none)."""
    e = settings.embedder
    return {"batch_size": e.batch_size} if e.backend in ("sentence-transformers", "onnx") else {}


def _embedder(settings: Settings):
    return load_embedder(settings.embedder.backend, settings.embedder.model, **embedder_options(settings))


def build_index(
    paths: Sequence[str | Path],
    *,
    index_dir: str | Path,
    settings: Settings,
    fresh: bool = False,
    progress: Progress | None = None,
    on_skip: Callable[[str, str], None] | None = None,
    wait: bool = False,
    batch_sentences: int | None = None,
) -> BuildStats:
    """Add the articles under `paths` to the index at `index_dir`, embedding only new sentence texts.

    An article whose path was indexed before with other content replaces the old one. The new
    index version becomes live only once it is completely written. One build writes an index at a
    time: another one raises IndexLockedError, or with `wait` queues behind it.

    The build streams: articles are read, segmented, embedded and written `batch_sentences`
    sentences at a time (default `settings.index.build_batch`), so its memory does not grow with
    the corpus (see builder.py).
    """
    with writer_lock(index_dir, wait=wait):
        return _build_index_locked(
            paths, index_dir=index_dir, settings=settings, fresh=fresh, progress=progress, on_skip=on_skip,
            batch_sentences=batch_sentences or settings.index.build_batch,
        )


def _build_index_locked(paths, *, index_dir, settings, fresh, progress, on_skip, batch_sentences) -> BuildStats:
    progress = progress or Progress()
    stats = BuildStats(index_dir=str(index_dir))

    def skip(path: str, reason: str) -> None:
        stats.skipped.append((path, reason))
        (on_skip or (lambda p, r: log.warning("skipped %s: %s", p, r)))(path, reason)

    embedder = _embedder(settings)
    old = open_version(index_dir, embedder=embedder.name) if index_exists(index_dir) and not fresh else None
    builder = IndexBuilder(
        index_dir, old=old, embedder_name=embedder.name, dimension=embedder.dimension, stats=stats, on_skip=skip,
        embed=lambda texts: _embed_all(embedder, texts, None, settings.embedder.batch_size),
        batch_sentences=batch_sentences, search=search_settings(settings.index),
    )
    try:
        with progress.stage("Reading, segmenting and embedding articles") as advance:
            for article in iter_articles(paths, on_skip=skip):
                advance(1)
                stats.articles_total += 1
                if builder.is_new(article.id):
                    builder.add(article, segment_article(article))
        if stats.articles_total == 0:
            raise InputError("No usable articles found in " + ", ".join(map(str, paths)) + " (see the warnings above)")
        with progress.stage("Writing the index"):
            builder.finish(keep_versions=settings.index.keep_versions)
    except BaseException:
        builder.abort()
        raise
    return stats


def _embed_all(embedder, texts: list[str], progress: Progress | None, batch_size: int) -> np.ndarray:
    """Embed in length-sorted chunks (less padding), restoring the input order."""
    progress = progress or Progress()
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
    # a claim of several statements is checked whole and part by part (claim_parts.py)
    units: list[Claim] = list(claims)
    owner: list[int] = list(range(len(claims)))
    if settings.aggregate.split_claims:
        for i, claim in enumerate(claims):
            if claim.article_id is None:
                for k, part in enumerate(claim_parts(claim.text), start=1):
                    units.append(Claim(id=f"{claim.id}.{k}", text=part, source=claim.source, date=claim.date,
                                       location=claim.location))
                    owner.append(i)
    vectors = _claim_vectors(units, index, embedder, progress, settings.embedder.batch_size)
    with progress.stage("Retrieving evidence", total=len(units)) as advance:
        evidence = retrieve_evidence(units, vectors, index, settings=settings.retrieve, as_of=as_of)
        advance(len(units))
    model = load_stance_model(settings.stance.backend, settings.stance.model)
    pairs = [(unit.text, e.context or e.sentence) for unit, items in zip(units, evidence) for e in items]
    results = []
    with progress.stage("Judging stance", total=len(pairs)) as advance:
        batch = max(1, settings.stance.batch_size * 8)
        for start in range(0, len(pairs), batch):
            results.extend(classify_stance(model, pairs[start : start + batch]))
            advance(min(batch, len(pairs) - start))
    position = 0
    whole: list[Verdict] = []
    parts: list[list[Verdict]] = [[] for _ in claims]
    for n, (unit, items) in enumerate(zip(units, evidence)):
        for e in items:
            result = results[position]
            position += 1
            e.stance, e.score, e.conflict_type = result.label, round(result.score, 4), result.conflict_type
            e.probabilities = {k: round(v, 4) for k, v in result.probabilities.items()}
            if n >= len(claims):
                e.part = unit.text
        verdict = aggregate_verdict(unit, items, settings=settings.aggregate)
        if n < len(claims):
            whole.append(verdict)
        else:
            parts[owner[n]].append(verdict)
    return [combine_parts(w, p) for w, p in zip(whole, parts)]


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
