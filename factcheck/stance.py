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
