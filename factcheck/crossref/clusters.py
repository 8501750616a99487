"""Cross-reference the verdicts of a `verify --all` run: who agrees, who conflicts, who is silent.

Pure functions over verdicts; nothing is retrieved or judged again.

- A *statement* is one sentence; syndicated copies (the same text in several articles, or the
  near-identical copies retrieval grouped as `Evidence.duplicates`) are one statement, counted
  once, with its copies listed.
- A *cluster* is a set of statements that corroborate one another (credible "supports" in either
  direction, or a non-conflicting restatement at `same_claim_similarity` or more). Two groups that
  conflict are never merged into one cluster.
- A *conflict* is a credible "refutes" between two statements, labelled by time: a plain
  contradiction, "changed over time" (published far apart), "superseded" (a later report revises
  a number or date), or "date unknown" (can't tell which).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import PurePath

from ..aggregate import relevance
from ..config import Settings
from ..models import Verdict
from ..text.dates import to_date
from .attribution import Attribution, attribute

MATRIX_COUNTS = ("corroborated", "conflicting", "conflicting_date_unknown")
TIME_LABELS = ("contradiction", "date unknown", "superseded", "changed over time")
# words with which a later report says a figure moved on ("the death toll has risen to five")
REVISION_CUES = frozenset(
    "risen rose climbed increased jumped grown grew fallen fell dropped declined revised updated now latest new "
    "raised lowered".split()
)
_WORD = re.compile(r"[a-z0-9]+")
_DUPLICATE_LOCATION = re.compile(r"\(([^()]+:\d+)\)\s*$")
_QUANTITY = re.compile(r"\$?\d[\d,.]*(?:\s*(?:%|percent|million|billion|thousand))?")


def outlet_label(source: str | None, location: str | None) -> str:
    """The outlet named by the article, else its file name in brackets."""
    if source and str(source).strip():
        return str(source).strip()
    path = (location or "").rsplit(":", 1)[0] if location and re.search(r":\d+$", location) else (location or "")
    return f"[{PurePath(path.split('#', 1)[0]).name or 'unknown'}]"


@dataclass
class Statement:
    """One sentence as stated by an outlet, with any syndicated copies of it."""

    id: str  # sentence id of the first appearance
    text: str
    outlet: str
    date: str | None
    location: str
    article: str
    attribution: Attribution | None = None
    copies: list[dict] = field(default_factory=list)  # {"outlet", "date", "location"} of verbatim copies
    checked: bool = False  # it was one of the run's claims (a check-worthy sentence)

    @property
    def outlets(self) -> list[str]:
        return [self.outlet] + [c["outlet"] for c in self.copies if c["outlet"] != self.outlet]

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "text": self.text,
            "outlet": self.outlet,
            "date": self.date,
            "location": self.location,
            "article": self.article,
            "copies": self.copies,
            "attribution": self.attribution.to_dict() if self.attribution else None,
        }


@dataclass
class ConflictPair:
    """Two statements that conflict, strongest first in `CrossReference.conflicts`."""

    claim: Statement
    evidence: Statement
    conflict_type: str
    score: float  # stance probability x similarity
    similarity: float
    time: str  # one of TIME_LABELS
    time_note: str
    reported_denial: str | None = None  # "Dr. A. J. Porter denied (reported by ...)": not the outlet's own word

    @property
    def is_contradiction(self) -> bool:
        """The outlets' own statements contradicting each other at one time."""
        return self.reported_denial is None and self.time == "contradiction"

    def to_dict(self) -> dict:
        return {
            "claim": self.claim.to_dict(),
            "evidence": self.evidence.to_dict(),
            "conflict_type": self.conflict_type,
            "score": round(self.score, 4),
            "similarity": round(self.similarity, 4),
            "time": self.time,
            "time_note": self.time_note,
            "reported_denial": self.reported_denial,
        }


@dataclass
class Cluster:
    """Statements from different articles making the same claim, and how every outlet stands on it."""

    id: int
    statements: list[Statement]
    corroborating: list[str]  # independent outlets stating it
    syndicated: list[str]  # outlets that only carry a verbatim copy (counted once, under the original)
    conflicting: list[str]
    reporting_denial: list[str]  # outlets that report someone denying it
    silent: list[str]
    conflicts: list[ConflictPair]
    time_note: str = ""

    @property
    def headline(self) -> Statement:
        """The statement to name the cluster by: the most widely carried, then the most complete."""
        return max(self.statements, key=lambda s: (len(s.outlets), s.checked, len(s.text.split())))

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "claim": self.headline.text,
            "corroborating": self.corroborating,
            "syndicated": self.syndicated,
            "conflicting": self.conflicting,
            "reporting_denial": self.reporting_denial,
            "silent": self.silent,
            "time_note": self.time_note,
            "statements": [s.to_dict() for s in self.statements],
            "conflicts": [c.to_dict() for c in self.conflicts],
        }


