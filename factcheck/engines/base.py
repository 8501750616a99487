"""The one build loop (`run_build`) and what an engine is (`Engine`); see engines/__init__.py."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cached_property
from pathlib import Path
from typing import Protocol, TypeVar

import numpy as np

from ..config import Settings, search_settings
from ..embed import Embedder, load_configured_embedder
from ..errors import InputError
from ..index.builder import BuildStats, IndexBuilder
from ..index.store import crash_point, index_exists, open_version, writer_lock
from ..models import Article, Sentence
from ..progress import Progress

log = logging.getLogger(__name__)

SkipHandler = Callable[[str, str], None]
T = TypeVar("T")
R = TypeVar("R")


class Engine(Protocol):
    @property
    def embedder_name(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    def articles(
        self, paths: Sequence[str | Path], *, on_skip: SkipHandler
    ) -> Iterator[tuple[Article, Callable[[], list[Sentence]]]]:
        """Each article with a function giving its sentences: the build calls it only for new articles."""
        ...

    def embed(self, texts: list[str]) -> np.ndarray:
        """L2-normalised float32 vectors of `texts`, rows in input order."""
        ...

    def map_batches(self, work: Callable[[T], R], batches: Sequence[T]) -> Iterator[R]:
        """`work(batch)` of each batch, in order. `work` is called once per batch but made once
        per worker, so what it loads on its first call (a model, an index) loads once per worker."""
        ...


class ConfiguredEmbedder:
    """What both engines share: the configured embedder, loaded in this process on first use
    (inside the build's lock), whose name and dimension the index records."""

    settings: Settings

    @cached_property
    def embedder(self) -> Embedder:
        return load_configured_embedder(self.settings.embedder)

    @property
    def embedder_name(self) -> str:
        return self.embedder.name

    @property
    def dimension(self) -> int:
        return self.embedder.dimension


def run_build(
    engine: Engine,
    paths: Iterable[str | Path],
    *,
    index_dir: str | Path,
    settings: Settings,
    fresh: bool = False,
    progress: Progress | None = None,
    on_skip: SkipHandler | None = None,
    wait: bool = False,
    batch_sentences: int | None = None,
) -> BuildStats:
    """Add the articles under `paths` to the index at `index_dir` (see `pipeline.build_index`)."""
    paths = list(paths)
    with writer_lock(index_dir, wait=wait):
        crash_point("locked")
        progress = progress or Progress()
        stats = BuildStats(index_dir=str(index_dir))

        def skip(path: str, reason: str) -> None:
            stats.skipped.append((path, reason))
            (on_skip or (lambda p, r: log.warning("skipped %s: %s", p, r)))(path, reason)

        old = open_version(index_dir, embedder=engine.embedder_name) if index_exists(index_dir) and not fresh else None
        builder = IndexBuilder(
            index_dir,
            old=old,
            embed=engine.embed,
            embedder_name=engine.embedder_name,
            dimension=engine.dimension,
            stats=stats,
            on_skip=skip,
            batch_sentences=batch_sentences or settings.index.build_batch,
            search=search_settings(settings.index),
        )
        try:
            with progress.stage("Reading, segmenting and embedding articles") as advance:
                for article, segment in engine.articles(paths, on_skip=skip):
                    advance(1)
                    stats.articles_total += 1
                    if builder.is_new(article.id):
                        builder.add(article, segment())
            if stats.articles_total == 0:
                raise InputError("No usable articles found in " + ", ".join(map(str, paths)) + " (see the warnings above)")
            with progress.stage("Writing the index"):
                builder.finish(keep_versions=settings.index.keep_versions)
        except BaseException:
            builder.abort()
            raise
        return stats
