"""The sentence index on disk: vectors, FAISS search structure, metadata tables and a manifest.

Layout of an index directory::

    CURRENT              name of the live version (replaced atomically)
    v-<time>-<id>/       one complete version
        manifest.json    format, embedder, counts, build time, file checksums
        articles.parquet
        sentences.parquet  one row per sentence, an article's rows together and in the articles'
                         order (articles.parquet `first_row`, `n_sentences`); `vector_row` points
                         into vectors.npy; row groups of ROW_GROUP_ROWS rows, so a row is read by
                         its number without reading the table
        vectors.npy      one L2-normalised float32 row per unique sentence text
        vector_members.npy, vector_offsets.npy
                         the sentence rows of each vector row: members[offsets[v]:offsets[v + 1]]
        search.faiss     above the exact-search size: the trained approximate index, or, above
        shards/          the shard size, one FAISS index per `shard_size` vector rows + shards.json

    A build writes the tables a row group per batch and vectors.npy a block of rows at a time
    (`StagedVersion`, `VectorFileWriter`, builder.py); the files are ordinary parquet and .npy.

    .lock                held (filelock) by the one build allowed to write, with its pid; the OS
                         releases it if the build dies, so a crash never leaves a stale lock

Format 2 added `first_row`, the two vector_*.npy files and the row-group size, so that `verify`
reads the rows a search returns by number instead of loading the sentence table (~0.5-1 GB per
1M rows). A format-1 index is upgraded by building it again: the build reads a format-1 version
and reuses its vectors (`open_version`), so nothing is re-embedded.

A build writes a new version beside the live one and switches CURRENT with `os.replace`, so a
crash leaves the previous index untouched and a reader never sees half an index. Readers take no
lock: they read whichever version CURRENT names, and the previous version is kept for readers
that opened it just before a switch.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import mmap
import os
import re
import shutil
import signal
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from numpy.lib import format as npformat

from .. import __version__
from ..embed import same_vectors
from ..errors import IndexDamagedError, IndexLockedError, IndexMismatchError, NoIndexError

log = logging.getLogger(__name__)

FORMAT_VERSION = 2
BUILD_READS_FORMATS = (1, 2)  # a build reuses (and so upgrades) a version of these formats
TABLE_FILES = ("articles.parquet", "sentences.parquet", "vectors.npy")  # every format has these
MEMBERS_FILE, OFFSETS_FILE = "vector_members.npy", "vector_offsets.npy"
FILES = (*TABLE_FILES, MEMBERS_FILE, OFFSETS_FILE)
ROW_GROUP_ROWS = 4096  # sentences per parquet row group: the most one read by row number decodes
SEARCH_FILE = "search.faiss"  # the trained approximate index, present only above the exact-search size
SHARDS_DIR = "shards"  # instead of SEARCH_FILE above the shard size: shard files and vectors.SHARDS_FILE
_VERSION_NAME = re.compile(r"v-[0-9A-Za-z-]+")

ARTICLE_COLUMNS = ["article_id", "path", "title", "source", "date", "url", "n_sentences"]
SENTENCE_COLUMNS = [
    "sentence_id",
    "article_id",
    "ordinal",
    "text",
    "start",
    "end",
    "line",
    "hash",
    "checkworthy",
    "vector_row",
]
# the column types builds write (and cast an older version's rows to); the written articles
# table adds `first_row` (ARTICLE_TABLE_SCHEMA), which a build computes afresh
ARTICLE_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("path", pa.string()),
        ("title", pa.string()),
        ("source", pa.string()),
        ("date", pa.string()),
        ("url", pa.string()),
        ("n_sentences", pa.int64()),
    ]
)
ARTICLE_TABLE_SCHEMA = ARTICLE_SCHEMA.append(pa.field("first_row", pa.int64()))
SENTENCE_SCHEMA = pa.schema(
    [
        ("sentence_id", pa.string()),
        ("article_id", pa.string()),
        ("ordinal", pa.int64()),
        ("text", pa.string()),
        ("start", pa.int64()),
        ("end", pa.int64()),
        ("line", pa.int64()),
        ("hash", pa.string()),
        ("checkworthy", pa.bool_()),
        ("vector_row", pa.int64()),
    ]
)


@dataclass
class SentenceIndex:
    """A loaded, searchable index version.

    The article table is loaded (one row per article); the sentence table is not: `sentence_rows`
    reads the rows a search returns by number, a row group at a time, and `vector_members` says
    which sentence rows share a vector. `sentences` loads the whole table, for small tools and tests.
    Vectors are memory-mapped and read by row (`vector_rows`), so a verify holds only the rows it
    reads.
    """

    path: Path
    manifest: dict
    articles: pd.DataFrame  # with `first_row`: an article's sentences are rows first_row .. + n_sentences
    vectors: np.ndarray
    members: np.ndarray  # sentence rows by vector row (mapped); `offsets` says where each vector's start
    offsets: np.ndarray
    _search: Any = field(default=None, repr=False)  # VectorIndex or ShardedVectorIndex, built on first search
    _sentences: pd.DataFrame | None = field(default=None, repr=False)
    _row_groups: Any = field(default=None, repr=False)  # RowGroupReader, on first use

    @property
    def embedder(self) -> str:
        return self.manifest["embedder"]["name"]

    @property
    def sentence_count(self) -> int:
        return int(self.manifest["counts"]["sentences"])

    @property
    def sentences(self) -> pd.DataFrame:
        """The whole sentence table, loaded on first use (~0.5-1 GB per 1M rows: not for verify)."""
        if self._sentences is None:
            self._sentences = _read_table(self.path, "sentences.parquet")
        return self._sentences

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Cosine scores and vector rows of the k nearest unique sentence texts per query."""
        if self._search is None:
            self._search = _load_search(self.path, self.manifest.get("search", {}))
        k = min(k, len(self.vectors))
        if k == 0:
            empty = np.zeros((len(queries), 0))
            return empty.astype(np.float32), empty.astype(np.int64)
        return self._search.search(np.ascontiguousarray(queries, dtype=np.float32), k)

    def article_table(self) -> dict[str, dict]:
        """article id -> its metadata, with missing values as None (not NaN)."""
        table = self.articles.set_index("article_id").astype(object)
        return table.where(table.notna(), None).to_dict("index")

    def vector_rows(self, rows: Sequence[int] | np.ndarray) -> np.ndarray:
        """A copy of these rows of the vectors. Rows of a mapped file are read with pread, not
        through the map: a fault on a mapped page maps the whole folio around it (up to 2 MB on
        this kernel), so 150 random rows read through the map held ~260 MB of a 1M index."""
        rows = np.asarray(rows, dtype=np.int64)
        if not isinstance(self.vectors, np.memmap):
            return np.array(self.vectors[rows], dtype=np.float32)
        width = self.vectors.shape[1] * 4
        out = np.empty((len(rows), self.vectors.shape[1]), dtype=np.float32)
        with open(self.path / "vectors.npy", "rb") as handle:
            fd, offset = handle.fileno(), int(self.vectors.offset)
            for n, row in enumerate(rows.tolist()):
                out[n] = np.frombuffer(os.pread(fd, width, offset + row * width), dtype="<f4")
        return out

    def vector_members(self, row: int) -> np.ndarray:
        """The sentence rows whose text has vector `row`, lowest first."""
        return np.asarray(self.members[int(self.offsets[row]) : int(self.offsets[row + 1])])

    def sentence_rows(self, rows: Iterable[int], columns: Sequence[str] = SENTENCE_COLUMNS) -> dict[str, list]:
        """`columns` of sentence rows `rows`, in that order, reading only the row groups that hold them."""
        if self._row_groups is None:
            self._row_groups = RowGroupReader(self.path / "sentences.parquet")
        return self._row_groups.take(np.fromiter(rows, dtype=np.int64), columns)

    def iter_sentences(self, columns: Sequence[str], batch_size: int = 65_536) -> Iterator[pa.RecordBatch]:
        """The sentence table's `columns` in batches, in row order."""
        yield from pq.ParquetFile(self.path / "sentences.parquet").iter_batches(batch_size=batch_size, columns=list(columns))


