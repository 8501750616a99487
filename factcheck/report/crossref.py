"""Render a cross-reference (`verify --all`) as Markdown, static HTML and JSON. Pure functions.

Reading order, for a person with two minutes: summary, conflicts side by side, claims several
outlets make, the outlet agreement matrix, single-source claims. Long lists are capped at
`shown` rows and say how many are left out; the JSON has everything.
"""

from __future__ import annotations

import html
from collections import Counter

from ..crossref import ConflictPair, CrossReference, Statement
from ..files import atomic_write
from ..models import VERDICTS, Verdict
from .markdown import escape, meta_facts, render_markdown, report_json

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
    "once; syndicated copies count for the original. \"+N undated\": conflicts where a publication date is "
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
        + (f"{xref.syndicated_copies} syndicated copies counted once" if xref.syndicated_copies else "no syndicated copies found"),
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


def crossref_json(xref: CrossReference, verdicts: list[Verdict], *, meta: dict | None = None) -> dict:
    """The verdict JSON plus `conflicts`, `clusters`, `matrix`, `single_source` and the run facts."""
    return {**report_json(verdicts, meta=meta), "crossref": {"summary": summary_lines(xref, verdicts, meta or {})}, **xref.to_dict()}


# --------------------------------------------------------------------------- Markdown


def render_crossref_markdown(
    xref: CrossReference, verdicts: list[Verdict], *, title: str = "Cross-reference report", meta: dict | None = None, shown: int = 10
) -> str:
    meta = meta or {}
    lines = [f"# {escape(title)}", "", f"*{escape(_meta_line(meta))}*", "", "## Summary", ""]
    lines += [f"- {escape(line)}" for line in summary_lines(xref, verdicts, meta)]
    lines.append("")

    lines += ["## Conflicts", ""]
    if not xref.conflicts:
        lines += ["No two outlets conflict on a statement.", ""]
    else:
        lines += ["| # | statement | outlet, date, location | conflicting statement | outlet, date, location | type | time |",
                  "|---:|---|---|---|---|---|---|"]
        for n, c in enumerate(xref.conflicts[:shown], start=1):
            left, right = c.claim, c.evidence
            lines.append(
                f"| {n} | {escape(left.text)}{_md_note(left)} | {escape(origin(left))} | {escape(right.text)}{_md_note(right)} "
                f"| {escape(origin(right))} | {escape(c.conflict_type)} | {escape(time_text(c))}"
                + (f"; reported denial: {escape(c.reported_denial)}, not the outlet's own contradiction" if c.reported_denial else "")
                + " |"
            )
        lines.append("")
        lines += _md_more(len(xref.conflicts), shown)

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
            lines.append(f"  - {escape(s.text)} — {escape(origin(s))}{_md_note(s)}")
        if len(cluster.statements) > 4:
            lines.append(f"  - *{len(cluster.statements) - 4} more statement(s) in the JSON*")
        for c in cluster.conflicts[:3]:
            other = c.evidence if c.claim in cluster.statements else c.claim
            lines.append(f"  - conflicting ({escape(c.conflict_type)}, {escape(time_text(c))}): {escape(other.text)} — {escape(origin(other))}")
        lines.append("")
    lines += _md_more(len(xref.clusters), shown)

    lines += ["## Source agreement matrix", ""]
    lines += _md_matrix(xref)

    lines += ["## Single-source claims", "",
              "Claims no other outlet corroborates (a syndicated copy is not a second source); most specific first.", ""]
    per_outlet = Counter(s.outlet for s in xref.single_source)
    lines.append("By outlet: " + ", ".join(f"{escape(o)} {n}" for o, n in per_outlet.most_common()) if per_outlet else "None.")
    lines.append("")
    for s in xref.single_source[:shown]:
        extra = "; ".join(x for x in (asserted_by(s), copies_text(s)) if x)
        lines.append(f"- {escape(s.text)} — {escape(origin(s))}" + (f" *({escape(extra)})*" if extra else ""))
    lines.append("")
    lines += _md_more(len(xref.single_source), shown)

    details = render_markdown(verdicts, meta=meta, detail_unverified=False)
    if "## Claims" in details:
        lines += ["---", "", "## Appendix: every checked claim with its evidence", ""]
        lines.append(details[details.index("## Claims") + len("## Claims"):].strip())
        lines.append("")
    return "\n".join(lines)


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

