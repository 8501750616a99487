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
from collections.abc import Collection
from pathlib import Path

from .datasets import (
    LabeledPair,
    about_held_out_story,
    load_breaking_nli,
    load_cad_nli,
    load_emergent,
    load_fnc1_train_stances,
    load_paws_x_en,
    load_taxinli,
)
from .pairs import split_sentences, usable_sentence

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


def _usable_headline(headline: str, blocked: list[set[str]]) -> bool:
    """Neither an Emergent test claim or headline nor about a story held out for measurement."""
    return not (_matches_any(_content(headline), blocked) or about_held_out_story(headline))


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
            headline_ok[pair.claim] = _usable_headline(pair.claim, blocked)
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


def build_training_data_v6(
    data_dir: str | Path | None, *, seed: int = 0
) -> tuple[list[LabeledPair], dict[str, list[LabeledPair]]]:
    """v2's pairs plus restatements (`pairs.restatement_pairs`): one side with a name cut to the
    surname its story also uses, or a date or number written another way, labelled supports.
    v2 learned from its generated swaps that any changed name or number refutes ("Pawan Durani
    tweeted" / "Pawan tweeted" read as refutes 0.89); these show it which changes are only form.
    Same dev sets as v2."""
    from .pairs import restatement_pairs
    from .train import held_out_train_bodies, is_dev_body

    train, dev = build_training_data_v2(data_dir, seed=seed)
    stories = [(f"fnc-train:{body_id}", s) for body_id, s in held_out_train_bodies(data_dir) if not is_dev_body(body_id)]
    train = train + restatement_pairs(stories, seed=seed)
    random.Random(seed).shuffle(train)
    return train, dev


def misleading_pairs(data_dir: str | Path | None, *, used: Collection[str] = ()) -> list[LabeledPair]:
    """Claims written to mislead: Fool Me Twice **dev** (game claims against their Wikipedia
    evidence, supports / refutes; its test split stays held out) and the Breaking NLI pairs whose
    group is not in `used` (one word swapped for its sibling: "Swedish" / "Norwegian"). Nothing
    about the four stories held out for measurement."""
    from .datasets import about_held_out_story, load_breaking_nli, load_fool_me_twice

    fm2 = [p for p in load_fool_me_twice(data_dir) if p.split == "dev"]
    used = set(used)
    broken = [p for p in load_breaking_nli(data_dir) if p.group not in used]
    return [p for p in fm2 + broken if not about_held_out_story(p.claim, p.evidence)]


def build_training_data_v7(
    data_dir: str | Path | None, *, seed: int = 0, fm2_repeats: int = 2
) -> tuple[list[LabeledPair], dict[str, list[LabeledPair]]]:
    """v6's pairs plus `misleading_pairs`, Fool Me Twice dev twice. The probe misses v6 leaves
    are mostly a claim with one fact changed read as support. Same dev sets as v2."""
    train, dev = build_training_data_v6(data_dir, seed=seed)
    extra = misleading_pairs(data_dir, used={p.group for p in train})
    fm2 = [p for p in extra if p.group.startswith("fm2:")]
    train = train + fm2 * fm2_repeats + [p for p in extra if not p.group.startswith("fm2:")]
    random.Random(seed).shuffle(train)
    return train, dev


def build_training_data_mined(
    data_dir: str | Path | None, embedder: object, *, seed: int = 0, replay: int = 15000
) -> tuple[list[LabeledPair], dict[str, list[LabeledPair]]]:
    """Recipe "mined": a further pass for a v2 model, on news pairs mined across outlets plus v2 pairs.

    The mined pairs (`mined_story_pairs`) teach paraphrase and a changed fact inside a
    paraphrase; `replay` v2 pairs keep what v2 learned. Same dev sets as v2.
    """
    rng = random.Random(seed)
    v2, dev = build_training_data_v2(data_dir, seed=seed)
    train = rng.sample(v2, min(replay, len(v2))) + mined_story_pairs(data_dir, embedder, seed=seed)
    rng.shuffle(train)
    return train, dev


def describe(pairs: list[LabeledPair]) -> dict[str, int]:
    """Counts by source, for the training summary and the model card."""
    return dict(Counter(p.group.split(":")[0] for p in pairs))


