"""The cross-reference report's pictures, as SVG: the outlet agreement heatmap and a timeline of
the conflicting statements by publication date.

matplotlib draws them through its SVG backend alone (no pyplot, no display, no font download:
text is left as SVG text for the browser's own sans-serif). It is imported only when a report
with pictures is rendered, so `factcheck --help` stays instant.
"""

from __future__ import annotations

import io
import re
from datetime import date as Date
from typing import Any

from ..crossref import CrossReference
from ..errors import FactcheckError
from ..text.dates import to_date

CHARTS = ("agreement", "timeline")
TITLES = {
    "agreement": "Outlet agreement: statements corroborated / in conflict",
    "timeline": "Conflicting statements by publication date",
}
_TIME_COLOURS = {
    "contradiction": "#c0392b",
    "date unknown": "#e67e22",
    "superseded": "#2e86c1",
    "changed over time": "#7d3c98",
}
_RC: dict[Any, Any] = {  # matplotlib types rc keys as literals
    "svg.fonttype": "none",  # text stays text: selectable, searchable, no glyph outlines
    "svg.hashsalt": "factcheck",  # the same report gives the same SVG ids
    "text.parse_math": False,  # "$5" in an outlet name is a dollar sign, not mathtext
    "text.usetex": False,
    "font.family": "sans-serif",
    "font.size": 8,
}


def render_charts(xref: CrossReference, *, shown: int = 10) -> dict[str, str]:
    """The SVG of each chart the cross-reference has data for: {"agreement": ..., "timeline": ...}."""
    charts = {"agreement": agreement_heatmap(xref), "timeline": conflict_timeline(xref, shown=shown)}
    return {name: svg for name, svg in charts.items() if svg}


def agreement_heatmap(xref: CrossReference) -> str | None:
    """Outlet x outlet: colour by the share of shared statements that agree, each cell labelled
    "corroborated / in conflict"; None with fewer than two outlets."""
    outlets = xref.outlets
    if len(outlets) < 2:
        return None
    figure_class, canvas_class, colormaps, np = _matplotlib()
    n = len(outlets)
    share = np.full((n, n), np.nan)
    labels = [["" for _ in outlets] for _ in outlets]
    for i, o in enumerate(outlets):
        for j, p in enumerate(outlets):
            if i == j:
                labels[i][j] = "—"
                continue
            cell = xref.matrix.get(o, {}).get(p)
            if not cell:
                continue
            conflicting = cell.get("conflicting", 0) + cell.get("conflicting_date_unknown", 0)
            total = cell.get("corroborated", 0) + conflicting
            if total:
                share[i, j] = cell.get("corroborated", 0) / total
                labels[i][j] = f"{cell.get('corroborated', 0)} / {conflicting}"
            else:
                labels[i][j] = "·"
    import matplotlib
    import matplotlib.colors

    with matplotlib.rc_context(_RC):
        size = min(3.2 + 0.62 * n, 16)
        figure = figure_class(figsize=(size + 1.6, size), layout="constrained")
        canvas_class(figure)
        axes = figure.add_subplot()
        cmap = colormaps["RdYlGn"].with_extremes(bad="#eeeeee")
        # cells as vector shapes (pcolormesh), not a raster image embedded in the SVG
        steps = matplotlib.colors.BoundaryNorm(
            np.linspace(-0.05, 1.05, 12), cmap.N
        )  # eleven shades centred on tenths: half is yellow
        image = axes.pcolormesh(np.ma.masked_invalid(share), cmap=cmap, norm=steps, edgecolors="white", linewidth=1.5)
        axes.set_aspect("equal")
        axes.invert_yaxis()
        names = [_short(o) for o in outlets]
        axes.set_xticks([x + 0.5 for x in range(n)], names, rotation=40, ha="right", rotation_mode="anchor")
        axes.set_yticks([y + 0.5 for y in range(n)], names)
        axes.tick_params(length=0)
        axes.spines[:].set_visible(False)
        for i in range(n):
            for j in range(n):
                dark = not np.isnan(share[i, j]) and (share[i, j] < 0.2 or share[i, j] > 0.85)
                axes.text(j + 0.5, i + 0.5, labels[i][j], ha="center", va="center", color="white" if dark else "#1b1b1b")
        axes.set_title(TITLES["agreement"])
        bar = figure.colorbar(image, ax=axes, shrink=0.8)
        bar.solids.set_rasterized(False)  # vector too: no embedded PNG
        bar.solids.set_edgecolor("face")
        bar.set_label("share of shared statements that agree (grey: none shared)")
        return _svg(figure, TITLES["agreement"])


