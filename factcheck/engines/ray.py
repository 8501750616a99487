"""build_index and verify on a Ray cluster: ingest + segmentation as Ray tasks, embedding on a
pool of actors; a verify's claim batches on a pool of actors each holding the index and the
stance model (`RayEngine.map_batches`).

`build_index_ray(paths, *, index_dir, settings, address=None)` builds the same index as
`pipeline.build_index` (same article and sentence ids, metadata and vector rows; vectors equal
within float tolerance): the distributed steps only replace the two loops that cost time, and
the index is assembled and written by the driver in the one build loop (`engines.run_build`).
With no address a local Ray instance is started (what the tests use); with one, the workers
need factcheck and the embedding model installed (e.g. `pip install .[ray]` in the image).
"""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from functools import cached_property, partial
from pathlib import Path
from typing import Any

import numpy as np

from ..config import Settings
from ..embed import embedder_options, length_sorted_chunks
from ..errors import ConfigError
from ..index.builder import BuildStats
from ..models import Article, Sentence
from .base import ConfiguredEmbedder, R, T, run_build

log = logging.getLogger(__name__)

FILES_PER_TASK = 16  # small enough to spread a few hundred files, big enough to amortise a task
EMBED_CHUNK = 1024  # texts per actor call: whole batches, little padding once length-sorted


def _require_ray():
    try:
        import ray
    except ImportError as exc:
        raise ConfigError("The Ray engine needs Ray: run `pip install 'factcheck[ray]'`.") from exc
    return ray


def start_ray(address: str | None = None, *, num_cpus: int | None = None) -> None:
    """Connect to `address`, or start a local Ray instance when there is none."""
    ray = _require_ray()
    if ray.is_initialized():
        return
    if address is not None:
        ray.init(
            address=address,
            log_to_driver=False,
            ignore_reinit_error=True,
            runtime_env={"env_vars": {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}},
        )
        return
    # Local workers inherit the environment Ray starts with: let them import factcheck from
    # this checkout and stay offline. (A runtime_env would do the same but costs seconds per
    # worker start.)
    package_root = str(Path(__file__).resolve().parents[2])
    saved = dict(os.environ)
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH", "")) if p)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        ray.init(num_cpus=num_cpus, include_dashboard=False, log_to_driver=False, ignore_reinit_error=True)
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _segment_files(files: list[str]) -> tuple[list[tuple[Article, list[Sentence]]], list[tuple[str, str]]]:
    """Ingest + segment a group of files (runs in a Ray task)."""
    from ..ingest import iter_articles
    from ..segment import segment_article

    skipped: list[tuple[str, str]] = []
    out = [(article, segment_article(article)) for article in iter_articles(files, on_skip=lambda p, r: skipped.append((p, r)))]
    return out, skipped


class _EmbedWorker:
    """Holds one loaded embedder; Ray runs it as an actor so the model loads once per worker."""

    def __init__(self, backend: str, model: str, options: dict, threads: int | None) -> None:
        if threads and backend == "onnx":
            options = {**options, "threads": threads}  # ONNX Runtime's own thread pool; no torch here
        elif threads:
            import torch

            torch.set_num_threads(threads)
        from ..embed import load_embedder

        self.embedder = load_embedder(backend, model, **options)

    def embed(self, texts: list[str]) -> np.ndarray:
        return self.embedder.embed_batch(texts)


_ACTORS: dict[tuple, list] = {}


def _embed_actors(settings: Settings, workers: int, threads: int | None) -> list:
    """Embedding actors, started once per process and settings: the model loads once."""
    ray = _require_ray()
    e = settings.embedder
    key = (
        ray.get_runtime_context().get_job_id(),
        e.backend,
        e.model,
        tuple(sorted(embedder_options(e).items())),
        workers,
        threads,
    )
    actors = _ACTORS.get(key)
    if actors is None:
        for old in _ACTORS.values():  # one pool at a time: an old one holds CPUs
            for actor in old:
                try:
                    ray.kill(actor)
                except Exception:  # from an earlier Ray session: already gone
                    pass
        _ACTORS.clear()
        # Each actor reserves one logical CPU but runs `threads` torch threads: the reservation
        # leaves CPUs for the segmentation tasks of the next build, which run before embedding.
        remote_worker = ray.remote(num_cpus=1)(_EmbedWorker)
        actors = [remote_worker.remote(e.backend, e.model, embedder_options(e), threads) for _ in range(max(1, workers))]
        _ACTORS[key] = actors
    return actors


