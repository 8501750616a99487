"""Build engines, and the one build loop they share.

`run_build(engine, paths, index_dir=..., settings=...)` is every build: it takes the index's
writer lock, opens the previous version, hands the engine's articles to an `IndexBuilder` in
order and commits the new version. An engine supplies only what differs between running here
and running on a cluster:

    embedder_name, dimension           what the index records and checks (loaded inside the lock)
    articles(paths, on_skip)           (article, segment) pairs in file order; segment() -> sentences
    embed(texts)                       float32 vectors, rows in input order

    base.py   `run_build` and the `Engine` protocol
    local.py  this process (the default)
    ray.py    Ray tasks read and segment, a pool of actors embeds (`pip install factcheck[ray]`)
"""

from __future__ import annotations

from collections.abc import Callable

from ..config import Settings
from ..errors import ConfigError
from .base import Engine, run_build

__all__ = ["ENGINES", "Engine", "make_engine", "run_build"]


def _local(settings: Settings, **options: object) -> Engine:
    from .local import LocalEngine

    return LocalEngine(settings, **options)


def _ray(settings: Settings, **options: object) -> Engine:
    from .ray import RayEngine

    return RayEngine(settings, **options)  # type: ignore[arg-type]


ENGINES: dict[str, Callable[..., Engine]] = {"local": _local, "ray": _ray}


def make_engine(name: str, settings: Settings, **options: object) -> Engine:
    """The engine `name` names; an unknown name lists the known ones."""
    if name not in ENGINES:
        raise ConfigError(f"Unknown engine '{name}': use {' or '.join(ENGINES)}")
    return ENGINES[name](settings, **{k: v for k, v in options.items() if v is not None})