def conflict_timeline(xref: CrossReference, *, shown: int = 10) -> str | None:
    """One row per conflict (numbered as in the report): both statements at their publication
    dates, joined by a line coloured by the time label; undated statements at the right edge."""
    conflicts = xref.conflicts[:shown]
    if not conflicts:
        return None
    figure_class, canvas_class, _, _ = _matplotlib()
    dated = [d for c in conflicts for d in (to_date(c.claim.date), to_date(c.evidence.date)) if d]
    first = min(dated).toordinal() if dated else 0
    last = max(dated).toordinal() if dated else 0
    unknown_x = last + max(1.0, 0.18 * (last - first)) if dated else 0.0
    import matplotlib

    with matplotlib.rc_context(_RC):
        figure = figure_class(figsize=(9, 1.2 + 0.42 * len(conflicts)), layout="constrained")
        canvas_class(figure)
        axes = figure.add_subplot()
        seen_times: set[str] = set()
        for row, conflict in enumerate(conflicts):
            y = len(conflicts) - row
            colour = _TIME_COLOURS.get(conflict.time, "#555555")
            points = []
            for offset, statement in ((0.13, conflict.claim), (-0.13, conflict.evidence)):
                when = to_date(statement.date)
                points.append((when.toordinal() if when else unknown_x, y + offset, statement.outlet))
            axes.plot(
                [p[0] for p in points],
                [p[1] for p in points],
                color=colour,
                linewidth=1.6,
                marker="o",
                markersize=5,
                label=None if conflict.time in seen_times else conflict.time,
            )
            seen_times.add(conflict.time)
            for x, py, outlet in points:
                axes.annotate(
                    _short(outlet, 26),
                    (x, py),
                    xytext=(6, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=7,
                    color="#333333",
                )
        ticks: list[float] = [float(t) for t in _date_ticks(first, last)] if dated else []
        labels = [Date.fromordinal(int(t)).isoformat() for t in ticks]
        if any(to_date(s.date) is None for c in conflicts for s in (c.claim, c.evidence)):
            ticks, labels = ticks + [unknown_x], labels + ["date unknown"]
            if dated:
                axes.axvline((last + unknown_x) / 2, color="#999999", linestyle=":", linewidth=1)
        axes.set_xticks(ticks, labels, rotation=30, ha="right", rotation_mode="anchor")
        span = max(ticks) - min(ticks) if ticks else 1
        axes.set_xlim(min(ticks) - 0.05 * span - 0.5, max(ticks) + 0.35 * span + 1)
        axes.set_yticks(range(len(conflicts), 0, -1), [f"{n}. {_short(c.conflict_type, 12)}" for n, c in enumerate(conflicts, 1)])
        axes.set_ylim(0.4, len(conflicts) + 0.6)
        axes.grid(axis="x", color="#e5e5e5")
        axes.spines[["top", "right"]].set_visible(False)
        axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, title="time")
        axes.set_title(TITLES["timeline"])
        return _svg(figure, TITLES["timeline"])


def chart_file_names(report_name: str) -> dict[str, str]:
    """The file names the Markdown report links, written beside it: NAME-agreement.svg, NAME-timeline.svg."""
    stem = report_name.rsplit(".", 1)[0]
    return {name: f"{stem}-{name}.svg" for name in CHARTS}


def _date_ticks(first: int, last: int) -> list[int]:
    if last - first <= 8:
        return list(range(first, last + 1))
    step = -(-(last - first) // 7)
    return list(range(first, last + 1, step))


def _short(text: str, limit: int = 30) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _svg(figure, title: str) -> str:
    """The figure as a standalone SVG element: no XML prolog, no metadata, a title for screen readers."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    from html import escape

    return re.sub(r"(<svg\b[^>]*>)", lambda m: m.group(1) + f"\n <title>{escape(title)}</title>", svg, count=1)


def _matplotlib():
    try:
        import numpy as np
        from matplotlib import colormaps
        from matplotlib.backends.backend_svg import FigureCanvasSVG
        from matplotlib.figure import Figure
    except ImportError as exc:  # declared, but an environment may have lost it
        raise FactcheckError(f"The report's charts need matplotlib ({exc}): pip install 'matplotlib>=3.8'") from None
    return Figure, FigureCanvasSVG, colormaps, np
