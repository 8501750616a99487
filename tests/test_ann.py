"""The vector-search layer: approximate search agrees with exact, files round-trip, shards merge."""

from __future__ import annotations

import numpy as np
import pytest

from factcheck.errors import FactcheckError, NoIndexError
from factcheck.index.vectors import ShardedVectorIndex, VectorIndex, default_nlist, merge_top_k

DIM = 64


def clustered(count: int, *, seed: int, topics: int = 40) -> np.ndarray:
    """Unit vectors around a few dozen topic centres, like sentence embeddings of news.

    Uniform random vectors would make every neighbour equally far and ANN recall meaningless;
    real sentence vectors sit in topical clusters with a spread of similarities.
    """
    rng = np.random.default_rng(seed)
    centres = np.random.default_rng(1234).standard_normal((topics, DIM)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    vectors = centres[rng.integers(0, topics, count)] + 0.6 * rng.standard_normal((count, DIM)).astype(np.float32) / np.sqrt(DIM)
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


@pytest.fixture(scope="module")
def base() -> np.ndarray:
    return clustered(4000, seed=0)


@pytest.fixture(scope="module")
def queries() -> np.ndarray:
    return clustered(200, seed=1)


def exact_ids(base: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    return np.argsort(-(queries @ base.T), axis=1, kind="stable")[:, :k]


def recall(found: np.ndarray, truth: np.ndarray) -> float:
    return float(np.mean([len(set(f) & set(t)) / len(t) for f, t in zip(found, truth)]))


def test_flat_is_exact(base, queries):
    index = VectorIndex(dim=DIM, kind="flat").build(base)
    scores, ids = index.search(queries, 10)
    assert ids.shape == (200, 10)
    assert recall(ids, exact_ids(base, queries, 10)) == 1.0
    np.testing.assert_allclose(scores[:, 0], np.max(queries @ base.T, axis=1), rtol=1e-5)
    assert np.all(np.diff(scores, axis=1) <= 1e-6)  # best first


@pytest.mark.parametrize("kind", ["hnsw", "ivf"])
def test_approximate_agrees_with_exact(kind, base, queries):
    index = VectorIndex(dim=DIM, kind=kind, ivf_nlist=32, ivf_nprobe=8).build(base)
    assert index.current_kind == kind
    _, ids = index.search(queries, 10)
    truth = exact_ids(base, queries, 10)
    assert np.mean(ids[:, 0] == truth[:, 0]) >= 0.95
    assert recall(ids, truth) >= 0.9


def test_auto_switches_at_threshold(base):
    small = VectorIndex(dim=DIM, kind="auto", exact_threshold=3000, ivf_nlist=16)
    small.build(base[:2000])
    assert small.current_kind == "flat"
    small.add(base[2000:])  # crosses 3000: converted, nothing lost
    assert small.current_kind == "ivf" and len(small) == 4000
    hnsw = VectorIndex(dim=DIM, exact_threshold=3000, approximate="hnsw").build(base)
    assert hnsw.current_kind == "hnsw"


def test_add_continues_ids(base, queries):
    index = VectorIndex(dim=DIM, kind="flat").build(base[:1000])
    index.add(base[1000:])
    _, ids = index.search(base[3500:3501], 1)
    assert ids[0, 0] == 3500


@pytest.mark.parametrize("kind", ["flat", "hnsw", "ivf"])
def test_save_load_round_trip(kind, base, queries, tmp_path):
    index = VectorIndex(dim=DIM, kind=kind, ivf_nlist=32, ivf_nprobe=4).build(base)
    index.save(tmp_path / "v.faiss")
    loaded = VectorIndex.load(tmp_path / "v.faiss", ivf_nprobe=4)
    assert loaded.current_kind == kind and len(loaded) == len(base) and loaded.dim == DIM
    before = index.search(queries, 10)
    after = loaded.search(queries, 10)
    np.testing.assert_array_equal(before[1], after[1])
    np.testing.assert_allclose(before[0], after[0])
    assert [p.name for p in tmp_path.iterdir()] == ["v.faiss"]  # no temporary left behind


def test_load_missing_and_damaged(tmp_path):
    with pytest.raises(NoIndexError, match="build-index"):
        VectorIndex.load(tmp_path / "none.faiss")
    (tmp_path / "bad.faiss").write_bytes(b"not an index")
    with pytest.raises(FactcheckError, match="rebuild"):
        VectorIndex.load(tmp_path / "bad.faiss")


def test_unknown_kind_lists_known_ones():
    with pytest.raises(FactcheckError, match="flat"):
        VectorIndex(kind="annoy")


@pytest.mark.parametrize("mmap", [False, True])
def test_sharded_equals_unsharded(base, queries, tmp_path, mmap):
    whole = VectorIndex(dim=DIM, kind="flat").build(base)
    batches = (base[i : i + 700] for i in range(0, len(base), 700))  # not aligned with shards
    sharded = ShardedVectorIndex.build(tmp_path, batches, shard_size=1500, kind="flat")
    assert [s["count"] for s in sharded.shards] == [1500, 1500, 1000]
    assert len(sharded) == len(base)
    reopened = ShardedVectorIndex(tmp_path, cache_shards=False, mmap=mmap)
    expected_scores, expected_ids = whole.search(queries, 10)
    scores, ids = reopened.search(queries, 10)
    np.testing.assert_array_equal(ids, expected_ids)
    np.testing.assert_allclose(scores, expected_scores, rtol=1e-5)


def test_sharded_approximate_shards_keep_recall(base, queries, tmp_path):
    sharded = ShardedVectorIndex.build(tmp_path, [base], shard_size=2000, kind="ivf", ivf_nlist=16, ivf_nprobe=4)
    assert {s["kind"] for s in sharded.shards} == {"ivf"}
    _, ids = sharded.search(queries, 10)
    assert recall(ids, exact_ids(base, queries, 10)) >= 0.9


def test_merge_top_k_pads_and_orders():
    scores = [np.array([[0.9, 0.1]], np.float32), np.array([[0.5, -np.inf]], np.float32)]
    ids = [np.array([[3, 1]]), np.array([[7, -1]])]
    merged_scores, merged_ids = merge_top_k(scores, ids, 3)
    assert merged_ids.tolist() == [[3, 7, 1]]
    assert merged_scores[0, 0] == pytest.approx(0.9)


def test_empty_index_and_default_nlist():
    scores, ids = VectorIndex(dim=DIM).search(np.zeros((2, DIM), np.float32), 5)
    assert ids.shape == (2, 5) and np.all(ids == -1)
    assert default_nlist(1_000_000) == 4096
    assert default_nlist(100) == 64


def test_mapped_search_in_groups_answers_as_the_index_does(base, queries, tmp_path):
    """A mapped IVF file or shards searched a few queries per fresh map (to bound memory) give
    the same answers as one search over all queries."""
    from factcheck.index.vectors import MappedSearch

    path = tmp_path / "ivf.faiss"
    VectorIndex(dim=DIM, kind="ivf", ivf_nprobe=8).build(base).save(path)
    whole = VectorIndex.load(path, ivf_nprobe=8).search(queries, 10)
    mapped = MappedSearch([path], lambda: VectorIndex.load(path, mmap=True, ivf_nprobe=8), nprobe=8, budget_mb=0.05)
    assert 1 <= mapped.group < len(queries)  # a tiny budget: several groups
    for got, want in zip(mapped.search(queries, 10), whole):
        np.testing.assert_array_equal(got, want)
    sharded = ShardedVectorIndex.build(tmp_path / "shards", [base], shard_size=1500, dim=DIM, kind="ivf", ivf_nprobe=8)
    files = [tmp_path / "shards" / shard["file"] for shard in sharded.shards]
    grouped = MappedSearch(files, lambda: sharded, nprobe=8, budget_mb=0.05)
    for got, want in zip(grouped.search(queries, 10), sharded.search(queries, 10)):
        np.testing.assert_array_equal(got, want)


def test_exact_search_from_the_file_a_block_at_a_time_equals_a_flat_index(base, queries, tmp_path):
    """Below the exact-search size verify searches vectors.npy a block at a time (bounded memory):
    the same neighbours, in the same order, as one flat index over all of them."""
    from factcheck.index.vectors import FileExactSearch

    np.save(tmp_path / "vectors.npy", base)
    blocked = FileExactSearch(tmp_path / "vectors.npy", block_rows=700)  # blocks of uneven fit
    scores, ids = blocked.search(queries, 10)
    want_scores, want_ids = VectorIndex(dim=DIM, kind="flat").build(base).search(queries, 10)
    np.testing.assert_array_equal(ids, want_ids)
    np.testing.assert_allclose(scores, want_scores, rtol=0, atol=1e-6)
    assert len(blocked) == len(base)
