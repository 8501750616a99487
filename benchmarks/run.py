"""Speed and scale benchmarks, side by side on the same real data (issues 6 and 12).

    python -m benchmarks.run [--quick] [--json FILE] [--markdown FILE]   (default: benchmarks/RESULTS-run.md)

Measures raw_encode_sps vs build_index_sps (overhead_ratio), dedup, incremental_ratio (1% new
text), search_p50_ms / recall_at_10 at 100k and 1M vectors (IVF) and HNSW at one size,
verify_claims_per_s with its split, peak_rss_mb of build and verify in fresh processes at
several corpus sizes, `factcheck verify` of one claim on the seed index (wall, peak RSS),
`factcheck build-index` against txtai and bare encode + FAISS, `verify --all` local against Ray,
and the peak RSS of verifying 100 claims against a 1M-sentence index. Figures are medians of
`--runs` runs; ratios are taken between runs made in the same invocation. `--quick` measures
every row on smaller data so that it finishes in under five minutes from a fresh clone.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import corpus, machine, realdata, scale, search

TARGETS = {
    "overhead_ratio": ">= 0.90",
    "dedup_time_ratio": "<= 1.10",
    "incremental_ratio": "<= 0.05",
    "recall_at_10": ">= 0.95",
    "search_p50_ms_1m": "<= 5",
    "build_peak_rss_mb": "<= 500",
    "big_verify_peak_rss_mb": "<= 1000, flat as the index grows",
    "quick_total_s": "< 300 from a fresh clone",
}
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
BEGIN, END = "<!-- benchmarks.run: begin -->", "<!-- benchmarks.run: end -->"


@dataclass(frozen=True)
class Plan:
    """How much to measure: --quick keeps every figure but on smaller data."""

    articles: int
    rss_articles: tuple[int, ...]
    claims: int
    search_sizes: tuple[int, ...]
    latency_queries: int
    runs: int
    command_articles: int  # FNC-1 competition test bodies for build-index vs txtai vs encode + FAISS
    command_runs: int
    verify_all_articles: int  # verify --all, local vs Ray (one of rss_articles: its index is reused)
    big_sentences: int  # the index verify's 100 claims are checked against, for its peak RSS
    hnsw_size: int


QUICK = Plan(
    articles=40,
    rss_articles=(40,),
    claims=50,
    search_sizes=(100_000,),
    latency_queries=200,
    runs=1,
    command_articles=20,
    command_runs=1,
    verify_all_articles=40,
    big_sentences=100_000,
    hnsw_size=20_000,
)
FULL = Plan(
    articles=120,
    rss_articles=(100, 400, 1600),
    claims=200,
    search_sizes=(100_000, 1_000_000),
    latency_queries=300,
    runs=3,
    command_articles=120,
    command_runs=3,
    verify_all_articles=400,
    big_sentences=1_000_000,
    hnsw_size=100_000,
)
BIG_CLAIMS = 100
INCREMENTAL_SHARE = 0.01  # the incremental build adds this share of new text


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def median_time(function, runs: int) -> tuple[float, list[float]]:
    """Median wall time of `runs` calls (and every time, for the record)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), [round(t, 3) for t in times]


def pipeline_settings():
    from factcheck.config import Settings

    return Settings()