class RowGroupReader:
    """Rows of a parquet file by row number: each row group holding some is read once per call."""

    def __init__(self, path: Path) -> None:
        self.file = pq.ParquetFile(path)
        sizes = [self.file.metadata.row_group(g).num_rows for g in range(self.file.num_row_groups)]
        self.starts = np.concatenate([[0], np.cumsum(sizes, dtype=np.int64)])

    def take(self, rows: np.ndarray, columns: Sequence[str]) -> dict[str, list]:
        out: dict[str, list] = {name: [None] * len(rows) for name in columns}
        if not len(rows):
            return out
        if rows.min() < 0 or rows.max() >= self.starts[-1]:
            raise IndexError(f"sentence rows outside 0..{self.starts[-1] - 1}")
        groups = np.searchsorted(self.starts, rows, side="right") - 1
        for group in np.unique(groups):
            at = np.flatnonzero(groups == group)
            table = self.file.read_row_group(int(group), columns=list(columns))
            picked = table.take(pa.array(rows[at] - self.starts[group]))
            for name in columns:
                values = picked.column(name).to_pylist()
                column = out[name]
                for position, value in zip(at, values):
                    column[position] = value
            del table, picked
        return out


def _load_search(version: Path, options: dict):
    """The version's shards or trained approximate index when it has them, else exact search over
    vectors.npy read a block at a time (`FileExactSearch`).

    Shards and an IVF index are searched from memory maps, a group of claims at a time
    (`MappedSearch`), so a search never holds more than about MAPPED_SEARCH_MB of them; an HNSW
    graph, which a query reads all over, is read whole once."""
    from .vectors import FileExactSearch, MappedSearch, ShardedVectorIndex, VectorIndex

    settings = {k: v for k, v in options.items() if k not in ("kind", "shard_size", "shards")}
    nprobe = int(settings.get("ivf_nprobe") or VectorIndex.ivf_nprobe)
    if options.get("kind") == "sharded":
        # one shard at a time, mapped rather than read: a search never holds every shard
        sharded = ShardedVectorIndex(version / SHARDS_DIR, cache_shards=False, mmap=True, **settings)
        files = [version / SHARDS_DIR / shard["file"] for shard in sharded.shards]
        return MappedSearch(files, lambda: sharded, nprobe=nprobe)
    if (version / SEARCH_FILE).is_file():
        if options.get("kind") == "ivf":
            return MappedSearch(
                [version / SEARCH_FILE], lambda: VectorIndex.load(version / SEARCH_FILE, mmap=True, **settings), nprobe=nprobe
            )
        return VectorIndex.load(version / SEARCH_FILE, **settings)
    return FileExactSearch(version / "vectors.npy")


