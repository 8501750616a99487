"""Search benchmark: recall@10 against exact search and per-claim latency at 100k and 1M vectors.

Vectors are real all-MiniLM-L6-v2 sentence embeddings (benchmarks/realdata.py), grown past the
real corpus by `grow` below; queries are real sentences held out of the base set.

    python -m benchmarks.search --sizes 100000 1000000 --json /work/cache/search.json

Sharded variants (`sharded-4x250k`: the base as 4 IVF shards, as an index above [index]
shard_size is written) also report the peak RSS of a fresh process searching them with every
shard loaded and with one shard at a time, mapped (what `factcheck verify` does):

    python -m benchmarks.search --sizes 1000000 --variants sharded-4x250k ivf-default --json /work/cache/search-sharded.json

`--quick-base` uses the 4000-sentence quick set of benchmarks.run instead of the full cache
(about 30 s to embed), to check a variant runs at a small size.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import tempfile
import time
from pathlib import Path

import numpy as np

from factcheck.index.vectors import ShardedVectorIndex, VectorIndex

from . import machine, realdata

QUERY_COUNT = 1000  # held-out real sentences; never part of any base set
NEIGHBOURS = 20


def real_split() -> tuple[np.ndarray, np.ndarray]:
    """(base, queries): real sentence vectors, the last QUERY_COUNT sentences held out."""
    vectors = realdata.cached_vectors(realdata.real_sentences(), name="fnc")
    return vectors[:-QUERY_COUNT], vectors[-QUERY_COUNT:]


def quick_split() -> tuple[np.ndarray, np.ndarray]:
    """(base, queries) from the first 4000 real sentences, the last 500 held out (benchmarks.run's
    quick set: about 30 s to embed on 2 cores, cached like the full set)."""
    vectors = realdata.cached_vectors(realdata.real_sentences()[:4000], name="quick", log=False)
    return vectors[:-500], vectors[-500:]


def real_neighbours(base: np.ndarray) -> np.ndarray:
    """Exact NEIGHBOURS nearest real neighbours of every real base vector (cached)."""
    import faiss

    path = realdata.CACHE / f"neighbours-{len(base)}-{NEIGHBOURS}.npy"
    if path.exists():
        return np.load(path)
    index = faiss.IndexFlatIP(base.shape[1])
    index.add(base)
    _, ids = index.search(base, NEIGHBOURS + 1)
    np.save(path, ids[:, 1:])  # column 0 is the vector itself
    return ids[:, 1:]


def grow(base: np.ndarray, size: int, *, seed: int = 0, chunk: int = 100_000) -> np.ndarray:
    """`size` vectors: all real ones first, then synthetic ones that keep real-text geometry.

    Synthetic vector = normalise(w1*x_i + w2*x_j + w3*x_r + e) where x_i is a uniformly random
    real vector, x_j a random one of x_i's 20 nearest real neighbours (same topic), x_r another
    uniformly random real vector (off-topic), w1~U(0.55,1), w2~U(0,0.45), w3~U(0,0.15), and
    e ~ N(0, (0.1/sqrt(d))^2 I), i.e. noise of norm ~0.1. Seeded, so every run gets the same set.
    """
    if size <= len(base):
        return base[:size].copy()
    neighbours = real_neighbours(base)
    rng = np.random.default_rng(seed)
    out = np.empty((size, base.shape[1]), np.float32)
    out[: len(base)] = base
    dim = base.shape[1]
    for start in range(len(base), size, chunk):
        count = min(chunk, size - start)
        i = rng.integers(0, len(base), count)
        j = neighbours[i, rng.integers(0, NEIGHBOURS, count)]
        r = rng.integers(0, len(base), count)
        w1 = rng.uniform(0.55, 1.0, (count, 1)).astype(np.float32)
        w2 = rng.uniform(0.0, 0.45, (count, 1)).astype(np.float32)
        w3 = rng.uniform(0.0, 0.15, (count, 1)).astype(np.float32)
        noise = rng.standard_normal((count, dim), dtype=np.float32) * np.float32(0.1 / np.sqrt(dim))
        mixed = w1 * base[i] + w2 * base[j] + w3 * base[r] + noise
        mixed /= np.linalg.norm(mixed, axis=1, keepdims=True)
        out[start : start + count] = mixed
    return out


def exact_top_k(base: np.ndarray, queries: np.ndarray, k: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """Ground truth by exact flat search."""
    index = VectorIndex(dim=base.shape[1], kind="flat").build(base)
    return index.search(queries, k)


def recall_at_k(found: np.ndarray, truth: np.ndarray) -> float:
    """Mean fraction of the true top-k found in the returned top-k."""
    k = truth.shape[1]
    hits = [len(np.intersect1d(f[:k], t)) for f, t in zip(found, truth)]
    return float(np.mean(hits) / k)


def latency_ms(index, queries: np.ndarray, k: int = 10, *, count: int = 300, repeats: int = 3) -> dict[str, float]:
    """Per-claim latency: one query per call, as `verify` asks for one claim at a time.

    p50/p95 over `count` queries; the median of `repeats` passes, since the machine is shared.
    """
    passes = []
    for _ in range(repeats):
        timings = []
        for row in range(min(count, len(queries))):
            started = time.perf_counter()
            index.search(queries[row : row + 1], k)
            timings.append((time.perf_counter() - started) * 1000)
        passes.append((float(np.percentile(timings, 50)), float(np.percentile(timings, 95))))
    return {"p50_ms": float(np.median([p[0] for p in passes])), "p95_ms": float(np.median([p[1] for p in passes]))}


def measure_variant(
    base: np.ndarray,
    queries: np.ndarray,
    truth: np.ndarray,
    *,
    name: str,
    settings: dict,
    sweep: list[dict] | None = None,
    latency_queries: int = 300,
    repeats: int = 3,
) -> list[dict]:
    """Build one index and measure recall and latency for each search setting in `sweep`."""
    if "shards" in settings:
        return measure_sharded(
            base, queries, truth, name=name, settings=settings, sweep=sweep, latency_queries=latency_queries, repeats=repeats
        )
    started = time.perf_counter()
    index = VectorIndex(dim=base.shape[1], **settings).build(base)
    build_s = time.perf_counter() - started
    rows = []
    for search_settings in sweep or [{}]:
        for key, value in search_settings.items():
            setattr(index, key, value)
        index.apply_search_settings()
        _, ids = index.search(queries, truth.shape[1])
        # Exact search over 1M takes ~0.1 s a query: 50 queries give a stable median.
        count = min(latency_queries, 50) if settings.get("kind") == "flat" else latency_queries
        row = {
            "size": len(base),
            "variant": name,
            **settings,
            **search_settings,
            "build_s": round(build_s, 2),
            "recall_at_10": round(recall_at_k(ids, truth), 4),
            **latency_ms(index, queries, count=count, repeats=repeats),
        }
        rows.append(row)
        print(json.dumps(row), flush=True)
    del index
    gc.collect()
    return rows


def measure_sharded(
    base: np.ndarray,
    queries: np.ndarray,
    truth: np.ndarray,
    *,
    name: str,
    settings: dict,
    sweep: list[dict] | None = None,
    latency_queries: int = 300,
    repeats: int = 3,
) -> list[dict]:
    """Write `base` as settings["shards"] shards (ShardedVectorIndex.build, as a sharded index
    version is written), then measure recall and per-claim latency with all shards loaded and
    one at a time (cache_shards=False, mmap=True), and each mode's peak RSS in a fresh process."""
    options = {key: value for key, value in settings.items() if key != "shards"}
    shard_size = math.ceil(len(base) / settings["shards"])
    realdata.CACHE.mkdir(parents=True, exist_ok=True)
    rows = []
    # On disk beside the vector cache, not in /tmp, which may be memory-backed.
    with tempfile.TemporaryDirectory(prefix="shards-", dir=realdata.CACHE) as directory:
        started = time.perf_counter()
        sharded = ShardedVectorIndex.build(directory, [base], shard_size=shard_size, dim=base.shape[1], **options)
        build_s = time.perf_counter() - started
        kinds = [shard["kind"] for shard in sharded.shards]
        np.save(Path(directory) / "queries.npy", queries)
        del sharded
        for search_settings in sweep or [{}]:
            for mode, load in (("all-loaded", {}), ("one-at-a-time", {"cache_shards": False, "mmap": True})):
                index = ShardedVectorIndex(directory, **options, **search_settings, **load)
                _, ids = index.search(queries, truth.shape[1])
                count = latency_queries if mode == "all-loaded" else min(latency_queries, 100)
                row = {
                    "size": len(base),
                    "variant": name,
                    **settings,
                    **search_settings,
                    "mode": mode,
                    "shard_size": shard_size,
                    "shard_kinds": kinds,
                    "build_s": round(build_s, 2),
                    "recall_at_10": round(recall_at_k(ids, truth), 4),
                    **latency_ms(index, queries, count=count, repeats=repeats),
                }
                del index
                gc.collect()
                child = machine.run_child(
                    ["search", directory, str(Path(directory) / "queries.npy"), json.dumps({**search_settings, **load})]
                )
                row["search_peak_rss_mb"] = child["peak_rss_mb"]  # VmHWM: mapped shard pages count too
                row["rss_before_index_mb"] = child["rss_before_index_mb"]
                rows.append(row)
                print(json.dumps(row), flush=True)
    return rows


