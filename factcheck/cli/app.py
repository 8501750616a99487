"""Command line: the typer app, its shared options and error handling, and the index and verify commands.

The cli package is the only code that prints, prompts or exits; cli/eval.py has `eval` and `train-stance`.
"""

from __future__ import annotations

import logging
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..errors import FactcheckError
from ..progress import Progress as StageProgress

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

IndexOption = Annotated[
    Optional[Path], typer.Option("--index", help="Index directory \\[default: indexes/default, or index.dir in the config].")
]
ConfigOption = Annotated[
    Optional[Path],
    typer.Option(
        "--config", help="Settings file (TOML); every key optional \\[default: factcheck/default.toml, shipped in the package]."
    ),
]
EmbedderOption = Annotated[
    Optional[str],
    typer.Option(
        "--embedder",
        help="Embedder backend: onnx (the default; no torch), sentence-transformers (the same vectors, on torch) or hash.",
    ),
]
ModelOption = Annotated[
    Optional[str], typer.Option("--model", help="Embedding model: packaged:all-MiniLM-L6-v2 or a local model directory.")
]
RayAddressOption = Annotated[
    Optional[str], typer.Option("--ray-address", help="Ray cluster to join \\[default: start a local Ray instance].")
]


class _RichProgress(StageProgress):
    """factcheck.progress.Progress drawn with rich bars, one per stage."""

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


def _settings(
    config: Path | None, *, index: Path | None = None, embedder: str | None = None, model: str | None = None, **sections
):
    from ..config import load_settings

    settings = load_settings(config)
    overrides = {"index": {"dir": str(index) if index else None}, "embedder": {"backend": embedder, "model": model}}
    for name, values in sections.items():
        overrides.setdefault(name, {}).update(values)
    return settings.with_overrides(**overrides)


