"""The Ray engine builds the same index as the local path on the example corpus."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ray = pytest.importorskip("ray")
pytestmark = pytest.mark.slow  # every test here starts Ray workers

from factcheck.config import Settings  # noqa: E402
from factcheck.engines.ray import build_index_ray  # noqa: E402
from factcheck.index import load_index  # noqa: E402
from factcheck.pipeline import build_index  # noqa: E402

CORPUS = Path(__file__).resolve().parents[1] / "examples" / "corpus"
HASH = Settings().with_overrides(embedder={"backend": "hash", "model": ""})


@pytest.fixture(scope="module", autouse=True)
def local_ray():
    from factcheck.engines.ray import start_ray

    start_ray(num_cpus=2)
    yield
    ray.shutdown()


def assert_same_index(left_dir: Path, right_dir: Path, *, atol: float = 0.0) -> None:
    left, right = load_index(left_dir), load_index(right_dir)
    pd.testing.assert_frame_equal(left.articles, right.articles)
    pd.testing.assert_frame_equal(left.sentences, right.sentences)
    assert left.vectors.shape == right.vectors.shape
    np.testing.assert_allclose(left.vectors, right.vectors, atol=atol)
    for key in ("counts", "embedder"):
        assert left.manifest[key] == right.manifest[key]


def test_ray_build_equals_local(tmp_path):
    local = build_index([CORPUS], index_dir=tmp_path / "local", settings=HASH, fresh=True)
    distributed = build_index_ray([CORPUS], index_dir=tmp_path / "ray", settings=HASH, fresh=True)
    assert distributed.embedded == local.embedded > 0
    assert distributed.sentences_total == local.sentences_total
    assert_same_index(tmp_path / "local", tmp_path / "ray")


def test_ray_incremental_embeds_only_new_text(tmp_path):
    first = tmp_path / "first"
    first.mkdir()
    files = sorted(CORPUS.iterdir())
    for path in files[:-1]:
        shutil.copy(path, first / path.name)
    build_index([first], index_dir=tmp_path / "local", settings=HASH, fresh=True)
    build_index_ray([first], index_dir=tmp_path / "ray", settings=HASH, fresh=True)
    shutil.copy(files[-1], first / files[-1].name)
    local = build_index([first], index_dir=tmp_path / "local", settings=HASH)
    distributed = build_index_ray([first], index_dir=tmp_path / "ray", settings=HASH)
    assert distributed.embedded == local.embedded
    assert distributed.articles_new == local.articles_new == 1
    assert_same_index(tmp_path / "local", tmp_path / "ray")


@pytest.mark.slow
def test_ray_build_with_real_model_matches_within_tolerance(tmp_path):
    """Batches differ between the paths; vectors agree to float tolerance, not bit for bit."""
    settings = Settings()
    build_index([CORPUS], index_dir=tmp_path / "local", settings=settings, fresh=True)
    build_index_ray([CORPUS], index_dir=tmp_path / "ray", settings=settings, fresh=True)
    assert_same_index(tmp_path / "local", tmp_path / "ray", atol=1e-5)


def test_ray_build_shards_like_local(tmp_path):
    """Both build paths end in the same writer: above shard_size both write the same shards."""
    settings = HASH.with_overrides(index={"shard_size": 40})
    build_index([CORPUS], index_dir=tmp_path / "local", settings=settings, fresh=True)
    build_index_ray([CORPUS], index_dir=tmp_path / "ray", settings=settings, fresh=True)
    assert_same_index(tmp_path / "local", tmp_path / "ray")
    left, right = load_index(tmp_path / "local"), load_index(tmp_path / "ray")
    assert left.manifest["search"] == right.manifest["search"] and right.manifest["search"]["kind"] == "sharded"
    shards = [name for name in right.manifest["checksums"] if name.startswith("shards/")]
    assert len(shards) == 4 and all(right.manifest["checksums"][n] == left.manifest["checksums"][n] for n in shards)
