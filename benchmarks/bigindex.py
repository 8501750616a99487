"""A large index for measuring verify's memory: real sentence texts as metadata, synthetic vectors.

    python -m benchmarks.bigindex --sentences 1000000 INDEX_DIR

Embedding a million sentences takes hours on 2 cores, so the vectors are the real ones grown
past the real corpus (`search.grow`, the vectors the search benchmark uses) and written through
the pipeline's own `IndexBuilder`: the tables, vector members, manifest and IVF search index are
those a build writes, under the real embedder's name, so `verify` with the default settings
reads it like any index. Texts are real FNC-1 sentences (read from the shared datasets at run
time), cycled with a dateline to keep every text distinct, 20 sentences to an article.
"""

from __future__ import annotations

import argparse
import hashlib
import time
from pathlib import Path

import numpy as np

from . import realdata, search

SENTENCES_PER_ARTICLE = 20


def build_big_index(index_dir: Path, sentences: int, *, quick_base: bool = False) -> dict:
    """Write an index of `sentences` sentences (each its own vector row) at `index_dir`."""
    from factcheck.config import Settings, search_settings
    from factcheck.embed.transformer import SentenceTransformerEmbedder
    from factcheck.index.builder import BuildStats, IndexBuilder
    from factcheck.index.store import writer_lock
    from factcheck.models import Article, Paragraph, Sentence
    from factcheck.text import content_hash

    started = time.perf_counter()
    settings = Settings()
    real_base, _ = search.quick_split() if quick_base else search.real_split()
    vectors = search.grow(real_base, sentences)
    texts = realdata.real_sentences()
    embedder_name = _embedder_name(settings, SentenceTransformerEmbedder)
    handed = 0

    def embed(batch: list[str]) -> np.ndarray:  # the next rows of the grown vectors, in order
        nonlocal handed
        block = vectors[handed : handed + len(batch)]
        handed += len(batch)
        return block

    stats = BuildStats(index_dir=str(index_dir))
    with writer_lock(index_dir):
        builder = IndexBuilder(
            index_dir,
            old=None,
            embed=embed,
            embedder_name=embedder_name,
            dimension=vectors.shape[1],
            stats=stats,
            on_skip=lambda path, reason: None,
            search=search_settings(settings.index),
        )
        for number in range(0, sentences, SENTENCES_PER_ARTICLE):
            article_id = hashlib.sha256(f"big-{number}".encode()).hexdigest()[:16]
            body = []
            for ordinal, n in enumerate(range(number, min(sentences, number + SENTENCES_PER_ARTICLE))):
                text = texts[n % len(texts)]
                if n >= len(texts):  # a later cycle: another day's copy of the line, a distinct text
                    text = f"{text} (Update {n // len(texts)}.)"
                body.append((ordinal, text))
            path = f"big/{number // SENTENCES_PER_ARTICLE:06d}.txt"
            article = Article(
                id=article_id,
                path=path,
                paragraphs=[Paragraph(" ".join(t for _, t in body), 0, 1)],
                title=f"Big index article {number // SENTENCES_PER_ARTICLE}",
                source=f"Outlet {number % 97}",
                date=f"2017-{1 + number % 12:02d}-{1 + number % 28:02d}",
            )
            builder.add(
                article,
                [
                    Sentence(
                        id=f"{article_id}:{ordinal}",
                        article_id=article_id,
                        ordinal=ordinal,
                        text=text,
                        start=0,
                        end=len(text),
                        line=ordinal + 1,
                        hash=content_hash(text),
                        checkworthy=True,
                    )
                    for ordinal, text in body
                ],
            )
        builder.finish(keep_versions=1)
    return {
        "sentences": stats.sentences_total,
        "unique": handed,
        "real_texts": len(texts),
        "seconds": round(time.perf_counter() - started, 1),
    }


def _embedder_name(settings, embedder_class) -> str:
    """The name the configured embedder records, without loading its model."""
    model = settings.embedder.model
    label = model.split(":", 1)[1] if model.startswith("packaged:") else Path(model).name
    return f"sentence-transformers:{label}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index_dir", type=Path)
    parser.add_argument("--sentences", type=int, default=1_000_000)
    parser.add_argument("--quick-base", action="store_true", help="grow from the 4,000-sentence quick set")
    args = parser.parse_args()
    print(build_big_index(args.index_dir, args.sentences, quick_base=args.quick_base), flush=True)


if __name__ == "__main__":
    main()
