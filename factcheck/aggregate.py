"""Aggregate judged evidence into one verdict per claim. Pure functions."""

from __future__ import annotations

from collections.abc import Sequence

from .config import AggregateSettings
from .models import Claim, Evidence, Verdict
from .text.reporting import hedge


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


# how much a statement of a plan or hypothetical, or an unconfirmed report, counts for the event:
# a plan alone never makes the event credible; a report of a claim counts, less
HEDGED_WEIGHT = {"planned": 0.3, "reported": 0.6}


def aggregate_verdict(claim: Claim, evidence: list[Evidence], *, settings: AggregateSettings) -> Verdict:
    """supported / contradicted / disputed / unverified, with a confidence in 0..1.

    Evidence counts for its label only, by stance probability x relevance, and x
    `HEDGED_WEIGHT` when it states a plan or an unconfirmed report (`hedge`); it is credible at
    `settings.credible`. Each side combines independent outlets (noisy-or over the strongest
    item per outlet), so two outlets agreeing count more than one. When both sides are credible,
    a side with at least twice the outlets and the greater strength wins (three outlets that
    clearly conflict outweigh one hedged quote); otherwise the claim is disputed.
    """
    rel = [relevance(e.similarity, settings, e.coverage) for e in evidence]
    weight = []
    for e in evidence:
        kind = hedge(claim.text, e.context or e.sentence) if e.stance == "supports" else None
        e.hedge = kind
        weight.append(HEDGED_WEIGHT[kind] if kind else 1.0)
    support = [
        e.probabilities.get("supports", 0.0) * r * w if e.stance == "supports" else 0.0 for e, r, w in zip(evidence, rel, weight)
    ]
    refute = [e.probabilities.get("refutes", 0.0) * r if e.stance == "refutes" else 0.0 for e, r in zip(evidence, rel)]
    credible_support = [s if s >= settings.credible else 0.0 for s in support]
    credible_refute = [s if s >= settings.credible else 0.0 for s in refute]
    s_outlets = [s for s in _by_outlet(evidence, credible_support) if s > 0]
    r_outlets = [s for s in _by_outlet(evidence, credible_refute) if s > 0]
    s_strength, r_strength = _noisy_or(s_outlets), _noisy_or(r_outlets)
    n_support, n_refute = len(s_outlets), len(r_outlets)
    ordered = [evidence[i] for i in sorted(range(len(evidence)), key=lambda i: -max(support[i], refute[i]))]
    types = sorted({e.conflict_type for e, r in zip(evidence, credible_refute) if r and e.conflict_type})
    conflict_note = f" ({', '.join(types)})" if types else ""
    if s_strength and r_strength:
        if n_refute >= 2 * n_support and r_strength > s_strength:
            return Verdict(
                claim,
                "contradicted",
                min(0.99, r_strength - s_strength / 2),
                ordered,
                f"{n_refute} outlet(s) conflict{conflict_note}, {n_support} corroborate",
            )
        if n_support >= 2 * n_refute and s_strength > r_strength:
            return Verdict(
                claim,
                "supported",
                min(0.99, s_strength - r_strength / 2),
                ordered,
                f"{n_support} outlet(s) corroborate, {n_refute} conflict{conflict_note}",
            )
        confidence = min(s_strength, r_strength)  # disputed is as sure as its weaker side
        rationale = f"{n_support} outlet(s) corroborate and {n_refute} conflict{conflict_note}"
        return Verdict(claim, "disputed", min(0.99, confidence), ordered, rationale)
    if r_strength:
        rationale = f"{n_refute} outlet(s) conflict{conflict_note}"
        return Verdict(claim, "contradicted", min(0.99, r_strength), ordered, rationale)
    if s_strength:
        return Verdict(claim, "supported", min(0.99, s_strength), ordered, f"{n_support} outlet(s) corroborate")
    best = max([max(s, r) for s, r in zip(support, refute)], default=0.0)
    rationale = "no relevant evidence found" if not evidence else "related statements found, none credible either way"
    return Verdict(claim, "unverified", round(1.0 - best, 4), ordered, rationale)


def combine_parts(whole: Verdict, parts: Sequence[Verdict]) -> Verdict:
    """One verdict for a claim checked whole and part by part (`claim_parts.claim_parts`).

    Supported when the whole is, or when every part is (by any outlets); contradicted when the
    whole or any part is contradicted and the whole is not also supported; disputed when the
    two pull apart; otherwise the whole claim's verdict. Evidence keeps the part it speaks to.
    """
    if not parts:
        return whole
    labels = [p.verdict for p in parts]
    evidence = list(whole.evidence)
    seen = {e.sentence_id for e in evidence}
    for part in parts:
        for e in part.evidence:
            if e.sentence_id not in seen and e.stance != "neutral":
                seen.add(e.sentence_id)
                evidence.append(e)
    contradicted = [p for p in parts if p.verdict == "contradicted"]
    if whole.verdict == "contradicted" or (contradicted and whole.verdict != "supported"):
        source = whole if whole.verdict == "contradicted" else max(contradicted, key=lambda p: p.confidence)
        rationale = source.rationale if source is whole else f"part contradicted: '{source.claim.text}' ({source.rationale})"
        return Verdict(whole.claim, "contradicted", source.confidence, evidence, rationale)
    if contradicted:  # the whole is supported, a part is contradicted
        confidence = min(whole.confidence, max(p.confidence for p in contradicted))
        return Verdict(
            whole.claim, "disputed", confidence, evidence, f"{whole.rationale}; part contradicted: '{contradicted[0].claim.text}'"
        )
    if whole.verdict in ("supported", "disputed"):
        return Verdict(whole.claim, whole.verdict, whole.confidence, evidence, whole.rationale)
    if all(label == "supported" for label in labels):
        confidence = min(p.confidence for p in parts)
        return Verdict(whole.claim, "supported", confidence, evidence, f"every part corroborated ({len(parts)} parts)")
    if "disputed" in labels:
        disputed = next(p for p in parts if p.verdict == "disputed")
        return Verdict(
            whole.claim,
            "disputed",
            disputed.confidence,
            evidence,
            f"part disputed: '{disputed.claim.text}' ({disputed.rationale})",
        )
    return Verdict(whole.claim, whole.verdict, whole.confidence, evidence, whole.rationale)
