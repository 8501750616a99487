"""Evaluate a stance model on a labelled dataset: `evaluate_dataset(name, ...)`.

Pairwise sets feed (claim, evidence) straight to the model. FNC-1 goes through the verify path:
split the body into sentences, retrieve the sentences closest to the headline, classify them and
aggregate to agree / disagree / discuss / unrelated. Binary sets are scored supports-vs-refutes
forced (the larger of the two probabilities); RTE, WiCE and negation-NLI as supports vs
not-supports.
"""

from __future__ import annotations

import json
import random
import re
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ..errors import FactcheckError
from ..models import StanceResult
from ..stance import StanceModel
from . import metrics
from .datasets import DATASETS, FNC_LABELS, TEST_SPLITS, THREE_WAY, LabeledPair, load_dataset
from .pairs import split_sentences

BINARY = {"fever-symmetric", "covid-fact", "scifact", "fool-me-twice"}
# scored supports vs not-supports: RTE's not_entailment, WiCE's partially / not supported, and
# negation-NLI, whose RTE part has no neutral/contradiction split
SUPPORTS_VS_NOT = {"rte", "wice", "negation-nli"}


class SentenceEmbedder(Protocol):
    def embed_batch(self, texts: Sequence[str]) -> np.ndarray: ...


def default_embedder(
    model_path: str | Path | None = None, *, device: str | None = None, batch_size: int = 128
) -> SentenceEmbedder:
    """The pipeline's embedder (factcheck.embed), on the GPU when one is there."""
    from ..embed import PACKAGED_MINILM
    from ..embed import SentenceTransformerEmbedder as PipelineEmbedder

    if device is None:
        import torch

        device = "cuda" if torch.cuda.is_available() else "cpu"
    return PipelineEmbedder(str(model_path) if model_path else PACKAGED_MINILM, batch_size=batch_size, device=device)


def _sample(pairs: list[LabeledPair], limit: int | None, seed: int) -> list[LabeledPair]:
    if limit is None or limit >= len(pairs):
        return pairs
    index = sorted(random.Random(seed).sample(range(len(pairs)), limit))
    return [pairs[i] for i in index]


def _scores(gold: list[str], predicted: list[str], labels: Sequence[str]) -> dict[str, Any]:
    return {
        "n": len(gold),
        "accuracy": metrics.accuracy(gold, predicted),
        "macro_f1": metrics.macro_f1(gold, predicted, labels),
        "per_class": metrics.per_class(gold, predicted, labels),
        "confusion": metrics.confusion(gold, predicted, labels),
    }


def _forced(result: StanceResult) -> str:
    p = result.probabilities
    return "supports" if p["supports"] >= p["refutes"] else "refutes"


AGGREGATIONS = ("simple", "pipeline")
# verdict of the pipeline's aggregator -> FNC-1 label (a body that both reports and rejects the
# claim takes the rejecting side, as contradiction wins in the verdicts)
VERDICT_TO_FNC = {"supported": "agree", "contradicted": "disagree", "disputed": "disagree", "unverified": "discuss"}


def _pipeline_sentences(body: str) -> list[str]:
    """The pipeline's own segmentation (factcheck.segment, pysbd) of each paragraph."""
    from ..segment import split_sentences as segment_spans

    out: list[str] = []
    for paragraph in re.split(r"\n\s*\n|\n", body):
        paragraph = paragraph.strip()
        if paragraph:
            out.extend(paragraph[a:b] for a, b in segment_spans(paragraph))
    return out


def _pipeline_label(claim: str, chosen: list[tuple[str, float]], stances: list[StanceResult]) -> str:
    """FNC label from the pipeline's aggregator (factcheck.aggregate) over the body's evidence."""
    from ..aggregate import aggregate_verdict, relevance
    from ..config import AggregateSettings
    from ..models import Claim, Evidence

    settings = AggregateSettings()
    if not chosen or relevance(chosen[0][1], settings) <= 0.0:
        return "unrelated"
    evidence = [
        Evidence(
            sentence=text,
            sentence_id=str(i),
            article="body",
            title=None,
            source="body",
            date=None,
            location="",
            similarity=sim,
            stance=r.label,
            score=r.score,
            conflict_type=r.conflict_type,
            probabilities=dict(r.probabilities),
        )
        for i, ((text, sim), r) in enumerate(zip(chosen, stances))
    ]
    verdict = aggregate_verdict(Claim(id="headline", text=claim), evidence, settings=settings)
    return VERDICT_TO_FNC[verdict.verdict]


