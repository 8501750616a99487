"""Stance: does a piece of evidence support, refute, or say nothing about a claim?

Every backend implements one method, `classify_batch(pairs)`, over (claim, evidence) pairs and
returns calibrated probabilities. Backends are picked by name from `STANCE_BACKENDS`: `rules`
and `hybrid` here, `minilm` and `local-nli` in cross_encoder.py. The slot aligner the rules use
is shared with retrieval, so it lives lower, in factcheck/text/alignment.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from ..models import StanceResult


class StanceModel(Protocol):
    name: str

    def classify_batch(self, pairs: Sequence[tuple[str, str]]) -> list[StanceResult]:
        """Classify (claim, evidence) pairs; one result per pair, in order."""
        ...


SUPPORT_OVERLAP = 0.7  # share of the claim's content the evidence must state to corroborate it


class RulesStance:
    """Transparent baseline: slot alignment for conflicts, content overlap for corroboration.

    It reads only the two texts. A conflict needs the sentences to state the same thing with one
    slot changed; support needs most of the claim's content words, and every number and date it
    gives, to be in the evidence.
    """

    name = "rules"

    def __init__(self, model: str = "", **_: object) -> None:
        pass

    def classify_batch(self, pairs: Sequence[tuple[str, str]]) -> list[StanceResult]:
        return [self._classify(claim, evidence) for claim, evidence in pairs]

    def _classify(self, claim: str, evidence: str) -> StanceResult:
        from ..text.alignment import find_conflict, overlap, specifics_stated

        shared = overlap(claim, evidence)
        conflict = find_conflict(claim, evidence)
        if conflict is not None:
            p_refute = min(0.95, 0.45 + 0.5 * shared)
            return _result("refutes", p_refute, conflict.type)
        if shared >= SUPPORT_OVERLAP and specifics_stated(claim, evidence):
            return _result("supports", min(0.95, 0.2 + 0.75 * shared))
        return _result("neutral", max(0.5, 1.0 - shared))


class HybridStance:
    """The default: slot alignment first, the learned cross-encoder for what alignment cannot read.

    A named conflict (number, date, place, entity, negation, antonym) or a near restatement is
    decided by `RulesStance`, which is precise on reports of one story. A pair it leaves neutral
    goes to the shipped MiniLM cross-encoder (backend `minilm`), whose label stands when its
    probability reaches the threshold, except that it may not corroborate a number or date the
    evidence does not state (`text.alignment.specifics_stated`). That reads paraphrase ("Pyongyang has
    no interest in any meeting" for "North Korea has no interest in talks") without the model's
    false conflicts on near-identical news sentences. Thresholds chosen on dev splits only
    (benchmarks/STANCE.md).
    """

    name = "hybrid"

    def __init__(self, model: str = "", *, support_threshold: float = 0.35, refute_threshold: float = 0.35,
                 **options: object) -> None:
        from .cross_encoder import CrossEncoderStance

        self.rules = RulesStance()
        self.model = CrossEncoderStance(model or None, **options)
        self.support_threshold = support_threshold
        self.refute_threshold = refute_threshold

    def classify_batch(self, pairs: Sequence[tuple[str, str]]) -> list[StanceResult]:
        from ..text.alignment import specifics_stated

        pairs = list(pairs)
        results = self.rules.classify_batch(pairs)
        undecided = [i for i, r in enumerate(results) if r.label == "neutral"]
        for i, learned in zip(undecided, self.model.classify_batch([pairs[i] for i in undecided])):
            p = learned.probabilities
            if p["supports"] >= self.support_threshold and p["supports"] > p["refutes"]:
                if specifics_stated(*pairs[i]):
                    results[i] = StanceResult("supports", p)
            elif p["refutes"] >= self.refute_threshold:
                results[i] = StanceResult("refutes", p, learned.conflict_type or "other")
        return results


def _result(label: str, p: float, conflict_type: str | None = None) -> StanceResult:
    rest = (1.0 - p) / 2
    probabilities = {s: (p if s == label else rest) for s in ("supports", "refutes", "neutral")}
    return StanceResult(label, probabilities, conflict_type)  # type: ignore[arg-type]


def _learned_backends() -> dict[str, type]:
    # cross_encoder imports numpy only; torch and the weights load on first use
    from .cross_encoder import CrossEncoderStance, LocalNLIStance

    return {"minilm": CrossEncoderStance, "local-nli": LocalNLIStance, "hybrid": HybridStance}


STANCE_BACKENDS: dict[str, type] = {"rules": RulesStance, **_learned_backends()}

def load_stance_model(backend: str, model: str = "", **options: object) -> StanceModel:
    """Stance backend by name; loaded once per process."""
    from ..backends import load_backend

    return load_backend(STANCE_BACKENDS, "stance", backend, model, **options)


def classify_stance(model: StanceModel, pairs: Sequence[tuple[str, str]]) -> list[StanceResult]:
    """Classify pairs once each: the same (claim, evidence) pair repeats across a cross-reference run."""
    unique = list(dict.fromkeys(pairs))
    results = dict(zip(unique, model.classify_batch(unique))) if unique else {}
    return [results[pair] for pair in pairs]