def _required_files(manifest: dict) -> list[str]:
    """The files a version must have checksums for: the tables and vectors (and from format 2 the
    vector members), and a sharded version's shard list and every shard it names (paths relative
    to the version)."""
    files = list(FILES if manifest.get("format_version") == FORMAT_VERSION else TABLE_FILES)
    search = manifest.get("search") or {}
    if search.get("kind") != "sharded":
        return files
    from .vectors import SHARDS_FILE

    return [*files, f"{SHARDS_DIR}/{SHARDS_FILE}", *(f"{SHARDS_DIR}/{shard['file']}" for shard in search["shards"])]


# --------------------------------------------------------------------------- reading


def _rebuild_hint(index_dir: Path) -> str:
    return f"rebuild it with `factcheck build-index PATHS --index {index_dir} --fresh`"


def current_version(index_dir: Path) -> Path | None:
    """The live version directory, or None when no build has completed here."""
    pointer = Path(index_dir) / "CURRENT"
    try:
        raw = pointer.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise IndexDamagedError(
            f"Index at {index_dir} is damaged (CURRENT unreadable: {exc}); {_rebuild_hint(index_dir)}"
        ) from exc
    name = raw.decode("utf-8", errors="replace").strip()
    if not _VERSION_NAME.fullmatch(name):
        raise IndexDamagedError(f"Index at {index_dir} is damaged (CURRENT does not name a version); {_rebuild_hint(index_dir)}")
    return Path(index_dir) / name


def index_exists(index_dir: str | Path) -> bool:
    """True once a build has completed here (even if the index has since been damaged)."""
    return (Path(index_dir) / "CURRENT").exists()


