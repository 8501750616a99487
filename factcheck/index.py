"""The sentence index on disk: vectors, FAISS search structure, metadata tables and a manifest.

Layout of an index directory::

    CURRENT              name of the live version (replaced atomically)
    v-<time>-<id>/       one complete version
        manifest.json    format, embedder, counts, build time, file checksums
        articles.parquet
        sentences.parquet  one row per sentence; `vector_row` points into vectors.npy
        vectors.npy      one L2-normalised float32 row per unique sentence text

A build writes a new version beside the live one and switches CURRENT with `os.replace`, so a
crash leaves the previous index untouched and a reader never sees half an index.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

from . import __version__
from .errors import IndexDamagedError, IndexMismatchError, NoIndexError

FORMAT_VERSION = 1
FILES = ("articles.parquet", "sentences.parquet", "vectors.npy")

ARTICLE_COLUMNS = ["article_id", "path", "title", "source", "date", "url", "n_sentences"]
SENTENCE_COLUMNS = [
    "sentence_id", "article_id", "ordinal", "text", "start", "end", "line", "hash", "checkworthy", "vector_row",
]


@dataclass
class SentenceIndex:
    """A loaded, searchable index version."""

    path: Path
    manifest: dict
    articles: pd.DataFrame
    sentences: pd.DataFrame
    vectors: np.ndarray
    _search: object = field(default=None, repr=False)

    @property
    def embedder(self) -> str:
        return self.manifest["embedder"]["name"]

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Cosine scores and vector rows of the k nearest unique sentence texts per query."""
        if self._search is None:
            self._search = _build_search(self.vectors, self.manifest.get("search", {}))
        k = min(k, len(self.vectors))
        if k == 0:
            empty = np.zeros((len(queries), 0))
            return empty.astype(np.float32), empty.astype(np.int64)
        return self._search.search(np.ascontiguousarray(queries, dtype=np.float32), k)

    def article_table(self) -> dict[str, dict]:
        # missing values are None, not pandas' NaN (which would print as "nan" and break JSON)
        table = self.articles.set_index("article_id")
        return table.astype(object).where(table.notna(), None).to_dict("index")


def _build_search(vectors: np.ndarray, options: dict):
    import faiss

    index = faiss.IndexFlatIP(vectors.shape[1])
    if len(vectors):
        index.add(vectors)
    return index


# --------------------------------------------------------------------------- reading


def current_version(index_dir: Path) -> Path | None:
    pointer = index_dir / "CURRENT"
    if not pointer.is_file():
        return None
    name = pointer.read_text(encoding="utf-8").strip()
    return index_dir / name if name else None


def index_exists(index_dir: str | Path) -> bool:
    version = current_version(Path(index_dir))
    return version is not None and version.is_dir()


def load_index(index_dir: str | Path, *, embedder: str | None = None, verify: bool = True) -> SentenceIndex:
    """Load the live version; refuse one built with another embedder or with damaged files."""
    index_dir = Path(index_dir)
    version = current_version(index_dir)
    if version is None:
        raise NoIndexError(f"No index at {index_dir}: run `factcheck build-index PATHS --index {index_dir}` first")
    rebuild = f"rebuild it with `factcheck build-index PATHS --index {index_dir} --fresh`"
    manifest_path = version / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise IndexDamagedError(f"Index at {index_dir} is damaged (manifest unreadable: {exc}); {rebuild}") from exc
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IndexMismatchError(
            f"Index at {index_dir} has format {manifest.get('format_version')}, this factcheck reads "
            f"{FORMAT_VERSION}; {rebuild}"
        )
    if embedder is not None and manifest["embedder"]["name"] != embedder:
        raise IndexMismatchError(
            f"Index at {index_dir} was built with embedder '{manifest['embedder']['name']}', not '{embedder}': "
            f"use the same embedder (--embedder/--model or configs), or {rebuild}"
        )
    if verify:
        for name, expected in manifest.get("checksums", {}).items():
            path = version / name
            if not path.is_file():
                raise IndexDamagedError(f"Index at {index_dir} is damaged ({name} is missing); {rebuild}")
            if _sha256(path) != expected:
                raise IndexDamagedError(f"Index at {index_dir} is damaged ({name} fails its checksum); {rebuild}")
    try:
        articles = pd.read_parquet(version / "articles.parquet")
        sentences = pd.read_parquet(version / "sentences.parquet")
        vectors = np.load(version / "vectors.npy", allow_pickle=False)
    except Exception as exc:  # pyarrow/numpy raise many types for a truncated file
        raise IndexDamagedError(f"Index at {index_dir} is damaged ({exc.__class__.__name__}: {exc}); {rebuild}") from exc
    if len(vectors) and vectors.shape[1] != manifest["embedder"]["dimension"]:
        raise IndexDamagedError(f"Index at {index_dir} is damaged (vector width {vectors.shape[1]}); {rebuild}")
    return SentenceIndex(version, manifest, articles, sentences, vectors)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --------------------------------------------------------------------------- writing


def write_index(
    index_dir: str | Path,
    *,
    articles: pd.DataFrame,
    sentences: pd.DataFrame,
    vectors: np.ndarray,
    embedder_name: str,
    dimension: int,
    extra: dict | None = None,
    keep_versions: int = 2,
) -> Path:
    """Write a complete new version and make it live; returns its directory."""
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc)
    name = f"v-{stamp:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
    staging = index_dir / f".tmp-{name}"
    staging.mkdir()
    try:
        articles[ARTICLE_COLUMNS].to_parquet(staging / "articles.parquet", index=False)
        sentences[SENTENCE_COLUMNS].to_parquet(staging / "sentences.parquet", index=False)
        np.save(staging / "vectors.npy", np.ascontiguousarray(vectors, dtype=np.float32), allow_pickle=False)
        manifest = {
            "format_version": FORMAT_VERSION,
            "factcheck_version": __version__,
            "built_at": stamp.isoformat(timespec="seconds"),
            "embedder": {"name": embedder_name, "dimension": int(dimension)},
            "counts": {
                "articles": int(len(articles)),
                "sentences": int(len(sentences)),
                "unique_sentences": int(len(vectors)),
                "checkworthy": int(sentences["checkworthy"].sum()) if len(sentences) else 0,
            },
            "checksums": {f: _sha256(staging / f) for f in FILES},
            **(extra or {}),
        }
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        _fsync_dir_files(staging)
        final = index_dir / name
        os.replace(staging, final)
        pointer_tmp = index_dir / f".CURRENT.{uuid.uuid4().hex[:8]}"
        pointer_tmp.write_text(name + "\n", encoding="utf-8")
        _fsync(pointer_tmp)
        os.replace(pointer_tmp, index_dir / "CURRENT")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _prune(index_dir, keep=max(1, keep_versions), live=name)
    return final


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir_files(directory: Path) -> None:
    for child in directory.iterdir():
        _fsync(child)


def _prune(index_dir: Path, *, keep: int, live: str) -> None:
    """Remove old versions and abandoned staging directories; a reader may still hold the previous one."""
    versions = sorted(p for p in index_dir.glob("v-*") if p.is_dir())
    old = [p for p in versions if p.name != live][: max(0, len(versions) - keep)]
    cutoff = time.time() - 3600
    stale = [p for p in index_dir.glob(".tmp-*") if p.stat().st_mtime < cutoff]
    for path in old + stale:
        shutil.rmtree(path, ignore_errors=True)


def empty_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    return pd.DataFrame(columns=ARTICLE_COLUMNS), pd.DataFrame(columns=SENTENCE_COLUMNS)
