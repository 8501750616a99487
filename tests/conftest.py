from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
if "FACTCHECK_CACHE" not in os.environ:  # ONNX graphs and claim vectors: this run's own, not ~/.cache
    os.environ["FACTCHECK_CACHE"] = tempfile.mkdtemp(prefix="factcheck-test-cache-")
    atexit.register(shutil.rmtree, os.environ["FACTCHECK_CACHE"], ignore_errors=True)

from factcheck.config import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
CORPUS = ROOT / "examples" / "corpus"
SHARED = ROOT.parent / "shared"  # seeds and datasets live beside the checkout, not in it
SEEDS = SHARED / "seeds"
DATASETS = SHARED / "datasets"
NO_SEEDS = f"needs the shared seed articles at {SEEDS} (../shared/seeds beside the checkout)"
NO_DATASETS = f"needs the labelled datasets at {DATASETS} (../shared/datasets beside the checkout)"


@pytest.fixture
def hash_settings(tmp_path) -> Settings:
    """Fast settings: the deterministic hashing embedder (same backend table as the real one)."""
    return Settings().with_overrides(
        embedder={"backend": "hash", "model": ""},
        stance={"backend": "rules"},
        index={"dir": str(tmp_path / "index")},
        report={"dir": str(tmp_path / "reports")},
        retrieve={"min_similarity": 0.2},
        aggregate={"relevance_floor": 0.2, "relevance_full": 0.5},
    )


def write_corpus(folder: Path, count: int) -> Path:
    """`count` distinct small articles: the plain-text fixture articles with their numbers varied."""
    import re

    folder.mkdir(parents=True, exist_ok=True)
    bases = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    for n in range(count):
        text = re.sub(r"\d+", lambda m: str(int(m.group()) + n + 1), bases[n % len(bases)])
        (folder / f"a{n:05d}.txt").write_text(text, encoding="utf-8")
    return folder
