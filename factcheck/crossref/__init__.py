"""Cross-reference a `verify --all` run: which outlets agree, which conflict, who said what when.

clusters.py     statements, claim clusters, conflicts labelled by time, the outlet matrix
attribution.py  who a sentence says made a statement ("X said", "according to X")
"""

from __future__ import annotations

from .attribution import Attribution, attribute
from .clusters import (
    MATRIX_COUNTS,
    TIME_LABELS,
    Cluster,
    ConflictPair,
    CrossReference,
    Statement,
    cross_reference,
    outlet_label,
    time_relation,
)

__all__ = [
    "MATRIX_COUNTS",
    "TIME_LABELS",
    "Attribution",
    "Cluster",
    "ConflictPair",
    "CrossReference",
    "Statement",
    "attribute",
    "cross_reference",
    "outlet_label",
    "time_relation",
]
