"""The `factcheck` command: `app` (typer) and `main`, the console entry point.

app.py   the app, shared options, error handling; build-index, verify, info
eval.py  eval, train-stance
"""

from __future__ import annotations

from . import eval as _eval  # noqa: F401  (registers its commands on `app`)
from .app import app, main

__all__ = ["app", "main"]
