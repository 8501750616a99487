"""Aggregate judged evidence into one verdict per claim. Pure functions."""

from __future__ import annotations

from collections.abc import Sequence

from .config import AggregateSettings
from .models import Claim, Evidence, Verdict


def relevance(similarity: float, settings: AggregateSettings, coverage: float = 0.0) -> float:
    """How much a piece of evidence counts (0..1): from its embedding similarity to the claim, or
    from how much of the claim it restates, whichever is higher. A long sentence that contains
    the claim among other news embeds far from it, yet states it."""
    span = max(1e-6, settings.relevance_full - settings.relevance_floor)
    return max(min(1.0, max(0.0, (similarity - settings.relevance_floor) / span)), coverage)


def _noisy_or(strengths: Sequence[float]) -> float:
    remaining = 1.0
    for s in strengths:
        remaining *= 1.0 - s
    return 1.0 - remaining


def _by_outlet(evidence: Sequence[Evidence], strengths: Sequence[float]) -> list[float]:
    """The strongest item per outlet: one outlet repeating itself is one voice."""
    best: dict[str, float] = {}
    for item, strength in zip(evidence, strengths):
        key = item.source or item.article
        best[key] = max(best.get(key, 0.0), strength)
    return list(best.values())


def aggregate_verdict(claim: Claim, evidence: list[Evidence], *, settings: AggregateSettings) -> Verdict:
    """supported / contradicted / disputed / unverified, with a confidence in 0..1.

    Evidence is credible when stance probability x relevance reaches `settings.credible`.
    Confidence combines independent outlets (noisy-or), so two outlets agreeing count more than one.
    """
    rel = [relevance(e.similarity, settings, e.coverage) for e in evidence]
    support = [e.probabilities.get("supports", 0.0) * r for e, r in zip(evidence, rel)]
    refute = [e.probabilities.get("refutes", 0.0) * r for e, r in zip(evidence, rel)]
    credible_support = [s if s >= settings.credible else 0.0 for s in support]
    credible_refute = [s if s >= settings.credible else 0.0 for s in refute]
    s_strength = _noisy_or(_by_outlet(evidence, credible_support))
    r_strength = _noisy_or(_by_outlet(evidence, credible_refute))
    n_support = sum(1 for s in _by_outlet(evidence, credible_support) if s > 0)
    n_refute = sum(1 for s in _by_outlet(evidence, credible_refute) if s > 0)
    ordered = [evidence[i] for i in sorted(range(len(evidence)), key=lambda i: -max(support[i], refute[i]))]
    if s_strength and r_strength:
        confidence = min(s_strength, r_strength)  # disputed is as sure as its weaker side
        rationale = f"{n_support} outlet(s) corroborate and {n_refute} conflict"
        return Verdict(claim, "disputed", min(0.99, confidence), ordered, rationale)
    if r_strength:
        types = sorted({e.conflict_type for e, r in zip(evidence, credible_refute) if r and e.conflict_type})
        rationale = f"{n_refute} outlet(s) conflict" + (f" ({', '.join(types)})" if types else "")
        return Verdict(claim, "contradicted", min(0.99, r_strength), ordered, rationale)
    if s_strength:
        return Verdict(claim, "supported", min(0.99, s_strength), ordered, f"{n_support} outlet(s) corroborate")
    best = max([max(s, r) for s, r in zip(support, refute)], default=0.0)
    rationale = "no relevant evidence found" if not evidence else "related statements found, none credible either way"
    return Verdict(claim, "unverified", round(1.0 - best, 4), ordered, rationale)
