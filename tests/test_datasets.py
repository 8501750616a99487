"""Dataset loaders: label mappings on real rows, splits, and actionable errors."""

from collections import Counter
from pathlib import Path

import pytest

from factcheck.errors import DatasetError
from factcheck.eval.datasets import (
    DATASETS,
    climate_fever_split,
    detokenize_fever,
    load_dataset,
    load_fnc1_train_bodies,
)

from conftest import NO_DATASETS

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "datasets"
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason=NO_DATASETS)


@needs_data
@pytest.mark.parametrize(
    "name, split, n, labels",
    [
        ("fnc-1", "test", 25413, {"unrelated": 18349, "discuss": 4464, "agree": 1903, "disagree": 697}),
        ("emergent", "test", 524, {"supports": 246, "neutral": 187, "refutes": 91}),
        ("sick", "test", 4906, {"neutral": 2790, "supports": 1404, "refutes": 712}),
        ("fever-symmetric", "test", 712, {"supports": 356, "refutes": 356}),
        ("healthver", "test", 1823, {"supports": 671, "refutes": 425, "neutral": 727}),
        ("covid-fact", "test", 401, {"refutes": 271, "supports": 130}),
        ("scifact", "dev", 209, {"supports": 138, "refutes": 71}),
        ("rte", "dev", 277, {"supports": 146, "not_supports": 131}),
    ],
)
def test_label_counts_match_source_md(name: str, split: str, n: int, labels: dict) -> None:
    pairs = load_dataset(name, data_dir=DATA, split=split)
    assert len(pairs) == n
    assert Counter(p.label for p in pairs) == labels


@needs_data
def test_label_mapping_on_real_rows() -> None:
    emergent = load_dataset("emergent", data_dir=DATA, split="test")
    first = emergent[0]
    assert first.claim.startswith("ISIS leader Abu Bakr al-Baghdadi was wounded")
    assert (first.original_label, first.label) == ("for", "supports")
    assert {(p.original_label, p.label) for p in emergent} == {
        ("for", "supports"),
        ("against", "refutes"),
        ("observing", "neutral"),
    }
    sick = {p.group: p for p in load_dataset("sick", data_dir=DATA, split="train")}
    # pair 1 is NEUTRAL; sentence_A is the evidence, sentence_B the claim
    assert sick["pair:1"].label == "neutral"
    assert sick["pair:1"].evidence.startswith("A group of kids is playing in a yard")
    rte = load_dataset("rte", data_dir=DATA, split="dev")
    assert rte[0].claim == "Christopher Reeve had an accident."
    assert rte[0].label == "not_supports"
    fever = load_dataset("fever-symmetric", data_dir=DATA, split="test")
    assert fever[0].claim == "Colombiana is a French film."
    assert fever[0].label == "supports"


@needs_data
def test_climate_fever_split_is_by_claim_and_stable() -> None:
    pairs = load_dataset("climate-fever", data_dir=DATA)
    splits_per_claim: dict[str, set] = {}
    for pair in pairs:
        splits_per_claim.setdefault(pair.group, set()).add(pair.split)
    assert all(len(s) == 1 for s in splits_per_claim.values())
    test_share = sum(1 for s in splits_per_claim.values() if s == {"test"}) / len(splits_per_claim)
    assert 0.15 < test_share < 0.25
    assert climate_fever_split("0") == climate_fever_split("0")


@needs_data
def test_training_bodies_leave_out_fnc_test_bodies() -> None:
    from factcheck.eval.train import held_out_train_bodies

    train = load_fnc1_train_bodies(DATA)
    test_bodies = {p.evidence for p in load_dataset("fnc-1", data_dir=DATA)}
    assert len(train) == 1511  # 1,683 less the 172 bodies of four stories held out (shared/datasets/fnc-1/SOURCE.md)
    assert test_bodies & set(train.values())  # the raw files do share articles under other ids
    kept = held_out_train_bodies(DATA)
    assert 0 < len(kept) < len(train)
    assert not test_bodies & {train[body_id] for body_id, _ in kept}


@needs_data
def test_training_data_leaves_out_the_stories_held_out_for_measurement() -> None:
    from factcheck.eval.datasets import about_held_out_story
    from factcheck.eval.train import build_training_data, held_out_train_bodies

    assert about_held_out_story("Audio allegedly captures the Michael Brown shooting")
    assert about_held_out_story("A meteorite struck near Managua's airport", "")
    assert not about_held_out_story("Nigeria's army says it has freed hostages")
    emergent = load_dataset("emergent", data_dir=DATA, split="train")
    assert any(about_held_out_story(p.claim, p.evidence) for p in emergent)  # Emergent train has them
    train, dev = build_training_data(DATA, sources="real", real_repeats=1)
    groups = {p.group for p in emergent}
    from_emergent = [p for p in train if p.group in groups] + dev["emergent-dev"]
    assert from_emergent and not any(about_held_out_story(p.claim, p.evidence) for p in from_emergent)
    assert not any(about_held_out_story(" ".join(sentences)) for _, sentences in held_out_train_bodies(DATA))


