"""The local engine: read, segment and embed in this process."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import partial
from pathlib import Path

import numpy as np

from ..config import Settings
from ..embed import embed_in_length_order
from ..ingest import iter_articles
from ..models import Article, Sentence
from ..segment import segment_article
from .base import ConfiguredEmbedder, R, T


class LocalEngine(ConfiguredEmbedder):
    def __init__(self, settings: Settings, **_: object) -> None:  # a --ray-address means nothing here
        self.settings = settings

    def articles(
        self, paths: Sequence[str | Path], *, on_skip: Callable[[str, str], None]
    ) -> Iterator[tuple[Article, Callable[[], list[Sentence]]]]:
        for article in iter_articles(paths, on_skip=on_skip):
            yield article, partial(segment_article, article)

    def map_batches(self, work: Callable[[T], R], batches: Sequence[T]) -> Iterator[R]:
        return (work(batch) for batch in batches)

    def embed(self, texts: list[str]) -> np.ndarray:
        chunk = max(self.settings.embedder.batch_size * 4, 64)
        return embed_in_length_order(self.embedder.embed_batch, texts, dimension=self.dimension, chunk=chunk)
