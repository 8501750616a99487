"""Embedding speed on real sentences: plain encode, article-by-article calls, encode_sorted,
and the ONNX Runtime backend, plus the ONNX backend's recall@10 against the default one.

    python -m benchmarks.encode [--sentences 2000] [--runs 3] --json FILE
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import numpy as np

from . import corpus, realdata, search


def timed(function, runs: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), [round(t, 2) for t in times]


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


def recall_between(reference: np.ndarray, candidate: np.ndarray, queries_ref: np.ndarray,
                   queries_cand: np.ndarray, k: int = 10) -> float:
    """recall@k of search in `candidate` vectors against search in `reference` vectors."""
    _, truth = search.exact_top_k(reference, queries_ref, k)
    _, found = search.exact_top_k(candidate, queries_cand, k)
    return search.recall_at_k(found, truth)


def run(sentence_count: int, runs: int, batch_size: int = 64) -> dict:
    from factcheck.embed_fast import OnnxEmbedder, encode_sorted

    model = realdata.load_model()
    articles = article_sentences(sentence_count)
    texts = [s for article in articles for s in article]
    model.encode(texts[:64], batch_size=batch_size)  # warm-up
    plain = lambda: model.encode(texts, batch_size=batch_size, normalize_embeddings=True)  # noqa: E731
    by_article = lambda: [model.encode(a, batch_size=batch_size, normalize_embeddings=True)  # noqa: E731
                          for a in articles]
    sorted_all = lambda: encode_sorted(model, texts, batch_size)  # noqa: E731
    results: dict = {"sentences": len(texts), "articles": len(articles), "runs": runs}
    onnx = OnnxEmbedder(batch_size=batch_size)
    onnx.embed_batch(texts[:64])
    for name, function in (("plain_encode", plain), ("per_article_encode", by_article),
                           ("encode_sorted", sorted_all),
                           ("onnx_fp32", lambda: onnx.embed_batch(texts))):
        median, all_times = timed(function, runs)
        results[name] = {"sps": round(len(texts) / median, 1), "seconds": all_times}
        print(name, results[name], flush=True)

    # Agreement on real text: same base and held-out queries through both backends.
    base_texts = realdata.real_sentences()[:5000]
    query_texts = realdata.real_sentences()[-500:]
    reference = model.encode(base_texts, batch_size=batch_size, normalize_embeddings=True)
    reference_queries = model.encode(query_texts, batch_size=batch_size, normalize_embeddings=True)
    candidate = onnx.embed_batch(base_texts)
    candidate_queries = onnx.embed_batch(query_texts)
    cosine = np.sum(reference * candidate, axis=1)
    results["onnx_fp32_agreement"] = {
        "base": len(base_texts), "queries": len(query_texts),
        "recall_at_10": round(recall_between(reference, candidate, reference_queries,
                                             candidate_queries), 4),
        "cosine_min": round(float(cosine.min()), 6), "cosine_mean": round(float(cosine.mean()), 6),
        "max_abs_diff": float(np.abs(reference - candidate).max()),
    }
    print(results["onnx_fp32_agreement"], flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results = run(args.sentences, args.runs)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
