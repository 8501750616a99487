"""The two jobs, as plain functions the CLI, tests and Python users call.

build_index: files -> articles -> sentences -> vectors (only for new text) -> index version.
verify_claims: claims -> evidence from other articles -> stance -> verdicts.
verify: what `factcheck verify` does: gather the claims, verify them, cross-reference and
    render the report; returns a `VerifyReport` that the CLI only prints and writes.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .aggregate import aggregate_verdict, combine_parts
from .config import Settings
from .crossref import CrossReference
from .embed import embed_cached, embed_in_length_order, load_configured_embedder, same_vectors
from .engines import make_engine, run_build
from .errors import FactcheckError, InputError
from .index.builder import BuildStats
from .index.store import SentenceIndex
from .ingest import read_file
from .models import Claim, Evidence, Verdict
from .progress import Progress
from .retrieve import published_by, retrieve_evidence, source_location
from .segment import segment_article
from .stance import StanceModel, classify_stance, load_stance_model
from .text.claim_parts import claim_parts

log = logging.getLogger(__name__)


def _embedder(settings: Settings):
    return load_configured_embedder(settings.embedder)


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
    engine: str = "local",
    ray_address: str | None = None,
) -> BuildStats:
    """Add the articles under `paths` to the index at `index_dir`, embedding only new sentence texts.

    An article whose path was indexed before with other content replaces the old one. The new
    index version becomes live only once it is completely written. One build writes an index at a
    time: another one raises IndexLockedError, or with `wait` queues behind it.

    The build streams: articles are read, segmented, embedded and written `batch_sentences`
    sentences at a time (default `settings.index.build_batch`), so its memory does not grow with
    the corpus (see index/builder.py). `engine` says where: "local" (this process) or "ray"
    (a Ray cluster at `ray_address`, or a local Ray instance); the build loop is the same.
    """
    return run_build(
        make_engine(engine, settings, address=ray_address),
        paths,
        index_dir=index_dir,
        settings=settings,
        fresh=fresh,
        progress=progress,
        on_skip=on_skip,
        wait=wait,
        batch_sentences=batch_sentences,
    )


def _embed_all(embedder, texts: list[str], progress: Progress | None, batch_size: int) -> np.ndarray:
    """Embed in length-sorted chunks (less padding), restoring the input order."""
    progress = progress or Progress()
    with progress.stage("Embedding sentences", total=len(texts)) as advance:
        return embed_in_length_order(
            embedder.embed_batch,
            texts,
            dimension=embedder.dimension,
            chunk=max(batch_size * 4, 64),
            advance=advance,
        )


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
        claims: list[Claim] = []
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
                claims.append(
                    Claim(
                        id=s.id,
                        text=s.text,
                        article_id=article.id,
                        source=article.source,
                        date=article.date,
                        location=source_location(article.path, s.line),
                    )
                )
    if not claims:
        raise InputError(f"No check-worthy sentences in {path}")
    return claims


def claims_from_index(index: SentenceIndex, *, as_of: str | None = None) -> list[Claim]:
    """Every check-worthy sentence of every indexed article (the cross-reference run).

    With `as_of` (YYYY-MM-DD), only articles published on or before it; undated ones are left out.
    The sentence table is read a batch at a time; only the claims are kept.
    """
    articles = index.article_table()
    claims = []
    columns = ["sentence_id", "article_id", "text", "line", "checkworthy"]
    for batch in index.iter_sentences(columns):
        values = {name: batch.column(name).to_pylist() for name in columns}
        for sentence_id, article_id, text, line, checkworthy in zip(*values.values()):
            article = articles[article_id]
            if checkworthy and published_by(article.get("date"), as_of):
                claims.append(
                    Claim(
                        id=sentence_id,
                        text=text,
                        article_id=article_id,
                        source=article.get("source"),
                        date=article.get("date"),
                        location=source_location(article["path"], int(line)),
                    )
                )
    return claims


# --------------------------------------------------------------------------- verify


CLAIMS_PER_BATCH = 256  # claims checked at a time, here or on a Ray actor: the same batches either way


def verify_claims(
    claims: Sequence[Claim],
    *,
    index: SentenceIndex,
    settings: Settings,
    progress: Progress | None = None,
    as_of: str | None = None,
    engine: str = "local",
    ray_address: str | None = None,
) -> list[Verdict]:
    """Retrieve evidence for each claim, judge its stance, aggregate a verdict.

    `as_of` (YYYY-MM-DD): only articles published on or before that date count as evidence;
    articles with an unknown date do not count. The claims are checked `CLAIMS_PER_BATCH` at a
    time by `ClaimChecker`: in this process (`engine` "local") or spread over Ray actors ("ray",
    a cluster at `ray_address` or a local Ray instance), each holding the index and the stance
    model. The batches are the same either way, and so is the result.
    """
    progress = progress or Progress()
    if not claims:
        raise InputError("No claims to check: give claims, --claims-file, --article or --all")
    runner = make_engine(engine, settings, address=ray_address)  # an engine that can't start fails here, first
    embedder = _embedder(settings)
    if not same_vectors(index.embedder, embedder.name):
        raise FactcheckError(f"Index was built with '{index.embedder}' but settings use '{embedder.name}'; use the same embedder")
    # a claim of several statements is checked whole and part by part (claim_parts.py)
    units: list[Claim] = list(claims)
    owner: list[int] = list(range(len(claims)))
    if settings.aggregate.split_claims:
        for i, claim in enumerate(claims):
            if claim.article_id is None:
                for k, part in enumerate(claim_parts(claim.text), start=1):
                    units.append(
                        Claim(id=f"{claim.id}.{k}", text=part, source=claim.source, date=claim.date, location=claim.location)
                    )
                    owner.append(i)
    vectors = _claim_vectors(units, index, embedder, progress, settings.embedder.batch_size)
    if hasattr(embedder, "release"):  # the vectors are in hand: its memory would add to the stance model's
        embedder.release()
    batches = [
        (units[start : start + CLAIMS_PER_BATCH], vectors[start : start + CLAIMS_PER_BATCH])
        for start in range(0, len(units), CLAIMS_PER_BATCH)
    ]
    checker = ClaimChecker(str(index.path.parent), index.path.name, settings, as_of)
    if engine == "local":
        checker.index = index  # the one already loaded
    evidence: list[list[Evidence]] = []
    with progress.stage("Retrieving evidence and judging stance", total=len(units)) as advance:
        for found in runner.map_batches(checker, batches):
            evidence.extend(found)
            advance(len(found))
    whole: list[Verdict] = []
    parts: list[list[Verdict]] = [[] for _ in claims]
    for n, (unit, items) in enumerate(zip(units, evidence)):
        if n >= len(claims):
            for e in items:
                e.part = unit.text
        verdict = aggregate_verdict(unit, items, settings=settings.aggregate)
        if n < len(claims):
            whole.append(verdict)
        else:
            parts[owner[n]].append(verdict)
    return [combine_parts(w, p) for w, p in zip(whole, parts)]


@dataclass
class ClaimChecker:
    """The per-claim work of a verify run, one batch of claims at a time: retrieve evidence from
    the index version `version` of `index_dir`, judge each piece's stance. The index and the
    stance model load on the first batch and stay, so a Ray actor holding a checker loads them
    once. Only the names travel to an actor, never a loaded index."""

    index_dir: str
    version: str
    settings: Settings
    as_of: str | None = None
    index: SentenceIndex | None = field(default=None, repr=False)
    model: Any = field(default=None, repr=False)

    def __getstate__(self) -> dict:
        return {**self.__dict__, "index": None, "model": None}

    def __call__(self, batch: tuple[list[Claim], np.ndarray]) -> list[list[Evidence]]:
        from .index.store import load_index

        if self.index is None:
            self.index = load_index(self.index_dir, version=self.version)
        if self.model is None:
            stance = self.settings.stance
            self.model = load_stance_model(stance.backend, stance.model, runtime=stance.runtime)
        units, vectors = batch
        return check_claims(units, vectors, index=self.index, model=self.model, settings=self.settings, as_of=self.as_of)


def check_claims(
    units: Sequence[Claim],
    vectors: np.ndarray,
    *,
    index: SentenceIndex,
    model: StanceModel,
    settings: Settings,
    as_of: str | None = None,
) -> list[list[Evidence]]:
    """Evidence for each claim (vectors: its embedding), each piece with its stance."""
    evidence = retrieve_evidence(units, vectors, index, settings=settings.retrieve, as_of=as_of)
    items = [e for found in evidence for e in found]
    pairs = [(unit.text, e.context or e.sentence) for unit, found in zip(units, evidence) for e in found]
    batch = max(1, settings.stance.batch_size * 8)
    for start in range(0, len(pairs), batch):
        for e, result in zip(items[start : start + batch], classify_stance(model, pairs[start : start + batch])):
            e.stance, e.score, e.conflict_type = result.label, round(result.score, 4), result.conflict_type
            e.probabilities = {k: round(v, 4) for k, v in result.probabilities.items()}
    return evidence


def _claim_vectors(claims, index: SentenceIndex, embedder, progress: Progress, batch_size: int) -> np.ndarray:
    """Reuse the index's vectors for indexed sentences; free-text claims come from the vector
    cache (embed/cache.py) or are embedded (and cached).

    The sentence table is read a batch at a time for the claims' own ids, never held whole."""
    wanted = {claim.id: i for i, claim in enumerate(claims) if claim.article_id is not None}
    rows = np.full(len(claims), -1, dtype=np.int64)
    if wanted:
        for batch in index.iter_sentences(["sentence_id", "vector_row"]):
            for sentence_id, vector_row in zip(batch.column(0).to_pylist(), batch.column(1).to_pylist()):
                at = wanted.get(sentence_id)
                if at is not None:
                    rows[at] = vector_row
    vectors = np.zeros((len(claims), index.vectors.shape[1] if len(index.vectors) else embedder.dimension), dtype=np.float32)
    known = np.flatnonzero(rows >= 0)
    if len(known):
        vectors[known] = index.vector_rows(rows[known])
    missing = np.flatnonzero(rows < 0).tolist()
    if missing:
        texts = [claims[i].text for i in missing]
        vectors[missing] = embed_cached(embedder, texts, embed=lambda new: _embed_all(embedder, new, progress, batch_size))
    return vectors


