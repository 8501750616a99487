"""Writing files so that a reader or a crash never sees half of one: write a temporary sibling,
then `os.replace` it into place. Every writer of a report, page, index file or model export uses
these. And where caches live."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """A temporary path beside `path` to write to; on success it replaces `path`, on error it is removed.

    For writers that take a file name (FAISS, torch.onnx.export); `atomic_write` for content in hand.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # a unique name, created by the writer: a file made here would get mkstemp's 0600 mode
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def atomic_write(path: str | os.PathLike, content: str | bytes) -> Path:
    """Write `content` (text as UTF-8) to `path` atomically; returns the path."""
    with atomic_path(path) as tmp:
        if isinstance(content, bytes):
            tmp.write_bytes(content)
        else:
            tmp.write_text(content, encoding="utf-8")
    return Path(path)


def cache_dir(kind: str) -> Path:
    """`$FACTCHECK_CACHE/kind`, else `$XDG_CACHE_HOME/factcheck/kind`, else `~/.cache/factcheck/kind`.

    Everything in it can be deleted at any time; it is rebuilt on use.
    """
    root = os.environ.get("FACTCHECK_CACHE") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "factcheck"
    return Path(root) / kind