def test_missing_folder_says_what_to_do(tmp_path: Path) -> None:
    for name in DATASETS:
        with pytest.raises(DatasetError, match="--data-dir"):
            load_dataset(name, data_dir=tmp_path)


def test_missing_file_and_unknown_names(tmp_path: Path) -> None:
    (tmp_path / "glue-rte").mkdir()
    with pytest.raises(DatasetError, match="SOURCE.md"):
        load_dataset("rte", data_dir=tmp_path)
    with pytest.raises(DatasetError, match="choose one of"):
        load_dataset("mnli", data_dir=tmp_path)


def test_detokenize_fever() -> None:
    assert (
        detokenize_fever("Bad Romance -LRB- song -RRB- is a single , by Gaga 's label .")
        == "Bad Romance (song) is a single, by Gaga's label."
    )


@needs_data
def test_mined_news_pairs_pair_two_outlets_of_one_training_story() -> None:
    import re

    from factcheck.embed.hashing import HashEmbedder
    from factcheck.eval.corpus import mined_story_pairs, story_sentences
    from factcheck.eval.train import is_dev_body

    rows = story_sentences(DATA)
    assert not any(is_dev_body(body_id) for _, body_id, _ in rows)  # the dev bodies calibrate
    body_of = {sentence: body_id for _, body_id, sentence in rows}
    story_of = {sentence: story for story, _, sentence in rows}
    pairs = mined_story_pairs(DATA, HashEmbedder(), seed=0, neutral=200)
    kinds = {p.original_label for p in pairs}
    assert {"mined:paraphrase", "mined:related"} <= kinds and kinds & {"mined:number", "mined:negate", "mined:entity"}
    for pair in pairs:
        if pair.label == "supports":
            # two outlets, one story, and the claim's figures are all in the evidence
            assert body_of[pair.claim] != body_of[pair.evidence]
            assert story_of[pair.claim] == story_of[pair.evidence]
            assert set(re.findall(r"\d+(?:[.,]\d+)*", pair.claim)) <= set(re.findall(r"\d+(?:[.,]\d+)*", pair.evidence))
        elif pair.label == "refutes":
            assert pair.claim not in body_of or pair.evidence not in body_of  # one side was changed


def test_restatements_change_only_the_form_of_a_name_date_or_number() -> None:
    from factcheck.eval.pairs import restatement_pairs

    story = [
        "Activist Pawan Durani tweeted her picture on October 13, 2014, asking people to share it.",
        "The photo was shared widely, and Durani said he had met her in the town.",
        "Officials at Scotland Yard said 3 people were hurt and prices rose 10 percent.",
        "Police searched the yard behind the house, and Yard officers said little.",
    ]
    pairs = restatement_pairs([("story", story)], seed=0)
    texts = {text for p in pairs for text in (p.claim, p.evidence)}
    assert pairs and all(p.label == "supports" for p in pairs)
    assert any("Durani tweeted" in t and "Pawan" not in t for t in texts)  # the surname the story uses alone
    assert not any("at Yard" in t for t in texts)  # "yard" is a common word: "Scotland Yard" stays whole
    for p in pairs:
        edited, original = sorted((p.claim, p.evidence), key=lambda t: t in story)
        assert original in story or edited in story
    reformatted = {p.original_label for p in pairs}
    assert reformatted <= {"partial_name", "reformat"}
    assert any("13 October 2014" in t or "three people" in t or "10%" in t or "10 per cent" in t for t in texts)


@needs_data
def test_misleading_claims_come_from_dev_splits_and_skip_used_pairs() -> None:
    from factcheck.eval.corpus import misleading_pairs

    pairs = misleading_pairs(DATA)
    fm2 = [p for p in pairs if p.group.startswith("fm2:")]
    assert len(fm2) == 1169 and {p.split for p in fm2} == {"dev"}  # Fool Me Twice test stays held out
    assert {p.label for p in fm2} == {"supports", "refutes"}
    broken = [p for p in pairs if p.group.startswith("breaking:")]
    assert len(broken) == 8193
    used = {p.group for p in broken[:100]}
    assert len(misleading_pairs(DATA, used=used)) == len(pairs) - 100
