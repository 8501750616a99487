"""Compare stance models on the dev sets they were never trained on (never a reported test split).

Each model folder is read raw (backend `minilm`, its own calibration, no slot rules) on the dev
sets of `corpus.build_training_data_v2` for one seed (the four stories held out for measurement
are left out of them), and on restatements of the dev bodies (`pairs.restatement_pairs`: a name
cut to its surname, a date or number written another way), which should read as supports.
This is the table in the model card.

    python -m benchmarks.devsets factcheck/resources/stance-minilm models/new [--seed 2] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections import defaultdict
from pathlib import Path

LABELS = ("supports", "refutes", "neutral")


def compare(model_dirs: list[str], *, seed: int = 2, data_dir: str | None = None) -> dict[str, dict]:
    from factcheck.eval import metrics
    from factcheck.eval.corpus import build_training_data_v2
    from factcheck.eval.pairs import restatement_pairs
    from factcheck.eval.train import held_out_train_bodies, is_dev_body
    from factcheck.stance.cross_encoder import CrossEncoderStance

    _, dev = build_training_data_v2(data_dir, seed=seed)
    stories = [(f"fnc-train:{b}", s) for b, s in held_out_train_bodies(data_dir) if is_dev_body(b)]
    restatements = restatement_pairs(stories, seed=seed + 3)
    out: dict[str, dict] = {}
    for model_dir in model_dirs:
        started = time.perf_counter()
        model = CrossEncoderStance(model_dir, conflict_override=False)
        scores: dict = {}
        for name, pairs in dev.items():
            results = model.classify_batch([(p.claim, p.evidence) for p in pairs])
            scores[name] = round(metrics.macro_f1([p.label for p in pairs], [r.label for r in results], LABELS), 4)
            if name == "news-generated-dev":  # right per kind of generated edit
                by_kind = defaultdict(list)
                for p, r in zip(pairs, results):
                    by_kind[p.original_label].append(p.label == r.label)
                scores["generated-by-kind"] = {kind: f"{sum(v)}/{len(v)}" for kind, v in sorted(by_kind.items())}
        scores["mean-dev-macro-f1"] = round(sum(scores[name] for name in dev) / len(dev), 4)
        results = model.classify_batch([(p.claim, p.evidence) for p in restatements])
        read_as_support = defaultdict(list)
        for p, r in zip(restatements, results):
            read_as_support[p.original_label].append(r.label == "supports")
        scores["restatements-read-as-supports"] = {k: f"{sum(v)}/{len(v)}" for k, v in sorted(read_as_support.items())}
        scores["seconds"] = round(time.perf_counter() - started, 1)
        out[model_dir] = scores
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.devsets", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("models", nargs="+", help="stance model folders (as train-stance writes them)")
    parser.add_argument("--seed", type=int, default=2, help="the dev draw (seed of build_training_data_v2)")
    parser.add_argument("--data-dir", default=None, help="dataset folder [default: ../shared/datasets]")
    parser.add_argument("--json", type=Path, help="write the scores here")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    scores = compare(args.models, seed=args.seed, data_dir=args.data_dir)
    for model_dir, row in scores.items():
        print(model_dir)
        for key, value in row.items():
            print(f"  {key}: {value}")
    if args.json:
        args.json.write_text(json.dumps(scores, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