def story_sentences(data_dir: str | Path | None) -> list[tuple[str, str, str]]:
    """(story, body id, sentence) for the usable FNC-1 train bodies that share a story.

    A story joins every body that some headline relates to (agree, disagree or discuss), so the
    sentences of one story come from several outlets. Bodies in the dev hash bucket, bodies that
    could leak a test set (`held_out_train_bodies`) and headlines matching an Emergent test claim
    are left out, as in `fnc_sentence_pairs`.
    """
    from .train import held_out_train_bodies, is_dev_body

    kept = {body_id: sentences for body_id, sentences in held_out_train_bodies(data_dir) if not is_dev_body(body_id)}
    blocked = emergent_test_texts(data_dir)
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    headline_ok: dict[str, bool] = {}
    for pair in load_fnc1_train_stances(data_dir):
        body_id = pair.group.split(":", 1)[1]
        if body_id not in kept or pair.label == "unrelated":
            continue
        if pair.claim not in headline_ok:
            headline_ok[pair.claim] = _usable_headline(pair.claim, blocked)
        if headline_ok[pair.claim]:
            parent[root("body:" + body_id)] = root("headline:" + pair.claim)
    stories: dict[str, set[str]] = {}
    for node in list(parent):
        if node.startswith("body:"):
            stories.setdefault(root(node), set()).add(node[5:])
    rows = []
    for number, (_, bodies) in enumerate(sorted(stories.items(), key=lambda item: min(item[1]))):
        if len(bodies) < 2:
            continue
        for body_id in sorted(bodies):
            for sentence in kept[body_id]:
                if usable_sentence(sentence) and len(sentence.split()) <= 45:
                    rows.append((f"story{number}", body_id, sentence))
    return rows


_NUMBERS = re.compile(r"\d+(?:[.,]\d+)*")


def mined_story_pairs(
    data_dir: str | Path | None,
    embedder: object,
    *,
    seed: int = 0,
    paraphrase_similarity: float = 0.82,
    related_band: tuple[float, float] = (0.55, 0.72),
    neutral: int = 2500,
) -> list[LabeledPair]:
    """Pairs from two outlets' sentences about the same story: the paraphrase a reader writes.

    The v2 pairs that teach a changed fact are one sentence edited in place, so the model learned
    to find a changed word only inside a near copy, and a true claim in other words stayed
    neutral. Here two sentences of different bodies of one story that the embedder puts close
    (cosine >= `paraphrase_similarity`, not a copy) are a paraphrase: the shorter one, as the
    claim, is supported by the longer, when every number it gives is in the longer one. The same
    claim with one slot changed (a number, date, antonym, negation, or another name from the
    story) refutes it, and a sentence of the story about something else (cosine in
    `related_band`) is neutral, as is the longer sentence against the shorter when it says much
    more. Label noise is the price: mined paraphrases are not checked by a person.
    """
    import numpy as np

    from .pairs import change_fact, find_entities

    rng = random.Random(seed)
    rows = story_sentences(data_dir)
    vectors = np.asarray(embedder.embed_batch([sentence for _, _, sentence in rows]), dtype=np.float32)  # type: ignore[attr-defined]
    members: dict[str, list[int]] = {}
    for i, (story, _, _) in enumerate(rows):
        members.setdefault(story, []).append(i)
    paraphrases: list[tuple[str, str, str]] = []
    related: list[tuple[str, str, str]] = []
    for story, index in members.items():
        similarity = vectors[index] @ vectors[index].T
        for a in range(len(index)):
            for b in range(a + 1, len(index)):
                i, j = index[a], index[b]
                if rows[i][1] == rows[j][1]:
                    continue
                short, long = sorted((rows[i][2], rows[j][2]), key=len)
                words_short, words_long = _content(short), _content(long)
                if similarity[a, b] >= paraphrase_similarity:
                    if len(words_short & words_long) > 0.6 * len(words_short | words_long):
                        continue  # a copy teaches nothing the v2 pairs do not
                    if set(_NUMBERS.findall(short)) <= set(_NUMBERS.findall(long)):
                        paraphrases.append((story, short, long))
                elif related_band[0] <= similarity[a, b] < related_band[1]:
                    related.append((story, rows[i][2], rows[j][2]))
    found: dict[str, set[str]] = {}
    for story, _, sentence in rows:
        found.setdefault(story, set()).update(find_entities(sentence))
    pool = {story: sorted(names) for story, names in found.items()}
    pairs = []
    edits = ("number", "date", "antonym", "negate", "entity")
    for story, short, long in paraphrases:
        group = f"mined:{story}"
        pairs.append(LabeledPair(short, long, "supports", "train", group, "mined:paraphrase"))
        for kind in rng.sample(edits, len(edits)):
            changed = change_fact(kind, short, pool[story], rng)
            if changed and changed != short:
                claim, evidence = (changed, long) if rng.random() < 0.7 else (long, changed)
                pairs.append(LabeledPair(claim, evidence, "refutes", "train", group, "mined:" + kind))
                break
        if len(_content(long)) >= 1.5 * len(_content(short)) and rng.random() < 0.3:
            pairs.append(LabeledPair(long, short, "neutral", "train", group, "mined:says-more"))
    for story, first, second in rng.sample(related, min(neutral, len(related))):
        pairs.append(LabeledPair(first, second, "neutral", "train", f"mined:{story}", "mined:related"))
    rng.shuffle(pairs)
    return pairs
