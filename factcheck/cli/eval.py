"""`factcheck eval`, `factcheck train-stance` and `factcheck export-onnx`: thin commands over
factcheck.eval and factcheck.stance.export.

These are the only entry points for evaluation and training (no `python -m` copies with other
defaults). Evaluation and training need the `[eval]` extra; without it they say how to install it
in one line. export-onnx needs no torch.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType
from typing import Annotated, Optional

import typer

from ..errors import FactcheckError
from .app import ConfigOption, _errors, _settings, _setup, app, out

EVAL_EXTRA = "pip install 'factcheck[eval]'"


def _eval_module(name: str) -> ModuleType:
    """factcheck.eval.<name>, or one clear line when the [eval] extra is not installed."""
    try:
        return importlib.import_module(f"factcheck.eval.{name}")
    except ImportError as exc:
        if (exc.name or "").startswith("factcheck"):
            raise
        raise FactcheckError(
            f"Evaluation and training need the [eval] extra ({(exc.name or '').split('.')[0]} is not installed): "
            f"run `{EVAL_EXTRA}`"
        ) from None


@app.command("eval")
def eval_command(
    dataset: Annotated[
        str,
        typer.Argument(
            help="fnc-1, emergent, climate-fever, sick, fever-symmetric, healthver, covid-fact, scifact, rte, xnli-en, anli, fool-me-twice, negation-nli, wice, or all."
        ),
    ],
    data_dir: Annotated[
        Optional[Path],
        typer.Option("--data-dir", help="Folder holding the dataset folders \\[default: ../shared/datasets when it exists]."),
    ] = None,
    stance: Annotated[
        Optional[str], typer.Option("--stance", help="Stance backend to measure \\[default: the configured one].")
    ] = None,
    stance_model: Annotated[
        Optional[str], typer.Option("--stance-model", help="Model directory for a model-based backend.")
    ] = None,
    split: Annotated[Optional[str], typer.Option("--split", help="Split to score \\[default: the held-out test split].")] = None,
    limit: Annotated[
        Optional[int], typer.Option("--limit", min=1, help="Score a deterministic sample of this many pairs.")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the --limit sample.")] = 0,
    aggregation: Annotated[
        str, typer.Option("--aggregation", help="fnc-1: 'pipeline' (the verify path's segmenter and aggregator) or 'simple'.")
    ] = "pipeline",
    related_threshold: Annotated[
        Optional[float],
        typer.Option(
            "--related-threshold",
            help="fnc-1, simple aggregation: cosine under which a body is unrelated \\[default: the model's calibration, else 0.5].",
        ),
    ] = None,
    embedder: Annotated[
        Optional[Path],
        typer.Option(
            "--embedder",
            help="fnc-1: sentence-transformers folder for retrieving body sentences \\[default: the packaged model].",
        ),
    ] = None,
    retrieval_cache: Annotated[
        Optional[Path], typer.Option("--retrieval-cache", help="fnc-1: JSON file of retrieved body sentences (made if missing).")
    ] = None,
    retrieve_only: Annotated[
        bool, typer.Option("--retrieve-only", help="fnc-1: only write --retrieval-cache; no stance model is loaded.")
    ] = False,
    device: Annotated[
        Optional[str], typer.Option("--device", help="cpu or cuda for the models \\[default: cuda when available].")
    ] = None,
    batch_size: Annotated[
        Optional[int], typer.Option("--batch-size", min=1, help="Pairs per model batch \\[default: the backend's].")
    ] = None,
    predictions: Annotated[bool, typer.Option("--predictions", help="Include every prediction in the JSON.")] = False,
    json_path: Annotated[Optional[Path], typer.Option("--json", help="Write the scores as JSON here.")] = None,
    config: ConfigOption = None,
) -> None:
    """Measure the stance step on a labelled dataset: accuracy, macro-F1, per-class scores.

    fnc-1 runs through the verify path (body split into sentences, the closest retrieved, judged
    and aggregated) and adds the official FNC weighted score. Scores are on held-out splits.
    Needs the `[eval]` extra.
    """
    import json

    from ..stance import load_stance_model

    _setup(True)
    with _errors():
        evaluate = _eval_module("evaluate")
        datasets = _eval_module("datasets")
        settings = _settings(config, stance={"backend": stance, "model": stance_model})
        names = list(datasets.DATASETS) if dataset == "all" else [dataset]
        if any(name not in datasets.DATASETS for name in names):
            raise FactcheckError(f"Unknown dataset '{dataset}': choose one of {', '.join(datasets.DATASETS)} or all")
        fnc_embedder = evaluate.default_embedder(embedder, device=device) if (embedder or device or retrieve_only) else None
        if retrieve_only:
            if dataset != "fnc-1" or not retrieval_cache:
                raise FactcheckError("--retrieve-only needs dataset fnc-1 and --retrieval-cache FILE")
            count = evaluate.write_retrieval_cache(
                retrieval_cache,
                data_dir=data_dir,
                split=split,
                limit=limit,
                seed=seed,
                embedder=fnc_embedder,
                aggregation=aggregation,
            )
            out.print(f"Wrote {count} retrievals to {retrieval_cache}", highlight=False)
            return
        options = {k: v for k, v in {"device": device, "batch_size": batch_size}.items() if v is not None}
        options["runtime"] = "torch" if device else settings.stance.runtime  # a device is torch's
        model = load_stance_model(settings.stance.backend, settings.stance.model, **options)
        reports = []
        for name in names:
            report = evaluate.evaluate_dataset(
                name,
                data_dir=data_dir,
                stance_model=model,
                split=split,
                limit=limit,
                seed=seed,
                embedder=fnc_embedder,
                aggregation=aggregation,
                related_threshold=related_threshold,
                retrieval_cache=retrieval_cache,
                include_predictions=predictions,
            )
            reports.append(report)
            out.print(evaluate.format_report(report), highlight=False)
        if json_path:
            json_path.parent.mkdir(parents=True, exist_ok=True)
            json_path.write_text(json.dumps(reports[0] if len(reports) == 1 else reports, indent=2), encoding="utf-8")
            out.print(f"JSON: {json_path}", highlight=False)


@app.command("train-stance")
def train_stance_command(
    output_dir: Annotated[Path, typer.Option("--output-dir", help="Where to write the trained model (a CrossEncoder folder).")],
    data_dir: Annotated[
        Optional[Path], typer.Option("--data-dir", help="Dataset folder \\[default: ../shared/datasets].")
    ] = None,
    recipe: Annotated[
        str,
        typer.Option(
            "--recipe",
            help="v2: real labelled pairs first; v6: v2 plus restatements (shortened names, dates and numbers written another way) as supports; v7: v6 plus Fool Me Twice dev claims (twice) and the rest of Breaking NLI; mined: a further pass for a v2 model on news paraphrases mined across outlets plus v2 pairs (use with --base-model); v1: the generated mix of the first shipped model.",
        ),
    ] = "v2",
    sources: Annotated[str, typer.Option("--sources", help="v1 recipe: all, real or generated pairs.")] = "all",
    epochs: Annotated[float, typer.Option("--epochs", help="Training epochs.")] = 1.0,
    max_pairs: Annotated[Optional[int], typer.Option("--max-pairs", help="Cap the training pairs (for a quick run).")] = None,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Pairs per training batch.")] = 32,
    learning_rate: Annotated[float, typer.Option("--learning-rate", help="AdamW learning rate.")] = 5e-5,
    max_length: Annotated[int, typer.Option("--max-length", min=16, help="Tokens per pair.")] = 128,
    seed: Annotated[int, typer.Option("--seed", help="Seed for data sampling and training.")] = 0,
    base_model: Annotated[
        Optional[Path],
        typer.Option("--base-model", help="MiniLM folder to start from \\[default: the packaged all-MiniLM-L6-v2]."),
    ] = None,
    device: Annotated[Optional[str], typer.Option("--device", help="cpu or cuda \\[default: cuda when available].")] = None,
) -> None:
    """Reproduce the shipped stance model: real labelled pairs (and some generated from news), fine-tune, calibrate.

    The defaults are the shipped model's recipe: on 2 CPU cores about an hour (16-25 pairs/s);
    on one GPU, minutes. See
    factcheck/resources/stance-minilm/MODEL_CARD.md for the data and licenses. Needs the `[eval]` extra.
    """
    _setup(False)
    with _errors():
        train = _eval_module("train")
        summary = train.train_stance(
            output_dir=output_dir,
            data_dir=data_dir,
            epochs=epochs,
            max_pairs=max_pairs,
            device=device,
            base_model=base_model,
            batch_size=batch_size,
            learning_rate=learning_rate,
            max_length=max_length,
            seed=seed,
            sources=sources,
            recipe=recipe,
        )
        from ..stance.export import export_stance_model

        export_stance_model(output_dir, output_dir=output_dir)  # model.onnx, for the ONNX runtime
    out.print(f"Model written to {output_dir}; use it with `factcheck verify --stance minilm --stance-model {output_dir}`")
    out.print(
        f"To ship it: `factcheck export-onnx --stance-model {output_dir} --output-dir factcheck/resources/stance-minilm`",
        highlight=False,
    )
    out.print({k: v for k, v in summary.items() if k in ("pairs", "seconds", "calibration")})


@app.command("export-onnx")
def export_onnx_command(
    stance_model: Annotated[
        Path,
        typer.Option("--stance-model", help="A stance model folder, as `factcheck train-stance` writes it (a CrossEncoder)."),
    ],
    output_dir: Annotated[
        Path,
        typer.Option(
            "--output-dir",
            help="Where to write it for the runtimes; factcheck/resources/stance-minilm replaces the shipped model. "
            "May be the model folder itself.",
        ),
    ],
) -> None:
    """Write a stance model as the runtime reads it: fp16 safetensors and `model.onnx`, its ONNX graph.

    The graph is small (~32 KB): it reads the weights in `model.safetensors` beside it, so
    ONNX Runtime and torch run the same weights. Run it after `factcheck train-stance` to ship
    the new model (train-stance already adds the graph to its own output). Needs no torch.
    """
    from ..stance.export import export_stance_model

    _setup(True)
    with _errors():
        result = export_stance_model(stance_model, output_dir=output_dir)
    out.print(
        f"Wrote {', '.join(result.files)} to {result.output_dir} "
        f"(weights {result.weights_bytes / 1e6:.1f} MB fp16"
        + (f", {result.converted} tensors converted from float32" if result.converted else "")
        + ")",
        highlight=False,
        soft_wrap=True,
    )
