"""What every embedder is, and the one length-sorted batching helper they share."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol

import numpy as np


class Embedder(Protocol):
    name: str  # recorded in the index manifest; an index only loads with the same name
    dimension: int

    def embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        """float32 array of shape (len(texts), dimension), rows L2-normalised."""
        ...


def length_sorted_chunks(items: Sequence, size: int, *, length: Callable[[Any], int] = len) -> Iterator[list[int]]:
    """Positions of `items` in chunks of `size`, shortest first.

    A model pads a batch to its longest text, so batches of similar length waste less; the caller
    writes each chunk's results back at these positions, which restores the input order.
    """
    order = sorted(range(len(items)), key=lambda i: length(items[i]))
    for start in range(0, len(order), max(1, size)):
        yield order[start : start + size]


def embed_in_length_order(
    embed_batch: Callable[[list[str]], np.ndarray],
    texts: Sequence[str],
    *,
    dimension: int,
    chunk: int,
    advance: Callable[[int], object] | None = None,
) -> np.ndarray:
    """`embed_batch` over `texts` in length-sorted chunks; rows come back in input order."""
    out = np.zeros((len(texts), dimension), dtype=np.float32)
    for rows in length_sorted_chunks(texts, chunk):
        out[rows] = embed_batch([texts[i] for i in rows])
        if advance is not None:
            advance(len(rows))
    return out
