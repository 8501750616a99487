"""Training data for stance model v2: real labelled pairs at the largest scale we have.

v1 (`eval.train.build_training_data`) leaned on pairs generated from news text and answered
`neutral` to plain paraphrase. v2 puts real human-labelled NLI and news-stance pairs first:
TaxiNLI (real MultiNLI pairs), CAD-NLI (counterfactual minimal pairs), Breaking NLI (one word
swapped: antonyms, numbers, places), PAWS-X-en (paraphrase vs word-scrambled), FNC-1 *train*
stances cut to the sentence the verify path would see, the v1 real sets, and a share of the v1
generated news pairs. Never: any reported test split, ANLI, XNLI (non-commercial, and held out),
negation-NLI, WiCE, Fool Me Twice (held out), SICK (non-commercial), FEVER-Symmetric.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path

from .datasets import (
    LabeledPair,
    load_breaking_nli,
    load_cad_nli,
    load_emergent,
    load_fnc1_train_stances,
    load_paws_x_en,
    load_taxinli,
)
from .pairs import split_sentences

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    "the a an of to in on for and or but is are was were be been by with at from as "
    "that this it its has have had will would says said after over".split()
)


def _content(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2}


def emergent_test_texts(data_dir: str | Path | None) -> list[set[str]]:
    """Content words of every Emergent *test* claim and headline (FNC-1 is built from Emergent)."""
    texts = {t for p in load_emergent(data_dir) if p.split == "test" for t in (p.claim, p.evidence)}
    return [words for words in map(_content, sorted(texts)) if words]


def _matches_any(words: set[str], others: list[set[str]], share: float = 0.7) -> bool:
    return bool(words) and any(len(words & o) >= share * max(len(words), len(o)) for o in others)


def fnc_sentence_pairs(
    data_dir: str | Path | None,
    kept_bodies: set[str],
    *,
    seed: int = 0,
    unrelated: int = 2500,
    discuss: int = 3500,
) -> tuple[list[LabeledPair], list[LabeledPair]]:
    """FNC-1 train stances as the verify path sees them: headline vs one body sentence.

    agree / disagree / discuss take the body sentence that restates most of the headline (the one
    retrieval would find); unrelated takes a random sentence. Bodies not in `kept_bodies` (shared
    with a competition test body, or about an Emergent test claim) and headlines matching an
    Emergent test claim or headline are dropped. Bodies in the dev hash bucket form the dev set.
    """
    from .train import is_dev_body

    rng = random.Random(seed)
    blocked = emergent_test_texts(data_dir)
    label = {"agree": "supports", "disagree": "refutes", "discuss": "neutral", "unrelated": "neutral"}
    sentences_of: dict[str, list[str]] = {}
    headline_ok: dict[str, bool] = {}
    train: list[LabeledPair] = []
    dev: list[LabeledPair] = []
    for pair in load_fnc1_train_stances(data_dir):
        body_id = pair.group.split(":", 1)[1]
        if body_id not in kept_bodies:
            continue
        if pair.claim not in headline_ok:
            headline_ok[pair.claim] = not _matches_any(_content(pair.claim), blocked)
        if not headline_ok[pair.claim]:
            continue
        sentences = sentences_of.setdefault(body_id, [s for s in split_sentences(pair.evidence) if 5 <= len(s.split()) <= 80])
        if not sentences:
            continue
        if pair.label == "unrelated":
            sentence = rng.choice(sentences)
        else:
            head = _content(pair.claim)
            sentence = max(sentences, key=lambda s: (len(head & _content(s)), -len(s)))
        item = LabeledPair(
            pair.claim, sentence, label[pair.label], pair.split, f"fnc-train:{body_id}", "fnc-sentence:" + pair.label
        )
        (dev if is_dev_body(body_id) else train).append(item)
    by_kind: dict[str, list[LabeledPair]] = {}
    for item in train:
        by_kind.setdefault(item.original_label, []).append(item)
    caps = {"fnc-sentence:unrelated": unrelated, "fnc-sentence:discuss": discuss}
    sampled: list[LabeledPair] = []
    for kind, items in sorted(by_kind.items()):
        cap = caps.get(kind)
        sampled += rng.sample(items, cap) if cap is not None and len(items) > cap else items
    dev = [d for d in dev if d.original_label != "fnc-sentence:unrelated" or rng.random() < 0.15]
    return sampled, dev


def build_training_data_v2(
    data_dir: str | Path | None,
    *,
    seed: int = 0,
    generated: int = 12000,
    breaking: int = 2500,
) -> tuple[list[LabeledPair], dict[str, list[LabeledPair]]]:
    """v2 training pairs and the dev sets for calibration (disjoint from every test split)."""
    from .train import build_training_data, held_out_train_bodies

    rng = random.Random(seed)
    v1_real, dev = build_training_data(data_dir, seed=seed, sources="real", real_repeats=1)
    v1_generated, _ = build_training_data(data_dir, seed=seed, sources="generated")
    cad = load_cad_nli(data_dir)
    broken = load_breaking_nli(data_dir)
    kept = {body_id for body_id, _ in held_out_train_bodies(data_dir)}
    fnc_train, fnc_dev = fnc_sentence_pairs(data_dir, kept, seed=seed)
    train = (
        load_taxinli(data_dir)
        + [p for p in cad if p.split == "train"]
        + rng.sample(broken, min(breaking, len(broken)))
        + load_paws_x_en(data_dir)
        + fnc_train
        + v1_real
        + rng.sample(v1_generated, min(generated, len(v1_generated)))
    )
    rng.shuffle(train)
    dev = {**dev, "cad-nli-dev": [p for p in cad if p.split == "dev"], "fnc-train-sentences-dev": fnc_dev}
    return train, dev


def describe(pairs: list[LabeledPair]) -> dict[str, int]:
    """Counts by source, for the training summary and the model card."""
    return dict(Counter(p.group.split(":")[0] for p in pairs))