@dataclass
class CrossReference:
    outlets: list[str]
    clusters: list[Cluster]  # claims two or more outlets make; conflicted first, then by outlets
    conflicts: list[ConflictPair]  # strongest first
    matrix: dict[str, dict[str, dict[str, int]]]  # outlet -> outlet -> MATRIX_COUNTS
    single_source: list[Statement]  # claims no other outlet corroborates
    statements: int = 0
    syndicated_copies: int = 0
    unnamed_outlets: list[str] = field(default_factory=list)  # identified by file name only
    undated_outlets: list[str] = field(default_factory=list)
    as_of: str | None = None

    def to_dict(self) -> dict:
        return {
            "outlets": self.outlets,
            "as_of": self.as_of,
            "statements": self.statements,
            "syndicated_copies": self.syndicated_copies,
            "unnamed_outlets": self.unnamed_outlets,
            "undated_outlets": self.undated_outlets,
            "conflicts": [c.to_dict() for c in self.conflicts],
            "clusters": [c.to_dict() for c in self.clusters],
            "matrix": self.matrix,
            "single_source": [s.to_dict() for s in self.single_source],
        }


# --------------------------------------------------------------------------- time


def time_relation(a: Statement, b: Statement, conflict_type: str, *, days: int) -> tuple[str, str]:
    """How two conflicting statements relate in time: (label, a sentence saying why)."""
    da, db = to_date(a.date), to_date(b.date)
    if da is None or db is None:
        unknown = [s.outlet for s, d in ((a, da), (b, db)) if d is None]
        return "date unknown", (
            f"publication date unknown for {' and '.join(dict.fromkeys(unknown))}: this may be a change over time, "
            "not a contradiction"
        )
    gap = abs((da - db).days)
    if gap > days:
        earlier, later = (a, b) if da <= db else (b, a)
        return "changed over time", f"published {gap} days apart ({earlier.date} vs {later.date}): the situation may have changed"
    if gap > 0 and conflict_type in ("number", "date"):
        earlier, later = (a, b) if da < db else (b, a)
        if set(_WORD.findall(later.text.lower())) & REVISION_CUES:
            return "superseded", f"{later.outlet} ({later.date}) updates the figure {earlier.outlet} gave on {earlier.date}"
    return "contradiction", ""


