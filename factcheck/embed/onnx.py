"""The default embedder: a sentence-transformers model on ONNX Runtime, without torch.

`OnnxEmbedder` runs the model's BERT encoder as an ONNX graph (factcheck/bert/) that reads the
model's own `model.safetensors`; pooling (mean over the attention mask) and L2 normalisation are
in the graph, as sentence-transformers does them. The graph is written once per model into the
user cache (`~/.cache/factcheck/onnx`, ~30 KB; writing it needs the `onnx` package). Vectors
match the sentence-transformers backend to ~2e-7 (recall@10 1.000 on real text:
tests/test_onnx_runtime.py, benchmarks/RESULTS.md). The session loads on first use, so a run
whose claims are all in the vector cache (embed/cache.py) never loads the model.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelError
from .base import length_sorted_chunks
from .transformer import PACKAGED_MINILM, resolve_model_path


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (OSError, ValueError) as exc:
        raise ModelError(f"Cannot read {path}: {exc}") from exc


class OnnxEmbedder:
    """A local sentence-transformers model (BERT-style, mean pooling) on ONNX Runtime."""

    def __init__(
        self, model: str = PACKAGED_MINILM, *, batch_size: int = 64, threads: int | None = None, max_length: int | None = None
    ) -> None:
        from ..bert.weights import WEIGHTS_FILE, read_header

        self.model_dir = Path(resolve_model_path(model))
        pooling = _read_json(self.model_dir / "1_Pooling" / "config.json")
        if pooling and not pooling.get("pooling_mode_mean_tokens"):
            raise ModelError(
                f"The onnx embedder does mean pooling; {self.model_dir} pools otherwise: use `--embedder sentence-transformers`"
            )
        settings = _read_json(self.model_dir / "sentence_bert_config.json")
        self.max_length = int(max_length or settings.get("max_seq_length") or 256)
        self.lowercase = bool(settings.get("do_lower_case", False))
        self.dimension = int(_read_json(self.model_dir / "config.json").get("hidden_size") or 0)
        if not self.dimension:
            raise ModelError(f"{self.model_dir / 'config.json'} has no hidden_size: is this a BERT-style model?")
        self.batch_size = batch_size
        self.threads = threads
        label = model.split(":", 1)[1] if model.startswith("packaged:") else self.model_dir.name
        # Vectors within 2e-7 of the sentence-transformers backend's, but recorded apart: an
        # index says how it was made; embed.same_vectors lets either read the other's index.
        self.name = f"onnx:{label}"
        weights = self.model_dir / WEIGHTS_FILE
        stat = weights.stat()
        _, header = read_header(weights)
        # what the vector cache is keyed by: these weights, as they are on disk now
        self.cache_key = hashlib.sha256(f"{self.name}|{header}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:20]
        self._session: Any = None

    def _load(self) -> Any:
        if self._session is None:
            from ..bert.session import BertSession, graph_for

            graph = graph_for(self.model_dir, head="mean")
            self._session = BertSession(self.model_dir, graph=graph, max_length=self.max_length, threads=self.threads)
        return self._session

    def release(self) -> None:
        """Free the session (~60 MB); the next `embed_batch` loads it again. verify calls this once
        the claims are embedded, so the stance model does not load on top of it."""
        self._session = None

    def embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not len(texts):
            return out
        session = self._load()
        for rows in length_sorted_chunks(texts, self.batch_size):
            batch = [texts[i].lower() if self.lowercase else texts[i] for i in rows]
            out[rows] = session.run(batch)
        return out