def _fail(message: str, code: int = 1) -> None:
    # a message's [brackets] are text; one line, however long
    console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
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
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Article files, directories (searched recursively) or glob patterns. Formats: .txt .md .html .htm .json .jsonl .csv."
        ),
    ],
    index: IndexOption = None,
    fresh: Annotated[bool, typer.Option("--fresh", help="Start a new index instead of adding to the existing one.")] = False,
    wait: Annotated[
        bool,
        typer.Option("--wait/--no-wait", help="If another build is writing the same index, wait for it instead of stopping."),
    ] = False,
    engine: Annotated[
        str,
        typer.Option(
            "--engine",
            help="'local' (this process) or 'ray' (spread reading and embedding over a Ray cluster; pip install factcheck[ray]).",
        ),
    ] = "local",
    ray_address: RayAddressOption = None,
    config: ConfigOption = None,
    embedder: EmbedderOption = None,
    model: ModelOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only print errors.")] = False,
) -> None:
    """Read articles, split them into sentences and index their embeddings.

    Re-running with more files adds them and embeds only sentences whose text is new; an edited
    file replaces its earlier version. The previous index stays intact until the new one is complete.
    """
    from ..pipeline import build_index

    progress = _setup(quiet)
    with _errors():
        settings = _settings(config, index=index, embedder=embedder, model=model)
        stats = build_index(
            paths,
            index_dir=settings.index.dir,
            settings=settings,
            fresh=fresh,
            progress=progress,
            wait=wait,
            engine=engine,
            ray_address=ray_address,
        )
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
    claims_file: Annotated[
        Optional[Path],
        typer.Option(
            "--claims-file", help="A .txt file with one claim per line, or .jsonl with a 'claim' field (and optional 'id')."
        ),
    ] = None,
    article: Annotated[
        Optional[Path],
        typer.Option("--article", help="Check every check-worthy sentence of this article file against the index."),
    ] = None,
    all_articles: Annotated[
        bool, typer.Option("--all", help="Cross-reference run: check every article in the index against all the others.")
    ] = False,
    index: IndexOption = None,
    top_k: Annotated[
        Optional[int], typer.Option("--top-k", min=1, max=100, help="Evidence groups kept per claim \\[default: 8].")
    ] = None,
    stance: Annotated[
        Optional[str],
        typer.Option(
            "--stance",
            help="Stance backend: hybrid (slot alignment + the shipped MiniLM model), rules, minilm or local-nli \\[default: hybrid, or stance.backend in the config].",
        ),
    ] = None,
    stance_model: Annotated[
        Optional[str], typer.Option("--stance-model", help="Model directory for a model-based stance backend.")
    ] = None,
    report: Annotated[
        Optional[Path], typer.Option("--report", help="Markdown report path \\[default: reports/TIMESTAMP-NAME.md].")
    ] = None,
    json_path: Annotated[
        Optional[Path], typer.Option("--json", help="JSON output path \\[default: beside the report, .json].")
    ] = None,
    as_of: Annotated[
        Optional[str],
        typer.Option(
            "--as-of",
            help="Only articles published on or before this date (YYYY-MM-DD) count as evidence; undated articles don't count.",
        ),
    ] = None,
    html_path: Annotated[
        Optional[Path], typer.Option("--html", help="Also write the report as a static HTML page to this file.")
    ] = None,
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            help="What to print: 'text' (summary table and file paths), 'json' (the whole report JSON on stdout) or 'claimreview' (schema.org ClaimReview JSON-LD on stdout).",
        ),
    ] = "text",
    claimreview_path: Annotated[
        Optional[Path],
        typer.Option("--claimreview", help="Also write the verdicts as schema.org ClaimReview JSON-LD to this file."),
    ] = None,
    author: Annotated[
        Optional[str],
        typer.Option("--author", help="Organisation named as the ClaimReview author \\[default: report.author in the config]."),
    ] = None,
    since: Annotated[
        Optional[Path],
        typer.Option("--since", help="With --all: open the report with what changed since this earlier report's JSON."),
    ] = None,
    engine: Annotated[
        str,
        typer.Option(
            "--engine",
            help="'local' (this process) or 'ray' (check the claims on Ray actors, each holding the index and the stance model; the same report; pip install factcheck[ray]).",
        ),
    ] = "local",
    ray_address: RayAddressOption = None,
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
    beside the Markdown as .svg files and inline in the HTML. --engine ray spreads the claims over
    Ray actors (a local Ray instance, or the cluster at --ray-address) and writes the same report.
    """
    from ..pipeline import verify
    from ..report import write_page, write_report

    progress = _setup(quiet)
    with _errors():
        settings = _settings(
            config,
            index=index,
            embedder=embedder,
            model=model,
            retrieve={"top_k": top_k},
            stance={"backend": stance, "model": stance_model},
            report={"author": author},
        )
        if output_format not in ("text", "json", "claimreview"):
            raise FactcheckError(f"--format is 'text', 'json' or 'claimreview', not '{output_format}'")
        result = verify(
            claims or (),
            settings=settings,
            claims_file=claims_file,
            article=article,
            all_articles=all_articles,
            as_of=as_of,
            html=bool(html_path),
            report_path=report,
            since=since,
            claimreview=bool(claimreview_path) or output_format == "claimreview",
            page_url=html_path.resolve().as_uri() if html_path else None,
            progress=progress,
            engine=engine,
            ray_address=ray_address,
        )
        for chart_path, svg in result.charts.items():  # the pictures the Markdown links, beside it
            write_page(svg, chart_path)
        report_path, written_json = write_report(
            result.markdown, result.data, report_path=result.report_path, json_path=json_path
        )
        if html_path and result.html is not None:
            write_page(result.html, html_path)
        if claimreview_path and result.claimreview is not None:
            write_page(result.claimreview, claimreview_path)
    written = f"Report: {report_path}\nJSON:   {written_json}" + (f"\nHTML:   {html_path}" if html_path else "")
    written += f"\nClaimReview: {claimreview_path}" if claimreview_path else ""
    if output_format == "claimreview":
        sys.stdout.write(result.claimreview or "")
        console.print(written, highlight=False)
        return
    if output_format == "json":
        import json

        sys.stdout.write(json.dumps(result.data, indent=2, ensure_ascii=False) + "\n")
        console.print(written, highlight=False)
        return
    _print_summary(result.verdicts, quiet=quiet)
    if result.summary and not quiet:
        out.print("\n".join(f"  {line}" for line in result.summary), highlight=False)
    out.print(written, highlight=False)


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


@app.command("info")
def info_command(index: IndexOption = None, config: ConfigOption = None) -> None:
    """Show what an index holds: articles, sentences, embedder, build time."""
    from ..index import load_index

    _setup(True)
    with _errors():
        settings = _settings(config, index=index)
        idx = load_index(settings.index.dir)
    m = idx.manifest
    out.print(
        f"[bold]{settings.index.dir}[/] built {m['built_at']} with {m['embedder']['name']} ({m['embedder']['dimension']}-d)"
    )
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
        console.print(f"[bold red]error:[/] {escape(str(exc))}")
        sys.exit(1)
