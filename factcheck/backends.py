"""Backends picked by name from a table, each loaded once per process and reused across commands."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .errors import ConfigError

_LOADED: dict[tuple, Any] = {}


def load_backend(table: Mapping[str, Callable[..., Any]], kind: str, backend: str, model: str, **options: object) -> Any:
    """`table[backend](model, **options)`, cached; an unknown name lists the known ones."""
    if backend not in table:
        raise ConfigError(f"Unknown {kind} backend '{backend}'. Known: {', '.join(sorted(table))}")
    key = (kind, backend, model, tuple(sorted(options.items())))
    if key not in _LOADED:
        _LOADED[key] = table[backend](model, **options)
    return _LOADED[key]
