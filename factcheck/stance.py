"""Stance: does a piece of evidence support, refute, or say nothing about a claim?

Every backend implements one method, `classify_batch(pairs)`, over (claim, evidence) pairs and
returns calibrated probabilities. Backends are picked by name from `STANCE_BACKENDS`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from .models import StanceResult


class StanceModel(Protocol):
    name: str

    def classify_batch(self, pairs: Sequence[tuple[str, str]]) -> list[StanceResult]:
        """Classify (claim, evidence) pairs; one result per pair, in order."""
        ...


SUPPORT_OVERLAP = 0.7  # share of the claim's content the evidence must state to corroborate it


class RulesStance:
    """Transparent baseline: slot alignment for conflicts, content overlap for corroboration.

    It reads only the two texts. A conflict needs the sentences to state the same thing with one
    slot changed; support needs most of the claim's content words to be in the evidence.
    """

    name = "rules"

    def __init__(self, model: str = "", **_: object) -> None:
        pass

    def classify_batch(self, pairs: Sequence[tuple[str, str]]) -> list[StanceResult]:
        return [self._classify(claim, evidence) for claim, evidence in pairs]

    def _classify(self, claim: str, evidence: str) -> StanceResult:
        from .conflicts import find_conflict, overlap

        shared = overlap(claim, evidence)
        conflict = find_conflict(claim, evidence)
        if conflict is not None:
            p_refute = min(0.95, 0.45 + 0.5 * shared)
            return _result("refutes", p_refute, conflict.type)
        if shared >= SUPPORT_OVERLAP:
            return _result("supports", min(0.95, 0.2 + 0.75 * shared))
        return _result("neutral", max(0.5, 1.0 - shared))


def _result(label: str, p: float, conflict_type: str | None = None) -> StanceResult:
    rest = (1.0 - p) / 2
    probabilities = {s: (p if s == label else rest) for s in ("supports", "refutes", "neutral")}
    return StanceResult(label, probabilities, conflict_type)  # type: ignore[arg-type]


def _learned_backends() -> dict[str, type]:
    # stance_nli imports numpy only; torch and the weights load on first use
    from .stance_nli import CrossEncoderStance, LocalNLIStance

    return {"minilm": CrossEncoderStance, "local-nli": LocalNLIStance}


STANCE_BACKENDS: dict[str, type] = {"rules": RulesStance, **_learned_backends()}

def load_stance_model(backend: str, model: str = "", **options: object) -> StanceModel:
    """Stance backend by name; loaded once per process."""
    from .backends import load_backend

    return load_backend(STANCE_BACKENDS, "stance", backend, model, **options)


def classify_stance(model: StanceModel, pairs: Sequence[tuple[str, str]]) -> list[StanceResult]:
    """Classify pairs once each: the same (claim, evidence) pair repeats across a cross-reference run."""
    unique = list(dict.fromkeys(pairs))
    results = dict(zip(unique, model.classify_batch(unique))) if unique else {}
    return [results[pair] for pair in pairs]