def load_index(
    index_dir: str | Path, *, embedder: str | None = None, verify: bool = True, version: str | None = None
) -> SentenceIndex:
    """Load the live version (or the one named `version`: what a verify's workers read, so that
    they all read the driver's); refuse one built with another embedder or with damaged files."""
    index_dir = Path(index_dir)
    if version is not None:
        if not _VERSION_NAME.fullmatch(version):
            raise IndexDamagedError(f"Index at {index_dir} has no version {version!r}")
        return _load_version(index_dir, index_dir / version, embedder=embedder, verify=verify)
    for attempt in range(3):
        live = current_version(index_dir)
        if live is None:
            raise NoIndexError(f"No index at {index_dir}: run `factcheck build-index PATHS --index {index_dir}` first")
        try:
            return _load_version(index_dir, live, embedder=embedder, verify=verify)
        except IndexDamagedError:
            # builds that finished while we read may have pruned this version: read the new live one
            if attempt < 2 and current_version(index_dir) != live:
                continue
            raise
    raise AssertionError("unreachable")


def _check_version(
    index_dir: Path, version: Path, *, embedder: str | None, verify: bool, formats: Sequence[int] = (FORMAT_VERSION,)
) -> dict:
    """The version's manifest, once its format (one of `formats`), embedder and (with `verify`)
    checksums are right."""
    rebuild = _rebuild_hint(index_dir)
    if not version.is_dir():
        raise IndexDamagedError(f"Index at {index_dir} is damaged (CURRENT names {version.name}, which is missing); {rebuild}")
    manifest_path = version / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        embedder_name = manifest["embedder"]["name"]
        int(manifest["embedder"]["dimension"])  # a number, or the manifest is damaged
        checksums = dict(manifest["checksums"])
        manifest["counts"]["articles"]
        required = _required_files(manifest)
    except (OSError, ValueError, KeyError, TypeError) as exc:  # ValueError covers JSON and UTF-8 errors
        raise IndexDamagedError(f"Index at {index_dir} is damaged (manifest unreadable: {exc!r}); {rebuild}") from exc
    found = manifest.get("format_version")
    if found not in formats:
        upgrade = (
            f"run `factcheck build-index PATHS --index {index_dir}` with any of its article paths to upgrade it "
            "(its vectors are reused: nothing is re-embedded), or "
            if found in BUILD_READS_FORMATS
            else ""
        )
        raise IndexMismatchError(
            f"Index at {index_dir} has format {found}, this factcheck reads {FORMAT_VERSION}; {upgrade}{rebuild}"
        )
    if embedder is not None and not same_vectors(embedder_name, embedder):
        raise IndexMismatchError(
            f"Index at {index_dir} was built with embedder '{embedder_name}', not '{embedder}': "
            f"use the same embedder (--embedder/--model or configs), or {rebuild}"
        )
    if verify:
        for name in (*required, *(n for n in checksums if n not in required)):
            path = version / name
            if not _inside_version(name):
                raise IndexDamagedError(
                    f"Index at {index_dir} is damaged (the manifest names {name!r}, outside the version); {rebuild}"
                )
            if name not in checksums:
                raise IndexDamagedError(f"Index at {index_dir} is damaged (the manifest has no checksum for {name}); {rebuild}")
            if not path.is_file():
                raise IndexDamagedError(f"Index at {index_dir} is damaged ({name} is missing); {rebuild}")
            if _sha256(path) != checksums[name]:
                raise IndexDamagedError(f"Index at {index_dir} is damaged ({name} fails its checksum); {rebuild}")
    return manifest


def _inside_version(name: str) -> bool:
    """A checksum name is a plain relative path inside the version (shards/... has a '/')."""
    parts = name.split("/")
    return bool(name) and not name.startswith("/") and all(part not in ("", ".", "..") for part in parts)