class StageTimer:
    """A pipeline Progress that records how long each build stage takes (no drawing)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def stage(self, description: str, total: int | None = None):
        from contextlib import contextmanager

        @contextmanager
        def timing():
            started = time.perf_counter()
            try:
                yield lambda n=1: None
            finally:
                self.seconds[description] = self.seconds.get(description, 0.0) + (time.perf_counter() - started)

        return timing()


def segment_texts(folder: Path) -> list[str]:
    """The unique sentence texts build_index would embed for `folder` (same ingest + segment)."""
    from factcheck.ingest import iter_articles
    from factcheck.segment import segment_article

    texts: dict[str, str] = {}
    for article in iter_articles([folder], on_skip=lambda path, reason: None):
        for sentence in segment_article(article):
            texts.setdefault(sentence.hash, sentence.text)
    return list(texts.values())


def bench_build(plan: Plan, work: Path) -> dict:
    """raw encode vs build_index, dedup and incremental builds, all with one loaded model."""
    from factcheck.embed import load_embedder
    from factcheck.pipeline import build_index

    settings = pipeline_settings()
    # the baseline is what a user would write: sentence-transformers `encode` on the same model,
    # whatever backend the pipeline itself runs (ONNX Runtime by default)
    bare = load_embedder("sentence-transformers", settings.embedder.model, batch_size=settings.embedder.batch_size)
    model = bare._model
    articles = corpus.fnc_articles(plan.articles)
    unique_dir = corpus.write_corpus("unique", articles)
    texts = segment_texts(unique_dir)
    model.encode(texts[:64], batch_size=settings.embedder.batch_size)  # warm-up: first call is slow

    def raw_encode() -> None:
        model.encode(
            texts,
            batch_size=settings.embedder.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )

    def build(folders: list[Path], index_dir: Path, *, fresh: bool = True, progress=None):
        return build_index(folders, index_dir=index_dir, settings=settings, fresh=fresh, progress=progress)

    # Interleave raw and pipeline runs so that load from other jobs hits both alike, and keep
    # CPU time beside wall time: on a shared machine wall time swings 2-3x between runs, while
    # this process's CPU time (all its threads) measures its own work.
    raw_times, raw_cpu, build_times, build_cpu, stage_times = [], [], [], [], []
    stats = None
    for _ in range(plan.runs):
        wall, cpu = time.perf_counter(), time.process_time()
        raw_encode()
        raw_times.append(time.perf_counter() - wall)
        raw_cpu.append(time.process_time() - cpu)
        timer = StageTimer()
        wall, cpu = time.perf_counter(), time.process_time()
        stats = build([unique_dir], work / "unique", progress=timer)
        build_times.append(time.perf_counter() - wall)
        build_cpu.append(time.process_time() - cpu)
        timer.seconds["other (tables, writing)"] = build_times[-1] - sum(timer.seconds.values())
        stage_times.append(timer.seconds)
    raw_sps = len(texts) / statistics.median(raw_times)
    build_sps = stats.embedded / statistics.median(build_times)
    # Ratio of each interleaved pair, then the median: pairs share the load of their moment.
    pair_ratios = [(stats.embedded / b) / (len(texts) / r) for r, b in zip(raw_times, build_times)]
    cpu_ratios = [(stats.embedded / b) / (len(texts) / r) for r, b in zip(raw_cpu, build_cpu)]
    result = {
        "sentences": len(texts),
        "articles": len(articles),
        "build_embedded": stats.embedded,
        "raw_encode_sps": round(raw_sps, 1),
        "build_index_sps": round(build_sps, 1),
        "overhead_ratio": round(statistics.median(pair_ratios), 3),
        "overhead_ratio_cpu": round(statistics.median(cpu_ratios), 3),
        "raw_encode_cpu_sps": round(len(texts) / statistics.median(raw_cpu), 1),
        "build_index_cpu_sps": round(stats.embedded / statistics.median(build_cpu), 1),
        "raw_encode_s": [round(t, 2) for t in raw_times],
        "build_index_s": [round(t, 2) for t in build_times],
        "raw_encode_cpu_s": [round(t, 2) for t in raw_cpu],
        "build_index_cpu_s": [round(t, 2) for t in build_cpu],
        "build_stages_s": {name: round(statistics.median(t[name] for t in stage_times), 2) for name in stage_times[0]},
    }
    log(f"encode {raw_sps:.0f}/s, build {build_sps:.0f}/s")

    # dedup: the same articles plus syndicated copies making ~30% of sentences repeats, each
    # build paired with a unique-only build made right before it (ratio of each pair, then the
    # median), so that load from other jobs hits both sides of a ratio alike.
    copies = corpus.copies_for_share(articles, 0.30)
    dup_dir = corpus.write_corpus("syndicated", articles, syndicated=articles[:copies])
    dup_times, dup_cpu, pair_unique, pair_unique_cpu = [], [], [], []
    dup_stats = None
    for _ in range(plan.runs):
        wall, cpu = time.perf_counter(), time.process_time()
        build([unique_dir], work / "unique-pair")
        pair_unique.append(time.perf_counter() - wall)
        pair_unique_cpu.append(time.process_time() - cpu)
        wall, cpu = time.perf_counter(), time.process_time()
        dup_stats = build([dup_dir], work / "syndicated")
        dup_times.append(time.perf_counter() - wall)
        dup_cpu.append(time.process_time() - cpu)
    result["dedup"] = {
        "repeat_share": round(corpus.repeat_share(articles, copies), 3),
        "syndicated_copies": copies,
        "sentences_total": dup_stats.sentences_total,
        "embedded": dup_stats.embedded,
        "unique_embedded": stats.embedded,
        "unique_build_s": [round(t, 2) for t in pair_unique],
        "with_repeats_build_s": [round(t, 2) for t in dup_times],
        "dedup_time_ratio": round(statistics.median(d / u for d, u in zip(dup_times, pair_unique)), 3),
        "dedup_cpu_ratio": round(statistics.median(d / u for d, u in zip(dup_cpu, pair_unique_cpu)), 3),
    }
    log(f"dedup {result['dedup']}")

    # incremental: add 1% new text (one new article, cut to 1% of the corpus's characters) to
    # an existing index vs a full build of the result
    extra = [corpus.cut_to_share(corpus.fnc_articles(1, skip=plan.articles)[0], articles, INCREMENTAL_SHARE)]
    new_dir = corpus.write_corpus("new", extra)
    full_times, incremental_times, full_cpu, incremental_cpu = [], [], [], []
    inc_stats = None
    for _ in range(plan.runs):
        wall, cpu = time.perf_counter(), time.process_time()
        build([unique_dir, new_dir], work / "full")
        full_times.append(time.perf_counter() - wall)
        full_cpu.append(time.process_time() - cpu)
        shutil.rmtree(work / "incremental", ignore_errors=True)
        shutil.copytree(work / "unique", work / "incremental")  # the existing index
        wall, cpu = time.perf_counter(), time.process_time()
        inc_stats = build([unique_dir, new_dir], work / "incremental", fresh=False)
        incremental_times.append(time.perf_counter() - wall)
        incremental_cpu.append(time.process_time() - cpu)
    result["incremental"] = {
        "new_articles": len(extra),
        "new_text_share": round(len(extra[0][1]) / sum(len(body) for _, body in articles), 4),
        "embedded": inc_stats.embedded,
        "full_build_s": round(statistics.median(full_times), 2),
        "incremental_build_s": round(statistics.median(incremental_times), 3),
        "incremental_ratio": round(statistics.median(incremental_times) / statistics.median(full_times), 4),
        "incremental_cpu_ratio": round(statistics.median(incremental_cpu) / statistics.median(full_cpu), 4),
    }
    log(f"incremental {result['incremental']}")
    return result


def bench_verify(plan: Plan, work: Path) -> dict:
    """verify_claims throughput on real headlines as claims, and its split by stage."""
    from factcheck.embed import load_embedder
    from factcheck.index import load_index
    from factcheck.pipeline import claims_from_file, verify_claims
    from factcheck.retrieve import retrieve_evidence
    from factcheck.stance import classify_stance, load_stance_model

    settings = pipeline_settings()
    claims_path = write_claims(plan.claims)
    claims = claims_from_file(claims_path)
    embedder = load_embedder(settings.embedder.backend, settings.embedder.model, batch_size=settings.embedder.batch_size)
    stance_model = load_stance_model(settings.stance.backend, settings.stance.model, runtime=settings.stance.runtime)
    totals, splits = [], []
    for _ in range(plan.runs):
        index = load_index(work / "unique")
        started = time.perf_counter()
        verify_claims(claims, index=index, settings=settings)
        totals.append(time.perf_counter() - started)
        # The same stages by hand, timed one by one, on a freshly loaded index.
        index = load_index(work / "unique")
        marks = [time.perf_counter()]
        vectors = embedder.embed_batch([claim.text for claim in claims])
        marks.append(time.perf_counter())
        evidence = retrieve_evidence(claims, vectors, index, settings=settings.retrieve)
        marks.append(time.perf_counter())
        pairs = [(claim.text, e.sentence) for claim, items in zip(claims, evidence) for e in items]
        classify_stance(stance_model, pairs)
        marks.append(time.perf_counter())
        splits.append(np.diff(marks))
    split = np.median(np.array(splits), axis=0)
    total = statistics.median(totals)
    return {
        "claims": len(claims),
        "indexed_vectors": int(len(index.vectors)),
        "stance_backend": settings.stance.backend,
        "stance_pairs": len(pairs),
        "verify_claims_per_s": round(len(claims) / total, 1),
        "verify_s": [round(t, 3) for t in totals],
        "split_s": {
            "embed_claims": round(float(split[0]), 3),
            "retrieval": round(float(split[1]), 3),
            "stance": round(float(split[2]), 3),
        },
    }


def write_claims(count: int) -> Path:
    """Real FNC-1 headlines as free-text claims (a claims file outside the repository)."""
    import csv

    path = realdata.CACHE / f"claims-{count}.txt"
    headlines: dict[str, None] = {}
    with open(realdata.SHARED / "datasets" / "fnc-1" / "competition_test_stances.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            headlines.setdefault(" ".join(row["Headline"].split()), None)
            if len(headlines) == count:
                break
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(h for h in headlines if not h.startswith("#")) + "\n", encoding="utf-8")
    return path


def bench_memory(plan: Plan, work: Path) -> dict:
    """Peak RSS of a build and a verify in fresh processes, at each corpus size."""
    rows = []
    claims_path = write_claims(plan.claims)
    for count in plan.rss_articles:
        folder = corpus.write_corpus(f"rss-{count}", corpus.fnc_articles(count))
        index_dir = work / f"rss-{count}"
        built = machine.run_child(["build", str(folder), str(index_dir)])
        verified = machine.run_child(["verify", str(index_dir), str(claims_path)])
        rows.append(
            {
                "articles": count,
                "sentences": built["sentences"],
                "build_peak_rss_mb": built["peak_rss_mb"],
                "build_s": built["seconds"],
                "verify_peak_rss_mb": verified["peak_rss_mb"],
                "verify_s": verified["seconds"],
            }
        )
        log(f"memory {rows[-1]}")
    return {"sizes": rows}


def search_vectors(quick: bool) -> tuple[np.ndarray, np.ndarray, str]:
    """(real base, held-out real queries, description): the full cache when it exists, else a
    small fresh set (the full one takes ~10 minutes to embed: `python -m benchmarks.realdata`)."""
    if not search_base_is_quick():
        base, queries = search.real_split()
        return base, queries, f"{len(base)} real sentence vectors (full cache)"
    base, queries = search.quick_split()
    return base, queries, f"{len(base)} real sentence vectors (quick set)"


def bench_search(plan: Plan, quick: bool) -> dict:
    """recall@10 and per-claim latency of the default VectorIndex ("auto") and exact search."""
    from factcheck.index.vectors import VectorIndex

    real_base, queries, description = search_vectors(quick)
    result = {"base": description, "queries": len(queries), "sizes": []}
    for size in plan.search_sizes:
        base = search.grow(real_base, size)
        _, truth = search.exact_top_k(base, queries)
        row = {"size": size}
        started = time.perf_counter()
        auto = VectorIndex(dim=base.shape[1]).build(base)  # the shipped defaults
        row["auto_kind"] = auto.current_kind
        row["build_s"] = round(time.perf_counter() - started, 2)
        _, ids = auto.search(queries, 10)
        row["recall_at_10"] = round(search.recall_at_k(ids, truth), 4)
        latency = search.latency_ms(auto, queries, count=plan.latency_queries, repeats=plan.runs)
        row["search_p50_ms"] = round(latency["p50_ms"], 3)
        row["search_p95_ms"] = round(latency["p95_ms"], 3)
        del auto
        exact = VectorIndex(dim=base.shape[1], kind="flat").build(base)
        flat = search.latency_ms(exact, queries, count=min(plan.latency_queries, 50), repeats=plan.runs)
        row["exact_p50_ms"] = round(flat["p50_ms"], 3)
        del exact, base
        result["sizes"].append(row)
        log(f"search {row}")
    return result


def markdown(results: dict) -> str:
    """The results table RESULTS.md quotes."""
    m = results["machine"]
    lines = [
        f"Command: `{results['command']}`  ",
        f"Machine: {m['nproc']} cores, {m['cpu_model']}, {m['ram_gib']} GiB RAM, load at start "
        f"{m['load_average_at_start']}; started {results['started']}",
        "",
        "| figure | measured | target |",
        "|---|---|---|",
    ]
    build = results.get("build", {})
    if "raw_encode_sps" in build:
        lines += [
            f"| raw_encode_sps ({build['sentences']} sentences) | {build['raw_encode_sps']} | |",
            f"| build_index_sps | {build['build_index_sps']} | |",
            f"| overhead_ratio (wall, median of interleaved pairs) | {build['overhead_ratio']} | {TARGETS['overhead_ratio']} |",
            f"| overhead_ratio (process CPU time) | {build['overhead_ratio_cpu']} | {TARGETS['overhead_ratio']} |",
            "| build stages, s (median): " + ", ".join(f"{k} {v}" for k, v in build["build_stages_s"].items()) + " | | |",
            f"| dedup: build time with 30% repeats / unique only "
            f"(embedded {build['dedup']['embedded']} vs {build['dedup']['unique_embedded']}) | "
            f"{build['dedup']['dedup_time_ratio']} (CPU {build['dedup']['dedup_cpu_ratio']}) | "
            f"{TARGETS['dedup_time_ratio']} |",
            f"| incremental_ratio (+{build['incremental'].get('new_text_share', 0):.1%} new text, "
            f"embedded {build['incremental']['embedded']}) | "
            f"{build['incremental']['incremental_ratio']} (CPU "
            f"{build['incremental']['incremental_cpu_ratio']}) | {TARGETS['incremental_ratio']} |",
        ]
    for row in results.get("search", {}).get("sizes", []):
        label = f"{row['size'] // 1000}k" if row["size"] < 1_000_000 else f"{row['size'] // 1_000_000}M"
        target = TARGETS["search_p50_ms_1m"] if row["size"] >= 1_000_000 else ""
        lines += [
            f"| search_p50_ms at {label} ({row['auto_kind']}; p95 {row['search_p95_ms']}; "
            f"exact {row['exact_p50_ms']}) | {row['search_p50_ms']} | {target} |",
            f"| recall_at_10 at {label} | {row['recall_at_10']} | {TARGETS['recall_at_10']} |",
        ]
    verify = results.get("verify", {})
    if "verify_claims_per_s" in verify:
        split = verify["split_s"]
        lines.append(
            f"| verify_claims_per_s ({verify['claims']} claims, stance "
            f"{verify['stance_backend']}; split s: embed {split['embed_claims']}, "
            f"retrieval {split['retrieval']}, stance {split['stance']}) | "
            f"{verify['verify_claims_per_s']} | |"
        )
    for row in results.get("memory", {}).get("sizes", []):
        lines.append(
            f"| peak_rss_mb build / verify ({results['plan']['claims']} claims), {row['articles']} articles "
            f"({row['sentences']} sentences) | {row['build_peak_rss_mb']} / "
            f"{row['verify_peak_rss_mb']} | build {TARGETS['build_peak_rss_mb']}; flat in corpus size |"
        )
    seed = results.get("seed", {})
    if seed:
        lines.append(
            f"| `factcheck verify` one claim on the seed index ({seed['articles']} articles), fresh process: "
            f"wall s / peak RSS MB (in-process {seed['verify_in_process_s']} s) | "
            f"{seed['verify_wall_s']} / {seed['verify_peak_rss_mb']} | |"
        )
    commands = results.get("commands", {})
    if commands:
        txtai = commands["txtai_index"]
        txtai_text = f"{txtai['wall_s']} s ({txtai['peak_rss_mb']} MB)" if "wall_s" in txtai else txtai["skipped"]
        fc, flat = commands["factcheck_build_index"], commands["encode_faiss_flat"]
        lines.append(
            f"| `factcheck build-index` / txtai `Embeddings.index` / encode + faiss.IndexFlatIP, "
            f"{commands['articles']} FNC-1 competition test bodies ({commands['sentences']} unique sentences), "
            f"fresh process each, median of {commands['runs']} round-robin: wall (peak RSS) | "
            f"{fc['wall_s']} s ({fc['peak_rss_mb']} MB) / {txtai_text} / {flat['wall_s']} s ({flat['peak_rss_mb']} MB) | |"
        )
    everything = results.get("verify_all", {})
    if everything:
        lines.append(
            f"| `verify --all`, {everything['articles']} articles ({everything['claims']} claims): local / Ray "
            f"(local instance, 2 workers), fresh process each, s; same report: {everything['same_report']} | "
            f"{everything['local_s']} / {everything['ray_s']} (Ray/local {everything['ray_over_local']}) | |"
        )
    big = results.get("big_verify", {})
    if big:
        lines.append(
            f"| verify {big['claims']} claims against a {big['sentences']:,}-sentence index: peak RSS MB "
            f"({big['verify_s']} s; vectors: {big['vectors']}) | {big['verify_peak_rss_mb']} | "
            f"{TARGETS['big_verify_peak_rss_mb']} |"
        )
    hnsw = results.get("hnsw", {})
    if hnsw:
        lines.append(
            f"| HNSW (M=32, efC=80, efSearch=128) at {hnsw['size']:,}: build s / p50 ms / recall@10 "
            f"(1M build projected ~{hnsw['projected_1m_build_s']} s, n log n) | "
            f"{hnsw['build_s']} / {hnsw['p50_ms']} / {hnsw['recall_at_10']} | |"
        )
    for name, error in results.get("errors", {}).items():
        lines.append(f"| {name} | not measured: {error} | |")
    if "total_s" in results:
        lines.append(
            f"| total wall time of this run, s | {results['total_s']} | {TARGETS['quick_total_s'] if results['quick'] else ''} |"
        )
    return "\n".join(lines) + "\n"


def write_results(table: str, path: Path = RESULTS) -> None:
    """Put the table between the BEGIN/END marks of RESULTS.md (the narrative around it stays)."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    block = f"{BEGIN}\n{table}{END}"
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + block + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip("\n") + "\n\n## Latest `python -m benchmarks.run`\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="factcheck speed and scale benchmarks")
    parser.add_argument("--quick", action="store_true", help="every row on smaller data (no 1M); < 5 minutes")
    parser.add_argument("--json", type=Path, help="write all figures here [default: the cache folder]")
    parser.add_argument(
        "--markdown", type=Path, default=RESULTS, help="write the results table into this file's benchmarks.run block"
    )
    parser.add_argument("--runs", type=int, help="runs per figure (median is reported)")
    parser.add_argument("--rss-articles", type=int, nargs="+", help="corpus sizes of the memory rows (overrides the plan)")
    parser.add_argument("--verify-all-articles", type=int, help="articles of the verify --all row (overrides the plan)")
    parser.add_argument("--only", nargs="+", choices=[name for name, _ in SECTION_NAMES])
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    plan = QUICK if args.quick else FULL
    from dataclasses import replace

    if args.runs:
        plan = replace(plan, runs=args.runs, command_runs=args.runs)
    if args.rss_articles:
        plan = replace(plan, rss_articles=tuple(args.rss_articles))
    if args.verify_all_articles:
        plan = replace(plan, verify_all_articles=args.verify_all_articles)
    work = realdata.CACHE / f"bench-indexes-{os.getpid()}"  # concurrent runs never share one
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    if args.json is None:
        args.json = realdata.CACHE / ("run-quick.json" if args.quick else "run-full.json")
        args.json.parent.mkdir(parents=True, exist_ok=True)
    results: dict = {
        "quick": args.quick,
        "command": "python -m benchmarks.run " + " ".join(sys.argv[1:] if argv is None else argv),
        "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
        "machine": machine.describe(),
        "plan": plan.__dict__,
        "errors": {},
    }
    quick_base = search_base_is_quick()
    sections = [
        ("seed", lambda plan, work: scale.bench_seed(work)),
        ("build", bench_build),
        ("commands", lambda plan, work: scale.bench_commands(plan.command_articles, plan.command_runs, work)),
        ("verify", bench_verify),
        ("memory", bench_memory),
        ("verify_all", lambda plan, work: scale.bench_verify_all(plan.verify_all_articles, work)),
        (
            "big_verify",
            lambda plan, work: scale.bench_big_verify(plan.big_sentences, write_claims(BIG_CLAIMS), work, quick_base=quick_base),
        ),
        ("search", lambda plan, work: bench_search(plan, args.quick)),
        (
            "hnsw",
            lambda plan, work: scale.bench_hnsw(
                plan.hnsw_size, quick_base=quick_base, latency_queries=plan.latency_queries, runs=plan.runs
            ),
        ),
    ]

    started = time.perf_counter()
    for name, function in sections:
        if args.only and name not in args.only:
            continue
        if name == "verify" and "build" not in results and not (work / "unique").exists():
            bench_build_index_only(plan, work)
        log(f"{name} ...")
        try:
            results[name] = function(plan, work)
        except (ImportError, RuntimeError) as error:  # a piece not on this branch, or a child that failed
            results["errors"][name] = f"{type(error).__name__}: {str(error)[-300:]}"
            log(f"{name} failed: {error}")
        args.json.write_text(json.dumps(results, indent=1) + "\n")
    results["total_s"] = round(time.perf_counter() - started, 1)
    args.json.write_text(json.dumps(results, indent=1) + "\n")
    table = markdown(results)
    print(table)
    write_results(table, args.markdown)
    shutil.rmtree(work, ignore_errors=True)  # the indexes (a 1M one is ~3 GB)


