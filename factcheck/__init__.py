"""factcheck: offline claim fact-checking and cross-referencing of news articles.

The public API, imported on first use so that `import factcheck` (and `factcheck --help`) stays
light::

    from factcheck import Settings, build_index, load_index, verify_claims
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_PUBLIC = {
    "Settings": "factcheck.config",
    "load_settings": "factcheck.config",
    "build_index": "factcheck.pipeline",
    "verify_claims": "factcheck.pipeline",
    "claims_from_texts": "factcheck.pipeline",
    "claims_from_file": "factcheck.pipeline",
    "load_index": "factcheck.index",
    "FactcheckError": "factcheck.errors",
}
__all__ = ["__version__", *_PUBLIC]

if TYPE_CHECKING:  # what __getattr__ returns, for type checkers and editors
    from .config import Settings, load_settings  # noqa: F401
    from .errors import FactcheckError  # noqa: F401
    from .index import load_index  # noqa: F401
    from .pipeline import build_index, claims_from_file, claims_from_texts, verify_claims  # noqa: F401


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        import importlib

        return getattr(importlib.import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'factcheck' has no attribute {name!r}")
