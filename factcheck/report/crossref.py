"""Render a cross-reference (`verify --all`) as Markdown, static HTML and JSON. Pure functions.

Reading order, for a person with two minutes: what changed since the previous report (with
`--since`), summary, conflicts with the differing words marked, claims several outlets make, the
outlet agreement matrix, single-source claims. Long lists are capped at `shown` rows and say how
many are left out; the JSON has everything. The HTML page is a Jinja2 template
(`templates/crossref.html.j2`, autoescaped) with the charts inline as SVG; the Markdown links the
same charts written beside it.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from ..crossref import ConflictPair, CrossReference, Statement
from ..errors import FactcheckError
from ..files import atomic_write
from ..models import VERDICTS, Verdict
from .changes import Changes
from .charts import TITLES as CHART_TITLES
from .markdown import (
    claim_anchor,
    code,
    differing_spans,
    escape,
    escape_marked,
    meta_facts,
    render_markdown,
    report_json,
    spans_json,
)

_TIME_WORDS = {
    "contradiction": "contradiction",
    "date unknown": "date unknown",
    "superseded": "superseded (later report updates it)",
    "changed over time": "changed over time",
}


# --------------------------------------------------------------------------- shared wording


def origin(s: Statement) -> str:
    """Outlet, date, location: plain text, escaped by the caller."""
    return f"{s.outlet}, {s.date or 'date unknown'}, {s.location}"


def asserted_by(s: Statement) -> str:
    """'asserted by Kim Yo Jong, reported by Clash Report', or '' for the outlet's own statement."""
    a = s.attribution
    if a is None:
        return ""
    speaker = f"“{a.speaker}” (named elsewhere in the article)" if a.pronoun else a.speaker
    verb = "denied by" if a.denial else "asserted by"
    return f"{verb} {speaker}, reported by {s.outlet}"


def copies_text(s: Statement) -> str:
    if not s.copies:
        return ""
    return "also carried verbatim by " + "; ".join(f"{c['outlet']} ({c['location']})" for c in s.copies) + " (counted once)"


MATRIX_LEGEND = (
    "Each cell: statements corroborated / in conflict between the two outlets, each pair of statements counted "
    'once; syndicated copies count for the original. "+N undated": conflicts where a publication date is '
    "unknown, so they may be changes over time. Changes over time and reported denials are not counted."
)


def matrix_cell(cell: dict) -> str:
    text = f"{cell['corroborated']} / {cell['conflicting']}"
    return text + (f" (+{cell['conflicting_date_unknown']} undated)" if cell.get("conflicting_date_unknown") else "")


def time_text(c: ConflictPair) -> str:
    return _TIME_WORDS.get(c.time, c.time) + (f" ({c.time_note})" if c.time_note else "")


def summary_lines(xref: CrossReference, verdicts: list[Verdict], meta: dict) -> list[str]:
    """The summary as plain-text bullet lines (escaped by the caller)."""
    times = Counter(c.time for c in xref.conflicts)
    denials = sum(1 for c in xref.conflicts if c.reported_denial)
    counts = Counter(v.verdict for v in verdicts)
    lines = [
        f"{len(xref.outlets)} outlets, {xref.statements} statements; "
        + (
            f"{xref.syndicated_copies} syndicated copies counted once" if xref.syndicated_copies else "no syndicated copies found"
        ),
        f"{len(xref.conflicts)} conflicts: {times['contradiction']} contradictions, {times['date unknown']} with an unknown "
        f"publication date, {times['superseded']} superseded, {times['changed over time']} changed over time"
        + (f", {denials} reported denials" if denials else ""),
        f"{len(xref.clusters)} claims made by two or more outlets; {len(xref.single_source)} single-source claims",
        "verdicts: " + ", ".join(f"{label} {counts.get(label, 0)}" for label in VERDICTS),
    ]
    if xref.unnamed_outlets:
        lines.append("no outlet named in the text, identified by file: " + ", ".join(xref.unnamed_outlets))
    if xref.undated_outlets:
        lines.append("publication date unknown: " + ", ".join(xref.undated_outlets))
    if xref.as_of:
        left_out = meta.get("articles_left_out")
        lines.append(
            f"as of {xref.as_of}: only articles published on or before it count"
            + (f"; {left_out} article(s) published later or with an unknown date left out" if left_out else "")
        )
    return lines


def _meta_line(meta: dict) -> str:
    return " · ".join(meta_facts(meta))