# --------------------------------------------------------------------------- the verify command


@dataclass
class VerifyReport:
    """What a verify run found, rendered: the CLI prints it and writes the files, nothing more."""

    name: str  # names the default report file: "claims", "all", or the claims/article file's stem
    verdicts: list[Verdict]
    meta: dict
    markdown: str
    data: dict  # the JSON report
    report_path: Path  # where the Markdown goes (the charts it links are written beside it)
    crossref: CrossReference | None = None  # with all_articles or html
    html: str | None = None  # the static page, when asked for
    summary: list[str] = field(default_factory=list)  # cross-reference summary lines (all_articles)
    charts: dict[Path, str] = field(default_factory=dict)  # SVG files the Markdown links, by path
    claimreview: str | None = None  # schema.org ClaimReview JSON-LD, when asked for


def verify(
    claims: Sequence[str] = (),
    *,
    settings: Settings,
    claims_file: str | Path | None = None,
    article: str | Path | None = None,
    all_articles: bool = False,
    as_of: str | None = None,
    html: bool = False,
    report_path: str | Path | None = None,
    since: str | Path | None = None,
    claimreview: bool = False,
    page_url: str | None = None,
    progress: Progress | None = None,
    engine: str = "local",
    ray_address: str | None = None,
) -> VerifyReport:
    """Check claims (texts, a claims file, an article's check-worthy sentences and/or every article
    of the index at `settings.index.dir`) and render the consistency or cross-reference report.

    `as_of` (YYYY-MM-DD): only articles published by then count, and `all_articles` checks only
    those; the report says how many were left out. `html` also renders the static page (with the
    charts inline). `report_path`: where the Markdown will be written [default:
    reports/TIMESTAMP-NAME.md]; with `all_articles` its charts are rendered to be written beside
    it. `since`: an earlier `all_articles` report's JSON; the report opens with what changed.
    `claimreview` also renders schema.org ClaimReview JSON-LD, each review linking
    `settings.report.url`, else `page_url` (the HTML page), else the Markdown report.
    `engine` "ray" checks the claims on Ray actors (a cluster at `ray_address`, or a local Ray
    instance); the report is the same as the local one's.
    """
    from datetime import date, datetime, timezone

    from .crossref import cross_reference
    from .index.store import load_index
    from .report import crossref_json, render_crossref_html, render_crossref_markdown, render_markdown, report_json
    from .report.crossref import summary_lines
    from .report.markdown import default_report_path

    if not (claims or claims_file or article or all_articles):
        raise InputError("Nothing to check: give claims as arguments, --claims-file FILE, --article FILE or --all")
    if as_of is not None:
        try:
            date.fromisoformat(as_of)
        except ValueError:
            raise InputError(f"--as-of takes a date like 2025-07-28, not '{as_of}'") from None
    previous = None
    if since is not None:
        from .report.changes import load_previous_report

        if not all_articles:
            raise InputError("--since compares cross-references: use it with --all")
        previous = load_previous_report(since)  # before the run: a wrong path fails in a second
    index = load_index(settings.index.dir)
    items: list[Claim] = []
    if claims:
        items += claims_from_texts(claims)
    if claims_file:
        items += claims_from_file(claims_file)
    if article:
        items += claims_from_article(article)
    left_out = 0
    if all_articles:
        items += claims_from_index(index, as_of=as_of)
        if as_of is not None:
            left_out = len({c.article_id for c in claims_from_index(index)} - {c.article_id for c in items})
    verdicts = verify_claims(
        items, index=index, settings=settings, progress=progress, as_of=as_of, engine=engine, ray_address=ray_address
    )
    name = "all" if all_articles else (Path(article).stem if article else Path(claims_file).stem if claims_file else "claims")
    report_path = Path(report_path or default_report_path(settings.report.dir, name))
    meta = {
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "index": settings.index.dir,
        "articles": index.manifest["counts"]["articles"],
        "sentences": index.manifest["counts"]["sentences"],
        "embedder": index.embedder,
        "stance_model": settings.stance.backend,
    }
    if as_of:
        meta.update(as_of=as_of, articles_left_out=left_out)
    reviews = None
    if claimreview:
        from .report.claimreview import claimreview_jsonld, claimreview_text

        reviews = claimreview_text(
            claimreview_jsonld(
                verdicts,
                articles=index.article_table(),
                author=settings.report.author,
                author_url=settings.report.author_url,
                page_url=settings.report.url or page_url or report_path.resolve().as_uri(),
                date_published=meta["generated_at"][:10],
            )
        )
    if not (all_articles or html):
        markdown = render_markdown(verdicts, title=f"Consistency report: {name}", meta=meta, detail_unverified=True)
        return VerifyReport(name, verdicts, meta, markdown, report_json(verdicts, meta=meta), report_path, claimreview=reviews)
    xref = cross_reference(verdicts, settings=settings, as_of=as_of)
    title, shown = f"Cross-reference report: {name}", settings.crossref.shown
    charts: dict[str, str] = {}
    if all_articles or xref.statements:
        from .report.charts import render_charts

        charts = render_charts(xref, shown=shown)
    changes, chart_files = None, {}
    if all_articles:
        from .report.changes import compare_reports
        from .report.charts import chart_file_names

        table = index.article_table()
        checked = [
            {"id": a, **{k: table.get(a, {}).get(k) for k in ("path", "source", "title", "date")}}
            for a in dict.fromkeys(c.article_id for c in items if c.article_id)
        ]
        if previous is not None:
            changes = compare_reports(previous, xref=xref, verdicts=verdicts, articles=checked, previous_path=str(since))
        linked = {chart: file_name for chart, file_name in chart_file_names(report_path.name).items() if chart in charts}
        chart_files = {report_path.with_name(file_name): charts[chart] for chart, file_name in linked.items()}
        markdown = render_crossref_markdown(xref, verdicts, title=title, meta=meta, shown=shown, charts=linked, changes=changes)
        data = crossref_json(xref, verdicts, meta=meta, changes=changes, articles=checked)
    else:
        markdown = render_markdown(verdicts, title=f"Consistency report: {name}", meta=meta, detail_unverified=True)
        data = report_json(verdicts, meta=meta)
    return VerifyReport(
        name,
        verdicts,
        meta,
        markdown,
        data,
        report_path,
        crossref=xref,
        html=render_crossref_html(xref, verdicts, title=title, meta=meta, shown=shown, charts=charts, changes=changes)
        if html
        else None,
        summary=summary_lines(xref, verdicts, meta) if all_articles else [],
        charts=chart_files,
        claimreview=reviews,
    )
