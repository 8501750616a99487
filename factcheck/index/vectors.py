"""Vector search over L2-normalised embeddings: exact below a size threshold, approximate above.

Pure numpy/FAISS, no model code. Scores are inner products (= cosine for normalised vectors);
ids are int64 row numbers in the order vectors were added (-1 pads a short result).
Settings arrive as plain keyword arguments so that config.py can pass them straight through.

Defaults were chosen by measurement on real sentence vectors (benchmarks/RESULTS.md):
below `exact_threshold` vectors a flat index is exact and fast enough; above it an IVF index
(or HNSW, by `approximate=`) keeps recall@10 >= 0.95 at a few milliseconds per claim.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from ..errors import FactcheckError, IndexDamagedError, NoIndexError
from ..files import atomic_path, atomic_write

try:
    import faiss
except ImportError:  # pragma: no cover - faiss-cpu is a core dependency
    faiss = None  # type: ignore[assignment]

Kind = Literal["auto", "flat", "hnsw", "ivf"]
KINDS: tuple[str, ...] = ("auto", "flat", "hnsw", "ivf")
SHARDS_FILE = "shards.json"
SHARDS_FORMAT = 1


def _require_faiss() -> None:
    if faiss is None:
        raise FactcheckError("FAISS is not installed: run `pip install faiss-cpu`.")


def _as_matrix(vectors: np.ndarray, dim: int | None = None) -> np.ndarray:
    """C-contiguous float32 2-D array, which is what FAISS reads without another copy."""
    matrix = np.ascontiguousarray(vectors, dtype=np.float32)
    if matrix.ndim == 1:
        matrix = matrix.reshape(1, -1)
    if matrix.ndim != 2:
        raise ValueError(f"expected a 2-D array of vectors, got shape {matrix.shape}")
    if dim is not None and matrix.shape[1] != dim:
        raise ValueError(f"expected vectors of dimension {dim}, got {matrix.shape[1]}")
    return matrix


def default_nlist(count: int) -> int:
    """IVF list count for `count` vectors: ~4*sqrt(n), a power of two, within [64, 65536]."""
    nlist = 1 << max(6, round(math.log2(4 * math.sqrt(max(count, 1)))))
    # k-means needs ~39 points per centroid to be meaningful; fewer gives empty lists.
    while nlist > 64 and nlist * 39 > count:
        nlist //= 2
    return min(nlist, 65536)


@dataclass
class VectorIndex:
    """A FAISS inner-product index that picks exact or approximate search by size.

    kind: "flat" (exact), "hnsw", "ivf", or "auto" = flat below `exact_threshold` vectors
    and `approximate` ("ivf" or "hnsw") from there on. An "auto" index that grows past the
    threshold through `add` is converted once (its vectors are kept, nothing is re-embedded).
    """

    dim: int = 384
    kind: Kind = "auto"
    exact_threshold: int = 200_000
    approximate: Literal["ivf", "hnsw"] = "ivf"
    hnsw_m: int = 32
    hnsw_ef_construction: int = 80
    hnsw_ef_search: int = 128
    ivf_nlist: int | None = None  # None: default_nlist(count) at build time
    ivf_nprobe: int = 64
    ivf_train_size: int = 131_072  # k-means sample (at least 40 per list); more costs build time
    threads: int | None = None  # FAISS OpenMP threads; None leaves FAISS's default
    index: Any = field(default=None, repr=False)  # the FAISS index

    def __post_init__(self) -> None:
        _require_faiss()
        if self.kind not in KINDS:
            raise FactcheckError(f"Unknown index kind {self.kind!r}: use one of {', '.join(KINDS)}.")
        if self.approximate not in ("ivf", "hnsw"):
            raise FactcheckError(f"Unknown approximate index {self.approximate!r}: use ivf or hnsw.")
        if self.threads:
            faiss.omp_set_num_threads(self.threads)

    # -- building -------------------------------------------------------------------------
    def build(self, vectors: np.ndarray, *, kind: Kind | None = None) -> VectorIndex:
        """Replace the contents with `vectors` (n x dim, L2-normalised); returns self."""
        if kind is not None:
            self.kind = kind
            self.__post_init__()
        matrix = _as_matrix(vectors, self.dim)
        self.index = self._new_index(self.resolved_kind(len(matrix)), matrix)
        self._add(matrix)
        return self

    def add(self, vectors: np.ndarray) -> None:
        """Append vectors; their ids continue from len(self)."""
        matrix = _as_matrix(vectors, self.dim)
        if self.index is None:
            self.build(matrix)
            return
        total = len(self) + len(matrix)
        if self.kind == "auto" and self.current_kind == "flat" and total >= self.exact_threshold:
            # Crossing the threshold: move the stored vectors into an approximate index.
            existing = self.index.reconstruct_n(0, self.index.ntotal)
            self.build(np.concatenate([existing, matrix]))
            return
        self._add(matrix)

    def resolved_kind(self, count: int) -> str:
        """The concrete kind an index of `count` vectors gets."""
        if self.kind != "auto":
            return self.kind
        return "flat" if count < self.exact_threshold else self.approximate

    def factory_string(self, kind: str, count: int) -> str:
        """The FAISS `index_factory` description of a `kind` index for `count` vectors."""
        if kind == "hnsw":
            return f"HNSW{self.hnsw_m},Flat"
        if kind == "ivf":
            nlist = self.ivf_nlist or default_nlist(count)
            # IVF needs training data; with too little of it, k-means would leave empty lists.
            if count >= nlist:
                return f"IVF{nlist},Flat"
        return "Flat"

    def _new_index(self, kind: str, sample: np.ndarray):
        index = faiss.index_factory(self.dim, self.factory_string(kind, len(sample)), faiss.METRIC_INNER_PRODUCT)
        if isinstance(index, faiss.IndexHNSW):
            index.hnsw.efConstruction = self.hnsw_ef_construction
            index.hnsw.efSearch = self.hnsw_ef_search
        elif isinstance(index, faiss.IndexIVF):
            train_size = max(self.ivf_train_size, 40 * index.nlist)  # FAISS warns below 39 per centroid
            if len(sample) > train_size:
                # A fixed-seed subsample: the same input always gives the same index.
                rows = np.random.default_rng(0).choice(len(sample), train_size, replace=False)
                sample = sample[np.sort(rows)]
            index.train(sample)
            index.nprobe = self.ivf_nprobe
        return index

    def _add(self, matrix: np.ndarray) -> None:
        # Bounded chunks keep FAISS's temporary buffers small for very large adds.
        for start in range(0, len(matrix), 65_536):
            self.index.add(matrix[start : start + 65_536])

    # -- searching ------------------------------------------------------------------------
    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (scores, ids) per query, best first; both of shape (len(queries), k)."""
        matrix = _as_matrix(queries, self.dim)
        if self.index is None or self.index.ntotal == 0 or k <= 0:
            return (np.full((len(matrix), max(k, 0)), -np.inf, np.float32), np.full((len(matrix), max(k, 0)), -1, np.int64))
        scores, ids = self.index.search(matrix, k)
        return _best_first(scores, ids)

    def __len__(self) -> int:
        return 0 if self.index is None else int(self.index.ntotal)

    @property
    def current_kind(self) -> str:
        """The kind of the FAISS index now held: flat, hnsw or ivf (or none)."""
        return _kind_of(self.index)

    # -- persistence ----------------------------------------------------------------------
    def save(self, path: str | os.PathLike) -> None:
        """Write the index to `path` atomically (temporary sibling, then os.replace)."""
        if self.index is None:
            raise FactcheckError("Nothing to save: build the index first.")
        with atomic_path(path) as tmp:
            faiss.write_index(self.index, str(tmp))

    @classmethod
    def load(cls, path: str | os.PathLike, *, mmap: bool = False, **settings) -> VectorIndex:
        """Read an index saved by `save`; search settings (ivf_nprobe, ...) come from `settings`.

        mmap=True maps a flat or IVF file instead of reading it, so a large shard costs page
        cache rather than process memory.
        """
        _require_faiss()
        path = Path(path)
        if not path.exists():
            raise NoIndexError(f"No vector index at {path}: run `factcheck build-index` first.")
        flags = faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY if mmap else 0
        try:
            index = faiss.read_index(str(path), flags)
        except RuntimeError as error:
            if mmap:  # not every index type can be mapped; reading it whole still works
                return cls.load(path, mmap=False, **settings)
            raise IndexDamagedError(
                f"The vector index {path} cannot be read ({error}): rebuild it with `factcheck build-index`."
            ) from None
        settings.pop("dim", None)  # the file knows its dimension
        loaded = cls(dim=index.d, **settings)
        loaded.index = index
        loaded.apply_search_settings()
        return loaded

    def apply_search_settings(self) -> None:
        """Push efSearch / nprobe into the FAISS index (they are not fixed at build time)."""
        kind = self.current_kind
        if kind == "hnsw":
            self.index.hnsw.efSearch = self.hnsw_ef_search
        elif kind == "ivf":
            faiss.extract_index_ivf(self.index).nprobe = self.ivf_nprobe


