"""Reports: pure renderers of verdicts (and of a cross-reference) to text, and one small writer each.

markdown.py     the consistency report of `verify`: Markdown and JSON, the marks where a
                conflict differs; `write_report`
crossref.py     the cross-reference report of `verify --all`: Markdown, static HTML (the
                Jinja2 template in templates/) and JSON
charts.py       the agreement heatmap and the conflict timeline, SVG by matplotlib
changes.py      what changed since an earlier report (`--since`)
claimreview.py  the verdicts as schema.org ClaimReview JSON-LD
"""

from __future__ import annotations

from .crossref import crossref_json, render_crossref_html, render_crossref_markdown, summary_lines, write_page
from .markdown import default_report_path, escape, render_markdown, report_json, write_report

__all__ = [
    "crossref_json",
    "default_report_path",
    "escape",
    "render_crossref_html",
    "render_crossref_markdown",
    "render_markdown",
    "report_json",
    "summary_lines",
    "write_page",
    "write_report",
]
