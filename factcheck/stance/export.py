"""Write a stance model folder as the runtime reads it: fp16 safetensors and its ONNX graph.

`export_stance_model(model_dir, output_dir=...)` is what `factcheck export-onnx` (and the end of
`factcheck train-stance`) runs. It needs numpy, safetensors and onnx; not torch. The runtime never
imports this module.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..bert.session import GRAPH_FILE, TOKENIZER_FILE, BertSession
from ..bert.weights import WEIGHTS_FILE, read_header
from ..errors import MissingDependencyError, ModelError
from ..files import atomic_path, atomic_write

# what a folder written by train-stance (a sentence-transformers CrossEncoder) holds besides weights
SKIPPED = {WEIGHTS_FILE, GRAPH_FILE, "pytorch_model.bin", "optimizer.pt", "scheduler.pt", "rng_state.pth", "training_args.bin"}


@dataclass(frozen=True)
class ExportResult:
    output_dir: Path
    files: list[str]
    weights_bytes: int
    converted: int  # tensors stored in another float type before, now fp16


def _write_fp16_weights(source: Path, target: Path) -> int:
    """Copy the safetensors weights at `source` to `target` with every float tensor fp16 (as shipped)."""
    try:
        from safetensors.numpy import load_file, save_file
    except ImportError as exc:
        raise MissingDependencyError("Exporting needs the safetensors package: run `pip install safetensors`") from exc
    tensors, _ = read_header(source)
    if all(info.dtype in ("F16", "I64") for info in tensors.values()):
        if source.resolve() != target.resolve():
            with atomic_path(target) as tmp:
                shutil.copyfile(source, tmp)
        return 0
    if any(info.dtype == "BF16" for info in tensors.values()):
        raise ModelError(f"{source} holds bfloat16 tensors, which numpy cannot read: save the model in float32 or float16")
    weights = load_file(str(source))
    converted = sum(1 for array in weights.values() if array.dtype == np.float32)
    weights = {name: array.astype(np.float16) if array.dtype == np.float32 else array for name, array in weights.items()}
    with atomic_path(target) as tmp:
        save_file(weights, str(tmp), metadata={"format": "pt"})
    return converted


def export_stance_model(model_dir: str | Path, *, output_dir: str | Path) -> ExportResult:
    """Write the stance model at `model_dir` (a CrossEncoder folder: config.json, model.safetensors,
    tokenizer.json, stance_calibration.json ...) into `output_dir` for both runtimes: its files,
    its weights as fp16 safetensors, and `model.onnx`, the graph ONNX Runtime runs on them.

    `output_dir` may be `model_dir` itself (the graph is added, float32 weights become fp16).
    The graph is loaded once to check it before this returns.
    """
    from ..bert.graph import build_graph

    source, target = Path(model_dir), Path(output_dir)
    for needed in ("config.json", WEIGHTS_FILE, TOKENIZER_FILE):
        if not (source / needed).is_file():
            raise ModelError(
                f"{source} has no {needed}: give a folder written by `factcheck train-stance` "
                "(a sentence-transformers CrossEncoder saved with safetensors and a fast tokenizer)"
            )
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    if source.resolve() != target.resolve():
        for path in sorted(source.iterdir()):
            if path.is_file() and path.name not in SKIPPED:
                with atomic_path(target / path.name) as tmp:
                    shutil.copyfile(path, tmp)
                copied.append(path.name)
    converted = _write_fp16_weights(source / WEIGHTS_FILE, target / WEIGHTS_FILE)
    atomic_write(target / GRAPH_FILE, build_graph(target, head="classifier").SerializeToString())
    from .cross_encoder import StanceCalibration

    session = BertSession(target, graph=(target / GRAPH_FILE).read_bytes(), max_length=StanceCalibration.load(target).max_length)
    logits = session.run([("The union accepted the offer.", "The union rejected the offer.")])
    if logits.shape != (1, session.width) or not np.isfinite(logits).all():
        raise ModelError(f"The exported graph in {target} gave no usable logits ({logits!r}); the export failed")
    return ExportResult(
        output_dir=target,
        files=sorted({*copied, WEIGHTS_FILE, GRAPH_FILE}),
        weights_bytes=(target / WEIGHTS_FILE).stat().st_size,
        converted=converted,
    )
