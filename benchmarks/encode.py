"""Embedding speed on real sentences: plain encode, article-by-article calls, encode_sorted,
the ONNX Runtime backend, and the ONNX backend as build-index calls it (length-sorted chunks of
256, `embed_in_length_order`), plus the ONNX backend's recall@10 against sentence-transformers.

    python -m benchmarks.encode [--sentences 2000] [--runs 3] --json FILE
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from . import corpus, realdata, search


def timed(function, runs: int) -> tuple[float, float, list[float]]:
    """(median wall s, median process CPU s, all wall times): CPU time is steadier when shared."""
    times, cpu_times = [], []
    for _ in range(runs):
        started, cpu = time.perf_counter(), time.process_time()
        function()
        times.append(time.perf_counter() - started)
        cpu_times.append(time.process_time() - cpu)
    return statistics.median(times), statistics.median(cpu_times), [round(t, 2) for t in times]


def article_sentences(count: int) -> list[list[str]]:
    """Real FNC-1 articles as lists of sentences, about `count` sentences in all."""
    articles, total = [], 0
    for _, body in corpus.fnc_articles(10_000):
        sentences = realdata.split_sentences(body)
        articles.append(sentences)
        total += len(sentences)
        if total >= count:
            break
    return articles


def encode_sorted(model, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
    """`model.encode` over unique texts in length order; rows come back in input order.

    Measured against the pipeline's own batching (benchmarks/RESULTS.md: it adds nothing there),
    so it lives here, not in the package.

    sentence-transformers sorts within one `encode` call already; this helps when a caller
    would otherwise embed article by article (short calls pad to their own longest sentence)
    and when the input repeats itself (syndicated copies are embedded once).
    """
    if not texts:
        return np.zeros((0, model.get_sentence_embedding_dimension()), dtype=np.float32)
    unique = list(dict.fromkeys(texts))
    position = {text: row for row, text in enumerate(unique)}
    order = sorted(range(len(unique)), key=lambda i: len(unique[i]))
    vectors = model.encode(
        [unique[i] for i in order],
        batch_size=batch_size,
        normalize_embeddings=True,
        convert_to_numpy=True,
        show_progress_bar=False,
    )
    by_unique = np.empty_like(vectors)
    by_unique[order] = vectors
    return np.ascontiguousarray(by_unique[[position[text] for text in texts]], dtype=np.float32)


def recall_between(
    reference: np.ndarray, candidate: np.ndarray, queries_ref: np.ndarray, queries_cand: np.ndarray, k: int = 10
) -> float:
    """recall@k of search in `candidate` vectors against search in `reference` vectors."""
    _, truth = search.exact_top_k(reference, queries_ref, k)
    _, found = search.exact_top_k(candidate, queries_cand, k)
    return search.recall_at_k(found, truth)


def run(
    sentence_count: int, runs: int, batch_size: int = 64, *, agreement_base: int = 3000, agreement_queries: int = 300
) -> dict:
    from factcheck.embed import embed_in_length_order
    from factcheck.embed.onnx import OnnxEmbedder

    model = realdata.load_model()
    articles = article_sentences(sentence_count)
    texts = [s for article in articles for s in article]
    model.encode(texts[:64], batch_size=batch_size)  # warm-up
    plain = lambda: model.encode(texts, batch_size=batch_size, normalize_embeddings=True)  # noqa: E731

    def by_article():
        return [model.encode(a, batch_size=batch_size, normalize_embeddings=True) for a in articles]

    sorted_all = lambda: encode_sorted(model, texts, batch_size)  # noqa: E731
    results: dict = {"sentences": len(texts), "articles": len(articles), "runs": runs}
    onnx = OnnxEmbedder(batch_size=batch_size)
    onnx.embed_batch(texts[:64])
    methods = (
        ("plain_encode", plain),
        ("per_article_encode", by_article),
        ("encode_sorted", sorted_all),
        ("onnx_fp32", lambda: onnx.embed_batch(texts)),
        # what engines/local.py does in a build: chunks of max(batch_size * 4, 64), each sorted again
        ("onnx_build_path", lambda: embed_in_length_order(onnx.embed_batch, texts, dimension=onnx.dimension, chunk=256)),
    )
    walls: dict[str, list[float]] = {name: [] for name, _ in methods}
    cpus: dict[str, list[float]] = {name: [] for name, _ in methods}
    for _ in range(runs):  # round-robin, so a burst of load from other jobs hits every method
        for name, function in methods:
            wall, cpu, _ = timed(function, 1)
            walls[name].append(wall)
            cpus[name].append(cpu)
    for name, _ in methods:
        results[name] = {
            "sps": round(len(texts) / statistics.median(walls[name]), 1),
            "cpu_sps": round(len(texts) / statistics.median(cpus[name]), 1),
            "seconds": [round(t, 2) for t in walls[name]],
        }
        print(name, results[name], flush=True)

    # Agreement on real text: same base and held-out queries through both backends.
    base_texts = realdata.real_sentences()[:agreement_base]
    query_texts = realdata.real_sentences()[-agreement_queries:]
    reference = model.encode(base_texts, batch_size=batch_size, normalize_embeddings=True)
    reference_queries = model.encode(query_texts, batch_size=batch_size, normalize_embeddings=True)
    candidate = onnx.embed_batch(base_texts)
    candidate_queries = onnx.embed_batch(query_texts)
    cosine = np.sum(reference * candidate, axis=1)
    results["onnx_fp32_agreement"] = {
        "base": len(base_texts),
        "queries": len(query_texts),
        "recall_at_10": round(recall_between(reference, candidate, reference_queries, candidate_queries), 4),
        "cosine_min": round(float(cosine.min()), 6),
        "cosine_mean": round(float(cosine.mean()), 6),
        "max_abs_diff": float(np.abs(reference - candidate).max()),
    }
    print(results["onnx_fp32_agreement"], flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--agreement-base", type=int, default=3000)
    parser.add_argument("--agreement-queries", type=int, default=300)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results = run(args.sentences, args.runs, agreement_base=args.agreement_base, agreement_queries=args.agreement_queries)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
