"""Sentence embedders. Each backend implements `embed_batch(texts) -> float32 array, L2-normalised`.

Backends are picked by name from `EMBEDDERS`:

    onnx.py         the default: all-MiniLM-L6-v2 (shipped on PyPI) on ONNX Runtime, no torch
    transformer.py  the same model on sentence-transformers (torch)
    hashing.py      no model: a deterministic hashing embedder for tests and dry runs
    base.py         the `Embedder` protocol and the one length-sorted batching helper
    cache.py        claim vectors kept across runs
"""

from __future__ import annotations

from collections.abc import Callable

from ..config import EmbedderSettings
from .base import Embedder, embed_in_length_order, length_sorted_chunks
from .cache import embed_cached
from .hashing import HashEmbedder
from .onnx import OnnxEmbedder
from .transformer import PACKAGED_MINILM, SentenceTransformerEmbedder, resolve_model_path

__all__ = [
    "EMBEDDERS",
    "PACKAGED_MINILM",
    "Embedder",
    "HashEmbedder",
    "OnnxEmbedder",
    "SentenceTransformerEmbedder",
    "embed_cached",
    "embed_in_length_order",
    "embedder_options",
    "length_sorted_chunks",
    "load_configured_embedder",
    "load_embedder",
    "resolve_model_path",
    "same_vectors",
]


def _onnx_embedder(model: str = PACKAGED_MINILM, **options: object) -> Embedder:
    return OnnxEmbedder(model or PACKAGED_MINILM, **options)  # type: ignore[arg-type]


EMBEDDERS: dict[str, type | Callable[..., Embedder]] = {
    "onnx": _onnx_embedder,
    "sentence-transformers": SentenceTransformerEmbedder,
    "hash": HashEmbedder,
}
# backends that give the same vectors for the same model (within 2e-7, recall@10 1.000: tested)
SAME_VECTORS = ("onnx", "sentence-transformers")


def same_vectors(recorded: str, embedder: str) -> bool:
    """Whether an index whose manifest names embedder `recorded` can be searched with vectors from
    embedder `embedder`: the same name, or the same model on two backends of `SAME_VECTORS`."""
    if recorded == embedder:
        return True
    (a, _, model_a), (b, _, model_b) = recorded.partition(":"), embedder.partition(":")
    return a in SAME_VECTORS and b in SAME_VECTORS and model_a == model_b


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