def embed_texts_ray(
    texts: list[str], *, settings: Settings, dimension: int, workers: int, threads_per_worker: int | None = None
) -> np.ndarray:
    """Embed `texts` on `workers` actors in length-sorted chunks; rows in input order."""
    ray = _require_ray()
    out = np.zeros((len(texts), dimension), dtype=np.float32)
    if not texts:
        return out
    actors = _embed_actors(settings, workers, threads_per_worker)
    chunks = list(length_sorted_chunks(texts, EMBED_CHUNK))
    pending = {actors[n % len(actors)].embed.remote([texts[i] for i in chunk]): chunk for n, chunk in enumerate(chunks)}
    while pending:
        done, _ = ray.wait(list(pending), num_returns=1)
        for ref in done:
            out[pending.pop(ref)] = ray.get(ref)
    return out


class _BatchWorker:
    """Holds one `work` callable; Ray runs it as an actor, so what `work` loads on its first
    batch (pipeline.ClaimChecker: the index and the stance model) loads once per actor."""

    def __init__(self, work: Callable, threads: int | None) -> None:
        if threads:
            try:
                import torch
            except ImportError:  # a backend without torch (rules) needs no thread setting
                pass
            else:
                torch.set_num_threads(threads)
        self.work = work

    def run(self, batch: Any) -> Any:
        return self.work(batch)


class RayEngine(ConfiguredEmbedder):
    """Ray tasks read and segment files `FILES_PER_TASK` at a time; embedding actors embed. The
    driver loads the embedder too, for its name and dimension. `map_batches` runs a verify's
    claim batches on one actor per CPU."""

    def __init__(self, settings: Settings, *, address: str | None = None, workers: int | None = None) -> None:
        _require_ray()  # before any work: without Ray, one clear error
        self.settings, self.address, self._workers = settings, address, workers

    @cached_property
    def _cpus(self) -> int:  # Ray starts on first use, inside the build's lock
        ray = _require_ray()
        start_ray(self.address)
        return int(ray.available_resources().get("CPU", 1))

    @property
    def workers(self) -> int:
        return self._workers or max(1, self._cpus // 2)  # two threads per model: better than 1 x N on CPU

    def embed(self, texts: list[str]) -> np.ndarray:
        return embed_texts_ray(
            texts,
            settings=self.settings,
            dimension=self.dimension,
            workers=self.workers,
            threads_per_worker=max(1, self._cpus // self.workers),
        )

    def map_batches(self, work: Callable[[T], R], batches: Sequence[T]) -> Iterator[R]:
        """`work(batch)` of each batch on a pool of actors (one per CPU, one thread each: the
        retrieval half of the work is single-threaded Python), results in batch order."""
        ray = _require_ray()
        from ray.util import ActorPool

        batches = list(batches)
        if not batches:
            return
        workers = min(self._workers or self._cpus, len(batches))
        remote_worker = ray.remote(num_cpus=1)(_BatchWorker)
        actors = [remote_worker.remote(work, max(1, self._cpus // workers)) for _ in range(workers)]
        try:
            yield from ActorPool(actors).map(lambda actor, batch: actor.run.remote(batch), batches)
        finally:
            for actor in actors:  # give their CPUs back
                ray.kill(actor)

    def articles(
        self, paths: Sequence[str | Path], *, on_skip: Callable[[str, str], None]
    ) -> Iterator[tuple[Article, Callable[[], list[Sentence]]]]:
        from ..ingest import expand_paths

        ray = _require_ray()
        files = [str(f) for f in expand_paths(paths, on_skip=on_skip)]
        groups = [files[i : i + FILES_PER_TASK] for i in range(0, len(files), FILES_PER_TASK)]
        segment = ray.remote(_segment_files)
        # a window of tasks in flight: results don't pile up in the object store while we embed
        ahead = max(4, 2 * self._cpus)
        refs = deque(segment.remote(group) for group in groups[:ahead])
        submitted = len(refs)
        while refs:  # in file order, so ids and rows come out as on the local path
            segmented, skipped = ray.get(refs.popleft())
            if submitted < len(groups):
                refs.append(segment.remote(groups[submitted]))
                submitted += 1
            for path, reason in skipped:
                on_skip(path, reason)
            for article, sentences in segmented:
                yield article, partial(list, sentences)


def build_index_ray(
    paths: Sequence[str | Path],
    *,
    settings: Settings,
    address: str | None = None,
    workers: int | None = None,
    **options: Any,
) -> BuildStats:
    """`pipeline.build_index` with ingest, segmentation and embedding spread over Ray: the same
    build loop (`engines.run_build`), so the same lock, ids, rows and manifest. `options` are
    run_build's: index_dir, fresh, on_skip, wait, progress, batch_sentences."""
    return run_build(RayEngine(settings, address=address, workers=workers), paths, settings=settings, **options)