SECTION_NAMES = [
    ("seed", "verify one claim on the seed index"),
    ("build", "build-index vs bare encode, dedup, incremental"),
    ("commands", "build-index command vs txtai vs encode + FAISS"),
    ("verify", "verify throughput"),
    ("memory", "build and verify peak RSS by corpus size"),
    ("verify_all", "verify --all, local vs Ray"),
    ("big_verify", "verify 100 claims against a 1M-sentence index"),
    ("search", "IVF search at 100k / 1M"),
    ("hnsw", "HNSW build, p50, recall"),
]


def search_base_is_quick() -> bool:
    """Grow synthetic vectors from the 4,000-sentence quick set unless the full real cache exists
    (embedding all 64k real sentences takes ~10 minutes on 2 cores: `python -m benchmarks.realdata`)."""
    sentences = realdata.real_sentences()
    full = realdata.CACHE / f"vectors-fnc-{realdata.corpus_key(sentences)}.npy"
    return not full.exists()


def bench_build_index_only(plan: Plan, work: Path) -> None:
    """The index bench_verify reads, when --only skips the build section."""
    from factcheck.pipeline import build_index

    folder = corpus.write_corpus("unique", corpus.fnc_articles(plan.articles))
    build_index([folder], index_dir=work / "unique", settings=pipeline_settings(), fresh=True)


if __name__ == "__main__":
    main()