def _more(total: int, shown: int) -> str:
    return f"{total - shown} more in the JSON" if total > shown else ""


# --------------------------------------------------------------------------- JSON


def crossref_json(
    xref: CrossReference,
    verdicts: list[Verdict],
    *,
    meta: dict | None = None,
    changes: Changes | None = None,
    articles: list[dict] | None = None,
) -> dict:
    """The verdict JSON plus `conflicts`, `clusters`, `matrix`, `single_source` and the run facts;
    with `changes`, a `changes` section first; with `articles`, the `articles_checked` (what a
    later `--since` compares with). Every conflict's statements carry the `spans` (start, end,
    role, text) of the words in which they differ."""
    data = report_json(verdicts, meta=meta)
    if articles is not None:
        data["articles_checked"] = articles
    if changes is not None:
        data = {"changes": changes.to_dict(), **data}
        for conflict in data["changes"]["new_conflicts"]:
            _add_spans(conflict)
    data.update({"crossref": {"summary": summary_lines(xref, verdicts, meta or {})}, **xref.to_dict()})
    for conflict in data["conflicts"] + [c for cluster in data["clusters"] for c in cluster["conflicts"]]:
        _add_spans(conflict)
    return data


def _add_spans(conflict: dict) -> None:
    left, right = conflict["claim"], conflict["evidence"]
    left_spans, right_spans = differing_spans(left["text"], right["text"])
    left["spans"], right["spans"] = spans_json(left["text"], left_spans), spans_json(right["text"], right_spans)


# --------------------------------------------------------------------------- Markdown


def render_crossref_markdown(
    xref: CrossReference,
    verdicts: list[Verdict],
    *,
    title: str = "Cross-reference report",
    meta: dict | None = None,
    shown: int = 10,
    charts: dict[str, str] | None = None,
    changes: Changes | None = None,
) -> str:
    """The report as Markdown; `charts` maps a chart name to the image file linked (written beside the report)."""
    meta, charts = meta or {}, charts or {}
    lines = [f"# {escape(title)}", "", f"*{escape(_meta_line(meta))}*", ""]
    if changes is not None:
        lines += _md_changes(changes, shown)
    lines += ["## Summary", ""]
    lines += [f"- {escape(line)}" for line in summary_lines(xref, verdicts, meta)]
    lines.append("")

    lines += ["## Conflicts", ""]
    if not xref.conflicts:
        lines += ["No two outlets conflict on a statement.", ""]
    else:
        lines += ["The words in which the two statements differ are in **bold**.", ""]
        for n, c in enumerate(xref.conflicts[:shown], start=1):
            lines += _md_conflict(n, c)
        lines += _md_more(len(xref.conflicts), shown)
        lines += _md_image(charts, "timeline")

    lines += ["## Claims several outlets make", ""]
    if not xref.clusters:
        lines += ["No claim is made by two or more outlets.", ""]
    for cluster in xref.clusters[:shown]:
        lines.append(f"### {cluster.id}. {escape(cluster.headline.text)}")
        lines.append("")
        lines.append(f"- **corroborate ({len(cluster.corroborating)})**: {escape(', '.join(cluster.corroborating))}")
        if cluster.syndicated:
            lines.append(f"- **syndicated copies, counted once**: {escape(', '.join(cluster.syndicated))}")
        if cluster.conflicting:
            lines.append(f"- **conflict ({len(cluster.conflicting)})**: {escape(', '.join(cluster.conflicting))}")
        if cluster.reporting_denial:
            lines.append(f"- **report a denial**: {escape(', '.join(cluster.reporting_denial))}")
        lines.append(f"- **silent ({len(cluster.silent)})**: {escape(', '.join(cluster.silent)) or 'none'}")
        if cluster.time_note:
            lines.append(f"- **time**: {escape(cluster.time_note)}")
        for s in cluster.statements[:4]:
            lines.append(f"  - {escape(s.text)} — {_md_origin(s)}{_md_note(s)}")
        if len(cluster.statements) > 4:
            lines.append(f"  - *{len(cluster.statements) - 4} more statement(s) in the JSON*")
        for c in cluster.conflicts[:3]:
            other = c.evidence if c.claim in cluster.statements else c.claim
            spans = differing_spans(c.claim.text, c.evidence.text)[0 if other is c.claim else 1]
            lines.append(
                f"  - conflicting ({escape(c.conflict_type)}, {escape(time_text(c))}): {escape_marked(other.text, spans)} "
                f"— {_md_origin(other)}"
            )
        lines.append("")
    lines += _md_more(len(xref.clusters), shown)

    lines += ["## Source agreement matrix", ""]
    lines += _md_image(charts, "agreement")
    lines += _md_matrix(xref)

    lines += [
        "## Single-source claims",
        "",
        "Claims no other outlet corroborates (a syndicated copy is not a second source); most specific first.",
        "",
    ]
    per_outlet = Counter(s.outlet for s in xref.single_source)
    lines.append("By outlet: " + ", ".join(f"{escape(o)} {n}" for o, n in per_outlet.most_common()) if per_outlet else "None.")
    lines.append("")
    for s in xref.single_source[:shown]:
        extra = "; ".join(x for x in (asserted_by(s), copies_text(s)) if x)
        lines.append(f"- {escape(s.text)} — {_md_origin(s)}" + (f" *({escape(extra)})*" if extra else ""))
    lines.append("")
    lines += _md_more(len(xref.single_source), shown)

    details = render_markdown(verdicts, meta=meta, detail_unverified=False)
    if "## Claims" in details:
        lines += ["---", "", "## Appendix: every checked claim with its evidence", ""]
        lines.append(details[details.index("## Claims") + len("## Claims") :].strip())
        lines.append("")
    return "\n".join(lines)