_CSS = """
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2em auto;max-width:1200px;padding:0 1em;color:#1b1b1b}
h1{font-size:1.5em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{border:1px solid #ddd;padding:.35em .5em;vertical-align:top;text-align:left}
th{background:#f4f4f4}.meta{color:#666;font-size:.85em}.muted{color:#666}.num{text-align:right}
.conflict td.side{width:30%}.tag{display:inline-block;border-radius:3px;padding:0 .35em;font-size:.85em;background:#eee}
.t-contradiction{background:#fbd5d5}.t-date-unknown{background:#fde8c8}.t-superseded,.t-changed-over-time{background:#dde8fb}
details{margin:.3em 0}summary{cursor:pointer}.cluster{border:1px solid #ddd;border-radius:4px;padding:.4em .8em;margin:.6em 0}
blockquote{margin:.3em 0 .3em 1em;padding-left:.6em;border-left:3px solid #ccc}
"""


def render_crossref_html(
    xref: CrossReference, verdicts: list[Verdict], *, title: str = "Cross-reference report", meta: dict | None = None, shown: int = 10
) -> str:
    """A static page: no scripts, no network, inline CSS; every quoted text escaped."""
    meta = meta or {}
    e = html.escape
    out = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(title)}</h1>", f'<p class="meta">{e(_meta_line(meta))}</p>',
    ]
    if xref.statements == 0:  # claims typed in, not taken from articles: nothing to cross-reference
        out.append('<p class="muted">These claims come from no indexed article, so there are no outlets to cross-reference; '
                   "each claim's evidence follows.</p>")
        out += _html_claims(verdicts)
        out.append("</body></html>")
        return "\n".join(out)
    out.append('<section id="conflicts"><h2>Conflicts</h2>')
    if not xref.conflicts:
        out.append("<p>No two outlets conflict on a statement.</p>")
    else:
        out.append('<table class="conflict"><thead><tr><th>#</th><th>statement</th><th>conflicting statement</th>'
                   "<th>type</th><th>time</th></tr></thead><tbody>")
        for n, c in enumerate(xref.conflicts[:shown], start=1):
            css = "t-" + c.time.replace(" ", "-")
            denial = f"<br>reported denial: {e(c.reported_denial)}, not the outlet's own contradiction" if c.reported_denial else ""
            out.append(
                f'<tr><td class="num">{n}</td><td class="side">{_html_statement(c.claim)}</td>'
                f'<td class="side">{_html_statement(c.evidence)}</td><td>{e(c.conflict_type)}</td>'
                f'<td><span class="tag {css}">{e(c.time)}</span>'
                + (f'<br><span class="muted">{e(c.time_note)}</span>' if c.time_note else "")
                + f'{denial}<br><span class="muted">score {c.score:.2f} · similarity {c.similarity:.2f}</span></td></tr>'
            )
        out.append("</tbody></table>")
        out.append(_html_more(len(xref.conflicts), shown))
    out.append("</section>")

    out.append('<section id="summary"><h2>Summary</h2><ul>')
    out += [f"<li>{e(line)}</li>" for line in summary_lines(xref, verdicts, meta)]
    out.append("</ul></section>")

    out.append('<section id="clusters"><h2>Claims several outlets make</h2>')
    if not xref.clusters:
        out.append("<p>No claim is made by two or more outlets.</p>")
    for cluster in xref.clusters[:shown]:
        rows = [("corroborate", cluster.corroborating), ("syndicated copies, counted once", cluster.syndicated),
                ("conflict", cluster.conflicting), ("report a denial", cluster.reporting_denial), ("silent", cluster.silent)]
        out.append(f'<div class="cluster"><p><b>{cluster.id}. {e(cluster.headline.text)}</b></p><ul>')
        out += [f"<li><b>{e(name)} ({len(items)})</b>: {e(', '.join(items))}</li>" for name, items in rows if items or name == "silent"]
        if cluster.time_note:
            out.append(f"<li><b>time</b>: {e(cluster.time_note)}</li>")
        out.append(f"</ul><details><summary>{len(cluster.statements)} statement(s), {len(cluster.conflicts)} conflict(s)</summary>")
        out += [f"<blockquote>{_html_statement(s)}</blockquote>" for s in cluster.statements]
        for c in cluster.conflicts:
            other = c.evidence if c.claim in cluster.statements else c.claim
            out.append(f"<p>conflicting ({e(c.conflict_type)}, {e(time_text(c))}):</p><blockquote>{_html_statement(other)}</blockquote>")
        out.append("</details></div>")
    out.append(_html_more(len(xref.clusters), shown))
    out.append("</section>")

    out.append('<section id="matrix"><h2>Source agreement matrix</h2>')
    out.append(f'<p class="muted">{e(MATRIX_LEGEND)}</p>')
    out.append("<table><thead><tr><th>outlet</th>" + "".join(f"<th>{e(o)}</th>" for o in xref.outlets) + "</tr></thead><tbody>")
    for o in xref.outlets:
        cells = []
        for p in xref.outlets:
            cell = xref.matrix.get(o, {}).get(p)
            cells.append('<td class="num">—</td>' if cell is None else f'<td class="num">{e(matrix_cell(cell))}</td>')
        out.append(f"<tr><th>{e(o)}</th>{''.join(cells)}</tr>")
    out.append("</tbody></table></section>")

    out.append('<section id="single-source"><h2>Single-source claims</h2>')
    out.append(f"<p>{len(xref.single_source)} claims no other outlet corroborates (a syndicated copy is not a second source).</p>")
    by_outlet: dict[str, list[Statement]] = {}
    for s in xref.single_source:
        by_outlet.setdefault(s.outlet, []).append(s)
    for outlet, items in sorted(by_outlet.items(), key=lambda item: -len(item[1])):
        out.append(f"<details><summary>{e(outlet)} ({len(items)})</summary><ul>")
        out += [f"<li>{_html_statement(s)}</li>" for s in items]
        out.append("</ul></details>")
    out.append("</section>")

    out += _html_claims(verdicts, only_with_evidence=True)
    out.append("</body></html>")
    return "\n".join(out)


