"""Command line: the only module that prints, prompts or exits."""

from __future__ import annotations

import logging
import os
import sys
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from .errors import FactcheckError

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for a model hub
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # our own bars say what is happening
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

app = typer.Typer(
    help="Offline fact-checking and cross-referencing of news articles.\n\n"
    "Index a pile of articles, then check claims against what *other* articles say: "
    "which statements agree, which conflict, and where each one comes from.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",  # docstrings reflow to the terminal; `code` and *emphasis* render
)
console = Console(stderr=True)
out = Console()

IndexOption = Annotated[Optional[Path], typer.Option("--index", help="Index directory \\[default: indexes/default, or index.dir in the config].")]
ConfigOption = Annotated[Optional[Path], typer.Option("--config", help="Settings file (TOML) \\[default: configs/default.toml when present].")]
EmbedderOption = Annotated[Optional[str], typer.Option("--embedder", help="Embedder backend: sentence-transformers or hash.")]
ModelOption = Annotated[Optional[str], typer.Option("--model", help="Embedding model: packaged:all-MiniLM-L6-v2 or a local model directory.")]


class _RichProgress:
    """pipeline.Progress drawn with rich bars, one per stage."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    @contextmanager
    def stage(self, description: str, total: int | None = None):
        if not self.enabled:
            yield lambda n=1: None
            return
        columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
        with Progress(*columns, console=console, transient=False) as bar:
            task = bar.add_task(description, total=total)
            yield lambda n=1: bar.advance(task, n)


def _setup(quiet: bool) -> _RichProgress:
    logging.basicConfig(
        level=logging.ERROR if quiet else logging.WARNING,
        format="%(message)s",
        handlers=[RichHandler(console=console, show_time=False, show_path=False)],
        force=True,
    )
    for noisy in ("sentence_transformers", "transformers", "trafilatura", "htmldate", "faiss"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    return _RichProgress(enabled=not quiet and console.is_terminal)


def _settings(config: Path | None, *, index: Path | None = None, embedder: str | None = None, model: str | None = None, **sections):
    from .config import load_settings

    settings = load_settings(config)
    overrides = {"index": {"dir": str(index) if index else None}, "embedder": {"backend": embedder, "model": model}}
    for name, values in sections.items():
        overrides.setdefault(name, {}).update(values)
    return settings.with_overrides(**overrides)


def _fail(message: str, code: int = 1) -> None:
    console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)  # one line, however long
    raise typer.Exit(code)


@contextmanager
def _errors():
    try:
        yield
    except FactcheckError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        _fail("interrupted; the previous index and reports are unchanged", 130)


@app.command("build-index")
def build_index_command(
    paths: Annotated[list[str], typer.Argument(help="Article files, directories (searched recursively) or glob patterns. Formats: .txt .md .html .htm .json .jsonl .csv.")],
    index: IndexOption = None,
    fresh: Annotated[bool, typer.Option("--fresh", help="Start a new index instead of adding to the existing one.")] = False,
    wait: Annotated[bool, typer.Option("--wait/--no-wait", help="If another build is writing the same index, wait for it instead of stopping.")] = False,
    engine: Annotated[str, typer.Option("--engine", help="'local' (this process) or 'ray' (spread reading and embedding over a Ray cluster; pip install factcheck[ray]).")] = "local",
    ray_address: Annotated[Optional[str], typer.Option("--ray-address", help="Ray cluster to join \\[default: start a local Ray instance].")] = None,
    config: ConfigOption = None,
    embedder: EmbedderOption = None,
    model: ModelOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only print errors.")] = False,
) -> None:
    """Read articles, split them into sentences and index their embeddings.

    Re-running with more files adds them and embeds only sentences whose text is new; an edited
    file replaces its earlier version. The previous index stays intact until the new one is complete.
    """
    from .pipeline import build_index

    progress = _setup(quiet)
    with _errors():
        settings = _settings(config, index=index, embedder=embedder, model=model)
        if engine == "ray":
            from .distributed import build_index_ray

            stats = build_index_ray(paths, index_dir=settings.index.dir, settings=settings, fresh=fresh, address=ray_address, wait=wait)
        elif engine == "local":
            stats = build_index(paths, index_dir=settings.index.dir, settings=settings, fresh=fresh, progress=progress, wait=wait)
        else:
            raise FactcheckError(f"Unknown engine '{engine}': use local or ray")
    if not quiet:
        out.print(
            f"[green]Indexed[/] {stats.articles_total} article(s) ({stats.articles_new} new, {stats.articles_replaced} replaced), "
            f"{stats.sentences_total} sentences; embedded {stats.embedded} new sentence text(s) -> {settings.index.dir}"
        )
        if stats.skipped:
            out.print(f"[yellow]{len(stats.skipped)} file(s) or record(s) skipped[/] (reasons above)")


@app.command("verify")
def verify_command(
    claims: Annotated[Optional[list[str]], typer.Argument(help="Claims to check, each a quoted sentence.")] = None,
    claims_file: Annotated[Optional[Path], typer.Option("--claims-file", help="A .txt file with one claim per line, or .jsonl with a 'claim' field (and optional 'id').")] = None,
    article: Annotated[Optional[Path], typer.Option("--article", help="Check every check-worthy sentence of this article file against the index.")] = None,
    all_articles: Annotated[bool, typer.Option("--all", help="Cross-reference run: check every article in the index against all the others.")] = False,
    index: IndexOption = None,
    top_k: Annotated[Optional[int], typer.Option("--top-k", min=1, max=100, help="Evidence groups kept per claim \\[default: 5].")] = None,
    stance: Annotated[Optional[str], typer.Option("--stance", help="Stance backend: hybrid (slot alignment + the shipped MiniLM model), rules, minilm or local-nli \\[default: hybrid, or stance.backend in the config].")] = None,
    stance_model: Annotated[Optional[str], typer.Option("--stance-model", help="Model directory for a model-based stance backend.")] = None,
    report: Annotated[Optional[Path], typer.Option("--report", help="Markdown report path \\[default: reports/TIMESTAMP-NAME.md].")] = None,
    json_path: Annotated[Optional[Path], typer.Option("--json", help="JSON output path \\[default: beside the report, .json].")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Only articles published on or before this date (YYYY-MM-DD) count as evidence; undated articles don't count.")] = None,
    html_path: Annotated[Optional[Path], typer.Option("--html", help="Also write the report as a static HTML page to this file.")] = None,
    output_format: Annotated[str, typer.Option("--format", help="What to print: 'text' (summary table and file paths), 'json' (the whole report JSON on stdout) or 'claimreview' (schema.org ClaimReview JSON-LD on stdout).")] = "text",
    claimreview_path: Annotated[Optional[Path], typer.Option("--claimreview", help="Also write the verdicts as schema.org ClaimReview JSON-LD to this file.")] = None,
    author: Annotated[Optional[str], typer.Option("--author", help="Organisation named as the ClaimReview author \\[default: report.author in the config].")] = None,
    since: Annotated[Optional[Path], typer.Option("--since", help="With --all: open the report with what changed since this earlier report's JSON.")] = None,
    config: ConfigOption = None,
    embedder: EmbedderOption = None,
    model: ModelOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only print errors and the report paths.")] = False,
) -> None:
    """Check claims against the index and write a consistency report (Markdown + JSON).

    Each claim is compared with the closest statements in *other* articles; each statement is
    judged to corroborate, conflict with, or be unrelated to it, and the claim gets a verdict:
    supported, contradicted, disputed (credible evidence both ways) or unverified.

    With --all the report cross-references the articles: conflicts first, the claims several
    outlets make (who corroborates, conflicts, stays silent), an outlet agreement matrix and the
    single-source claims, each statement with its publication date and speaker. --since OLD.json
    adds what changed since that report; the agreement heatmap and conflict timeline are written
    beside the Markdown as .svg files and inline in the HTML.
    """
    from .index import load_index
    from .pipeline import claims_from_article, claims_from_file, claims_from_index, claims_from_texts, verify_claims
    from .report import default_report_path, render_markdown, report_json, write_report

    progress = _setup(quiet)
    with _errors():
        settings = _settings(
            config, index=index, embedder=embedder, model=model,
            retrieve={"top_k": top_k}, stance={"backend": stance, "model": stance_model}, report={"author": author},
        )
        chosen = sum(bool(x) for x in (claims, claims_file, article, all_articles))
        if chosen == 0:
            raise FactcheckError("Nothing to check: give claims as arguments, --claims-file FILE, --article FILE or --all")
        _check_options(as_of, output_format)
        previous = None
        if since is not None:
            from .report_changes import load_previous_report

            if not all_articles:
                raise FactcheckError("--since compares cross-references: use it with --all")
            previous = load_previous_report(since)  # before the run: a wrong path fails in a second
        idx = load_index(settings.index.dir)
        items = []
        if claims:
            items += claims_from_texts(claims)
        if claims_file:
            items += claims_from_file(claims_file)
        if article:
            items += claims_from_article(article)
        left_out = 0
        if all_articles:
            items += claims_from_index(idx, as_of=as_of)
            left_out = len({c.article_id for c in claims_from_index(idx)} - {c.article_id for c in items})
        verdicts = verify_claims(items, index=idx, settings=settings, progress=progress, as_of=as_of)
        name = "all" if all_articles else (article.stem if article else claims_file.stem if claims_file else "claims")
        meta = {
            "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "index": settings.index.dir,
            "articles": idx.manifest["counts"]["articles"],
            "sentences": idx.manifest["counts"]["sentences"],
            "embedder": idx.embedder,
            "stance_model": settings.stance.backend,
        }
        if as_of:
            meta.update(as_of=as_of, articles_left_out=left_out)
        if all_articles or html_path:
            from .crossref import cross_reference
            from .report_crossref import crossref_json, render_crossref_html, render_crossref_markdown, write_page

            xref = cross_reference(verdicts, settings=settings, as_of=as_of)
            title, shown = f"Cross-reference report: {name}", settings.crossref.shown
        report_path = Path(report or default_report_path(settings.report.dir, name))
        charts, changes, linked = {}, None, {}
        if all_articles or (html_path and xref.statements):
            from .report_charts import render_charts

            charts = render_charts(xref, shown=shown)
        if all_articles:
            from .report_changes import compare_reports
            from .report_charts import chart_file_names

            table = idx.article_table()
            checked = [{"id": a, **{k: table.get(a, {}).get(k) for k in ("path", "source", "title", "date")}}
                       for a in dict.fromkeys(c.article_id for c in items if c.article_id)]
            if previous is not None:
                changes = compare_reports(previous, xref=xref, verdicts=verdicts, articles=checked, previous_path=since)
            for chart, file_name in chart_file_names(report_path.name).items():
                if chart in charts:
                    write_page(charts[chart], report_path.with_name(file_name))
                    linked[chart] = file_name
            markdown = render_crossref_markdown(xref, verdicts, title=title, meta=meta, shown=shown, charts=linked, changes=changes)
            data = crossref_json(xref, verdicts, meta=meta, changes=changes, articles=checked)
        else:
            markdown = render_markdown(verdicts, title=f"Consistency report: {name}", meta=meta, detail_unverified=True)
            data = report_json(verdicts, meta=meta)
        report_path, written_json = write_report(markdown, data, report_path=report_path, json_path=json_path)
        if html_path:
            write_page(render_crossref_html(xref, verdicts, title=title, meta=meta, shown=shown, charts=charts, changes=changes), html_path)
        reviews = ""
        if claimreview_path or output_format == "claimreview":
            from .report_claimreview import claimreview_jsonld, claimreview_text

            page = settings.report.url or Path(html_path or report_path).resolve().as_uri()
            reviews = claimreview_text(claimreview_jsonld(
                verdicts, articles=idx.article_table(), author=settings.report.author, author_url=settings.report.author_url,
                page_url=page, date_published=meta["generated_at"][:10],
            ))
            if claimreview_path:
                from .report_crossref import write_page

                write_page(reviews, claimreview_path)
    written = f"Report: {report_path}\nJSON:   {written_json}" + (f"\nHTML:   {html_path}" if html_path else "")
    written += f"\nClaimReview: {claimreview_path}" if claimreview_path else ""
    if output_format == "claimreview":
        sys.stdout.write(reviews)
        console.print(written, highlight=False)
        return
    if output_format == "json":
        import json

        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        console.print(written, highlight=False)
        return
    _print_summary(verdicts, quiet=quiet)
    if all_articles and not quiet:
        from .report_crossref import summary_lines

        out.print("\n".join(f"  {line}" for line in summary_lines(xref, verdicts, meta)), highlight=False)
    out.print(written, highlight=False)


def _check_options(as_of: str | None, output_format: str) -> None:
    from datetime import date

    if as_of is not None:
        try:
            date.fromisoformat(as_of)
        except ValueError:
            raise FactcheckError(f"--as-of takes a date like 2025-07-28, not '{as_of}'") from None
    if output_format not in ("text", "json", "claimreview"):
        raise FactcheckError(f"--format is 'text', 'json' or 'claimreview', not '{output_format}'")


def _print_summary(verdicts, *, quiet: bool) -> None:
    from collections import Counter

    if quiet:
        return
    counts = Counter(v.verdict for v in verdicts)
    table = Table(title=f"{len(verdicts)} claim(s) checked", show_edge=False)
    table.add_column("verdict")
    table.add_column("claims", justify="right")
    colours = {"contradicted": "red", "disputed": "yellow", "supported": "green", "unverified": "dim"}
    for label in ("contradicted", "disputed", "supported", "unverified"):
        table.add_row(f"[{colours[label]}]{label}[/]", str(counts.get(label, 0)))
    out.print(table)


@app.command("eval")
def eval_command(
    dataset: Annotated[str, typer.Argument(help="fnc-1, emergent, climate-fever, sick, fever-symmetric, healthver, covid-fact, scifact, rte, or all.")],
    data_dir: Annotated[Optional[Path], typer.Option("--data-dir", help="Folder holding the dataset folders \\[default: ../shared/datasets when it exists].")] = None,
    stance: Annotated[Optional[str], typer.Option("--stance", help="Stance backend to measure \\[default: the configured one].")] = None,
    stance_model: Annotated[Optional[str], typer.Option("--stance-model", help="Model directory for a model-based backend.")] = None,
    split: Annotated[Optional[str], typer.Option("--split", help="Split to score \\[default: the held-out test split].")] = None,
    limit: Annotated[Optional[int], typer.Option("--limit", min=1, help="Score a deterministic sample of this many pairs.")] = None,
    aggregation: Annotated[str, typer.Option("--aggregation", help="fnc-1: 'pipeline' (the verify path's segmenter and aggregator) or 'simple'.")] = "pipeline",
    json_path: Annotated[Optional[Path], typer.Option("--json", help="Write the scores as JSON here.")] = None,
    config: ConfigOption = None,
) -> None:
    """Measure the stance step on a labelled dataset: accuracy, macro-F1, per-class scores.

    fnc-1 runs through the verify path (body split into sentences, the closest retrieved, judged
    and aggregated) and adds the official FNC weighted score. Scores are on held-out splits.
    """
    import json

    from .datasets import DATASETS
    from .evaluate import evaluate_dataset, format_report
    from .stance import load_stance_model

    _setup(True)
    with _errors():
        settings = _settings(config, stance={"backend": stance, "model": stance_model})
        names = list(DATASETS) if dataset == "all" else [dataset]
        if any(name not in DATASETS for name in names):
            raise FactcheckError(f"Unknown dataset '{dataset}': choose one of {', '.join(DATASETS)} or all")
        model = load_stance_model(settings.stance.backend, settings.stance.model)
        reports = []
        for name in names:
            report = evaluate_dataset(
                name, data_dir=data_dir, stance_model=model, split=split, limit=limit, aggregation=aggregation,
            )
            reports.append(report)
            out.print(format_report(report), highlight=False)
        if json_path:
            json_path.parent.mkdir(parents=True, exist_ok=True)
            json_path.write_text(json.dumps(reports[0] if len(reports) == 1 else reports, indent=2), encoding="utf-8")
            out.print(f"JSON: {json_path}", highlight=False)


@app.command("train-stance")
def train_stance_command(
    output_dir: Annotated[Path, typer.Option("--output-dir", help="Where to write the trained model (a CrossEncoder folder).")],
    data_dir: Annotated[Optional[Path], typer.Option("--data-dir", help="Dataset folder \\[default: ../shared/datasets].")] = None,
    epochs: Annotated[float, typer.Option("--epochs", help="Training epochs.")] = 2.0,
    max_pairs: Annotated[Optional[int], typer.Option("--max-pairs", help="Cap the training pairs (for a quick run).")] = None,
    device: Annotated[Optional[str], typer.Option("--device", help="cpu or cuda \\[default: cuda when available].")] = None,
) -> None:
    """Reproduce the shipped stance model: generate training pairs from real news, fine-tune, calibrate.

    On CPU this takes hours (about 24 pairs/s); on one GPU, minutes. See
    factcheck/resources/stance-minilm/MODEL_CARD.md for the data and licenses.
    """
    from .train_stance import train_stance

    _setup(False)
    with _errors():
        summary = train_stance(output_dir=output_dir, data_dir=data_dir, epochs=epochs, max_pairs=max_pairs, device=device)
    out.print(f"Model written to {output_dir}; use it with `factcheck verify --stance minilm --stance-model {output_dir}`")
    out.print({k: v for k, v in summary.items() if k in ("pairs", "seconds", "calibration")})


@app.command("info")
def info_command(index: IndexOption = None, config: ConfigOption = None) -> None:
    """Show what an index holds: articles, sentences, embedder, build time."""
    from .index import load_index

    _setup(True)
    with _errors():
        settings = _settings(config, index=index)
        idx = load_index(settings.index.dir)
    m = idx.manifest
    out.print(f"[bold]{settings.index.dir}[/] built {m['built_at']} with {m['embedder']['name']} ({m['embedder']['dimension']}-d)")
    out.print(", ".join(f"{k}: {v}" for k, v in m["counts"].items()))
    table = Table(show_edge=False)
    for column in ("source", "date", "sentences", "title", "path"):
        table.add_column(column)
    for row in idx.article_table().values():
        table.add_row(row["source"] or "?", row["date"] or "?", str(row["n_sentences"]), (row["title"] or "")[:50], row["path"])
    out.print(table)


def main() -> None:
    try:
        app()
    except FactcheckError as exc:  # raised outside a command body (option parsing callbacks)
        console.print(f"[bold red]error:[/] {exc}")
        sys.exit(1)


if __name__ == "__main__":
    main()