def _md_conflict(n: int, c: ConflictPair) -> list[str]:
    """A numbered item: type and time, then the two statements one above the other, differences in bold."""
    left, right = differing_spans(c.claim.text, c.evidence.text)
    head = f"{n}. {escape(c.conflict_type)} · {escape(time_text(c))}"
    if c.reported_denial:
        head += f" · reported denial: {escape(c.reported_denial)}, not the outlet's own contradiction"
    indent = " " * len(f"{n}. ")
    return [
        head,
        f"{indent}- {escape_marked(c.claim.text, left)} — {_md_origin(c.claim)}{_md_note(c.claim)}",
        f"{indent}- {escape_marked(c.evidence.text, right)} — {_md_origin(c.evidence)}{_md_note(c.evidence)}",
        "",
    ]


def _md_origin(s: Statement) -> str:
    return f"{escape(s.outlet)}, {escape(s.date or 'date unknown')}, {code(s.location)}"


def _md_image(charts: dict[str, str], name: str) -> list[str]:
    if name not in charts:
        return []
    return [f"![{escape(CHART_TITLES[name])}]({quote(charts[name])})", ""]


def _md_changes(changes: Changes, shown: int) -> list[str]:
    lines = [
        f"## What changed since {escape(changes.since_label)}",
        "",
        f"Compared with the report {code(changes.previous_report)}.",
        "",
    ]
    counts = changes.counts()
    lines += [
        f"- {counts['new_conflicts']} new conflict(s); {counts['conflicts_no_longer_found']} from the previous report no longer found",
        f"- {counts['changed_verdicts']} verdict(s) changed",
        f"- {counts['new_single_source']} new single-source claim(s)",
        f"- {counts['articles_added']} article(s) added, {counts['articles_removed']} no longer checked",
        "",
    ]
    if changes.new_conflicts:
        lines += ["### New conflicts", ""]
        for n, c in enumerate(changes.new_conflicts[:shown], start=1):
            lines += _md_conflict(n, c)
        lines += _md_more(len(changes.new_conflicts), shown)
    if changes.changed_verdicts:
        lines += ["### Verdicts that changed", ""]
        for v, before in changes.changed_verdicts[:shown]:
            lines.append(
                f"- {before} → **{v.verdict}**: {escape(v.claim.text)} — {escape(v.claim.source or 'unknown outlet')}, "
                f"{escape(v.claim.date or 'date unknown')}"
            )
        lines.append("")
        lines += _md_more(len(changes.changed_verdicts), shown)
    if changes.new_single_source:
        lines += ["### New single-source claims", ""]
        lines += [f"- {escape(s.text)} — {_md_origin(s)}" for s in changes.new_single_source[:shown]]
        lines.append("")
        lines += _md_more(len(changes.new_single_source), shown)
    if changes.articles_added:
        lines += ["### Articles added", ""]
        lines += [f"- {_md_article(a)}" for a in changes.articles_added[:shown]]
        lines.append("")
        lines += _md_more(len(changes.articles_added), shown)
    return lines


