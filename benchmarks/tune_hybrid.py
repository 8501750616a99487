"""Choose the `hybrid` backend's thresholds on dev splits (never a reported test split).

Scores every (support, refute) threshold pair by macro-F1 on the pair-level dev sets the model
was calibrated on (Emergent dev bucket, Climate-FEVER dev, HealthVer dev 20%, CAD-NLI dev). The
claim-level dev half of the probe claims is the other criterion (`python -m benchmarks.probes
--half dev --grid`); benchmarks/STANCE.md says how the two were weighed.

    python -m benchmarks.tune_hybrid [--json out.json]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.tune_hybrid", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    from factcheck.eval import metrics
    from factcheck.eval.datasets import THREE_WAY, _bucket, load_dataset
    from factcheck.stance import load_stance_model

    from benchmarks.probes import remember_model_answers

    dev = {
        "emergent-dev": [p for p in load_dataset("emergent", split="train") if _bucket(p.group) == 0],
        "climate-fever-dev": load_dataset("climate-fever", split="dev"),
        "healthver-dev20": [p for p in load_dataset("healthver", split="dev") if _bucket(p.group) < 2],
        "cad-nli-dev": [p for p in _cad_dev()],
    }
    hybrid = load_stance_model("hybrid")
    remember_model_answers(hybrid)
    rows = []
    for support, refute in itertools.product((0.3, 0.4, 0.5, 0.6), (0.4, 0.45, 0.5, 0.6, 0.7)):
        hybrid.support_threshold, hybrid.refute_threshold = support, refute
        scores = {}
        for name, pairs in dev.items():
            results = hybrid.classify_batch([(p.claim, p.evidence) for p in pairs])
            scores[name] = round(metrics.macro_f1([p.label for p in pairs], [r.label for r in results], THREE_WAY), 4)
        mean = round(sum(scores.values()) / len(scores), 4)
        rows.append({"support": support, "refute": refute, "mean_macro_f1": mean, **scores})
        print(rows[-1], flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return 0


def _cad_dev():
    from factcheck.eval.datasets import TRAINING_LOADERS

    return [p for p in TRAINING_LOADERS["cad-nli"](None) if p.split == "dev"]


if __name__ == "__main__":
    sys.exit(main())