def geometry(truth_scores: np.ndarray) -> dict[str, float]:
    """How close held-out queries are to the base: shows grown data looks like real data."""
    return {
        "top1_cos_median": round(float(np.median(truth_scores[:, 0])), 4),
        "top10_cos_median": round(float(np.median(truth_scores[:, 9])), 4),
    }


VARIANTS: dict[str, tuple[dict, list[dict]]] = {
    "flat": ({"kind": "flat"}, [{}]),
    "hnsw32": ({"kind": "hnsw", "hnsw_m": 32, "hnsw_ef_construction": 80}, [{"hnsw_ef_search": ef} for ef in (32, 64, 128, 256)]),
    "ivf": ({"kind": "ivf"}, [{"ivf_nprobe": p} for p in (8, 16, 32, 64, 128)]),
    "ivf-1m": ({"kind": "ivf"}, [{"ivf_nprobe": p} for p in (16, 32, 64, 96, 128)]),
    "ivf-default": ({"kind": "ivf"}, [{"ivf_nprobe": 64}, {"ivf_nprobe": 32}]),
    "hnsw32-1m": ({"kind": "hnsw", "hnsw_m": 32, "hnsw_ef_construction": 80}, [{"hnsw_ef_search": ef} for ef in (64, 128, 256)]),
    # 1M as 4 shards of 250k, each IVF with its own default lists (2048 at 250k) and nprobe.
    "sharded-4x250k": ({"kind": "ivf", "shards": 4}, [{"ivf_nprobe": 64}]),
}


