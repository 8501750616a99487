"""Evaluate a stance model on a labelled dataset: `evaluate_dataset(name, ...)`.

Pairwise sets feed (claim, evidence) straight to the model. FNC-1 goes through the verify path:
split the body into sentences, retrieve the sentences closest to the headline, classify them and
aggregate to agree / disagree / discuss / unrelated. Binary sets are scored supports-vs-refutes
forced (the larger of the two probabilities); RTE as supports vs not-supports.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from . import metrics
from .datasets import DATASETS, FNC_LABELS, TEST_SPLITS, THREE_WAY, LabeledPair, load_dataset
from ..errors import FactcheckError
from ..models import StanceResult
from ..stance import StanceModel
from .pairs import split_sentences

BINARY = {"fever-symmetric", "covid-fact", "scifact"}


class SentenceEmbedder(Protocol):
    def embed_batch(self, texts: Sequence[str]) -> np.ndarray: ...


def default_embedder(model_path: str | Path | None = None, *, device: str | None = None,
                                batch_size: int = 128) -> SentenceEmbedder:
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
VERDICT_TO_FNC = {"supported": "agree", "contradicted": "disagree", "disputed": "disagree",
                  "unverified": "discuss"}


def _pipeline_sentences(body: str) -> list[str]:
    """The pipeline's own segmentation (factcheck.segment, pysbd) of each paragraph."""
    from ..segment import split_sentences as segment_spans

    out = []
    for paragraph in re.split(r"\n\s*\n|\n", body):
        paragraph = paragraph.strip()
        if paragraph:
            out.extend(paragraph[a:b] for a, b in segment_spans(paragraph))
    return out


def _pipeline_label(claim: str, chosen: list[tuple[str, float]],
                    stances: list[StanceResult]) -> str:
    """FNC label from the pipeline's aggregator (factcheck.aggregate) over the body's evidence."""
    from ..aggregate import aggregate_verdict, relevance
    from ..config import AggregateSettings
    from ..models import Claim, Evidence

    settings = AggregateSettings()
    if not chosen or relevance(chosen[0][1], settings) <= 0.0:
        return "unrelated"
    evidence = [Evidence(sentence=text, sentence_id=str(i), article="body", title=None,
                         source="body", date=None, location="", similarity=sim,
                         stance=r.label, score=r.score, conflict_type=r.conflict_type,
                         probabilities=dict(r.probabilities))
                for i, ((text, sim), r) in enumerate(zip(chosen, stances))]
    verdict = aggregate_verdict(Claim(id="headline", text=claim), evidence, settings=settings)
    return VERDICT_TO_FNC[verdict.verdict]


