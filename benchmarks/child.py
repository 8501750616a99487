"""One build or verify in a fresh process, so its peak RSS is its own.

    python -m benchmarks.child build CORPUS INDEX_DIR
    python -m benchmarks.child verify INDEX_DIR CLAIMS_FILE
    python -m benchmarks.child search SHARDS_DIR QUERIES.npy '{"cache_shards": false, "mmap": true}'
    python -m benchmarks.child verify-all INDEX_DIR local|ray      (verify --all; a digest of its JSON)
    python -m benchmarks.child cli ARGS...                         (the factcheck command, in this process)
    python -m benchmarks.child txtai SENTENCES.txt MODEL_DIR       (txtai Embeddings.index, one line a sentence)
    python -m benchmarks.child encode-flat SENTENCES.txt MODEL_DIR (bare encode + faiss.IndexFlatIP)

Prints one JSON line: seconds, counts and peak_rss_mb (VmHWM of this process).
"""

from __future__ import annotations

import json
import resource
import sys
import time


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MiB.

    VmHWM belongs to this process's address space, which starts afresh at exec. ru_maxrss does
    not: Linux carries it over fork and exec, so a child of a parent holding a 1.2 GB model
    would report at least 1.2 GB whatever it did itself.
    """
    try:
        for line in open("/proc/self/status", encoding="ascii"):
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def rss_mb() -> float:
    """Resident set size of this process now, in MiB."""
    for line in open("/proc/self/status", encoding="ascii"):
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def main(argv: list[str]) -> None:
    from factcheck.config import Settings
    from factcheck.pipeline import build_index, claims_from_file, verify_claims

    command, *rest = argv
    settings = Settings()
    started = time.perf_counter()
    if command == "cli":  # a factcheck command as a user runs it; its own output goes to stderr here
        from contextlib import redirect_stdout

        from factcheck.cli import app

        with redirect_stdout(sys.stderr):
            try:
                app(rest, standalone_mode=False)
            except SystemExit as exit:
                if exit.code:
                    raise
        result = {"command": " ".join(rest)}
    elif command in ("txtai", "encode-flat"):
        sentences_path, model_dir = rest
        sentences = [line for line in open(sentences_path, encoding="utf-8").read().split("\n") if line]
        if command == "txtai":
            from txtai import Embeddings

            embeddings = Embeddings(path=model_dir, method="sentence-transformers", batch=64, encodebatch=64)
            embeddings.index(sentences)
            result = {"indexed": int(embeddings.count())}
        else:
            import faiss
            from sentence_transformers import SentenceTransformer

            model = SentenceTransformer(model_dir, device="cpu")
            vectors = model.encode(sentences, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
            flat = faiss.IndexFlatIP(vectors.shape[1])
            flat.add(vectors)
            result = {"indexed": int(flat.ntotal)}
        result["sentences"] = len(sentences)
    elif command == "verify-all":
        import hashlib

        from factcheck.pipeline import verify

        index_dir, engine = rest
        report = verify(settings=settings.with_overrides(index={"dir": index_dir}), all_articles=True, engine=engine)
        report.data.pop("generated_at")
        text = json.dumps(report.data, sort_keys=True)
        result = {"claims": len(report.verdicts), "report_sha256": hashlib.sha256(text.encode()).hexdigest()[:16]}
    elif command == "build":
        corpus, index_dir = rest
        stats = build_index([corpus], index_dir=index_dir, settings=settings, fresh=True)
        result = {"embedded": stats.embedded, "sentences": stats.sentences_total, "articles": stats.articles_total}
    elif command == "verify":
        from factcheck.index import load_index

        index_dir, claims_path = rest
        index = load_index(index_dir)
        claims = claims_from_file(claims_path)
        verdicts = verify_claims(claims, index=index, settings=settings)
        result = {"claims": len(verdicts), "indexed_vectors": int(len(index.vectors))}
    elif command == "search":
        # A sharded index (benchmarks/search.py) searched as verify searches: every claim in one
        # call, 50 candidates each, then claims one at a time.
        import numpy as np

        from factcheck.index.vectors import ShardedVectorIndex

        directory, queries_path, options = rest
        queries = np.load(queries_path)
        result = {"rss_before_index_mb": rss_mb()}
        index = ShardedVectorIndex(directory, **json.loads(options))
        index.search(queries, 50)
        for row in range(min(100, len(queries))):
            index.search(queries[row : row + 1], 10)
    else:
        raise SystemExit(f"unknown command {command!r}: use build, verify or search")
    result["seconds"] = round(time.perf_counter() - started, 2)
    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
