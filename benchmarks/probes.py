"""Verdicts on the probe claim sets (probes/*.json): the verify path as a reader would use it.

Each probe story names its articles (FNC-1 competition test body ids, or seed files); they are
read from ../shared at run time, written as plain-text files to a cache folder, indexed with the
configured embedder, and every claim is verified against them. The score is the share of claims
whose verdict equals the one decided from the articles before the tool was run.

    python -m benchmarks.probes --half dev            # tune on these
    python -m benchmarks.probes --half unseen         # report only
    python -m benchmarks.probes --half all --stance rules --json out.json
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PROBES = REPO / "probes"
SHARED = Path(os.environ.get("FACTCHECK_SHARED", REPO.parent / "shared"))
if not SHARED.exists():  # worktrees live beside /work/shared
    SHARED = Path("/work/shared")
CACHE = Path(os.environ.get("FACTCHECK_BENCH_CACHE", "/work/cache")) / "probes"
VERDICTS = ("supported", "contradicted", "disputed", "unverified")


def _fnc_test_bodies() -> dict[str, str]:
    path = SHARED / "datasets" / "fnc-1" / "competition_test_bodies.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["Body ID"]: row["articleBody"] for row in csv.DictReader(handle)}


def story_corpus(story: dict, slug: str) -> Path:
    """A folder holding the story's articles as files (written once, outside the repository)."""
    folder = CACHE / "corpus" / slug
    if story["source"] == "seeds":
        return SHARED / "seeds"  # the seed files are the corpus as they are
    if not folder.is_dir():
        bodies = _fnc_test_bodies()
        folder.mkdir(parents=True)
        for body_id in story["bodies"]:
            (folder / f"fnc-{body_id}.txt").write_text(bodies[body_id], encoding="utf-8")
    return folder


def run(
    *,
    half: str,
    stance: str | None,
    stories: list[str] | None,
    verbose: bool,
    settings=None,
    quiet: bool = False,
    model: str | None = None,
    runtime: str | None = None,
) -> dict:
    from factcheck.config import load_settings
    from factcheck.index import load_index
    from factcheck.pipeline import build_index, claims_from_texts, verify_claims

    settings = settings or load_settings().with_overrides(stance={"backend": stance, "model": model, "runtime": runtime})
    results: dict = {"half": half, "stance": settings.stance.backend, "stories": {}}
    rows = []
    for path in sorted(PROBES.glob("*.json")):
        slug = path.stem
        if stories and slug not in stories:
            continue
        story = json.loads(path.read_text(encoding="utf-8"))
        if story["source"] == "seeds" and len(story["bodies"]) != len(list((SHARED / "seeds").glob("*"))):
            raise SystemExit(f"{path}: the seed corpus changed")
        claims = [c for c in story["claims"] if half == "all" or c["half"] == half]
        if not claims:
            continue
        index_dir = CACHE / "indexes" / slug
        if not (index_dir / "CURRENT").exists():
            build_index([story_corpus(story, slug)], index_dir=index_dir, settings=settings)
        index = load_index(index_dir)
        verdicts = verify_claims(claims_from_texts([c["claim"] for c in claims]), index=index, settings=settings)
        right = 0
        for claim, verdict in zip(claims, verdicts):
            ok = verdict.verdict == claim["expected"]
            right += ok
            rows.append((claim["expected"], verdict.verdict))
            if verbose and not ok:
                best = verdict.evidence[0] if verdict.evidence else None
                print(
                    f"  MISS [{slug}] expected {claim['expected']}, got {verdict.verdict} "
                    f"({verdict.confidence:.2f}): {claim['claim']}"
                )
                if best is not None:
                    print(f"       top: {best.stance} {best.probabilities} sim {best.similarity}: {best.sentence[:160]}")
        results["stories"][slug] = {"right": right, "total": len(claims)}
        if not quiet:
            print(f"{slug}: {right}/{len(claims)}")
    total = sum(s["total"] for s in results["stories"].values())
    right = sum(s["right"] for s in results["stories"].values())
    confusion = Counter(rows)
    results.update(right=right, total=total, confusion={f"{e}->{g}": n for (e, g), n in sorted(confusion.items())})
    if quiet:
        return results
    print(f"all: {right}/{total} ({right / max(1, total):.3f})")
    for expected in VERDICTS:
        line = "  ".join(f"{g[:5]} {confusion[(expected, g)]:3d}" for g in VERDICTS)
        print(f"  expected {expected:12s} -> {line}")
    return results