def retrieve_body_sentences(
    pairs: Sequence[LabeledPair],
    *,
    embedder: SentenceEmbedder,
    aggregation: str = "simple",
    top_k: int = 3,
) -> list[list[tuple[str, float]]]:
    """For each (headline, body) pair, the body's `top_k` sentences closest to the headline.

    The body is segmented as the chosen aggregation does it (regex for "simple", the pipeline's
    segmenter for "pipeline"); similarity is the cosine of the embeddings, best first.
    """
    if aggregation not in AGGREGATIONS:
        raise FactcheckError(f"Unknown aggregation {aggregation!r}: choose one of {AGGREGATIONS}.")
    bodies = sorted({p.evidence for p in pairs})
    headlines = sorted({p.claim for p in pairs})
    splitter = _pipeline_sentences if aggregation == "pipeline" else split_sentences
    sentences = {body: splitter(body) or [body] for body in bodies}
    flat = [s for body in bodies for s in sentences[body]]
    offsets, start = {}, 0
    for body in bodies:
        offsets[body] = (start, start + len(sentences[body]))
        start += len(sentences[body])
    sentence_vectors = embedder.embed_batch(flat)
    headline_vectors = dict(zip(headlines, embedder.embed_batch(headlines)))
    retrieved = []
    for pair in pairs:
        lo, hi = offsets[pair.evidence]
        sims = sentence_vectors[lo:hi] @ headline_vectors[pair.claim]
        top = np.argsort(-sims)[:top_k]
        retrieved.append([(flat[lo + int(i)], float(sims[i])) for i in top])
    return retrieved


def fnc_body_predictions(
    pairs: Sequence[LabeledPair],
    stance_model: StanceModel,
    *,
    embedder: SentenceEmbedder | None,
    related_threshold: float,
    top_k: int = 3,
    aggregation: str = "simple",
    retrieval_cache: str | Path | None = None,
) -> tuple[list[str], list[dict[str, Any]]]:
    """Headline vs body through the verify path: segment, retrieve top sentences, aggregate.

    "simple": a body is `unrelated` when no sentence reaches `related_threshold` cosine;
    otherwise the `top_k` closest sentences are classified, and a refuting sentence makes it
    `disagree`, a supporting one `agree`, neither `discuss` (refutes wins, as in the verdicts).
    "pipeline": the pipeline's segmenter (factcheck.segment) and aggregator
    (factcheck.aggregate, default settings: its relevance floor decides `unrelated`), with
    verdicts mapped by VERDICT_TO_FNC. `retrieval_cache` (JSON) lets the embedding step run
    once, apart from the classification (e.g. on another machine).
    """
    path = Path(retrieval_cache) if retrieval_cache else None
    options = {"aggregation": aggregation, "top_k": top_k}
    if path is not None and path.is_file():
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("options") != options or data.get("n") != len(pairs):
            raise FactcheckError(f"Retrieval cache {path} was made for other pairs or options: delete it to recompute.")
        retrieved = [[(text, float(sim)) for text, sim in row] for row in data["retrieved"]]
    else:
        retrieved = retrieve_body_sentences(pairs, embedder=embedder or default_embedder(), aggregation=aggregation, top_k=top_k)
        if path is not None:
            path.write_text(json.dumps({"options": options, "n": len(pairs), "retrieved": retrieved}), encoding="utf-8")

    chosen_per_pair = []
    needed: dict[tuple[str, str], int] = {}
    for pair, top in zip(pairs, retrieved):
        threshold = related_threshold if aggregation == "simple" else -1.0
        chosen = top if top and top[0][1] >= threshold else []
        chosen_per_pair.append(chosen)
        for text, _ in chosen:
            needed.setdefault((pair.claim, text), len(needed))
    results = stance_model.classify_batch(list(needed)) if needed else []

    predicted, details = [], []
    for pair, top, chosen in zip(pairs, retrieved, chosen_per_pair):
        stances = [results[needed[(pair.claim, text)]] for text, _ in chosen]
        labels = [r.label for r in stances]
        if aggregation == "pipeline":
            label = _pipeline_label(pair.claim, chosen, stances)
        elif not chosen:
            label = "unrelated"
        elif "refutes" in labels:
            label = "disagree"
        elif "supports" in labels:
            label = "agree"
        else:
            label = "discuss"
        predicted.append(label)
        details.append({"best_similarity": round(top[0][1], 4) if top else None, "sentence_labels": labels})
    return predicted, details


