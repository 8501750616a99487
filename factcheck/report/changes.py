"""What changed since a previous cross-reference report (`verify --all --since OLD.json`).

Statements are matched by outlet and normalised text, claims by outlet and text, articles by id
(a content hash: an edited article is a new one), so the comparison holds across index rebuilds.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..crossref import ConflictPair, CrossReference, Statement
from ..errors import InputError
from ..models import Verdict

_WORD = re.compile(r"\w+")


@dataclass
class Changes:
    since: str  # when the previous report was generated, as it says
    previous_report: str
    new_conflicts: list[ConflictPair] = field(default_factory=list)
    conflicts_no_longer_found: int = 0
    changed_verdicts: list[tuple[Verdict, str]] = field(default_factory=list)  # (verdict now, verdict before)
    new_single_source: list[Statement] = field(default_factory=list)
    articles_added: list[dict] = field(default_factory=list)
    articles_removed: list[dict] = field(default_factory=list)

    @property
    def since_label(self) -> str:
        """'2026-03-05 14:02 UTC' for a timestamp, else the text as given."""
        try:
            when = datetime.fromisoformat(self.since)
        except ValueError:
            return self.since
        zone = " UTC" if when.utcoffset() is not None and not when.utcoffset() else ""
        return when.strftime("%Y-%m-%d %H:%M") + zone

    def counts(self) -> dict[str, int]:
        return {
            "new_conflicts": len(self.new_conflicts),
            "conflicts_no_longer_found": self.conflicts_no_longer_found,
            "changed_verdicts": len(self.changed_verdicts),
            "new_single_source": len(self.new_single_source),
            "articles_added": len(self.articles_added),
            "articles_removed": len(self.articles_removed),
        }

    def to_dict(self) -> dict:
        return {
            "since": self.since,
            "previous_report": self.previous_report,
            "counts": self.counts(),
            "new_conflicts": [c.to_dict() for c in self.new_conflicts],
            "changed_verdicts": [
                {
                    "id": v.claim.id,
                    "claim": v.claim.text,
                    "outlet": v.claim.source,
                    "location": v.claim.location,
                    "before": before,
                    "after": v.verdict,
                }
                for v, before in self.changed_verdicts
            ],
            "new_single_source": [s.to_dict() for s in self.new_single_source],
            "articles_added": self.articles_added,
            "articles_removed": self.articles_removed,
        }


def load_previous_report(path: str | Path) -> dict:
    """The JSON of an earlier `verify --all` run; a clear error when it is missing or is not one."""
    path = Path(path)
    hint = "give the .json an earlier `factcheck verify --all` wrote"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"--since: no previous report at {path}: {hint}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"--since: cannot read {path} ({exc.__class__.__name__}): {hint}") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"--since: {path} is not JSON (line {exc.lineno}, column {exc.colno}): {hint}") from None
    if not isinstance(data, dict) or not isinstance(data.get("claims"), list):
        raise InputError(f"--since: {path} is not a factcheck report: {hint}")
    if not isinstance(data.get("conflicts"), list) or not isinstance(data.get("single_source"), list):
        raise InputError(f"--since: {path} is a report of checked claims, not a cross-reference: {hint}")
    return data


def compare_reports(
    previous: dict,
    *,
    xref: CrossReference,
    verdicts: list[Verdict],
    articles: list[dict],
    previous_path: str | Path,
) -> Changes:
    """New conflicts, changed verdicts, new single-source claims and added articles since `previous`."""
    since = str(previous.get("generated_at") or "")
    if not since:  # reports written before the timestamp was recorded: the file's time
        since = datetime.fromtimestamp(Path(previous_path).stat().st_mtime).astimezone().isoformat(timespec="seconds")
    changes = Changes(since=since, previous_report=str(previous_path))

    old_conflicts = {_pair_key(c.get("claim", {}), c.get("evidence", {})) for c in _dicts(previous.get("conflicts"))}
    now_conflicts = {_pair_key(c.claim.to_dict(), c.evidence.to_dict()): c for c in xref.conflicts}
    changes.new_conflicts = [c for key, c in now_conflicts.items() if key not in old_conflicts]
    changes.conflicts_no_longer_found = len(old_conflicts - set(now_conflicts))

    before = {_claim_key(c.get("claim_source"), c.get("claim")): c.get("verdict") for c in _dicts(previous.get("claims"))}
    for v in verdicts:
        old = before.get(_claim_key(v.claim.source, v.claim.text))
        if old and old != v.verdict:
            changes.changed_verdicts.append((v, str(old)))

    old_single = {_statement_key(s) for s in _dicts(previous.get("single_source"))}
    changes.new_single_source = [s for s in xref.single_source if _statement_key(s.to_dict()) not in old_single]

    old_articles = {a.get("id"): a for a in _dicts(previous.get("articles_checked"))}
    if not old_articles:  # older reports: the articles their claims came from
        old_articles = {
            c.get("claim_article"): {"id": c.get("claim_article"), "source": c.get("claim_source")}
            for c in _dicts(previous.get("claims"))
            if c.get("claim_article")
        }
    now_ids = {a["id"] for a in articles}
    changes.articles_added = [a for a in articles if a["id"] not in old_articles]
    changes.articles_removed = [a for key, a in old_articles.items() if key not in now_ids]
    return changes


def _dicts(items) -> list[dict]:
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def _normal(text) -> str:
    return " ".join(_WORD.findall(str(text or "").lower()))


def _statement_key(statement: dict) -> tuple[str, str]:
    return (str(statement.get("outlet") or ""), _normal(statement.get("text")))


def _pair_key(a: dict, b: dict) -> frozenset:
    return frozenset((_statement_key(a), _statement_key(b)))


def _claim_key(source, text) -> tuple[str, str]:
    return (str(source or ""), _normal(text))