# --------------------------------------------------------------------------- building


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _normalise(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


@dataclass
class _Instance:
    id: str
    text: str
    article: str
    source: str | None
    date: str | None
    location: str
    checked: bool


def cross_reference(verdicts: list[Verdict], *, settings: Settings, as_of: str | None = None) -> CrossReference:
    """Clusters, ranked conflicts, the agreement matrix and single-source claims of a `--all` run."""
    options = settings.crossref
    statements, copies = _statements(verdicts)
    outlets = sorted({o for s in statements.values() if s.checked for o in s.outlets})
    supports, conflicts = _edges(verdicts, statements, copies, settings)

    clusters = []
    for roots in _components(statements, supports, conflicts):
        cluster = _cluster(roots, statements, conflicts, outlets)
        if len(cluster.corroborating) >= 2:  # a lone statement's conflicts are listed under conflicts
            cluster.time_note = _cluster_time_note(cluster.statements, options.changed_over_time_days)
            clusters.append(cluster)
    clusters.sort(
        key=lambda c: (
            -bool(c.conflicts),
            -max((x.score for x in c.conflicts), default=0),
            -len(c.corroborating),
            c.headline.location,
        )
    )
    for n, cluster in enumerate(clusters, start=1):
        cluster.id = n

    # the outlet x outlet agreement matrix: each pair of statements counted once
    matrix = {o: {p: dict.fromkeys(MATRIX_COUNTS, 0) for p in outlets if p != o} for o in outlets}
    for a, b in supports:
        _count(matrix, statements[a].outlet, statements[b].outlet, "corroborated")
    for conflict in conflicts.values():
        if conflict.reported_denial is None and conflict.time in ("contradiction", "date unknown"):
            kind = "conflicting" if conflict.time == "contradiction" else "conflicting_date_unknown"
            _count(matrix, conflict.claim.outlet, conflict.evidence.outlet, kind)

    # single-source claims: no other outlet corroborates them (a syndicated copy is no second source)
    corroborated = {x for a, b in supports for x, y in ((a, b), (b, a)) if statements[x].outlet != statements[y].outlet}
    single = [s for root, s in statements.items() if s.checked and root not in corroborated]
    single.sort(key=lambda s: (-_specificity(s.text), s.location))

    return CrossReference(
        outlets=outlets,
        clusters=clusters,
        conflicts=sorted(conflicts.values(), key=lambda c: -c.score),
        matrix=matrix,
        single_source=single,
        statements=len(statements),
        syndicated_copies=sum(len(s.copies) for s in statements.values()),
        unnamed_outlets=[o for o in outlets if o.startswith("[")],
        undated_outlets=sorted({s.outlet for s in statements.values() if s.checked and to_date(s.date) is None}),
        as_of=as_of,
    )


def _statements(verdicts: list[Verdict]) -> tuple[dict[str, Statement], _UnionFind]:
    """Every sentence seen (as a claim or as evidence), syndicated copies folded into one statement.

    A copy is the same text in another article, or a near-verbatim copy retrieval grouped with it
    (`Evidence.duplicates`). The earliest published is the statement; the others are its copies.
    Returns the statements by copy-group root, and the copy groups (sentence id -> root).
    """
    instances: dict[str, _Instance] = {}
    for v in verdicts:
        c = v.claim
        if c.article_id is None:
            continue  # free-text claims have no outlet to cross-reference
        instances[c.id] = _Instance(c.id, c.text, c.article_id, c.source, c.date, c.location or "", True)
        for e in v.evidence:
            instances.setdefault(
                e.sentence_id, _Instance(e.sentence_id, e.sentence, e.article, e.source, e.date, e.location, False)
            )

    copies = _UnionFind()
    by_text: dict[str, str] = {}
    by_location: dict[str, list[str]] = defaultdict(list)
    for sid, inst in instances.items():
        copies.union(by_text.setdefault(_normalise(inst.text), sid), sid)
        by_location[inst.location].append(sid)
    for v in verdicts:
        for e in v.evidence:
            for duplicate in e.duplicates:
                match = _DUPLICATE_LOCATION.search(duplicate)
                target = _closest(e.sentence, [instances[s] for s in by_location.get(match.group(1), [])] if match else [])
                if target and e.sentence_id in instances:
                    copies.union(e.sentence_id, target.id)

    groups: dict[str, list[_Instance]] = defaultdict(list)
    for sid, inst in instances.items():
        groups[copies.find(sid)].append(inst)
    statements: dict[str, Statement] = {}
    for root, members in groups.items():
        members.sort(key=lambda i: (to_date(i.date) or Date.max, i.location))
        first, seen = members[0], {members[0].article}
        statement = Statement(
            id=first.id,
            text=first.text,
            outlet=outlet_label(first.source, first.location),
            date=first.date,
            location=first.location,
            article=first.article,
            attribution=attribute(first.text),
            checked=any(m.checked for m in members),
        )
        for m in members[1:]:
            if m.article not in seen:
                seen.add(m.article)
                statement.copies.append({"outlet": outlet_label(m.source, m.location), "date": m.date, "location": m.location})
        statements[root] = statement
    _resolve_pronouns(instances, statements, copies)
    return statements, copies


def _edges(
    verdicts: list[Verdict], statements: dict[str, Statement], copies: _UnionFind, settings: Settings
) -> tuple[dict[tuple[str, str], float], dict[tuple[str, str], ConflictPair]]:
    """Agreements (pair -> strength) and conflicts between statements; a conflict outranks agreement.

    Agreement: a credible "supports" in either direction, or a restatement at least
    `same_claim_similarity` close that the stance model does not call a conflict.
    """
    options, credible = settings.crossref, settings.aggregate.credible
    supports: dict[tuple[str, str], float] = {}
    conflicts: dict[tuple[str, str], ConflictPair] = {}
    for v in verdicts:
        if v.claim.article_id is None:
            continue
        a = copies.find(v.claim.id)
        for e in v.evidence:
            b = copies.find(e.sentence_id)
            if a == b:
                continue
            pair = (min(a, b), max(a, b))
            rel = relevance(e.similarity, settings.aggregate, e.coverage)
            p_support, p_refute = e.probabilities.get("supports", 0.0), e.probabilities.get("refutes", 0.0)
            if e.stance == "refutes" and p_refute * rel >= credible:
                score = p_refute * e.similarity
                if pair not in conflicts or conflicts[pair].score < score:
                    conflicts[pair] = _conflict(
                        statements[a],
                        statements[b],
                        e.conflict_type or "other",
                        score,
                        e.similarity,
                        options.changed_over_time_days,
                    )
            elif (e.stance == "supports" and p_support * rel >= credible) or (
                e.stance != "refutes" and e.similarity >= options.same_claim_similarity
            ):
                supports[pair] = max(supports.get(pair, 0.0), max(p_support, 0.5) * e.similarity)
    for pair in conflicts:
        supports.pop(pair, None)
    return supports, conflicts


def _components(statements: dict[str, Statement], supports: dict, conflicts: dict) -> list[list[str]]:
    """Union-find over agreements, strongest first; two groups that conflict are never merged."""
    clusters = _UnionFind()
    members: dict[str, set[str]] = {root: {root} for root in statements}
    conflicting_with: dict[str, set[str]] = defaultdict(set)
    for a, b in conflicts:
        conflicting_with[a].add(b)
        conflicting_with[b].add(a)
    for a, b in sorted(supports, key=lambda pair: -supports[pair]):
        ra, rb = clusters.find(a), clusters.find(b)
        if ra == rb or any(conflicting_with[x] & members[rb] for x in members[ra]):
            continue
        clusters.union(ra, rb)
        merged = members.pop(ra) | members.pop(rb)
        members[clusters.find(ra)] = merged
    components: dict[str, list[str]] = defaultdict(list)
    for root in statements:
        components[clusters.find(root)].append(root)
    return list(components.values())


def _resolve_pronouns(instances: dict[str, _Instance], statements: dict[str, Statement], copies: _UnionFind) -> None:
    """'..., she said.': the speaker is the last named speaker before it in the same article."""

    def order(sentence_id: str) -> tuple[str, int]:
        article, _, ordinal = sentence_id.rpartition(":")
        return (article, int(ordinal) if ordinal.isdigit() else 0)

    last: dict[str, str] = {}
    for sid in sorted(instances, key=order):
        statement = statements[copies.find(sid)]
        a = attribute(instances[sid].text)
        article = order(sid)[0]
        if a is None:
            continue
        if not a.pronoun and a.speaker[:1].isupper():
            last[article] = a.speaker
        elif a.pronoun and article in last and statement.id == sid and statement.attribution and statement.attribution.pronoun:
            statement.attribution = Attribution(last[article], a.verb, a.denial, pronoun=False)


def _closest(text: str, candidates: list[_Instance]) -> _Instance | None:
    words = set(_WORD.findall(text.lower()))
    return max(candidates, key=lambda i: len(words & set(_WORD.findall(i.text.lower()))), default=None)


def _conflict(a: Statement, b: Statement, conflict_type: str, score: float, similarity: float, days: int) -> ConflictPair:
    label, note = time_relation(a, b, conflict_type, days=days)
    denial = next((s for s in (a, b) if s.attribution and s.attribution.denial), None)
    reported = (
        f"{denial.attribution.speaker} {denial.attribution.verb} it (reported by {denial.outlet})"
        if denial and denial.attribution
        else None
    )
    return ConflictPair(a, b, conflict_type, score, similarity, label, note, reported)


def _cluster(roots: list[str], statements: dict[str, Statement], conflicts: dict, outlets: list[str]) -> Cluster:
    inside = set(roots)
    ordered = sorted((statements[r] for r in roots), key=lambda s: (-len(s.outlets), to_date(s.date) or Date.max, s.location))
    corroborating = list(dict.fromkeys(s.outlet for s in ordered))
    syndicated = [o for o in dict.fromkeys(o for s in ordered for o in s.outlets[1:]) if o not in corroborating]
    own: list[ConflictPair] = []
    conflicting: list[str] = []
    denials: list[str] = []
    for (a, b), conflict in conflicts.items():
        if a not in inside and b not in inside:
            continue
        own.append(conflict)
        other = [statements[x] for x in (a, b) if x not in inside] or [statements[b]]
        for s in other:
            (denials if conflict.reported_denial else conflicting).extend(s.outlets)
    conflicting, denials = list(dict.fromkeys(conflicting)), list(dict.fromkeys(denials))
    taken = set(corroborating) | set(syndicated) | set(conflicting) | set(denials)
    own.sort(key=lambda c: -c.score)
    return Cluster(0, ordered, corroborating, syndicated, conflicting, denials, [o for o in outlets if o not in taken], own)


def _cluster_time_note(statements: list[Statement], days: int) -> str:
    dates = sorted(d for d in (to_date(s.date) for s in statements) if d)
    unknown = sorted({s.outlet for s in statements if to_date(s.date) is None})
    notes = []
    if dates and (dates[-1] - dates[0]).days > days:
        notes.append(f"statements span {dates[0]} to {dates[-1]}")
    if unknown:
        notes.append(f"publication date unknown for {', '.join(unknown)}")
    return "; ".join(notes)


def _count(matrix: dict, a: str, b: str, kind: str) -> None:
    if a != b and a in matrix and b in matrix[a]:
        matrix[a][b][kind] += 1
        matrix[b][a][kind] += 1


def _specificity(text: str) -> int:
    """Claims with figures first (a count or an amount more than a year or a day): they most need a second source."""
    score = 0
    for token in _QUANTITY.findall(text):
        token = token.rstrip(",.")
        digits = re.sub(r"\D", "", token)
        if re.fullmatch(r"(?:19|20)\d\d", token) or len(digits) <= 2 and not re.search(r"[%$a-z.]", token):
            score += 1
        else:
            score += 3
    return score
