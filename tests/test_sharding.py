"""Above `shard_size` vectors the search index is written as shards, searched together, checksummed."""

import json
import shutil

import numpy as np
import pytest

from factcheck.config import settings_from_dict
from factcheck.errors import ConfigError, IndexDamagedError
from factcheck.index.store import SEARCH_FILE, SHARDS_DIR, load_index
from factcheck.pipeline import build_index, claims_from_index, verify_claims

from conftest import CORPUS


def _build(settings, index_dir, corpus=CORPUS, **index):
    settings = settings.with_overrides(index={"dir": str(index_dir), **index})
    build_index([corpus], index_dir=index_dir, settings=settings)
    return load_index(index_dir), settings


def _assert_same_results(left, right):
    """Equal scores everywhere and equal ids, except which of several vectors tied at the k-th
    score fills the last places (exact search itself leaves that to FAISS's heap)."""
    (left_scores, left_ids), (right_scores, right_ids) = left, right
    np.testing.assert_allclose(left_scores, right_scores, rtol=0, atol=1e-6)
    above_last = left_scores > left_scores[:, -1:] + 1e-6
    np.testing.assert_array_equal(left_ids[above_last], right_ids[above_last])
    assert above_last.mean() > 0.5  # the comparison covers most places


@pytest.fixture
def both(tmp_path, hash_settings):
    """The example corpus indexed once in shards of 40 vectors and once as one index."""
    sharded, settings = _build(hash_settings, tmp_path / "sharded", shard_size=40)
    single, _ = _build(hash_settings, tmp_path / "single")
    return sharded, single, settings


def test_sharded_version_has_checksummed_shards(both):
    sharded, single, _ = both
    search = sharded.manifest["search"]
    assert search["kind"] == "sharded" and search["shard_size"] == 40
    assert [shard["kind"] for shard in search["shards"]] == ["flat"] * 3  # 114 vectors: 40 + 40 + 34
    assert sum(shard["count"] for shard in search["shards"]) == len(sharded.vectors) == len(single.vectors)
    files = sorted(p.relative_to(sharded.path).as_posix() for p in (sharded.path / SHARDS_DIR).iterdir())
    assert len(files) == 4 and set(files) <= set(sharded.manifest["checksums"])  # 3 shards + shards.json
    assert not (sharded.path / SEARCH_FILE).exists()
    assert isinstance(sharded.vectors, np.memmap) and not sharded.vectors.flags.writeable
    assert single.manifest["search"]["kind"] == "flat" and not (single.path / SHARDS_DIR).exists()


@pytest.mark.slow  # two builds and every claim verified twice: minutes
def test_sharded_search_and_verdicts_equal_unsharded(both):
    sharded, single, settings = both
    np.testing.assert_array_equal(sharded.vectors, single.vectors)
    queries = np.asarray(single.vectors[::3])
    for k in (5, 50):
        _assert_same_results(sharded.search(queries, k), single.search(queries, k))
    np.testing.assert_array_equal(sharded.search(queries, 1)[1][:, 0], np.arange(len(single.vectors))[::3])
    claims = claims_from_index(single)
    left = verify_claims(claims, index=sharded, settings=settings)
    right = verify_claims(claims, index=single, settings=settings)
    assert [(v.claim.id, v.verdict, [e.sentence_id for e in v.evidence]) for v in left] == [
        (v.claim.id, v.verdict, [e.sentence_id for e in v.evidence]) for v in right
    ]
    assert {v.verdict for v in left} >= {"supported", "contradicted"}  # the comparison is not all "unverified"


@pytest.mark.parametrize("damage", ["corrupt", "missing"])
def test_damaged_shard_is_reported_with_a_rebuild_hint(both, damage):
    sharded, _, settings = both
    shard = sharded.path / SHARDS_DIR / "shard-00001.faiss"
    if damage == "missing":
        shard.unlink()
    else:
        data = bytearray(shard.read_bytes())
        data[len(data) // 2] ^= 0xFF
        shard.write_bytes(bytes(data))
    with pytest.raises(IndexDamagedError, match=f"{SHARDS_DIR}/shard-00001.faiss.*--fresh"):
        load_index(settings.index.dir)


def test_shard_list_without_checksum_is_damaged(both):
    sharded, _, settings = both
    manifest_path = sharded.path / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    del manifest["checksums"][f"{SHARDS_DIR}/shards.json"]
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(IndexDamagedError, match="no checksum for shards/shards.json"):
        load_index(settings.index.dir)


def test_incremental_build_reshards(tmp_path, hash_settings):
    """Adding an article writes a new version whose shards cover all vectors, searched as before."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for path in sorted(CORPUS.iterdir())[:-1]:
        shutil.copy(path, folder / path.name)
    first, settings = _build(hash_settings, tmp_path / "sharded", folder, shard_size=40, keep_versions=1)
    _, single_settings = _build(hash_settings, tmp_path / "single", folder)  # grown the same way, unsharded
    shutil.copy(sorted(CORPUS.iterdir())[-1], folder)
    for each in (settings, single_settings):
        assert build_index([folder], index_dir=each.index.dir, settings=each).articles_new == 1
    grown, single = load_index(settings.index.dir), load_index(single_settings.index.dir)
    assert grown.path != first.path and len(grown.vectors) > len(first.vectors)
    assert not first.path.exists()  # pruned, shards/ and all
    counts = [shard["count"] for shard in grown.manifest["search"]["shards"]]
    assert sum(counts) == len(grown.vectors) and counts[:-1] == [40] * (len(counts) - 1)
    np.testing.assert_array_equal(grown.vectors, single.vectors)
    queries = np.asarray(single.vectors[::3])
    _assert_same_results(grown.search(queries, 10), single.search(queries, 10))


def test_shards_above_the_exact_size_are_approximate(tmp_path, hash_settings):
    # 114 vectors in shards of 100 (IVF needs ~39 vectors per list, so a 64-list shard needs 2.5k:
    # ivf_nlist=2 keeps the lists trainable on the fixture) and exact search up to 50 vectors
    approx, _ = _build(hash_settings, tmp_path / "ivf", shard_size=100, exact_search_max=50, ivf_nlist=2, ivf_nprobe=1)
    exact, _ = _build(hash_settings, tmp_path / "exact")
    assert [shard["kind"] for shard in approx.manifest["search"]["shards"]] == ["ivf", "flat"]
    assert approx.manifest["search"]["ivf_nprobe"] == 1
    queries = np.asarray(exact.vectors)
    _, approx_rows = approx.search(queries, 5)
    _, exact_rows = exact.search(queries, 5)
    assert (approx_rows[:, 0] == exact_rows[:, 0]).mean() >= 0.95  # every stored vector finds itself
    recall = np.mean([len(np.intersect1d(a, e)) / 5 for a, e in zip(approx_rows, exact_rows)])
    assert 0.7 < recall < 1.0  # nprobe=1 of 2 lists really is approximate, and still finds most


def test_shard_size_setting_is_validated():
    assert settings_from_dict({"index": {"shard_size": 250_000}}).index.shard_size == 250_000
    with pytest.raises(ConfigError, match="index.shard_size: must not be negative"):
        settings_from_dict({"index": {"shard_size": -1}})
    with pytest.raises(ConfigError, match="index.shard_size: expected int"):
        settings_from_dict({"index": {"shard_size": "1M"}})
