"""Sentence embedders. Each backend implements `embed_batch(texts) -> float32 array, L2-normalised`.

Backends are picked by name from `EMBEDDERS`:

    transformer.py  sentence-transformers (default: all-MiniLM-L6-v2 shipped on PyPI)
    onnx.py         the same model on ONNX Runtime (`pip install factcheck[onnx]`)
    hashing.py      no model: a deterministic hashing embedder for tests and dry runs
    base.py         the `Embedder` protocol and the one length-sorted batching helper
"""

from __future__ import annotations

from collections.abc import Callable

from ..config import EmbedderSettings
from .base import Embedder, embed_in_length_order, length_sorted_chunks
from .hashing import HashEmbedder
from .transformer import PACKAGED_MINILM, SentenceTransformerEmbedder, resolve_model_path

__all__ = [
    "EMBEDDERS",
    "PACKAGED_MINILM",
    "Embedder",
    "HashEmbedder",
    "SentenceTransformerEmbedder",
    "embed_in_length_order",
    "embedder_options",
    "length_sorted_chunks",
    "load_configured_embedder",
    "load_embedder",
    "resolve_model_path",
]


def _onnx_embedder(model: str = PACKAGED_MINILM, **options: object) -> Embedder:
    """The same model on ONNX Runtime: 1.5x the sentences per CPU-second, recall@10 1.000 against
    the default backend on real text (benchmarks/RESULTS.md). Needs `pip install factcheck[onnx]`."""
    from .onnx import OnnxEmbedder

    return OnnxEmbedder(model or PACKAGED_MINILM, **options)  # type: ignore[arg-type]


EMBEDDERS: dict[str, type | Callable[..., Embedder]] = {
    "sentence-transformers": SentenceTransformerEmbedder,
    "onnx": _onnx_embedder,
    "hash": HashEmbedder,
}


def load_embedder(backend: str, model: str, **options: object) -> Embedder:
    """Embedder by backend name; loaded once per process and reused across commands."""
    from ..backends import load_backend

    return load_backend(EMBEDDERS, "embedder", backend, model, **options)


def embedder_options(settings: EmbedderSettings) -> dict:
    """Options the configured embedder backend takes (the hashing embedder takes none)."""
    return {"batch_size": settings.batch_size} if settings.backend in ("sentence-transformers", "onnx") else {}


def load_configured_embedder(settings: EmbedderSettings) -> Embedder:
    """The embedder `settings` name, with the options its backend takes."""
    return load_embedder(settings.backend, settings.model, **embedder_options(settings))