def _load_version(index_dir: Path, version: Path, *, embedder: str | None, verify: bool) -> SentenceIndex:
    rebuild = _rebuild_hint(index_dir)
    manifest = _check_version(index_dir, version, embedder=embedder, verify=verify)
    dimension = int(manifest["embedder"]["dimension"])
    # Vectors are read by row (claims, duplicate groups) and exact search reads the file a block
    # at a time (FileExactSearch): map them, so a verify does not hold them all.
    try:
        articles = _read_table(version, "articles.parquet")
        vectors = np.load(version / "vectors.npy", mmap_mode="r", allow_pickle=False)
        members = np.load(version / MEMBERS_FILE, mmap_mode="r", allow_pickle=False)
        offsets = np.load(version / OFFSETS_FILE, mmap_mode="r", allow_pickle=False)
        columns = set(pq.read_schema(version / "sentences.parquet").names)
    except Exception as exc:  # pyarrow/numpy raise many types for a truncated file
        raise IndexDamagedError(f"Index at {index_dir} is damaged ({exc.__class__.__name__}: {exc}); {rebuild}") from exc
    if vectors.ndim != 2 or vectors.dtype != np.float32 or (len(vectors) and vectors.shape[1] != dimension):
        raise IndexDamagedError(f"Index at {index_dir} is damaged (vectors of shape {vectors.shape}, {vectors.dtype}); {rebuild}")
    if len(offsets) != len(vectors) + 1 or len(members) != manifest["counts"]["sentences"]:
        raise IndexDamagedError(f"Index at {index_dir} is damaged (vector members do not match the tables); {rebuild}")
    missing = set(ARTICLE_TABLE_SCHEMA.names) - set(articles.columns) | set(SENTENCE_COLUMNS) - columns
    if missing:
        raise IndexDamagedError(f"Index at {index_dir} is damaged (missing columns {sorted(missing)}); {rebuild}")
    for column in ("title", "source", "date", "url"):  # pandas 3 reads a missing string as NaN: keep None
        articles[column] = articles[column].astype(object).where(articles[column].notna(), None)
    return SentenceIndex(version, manifest, articles, vectors, members, offsets)


def _read_table(version: Path, name: str) -> pd.DataFrame:
    return pd.read_parquet(version / name)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class StoredVersion:
    """A verified version read in pieces by a build that reuses it: tables in batches, vectors mapped."""

    path: Path
    manifest: dict
    vectors: np.ndarray  # memory-mapped read-only: rows are read from disk as they are used

    def vector_rows(self, rows: np.ndarray) -> np.ndarray:
        """A copy of these rows of the vectors. The mapped pages read are then let go: they are
        page cache the kernel keeps anyway, and would otherwise count in this process's RSS until
        the whole file had been read."""
        block = np.array(self.vectors[rows], dtype=np.float32)
        release_mapped_pages(self.vectors)
        return block

    def batches(self, name: str, columns: list[str], batch_size: int) -> Iterator[pa.RecordBatch]:
        """Record batches of `name` (articles.parquet, sentences.parquet), one row group at a time."""
        yield from pq.ParquetFile(self.path / name).iter_batches(batch_size=batch_size, columns=columns)


def release_mapped_pages(vectors: np.ndarray) -> None:
    """Let go of the pages of a memory-mapped array read so far (a no-op for an in-memory one).

    They are page cache the kernel keeps anyway; mapped, they would count in this process's RSS
    until the whole file had been read."""
    mapping = getattr(vectors, "_mmap", None)
    if mapping is not None and hasattr(mmap, "MADV_DONTNEED"):
        mapping.madvise(mmap.MADV_DONTNEED)


def open_version(index_dir: str | Path, *, embedder: str | None) -> StoredVersion:
    """The live version, checked as `load_index` checks it, without loading its tables or vectors.

    The caller holds the writer lock, so no build prunes the version while it is read.
    """
    index_dir = Path(index_dir)
    version = current_version(index_dir)
    if version is None:
        raise NoIndexError(f"No index at {index_dir}: run `factcheck build-index PATHS --index {index_dir}` first")
    manifest = _check_version(index_dir, version, embedder=embedder, verify=True, formats=BUILD_READS_FORMATS)
    rebuild = _rebuild_hint(index_dir)
    try:
        vectors = np.load(version / "vectors.npy", mmap_mode="r", allow_pickle=False)
        columns = set(pq.read_schema(version / "articles.parquet").names) | set(
            pq.read_schema(version / "sentences.parquet").names
        )
    except Exception as exc:  # pyarrow/numpy raise many types for a damaged file
        raise IndexDamagedError(f"Index at {index_dir} is damaged ({exc.__class__.__name__}: {exc}); {rebuild}") from exc
    dimension = int(manifest["embedder"]["dimension"])
    if vectors.ndim != 2 or vectors.dtype != np.float32 or (len(vectors) and vectors.shape[1] != dimension):
        raise IndexDamagedError(f"Index at {index_dir} is damaged (vectors of shape {vectors.shape}, {vectors.dtype}); {rebuild}")
    missing = set(ARTICLE_COLUMNS) - columns | set(SENTENCE_COLUMNS) - columns
    if missing:
        raise IndexDamagedError(f"Index at {index_dir} is damaged (missing columns {sorted(missing)}); {rebuild}")
    return StoredVersion(version, manifest, vectors)


