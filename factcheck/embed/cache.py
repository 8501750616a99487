"""Claim vectors kept across runs, so checking the same claim again needs no model at all.

One small file per text: `<cache>/vectors/<embedder cache_key>/<sha256 of the text>.f32`, the
raw float32 row. Files are written whole and renamed into place (files.atomic_write), so two
runs embedding the same claim at once both write the same bytes and a reader never sees half a
row; no lock is needed. A file of the wrong size is ignored and rewritten. An embedder without a
`cache_key` (the hashing one: it is instant) is not cached. The folder can be deleted any time.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from ..files import atomic_write, cache_dir
from .base import Embedder

log = logging.getLogger(__name__)


def vector_cache_dir(embedder: Embedder) -> Path | None:
    """Where `embedder`'s vectors are cached, or None when it has no `cache_key`."""
    key = getattr(embedder, "cache_key", None)
    return cache_dir("vectors") / key if key else None


def _path(folder: Path, text: str) -> Path:
    return folder / f"{hashlib.sha256(text.encode('utf-8')).hexdigest()}.f32"


def embed_cached(
    embedder: Embedder, texts: Sequence[str], *, embed: Callable[[list[str]], np.ndarray] | None = None
) -> np.ndarray:
    """Vectors of `texts` (rows in order): cached ones read, the rest embedded by `embed`
    (default `embedder.embed_batch`) and cached."""
    embed = embed or (lambda batch: embedder.embed_batch(batch))
    folder = vector_cache_dir(embedder)
    if folder is None:
        return embed(list(texts))
    out = np.zeros((len(texts), embedder.dimension), dtype=np.float32)
    missing: dict[str, list[int]] = {}
    for row, text in enumerate(texts):
        try:
            raw = _path(folder, text).read_bytes()
        except OSError:
            raw = b""
        if len(raw) == 4 * embedder.dimension:
            out[row] = np.frombuffer(raw, dtype=np.float32)
        else:
            missing.setdefault(text, []).append(row)
    if missing:
        unique = list(missing)
        vectors = np.asarray(embed(unique), dtype=np.float32)
        for text, vector in zip(unique, vectors):
            out[missing[text]] = vector
            try:
                atomic_write(_path(folder, text), vector.tobytes())
            except OSError as exc:  # a read-only or full disk costs speed, not the run
                log.warning("could not cache a claim vector in %s: %s", folder, exc)
                break
    return out