def run(
    sizes: list[int],
    variants: list[str],
    *,
    latency_queries: int = 300,
    repeats: int = 3,
    json_path: Path | None = None,
    quick_base: bool = False,
) -> dict:
    """Measure every variant at every size on the same base and queries."""
    import faiss

    real_base, queries = quick_split() if quick_base else real_split()
    results: dict = {
        "real_base": len(real_base),
        "queries": len(queries),
        "faiss_threads": faiss.omp_get_max_threads(),
        "rows": [],
        "geometry": {},
    }
    real_truth_scores, _ = exact_top_k(real_base, queries)
    results["geometry"]["real_only"] = geometry(real_truth_scores)
    for size in sizes:
        base = grow(real_base, size)
        truth_scores, truth = exact_top_k(base, queries)
        results["geometry"][str(size)] = geometry(truth_scores)
        results["geometry"][str(size)]["real_in_true_top10"] = round(float(np.mean(truth < len(real_base))), 4)
        for name in variants:
            settings, sweep = VARIANTS[name]
            results["rows"] += measure_variant(
                base, queries, truth, name=name, settings=settings, sweep=sweep, latency_queries=latency_queries, repeats=repeats
            )
            if json_path:  # keep what is measured so far: a 1M sweep takes a while
                json_path.write_text(json.dumps(results, indent=1) + "\n")
        del base
        gc.collect()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS))
    parser.add_argument("--latency-queries", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--quick-base",
        action="store_true",
        help="grow from the 4000-sentence quick set, not the full cache (a check that it runs)",
    )
    args = parser.parse_args()
    results = run(
        args.sizes,
        args.variants,
        latency_queries=args.latency_queries,
        repeats=args.repeats,
        json_path=args.json,
        quick_base=args.quick_base,
    )
    print(json.dumps(results["geometry"], indent=1))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
