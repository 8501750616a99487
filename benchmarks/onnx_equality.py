"""How closely the ONNX Runtime path reproduces the torch path, on real text.

    python -m benchmarks.onnx_equality [--pairs 600] [--json FILE]

Stance: the shipped model on each runtime (no conflict override: the model alone) over a
deterministic sample of real (claim, evidence) pairs from the test splits of climate-fever,
emergent, sick and healthver: share of equal labels, largest and mean probability difference.
Embedder: the seed articles' sentences through both backends: recall@10, cosine, largest
difference. tests/test_onnx_runtime.py holds the bars (labels >= 99%, probabilities within
0.01, recall@10 >= 0.99); this prints the figures.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

import numpy as np

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


def stance_equality(count: int) -> dict:
    from factcheck.eval.datasets import load_dataset
    from factcheck.stance.cross_encoder import CrossEncoderStance

    rng = random.Random(12)
    names = ("climate-fever", "emergent", "sick", "healthver")
    pairs = []
    for name in names:
        rows = load_dataset(name, data_dir=SHARED / "datasets")
        pairs += [(p.claim, p.evidence) for p in rng.sample(rows, min(len(rows), count // len(names)))]
    onnx = CrossEncoderStance(runtime="onnx", conflict_override=False)
    torch = CrossEncoderStance(runtime="torch", device="cpu", conflict_override=False)
    by_onnx, by_torch = onnx.classify_batch(pairs), torch.classify_batch(pairs)
    differences = [abs(a.probabilities[k] - b.probabilities[k]) for a, b in zip(by_onnx, by_torch) for k in a.probabilities]
    logits = np.abs(onnx.raw_logits(pairs)[0] - torch.raw_logits(pairs)[0])
    return {
        "pairs": len(pairs),
        "datasets": list(names),
        "labels_equal": round(float(np.mean([a.label == b.label for a, b in zip(by_onnx, by_torch)])), 4),
        "probability_max_difference": float(max(differences)),
        "probability_mean_difference": float(np.mean(differences)),
        "logit_max_difference": float(logits.max()),
    }


def embedder_equality() -> dict:
    from factcheck.embed import OnnxEmbedder, SentenceTransformerEmbedder
    from factcheck.ingest import read_file
    from factcheck.segment import segment_article

    paths = sorted((SHARED / "seeds").glob("*.txt"))
    sentences = [s.text for path in paths for a in read_file(path) or [] for s in segment_article(a)]
    reference = SentenceTransformerEmbedder().embed_batch(sentences)
    candidate = OnnxEmbedder().embed_batch(sentences)
    k = 10
    truth = np.argsort(-(reference @ reference.T), axis=1)[:, :k]
    found = np.argsort(-(candidate @ candidate.T), axis=1)[:, :k]
    return {
        "sentences": len(sentences),
        "recall_at_10": round(float(np.mean([len(set(t) & set(f)) / k for t, f in zip(truth, found)])), 4),
        "cosine_min": float(np.min(np.sum(reference * candidate, axis=1))),
        "max_abs_diff": float(np.abs(reference - candidate).max()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=600)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results = {"stance": stance_equality(args.pairs), "embedder": embedder_equality()}
    print(json.dumps(results, indent=1))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
