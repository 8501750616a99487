"""`factcheck eval` and `factcheck train-stance`: thin commands over factcheck.eval."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import FactcheckError
from .app import ConfigOption, _errors, _settings, _setup, app, out


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

    from ..eval.datasets import DATASETS
    from ..eval.evaluate import evaluate_dataset, format_report
    from ..stance import load_stance_model

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
    from ..eval.train import train_stance

    _setup(False)
    with _errors():
        summary = train_stance(output_dir=output_dir, data_dir=data_dir, epochs=epochs, max_pairs=max_pairs, device=device)
    out.print(f"Model written to {output_dir}; use it with `factcheck verify --stance minilm --stance-model {output_dir}`")
    out.print({k: v for k, v in summary.items() if k in ("pairs", "seconds", "calibration")})
