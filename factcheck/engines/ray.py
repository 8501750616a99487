"""build_index on a Ray cluster: ingest + segmentation as Ray tasks, embedding on a pool of actors.

`build_index_ray(paths, *, index_dir, settings, address=None)` builds the same index as
`pipeline.build_index` (same article and sentence ids, metadata and vector rows; vectors equal
within float tolerance): the distributed steps only replace the two loops that cost time, and
the index is assembled and written by the driver exactly as the local path does (index/builder.py).
With no address a local Ray instance is started (what the tests use); with one, the workers
need factcheck and the embedding model installed (e.g. `pip install .[ray]` in the image).
"""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from ..config import Settings, search_settings
from ..embed import embedder_options, length_sorted_chunks, load_configured_embedder
from ..errors import ConfigError, InputError
from ..index.builder import BuildStats, IndexBuilder
from ..index.store import index_exists, open_version, writer_lock
from ..models import Article, Sentence

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
        ray.init(address=address, log_to_driver=False, ignore_reinit_error=True,
                 runtime_env={"env_vars": {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}})
        return
    # Local workers inherit the environment Ray starts with: let them import factcheck from
    # this checkout and stay offline. (A runtime_env would do the same but costs seconds per
    # worker start.)
    package_root = str(Path(__file__).resolve().parents[2])
    saved = dict(os.environ)
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (package_root, os.environ.get("PYTHONPATH", "")) if p)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        ray.init(num_cpus=num_cpus, include_dashboard=False, log_to_driver=False,
                 ignore_reinit_error=True)
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _segment_files(files: list[str]) -> tuple[list[tuple[Article, list[Sentence]]], list[tuple[str, str]]]:
    """Ingest + segment a group of files (runs in a Ray task)."""
    from ..ingest import iter_articles
    from ..segment import segment_article

    skipped: list[tuple[str, str]] = []
    out = [(article, segment_article(article))
           for article in iter_articles(files, on_skip=lambda p, r: skipped.append((p, r)))]
    return out, skipped


class _EmbedWorker:
    """Holds one loaded embedder; Ray runs it as an actor so the model loads once per worker."""

    def __init__(self, backend: str, model: str, options: dict, threads: int | None) -> None:
        if threads:
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
    key = (ray.get_runtime_context().get_job_id(), e.backend, e.model,
           tuple(sorted(embedder_options(e).items())), workers, threads)
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
        actors = [remote_worker.remote(e.backend, e.model, embedder_options(e), threads)
                  for _ in range(max(1, workers))]
        _ACTORS[key] = actors
    return actors


def embed_texts_ray(texts: list[str], *, settings: Settings, dimension: int, workers: int,
                    threads_per_worker: int | None = None) -> np.ndarray:
    """Embed `texts` on `workers` actors in length-sorted chunks; rows in input order."""
    ray = _require_ray()
    out = np.zeros((len(texts), dimension), dtype=np.float32)
    if not texts:
        return out
    actors = _embed_actors(settings, workers, threads_per_worker)
    chunks = list(length_sorted_chunks(texts, EMBED_CHUNK))
    pending = {actors[n % len(actors)].embed.remote([texts[i] for i in chunk]): chunk
               for n, chunk in enumerate(chunks)}
    while pending:
        done, _ = ray.wait(list(pending), num_returns=1)
        for ref in done:
            out[pending.pop(ref)] = ray.get(ref)
    return out


def build_index_ray(
    paths: Sequence[str | Path],
    *,
    index_dir: str | Path,
    settings: Settings,
    fresh: bool = False,
    address: str | None = None,
    workers: int | None = None,
    on_skip: Callable[[str, str], None] | None = None,
    wait: bool = False,
):
    """Like `pipeline.build_index`, with ingest, segmentation and embedding spread over Ray.

    Holds the same writer lock as `build_index`, so the two never write one index at once.
    """
    with writer_lock(index_dir, wait=wait):
        return _build_index_ray_locked(
            paths, index_dir=index_dir, settings=settings, fresh=fresh, address=address, workers=workers, on_skip=on_skip,
        )


def _build_index_ray_locked(paths, *, index_dir, settings, fresh, address, workers, on_skip):
    ray = _require_ray()
    from ..ingest import expand_paths

    start_ray(address)
    stats = BuildStats(index_dir=str(index_dir))

    def skip(path: str, reason: str) -> None:
        stats.skipped.append((path, reason))
        (on_skip or (lambda p, r: log.warning("skipped %s: %s", p, r)))(path, reason)

    embedder = load_configured_embedder(settings.embedder)
    old = open_version(index_dir, embedder=embedder.name) if index_exists(index_dir) and not fresh else None
    cpus = int(ray.available_resources().get("CPU", 1))
    workers = workers or max(1, cpus // 2)  # two threads per model: better than 1 x N on CPU

    def embed(texts: list[str]) -> np.ndarray:
        return embed_texts_ray(texts, settings=settings, dimension=embedder.dimension, workers=workers,
                               threads_per_worker=max(1, cpus // workers))

    # From here on the same streaming assembly as pipeline.build_index (index/builder.py): the same
    # ids, rows and vectors, a batch of sentences at a time.
    builder = IndexBuilder(
        index_dir, old=old, embed=embed, embedder_name=embedder.name, dimension=embedder.dimension,
        stats=stats, on_skip=skip, batch_sentences=settings.index.build_batch,
        search=search_settings(settings.index),
    )
    try:
        files = [str(f) for f in expand_paths(paths, on_skip=skip)]
        groups = [files[i:i + FILES_PER_TASK] for i in range(0, len(files), FILES_PER_TASK)]
        segment = ray.remote(_segment_files)
        # a window of tasks in flight: results don't pile up in the object store while we embed
        ahead = max(4, 2 * cpus)
        refs = deque(segment.remote(group) for group in groups[:ahead])
        submitted = len(refs)
        while refs:  # in file order, so ids and rows come out as on the local path
            segmented, skipped = ray.get(refs.popleft())
            if submitted < len(groups):
                refs.append(segment.remote(groups[submitted]))
                submitted += 1
            for path, reason in skipped:
                skip(path, reason)
            for article, sentences in segmented:
                stats.articles_total += 1
                if builder.is_new(article.id):
                    builder.add(article, sentences)
        if stats.articles_total == 0:
            raise InputError("No usable articles found in " + ", ".join(map(str, paths)) + " (see the warnings above)")
        builder.finish(keep_versions=settings.index.keep_versions)
    except BaseException:
        builder.abort()
        raise
    return stats
