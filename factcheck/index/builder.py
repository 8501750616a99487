"""Assembling a new index version in batches, so that a build's memory does not grow with the corpus.

Both build paths (`pipeline.build_index`, `engines.ray.build_index_ray`) hand their articles, in
order, to an `IndexBuilder`. Every `batch_sentences` new sentences it

  * gives each distinct sentence text a vector row, in order of first appearance: a text seen
    earlier in this build keeps its row, a text the previous version has a vector for gets a
    copy of it (read from the memory-mapped old vectors), any other text is embedded;
  * appends those vectors to vectors.npy in the staging directory, and writes the batch's
    sentence and article rows as one parquet row group to temporary files beside it.

At the end the previous version's rows that are kept (their article was not replaced) are
streamed into the final tables, batch by batch, ahead of the new rows, the vectors they use are
copied over, and the version is committed. Rows, ids and vectors do not depend on the batch size.

What stays in memory for the whole build is one batch plus compact keys: 64-bit keys of the
distinct sentence texts (with their vector rows), and of the article ids and paths seen, in
sorted numpy arrays; about 16-24 bytes per distinct sentence and per article, against the
~130 bytes of text and 1-1.5 kB of vector of each distinct sentence.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..errors import InputError
from ..models import Article, Sentence
from .store import (
    ARTICLE_COLUMNS,
    ARTICLE_SCHEMA,
    ARTICLE_TABLE_SCHEMA,
    FORMAT_VERSION,
    MEMBERS_FILE,
    OFFSETS_FILE,
    ROW_GROUP_ROWS,
    SEARCH_FILE,
    SENTENCE_COLUMNS,
    SENTENCE_SCHEMA,
    SHARDS_DIR,
    StagedVersion,
    StoredVersion,
    VectorFileWriter,
    crash_point,
    release_mapped_pages,
)

BATCH_SENTENCES = 20_000  # sentences per batch: a few MB of text, ~30 MB of 384-d vectors
_NEW_ARTICLES, _NEW_SENTENCES = "new-articles.parquet.part", "new-sentences.parquet.part"


@dataclass
class BuildStats:
    """What a build did, filled in as it goes."""

    index_dir: str
    articles_total: int = 0
    articles_new: int = 0
    articles_replaced: int = 0
    sentences_total: int = 0
    sentences_new: int = 0
    embedded: int = 0  # unique texts that had no vector yet
    skipped: list[tuple[str, str]] = field(default_factory=list)


def text_keys(hashes: Sequence[str]) -> np.ndarray:
    """Sentence content hashes (16 hex digits) as uint64 keys: the same 64 bits, 8 bytes each."""
    return np.fromiter((int(h, 16) for h in hashes), dtype=np.uint64, count=len(hashes))


def string_keys(values: Sequence[str]) -> np.ndarray:
    """Any strings (article ids, paths) as 64-bit keys (BLAKE2b)."""
    return np.fromiter(
        (int.from_bytes(hashlib.blake2b(v.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little") for v in values),
        dtype=np.uint64,
        count=len(values),
    )


class KeyMap:
    """uint64 key -> int64 value in sorted numpy arrays (16 bytes an entry, not a dict of strings).

    New entries go to a small sorted run that is merged into the main arrays once it holds an
    eighth of them, so adding n keys costs O(n log n) overall.
    """

    def __init__(self) -> None:
        self._keys, self._values = np.zeros(0, np.uint64), np.zeros(0, np.int64)
        self._new_keys, self._new_values = self._keys, self._values

    def __len__(self) -> int:
        return len(self._keys) + len(self._new_keys)

    def get(self, keys: np.ndarray) -> np.ndarray:
        """The value of each key, -1 where it has none."""
        out = np.full(len(keys), -1, dtype=np.int64)
        for known, values in ((self._keys, self._values), (self._new_keys, self._new_values)):
            if len(known) and len(keys):
                at = np.minimum(np.searchsorted(known, keys), len(known) - 1)
                hit = known[at] == keys
                out[hit] = values[at[hit]]
        return out

    def contains(self, keys: np.ndarray) -> np.ndarray:
        return self.get(keys) >= 0

    def add(self, keys: np.ndarray, values: np.ndarray | None = None) -> None:
        """Add keys not present yet (for a repeated key the first value counts)."""
        values = np.zeros(len(keys), np.int64) if values is None else np.asarray(values, dtype=np.int64)
        keys, first = np.unique(np.asarray(keys, dtype=np.uint64), return_index=True)
        values = values[first]
        fresh = ~self.contains(keys)
        self._new_keys, self._new_values = _merge(self._new_keys, self._new_values, keys[fresh], values[fresh])
        if len(self._new_keys) > max(1 << 16, len(self._keys) // 8):
            self._keys, self._values = _merge(self._keys, self._values, self._new_keys, self._new_values)
            self._new_keys, self._new_values = np.zeros(0, np.uint64), np.zeros(0, np.int64)


def _merge(keys_a, values_a, keys_b, values_b):
    keys, values = np.concatenate([keys_a, keys_b]), np.concatenate([values_a, values_b])
    order = np.argsort(keys, kind="stable")
    return keys[order], values[order]


class IndexBuilder:
    """One build: feed it articles in order with `add`, then `finish` writes and commits the version.

    `embed(texts) -> float32 array` embeds a batch of texts. `stats` (a `BuildStats`)
    is filled in as the build goes.
    """

    def __init__(
        self,
        index_dir: str | Path,
        *,
        old: StoredVersion | None,
        embed: Callable[[list[str]], np.ndarray],
        embedder_name: str,
        dimension: int,
        stats: BuildStats,
        on_skip: Callable[[str, str], None],
        batch_sentences: int = BATCH_SENTENCES,
        search: dict | None = None,
    ) -> None:
        self.old, self.embed, self.stats, self.on_skip = old, embed, stats, on_skip
        self.search = dict(search or {})  # VectorIndex settings: exact below a size, ANN above
        self.embedder_name, self.dimension = embedder_name, int(dimension)
        self.batch_sentences = max(1, int(batch_sentences))
        self.text_rows = KeyMap()  # text key -> its vector row in the new version
        self.old_text_rows = KeyMap()  # text key -> its vector row in the previous version
        self.old_article_ids = KeyMap()
        self.new_article_ids = KeyMap()
        self.replaced_paths = KeyMap()  # paths of the new articles: older articles there are replaced
        self._batch_ids: set[str] = set()  # this batch's article ids, before they go into new_article_ids
        self._batch_paths: list[str] = []
        self._article_rows: list[tuple] = []
        self._sentence_rows: list[tuple] = []
        self.staged = StagedVersion(index_dir)
        try:
            if old is not None:
                for batch in old.batches("articles.parquet", ["article_id"], self.batch_sentences):
                    self.old_article_ids.add(string_keys(batch.column(0).to_pylist()))
                for batch in old.batches("sentences.parquet", ["hash", "vector_row"], self.batch_sentences):
                    self.old_text_rows.add(text_keys(batch.column(0).to_pylist()), batch.column(1).to_numpy())
            self.vectors = VectorFileWriter(self.staged.staging / "vectors.npy", self.dimension)
            self._new_articles = pq.ParquetWriter(self.staged.staging / _NEW_ARTICLES, ARTICLE_SCHEMA)
            self._new_sentences = pq.ParquetWriter(self.staged.staging / _NEW_SENTENCES, SENTENCE_SCHEMA)
        except BaseException:
            self.staged.abort()
            raise

    # ------------------------------------------------------------------ reading

    def is_new(self, article_id: str) -> bool:
        """False for an article already in the previous version or already added in this build."""
        if article_id in self._batch_ids:
            return False
        key = string_keys([article_id])
        return not (self.old_article_ids.contains(key)[0] or self.new_article_ids.contains(key)[0])

    def add(self, article: Article, sentences: list[Sentence]) -> None:
        """Add a new article (`is_new` was true) and its sentences; one with none is skipped."""
        self._batch_ids.add(article.id)
        self._batch_paths.append(article.path)  # even with no sentences it replaces an older version
        if not sentences:
            self.on_skip(article.path, "no sentences")
            return
        self._article_rows.append(
            (article.id, article.path, article.title, article.source, article.date, article.url, len(sentences))
        )
        self._sentence_rows.extend(
            (s.id, s.article_id, s.ordinal, s.text, s.start, s.end, s.line, s.hash, s.checkworthy) for s in sentences
        )
        if len(self._sentence_rows) >= self.batch_sentences:
            self._flush()

    def _flush(self) -> None:
        self.new_article_ids.add(string_keys(list(self._batch_ids)))
        self.replaced_paths.add(string_keys(self._batch_paths))
        self._batch_ids, self._batch_paths = set(), []
        if self._article_rows:
            self._new_articles.write_table(_table(self._article_rows, ARTICLE_COLUMNS, ARTICLE_SCHEMA))
            self.stats.articles_new += len(self._article_rows)
            self._article_rows = []
        if self._sentence_rows:
            columns = list(zip(*self._sentence_rows))
            self._sentence_rows = []
            hashes, texts = columns[SENTENCE_COLUMNS.index("hash")], columns[SENTENCE_COLUMNS.index("text")]
            rows = self._vector_rows(text_keys(hashes), texts=texts)
            self._new_sentences.write_table(_table([*columns, rows], SENTENCE_COLUMNS, SENTENCE_SCHEMA, by_column=True))
            self.stats.sentences_new += len(rows)
        pa.default_memory_pool().release_unused()  # pyarrow's allocator keeps freed memory otherwise
        crash_point("batch-written")

    def _vector_rows(self, keys: np.ndarray, *, texts=None, old_rows: np.ndarray | None = None) -> np.ndarray:
        """The new version's vector row of each text key, giving rows to texts that have none yet.

        A text without a row gets the next row, in order of first appearance, and its vector is
        appended: copied from the previous version (`old_rows` of these rows, or its row there
        by text) or, failing that, embedded (`texts`).
        """
        unique, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        rows = self.text_rows.get(unique)
        need = np.flatnonzero(rows < 0)
        if len(need):
            need = need[np.argsort(first[need])]
            if old_rows is not None:
                source = old_rows[first[need]]
            else:
                source = self.old_text_rows.get(unique[need])
            block = np.empty((len(need), self.dimension), dtype=np.float32)
            reuse = source >= 0
            if reuse.any():
                assert self.old is not None  # only a previous version has rows to reuse
                block[reuse] = self.old.vector_rows(source[reuse])  # reads just these rows of the mapped file
            if not reuse.all():
                to_embed = np.flatnonzero(~reuse)
                block[to_embed] = self.embed([texts[first[need[i]]] for i in to_embed])
                self.stats.embedded += len(to_embed)
            rows[need] = self.vectors.rows + np.arange(len(need))
            self.vectors.append(block)
            self.text_rows.add(unique[need], rows[need])
        return rows[inverse.reshape(-1)]

    # ------------------------------------------------------------------ writing

    def finish(self, *, keep_versions: int) -> bool:
        """Write the version and make it live; False (nothing written) when nothing changed."""
        try:
            self._flush()
            self._new_articles.close()
            self._new_sentences.close()
            written = self._write_tables()
            crash_point("tables-written")
            if not written:
                self.staged.abort()
                return False
            extra = {"search": write_search_index(self.staged.staging, self.dimension, self.search)}
            crash_point("search-written")
        except BaseException:
            self.abort()
            raise
        self.staged.commit(
            embedder_name=self.embedder_name,
            dimension=self.dimension,
            counts=self._counts,
            keep_versions=keep_versions,
            extra=extra,
        )
        return True

    def abort(self) -> None:
        for writer in (self._new_articles, self._new_sentences):
            try:
                writer.close()
            except Exception:
                pass
        self.vectors.handle.close()
        self.staged.abort()

    def _write_tables(self) -> bool:
        staging, stats, old = self.staged.staging, self.stats, self.old
        stale = KeyMap()  # ids of previous articles replaced by a new version at the same path
        if old is not None:
            for batch in old.batches("articles.parquet", ["article_id", "path"], self.batch_sentences):
                ids = batch.column(0).to_pylist()
                replaced = self.replaced_paths.contains(string_keys(batch.column(1).to_pylist()))
                id_keys = string_keys(ids)
                stale.add(id_keys[replaced & ~self.new_article_ids.contains(id_keys)])
        stats.articles_replaced = len(stale)
        checkworthy = sentences = 0
        # Sentences first: where each article's rows start (`first_row`), and each row's vector,
        # from which the vector -> sentence rows files are written. 8 bytes a sentence.
        first_rows: dict[str, int] = {}
        vector_rows: list[np.ndarray] = []
        previous: str | None = None

        def write_sentences(writer: pq.ParquetWriter, table: pa.Table) -> None:
            nonlocal sentences, checkworthy, previous
            for position, article_id in enumerate(table.column("article_id").to_pylist()):
                if article_id != previous:
                    if article_id in first_rows:  # cannot happen: an article's rows are written together
                        raise RuntimeError(f"the sentence rows of article {article_id} are not together")
                    first_rows[article_id] = sentences + position
                    previous = article_id
            writer.write_table(table, row_group_size=ROW_GROUP_ROWS)
            vector_rows.append(table.column("vector_row").to_numpy())
            sentences += table.num_rows
            checkworthy += pc.sum(table.column("checkworthy")).as_py() or 0

        with pq.ParquetWriter(staging / "sentences.parquet", SENTENCE_SCHEMA) as writer:
            if old is not None:
                for batch in old.batches("sentences.parquet", SENTENCE_COLUMNS, self.batch_sentences):
                    kept = ~stale.contains(string_keys(batch.column(1).to_pylist()))
                    table = pa.Table.from_batches([batch]).select(SENTENCE_COLUMNS).filter(pa.array(kept)).cast(SENTENCE_SCHEMA)
                    if not table.num_rows:
                        continue
                    rows = self._vector_rows(
                        text_keys(table.column("hash").to_pylist()), old_rows=table.column("vector_row").to_numpy()
                    )
                    table = table.set_column(SENTENCE_COLUMNS.index("vector_row"), "vector_row", pa.array(rows, pa.int64()))
                    write_sentences(writer, table)
                    del table, batch
                    pa.default_memory_pool().release_unused()
            for table in _row_groups(staging / _NEW_SENTENCES):
                write_sentences(writer, table)
        articles = 0
        with pq.ParquetWriter(staging / "articles.parquet", ARTICLE_TABLE_SCHEMA) as writer:
            if old is not None:
                for batch in old.batches("articles.parquet", ARTICLE_COLUMNS, self.batch_sentences):
                    kept = ~stale.contains(string_keys(batch.column(0).to_pylist()))
                    table = pa.Table.from_batches([batch]).select(ARTICLE_COLUMNS).filter(pa.array(kept)).cast(ARTICLE_SCHEMA)
                    writer.write_table(_with_first_rows(table, first_rows))
                    articles += table.num_rows
            for table in _row_groups(staging / _NEW_ARTICLES):
                writer.write_table(_with_first_rows(table, first_rows))
                articles += table.num_rows
        _write_members(staging, np.concatenate(vector_rows) if vector_rows else np.zeros(0, np.int64), self.vectors.rows)
        (staging / _NEW_ARTICLES).unlink()
        (staging / _NEW_SENTENCES).unlink()
        self.vectors.close()
        stats.sentences_total = sentences
        if not sentences:
            raise InputError("The articles contain no sentences to index")
        if old is not None and not stats.articles_new and not len(stale) and old.manifest.get("format_version") == FORMAT_VERSION:
            return False  # nothing changed: keep the live version as it is (an older format is rewritten)
        self._counts = {
            "articles": articles,
            "sentences": sentences,
            "unique_sentences": self.vectors.rows,
            "checkworthy": checkworthy,
        }
        return True


def _table(rows, names: list[str], schema: pa.Schema, *, by_column: bool = False) -> pa.Table:
    columns = rows if by_column else list(zip(*rows))
    arrays = [
        pa.array(column if isinstance(column, np.ndarray) else list(column), type=schema.field(name).type)
        for name, column in zip(names, columns)
    ]
    return pa.Table.from_arrays(arrays, schema=schema)


def _with_first_rows(table: pa.Table, first_rows: dict[str, int]) -> pa.Table:
    """The article rows with where each one's sentences start in sentences.parquet."""
    first = [first_rows[article_id] for article_id in table.column("article_id").to_pylist()]
    return table.append_column("first_row", pa.array(first, pa.int64()))