def evaluate_dataset(
    name: str,
    *,
    data_dir: str | Path | None,
    stance_model: StanceModel,
    split: str | None = None,
    limit: int | None = None,
    seed: int = 0,
    embedder: SentenceEmbedder | None = None,
    related_threshold: float | None = None,
    aggregation: str = "simple",
    retrieval_cache: str | Path | None = None,
    include_predictions: bool = False,
) -> dict[str, Any]:
    """Score `stance_model` on a dataset's held-out split (or `split`), optionally a sample.

    Returns dataset, split, n, accuracy, macro_f1, per_class, confusion, and for fnc-1
    fnc_score (raw, max, percent); climate-fever adds the unanimous subset.
    """
    if name not in DATASETS:
        raise FactcheckError(f"Unknown dataset {name!r}: choose one of {', '.join(DATASETS)}.")
    split = split or TEST_SPLITS[name]
    pairs = _sample(load_dataset(name, data_dir=data_dir, split=split), limit, seed)
    started = time.perf_counter()
    report: dict[str, Any] = {"dataset": name, "split": split, "model": stance_model.name, "limit": limit, "seed": seed}
    gold = [p.label for p in pairs]
    extra: dict[str, Any] = {}
    if name == "fnc-1":
        if related_threshold is None:
            calibration = getattr(stance_model, "calibration", None)
            related_threshold = getattr(calibration, "related_threshold", 0.5)
        predicted, details = fnc_body_predictions(
            pairs,
            stance_model,
            embedder=embedder,
            related_threshold=float(related_threshold),
            aggregation=aggregation,
            retrieval_cache=retrieval_cache,
        )
        labels: Sequence[str] = FNC_LABELS
        extra["fnc_score"] = metrics.fnc_score(gold, predicted)
        extra["related_threshold"] = related_threshold
        extra["aggregation"] = aggregation
        if include_predictions:
            extra["details"] = details
    else:
        results = stance_model.classify_batch([(p.claim, p.evidence) for p in pairs])
        if name in BINARY:
            predicted, labels = [_forced(r) for r in results], ("supports", "refutes")
        elif name in SUPPORTS_VS_NOT:
            predicted = ["supports" if r.label == "supports" else "not_supports" for r in results]
            gold = ["supports" if label == "supports" else "not_supports" for label in gold]
            labels = ("supports", "not_supports")
        else:
            predicted, labels = [r.label for r in results], THREE_WAY
        if include_predictions:
            extra["probabilities"] = [r.probabilities for r in results]
    report.update(_scores(gold, predicted, labels))
    report.update(extra)
    if name == "climate-fever":
        keep = [i for i, p in enumerate(pairs) if p.original_label.endswith("|unanimous")]
        report["unanimous"] = _scores([gold[i] for i in keep], [predicted[i] for i in keep], labels)
    report["seconds"] = round(time.perf_counter() - started, 2)
    if include_predictions:
        report["predictions"] = predicted
    return report


def format_report(report: dict[str, Any]) -> str:
    """A short plain-text summary of one evaluation."""
    lines = [
        f"{report['dataset']} [{report['split']}] n={report['n']} model={report['model']}",
        f"  accuracy {report['accuracy']:.4f}  macro-F1 {report['macro_f1']:.4f}",
    ]
    if "fnc_score" in report:
        s = report["fnc_score"]
        lines.append(f"  FNC score {s['score']:.2f} / {s['max']:.2f} = {s['percent']:.2f}%")
    for label, s in report["per_class"].items():
        lines.append(f"  {label:<13} P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}  n={s['support']}")
    return "\n".join(lines)


def write_retrieval_cache(
    path: str | Path,
    *,
    data_dir: str | Path | None,
    split: str | None = None,
    limit: int | None = None,
    seed: int = 0,
    embedder: SentenceEmbedder,
    aggregation: str = "simple",
) -> int:
    """FNC-1: embed and retrieve the body sentences once and save them for later `--retrieval-cache`
    runs (the embedding can run on another machine than the classification). Returns the count."""
    pairs = _sample(load_dataset("fnc-1", data_dir=data_dir, split=split or TEST_SPLITS["fnc-1"]), limit, seed)
    retrieved = retrieve_body_sentences(pairs, embedder=embedder, aggregation=aggregation)
    Path(path).write_text(
        json.dumps({"options": {"aggregation": aggregation, "top_k": 3}, "n": len(pairs), "retrieved": retrieved}),
        encoding="utf-8",
    )
    return len(retrieved)
