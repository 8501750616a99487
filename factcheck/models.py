"""The data that flows through the pipeline: articles, sentences, claims, evidence, verdicts."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

Stance = Literal["supports", "refutes", "neutral"]
VerdictLabel = Literal["supported", "contradicted", "disputed", "unverified"]
STANCES: tuple[Stance, ...] = ("supports", "refutes", "neutral")
VERDICTS: tuple[VerdictLabel, ...] = ("contradicted", "disputed", "supported", "unverified")
CONFLICT_TYPES = ("number", "figure", "date", "place", "negation", "antonym", "direction", "entity", "denial", "other")


@dataclass(frozen=True)
class Paragraph:
    """A block of body text kept after boilerplate removal, located in its source."""

    text: str
    offset: int  # character offset of text[0] in the decoded source
    line: int  # 1-based line of text[0] in the source


@dataclass
class Article:
    """One news article, cleaned of page boilerplate."""

    id: str  # content hash of the normalised body
    path: str  # source file; "file.jsonl#3" for the 3rd record of a multi-record file
    paragraphs: list[Paragraph]
    title: str | None = None
    source: str | None = None  # outlet
    date: str | None = None  # YYYY-MM-DD
    url: str | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.paragraphs)


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article with its place in the source file."""

    id: str  # "<article id>:<ordinal>"
    article_id: str
    ordinal: int
    text: str
    start: int  # character offsets into the decoded source
    end: int
    line: int
    hash: str  # content hash of the normalised text; equal for syndicated copies
    checkworthy: bool


@dataclass
class Claim:
    """A statement to check. `article_id` excludes the claim's own article from evidence."""

    id: str
    text: str
    article_id: str | None = None
    source: str | None = None
    date: str | None = None
    location: str | None = None


@dataclass(frozen=True)
class StanceResult:
    """How a piece of evidence relates to a claim, as calibrated probabilities."""

    label: Stance
    probabilities: dict[str, float]  # keys: supports, refutes, neutral; sums to 1
    conflict_type: str | None = None  # one of CONFLICT_TYPES when label == "refutes"

    @property
    def score(self) -> float:
        return self.probabilities[self.label]


@dataclass
class Evidence:
    """A sentence from another article, retrieved for a claim and judged against it."""

    sentence: str
    sentence_id: str
    article: str  # article id
    title: str | None
    source: str | None
    date: str | None
    location: str
    similarity: float  # cosine of the claim and sentence embeddings
    stance: Stance = "neutral"
    coverage: float = 0.0  # share of the claim's content words the sentence restates (text.alignment.overlap)
    score: float = 0.0
    conflict_type: str | None = None
    probabilities: dict[str, float] = field(default_factory=dict)
    duplicates: list[str] = field(default_factory=list)  # locations of syndicated copies
    context: str = ""  # what the stance step reads: the sentence with its article's context (context.py)
    hedge: str | None = None  # "planned" or "reported": not the event itself (aggregate.hedge)
    part: str | None = None  # the part of a multi-part claim this evidence speaks to (claim_parts.py)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Verdict:
    """The aggregated judgement of one claim."""

    claim: Claim
    verdict: VerdictLabel
    confidence: float
    evidence: list[Evidence]
    rationale: str = ""

    def to_dict(self) -> dict:
        return {
            "id": self.claim.id,
            "claim": self.claim.text,
            "verdict": self.verdict,
            "confidence": round(self.confidence, 4),
            "rationale": self.rationale,
            "claim_article": self.claim.article_id,
            "claim_source": self.claim.source,
            "claim_date": self.claim.date,
            "claim_location": self.claim.location,
            "evidence": [e.to_dict() for e in self.evidence],
        }