def _md_article(article: dict) -> str:
    title = f" “{escape(article['title'])}”" if article.get("title") else ""
    return f"{escape(article.get('source') or 'unknown outlet')},{title} {escape(article.get('date') or 'date unknown')}, {code(article.get('path') or article['id'])}"


def _md_note(s: Statement) -> str:
    notes = [x for x in (asserted_by(s), copies_text(s)) if x]
    return f" *({escape('; '.join(notes))})*" if notes else ""


def _md_more(total: int, shown: int) -> list[str]:
    more = _more(total, shown)
    return [f"*{more}.*", ""] if more else []


def _md_matrix(xref: CrossReference) -> list[str]:
    if len(xref.outlets) < 2:
        return ["Only one outlet: nothing to compare.", ""]
    lines = [escape(MATRIX_LEGEND), ""]
    numbers = {o: n for n, o in enumerate(xref.outlets, start=1)}
    lines.append("| outlet | " + " | ".join(str(n) for n in numbers.values()) + " |")
    lines.append("|---|" + "---:|" * len(numbers))
    for o in xref.outlets:
        cells = []
        for p in xref.outlets:
            if p == o:
                cells.append("—")
            else:
                cell = xref.matrix[o][p]
                cells.append(matrix_cell(cell) if any(cell.values()) else "·")
        lines.append(f"| {numbers[o]}. {escape(o)} | " + " | ".join(cells) + " |")
    lines.append("")
    return lines


# --------------------------------------------------------------------------- HTML


def render_crossref_html(
    xref: CrossReference,
    verdicts: list[Verdict],
    *,
    title: str = "Cross-reference report",
    meta: dict | None = None,
    shown: int = 10,
    charts: dict[str, str] | None = None,
    changes: Changes | None = None,
) -> str:
    """A static page: no scripts, no network, inline CSS and SVG charts; every quoted text escaped
    by the template (`charts` holds SVG documents from `charts.render_charts`)."""
    meta = meta or {}
    return _template().render(
        title=title,
        meta_line=_meta_line(meta),
        xref=xref,
        verdicts=verdicts,
        shown=shown,
        changes=changes,
        summary=summary_lines(xref, verdicts, meta),
        charts={name: _inline_svg(svg) for name, svg in (charts or {}).items()},
        chart_titles=CHART_TITLES,
        legend=MATRIX_LEGEND,
        checked=[v for v in verdicts if v.verdict != "unverified" or xref.statements == 0],
        single_by_outlet=_by_outlet(xref.single_source),
    )


@lru_cache(maxsize=1)
def _template():
    try:
        import jinja2
    except ImportError:
        raise FactcheckError("The HTML report needs Jinja2: pip install 'jinja2>=3.1'") from None
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.globals.update(
        origin=origin,
        asserted_by=asserted_by,
        copies_text=copies_text,
        time_text=time_text,
        matrix_cell=matrix_cell,
        more=_more,
        marked=_marked_html,
        spans=differing_spans,
        claim_anchor=claim_anchor,
    )
    return environment.get_template("crossref.html.j2")


def _marked_html(text: str | None, spans=()):
    """Escaped text with the differing words in <mark>."""
    from markupsafe import Markup
    from markupsafe import escape as html_escape

    text = text or ""
    pieces, position = [], 0
    for span in sorted(spans, key=lambda s: s.start):
        if span.start < position or span.end <= span.start:
            continue
        pieces.append(html_escape(text[position : span.start]))
        pieces.append(Markup('<mark class="{}">{}</mark>').format(span.role, text[span.start : span.end]))
        position = span.end
    pieces.append(html_escape(text[position:]))
    return Markup("").join(pieces)


def _inline_svg(svg: str):
    """A chart for inline use: the SVG element alone, without the namespace declarations HTML does not need."""
    from markupsafe import Markup

    svg = svg[svg.index("<svg") :]
    svg = re.sub(r'\s+xmlns(?::xlink)?="[^"]*"', "", svg, count=2)
    return Markup(svg)


def _by_outlet(statements: list[Statement]) -> list[tuple[str, list[Statement]]]:
    grouped: dict[str, list[Statement]] = {}
    for s in statements:
        grouped.setdefault(s.outlet, []).append(s)
    return sorted(grouped.items(), key=lambda item: -len(item[1]))


def write_page(page: str, path) -> None:
    """Write the HTML page (or an SVG chart, or the ClaimReview JSON-LD) atomically."""
    atomic_write(path, page)
