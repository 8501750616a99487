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
DEBUNK_REFUTES = 0.5  # model refutes probability at which a report calling the claim untrue refutes it (dev)


class RulesStance:
    """Transparent baseline: slot alignment for conflicts, content overlap for corroboration.

    It reads only the two texts. A conflict needs the sentences to state the same thing with one
    slot changed; support needs most of the claim's content words, and every number and date it
    gives, to be in the evidence, stated rather than reported, asked or planned (`hedge`), and
    a claim that someone confirmed something needs that someone saying it
    (`unattributed_confirmation`).
    """

    name = "rules"

    def __init__(self, model: str = "", **_: object) -> None:
        pass

    def classify_batch(self, pairs: Sequence[tuple[str, str]]) -> list[StanceResult]:
        return [self._classify(claim, evidence) for claim, evidence in pairs]

    def _classify(self, claim: str, evidence: str) -> StanceResult:
        from ..text.alignment import find_conflict, overlap, specifics_stated
        from ..text.reporting import hedge, unattributed_confirmation

        shared = overlap(claim, evidence)
        conflict = find_conflict(claim, evidence)
        if conflict is not None:
            p_refute = min(0.95, 0.45 + 0.5 * shared)
            return _result("refutes", p_refute, conflict.type)
        # restating the words is not stating the event when the evidence only reports, asks or
        # plans it ("Alleged audio of the shooting has surfaced", "... will be released")
        if (
            shared >= SUPPORT_OVERLAP
            and specifics_stated(claim, evidence)
            and hedge(claim, evidence) is None
            and not unattributed_confirmation(claim, evidence)
        ):
            return _result("supports", min(0.95, 0.2 + 0.75 * shared))
        return _result("neutral", max(0.5, 1.0 - shared))


class HybridStance:
    """The default: the learned cross-encoder reads every pair the slot rules cannot settle.

    The rules are the precise detector and the explainer, not a gate. A conflict of a precise
    type (a changed number or date, an antonym: `PRECISE_CONFLICTS`) decides refutes and names
    its type. A negation, place or entity conflict is named too, unless the model reads the pair
    as support with at least `overrule` probability: those rules misread paraphrase ("was last
    seen on May 3" / "has not been seen since May 3"). A near restatement (most of the claim's
    words and every number and date it gives) supports unless the model reads it as a conflict
    at `refute_threshold` (the changed word may be one no rule knows). Every other pair is the model's
    (backend `minilm`): supports at `support_threshold` when the evidence states the claim's
    numbers and dates, refutes at `refute_threshold`. Support for a claim that someone confirmed
    something needs that someone saying it (`reporting.unattributed_confirmation`). Thresholds
    chosen on dev splits and dev probe claims only (benchmarks/STANCE.md).
    """

    name = "hybrid"
    PRECISE_CONFLICTS = ("number", "date", "antonym")

    def __init__(
        self,
        model: str = "",
        *,
        support_threshold: float | None = None,
        refute_threshold: float | None = None,
        overrule: float | None = None,
        **options: object,
    ) -> None:
        from .cross_encoder import CrossEncoderStance

        self.rules = RulesStance()
        # the rules here decide and name conflicts themselves; the model must give its own
        # probabilities, or a negation rule it agrees with could never be overruled
        self.model = CrossEncoderStance(model or None, **{**options, "conflict_override": False})
        calibration = self.model.calibration  # the thresholds belong to the model they were fitted for
        self.support_threshold = calibration.hybrid_support if support_threshold is None else support_threshold
        self.refute_threshold = calibration.hybrid_refute if refute_threshold is None else refute_threshold
        self.overrule = calibration.hybrid_overrule if overrule is None else overrule

    def classify_batch(self, pairs: Sequence[tuple[str, str]]) -> list[StanceResult]:
        from ..text.alignment import debunks, specifics_stated
        from ..text.numbers import digits
        from ..text.reporting import unattributed_confirmation

        pairs = [(digits(claim), digits(evidence)) for claim, evidence in pairs]  # one form for rules and model
        results = self.rules.classify_batch(pairs)
        ask = [i for i, r in enumerate(results) if not (r.label == "refutes" and r.conflict_type in self.PRECISE_CONFLICTS)]
        for i, learned in zip(ask, self._read([pairs[i] for i in ask])):
            p = learned.probabilities
            # a report that calls the claim a hoax, or denies it, disputes it when the model
            # leans that way at all ("Comcast denies it will cut off customers who use Tor")
            debunked = p["refutes"] >= DEBUNK_REFUTES and p["refutes"] > p["supports"] and debunks(*pairs[i])
            if results[i].label == "supports":
                # shared words are not shared meaning: "said the project would be scrapped" /
                # "said the project remains central" restate most words and conflict
                if p["refutes"] >= self.refute_threshold:
                    results[i] = StanceResult("refutes", p, learned.conflict_type or "other")
                elif debunked:
                    results[i] = StanceResult("refutes", p, "denial")
                continue
            if results[i].label == "refutes":
                if p["supports"] >= self.overrule:
                    results[i] = StanceResult("supports", p)
                continue
            if p["supports"] >= self.support_threshold and p["supports"] > p["refutes"]:
                if specifics_stated(*pairs[i]):
                    results[i] = StanceResult("supports", p)
                else:
                    results[i] = StanceResult("neutral", p)
            elif p["refutes"] >= self.refute_threshold:
                results[i] = StanceResult("refutes", p, learned.conflict_type or "other")
            elif debunked:
                results[i] = StanceResult("refutes", p, "denial")
            else:
                results[i] = StanceResult("neutral", p)
        for i, result in enumerate(results):
            # "X confirmed that ..." is X's confirmation: a report of the fact by others is not it
            if result.label == "supports" and unattributed_confirmation(*pairs[i]):
                results[i] = StanceResult("neutral", result.probabilities)
        return results

    def _read(self, pairs: list[tuple[str, str]]) -> list[StanceResult]:
        """The model's reading of each pair as written; where both the claim and the evidence are
        reports ("had reportedly been moved" / "..., according to the report"), also of what the
        two state without their reporting frames, kept where it reads as more support. The model
        takes a reporting frame for a reason to be neutral, which is right against a plain claim
        (a report does not state the event) and wrong against a claim that is itself a report."""
        from ..text.reporting import unreported

        results = self.model.classify_batch(pairs)
        claims = {
            claim: unreported(claim, loose=True) for claim in dict.fromkeys(claim for claim, _ in pairs)
        }  # a claim meets many sentences
        stated = {k: (claims[claim], unreported(evidence)) for k, (claim, evidence) in enumerate(pairs) if claims[claim] != claim}
        reread = list(stated)
        for k, plain in zip(reread, self.model.classify_batch([stated[k] for k in reread])):
            if plain.probabilities["supports"] > results[k].probabilities["supports"]:
                results[k] = plain
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