def _write_members(staging: Path, vector_rows: np.ndarray, vectors: int) -> None:
    """vector_members.npy (sentence rows ordered by vector row, then row) and vector_offsets.npy
    (where each vector's rows start in it): which sentences share a text, without the table."""
    members = np.argsort(vector_rows, kind="stable").astype(np.int64)
    offsets = np.searchsorted(vector_rows[members], np.arange(vectors + 1)).astype(np.int64)
    np.save(staging / MEMBERS_FILE, members)
    np.save(staging / OFFSETS_FILE, offsets)


def _row_groups(path: Path):
    file = pq.ParquetFile(path)
    for group in range(file.num_row_groups):
        yield file.read_row_group(group)


def write_search_index(staging: Path, dimension: int, settings: dict) -> dict:
    """Above the exact-search size, train the approximate index once here, not at every load.

    Above `shard_size` vectors, write one index per `shard_size` rows instead (shards/), each
    exact or approximate by its own size, reading the mapped vectors a shard at a time. Returns
    the manifest's `search` entry.
    """
    from .vectors import ShardedVectorIndex, VectorIndex

    settings = dict(settings)
    shard_size = int(settings.pop("shard_size", 0) or 0)
    vectors = np.load(staging / "vectors.npy", mmap_mode="r", allow_pickle=False)
    if shard_size and len(vectors) > shard_size:
        sharded = ShardedVectorIndex.build(
            staging / SHARDS_DIR, _mapped_slices(vectors, shard_size), shard_size=shard_size, dim=dimension, **settings
        )
        shards = [{key: shard[key] for key in ("file", "count", "kind")} for shard in sharded.shards]
        return {"kind": "sharded", "shard_size": shard_size, "shards": shards, **settings}
    search = VectorIndex(dim=dimension, **settings)
    kind = search.resolved_kind(len(vectors))
    if kind != "flat":
        search.build(np.ascontiguousarray(vectors))
        search.save(staging / SEARCH_FILE)
    return {"kind": kind, "shard_size": shard_size, **settings}


def _mapped_slices(vectors: np.ndarray, size: int):
    """Consecutive `size`-row slices of mapped vectors; each one's pages are let go once it is used."""
    for start in range(0, len(vectors), size):
        yield vectors[start : start + size]
        release_mapped_pages(vectors)
