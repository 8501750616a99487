"""The ONNX Runtime path: no torch at run time, the same vectors, stance and verdicts as torch.

The equality bars (issue 12): embedder recall@10 >= 0.99 against sentence-transformers on real
text; stance labels equal on >= 99% of real pairs, probabilities within 0.01 of the torch path.
The comparisons load torch, so they are slow tests; the torch-free checks are not.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from factcheck.bert.session import GRAPH_FILE, BertSession, graph_for
from factcheck.bert.weights import WEIGHTS_FILE, read_header
from factcheck.config import Settings
from factcheck.embed import HashEmbedder, embed_cached, same_vectors
from factcheck.errors import ModelError
from factcheck.stance.cross_encoder import SHIPPED_MODEL_DIR, CrossEncoderStance

from conftest import CORPUS, DATASETS, NO_DATASETS, NO_SEEDS, ROOT, SEEDS

# a sys.meta_path finder that makes `import torch` (and what imports it) fail, as in an install without them
BLOCK_TORCH = (
    "import sys\n"
    "class NoTorch:\n"
    "    def find_spec(self, name, path=None, target=None):\n"
    "        if name.split('.')[0] in ('torch', 'transformers', 'sentence_transformers'):\n"
    "            raise ImportError(f'{name} is blocked in this test')\n"
    "sys.meta_path.insert(0, NoTorch())\n"
)
CLAIMS = ROOT / "examples" / "claims.jsonl"


def _cli_without_torch(*args: str, cache: Path, cwd: Path) -> subprocess.CompletedProcess:
    code = BLOCK_TORCH + "from factcheck.cli import main\nsys.argv = ['factcheck', *sys.argv[1:]]\nmain()\n"
    env = {**os.environ, "FACTCHECK_CACHE": str(cache), "HF_HUB_OFFLINE": "1"}
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=cwd, env=env)


def test_build_and_verify_without_torch(tmp_path: Path) -> None:
    """With torch, transformers and sentence-transformers unimportable, and an empty cache (the
    embedder's graph is written on the way), build-index and verify both run, twice."""
    index, cache = tmp_path / "index", tmp_path / "cache"
    built = _cli_without_torch("build-index", str(CORPUS), "--index", str(index), "-q", cache=cache, cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert json.loads(next(index.glob("v-*/manifest.json")).read_text())["embedder"]["name"] == "onnx:all-MiniLM-L6-v2"
    for run in ("cold", "cached"):  # the second run reads the claims' vectors from the cache
        report = tmp_path / f"{run}.md"
        checked = _cli_without_torch(
            "verify", "--index", str(index), "--claims-file", str(CLAIMS), "--report", str(report), cache=cache, cwd=tmp_path
        )
        assert checked.returncode == 0, checked.stderr
        assert "is blocked" not in checked.stderr
    cold, cached = (json.loads((tmp_path / f"{run}.json").read_text())["claims"] for run in ("cold", "cached"))
    assert [c["verdict"] for c in cold] == [c["verdict"] for c in cached]
    assert {c["id"]: c["verdict"] for c in cold}["c6"] == "contradicted"
    assert list((cache / "vectors").glob("*/*.f32"))
    # the learned stance model alone, on every pair
    learned = _cli_without_torch("verify", "--index", str(index), "--stance", "minilm", "Prices rose.", cache=cache, cwd=tmp_path)
    assert learned.returncode == 0, learned.stderr


def test_the_blocker_blocks() -> None:
    """The prelude above really makes torch unimportable (else the test before proves nothing)."""
    code = BLOCK_TORCH + "import torch\n"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode != 0 and "torch is blocked" in result.stderr


def test_shipped_graph_is_what_export_writes(tmp_path: Path) -> None:
    """factcheck/resources/stance-minilm/model.onnx is current: re-exporting gives the same bytes,
    and the stance model runs on it."""
    from factcheck.stance.export import export_stance_model

    result = export_stance_model(SHIPPED_MODEL_DIR, output_dir=tmp_path)
    assert (tmp_path / GRAPH_FILE).read_bytes() == (SHIPPED_MODEL_DIR / GRAPH_FILE).read_bytes()
    assert (tmp_path / WEIGHTS_FILE).read_bytes() == (SHIPPED_MODEL_DIR / WEIGHTS_FILE).read_bytes()
    assert {"config.json", "tokenizer.json", "stance_calibration.json"} <= set(result.files)
    assert result.converted == 0
    stance = CrossEncoderStance(tmp_path)
    (refutes,) = stance.classify_batch([("The union accepted the offer.", "The union rejected the offer.")])
    assert refutes.label == "refutes"


def test_export_turns_float32_weights_into_the_shipped_form(tmp_path: Path) -> None:
    """A model folder saved in float32 (as training may leave it) is exported as fp16 with its
    graph, and gives the shipped model's logits; weights changed under a graph are refused."""
    from safetensors.numpy import load_file, save_file

    from factcheck.stance.export import export_stance_model

    trained = tmp_path / "trained"
    trained.mkdir()
    for path in SHIPPED_MODEL_DIR.iterdir():
        if path.name not in (WEIGHTS_FILE, GRAPH_FILE):
            (trained / path.name).write_bytes(path.read_bytes())
    weights = load_file(str(SHIPPED_MODEL_DIR / WEIGHTS_FILE))
    save_file({k: v.astype(np.float32) for k, v in weights.items()}, str(trained / WEIGHTS_FILE))
    pairs = [("The fire killed 12 people.", "The fire killed 40 people, officials said."), ("A cat sat.", "A dog ran.")]
    shipped = CrossEncoderStance().raw_logits(pairs)[0]
    # no graph of its own: one is written into the cache on first use
    assert np.allclose(CrossEncoderStance(trained).raw_logits(pairs)[0], shipped, atol=1e-4)

    out = tmp_path / "exported"
    result = export_stance_model(trained, output_dir=out)
    assert result.converted > 0 and {t.dtype for t in read_header(out / WEIGHTS_FILE)[0].values()} <= {"F16", "I64"}
    assert np.allclose(CrossEncoderStance(out).raw_logits(pairs)[0], shipped, atol=1e-5)

    (out / WEIGHTS_FILE).write_bytes((trained / WEIGHTS_FILE).read_bytes())  # retrained, not re-exported
    with pytest.raises(ModelError, match="export-onnx"):
        BertSession(out, graph=graph_for(out, head="classifier"), max_length=128)


def test_backends_that_give_the_same_vectors_read_each_others_indexes() -> None:
    assert same_vectors("sentence-transformers:all-MiniLM-L6-v2", "onnx:all-MiniLM-L6-v2")
    assert same_vectors("onnx:all-MiniLM-L6-v2", "sentence-transformers:all-MiniLM-L6-v2")
    assert not same_vectors("onnx:all-MiniLM-L6-v2", "onnx:other-model")
    assert not same_vectors("hash:256", "onnx:all-MiniLM-L6-v2")
    assert same_vectors("hash:256", "hash:256")


class CountingEmbedder(HashEmbedder):
    """The hashing embedder with a cache key, counting the texts it really embeds."""

    def __init__(self) -> None:
        super().__init__(dimension=32)
        self.cache_key = "counting-test"
        self.embedded: list[str] = []

    def embed_batch(self, texts):
        self.embedded += list(texts)
        return super().embed_batch(texts)


def _embed_in_another_process(texts: list[str]) -> list[list[float]]:
    return embed_cached(CountingEmbedder(), texts).tolist()


def test_claim_vectors_are_cached_across_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACTCHECK_CACHE", str(tmp_path))
    texts = ["Prices rose in May.", "The bridge reopened.", "Prices rose in May."]
    first = CountingEmbedder()
    vectors = embed_cached(first, texts)
    assert first.embedded == ["Prices rose in May.", "The bridge reopened."]  # each text once
    assert np.array_equal(vectors, HashEmbedder(dimension=32).embed_batch(texts))
    again = CountingEmbedder()
    assert np.array_equal(embed_cached(again, texts), vectors) and again.embedded == []
    # a damaged entry is embedded again and rewritten
    entry = next((tmp_path / "vectors" / "counting-test").glob("*.f32"))
    entry.write_bytes(b"\x00\x01")
    third = CountingEmbedder()
    assert np.array_equal(embed_cached(third, texts), vectors) and len(third.embedded) == 1
    assert entry.stat().st_size == 4 * 32
    # another embedder (other weights) has its own entries
    other = CountingEmbedder()
    other.cache_key = "other-weights"
    embed_cached(other, texts)
    assert len(other.embedded) == 2


def test_concurrent_runs_share_the_vector_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACTCHECK_CACHE", str(tmp_path))
    texts = [f"Claim number {n} about the river." for n in range(40)]
    with ProcessPoolExecutor(4) as pool:
        results = list(pool.map(_embed_in_another_process, [texts] * 8))
    expected = HashEmbedder(dimension=32).embed_batch(texts)
    for result in results:
        assert np.allclose(result, expected)
    files = list((tmp_path / "vectors" / "counting-test").iterdir())
    assert len(files) == len(texts) and all(f.stat().st_size == 4 * 32 for f in files)  # no temporary files left


# --------------------------------------------------------------------------- against torch


def _seed_sentences() -> list[str]:
    from factcheck.ingest import read_file
    from factcheck.segment import segment_article

    return [s.text for path in sorted(SEEDS.glob("*.txt")) for a in read_file(path) or [] for s in segment_article(a)]


def _recall_at_10(reference: np.ndarray, candidate: np.ndarray) -> float:
    k = min(10, len(reference))
    truth = np.argsort(-(reference @ reference.T), axis=1)[:, :k]
    found = np.argsort(-(candidate @ candidate.T), axis=1)[:, :k]
    return float(np.mean([len(set(t) & set(f)) / k for t, f in zip(truth, found)]))


@pytest.mark.slow  # loads sentence-transformers (torch)
@pytest.mark.skipif(not SEEDS.is_dir(), reason=NO_SEEDS)
def test_onnx_vectors_match_sentence_transformers_on_real_text() -> None:
    from factcheck.embed import OnnxEmbedder, SentenceTransformerEmbedder

    sentences = _seed_sentences()
    assert len(sentences) > 80
    reference = SentenceTransformerEmbedder().embed_batch(sentences)
    candidate = OnnxEmbedder().embed_batch(sentences)
    assert _recall_at_10(reference, candidate) >= 0.99
    assert float(np.min(np.sum(reference * candidate, axis=1))) > 0.9999
    assert float(np.abs(reference - candidate).max()) < 1e-4


def _real_pairs(count: int) -> list[tuple[str, str]]:
    """A deterministic sample of real (claim, evidence) pairs from three datasets' test splits."""
    from factcheck.eval.datasets import load_dataset

    rng = random.Random(12)
    pairs = []
    for name in ("climate-fever", "emergent", "sick"):
        rows = load_dataset(name, data_dir=DATASETS)
        pairs += [(p.claim, p.evidence) for p in rng.sample(rows, min(len(rows), count // 3))]
    return pairs


@pytest.mark.slow  # runs the stance model on torch too
@pytest.mark.skipif(not DATASETS.is_dir(), reason=NO_DATASETS)
def test_onnx_stance_matches_torch_on_real_pairs() -> None:
    pairs = _real_pairs(300)
    assert len(pairs) >= 280
    onnx = CrossEncoderStance(runtime="onnx", conflict_override=False).classify_batch(pairs)
    torch = CrossEncoderStance(runtime="torch", device="cpu", conflict_override=False).classify_batch(pairs)
    same = np.mean([a.label == b.label for a, b in zip(onnx, torch)])
    largest = max(abs(a.probabilities[k] - b.probabilities[k]) for a, b in zip(onnx, torch) for k in a.probabilities)
    assert same >= 0.99, f"labels equal on {same:.1%} of {len(pairs)} pairs"
    assert largest <= 0.01, f"probabilities differ by up to {largest:.4f}"


@pytest.mark.slow  # builds and verifies with sentence-transformers and the torch stance model too
def test_onnx_gives_the_same_index_and_verdicts_on_the_example_corpus(tmp_path: Path) -> None:
    from factcheck.index.store import load_index
    from factcheck.pipeline import build_index, verify

    def settings(embedder: str, runtime: str, name: str) -> Settings:
        return Settings().with_overrides(
            embedder={"backend": embedder}, stance={"runtime": runtime}, index={"dir": str(tmp_path / name)}
        )

    torch_settings, onnx_settings = settings("sentence-transformers", "torch", "st"), settings("onnx", "onnx", "onnx")
    for s in (torch_settings, onnx_settings):
        build_index([CORPUS], index_dir=s.index.dir, settings=s)
    by_torch, by_onnx = load_index(torch_settings.index.dir), load_index(onnx_settings.index.dir)
    assert list(by_torch.sentences["text"]) == list(by_onnx.sentences["text"])
    rows_torch = by_torch.vectors[by_torch.sentences["vector_row"].to_numpy()]
    rows_onnx = by_onnx.vectors[by_onnx.sentences["vector_row"].to_numpy()]
    assert _recall_at_10(rows_torch, rows_onnx) >= 0.99

    def verdicts(s: Settings) -> dict[str, tuple]:
        report = verify(claims_file=CLAIMS, settings=s)
        return {c["id"]: (c["verdict"], [e["stance"] for e in c["evidence"]]) for c in report.data["claims"]}

    expected = verdicts(torch_settings)
    assert verdicts(onnx_settings) == expected
    # the ONNX runtime reads the index sentence-transformers built (and the other way round)
    crossed = onnx_settings.with_overrides(index={"dir": torch_settings.index.dir})
    assert verdicts(crossed) == expected