def _html_claims(verdicts: list[Verdict], *, only_with_evidence: bool = False) -> list[str]:
    e = html.escape
    out = []
    checked = [v for v in verdicts if v.verdict != "unverified" or not only_with_evidence]
    out.append(f'<section id="claims"><h2>Claims with their evidence ({len(checked)})</h2>')
    for v in checked:
        out.append(f"<details><summary><b>{e(v.verdict.upper())}</b> ({v.confidence:.0%}): {e(v.claim.text)}"
                   f' <span class="muted">— {e(v.claim.source or "unknown outlet")}, {e(v.claim.date or "date unknown")}</span></summary>')
        out.append(f"<p class=\"muted\">{e(v.rationale)} · {e(v.claim.location or '')}</p>")
        for ev in v.evidence:
            out.append(
                f"<blockquote>{e(ev.sentence)}<br><span class=\"muted\">{e(ev.source or 'unknown outlet')}, "
                f"{e(ev.date or 'date unknown')}, {e(ev.location)} · {e(ev.stance)}"
                + (f" ({e(ev.conflict_type)})" if ev.conflict_type else "")
                + f" · similarity {ev.similarity:.2f}</span></blockquote>"
            )
        out.append("</details>")
    out.append("</section>")
    return out


def _html_statement(s: Statement) -> str:
    e = html.escape
    notes = [x for x in (asserted_by(s), copies_text(s)) if x]
    return (
        f"{e(s.text)}<br><span class=\"muted\">{e(origin(s))}</span>"
        + "".join(f'<br><span class="muted"><i>{e(n)}</i></span>' for n in notes)
    )


def _html_more(total: int, shown: int) -> str:
    more = _more(total, shown)
    return f'<p class="muted">{html.escape(more)}.</p>' if more else ""


def write_page(page: str, path) -> None:
    """Write the HTML page atomically (a temporary sibling, then replace)."""
    atomic_write(path, page)
