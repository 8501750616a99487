"""`verify --all --engine ray` writes the same report as the local run, and without Ray says so in one line."""

from __future__ import annotations

import subprocess
import sys

import pytest

from factcheck import pipeline
from factcheck.config import Settings
from factcheck.pipeline import build_index, verify

from conftest import CORPUS, ROOT

pytestmark = pytest.mark.slow  # starts Ray workers (or, below, a CLI process)


def _report(settings: Settings, **options) -> dict:
    data = verify(settings=settings, all_articles=True, **options).data
    data.pop("generated_at")  # the only thing that differs: when it ran
    return data


@pytest.fixture(scope="module")
def local_ray():
    ray = pytest.importorskip("ray")
    from factcheck.engines.ray import start_ray

    start_ray(num_cpus=2)
    yield
    ray.shutdown()


@pytest.mark.parametrize("stance", ["rules", "hybrid"])
def test_ray_report_equals_the_local_one(tmp_path, monkeypatch, local_ray, stance):
    """Rules with the hashing embedder, and the shipped default (real embedder, hybrid stance)."""
    settings = Settings().with_overrides(index={"dir": str(tmp_path / "index")}, report={"dir": str(tmp_path / "reports")})
    if stance == "rules":
        settings = settings.with_overrides(embedder={"backend": "hash", "model": ""}, stance={"backend": "rules"})
    build_index([CORPUS], index_dir=settings.index.dir, settings=settings)
    monkeypatch.setattr(pipeline, "CLAIMS_PER_BATCH", 7)  # several batches, so both actors work
    local = _report(settings)
    distributed = _report(settings, engine="ray")
    assert len(local["claims"]) > 14 and any(claim["evidence"] for claim in local["claims"]) and local["conflicts"]
    assert distributed == local


def test_without_ray_the_engine_is_one_clear_error(tmp_path):
    built = subprocess.run(
        [sys.executable, "-m", "factcheck.cli", "build-index", str(CORPUS), "--index", str(tmp_path / "i"), "--embedder", "hash"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert built.returncode == 0, built.stderr
    code = (
        "import sys; sys.modules['ray'] = None\n"  # as if Ray were not installed
        "from factcheck.cli import main\n"
        f"sys.argv = ['factcheck', 'verify', '--all', '--engine', 'ray', '--index', {str(tmp_path / 'i')!r}, "
        f"'--embedder', 'hash', '--stance', 'rules', '--report', {str(tmp_path / 'r.md')!r}]\n"
        "main()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == ["error: The Ray engine needs Ray: run `pip install 'factcheck[ray]'`."]
    assert not (tmp_path / "r.md").exists()
