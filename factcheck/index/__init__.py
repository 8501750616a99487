"""The sentence index: versions on disk with a manifest, the streaming builder, and vector search.

store.py    versions, manifest, checksums, the writer lock; `load_index`
builder.py  `IndexBuilder`: a new version assembled batch by batch, so memory does not grow
vectors.py  FAISS search: exact below a size, approximate above, sharded above that
"""

from __future__ import annotations

from .store import SentenceIndex, current_version, index_exists, load_index, open_version, writer_lock

__all__ = ["SentenceIndex", "current_version", "index_exists", "load_index", "open_version", "writer_lock"]
