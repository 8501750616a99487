"""Render verdicts as a Markdown consistency report and as JSON. Pure, except `write_report`."""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from .. import __version__
from ..files import atomic_write
from ..models import VERDICTS, Evidence, Verdict
from ..text.alignment import Span, conflict_spans

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_ORDERED_LIST = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
_LABEL = {
    "contradicted": "CONTRADICTED",
    "disputed": "DISPUTED",
    "supported": "SUPPORTED",
    "unverified": "UNVERIFIED",
}
_STANCE_WORD = {"supports": "corroborates", "refutes": "conflicts", "neutral": "unrelated"}


def escape(text: str | None) -> str:
    """Quoted article text can't open tags, tables, links or emphasis in the rendered page."""
    if text is None:
        return ""
    return _no_block(_escape_inline(" ".join(str(text).split())))


def _escape_inline(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def _no_block(text: str) -> str:
    """No heading, list or quote from a line that starts a quote ("# 1", "- x", "3. x")."""
    if text[:1] in "#+-=":
        return "\\" + text
    return _ORDERED_LIST.sub(r"\1\\\2", text, count=1)


def escape_marked(text: str | None, spans: tuple[Span, ...] | list[Span] = ()) -> str:
    """`escape`, with the words at `spans` in bold: "About **120** homes"."""
    if not spans or text is None:
        return escape(text)
    pieces, position = [], 0
    for span in sorted(spans, key=lambda s: s.start):
        if span.start < position or span.end <= span.start:
            continue
        pieces.append(_escape_inline(text[position : span.start]))
        pieces.append("**" + _escape_inline(" ".join(text[span.start : span.end].split())) + "**")
        position = span.end
    pieces.append(_escape_inline(text[position:]))
    return _no_block(re.sub(r"\s+", " ", "".join(pieces)).strip())


@lru_cache(maxsize=8192)
def differing_spans(left: str, right: str) -> tuple[tuple[Span, ...], tuple[Span, ...]]:
    """Where two conflicting statements differ (the two numbers, dates, names, the negation or the
    opposite words), as spans in each; empty when no single slot differs."""
    found = conflict_spans(left, right)
    if found is not None:
        return tuple(found[1]), tuple(found[2])
    found = conflict_spans(right, left)  # the slot aligner reads from the first sentence's side
    return (tuple(found[2]), tuple(found[1])) if found else ((), ())


def spans_json(text: str, spans: tuple[Span, ...] | list[Span]) -> list[dict]:
    return [span.to_dict(text) for span in spans]


def claim_anchor(claim_id: str) -> str:
    """The id of a claim's entry in the HTML report, which a ClaimReview `url` points at."""
    return "claim-" + quote(str(claim_id), safe="")


def code(text: object) -> str:
    """An inline code span its content can't close early: file paths and ids shown as written."""
    return "`" + " ".join(str(text).split()).replace("`", "'") + "`"


def report_json(verdicts: list[Verdict], *, meta: dict | None = None) -> dict:
    counts = Counter(v.verdict for v in verdicts)
    return {
        "factcheck_version": __version__,
        **(meta or {}),
        "summary": {label: counts.get(label, 0) for label in VERDICTS},
        "claims": [_claim_json(v) for v in _ordered(verdicts)],
    }


def _claim_json(v: Verdict) -> dict:
    """A verdict as JSON; each conflicting piece of evidence with the `spans` where it differs
    from the claim (`claim_spans` in the claim), start and end as character offsets."""
    data = v.to_dict()
    for e, item in zip(v.evidence, data["evidence"], strict=True):
        claim_spans, spans = differing_spans(v.claim.text, e.sentence) if e.stance == "refutes" else ((), ())
        item["claim_spans"], item["spans"] = spans_json(v.claim.text, claim_spans), spans_json(e.sentence, spans)
    return data


def _ordered(verdicts: list[Verdict]) -> list[Verdict]:
    rank = {label: i for i, label in enumerate(VERDICTS)}
    return sorted(verdicts, key=lambda v: (rank[v.verdict], -v.confidence))


def _source_line(e: Evidence) -> str:
    outlet = escape(e.source) if e.source else "*unknown outlet*"
    title = f" — “{escape(e.title)}”" if e.title else ""
    date = escape(e.date) if e.date else "date unknown"
    return f"{outlet}{title}, {date}, {code(e.location)}"


def meta_facts(meta: dict, *, quote=str) -> list[str]:
    """When, with what and over which index a report was made; `quote` formats names and paths."""
    generated = meta.get("generated_at") or datetime.now(timezone.utc).isoformat(timespec="seconds")
    facts = [f"generated {generated}", f"factcheck {__version__}"]
    if meta.get("index"):
        facts.append(
            f"index {quote(meta['index'])} ({meta.get('articles', '?')} articles, {meta.get('sentences', '?')} sentences)"
        )
    if meta.get("stance_model"):
        facts.append(f"stance model {quote(meta['stance_model'])}")
    return facts


_HEDGE_NOTE = {"planned": "states a plan or a hypothetical", "reported": "reports an unconfirmed claim"}


def render_markdown(
    verdicts: list[Verdict], *, title: str = "Consistency report", meta: dict | None = None, detail_unverified: bool = True
) -> str:
    """Verdicts first (summary, then conflicts), then every claim with its quoted evidence."""
    meta = meta or {}
    counts = Counter(v.verdict for v in verdicts)
    ordered = _ordered(verdicts)
    lines = [f"# {escape(title)}", ""]
    lines += ["*" + " · ".join(meta_facts(meta, quote=code)) + "*", "", "## Summary", "", "| verdict | claims |", "|---|---:|"]
    for label in VERDICTS:
        lines.append(f"| {_LABEL[label]} | {counts.get(label, 0)} |")
    lines.append(f"| **total** | **{len(verdicts)}** |")
    lines.append("")

    conflicts = [
        (v, e) for v in ordered if v.verdict in ("contradicted", "disputed") for e in v.evidence if e.stance == "refutes"
    ]
    if conflicts:
        lines += ["## Conflicts", "", "| # | claim | conflicting statement | type | outlet, date |", "|---:|---|---|---|---|"]
        for n, (v, e) in enumerate(conflicts, start=1):
            claim_spans, spans = differing_spans(v.claim.text, e.sentence)
            lines.append(
                f"| {n} | {escape_marked(v.claim.text, claim_spans)} | {escape_marked(e.sentence, spans)} | {e.conflict_type or 'other'} "
                f"| {escape(e.source) or 'unknown'}, {e.date or 'date unknown'} |"
            )
        lines.append("")

    lines += ["## Claims", ""]
    hidden = 0
    for n, v in enumerate(ordered, start=1):
        if v.verdict == "unverified" and not detail_unverified:
            hidden += 1
            continue
        lines.append(f"### {n}. {_LABEL[v.verdict]} ({v.confidence:.0%}): {escape(v.claim.text)}")
        lines.append("")
        origin = []
        if v.claim.source or v.claim.location:
            origin.append(f"from {escape(v.claim.source) or 'unknown outlet'}, {v.claim.date or 'date unknown'}")
            if v.claim.location:
                origin[-1] += f", {code(v.claim.location)}"
        lines.append(f"*{escape(v.rationale)}*" + (f" — claim {origin[0]}" if origin else "") + f" · id {code(v.claim.id)}")
        lines.append("")
        if not v.evidence:
            lines += ["No statement in other articles is similar enough to count as evidence.", ""]
            continue
        for e in v.evidence:
            kind = _STANCE_WORD[e.stance]
            if e.stance == "refutes" and e.conflict_type:
                kind += f" ({e.conflict_type})"
            claim_spans, spans = differing_spans(v.claim.text, e.sentence) if e.stance == "refutes" else ((), ())
            versus = ""
            if claim_spans and spans:
                said = " ".join(v.claim.text[s.start : s.end] for s in claim_spans)
                versus = f" ({escape(said)} in the claim)"
            lines.append(f"> {escape_marked(e.sentence, spans)}")
            lines.append(">")
            lines.append(f"> — {_source_line(e)} · **{kind}**{versus} · stance {e.score:.2f} · similarity {e.similarity:.2f}")
            if e.part:
                lines.append(f"> · speaks to the part: “{escape(e.part)}”")
            if e.hedge:
                lines.append(f"> · {_HEDGE_NOTE[e.hedge]}, so it counts less than the event itself")
            if e.duplicates:
                lines.append(f"> · also carried verbatim by: {escape('; '.join(e.duplicates))} (counted once)")
            lines.append("")
    if hidden:
        lines += [f"*{hidden} unverified claim(s) without relevant evidence are listed in the JSON only.*", ""]
    return "\n".join(lines)


def default_report_path(report_dir: str | Path, name: str) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.")[:60] or "report"
    return Path(report_dir) / f"{stamp}-{safe}.md"


def write_report(markdown: str, data: dict, *, report_path: str | Path, json_path: str | Path | None = None) -> tuple[Path, Path]:
    """Write the Markdown and the JSON (beside it unless given) atomically; return both paths."""
    report_path = Path(report_path)
    json_path = Path(json_path) if json_path else report_path.with_suffix(".json")
    for path, content in ((report_path, markdown), (json_path, json.dumps(data, indent=2, ensure_ascii=False))):
        atomic_write(path, content)
    return report_path, json_path
