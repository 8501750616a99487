"""A faster embedding path for the same model, checked against the default backend.

`OnnxEmbedder`: all-MiniLM-L6-v2 on ONNX Runtime (fp32). The transformer is exported from
  the packaged sentence-transformers model once and cached; pooling and normalisation are done
  here exactly as sentence-transformers does (mean over the attention mask, then L2).
  Accepted only with recall@10 >= 0.99 against the default backend (benchmarks/encode.py).

Nothing here loads a model at import time.
"""

from __future__ import annotations

import hashlib
import os
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..errors import ModelError
from ..files import atomic_path
from .base import length_sorted_chunks
from .transformer import PACKAGED_MINILM, resolve_model_path

ONNX_CACHE = Path(os.environ.get("FACTCHECK_ONNX_CACHE", Path.home() / ".cache" / "factcheck" / "onnx"))


def export_onnx(model_dir: str, target: Path) -> Path:
    """Export the transformer of a sentence-transformers BERT-style model to ONNX (fp32)."""
    import torch
    from transformers import AutoModel

    class LastHidden(torch.nn.Module):
        """Keyword call: positional arguments of BertModel.forward differ across versions."""

        def __init__(self) -> None:
            super().__init__()
            self.model = AutoModel.from_pretrained(model_dir, local_files_only=True).eval()

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state

    transformer = LastHidden().eval()
    # Trace with a padded row, so the graph keeps the masking path real batches need.
    mask = torch.ones((2, 16), dtype=torch.long)
    mask[1, 9:] = 0
    example = {
        "input_ids": torch.full((2, 16), 1000, dtype=torch.long) * mask,
        "attention_mask": mask,
        "token_type_ids": torch.zeros((2, 16), dtype=torch.long),
    }
    axes = {0: "batch", 1: "tokens"}
    with atomic_path(target) as tmp, torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer notes about shapes that are fixed here by design
        torch.onnx.export(
            transformer,
            (example["input_ids"], example["attention_mask"], example["token_type_ids"]),
            str(tmp),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            opset_version=17,
            dynamo=False,
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes, "last_hidden_state": axes},
        )
    return target


class OnnxEmbedder:
    """all-MiniLM-L6-v2 (or another local BERT-style sentence-transformers model) on ONNX Runtime."""

    def __init__(
        self, model: str = PACKAGED_MINILM, *, batch_size: int = 64, threads: int | None = None, max_length: int = 256
    ) -> None:
        try:
            import onnxruntime
            from transformers import AutoTokenizer
        except ImportError as exc:
            raise ModelError("The onnx embedder needs onnxruntime: run `pip install onnxruntime`") from exc
        path = resolve_model_path(model)
        key = hashlib.sha256(Path(path, "config.json").read_bytes()).hexdigest()[:12]
        onnx_path = ONNX_CACHE / f"{Path(path).name}-{key}.onnx"
        if not onnx_path.exists():
            export_onnx(path, onnx_path)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or os.cpu_count() or 1
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        self._session = onnxruntime.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
        self._tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        self._inputs = {i.name for i in self._session.get_inputs()}
        self.batch_size = batch_size
        self.max_length = max_length
        self.dimension = int(self._session.get_outputs()[0].shape[-1] or 384)
        label = model.split(":", 1)[1] if model.startswith("packaged:") else Path(path).name
        # Same vectors within tolerance, but recorded apart: an index says how it was made.
        self.name = f"onnx:{label}"

    def embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for rows in length_sorted_chunks(texts, self.batch_size):
            encoded = self._tokenizer(
                [texts[i] for i in rows], padding=True, truncation=True, max_length=self.max_length, return_tensors="np"
            )
            feed = {name: encoded[name].astype(np.int64) for name in self._inputs if name in encoded}
            if "token_type_ids" in self._inputs and "token_type_ids" not in feed:
                feed["token_type_ids"] = np.zeros_like(feed["input_ids"])
            hidden = self._session.run(None, feed)[0]
            mask = encoded["attention_mask"][..., None].astype(np.float32)
            pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
            out[rows] = pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
        return out