def remember_model_answers(hybrid) -> None:
    """Cache the hybrid backend's learned model per pair, so a threshold grid runs it once."""
    learned = hybrid.model
    cache: dict = {}
    classify = learned.classify_batch

    def cached(pairs):
        todo = [p for p in dict.fromkeys(pairs) if p not in cache]
        cache.update(zip(todo, classify(todo)) if todo else [])
        return [cache[p] for p in pairs]

    learned.classify_batch = cached


def grid(*, half: str, model: str | None = None) -> list[dict]:
    """Right verdicts on `half` (dev or fresh: this is tuning) for each hybrid threshold setting.

    The learned model's answers are cached per pair, so each setting costs only the rules and
    the aggregation. Prints one line per setting, best last.
    """
    import itertools

    from factcheck.config import load_settings
    from factcheck.stance import load_stance_model

    if half not in ("dev", "fresh", "fresh2", "fresh4"):
        raise SystemExit("tune on the dev half or the fresh, fresh2 and fresh4 sets only (selection sets since sessions 5-7)")
    import factcheck.stance as stance

    base = load_settings().with_overrides(stance={"backend": "hybrid", "model": model})
    hybrid = load_stance_model("hybrid", base.stance.model, runtime=base.stance.runtime)  # the instance verify uses
    remember_model_answers(hybrid)
    default_denial = stance.DEBUNK_REFUTES
    rows = []
    for min_similarity, support, refute, overrule, credible, denial in itertools.product(
        (0.35, 0.45), (0.3, 0.4, 0.5), (0.6, 0.7, 0.8), (0.8,), (0.3, 0.4), (0.4, 0.5, None)
    ):
        hybrid.support_threshold, hybrid.refute_threshold, hybrid.overrule = support, refute, overrule
        stance.DEBUNK_REFUTES = 2.0 if denial is None else denial  # None: no denial rule
        settings = base.with_overrides(aggregate={"credible": credible}, retrieve={"min_similarity": min_similarity})
        result = run(half=half, stance=None, stories=None, verbose=False, settings=settings, quiet=True)
        rows.append(
            {
                "min_similarity": min_similarity,
                "support": support,
                "refute": refute,
                "overrule": overrule,
                "credible": credible,
                "denial": denial,
                "right": result["right"],
                "total": result["total"],
                "confusion": result["confusion"],
            }
        )
    stance.DEBUNK_REFUTES = default_denial
    rows.sort(key=lambda r: r["right"])
    for row in rows:
        print(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.probes", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--half", choices=("dev", "unseen", "fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6", "all"), default="dev"
    )
    parser.add_argument("--stance", default=None, help="stance backend (default: the config's)")
    parser.add_argument("--stance-model", help="model directory for the stance backend (default: the shipped model)")
    parser.add_argument("--runtime", choices=("onnx", "torch"), help="how the learned model runs (default: the config's)")
    parser.add_argument("--story", action="append", help="only these probe files (stem); repeatable")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every miss")
    parser.add_argument(
        "--grid",
        action="store_true",
        help="try a grid of hybrid thresholds on a selection set: dev, fresh, fresh2 or fresh4 (tuning)",
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if args.grid:
        rows = grid(half=args.half, model=args.stance_model)
        if args.json:
            args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
        return 0
    results = run(
        half=args.half,
        stance=args.stance,
        stories=args.story,
        verbose=args.verbose,
        model=args.stance_model,
        runtime=args.runtime,
    )
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