def retrieve_body_sentences(pairs: Sequence[LabeledPair], *, embedder: SentenceEmbedder,
                            aggregation: str = "simple", top_k: int = 3,
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


def fnc_body_predictions(pairs: Sequence[LabeledPair], stance_model: StanceModel, *,
                         embedder: SentenceEmbedder | None, related_threshold: float,
                         top_k: int = 3, aggregation: str = "simple",
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
            raise FactcheckError(f"Retrieval cache {path} was made for other pairs or options: "
                                 "delete it to recompute.")
        retrieved = [[(text, float(sim)) for text, sim in row] for row in data["retrieved"]]
    else:
        retrieved = retrieve_body_sentences(pairs, embedder=embedder or default_embedder(),
                                            **options)
        if path is not None:
            path.write_text(json.dumps({"options": options, "n": len(pairs),
                                        "retrieved": retrieved}), encoding="utf-8")

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
        details.append({"best_similarity": round(top[0][1], 4) if top else None,
                        "sentence_labels": labels})
    return predicted, details


def evaluate_dataset(name: str, *, data_dir: str | Path | None, stance_model: StanceModel,
                     split: str | None = None, limit: int | None = None, seed: int = 0,
                     embedder: SentenceEmbedder | None = None,
                     related_threshold: float | None = None, aggregation: str = "simple",
                     retrieval_cache: str | Path | None = None,
                     include_predictions: bool = False) -> dict[str, Any]:
    """Score `stance_model` on a dataset's held-out split (or `split`), optionally a sample.

    Returns dataset, split, n, accuracy, macro_f1, per_class, confusion, and for fnc-1
    fnc_score (raw, max, percent); climate-fever adds the unanimous subset.
    """
    if name not in DATASETS:
        raise FactcheckError(f"Unknown dataset {name!r}: choose one of {', '.join(DATASETS)}.")
    split = split or TEST_SPLITS[name]
    pairs = _sample(load_dataset(name, data_dir=data_dir, split=split), limit, seed)
    started = time.perf_counter()
    report: dict[str, Any] = {"dataset": name, "split": split, "model": stance_model.name,
                              "limit": limit, "seed": seed}
    gold = [p.label for p in pairs]
    extra: dict[str, Any] = {}
    if name == "fnc-1":
        if related_threshold is None:
            calibration = getattr(stance_model, "calibration", None)
            related_threshold = getattr(calibration, "related_threshold", 0.5)
        predicted, details = fnc_body_predictions(
            pairs, stance_model, embedder=embedder, related_threshold=float(related_threshold),
            aggregation=aggregation, retrieval_cache=retrieval_cache)
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
        elif name == "rte":
            predicted = ["supports" if r.label == "supports" else "not_supports" for r in results]
            labels = ("supports", "not_supports")
        else:
            predicted, labels = [r.label for r in results], THREE_WAY
        if include_predictions:
            extra["probabilities"] = [r.probabilities for r in results]
    report.update(_scores(gold, predicted, labels))
    report.update(extra)
    if name == "climate-fever":
        keep = [i for i, p in enumerate(pairs) if p.original_label.endswith("|unanimous")]
        report["unanimous"] = _scores([gold[i] for i in keep], [predicted[i] for i in keep],
                                      labels)
    report["seconds"] = round(time.perf_counter() - started, 2)
    if include_predictions:
        report["predictions"] = predicted
    return report


def format_report(report: dict[str, Any]) -> str:
    """A short plain-text summary of one evaluation."""
    lines = [f"{report['dataset']} [{report['split']}] n={report['n']} model={report['model']}",
             f"  accuracy {report['accuracy']:.4f}  macro-F1 {report['macro_f1']:.4f}"]
    if "fnc_score" in report:
        s = report["fnc_score"]
        lines.append(f"  FNC score {s['score']:.2f} / {s['max']:.2f} = {s['percent']:.2f}%")
    for label, s in report["per_class"].items():
        lines.append(f"  {label:<13} P {s['precision']:.3f}  R {s['recall']:.3f}  "
                     f"F1 {s['f1']:.3f}  n={s['support']}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m factcheck.eval.evaluate DATASET|all` (the CLI's `factcheck eval` does the same)."""
    parser = argparse.ArgumentParser(prog="python -m factcheck.eval.evaluate")
    parser.add_argument("dataset", choices=(*DATASETS, "all"))
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--backend", default="minilm",
                        help="stance backend from factcheck.stance.STANCE_BACKENDS")
    parser.add_argument("--model-dir", default=None,
                        help="model folder for the backend (minilm: default is the shipped one)")
    parser.add_argument("--embedder", default=None, help="sentence-transformers folder (fnc-1)")
    parser.add_argument("--split", default=None)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", default=None)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--json", dest="json_path", default=None)
    parser.add_argument("--predictions", action="store_true")
    parser.add_argument("--aggregation", choices=AGGREGATIONS, default="simple",
                        help="fnc-1 body aggregation: simple rule or the pipeline's aggregator")
    parser.add_argument("--related-threshold", type=float, default=None,
                        help="fnc-1 simple aggregation: cosine under which a body is unrelated "
                             "(default: the model's calibration, else 0.5)")
    parser.add_argument("--retrieval-cache", default=None,
                        help="fnc-1: JSON file of retrieved body sentences (made if missing)")
    parser.add_argument("--retrieve-only", action="store_true",
                        help="fnc-1: only write --retrieval-cache (no stance model needed)")
    args = parser.parse_args(argv)
    try:
        if args.retrieve_only:
            if args.dataset != "fnc-1" or not args.retrieval_cache:
                raise FactcheckError("--retrieve-only needs dataset fnc-1 and --retrieval-cache FILE.")
            pairs = _sample(load_dataset("fnc-1", data_dir=args.data_dir,
                                         split=args.split or TEST_SPLITS["fnc-1"]),
                            args.limit, args.seed)
            retrieved = retrieve_body_sentences(
                pairs, embedder=default_embedder(args.embedder, device=args.device),
                aggregation=args.aggregation)
            Path(args.retrieval_cache).write_text(json.dumps(
                {"options": {"aggregation": args.aggregation, "top_k": 3}, "n": len(pairs),
                 "retrieved": retrieved}), encoding="utf-8")
            print(f"wrote {len(retrieved)} retrievals to {args.retrieval_cache}")
            return 0
        from ..stance import STANCE_BACKENDS

        if args.backend not in STANCE_BACKENDS:
            raise FactcheckError(f"Unknown stance backend {args.backend!r}: choose one of "
                                 f"{', '.join(sorted(STANCE_BACKENDS))}.")
        options = {"device": args.device, "batch_size": args.batch_size} \
            if args.backend in ("minilm", "local-nli") else {}
        model: StanceModel = STANCE_BACKENDS[args.backend](args.model_dir or "", **options)
        embedder = default_embedder(args.embedder, device=args.device)
        names = DATASETS if args.dataset == "all" else (args.dataset,)
        reports = []
        for name in names:
            report = evaluate_dataset(name, data_dir=args.data_dir, stance_model=model,
                                      split=args.split, limit=args.limit, seed=args.seed,
                                      embedder=embedder, aggregation=args.aggregation,
                                      retrieval_cache=args.retrieval_cache,
                                      related_threshold=args.related_threshold,
                                      include_predictions=args.predictions)
            print(format_report(report), flush=True)
            reports.append(report)
    except FactcheckError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if args.json_path:
        Path(args.json_path).write_text(
            json.dumps(reports[0] if len(reports) == 1 else reports, indent=1) + "\n",
            encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