def _kind_of(index) -> str:
    if index is None:
        return "none"
    if isinstance(index, faiss.IndexHNSW):
        return "hnsw"
    if isinstance(index, faiss.IndexIVF):
        return "ivf"
    return "flat"


def merge_top_k(scores: list[np.ndarray], ids: list[np.ndarray], k: int) -> tuple[np.ndarray, np.ndarray]:
    """Merge per-shard top-k results (each n x k_i) into one top-k, best first."""
    all_scores = np.concatenate(scores, axis=1)
    all_ids = np.concatenate(ids, axis=1)
    all_scores = np.where(all_ids < 0, -np.inf, all_scores)
    # A full sort (k x shards per query is small), not argpartition, which would pick among
    # scores tied at the k-th place arbitrarily: here the lowest ids win.
    all_scores, all_ids = _best_first(all_scores, all_ids)
    return all_scores[:, :k], all_ids[:, :k]


def _best_first(scores: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sort each row by score, then id, so equal scores come out in one fixed order whatever
    the index layout (FAISS leaves ties in heap order, which differs between one index and shards)."""
    order = np.lexsort((ids, -scores), axis=1)
    return (np.take_along_axis(scores, order, axis=1).astype(np.float32), np.take_along_axis(ids, order, axis=1))


class ShardedVectorIndex:
    """Several VectorIndex files in one directory, searched together as one index.

    Shard i holds global ids [offset_i, offset_i + count_i). Building streams vectors in and
    writes a shard each `shard_size` vectors, and search can hold one shard in memory at a
    time (`cache_shards=False`), so neither needs the whole corpus in one process's memory.
    """

    def __init__(self, directory: str | os.PathLike, *, cache_shards: bool = True, mmap: bool = False, **settings) -> None:
        self.directory = Path(directory)
        self.settings = settings
        self.cache_shards = cache_shards
        self.mmap = mmap
        self._loaded: dict[str, VectorIndex] = {}
        manifest = self.directory / SHARDS_FILE
        if not manifest.exists():
            raise NoIndexError(f"No sharded index at {self.directory}: run `factcheck build-index` first.")
        try:
            data = json.loads(manifest.read_text())
            self.shards: list[dict] = data["shards"]
            self.dim: int = data["dim"]
        except (ValueError, KeyError) as error:
            raise IndexDamagedError(f"{manifest} is damaged ({error}): rebuild the index.") from None

    @classmethod
    def build(
        cls, directory: str | os.PathLike, batches: Iterable[np.ndarray], *, shard_size: int = 1_000_000, **settings
    ) -> ShardedVectorIndex:
        """Write shards of at most `shard_size` vectors from a stream of vector batches.

        Each shard is a VectorIndex built with `settings`, so a big shard becomes approximate
        and a small one stays exact. Only one shard's vectors are held at a time.
        """
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        shards: list[dict] = []
        dim = settings.get("dim", 384)
        for number, matrix in enumerate(_rebatch(batches, shard_size)):
            dim = matrix.shape[1]
            name = f"shard-{number:05d}.faiss"
            index = VectorIndex(**{**settings, "dim": dim}).build(matrix)
            index.save(directory / name)
            offset = shards[-1]["offset"] + shards[-1]["count"] if shards else 0
            shards.append({"file": name, "offset": offset, "count": len(matrix), "kind": index.current_kind})
            del index
        atomic_write(
            directory / SHARDS_FILE, json.dumps({"format": SHARDS_FORMAT, "dim": dim, "shards": shards}, indent=2) + "\n"
        )
        return cls(directory, **settings)

    def __len__(self) -> int:
        return sum(shard["count"] for shard in self.shards)

    def _shard(self, shard: dict) -> VectorIndex:
        if shard["file"] in self._loaded:
            return self._loaded[shard["file"]]
        index = VectorIndex.load(self.directory / shard["file"], mmap=self.mmap, **self.settings)
        if self.cache_shards:
            self._loaded[shard["file"]] = index
        return index

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (scores, global ids) over all shards, best first."""
        matrix = _as_matrix(queries, self.dim)
        all_scores, all_ids = [], []
        for shard in self.shards:
            scores, ids = self._shard(shard).search(matrix, k)
            all_scores.append(scores)
            all_ids.append(np.where(ids >= 0, ids + shard["offset"], -1))
        if not all_scores:
            return (np.full((len(matrix), k), -np.inf, np.float32), np.full((len(matrix), k), -1, np.int64))
        return merge_top_k(all_scores, all_ids, k)


class FileExactSearch:
    """Exact search over a .npy file of vectors, read a block of rows at a time, so a search holds
    one block (`block_rows` x dim floats) rather than the vectors and a FAISS copy of them; each
    block is searched by a FAISS flat index, and the blocks' top-k merged (`merge_top_k`)."""

    def __init__(self, path: str | os.PathLike, *, block_rows: int = 32_768) -> None:
        _require_faiss()
        self.path = Path(path)
        mapped = np.load(self.path, mmap_mode="r", allow_pickle=False)
        self.rows, self.dim, self.offset = int(mapped.shape[0]), int(mapped.shape[1]), int(mapped.offset)
        del mapped
        self.block_rows = max(1, block_rows)

    def __len__(self) -> int:
        return self.rows

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (scores, ids) per query, best first, as one flat index over the file would answer."""
        matrix = _as_matrix(queries, self.dim)
        all_scores, all_ids = [], []
        with self.path.open("rb") as handle:
            handle.seek(self.offset)
            for start in range(0, self.rows, self.block_rows):
                count = min(self.block_rows, self.rows - start)
                block = np.fromfile(handle, dtype="<f4", count=count * self.dim).reshape(count, self.dim)
                flat = faiss.IndexFlatIP(self.dim)
                flat.add(block)
                scores, ids = flat.search(matrix, min(k, count))
                all_scores.append(scores)
                all_ids.append(np.where(ids >= 0, ids + start, -1))
                del flat, block
        if not all_scores:
            return (np.full((len(matrix), k), -np.inf, np.float32), np.full((len(matrix), k), -1, np.int64))
        return merge_top_k(all_scores, all_ids, k)


MAPPED_SEARCH_MB = 128  # about what one group of queries reads of a mapped index (MappedSearch)


class MappedSearch:
    """Index files (one IVF index, or shards) searched from memory maps a group of queries at a
    time, each group through a fresh map (`open_index()`) that is dropped after it.

    The pages of a mapped index a search reads count in the process's resident memory for as long
    as the map lives: 100 claims probing 64 of a 1M index's 4,096 lists read ~80% of its 1.5 GB.
    A group is sized to read about `budget_mb` (a query reads nprobe/nlist of an IVF file, all of
    a flat one), so a verify's memory stays flat however large the index. Reopening a map costs
    milliseconds, and the pages stay in the page cache.
    """

    def __init__(
        self, files: list[Path], open_index: Callable[[], Any], *, nprobe: int, budget_mb: float = MAPPED_SEARCH_MB
    ) -> None:
        self.open_index = open_index
        per_query = 0.0  # MB a query reads of the largest file
        for path in files:
            index = VectorIndex.load(path, mmap=True)
            share = min(1.0, nprobe / faiss.extract_index_ivf(index.index).nlist) if index.current_kind == "ivf" else 1.0
            per_query = max(per_query, share * path.stat().st_size / 2**20)
            del index
        self.group = max(1, int(budget_mb // per_query)) if per_query else 1 << 30

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (scores, ids) per query, best first, as the index itself would answer."""
        matrix = _as_matrix(queries)
        if len(matrix) <= self.group:
            return self.open_index().search(matrix, k)
        results = [self.open_index().search(matrix[start : start + self.group], k) for start in range(0, len(matrix), self.group)]
        return np.concatenate([r[0] for r in results]), np.concatenate([r[1] for r in results])


def _rebatch(batches: Iterable[np.ndarray], size: int) -> Iterator[np.ndarray]:
    """Regroup a stream of (n_i x d) arrays into arrays of exactly `size` rows (last: fewer)."""
    pending: list[np.ndarray] = []
    held = 0
    for batch in batches:
        batch = _as_matrix(batch)
        while len(batch):
            take = min(size - held, len(batch))
            pending.append(batch[:take])
            held += take
            batch = batch[take:]
            if held == size:
                yield _joined(pending)
                pending, held = [], 0
    if held:
        yield _joined(pending)


def _joined(pending: list[np.ndarray]) -> np.ndarray:
    # A batch that is a whole shard by itself (a slice of mapped vectors) is passed on as it
    # is: copying it would hold the shard twice while it is indexed.
    return pending[0] if len(pending) == 1 else np.concatenate(pending)
