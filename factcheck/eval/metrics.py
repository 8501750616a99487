"""Evaluation metrics: pure functions over gold and predicted label sequences."""

from __future__ import annotations

from collections.abc import Sequence

from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support

FNC_RELATED = ("agree", "disagree", "discuss")


def _labels(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str] | None) -> list[str]:
    if len(gold) != len(predicted):
        raise ValueError(f"gold has {len(gold)} labels but predicted has {len(predicted)}")
    if labels is None:
        return sorted(set(gold) | set(predicted))
    return list(labels)


def accuracy(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """Share of exact matches."""
    _labels(gold, predicted, None)
    return float(accuracy_score(gold, predicted)) if gold else 0.0


def per_class(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str] | None = None) -> dict[str, dict[str, float]]:
    """Precision, recall, F1 and support of each gold class (0 where undefined)."""
    labels = _labels(gold, predicted, labels)
    precision, recall, f1, support = precision_recall_fscore_support(gold, predicted, labels=labels, zero_division=0)
    return {
        label: {"precision": float(p), "recall": float(r), "f1": float(f), "support": int(s)}
        for label, p, r, f, s in zip(labels, precision, recall, f1, support)
    }


def macro_f1(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str] | None = None) -> float:
    """Unweighted mean of the per-class F1 over `labels` (default: the gold classes)."""
    if labels is None:
        labels = sorted(set(gold))
    scores = per_class(gold, predicted, labels)
    return sum(s["f1"] for s in scores.values()) / len(scores) if scores else 0.0


def confusion(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str] | None = None) -> dict[str, dict[str, int]]:
    """Confusion counts as {gold label: {predicted label: count}}."""
    labels = _labels(gold, predicted, labels)
    matrix = confusion_matrix(gold, predicted, labels=labels)
    return {g: {p: int(matrix[i][j]) for j, p in enumerate(labels)} for i, g in enumerate(labels)}


def fnc_score(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
    """The official FNC-1 weighted score.

    +0.25 when related/unrelated is right; +0.75 more when a related pair's exact label
    (agree/disagree/discuss) is right. Returned raw, as the best possible, and as a percentage.
    """
    _labels(gold, predicted, None)
    score = 0.0
    best = 0.0
    for g, p in zip(gold, predicted):
        g_related = g in FNC_RELATED
        best += 1.0 if g_related else 0.25
        if g == p:
            score += 0.25
            if g_related:
                score += 0.75
        elif g_related and p in FNC_RELATED:
            score += 0.25
    return {"score": score, "max": best, "percent": 100.0 * score / best if best else 0.0}
