"""One build or verify in a fresh process, so its peak RSS is its own.

    python -m benchmarks.child build CORPUS INDEX_DIR
    python -m benchmarks.child verify INDEX_DIR CLAIMS_FILE

Prints one JSON line: seconds, counts and peak_rss_mb (getrusage(RUSAGE_SELF).ru_maxrss).
"""

from __future__ import annotations

import json
import resource
import sys
import time


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MiB (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def main(argv: list[str]) -> None:
    from factcheck.config import Settings
    from factcheck.pipeline import build_index, claims_from_file, verify_claims

    command, *rest = argv
    settings = Settings()
    started = time.perf_counter()
    if command == "build":
        corpus, index_dir = rest
        stats = build_index([corpus], index_dir=index_dir, settings=settings, fresh=True)
        result = {"embedded": stats.embedded, "sentences": stats.sentences_total,
                  "articles": stats.articles_total}
    elif command == "verify":
        from factcheck.index import load_index

        index_dir, claims_path = rest
        index = load_index(index_dir)
        claims = claims_from_file(claims_path)
        verdicts = verify_claims(claims, index=index, settings=settings)
        result = {"claims": len(verdicts), "indexed_vectors": int(len(index.vectors))}
    else:
        raise SystemExit(f"unknown command {command!r}: use build or verify")
    result["seconds"] = round(time.perf_counter() - started, 2)
    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
