"""The hashing embedder: no model, deterministic; what tests and dry runs build indexes with."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np


class HashEmbedder:
    """Deterministic bag-of-words hashing embedder: no model, for tests and quick dry runs.

    Similar wording gives similar vectors, which is enough to exercise the pipeline.
    """

    def __init__(self, model: str = "", *, dimension: int = 256, **_: object) -> None:
        self.dimension = dimension
        self.name = f"hash:{dimension}"

    def embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            tokens = re.findall(r"\w+", text.lower())
            for token in tokens + [a + " " + b for a, b in zip(tokens, tokens[1:])]:
                digest = hashlib.blake2b(token.encode(), digest_size=8).digest()
                bucket = int.from_bytes(digest[:4], "little") % self.dimension
                out[row, bucket] += 1.0 if digest[4] & 1 else -1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)