# --------------------------------------------------------------------------- writing


class StagedVersion:
    """A new version written file by file in a staging directory beside the live one.

    `commit` checksums the files, writes the manifest, renames the directory into place and
    switches CURRENT to it; `abort` removes it. A killed build leaves only the staging directory,
    which the next writer removes (`remove_abandoned`). The caller holds `writer_lock(index_dir)`.
    """

    def __init__(self, index_dir: str | Path) -> None:
        self.index_dir = Path(index_dir)
        self.index_dir.mkdir(parents=True, exist_ok=True)
        self.stamp = datetime.now(timezone.utc)
        # microseconds: version names sort in build order even for builds within one second
        self.name = f"v-{self.stamp:%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}"
        self.staging = self.index_dir / f".tmp-{self.name}"
        self.staging.mkdir()

    def commit(
        self, *, embedder_name: str, dimension: int, counts: dict, extra: dict | None = None, keep_versions: int = 2
    ) -> Path:
        index_dir = self.index_dir
        try:
            manifest = {
                "format_version": FORMAT_VERSION,
                "factcheck_version": __version__,
                "built_at": self.stamp.isoformat(timespec="seconds"),
                "embedder": {"name": embedder_name, "dimension": int(dimension)},
                "counts": {key: int(value) for key, value in counts.items()},
                "checksums": {name: _sha256(self.staging / name) for name in _version_files(self.staging)},
                **(extra or {}),
            }
            (self.staging / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
            _fsync_dir_files(self.staging)
            crash_point("manifest-written")
            final = index_dir / self.name
            os.replace(self.staging, final)
            crash_point("renamed")
            pointer_tmp = index_dir / f".CURRENT.{uuid.uuid4().hex[:8]}"
            pointer_tmp.write_text(self.name + "\n", encoding="utf-8")
            _fsync(pointer_tmp)
            os.replace(pointer_tmp, index_dir / "CURRENT")
            _fsync_directory(index_dir)
        except BaseException:
            self.abort()
            raise
        _prune(index_dir, keep=max(1, keep_versions), live=self.name)
        return final

    def abort(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


class VectorFileWriter:
    """vectors.npy written a block of rows at a time; the header gets the final row count on close.

    numpy pads an .npy header so that the first dimension can grow to 21 digits without changing
    its length, so the header written for 0 rows is overwritten in place by the final one.
    """

    def __init__(self, path: Path, dimension: int) -> None:
        self.dimension, self.rows = int(dimension), 0
        self.handle = open(path, "wb")
        self.header_size = self.handle.write(self._header())

    def _header(self) -> bytes:
        buffer = io.BytesIO()
        npformat.write_array_header_1_0(
            buffer,
            {"descr": npformat.dtype_to_descr(np.dtype("<f4")), "fortran_order": False, "shape": (self.rows, self.dimension)},
        )
        return buffer.getvalue()

    def append(self, block: np.ndarray) -> None:
        block = np.ascontiguousarray(block, dtype="<f4")
        if block.ndim != 2 or block.shape[1] != self.dimension:
            raise ValueError(f"expected rows of dimension {self.dimension}, got shape {block.shape}")
        self.handle.write(block.data.cast("B"))
        self.rows += len(block)

    def close(self) -> None:
        header = self._header()
        if len(header) != self.header_size:  # cannot happen with numpy's padding; never write a bad file
            raise RuntimeError("the .npy header changed size")
        self.handle.seek(0)
        self.handle.write(header)
        self.handle.close()


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def _version_files(staging: Path) -> list[str]:
    """Every file of a staged version but its manifest, as '/'-separated paths relative to it."""
    return sorted(
        path.relative_to(staging).as_posix()
        for path in staging.rglob("*")
        if path.is_file() and path != staging / "manifest.json"
    )


def _fsync_dir_files(directory: Path) -> None:
    """fsync every file below `directory`, and its subdirectories, whose entries (shards/) must last too."""
    for child in directory.iterdir():
        if child.is_dir():
            _fsync_dir_files(child)
            _fsync_directory(child)
        else:
            _fsync(child)


def _fsync_directory(directory: Path) -> None:
    """Make the renames durable: a power cut can't bring back the old CURRENT."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _prune(index_dir: Path, *, keep: int, live: str) -> None:
    """Remove versions older than the `keep - 1` before the live one; a reader may still hold those."""
    older = sorted(p for p in index_dir.glob("v-*") if p.is_dir() and p.name < live)
    for path in older[: max(0, len(older) - (keep - 1))]:
        shutil.rmtree(path, ignore_errors=True)


def remove_abandoned(index_dir: Path) -> list[Path]:
    """Delete what killed builds left behind: staging dirs, pointer temps, versions never made live.

    Only safe while holding the writer lock, which guarantees no build is writing them now.
    """
    abandoned = [*index_dir.glob(".tmp-v-*"), *index_dir.glob(".CURRENT.*")]
    try:
        live = current_version(index_dir)
    except IndexDamagedError:
        pass  # which version was live is unknown: leave them all for the user to inspect
    else:  # versions newer than the live one were renamed into place but never switched to
        abandoned += [p for p in index_dir.glob("v-*") if p.is_dir() and (live is None or p.name > live.name)]
    for path in abandoned:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    return abandoned


@contextmanager
def writer_lock(index_dir: str | Path, *, wait: bool = False) -> Iterator[None]:
    """Hold the index's writer lock; only one build writes an index at a time.

    A `filelock` lock on `.lock`: the OS releases it when the holder exits or is killed, so there
    is never a stale lock to clean up by hand. The holder writes its pid into the file for the
    message another build gets. Holding it, we remove whatever killed builds left behind.
    """
    from filelock import FileLock, Timeout

    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(index_dir / ".lock")
    try:
        lock.acquire(timeout=0)
    except Timeout:
        holder = _lock_holder(index_dir)
        if not wait:
            raise IndexLockedError(
                f"Another build is writing {index_dir} (pid {holder}); wait for it to finish, "
                f"or run build-index with --wait to queue behind it"
            ) from None
        log.warning("Another build is writing %s (pid %s); waiting for it to finish", index_dir, holder)
        lock.acquire()
    try:
        _write_lock_holder(index_dir)
        remove_abandoned(index_dir)
        yield
    finally:
        lock.release()  # the file stays (unlinking it would race with a waiter)


def _write_lock_holder(index_dir: Path) -> None:
    try:  # a second descriptor: closing it leaves the lock (flock belongs to the lock's own one)
        fd = os.open(index_dir / ".lock", os.O_WRONLY)
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        finally:
            os.close(fd)
    except OSError:  # e.g. Windows, where the locked byte can't be written: the message says "unknown"
        pass


def _lock_holder(index_dir: Path) -> str:
    try:
        return (index_dir / ".lock").read_text(encoding="ascii", errors="replace").strip() or "unknown"
    except OSError:
        return "unknown"


# --------------------------------------------------------------------------- crash hook

CRASH_ENV = "FACTCHECK_CRASH_AT"
# the named moments of a build, in order, at which the tests kill one (tests/test_reliability.py)
BUILD_STAGES = ("locked", "batch-written", "tables-written", "search-written", "manifest-written", "renamed")


def crash_point(stage: str) -> None:
    """Kill this process here, as SIGKILL would, when $FACTCHECK_CRASH_AT names `stage`: how the
    tests crash a build at a known moment instead of after a guessed sleep."""
    if os.environ.get(CRASH_ENV) == stage:
        kill = getattr(signal, "SIGKILL", None)
        if kill is not None:
            os.kill(os.getpid(), kill)
        os._exit(137)
